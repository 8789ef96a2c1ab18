//! The content version (issue 15): one row whose `version` moves whenever a table that public
//! pages read changes. The triggers that move it are installed at start from the areas'
//! manifests (`Area.public_tables`, `wspolnie_platform::content::watch`), so this migration only
//! creates the row.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ContentVersion {
    Table,
    Id,
    Version,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ContentVersion::Table)
                .col(big_integer(ContentVersion::Id).primary_key())
                .col(big_integer(ContentVersion::Version).default(0))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table(ContentVersion::Table)
                .columns([ContentVersion::Id, ContentVersion::Version])
                .values_panic([1.into(), 0.into()])
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
