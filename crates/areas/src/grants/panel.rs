//! The officials' pages of calls (`/panel/konkursy`, scope `grants`): the list, the form that
//! holds every item of art. 13 UDPP and the call's rules, the call's page with its moves
//! (announce, start the evaluation, annul) and cloning.

use crate::admin::web::actor;
use crate::grants::entity::grant_call::{self, Status};
use crate::grants::entity::grant_offer;
use crate::grants::law::{self, Law};
use crate::grants::model::{
    self as calls, CALL_FIELDS, CallData, CriterionRow, DEFAULT_CHECKLIST, MoveError, PriorRow,
    STATUTORY_CRITERIA, SPARE_ROWS,
};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use chrono::{Datelike, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use wspolnie_core::money::Money;
use wspolnie_platform::entity::sphere;
use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::{AppError, AppResult};
use wspolnie_web::fmt;
use wspolnie_web::forms::{Errors, HtmlForm, first};

/// Fluent id of a call status's name.
pub fn status_label(s: Status) -> String {
    format!("call-status-{}", s.as_str())
}

pub struct Row {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub status: String,
    pub deadline: String,
    pub offers: usize,
}

#[derive(Template)]
#[template(path = "grants/templates/admin/calls.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<Row>,
}

pub async fn list(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let now = Utc::now();
    let all = grant_call::Entity::find()
        .filter(grant_call::Column::Kind.eq(grant_call::Kind::Open))
        .order_by_desc(grant_call::Column::OfferDeadline)
        .all(db)
        .await?;
    let offers: Vec<(i64, grant_offer::Status)> = {
        use sea_orm::QuerySelect;
        grant_offer::Entity::find()
            .select_only()
            .column(grant_offer::Column::CallId)
            .column(grant_offer::Column::Status)
            .into_tuple()
            .all(db)
            .await?
    };
    let rows = all
        .into_iter()
        .map(|c| Row {
            offers: offers
                .iter()
                .filter(|(call, s)| *call == c.id && *s != grant_offer::Status::Draft)
                .count(),
            status: ctx.t(&status_label(calls::effective_status(&c, now))),
            deadline: fmt::datetime(ctx.lang, c.offer_deadline),
            id: c.id,
            number: c.number,
            title: c.title,
        })
        .collect();
    Ok(Html(ListPage { ctx, rows }.render()?).into_response())
}

pub struct Choice {
    pub code: String,
    pub label: String,
    pub checked: bool,
}

/// A repeated row of the form with the ids of its fields.
pub struct CriterionField {
    pub n: usize,
    pub row: CriterionRow,
}

pub struct PriorField {
    pub n: usize,
    pub row: PriorRow,
}

#[derive(Template)]
#[template(path = "grants/templates/admin/call_form.html")]
struct FormPage {
    ctx: PageCtx,
    title: String,
    action: String,
    back: String,
    d: CallData,
    spheres: Vec<Choice>,
    own_kinds: Vec<Choice>,
    criteria: Vec<CriterionField>,
    prior: Vec<PriorField>,
    errors: Errors,
}

async fn sphere_rows(state: &AppState) -> AppResult<Vec<sphere::Model>> {
    Ok(sphere::Entity::find()
        .filter(sphere::Column::ValidTo.is_null())
        .order_by_asc(sphere::Column::Position)
        .all(&state.platform.db.conn)
        .await?)
}

async fn render_form(
    state: &AppState,
    ctx: PageCtx,
    title: String,
    action: String,
    back: String,
    d: CallData,
    mut errors: Errors,
) -> AppResult<Response> {
    let spheres = sphere_rows(state)
        .await?
        .iter()
        .map(|s| Choice {
            code: s.code.clone(),
            label: fmt::sphere_name(ctx.lang, s),
            checked: d.sphere_code == s.code,
        })
        .collect();
    let own_kinds = calls::OWN_KINDS
        .iter()
        .map(|k| Choice {
            code: (*k).to_owned(),
            label: ctx.t(&format!("call-own-kind-{k}")),
            checked: d.own_kinds.iter().any(|c| c == k),
        })
        .collect();
    let criteria = d
        .criteria
        .iter()
        .cloned()
        .chain(std::iter::repeat_with(CriterionRow::default).take(SPARE_ROWS))
        .enumerate()
        .map(|(i, row)| CriterionField { n: i + 1, row })
        .collect();
    let prior = d
        .prior
        .iter()
        .cloned()
        .chain(std::iter::repeat_with(PriorRow::default).take(SPARE_ROWS))
        .enumerate()
        .map(|(i, row)| PriorField { n: i + 1, row })
        .collect();
    let order = field_order(&d);
    errors.order(&order.iter().map(String::as_str).collect::<Vec<_>>());
    let page = FormPage {
        ctx,
        title,
        action,
        back,
        d,
        spheres,
        own_kinds,
        criteria,
        prior,
        errors,
    };
    Ok(Html(page.render()?).into_response())
}

