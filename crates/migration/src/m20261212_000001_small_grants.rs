//! Small grants outside calls (art. 19a UDPP; issue 19, item 5): a call gets a kind (`open` for
//! an open call, `small` for the office's register of small grants of one year), each small
//! offer its publication (the day it came in, the day it must be published by, the comment
//! window, the sphere the office files it under) and the public's comments, held until an
//! official lets them through.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum GrantCalls {
    Table,
    Kind,
}

#[derive(DeriveIden)]
enum GrantOffers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum GrantSmallOffers {
    Table,
    Id,
    OfferId,
    ReceivedOn,
    PublishBy,
    SphereCode,
    PublishedOn,
    CommentsTo,
    PublishedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum GrantSmallComments {
    Table,
    Id,
    OfferId,
    AuthorName,
    AuthorEmail,
    Body,
    Status,
    CreatedAt,
    ModeratedBy,
    ModeratedAt,
}

fn to_offer<T: IntoIden + 'static>(
    table: T,
    col: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(GrantOffers::Table, GrantOffers::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(GrantCalls::Table)
                .add_column(string(GrantCalls::Kind).default("open"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(GrantSmallOffers::Table)
                .col(big_pk_auto(GrantSmallOffers::Id))
                .col(big_integer_uniq(GrantSmallOffers::OfferId))
                .col(date(GrantSmallOffers::ReceivedOn))
                .col(date(GrantSmallOffers::PublishBy))
                .col(string(GrantSmallOffers::SphereCode).default(""))
                .col(date_null(GrantSmallOffers::PublishedOn))
                .col(date_null(GrantSmallOffers::CommentsTo))
                .col(big_integer_null(GrantSmallOffers::PublishedBy))
                .col(timestamp_with_time_zone(GrantSmallOffers::CreatedAt))
                .foreign_key(&mut to_offer(
                    GrantSmallOffers::Table,
                    GrantSmallOffers::OfferId,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(GrantSmallComments::Table)
                .col(big_pk_auto(GrantSmallComments::Id))
                .col(big_integer(GrantSmallComments::OfferId))
                .col(string(GrantSmallComments::AuthorName))
                .col(string(GrantSmallComments::AuthorEmail).default(""))
                .col(text(GrantSmallComments::Body))
                .col(string(GrantSmallComments::Status))
                .col(timestamp_with_time_zone(GrantSmallComments::CreatedAt))
                .col(big_integer_null(GrantSmallComments::ModeratedBy))
                .col(timestamp_with_time_zone_null(
                    GrantSmallComments::ModeratedAt,
                ))
                .foreign_key(&mut to_offer(
                    GrantSmallComments::Table,
                    GrantSmallComments::OfferId,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_grant_small_comments_offer")
                .table(GrantSmallComments::Table)
                .col(GrantSmallComments::OfferId)
                .col(GrantSmallComments::Status)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            GrantSmallComments::Table.into_iden(),
            GrantSmallOffers::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        m.alter_table(
            Table::alter()
                .table(GrantCalls::Table)
                .drop_column(GrantCalls::Kind)
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
