//! Tables of this area (SeaORM entities written to match the migrations).

pub mod event;
pub mod event_sphere;
pub mod event_target_group;
