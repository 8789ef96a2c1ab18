//! Mailings by officials (`/panel/wysylki`): the Markdown composer with preview, test send to
//! oneself, sending now or at a set time, per-recipient delivery status and CSV, address-check
//! campaigns; and the public address-confirmation page (`/adres/potwierdz`).

use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::auth::signed;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::AppError;
use wspolnie_web::errors::AppResult;
use wspolnie_web::errors::{CONTACT_OFFICE, NextStep};
use wspolnie_web::forms::Errors;
use wspolnie_web::forms::HtmlForm;
use wspolnie_web::forms::first;
use crate::admin::web::actor;
use wspolnie_web::fmt;
use wspolnie_web::pagination;
use wspolnie_web::pagination::PER_PAGE;
use wspolnie_web::pagination::Pages;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::Utc;
use sea_orm::{
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Deserialize;
use crate::mailings::entity::mailing;
use crate::mailings::entity::mailing_recipient as rcpt;
use wspolnie_platform::entity::sphere;
use crate::mailings::model as mailings;
use crate::mailings::model::Audience;
use crate::mailings::model::KIND_ADDRESS_CHECK;
use crate::mailings::model::MailingData;
use crate::mailings::newsletter::TOPICS;

/// The mailing composer (`/panel/wysylki/nowa`, `/panel/wysylki/{id}`); validated by
/// `MailingData::validate`. `action` is the button pressed (see `save`).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MailingForm {
    #[serde(deserialize_with = "first")]
    action: String,
    #[serde(deserialize_with = "first")]
    subject: String,
    #[serde(deserialize_with = "first")]
    body: String,
    #[serde(deserialize_with = "first")]
    lang: String,
    /// "1": every organisation.
    #[serde(deserialize_with = "first")]
    organizations: String,
    sphere: Vec<String>,
    topic: Vec<String>,
    #[serde(deserialize_with = "first")]
    custom: String,
    #[serde(deserialize_with = "first")]
    meeting: String,
    /// "1": only those attending the meeting.
    #[serde(deserialize_with = "first")]
    meeting_attending: String,
    #[serde(deserialize_with = "first")]
    send_date: String,
    #[serde(deserialize_with = "first")]
    send_time: String,
}

impl MailingForm {
    /// The button pressed and the mailing.
    fn into_parts(self) -> (String, MailingData) {
        let d = MailingData {
            subject: self.subject,
            body: self.body,
            lang: self.lang,
            all_organizations: self.organizations == "1",
            spheres: self.sphere,
            topics: self.topic,
            custom: self.custom,
            meeting: self.meeting,
            meeting_attending: self.meeting_attending == "1",
            send_date: self.send_date,
            send_time: self.send_time,
        };
        (self.action, d)
    }
}

pub struct Check {
    pub code: String,
    pub label: String,
    pub checked: bool,
}

pub struct Preview {
    pub html: String,
    pub text: String,
    pub organizations: usize,
    pub subscribers: usize,
    pub custom: usize,
    pub meeting: usize,
    pub bouncing: usize,
}

#[derive(Template)]
#[template(path = "mailings/templates/admin/mailing_form.html")]
struct FormPage {
    ctx: PageCtx,
    title: String,
    action: String,
    d: MailingData,
    spheres: Vec<Check>,
    topics: Vec<Check>,
    errors: Errors,
    preview: Option<Preview>,
    test_sent: Option<String>,
    /// Meetings whose invitees can be the audience: (id, label, selected).
    meetings: Vec<(i64, String, bool)>,
}

pub async fn sphere_checks(
    state: &AppState,
    ctx: &PageCtx,
    chosen: &[String],
) -> AppResult<Vec<Check>> {
    Ok(sphere::Entity::find()
        .filter(sphere::Column::ValidTo.is_null())
        .order_by_asc(sphere::Column::Position)
        .all(&state.platform.db.conn)
        .await?
        .into_iter()
        .map(|s| Check {
            checked: chosen.contains(&s.code),
            label: wspolnie_web::fmt::sphere_name(ctx.lang, &s),
            code: s.code,
        })
        .collect())
}

pub fn topic_checks(ctx: &PageCtx, chosen: &[String]) -> Vec<Check> {
    TOPICS
        .iter()
        .map(|t| Check {
            code: (*t).to_owned(),
            label: ctx.t(&format!("newsletter-topic-{t}")),
            checked: chosen.iter().any(|c| c == t),
        })
        .collect()
}

