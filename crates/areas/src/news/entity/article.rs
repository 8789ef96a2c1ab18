use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "articles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    pub lead: String,
    pub body_md: String,
    pub organization_id: Option<i64>,
    pub status: crate::moderation::lifecycle::Publication,
    pub search_text: String,
    pub published_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// `news` (city or NGO news) | `report` (an organisation's post-project report).
    pub kind: String,
    pub created_by: Option<i64>,
    pub cover_key: Option<String>,
    pub cover_alt: String,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
