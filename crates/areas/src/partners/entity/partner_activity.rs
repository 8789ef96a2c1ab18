use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "partner_activities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    pub description_md: String,
    /// What help the office seeks from organisations (plain text, one item per line).
    pub help_sought: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: Option<DateTimeUtc>,
    pub place: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    /// Declarations are accepted until this moment (end of a Warsaw day); None = until the start.
    pub interest_until: Option<DateTimeUtc>,
    /// `draft` | `published` | `closed`.
    pub status: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
