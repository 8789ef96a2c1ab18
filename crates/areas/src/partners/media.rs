//! Requests for help with media promotion or for a media patronage (`/wspolpraca/promocja`),
//! open to everyone (anonymous submissions are throttled per address). The request, the e-mail
//! to the office contact who handles media (fallback: the site e-mail) and the confirmation to
//! the requester commit in one transaction. Officials with the `content` scope track requests
//! at `/panel/promocja`; every status change is audited and accept/decline is e-mailed.

use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::auth::signed;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::AppError;
use wspolnie_web::errors::AppResult;
use wspolnie_web::forms::Errors;
use crate::accounts::web::ClientIp;
use crate::pages::web::actor;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::{Extension, Form};
use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use wspolnie_platform::audit;
use crate::partners::entity::media_request;
use crate::pages::entity::office_contact;
use wspolnie_platform::i18n::Lang;
use wspolnie_platform::mail::MailJob;
use wspolnie_platform::mail::enqueue_mail;

pub const KINDS: &[&str] = &["promotion", "patronage"];
use crate::partners::entity::media_request::{Status, allowed};
/// Anonymous submissions per address and hour.
const ANON_LIMIT: u64 = 5;

#[derive(Debug, Default, Clone, Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub organization: String,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub links: String,
}

impl RequestForm {
    fn validate(&mut self, ctx: &PageCtx) -> (Errors, Option<NaiveDate>) {
        let mut errors = Errors::default();
        for v in [
            &mut self.kind,
            &mut self.organization,
            &mut self.contact_name,
            &mut self.email,
            &mut self.phone,
            &mut self.title,
            &mut self.date,
            &mut self.description,
            &mut self.links,
        ] {
            *v = v.trim().to_owned();
        }
        wspolnie_web::forms::check_limits(
            ctx,
            &mut errors,
            &crate::partners::limits::MEDIA,
            &[
                ("kind", &self.kind),
                ("organization", &self.organization),
                ("contact_name", &self.contact_name),
                ("email", &self.email),
                ("phone", &self.phone),
                ("title", &self.title),
                ("date", &self.date),
                ("description", &self.description),
                ("links", &self.links),
            ],
        );
        if !KINDS.contains(&self.kind.as_str()) {
            errors.add("kind-promotion", ctx.t("media-error-kind"));
        }
        let required = [
            (
                "organization",
                &self.organization,
                "media-error-organization",
            ),
            (
                "contact_name",
                &self.contact_name,
                "media-error-contact-name",
            ),
        ];
        for (field, v, key) in required {
            if v.is_empty() {
                errors.add(field, ctx.t(key));
            } else if v.chars().count() > 200 {
                errors.add(field, ctx.t("media-error-too-long"));
            }
        }
        match crate::accounts::model::normalize_email(&self.email) {
            Some(e) => self.email = e,
            None => errors.add("email", ctx.t("media-error-email")),
        }
        if !self.phone.is_empty()
            && (self.phone.chars().count() > 40
                || !self
                    .phone
                    .chars()
                    .all(|c| c.is_ascii_digit() || " +-()/".contains(c))
                || self.phone.chars().filter(char::is_ascii_digit).count() < 6)
        {
            errors.add("phone", ctx.t("media-error-phone"));
        }
        if self.title.is_empty() {
            errors.add("title", ctx.t("media-error-title"));
        } else if self.title.chars().count() > 200 {
            errors.add("title", ctx.t("media-error-too-long"));
        }
        let date = if self.date.is_empty() {
            None
        } else {
            match wspolnie_core::time::parse_form_date(&self.date) {
                Some(d) if d >= wspolnie_core::time::to_local(Utc::now()).date_naive() => Some(d),
                Some(_) => {
                    errors.add("date", ctx.t("media-error-date-past"));
                    None
                }
                None => {
                    errors.add("date", ctx.t("media-error-date"));
                    None
                }
            }
        };
        if self.description.is_empty() {
            errors.add("description", ctx.t("media-error-description"));
        } else if self.description.chars().count() > 5000 {
            errors.add("description", ctx.t("media-error-description-long"));
        }
        if self.links.chars().count() > 2000
            || self
                .links
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .any(|l| {
                    !(l.starts_with("https://") || l.starts_with("http://"))
                        || l.contains(char::is_whitespace)
                        || l.contains(['"', '<', '>'])
                })
        {
            errors.add("links", ctx.t("media-error-links"));
        }
        (errors, date)
    }
}

