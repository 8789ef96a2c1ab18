//! The officials' pages of consultations (`/panel/konsultacje`, scope `consultations`): the list,
//! the form of a consultation (new and edit), one consultation's page with everything done to it
//! (announce, a new version, a remark sent by e-mail or on paper, answers in bulk, the RDPP's
//! opinion, the report) and the reusable answers. Each form is validated by its struct in
//! `model.rs`; each write goes through `store.rs` on one transaction.

use super::entity::consultation::{self, Audience, Status};
use super::entity::consultation_remark::{self as remark, Channel, Position};
use super::model::{
    self, AnswerForm, ConsultationForm, OpinionForm, RemarkForm, ReportForm, Sender, TemplateForm, VersionForm,
};
use super::public::{self, RemarkView, period, remark_view};
use super::rules;
use super::store::{self, Refused};
use crate::admin::web::actor;
use crate::meetings::entity::meeting;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use chrono::Utc;
use sea_orm::{EntityTrait, QueryOrder, QuerySelect};
use wspolnie_platform::validation::FieldErrors;
use wspolnie_web::AppState;
use wspolnie_web::auth::{CurrentAccount, signed};
use wspolnie_web::ctx::{PageCtx, redirect_with_flash};
use wspolnie_web::errors::{AppError, AppResult};
use wspolnie_web::fmt;
use wspolnie_web::forms::{Errors, HtmlForm, localise_in_order};


async fn load(state: &AppState, id: i64) -> AppResult<consultation::Model> {
    consultation::Entity::find_by_id(id)
        .one(&state.platform.db.conn)
        .await?
        .ok_or(AppError::NotFound)
}


// ---------------------------------------------------------------------------------------------
// The list.

pub struct Row {
    pub id: i64,
    pub title: String,
    pub period: String,
    pub status: String,
    pub remarks: usize,
    pub unanswered: usize,
}

#[derive(Template)]
#[template(path = "consultations/templates/panel/list.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<Row>,
}

/// `GET /panel/konsultacje`.
pub async fn list(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let now = Utc::now();
    // Every remark's consultation and whether it has a position, in one query.
    let remarks: Vec<(i64, Option<Position>)> = remark::Entity::find()
        .select_only()
        .column(remark::Column::ConsultationId)
        .column(remark::Column::Position)
        .into_tuple()
        .all(db)
        .await?;
    let rows = consultation::Entity::find()
        .order_by_desc(consultation::Column::StartsAt)
        .all(db)
        .await?
        .into_iter()
        .map(|c| {
            let mine = remarks.iter().filter(|(id, _)| *id == c.id);
            Row {
                id: c.id,
                title: c.title.clone(),
                period: period(&ctx, &c),
                status: ctx.t(&model::current(&c, now).label_key()),
                unanswered: mine.clone().filter(|(_, p)| p.is_none()).count(),
                remarks: mine.count(),
            }
        })
        .collect();
    Ok(Html(ListPage { ctx, rows }.render()?).into_response())
}

// ---------------------------------------------------------------------------------------------
// The consultation's form.

pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "consultations/templates/panel/form.html")]
struct FormPage {
    ctx: PageCtx,
    /// None for a new one.
    id: Option<i64>,
    /// The stored title (the breadcrumb's, whatever the form holds).
    name: String,
    /// The draft's text is edited here only before announcement.
    draft_editable: bool,
    form: ConsultationForm,
    audiences: Vec<Choice>,
    meetings: Vec<Choice>,
    min_days: i64,
    errors: Errors,
}

const FORM_FIELDS: &[&str] = &[
    "title",
    "subject",
    "audience",
    "form_online",
    "meeting",
    "start_date",
    "end_date",
    "short_reason",
    "contact_name",
    "contact_email",
    "draft",
];

async fn meetings(state: &AppState) -> AppResult<Vec<meeting::Model>> {
    Ok(meeting::Entity::find()
        .order_by_desc(meeting::Column::StartsAt)
        .all(&state.platform.db.conn)
        .await?)
}

