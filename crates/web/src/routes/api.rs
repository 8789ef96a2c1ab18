//! The public JSON API (`/api/v1/…`). Read-only for now: the directory of organisations.

use crate::AppState;
use crate::errors::{AppError, AppResult};
use crate::routes::organizations::{Filters, enrich, load_full, org_json};
use axum::Json;
use axum::extract::{Path, Query, State};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use wspolnie_platform::entity::organization;
use wspolnie_platform::i18n::Lang;

#[derive(Deserialize, Default)]
pub struct ApiQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    sphere: String,
    #[serde(default)]
    target_group: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    legal_form: String,
    opp: Option<bool>,
    page: Option<u64>,
    per_page: Option<u64>,
    #[serde(default)]
    lang: String,
}

/// `GET /api/v1/organizations`: filtered, paginated list (`per_page` at most 100).
pub async fn organizations(
    State(state): State<AppState>,
    Query(q): Query<ApiQuery>,
) -> AppResult<Json<serde_json::Value>> {
    let f = Filters {
        q: q.q,
        sfera: q.sphere,
        grupa: q.target_group,
        dzielnica: q.district,
        forma: q.legal_form,
        opp: if q.opp == Some(true) {
            "1".into()
        } else {
            String::new()
        },
        strona: None,
    };
    let page = q.page.unwrap_or(1).max(1);
    let per_page = q.per_page.unwrap_or(20).clamp(1, 100);
    let lang = Lang::parse(&q.lang).unwrap_or_default();
    let (total, rows) =
        load_full(&state.platform.db.conn, &f, lang, Some((page, per_page))).await?;
    let base = state
        .platform
        .config
        .server
        .public_url
        .trim_end_matches('/')
        .to_owned();
    Ok(Json(serde_json::json!({
        "total": total,
        "page": page,
        "per_page": per_page,
        "items": rows.iter().map(|r| org_json(r, &base)).collect::<Vec<_>>(),
    })))
}

/// `GET /api/v1/organizations/{slug}`.
pub async fn organization(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<ApiQuery>,
) -> AppResult<Json<serde_json::Value>> {
    let lang = Lang::parse(&q.lang).unwrap_or_default();
    let db = &state.platform.db.conn;
    let org = organization::Entity::find()
        .filter(organization::Column::Slug.eq(slug))
        .filter(organization::Column::Status.eq("published"))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let full = enrich(db, vec![org], lang)
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    let base = state
        .platform
        .config
        .server
        .public_url
        .trim_end_matches('/')
        .to_owned();
    Ok(Json(org_json(&full, &base)))
}
