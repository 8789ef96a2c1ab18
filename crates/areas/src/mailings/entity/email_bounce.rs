use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "email_bounces")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Normalised; unique.
    pub email: String,
    /// What the receiving server said.
    pub reason: String,
    pub mailing_id: Option<i64>,
    pub bounced_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
