use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meetings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    pub agenda_md: String,
    pub place: Option<String>,
    pub online_url: Option<String>,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    /// None = no limit.
    pub capacity: Option<i32>,
    /// Most people one answer may bring, the invitee included.
    pub max_party: i32,
    /// Confirmed places (sum of the party sizes of `attending` invitations).
    pub seats_taken: i32,
    /// A `mailings::Audience` as JSON.
    pub audience: String,
    pub lang: String,
    /// Where the meeting stands (`Status`, moves in `allowed`).
    pub status: Status,
    pub invited_at: Option<DateTimeUtc>,
    /// The written reason when invitations went out later than the minimum notice.
    pub invite_reason: Option<String>,
    /// iCalendar SEQUENCE, raised on every change sent to invitees.
    pub sequence: i32,
    pub minutes_md: String,
    pub minutes_published_at: Option<DateTimeUtc>,
    /// The calendar entry (an `events` row of category `spotkanie`).
    pub event_id: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

crate::status_enum! {
    /// The life cycle of a meeting.
    pub enum Status {
        /// Being prepared; nobody has been invited.
        Draft = "draft",
        /// Invitations went out (more may follow).
        Invited = "invited",
        /// Called off; final.
        Cancelled = "cancelled",
    }
}

/// The one function that says which moves a meeting may make: invitations go out from a draft or
/// to more people of an invited meeting; a draft or an invited meeting may be cancelled; nothing
/// leaves `cancelled` and nothing goes back to `draft`.
pub fn allowed(from: Status, to: Status) -> bool {
    use Status::*;
    matches!((from, to), (Draft | Invited, Invited) | (Draft | Invited, Cancelled))
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
