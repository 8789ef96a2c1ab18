use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mailings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `manual`, `digest` or `address_check`.
    pub kind: String,
    pub subject: String,
    pub body_md: String,
    /// Sanitised HTML rendered from `body_md` when sending was ordered.
    pub body_html: String,
    pub body_text: String,
    /// JSON of `mailings::Audience`.
    pub audience: String,
    pub lang: String,
    /// `draft`, `scheduled`, `sending`, `sent` or `cancelled`.
    pub status: String,
    pub scheduled_at: Option<DateTimeUtc>,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
    pub test_sent_at: Option<DateTimeUtc>,
    pub recipients_total: i32,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
