use sea_orm::entity::prelude::*;

/// A request for help with media promotion (`promotion`) or for a media patronage (`patronage`);
/// status `new` → `in_progress` → `accepted` | `declined`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "media_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    pub organization: String,
    pub contact_name: String,
    pub email: String,
    pub phone: String,
    pub title: String,
    pub event_date: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    #[sea_orm(column_type = "Text")]
    pub links: String,
    pub status: String,
    #[sea_orm(column_type = "Text")]
    pub note: String,
    pub user_id: Option<i64>,
    pub lang: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
