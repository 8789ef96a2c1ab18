//! Public news: the office's announcements and the approved news and post-project reports of
//! organisations, with a filter by source, article pages (cover, photos with alt text, the
//! organisation) and an Atom feed that feed readers subscribe to.

use crate::moderation::lifecycle::Publication;
use wspolnie_web::AppState;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::AppError;
use wspolnie_web::errors::AppResult;
use wspolnie_web::fmt;
use crate::site::home::NewsItem;
use crate::site::home::news_item;
use wspolnie_web::pagination::PER_PAGE;
use wspolnie_web::pagination::Page;
use wspolnie_web::pagination::Pages;
use wspolnie_web::pagination::pages;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use crate::news::entity::article;
use crate::news::entity::article_file;
use crate::directory::entity::organization;
use wspolnie_platform::entity::stored_file;

/// Filters by source: "" (all), `urzad`, `organizacje`, `relacje`.
pub const SOURCES: [&str; 3] = ["urzad", "organizacje", "relacje"];
/// Entries in the Atom feed.
pub const FEED_ENTRIES: u64 = 30;

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    strona: Page,
    #[serde(default)]
    rodzaj: String,
}

fn published(source: &str) -> sea_orm::Select<article::Entity> {
    let find = article::Entity::find().filter(article::Column::Status.eq(Publication::Published));
    match source {
        "urzad" => find.filter(article::Column::OrganizationId.is_null()),
        "organizacje" => find
            .filter(article::Column::OrganizationId.is_not_null())
            .filter(article::Column::Kind.eq("news")),
        "relacje" => find.filter(article::Column::Kind.eq("report")),
        _ => find,
    }
    .order_by_desc(article::Column::PublishedAt)
    .order_by_desc(article::Column::Id)
}