/// The fields of the form in page order (the error summary follows it).
const MAILING_FIELDS: &[&str] = &[
    "subject",
    "body",
    "organizations",
    "spheres",
    "topics",
    "custom",
    "meeting",
    "send_date",
    "send_time",
];

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    ctx: PageCtx,
    existing: Option<&mailing::Model>,
    d: MailingData,
    mut errors: Errors,
    preview: Option<Preview>,
    test_sent: Option<String>,
) -> AppResult<Response> {
    // The audience group's first input is the "all organisations" box.
    errors.rename("audience", "organizations");
    errors.order(MAILING_FIELDS);
    let (title, action) = match existing {
        Some(m) => (
            ctx.t1("mailing-edit-title", "title", &m.subject),
            format!("/panel/wysylki/{}", m.id),
        ),
        None => (ctx.t("mailing-new-title"), "/panel/wysylki/nowa".to_owned()),
    };
    let spheres = sphere_checks(state, &ctx, &d.spheres).await?;
    let topics = topic_checks(&ctx, &d.topics);
    let meetings = meeting_options(state, &ctx, &d.meeting).await?;
    let page = FormPage {
        meetings,
        ctx,
        title,
        action,
        d,
        spheres,
        topics,
        errors,
        preview,
        test_sent,
    };
    Ok(Html(page.render()?).into_response())
}

pub struct Row {
    pub id: i64,
    pub subject: String,
    pub kind: String,
    pub status: String,
    pub when: String,
    pub progress: String,
}

#[derive(Template)]
#[template(path = "mailings/templates/admin/mailings.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<Row>,
    pages: Pages,
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    strona: pagination::Page,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let total = mailing::Entity::find().count(db).await?;
    let page = q.strona.within(total, PER_PAGE);
    let list = mailing::Entity::find()
        .order_by_desc(mailing::Column::Id)
        .offset(pagination::Page::offset(page, PER_PAGE))
        .limit(PER_PAGE)
        .all(db)
        .await?;
    let mut rows = Vec::new();
    for m in list {
        let s = mailings::stats(db, m.id).await?;
        let when = m
            .finished_at
            .or(m.scheduled_at)
            .map(|t| fmt::datetime(ctx.lang, t))
            .unwrap_or_default();
        rows.push(Row {
            id: m.id,
            kind: ctx.t(&format!("mailing-kind-{}", m.kind)),
            status: ctx.t(&format!("mailing-status-{}", m.status)),
            progress: if s.total > 0 {
                ctx.t2(
                    "mailing-progress",
                    "count",
                    &s.count(mailings::RecipientStatus::Sent.as_str()).to_string(),
                    "total",
                    &s.total.to_string(),
                )
            } else {
                String::new()
            },
            subject: m.subject,
            when,
        });
    }
    let pages = pagination::pages("/panel/wysylki", &[], page, total);
    Ok(Html(ListPage { ctx, rows, pages }.render()?).into_response())
}

/// Meetings with invitations out, newest first, for the "invitees of a meeting" audience.
async fn meeting_options(
    state: &AppState,
    ctx: &PageCtx,
    chosen: &str,
) -> AppResult<Vec<(i64, String, bool)>> {
    use crate::meetings::entity::meeting;
    Ok(meeting::Entity::find()
        .filter(meeting::Column::Status.eq(crate::meetings::model::Status::Invited))
        .order_by_desc(meeting::Column::StartsAt)
        .limit(50)
        .all(&state.platform.db.conn)
        .await?
        .into_iter()
        .map(|m| {
            let selected = chosen == m.id.to_string();
            (
                m.id,
                format!("{} ({})", m.title, fmt::date(ctx.lang, m.starts_at)),
                selected,
            )
        })
        .collect())
}

#[derive(Deserialize)]
pub struct NewQuery {
    spotkanie: Option<i64>,
}

/// The composer; `?spotkanie=ID` starts with that meeting's invitees as the audience.
pub async fn new_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<NewQuery>,
) -> AppResult<Response> {
    let d = MailingData {
        lang: ctx.lang.code().into(),
        meeting: q.spotkanie.map(|m| m.to_string()).unwrap_or_default(),
        ..Default::default()
    };
    form_page(&state, ctx, None, d, Errors::default(), None, None).await
}

