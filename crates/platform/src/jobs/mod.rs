//! The job outbox. A business write enqueues its jobs on the same transaction, so either both
//! commit or neither does. Workers claim one job at a time atomically (`FOR UPDATE SKIP LOCKED` on
//! PostgreSQL; SQLite serialises writers), retry with exponential backoff, and park a job as `dead`
//! after its last attempt. The worker extends the lock of a running job every few seconds (a
//! heartbeat), so a job whose worker died is taken over within `jobs.lock_seconds`; on shutdown a
//! handler that can stop half-way (a mailing) puts its job back without using an attempt. Jobs
//! that send mail retry for days (`RetryPolicy::mail`) and wake each other when the server
//! answers again.

mod worker;

pub use worker::{JobContext, JobError, JobHandler, Registry, RetryPolicy, Worker};

use crate::entity::job;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter,
    QueryResult, Statement, sea_query::OnConflict,
};
use serde::Serialize;
use tokio_util::sync::CancellationToken;

pub const PENDING: &str = "pending";
pub const RUNNING: &str = "running";
pub const DONE: &str = "done";
pub const DEAD: &str = "dead";

#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: String,
    pub payload: serde_json::Value,
    /// A second enqueue with the same key is ignored: a retried request or a re-run of a
    /// fan-out never creates a second job (and so never a second e-mail).
    pub idempotency_key: Option<String>,
    pub run_at: DateTime<Utc>,
    pub max_attempts: i32,
}

impl NewJob {
    pub fn new(kind: &str, payload: impl Serialize) -> Self {
        NewJob {
            kind: kind.to_owned(),
            payload: serde_json::to_value(payload).unwrap_or(serde_json::Value::Null),
            idempotency_key: None,
            run_at: Utc::now(),
            max_attempts: 8,
        }
    }
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }
    pub fn at(mut self, run_at: DateTime<Utc>) -> Self {
        self.run_at = run_at;
        self
    }
    pub fn attempts(mut self, max: i32) -> Self {
        self.max_attempts = max.max(1);
        self
    }
}