/// The form's fields in page order, with the repeated rows where they stand.
fn field_order(d: &CallData) -> Vec<String> {
    let mut out = Vec::new();
    for f in CALL_FIELDS {
        match *f {
            "criteria" => {
                for n in 1..=d.criteria.len().max(1) + SPARE_ROWS {
                    for c in ["name", "max_points", "weight"] {
                        out.push(format!("criterion-{n}-{c}"));
                    }
                }
            }
            "prior" => {
                for n in 1..=d.prior.len() + SPARE_ROWS {
                    for c in ["year", "task", "amount"] {
                        out.push(format!("prior-{n}-{c}"));
                    }
                }
            }
            f => out.push(f.to_owned()),
        }
    }
    out
}

/// The name of the repeated row a field id like `criterion-2-weight` belongs to.
fn row_label(ctx: &PageCtx, field: &str) -> Option<String> {
    let mut parts = field.splitn(3, '-');
    let (kind, n) = (parts.next()?, parts.next()?);
    parts.next()?;
    let key = match kind {
        "criterion" => "call-criterion-n",
        "prior" => "call-prior-n",
        _ => return None,
    };
    Some(ctx.t1(key, "n", n))
}

/// The call form's body: scalar fields once, repeated rows as parallel lists.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CallForm {
    #[serde(deserialize_with = "first")]
    number: String,
    #[serde(deserialize_with = "first")]
    title: String,
    #[serde(deserialize_with = "first")]
    sphere_code: String,
    #[serde(deserialize_with = "first")]
    task_type: String,
    #[serde(deserialize_with = "first")]
    description: String,
    #[serde(deserialize_with = "first")]
    funds: String,
    #[serde(deserialize_with = "first")]
    grant_rules: String,
    #[serde(deserialize_with = "first")]
    execution_from: String,
    #[serde(deserialize_with = "first")]
    execution_to: String,
    #[serde(deserialize_with = "first")]
    execution_conditions: String,
    #[serde(deserialize_with = "first")]
    offers_from: String,
    #[serde(deserialize_with = "first")]
    deadline_date: String,
    #[serde(deserialize_with = "first")]
    deadline_time: String,
    #[serde(deserialize_with = "first")]
    selection_procedure: String,
    #[serde(deserialize_with = "first")]
    selection_date: String,
    criterion_name: Vec<String>,
    criterion_points: Vec<String>,
    criterion_weight: Vec<String>,
    prior_year: Vec<String>,
    prior_task: Vec<String>,
    prior_amount: Vec<String>,
    #[serde(deserialize_with = "first")]
    formal_checklist: String,
    #[serde(deserialize_with = "first")]
    max_grant: String,
    #[serde(deserialize_with = "first")]
    min_own: String,
    own_kinds: Vec<String>,
    #[serde(deserialize_with = "first")]
    fees_allowed: String,
    #[serde(deserialize_with = "first")]
    admin_cap: String,
    #[serde(deserialize_with = "first")]
    max_years: String,
    #[serde(deserialize_with = "first")]
    joint_allowed: String,
    #[serde(deserialize_with = "first")]
    indicators_required: String,
    #[serde(deserialize_with = "first")]
    required_attachments: String,
    #[serde(deserialize_with = "first")]
    correction_days: String,
    #[serde(deserialize_with = "first")]
    contact_name: String,
    #[serde(deserialize_with = "first")]
    contact_email: String,
}

/// Most repeated rows a form may send (more are dropped).
const MAX_ROWS: usize = 60;