async fn load(state: &AppState, id: i64) -> AppResult<mailing::Model> {
    mailing::Entity::find_by_id(id)
        .one(&state.platform.db.conn)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(q): Query<DetailQuery>,
) -> AppResult<Response> {
    let m = load(&state, id).await?;
    if m.status == mailings::Status::Draft {
        let d = MailingData::from_model(&m);
        return form_page(&state, ctx, Some(&m), d, Errors::default(), None, None).await;
    }
    detail(&state, ctx, m, q).await
}

pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    HtmlForm(f): HtmlForm<MailingForm>,
) -> AppResult<Response> {
    save(state, ctx, current, None, f).await
}

pub async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(f): HtmlForm<MailingForm>,
) -> AppResult<Response> {
    let m = load(&state, id).await?;
    if m.status != mailings::Status::Draft {
        return Ok(wspolnie_web::ctx::redirect_with_flash(
            &state,
            &format!("/panel/wysylki/{id}"),
            "flash-mailing-not-draft",
        ));
    }
    save(state, ctx, current, Some(m), f).await
}

/// One handler for the composer's buttons: `podglad` (preview, saves nothing), `zapisz` (draft),
/// `test` (draft + test message to oneself), `wyslij` (draft + order sending).
async fn save(
    state: AppState,
    ctx: PageCtx,
    current: CurrentAccount,
    existing: Option<mailing::Model>,
    f: MailingForm,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let db = &state.platform.db.conn;
    let (action, mut d) = f.into_parts();
    if action == "kalendarz" {
        // Append the coming month's calendar to the text and show the form again.
        let lang = wspolnie_platform::i18n::Lang::parse(&d.lang).unwrap_or(ctx.lang);
        let md = mailings::calendar_markdown(
            db,
            lang,
            &state.platform.config.server.public_url,
            Utc::now(),
            30,
        )
        .await?;
        if !d.body.trim().is_empty() {
            d.body = format!("{}\n\n", d.body.trim_end());
        }
        d.body.push_str(&md);
        return form_page(
            &state,
            ctx,
            existing.as_ref(),
            d,
            Errors::default(),
            None,
            None,
        )
        .await;
    }
    let (spheres, _) = crate::directory::model::codes(db).await?;
    let sending = action == "wyslij";
    let (field_errors, audience, at) =
        d.validate(&spheres, Utc::now(), sending || action == "podglad");
    let errors = wspolnie_web::forms::localise(&ctx, &field_errors);
    if action == "podglad" || !errors.is_empty() {
        let preview = if errors.is_empty() {
            Some(preview(&state, &d, &audience).await?)
        } else {
            None
        };
        return form_page(&state, ctx, existing.as_ref(), d, errors, preview, None).await;
    }
    let who = actor(acc);
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let m = mailings::save_draft(&txn, existing, &d, &audience, at, &who).await?;
    let mut flash = "flash-mailing-saved";
    match action.as_str() {
        "test" => {
            mailings::enqueue_test(&txn, &m, &acc.user.email).await?;
            txn.commit().await?;
            let d = MailingData::from_model(&m);
            let note = ctx.t1("mailing-test-sent", "email", &acc.user.email);
            return form_page(
                &state,
                ctx,
                Some(&m),
                d,
                Errors::default(),
                None,
                Some(note),
            )
            .await;
        }
        "wyslij" => {
            if !mailings::order_send(&txn, &m, at, &who).await? {
                txn.rollback().await?;
                return Ok(wspolnie_web::ctx::redirect_with_flash(
                    &state,
                    &format!("/panel/wysylki/{}", m.id),
                    "flash-mailing-not-draft",
                ));
            }
            flash = if at.is_some() {
                "flash-mailing-scheduled"
            } else {
                "flash-mailing-sending"
            };
        }
        _ => {}
    }
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        &format!("/panel/wysylki/{}", m.id),
        flash,
    ))
}

async fn preview(state: &AppState, d: &MailingData, a: &Audience) -> AppResult<Preview> {
    let db = &state.platform.db.conn;
    let (html, text) = mailings::render_body(&d.body);
    let targets = mailings::expand_audience(db, a, &d.lang).await?;
    let emails: Vec<String> = targets.iter().map(|t| t.email.clone()).collect();
    let mut bouncing = 0;
    for chunk in emails.chunks(500) {
        bouncing += crate::mailings::entity::email_bounce::Entity::find()
            .filter(crate::mailings::entity::email_bounce::Column::Email.is_in(chunk.to_vec()))
            .count(db)
            .await? as usize;
    }
    let by = |s: &str| targets.iter().filter(|t| t.source == s).count();
    Ok(Preview {
        meeting: by("meeting"),
        html,
        text,
        organizations: by("organization"),
        subscribers: by("subscriber"),
        custom: by("custom"),
        bouncing,
    })
}

