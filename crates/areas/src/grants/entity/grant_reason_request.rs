use sea_orm::entity::prelude::*;

/// A request for the reasons of a call's results (art. 15 ust. 2j UDPP) and the office's answer.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grant_reason_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub call_id: i64,
    /// The offer asked about; `None` for the call's results as a whole.
    pub offer_id: Option<i64>,
    pub name: String,
    pub email: String,
    pub question: String,
    pub created_at: DateTimeUtc,
    pub answer: String,
    pub answered_by: Option<i64>,
    pub answered_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
