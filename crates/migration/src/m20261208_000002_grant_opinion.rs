//! Grants II (issue 18, item 4): the commission's opinion — the amount it proposes for each offer
//! it scored, with a note.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum GrantCommissions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum GrantOffers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum GrantOpinionLines {
    Table,
    Id,
    CommissionId,
    OfferId,
    Proposed,
    Note,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(GrantOpinionLines::Table)
                .col(big_pk_auto(GrantOpinionLines::Id))
                .col(big_integer(GrantOpinionLines::CommissionId))
                .col(big_integer(GrantOpinionLines::OfferId))
                .col(big_integer(GrantOpinionLines::Proposed))
                .col(text(GrantOpinionLines::Note).default(""))
                .col(timestamp_with_time_zone(GrantOpinionLines::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(GrantOpinionLines::Table, GrantOpinionLines::CommissionId)
                        .to(GrantCommissions::Table, GrantCommissions::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(GrantOpinionLines::Table, GrantOpinionLines::OfferId)
                        .to(GrantOffers::Table, GrantOffers::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_grant_opinion_lines_offer")
                .table(GrantOpinionLines::Table)
                .col(GrantOpinionLines::CommissionId)
                .col(GrantOpinionLines::OfferId)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(GrantOpinionLines::Table).to_owned())
            .await
    }
}
