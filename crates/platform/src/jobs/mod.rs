//! The job outbox. A business write enqueues its jobs on the same transaction, so either both
//! commit or neither does. Workers claim one job at a time atomically (`FOR UPDATE SKIP LOCKED` on
//! PostgreSQL; SQLite serialises writers), retry with exponential backoff, and park a job as `dead`
//! after its last attempt. A job whose worker died is taken over when its lock expires.

mod worker;

pub use worker::{JobContext, JobError, JobHandler, Registry, Worker};

use crate::entity::job;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter,
    QueryResult, Statement, sea_query::OnConflict,
};
use serde::Serialize;

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
             RETURNING id, kind, payload, attempts, max_attempts, idempotency_key"
        }
        _ => {
            "UPDATE jobs SET status = ?1, attempts = attempts + 1, locked_until = ?2, locked_by = ?3, updated_at = ?4 \
             WHERE id = (SELECT id FROM jobs WHERE (status = ?5 AND run_at <= ?4) OR (status = ?1 AND locked_until < ?4) \
             ORDER BY run_at, id LIMIT 1) \
             RETURNING id, kind, payload, attempts, max_attempts, idempotency_key"
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

/// Backoff before attempt `attempts + 1`: 15 s, 30 s, 1 min, 2 min … capped at 1 hour.
pub fn backoff(attempts: i32) -> Duration {
    let exp = attempts.clamp(1, 20) - 1;
    let secs = 15i64.saturating_mul(1i64 << exp.min(12));
    Duration::seconds(secs.min(3600))
}

pub async fn mark_failed<C: ConnectionTrait>(
    db: &C,
    job: &ClaimedJob,
    worker_id: &str,
    error: &str,
    permanent: bool,
) -> Result<&'static str, DbErr> {
    let now = Utc::now();
    let dead = permanent || job.attempts >= job.max_attempts;
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
        q = q.col_expr(job::Column::RunAt, (now + backoff(job.attempts)).into());
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
