//! The events calendar (list view for now; month/week grids and iCalendar feeds come with the
//! calendar issue).

use crate::AppState;
use crate::ctx::PageCtx;
use crate::errors::{AppError, AppResult};
use crate::routes::fmt;
use crate::routes::pagination::{PER_PAGE, Pages, page_param, pages};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use wspolnie_platform::entity::{event, organization};

pub struct EventItem {
    pub slug: String,
    pub title: String,
    pub day: String,
    pub month: String,
    pub when: String,
    pub start_iso: String,
    pub place: Option<String>,
    pub online: bool,
}

pub fn event_item(ctx: &PageCtx, e: event::Model) -> EventItem {
    let (day, month) = fmt::day_month(ctx.lang, e.starts_at);
    EventItem {
        when: fmt::range(ctx.lang, e.starts_at, e.ends_at),
        start_iso: fmt::iso(e.starts_at),
        slug: e.slug,
        title: e.title,
        day,
        month,
        place: e.place,
        online: e.online_url.is_some(),
    }
}

#[derive(Deserialize)]
pub struct ListQuery {
    strona: Option<u64>,
}

#[derive(Template)]
#[template(path = "pages/calendar.html")]
struct CalendarPage {
    ctx: PageCtx,
    events: Vec<EventItem>,
    total: u64,
    pages: Pages,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<ListQuery>,
) -> AppResult<Html<String>> {
    let db = &state.platform.db.conn;
    let page = page_param(q.strona);
    let paginator = event::Entity::find()
        .filter(event::Column::Status.eq("published"))
        .filter(event::Column::EndsAt.gte(Utc::now()))
        .order_by_asc(event::Column::StartsAt)
        .order_by_asc(event::Column::Id)
        .paginate(db, PER_PAGE);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page - 1).await?;
    let pages = pages("/kalendarz", &[], page, total);
    let events = rows.into_iter().map(|e| event_item(&ctx, e)).collect();
    Ok(Html(
        CalendarPage {
            ctx,
            events,
            total,
            pages,
        }
        .render()?,
    ))
}

#[derive(Template)]
#[template(path = "pages/event.html")]
struct EventPage {
    ctx: PageCtx,
    title: String,
    when: String,
    start_iso: String,
    place: Option<String>,
    online_url: Option<String>,
    organizer: Option<(String, String)>,
    is_free: bool,
    body_html: String,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> AppResult<Html<String>> {
    let db = &state.platform.db.conn;
    let e = event::Entity::find()
        .filter(event::Column::Slug.eq(slug))
        .filter(event::Column::Status.eq("published"))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let organizer = match e.organization_id {
        Some(id) => organization::Entity::find_by_id(id)
            .filter(organization::Column::Status.eq("published"))
            .one(db)
            .await?
            .map(|o| (o.slug, o.name)),
        None => None,
    };
    let page = EventPage {
        title: e.title.clone(),
        when: fmt::range(ctx.lang, e.starts_at, e.ends_at),
        start_iso: fmt::iso(e.starts_at),
        place: e.place.clone(),
        online_url: e.online_url.clone(),
        organizer,
        is_free: e.is_free,
        body_html: crate::markdown::to_html(&e.description_md),
        ctx,
    };
    Ok(Html(page.render()?))
}