/// Adds a job on the given connection or transaction. Returns false when a job with the same
/// idempotency key already exists.
pub async fn enqueue<C: ConnectionTrait>(db: &C, job: NewJob) -> Result<bool, DbErr> {
    let now = Utc::now();
    let m = job::ActiveModel {
        kind: Set(job.kind),
        payload: Set(job.payload.to_string()),
        idempotency_key: Set(job.idempotency_key),
        status: Set(PENDING.into()),
        attempts: Set(0),
        max_attempts: Set(job.max_attempts),
        run_at: Set(job.run_at),
        locked_until: Set(None),
        locked_by: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        finished_at: Set(None),
        ..Default::default()
    };
    let res = job::Entity::insert(m)
        .on_conflict(
            OnConflict::column(job::Column::IdempotencyKey)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(res > 0)
}

#[derive(Debug, Clone)]
pub struct ClaimedJob {
    pub id: i64,
    pub kind: String,
    pub payload: serde_json::Value,
    pub attempts: i32,
    pub max_attempts: i32,
    pub idempotency_key: Option<String>,
    /// The worker slot holding the lock (for `extend_lock`).
    pub locked_by: String,
    pub created_at: DateTime<Utc>,
    /// Fires when the process is shutting down: a handler that can stop between steps returns
    /// `JobError::Interrupted` and its job is put back at once, without using an attempt.
    pub shutdown: CancellationToken,
    /// Fires when the heartbeat found the lock taken over by another worker: stop at once.
    pub lock_lost: CancellationToken,
}

/// Claims the next due job for `worker_id`, or returns `None` when nothing is due.
pub async fn claim<C: ConnectionTrait>(
    db: &C,
    worker_id: &str,
    lock_seconds: i64,
) -> Result<Option<ClaimedJob>, DbErr> {
    let backend = db.get_database_backend();
    let now = Utc::now();
    let until = now + Duration::seconds(lock_seconds);
    let sql = match backend {
        DbBackend::Postgres => {
            "UPDATE jobs SET status = $1, attempts = attempts + 1, locked_until = $2, locked_by = $3, updated_at = $4 \
             WHERE id = (SELECT id FROM jobs WHERE (status = $5 AND run_at <= $4) OR (status = $1 AND locked_until < $4) \
             ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) \
             RETURNING id, kind, payload, attempts, max_attempts, idempotency_key, created_at"
        }
        _ => {
            "UPDATE jobs SET status = ?1, attempts = attempts + 1, locked_until = ?2, locked_by = ?3, updated_at = ?4 \
             WHERE id = (SELECT id FROM jobs WHERE (status = ?5 AND run_at <= ?4) OR (status = ?1 AND locked_until < ?4) \
             ORDER BY run_at, id LIMIT 1) \
             RETURNING id, kind, payload, attempts, max_attempts, idempotency_key, created_at"
        }
    };
    let stmt = Statement::from_sql_and_values(
        backend,
        sql,
        [
            RUNNING.into(),
            until.into(),
            worker_id.into(),
            now.into(),
            PENDING.into(),
        ],
    );
    let Some(row) = db.query_one_raw(stmt).await? else {
        return Ok(None);
    };
    Ok(Some(row_to_claimed(&row, worker_id)?))
}

/// Keeps a long-running job's lock (a mailing's delivery): moves `locked_until` forward while the
/// job is still ours. Returns false when the lock was lost (another worker took the job over), so
/// the handler must stop.
pub async fn extend_lock<C: ConnectionTrait>(
    db: &C,
    job: &ClaimedJob,
    lock_seconds: i64,
) -> Result<bool, DbErr> {
    let now = Utc::now();
    let res = job::Entity::update_many()
        .col_expr(
            job::Column::LockedUntil,
            Some(now + Duration::seconds(lock_seconds)).into(),
        )
        .col_expr(job::Column::UpdatedAt, now.into())
        .filter(job::Column::Id.eq(job.id))
        .filter(job::Column::Status.eq(RUNNING))
        .filter(job::Column::LockedBy.eq(job.locked_by.as_str()))
        .exec(db)
        .await?;
    Ok(res.rows_affected > 0)
}

fn row_to_claimed(row: &QueryResult, worker_id: &str) -> Result<ClaimedJob, DbErr> {
    let payload: String = row.try_get("", "payload")?;
    Ok(ClaimedJob {
        id: row.try_get("", "id")?,
        kind: row.try_get("", "kind")?,
        payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
        attempts: row.try_get("", "attempts")?,
        max_attempts: row.try_get("", "max_attempts")?,
        idempotency_key: row.try_get("", "idempotency_key")?,
        locked_by: worker_id.to_owned(),
        created_at: row.try_get("", "created_at")?,
        shutdown: CancellationToken::new(),
        lock_lost: CancellationToken::new(),
    })
}

pub async fn mark_done<C: ConnectionTrait>(db: &C, id: i64, worker_id: &str) -> Result<(), DbErr> {
    let now = Utc::now();
    job::Entity::update_many()
        .col_expr(job::Column::Status, DONE.into())
        .col_expr(job::Column::FinishedAt, Some(now).into())
        .col_expr(job::Column::UpdatedAt, now.into())
        .col_expr(
            job::Column::LockedUntil,
            Option::<DateTime<Utc>>::None.into(),
        )
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::LockedBy.eq(worker_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Marks a job done *before* its effect is final, conditional on the lock still being ours and
/// the job still running (transactional mail marks itself before the SMTP dot, see `mail.rs`).
/// Returns false when the job is no longer ours: the caller must then abandon its effect.
pub async fn mark_done_if_ours<C: ConnectionTrait>(
    db: &C,
    job: &ClaimedJob,
) -> Result<bool, DbErr> {
    let now = Utc::now();
    let res = job::Entity::update_many()
        .col_expr(job::Column::Status, DONE.into())
        .col_expr(job::Column::FinishedAt, Some(now).into())
        .col_expr(job::Column::UpdatedAt, now.into())
        .col_expr(
            job::Column::LockedUntil,
            Option::<DateTime<Utc>>::None.into(),
        )
        .filter(job::Column::Id.eq(job.id))
        .filter(job::Column::Status.eq(RUNNING))
        .filter(job::Column::LockedBy.eq(job.locked_by.as_str()))
        .exec(db)
        .await?;
    Ok(res.rows_affected > 0)
}

/// Records on a finished job that its outcome is uncertain (mail handed over without the
/// server's confirmation).
pub async fn note_unconfirmed<C: ConnectionTrait>(
    db: &C,
    id: i64,
    error: &str,
) -> Result<(), DbErr> {
    job::Entity::update_many()
        .col_expr(
            job::Column::LastError,
            Some(format!(
                "unconfirmed: {}",
                error.chars().take(1900).collect::<String>()
            ))
            .into(),
        )
        .filter(job::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Puts a job that stopped on shutdown back in the queue, due now, with its lock released and the
/// attempt it used given back, so another instance (or this one after a restart) resumes at once.
pub async fn release<C: ConnectionTrait>(
    db: &C,
    job: &ClaimedJob,
    worker_id: &str,
) -> Result<bool, DbErr> {
    let now = Utc::now();
    let res = job::Entity::update_many()
        .col_expr(job::Column::Status, PENDING.into())
        .col_expr(job::Column::Attempts, (job.attempts - 1).max(0).into())
        .col_expr(job::Column::RunAt, now.into())
        .col_expr(job::Column::UpdatedAt, now.into())
        .col_expr(
            job::Column::LockedUntil,
            Option::<DateTime<Utc>>::None.into(),
        )
        .col_expr(job::Column::LockedBy, Option::<String>::None.into())
        .filter(job::Column::Id.eq(job.id))
        .filter(job::Column::Status.eq(RUNNING))
        .filter(job::Column::LockedBy.eq(worker_id))
        .exec(db)
        .await?;
    Ok(res.rows_affected > 0)
}

/// Backoff before attempt `attempts + 1`: 15 s, 30 s, 1 min, 2 min … capped at 1 hour.
pub fn backoff(attempts: i32) -> Duration {
    backoff_capped(attempts, Duration::hours(1))
}

/// Backoff before attempt `attempts + 1`: 15 s, 30 s, 1 min, 2 min … capped at `cap`.
pub fn backoff_capped(attempts: i32, cap: Duration) -> Duration {
    let exp = attempts.clamp(1, 20) - 1;
    let secs = 15i64.saturating_mul(1i64 << exp.min(12));
    Duration::seconds(secs.min(cap.num_seconds().max(1)))
}

/// Records a failed attempt with the default policy (attempts, backoff capped at 1 hour).
pub async fn mark_failed<C: ConnectionTrait>(
    db: &C,
    job: &ClaimedJob,
    worker_id: &str,
    error: &str,
    permanent: bool,
) -> Result<&'static str, DbErr> {
    mark_failed_with(
        db,
        job,
        worker_id,
        error,
        permanent,
        &RetryPolicy::default(),
    )
    .await
}

/// Records a failed attempt: back to `pending` after the policy's backoff, or `dead` when the
/// failure is permanent or the policy gives up (last attempt, or retrying for longer than
/// `give_up_after` since the job was queued).
pub async fn mark_failed_with<C: ConnectionTrait>(
    db: &C,
    job: &ClaimedJob,
    worker_id: &str,
    error: &str,
    permanent: bool,
    policy: &RetryPolicy,
) -> Result<&'static str, DbErr> {
    let now = Utc::now();
    let dead = permanent
        || match policy.give_up_after {
            Some(window) => now - job.created_at >= window,
            None => job.attempts >= job.max_attempts,
        };
    let status = if dead { DEAD } else { PENDING };
    let mut q = job::Entity::update_many()
        .col_expr(job::Column::Status, status.into())
        .col_expr(
            job::Column::LastError,
            Some(error.chars().take(2000).collect::<String>()).into(),
        )
        .col_expr(job::Column::UpdatedAt, now.into())
        .col_expr(
            job::Column::LockedUntil,
            Option::<DateTime<Utc>>::None.into(),
        );
    if dead {
        q = q.col_expr(job::Column::FinishedAt, Some(now).into());
    } else {
        q = q
            .col_expr(
                job::Column::FinishedAt,
                Option::<DateTime<Utc>>::None.into(),
            )
            .col_expr(
                job::Column::RunAt,
                (now + backoff_capped(job.attempts, policy.backoff_cap)).into(),
            );
    }
    q.filter(job::Column::Id.eq(job.id))
        .filter(job::Column::LockedBy.eq(worker_id))
        .exec(db)
        .await?;
    Ok(status)
}

/// Counts of jobs per status, for `/readyz`-style reporting and tests.
pub async fn counts<C: ConnectionTrait>(db: &C) -> Result<Vec<(String, i64)>, DbErr> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT status, COUNT(*) AS n FROM jobs GROUP BY status ORDER BY status",
        ))
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("", "status")?, r.try_get("", "n")?)))
        .collect()
}

