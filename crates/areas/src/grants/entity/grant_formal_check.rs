use sea_orm::entity::prelude::*;

/// One round of an offer's formal check: the checklist as ticked, the deficiencies, and for a
/// correction the sections the organisation may change and until when.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grant_formal_checks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub offer_id: i64,
    /// 1 = first check, 2 = after the correction.
    pub round: i32,
    pub result: FormalResult,
    /// JSON `[{"item": text, "ok": bool}]`.
    pub checklist: String,
    /// The deficiencies as told to the organisation.
    pub deficiencies: String,
    /// Section codes open for correction, comma-separated.
    pub sections: String,
    pub deadline: Option<DateTimeUtc>,
    pub checked_by: Option<i64>,
    pub checked_at: DateTimeUtc,
}

crate::status_enum! {
    /// The outcome of one round of the formal check.
    pub enum FormalResult {
        Complete = "complete",
        Deficient = "deficient",
        Rejected = "rejected",
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
