//! The programme area's reads and writes, each write on the caller's transaction and audited: a
//! programme with its tasks and indicators (compare-and-set on its version), its moves along
//! `programme::allowed` (complete before it is consulted or adopted; the resolution on adoption),
//! the calls linked to its tasks, and the yearly report (narrative, manual values, publication
//! with the figures frozen).

use super::entity::programme::{self, Status, allowed};
use super::entity::programme_report::{self as report, Status as ReportStatus};
use super::entity::{programme_indicator as indicator, programme_task as task};
use super::figures::{self, Figures};
use super::model::{self, ProgrammeInput, ReportInput};
use crate::grants::entity::grant_call;
use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};
use std::collections::HashMap;
use wspolnie_platform::audit::{self, Actor};

/// Why the store refused a write the form could not foresee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The life cycle forbids the move.
    Forbidden,
    /// Another official saved the programme since the form was opened.
    Conflict,
    /// Parts still missing before it may be consulted or adopted (their Fluent ids).
    Incomplete(Vec<&'static str>),
    /// The report's year is not one of the programme's, or has not ended.
    NotYet,
    /// The report is published: it no longer changes.
    Published,
}

/// A programme's public address.
pub fn url(base: &str, p: &programme::Model) -> String {
    format!("{}/program/{}", base.trim_end_matches('/'), p.slug)
}

/// Its tasks, in order.
pub async fn tasks<C: ConnectionTrait>(db: &C, id: i64) -> Result<Vec<task::Model>, DbErr> {
    task::Entity::find()
        .filter(task::Column::ProgrammeId.eq(id))
        .order_by_asc(task::Column::Position)
        .all(db)
        .await
}

/// Its indicators, in order.
pub async fn indicators<C: ConnectionTrait>(db: &C, id: i64) -> Result<Vec<indicator::Model>, DbErr> {
    indicator::Entity::find()
        .filter(indicator::Column::ProgrammeId.eq(id))
        .order_by_asc(indicator::Column::Position)
        .all(db)
        .await
}

/// Its reports, earliest year first.
pub async fn reports<C: ConnectionTrait>(db: &C, id: i64) -> Result<Vec<report::Model>, DbErr> {
    report::Entity::find()
        .filter(report::Column::ProgrammeId.eq(id))
        .order_by_asc(report::Column::Year)
        .all(db)
        .await
}

/// Every programme, the latest first.
pub async fn all<C: ConnectionTrait>(db: &C) -> Result<Vec<programme::Model>, DbErr> {
    programme::Entity::find()
        .order_by_desc(programme::Column::YearFrom)
        .order_by_desc(programme::Column::Id)
        .all(db)
        .await
}

/// Adopted programmes (the public ones), the latest first.
pub async fn public_all<C: ConnectionTrait>(db: &C) -> Result<Vec<programme::Model>, DbErr> {
    programme::Entity::find()
        .filter(programme::Column::Status.is_in([Status::Adopted, Status::InForce, Status::Reported]))
        .order_by_desc(programme::Column::YearFrom)
        .order_by_desc(programme::Column::Id)
        .all(db)
        .await
}

/// A public programme by its address.
pub async fn public_by_slug<C: ConnectionTrait>(db: &C, slug: &str) -> Result<Option<programme::Model>, DbErr> {
    Ok(public_all(db).await?.into_iter().find(|p| p.slug == slug))
}

/// The programme covering `year` that the office works to (adopted ones first, then the newest).
pub async fn for_year<C: ConnectionTrait>(db: &C, year: i32) -> Result<Option<programme::Model>, DbErr> {
    let mut found: Vec<programme::Model> = all(db)
        .await?
        .into_iter()
        .filter(|p| p.year_from <= year && year <= p.year_to)
        .collect();
    found.sort_by_key(|p| (p.status == Status::Draft || p.status == Status::Consultation, -p.id));
    Ok(found.into_iter().next())
}

/// The tasks calls may name: those of programmes covering `year`, with their programme's title.
pub async fn tasks_for_year<C: ConnectionTrait>(db: &C, year: i32) -> Result<Vec<(task::Model, String)>, DbErr> {
    let mut out = Vec::new();
    for p in all(db).await?.into_iter().filter(|p| p.year_from <= year && year <= p.year_to) {
        for t in tasks(db, p.id).await? {
            out.push((t, p.title.clone()));
        }
    }
    Ok(out)
}

