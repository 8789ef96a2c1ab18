//! The consultations area's writes and reads, each write on the caller's transaction and
//! audited: a consultation and its first version, announcement (calendar, mailing, clock),
//! the clock's moves, new versions, remarks, the office's answers and templates, the RDPP's
//! opinion, and the report's publication with the authors' e-mails.

use super::entity::consultation::{self, Audience, Status, allowed};
use super::entity::consultation_answer_template as template;
use super::entity::consultation_remark::{self as remark, Position};
use super::entity::consultation_version as version;
use super::model::{self, AnswerInput, ConsultationInput, OpinionInput, RemarkInput};
use super::text::{self, Unit};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use wspolnie_platform::audit::{self, Actor};
use wspolnie_platform::i18n::Lang;
use wspolnie_platform::jobs::{self, ClaimedJob, JobContext, JobError, JobHandler, NewJob};
use wspolnie_platform::mail::{MailJob, enqueue_mail};
use wspolnie_platform::markdown::escape;

/// The newsletter topic of consultations.
pub const NEWSLETTER_TOPIC: &str = "consultations";
/// The calendar category of consultation periods.
pub const CALENDAR_CATEGORY: &str = "konsultacje";
/// The clock's job: stores announced → open → closed at their moments.
pub const CLOCK_JOB: &str = "consultations.clock";

/// Why the store refused a write the form could not foresee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The life cycle forbids the move.
    Forbidden,
    /// Remarks still without the office's position.
    Unanswered(usize),
    /// A remark that is not this consultation's.
    NotHers,
    /// The consultation takes no remarks now.
    NotOpen,
}

/// A consultation's public address.
pub fn url(base: &str, c: &consultation::Model) -> String {
    format!("{}/konsultacje/{}", base.trim_end_matches('/'), c.slug)
}

/// Every version of a consultation, first first.
pub async fn versions<C: ConnectionTrait>(db: &C, id: i64) -> Result<Vec<version::Model>, DbErr> {
    version::Entity::find()
        .filter(version::Column::ConsultationId.eq(id))
        .order_by_asc(version::Column::Number)
        .all(db)
        .await
}

/// The units of a version (the text parsed; a stored text always parses).
pub fn units(v: &version::Model) -> Vec<Unit> {
    text::parse(&v.source).unwrap_or_default()
}

/// The remarks of a consultation, in the order they came.
pub async fn remarks<C: ConnectionTrait>(db: &C, id: i64) -> Result<Vec<remark::Model>, DbErr> {
    remark::Entity::find()
        .filter(remark::Column::ConsultationId.eq(id))
        .order_by_asc(remark::Column::CreatedAt)
        .order_by_asc(remark::Column::Id)
        .all(db)
        .await
}

/// The office's reusable answers.
pub async fn templates<C: ConnectionTrait>(db: &C) -> Result<Vec<template::Model>, DbErr> {
    template::Entity::find().order_by_asc(template::Column::Title).all(db).await
}

/// A consultation by its address, public ones only.
pub async fn public_by_slug<C: ConnectionTrait>(db: &C, slug: &str) -> Result<Option<consultation::Model>, DbErr> {
    consultation::Entity::find()
        .filter(consultation::Column::Slug.eq(slug))
        .filter(consultation::Column::Status.ne(Status::Draft))
        .one(db)
        .await
}

/// Every public consultation, the latest period first.
pub async fn public_all<C: ConnectionTrait>(db: &C) -> Result<Vec<consultation::Model>, DbErr> {
    consultation::Entity::find()
        .filter(consultation::Column::Status.ne(Status::Draft))
        .order_by_desc(consultation::Column::StartsAt)
        .all(db)
        .await
}

fn apply(a: &mut consultation::ActiveModel, i: &ConsultationInput) {
    a.title = Set(i.title.clone());
    a.subject_md = Set(i.subject.clone());
    a.audience = Set(i.audience);
    a.form_online = Set(i.form_online);
    a.form_entered = Set(i.form_entered);
    a.form_rdpp = Set(i.form_rdpp);
    a.meeting_id = Set(i.meeting_id);
    a.remarks_public = Set(i.remarks_public);
    a.starts_at = Set(i.starts_at);
    a.ends_at = Set(i.ends_at);
    a.short_reason = Set(i.short_reason.clone());
    a.contact_name = Set(i.contact_name.clone());
    a.contact_email = Set(i.contact_email.clone());
    a.updated_at = Set(Utc::now());
}

