//! Sessions stored in the database (they survive restarts and work across instances), single-use
//! tokens for e-mail verification, password reset and invitations, and throttling buckets.
//!
//! Secrets given to browsers or e-mails are random 256-bit values; only their SHA-256 is stored,
//! so a copy of the database does not let anyone sign in or use a link.

use crate::entity::session;
use crate::entity::throttle;
use crate::entity::user;
use crate::entity::user_token;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use sha2::{Digest, Sha256};

pub const SESSION_DAYS: i64 = 14;

pub fn random_token() -> String {
    let mut buf = [0u8; 32];
    rand::rng().fill_bytes(&mut buf);
    hex::encode(buf)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Starts a session; returns the cookie value.
pub async fn create_session<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    ip: &str,
    user_agent: &str,
    mfa_passed: bool,
) -> Result<String, DbErr> {
    let token = random_token();
    let now = Utc::now();
    let row = session::ActiveModel {
        id: Set(hash_token(&token)),
        user_id: Set(user_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + Duration::days(SESSION_DAYS)),
        ip: Set(ip.chars().take(64).collect()),
        user_agent: Set(user_agent.chars().take(200).collect()),
        mfa_passed: Set(mfa_passed),
    };
    session::Entity::insert(row)
        .exec_without_returning(db)
        .await?;
    Ok(token)
}

/// The live session and its (not deleted) user for a cookie value.
pub async fn find_session<C: ConnectionTrait>(
    db: &C,
    token: &str,
) -> Result<Option<(session::Model, user::Model)>, DbErr> {
    if token.len() != 64 {
        return Ok(None);
    }
    let now = Utc::now();
    let Some(s) = session::Entity::find_by_id(hash_token(token))
        .filter(session::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(u) = user::Entity::find_by_id(s.user_id)
        .filter(user::Column::DeletedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if now - s.last_seen_at > Duration::minutes(5) {
        // Sliding expiry, written at most every few minutes per session.
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, now.into())
            .col_expr(
                session::Column::ExpiresAt,
                (now + Duration::days(SESSION_DAYS)).into(),
            )
            .filter(session::Column::Id.eq(s.id.clone()))
            .exec(db)
            .await?;
    }
    Ok(Some((s, u)))
}

/// Finishes a sign-in after the second factor: the session waiting for it (`pending_id`, the
/// stored hash) ends and a new one, with a new id, takes its place; returns the new cookie value.
/// The id a browser carried before the second factor is worth nothing afterwards (no session
/// fixation). `None` when the waiting session is gone (ended, or finished by a concurrent
/// request).
pub async fn finish_mfa<C: ConnectionTrait>(
    db: &C,
    pending_id: &str,
    user_id: i64,
) -> Result<Option<String>, DbErr> {
    let Some(old) = session::Entity::find_by_id(pending_id.to_owned())
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::MfaPassed.eq(false))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let gone = session::Entity::delete_many()
        .filter(session::Column::Id.eq(pending_id))
        .filter(session::Column::MfaPassed.eq(false))
        .exec(db)
        .await?;
    if gone.rows_affected != 1 {
        return Ok(None);
    }
    create_session(db, user_id, &old.ip, &old.user_agent, true)
        .await
        .map(Some)
}

/// Ends the session a cookie value names, whoever it belongs to (the cookie is the proof);
/// says whether there was one.
pub async fn end_session<C: ConnectionTrait>(db: &C, token: &str) -> Result<bool, DbErr> {
    let res = session::Entity::delete_many()
        .filter(session::Column::Id.eq(hash_token(token)))
        .exec(db)
        .await?;
    Ok(res.rows_affected > 0)
}

pub async fn user_sessions<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
) -> Result<Vec<session::Model>, DbErr> {
    session::Entity::find()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::ExpiresAt.gt(Utc::now()))
        .order_by_desc(session::Column::LastSeenAt)
        .all(db)
        .await
}

/// Ends one session of a user (a user can only end their own).
pub async fn revoke_session<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    session_id: &str,
) -> Result<bool, DbErr> {
    let res = session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::Id.eq(session_id))
        .exec(db)
        .await?;
    Ok(res.rows_affected > 0)
}

