//! The calendar of obligations on the panel (`/panel/zobowiazania`) and as a private `.ics` feed
//! a calendar program subscribes to: its address carries the person's number and a signature
//! made with the site's secret, so it needs no session and cannot be guessed (issue 19, item 6).

use crate::grants::model::warsaw_day;
use crate::grants::obligations::{self, Obligation, Scope};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use wspolnie_core::ics;
use wspolnie_core::money::Money;
use wspolnie_platform::entity::{organization_member, user};
use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::{AppError, AppResult};
use wspolnie_web::policy::{Account, Permission, allows};

const PURPOSE: &str = "grant-obligations";

/// The scope of a person: the office's for grants officials, else their organisations'.
fn scope(acc: &Account) -> Scope {
    if allows(Some(acc), Permission::Official("grants")) {
        Scope::Office
    } else {
        Scope::Organizations(acc.memberships.iter().map(|(o, _)| *o).collect())
    }
}

/// What the feed's signature covers: the person and their password, so a new password gives a
/// new address and the old one stops working.
fn signed_value(u: &user::Model) -> String {
    format!("{}:{}", u.id, u.password_hash.as_deref().unwrap_or(""))
}

/// The person's feed address.
fn feed_url(state: &AppState, u: &user::Model) -> String {
    let sig = state.keys.sign(PURPOSE, &signed_value(u));
    format!(
        "{}/zobowiazania/{}/{sig}/kalendarz.ics",
        state.platform.config.server.public_url.trim_end_matches('/'),
        u.id
    )
}

pub struct Row {
    pub day: String,
    pub late: bool,
    pub what: String,
    pub number: String,
    pub organization: String,
    pub task: String,
    pub amount: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "grants/templates/panel/obligations.html")]
struct Page {
    ctx: PageCtx,
    rows: Vec<Row>,
    feed: String,
}

/// `GET /panel/zobowiazania`.
pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let today = warsaw_day(Utc::now());
    let list = obligations::list(&state.platform.db.conn, &scope(acc), today).await?;
    let rows = list
        .into_iter()
        .map(|o| Row {
            day: o.day.format("%d.%m.%Y").to_string(),
            late: o.day < today,
            what: ctx.t(&format!("obligation-{}", o.what.code())),
            number: o.contract_number,
            organization: o.organization,
            task: o.task,
            amount: o.amount.map(|a| Money(a).to_string()).unwrap_or_default(),
            href: o.href,
        })
        .collect();
    let page = Page { feed: feed_url(&state, &acc.user), rows, ctx };
    Ok(Html(page.render()?).into_response())
}

fn summary(o: &Obligation) -> String {
    let what = match o.what {
        obligations::What::Report => "Sprawozdanie do złożenia",
        obligations::What::Review => "Sprawozdanie do oceny",
        obligations::What::Tranche => "Transza do przekazania",
        obligations::What::Return => "Zwrot dotacji",
        obligations::What::Publish => "Publikacja oferty (mały grant)",
        obligations::What::Comments => "Koniec uwag do oferty (mały grant)",
    };
    match o.amount {
        Some(a) => format!("{what}: {} ({}, {})", o.contract_number, Money(a), o.organization),
        None => format!("{what}: {} ({})", o.contract_number, o.organization),
    }
}

/// `GET /zobowiazania/{user}/{signature}/kalendarz.ics`: the person's obligations as all-day
/// events. A wrong signature, or a person who no longer exists, is not found.
pub async fn feed(State(state): State<AppState>, Path((user_id, sig)): Path<(i64, String)>) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let u = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|u| u.deleted_at.is_none())
        .ok_or(AppError::NotFound)?;
    if !state.keys.verify(PURPOSE, &signed_value(&u), &sig) {
        return Err(AppError::NotFound);
    }
    let acc = Account {
        roles: wspolnie_platform::auth::roles(db, u.id).await?,
        memberships: organization_member::Entity::find()
            .filter(organization_member::Column::UserId.eq(u.id))
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.organization_id, m.role))
            .collect(),
        session_id: String::new(),
        user: u,
    };
    let now = Utc::now();
    let list = obligations::list(db, &scope(&acc), warsaw_day(now)).await?;
    let base = state.platform.config.server.public_url.trim_end_matches('/').to_owned();
    let host = base.split("://").nth(1).unwrap_or("wspolnie").to_owned();
    let mut w = ics::Writer::new();
    w.raw("BEGIN", "VCALENDAR");
    w.raw("VERSION", "2.0");
    w.raw("PRODID", "-//Wspolnie//Grants obligations//PL");
    w.raw("CALSCALE", "GREGORIAN");
    w.raw("METHOD", "PUBLISH");
    w.text("X-WR-CALNAME", "Dotacje: terminy");
    for o in &list {
        w.raw("BEGIN", "VEVENT");
        w.raw("UID", &format!("{}@{host}", o.key));
        w.raw("DTSTAMP", &ics::utc(now));
        w.raw("DTSTART;VALUE=DATE", &o.day.format("%Y%m%d").to_string());
        w.raw("DTEND;VALUE=DATE", &(o.day + Duration::days(1)).format("%Y%m%d").to_string());
        w.text("SUMMARY", &summary(o));
        w.text("DESCRIPTION", &o.task);
        w.raw("URL", &format!("{base}{}", o.href));
        w.raw("TRANSP", "TRANSPARENT");
        w.raw("END", "VEVENT");
    }
    w.raw("END", "VCALENDAR");
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        w.finish(),
    )
        .into_response())
}
