//! Tables of the grants area (SeaORM entities written to match `m20261207_000001_grants`).

pub mod grant_call;
pub mod grant_formal_check;
pub mod grant_offer;
pub mod grant_offer_file;
pub mod grant_offer_section;
pub mod grant_offer_version;