/// The priority task a call serves, as its public page names it: "N. task" and the address of
/// its programme, when that programme is public.
pub async fn served_task<C: ConnectionTrait>(db: &C, task_id: Option<i64>) -> Result<Option<(String, String)>, DbErr> {
    let Some(t) = (match task_id {
        Some(id) => task::Entity::find_by_id(id).one(db).await?,
        None => None,
    }) else {
        return Ok(None);
    };
    let p = programme::Entity::find_by_id(t.programme_id)
        .one(db)
        .await?
        .filter(|p| matches!(p.status, Status::Adopted | Status::InForce | Status::Reported));
    Ok(p.map(|p| (format!("{}. {} — {}", t.position, t.name, p.title), format!("/program/{}", p.slug))))
}

/// Calls and small-grant registers naming one of the programme's tasks, newest first.
pub async fn linked_calls<C: ConnectionTrait>(db: &C, tasks: &[task::Model]) -> Result<Vec<grant_call::Model>, DbErr> {
    if tasks.is_empty() {
        return Ok(Vec::new());
    }
    grant_call::Entity::find()
        .filter(grant_call::Column::ProgrammeTaskId.is_in(tasks.iter().map(|t| t.id)))
        .filter(grant_call::Column::Status.ne(grant_call::Status::Draft))
        .order_by_desc(grant_call::Column::ExecutionFrom)
        .all(db)
        .await
}

fn apply(a: &mut programme::ActiveModel, i: &ProgrammeInput) {
    a.title = Set(i.title.clone());
    a.year_from = Set(i.year_from);
    a.year_to = Set(i.year_to);
    a.main_goal = Set(i.main_goal.clone());
    a.specific_goals = Set(i.specific_goals.clone());
    a.principles = Set(i.principles.clone());
    a.scope = Set(i.scope.clone());
    a.forms = Set(i.forms.clone());
    a.implementation = Set(i.implementation.clone());
    a.total_funds = Set(i.total_funds);
    a.evaluation = Set(i.evaluation.clone());
    a.drafting = Set(i.drafting.clone());
    a.consultation_id = Set(i.consultation_id);
    a.commissions = Set(i.commissions.clone());
    a.updated_at = Set(Utc::now());
}

/// Replaces the tasks and indicators: tasks keep their ids by position (calls name them), extra
/// ones go (their calls lose the link), new ones are added.
async fn save_rows<C: ConnectionTrait>(db: &C, id: i64, i: &ProgrammeInput) -> Result<(), DbErr> {
    let stored = tasks(db, id).await?;
    for (n, t) in i.tasks.iter().enumerate() {
        let position = i32::try_from(n + 1).unwrap_or(i32::MAX);
        match stored.get(n) {
            Some(s) => {
                let mut a = s.clone().into_active_model();
                a.position = Set(position);
                a.name = Set(t.name.clone());
                a.spheres = Set(t.spheres.join(","));
                a.planned_funds = Set(t.planned_funds);
                a.update(db).await?;
            }
            None => {
                task::Entity::insert(task::ActiveModel {
                    programme_id: Set(id),
                    position: Set(position),
                    name: Set(t.name.clone()),
                    spheres: Set(t.spheres.join(",")),
                    planned_funds: Set(t.planned_funds),
                    ..Default::default()
                })
                .exec(db)
                .await?;
            }
        }
    }
    let gone: Vec<i64> = stored.iter().skip(i.tasks.len()).map(|t| t.id).collect();
    if !gone.is_empty() {
        grant_call::Entity::update_many()
            .col_expr(grant_call::Column::ProgrammeTaskId, Expr::value(None::<i64>))
            .filter(grant_call::Column::ProgrammeTaskId.is_in(gone.clone()))
            .exec(db)
            .await?;
        task::Entity::delete_many().filter(task::Column::Id.is_in(gone)).exec(db).await?;
    }
    indicator::Entity::delete_many()
        .filter(indicator::Column::ProgrammeId.eq(id))
        .exec(db)
        .await?;
    for (n, row) in i.indicators.iter().enumerate() {
        indicator::Entity::insert(indicator::ActiveModel {
            programme_id: Set(id),
            position: Set(i32::try_from(n + 1).unwrap_or(i32::MAX)),
            name: Set(row.name.clone()),
            metric: Set(row.metric.as_str().to_owned()),
            target: Set(row.target),
            ..Default::default()
        })
        .exec(db)
        .await?;
    }
    Ok(())
}

fn audit_view(i: &ProgrammeInput) -> serde_json::Value {
    serde_json::json!({
        "title": i.title, "years": [i.year_from, i.year_to], "total_funds": i.total_funds,
        "consultation_id": i.consultation_id,
        "tasks": i.tasks.iter().map(|t| serde_json::json!({"name": t.name, "spheres": t.spheres, "planned_funds": t.planned_funds})).collect::<Vec<_>>(),
        "indicators": i.indicators.iter().map(|r| serde_json::json!({"name": r.name, "metric": r.metric.as_str(), "target": r.target})).collect::<Vec<_>>(),
    })
}

