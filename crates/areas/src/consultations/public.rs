//! The public pages of consultations: the list (open, upcoming, past), one consultation with its
//! draft unit by unit (each unit addressable, each with its remark form), the remark form, the
//! changes between versions, the report, the Atom feed and `/api/v1/consultations`.

use super::compare;
use super::entity::consultation::{self, Audience, Status};
use super::entity::consultation_remark as remark;
use super::entity::consultation_version as version;
use super::model::{self, RemarkForm, Sender};
use super::store::{self, Refused};
use super::text::{Kind, Unit};
use crate::accounts::web::ClientIp;
use crate::directory::entity::organization;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use wspolnie_platform::audit::Actor;
use wspolnie_platform::entity::organization_member;
use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::ctx::{PageCtx, redirect_with_flash};
use wspolnie_web::errors::{AppError, AppResult};
use wspolnie_web::fmt;
use wspolnie_web::forms::{Errors, HtmlForm, HtmlQuery, get, localise};

/// Online remarks one address may leave in an hour without an account.
const ANON_PER_HOUR: u64 = 10;

/// One consultation in a list.
pub struct Item {
    pub slug: String,
    pub title: String,
    pub period: String,
    pub status: String,
    pub audience: String,
    pub remarks: usize,
    pub reported: bool,
}

pub fn period(ctx: &PageCtx, c: &consultation::Model) -> String {
    format!("{} – {}", fmt::date(ctx.lang, c.starts_at), fmt::date(ctx.lang, c.ends_at))
}

fn item(ctx: &PageCtx, c: &consultation::Model, remarks: usize) -> Item {
    Item {
        slug: c.slug.clone(),
        title: c.title.clone(),
        period: period(ctx, c),
        status: ctx.t(&model::current(c, Utc::now()).label_key()),
        audience: ctx.t(&c.audience.label_key()),
        remarks,
        reported: c.status == Status::Reported,
    }
}

#[derive(Template)]
#[template(path = "consultations/templates/public/list.html")]
struct ListPage {
    ctx: PageCtx,
    open: Vec<Item>,
    upcoming: Vec<Item>,
    past: Vec<Item>,
    /// The filter chosen: `""` (all), `open`, `upcoming`, `past`.
    show: String,
    year: String,
    years: Vec<i32>,
}

/// `GET /konsultacje`.
pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    HtmlQuery(q): HtmlQuery<Vec<(String, String)>>,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let now = Utc::now();
    let all = store::public_all(db).await?;
    let counts = remark_counts(db).await?;
    let mut years: Vec<i32> = all.iter().map(|c| chrono::Datelike::year(&model::warsaw_day(c.starts_at))).collect();
    years.dedup();
    let show = get(&q, "stan");
    let show = if ["open", "upcoming", "past"].contains(&show.as_str()) { show } else { String::new() };
    let year = get(&q, "rok");
    let year_n = year.parse::<i32>().ok().filter(|y| years.contains(y));
    let (mut open, mut upcoming, mut past) = (Vec::new(), Vec::new(), Vec::new());
    for c in all.iter().filter(|c| year_n.is_none_or(|y| chrono::Datelike::year(&model::warsaw_day(c.starts_at)) == y)) {
        let it = item(&ctx, c, counts.get(&c.id).copied().unwrap_or(0));
        match model::current(c, now) {
            Status::Open => open.push(it),
            Status::Announced => upcoming.push(it),
            _ => past.push(it),
        }
    }
    upcoming.reverse();
    if !show.is_empty() {
        for (name, list) in [("open", &mut open), ("upcoming", &mut upcoming), ("past", &mut past)] {
            if name != show {
                list.clear();
            }
        }
    }
    let year = year_n.map(|y| y.to_string()).unwrap_or_default();
    Ok(Html(ListPage { ctx, open, upcoming, past, show, year, years }.render()?).into_response())
}

