use sea_orm::entity::prelude::*;

/// A person an organisation nominated to a call's commission (art. 15 ust. 2a UDPP).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grant_nominations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub commission_id: i64,
    pub organization_id: i64,
    pub name: String,
    pub email: String,
    pub nominated_by: Option<i64>,
    pub status: Status,
    /// Why excluded or not appointed, as shown to the organisation.
    pub reason: String,
    pub created_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
}

crate::status_enum! {
    /// What became of a nomination.
    pub enum Status {
        Nominated = "nominated",
        /// The organisation submitted an offer in this call (art. 15 ust. 2d): set automatically.
        Excluded = "excluded",
        Appointed = "appointed",
        NotAppointed = "not_appointed",
    }
}

/// The one function for a nomination's moves. An exclusion is final; so is a decision.
pub fn allowed(from: Status, to: Status) -> bool {
    use Status::*;
    from == to || matches!((from, to), (Nominated, Excluded | Appointed | NotAppointed))
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
