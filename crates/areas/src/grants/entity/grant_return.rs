use sea_orm::entity::prelude::*;

/// Money the organisation paid back to the office (unused grant, grant taken in excess, with the
/// interest), as the office recorded it from its bank statement.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grant_returns")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub contract_id: i64,
    /// Grosze.
    pub amount: i64,
    /// The day the money reached the office's account.
    pub paid_on: Date,
    pub note: String,
    pub recorded_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