async fn render_form(
    state: &AppState,
    ctx: PageCtx,
    stored: Option<&consultation::Model>,
    form: ConsultationForm,
    errors: Errors,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let r = rules::on(db, model::warsaw_day(Utc::now())).await?;
    let page = FormPage {
        id: stored.map(|c| c.id),
        name: stored.map(|c| c.title.clone()).unwrap_or_default(),
        draft_editable: stored.is_none_or(|c| c.status == Status::Draft),
        audiences: r
            .audiences
            .iter()
            .map(|a| Choice { value: a.as_str().into(), label: ctx.t(&a.label_key()) })
            .collect(),
        meetings: meetings(state)
            .await?
            .into_iter()
            .map(|m| Choice {
                value: m.id.to_string(),
                label: format!("{} ({})", m.title, fmt::datetime(ctx.lang, m.starts_at)),
            })
            .collect(),
        min_days: r.min_days,
        form,
        errors,
        ctx,
    };
    Ok(Html(page.render()?).into_response())
}

/// `GET /panel/konsultacje/nowa`.
pub async fn new_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let form = ConsultationForm {
        audience: Audience::Organisations.as_str().into(),
        form_online: true,
        remarks_public: true,
        contact_name: acc.user.display_name.clone(),
        contact_email: acc.user.email.clone(),
        ..Default::default()
    };
    render_form(&state, ctx, None, form, Errors::default()).await
}

async fn save(
    state: &AppState,
    ctx: PageCtx,
    current: &CurrentAccount,
    stored: Option<consultation::Model>,
    pairs: &[(String, String)],
) -> AppResult<Response> {
    let acc = signed(current)?;
    let db = &state.platform.db.conn;
    let form = ConsultationForm::from_pairs(pairs);
    let today = model::warsaw_day(Utc::now());
    let r = rules::on(db, today).await?;
    let ids: Vec<i64> = meetings(state).await?.iter().map(|m| m.id).collect();
    let input = match form.validate(&r, today, stored.as_ref(), &ids) {
        Ok(i) => i,
        Err(e) => {
            let errors = localise_in_order(&ctx, &e, FORM_FIELDS);
            return render_form(state, ctx, stored.as_ref(), form, errors).await;
        }
    };
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let id = match stored {
        Some(c) => {
            let id = c.id;
            store::update(&txn, c, &input, &actor(acc)).await?;
            id
        }
        None => store::create(&txn, &input, &actor(acc)).await?,
    };
    txn.commit().await?;
    Ok(redirect_with_flash(state, &format!("/panel/konsultacje/{id}"), "flash-cons-saved"))
}

/// `POST /panel/konsultacje/nowa`.
pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    save(&state, ctx, &current, None, &pairs).await
}

/// `GET /panel/konsultacje/{id}/edycja`.
pub async fn edit_page(State(state): State<AppState>, ctx: PageCtx, Path(id): Path<i64>) -> AppResult<Response> {
    let c = load(&state, id).await?;
    if c.status == Status::Reported {
        return Err(AppError::NotFound);
    }
    let versions = store::versions(&state.platform.db.conn, id).await?;
    let source = versions.first().map(|v| v.source.clone()).unwrap_or_default();
    let form = ConsultationForm::of(&c, &source);
    render_form(&state, ctx, Some(&c), form, Errors::default()).await
}

/// `POST /panel/konsultacje/{id}/edycja`.
pub async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let c = load(&state, id).await?;
    if c.status == Status::Reported {
        return Err(AppError::NotFound);
    }
    save(&state, ctx, &current, Some(c), &pairs).await
}

// ---------------------------------------------------------------------------------------------
// One consultation.

pub struct VersionRow {
    pub number: i32,
    pub when: String,
    pub note: String,
    pub units: usize,
}

/// The forms of the consultation's page, as typed (one of them may come back with errors).
#[derive(Default)]
pub struct Forms {
    pub version: VersionForm,
    pub remark: RemarkForm,
    pub answer: AnswerForm,
    pub opinion: OpinionForm,
    pub report: ReportForm,
    /// The title of an attachment being uploaded.
    pub file_title: String,
}

pub struct UnitChoice {
    pub anchor: String,
    pub label: String,
}

pub struct TemplateChoice {
    pub id: i64,
    pub title: String,
    pub position: String,
}