/// A period shorter than the rules' minimum is audited on its own, with its reason.
async fn audit_short<C: ConnectionTrait>(db: &C, actor: &Actor, id: i64, i: &ConsultationInput) -> Result<(), DbErr> {
    if i.short_reason.is_empty() {
        return Ok(());
    }
    audit::record(
        db,
        actor,
        "consultation.short_period",
        "consultation",
        id,
        None::<&()>,
        Some(&serde_json::json!({
            "starts_at": i.starts_at, "ends_at": i.ends_at, "reason": i.short_reason,
        })),
    )
    .await
}

/// A new consultation (a draft) with its first version.
pub async fn create<C: ConnectionTrait>(db: &C, i: &ConsultationInput, actor: &Actor) -> Result<i64, DbErr> {
    let now = Utc::now();
    let suffix = &uuid::Uuid::new_v4().simple().to_string()[..6];
    let mut slug = wspolnie_core::text::slugify(&i.title);
    slug.truncate(80);
    let mut a = consultation::ActiveModel {
        slug: Set(format!("{}-{suffix}", slug.trim_end_matches('-'))),
        status: Set(Status::Draft),
        event_id: Set(None),
        rdpp_sent_on: Set(None),
        rdpp_opinion_md: Set(String::new()),
        rdpp_opinion_on: Set(None),
        minutes_md: Set(String::new()),
        summary_md: Set(String::new()),
        created_by: Set(actor.user_id),
        created_at: Set(now),
        announced_at: Set(None),
        reported_at: Set(None),
        ..Default::default()
    };
    apply(&mut a, i);
    let id = consultation::Entity::insert(a).exec(db).await?.last_insert_id;
    version::Entity::insert(version::ActiveModel {
        consultation_id: Set(id),
        number: Set(1),
        source: Set(i.draft.clone().unwrap_or_default()),
        note: Set(String::new()),
        created_by: Set(actor.user_id),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(db)
    .await?;
    audit::record(db, actor, "consultation.create", "consultation", id, None::<&()>, Some(i)).await?;
    audit_short(db, actor, id, i).await?;
    Ok(id)
}

/// Saves the form over a stored consultation (its first version's text too while a draft);
/// a public one's calendar entry follows.
pub async fn update<C: ConnectionTrait>(
    db: &C,
    c: consultation::Model,
    i: &ConsultationInput,
    actor: &Actor,
) -> Result<(), DbErr> {
    let id = c.id;
    let before = serde_json::json!({
        "title": c.title, "audience": c.audience, "starts_at": c.starts_at, "ends_at": c.ends_at,
    });
    let short_before = c.short_reason.clone();
    let mut a = c.into_active_model();
    apply(&mut a, i);
    let saved = a.update(db).await?;
    if let Some(d) = &i.draft {
        version::Entity::update_many()
            .col_expr(version::Column::Source, Expr::value(d.clone()))
            .filter(version::Column::ConsultationId.eq(id))
            .filter(version::Column::Number.eq(1))
            .exec(db)
            .await?;
    }
    audit::record(db, actor, "consultation.update", "consultation", id, Some(&before), Some(i)).await?;
    if i.short_reason != short_before {
        audit_short(db, actor, id, i).await?;
    }
    if saved.status != Status::Draft {
        sync_calendar(db, &saved).await?;
        schedule_clock(db, &saved).await?;
    }
    Ok(())
}

/// Keeps the period's calendar entry in step with the consultation.
pub async fn sync_calendar<C: ConnectionTrait>(db: &C, c: &consultation::Model) -> Result<(), DbErr> {
    let (event_id, fresh) = crate::calendar::office::upsert(
        db,
        crate::calendar::office::OfficeEntry {
            event_id: c.event_id,
            slug: format!("konsultacje-{}", c.slug),
            title: &c.title,
            description_md: &c.subject_md,
            starts_at: c.starts_at,
            ends_at: c.ends_at,
            place: None,
            url: format!("/konsultacje/{}", c.slug),
            category: CALENDAR_CATEGORY,
            created_by: c.created_by,
            cancelled: false,
        },
    )
    .await?;
    if fresh {
        consultation::Entity::update_many()
            .col_expr(consultation::Column::EventId, Expr::value(event_id))
            .filter(consultation::Column::Id.eq(c.id))
            .exec(db)
            .await?;
    }
    Ok(())
}

#[derive(Debug, Serialize, Deserialize)]
struct ClockPayload {
    id: i64,
}

/// Queues the clock at the start and just after the end (keyed, so saving again queues nothing
/// twice; a moved end gets a new run).
async fn schedule_clock<C: ConnectionTrait>(db: &C, c: &consultation::Model) -> Result<(), DbErr> {
    let now = Utc::now();
    for at in [c.starts_at, c.ends_at + chrono::Duration::seconds(1)] {
        jobs::enqueue(
            db,
            NewJob::new(CLOCK_JOB, ClockPayload { id: c.id })
                .key(format!("consultations-clock-{}-{}", c.id, at.timestamp()))
                .at(std::cmp::max(at, now)),
        )
        .await?;
    }
    Ok(())
}

/// Stores the clock's moves of every consultation whose moment has come; returns how many moved.
pub async fn advance<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<usize, DbErr> {
    let due = consultation::Entity::find()
        .filter(consultation::Column::Status.is_in([Status::Announced, Status::Open]))
        .all(db)
        .await?;
    let mut moved = 0;
    for c in due {
        let to = model::current(&c, now);
        if to == c.status {
            continue;
        }
        let (id, from) = (c.id, c.status);
        crate::lifecycle::check("consultation", from, to, allowed)?;
        let mut a = c.into_active_model();
        a.status = Set(to);
        a.updated_at = Set(now);
        a.update(db).await?;
        audit::record(
            db,
            &Actor::system(CLOCK_JOB),
            &format!("consultation.{to}"),
            "consultation",
            id,
            Some(&serde_json::json!({ "status": from })),
            Some(&serde_json::json!({ "status": to })),
        )
        .await?;
        moved += 1;
    }
    Ok(moved)
}

/// The clock's job.
pub struct ClockHandler;

#[async_trait::async_trait]
impl JobHandler for ClockHandler {
    async fn run(&self, ctx: &JobContext, _job: &ClaimedJob) -> Result<(), JobError> {
        let retry = |e: DbErr| JobError::Retry(e.to_string());
        let txn = wspolnie_platform::db::begin_write(&ctx.db.conn).await.map_err(retry)?;
        advance(&txn, Utc::now()).await.map_err(retry)?;
        txn.commit().await.map_err(retry)
    }
}

pub fn register_jobs(r: &mut jobs::Registry) {
    r.register(CLOCK_JOB, ClockHandler);
}

/// The announcement's text (Markdown) in `lang`.
pub fn announcement_markdown(c: &consultation::Model, lang: Lang, base: &str) -> String {
    let day = |t| wspolnie_web::fmt::date(lang, t);
    format!(
        "{}\n\n{}\n\n{}\n\n[{}]({})\n",
        lang.ta("cons-mail-intro", &[("title", &escape(&c.title))]),
        lang.ta("cons-mail-period", &[("from", &day(c.starts_at)), ("to", &day(c.ends_at))]),
        lang.t(&format!("cons-mail-how-{}", c.audience)),
        lang.t("cons-mail-link"),
        url(base, c),
    )
}

/// Announces a draft: public from now, its period in the calendar, the clock queued, and per
/// language a mailing to the audience (the organisations' addresses when they are consulted)
/// and the newsletter's subscribers of consultations — queued on this transaction, so nothing
/// goes out unless the announcement commits.
pub async fn announce<C: ConnectionTrait>(
    db: &C,
    c: consultation::Model,
    actor: &Actor,
    public_url: &str,
) -> Result<Result<consultation::Model, Refused>, DbErr> {
    if !allowed(c.status, Status::Announced) {
        return Ok(Err(Refused::Forbidden));
    }
    let now = Utc::now();
    let id = c.id;
    let mut a = c.into_active_model();
    a.status = Set(Status::Announced);
    a.announced_at = Set(Some(now));
    a.updated_at = Set(now);
    let c = a.update(db).await?;
    audit::record(
        db,
        actor,
        "consultation.announced",
        "consultation",
        id,
        Some(&serde_json::json!({ "status": Status::Draft })),
        Some(&serde_json::json!({ "status": Status::Announced })),
    )
    .await?;
    sync_calendar(db, &c).await?;
    schedule_clock(db, &c).await?;
    use crate::mailings::model::{Audience as To, MailingData, expand_audience, order_send, save_draft};
    for lang in Lang::ALL {
        let to = To {
            organizations: c.audience != Audience::Rdpp && lang == Lang::Pl,
            topics: vec![NEWSLETTER_TOPIC.into()],
            subscriber_lang: Some(lang.code().into()),
            ..Default::default()
        };
        if expand_audience(db, &to, lang.code()).await?.is_empty() {
            continue;
        }
        let d = MailingData {
            subject: lang.ta("cons-mail-subject", &[("title", &c.title)]),
            body: announcement_markdown(&c, lang, public_url),
            lang: lang.code().into(),
            all_organizations: to.organizations,
            topics: to.topics.clone(),
            ..Default::default()
        };
        let m = save_draft(db, None, &d, &to, None, actor).await?;
        order_send(db, &m, None, actor).await?;
    }
    Ok(Ok(c))
}

/// Publishes a new version of the draft (during or after the period): remarks stay on the
/// version they were made on.
pub async fn new_version<C: ConnectionTrait>(
    db: &C,
    c: &consultation::Model,
    source: &str,
    note: &str,
    actor: &Actor,
) -> Result<Result<i32, Refused>, DbErr> {
    if matches!(c.status, Status::Draft | Status::Reported) {
        return Ok(Err(Refused::Forbidden));
    }
    let number = versions(db, c.id).await?.last().map_or(1, |v| v.number + 1);
    let id = version::Entity::insert(version::ActiveModel {
        consultation_id: Set(c.id),
        number: Set(number),
        source: Set(source.to_owned()),
        note: Set(note.to_owned()),
        created_by: Set(actor.user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec(db)
    .await?
    .last_insert_id;
    audit::record(
        db,
        actor,
        "consultation.version",
        "consultation_version",
        id,
        None::<&()>,
        Some(&serde_json::json!({ "consultation": c.id, "number": number, "note": note })),
    )
    .await?;
    Ok(Ok(number))
}

/// Records a remark on `v` (a version of `c`): online by `user_id`, or entered by the official
/// `actor` for its author.
pub async fn add_remark<C: ConnectionTrait>(
    db: &C,
    c: &consultation::Model,
    v: &version::Model,
    r: &RemarkInput,
    user_id: Option<i64>,
    actor: &Actor,
) -> Result<Result<i64, Refused>, DbErr> {
    let online = r.channel == remark::Channel::Online;
    if v.consultation_id != c.id {
        return Ok(Err(Refused::NotHers));
    }
    if online && !(c.form_online && model::takes_remarks(c, Utc::now())) {
        return Ok(Err(Refused::NotOpen));
    }
    if !online && (c.status == Status::Draft || c.status == Status::Reported) {
        return Ok(Err(Refused::NotOpen));
    }
    let id = remark::Entity::insert(remark::ActiveModel {
        consultation_id: Set(c.id),
        version_id: Set(v.id),
        anchor: Set(r.anchor.clone()),
        unit_label: Set(r.unit_label.clone()),
        organization_id: Set(r.organization_id),
        organization_name: Set(r.organization_name.clone()),
        author_name: Set(r.author_name.clone()),
        author_email: Set(r.author_email.clone()),
        user_id: Set(user_id),
        channel: Set(r.channel),
        proposal: Set(r.proposal.clone()),
        justification: Set(r.justification.clone()),
        entered_by: Set(if online { None } else { actor.user_id }),
        created_at: Set(Utc::now()),
        position: Set(None),
        answer: Set(String::new()),
        answered_by: Set(None),
        answered_at: Set(None),
        notified_at: Set(None),
        ..Default::default()
    })
    .exec(db)
    .await?
    .last_insert_id;
    audit::record(db, actor, "consultation_remark.create", "consultation_remark", id, None::<&()>, Some(r)).await?;
    Ok(Ok(id))
}

/// The office's position on the ticked remarks, with its justification (until the report is
/// published).
pub async fn answer<C: ConnectionTrait>(
    db: &C,
    c: &consultation::Model,
    i: &AnswerInput,
    actor: &Actor,
) -> Result<Result<usize, Refused>, DbErr> {
    if matches!(c.status, Status::Draft | Status::Reported) {
        return Ok(Err(Refused::Forbidden));
    }
    let found = remark::Entity::find()
        .filter(remark::Column::Id.is_in(i.remarks.clone()))
        .filter(remark::Column::ConsultationId.eq(c.id))
        .all(db)
        .await?;
    if found.len() != i.remarks.len() {
        return Ok(Err(Refused::NotHers));
    }
    let now = Utc::now();
    remark::Entity::update_many()
        .col_expr(remark::Column::Position, Expr::value(i.position.as_str()))
        .col_expr(remark::Column::Answer, Expr::value(i.answer.clone()))
        .col_expr(remark::Column::AnsweredBy, Expr::value(actor.user_id))
        .col_expr(remark::Column::AnsweredAt, Expr::value(now))
        .filter(remark::Column::Id.is_in(i.remarks.clone()))
        .exec(db)
        .await?;
    audit::record(
        db,
        actor,
        "consultation_remark.answer",
        "consultation",
        c.id,
        None::<&()>,
        Some(&serde_json::json!({
            "remarks": i.remarks, "position": i.position, "answer": i.answer,
        })),
    )
    .await?;
    Ok(Ok(found.len()))
}

/// Saves a reusable answer.
pub async fn save_template<C: ConnectionTrait>(
    db: &C,
    title: &str,
    position: Position,
    body: &str,
    actor: &Actor,
) -> Result<i64, DbErr> {
    let id = template::Entity::insert(template::ActiveModel {
        title: Set(title.to_owned()),
        position: Set(position),
        body: Set(body.to_owned()),
        created_by: Set(actor.user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec(db)
    .await?
    .last_insert_id;
    audit::record(
        db,
        actor,
        "consultation_template.create",
        "consultation_answer_template",
        id,
        None::<&()>,
        Some(&serde_json::json!({ "title": title, "position": position, "body": body })),
    )
    .await?;
    Ok(id)
}

/// Records when the draft went to the RDPP and its opinion (when it came).
pub async fn record_opinion<C: ConnectionTrait>(
    db: &C,
    c: consultation::Model,
    o: &OpinionInput,
    actor: &Actor,
) -> Result<Result<(), Refused>, DbErr> {
    if !c.form_rdpp || matches!(c.status, Status::Draft | Status::Reported) {
        return Ok(Err(Refused::Forbidden));
    }
    let id = c.id;
    let mut a = c.into_active_model();
    a.rdpp_sent_on = Set(Some(o.sent_on));
    a.rdpp_opinion_md = Set(o.opinion.clone());
    a.rdpp_opinion_on = Set(o.opinion_on);
    a.updated_at = Set(Utc::now());
    a.update(db).await?;
    audit::record(db, actor, "consultation.rdpp_opinion", "consultation", id, None::<&()>, Some(o)).await?;
    Ok(Ok(()))
}

/// Publishes the report of a closed consultation (every remark answered): its summary and
/// the meeting's minutes, status `reported`, and one e-mail to each author's address with the
/// outcome of their remarks. Returns how many e-mails were queued.
pub async fn publish_report<C: ConnectionTrait>(
    db: &C,
    c: consultation::Model,
    summary: &str,
    minutes: &str,
    actor: &Actor,
    public_url: &str,
) -> Result<Result<usize, Refused>, DbErr> {
    let now = Utc::now();
    if model::current(&c, now) != Status::Closed {
        return Ok(Err(Refused::Forbidden));
    }
    let all = remarks(db, c.id).await?;
    let open = all.iter().filter(|r| r.position.is_none()).count();
    if open > 0 {
        return Ok(Err(Refused::Unanswered(open)));
    }
    let id = c.id;
    let from = c.status;
    let mut a = c.into_active_model();
    a.status = Set(Status::Reported);
    a.summary_md = Set(summary.to_owned());
    a.minutes_md = Set(minutes.to_owned());
    a.reported_at = Set(Some(now));
    a.updated_at = Set(now);
    let c = a.update(db).await?;
    audit::record(
        db,
        actor,
        "consultation.reported",
        "consultation",
        id,
        Some(&serde_json::json!({ "status": from })),
        Some(&serde_json::json!({ "status": Status::Reported, "summary": summary })),
    )
    .await?;
    let mut by_author: std::collections::BTreeMap<String, Vec<&remark::Model>> = Default::default();
    for r in &all {
        if !r.author_email.is_empty() {
            by_author.entry(r.author_email.clone()).or_default().push(r);
        }
    }
    let lang = Lang::Pl;
    for (to, rs) in &by_author {
        let lines: Vec<String> = rs
            .iter()
            .map(|r| {
                let unit = if r.unit_label.is_empty() { lang.t("cons-unit-whole") } else { r.unit_label.clone() };
                let position = r.position.map(|p| lang.t(&p.label_key())).unwrap_or_default();
                if r.answer.is_empty() {
                    format!("{unit}: {position}")
                } else {
                    format!("{unit}: {position} — {}", r.answer)
                }
            })
            .collect();
        let mut vars = serde_json::Map::new();
        vars.insert("title".into(), c.title.clone().into());
        vars.insert("outcomes".into(), lines.join("\n\n").into());
        vars.insert("link".into(), format!("{}/raport", url(public_url, &c)).into());
        enqueue_mail(
            db,
            MailJob { to: to.clone(), template: "consultation_outcome".into(), lang, vars },
            Some(format!("consultation-outcome-{}-{to}", c.id)),
        )
        .await?;
    }
    remark::Entity::update_many()
        .col_expr(remark::Column::NotifiedAt, Expr::value(now))
        .filter(remark::Column::ConsultationId.eq(c.id))
        .filter(remark::Column::AuthorEmail.ne(""))
        .exec(db)
        .await?;
    Ok(Ok(by_author.len()))
}

/// Panel count for officials: remarks of closed consultations still without a position.
pub fn unanswered_count<'a>(
    state: &'a wspolnie_web::AppState,
    _: &'a wspolnie_web::policy::Account,
) -> wspolnie_web::ctx::CountFuture<'a> {
    Box::pin(async move {
        let db = &state.platform.db.conn;
        let ids: Vec<i64> = consultation::Entity::find()
            .filter(consultation::Column::Status.is_in([Status::Open, Status::Closed, Status::Announced]))
            .all(db)
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect();
        let n = sea_orm::PaginatorTrait::count(
            remark::Entity::find()
                .filter(remark::Column::ConsultationId.is_in(ids))
                .filter(remark::Column::Position.is_null()),
            db,
        )
        .await?;
        Ok(Some(n))
    })
}

/// The attachments of a consultation as download links, in their order.
pub async fn files<C: ConnectionTrait>(
    db: &C,
    lang: Lang,
    id: i64,
) -> Result<Vec<crate::pages::web::Download>, DbErr> {
    use super::entity::consultation_file as file;
    let rows = file::Entity::find()
        .filter(file::Column::ConsultationId.eq(id))
        .order_by_asc(file::Column::Position)
        .order_by_asc(file::Column::Id)
        .all(db)
        .await?;
    crate::pages::web::downloads_of(db, lang, rows.into_iter().map(|f| (f.id, f.file_key, f.title)).collect()).await
}

/// Adds a stored file to the consultation's attachments (until the report is published).
pub async fn add_file<C: ConnectionTrait>(
    db: &C,
    c: &consultation::Model,
    key: &str,
    title: &str,
    actor: &Actor,
) -> Result<Result<i64, Refused>, DbErr> {
    use super::entity::consultation_file as file;
    if c.status == Status::Reported {
        return Ok(Err(Refused::Forbidden));
    }
    let position = sea_orm::PaginatorTrait::count(file::Entity::find().filter(file::Column::ConsultationId.eq(c.id)), db).await?;
    let id = file::Entity::insert(file::ActiveModel {
        consultation_id: Set(c.id),
        file_key: Set(key.to_owned()),
        title: Set(title.to_owned()),
        position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
        created_by: Set(actor.user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec(db)
    .await?
    .last_insert_id;
    audit::record(
        db,
        actor,
        "consultation.file_add",
        "consultation_file",
        id,
        None::<&()>,
        Some(&serde_json::json!({ "consultation": c.id, "key": key, "title": title })),
    )
    .await?;
    Ok(Ok(id))
}

/// Removes an attachment of the consultation (the stored file stays for the audit trail).
pub async fn remove_file<C: ConnectionTrait>(
    db: &C,
    c: &consultation::Model,
    file_id: i64,
    actor: &Actor,
) -> Result<Result<(), Refused>, DbErr> {
    use super::entity::consultation_file as file;
    let Some(f) = file::Entity::find_by_id(file_id)
        .filter(file::Column::ConsultationId.eq(c.id))
        .one(db)
        .await?
    else {
        return Ok(Err(Refused::NotHers));
    };
    if c.status == Status::Reported {
        return Ok(Err(Refused::Forbidden));
    }
    file::Entity::delete_by_id(f.id).exec(db).await?;
    audit::record(
        db,
        actor,
        "consultation.file_remove",
        "consultation_file",
        f.id,
        Some(&serde_json::json!({ "key": f.file_key, "title": f.title })),
        None::<&()>,
    )
    .await?;
    Ok(Ok(()))
}
