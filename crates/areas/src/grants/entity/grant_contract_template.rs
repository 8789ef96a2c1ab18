use sea_orm::entity::prelude::*;

/// A version of the model contract officials edit: Markdown-like text with `{{placeholders}}`
/// (`contract::PLACEHOLDERS`). A saved version is never changed; contracts keep the version they
/// were made on.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grant_contract_templates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub version: i32,
    pub body_md: String,
    /// What changed in this version.
    pub note: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