/// A new programme (a draft).
pub async fn create<C: ConnectionTrait>(db: &C, i: &ProgrammeInput, actor: &Actor) -> Result<i64, DbErr> {
    let now = Utc::now();
    let suffix = &uuid::Uuid::new_v4().simple().to_string()[..6];
    let mut slug = wspolnie_core::text::slugify(&i.title);
    slug.truncate(80);
    let mut a = programme::ActiveModel {
        slug: Set(format!("{}-{suffix}", slug.trim_end_matches('-'))),
        status: Set(Status::Draft),
        resolution_number: Set(String::new()),
        resolution_date: Set(None),
        created_by: Set(actor.user_id),
        created_at: Set(now),
        adopted_at: Set(None),
        version: Set(1),
        ..Default::default()
    };
    apply(&mut a, i);
    let id = programme::Entity::insert(a).exec(db).await?.last_insert_id;
    save_rows(db, id, i).await?;
    audit::record(db, actor, "programme.create", "programme", id, None::<&()>, Some(&audit_view(i))).await?;
    Ok(id)
}

/// Saves the form over a stored programme, while it is a draft or consulted, if nobody saved it
/// since the form was opened (one conditional UPDATE on its version).
pub async fn update<C: ConnectionTrait>(
    db: &C,
    p: &programme::Model,
    i: &ProgrammeInput,
    actor: &Actor,
) -> Result<Result<(), Refused>, DbErr> {
    if !matches!(p.status, Status::Draft | Status::Consultation) {
        return Ok(Err(Refused::Forbidden));
    }
    let seen = i.version.unwrap_or(p.version);
    let moved = programme::Entity::update_many()
        .col_expr(programme::Column::Version, Expr::value(seen.saturating_add(1)))
        .filter(programme::Column::Id.eq(p.id))
        .filter(programme::Column::Version.eq(seen))
        .exec(db)
        .await?;
    if moved.rows_affected != 1 {
        return Ok(Err(Refused::Conflict));
    }
    let mut a = p.clone().into_active_model();
    apply(&mut a, i);
    a.version = Set(seen.saturating_add(1));
    a.update(db).await?;
    save_rows(db, p.id, i).await?;
    audit::record(db, actor, "programme.update", "programme", p.id, None::<&()>, Some(&audit_view(i))).await?;
    Ok(Ok(()))
}

/// Moves a programme to `to`: complete before it is consulted or adopted, with the council's
/// resolution on adoption.
pub async fn move_to<C: ConnectionTrait>(
    db: &C,
    p: &programme::Model,
    to: Status,
    resolution: Option<(String, NaiveDate)>,
    actor: &Actor,
) -> Result<Result<(), Refused>, DbErr> {
    let today = wspolnie_core::time::today();
    let from = model::current(p, today);
    if !allowed(from, to) || (to == Status::Adopted && resolution.is_none()) {
        return Ok(Err(Refused::Forbidden));
    }
    if matches!(to, Status::Consultation | Status::Adopted) {
        let missing = model::missing_parts(p, &tasks(db, p.id).await?, &indicators(db, p.id).await?);
        if !missing.is_empty() {
            return Ok(Err(Refused::Incomplete(missing.into_iter().map(|(_, k)| k).collect())));
        }
    }
    let mut a = p.clone().into_active_model();
    a.status = Set(to);
    a.updated_at = Set(Utc::now());
    if let Some((number, date)) = &resolution {
        a.resolution_number = Set(number.clone());
        a.resolution_date = Set(Some(*date));
        a.adopted_at = Set(Some(Utc::now()));
        // Adopted on or after its first day: it is in force at once.
        if today.year() >= p.year_from {
            a.status = Set(Status::InForce);
        }
    }
    a.update(db).await?;
    audit::record(
        db,
        actor,
        &format!("programme.{}", to.as_str()),
        "programme",
        p.id,
        Some(&serde_json::json!({"status": from.as_str()})),
        Some(&serde_json::json!({"status": to.as_str(), "resolution": resolution})),
    )
    .await?;
    Ok(Ok(()))
}

