//! Newsletter sign-up (seed 000 pt 6): anyone may leave an address to receive information for
//! NGOs. Double opt-in (`pending` until the link in the e-mail is confirmed); preference and
//! unsubscribe links are HMAC-signed, so no token column is needed.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum NewsletterSubscribers {
    Table,
    Id,
    Email,
    Topics,
    Lang,
    Status,
    ConsentVersion,
    ConsentText,
    ConsentedAt,
    ConfirmedAt,
    UnsubscribedAt,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(NewsletterSubscribers::Table)
                .col(big_pk_auto(NewsletterSubscribers::Id))
                // Normalised address; unique, so two concurrent sign-ups make one row.
                .col(string_uniq(NewsletterSubscribers::Email))
                .col(text(NewsletterSubscribers::Topics))
                .col(string(NewsletterSubscribers::Lang))
                .col(string(NewsletterSubscribers::Status))
                .col(string(NewsletterSubscribers::ConsentVersion))
                .col(text(NewsletterSubscribers::ConsentText))
                .col(timestamp_with_time_zone(NewsletterSubscribers::ConsentedAt))
                .col(timestamp_with_time_zone_null(
                    NewsletterSubscribers::ConfirmedAt,
                ))
                .col(timestamp_with_time_zone_null(
                    NewsletterSubscribers::UnsubscribedAt,
                ))
                .col(timestamp_with_time_zone(NewsletterSubscribers::CreatedAt))
                .col(timestamp_with_time_zone(NewsletterSubscribers::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_newsletter_subscribers_status")
                .table(NewsletterSubscribers::Table)
                .col(NewsletterSubscribers::Status)
                .to_owned(),
        )
        .await
    }
}
