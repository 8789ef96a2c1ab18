//! City activities open to NGO partners: the public list and page with the interest form, and the
//! officials' panel (announce, edit, see and export declarations).

use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::csv_out;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::AppError;
use wspolnie_web::errors::AppResult;
use wspolnie_web::forms::Errors;
use crate::accounts::web::ClientIp;
use crate::admin::web::actor;
use wspolnie_web::fmt;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use axum::{Extension, Form};
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use wspolnie_web::forms::HtmlForm;
use wspolnie_web::forms::first;
use crate::directory::entity::organization;
use wspolnie_platform::entity::organization_member;
use crate::partners::entity::partner_activity;
use crate::partners::entity::partner_interest;
use crate::partners::model as partners;
use crate::partners::model::ActivityData;
use crate::partners::model::DeclareError;
use crate::partners::model::InterestData;
use crate::partners::model::Status;
use crate::partners::model::accepts_interest;

pub struct ActivityItem {
    pub slug: String,
    pub title: String,
    pub when: String,
    pub place: String,
    pub until: String,
    pub open: bool,
}

pub fn activity_item(ctx: &PageCtx, a: &partner_activity::Model) -> ActivityItem {
    ActivityItem {
        slug: a.slug.clone(),
        title: a.title.clone(),
        when: match a.ends_at {
            Some(e) if fmt::date(ctx.lang, e) != fmt::date(ctx.lang, a.starts_at) => {
                format!(
                    "{} – {}",
                    fmt::date(ctx.lang, a.starts_at),
                    fmt::date(ctx.lang, e)
                )
            }
            _ => fmt::datetime(ctx.lang, a.starts_at),
        },
        place: a.place.clone(),
        until: match a.interest_until {
            Some(u) => format!("{}: {}", ctx.t("partner-until"), fmt::date(ctx.lang, u)),
            None => ctx.t("partner-until-start"),
        },
        open: accepts_interest(a, Utc::now()),
    }
}

/// Published activities that have not started yet, soonest first (the home page takes a few).
pub async fn upcoming(
    db: &sea_orm::DatabaseConnection,
) -> Result<Vec<partner_activity::Model>, sea_orm::DbErr> {
    partner_activity::Entity::find()
        .filter(partner_activity::Column::Status.eq(partner_activity::Status::Published))
        .filter(partner_activity::Column::StartsAt.gte(Utc::now()))
        .order_by_asc(partner_activity::Column::StartsAt)
        .all(db)
        .await
}

#[derive(Template)]
#[template(path = "partners/templates/public/partners.html")]
struct ListPage {
    ctx: PageCtx,
    items: Vec<ActivityItem>,
}

pub async fn list(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Html<String>> {
    let items = upcoming(&state.platform.db.conn)
        .await?
        .iter()
        .map(|a| activity_item(&ctx, a))
        .collect();
    Ok(Html(ListPage { ctx, items }.render()?))
}

pub struct OrgChoice {
    pub id: i64,
    pub name: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "partners/templates/public/partner.html")]
struct ActivityPage {
    ctx: PageCtx,
    a: partner_activity::Model,
    item: ActivityItem,
    description_html: String,
    help: Vec<String>,
    d: InterestData,
    orgs: Vec<OrgChoice>,
    errors: Errors,
}

async fn published(state: &AppState, slug: &str) -> AppResult<partner_activity::Model> {
    partner_activity::Entity::find()
        .filter(partner_activity::Column::Slug.eq(slug))
        .filter(partner_activity::Column::Status.is_in([partner_activity::Status::Published, partner_activity::Status::Closed]))
        .one(&state.platform.db.conn)
        .await?
        .ok_or(AppError::NotFound)
}

/// The signed-in person's organisations (to declare on their behalf).
async fn my_orgs(
    state: &AppState,
    current: &CurrentAccount,
) -> AppResult<Vec<organization::Model>> {
    let Some(a) = current.0.as_ref() else {
        return Ok(Vec::new());
    };
    let ids: Vec<i64> = organization_member::Entity::find()
        .filter(organization_member::Column::UserId.eq(a.user.id))
        .all(&state.platform.db.conn)
        .await?
        .into_iter()
        .map(|m| m.organization_id)
        .collect();
    Ok(organization::Entity::find()
        .filter(organization::Column::Id.is_in(ids))
        .filter(organization::Column::Status.eq(organization::Status::Published))
        .all(&state.platform.db.conn)
        .await?)
}

