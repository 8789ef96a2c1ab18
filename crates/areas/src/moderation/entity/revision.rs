use sea_orm::entity::prelude::*;

/// One submitted version of a moderated record (the moderation queue and the version history).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "revisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `organization` (later: `event`, `article`, `report`).
    pub subject_type: String,
    pub subject_id: i64,
    /// 1, 2, 3… per subject.
    pub number: i32,
    /// `create`, `update` or `claim`.
    pub kind: String,
    /// The submitted content as JSON.
    pub data: String,
    /// The published content when this was submitted (JSON), for the side-by-side diff.
    pub previous: Option<String>,
    /// Where the revision stands in the queue (`Status`, moves in `allowed`).
    pub status: Status,
    pub submitted_by: Option<i64>,
    pub submitted_at: DateTimeUtc,
    pub decided_by: Option<i64>,
    pub decided_at: Option<DateTimeUtc>,
    pub comment: String,
}

crate::status_enum! {
    /// The status of a revision: waiting in the queue, or decided, or replaced by a newer one.
    pub enum Status {
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
        ChangesRequested = "changes_requested",
        Superseded = "superseded",
    }
}

/// The one function that says which moves a revision may make: only a pending one is decided or
/// superseded; a decision is final.
pub fn allowed(from: Status, to: Status) -> bool {
    from == Status::Pending && to != Status::Pending
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
