use sea_orm::entity::prelude::*;

/// An attachment of an offer (one of the call's required attachments, or another).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grant_offer_files")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub offer_id: i64,
    /// The call's required attachment it answers (its text), or empty for another one.
    pub attachment: String,
    /// The `stored_files` key.
    pub file_key: String,
    pub file_name: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: Option<i64>,
    pub uploaded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
