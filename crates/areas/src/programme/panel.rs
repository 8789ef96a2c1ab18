//! The officials' pages of the programme (`/panel/program`, scope `programme`): the list with
//! the statutory deadlines, the form of the eleven parts (new and edit), one programme's page
//! (what is missing, its moves, the council's resolution, the calls serving each task, its
//! reports) and the report of one year (the narrative, manual indicators, a preview of the
//! figures, publication). Each form is validated by its struct in `model.rs`; each write goes
//! through `store.rs` on one transaction.

use super::deadlines::{self, What};
use super::entity::programme::{self, Status};
use super::entity::programme_report::Status as ReportStatus;
use super::figures::Metric;
use super::model::{self, AdoptionForm, ProgrammeForm, ReportForm};
use super::public::{self, ProgrammeView};
use super::report::{self, ReportView};
use super::store::{self, Refused};
use crate::admin::web::actor;
use crate::consultations::entity::consultation;
use crate::grants::entity::grant_call;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use chrono::Datelike;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use wspolnie_platform::entity::sphere;
use wspolnie_platform::validation::FieldErrors;
use wspolnie_web::AppState;
use wspolnie_web::auth::{CurrentAccount, signed};
use wspolnie_web::ctx::{PageCtx, redirect_with_flash};
use wspolnie_web::errors::{AppError, AppResult};
use wspolnie_web::forms::{Errors, HtmlForm, get, localise_in_order};


async fn load(state: &AppState, id: i64) -> AppResult<programme::Model> {
    programme::Entity::find_by_id(id)
        .one(&state.platform.db.conn)
        .await?
        .ok_or(AppError::NotFound)
}


/// A refusal in words.
fn refusal(ctx: &PageCtx, r: &Refused) -> String {
    match r {
        Refused::Forbidden => ctx.t("prog-refused-move"),
        Refused::Conflict => ctx.t("prog-refused-conflict"),
        Refused::Incomplete(parts) => {
            let names: Vec<String> = parts.iter().map(|k| ctx.t(k)).collect();
            ctx.t1("prog-refused-incomplete", "parts", &names.join(", "))
        }
        Refused::NotYet => ctx.t("prog-refused-not-yet"),
        Refused::Published => ctx.t("prog-refused-published"),
    }
}

