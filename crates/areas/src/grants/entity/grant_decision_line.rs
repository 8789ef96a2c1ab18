use sea_orm::entity::prelude::*;

/// The mayor's decision on one offer of a call: the amount granted (0 = none), the score the
/// commission gave it, and the written reason when the amount departs from the opinion.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grant_decision_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub call_id: i64,
    #[sea_orm(unique)]
    pub offer_id: i64,
    /// Grosze.
    pub amount: i64,
    /// The commission's average in hundredths, as published with the result.
    pub score_centi: Option<i64>,
    pub reason: String,
    pub decided_by: Option<i64>,
    pub decided_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
