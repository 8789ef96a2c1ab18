//! The public pages of the programme (`/program`): the programme in force, earlier ones and
//! their reports; one programme with its eleven parts, its priority tasks and planned funds, its
//! indicators, its consultation and the calls serving it. The office's page shows the same view.

use super::entity::programme::{self, Status};
use super::entity::programme_report::Status as ReportStatus;
use super::figures::Metric;
use super::model;
use super::store;
use crate::consultations::entity::consultation;
use crate::grants::entity::grant_call;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use sea_orm::EntityTrait;
use wspolnie_core::money::Money;
use wspolnie_platform::markdown::to_html;
use wspolnie_web::AppState;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::{AppError, AppResult};

/// A priority task as shown.
pub struct TaskView {
    pub n: i32,
    pub name: String,
    pub spheres: Vec<String>,
    pub planned: String,
}

/// An indicator as shown.
pub struct IndicatorView {
    pub name: String,
    pub source: String,
    pub target: String,
}

/// A call serving the programme.
pub struct CallLink {
    pub title: String,
    pub href: String,
    pub task: String,
}

/// One of the eleven parts: its heading and its text as HTML.
pub struct Part {
    pub id: &'static str,
    pub heading: String,
    pub html: String,
}

/// Everything a programme's page shows.
pub struct ProgrammeView {
    pub title: String,
    pub slug: String,
    pub years: String,
    pub status: String,
    pub resolution: Option<String>,
    pub main_goal: String,
    pub specific_goals: Vec<String>,
    pub parts: Vec<Part>,
    pub total: String,
    pub tasks: Vec<TaskView>,
    pub indicators: Vec<IndicatorView>,
    /// The consultation of its draft: title and public address (None while it is a draft).
    pub consultation: Option<(String, Option<String>)>,
    pub calls: Vec<CallLink>,
    /// Published reports: (year, address).
    pub reports: Vec<(i32, String)>,
}

/// The years a programme covers, as a reader says them.
pub fn years(p: &programme::Model) -> String {
    if p.year_from == p.year_to { p.year_from.to_string() } else { format!("{}–{}", p.year_from, p.year_to) }
}

/// The view of `p` (the office's page too: `public` hides nothing of it but draft links).
pub async fn view(state: &AppState, ctx: &PageCtx, p: &programme::Model) -> AppResult<ProgrammeView> {
    let db = &state.platform.db.conn;
    let tasks = store::tasks(db, p.id).await?;
    let indicators = store::indicators(db, p.id).await?;
    let spheres = super::report::sphere_names(state, ctx).await?;
    let today = wspolnie_core::time::today();
    let part = |id: &'static str, key: &str, text: &str| Part { id, heading: ctx.t(key), html: to_html(text) };
    let consultation = match p.consultation_id {
        Some(id) => consultation::Entity::find_by_id(id).one(db).await?.map(|c| {
            let href = (c.status != consultation::Status::Draft).then(|| format!("/konsultacje/{}", c.slug));
            (c.title, href)
        }),
        None => None,
    };
    let calls = store::linked_calls(db, &tasks)
        .await?
        .into_iter()
        .map(|c| CallLink {
            href: match c.kind {
                grant_call::Kind::Open => format!("/konkursy/{}", c.slug),
                grant_call::Kind::Small => "/male-granty".into(),
            },
            task: tasks
                .iter()
                .find(|t| Some(t.id) == c.programme_task_id)
                .map(|t| format!("{}. {}", t.position, t.name))
                .unwrap_or_default(),
            title: c.title,
        })
        .collect();
    let reports = store::reports(db, p.id)
        .await?
        .into_iter()
        .filter(|r| r.status == ReportStatus::Published)
        .map(|r| (r.year, format!("/program/{}/sprawozdanie/{}", p.slug, r.year)))
        .collect();
    Ok(ProgrammeView {
        title: p.title.clone(),
        slug: p.slug.clone(),
        years: years(p),
        status: ctx.t(&model::current(p, today).label_key()),
        resolution: p.resolution_date.map(|d| {
            ctx.t2("prog-resolution-of", "number", &p.resolution_number, "date", &d.format("%d.%m.%Y").to_string())
        }),
        main_goal: p.main_goal.clone(),
        specific_goals: p.specific_goals.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect(),
        parts: vec![
            part("zasady", "prog-part-principles", &p.principles),
            part("zakres", "prog-part-scope", &p.scope),
            part("formy", "prog-part-forms", &p.forms),
            part("realizacja", "prog-part-implementation", &p.implementation),
            part("ocena", "prog-part-evaluation", &p.evaluation),
            part("tworzenie", "prog-part-drafting", &p.drafting),
            part("komisje", "prog-part-commissions", &p.commissions),
        ],
        total: Money(p.total_funds).to_string(),
        tasks: tasks
            .iter()
            .map(|t| TaskView {
                n: t.position,
                name: t.name.clone(),
                spheres: t.sphere_codes().iter().map(|c| spheres.get(*c).cloned().unwrap_or_else(|| (*c).to_owned())).collect(),
                planned: Money(t.planned_funds).to_string(),
            })
            .collect(),
        indicators: indicators
            .iter()
            .map(|i| {
                let m = Metric::parse(&i.metric).unwrap_or(Metric::Manual);
                IndicatorView {
                    name: i.name.clone(),
                    source: ctx.t(&m.label_key()),
                    target: if m.is_money() { Money(i.target).to_string() } else { i.target.to_string() },
                }
            })
            .collect(),
        consultation,
        calls,
        reports,
    })
}

/// A programme in the list.
pub struct Item {
    pub title: String,
    pub href: String,
    pub years: String,
    pub status: String,
    pub reports: Vec<(i32, String)>,
}

#[derive(Template)]
#[template(path = "programme/templates/public/list.html")]
struct ListPage {
    ctx: PageCtx,
    current: Vec<Item>,
    earlier: Vec<Item>,
}

/// `GET /program`: the programme in force (and one adopted for next year), then earlier ones.
pub async fn list(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let today = wspolnie_core::time::today();
    let mut current = Vec::new();
    let mut earlier = Vec::new();
    for p in store::public_all(db).await? {
        let reports = store::reports(db, p.id)
            .await?
            .into_iter()
            .filter(|r| r.status == ReportStatus::Published)
            .map(|r| (r.year, format!("/program/{}/sprawozdanie/{}", p.slug, r.year)))
            .collect();
        let status = model::current(&p, today);
        let item = Item {
            title: p.title.clone(),
            href: format!("/program/{}", p.slug),
            years: years(&p),
            status: ctx.t(&status.label_key()),
            reports,
        };
        use chrono::Datelike;
        if p.year_to >= today.year() && status != Status::Reported {
            current.push(item);
        } else {
            earlier.push(item);
        }
    }
    Ok(Html(ListPage { ctx, current, earlier }.render()?).into_response())
}

#[derive(Template)]
#[template(path = "programme/templates/public/show.html")]
struct ShowPage {
    ctx: PageCtx,
    v: ProgrammeView,
}

/// `GET /program/{slug}`: one adopted programme.
pub async fn show(State(state): State<AppState>, ctx: PageCtx, Path(slug): Path<String>) -> AppResult<Response> {
    let p = store::public_by_slug(&state.platform.db.conn, &slug).await?.ok_or(AppError::NotFound)?;
    let v = view(&state, &ctx, &p).await?;
    Ok(Html(ShowPage { ctx, v }.render()?).into_response())
}
