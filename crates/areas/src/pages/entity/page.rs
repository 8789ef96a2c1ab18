use sea_orm::entity::prelude::*;

/// An information page of the NGO zone, edited by officials (Markdown; English falls back to
/// Polish when empty).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "pages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub title_pl: String,
    pub title_en: String,
    #[sea_orm(column_type = "Text")]
    pub body_pl: String,
    #[sea_orm(column_type = "Text")]
    pub body_en: String,
    pub position: i32,
    pub updated_by: Option<i64>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