/// After a mail job succeeded: every mail job waiting for a retry is made due now, so the queue
/// resumes as soon as the server answers again instead of after each job's own backoff.
pub async fn wake_waiting<C: ConnectionTrait>(db: &C, kinds: &[String]) -> Result<u64, DbErr> {
    if kinds.is_empty() {
        return Ok(0);
    }
    let now = Utc::now();
    let res = job::Entity::update_many()
        .col_expr(job::Column::RunAt, now.into())
        .filter(job::Column::Status.eq(PENDING))
        .filter(job::Column::Attempts.gt(0))
        .filter(job::Column::RunAt.gt(now))
        .filter(job::Column::Kind.is_in(kinds.iter().map(String::as_str)))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// The job kinds that send mail (`Registry::mail_kinds`), kept in the web state for the
/// administrators' delivery page and the outage banner.
#[derive(Debug, Clone, Default)]
pub struct MailKinds(pub Vec<String>);

/// Mail that cannot be delivered at the moment: jobs waiting for a retry after a failure, with no
/// mail job having succeeded since the latest failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailOutage {
    pub waiting: i64,
    pub since: DateTime<Utc>,
    pub last_error: String,
}

pub async fn mail_outage<C: ConnectionTrait>(
    db: &C,
    kinds: &[String],
) -> Result<Option<MailOutage>, DbErr> {
    use sea_orm::{PaginatorTrait, QueryOrder};
    if kinds.is_empty() {
        return Ok(None);
    }
    let waiting = || {
        job::Entity::find()
            .filter(job::Column::Status.eq(PENDING))
            .filter(job::Column::Attempts.gt(0))
            .filter(job::Column::LastError.is_not_null())
            .filter(job::Column::Kind.is_in(kinds.iter().map(String::as_str)))
    };
    let Some(latest) = waiting()
        .order_by_desc(job::Column::UpdatedAt)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let delivered_since = job::Entity::find()
        .filter(job::Column::Status.eq(DONE))
        .filter(job::Column::Kind.is_in(kinds.iter().map(String::as_str)))
        .filter(job::Column::FinishedAt.gt(latest.updated_at))
        .count(db)
        .await?;
    if delivered_since > 0 {
        return Ok(None);
    }
    let first = waiting()
        .order_by_asc(job::Column::UpdatedAt)
        .one(db)
        .await?
        .map(|j| j.updated_at)
        .unwrap_or(latest.updated_at);
    Ok(Some(MailOutage {
        waiting: waiting().count(db).await? as i64,
        since: first,
        last_error: latest.last_error.unwrap_or_default(),
    }))
}

