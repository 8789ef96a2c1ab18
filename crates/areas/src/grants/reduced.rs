//! Reduced grants (issue 18, item 6; grants.md §2.7): an offer granted less than it asked for
//! gets a task — update the schedule (III.4), the results (III.5–6), the cost table (V.A) and the
//! funding (V.B) for the amount granted, by the deadline the commission's rules set (default 10
//! days, KPA counting, end of the Warsaw day). The update is submitted like an offer (a new frozen
//! version with its checksum); the rules then also require the grant to equal the amount granted
//! and, where the call keeps the share rule, its share of the total cost not to rise above the
//! share in the offer the decision was made on. The office compares the two versions and accepts
//! the update or returns it with a note (a new deadline). No update by the deadline is a refusal
//! of the grant, recorded by the `grants.update_expire` job (safe on several instances: one
//! conditional UPDATE decides, the others find nothing to do).

use crate::grants::entity::grant_call;
use crate::grants::entity::grant_commission as com_entity;
use crate::grants::entity::grant_offer::{self, Status};
use crate::grants::entity::grant_offer_update as update;
use crate::grants::entity::grant_offer_version as version;
use crate::grants::submit::Frozen;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QuerySelect,
};
use wspolnie_core::money::Money;
use wspolnie_platform::audit::{self, Actor};
use wspolnie_platform::jobs::{self, ClaimedJob, JobContext, JobError, JobHandler, NewJob};


pub const EXPIRE_JOB: &str = "grants.update_expire";

/// The office's answer to a submitted update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Review {
    Accept,
    /// Back to the organisation with a note, for `days` more.
    Return { note: String, days: i32 },
}

fn link(public_url: &str, offer_id: i64) -> String {
    format!("{}/panel/oferty/{offer_id}", public_url.trim_end_matches('/'))
}

