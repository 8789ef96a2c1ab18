//! Grants III (issue 19, items 1, 3, 4): the contract's cost lines (the offer's final budget with
//! the grant's part of each line, changed only by annexes), the annexes, the reports on the task
//! (partial and final, annex 5), the returns of money recorded in the settlement, and the scan of
//! a contract signed on paper.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum GrantContracts {
    Table,
    Id,
    SignedFileKey,
    SignedFileName,
}

#[derive(DeriveIden)]
enum GrantContractLines {
    Table,
    Id,
    ContractId,
    N,
    Name,
    Year,
    Value,
    GrantPart,
}

#[derive(DeriveIden)]
enum GrantReports {
    Table,
    Id,
    ContractId,
    Kind,
    N,
    PeriodTo,
    RequestedAt,
    DueOn,
    Status,
    Content,
    SubmittedAt,
    SubmittedBy,
    ReturnNote,
    CorrectionsDue,
    DecidedAt,
    DecidedBy,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum GrantAnnexes {
    Table,
    Id,
    ContractId,
    N,
    Reason,
    Changes,
    Before,
    SignedHow,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum GrantReturns {
    Table,
    Id,
    ContractId,
    Amount,
    PaidOn,
    Note,
    RecordedBy,
    CreatedAt,
}

fn to_contract<T: IntoIden + 'static>(
    table: T,
    col: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(GrantContracts::Table, GrantContracts::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The scan of the paper signed by both parties (object storage key and file name).
        for col in [
            GrantContracts::SignedFileKey,
            GrantContracts::SignedFileName,
        ] {
            m.alter_table(
                Table::alter()
                    .table(GrantContracts::Table)
                    .add_column(string_null(col))
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(GrantContractLines::Table)
                .col(big_pk_auto(GrantContractLines::Id))
                .col(big_integer(GrantContractLines::ContractId))
                .col(integer(GrantContractLines::N))
                .col(string(GrantContractLines::Name))
                .col(integer(GrantContractLines::Year))
                .col(big_integer(GrantContractLines::Value))
                .col(big_integer(GrantContractLines::GrantPart))
                .foreign_key(&mut to_contract(
                    GrantContractLines::Table,
                    GrantContractLines::ContractId,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_grant_contract_lines_n")
                .table(GrantContractLines::Table)
                .col(GrantContractLines::ContractId)
                .col(GrantContractLines::N)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(GrantReports::Table)
                .col(big_pk_auto(GrantReports::Id))
                .col(big_integer(GrantReports::ContractId))
                .col(string(GrantReports::Kind))
                .col(integer(GrantReports::N))
                .col(date_null(GrantReports::PeriodTo))
                .col(timestamp_with_time_zone_null(GrantReports::RequestedAt))
                .col(date(GrantReports::DueOn))
                .col(string(GrantReports::Status))
                .col(text(GrantReports::Content).default(""))
                .col(timestamp_with_time_zone_null(GrantReports::SubmittedAt))
                .col(big_integer_null(GrantReports::SubmittedBy))
                .col(text(GrantReports::ReturnNote).default(""))
                .col(date_null(GrantReports::CorrectionsDue))
                .col(timestamp_with_time_zone_null(GrantReports::DecidedAt))
                .col(big_integer_null(GrantReports::DecidedBy))
                .col(integer(GrantReports::Version).default(0))
                .col(timestamp_with_time_zone(GrantReports::CreatedAt))
                .col(timestamp_with_time_zone(GrantReports::UpdatedAt))
                .foreign_key(&mut to_contract(
                    GrantReports::Table,
                    GrantReports::ContractId,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_grant_reports_n")
                .table(GrantReports::Table)
                .col(GrantReports::ContractId)
                .col(GrantReports::N)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_grant_reports_due")
                .table(GrantReports::Table)
                .col(GrantReports::Status)
                .col(GrantReports::DueOn)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(GrantAnnexes::Table)
                .col(big_pk_auto(GrantAnnexes::Id))
                .col(big_integer(GrantAnnexes::ContractId))
                .col(integer(GrantAnnexes::N))
                .col(text(GrantAnnexes::Reason))
                .col(text(GrantAnnexes::Changes))
                .col(text(GrantAnnexes::Before))
                .col(string(GrantAnnexes::SignedHow))
                .col(big_integer_null(GrantAnnexes::CreatedBy))
                .col(timestamp_with_time_zone(GrantAnnexes::CreatedAt))
                .foreign_key(&mut to_contract(
                    GrantAnnexes::Table,
                    GrantAnnexes::ContractId,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_grant_annexes_n")
                .table(GrantAnnexes::Table)
                .col(GrantAnnexes::ContractId)
                .col(GrantAnnexes::N)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(GrantReturns::Table)
                .col(big_pk_auto(GrantReturns::Id))
                .col(big_integer(GrantReturns::ContractId))
                .col(big_integer(GrantReturns::Amount))
                .col(date(GrantReturns::PaidOn))
                .col(text(GrantReturns::Note).default(""))
                .col(big_integer_null(GrantReturns::RecordedBy))
                .col(timestamp_with_time_zone(GrantReturns::CreatedAt))
                .foreign_key(&mut to_contract(
                    GrantReturns::Table,
                    GrantReturns::ContractId,
                ))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            GrantReturns::Table.into_iden(),
            GrantAnnexes::Table.into_iden(),
            GrantReports::Table.into_iden(),
            GrantContractLines::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        for col in [
            GrantContracts::SignedFileKey,
            GrantContracts::SignedFileName,
        ] {
            m.alter_table(
                Table::alter()
                    .table(GrantContracts::Table)
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