/// Ends every session of a user except `keep` (after a password change or reset).
pub async fn revoke_other_sessions<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    keep: Option<&str>,
) -> Result<u64, DbErr> {
    let mut q = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
    if let Some(k) = keep {
        q = q.filter(session::Column::Id.ne(k));
    }
    Ok(q.exec(db).await?.rows_affected)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    VerifyEmail,
    ResetPassword,
    ChangeEmail,
    Invitation,
    ConfirmOrganization,
    NewsletterConfirm,
}

impl TokenPurpose {
    pub fn code(self) -> &'static str {
        match self {
            TokenPurpose::VerifyEmail => "verify_email",
            TokenPurpose::ResetPassword => "reset_password",
            TokenPurpose::ChangeEmail => "change_email",
            TokenPurpose::Invitation => "invitation",
            TokenPurpose::ConfirmOrganization => "confirm_organization",
            TokenPurpose::NewsletterConfirm => "newsletter_confirm",
        }
    }
}

/// Issues a single-use token; returns the raw value to put in a link.
pub async fn issue_token<C: ConnectionTrait>(
    db: &C,
    purpose: TokenPurpose,
    user_id: Option<i64>,
    email: &str,
    data: serde_json::Value,
    ttl: Duration,
) -> Result<String, DbErr> {
    let token = random_token();
    let now = Utc::now();
    let row = user_token::ActiveModel {
        user_id: Set(user_id),
        purpose: Set(purpose.code().into()),
        token_hash: Set(hash_token(&token)),
        email: Set(email.to_owned()),
        data: Set(data.to_string()),
        expires_at: Set(now + ttl),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    };
    user_token::Entity::insert(row)
        .exec_without_returning(db)
        .await?;
    Ok(token)
}

/// A token that is valid now (not used, not expired), without using it up.
pub async fn peek_token<C: ConnectionTrait>(
    db: &C,
    purpose: TokenPurpose,
    raw: &str,
) -> Result<Option<user_token::Model>, DbErr> {
    user_token::Entity::find()
        .filter(user_token::Column::TokenHash.eq(hash_token(raw)))
        .filter(user_token::Column::Purpose.eq(purpose.code()))
        .filter(user_token::Column::UsedAt.is_null())
        .filter(user_token::Column::ExpiresAt.gt(Utc::now()))
        .one(db)
        .await
}

/// Uses a token up. Exactly one of two concurrent callers gets it (a conditional UPDATE).
pub async fn consume_token<C: ConnectionTrait>(
    db: &C,
    purpose: TokenPurpose,
    raw: &str,
) -> Result<Option<user_token::Model>, DbErr> {
    let now = Utc::now();
    let hash = hash_token(raw);
    let res = user_token::Entity::update_many()
        .col_expr(user_token::Column::UsedAt, Some(now).into())
        .filter(user_token::Column::TokenHash.eq(hash.clone()))
        .filter(user_token::Column::Purpose.eq(purpose.code()))
        .filter(user_token::Column::UsedAt.is_null())
        .filter(user_token::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Ok(None);
    }
    user_token::Entity::find()
        .filter(user_token::Column::TokenHash.eq(hash))
        .one(db)
        .await
}

