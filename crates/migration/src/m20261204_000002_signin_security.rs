//! Sign-in security (issue 14): `users.totp_last_step` remembers the last TOTP time step
//! accepted for the account, so a code cannot be used twice within its validity window. Throttle
//! rows keyed by a raw e-mail address (`signin:acct:…`, `reset:acct:…`) are removed: buckets now
//! carry a keyed hash of the address instead.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    TotpLastStep,
}

#[derive(DeriveIden)]
enum Throttle {
    Table,
    Bucket,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .add_column(big_integer_null(Users::TotpLastStep))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::delete()
                .from_table(Throttle::Table)
                .cond_where(
                    Condition::any()
                        .add(Expr::col(Throttle::Bucket).like("signin:acct:%"))
                        .add(Expr::col(Throttle::Bucket).like("reset:acct:%")),
                )
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
