//! An indicator the programme is evaluated by (art. 5a ust. 4 pkt 9): its target for a year,
//! and where its value comes from — one of the report's figures (`figures::Metric`) or entered
//! by the office in the report.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "programme_indicators")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub programme_id: i64,
    pub position: i32,
    pub name: String,
    /// A `figures::Metric` code, or `manual`.
    pub metric: String,
    /// The target value in the metric's unit (money in grosze).
    pub target: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
