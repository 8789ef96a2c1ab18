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
    /// `draft`, `invited` or `cancelled`.
    pub status: String,
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

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
