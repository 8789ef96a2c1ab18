//! City activities open to NGO partners (seed 000 pt 5, e.g. a harvest festival): officials
//! announce them early with the help sought and a contact; organisations declare interest.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PartnerActivities {
    Table,
    Id,
    Slug,
    Title,
    DescriptionMd,
    HelpSought,
    StartsAt,
    EndsAt,
    Place,
    ContactName,
    ContactEmail,
    ContactPhone,
    InterestUntil,
    Status,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    PublishedAt,
}

#[derive(DeriveIden)]
enum PartnerInterests {
    Table,
    Id,
    ActivityId,
    OrganizationId,
    OrganizationName,
    ContactName,
    Email,
    Phone,
    Offer,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
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
        m.create_table(
            Table::create()
                .table(PartnerActivities::Table)
                .col(big_pk_auto(PartnerActivities::Id))
                .col(string_uniq(PartnerActivities::Slug))
                .col(string(PartnerActivities::Title))
                .col(text(PartnerActivities::DescriptionMd))
                .col(text(PartnerActivities::HelpSought))
                .col(ts(PartnerActivities::StartsAt))
                .col(ts_null(PartnerActivities::EndsAt))
                .col(string(PartnerActivities::Place))
                .col(string(PartnerActivities::ContactName))
                .col(string(PartnerActivities::ContactEmail))
                .col(string(PartnerActivities::ContactPhone))
                .col(ts_null(PartnerActivities::InterestUntil))
                .col(string(PartnerActivities::Status))
                .col(big_integer_null(PartnerActivities::CreatedBy))
                .col(ts(PartnerActivities::CreatedAt))
                .col(ts(PartnerActivities::UpdatedAt))
                .col(ts_null(PartnerActivities::PublishedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_partner_activities_status_starts")
                .table(PartnerActivities::Table)
                .col(PartnerActivities::Status)
                .col(PartnerActivities::StartsAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PartnerInterests::Table)
                .col(big_pk_auto(PartnerInterests::Id))
                .col(big_integer(PartnerInterests::ActivityId))
                .col(big_integer_null(PartnerInterests::OrganizationId))
                .col(string(PartnerInterests::OrganizationName))
                .col(string(PartnerInterests::ContactName))
                .col(string(PartnerInterests::Email))
                .col(string(PartnerInterests::Phone))
                .col(text(PartnerInterests::Offer))
                .col(big_integer_null(PartnerInterests::UserId))
                .col(ts(PartnerInterests::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(PartnerInterests::Table, PartnerInterests::ActivityId)
                        .to(PartnerActivities::Table, PartnerActivities::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(PartnerInterests::Table, PartnerInterests::OrganizationId)
                        .to(Organizations::Table, Organizations::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        // One declaration per address and activity, even under concurrent submissions.
        m.create_index(
            Index::create()
                .name("ux_partner_interests_activity_email")
                .table(PartnerInterests::Table)
                .col(PartnerInterests::ActivityId)
                .col(PartnerInterests::Email)
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
