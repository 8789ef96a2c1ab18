//! Small grants outside calls (art. 19a; issue 19, item 5) in the database: the office's
//! register of one year's small grants (a call row of kind `small` taking simplified offers all
//! year), where an organisation stands under the limits, an offer's receipt (the day it must be
//! published by, with reminders to the office), its publication for comments, the comments and
//! their moderation, and the decision — a decision line like a call's, so the contract, the
//! reports, the settlement and the open data follow the same path as any other grant.

use crate::grants::entity::grant_call::{self, Kind, Status as CallStatus};
use crate::grants::entity::grant_decision_line as line;
use crate::grants::entity::grant_offer::{self, Status};
use crate::grants::entity::grant_small_comment::{self as comment, Status as CommentStatus};
use crate::grants::entity::grant_small_offer as small_row;
use crate::grants::model::warsaw_day;
use crate::grants::small::{self, Breach, Standing};
use chrono::{Duration, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use wspolnie_platform::audit::{self, Actor};
use wspolnie_platform::jobs::{self, ClaimedJob, JobContext, JobError, JobHandler, NewJob};

pub const REMIND_JOB: &str = "grants.small_publish_remind";

/// Working days before the publication deadline the office is reminded; and on the day itself.
pub const REMIND_BEFORE: [u32; 2] = [2, 0];

/// The register's address segment for a year.
pub fn register_slug(year: i32) -> String {
    format!("male-granty-{year}")
}

/// Every register, the latest year first.
pub async fn registers<C: ConnectionTrait>(db: &C) -> Result<Vec<grant_call::Model>, DbErr> {
    grant_call::Entity::find()
        .filter(grant_call::Column::Kind.eq(Kind::Small))
        .order_by_desc(grant_call::Column::ExecutionFrom)
        .all(db)
        .await
}

/// What opening a year's register needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterInput {
    pub year: i32,
    /// The year's grant funds in the budget, grosze (the pool is its share).
    pub year_funds: i64,
    pub contact_name: String,
    pub contact_email: String,
}

/// The register of that year exists already.
#[derive(Debug, PartialEq, Eq)]
pub struct Exists;

/// Opens a year's register (audited): it takes simplified offers from now to the year's end,
/// for tasks within the year.
pub async fn open_register<C: ConnectionTrait>(
    db: &C,
    r: &RegisterInput,
    actor: &Actor,
) -> Result<Result<grant_call::Model, Exists>, DbErr> {
    let slug = register_slug(r.year);
    if grant_call::Entity::find()
        .filter(grant_call::Column::Slug.eq(&slug))
        .one(db)
        .await?
        .is_some()
    {
        return Ok(Err(Exists));
    }
    let (Some(from), Some(to)) = (
        NaiveDate::from_ymd_opt(r.year, 1, 1),
        NaiveDate::from_ymd_opt(r.year, 12, 31),
    ) else {
        return Ok(Err(Exists));
    };
    let now = Utc::now();
    let deadline = to
        .and_hms_opt(23, 59, 59)
        .and_then(wspolnie_core::time::local_to_utc)
        .unwrap_or(now);
    let saved = grant_call::ActiveModel {
        slug: Set(slug),
        number: Set(format!("MG/{}", r.year)),
        title: Set(format!("Małe granty {} (art. 19a)", r.year)),
        sphere_code: Set(String::new()),
        task_type: Set(String::new()),
        description_md: Set(String::new()),
        funds_available: Set(r.year_funds),
        grant_rules_md: Set(String::new()),
        execution_from: Set(from),
        execution_to: Set(to),
        execution_conditions_md: Set(String::new()),
        offers_from: Set(Some(now)),
        offer_deadline: Set(deadline),
        selection_procedure_md: Set(String::new()),
        selection_date: Set(to),
        prior_funding: Set("[]".into()),
        criteria: Set("[]".into()),
        formal_checklist: Set(String::new()),
        max_grant: Set(None),
        min_own_bp: Set(0),
        own_kinds: Set(crate::grants::model::OWN_KINDS.join(",")),
        fees_allowed: Set(true),
        admin_cap_bp: Set(None),
        max_years: Set(1),
        joint_allowed: Set(false),
        indicators_required: Set(false),
        required_attachments: Set(String::new()),
        correction_days: Set(7),
        form_version: Set(crate::grants::offer::SMALL_TEMPLATE_VERSION.to_owned()),
        contact_name: Set(r.contact_name.clone()),
        contact_email: Set(r.contact_email.clone()),
        status: Set(CallStatus::Open),
        announced_at: Set(Some(now)),
        event_id: Set(None),
        cloned_from: Set(None),
        created_by: Set(actor.user_id),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(0),
        annulled_at: Set(None),
        annul_ground: Set(String::new()),
        annul_reason: Set(String::new()),
        kind: Set(Kind::Small),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        actor,
        "grant_small.open_register",
        "grant_call",
        saved.id,
        None::<&()>,
        Some(&serde_json::json!({ "year": r.year, "year_funds": r.year_funds })),
    )
    .await?;
    Ok(Ok(saved))
}