impl CallForm {
    fn into_data(self) -> CallData {
        let at = |v: &Vec<String>, i: usize| v.get(i).cloned().unwrap_or_default();
        let n = self.criterion_name.len().min(MAX_ROWS);
        let criteria = (0..n)
            .map(|i| CriterionRow {
                name: at(&self.criterion_name, i),
                max_points: at(&self.criterion_points, i),
                weight: at(&self.criterion_weight, i),
            })
            .collect();
        let n = self.prior_task.len().min(MAX_ROWS);
        let prior = (0..n)
            .map(|i| PriorRow {
                year: at(&self.prior_year, i),
                task: at(&self.prior_task, i),
                amount: at(&self.prior_amount, i),
            })
            .collect();
        CallData {
            number: self.number,
            title: self.title,
            sphere_code: self.sphere_code,
            task_type: self.task_type,
            description: self.description,
            funds: self.funds,
            grant_rules: self.grant_rules,
            execution_from: self.execution_from,
            execution_to: self.execution_to,
            execution_conditions: self.execution_conditions,
            offers_from: self.offers_from,
            deadline_date: self.deadline_date,
            deadline_time: self.deadline_time,
            selection_procedure: self.selection_procedure,
            selection_date: self.selection_date,
            criteria,
            prior,
            formal_checklist: self.formal_checklist,
            max_grant: self.max_grant,
            min_own: self.min_own,
            own_kinds: self.own_kinds.into_iter().take(10).collect(),
            fees_allowed: !self.fees_allowed.is_empty(),
            admin_cap: self.admin_cap,
            max_years: self.max_years,
            joint_allowed: !self.joint_allowed.is_empty(),
            indicators_required: !self.indicators_required.is_empty(),
            required_attachments: self.required_attachments,
            correction_days: self.correction_days,
            contact_name: self.contact_name,
            contact_email: self.contact_email,
        }
    }
}

/// A new call's form: the statutory criteria, the usual checklist, this year's and last year's
/// funded tasks of the first sphere are filled in when the sphere is chosen on saving.
pub async fn new_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let correction =
        law::value(db, Law::DefaultCorrectionDays, calls::warsaw_day(Utc::now())).await?;
    let d = CallData {
        criteria: STATUTORY_CRITERIA
            .iter()
            .map(|k| CriterionRow {
                name: ctx.t(k),
                max_points: "10".into(),
                weight: "1".into(),
            })
            .collect(),
        formal_checklist: DEFAULT_CHECKLIST
            .iter()
            .map(|k| ctx.t(k))
            .collect::<Vec<_>>()
            .join("\n"),
        own_kinds: vec!["financial".into(), "personal".into(), "in_kind".into()],
        max_years: "1".into(),
        deadline_time: "15:30".into(),
        correction_days: correction.to_string(),
        contact_name: ctx.site.office_name.clone(),
        contact_email: ctx.site.email.clone(),
        ..Default::default()
    };
    let title = ctx.t("call-new");
    render_form(
        &state,
        ctx,
        title,
        "/panel/konkursy/nowy".into(),
        "/panel/konkursy".into(),
        d,
        Errors::default(),
    )
    .await
}

async fn call(state: &AppState, id: i64) -> AppResult<grant_call::Model> {
    grant_call::Entity::find_by_id(id)
        .one(&state.platform.db.conn)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn edit_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let c = call(&state, id).await?;
    let title = ctx.t1("call-edit", "title", &c.title);
    render_form(
        &state,
        ctx,
        title,
        format!("/panel/konkursy/{id}/edycja"),
        format!("/panel/konkursy/{id}"),
        CallData::from_model(&c),
        Errors::default(),
    )
    .await
}

