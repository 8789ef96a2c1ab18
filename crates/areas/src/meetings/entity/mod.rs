//! Tables of this area (SeaORM entities written to match the migrations).

pub mod meeting;
pub mod meeting_invitation;
