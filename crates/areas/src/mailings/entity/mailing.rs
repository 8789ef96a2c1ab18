use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mailings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `manual`, `digest` or `address_check`.
    pub kind: String,
    pub subject: String,
    pub body_md: String,
    /// Sanitised HTML rendered from `body_md` when sending was ordered.
    pub body_html: String,
    pub body_text: String,
    /// JSON of `mailings::Audience`.
    pub audience: String,
    pub lang: String,
    /// Where the mailing stands (`Status`, moves in `allowed`).
    pub status: Status,
    pub scheduled_at: Option<DateTimeUtc>,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
    pub test_sent_at: Option<DateTimeUtc>,
    pub recipients_total: i32,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

crate::status_enum! {
    /// The life cycle of a mailing.
    pub enum Status {
        /// Being written; editable.
        Draft = "draft",
        /// Ordered, waiting for its time (the body is frozen).
        Scheduled = "scheduled",
        /// Recipients added, messages going out.
        Sending = "sending",
        /// Every recipient dealt with; final.
        Sent = "sent",
        /// Stopped while sending; final.
        Cancelled = "cancelled",
    }
}

/// The one function that says which moves a mailing may make: a draft is ordered, a scheduled
/// one starts sending or goes back to draft when withdrawn, a sending one finishes or is stopped,
/// and a sent one sends again when an official re-sends its unconfirmed messages.
pub fn allowed(from: Status, to: Status) -> bool {
    use Status::*;
    matches!(
        (from, to),
        (Draft, Scheduled)
            | (Scheduled, Draft | Sending)
            | (Sending, Sent | Cancelled)
            // An official sends the unconfirmed messages of a finished mailing again.
            | (Sent, Sending)
    )
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The language the mailing is written in (and its footer and office name are sent in).
    pub fn content_lang(&self) -> wspolnie_platform::i18n::Lang {
        wspolnie_platform::i18n::Lang::parse(&self.lang).unwrap_or_default()
    }
}
