use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    pub name_fold: String,
    pub short_description: String,
    pub legal_form: String,
    pub krs: Option<String>,
    pub nip: Option<String>,
    pub regon: Option<String>,
    pub is_opp: bool,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub district: String,
    pub status: String,
    pub search_text: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
    /// `wspolnie_core::text::pl_sort_key(name)`: byte order = Polish alphabetical order.
    pub name_sort: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