/// What an administrator sees on the delivery page: dead jobs of any kind and mail jobs waiting
/// for a retry after a failure, most recent first.
pub async fn troubled<C: ConnectionTrait>(
    db: &C,
    mail_kinds: &[String],
    limit: u64,
) -> Result<Vec<job::Model>, DbErr> {
    use sea_orm::{Condition, QueryOrder, QuerySelect};
    job::Entity::find()
        .filter(
            Condition::any().add(job::Column::Status.eq(DEAD)).add(
                Condition::all()
                    .add(job::Column::Status.eq(PENDING))
                    .add(job::Column::Attempts.gt(0))
                    .add(job::Column::Kind.is_in(mail_kinds.iter().map(String::as_str))),
            ),
        )
        .order_by_desc(job::Column::UpdatedAt)
        .limit(limit)
        .all(db)
        .await
}

/// An administrator's "try again": a dead job is re-queued, a waiting one is made due now.
pub async fn retry_now<C: ConnectionTrait>(db: &C, id: i64) -> Result<bool, DbErr> {
    if retry_dead(db, id).await? {
        return Ok(true);
    }
    let now = Utc::now();
    let res = job::Entity::update_many()
        .col_expr(job::Column::RunAt, now.into())
        .col_expr(job::Column::UpdatedAt, now.into())
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::Status.eq(PENDING))
        .exec(db)
        .await?;
    Ok(res.rows_affected > 0)
}

/// Re-queues a dead job (an official's "try again" after fixing the cause).
pub async fn retry_dead<C: ConnectionTrait>(db: &C, id: i64) -> Result<bool, DbErr> {
    let now = Utc::now();
    let res = job::Entity::update_many()
        .col_expr(job::Column::Status, PENDING.into())
        .col_expr(job::Column::Attempts, 0.into())
        .col_expr(job::Column::RunAt, now.into())
        .col_expr(
            job::Column::FinishedAt,
            Option::<DateTime<Utc>>::None.into(),
        )
        .col_expr(job::Column::UpdatedAt, now.into())
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::Status.eq(DEAD))
        .exec(db)
        .await?;
    Ok(res.rows_affected > 0)
}