#[derive(Deserialize, Default)]
pub struct DetailQuery {
    status: Option<String>,
    #[serde(default)]
    strona: pagination::Page,
}

pub struct StatusCount {
    pub code: &'static str,
    pub label: String,
    pub count: i64,
    pub current: bool,
}

pub struct RecipientRow {
    pub email: String,
    pub source: String,
    pub status: String,
    pub attempts: i32,
    pub when: String,
    pub error: String,
    pub confirmed: String,
}

#[derive(Template)]
#[template(path = "mailings/templates/admin/mailing.html")]
struct DetailPage {
    ctx: PageCtx,
    m: mailing::Model,
    status: String,
    scheduled: String,
    finished: String,
    counts: Vec<StatusCount>,
    total: i64,
    address_check: bool,
    confirmed: i64,
    filter: String,
    rows: Vec<RecipientRow>,
    pages: Pages,
    cancellable: bool,
    /// Messages handed over without the server's confirmation (may be sent again).
    unconfirmed: i64,
}

async fn detail(
    state: &AppState,
    ctx: PageCtx,
    m: mailing::Model,
    q: DetailQuery,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let stats = mailings::stats(db, m.id).await?;
    let filter = q
        .status
        .filter(|s| {
            mailings::RecipientStatus::parse(s).is_some() || s == "confirmed" || s == "not_confirmed"
        })
        .unwrap_or_default();
    let mut query = rcpt::Entity::find().filter(rcpt::Column::MailingId.eq(m.id));
    query = match filter.as_str() {
        "" => query,
        "confirmed" => query.filter(rcpt::Column::ConfirmedAt.is_not_null()),
        "not_confirmed" => query
            .filter(rcpt::Column::ConfirmedAt.is_null())
            .filter(rcpt::Column::Status.eq(mailings::RecipientStatus::Sent)),
        s => query.filter(rcpt::Column::Status.eq(mailings::RecipientStatus::parse(s))),
    };
    let total_rows = query.clone().count(db).await?;
    let page = q.strona.within(total_rows, PER_PAGE);
    let rows = query
        .order_by_asc(rcpt::Column::Id)
        .offset(pagination::Page::offset(page, PER_PAGE))
        .limit(PER_PAGE)
        .all(db)
        .await?
        .into_iter()
        .map(|r| RecipientRow {
            source: ctx.t(&format!("mailing-source-{}", r.source)),
            status: ctx.t(&format!("mailing-rstatus-{}", r.status)),
            attempts: r.attempts,
            when: r
                .sent_at
                .map(|t| fmt::datetime(ctx.lang, t))
                .unwrap_or_default(),
            error: r.last_error.unwrap_or_default(),
            confirmed: r
                .confirmed_at
                .map(|t| fmt::datetime(ctx.lang, t))
                .unwrap_or_default(),
            email: r.email,
        })
        .collect();
    let path = format!("/panel/wysylki/{}", m.id);
    let pages = pagination::pages(&path, &[("status", &filter)], page, total_rows);
    let counts = stats
        .by_status
        .iter()
        .map(|(code, n)| StatusCount {
            code,
            label: ctx.t(&format!("mailing-rstatus-{code}")),
            count: *n,
            current: filter == *code,
        })
        .collect();
    let page = DetailPage {
        status: ctx.t(&format!("mailing-status-{}", m.status)),
        scheduled: m
            .scheduled_at
            .map(|t| fmt::datetime(ctx.lang, t))
            .unwrap_or_default(),
        finished: m
            .finished_at
            .map(|t| fmt::datetime(ctx.lang, t))
            .unwrap_or_default(),
        counts,
        total: stats.total,
        address_check: m.kind == KIND_ADDRESS_CHECK,
        confirmed: stats.confirmed,
        filter,
        rows,
        pages,
        cancellable: matches!(
            m.status,
            mailings::Status::Scheduled | mailings::Status::Sending
        ),
        unconfirmed: stats.count(mailings::RecipientStatus::Unconfirmed.as_str()),
        m,
        ctx,
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn cancel(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let m = load(&state, id).await?;
    let txn = wspolnie_platform::db::begin_write(&state.platform.db.conn).await?;
    let done = mailings::cancel(&txn, &m, &actor(acc)).await?;
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        &format!("/panel/wysylki/{id}"),
        if done {
            "flash-mailing-cancelled"
        } else {
            "flash-mailing-not-cancellable"
        },
    ))
}

