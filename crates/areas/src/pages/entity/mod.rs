//! Tables of this area (SeaORM entities written to match the migrations).

pub mod page;
pub mod page_file;
pub mod office_contact;
