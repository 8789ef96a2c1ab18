use sea_orm::entity::prelude::*;

/// A person in the office to contact about a topic; `handles_media` marks who receives requests
/// for media promotion and patronage.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "office_contacts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub topic: String,
    pub name: String,
    pub role: String,
    pub department: String,
    pub room: String,
    pub phone: String,
    pub email: String,
    pub handles_media: bool,
    pub position: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
