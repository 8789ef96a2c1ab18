use sea_orm::entity::prelude::*;

/// An annex to a contract: what it changed, why, and the terms before it (so each annex's
/// document can be drawn again as it was signed).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grant_annexes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub contract_id: i64,
    /// 1, 2, … per contract.
    pub n: i32,
    pub reason: String,
    /// `annex::Change::changes` as JSON: [field's Fluent id, before, after].
    pub changes: String,
    /// The terms and lines before the annex, as JSON.
    pub before: String,
    /// `upload` or `electronic`, as a contract's signature.
    pub signed_how: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