async fn render_activity(
    state: &AppState,
    ctx: PageCtx,
    current: &CurrentAccount,
    a: partner_activity::Model,
    d: InterestData,
    errors: Errors,
) -> AppResult<Response> {
    let orgs = my_orgs(state, current)
        .await?
        .into_iter()
        .map(|o| OrgChoice {
            selected: d.organization_id == Some(o.id),
            id: o.id,
            name: o.name,
        })
        .collect();
    let page = ActivityPage {
        item: activity_item(&ctx, &a),
        description_html: wspolnie_web::markdown::to_html(&a.description_md),
        help: a
            .help_sought
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        ctx,
        a,
        d,
        orgs,
        errors,
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let a = published(&state, &slug).await?;
    let d = match current.0.as_ref() {
        Some(acc) => InterestData {
            contact_name: acc.user.display_name.clone(),
            email: acc.user.email.clone(),
            ..Default::default()
        },
        None => InterestData::default(),
    };
    render_activity(&state, ctx, &current, a, d, Errors::default()).await
}

/// The declaration of interest in an activity (`/wspolpraca/{slug}`); validated by
/// `InterestData::validate`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InterestForm {
    /// One of the person's own organisations, or empty.
    #[serde(deserialize_with = "first")]
    organization_id: String,
    #[serde(deserialize_with = "first")]
    organization_name: String,
    #[serde(deserialize_with = "first")]
    contact_name: String,
    #[serde(deserialize_with = "first")]
    email: String,
    #[serde(deserialize_with = "first")]
    phone: String,
    #[serde(deserialize_with = "first")]
    offer: String,
}

impl InterestForm {
    /// The declaration; a chosen organisation must be one of `mine` (the person's own), and its
    /// name is taken from the directory.
    fn into_data(self, mine: &[organization::Model]) -> InterestData {
        let chosen = self
            .organization_id
            .parse::<i64>()
            .ok()
            .and_then(|id| mine.iter().find(|o| o.id == id));
        InterestData {
            organization_id: chosen.map(|o| o.id),
            organization_name: chosen.map_or(self.organization_name, |o| o.name.clone()),
            contact_name: self.contact_name,
            email: self.email,
            phone: self.phone,
            offer: self.offer,
        }
    }
}

/// Anonymous declarations per client address and hour (signed-in people are not limited).
pub const ANON_LIMIT: u64 = 10;

pub async fn declare(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    ClientIp(ip): ClientIp,
    Path(slug): Path<String>,
    HtmlForm(form): HtmlForm<InterestForm>,
) -> AppResult<Response> {
    let a = published(&state, &slug).await?;
    let mine = my_orgs(&state, &current).await?;
    let mut d = form.into_data(&mine);
    let mut errors = Errors::default();
    if !accepts_interest(&a, Utc::now()) {
        errors.add("offer", ctx.t("error-interest-closed"));
    }
    for (f, key) in d.validate() {
        let msg = wspolnie_web::forms::message(&ctx, &crate::partners::limits::INTEREST, &f, key);
        errors.add(f, msg);
    }
    if errors.is_empty()
        && current.0.is_none()
        && !wspolnie_platform::auth::throttle_hit(
            &state.platform.db.conn,
            &format!("interest:ip:{ip}"),
            ANON_LIMIT,
            chrono::Duration::hours(1),
        )
        .await?
    {
        errors.add("offer", ctx.t("error-interest-too-many"));
    }
    if !errors.is_empty() {
        errors.order(INTEREST_FIELDS);
        return render_activity(&state, ctx, &current, a, d, errors).await;
    }
    let user_id = current.0.as_ref().map(|acc| acc.user.id);
    match partners::declare(
        &state.platform.db.conn,
        &a,
        &d,
        user_id,
        ctx.lang,
        &state.platform.config.server.public_url,
    )
    .await
    {
        Ok(_) => Ok(wspolnie_web::ctx::redirect_with_flash(
            &state,
            &format!("/wspolpraca/{}", a.slug),
            "flash-interest-sent",
        )),
        Err(DeclareError::Duplicate) => {
            let errors = Errors::form("email", ctx.t("error-interest-duplicate"));
            render_activity(&state, ctx, &current, a, d, errors).await
        }
        Err(DeclareError::Db(e)) => Err(e.into()),
    }
}