#[derive(Template)]
#[template(path = "consultations/templates/panel/show.html")]
struct ShowPage {
    ctx: PageCtx,
    c: consultation::Model,
    status: Status,
    status_label: String,
    period: String,
    audience: String,
    forms_used: Vec<String>,
    versions: Vec<VersionRow>,
    units: Vec<UnitChoice>,
    remarks: Vec<RemarkView>,
    /// Ids of remarks still without a position.
    unanswered: Vec<i64>,
    templates: Vec<TemplateChoice>,
    channels: Vec<Choice>,
    positions: Vec<Choice>,
    rdpp_due: String,
    rdpp_late: bool,
    files: Vec<crate::pages::web::Download>,
    forms: Forms,
    errors: Errors,
}

async fn render_show(state: &AppState, ctx: PageCtx, c: consultation::Model, mut forms: Forms, errors: Errors) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let now = Utc::now();
    let versions = store::versions(db, c.id).await?;
    let latest = versions.last().ok_or(AppError::NotFound)?;
    let all = store::remarks(db, c.id).await?;
    let r = rules::on(db, model::warsaw_day(now)).await?;
    if forms.version.draft.is_empty() {
        forms.version.draft = latest.source.clone();
    }
    let rdpp_due = c.rdpp_sent_on.map(|d| wspolnie_core::time::deadline_after(d, r.rdpp_days));
    let page = ShowPage {
        status: model::current(&c, now),
        status_label: ctx.t(&model::current(&c, now).label_key()),
        period: period(&ctx, &c),
        audience: ctx.t(&c.audience.label_key()),
        forms_used: public::forms(&ctx, &c),
        units: store::units(latest)
            .into_iter()
            .map(|u| UnitChoice { anchor: u.anchor, label: u.label })
            .collect(),
        remarks: all.iter().map(|r| remark_view(&ctx, r, &versions)).collect(),
        unanswered: all.iter().filter(|r| r.position.is_none()).map(|r| r.id).collect(),
        versions: versions
            .iter()
            .map(|v| VersionRow {
                number: v.number,
                when: fmt::datetime(ctx.lang, v.created_at),
                note: v.note.clone(),
                units: store::units(v).len(),
            })
            .collect(),
        templates: store::templates(db)
            .await?
            .into_iter()
            .map(|t| TemplateChoice { id: t.id, title: t.title, position: ctx.t(&t.position.label_key()) })
            .collect(),
        channels: [Channel::Email, Channel::Paper, Channel::Meeting]
            .iter()
            .map(|ch| Choice { value: ch.as_str().into(), label: ctx.t(&ch.label_key()) })
            .collect(),
        positions: Position::ALL
            .iter()
            .map(|p| Choice { value: p.as_str().into(), label: ctx.t(&p.label_key()) })
            .collect(),
        rdpp_due: rdpp_due.map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_default(),
        files: store::files(db, ctx.lang, c.id).await?,
        rdpp_late: rdpp_due.is_some_and(|d| d < model::warsaw_day(now)) && c.rdpp_opinion_on.is_none(),
        forms,
        errors,
        ctx,
        c,
    };
    Ok(Html(page.render()?).into_response())
}

/// `GET /panel/konsultacje/{id}`.
pub async fn show(State(state): State<AppState>, ctx: PageCtx, Path(id): Path<i64>) -> AppResult<Response> {
    let c = load(&state, id).await?;
    let forms = Forms {
        report: ReportForm { summary: c.summary_md.clone(), minutes: c.minutes_md.clone() },
        opinion: OpinionForm {
            sent_on: c.rdpp_sent_on.map(|d| d.to_string()).unwrap_or_default(),
            opinion: c.rdpp_opinion_md.clone(),
            opinion_on: c.rdpp_opinion_on.map(|d| d.to_string()).unwrap_or_default(),
        },
        ..Default::default()
    };
    render_show(&state, ctx, c, forms, Errors::default()).await
}

/// Fluent id of a field of the consultation's form (named in the announcement's errors).
fn field_key(field: &str) -> &'static str {
    match field {
        "title" => "cons-field-title",
        "subject" => "cons-field-subject",
        "audience" => "cons-field-audience",
        "form_online" => "cons-field-forms",
        "meeting" => "cons-field-meeting",
        "start_date" => "cons-field-start",
        "end_date" => "cons-field-end",
        "short_reason" => "cons-field-short-reason",
        "contact_name" => "cons-field-contact-name",
        "contact_email" => "cons-field-contact-email",
        _ => "cons-field-draft",
    }
}

