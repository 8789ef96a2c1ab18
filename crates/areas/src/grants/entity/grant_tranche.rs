use sea_orm::entity::prelude::*;

/// One tranche of a contract's grant: when it is due, how much, and when the office paid it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grant_tranches")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub contract_id: i64,
    /// 1, 2, … in the order of payment.
    pub n: i32,
    pub due_on: Date,
    /// Grosze.
    pub amount: i64,
    pub paid_on: Option<Date>,
    pub paid_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