pub struct Choice {
    pub code: &'static str,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "partners/templates/public/media_request.html")]
struct FormPage {
    ctx: PageCtx,
    f: RequestForm,
    errors: Errors,
    kinds: Vec<Choice>,
    media_contact: Option<office_contact::Model>,
}

async fn media_contact(state: &AppState) -> AppResult<Option<office_contact::Model>> {
    Ok(office_contact::Entity::find()
        .filter(office_contact::Column::HandlesMedia.eq(true))
        .filter(office_contact::Column::Email.ne(""))
        .order_by_asc(office_contact::Column::Position)
        .order_by_asc(office_contact::Column::Id)
        .one(&state.platform.db.conn)
        .await?)
}

/// The fields of the form in page order (the error summary follows it).
const MEDIA_FIELDS: &[&str] = &[
    "kind-promotion",
    "organization",
    "contact_name",
    "email",
    "phone",
    "title",
    "date",
    "description",
    "links",
];

async fn form_page(
    state: &AppState,
    ctx: PageCtx,
    f: RequestForm,
    mut errors: Errors,
) -> AppResult<Response> {
    errors.order(MEDIA_FIELDS);
    let kinds = KINDS
        .iter()
        .map(|k| Choice {
            code: k,
            label: ctx.t(&format!("media-kind-{k}")),
            checked: f.kind == *k,
        })
        .collect();
    let media_contact = media_contact(state).await?;
    Ok(Html(
        FormPage {
            ctx,
            f,
            errors,
            kinds,
            media_contact,
        }
        .render()?,
    )
    .into_response())
}

pub async fn form(
    State(state): State<AppState>,
    ctx: PageCtx,
    current: Option<Extension<CurrentAccount>>,
) -> AppResult<Response> {
    let mut f = RequestForm {
        kind: "promotion".into(),
        ..Default::default()
    };
    if let Some(a) = current.as_ref().and_then(|c| c.0.0.as_ref()) {
        f.contact_name = a.user.display_name.clone();
        f.email = a.user.email.clone();
    }
    form_page(&state, ctx, f, Errors::default()).await
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    current: Option<Extension<CurrentAccount>>,
    ClientIp(ip): ClientIp,
    Form(mut f): Form<RequestForm>,
) -> AppResult<Response> {
    let account = current.as_ref().and_then(|c| c.0.0.as_ref());
    let db = &state.platform.db.conn;
    let (mut errors, date) = f.validate(&ctx);
    if errors.is_empty()
        && account.is_none()
        && !wspolnie_platform::auth::throttle_hit(
            db,
            &format!("media:ip:{ip}"),
            ANON_LIMIT,
            Duration::hours(1),
        )
        .await?
    {
        errors.add("organization", ctx.t("media-error-too-many"));
    }
    if !errors.is_empty() {
        return form_page(&state, ctx, f, errors).await;
    }
    let contact = media_contact(&state).await?;
    let (office_to, office_label) = match &contact {
        Some(c) => (c.email.clone(), format!("{} ({})", c.name, c.email)),
        None => (ctx.site.email.clone(), ctx.site.email.clone()),
    };
    let now = Utc::now();
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let saved = media_request::ActiveModel {
        kind: Set(f.kind.clone()),
        organization: Set(f.organization.clone()),
        contact_name: Set(f.contact_name.clone()),
        email: Set(f.email.clone()),
        phone: Set(f.phone.clone()),
        title: Set(f.title.clone()),
        event_date: Set(date),
        description: Set(f.description.clone()),
        links: Set(f.links.clone()),
        status: Set(Status::New),
        note: Set(String::new()),
        user_id: Set(account.map(|a| a.user.id)),
        lang: Set(ctx.lang.code().into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let base = state
        .platform
        .config
        .server
        .public_url
        .trim_end_matches('/')
        .to_owned();
    let mut vars = serde_json::Map::new();
    for (k, v) in [
        ("kind", f.kind.as_str()),
        ("organization", f.organization.as_str()),
        ("contact_name", f.contact_name.as_str()),
        ("email", f.email.as_str()),
        ("phone", f.phone.as_str()),
        ("title", f.title.as_str()),
        ("date", f.date.as_str()),
        ("description", f.description.as_str()),
        ("links", f.links.as_str()),
        ("office_contact", office_label.as_str()),
    ] {
        vars.insert(k.into(), v.into());
    }
    vars.insert(
        "link".into(),
        format!("{base}/panel/promocja/{}", saved.id).into(),
    );
    enqueue_mail(
        &txn,
        MailJob {
            to: office_to,
            template: "media_request_new".into(),
            lang: Lang::Pl,
            vars: vars.clone(),
        },
        Some(format!("media-request:{}:office", saved.id)),
    )
    .await?;
    enqueue_mail(
        &txn,
        MailJob {
            to: f.email.clone(),
            template: "media_request_received".into(),
            lang: ctx.lang,
            // The requester's address is not verified: nothing they typed goes back to it.
            vars: ["kind", "office_contact"]
                .into_iter()
                .filter_map(|k| vars.get(k).map(|v| (k.to_owned(), v.clone())))
                .collect(),
        },
        Some(format!("media-request:{}:received", saved.id)),
    )
    .await?;
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        "/wspolpraca/promocja",
        "flash-media-request-sent",
    ))
}

// ---- panel ----

pub struct Row {
    pub id: i64,
    pub title: String,
    pub organization: String,
    pub kind: String,
    pub status: String,
    pub received: String,
}

#[derive(Template)]
#[template(path = "partners/templates/admin/media_requests.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<Row>,
    statuses: Vec<Choice>,
    filtered: bool,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let status = Status::parse(&q.status);
    let mut query = media_request::Entity::find()
        .order_by_desc(media_request::Column::CreatedAt)
        .order_by_desc(media_request::Column::Id);
    if let Some(s) = status {
        query = query.filter(media_request::Column::Status.eq(s));
    }
    let rows = query
        .all(&state.platform.db.conn)
        .await?
        .into_iter()
        .map(|r| Row {
            id: r.id,
            kind: ctx.t(&format!("media-kind-{}", r.kind)),
            status: ctx.t(&format!("media-status-{}", r.status)),
            received: wspolnie_web::fmt::datetime(ctx.lang, r.created_at),
            title: r.title,
            organization: r.organization,
        })
        .collect();
    let statuses = Status::ALL
        .iter()
        .map(|s| Choice {
            code: s.as_str(),
            label: ctx.t(&format!("media-status-{s}")),
            checked: status == Some(*s),
        })
        .collect();
    Ok(Html(
        ListPage {
            ctx,
            rows,
            statuses,
            filtered: status.is_some(),
        }
        .render()?,
    )
    .into_response())
}