// ---- the officials' panel ----

pub struct PanelRow {
    pub id: i64,
    pub title: String,
    pub when: String,
    pub status: String,
    pub interests: usize,
    pub slug: String,
}

#[derive(Template)]
#[template(path = "partners/templates/admin/partners.html")]
struct PanelList {
    ctx: PageCtx,
    rows: Vec<PanelRow>,
}

pub async fn panel_list(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let all = partner_activity::Entity::find()
        .order_by_desc(partner_activity::Column::StartsAt)
        .all(db)
        .await?;
    let interests = partner_interest::Entity::find().all(db).await?;
    let rows = all
        .into_iter()
        .map(|a| PanelRow {
            interests: interests.iter().filter(|i| i.activity_id == a.id).count(),
            when: fmt::datetime(ctx.lang, a.starts_at),
            status: ctx.t(&format!("partner-status-{}", a.status)),
            id: a.id,
            title: a.title,
            slug: a.slug,
        })
        .collect();
    Ok(Html(PanelList { ctx, rows }.render()?).into_response())
}

pub struct StatusChoice {
    pub code: &'static str,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "partners/templates/admin/partner_form.html")]
struct PanelForm {
    ctx: PageCtx,
    title: String,
    action: String,
    d: ActivityData,
    statuses: Vec<StatusChoice>,
    errors: Errors,
}

/// The fields of the form in page order (the error summary follows it).
/// The fields of the declaration of interest in page order (the error summary follows it).
const INTEREST_FIELDS: &[&str] = &[
    "organization_id",
    "organization_name",
    "contact_name",
    "email",
    "phone",
    "offer",
];

const ACTIVITY_FIELDS: &[&str] = &[
    "title",
    "description",
    "help_sought",
    "start_date",
    "start_time",
    "end_date",
    "place",
    "contact_name",
    "contact_email",
    "contact_phone",
    "interest_until",
    "status",
];

fn panel_form(
    ctx: PageCtx,
    title: String,
    action: String,
    d: ActivityData,
    mut errors: Errors,
) -> AppResult<Response> {
    errors.order(ACTIVITY_FIELDS);
    let statuses = Status::ALL
        .iter()
        .map(|s| StatusChoice {
            code: s.as_str(),
            label: ctx.t(&format!("partner-status-{s}")),
            selected: d.status == s.as_str(),
        })
        .collect();
    let page = PanelForm {
        ctx,
        title,
        action,
        d,
        statuses,
        errors,
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn panel_new_page(ctx: PageCtx) -> AppResult<Response> {
    let title = ctx.t("panel-partner-new");
    let d = ActivityData {
        status: "published".into(),
        contact_name: ctx.site.office_name.clone(),
        contact_email: ctx.site.email.clone(),
        ..Default::default()
    };
    panel_form(
        ctx,
        title,
        "/panel/wspolpraca/nowe".into(),
        d,
        Errors::default(),
    )
}

async fn activity(state: &AppState, id: i64) -> AppResult<partner_activity::Model> {
    partner_activity::Entity::find_by_id(id)
        .one(&state.platform.db.conn)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn panel_edit_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let a = activity(&state, id).await?;
    let title = ctx.t1("panel-partner-edit", "title", &a.title);
    panel_form(
        ctx,
        title,
        format!("/panel/wspolpraca/{id}"),
        ActivityData::from_model(&a),
        Errors::default(),
    )
}

async fn panel_save(
    state: AppState,
    ctx: PageCtx,
    current: CurrentAccount,
    id: Option<i64>,
    mut d: ActivityData,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let existing = match id {
        Some(id) => Some(activity(&state, id).await?),
        None => None,
    };
    let (mut field_errors, mut times) = d.validate(Utc::now());
    // A public activity never goes back to a draft (`partner_activity::allowed`).
    if let (Some(a), Some(t)) = (&existing, &times)
        && !crate::partners::model::allowed(a.status, t.status)
    {
        field_errors.insert("status".into(), "error-partner-status-move");
        times = None;
    }
    let Some(times) = times else {
        let mut errors = Errors::default();
        for (f, key) in field_errors {
            let msg =
                wspolnie_web::forms::message(&ctx, &crate::partners::limits::ACTIVITY, &f, key);
            errors.add(f, msg);
        }
        let (title, action) = match &existing {
            Some(a) => (
                ctx.t1("panel-partner-edit", "title", &a.title),
                format!("/panel/wspolpraca/{}", a.id),
            ),
            None => (ctx.t("panel-partner-new"), "/panel/wspolpraca/nowe".into()),
        };
        return panel_form(ctx, title, action, d, errors);
    };
    let txn = wspolnie_platform::db::begin_write(&state.platform.db.conn).await?;
    partners::save(&txn, existing, &d, &times, &actor(acc)).await?;
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        "/panel/wspolpraca",
        "flash-partner-saved",
    ))
}

pub async fn panel_create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Form(d): Form<ActivityData>,
) -> AppResult<Response> {
    panel_save(state, ctx, current, None, d).await
}