async fn save(
    state: AppState,
    ctx: PageCtx,
    current: CurrentAccount,
    existing: Option<grant_call::Model>,
    form: CallForm,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let db = &state.platform.db.conn;
    let mut d = form.into_data();
    let spheres: Vec<String> = sphere_rows(&state).await?.into_iter().map(|s| s.code).collect();
    // A published call's deadline stays at least the statutory minimum after its announcement.
    let announce_day = existing
        .as_ref()
        .and_then(|c| c.announced_at)
        .map(calls::warsaw_day);
    let min_days = match announce_day {
        Some(day) => law::value(db, Law::MinOfferDays, day).await?,
        None => 0,
    };
    let (e, values) = d.validate(&spheres, announce_day, min_days);
    let Some(values) = values else {
        let mut errors = Errors::default();
        for (f, key) in e.fields {
            let msg = match (key, e.earliest_deadline) {
                ("error-call-deadline-too-early", Some(min)) => ctx.t1(
                    key,
                    "date",
                    &fmt::date(
                        ctx.lang,
                        wspolnie_core::time::local_to_utc(min.and_hms_opt(12, 0, 0).unwrap_or_default())
                            .unwrap_or_else(Utc::now),
                    ),
                ),
                _ => {
                    let limits_field = f.rsplit('-').next().unwrap_or(&f).to_owned();
                    let msg = wspolnie_web::forms::message(
                        &ctx,
                        &crate::grants::limits::CALL,
                        &limits_field,
                        key,
                    );
                    // A message of a repeated row names its row, so two rows never share one.
                    match row_label(&ctx, &f) {
                        Some(row) => format!("{row}: {msg}"),
                        None => msg,
                    }
                }
            };
            errors.add(f, msg);
        }
        let (title, action, back) = match &existing {
            Some(c) => (
                ctx.t1("call-edit", "title", &c.title),
                format!("/panel/konkursy/{}/edycja", c.id),
                format!("/panel/konkursy/{}", c.id),
            ),
            None => (
                ctx.t("call-new"),
                "/panel/konkursy/nowy".into(),
                "/panel/konkursy".into(),
            ),
        };
        return render_form(&state, ctx, title, action, back, d, errors).await;
    };
    // A new call's list of tasks funded earlier is filled in from our own data when left empty.
    if existing.is_none() && d.prior.is_empty() {
        let year = values.execution_from.year();
        let found = calls::prior_funding_from_data(db, &d.sphere_code, year).await?;
        d.prior = found
            .iter()
            .map(|p| PriorRow {
                year: p.year.to_string(),
                task: p.task.clone(),
                amount: calls::money_text(p.amount),
            })
            .collect();
    }
    let values = if d.prior.is_empty() {
        values
    } else {
        let (_, v) = d.validate(&spheres, announce_day, min_days);
        v.unwrap_or(values)
    };
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let saved = calls::save(&txn, existing, &d, &values, &actor(acc)).await?;
    if saved.status.is_public() {
        crate::grants::public::sync_calendar(&txn, &saved).await?;
    }
    let id = saved.id;
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        &format!("/panel/konkursy/{id}"),
        "flash-call-saved",
    ))
}

pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    HtmlForm(form): HtmlForm<CallForm>,
) -> AppResult<Response> {
    save(state, ctx, current, None, form).await
}

pub async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<CallForm>,
) -> AppResult<Response> {
    let c = call(&state, id).await?;
    if matches!(c.status, Status::Decided | Status::Annulled) {
        return Err(AppError::Forbidden);
    }
    save(state, ctx, current, Some(c), form).await
}

/// A line of the call's page: label and value.
pub struct Fact {
    pub label: String,
    pub value: String,
}

/// A move the official may make now.
pub struct MoveChoice {
    pub to: &'static str,
    pub label: String,
    pub needs_reason: bool,
}

#[derive(Template)]
#[template(path = "grants/templates/admin/call.html")]
struct CallPage {
    ctx: PageCtx,
    c: grant_call::Model,
    status: String,
    facts: Vec<Fact>,
    criteria: Vec<calls::Criterion>,
    moves: Vec<MoveChoice>,
    earliest: String,
    offers: usize,
    errors: Errors,
    reason: String,
    ground: String,
}

