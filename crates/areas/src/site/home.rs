use crate::moderation::lifecycle::Publication;
use wspolnie_web::AppState;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::AppResult;
use crate::calendar::web::EventItem;
use crate::calendar::web::event_item;
use wspolnie_web::fmt;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use crate::news::entity::article;
use crate::directory::entity::organization;
use wspolnie_platform::entity::sphere;

pub struct NewsItem {
    pub slug: String,
    pub title: String,
    pub lead: String,
    pub date: String,
    pub date_iso: String,
}

pub fn news_item(ctx: &PageCtx, a: article::Model) -> NewsItem {
    let when = a.published_at.unwrap_or(a.created_at);
    NewsItem {
        slug: a.slug,
        title: a.title,
        lead: a.lead,
        date: fmt::date(ctx.lang, when),
        date_iso: fmt::iso(when),
    }
}

#[derive(Template)]
#[template(path = "site/templates/public/home.html")]
struct Home {
    ctx: PageCtx,
    events: Vec<EventItem>,
    news: Vec<NewsItem>,
    org_count: u64,
    upcoming_count: u64,
    sphere_count: u64,
    partners: Vec<crate::partners::web::ActivityItem>,
    /// The compact sign-up box subscribes to every topic; the full form lets one choose.
    newsletter_topics: &'static [&'static str],
}

pub async fn home(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Html<String>> {
    let db = &state.platform.db.conn;
    let (upcoming_count, events) =
        crate::calendar::web::upcoming(db, sea_orm::Condition::all(), 5).await?;
    let news = article::Entity::find()
        .filter(article::Column::Status.eq(Publication::Published))
        .order_by_desc(article::Column::PublishedAt)
        .limit(3)
        .all(db)
        .await?;
    let org_count = organization::Entity::find()
        .filter(organization::Column::Status.eq(organization::Status::Published))
        .count(db)
        .await?;
    let sphere_count = sphere::Entity::find()
        .filter(sphere::Column::ValidTo.is_null())
        .count(db)
        .await?;
    let partners = crate::partners::web::upcoming(db)
        .await?
        .iter()
        .take(3)
        .map(|a| crate::partners::web::activity_item(&ctx, a))
        .collect();
    let page = Home {
        partners,
        newsletter_topics: crate::mailings::newsletter::TOPICS,
        events: events.into_iter().map(|e| event_item(&ctx, e)).collect(),
        news: news.into_iter().map(|a| news_item(&ctx, a)).collect(),
        org_count,
        upcoming_count,
        sphere_count,
        ctx,
    };
    Ok(Html(page.render()?))
}
