use sea_orm::entity::prelude::*;

crate::status_enum! {
    /// Status of an invitation (`status` column).
    pub enum Status {
        /// Sent, not answered yet.
        Invited = "invited",
        /// Coming, with a place held for the party.
        Attending = "attending",
        /// Coming if a place frees up (in order of `waitlisted_at`).
        Waitlisted = "waitlisted",
        Declined = "declined",
    }
}

/// The one function that says which moves an invitation may make: an answer (attending,
/// waiting, declined) may be changed any time, but nothing goes back to unanswered, and a held
/// place is never traded for the waiting list.
pub fn allowed(from: Status, to: Status) -> bool {
    use Status::*;
    to != Invited && !(from == Attending && to == Waitlisted)
}


#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_invitations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub meeting_id: i64,
    /// Normalised; unique per meeting.
    pub email: String,
    pub lang: String,
    /// `organization`, `subscriber` or `custom`.
    pub source: String,
    pub organization_id: Option<i64>,
    /// The answer so far (`Status`, moves in `allowed`).
    pub status: Status,
    pub party_size: i32,
    pub comment: String,
    pub responded_at: Option<DateTimeUtc>,
    pub waitlisted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
