//! Grants III (issue 19, items 1–2): the contract made from a granted offer (art. 16 UDPP), its
//! tranches, and the model contract officials edit (versioned).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum GrantOffers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum GrantContractTemplates {
    Table,
    Id,
    Version,
    BodyMd,
    Note,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum GrantContracts {
    Table,
    Id,
    OfferId,
    CallId,
    OrganizationId,
    Number,
    Kind,
    TaskFrom,
    TaskTo,
    GrantFrom,
    GrantTo,
    OtherFrom,
    OtherTo,
    Amount,
    OwnFinancial,
    Personal,
    InKind,
    BankAccount,
    ToleranceBp,
    Reporting,
    TemplateVersion,
    Status,
    SentAt,
    SignedAt,
    SignedHow,
    Note,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum GrantTranches {
    Table,
    Id,
    ContractId,
    N,
    DueOn,
    Amount,
    PaidOn,
    PaidBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(GrantContractTemplates::Table)
                .col(big_pk_auto(GrantContractTemplates::Id))
                .col(integer(GrantContractTemplates::Version))
                .col(text(GrantContractTemplates::BodyMd))
                .col(text(GrantContractTemplates::Note).default(""))
                .col(big_integer_null(GrantContractTemplates::CreatedBy))
                .col(timestamp_with_time_zone(GrantContractTemplates::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_grant_contract_templates_version")
                .table(GrantContractTemplates::Table)
                .col(GrantContractTemplates::Version)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(GrantContracts::Table)
                .col(big_pk_auto(GrantContracts::Id))
                .col(big_integer(GrantContracts::OfferId))
                .col(big_integer(GrantContracts::CallId))
                .col(big_integer(GrantContracts::OrganizationId))
                .col(string(GrantContracts::Number))
                .col(string(GrantContracts::Kind))
                .col(date(GrantContracts::TaskFrom))
                .col(date(GrantContracts::TaskTo))
                .col(date(GrantContracts::GrantFrom))
                .col(date(GrantContracts::GrantTo))
                .col(date(GrantContracts::OtherFrom))
                .col(date(GrantContracts::OtherTo))
                .col(big_integer(GrantContracts::Amount))
                .col(big_integer(GrantContracts::OwnFinancial))
                .col(big_integer(GrantContracts::Personal))
                .col(big_integer(GrantContracts::InKind))
                .col(string(GrantContracts::BankAccount))
                .col(integer(GrantContracts::ToleranceBp))
                .col(text(GrantContracts::Reporting))
                .col(integer(GrantContracts::TemplateVersion))
                .col(string(GrantContracts::Status))
                .col(timestamp_with_time_zone_null(GrantContracts::SentAt))
                .col(timestamp_with_time_zone_null(GrantContracts::SignedAt))
                .col(string(GrantContracts::SignedHow).default(""))
                .col(text(GrantContracts::Note).default(""))
                .col(big_integer_null(GrantContracts::CreatedBy))
                .col(timestamp_with_time_zone(GrantContracts::CreatedAt))
                .col(timestamp_with_time_zone(GrantContracts::UpdatedAt))
                .col(integer(GrantContracts::Version).default(0))
                .foreign_key(
                    ForeignKey::create()
                        .from(GrantContracts::Table, GrantContracts::OfferId)
                        .to(GrantOffers::Table, GrantOffers::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_grant_contracts_offer")
                .table(GrantContracts::Table)
                .col(GrantContracts::OfferId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(GrantTranches::Table)
                .col(big_pk_auto(GrantTranches::Id))
                .col(big_integer(GrantTranches::ContractId))
                .col(integer(GrantTranches::N))
                .col(date(GrantTranches::DueOn))
                .col(big_integer(GrantTranches::Amount))
                .col(date_null(GrantTranches::PaidOn))
                .col(big_integer_null(GrantTranches::PaidBy))
                .foreign_key(
                    ForeignKey::create()
                        .from(GrantTranches::Table, GrantTranches::ContractId)
                        .to(GrantContracts::Table, GrantContracts::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_grant_tranches_contract_n")
                .table(GrantTranches::Table)
                .col(GrantTranches::ContractId)
                .col(GrantTranches::N)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(GrantTranches::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(GrantContracts::Table).to_owned())
            .await?;
        m.drop_table(
            Table::drop()
                .table(GrantContractTemplates::Table)
                .to_owned(),
        )
        .await
    }
}