async fn remark_counts(db: &sea_orm::DatabaseConnection) -> Result<std::collections::HashMap<i64, usize>, sea_orm::DbErr> {
    let mut out = std::collections::HashMap::new();
    let ids: Vec<i64> = remark::Entity::find()
        .select_only()
        .column(remark::Column::ConsultationId)
        .into_tuple()
        .all(db)
        .await?;
    for id in ids {
        *out.entry(id).or_insert(0) += 1;
    }
    Ok(out)
}

/// A remark as the public (and the report) shows it: the organisation, or a resident unnamed.
pub struct RemarkView {
    pub id: i64,
    pub author: String,
    pub unit: String,
    pub anchor: String,
    pub version: i32,
    pub proposal: String,
    pub justification: String,
    pub when: String,
    pub channel: String,
    pub position: String,
    pub answer: String,
}

pub fn remark_view(ctx: &PageCtx, r: &remark::Model, versions: &[version::Model]) -> RemarkView {
    RemarkView {
        id: r.id,
        author: if r.organization_name.is_empty() { ctx.t("cons-author-resident") } else { r.organization_name.clone() },
        unit: if r.unit_label.is_empty() { ctx.t("cons-unit-whole") } else { r.unit_label.clone() },
        anchor: r.anchor.clone(),
        version: versions.iter().find(|v| v.id == r.version_id).map_or(0, |v| v.number),
        proposal: r.proposal.clone(),
        justification: r.justification.clone(),
        when: fmt::date(ctx.lang, r.created_at),
        channel: ctx.t(&r.channel.label_key()),
        position: r.position.map(|p| ctx.t(&p.label_key())).unwrap_or_default(),
        answer: r.answer.clone(),
    }
}

/// A unit of the draft as the page shows it.
pub struct UnitView {
    pub anchor: String,
    pub label: String,
    pub text: String,
    pub depth: u8,
    /// A chapter's heading or the preamble: no remark link of its own.
    pub heading: bool,
    pub remarks: Vec<RemarkView>,
}

pub fn unit_views(units: &[Unit]) -> Vec<UnitView> {
    units
        .iter()
        .map(|u| UnitView {
            anchor: u.anchor.clone(),
            label: u.label.clone(),
            text: u.text.clone(),
            depth: u.kind.depth(),
            heading: matches!(u.kind, Kind::Chapter | Kind::Preamble),
            remarks: vec![],
        })
        .collect()
}

pub struct VersionLink {
    pub number: i32,
    pub when: String,
    pub note: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "consultations/templates/public/show.html")]
struct ShowPage {
    ctx: PageCtx,
    c: consultation::Model,
    status: String,
    period: String,
    audience: String,
    forms: Vec<String>,
    subject_html: String,
    versions: Vec<VersionLink>,
    shown: i32,
    latest: i32,
    units: Vec<UnitView>,
    general: Vec<RemarkView>,
    remark_count: usize,
    takes_online: bool,
    short_reason: String,
    files: Vec<crate::pages::web::Download>,
}

async fn public(state: &AppState, slug: &str) -> AppResult<consultation::Model> {
    store::public_by_slug(&state.platform.db.conn, slug).await?.ok_or(AppError::NotFound)
}

pub fn forms(ctx: &PageCtx, c: &consultation::Model) -> Vec<String> {
    let mut f = Vec::new();
    if c.form_online {
        f.push(ctx.t("cons-form-online"));
    }
    if c.form_entered {
        f.push(ctx.t("cons-form-entered"));
    }
    if c.meeting_id.is_some() {
        f.push(ctx.t("cons-form-meeting"));
    }
    if c.form_rdpp {
        f.push(ctx.t("cons-form-rdpp"));
    }
    f
}

