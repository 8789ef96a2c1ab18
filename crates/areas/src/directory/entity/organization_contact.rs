use sea_orm::entity::prelude::*;

/// A contact person shown on an organisation's page.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organization_contacts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub name: String,
    /// What the person does (e.g. "prezeska zarządu", "wolontariat").
    pub role: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
