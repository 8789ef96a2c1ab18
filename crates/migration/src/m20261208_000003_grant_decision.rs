//! Grants II (issue 18, items 4–5): the mayor's decision on a call — the amount granted to each
//! offer the commission gave its opinion on, with the written reason where it departs from the
//! opinion.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum GrantCalls {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum GrantOffers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum GrantDecisionLines {
    Table,
    Id,
    CallId,
    OfferId,
    Amount,
    ScoreCenti,
    Reason,
    DecidedBy,
    DecidedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(GrantDecisionLines::Table)
                .col(big_pk_auto(GrantDecisionLines::Id))
                .col(big_integer(GrantDecisionLines::CallId))
                .col(big_integer(GrantDecisionLines::OfferId))
                .col(big_integer(GrantDecisionLines::Amount))
                .col(big_integer_null(GrantDecisionLines::ScoreCenti))
                .col(text(GrantDecisionLines::Reason).default(""))
                .col(big_integer_null(GrantDecisionLines::DecidedBy))
                .col(timestamp_with_time_zone(GrantDecisionLines::DecidedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(GrantDecisionLines::Table, GrantDecisionLines::CallId)
                        .to(GrantCalls::Table, GrantCalls::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(GrantDecisionLines::Table, GrantDecisionLines::OfferId)
                        .to(GrantOffers::Table, GrantOffers::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_grant_decision_lines_offer")
                .table(GrantDecisionLines::Table)
                .col(GrantDecisionLines::OfferId)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(GrantDecisionLines::Table).to_owned())
            .await
    }
}
