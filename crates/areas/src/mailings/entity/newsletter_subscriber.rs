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
    /// `pending`, `active` or `unsubscribed`.
    pub status: String,
    pub consent_version: String,
    /// The consent text exactly as shown when the address was left.
    pub consent_text: String,
    pub consented_at: DateTimeUtc,
    pub confirmed_at: Option<DateTimeUtc>,
    pub unsubscribed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