/// Links a call (or a small-grant register) to a priority task, or unlinks it.
pub async fn link_call<C: ConnectionTrait>(db: &C, call_id: i64, task_id: Option<i64>) -> Result<(), DbErr> {
    grant_call::Entity::update_many()
        .col_expr(grant_call::Column::ProgrammeTaskId, Expr::value(task_id))
        .filter(grant_call::Column::Id.eq(call_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The report of `year`, as stored (`None` before the office first saves it).
pub async fn report_of<C: ConnectionTrait>(db: &C, programme_id: i64, year: i32) -> Result<Option<report::Model>, DbErr> {
    report::Entity::find()
        .filter(report::Column::ProgrammeId.eq(programme_id))
        .filter(report::Column::Year.eq(year))
        .one(db)
        .await
}

/// The office's values of manual indicators in a report.
pub fn manual_values(r: Option<&report::Model>) -> HashMap<i64, i64> {
    r.and_then(|r| serde_json::from_str::<HashMap<i64, i64>>(&r.manual_values).ok()).unwrap_or_default()
}

/// The figures of a report: frozen when published, else computed now.
pub async fn figures_of<C: ConnectionTrait>(
    db: &C,
    p: &programme::Model,
    year: i32,
    r: Option<&report::Model>,
) -> Result<Figures, DbErr> {
    if let Some(frozen) = r.and_then(|r| r.figures.as_deref()).and_then(|f| serde_json::from_str::<Figures>(f).ok()) {
        return Ok(frozen);
    }
    figures::compute(db, year, &tasks(db, p.id).await?).await
}

/// Whether a report of `year` may be written: one of the programme's years, adopted, begun.
pub fn reportable(p: &programme::Model, year: i32, today: NaiveDate) -> bool {
    matches!(model::current(p, today), Status::InForce | Status::Reported)
        && p.year_from <= year
        && year <= p.year_to
        && year <= today.year()
}

/// Saves the office's parts of a report (a draft).
pub async fn save_report<C: ConnectionTrait>(
    db: &C,
    p: &programme::Model,
    year: i32,
    i: &ReportInput,
    actor: &Actor,
) -> Result<Result<(), Refused>, DbErr> {
    if !reportable(p, year, wspolnie_core::time::today()) {
        return Ok(Err(Refused::NotYet));
    }
    let now = Utc::now();
    let manual = serde_json::to_string(&i.manual).unwrap_or_else(|_| "{}".into());
    match report_of(db, p.id, year).await? {
        Some(r) if r.status == ReportStatus::Published => return Ok(Err(Refused::Published)),
        Some(r) => {
            let mut a = r.into_active_model();
            a.introduction = Set(i.introduction.clone());
            a.financial = Set(i.financial.clone());
            a.non_financial = Set(i.non_financial.clone());
            a.conclusions = Set(i.conclusions.clone());
            a.manual_values = Set(manual);
            a.updated_at = Set(now);
            a.update(db).await?;
        }
        None => {
            report::Entity::insert(report::ActiveModel {
                programme_id: Set(p.id),
                year: Set(year),
                status: Set(ReportStatus::Draft),
                introduction: Set(i.introduction.clone()),
                financial: Set(i.financial.clone()),
                non_financial: Set(i.non_financial.clone()),
                conclusions: Set(i.conclusions.clone()),
                manual_values: Set(manual),
                figures: Set(None),
                published_at: Set(None),
                created_by: Set(actor.user_id),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            })
            .exec(db)
            .await?;
        }
    }
    audit::record(db, actor, "programme_report.save", "programme", p.id, None::<&()>, Some(&serde_json::json!({"year": year}))).await?;
    Ok(Ok(()))
}

/// Publishes the report of `year` (after the year has ended): the figures are frozen as they
/// stand; the report on the programme's last year moves it to reported.
pub async fn publish_report<C: ConnectionTrait>(
    db: &C,
    p: &programme::Model,
    year: i32,
    actor: &Actor,
) -> Result<Result<(), Refused>, DbErr> {
    let today = wspolnie_core::time::today();
    if !reportable(p, year, today) || year >= today.year() {
        return Ok(Err(Refused::NotYet));
    }
    let Some(r) = report_of(db, p.id, year).await? else {
        return Ok(Err(Refused::NotYet));
    };
    if !super::entity::programme_report::allowed(r.status, ReportStatus::Published) {
        return Ok(Err(Refused::Published));
    }
    let f = figures::compute(db, year, &tasks(db, p.id).await?).await?;
    let now = Utc::now();
    let mut a = r.into_active_model();
    a.status = Set(ReportStatus::Published);
    a.figures = Set(Some(serde_json::to_string(&f).unwrap_or_default()));
    a.published_at = Set(Some(now));
    a.updated_at = Set(now);
    a.update(db).await?;
    if year == p.year_to && model::current(p, today) == Status::InForce {
        let mut a = p.clone().into_active_model();
        a.status = Set(Status::Reported);
        a.updated_at = Set(now);
        a.update(db).await?;
    }
    audit::record(db, actor, "programme_report.publish", "programme", p.id, None::<&()>, Some(&serde_json::json!({"year": year}))).await?;
    Ok(Ok(()))
}
