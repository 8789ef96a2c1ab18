use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mailing_recipients")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub mailing_id: i64,
    /// Normalised; unique per mailing.
    pub email: String,
    pub lang: String,
    /// `organization`, `subscriber`, `meeting` or `custom`.
    pub source: String,
    pub source_id: Option<i64>,
    /// Where delivery to this address stands (`Status`, moves in `allowed`).
    pub status: Status,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTimeUtc>,
    /// Address checks: when the recipient confirmed the address is current.
    pub confirmed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

crate::status_enum! {
    /// Delivery of a mailing to one address.
    pub enum Status {
        /// To be sent (again, after `next_attempt_at`).
        Pending = "pending",
        Sent = "sent",
        /// Handed over (the final dot was written) but the server's reply never came: it may or
        /// may not have arrived. Not retried on its own; an official may send it again.
        Unconfirmed = "unconfirmed",
        /// Gave up after the last attempt, or refused for good by the server.
        Failed = "failed",
        /// Refused for good because of the address.
        Bounced = "bounced",
        /// Never tried: the address is known to bounce.
        Skipped = "skipped",
    }
}

/// The one function that says which moves a recipient may make: a pending one is sent, retried
/// or given up; a refusal that arrives after the message counted as sent takes it back (to be
/// retried, failed or bounced) and a missing reply makes it unconfirmed; an unconfirmed one is
/// sent again only when an official asks. Failed, bounced and skipped are final.
pub fn allowed(from: Status, to: Status) -> bool {
    use Status::*;
    match from {
        Pending => !matches!(to, Skipped | Unconfirmed),
        Sent => matches!(to, Pending | Failed | Bounced | Unconfirmed),
        Unconfirmed => to == Pending,
        Failed | Bounced | Skipped => false,
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
