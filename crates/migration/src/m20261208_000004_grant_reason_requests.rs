//! Grants II (issue 18, item 5): anyone may ask for the reasons of a call's results
//! (art. 15 ust. 2j UDPP); the office answers, and both are recorded.

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
enum GrantReasonRequests {
    Table,
    Id,
    CallId,
    OfferId,
    Name,
    Email,
    Question,
    CreatedAt,
    Answer,
    AnsweredBy,
    AnsweredAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(GrantReasonRequests::Table)
                .col(big_pk_auto(GrantReasonRequests::Id))
                .col(big_integer(GrantReasonRequests::CallId))
                .col(big_integer_null(GrantReasonRequests::OfferId))
                .col(string(GrantReasonRequests::Name))
                .col(string(GrantReasonRequests::Email))
                .col(text(GrantReasonRequests::Question))
                .col(timestamp_with_time_zone(GrantReasonRequests::CreatedAt))
                .col(text(GrantReasonRequests::Answer).default(""))
                .col(big_integer_null(GrantReasonRequests::AnsweredBy))
                .col(timestamp_with_time_zone_null(
                    GrantReasonRequests::AnsweredAt,
                ))
                .foreign_key(
                    ForeignKey::create()
                        .from(GrantReasonRequests::Table, GrantReasonRequests::CallId)
                        .to(GrantCalls::Table, GrantCalls::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_grant_reason_requests_call")
                .table(GrantReasonRequests::Table)
                .col(GrantReasonRequests::CallId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(GrantReasonRequests::Table).to_owned())
            .await
    }
}
