//! When reports are due (issue 19, item 3): the final report opened when a contract is signed,
//! due 30 days after the task ends (KPA counting); the reminders by e-mail 14 and 3 days before
//! a report (or its corrections) is due and the day after it is overdue, queued as keyed jobs
//! that check again when they run (a report submitted or a date moved meanwhile sends nothing).

use crate::grants::entity::grant_contract as contract_row;
use crate::grants::entity::grant_offer;
use crate::grants::entity::grant_report::{self as report_row, Kind, Status};
use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use wspolnie_platform::jobs::{self, ClaimedJob, JobContext, JobError, JobHandler, NewJob};

pub const REMIND_JOB: &str = "grants.report_remind";

/// Days before the due date the reminders go out; then one the day after it is missed.
pub const REMIND_BEFORE: [i64; 2] = [14, 3];

/// The final report's due date: 30 days after the task's last day (art. 18 ust. 1 UDPP), moved
/// on from a Saturday, Sunday or holiday.
pub fn final_due(task_to: NaiveDate) -> NaiveDate {
    wspolnie_core::time::deadline_after(task_to, 30)
}

/// The earliest a partial report may be due when asked for on `asked_on` (art. 18 ust. 2: no
/// sooner than 30 days after the request).
pub fn earliest_partial_due(asked_on: NaiveDate) -> NaiveDate {
    wspolnie_core::time::deadline_after(asked_on, 30)
}

/// The day the organisation must act by: the corrections' deadline of a returned report, else
/// its due date.
pub fn act_by(r: &report_row::Model) -> NaiveDate {
    match (r.status, r.corrections_due) {
        (Status::Returned, Some(d)) => d,
        _ => r.due_on,
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct RemindPayload {
    report_id: i64,
    /// The day the reminder is about; a report whose day moved is reminded by its new jobs.
    day: NaiveDate,
    /// Days before it (negative: the day after it passed).
    before: i64,
}

/// Queues the reminders of a report's current deadline (keyed: queuing again adds nothing).
pub async fn schedule<C: ConnectionTrait>(db: &C, r: &report_row::Model) -> Result<(), DbErr> {
    let day = act_by(r);
    let now = Utc::now();
    let today = crate::grants::model::warsaw_day(now);
    for before in REMIND_BEFORE.into_iter().chain([-1]) {
        let on = day - Duration::days(before);
        // Sent on that day (from its first moment, Warsaw time); a day already past is skipped,
        // not reminded late.
        if on < today {
            continue;
        }
        let Some(at) = on.and_hms_opt(0, 0, 0).and_then(wspolnie_core::time::local_to_utc) else {
            continue;
        };
        jobs::enqueue(
            db,
            NewJob::new(REMIND_JOB, RemindPayload { report_id: r.id, day, before })
                .key(format!("grant-report-remind-{}-{day}-{before}", r.id))
                .at(std::cmp::max(at, now)),
        )
        .await?;
    }
    Ok(())
}

/// Opens a report of a contract: numbered after the contract's others, its reminders queued.
pub async fn open<C: ConnectionTrait>(
    db: &C,
    contract: &contract_row::Model,
    kind: Kind,
    period_to: Option<NaiveDate>,
    due_on: NaiveDate,
) -> Result<report_row::Model, DbErr> {
    let n = report_row::Entity::find()
        .filter(report_row::Column::ContractId.eq(contract.id))
        .order_by_desc(report_row::Column::N)
        .one(db)
        .await?
        .map_or(1, |r| r.n + 1);
    let now = Utc::now();
    let saved = report_row::ActiveModel {
        contract_id: Set(contract.id),
        kind: Set(kind),
        n: Set(n),
        period_to: Set(period_to),
        requested_at: Set((kind == Kind::Partial).then_some(now)),
        due_on: Set(due_on),
        status: Set(Status::Open),
        content: Set(String::new()),
        submitted_at: Set(None),
        submitted_by: Set(None),
        return_note: Set(String::new()),
        corrections_due: Set(None),
        decided_at: Set(None),
        decided_by: Set(None),
        version: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    schedule(db, &saved).await?;
    Ok(saved)
}

/// Opens the final report of a contract just signed (once).
pub async fn open_final<C: ConnectionTrait>(db: &C, contract: &contract_row::Model) -> Result<(), DbErr> {
    let has = report_row::Entity::find()
        .filter(report_row::Column::ContractId.eq(contract.id))
        .filter(report_row::Column::Kind.eq(Kind::Final))
        .one(db)
        .await?
        .is_some();
    if !has {
        open(db, contract, Kind::Final, None, final_due(contract.task_to)).await?;
    }
    Ok(())
}

/// Sends one reminder if the report still waits for the organisation on that day.
pub struct RemindHandler;

#[async_trait::async_trait]
impl JobHandler for RemindHandler {
    async fn run(&self, ctx: &JobContext, job: &ClaimedJob) -> Result<(), JobError> {
        let p: RemindPayload = serde_json::from_value(job.payload.clone())
            .map_err(|e| JobError::Permanent(e.to_string()))?;
        let retry = |e: DbErr| JobError::Retry(e.to_string());
        let db = &ctx.db.conn;
        let Some(r) = report_row::Entity::find_by_id(p.report_id).one(db).await.map_err(retry)? else {
            return Ok(());
        };
        if !r.status.editable() || act_by(&r) != p.day {
            return Ok(());
        }
        let Some(c) = contract_row::Entity::find_by_id(r.contract_id).one(db).await.map_err(retry)? else {
            return Ok(());
        };
        if c.status == contract_row::Status::Terminated {
            return Ok(());
        }
        let Some(offer) = grant_offer::Entity::find_by_id(c.offer_id).one(db).await.map_err(retry)? else {
            return Ok(());
        };
        let vars = serde_json::json!({
            "offer": offer.title,
            "number": c.number,
            "kind": r.kind.as_str(),
            "due": p.day.format("%d.%m.%Y").to_string(),
            "days": p.before,
            "link": format!("{}/panel/sprawozdania/{}", ctx.config.server.public_url.trim_end_matches('/'), r.id),
        });
        crate::grants::formal::mail_offeror(
            db,
            &offer,
            "grant_report_reminder",
            vars,
            &format!("grant-report-remind:{}:{}:{}", r.id, p.day, p.before),
        )
        .await
        .map_err(retry)
    }
}

pub fn register_jobs(r: &mut jobs::Registry) {
    r.register(REMIND_JOB, RemindHandler);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_are_due_thirty_days_on() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        // 30.06.2027 + 30 = 30.07.2027, a Friday.
        assert_eq!(final_due(d(2027, 6, 30)), d(2027, 7, 30));
        // 31.10.2027 + 30 = 30.11.2027 (Tuesday); 01.10.2027 + 30 = 31.10.2027, a Sunday → 02.11 (1.11 is a holiday).
        assert_eq!(final_due(d(2027, 10, 1)), d(2027, 11, 2));
        assert_eq!(earliest_partial_due(d(2027, 4, 1)), d(2027, 5, 4), "01.05 + holidays: 01.05 Sat, 03.05 Mon holiday");
    }
}
