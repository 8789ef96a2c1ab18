//! Accounts: database sessions, single-use tokens (verification, reset, invitations), throttling
//! buckets, organisation membership, TOTP for staff, consents and the audit log.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    TotpSecret,
    TotpEnabledAt,
    RecoveryCodes,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    Ip,
    UserAgent,
    MfaPassed,
}

#[derive(DeriveIden)]
enum UserTokens {
    Table,
    Id,
    UserId,
    Purpose,
    TokenHash,
    Email,
    Data,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Throttle {
    Table,
    Id,
    Bucket,
    At,
}

#[derive(DeriveIden)]
enum OrganizationMembers {
    Table,
    OrganizationId,
    UserId,
    Role,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Consents {
    Table,
    Id,
    UserId,
    Email,
    Purpose,
    TextVersion,
    GivenAt,
    WithdrawnAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    ActorUserId,
    ActorLabel,
    Action,
    EntityType,
    EntityId,
    Before,
    After,
    Ip,
    CreatedAt,
}

fn ts<T: IntoIden>(c: T) -> ColumnDef {
    timestamp_with_time_zone(c)
}
fn ts_null<T: IntoIden>(c: T) -> ColumnDef {
    timestamp_with_time_zone_null(c)
}

fn user_fk<T: IntoIden + 'static>(
    table: T,
    col: T,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(Users::Table, Users::Id)
        .on_delete(on_delete)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            text_null(Users::TotpSecret),
            ts_null(Users::TotpEnabledAt),
            text_null(Users::RecoveryCodes),
        ] {
            let mut col = col;
            m.alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(&mut col)
                    .to_owned(),
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(string(Sessions::Id).primary_key())
                .col(big_integer(Sessions::UserId))
                .col(ts(Sessions::CreatedAt))
                .col(ts(Sessions::LastSeenAt))
                .col(ts(Sessions::ExpiresAt))
                .col(string(Sessions::Ip))
                .col(string(Sessions::UserAgent))
                .col(boolean(Sessions::MfaPassed))
                .foreign_key(&mut user_fk(
                    Sessions::Table,
                    Sessions::UserId,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_sessions_user")
                .table(Sessions::Table)
                .col(Sessions::UserId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(UserTokens::Table)
                .col(big_pk_auto(UserTokens::Id))
                .col(big_integer_null(UserTokens::UserId))
                .col(string(UserTokens::Purpose))
                .col(string_uniq(UserTokens::TokenHash))
                .col(string(UserTokens::Email))
                .col(text(UserTokens::Data))
                .col(ts(UserTokens::ExpiresAt))
                .col(ts_null(UserTokens::UsedAt))
                .col(ts(UserTokens::CreatedAt))
                .foreign_key(&mut user_fk(
                    UserTokens::Table,
                    UserTokens::UserId,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Throttle::Table)
                .col(big_pk_auto(Throttle::Id))
                .col(string(Throttle::Bucket))
                .col(ts(Throttle::At))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_throttle_bucket_at")
                .table(Throttle::Table)
                .col(Throttle::Bucket)
                .col(Throttle::At)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(OrganizationMembers::Table)
                .col(big_integer(OrganizationMembers::OrganizationId))
                .col(big_integer(OrganizationMembers::UserId))
                .col(string(OrganizationMembers::Role))
                .col(ts(OrganizationMembers::CreatedAt))
                .primary_key(
                    Index::create()
                        .col(OrganizationMembers::OrganizationId)
                        .col(OrganizationMembers::UserId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(
                            OrganizationMembers::Table,
                            OrganizationMembers::OrganizationId,
                        )
                        .to(Organizations::Table, Organizations::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(&mut user_fk(
                    OrganizationMembers::Table,
                    OrganizationMembers::UserId,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_org_members_user")
                .table(OrganizationMembers::Table)
                .col(OrganizationMembers::UserId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Consents::Table)
                .col(big_pk_auto(Consents::Id))
                .col(big_integer_null(Consents::UserId))
                .col(string(Consents::Email))
                .col(string(Consents::Purpose))
                .col(string(Consents::TextVersion))
                .col(ts(Consents::GivenAt))
                .col(ts_null(Consents::WithdrawnAt))
                .foreign_key(&mut user_fk(
                    Consents::Table,
                    Consents::UserId,
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .col(big_pk_auto(AuditLog::Id))
                .col(big_integer_null(AuditLog::ActorUserId))
                .col(string(AuditLog::ActorLabel))
                .col(string(AuditLog::Action))
                .col(string(AuditLog::EntityType))
                .col(string(AuditLog::EntityId))
                .col(text(AuditLog::Before))
                .col(text(AuditLog::After))
                .col(string(AuditLog::Ip))
                .col(ts(AuditLog::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_audit_created")
                .table(AuditLog::Table)
                .col(AuditLog::CreatedAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_audit_entity")
                .table(AuditLog::Table)
                .col(AuditLog::EntityType)
                .col(AuditLog::EntityId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