/// Ends a write the store may refuse: commits and goes to `to` with `flash`, or rolls back and
/// shows the consultation's page again with the refusal next to `field` and the form as typed.
#[allow(clippy::too_many_arguments)]
async fn finish(
    state: &AppState,
    ctx: PageCtx,
    c: consultation::Model,
    txn: sea_orm::DatabaseTransaction,
    outcome: Result<(), Refused>,
    to: &str,
    flash: &'static str,
    field: &str,
    forms: Forms,
) -> AppResult<Response> {
    match outcome {
        Ok(()) => {
            txn.commit().await?;
            Ok(redirect_with_flash(state, to, flash))
        }
        Err(r) => {
            drop(txn);
            let errors = refused(&ctx, field, r);
            render_show(state, ctx, c, forms, errors).await
        }
    }
}

/// A refusal of the store as an error next to `field` of the form that asked.
fn refused(ctx: &PageCtx, field: &str, r: Refused) -> Errors {
    let msg = match r {
        Refused::Unanswered(n) => ctx.t1("cons-error-unanswered", "count", &n.to_string()),
        Refused::NotOpen => ctx.t("cons-error-not-taking"),
        Refused::NotHers => ctx.t("cons-error-not-hers"),
        Refused::Forbidden => ctx.t("cons-error-forbidden"),
    };
    Errors::form(field, msg)
}

/// `POST /panel/konsultacje/{id}/ogloszenie`.
pub async fn announce(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let c = load(&state, id).await?;
    let db = &state.platform.db.conn;
    // The period checked again as it stands today (a draft saved last week may start in the past).
    let today = model::warsaw_day(Utc::now());
    let r = rules::on(db, today).await?;
    let source = store::versions(db, id).await?.first().map(|v| v.source.clone()).unwrap_or_default();
    let ids: Vec<i64> = meetings(&state).await?.iter().map(|m| m.id).collect();
    if let Err(e) = ConsultationForm::of(&c, &source).validate(&r, today, None, &ids) {
        let mut errors = Errors::default();
        for (f, m) in localise_in_order(&ctx, &e, FORM_FIELDS).list() {
            errors.add("announce", format!("{}: {m}", ctx.t(field_key(f))));
        }
        return render_show(&state, ctx, c, Forms::default(), errors).await;
    }
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let outcome = store::announce(&txn, c.clone(), &actor(acc), &state.platform.config.server.public_url).await?;
    finish(&state, ctx, c, txn, outcome.map(|_| ()), &format!("/panel/konsultacje/{id}"), "flash-cons-announced", "announce", Forms::default()).await
}

/// `POST /panel/konsultacje/{id}/wersja`.
pub async fn new_version(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let c = load(&state, id).await?;
    let db = &state.platform.db.conn;
    let form = VersionForm::from_pairs(&pairs);
    let previous = store::versions(db, id).await?.last().map(|v| v.source.clone()).unwrap_or_default();
    let (source, note) = match form.validate(&previous) {
        Ok(v) => v,
        Err(e) => {
            let errors = localise_in_order(&ctx, &e, &["draft", "note"]);
            return render_show(&state, ctx, c, Forms { version: form, ..Default::default() }, errors).await;
        }
    };
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let outcome = store::new_version(&txn, &c, &source, &note, &actor(acc)).await?;
    finish(&state, ctx, c, txn, outcome.map(|_| ()), &format!("/panel/konsultacje/{id}"), "flash-cons-version", "draft", Forms { version: form, ..Default::default() }).await
}

