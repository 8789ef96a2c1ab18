//! Languages of content (issue 16, item 4): office contacts get their topic and job title in
//! English (`topic_en`, `role_en`; empty: the Polish text is shown, marked `lang="pl"`). The
//! English site texts need no schema: they are `settings` rows under `<key>.en`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OfficeContacts {
    Table,
    TopicEn,
    RoleEn,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one column per ALTER TABLE.
        for col in [OfficeContacts::TopicEn, OfficeContacts::RoleEn] {
            m.alter_table(
                Table::alter()
                    .table(OfficeContacts::Table)
                    .add_column(string(col).default(""))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