async fn render_call(
    state: &AppState,
    ctx: PageCtx,
    c: grant_call::Model,
    errors: Errors,
    (reason, ground): (String, String),
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let now = Utc::now();
    let status = calls::effective_status(&c, now);
    let sphere = sphere::Entity::find()
        .filter(sphere::Column::Code.eq(c.sphere_code.clone()))
        .one(db)
        .await?
        .map(|s| fmt::sphere_name(ctx.lang, &s))
        .unwrap_or_else(|| c.sphere_code.clone());
    let today = calls::warsaw_day(now);
    let min_days = law::value(db, Law::MinOfferDays, today).await?;
    let earliest_day = calls::earliest_deadline(today, min_days);
    let earliest = fmt::date(
        ctx.lang,
        wspolnie_core::time::local_to_utc(earliest_day.and_hms_opt(12, 0, 0).unwrap_or_default())
            .unwrap_or(now),
    );
    let offers = {
        use sea_orm::PaginatorTrait;
        grant_offer::Entity::find()
            .filter(grant_offer::Column::CallId.eq(c.id))
            .filter(grant_offer::Column::Status.ne(grant_offer::Status::Draft))
            .count(db)
            .await? as usize
    };
    let day = |d: chrono::NaiveDate| {
        fmt::date(
            ctx.lang,
            wspolnie_core::time::local_to_utc(d.and_hms_opt(12, 0, 0).unwrap_or_default())
                .unwrap_or(now),
        )
    };
    let pct = |bp: i32| crate::grants::offer::percent_pl(i64::from(bp));
    let yes_no = |b: bool| ctx.t(if b { "call-yes" } else { "call-no" });
    let mut facts = vec![
        Fact { label: ctx.t("call-field-number"), value: c.number.clone() },
        Fact { label: ctx.t("call-field-sphere"), value: sphere },
        Fact { label: ctx.t("call-field-funds"), value: Money(c.funds_available).to_string() },
        Fact {
            label: ctx.t("call-field-execution"),
            value: format!("{} – {}", day(c.execution_from), day(c.execution_to)),
        },
        Fact { label: ctx.t("call-field-deadline"), value: fmt::datetime(ctx.lang, c.offer_deadline) },
        Fact { label: ctx.t("call-field-selection-date"), value: day(c.selection_date) },
        Fact {
            label: ctx.t("call-field-max-grant"),
            value: c.max_grant.map(|m| Money(m).to_string()).unwrap_or_else(|| ctx.t("call-no-limit")),
        },
        Fact {
            label: ctx.t("call-field-min-own"),
            value: format!(
                "{} ({})",
                pct(c.min_own_bp),
                calls::own_kinds_of(&c)
                    .iter()
                    .map(|k| ctx.t(&format!("call-own-kind-{k}")))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
        Fact {
            label: ctx.t("call-field-admin-cap"),
            value: c.admin_cap_bp.map(pct).unwrap_or_else(|| ctx.t("call-no-limit")),
        },
        Fact { label: ctx.t("call-field-max-years"), value: c.max_years.to_string() },
        Fact { label: ctx.t("call-field-fees"), value: yes_no(c.fees_allowed) },
        Fact { label: ctx.t("call-field-joint"), value: yes_no(c.joint_allowed) },
        Fact { label: ctx.t("call-field-indicators"), value: yes_no(c.indicators_required) },
        Fact { label: ctx.t("call-field-correction-days"), value: c.correction_days.to_string() },
    ];
    if let Some(a) = c.announced_at {
        facts.insert(0, Fact { label: ctx.t("call-announced-at"), value: fmt::datetime(ctx.lang, a) });
    }
    let moves = [
        (Status::Open, "call-move-announce", false),
        (Status::InEvaluation, "call-move-evaluate", false),
        (Status::Annulled, "call-move-annul", true),
    ]
    .into_iter()
    .filter(|(to, _, _)| {
        let from = status;
        grant_call::allowed(from, *to) && from != *to
            || (*to == Status::Open && from == Status::Draft)
    })
    .map(|(to, label, needs_reason)| MoveChoice {
        to: to.as_str(),
        label: ctx.t(label),
        needs_reason,
    })
    .collect();
    let page = CallPage {
        status: ctx.t(&status_label(status)),
        criteria: calls::criteria_of(&c),
        facts,
        moves,
        earliest,
        offers,
        errors,
        reason,
        ground,
        ctx,
        c,
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let c = call(&state, id).await?;
    render_call(&state, ctx, c, Errors::default(), Default::default()).await
}

/// A move of the call's life cycle (`to`), with the reason an annulment needs.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MoveForm {
    #[serde(deserialize_with = "first")]
    to: String,
    #[serde(deserialize_with = "first")]
    reason: String,
    /// For an annulment: `annul::Ground` code.
    #[serde(deserialize_with = "first")]
    ground: String,
}

pub async fn move_status(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<MoveForm>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let c = call(&state, id).await?;
    let reason = form.reason.trim().to_owned();
    let Some(to) = Status::parse(&form.to) else {
        return Err(AppError::BadRequest);
    };
    let mut fe = crate::grants::model::FieldErrors::new();
    crate::grants::limits::MOVE.check_into(&mut fe, &[("reason", &reason)]);
    if let Some((f, key)) = fe.into_iter().next() {
        let msg = wspolnie_web::forms::message(&ctx, &crate::grants::limits::MOVE, &f, key);
        return render_call(&state, ctx, c, Errors::form(f, msg), (reason, form.ground)).await;
    }
    let db = &state.platform.db.conn;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let public_url = state.platform.config.server.public_url.clone();
    if to == Status::Annulled {
        use crate::grants::annul::{self, Ground, Refusal};
        use sea_orm::QuerySelect;
        let Some(ground) = Ground::parse(&form.ground) else {
            drop(txn);
            let msg = ctx.t("error-annul-ground");
            return render_call(&state, ctx, c, Errors::form("ground", msg), (reason, form.ground)).await;
        };
        let c = grant_call::Entity::find_by_id(id)
            .lock_exclusive()
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        return match annul::annul(&txn, c.clone(), ground, &reason, &actor(acc), &public_url).await? {
            Ok(saved) => {
                after_move(&txn, &saved, false, &public_url).await?;
                txn.commit().await?;
                Ok(wspolnie_web::ctx::redirect_with_flash(
                    &state,
                    &format!("/panel/konkursy/{id}"),
                    "flash-call-annulled",
                ))
            }
            Err(r) => {
                drop(txn);
                let (field, key) = match r {
                    Refusal::Reason => ("reason", "error-call-annul-reason"),
                    Refusal::GroundFails => ("ground", "error-annul-ground-fails"),
                    Refusal::NotAllowed => ("ground", "error-call-move"),
                };
                let msg = ctx.t(key);
                render_call(&state, ctx, c, Errors::form(field, msg), (reason, form.ground)).await
            }
        };
    }
    match calls::move_to(&txn, c.clone(), to, &reason, &actor(acc)).await {
        Ok((saved, announced)) => {
            after_move(&txn, &saved, announced, &public_url).await?;
            txn.commit().await?;
            Ok(wspolnie_web::ctx::redirect_with_flash(
                &state,
                &format!("/panel/konkursy/{id}"),
                "flash-call-moved",
            ))
        }
        Err(MoveError::DeadlineTooEarly(min)) => {
            drop(txn);
            let date = fmt::date(
                ctx.lang,
                wspolnie_core::time::local_to_utc(min.and_hms_opt(12, 0, 0).unwrap_or_default())
                    .unwrap_or_else(Utc::now),
            );
            let msg = ctx.t1("error-call-announce-too-late", "date", &date);
            render_call(&state, ctx, c, Errors::form("move-announce", msg), (reason, form.ground)).await
        }
        Err(MoveError::NotAllowed) => {
            drop(txn);
            let msg = ctx.t("error-call-move");
            render_call(&state, ctx, c, Errors::form("move-announce", msg), (reason, form.ground)).await
        }
        Err(MoveError::Db(e)) => Err(e.into()),
    }
}

/// What a move of a call sets in motion, on its transaction: an announcement's notices (the
/// calendar entry and the mailing to subscribers of grant calls), otherwise the calendar entry
/// kept in step; and the clock's jobs at the call's moments.
pub async fn after_move<C: sea_orm::ConnectionTrait>(
    db: &C,
    saved: &grant_call::Model,
    announced: bool,
    public_url: &str,
) -> Result<(), sea_orm::DbErr> {
    if announced {
        crate::grants::notify::on_announce(db, saved, public_url).await?;
    } else {
        crate::grants::public::sync_calendar(db, saved).await?;
    }
    crate::grants::jobs::schedule_clock(db, saved).await
}

pub async fn clone(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let c = call(&state, id).await?;
    let db = &state.platform.db.conn;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let new_id = calls::clone_call(&txn, &c, &ctx.t("call-copy-suffix"), &actor(acc)).await?;
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        &format!("/panel/konkursy/{new_id}/edycja"),
        "flash-call-cloned",
    ))
}
