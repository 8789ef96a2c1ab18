//! Organisation profiles maintained by the organisations: contact persons, social links, logo,
//! yearly confirmation and bounce flags; and `revisions`, the moderation queue with the history
//! of versions of anything that is moderated (profiles now; events, news and reports later).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
    SocialLinks,
    LogoKey,
    LogoAlt,
    ConfirmedAt,
    ConfirmationSentAt,
    EmailBouncedAt,
    Version,
}

#[derive(DeriveIden)]
enum OrganizationContacts {
    Table,
    Id,
    OrganizationId,
    Name,
    Role,
    Email,
    Phone,
    Position,
}

#[derive(DeriveIden)]
enum Revisions {
    Table,
    Id,
    SubjectType,
    SubjectId,
    Number,
    Kind,
    Data,
    Previous,
    Status,
    SubmittedBy,
    SubmittedAt,
    DecidedBy,
    DecidedAt,
    Comment,
}

fn ts<T: IntoIden>(c: T) -> ColumnDef {
    timestamp_with_time_zone(c)
}
fn ts_null<T: IntoIden>(c: T) -> ColumnDef {
    timestamp_with_time_zone_null(c)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE statement.
        let columns = [
            text(Organizations::SocialLinks).default("").to_owned(),
            string_null(Organizations::LogoKey).to_owned(),
            string(Organizations::LogoAlt).default("").to_owned(),
            ts_null(Organizations::ConfirmedAt).to_owned(),
            ts_null(Organizations::ConfirmationSentAt).to_owned(),
            ts_null(Organizations::EmailBouncedAt).to_owned(),
            integer(Organizations::Version).default(0).to_owned(),
        ];
        for mut c in columns {
            m.alter_table(
                Table::alter()
                    .table(Organizations::Table)
                    .add_column(&mut c)
                    .to_owned(),
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table(OrganizationContacts::Table)
                .col(big_pk_auto(OrganizationContacts::Id))
                .col(big_integer(OrganizationContacts::OrganizationId))
                .col(string(OrganizationContacts::Name))
                .col(string(OrganizationContacts::Role))
                .col(string_null(OrganizationContacts::Email))
                .col(string_null(OrganizationContacts::Phone))
                .col(integer(OrganizationContacts::Position))
                .foreign_key(
                    ForeignKey::create()
                        .from(
                            OrganizationContacts::Table,
                            OrganizationContacts::OrganizationId,
                        )
                        .to(Organizations::Table, Organizations::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_organization_contacts_org")
                .table(OrganizationContacts::Table)
                .col(OrganizationContacts::OrganizationId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Revisions::Table)
                .col(big_pk_auto(Revisions::Id))
                .col(string(Revisions::SubjectType))
                .col(big_integer(Revisions::SubjectId))
                .col(integer(Revisions::Number))
                .col(string(Revisions::Kind))
                .col(text(Revisions::Data))
                .col(text_null(Revisions::Previous))
                .col(string(Revisions::Status))
                .col(big_integer_null(Revisions::SubmittedBy))
                .col(ts(Revisions::SubmittedAt))
                .col(big_integer_null(Revisions::DecidedBy))
                .col(ts_null(Revisions::DecidedAt))
                .col(text(Revisions::Comment).default(""))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_revisions_status")
                .table(Revisions::Table)
                .col(Revisions::Status)
                .col(Revisions::SubmittedAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_revisions_subject_number")
                .table(Revisions::Table)
                .col(Revisions::SubjectType)
                .col(Revisions::SubjectId)
                .col(Revisions::Number)
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