pub async fn panel_edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    Form(d): Form<ActivityData>,
) -> AppResult<Response> {
    panel_save(state, ctx, current, Some(id), d).await
}

pub struct InterestRow {
    pub i: partner_interest::Model,
    pub org_slug: Option<String>,
    pub date: String,
}

#[derive(Template)]
#[template(path = "partners/templates/admin/partner_interests.html")]
struct InterestsPage {
    ctx: PageCtx,
    a: partner_activity::Model,
    rows: Vec<InterestRow>,
}

async fn interests(
    state: &AppState,
    id: i64,
) -> AppResult<(partner_activity::Model, Vec<partner_interest::Model>)> {
    let a = activity(state, id).await?;
    let list = partner_interest::Entity::find()
        .filter(partner_interest::Column::ActivityId.eq(a.id))
        .order_by_asc(partner_interest::Column::CreatedAt)
        .order_by_asc(partner_interest::Column::Id)
        .all(&state.platform.db.conn)
        .await?;
    Ok((a, list))
}

pub async fn panel_interests(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (a, list) = interests(&state, id).await?;
    let org_ids: Vec<i64> = list.iter().filter_map(|i| i.organization_id).collect();
    let orgs = organization::Entity::find()
        .filter(organization::Column::Id.is_in(org_ids))
        .filter(organization::Column::Status.eq(organization::Status::Published))
        .all(&state.platform.db.conn)
        .await?;
    let rows = list
        .into_iter()
        .map(|i| InterestRow {
            org_slug: i
                .organization_id
                .and_then(|id| orgs.iter().find(|o| o.id == id))
                .map(|o| o.slug.clone()),
            date: fmt::datetime(ctx.lang, i.created_at),
            i,
        })
        .collect();
    Ok(Html(InterestsPage { ctx, a, rows }.render()?).into_response())
}

/// CSV for Excel: UTF-8 with BOM, semicolons, CRLF.
pub async fn panel_interests_csv(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (a, list) = interests(&state, id).await?;
    let header = [
        ctx.t("partner-field-organization"),
        ctx.t("partner-field-contact-name"),
        ctx.t("partner-field-email"),
        ctx.t("partner-field-phone"),
        ctx.t("partner-field-offer"),
        ctx.t("partner-submitted-at"),
    ];
    let rows = list.iter().map(|i| {
        [
            i.organization_name.clone().into(),
            i.contact_name.clone().into(),
            i.email.clone().into(),
            csv_out::typed(i.phone.clone()),
            i.offer.clone().into(),
            fmt::datetime(ctx.lang, i.created_at).into(),
        ]
    });
    let header = header.map(csv_out::Cell::from);
    let body = csv_out::sheet(std::iter::once(header).chain(rows))?;
    Ok(csv_out::attachment(
        &format!("zgloszenia-{}.csv", a.slug),
        body,
    ))
}