/// Uses up every outstanding token of `purpose` of an account (after a password reset or change,
/// no other reset link may still work).
pub async fn use_up_tokens<C: ConnectionTrait>(
    db: &C,
    purpose: TokenPurpose,
    user_id: i64,
) -> Result<u64, DbErr> {
    let res = user_token::Entity::update_many()
        .col_expr(user_token::Column::UsedAt, Some(Utc::now()).into())
        .filter(user_token::Column::UserId.eq(user_id))
        .filter(user_token::Column::Purpose.eq(purpose.code()))
        .filter(user_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// Counts a hit in `bucket` and says whether it is within `limit` hits per `window`. Buckets live
/// in the database, so the limit holds across instances.
pub async fn throttle_hit(
    db: &sea_orm::DatabaseConnection,
    bucket: &str,
    limit: u64,
    window: Duration,
) -> Result<bool, DbErr> {
    // Count and insert in one write transaction, so concurrent requests cannot all see room
    // under the limit (SQLite: BEGIN IMMEDIATE serialises them; PostgreSQL: a transaction-scoped
    // advisory lock on the bucket).
    let txn = crate::db::begin_write(db).await?;
    if txn.get_database_backend() == sea_orm::DbBackend::Postgres {
        txn.execute_raw(sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock(hashtext($1))",
            [bucket.into()],
        ))
        .await?;
    }
    let now = Utc::now();
    let recent = throttle::Entity::find()
        .filter(throttle::Column::Bucket.eq(bucket))
        .filter(throttle::Column::At.gt(now - window))
        .count(&txn)
        .await?;
    if recent >= limit {
        txn.rollback().await?;
        return Ok(false);
    }
    throttle::Entity::insert(throttle::ActiveModel {
        bucket: Set(bucket.to_owned()),
        at: Set(now),
        ..Default::default()
    })
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// Records one event (a failed sign-in) in `bucket`; returns the row's id.
pub async fn throttle_note<C: ConnectionTrait>(db: &C, bucket: &str) -> Result<i64, DbErr> {
    Ok(throttle::Entity::insert(throttle::ActiveModel {
        bucket: Set(bucket.to_owned()),
        at: Set(Utc::now()),
        ..Default::default()
    })
    .exec(db)
    .await?
    .last_insert_id)
}

/// Removes one recorded event (an attempt that turned out not to be a failure).
pub async fn throttle_forget<C: ConnectionTrait>(db: &C, id: i64) -> Result<(), DbErr> {
    throttle::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// The events of `bucket` within `window`, leaving out row `except`: how many, and the latest.
pub async fn throttle_recent<C: ConnectionTrait>(
    db: &C,
    bucket: &str,
    window: Duration,
    except: i64,
) -> Result<(u64, Option<DateTime<Utc>>), DbErr> {
    let rows = throttle::Entity::find()
        .filter(throttle::Column::Bucket.eq(bucket))
        .filter(throttle::Column::At.gt(Utc::now() - window))
        .filter(throttle::Column::Id.ne(except))
        .order_by_desc(throttle::Column::At)
        .all(db)
        .await?;
    Ok((rows.len() as u64, rows.first().map(|r| r.at)))
}

/// How long sign-in stays refused after `failures` failed attempts of one account from one
/// address: nothing for the first `free`, then `base` doubling with every further failure, at most
/// `cap`. Counted from the latest failure.
pub fn backoff(failures: u64, free: u64, base: Duration, cap: Duration) -> Duration {
    if failures < free {
        return Duration::zero();
    }
    let doublings = (failures - free).min(20) as u32;
    let secs = base.num_seconds().saturating_mul(1i64 << doublings);
    Duration::seconds(secs).min(cap)
}

/// Forgets the hits of a bucket (after a successful sign-in).
pub async fn throttle_clear<C: ConnectionTrait>(db: &C, bucket: &str) -> Result<(), DbErr> {
    throttle::Entity::delete_many()
        .filter(throttle::Column::Bucket.eq(bucket))
        .exec(db)
        .await?;
    Ok(())
}

/// Housekeeping: expired sessions, tokens and old throttle rows.
pub async fn purge_expired<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let a = session::Entity::delete_many()
        .filter(session::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?
        .rows_affected;
    let b = user_token::Entity::delete_many()
        .filter(user_token::Column::ExpiresAt.lt(now - Duration::days(30)))
        .exec(db)
        .await?
        .rows_affected;
    let c = throttle::Entity::delete_many()
        .filter(throttle::Column::At.lt(now - Duration::days(1)))
        .exec(db)
        .await?
        .rows_affected;
    Ok(a + b + c)
}

/// The office roles of a user as (role, scope) pairs.
pub async fn roles<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
) -> Result<Vec<(String, String)>, DbErr> {
    Ok(crate::entity::role_grant::Entity::find()
        .filter(crate::entity::role_grant::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.role, g.scope))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_free_attempts_up_to_the_cap() {
        let base = Duration::seconds(30);
        let cap = Duration::minutes(15);
        assert_eq!(backoff(0, 5, base, cap), Duration::zero());
        assert_eq!(backoff(4, 5, base, cap), Duration::zero());
        assert_eq!(backoff(5, 5, base, cap), Duration::seconds(30));
        assert_eq!(backoff(6, 5, base, cap), Duration::seconds(60));
        assert_eq!(backoff(9, 5, base, cap), Duration::seconds(480));
        assert_eq!(backoff(10, 5, base, cap), cap);
        assert_eq!(backoff(u64::MAX, 5, base, cap), cap);
    }
}