/// The sum of decision lines in `register`, of one organisation's offers when given.
async fn granted_sum<C: ConnectionTrait>(
    db: &C,
    register: i64,
    organization: Option<i64>,
) -> Result<i64, DbErr> {
    let mut q = line::Entity::find().filter(line::Column::CallId.eq(register));
    if let Some(org) = organization {
        let offers: Vec<i64> = grant_offer::Entity::find()
            .select_only()
            .column(grant_offer::Column::Id)
            .filter(grant_offer::Column::CallId.eq(register))
            .filter(grant_offer::Column::OrganizationId.eq(org))
            .into_tuple()
            .all(db)
            .await?;
        q = q.filter(line::Column::OfferId.is_in(offers));
    }
    Ok(q.all(db).await?.iter().fold(0i64, |s, l| s.saturating_add(l.amount)))
}

/// Where `organization` stands in `register` on `day`: the limits in force, what it and
/// everyone got this year, the year's funds.
pub async fn standing<C: ConnectionTrait>(
    db: &C,
    register: &grant_call::Model,
    organization: i64,
    day: NaiveDate,
) -> Result<Standing, DbErr> {
    Ok(Standing {
        limits: small::limits(db, day).await?,
        organisation_year: granted_sum(db, register.id, Some(organization)).await?,
        pool_used: granted_sum(db, register.id, None).await?,
        year_funds: register.funds_available,
    })
}

/// The publication row of a small offer.
pub async fn of_offer<C: ConnectionTrait>(db: &C, offer_id: i64) -> Result<Option<small_row::Model>, DbErr> {
    small_row::Entity::find()
        .filter(small_row::Column::OfferId.eq(offer_id))
        .one(db)
        .await
}

#[derive(Debug, Serialize, Deserialize)]
struct RemindPayload {
    offer_id: i64,
    publish_by: NaiveDate,
}

