//! Mailings by officials (seed 000 pt 3 and 6, seed 001: calendar and grant calls sent to all
//! organisations), the weekly digest and address checks. A mailing's recipients are expanded into
//! `mailing_recipients` once, when sending starts; the per-recipient row is the delivery state, so
//! a restart continues where the last committed message ended. `email_bounces` remembers addresses
//! the receiving server refused permanently; later mailings skip them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Mailings {
    Table,
    Id,
    Kind,
    Subject,
    BodyMd,
    BodyHtml,
    BodyText,
    Audience,
    Lang,
    Status,
    ScheduledAt,
    StartedAt,
    FinishedAt,
    TestSentAt,
    RecipientsTotal,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MailingRecipients {
    Table,
    Id,
    MailingId,
    Email,
    Lang,
    Source,
    SourceId,
    Status,
    Attempts,
    NextAttemptAt,
    LastError,
    SentAt,
    ConfirmedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum EmailBounces {
    Table,
    Id,
    Email,
    Reason,
    MailingId,
    BouncedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Mailings::Table)
                .col(big_pk_auto(Mailings::Id))
                // `manual`, `digest` or `address_check`.
                .col(string(Mailings::Kind))
                .col(string(Mailings::Subject))
                .col(text(Mailings::BodyMd))
                // Rendered when sending is ordered, so what goes out is what was previewed.
                .col(text(Mailings::BodyHtml))
                .col(text(Mailings::BodyText))
                .col(text(Mailings::Audience))
                .col(string(Mailings::Lang))
                // draft → scheduled → sending → sent, or cancelled.
                .col(string(Mailings::Status))
                .col(timestamp_with_time_zone_null(Mailings::ScheduledAt))
                .col(timestamp_with_time_zone_null(Mailings::StartedAt))
                .col(timestamp_with_time_zone_null(Mailings::FinishedAt))
                .col(timestamp_with_time_zone_null(Mailings::TestSentAt))
                .col(integer(Mailings::RecipientsTotal).default(0))
                .col(big_integer_null(Mailings::CreatedBy))
                .col(timestamp_with_time_zone(Mailings::CreatedAt))
                .col(timestamp_with_time_zone(Mailings::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_mailings_status")
                .table(Mailings::Table)
                .col(Mailings::Status)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(MailingRecipients::Table)
                .col(big_pk_auto(MailingRecipients::Id))
                .col(big_integer(MailingRecipients::MailingId))
                .col(string(MailingRecipients::Email))
                .col(string(MailingRecipients::Lang))
                // `organization`, `subscriber`, `meeting` or `custom`.
                .col(string(MailingRecipients::Source))
                .col(big_integer_null(MailingRecipients::SourceId))
                // pending → sent | failed | bounced; `skipped` for known bouncing addresses.
                .col(string(MailingRecipients::Status))
                .col(integer(MailingRecipients::Attempts).default(0))
                .col(timestamp_with_time_zone(MailingRecipients::NextAttemptAt))
                .col(text_null(MailingRecipients::LastError))
                .col(timestamp_with_time_zone_null(MailingRecipients::SentAt))
                .col(timestamp_with_time_zone_null(
                    MailingRecipients::ConfirmedAt,
                ))
                .col(timestamp_with_time_zone(MailingRecipients::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(MailingRecipients::Table, MailingRecipients::MailingId)
                        .to(Mailings::Table, Mailings::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // One message per address and mailing, however often the audience is expanded.
        m.create_index(
            Index::create()
                .name("ux_mailing_recipients_address")
                .table(MailingRecipients::Table)
                .col(MailingRecipients::MailingId)
                .col(MailingRecipients::Email)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_mailing_recipients_queue")
                .table(MailingRecipients::Table)
                .col(MailingRecipients::MailingId)
                .col(MailingRecipients::Status)
                .col(MailingRecipients::Id)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(EmailBounces::Table)
                .col(big_pk_auto(EmailBounces::Id))
                .col(string_uniq(EmailBounces::Email))
                .col(text(EmailBounces::Reason))
                .col(big_integer_null(EmailBounces::MailingId))
                .col(timestamp_with_time_zone(EmailBounces::BouncedAt))
                .to_owned(),
        )
        .await
    }
}