#[derive(Template)]
#[template(path = "partners/templates/admin/media_request.html")]
struct DetailPage {
    ctx: PageCtx,
    r: media_request::Model,
    kind: String,
    status: String,
    received: String,
    date: String,
    links: Vec<String>,
    statuses: Vec<Choice>,
    note: String,
    errors: Errors,
}

fn detail_page(
    ctx: PageCtx,
    r: media_request::Model,
    chosen: &str,
    note: String,
    errors: Errors,
) -> AppResult<Response> {
    let statuses = Status::ALL
        .iter()
        .map(|s| Choice {
            code: s.as_str(),
            label: ctx.t(&format!("media-status-{s}")),
            checked: s.as_str() == chosen,
        })
        .collect();
    let page = DetailPage {
        kind: ctx.t(&format!("media-kind-{}", r.kind)),
        status: ctx.t(&format!("media-status-{}", r.status)),
        received: wspolnie_web::fmt::datetime(ctx.lang, r.created_at),
        date: r
            .event_date
            .map(|d| d.format("%d.%m.%Y").to_string())
            .unwrap_or_default(),
        links: r
            .links
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        statuses,
        note,
        errors,
        ctx,
        r,
    };
    Ok(Html(page.render()?).into_response())
}

async fn find(state: &AppState, id: i64) -> AppResult<media_request::Model> {
    media_request::Entity::find_by_id(id)
        .one(&state.platform.db.conn)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let r = find(&state, id).await?;
    let status = r.status.as_str();
    let note = r.note.clone();
    detail_page(ctx, r, status, note, Errors::default())
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    note: String,
}

#[derive(Serialize)]
struct Tracked<'a> {
    status: &'a str,
    note: &'a str,
}

pub async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Form(f): Form<StatusForm>,
) -> AppResult<Response> {
    let a = signed(&current)?;
    let r = find(&state, id).await?;
    let note = f.note.trim().to_owned();
    let mut errors = Errors::default();
    match Status::parse(&f.status) {
        None => errors.add("status", ctx.t("media-error-status")),
        Some(to) if !allowed(r.status, to) => errors.add("status", ctx.t("media-error-move")),
        Some(_) => {}
    }
    wspolnie_web::forms::check_limits(
        &ctx,
        &mut errors,
        &crate::partners::limits::MEDIA,
        &[("note", &note)],
    );
    if !errors.is_empty() {
        return detail_page(ctx, r, &f.status, note, errors);
    }
    let now = Utc::now();
    let to = Status::parse(&f.status).unwrap_or(r.status);
    let changed = to != r.status;
    let txn = wspolnie_platform::db::begin_write(&state.platform.db.conn).await?;
    let before = Tracked {
        status: r.status.as_str(),
        note: &r.note,
    };
    let after = Tracked {
        status: &f.status,
        note: &note,
    };
    audit::record(
        &txn,
        &actor(a, &ip),
        "media_request.update",
        "media_request",
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    if changed && matches!(to, Status::Accepted | Status::Declined) {
        let office_contact = match media_contact(&state).await? {
            Some(c) => format!("{} ({})", c.name, c.email),
            None => ctx.site.email.clone(),
        };
        let mut vars = serde_json::Map::new();
        vars.insert("title".into(), r.title.clone().into());
        vars.insert("decision".into(), f.status.clone().into());
        vars.insert("office_contact".into(), office_contact.into());
        enqueue_mail(
            &txn,
            MailJob {
                to: r.email.clone(),
                template: "media_request_decision".into(),
                lang: Lang::parse(&r.lang).unwrap_or_default(),
                vars,
            },
            Some(format!(
                "media-request:{id}:{}:{}",
                f.status,
                now.timestamp_millis()
            )),
        )
        .await?;
    }
    let mut am: media_request::ActiveModel = r.into();
    am.status = Set(to);
    am.note = Set(note);
    am.updated_at = Set(now);
    am.update(&txn).await?;
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        &format!("/panel/promocja/{id}"),
        "flash-media-request-updated",
    ))
}