/// `POST /panel/konsultacje/{id}/uwagi`: a remark sent by e-mail, on paper or said at the
/// meeting, entered for its author.
pub async fn enter_remark(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let c = load(&state, id).await?;
    let db = &state.platform.db.conn;
    let mut form = RemarkForm::from_pairs(&pairs);
    form.organization.clear();
    let versions = store::versions(db, id).await?;
    let latest = versions.last().ok_or(AppError::NotFound)?.clone();
    let input = match form.validate(&store::units(&latest), Sender::Official) {
        Ok(i) => i,
        Err(e) => {
            let errors = localise_in_order(
                &ctx,
                &e,
                &["anchor", "channel", "organization_name", "author_name", "author_email", "proposal", "justification"],
            );
            return render_show(&state, ctx, c, Forms { remark: form, ..Default::default() }, errors).await;
        }
    };
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let outcome = store::add_remark(&txn, &c, &latest, &input, None, &actor(acc)).await?;
    finish(&state, ctx, c, txn, outcome.map(|_| ()), &format!("/panel/konsultacje/{id}#uwagi"), "flash-cons-remark-entered", "proposal", Forms { remark: form, ..Default::default() }).await
}

/// `POST /panel/konsultacje/{id}/odpowiedzi`: one position and justification for the ticked
/// remarks.
pub async fn answer(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let c = load(&state, id).await?;
    let db = &state.platform.db.conn;
    let form = AnswerForm::from_pairs(&pairs);
    let templates: Vec<(i64, Position, String)> =
        store::templates(db).await?.into_iter().map(|t| (t.id, t.position, t.body)).collect();
    let input = match form.validate(&templates) {
        Ok(i) => i,
        Err(e) => {
            let errors = localise_in_order(&ctx, &e, &["remarks", "position", "template", "answer"]);
            return render_show(&state, ctx, c, Forms { answer: form, ..Default::default() }, errors).await;
        }
    };
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let outcome = store::answer(&txn, &c, &input, &actor(acc)).await?;
    finish(&state, ctx, c, txn, outcome.map(|_| ()), &format!("/panel/konsultacje/{id}#uwagi"), "flash-cons-answered", "remarks", Forms { answer: form, ..Default::default() }).await
}

/// `POST /panel/konsultacje/{id}/opinia`: the RDPP's opinion and its clock.
pub async fn opinion(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let c = load(&state, id).await?;
    let form = OpinionForm::from_pairs(&pairs);
    let input = match form.validate(model::warsaw_day(Utc::now())) {
        Ok(i) => i,
        Err(e) => {
            let errors = localise_in_order(&ctx, &e, &["sent_on", "opinion", "opinion_on"]);
            return render_show(&state, ctx, c, Forms { opinion: form, ..Default::default() }, errors).await;
        }
    };
    let txn = wspolnie_platform::db::begin_write(&state.platform.db.conn).await?;
    let outcome = store::record_opinion(&txn, c.clone(), &input, &actor(acc)).await?;
    finish(&state, ctx, c, txn, outcome.map(|_| ()), &format!("/panel/konsultacje/{id}#rdpp"), "flash-cons-opinion", "sent_on", Forms { opinion: form, ..Default::default() }).await
}

/// `POST /panel/konsultacje/{id}/raport`: publishes the report and tells every author.
pub async fn report(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let c = load(&state, id).await?;
    let form = ReportForm::from_pairs(&pairs);
    let (summary, minutes) = match form.validate() {
        Ok(v) => v,
        Err(e) => {
            let errors = localise_in_order(&ctx, &e, &["summary", "minutes"]);
            return render_show(&state, ctx, c, Forms { report: form, ..Default::default() }, errors).await;
        }
    };
    let txn = wspolnie_platform::db::begin_write(&state.platform.db.conn).await?;
    let public_url = state.platform.config.server.public_url.clone();
    let outcome = store::publish_report(&txn, c.clone(), &summary, &minutes, &actor(acc), &public_url).await?;
    finish(&state, ctx, c, txn, outcome.map(|_| ()), &format!("/panel/konsultacje/{id}"), "flash-cons-reported", "summary", Forms { report: form, ..Default::default() }).await
}

// ---------------------------------------------------------------------------------------------
// Reusable answers.

pub struct TemplateRow {
    pub title: String,
    pub position: String,
    pub body: String,
}

#[derive(Template)]
#[template(path = "consultations/templates/panel/templates.html")]
struct TemplatesPage {
    ctx: PageCtx,
    rows: Vec<TemplateRow>,
    positions: Vec<Choice>,
    form: TemplateForm,
    errors: Errors,
}

