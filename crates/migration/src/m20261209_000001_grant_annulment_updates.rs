//! Grants II (issue 18, items 5–6): the annulment of a call (art. 18a UDPP) recorded with its
//! ground, reason and date, so it is published like results; and the update an organisation
//! granted less than it asked makes to its costs and schedule, with its deadline.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum GrantCalls {
    Table,
    AnnulledAt,
    AnnulGround,
    AnnulReason,
}

#[derive(DeriveIden)]
enum GrantOffers {
    Table,
    Id,
    UpdateDeadline,
}

#[derive(DeriveIden)]
enum GrantOfferUpdates {
    Table,
    Id,
    OfferId,
    Granted,
    BaseVersion,
    MaxGrantBp,
    Rounds,
    Note,
    CreatedAt,
    DecidedBy,
    DecidedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds columns one at a time.
        m.alter_table(
            Table::alter()
                .table(GrantCalls::Table)
                .add_column(timestamp_with_time_zone_null(GrantCalls::AnnulledAt))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(GrantCalls::Table)
                .add_column(string(GrantCalls::AnnulGround).default(""))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(GrantCalls::Table)
                .add_column(text(GrantCalls::AnnulReason).default(""))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(GrantOffers::Table)
                .add_column(timestamp_with_time_zone_null(GrantOffers::UpdateDeadline))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(GrantOfferUpdates::Table)
                .col(big_pk_auto(GrantOfferUpdates::Id))
                .col(big_integer(GrantOfferUpdates::OfferId))
                .col(big_integer(GrantOfferUpdates::Granted))
                .col(integer(GrantOfferUpdates::BaseVersion))
                .col(big_integer_null(GrantOfferUpdates::MaxGrantBp))
                .col(integer(GrantOfferUpdates::Rounds).default(0))
                .col(text(GrantOfferUpdates::Note).default(""))
                .col(timestamp_with_time_zone(GrantOfferUpdates::CreatedAt))
                .col(big_integer_null(GrantOfferUpdates::DecidedBy))
                .col(timestamp_with_time_zone_null(GrantOfferUpdates::DecidedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(GrantOfferUpdates::Table, GrantOfferUpdates::OfferId)
                        .to(GrantOffers::Table, GrantOffers::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_grant_offer_updates_offer")
                .table(GrantOfferUpdates::Table)
                .col(GrantOfferUpdates::OfferId)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(GrantOfferUpdates::Table).to_owned())
            .await?;
        for col in [
            GrantCalls::AnnulledAt,
            GrantCalls::AnnulGround,
            GrantCalls::AnnulReason,
        ] {
            m.alter_table(
                Table::alter()
                    .table(GrantCalls::Table)
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table(GrantOffers::Table)
                .drop_column(GrantOffers::UpdateDeadline)
                .to_owned(),
        )
        .await
    }
}