pub struct SourceChoice {
    pub code: &'static str,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "news/templates/public/news_list.html")]
struct NewsList {
    ctx: PageCtx,
    items: Vec<NewsItem>,
    total: u64,
    pages: Pages,
    sources: Vec<SourceChoice>,
    feed_url: String,
    /// A source is chosen (an empty result then offers the whole list).
    filtered: bool,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<ListQuery>,
) -> AppResult<Html<String>> {
    let db = &state.platform.db.conn;
    let source = if SOURCES.contains(&q.rodzaj.as_str()) {
        q.rodzaj.as_str()
    } else {
        ""
    };
    let paginator = published(source).paginate(db, PER_PAGE);
    let total = paginator.num_items().await?;
    let page = q.strona.within(total, PER_PAGE);
    let rows = paginator.fetch_page(page - 1).await?;
    let items = rows.into_iter().map(|a| news_item(&ctx, a)).collect();
    let pages = pages("/aktualnosci", &[("rodzaj", source)], page, total);
    let sources = std::iter::once(("", "news-filter-all"))
        .chain([
            ("urzad", "news-filter-city"),
            ("organizacje", "news-filter-ngo"),
            ("relacje", "news-filter-reports"),
        ])
        .map(|(code, key)| SourceChoice {
            code,
            label: ctx.t(key),
            selected: code == source,
        })
        .collect();
    let feed_url = if source.is_empty() {
        "/aktualnosci.atom".to_owned()
    } else {
        format!("/aktualnosci.atom?rodzaj={source}")
    };
    Ok(Html(
        NewsList {
            ctx,
            items,
            total,
            pages,
            sources,
            feed_url,
            filtered: !source.is_empty(),
        }
        .render()?,
    ))
}

pub struct ArticleDownload {
    pub url: String,
    pub title: String,
    /// "PDF, 120 KB".
    pub info: String,
}

pub struct ArticlePhoto {
    pub url: String,
    pub alt: String,
}

#[derive(Template)]
#[template(path = "news/templates/public/article.html")]
struct ArticlePage {
    ctx: PageCtx,
    title: String,
    lead: String,
    kind: String,
    date: String,
    date_iso: String,
    body_html: String,
    organization: Option<(String, String)>,
    cover: Option<ArticlePhoto>,
    photos: Vec<ArticlePhoto>,
    downloads: Vec<ArticleDownload>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> AppResult<Html<String>> {
    let db = &state.platform.db.conn;
    let a = article::Entity::find()
        .filter(article::Column::Slug.eq(slug))
        .filter(article::Column::Status.eq(Publication::Published))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let organization = match a.organization_id {
        Some(id) => organization::Entity::find_by_id(id)
            .filter(organization::Column::Status.eq(organization::Status::Published))
            .one(db)
            .await?
            .map(|o| (o.slug, o.name)),
        None => None,
    };
    let files = article_file::Entity::find()
        .filter(article_file::Column::ArticleId.eq(a.id))
        .order_by_asc(article_file::Column::Position)
        .all(db)
        .await?;
    let keys: Vec<String> = files.iter().map(|f| f.file_key.clone()).collect();
    let stored = stored_file::Entity::find()
        .filter(stored_file::Column::Key.is_in(keys))
        .all(db)
        .await?;
    let mut photos = Vec::new();
    let mut downloads = Vec::new();
    for f in files {
        let url = format!("/pliki/{}", f.file_key);
        if f.kind == "image" {
            photos.push(ArticlePhoto { url, alt: f.title });
        } else if let Some(m) = stored.iter().find(|m| m.key == f.file_key) {
            downloads.push(ArticleDownload {
                url,
                title: f.title,
                info: format!(
                    "{}, {}",
                    crate::pages::web::type_label(&m.content_type, &m.original_name),
                    crate::pages::web::human_size(ctx.lang, m.size)
                ),
            });
        }
    }
    let when = a.published_at.unwrap_or(a.created_at);
    let page = ArticlePage {
        date: fmt::date(ctx.lang, when),
        date_iso: fmt::iso(when),
        body_html: wspolnie_web::markdown::to_html(&a.body_md),
        kind: ctx.t(&format!("news-kind-{}", a.kind)),
        cover: a.cover_key.map(|k| ArticlePhoto {
            url: format!("/pliki/{k}"),
            alt: a.cover_alt,
        }),
        title: a.title,
        lead: a.lead,
        organization,
        photos,
        downloads,
        ctx,
    };
    Ok(Html(page.render()?))
}

/// `GET /aktualnosci.atom[?rodzaj=…]`: the newest published articles as an Atom 1.0 feed.
pub async fn feed(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    use atom_syndication::{
        ContentBuilder, EntryBuilder, FeedBuilder, LinkBuilder, PersonBuilder, Text,
    };
    let db = &state.platform.db.conn;
    let source = if SOURCES.contains(&q.rodzaj.as_str()) {
        q.rodzaj.as_str()
    } else {
        ""
    };
    let rows = published(source).limit(FEED_ENTRIES).all(db).await?;
    let org_ids: Vec<i64> = rows.iter().filter_map(|a| a.organization_id).collect();
    let orgs = organization::Entity::find()
        .filter(organization::Column::Id.is_in(org_ids))
        .all(db)
        .await?;
    let base = state
        .platform
        .config
        .server
        .public_url
        .trim_end_matches('/')
        .to_owned();
    let self_url = if source.is_empty() {
        format!("{base}/aktualnosci.atom")
    } else {
        format!("{base}/aktualnosci.atom?rodzaj={source}")
    };
    let office = ctx.site.office_name.clone();
    // What people wrote is Polish; in an English feed its texts say so (xml:lang).
    let pl = wspolnie_platform::i18n::Lang::Pl;
    let content_lang = (ctx.lang != pl).then(|| pl.code().to_owned());
    let text = |value: &str| Text {
        lang: content_lang.clone(),
        ..Text::plain(value)
    };
    let entries = rows
        .iter()
        .map(|a| {
            let url = format!("{base}/aktualnosci/{}", a.slug);
            let author = a
                .organization_id
                .and_then(|id| orgs.iter().find(|o| o.id == id))
                .map_or_else(|| office.clone(), |o| o.name.clone());
            let published = a.published_at.unwrap_or(a.created_at).fixed_offset();
            EntryBuilder::default()
                .id(format!("{base}/aktualnosci/{}", a.slug))
                .title(text(&a.title))
                .updated(
                    a.updated_at
                        .max(a.published_at.unwrap_or(a.created_at))
                        .fixed_offset(),
                )
                .published(Some(published))
                .authors(vec![PersonBuilder::default().name(author).build()])
                .links(vec![
                    LinkBuilder::default()
                        .href(url)
                        .rel("alternate")
                        .mime_type(Some("text/html".into()))
                        .build(),
                ])
                .summary(Some(text(&a.lead)))
                .content(Some(
                    ContentBuilder::default()
                        .content_type(Some("html".into()))
                        .lang(content_lang.clone())
                        .value(Some(wspolnie_web::markdown::to_html(&a.body_md)))
                        .build(),
                ))
                .build()
        })
        .collect::<Vec<_>>();
    let updated = rows
        .iter()
        .map(|a| a.updated_at.max(a.published_at.unwrap_or(a.created_at)))
        .max()
        .unwrap_or_else(chrono::Utc::now)
        .fixed_offset();
    let feed = FeedBuilder::default()
        .id(self_url.clone())
        .title(Text::plain(ctx.t1(
            "news-feed-title",
            "city",
            &ctx.site.city_name,
        )))
        .updated(updated)
        .lang(Some(ctx.lang.code().to_owned()))
        .authors(vec![PersonBuilder::default().name(office).build()])
        .links(vec![
            LinkBuilder::default()
                .href(self_url)
                .rel("self")
                .mime_type(Some("application/atom+xml".into()))
                .build(),
            LinkBuilder::default()
                .href(format!("{base}/aktualnosci"))
                .rel("alternate")
                .mime_type(Some("text/html".into()))
                .build(),
        ])
        .entries(entries)
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