async fn render_templates(state: &AppState, ctx: PageCtx, form: TemplateForm, errors: Errors) -> AppResult<Response> {
    let rows = store::templates(&state.platform.db.conn)
        .await?
        .into_iter()
        .map(|t| TemplateRow { title: t.title, position: ctx.t(&t.position.label_key()), body: t.body })
        .collect();
    let positions = Position::ALL
        .iter()
        .map(|p| Choice { value: p.as_str().into(), label: ctx.t(&p.label_key()) })
        .collect();
    Ok(Html(TemplatesPage { ctx, rows, positions, form, errors }.render()?).into_response())
}

/// `GET /panel/konsultacje/szablony`.
pub async fn templates(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    render_templates(&state, ctx, TemplateForm::default(), Errors::default()).await
}

/// `POST /panel/konsultacje/szablony`.
pub async fn add_template(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let form = TemplateForm::from_pairs(&pairs);
    let (title, position, body) = match form.validate() {
        Ok(v) => v,
        Err(e) => {
            let errors = localise_in_order(&ctx, &e, &["title", "position", "answer"]);
            return render_templates(&state, ctx, form, errors).await;
        }
    };
    let txn = wspolnie_platform::db::begin_write(&state.platform.db.conn).await?;
    store::save_template(&txn, &title, position, &body, &actor(acc)).await?;
    txn.commit().await?;
    Ok(redirect_with_flash(&state, "/panel/konsultacje/szablony", "flash-cons-template"))
}

// ---------------------------------------------------------------------------------------------
// Attachments.

/// Attachments may be uploaded up to this size (as a page's guides).
pub const MAX_FILE_BYTES: usize = crate::pages::web::MAX_FILE_BYTES;
/// Storage prefix of consultations' attachments.
const FILE_PREFIX: &str = "consultations";

/// `POST /panel/konsultacje/{id}/pliki` (multipart): a document and its title.
pub async fn upload(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    mp: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Response> {
    use wspolnie_web::uploads::DocumentProblem;
    let acc = signed(&current)?;
    let c = load(&state, id).await?;
    let mp = mp.map_err(|_| AppError::BadRequest)?;
    let form = wspolnie_web::forms::MultipartForm::read(mp, MAX_FILE_BYTES).await?;
    let title = form.fields.get("file_title").and_then(|v| v.first()).map(|t| t.trim().to_owned()).unwrap_or_default();
    let mut e = FieldErrors::new();
    super::limits::FILE.check_fields(&mut e, &[("file_title", &title)]);
    if title.is_empty() {
        e.entry("file_title".into()).or_insert(("cons-error-file-title", vec![]));
    }
    let mut errors = localise_in_order(&ctx, &e, &["file_title"]);
    let doc = match wspolnie_web::uploads::document(&form, "file") {
        Ok(d) => Some(d),
        Err(p) => {
            errors.add(
                "file",
                ctx.t(match p {
                    DocumentProblem::TooLarge => "cons-error-file-too-large",
                    DocumentProblem::Missing => "cons-error-file-missing",
                    DocumentProblem::Type => "cons-error-file-type",
                }),
            );
            None
        }
    };
    let Some((up, (ext, content_type))) = doc.filter(|_| errors.is_empty()) else {
        let forms = Forms { file_title: title, ..Default::default() };
        return render_show(&state, ctx, c, forms, errors).await;
    };
    let db = &state.platform.db.conn;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let stored =
        wspolnie_web::uploads::store_file(&state, &txn, FILE_PREFIX, ext, content_type, up.bytes.clone(), &up.filename).await?;
    let outcome = store::add_file(&txn, &c, &stored.key, &title, &actor(acc)).await?;
    finish(&state, ctx, c, txn, outcome.map(|_| ()), &format!("/panel/konsultacje/{id}#zalaczniki"), "flash-cons-file-added", "file", Forms { file_title: title, ..Default::default() }).await
}

/// `POST /panel/konsultacje/{id}/pliki/{f}/usun`.
pub async fn remove_file(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path((id, file_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let c = load(&state, id).await?;
    let txn = wspolnie_platform::db::begin_write(&state.platform.db.conn).await?;
    let outcome = store::remove_file(&txn, &c, file_id, &actor(acc)).await?;
    finish(&state, ctx, c, txn, outcome.map(|_| ()), &format!("/panel/konsultacje/{id}#zalaczniki"), "flash-cons-file-removed", "file", Forms::default()).await
}