/// `GET /konsultacje/{slug}` (`?wersja=N` shows an earlier version).
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
    HtmlQuery(q): HtmlQuery<Vec<(String, String)>>,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let c = public(&state, &slug).await?;
    let versions = store::versions(db, c.id).await?;
    let latest = versions.last().ok_or(AppError::NotFound)?;
    let shown_v = get(&q, "wersja")
        .parse::<i32>()
        .ok()
        .and_then(|n| versions.iter().find(|v| v.number == n))
        .unwrap_or(latest);
    let mut units = unit_views(&store::units(shown_v));
    let all = store::remarks(db, c.id).await?;
    let remark_count = all.len();
    let mut general = Vec::new();
    if c.remarks_public || c.status == Status::Reported {
        for r in all.iter().filter(|r| r.version_id == shown_v.id) {
            let v = remark_view(&ctx, r, &versions);
            match units.iter_mut().find(|u| u.anchor == r.anchor) {
                Some(u) if !r.anchor.is_empty() => u.remarks.push(v),
                _ => general.push(v),
            }
        }
    }
    let page = ShowPage {
        status: ctx.t(&model::current(&c, Utc::now()).label_key()),
        period: period(&ctx, &c),
        audience: ctx.t(&c.audience.label_key()),
        forms: forms(&ctx, &c),
        subject_html: wspolnie_web::markdown::to_html(&c.subject_md),
        versions: versions
            .iter()
            .map(|v| VersionLink {
                number: v.number,
                when: fmt::date(ctx.lang, v.created_at),
                note: v.note.clone(),
                current: v.id == shown_v.id,
            })
            .collect(),
        shown: shown_v.number,
        latest: latest.number,
        units,
        general,
        remark_count,
        takes_online: c.form_online && model::takes_remarks(&c, Utc::now()) && shown_v.id == latest.id,
        short_reason: c.short_reason.clone(),
        files: store::files(db, ctx.lang, c.id).await?,
        ctx,
        c,
    };
    Ok(Html(page.render()?).into_response())
}

// ---------------------------------------------------------------------------------------------
// The remark form.

#[derive(Template)]
#[template(path = "consultations/templates/public/remark.html")]
struct RemarkPage {
    ctx: PageCtx,
    c: consultation::Model,
    unit_label: String,
    unit_text: String,
    form: RemarkForm,
    orgs: Vec<(i64, String)>,
    signed_in: bool,
    /// Only members of organisations may remark (audience `organisations`).
    needs_organisation: bool,
    open: bool,
    errors: Errors,
}

