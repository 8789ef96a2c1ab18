//! Events fed by organisations (issue 5): category, poster with alt text, registration link,
//! price note, weekly/monthly recurrence (`rrule`, with `last_ends_at` = end of the last
//! occurrence for range queries), spheres and target groups, who created it, published version.
//! Articles gain a kind (`news` | `report`), author, cover image and version; `article_files`
//! holds photos and attachments of post-project reports.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    Category,
    PosterKey,
    PosterAlt,
    RegistrationUrl,
    PriceInfo,
    Rrule,
    LastEndsAt,
    EndsAt,
    Status,
    CreatedBy,
    Version,
    PublishedAt,
}

#[derive(DeriveIden)]
enum EventSpheres {
    Table,
    EventId,
    SphereId,
}

#[derive(DeriveIden)]
enum EventTargetGroups {
    Table,
    EventId,
    TargetGroupId,
}

#[derive(DeriveIden)]
enum Articles {
    Table,
    Id,
    Kind,
    CreatedBy,
    CoverKey,
    CoverAlt,
    Version,
}

#[derive(DeriveIden)]
enum ArticleFiles {
    Table,
    Id,
    ArticleId,
    FileKey,
    Kind,
    Title,
    Position,
}

#[derive(DeriveIden)]
enum Spheres {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum TargetGroups {
    Table,
    Id,
}

fn ts_null<T: IntoIden>(c: T) -> ColumnDef {
    timestamp_with_time_zone_null(c)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE statement.
        let columns = [
            string(Events::Category).default("inne").to_owned(),
            string_null(Events::PosterKey).to_owned(),
            string(Events::PosterAlt).default("").to_owned(),
            string_null(Events::RegistrationUrl).to_owned(),
            string(Events::PriceInfo).default("").to_owned(),
            string_null(Events::Rrule).to_owned(),
            ts_null(Events::LastEndsAt).to_owned(),
            big_integer_null(Events::CreatedBy).to_owned(),
            integer(Events::Version).default(0).to_owned(),
            ts_null(Events::PublishedAt).to_owned(),
        ];
        for mut c in columns {
            m.alter_table(
                Table::alter()
                    .table(Events::Table)
                    .add_column(&mut c)
                    .to_owned(),
            )
            .await?;
        }
        m.exec_stmt(
            Query::update()
                .table(Events::Table)
                .value(Events::LastEndsAt, Expr::col(Events::EndsAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_events_status_last_ends")
                .table(Events::Table)
                .col(Events::Status)
                .col(Events::LastEndsAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(EventSpheres::Table)
                .col(big_integer(EventSpheres::EventId))
                .col(big_integer(EventSpheres::SphereId))
                .primary_key(
                    Index::create()
                        .col(EventSpheres::EventId)
                        .col(EventSpheres::SphereId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(EventSpheres::Table, EventSpheres::EventId)
                        .to(Events::Table, Events::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(EventSpheres::Table, EventSpheres::SphereId)
                        .to(Spheres::Table, Spheres::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_event_spheres_sphere")
                .table(EventSpheres::Table)
                .col(EventSpheres::SphereId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(EventTargetGroups::Table)
                .col(big_integer(EventTargetGroups::EventId))
                .col(big_integer(EventTargetGroups::TargetGroupId))
                .primary_key(
                    Index::create()
                        .col(EventTargetGroups::EventId)
                        .col(EventTargetGroups::TargetGroupId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(EventTargetGroups::Table, EventTargetGroups::EventId)
                        .to(Events::Table, Events::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(EventTargetGroups::Table, EventTargetGroups::TargetGroupId)
                        .to(TargetGroups::Table, TargetGroups::Id),
                )
                .to_owned(),
        )
        .await?;

        let columns = [
            string(Articles::Kind).default("news").to_owned(),
            big_integer_null(Articles::CreatedBy).to_owned(),
            string_null(Articles::CoverKey).to_owned(),
            string(Articles::CoverAlt).default("").to_owned(),
            integer(Articles::Version).default(0).to_owned(),
        ];
        for mut c in columns {
            m.alter_table(
                Table::alter()
                    .table(Articles::Table)
                    .add_column(&mut c)
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(ArticleFiles::Table)
                .col(big_pk_auto(ArticleFiles::Id))
                .col(big_integer(ArticleFiles::ArticleId))
                .col(string(ArticleFiles::FileKey))
                .col(string(ArticleFiles::Kind))
                .col(string(ArticleFiles::Title))
                .col(integer(ArticleFiles::Position))
                .foreign_key(
                    ForeignKey::create()
                        .from(ArticleFiles::Table, ArticleFiles::ArticleId)
                        .to(Articles::Table, Articles::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_article_files_article")
                .table(ArticleFiles::Table)
                .col(ArticleFiles::ArticleId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