/// Ends a refusable write: commits and redirects with `flash`, or rolls back and gives the
/// refusal in words for the page that asked.
async fn finish(
    state: &AppState,
    ctx: &PageCtx,
    txn: sea_orm::DatabaseTransaction,
    done: Result<(), Refused>,
    to: &str,
    flash: &str,
) -> AppResult<Result<Response, String>> {
    match done {
        Ok(()) => {
            txn.commit().await?;
            Ok(Ok(redirect_with_flash(state, to, flash)))
        }
        Err(r) => {
            txn.rollback().await?;
            Ok(Err(refusal(ctx, &r)))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The list.

pub struct Row {
    pub id: i64,
    pub title: String,
    pub years: String,
    pub status: String,
}

pub struct DeadlineRow {
    pub label: String,
    pub due: String,
    pub state: String,
    pub late: bool,
}

#[derive(Template)]
#[template(path = "programme/templates/panel/list.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<Row>,
    deadlines: Vec<DeadlineRow>,
}

/// `GET /panel/program`.
pub async fn list(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let today = wspolnie_core::time::today();
    let rows = store::all(db)
        .await?
        .into_iter()
        .map(|p| Row {
            id: p.id,
            years: public::years(&p),
            status: ctx.t(&model::current(&p, today).label_key()),
            title: p.title,
        })
        .collect();
    let deadlines = deadlines::current(db, today)
        .await?
        .into_iter()
        .map(|d| {
            let year = match d.what {
                What::Programme(y) | What::Report(y) => y.to_string(),
            };
            let label = match d.what {
                What::Programme(_) => ctx.t1("prog-deadline-programme", "year", &year),
                What::Report(_) => ctx.t1("prog-deadline-report", "year", &year),
            };
            let state_text = match d.done {
                Some(on) => ctx.t1("prog-deadline-done", "date", &on.format("%d.%m.%Y").to_string()),
                None if d.days_left < 0 => ctx.tn("prog-deadline-overdue", -d.days_left),
                None => ctx.tn("prog-deadline-left", d.days_left),
            };
            DeadlineRow { label, due: d.due.format("%d.%m.%Y").to_string(), late: d.late(), state: state_text }
        })
        .collect();
    Ok(Html(ListPage { ctx, rows, deadlines }.render()?).into_response())
}

// ---------------------------------------------------------------------------------------------
// The programme's form.

pub struct Choice {
    pub value: String,
    pub label: String,
}

/// A row of the form's tasks or indicators with its number and its fields' ids.
pub struct RowField<T> {
    pub n: usize,
    pub ids: [String; 3],
    pub row: T,
}

fn numbered<T: Clone>(rows: &[T], prefix: &str, fields: [&str; 3]) -> Vec<RowField<T>> {
    rows.iter()
        .enumerate()
        .map(|(i, row)| RowField {
            n: i + 1,
            ids: fields.map(|f| format!("{prefix}_{}_{f}", i + 1)),
            row: row.clone(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "programme/templates/panel/form.html")]
struct FormPage {
    ctx: PageCtx,
    id: Option<i64>,
    name: String,
    form: ProgrammeForm,
    tasks: Vec<RowField<model::TaskField>>,
    indicators: Vec<RowField<model::IndicatorField>>,
    spheres: Vec<Choice>,
    metrics: Vec<Choice>,
    consultations: Vec<Choice>,
    errors: Errors,
}

const FORM_FIELDS: &[&str] = &[
    "title",
    "year_from",
    "year_to",
    "main_goal",
    "specific_goals",
    "principles",
    "scope",
    "forms",
    "implementation",
    "total_funds",
    "evaluation",
    "drafting",
    "consultation",
    "commissions",
];

/// The form's fields in the page's order: the task rows after the forms of cooperation, the
/// indicator rows after the evaluation (the error summary follows it).
fn field_order(form: &ProgrammeForm) -> Vec<String> {
    let mut order = Vec::new();
    for f in FORM_FIELDS {
        if *f == "implementation" {
            for n in 1..=form.tasks.len() {
                order.extend(["name", "spheres", "funds"].map(|c| format!("task_{n}_{c}")));
            }
        }
        order.push((*f).to_owned());
        if *f == "evaluation" {
            for n in 1..=form.indicators.len() {
                order.extend(["name", "metric", "target"].map(|c| format!("indicator_{n}_{c}")));
            }
        }
    }
    order
}

async fn spheres(state: &AppState) -> AppResult<Vec<sphere::Model>> {
    Ok(sphere::Entity::find()
        .filter(sphere::Column::ValidTo.is_null())
        .order_by_asc(sphere::Column::Position)
        .all(&state.platform.db.conn)
        .await?)
}

async fn consultations(state: &AppState) -> AppResult<Vec<consultation::Model>> {
    Ok(consultation::Entity::find()
        .order_by_desc(consultation::Column::StartsAt)
        .all(&state.platform.db.conn)
        .await?)
}

async fn render_form(
    state: &AppState,
    ctx: PageCtx,
    stored: Option<&programme::Model>,
    form: ProgrammeForm,
    errors: Errors,
) -> AppResult<Response> {
    let form = form.with_spare_rows();
    let page = FormPage {
        id: stored.map(|p| p.id),
        name: stored.map(|p| p.title.clone()).unwrap_or_default(),
        tasks: numbered(&form.tasks, "task", ["name", "spheres", "funds"]),
        indicators: numbered(&form.indicators, "indicator", ["name", "metric", "target"]),
        form,
        spheres: spheres(state)
            .await?
            .iter()
            .map(|s| Choice { value: s.code.clone(), label: wspolnie_web::fmt::sphere_name(ctx.lang, s) })
            .collect(),
        metrics: Metric::ALL.iter().map(|m| Choice { value: m.as_str().into(), label: ctx.t(&m.label_key()) }).collect(),
        consultations: consultations(state)
            .await?
            .into_iter()
            .map(|c| Choice { value: c.id.to_string(), label: c.title })
            .collect(),
        errors,
        ctx,
    };
    Ok(Html(page.render()?).into_response())
}

/// `GET /panel/program/nowy`.
pub async fn new_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let next = wspolnie_core::time::today().year() + 1;
    let form = ProgrammeForm {
        title: ctx.t1("prog-default-title", "year", &next.to_string()),
        year_from: next.to_string(),
        year_to: next.to_string(),
        ..Default::default()
    };
    render_form(&state, ctx, None, form, Errors::default()).await
}

async fn save(
    state: &AppState,
    ctx: PageCtx,
    current: &CurrentAccount,
    stored: Option<programme::Model>,
    pairs: &[(String, String)],
) -> AppResult<Response> {
    let acc = signed(current)?;
    let db = &state.platform.db.conn;
    let form = ProgrammeForm::from_pairs(pairs);
    let codes: Vec<String> = spheres(state).await?.into_iter().map(|s| s.code).collect();
    let ids: Vec<i64> = consultations(state).await?.iter().map(|c| c.id).collect();
    let input = match form.validate(&codes, &ids) {
        Ok(i) => i,
        Err(e) => {
            let order = field_order(&form);
            let order: Vec<&str> = order.iter().map(String::as_str).collect();
            let errors = localise_in_order(&ctx, &e, &order);
            return render_form(state, ctx, stored.as_ref(), form, errors).await;
        }
    };
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let id = match stored {
        Some(p) => match store::update(&txn, &p, &input, &actor(acc)).await? {
            Ok(()) => p.id,
            Err(r) => {
                txn.rollback().await?;
                let mut e = FieldErrors::new();
                e.insert("title".into(), ("prog-refused-conflict", vec![]));
                if r != Refused::Conflict {
                    e.insert("title".into(), ("prog-refused-move", vec![]));
                }
                let errors = localise_in_order(&ctx, &e, FORM_FIELDS);
                return render_form(state, ctx, Some(&p), form, errors).await;
            }
        },
        None => store::create(&txn, &input, &actor(acc)).await?,
    };
    txn.commit().await?;
    Ok(redirect_with_flash(state, &format!("/panel/program/{id}"), "flash-prog-saved"))
}

/// `POST /panel/program/nowy`.
pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    save(&state, ctx, &current, None, &pairs).await
}

fn editable(p: &programme::Model) -> bool {
    matches!(p.status, Status::Draft | Status::Consultation)
}

/// `GET /panel/program/{id}/edycja`.
pub async fn edit_page(State(state): State<AppState>, ctx: PageCtx, Path(id): Path<i64>) -> AppResult<Response> {
    let p = load(&state, id).await?;
    if !editable(&p) {
        return Err(AppError::NotFound);
    }
    let db = &state.platform.db.conn;
    let form = ProgrammeForm::of(&p, &store::tasks(db, id).await?, &store::indicators(db, id).await?);
    render_form(&state, ctx, Some(&p), form, Errors::default()).await
}

/// `POST /panel/program/{id}/edycja`.
pub async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let p = load(&state, id).await?;
    if !editable(&p) {
        return Err(AppError::NotFound);
    }
    save(&state, ctx, &current, Some(p), &pairs).await
}

// ---------------------------------------------------------------------------------------------
// One programme.

/// A call of the programme's years and the task it names.
pub struct CallRow {
    pub id: i64,
    pub title: String,
    pub kind: String,
    /// The task's id as the select's value ("" for none).
    pub task: String,
}

#[derive(Template)]
#[template(path = "programme/templates/panel/show.html")]
struct ShowPage {
    ctx: PageCtx,
    id: i64,
    v: ProgrammeView,
    editable: bool,
    missing: Vec<(&'static str, String)>,
    moves: Vec<Choice>,
    adoptable: bool,
    adoption: AdoptionForm,
    refused: Option<String>,
    errors: Errors,
    calls: Vec<CallRow>,
    tasks: Vec<Choice>,
    years: Vec<(i32, String)>,
}

async fn render_show(
    state: &AppState,
    ctx: PageCtx,
    p: &programme::Model,
    adoption: AdoptionForm,
    refused: Option<String>,
    errors: Errors,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let today = wspolnie_core::time::today();
    let tasks = store::tasks(db, p.id).await?;
    let indicators = store::indicators(db, p.id).await?;
    let now = model::current(p, today);
    let moves = [Status::Consultation, Status::Draft]
        .into_iter()
        .filter(|to| programme::allowed(now, *to))
        .map(|to| Choice { value: to.as_str().into(), label: ctx.t(&format!("prog-move-{}", to.as_str())) })
        .collect();
    let first = chrono::NaiveDate::from_ymd_opt(p.year_from, 1, 1);
    let last = chrono::NaiveDate::from_ymd_opt(p.year_to, 12, 31);
    let calls = match (first, last) {
        (Some(a), Some(b)) => grant_call::Entity::find()
            .filter(grant_call::Column::ExecutionFrom.between(a, b))
            .order_by_asc(grant_call::Column::ExecutionFrom)
            .all(db)
            .await?
            .into_iter()
            .map(|c| CallRow {
                id: c.id,
                kind: ctx.t(match c.kind {
                    grant_call::Kind::Open => "prog-call-kind-open",
                    grant_call::Kind::Small => "prog-call-kind-small",
                }),
                title: c.title,
                task: c.programme_task_id.map(|t| t.to_string()).unwrap_or_default(),
            })
            .collect(),
        _ => Vec::new(),
    };
    let reports = store::reports(db, p.id).await?;
    let years = (p.year_from..=p.year_to)
        .filter(|y| store::reportable(p, *y, today))
        .map(|y| {
            let state_key = match reports.iter().find(|r| r.year == y) {
                Some(r) if r.status == ReportStatus::Published => "prog-report-state-published",
                Some(_) => "prog-report-state-draft",
                None => "prog-report-state-none",
            };
            (y, ctx.t(state_key))
        })
        .collect();
    let page = ShowPage {
        id: p.id,
        v: public::view(state, &ctx, p).await?,
        editable: editable(p),
        missing: if editable(p) {
            model::missing_parts(p, &tasks, &indicators).into_iter().map(|(f, k)| (f, ctx.t(k))).collect()
        } else {
            Vec::new()
        },
        moves,
        adoptable: programme::allowed(now, Status::Adopted),
        adoption,
        refused,
        errors,
        calls,
        tasks: tasks
            .iter()
            .map(|t| Choice { value: t.id.to_string(), label: format!("{}. {}", t.position, t.name) })
            .collect(),
        years,
        ctx,
    };
    Ok(Html(page.render()?).into_response())
}

/// `GET /panel/program/{id}`.
pub async fn show(State(state): State<AppState>, ctx: PageCtx, Path(id): Path<i64>) -> AppResult<Response> {
    let p = load(&state, id).await?;
    render_show(&state, ctx, &p, AdoptionForm::default(), None, Errors::default()).await
}

/// `POST /panel/program/{id}/status`: to consultation, or back to a draft.
pub async fn move_status(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let p = load(&state, id).await?;
    let to = Status::parse(&get(&pairs, "to")).filter(|s| matches!(s, Status::Consultation | Status::Draft));
    let db = &state.platform.db.conn;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let done = match to {
        Some(to) => store::move_to(&txn, &p, to, None, &actor(acc)).await?,
        None => Err(Refused::Forbidden),
    };
    match finish(&state, &ctx, txn, done, &format!("/panel/program/{id}"), "flash-prog-moved").await? {
        Ok(r) => Ok(r),
        Err(text) => render_show(&state, ctx, &p, AdoptionForm::default(), Some(text), Errors::default()).await
    }
}

/// `POST /panel/program/{id}/uchwala`: the council adopted it.
pub async fn adopt(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let p = load(&state, id).await?;
    let form = AdoptionForm::from_pairs(&pairs);
    let resolution = match form.validate(wspolnie_core::time::today()) {
        Ok(r) => r,
        Err(e) => {
            let errors = localise_in_order(&ctx, &e, &["resolution_number", "resolution_date"]);
            return render_show(&state, ctx, &p, form, None, errors).await;
        }
    };
    let db = &state.platform.db.conn;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let done = store::move_to(&txn, &p, Status::Adopted, Some(resolution), &actor(acc)).await?;
    match finish(&state, &ctx, txn, done, &format!("/panel/program/{id}"), "flash-prog-adopted").await? {
        Ok(r) => Ok(r),
        Err(text) => render_show(&state, ctx, &p, form, Some(text), Errors::default()).await
    }
}

/// `POST /panel/program/{id}/konkursy`: the priority task each call of its years serves.
pub async fn link_calls(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let p = load(&state, id).await?;
    let db = &state.platform.db.conn;
    let tasks: Vec<i64> = store::tasks(db, id).await?.iter().map(|t| t.id).collect();
    let (Some(first), Some(last)) =
        (chrono::NaiveDate::from_ymd_opt(p.year_from, 1, 1), chrono::NaiveDate::from_ymd_opt(p.year_to, 12, 31))
    else {
        return Err(AppError::NotFound);
    };
    let calls = grant_call::Entity::find()
        .filter(grant_call::Column::ExecutionFrom.between(first, last))
        .all(db)
        .await?;
    // Every value is checked before anything is written.
    let mut changes = Vec::new();
    for c in &calls {
        let Some((_, v)) = pairs.iter().find(|(k, _)| *k == format!("call_{}", c.id)) else { continue };
        let task = if v.is_empty() {
            None
        } else {
            match v.parse::<i64>().ok().filter(|t| tasks.contains(t)) {
                Some(t) => Some(t),
                None => {
                    let text = ctx.t("prog-error-call-task");
                    return render_show(&state, ctx, &p, AdoptionForm::default(), Some(text), Errors::default()).await;
                }
            }
        };
        // A call linked to another programme's task is left as it is unless chosen here.
        if task != c.programme_task_id && (task.is_some() || c.programme_task_id.is_none_or(|t| tasks.contains(&t))) {
            changes.push((c.id, task));
        }
    }
    let txn = wspolnie_platform::db::begin_write(db).await?;
    for (call, task) in &changes {
        store::link_call(&txn, *call, *task).await?;
    }
    txn.commit().await?;
    Ok(redirect_with_flash(&state, &format!("/panel/program/{id}#konkursy-zadania"), "flash-prog-calls-linked"))
}

// ---------------------------------------------------------------------------------------------
// The report of one year.

pub struct ManualField {
    pub id: i64,
    pub name: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "programme/templates/panel/report.html")]
struct ReportPage {
    ctx: PageCtx,
    id: i64,
    title: String,
    year: i32,
    form: ReportForm,
    manual: Vec<ManualField>,
    published: bool,
    can_publish: bool,
    refused: Option<String>,
    errors: Errors,
    public_href: String,
    csv_base: String,
    v: ReportView,
}

#[allow(clippy::too_many_arguments)]
async fn render_report(
    state: &AppState,
    ctx: PageCtx,
    p: &programme::Model,
    year: i32,
    form: Option<ReportForm>,
    refused: Option<String>,
    errors: Errors,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let (r, v) = report::view_of(state, &ctx, p, year).await?;
    let indicators = store::indicators(db, p.id).await?;
    let stored_manual = store::manual_values(r.as_ref());
    let form = form.unwrap_or_else(|| ReportForm {
        introduction: r.as_ref().map(|r| r.introduction.clone()).unwrap_or_default(),
        financial: r.as_ref().map(|r| r.financial.clone()).unwrap_or_default(),
        non_financial: r.as_ref().map(|r| r.non_financial.clone()).unwrap_or_default(),
        conclusions: r.as_ref().map(|r| r.conclusions.clone()).unwrap_or_default(),
        manual: indicators
            .iter()
            .filter(|i| i.metric == Metric::Manual.as_str())
            .map(|i| (i.id, stored_manual.get(&i.id).map(|v| v.to_string()).unwrap_or_default()))
            .collect(),
    });
    let manual = indicators
        .iter()
        .filter(|i| i.metric == Metric::Manual.as_str())
        .map(|i| ManualField {
            id: i.id,
            name: i.name.clone(),
            value: form.manual.iter().find(|(id, _)| *id == i.id).map(|(_, v)| v.clone()).unwrap_or_default(),
        })
        .collect();
    let published = r.as_ref().is_some_and(|r| r.status == ReportStatus::Published);
    let today = wspolnie_core::time::today();
    let page = ReportPage {
        id: p.id,
        title: p.title.clone(),
        year,
        form,
        manual,
        published,
        can_publish: !published && r.is_some() && year < today.year(),
        refused,
        errors,
        public_href: format!("/program/{}/sprawozdanie/{year}", p.slug),
        csv_base: if published { format!("/program/{}/sprawozdanie/{year}", p.slug) } else { String::new() },
        v,
        ctx,
    };
    Ok(Html(page.render()?).into_response())
}

async fn load_reportable(state: &AppState, id: i64, year: i32) -> AppResult<programme::Model> {
    let p = load(state, id).await?;
    if !store::reportable(&p, year, wspolnie_core::time::today()) {
        return Err(AppError::NotFound);
    }
    Ok(p)
}

/// `GET /panel/program/{id}/sprawozdanie/{year}`.
pub async fn report_page(State(state): State<AppState>, ctx: PageCtx, Path((id, year)): Path<(i64, i32)>) -> AppResult<Response> {
    let p = load_reportable(&state, id, year).await?;
    render_report(&state, ctx, &p, year, None, None, Errors::default()).await
}

/// `POST /panel/program/{id}/sprawozdanie/{year}`: the narrative and manual values.
pub async fn report_save(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path((id, year)): Path<(i64, i32)>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let p = load_reportable(&state, id, year).await?;
    let db = &state.platform.db.conn;
    // The manual indicators in the programme's order, with their names.
    let manual: Vec<(i64, String)> = store::indicators(db, id)
        .await?
        .into_iter()
        .filter(|i| i.metric == Metric::Manual.as_str())
        .map(|i| (i.id, i.name))
        .collect();
    let ids: Vec<i64> = manual.iter().map(|(id, _)| *id).collect();
    let form = ReportForm::from_pairs(&pairs, &ids);
    let input = match form.validate(&manual.into_iter().collect()) {
        Ok(i) => i,
        Err(e) => {
            let mut order = vec!["introduction".to_owned(), "financial".into(), "non_financial".into(), "conclusions".into()];
            order.extend(ids.iter().map(|id| format!("manual_{id}")));
            let order: Vec<&str> = order.iter().map(String::as_str).collect();
            let errors = localise_in_order(&ctx, &e, &order);
            return render_report(&state, ctx, &p, year, Some(form), None, errors).await;
        }
    };
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let done = store::save_report(&txn, &p, year, &input, &actor(acc)).await?;
    match finish(&state, &ctx, txn, done, &format!("/panel/program/{id}/sprawozdanie/{year}"), "flash-prog-report-saved").await? {
        Ok(r) => Ok(r),
        Err(text) => render_report(&state, ctx, &p, year, Some(form), Some(text), Errors::default()).await
    }
}

/// `POST /panel/program/{id}/sprawozdanie/{year}/publikacja`.
pub async fn report_publish(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path((id, year)): Path<(i64, i32)>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let p = load_reportable(&state, id, year).await?;
    let db = &state.platform.db.conn;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let done = store::publish_report(&txn, &p, year, &actor(acc)).await?;
    match finish(&state, &ctx, txn, done, &format!("/panel/program/{id}/sprawozdanie/{year}"), "flash-prog-report-published").await? {
        Ok(r) => Ok(r),
        Err(text) => render_report(&state, ctx, &p, year, None, Some(text), Errors::default()).await
    }
}

/// Panel count for officials: deadlines of the programme or its report within the first
/// reminder's days and not met.
pub fn deadline_count<'a>(
    state: &'a AppState,
    _: &'a wspolnie_web::policy::Account,
) -> wspolnie_web::ctx::CountFuture<'a> {
    Box::pin(async move {
        let db = &state.platform.db.conn;
        let today = wspolnie_core::time::today();
        let days = wspolnie_platform::law::value(db, deadlines::Rule::RemindFirst, today).await?;
        let n = deadlines::current(db, today)
            .await?
            .iter()
            .filter(|d| d.done.is_none() && d.days_left <= days)
            .count();
        Ok(Some(u64::try_from(n).unwrap_or(0)))
    })
}
