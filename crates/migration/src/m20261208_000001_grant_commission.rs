//! Grants II (issue 18): the competition commission of a call (art. 15 ust. 2a–2f UDPP) — its
//! settings, the organisations' nominations, the members with their impartiality statements,
//! recusals from single offers, and the members' score cards.

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
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum GrantCommissions {
    Table,
    Id,
    CallId,
    NominationsUntil,
    MinScoreCenti,
    SpreadLimit,
    ReducedDays,
    ShareRule,
    Status,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum GrantNominations {
    Table,
    Id,
    CommissionId,
    OrganizationId,
    Name,
    Email,
    NominatedBy,
    Status,
    Reason,
    CreatedAt,
    DecidedAt,
}

#[derive(DeriveIden)]
enum GrantCommissionMembers {
    Table,
    Id,
    CommissionId,
    UserId,
    Kind,
    Name,
    Email,
    IsChair,
    NominationId,
    StatementAt,
    StatementVersion,
    StatementSha256,
    CreatedAt,
}

#[derive(DeriveIden)]
enum GrantRecusals {
    Table,
    Id,
    MemberId,
    OfferId,
    Source,
    Reason,
    DeclaredAt,
}

#[derive(DeriveIden)]
enum GrantScoreCards {
    Table,
    Id,
    MemberId,
    OfferId,
    Points,
    Comments,
    SubmittedAt,
    Version,
    UpdatedAt,
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
                .table(GrantCommissions::Table)
                .col(big_pk_auto(GrantCommissions::Id))
                .col(big_integer_uniq(GrantCommissions::CallId))
                .col(ts_null(GrantCommissions::NominationsUntil))
                .col(big_integer(GrantCommissions::MinScoreCenti).default(0))
                .col(integer(GrantCommissions::SpreadLimit).default(10))
                .col(integer(GrantCommissions::ReducedDays).default(10))
                .col(boolean(GrantCommissions::ShareRule).default(true))
                .col(string(GrantCommissions::Status))
                .col(ts(GrantCommissions::CreatedAt))
                .col(ts(GrantCommissions::UpdatedAt))
                .col(integer(GrantCommissions::Version).default(0))
                .foreign_key(
                    ForeignKey::create()
                        .from(GrantCommissions::Table, GrantCommissions::CallId)
                        .to(GrantCalls::Table, GrantCalls::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(GrantNominations::Table)
                .col(big_pk_auto(GrantNominations::Id))
                .col(big_integer(GrantNominations::CommissionId))
                .col(big_integer(GrantNominations::OrganizationId))
                .col(string(GrantNominations::Name))
                .col(string(GrantNominations::Email))
                .col(big_integer_null(GrantNominations::NominatedBy))
                .col(string(GrantNominations::Status))
                .col(text(GrantNominations::Reason).default(""))
                .col(ts(GrantNominations::CreatedAt))
                .col(ts_null(GrantNominations::DecidedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(GrantNominations::Table, GrantNominations::CommissionId)
                        .to(GrantCommissions::Table, GrantCommissions::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(GrantNominations::Table, GrantNominations::OrganizationId)
                        .to(Organizations::Table, Organizations::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_grant_nominations_person")
                .table(GrantNominations::Table)
                .col(GrantNominations::CommissionId)
                .col(GrantNominations::OrganizationId)
                .col(GrantNominations::Email)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(GrantCommissionMembers::Table)
                .col(big_pk_auto(GrantCommissionMembers::Id))
                .col(big_integer(GrantCommissionMembers::CommissionId))
                .col(big_integer_null(GrantCommissionMembers::UserId))
                .col(string(GrantCommissionMembers::Kind))
                .col(string(GrantCommissionMembers::Name))
                .col(string(GrantCommissionMembers::Email))
                .col(boolean(GrantCommissionMembers::IsChair).default(false))
                .col(big_integer_null(GrantCommissionMembers::NominationId))
                .col(ts_null(GrantCommissionMembers::StatementAt))
                .col(string(GrantCommissionMembers::StatementVersion).default(""))
                .col(string(GrantCommissionMembers::StatementSha256).default(""))
                .col(ts(GrantCommissionMembers::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(
                            GrantCommissionMembers::Table,
                            GrantCommissionMembers::CommissionId,
                        )
                        .to(GrantCommissions::Table, GrantCommissions::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_grant_commission_members_email")
                .table(GrantCommissionMembers::Table)
                .col(GrantCommissionMembers::CommissionId)
                .col(GrantCommissionMembers::Email)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(GrantRecusals::Table)
                .col(big_pk_auto(GrantRecusals::Id))
                .col(big_integer(GrantRecusals::MemberId))
                .col(big_integer(GrantRecusals::OfferId))
                .col(string(GrantRecusals::Source))
                .col(text(GrantRecusals::Reason).default(""))
                .col(ts(GrantRecusals::DeclaredAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(GrantRecusals::Table, GrantRecusals::MemberId)
                        .to(GrantCommissionMembers::Table, GrantCommissionMembers::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(GrantRecusals::Table, GrantRecusals::OfferId)
                        .to(GrantOffers::Table, GrantOffers::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_grant_recusals_member_offer")
                .table(GrantRecusals::Table)
                .col(GrantRecusals::MemberId)
                .col(GrantRecusals::OfferId)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(GrantScoreCards::Table)
                .col(big_pk_auto(GrantScoreCards::Id))
                .col(big_integer(GrantScoreCards::MemberId))
                .col(big_integer(GrantScoreCards::OfferId))
                .col(text(GrantScoreCards::Points))
                .col(text(GrantScoreCards::Comments))
                .col(ts_null(GrantScoreCards::SubmittedAt))
                .col(integer(GrantScoreCards::Version).default(0))
                .col(ts(GrantScoreCards::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(GrantScoreCards::Table, GrantScoreCards::MemberId)
                        .to(GrantCommissionMembers::Table, GrantCommissionMembers::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(GrantScoreCards::Table, GrantScoreCards::OfferId)
                        .to(GrantOffers::Table, GrantOffers::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_grant_score_cards_member_offer")
                .table(GrantScoreCards::Table)
                .col(GrantScoreCards::MemberId)
                .col(GrantScoreCards::OfferId)
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            GrantScoreCards::Table.into_iden(),
            GrantRecusals::Table.into_iden(),
            GrantCommissionMembers::Table.into_iden(),
            GrantNominations::Table.into_iden(),
            GrantCommissions::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
