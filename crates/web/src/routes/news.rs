use crate::AppState;
use crate::ctx::PageCtx;
use crate::errors::{AppError, AppResult};
use crate::routes::fmt;
use crate::routes::home::{NewsItem, news_item};
use crate::routes::pagination::{PER_PAGE, Pages, page_param, pages};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use wspolnie_platform::entity::article;

#[derive(Deserialize)]
pub struct ListQuery {
    strona: Option<u64>,
}

#[derive(Template)]
#[template(path = "pages/news_list.html")]
struct NewsList {
    ctx: PageCtx,
    items: Vec<NewsItem>,
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
    let paginator = article::Entity::find()
        .filter(article::Column::Status.eq("published"))
        .order_by_desc(article::Column::PublishedAt)
        .order_by_desc(article::Column::Id)
        .paginate(db, PER_PAGE);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page - 1).await?;
    let items = rows.into_iter().map(|a| news_item(&ctx, a)).collect();
    let pages = pages("/aktualnosci", &[], page, total);
    Ok(Html(
        NewsList {
            ctx,
            items,
            total,
            pages,
        }
        .render()?,
    ))
}

#[derive(Template)]
#[template(path = "pages/article.html")]
struct ArticlePage {
    ctx: PageCtx,
    title: String,
    lead: String,
    date: String,
    date_iso: String,
    body_html: String,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> AppResult<Html<String>> {
    let a = article::Entity::find()
        .filter(article::Column::Slug.eq(slug))
        .filter(article::Column::Status.eq("published"))
        .one(&state.platform.db.conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let when = a.published_at.unwrap_or(a.created_at);
    let page = ArticlePage {
        date: fmt::date(ctx.lang, when),
        date_iso: fmt::iso(when),
        body_html: crate::markdown::to_html(&a.body_md),
        title: a.title,
        lead: a.lead,
        ctx,
    };
    Ok(Html(page.render()?))
}
