use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    pub description_md: String,
    /// Start and end of the first occurrence (UTC); shown in `tz` (Europe/Warsaw).
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub tz: String,
    pub place: Option<String>,
    pub online_url: Option<String>,
    pub organization_id: Option<i64>,
    pub is_free: bool,
    /// The publication life cycle (`moderation::lifecycle`).
    pub status: crate::moderation::lifecycle::Publication,
    pub search_text: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// One of `wspolnie_core::events::CATEGORIES`.
    pub category: String,
    pub poster_key: Option<String>,
    pub poster_alt: String,
    pub registration_url: Option<String>,
    /// Free text about the price or tickets when the event is not free.
    pub price_info: String,
    /// Recurrence in our RRULE subset (`wspolnie_core::recurrence`), None = one occurrence.
    pub rrule: Option<String>,
    /// End of the last occurrence (equals `ends_at` without recurrence): "upcoming" = this ≥ now.
    pub last_ends_at: Option<DateTimeUtc>,
    pub created_by: Option<i64>,
    /// Number of the approved revision now published (0 for demo data).
    pub version: i32,
    pub published_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
