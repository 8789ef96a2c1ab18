//! Tables of this area (SeaORM entities written to match the migrations).

pub mod newsletter_subscriber;
pub mod mailing;
pub mod mailing_recipient;
pub mod email_bounce;
