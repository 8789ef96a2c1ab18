//! Background work of the grants area: the clock that moves calls from announced to open and
//! from open to closed at their moments (`grants.clock`).

use crate::grants::entity::grant_call;
use chrono::Utc;
use sea_orm::{ConnectionTrait, DbErr};
use serde::{Deserialize, Serialize};
use wspolnie_platform::jobs::{self, ClaimedJob, JobContext, JobError, JobHandler, NewJob};

pub const CLOCK_JOB: &str = "grants.clock";

#[derive(Debug, Serialize, Deserialize)]
struct ClockPayload {
    call_id: i64,
}

/// Queues the clock's runs at the call's moments (offers accepted from, deadline); a moment
/// already past runs at once. Keyed by call and moment, so saving again queues nothing twice.
pub async fn schedule_clock<C: ConnectionTrait>(
    db: &C,
    c: &grant_call::Model,
) -> Result<(), DbErr> {
    if !c.status.is_public() {
        return Ok(());
    }
    let now = Utc::now();
    for at in c.offers_from.into_iter().chain([c.offer_deadline + chrono::Duration::seconds(1)]) {
        jobs::enqueue(
            db,
            NewJob::new(CLOCK_JOB, ClockPayload { call_id: c.id })
                .key(format!("grants-clock-{}-{}", c.id, at.timestamp()))
                .at(std::cmp::max(at, now)),
        )
        .await?;
    }
    Ok(())
}

/// Stores the clock's moves of every call whose moment has come.
pub struct ClockHandler;

#[async_trait::async_trait]
impl JobHandler for ClockHandler {
    async fn run(&self, ctx: &JobContext, _job: &ClaimedJob) -> Result<(), JobError> {
        let txn = wspolnie_platform::db::begin_write(&ctx.db.conn)
            .await
            .map_err(|e| JobError::Retry(e.to_string()))?;
        crate::grants::model::advance(&txn, Utc::now())
            .await
            .map_err(|e| JobError::Retry(e.to_string()))?;
        txn.commit().await.map_err(|e| JobError::Retry(e.to_string()))
    }
}

pub fn register(r: &mut jobs::Registry) {
    r.register(CLOCK_JOB, ClockHandler);
    crate::grants::submit::register_jobs(r);
    crate::grants::reduced::register_jobs(r);
    crate::grants::report_due::register_jobs(r);
    crate::grants::small_store::register_jobs(r);
}
