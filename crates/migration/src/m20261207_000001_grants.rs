//! Grants I (issue 17): open calls for offers (art. 13 UDPP), offers edited together section by
//! section (annex 1 of Dz.U. 2018 poz. 2057), their frozen submitted versions with checksums,
//! attachments, and the formal check with its correction round.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum GrantCalls {
    Table,
    Id,
    Slug,
    Number,
    Title,
    SphereCode,
    TaskType,
    DescriptionMd,
    FundsAvailable,
    GrantRulesMd,
    ExecutionFrom,
    ExecutionTo,
    ExecutionConditionsMd,
    OffersFrom,
    OfferDeadline,
    SelectionProcedureMd,
    SelectionDate,
    PriorFunding,
    Criteria,
    FormalChecklist,
    MaxGrant,
    MinOwnBp,
    OwnKinds,
    FeesAllowed,
    AdminCapBp,
    MaxYears,
    JointAllowed,
    IndicatorsRequired,
    RequiredAttachments,
    CorrectionDays,
    FormVersion,
    ContactName,
    ContactEmail,
    Status,
    AnnouncedAt,
    EventId,
    ClonedFrom,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum GrantOffers {
    Table,
    Id,
    CallId,
    OrganizationId,
    Title,
    Status,
    TemplateVersion,
    CurrentVersion,
    Checksum,
    SubmittedAt,
    WithdrawnAt,
    RequestedGrant,
    TotalCost,
    CorrectionDeadline,
    CorrectionSections,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum GrantOfferSections {
    Table,
    Id,
    OfferId,
    Section,
    Data,
    Version,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum GrantOfferVersions {
    Table,
    Id,
    OfferId,
    Version,
    Content,
    Checksum,
    ShortCode,
    SubmittedAt,
    SubmittedBy,
    PdfKey,
}

#[derive(DeriveIden)]
enum GrantOfferFiles {
    Table,
    Id,
    OfferId,
    Attachment,
    FileKey,
    FileName,
    Size,
    Sha256,
    UploadedBy,
    UploadedAt,
}

#[derive(DeriveIden)]
enum GrantFormalChecks {
    Table,
    Id,
    OfferId,
    Round,
    Result,
    Checklist,
    Deficiencies,
    Sections,
    Deadline,
    CheckedBy,
    CheckedAt,
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
                .table(GrantCalls::Table)
                .col(big_pk_auto(GrantCalls::Id))
                .col(string_uniq(GrantCalls::Slug))
                .col(string(GrantCalls::Number))
                .col(string(GrantCalls::Title))
                .col(string(GrantCalls::SphereCode))
                .col(text(GrantCalls::TaskType))
                .col(text(GrantCalls::DescriptionMd))
                .col(big_integer(GrantCalls::FundsAvailable))
                .col(text(GrantCalls::GrantRulesMd))
                .col(date(GrantCalls::ExecutionFrom))
                .col(date(GrantCalls::ExecutionTo))
                .col(text(GrantCalls::ExecutionConditionsMd))
                .col(ts_null(GrantCalls::OffersFrom))
                .col(ts(GrantCalls::OfferDeadline))
                .col(text(GrantCalls::SelectionProcedureMd))
                .col(date(GrantCalls::SelectionDate))
                .col(text(GrantCalls::PriorFunding))
                .col(text(GrantCalls::Criteria))
                .col(text(GrantCalls::FormalChecklist))
                .col(big_integer_null(GrantCalls::MaxGrant))
                .col(integer(GrantCalls::MinOwnBp))
                .col(string(GrantCalls::OwnKinds))
                .col(boolean(GrantCalls::FeesAllowed))
                .col(integer_null(GrantCalls::AdminCapBp))
                .col(integer(GrantCalls::MaxYears))
                .col(boolean(GrantCalls::JointAllowed))
                .col(boolean(GrantCalls::IndicatorsRequired))
                .col(text(GrantCalls::RequiredAttachments))
                .col(integer(GrantCalls::CorrectionDays))
                .col(string(GrantCalls::FormVersion))
                .col(string(GrantCalls::ContactName))
                .col(string(GrantCalls::ContactEmail))
                .col(string(GrantCalls::Status))
                .col(ts_null(GrantCalls::AnnouncedAt))
                .col(big_integer_null(GrantCalls::EventId))
                .col(big_integer_null(GrantCalls::ClonedFrom))
                .col(big_integer_null(GrantCalls::CreatedBy))
                .col(ts(GrantCalls::CreatedAt))
                .col(ts(GrantCalls::UpdatedAt))
                .col(integer(GrantCalls::Version).default(0))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_grant_calls_status_deadline")
                .table(GrantCalls::Table)
                .col(GrantCalls::Status)
                .col(GrantCalls::OfferDeadline)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(GrantOffers::Table)
                .col(big_pk_auto(GrantOffers::Id))
                .col(big_integer(GrantOffers::CallId))
                .col(big_integer(GrantOffers::OrganizationId))
                .col(string(GrantOffers::Title))
                .col(string(GrantOffers::Status))
                .col(string(GrantOffers::TemplateVersion))
                .col(integer(GrantOffers::CurrentVersion).default(0))
                .col(string_null(GrantOffers::Checksum))
                .col(ts_null(GrantOffers::SubmittedAt))
                .col(ts_null(GrantOffers::WithdrawnAt))
                .col(big_integer(GrantOffers::RequestedGrant).default(0))
                .col(big_integer(GrantOffers::TotalCost).default(0))
                .col(ts_null(GrantOffers::CorrectionDeadline))
                .col(string(GrantOffers::CorrectionSections).default(""))
                .col(big_integer_null(GrantOffers::CreatedBy))
                .col(ts(GrantOffers::CreatedAt))
                .col(ts(GrantOffers::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(GrantOffers::Table, GrantOffers::CallId)
                        .to(GrantCalls::Table, GrantCalls::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(GrantOffers::Table, GrantOffers::OrganizationId)
                        .to(Organizations::Table, Organizations::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_grant_offers_call")
                .table(GrantOffers::Table)
                .col(GrantOffers::CallId)
                .col(GrantOffers::Status)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_grant_offers_org")
                .table(GrantOffers::Table)
                .col(GrantOffers::OrganizationId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(GrantOfferSections::Table)
                .col(big_pk_auto(GrantOfferSections::Id))
                .col(big_integer(GrantOfferSections::OfferId))
                .col(string(GrantOfferSections::Section))
                .col(text(GrantOfferSections::Data))
                .col(integer(GrantOfferSections::Version))
                .col(big_integer_null(GrantOfferSections::UpdatedBy))
                .col(ts(GrantOfferSections::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(GrantOfferSections::Table, GrantOfferSections::OfferId)
                        .to(GrantOffers::Table, GrantOffers::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_grant_offer_sections")
                .table(GrantOfferSections::Table)
                .col(GrantOfferSections::OfferId)
                .col(GrantOfferSections::Section)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(GrantOfferVersions::Table)
                .col(big_pk_auto(GrantOfferVersions::Id))
                .col(big_integer(GrantOfferVersions::OfferId))
                .col(integer(GrantOfferVersions::Version))
                .col(text(GrantOfferVersions::Content))
                .col(string(GrantOfferVersions::Checksum))
                .col(string(GrantOfferVersions::ShortCode))
                .col(ts(GrantOfferVersions::SubmittedAt))
                .col(big_integer_null(GrantOfferVersions::SubmittedBy))
                .col(string_null(GrantOfferVersions::PdfKey))
                .foreign_key(
                    ForeignKey::create()
                        .from(GrantOfferVersions::Table, GrantOfferVersions::OfferId)
                        .to(GrantOffers::Table, GrantOffers::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_grant_offer_versions")
                .table(GrantOfferVersions::Table)
                .col(GrantOfferVersions::OfferId)
                .col(GrantOfferVersions::Version)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_grant_offer_versions_checksum")
                .table(GrantOfferVersions::Table)
                .col(GrantOfferVersions::Checksum)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_grant_offer_versions_short")
                .table(GrantOfferVersions::Table)
                .col(GrantOfferVersions::ShortCode)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(GrantOfferFiles::Table)
                .col(big_pk_auto(GrantOfferFiles::Id))
                .col(big_integer(GrantOfferFiles::OfferId))
                .col(string(GrantOfferFiles::Attachment))
                .col(string(GrantOfferFiles::FileKey))
                .col(string(GrantOfferFiles::FileName))
                .col(big_integer(GrantOfferFiles::Size))
                .col(string(GrantOfferFiles::Sha256))
                .col(big_integer_null(GrantOfferFiles::UploadedBy))
                .col(ts(GrantOfferFiles::UploadedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(GrantOfferFiles::Table, GrantOfferFiles::OfferId)
                        .to(GrantOffers::Table, GrantOffers::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_grant_offer_files_offer")
                .table(GrantOfferFiles::Table)
                .col(GrantOfferFiles::OfferId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(GrantFormalChecks::Table)
                .col(big_pk_auto(GrantFormalChecks::Id))
                .col(big_integer(GrantFormalChecks::OfferId))
                .col(integer(GrantFormalChecks::Round))
                .col(string(GrantFormalChecks::Result))
                .col(text(GrantFormalChecks::Checklist))
                .col(text(GrantFormalChecks::Deficiencies))
                .col(string(GrantFormalChecks::Sections))
                .col(ts_null(GrantFormalChecks::Deadline))
                .col(big_integer_null(GrantFormalChecks::CheckedBy))
                .col(ts(GrantFormalChecks::CheckedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(GrantFormalChecks::Table, GrantFormalChecks::OfferId)
                        .to(GrantOffers::Table, GrantOffers::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_grant_formal_checks")
                .table(GrantFormalChecks::Table)
                .col(GrantFormalChecks::OfferId)
                .col(GrantFormalChecks::Round)
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            GrantFormalChecks::Table.into_iden(),
            GrantOfferFiles::Table.into_iden(),
            GrantOfferVersions::Table.into_iden(),
            GrantOfferSections::Table.into_iden(),
            GrantOffers::Table.into_iden(),
            GrantCalls::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
