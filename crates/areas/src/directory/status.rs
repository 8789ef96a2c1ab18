//! Keeping the directory current: the one-click confirmation page organisations reach from the
//! yearly e-mail, and the officials' overview of unconfirmed, bouncing and out-of-date profiles.

use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::AppError;
use wspolnie_web::errors::AppResult;
use wspolnie_web::errors::{CONTACT_OFFICE, NextStep};
use crate::admin::web::actor;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::{Extension, Form};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::Deserialize;
use crate::directory::confirm as directory_confirm;
use crate::directory::confirm::is_stale;
use crate::directory::confirm::last_confirmed;
use crate::directory::entity::organization;

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    t: String,
}

#[derive(Template)]
#[template(path = "directory/templates/public/confirm_profile.html")]
struct ConfirmPage {
    ctx: PageCtx,
    o: organization::Model,
    token: String,
}

/// Next steps on the page of a data-confirmation link that is not valid.
const CONFIRM_NEXT: &[NextStep] = &[
    NextStep {
        href: "/konto/logowanie?next=%2Fpanel",
        label: "link-next-org-profile",
    },
    CONTACT_OFFICE,
];

pub async fn confirm_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<TokenQuery>,
) -> AppResult<Response> {
    let o = directory_confirm::peek(&state.platform.db.conn, &q.t)
        .await?
        .ok_or(AppError::LinkInvalid(CONFIRM_NEXT))?;
    Ok(Html(
        ConfirmPage {
            ctx,
            o,
            token: q.t,
        }
        .render()?,
    )
    .into_response())
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    t: String,
}

pub async fn confirm(
    State(state): State<AppState>,
    Form(f): Form<TokenForm>,
) -> AppResult<Response> {
    match directory_confirm::confirm(&state.platform.db.conn, &f.t).await? {
        Some(o) if o.status == organization::Status::Published => Ok(wspolnie_web::ctx::redirect_with_flash(
            &state,
            &format!("/organizacje/{}", o.slug),
            "flash-profile-confirmed",
        )),
        Some(_) => Ok(wspolnie_web::ctx::redirect_with_flash(
            &state,
            "/",
            "flash-profile-confirmed",
        )),
        None => Err(AppError::LinkInvalid(CONFIRM_NEXT)),
    }
}

pub struct StatusRow {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub email: String,
    pub last_confirmed: String,
    pub requested: String,
    pub awaiting: bool,
    pub bounced: bool,
    pub stale: bool,
}

#[derive(Template)]
#[template(path = "directory/templates/admin/directory_status.html")]
struct StatusPage {
    ctx: PageCtx,
    filter: String,
    rows: Vec<StatusRow>,
    counts: [(&'static str, usize); 4],
}

#[derive(Deserialize)]
pub struct StatusQuery {
    #[serde(default)]
    stan: String,
}

pub async fn status(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<StatusQuery>,
) -> AppResult<Response> {
    let now = Utc::now();
    let stale_days = state.platform.config.directory.stale_after_days;
    let orgs = organization::Entity::find()
        .filter(organization::Column::Status.eq(organization::Status::Published))
        .order_by_asc(organization::Column::NameSort)
        .all(&state.platform.db.conn)
        .await?;
    let mut all = Vec::new();
    for o in orgs {
        let awaiting = o
            .confirmation_sent_at
            .is_some_and(|sent| sent > last_confirmed(&o));
        all.push(StatusRow {
            id: o.id,
            slug: o.slug.clone(),
            email: o.email.clone().unwrap_or_default(),
            last_confirmed: wspolnie_web::fmt::date(ctx.lang, last_confirmed(&o)),
            requested: o
                .confirmation_sent_at
                .map(|d| wspolnie_web::fmt::date(ctx.lang, d))
                .unwrap_or_default(),
            awaiting,
            bounced: o.email_bounced_at.is_some(),
            stale: is_stale(&o, now, stale_days),
            name: o.name,
        });
    }
    let counts = [
        ("", all.len()),
        ("niepotwierdzone", all.iter().filter(|r| r.awaiting).count()),
        ("odbijajace", all.iter().filter(|r| r.bounced).count()),
        ("nieaktualne", all.iter().filter(|r| r.stale).count()),
    ];
    let filter = match q.stan.as_str() {
        "niepotwierdzone" | "odbijajace" | "nieaktualne" => q.stan.clone(),
        _ => String::new(),
    };
    let rows = all
        .into_iter()
        .filter(|r| match filter.as_str() {
            "niepotwierdzone" => r.awaiting,
            "odbijajace" => r.bounced,
            "nieaktualne" => r.stale,
            _ => true,
        })
        .collect();
    Ok(Html(
        StatusPage {
            ctx,
            filter,
            rows,
            counts,
        }
        .render()?,
    )
    .into_response())
}

#[derive(Deserialize)]
pub struct BounceForm {
    #[serde(default)]
    bounced: String,
}

/// An official marks a contact address as bouncing (or clears the mark); audited.
pub async fn set_bounced(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    Form(f): Form<BounceForm>,
) -> AppResult<Response> {
    let a = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let db = &state.platform.db.conn;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let o = organization::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let before = serde_json::json!({ "email_bounced_at": o.email_bounced_at });
    let value = (f.bounced == "1").then(Utc::now);
    let mut m: organization::ActiveModel = o.into();
    m.email_bounced_at = Set(value);
    m.update(&txn).await?;
    wspolnie_platform::audit::record(
        &txn,
        &actor(a),
        "directory.bounce_flag",
        "organization",
        id,
        Some(&before),
        Some(&serde_json::json!({ "email_bounced_at": value })),
    )
    .await?;
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        "/panel/katalog",
        "flash-saved",
    ))
}

/// An official sends one organisation the confirmation request now; audited.
pub async fn send_request(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let a = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let o = organization::Entity::find_by_id(id)
        .one(&state.platform.db.conn)
        .await?
        .filter(|o| o.status == organization::Status::Published)
        .ok_or(AppError::NotFound)?;
    let sent = directory_confirm::request(&state.platform, o, Utc::now()).await?;
    wspolnie_platform::audit::record(
        &state.platform.db.conn,
        &actor(a),
        "directory.confirmation_requested",
        "organization",
        id,
        None::<&()>,
        Some(&serde_json::json!({ "sent": sent })),
    )
    .await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        "/panel/katalog",
        if sent {
            "flash-confirmation-sent"
        } else {
            "flash-confirmation-no-email"
        },
    ))
}
