use sea_orm::entity::prelude::*;

/// The update a reduced grant asks for (issue 18, item 6): the organisation granted less than it
/// requested resubmits its costs, funding and schedule for `granted`; the office compares the new
/// version with `base_version` (the one the decision was made on) and accepts or returns it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grant_offer_updates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub offer_id: i64,
    /// The amount granted, grosze.
    pub granted: i64,
    pub base_version: i32,
    /// The share rule as decided: the grant's share of the total cost in the base version, basis
    /// points, which the update may not exceed; `None` where the call does not keep the rule.
    pub max_grant_bp: Option<i64>,
    /// How many times the office returned the update.
    pub rounds: i32,
    /// The office's note on the last return (or acceptance).
    pub note: String,
    pub created_at: DateTimeUtc,
    pub decided_by: Option<i64>,
    pub decided_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
