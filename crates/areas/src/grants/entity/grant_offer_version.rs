use sea_orm::entity::prelude::*;

/// A submitted, frozen version of an offer: its canonical JSON and the SHA-256 printed on every
/// page of its PDF, so a paper copy can be checked against the system.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grant_offer_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub offer_id: i64,
    pub version: i32,
    /// The canonical JSON the checksum is computed over.
    pub content: String,
    /// SHA-256 of `content`, 64 lower-case hex digits.
    pub checksum: String,
    /// A short form to read aloud (`XXXX-XXXX`).
    pub short_code: String,
    pub submitted_at: DateTimeUtc,
    pub submitted_by: Option<i64>,
    /// The rendered PDF in storage, once the background job made it.
    pub pdf_key: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
