use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "newsletter_subscribers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Normalised (lower case); unique.
    pub email: String,
    /// Comma-separated topic codes (`newsletter::TOPICS`).
    pub topics: String,
    pub lang: String,
    pub status: Status,
    pub consent_version: String,
    /// The consent text exactly as shown when the address was left.
    pub consent_text: String,
    pub consented_at: DateTimeUtc,
    pub confirmed_at: Option<DateTimeUtc>,
    pub unsubscribed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

crate::status_enum! {
    /// Where a newsletter address stands.
    pub enum Status {
        /// Signed up, the confirmation link not yet used; receives nothing but that link.
        Pending = "pending",
        /// Confirmed (double opt-in); receives the chosen topics.
        Active = "active",
        /// Unsubscribed (the consent withdrawn); receives nothing.
        Unsubscribed = "unsubscribed",
    }
}

/// The one function that says which moves a subscription may make: a sign-up (again) waits for
/// its confirmation, the link activates it, and anyone may leave at any time. An active address
/// that signs up again stays active.
pub fn allowed(from: Status, to: Status) -> bool {
    use Status::*;
    matches!(
        (from, to),
        (Pending | Unsubscribed, Pending) | (Pending, Active) | (Pending | Active, Unsubscribed)
    )
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
