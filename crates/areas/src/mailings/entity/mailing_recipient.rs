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
    /// `pending`, `sent`, `failed`, `bounced` or `skipped`.
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTimeUtc>,
    /// Address checks: when the recipient confirmed the address is current.
    pub confirmed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
