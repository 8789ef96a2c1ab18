//! Tables of this area (SeaORM entities written to match the migrations).

pub mod directory_import;
pub mod organization;
pub mod organization_contact;
pub mod organization_sphere;
pub mod organization_target_group;
