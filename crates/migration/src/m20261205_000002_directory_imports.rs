//! CSV imports as background work (issue 15, item 4): one row per uploaded file with its
//! progress, and `organizations.import_id` marking the entries an import has staged. Staged
//! entries carry the status `importing` (never public) until the import publishes them all in
//! one short transaction; a failed or abandoned import deletes its staged entries.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DirectoryImports {
    Table,
    Id,
    Status,
    FileName,
    FileText,
    TotalRows,
    CheckedRows,
    WrittenRows,
    ErrorCount,
    Errors,
    Message,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    ImportId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(DirectoryImports::Table)
                .col(big_pk_auto(DirectoryImports::Id))
                // queued → checking → writing → done | failed (see `ImportStatus`).
                .col(string(DirectoryImports::Status))
                .col(string(DirectoryImports::FileName))
                // The uploaded file (UTF-8, at most 5 MB); emptied when the import ends.
                .col(text(DirectoryImports::FileText))
                .col(big_integer(DirectoryImports::TotalRows).default(0))
                .col(big_integer(DirectoryImports::CheckedRows).default(0))
                .col(big_integer(DirectoryImports::WrittenRows).default(0))
                .col(big_integer(DirectoryImports::ErrorCount).default(0))
                // Every error as JSON `[[line, column, message key], …]` (localised when shown).
                .col(text(DirectoryImports::Errors))
                // Why an import failed other than by errors in the file (an internal error).
                .col(text(DirectoryImports::Message))
                .col(big_integer_null(DirectoryImports::CreatedBy))
                .col(timestamp_with_time_zone(DirectoryImports::CreatedAt))
                .col(timestamp_with_time_zone(DirectoryImports::UpdatedAt))
                .col(timestamp_with_time_zone_null(DirectoryImports::FinishedAt))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Organizations::Table)
                .add_column(big_integer_null(Organizations::ImportId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_organizations_import_id")
                .table(Organizations::Table)
                .col(Organizations::ImportId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
