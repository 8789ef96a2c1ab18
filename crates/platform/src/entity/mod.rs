//! SeaORM entities, one module per table. Written by hand to match the migrations; behaviour lives
//! in repository modules, not here.

pub mod audit_log;
pub mod consent;
pub mod job;
pub mod organization_member;
pub mod role_grant;
pub mod session;
pub mod setting;
pub mod sphere;
pub mod stored_file;
pub mod target_group;
pub mod throttle;
pub mod user;
pub mod user_token;