/// The organisations the signed-in person speaks for (published ones).
async fn my_orgs(state: &AppState, current: &CurrentAccount) -> AppResult<Vec<(i64, String)>> {
    let Some(a) = current.0.as_ref() else {
        return Ok(Vec::new());
    };
    let db = &state.platform.db.conn;
    let ids: Vec<i64> = organization_member::Entity::find()
        .filter(organization_member::Column::UserId.eq(a.user.id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.organization_id)
        .collect();
    Ok(organization::Entity::find()
        .filter(organization::Column::Id.is_in(ids))
        .filter(organization::Column::Status.eq(organization::Status::Published))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}

async fn render_remark(
    state: &AppState,
    ctx: PageCtx,
    current: &CurrentAccount,
    c: consultation::Model,
    form: RemarkForm,
    errors: Errors,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let versions = store::versions(db, c.id).await?;
    let latest = versions.last().ok_or(AppError::NotFound)?;
    let units = store::units(latest);
    let unit = units.iter().find(|u| u.anchor == form.anchor);
    let (unit_label, unit_text) = match unit {
        Some(u) => (u.label.clone(), u.text.clone()),
        None => (ctx.t("cons-unit-whole"), String::new()),
    };
    let orgs = my_orgs(state, current).await?;
    let page = RemarkPage {
        unit_label,
        unit_text,
        form,
        orgs,
        signed_in: current.0.is_some(),
        needs_organisation: c.audience == Audience::Organisations,
        open: c.form_online && model::takes_remarks(&c, Utc::now()),
        errors,
        ctx,
        c,
    };
    Ok(Html(page.render()?).into_response())
}

/// `GET /konsultacje/{slug}/uwaga?j=<anchor>`: the remark form for one unit (or the whole draft).
pub async fn remark_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(slug): Path<String>,
    HtmlQuery(q): HtmlQuery<Vec<(String, String)>>,
) -> AppResult<Response> {
    let c = public(&state, &slug).await?;
    let mut form = RemarkForm { anchor: get(&q, "j"), ..Default::default() };
    if let Some(a) = current.0.as_ref() {
        form.author_name = a.user.display_name.clone();
        form.author_email = a.user.email.clone();
    }
    render_remark(&state, ctx, &current, c, form, Errors::default()).await
}

/// The order of the remark form's fields (for the error summary).
const REMARK_FIELDS: &[&str] = &[
    "anchor",
    "organization",
    "organization_name",
    "author_name",
    "author_email",
    "proposal",
    "justification",
];

/// `POST /konsultacje/{slug}/uwaga`.
pub async fn remark_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    ClientIp(ip): ClientIp,
    Path(slug): Path<String>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let c = public(&state, &slug).await?;
    let db = &state.platform.db.conn;
    let mut form = RemarkForm::from_pairs(&pairs);
    form.channel.clear();
    let orgs = my_orgs(&state, &current).await?;
    let versions = store::versions(db, c.id).await?;
    let latest = versions.last().ok_or(AppError::NotFound)?.clone();
    let units = store::units(&latest);
    let needs_organisation = c.audience == Audience::Organisations;
    if needs_organisation && current.0.is_none() {
        // Only organisations' members remark: the page again, asking to sign in.
        return render_remark(&state, ctx, &current, c, form, Errors::default()).await;
    }
    let mut errors = Errors::default();
    if !(c.form_online && model::takes_remarks(&c, Utc::now())) {
        errors.add("proposal", ctx.t("cons-error-closed"));
    }
    let checked = form.validate(&units, Sender::Online { orgs: &orgs, needs_organisation });
    if let Err(e) = &checked {
        for (f, m) in localise(&ctx, e).list() {
            errors.add(f.clone(), m.clone());
        }
    }
    if errors.is_empty()
        && current.0.is_none()
        && !wspolnie_platform::auth::throttle_hit(
            db,
            &format!("consultation-remark:ip:{ip}"),
            ANON_PER_HOUR,
            chrono::Duration::hours(1),
        )
        .await?
    {
        errors.add("proposal", ctx.t("cons-error-too-many"));
    }
    let input = match checked {
        Ok(i) if errors.is_empty() => i,
        _ => {
            errors.order(REMARK_FIELDS);
            return render_remark(&state, ctx, &current, c, form, errors).await;
        }
    };
    let actor = match current.0.as_ref() {
        Some(a) => crate::admin::web::actor(a),
        None => Actor { user_id: None, label: format!("remark:{}", input.author_email), ip: ip.clone() },
    };
    let user_id = current.0.as_ref().map(|a| a.user.id);
    let txn = wspolnie_platform::db::begin_write(db).await?;
    match store::add_remark(&txn, &c, &latest, &input, user_id, &actor).await? {
        Ok(_) => {
            txn.commit().await?;
            let to = format!("/konsultacje/{}#{}", c.slug, if input.anchor.is_empty() { "uwagi" } else { &input.anchor });
            Ok(redirect_with_flash(&state, &to, "flash-cons-remark-sent"))
        }
        Err(Refused::NotOpen | Refused::Forbidden | Refused::NotHers | Refused::Unanswered(_)) => {
            drop(txn);
            let errors = Errors::form("proposal", ctx.t("cons-error-closed"));
            render_remark(&state, ctx, &current, c, form, errors).await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Changes between versions.

#[derive(Template)]
#[template(path = "consultations/templates/public/changes.html")]
struct ChangesPage {
    ctx: PageCtx,
    c: consultation::Model,
    from: i32,
    to: i32,
    numbers: Vec<i32>,
    rows: Vec<compare::Row>,
}

/// `GET /konsultacje/{slug}/zmiany?z=1&do=2`: unit by unit, the changed ones with their words.
pub async fn changes(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
    HtmlQuery(q): HtmlQuery<Vec<(String, String)>>,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let c = public(&state, &slug).await?;
    let versions = store::versions(db, c.id).await?;
    let latest = versions.last().ok_or(AppError::NotFound)?;
    let pick = |k: &str, default: &version::Model| {
        get(&q, k)
            .parse::<i32>()
            .ok()
            .and_then(|n| versions.iter().find(|v| v.number == n))
            .unwrap_or(default)
            .clone()
    };
    let first = versions.first().ok_or(AppError::NotFound)?;
    let to = pick("do", latest);
    let from = pick("z", versions.iter().rev().find(|v| v.number < to.number).unwrap_or(first));
    let rows = compare::rows(&store::units(&from), &store::units(&to), true);
    let page = ChangesPage {
        from: from.number,
        to: to.number,
        numbers: versions.iter().map(|v| v.number).collect(),
        rows,
        ctx,
        c,
    };
    Ok(Html(page.render()?).into_response())
}

// ---------------------------------------------------------------------------------------------
// The feed and the API.

/// `GET /konsultacje.atom`: consultations as they are announced, and their reports.
pub async fn feed(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    use atom_syndication::{EntryBuilder, FeedBuilder, LinkBuilder, PersonBuilder, Text};
    let db = &state.platform.db.conn;
    let base = state.platform.config.server.public_url.trim_end_matches('/').to_owned();
    let office = ctx.site.office_name.clone();
    let pl = wspolnie_platform::i18n::Lang::Pl;
    let content_lang = (ctx.lang != pl).then(|| pl.code().to_owned());
    let text = |value: &str| Text { lang: content_lang.clone(), ..Text::plain(value) };
    let link = |href: String| LinkBuilder::default().href(href).rel("alternate").mime_type(Some("text/html".into())).build();
    let mut entries = Vec::new();
    for c in store::public_all(db).await? {
        let url = store::url(&base, &c);
        let announced = c.announced_at.unwrap_or(c.created_at);
        entries.push((
            announced,
            EntryBuilder::default()
                .id(url.clone())
                .title(text(&c.title))
                .updated(announced.fixed_offset())
                .published(Some(announced.fixed_offset()))
                .authors(vec![PersonBuilder::default().name(office.clone()).build()])
                .links(vec![link(url.clone())])
                .summary(Some(text(&format!("{}: {}", ctx.t("cons-period"), period(&ctx, &c)))))
                .build(),
        ));
        if let Some(at) = c.reported_at {
            entries.push((
                at,
                EntryBuilder::default()
                    .id(format!("{url}/raport"))
                    .title(text(&format!("{}: {}", ctx.t("cons-report-title"), c.title)))
                    .updated(at.fixed_offset())
                    .published(Some(at.fixed_offset()))
                    .authors(vec![PersonBuilder::default().name(office.clone()).build()])
                    .links(vec![link(format!("{url}/raport"))])
                    .summary(Some(text(&c.summary_md)))
                    .build(),
            ));
        }
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.0));
    entries.truncate(50);
    let updated = entries.first().map_or_else(Utc::now, |(t, _)| *t).fixed_offset();
    let self_url = format!("{base}/konsultacje.atom");
    let feed = FeedBuilder::default()
        .id(self_url.clone())
        .title(Text::plain(ctx.t1("cons-feed-title", "city", &ctx.site.city_name)))
        .updated(updated)
        .lang(Some(ctx.lang.code().to_owned()))
        .authors(vec![PersonBuilder::default().name(office).build()])
        .links(vec![
            LinkBuilder::default().href(self_url).rel("self").mime_type(Some("application/atom+xml".into())).build(),
            LinkBuilder::default().href(format!("{base}/konsultacje")).rel("alternate").mime_type(Some("text/html".into())).build(),
        ])
        .entries(entries.into_iter().map(|(_, e)| e).collect::<Vec<_>>())
        .build();
    Ok((
        [
            (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        feed.to_string(),
    )
        .into_response())
}
