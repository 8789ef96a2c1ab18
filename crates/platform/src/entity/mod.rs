//! SeaORM entities, one module per table. Written by hand to match the migrations; behaviour lives
//! in repository modules, not here.

pub mod article;
pub mod article_file;
pub mod audit_log;
pub mod consent;
pub mod email_bounce;
pub mod event;
pub mod event_sphere;
pub mod event_target_group;
pub mod job;
pub mod mailing;
pub mod mailing_recipient;
pub mod media_request;
pub mod meeting;
pub mod meeting_invitation;
pub mod newsletter_subscriber;
pub mod office_contact;
pub mod organization;
pub mod organization_contact;
pub mod organization_member;
pub mod organization_sphere;
pub mod organization_target_group;
pub mod page;
pub mod page_file;
pub mod partner_activity;
pub mod partner_interest;
pub mod revision;
pub mod role_grant;
pub mod session;
pub mod setting;
pub mod sphere;
pub mod stored_file;
pub mod target_group;
pub mod throttle;
pub mod user;
pub mod user_token;
