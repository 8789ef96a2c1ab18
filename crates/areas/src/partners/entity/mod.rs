//! Tables of this area (SeaORM entities written to match the migrations).

pub mod partner_activity;
pub mod partner_interest;
pub mod media_request;