/// Opens the update of an offer granted `amount`, less than it asked, on the decision's
/// transaction: the task row, the offer in `updating` with its deadline, the e-mail, the job
/// that records a refusal when the deadline passes.
pub async fn open<C: ConnectionTrait>(
    db: &C,
    call: &grant_call::Model,
    offer: &grant_offer::Model,
    amount: i64,
    com: &com_entity::Model,
    public_url: &str,
) -> Result<(), DbErr> {
    let now = Utc::now();
    let deadline = crate::grants::formal::correction_deadline(now, com.reduced_days);
    // The share rule is fixed as decided: the grant's share in the version decided on.
    let max_grant_bp = if com.share_rule {
        version_content(db, offer.id, offer.current_version)
            .await?
            .map(|c| c.totals().grant_bp)
    } else {
        None
    };
    update::ActiveModel {
        offer_id: Set(offer.id),
        granted: Set(amount),
        base_version: Set(offer.current_version),
        max_grant_bp: Set(max_grant_bp),
        rounds: Set(0),
        note: Set(String::new()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    set_updating(db, offer.id, deadline, now).await?;
    let vars = serde_json::json!({
        "call": call.title,
        "offer": offer.title,
        "amount": Money(amount).to_string(),
        "requested": Money(offer.requested_grant).to_string(),
        "date": crate::grants::submit::when(wspolnie_platform::i18n::Lang::Pl, deadline),
        "link": link(public_url, offer.id),
    });
    crate::grants::formal::mail_offeror(db, offer, "grant_offer_update_due", vars, &format!("grant-update-due:{}:0", offer.id))
        .await?;
    schedule_expiry(db, offer.id, deadline).await
}

async fn set_updating<C: ConnectionTrait>(
    db: &C,
    offer_id: i64,
    deadline: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    grant_offer::Entity::update_many()
        .col_expr(grant_offer::Column::Status, Expr::value(Status::Updating))
        .col_expr(grant_offer::Column::UpdateDeadline, Expr::value(Some(deadline)))
        .col_expr(grant_offer::Column::UpdatedAt, Expr::value(now))
        .filter(grant_offer::Column::Id.eq(offer_id))
        .exec(db)
        .await?;
    Ok(())
}

async fn schedule_expiry<C: ConnectionTrait>(
    db: &C,
    offer_id: i64,
    deadline: DateTime<Utc>,
) -> Result<(), DbErr> {
    jobs::enqueue(
        db,
        NewJob::new(EXPIRE_JOB, serde_json::json!({}))
            .key(format!("grants-update-expire-{offer_id}-{}", deadline.timestamp()))
            .at(deadline + chrono::Duration::seconds(1)),
    )
    .await
    .map(|_| ())
}

/// The content of one frozen version of an offer.
pub async fn version_content<C: ConnectionTrait>(
    db: &C,
    offer_id: i64,
    n: i32,
) -> Result<Option<crate::grants::offer::OfferContent>, DbErr> {
    Ok(version::Entity::find()
        .filter(version::Column::OfferId.eq(offer_id))
        .filter(version::Column::Version.eq(n))
        .one(db)
        .await?
        .map(|v| Frozen::parse(&v.content).content))
}

/// Refuses the grant on the organisation's behalf or at its request: `updating` → `declined`, in
/// one conditional UPDATE (the job on another instance, or a second press, finds nothing to do).
/// Returns whether this call made the change.
async fn decline_one<C: ConnectionTrait>(
    db: &C,
    offer_id: i64,
    only_past: Option<DateTime<Utc>>,
    actor: &Actor,
) -> Result<bool, DbErr> {
    let now = Utc::now();
    let mut q = grant_offer::Entity::update_many()
        .col_expr(grant_offer::Column::Status, Expr::value(Status::Declined))
        .col_expr(grant_offer::Column::UpdatedAt, Expr::value(now))
        .filter(grant_offer::Column::Id.eq(offer_id))
        .filter(grant_offer::Column::Status.eq(Status::Updating));
    if let Some(t) = only_past {
        q = q.filter(grant_offer::Column::UpdateDeadline.lt(t));
    }
    if q.exec(db).await?.rows_affected != 1 {
        return Ok(false);
    }
    audit::record(
        db,
        actor,
        "grant_offer.declined",
        "grant_offer",
        offer_id,
        Some(&serde_json::json!({ "status": Status::Updating.as_str() })),
        Some(&serde_json::json!({
            "status": Status::Declined.as_str(),
            "why": if only_past.is_some() { "deadline" } else { "organisation" },
        })),
    )
    .await?;
    Ok(true)
}

async fn mail_declined<C: ConnectionTrait>(db: &C, offer_id: i64, late: bool) -> Result<(), DbErr> {
    let Some(o) = grant_offer::Entity::find_by_id(offer_id).one(db).await? else {
        return Ok(());
    };
    let call = grant_call::Entity::find_by_id(o.call_id).one(db).await?;
    let vars = serde_json::json!({
        "call": call.map(|c| c.title).unwrap_or_default(),
        "offer": o.title,
        "late": late,
    });
    crate::grants::formal::mail_offeror(db, &o, "grant_offer_declined", vars, &format!("grant-declined:{offer_id}")).await
}

/// The organisation declines the reduced grant. Returns whether it was declined now.
pub async fn decline<C: ConnectionTrait>(db: &C, offer_id: i64, actor: &Actor) -> Result<bool, DbErr> {
    let done = decline_one(db, offer_id, None, actor).await?;
    if done {
        mail_declined(db, offer_id, false).await?;
    }
    Ok(done)
}

/// Records a refusal for every update whose deadline passed before `now`. Returns how many this
/// run recorded (another instance running at once records the rest, never the same one twice).
pub async fn expire<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<usize, DbErr> {
    let due: Vec<i64> = grant_offer::Entity::find()
        .select_only()
        .column(grant_offer::Column::Id)
        .filter(grant_offer::Column::Status.eq(Status::Updating))
        .filter(grant_offer::Column::UpdateDeadline.lt(now))
        .into_tuple()
        .all(db)
        .await?;
    let actor = Actor::system(EXPIRE_JOB);
    let mut n = 0;
    for id in due {
        if decline_one(db, id, Some(now), &actor).await? {
            mail_declined(db, id, true).await?;
            n += 1;
        }
    }
    Ok(n)
}

/// Why a review was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewError {
    /// The offer has no submitted update now (already reviewed, or not yet submitted).
    NotWaiting,
}

/// The office accepts a submitted update (the offer is granted on its new budget) or returns it
/// with a note and a new deadline. On the caller's transaction, the offer's row locked.
pub async fn review<C: ConnectionTrait>(
    db: &C,
    offer_id: i64,
    answer: Review,
    actor: &Actor,
    public_url: &str,
) -> Result<Result<(), ReviewError>, DbErr> {
    let Some(offer) = grant_offer::Entity::find_by_id(offer_id)
        .lock_exclusive()
        .one(db)
        .await?
    else {
        return Ok(Err(ReviewError::NotWaiting));
    };
    let Some(task) = crate::grants::store::update_task(db, offer_id).await? else {
        return Ok(Err(ReviewError::NotWaiting));
    };
    if offer.status != Status::UpdateSubmitted {
        return Ok(Err(ReviewError::NotWaiting));
    }
    let now = Utc::now();
    let call = grant_call::Entity::find_by_id(offer.call_id).one(db).await?;
    let call_title = call.map(|c| c.title).unwrap_or_default();
    let mut a: update::ActiveModel = task.clone().into();
    a.decided_by = Set(actor.user_id);
    a.decided_at = Set(Some(now));
    let (to, template, vars) = match &answer {
        Review::Accept => {
            a.note = Set(String::new());
            grant_offer::Entity::update_many()
                .col_expr(grant_offer::Column::Status, Expr::value(Status::Granted))
                .col_expr(grant_offer::Column::UpdateDeadline, Expr::value(None::<DateTime<Utc>>))
                .col_expr(grant_offer::Column::UpdatedAt, Expr::value(now))
                .filter(grant_offer::Column::Id.eq(offer_id))
                .exec(db)
                .await?;
            (
                Status::Granted,
                "grant_offer_update_accepted",
                serde_json::json!({
                    "call": call_title, "offer": offer.title,
                    "amount": Money(task.granted).to_string(),
                    "link": link(public_url, offer_id),
                }),
            )
        }
        Review::Return { note, days } => {
            let deadline = crate::grants::formal::correction_deadline(now, *days);
            a.note = Set(note.trim().to_owned());
            a.rounds = Set(task.rounds + 1);
            set_updating(db, offer_id, deadline, now).await?;
            schedule_expiry(db, offer_id, deadline).await?;
            (
                Status::Updating,
                "grant_offer_update_returned",
                serde_json::json!({
                    "call": call_title, "offer": offer.title,
                    "note": note.trim(),
                    "date": crate::grants::submit::when(wspolnie_platform::i18n::Lang::Pl, deadline),
                    "link": link(public_url, offer_id),
                }),
            )
        }
    };
    let saved = a.update(db).await?;
    audit::record(
        db,
        actor,
        if to == Status::Granted { "grant_offer.update_accepted" } else { "grant_offer.update_returned" },
        "grant_offer",
        offer_id,
        Some(&serde_json::json!({ "status": offer.status.as_str(), "version": offer.current_version })),
        Some(&serde_json::json!({ "status": to.as_str(), "note": saved.note })),
    )
    .await?;
    crate::grants::formal::mail_offeror(
        db,
        &offer,
        template,
        vars,
        &format!("grant-update-review:{offer_id}:{}:{}", offer.current_version, to.as_str()),
    )
    .await?;
    Ok(Ok(()))
}

/// Records refusals for updates past their deadline (queued at each deadline).
pub struct ExpireHandler;

#[async_trait::async_trait]
impl JobHandler for ExpireHandler {
    async fn run(&self, ctx: &JobContext, _job: &ClaimedJob) -> Result<(), JobError> {
        let retry = |e: DbErr| JobError::Retry(e.to_string());
        let txn = wspolnie_platform::db::begin_write(&ctx.db.conn).await.map_err(retry)?;
        expire(&txn, Utc::now()).await.map_err(retry)?;
        txn.commit().await.map_err(retry)
    }
}

pub fn register_jobs(r: &mut jobs::Registry) {
    r.register(EXPIRE_JOB, ExpireHandler);
}
