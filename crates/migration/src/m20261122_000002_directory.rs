//! Directory: a Polish sort key for organisation names and the target groups (grupy docelowe)
//! used by filters and profiles.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
    NameSort,
    Status,
}

#[derive(DeriveIden)]
enum TargetGroups {
    Table,
    Id,
    Code,
    NamePl,
    NameEn,
    Position,
}

#[derive(DeriveIden)]
enum OrganizationTargetGroups {
    Table,
    OrganizationId,
    TargetGroupId,
}

const GROUPS: &[(&str, &str, &str)] = &[
    ("dzieci", "Dzieci", "Children"),
    ("mlodziez", "Młodzież", "Young people"),
    ("seniorzy", "Seniorzy", "Older people"),
    (
        "niepelnosprawni",
        "Osoby z niepełnosprawnościami",
        "People with disabilities",
    ),
    ("rodziny", "Rodziny", "Families"),
    ("kobiety", "Kobiety", "Women"),
    ("cudzoziemcy", "Cudzoziemcy", "Foreigners"),
    ("bezrobotni", "Osoby bezrobotne", "Unemployed people"),
    (
        "wykluczeni",
        "Osoby zagrożone wykluczeniem",
        "People at risk of exclusion",
    ),
    ("mieszkancy", "Wszyscy mieszkańcy", "All residents"),
    ("organizacje", "Organizacje pozarządowe", "NGOs"),
    ("zwierzeta", "Zwierzęta", "Animals"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Organizations::Table)
                .add_column(string(Organizations::NameSort).default(""))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_organizations_status_sort")
                .table(Organizations::Table)
                .col(Organizations::Status)
                .col(Organizations::NameSort)
                .to_owned(),
        )
        .await?;
        // Existing rows get their key now; the application keeps it current afterwards.
        let db = m.get_connection();
        let backend = db.get_database_backend();
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, name FROM organizations",
            ))
            .await?;
        for r in rows {
            let id: i64 = r.try_get("", "id")?;
            let name: String = r.try_get("", "name")?;
            let mut q = Query::update();
            q.table(Organizations::Table)
                .value(
                    Organizations::NameSort,
                    wspolnie_core::text::pl_sort_key(&name),
                )
                .and_where(Expr::col(Organizations::Id).eq(id));
            m.exec_stmt(q).await?;
        }

        m.create_table(
            Table::create()
                .table(TargetGroups::Table)
                .col(big_pk_auto(TargetGroups::Id))
                .col(string_uniq(TargetGroups::Code))
                .col(string(TargetGroups::NamePl))
                .col(string(TargetGroups::NameEn))
                .col(integer(TargetGroups::Position))
                .to_owned(),
        )
        .await?;
        let mut insert = Query::insert();
        insert.into_table(TargetGroups::Table).columns([
            TargetGroups::Code,
            TargetGroups::NamePl,
            TargetGroups::NameEn,
            TargetGroups::Position,
        ]);
        for (i, (code, pl, en)) in GROUPS.iter().enumerate() {
            insert.values_panic([
                (*code).into(),
                (*pl).into(),
                (*en).into(),
                (i as i32).into(),
            ]);
        }
        m.exec_stmt(insert).await?;

        m.create_table(
            Table::create()
                .table(OrganizationTargetGroups::Table)
                .col(big_integer(OrganizationTargetGroups::OrganizationId))
                .col(big_integer(OrganizationTargetGroups::TargetGroupId))
                .primary_key(
                    Index::create()
                        .col(OrganizationTargetGroups::OrganizationId)
                        .col(OrganizationTargetGroups::TargetGroupId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(
                            OrganizationTargetGroups::Table,
                            OrganizationTargetGroups::OrganizationId,
                        )
                        .to(Organizations::Table, Organizations::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(
                            OrganizationTargetGroups::Table,
                            OrganizationTargetGroups::TargetGroupId,
                        )
                        .to(TargetGroups::Table, TargetGroups::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_org_target_groups_group")
                .table(OrganizationTargetGroups::Table)
                .col(OrganizationTargetGroups::TargetGroupId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