/// Queues the unconfirmed messages of a mailing again.
pub async fn resend_unconfirmed(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let m = load(&state, id).await?;
    let txn = wspolnie_platform::db::begin_write(&state.platform.db.conn).await?;
    let n = mailings::resend_unconfirmed(&txn, &m, &actor(acc)).await?;
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        &format!("/panel/wysylki/{id}"),
        if n > 0 {
            "flash-mailing-resent"
        } else {
            "flash-mailing-nothing-to-resend"
        },
    ))
}

pub async fn start_address_check(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let txn = wspolnie_platform::db::begin_write(&state.platform.db.conn).await?;
    let m = mailings::start_address_check(&txn, ctx.lang, &actor(acc)).await?;
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        &format!("/panel/wysylki/{}", m.id),
        "flash-address-check-started",
    ))
}

/// Per-recipient status as CSV (address checks: who confirmed, who did not, who bounces).
pub async fn recipients_csv(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let m = load(&state, id).await?;
    let list = rcpt::Entity::find()
        .filter(rcpt::Column::MailingId.eq(m.id))
        .order_by_asc(rcpt::Column::Id)
        .all(&state.platform.db.conn)
        .await?;
    let header = [
        ctx.t("mailing-col-email"),
        ctx.t("mailing-col-source"),
        ctx.t("mailing-col-status"),
        ctx.t("mailing-col-sent"),
        ctx.t("mailing-col-confirmed"),
        ctx.t("mailing-col-error"),
    ];
    let rows = list.iter().map(|r| {
        [
            r.email.clone(),
            ctx.t(&format!("mailing-source-{}", r.source)),
            ctx.t(&format!("mailing-rstatus-{}", r.status)),
            r.sent_at
                .map(|t| fmt::datetime(ctx.lang, t))
                .unwrap_or_default(),
            r.confirmed_at
                .map(|t| fmt::datetime(ctx.lang, t))
                .unwrap_or_default(),
            r.last_error.clone().unwrap_or_default(),
        ]
    });
    let body = wspolnie_web::csv_out::sheet(std::iter::once(header).chain(rows))?;
    Ok(wspolnie_web::csv_out::attachment(
        &format!("wysylka-{id}.csv"),
        body,
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ConfirmQuery {
    /// Kept as text: a malformed link gets the "link not valid" page, not a 400.
    r: String,
    s: String,
}

/// Next steps on the page of an address-check link that is not valid.
const CONFIRM_NEXT: &[NextStep] = &[CONTACT_OFFICE];

#[derive(Template)]
#[template(path = "mailings/templates/public/address_confirm.html")]
struct ConfirmPage {
    ctx: PageCtx,
    email: String,
    action: String,
    done: bool,
}

async fn confirm_target(
    state: &AppState,
    q: &ConfirmQuery,
) -> AppResult<crate::mailings::entity::mailing_recipient::Model> {
    let invalid = AppError::LinkInvalid(CONFIRM_NEXT);
    let Ok(id) = q.r.parse::<i64>() else {
        return Err(invalid);
    };
    let (r, _) = mailings::check_recipient(&state.platform.db.conn, state.keys.secret(), id, &q.s)
        .await?
        .ok_or(invalid)?;
    Ok(r)
}

/// The link from an address-check message: a page whose button confirms (scanners only GET).
pub async fn confirm_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<ConfirmQuery>,
) -> AppResult<Html<String>> {
    let r = confirm_target(&state, &q).await?;
    let page = ConfirmPage {
        ctx,
        done: r.confirmed_at.is_some(),
        email: r.email,
        action: format!("/adres/potwierdz?r={}&s={}", q.r, q.s),
    };
    Ok(Html(page.render()?))
}

/// Confirms the address, then answers 303 to the same link (post/redirect/get): the GET page
/// shows the address as confirmed, so a reload sends nothing again.
pub async fn confirm(
    State(state): State<AppState>,
    Query(q): Query<ConfirmQuery>,
) -> AppResult<Response> {
    let r = confirm_target(&state, &q).await?;
    mailings::confirm_address(&state.platform.db.conn, &r).await?;
    Ok(Redirect::to(&format!("/adres/potwierdz?r={}&s={}", q.r, q.s)).into_response())
}

pub struct TopicCount {
    pub label: String,
    pub count: usize,
}

pub struct SubscriberRow {
    pub email: String,
    pub topics: String,
    pub status: String,
    pub since: String,
}

pub struct BounceRow {
    pub id: i64,
    pub email: String,
    pub reason: String,
    pub when: String,
    pub organization: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "mailings/templates/admin/mailing_addresses.html")]
struct AddressesPage {
    ctx: PageCtx,
    active: usize,
    pending: usize,
    unsubscribed: usize,
    topics: Vec<TopicCount>,
    q: String,
    rows: Vec<SubscriberRow>,
    pages: Pages,
    bounces: Vec<BounceRow>,
}

#[derive(Deserialize, Default)]
pub struct AddressesQuery {
    q: Option<String>,
    #[serde(default)]
    strona: pagination::Page,
}

/// Who the mailings reach: subscribers by status and topic, and addresses known to bounce.
pub async fn addresses(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<AddressesQuery>,
) -> AppResult<Response> {
    use crate::mailings::entity::email_bounce;
    use crate::mailings::entity::newsletter_subscriber as sub;
    use crate::directory::entity::organization;
    let db = &state.platform.db.conn;
    let all = sub::Entity::find()
        .order_by_asc(sub::Column::Email)
        .all(db)
        .await?;
    let by = |s: sub::Status| all.iter().filter(|r| r.status == s).count();
    let topics = TOPICS
        .iter()
        .map(|t| TopicCount {
            label: ctx.t(&format!("newsletter-topic-{t}")),
            count: all
                .iter()
                .filter(|r| r.status == sub::Status::Active)
                .filter(|r| crate::mailings::newsletter::topics_of(r).contains(t))
                .count(),
        })
        .collect();
    let needle = q.q.clone().unwrap_or_default().trim().to_lowercase();
    let matching: Vec<&sub::Model> = all
        .iter()
        .filter(|r| needle.is_empty() || r.email.contains(&needle))
        .collect();
    let page = q.strona.within(matching.len() as u64, PER_PAGE);
    let rows = matching
        .iter()
        .skip(usize::try_from(pagination::Page::offset(page, PER_PAGE)).unwrap_or(usize::MAX))
        .take(PER_PAGE as usize)
        .map(|r| SubscriberRow {
            email: r.email.clone(),
            topics: crate::mailings::newsletter::topics_of(r)
                .iter()
                .map(|t| ctx.t(&format!("newsletter-topic-{t}")))
                .collect::<Vec<_>>()
                .join(", "),
            status: ctx.t(&format!("subscriber-status-{}", r.status)),
            since: fmt::date(ctx.lang, r.created_at),
        })
        .collect();
    let pages = pagination::pages(
        "/panel/wysylki/adresaci",
        &[("q", &needle)],
        page,
        matching.len() as u64,
    );
    let mut bounces = Vec::new();
    for b in email_bounce::Entity::find()
        .order_by_desc(email_bounce::Column::BouncedAt)
        .all(db)
        .await?
    {
        let org = organization::Entity::find()
            .filter(organization::Column::Email.eq(b.email.as_str()))
            .one(db)
            .await?
            .map(|o| (o.slug, o.name));
        bounces.push(BounceRow {
            id: b.id,
            when: fmt::datetime(ctx.lang, b.bounced_at),
            email: b.email,
            reason: b.reason,
            organization: org,
        });
    }
    let page = AddressesPage {
        active: by(sub::Status::Active),
        pending: by(sub::Status::Pending),
        unsubscribed: by(sub::Status::Unsubscribed),
        topics,
        q: needle,
        rows,
        pages,
        bounces,
        ctx,
    };
    Ok(Html(page.render()?).into_response())
}

/// Forgets a bounce (the official knows the address works again); audited.
pub async fn forget_bounce(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    use crate::mailings::entity::email_bounce;
    let acc = signed(&current)?;
    let db = &state.platform.db.conn;
    let b = email_bounce::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    mailings::clear_bouncing(&txn, &b.email).await?;
    wspolnie_platform::audit::record(
        &txn,
        &actor(acc),
        "mailing.bounce_cleared",
        "email_bounce",
        b.id,
        Some(&serde_json::json!({ "email": b.email, "reason": b.reason })),
        None::<&()>,
    )
    .await?;
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        "/panel/wysylki/adresaci",
        "flash-bounce-cleared",
    ))
}