/// Records that a small offer came in on `received` (on the submitting transaction): the day it
/// must be published by and the office's reminders. A resubmission (after a withdrawal) starts
/// the count again.
pub async fn received<C: ConnectionTrait>(db: &C, offer: &grant_offer::Model, received: NaiveDate) -> Result<(), DbErr> {
    let publish_by = small::publish_by(received);
    match of_offer(db, offer.id).await? {
        Some(r) if r.published_on.is_some() => return Ok(()),
        Some(r) => {
            let mut a = r.into_active_model();
            a.received_on = Set(received);
            a.publish_by = Set(publish_by);
            a.update(db).await?;
        }
        None => {
            small_row::ActiveModel {
                offer_id: Set(offer.id),
                received_on: Set(received),
                publish_by: Set(publish_by),
                sphere_code: Set(String::new()),
                published_on: Set(None),
                comments_to: Set(None),
                published_by: Set(None),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    let now = Utc::now();
    for before in REMIND_BEFORE {
        let on = crate::grants::small::working_days_before(publish_by, before);
        let Some(at) = on.and_hms_opt(0, 0, 0).and_then(wspolnie_core::time::local_to_utc) else {
            continue;
        };
        if on < warsaw_day(now) {
            continue;
        }
        jobs::enqueue(
            db,
            NewJob::new(REMIND_JOB, RemindPayload { offer_id: offer.id, publish_by })
                .key(format!("grant-small-remind-{}-{publish_by}-{before}", offer.id))
                .at(std::cmp::max(at, now)),
        )
        .await?;
    }
    Ok(())
}

/// Why a step was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The offer is not in the state the step needs (published already, withdrawn, decided).
    State,
    /// The comment window has not ended yet.
    Window,
    /// The amount is above what was asked or breaks a limit.
    Amount(Option<Breach>),
}

/// Publishes a submitted small offer on `day` for comments, filed under `sphere` (audited).
pub async fn publish<C: ConnectionTrait>(
    db: &C,
    offer: &grant_offer::Model,
    sphere: &str,
    day: NaiveDate,
    actor: &Actor,
) -> Result<Result<small_row::Model, Refused>, DbErr> {
    let Some(row) = of_offer(db, offer.id).await? else {
        return Ok(Err(Refused::State));
    };
    if !move_offer(db, offer, Status::Published, actor, "grant_small.publish").await? {
        return Ok(Err(Refused::State));
    }
    let (_, to) = small::comment_window(day);
    let mut a = row.into_active_model();
    a.sphere_code = Set(sphere.to_owned());
    a.published_on = Set(Some(day));
    a.comments_to = Set(Some(to));
    a.published_by = Set(actor.user_id);
    Ok(Ok(a.update(db).await?))
}

/// Moves an offer from the status it was read in (compare-and-set; audited). `false` when the
/// move is not allowed or someone moved it meanwhile.
async fn move_offer<C: ConnectionTrait>(
    db: &C,
    offer: &grant_offer::Model,
    to: Status,
    actor: &Actor,
    action: &str,
) -> Result<bool, DbErr> {
    if offer.status == to || !grant_offer::allowed(offer.status, to) {
        return Ok(false);
    }
    let res = grant_offer::Entity::update_many()
        .col_expr(grant_offer::Column::Status, Expr::value(to))
        .col_expr(grant_offer::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(grant_offer::Column::Id.eq(offer.id))
        .filter(grant_offer::Column::Status.eq(offer.status))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Ok(false);
    }
    audit::record(
        db,
        actor,
        action,
        "grant_offer",
        offer.id,
        Some(&serde_json::json!({ "status": offer.status.as_str() })),
        Some(&serde_json::json!({ "status": to.as_str() })),
    )
    .await?;
    Ok(true)
}

/// Whether comments are taken on `day`.
pub fn open_for_comments(row: &small_row::Model, day: NaiveDate) -> bool {
    matches!((row.published_on, row.comments_to), (Some(from), Some(to)) if from <= day && day <= to)
}

/// A comment as typed by anyone on the public page, already cleaned.
pub struct NewComment {
    pub name: String,
    pub email: String,
    pub body: String,
}

/// Stores a comment, held for moderation.
pub async fn add_comment<C: ConnectionTrait>(db: &C, offer_id: i64, c: &NewComment) -> Result<comment::Model, DbErr> {
    comment::ActiveModel {
        offer_id: Set(offer_id),
        author_name: Set(c.name.clone()),
        author_email: Set(c.email.clone()),
        body: Set(c.body.clone()),
        status: Set(CommentStatus::Pending),
        created_at: Set(Utc::now()),
        moderated_by: Set(None),
        moderated_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// The comments on an offer, oldest first; only those let through when `all` is false.
pub async fn comments<C: ConnectionTrait>(db: &C, offer_id: i64, all: bool) -> Result<Vec<comment::Model>, DbErr> {
    let mut q = comment::Entity::find().filter(comment::Column::OfferId.eq(offer_id));
    if !all {
        q = q.filter(comment::Column::Status.eq(CommentStatus::Published));
    }
    q.order_by_asc(comment::Column::CreatedAt).order_by_asc(comment::Column::Id).all(db).await
}

/// Lets a comment through or hides it (audited). `false` when the move is not allowed or the
/// comment is not the offer's.
pub async fn moderate<C: ConnectionTrait>(
    db: &C,
    offer_id: i64,
    comment_id: i64,
    to: CommentStatus,
    actor: &Actor,
) -> Result<bool, DbErr> {
    let Some(c) = comment::Entity::find_by_id(comment_id)
        .one(db)
        .await?
        .filter(|c| c.offer_id == offer_id && comment::allowed(c.status, to))
    else {
        return Ok(false);
    };
    let from = c.status;
    let mut a = c.into_active_model();
    a.status = Set(to);
    a.moderated_by = Set(actor.user_id);
    a.moderated_at = Set(Some(Utc::now()));
    a.update(db).await?;
    audit::record(
        db,
        actor,
        "grant_small.moderate",
        "grant_small_comment",
        comment_id,
        Some(&serde_json::json!({ "status": from.as_str() })),
        Some(&serde_json::json!({ "status": to.as_str() })),
    )
    .await?;
    Ok(true)
}

/// The office's decision on a published offer once its comment window is over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Grant { amount: i64 },
    Refuse { reason: String },
}

/// Records the decision (audited): a grant is a decision line of the register (the contract
/// follows as for any call), checked against what was asked and what the limits leave.
pub async fn decide<C: ConnectionTrait>(
    db: &C,
    offer: &grant_offer::Model,
    register: &grant_call::Model,
    d: &Decision,
    today: NaiveDate,
    actor: &Actor,
) -> Result<Result<(), Refused>, DbErr> {
    let Some(row) = of_offer(db, offer.id).await? else {
        return Ok(Err(Refused::State));
    };
    if offer.status != Status::Published {
        return Ok(Err(Refused::State));
    }
    if row.comments_to.is_none_or(|to| today <= to) {
        return Ok(Err(Refused::Window));
    }
    match d {
        Decision::Grant { amount } => {
            if *amount <= 0 || *amount > offer.requested_grant {
                return Ok(Err(Refused::Amount(None)));
            }
            let (content, _) = crate::grants::store::load(db, offer.id).await?;
            let parse = |s: &str| wspolnie_core::time::parse_form_date(s.trim());
            let from = parse(&content.task.start_date).unwrap_or(register.execution_from);
            let to = parse(&content.task.end_date).unwrap_or(from);
            let s = standing(db, register, offer.organization_id, today).await?;
            let (breaches, _) = s.check(*amount, from, to);
            if let Some(b) = breaches.first() {
                return Ok(Err(Refused::Amount(Some(*b))));
            }
            if !move_offer(db, offer, Status::Granted, actor, "grant_small.grant").await? {
                return Ok(Err(Refused::State));
            }
            line::ActiveModel {
                call_id: Set(register.id),
                offer_id: Set(offer.id),
                amount: Set(*amount),
                score_centi: Set(None),
                reason: Set(String::new()),
                decided_by: Set(actor.user_id),
                decided_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
        Decision::Refuse { reason } => {
            if !move_offer(db, offer, Status::NotGranted, actor, "grant_small.refuse").await? {
                return Ok(Err(Refused::State));
            }
            line::ActiveModel {
                call_id: Set(register.id),
                offer_id: Set(offer.id),
                amount: Set(0),
                score_centi: Set(None),
                reason: Set(reason.clone()),
                decided_by: Set(actor.user_id),
                decided_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(Ok(()))
}

/// The small offers of every register with their publication rows, newest first.
pub async fn offers<C: ConnectionTrait>(db: &C) -> Result<Vec<(grant_offer::Model, small_row::Model)>, DbErr> {
    let rows = small_row::Entity::find().order_by_desc(small_row::Column::ReceivedOn).all(db).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.offer_id).collect();
    let offers: std::collections::HashMap<i64, grant_offer::Model> = grant_offer::Entity::find()
        .filter(grant_offer::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    Ok(rows.into_iter().filter_map(|r| Some((offers.get(&r.offer_id)?.clone(), r))).collect())
}

/// Small offers the office must act on: to publish, or to decide after their window.
pub async fn waiting<C: ConnectionTrait>(db: &C, today: NaiveDate) -> Result<u64, DbErr> {
    Ok(offers(db)
        .await?
        .iter()
        .filter(|(o, r)| {
            o.status == Status::Submitted || (o.status == Status::Published && r.comments_to.is_some_and(|to| to < today))
        })
        .count() as u64)
}

/// Panel count for grants officials.
pub fn waiting_count<'a>(
    state: &'a wspolnie_web::AppState,
    _: &'a wspolnie_web::policy::Account,
) -> wspolnie_web::ctx::CountFuture<'a> {
    Box::pin(async move { Ok(Some(waiting(&state.platform.db.conn, warsaw_day(Utc::now())).await?)) })
}

/// Reminds the register's contact to publish an offer still waiting on its deadline's eve.
pub struct RemindHandler;

#[async_trait::async_trait]
impl JobHandler for RemindHandler {
    async fn run(&self, ctx: &JobContext, job: &ClaimedJob) -> Result<(), JobError> {
        let p: RemindPayload =
            serde_json::from_value(job.payload.clone()).map_err(|e| JobError::Permanent(e.to_string()))?;
        let retry = |e: DbErr| JobError::Retry(e.to_string());
        let db = &ctx.db.conn;
        let Some(row) = of_offer(db, p.offer_id).await.map_err(retry)? else {
            return Ok(());
        };
        let Some(offer) = grant_offer::Entity::find_by_id(p.offer_id).one(db).await.map_err(retry)? else {
            return Ok(());
        };
        if row.published_on.is_some() || row.publish_by != p.publish_by || offer.status != Status::Submitted {
            return Ok(());
        }
        let Some(register) = grant_call::Entity::find_by_id(offer.call_id).one(db).await.map_err(retry)? else {
            return Ok(());
        };
        if !register.contact_email.contains('@') {
            return Ok(());
        }
        let vars = serde_json::json!({
            "offer": offer.title,
            "due": p.publish_by.format("%d.%m.%Y").to_string(),
            "link": format!("{}/panel/male-granty/{}", ctx.config.server.public_url.trim_end_matches('/'), offer.id),
        });
        wspolnie_platform::mail::enqueue_mail(
            db,
            wspolnie_platform::mail::MailJob {
                to: register.contact_email.clone(),
                template: "grant_small_publish_reminder".into(),
                lang: wspolnie_platform::i18n::Lang::Pl,
                vars: vars.as_object().cloned().unwrap_or_default(),
            },
            Some(format!("grant-small-remind:{}:{}:{}", offer.id, p.publish_by, job.id)),
        )
        .await
        .map_err(retry)?;
        Ok(())
    }
}

pub fn register_jobs(r: &mut jobs::Registry) {
    r.register(REMIND_JOB, RemindHandler);
}

/// Days of the comment window left including today (0 once it is over).
pub fn days_left(row: &small_row::Model, today: NaiveDate) -> i64 {
    row.comments_to.map_or(0, |to| ((to - today) + Duration::days(1)).num_days().max(0))
}
