use sea_orm::entity::prelude::*;

/// One office role of an account: `admin`, `official` (with a scope such as `moderation`), `expert`.
/// Organisation membership is a separate table (accounts issue).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "role_grants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub role: String,
    /// Empty string when the role has no scope (keeps the unique index simple on both databases).
    pub scope: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
