//! The public JSON API (`/api/v1/…`). Read-only for now: the directory of organisations.
//! The OpenAPI 3.1 description is generated from these handlers and types (utoipa) and served at
//! `/api/v1/openapi.json`; a test checks that every `/api/` route of the router is described.

use wspolnie_web::AppState;
use wspolnie_web::errors::AppError;
use wspolnie_web::errors::AppResult;
use wspolnie_web::pagination::Page;
use crate::directory::web::ApiOrganization;
use crate::directory::web::Filters;
use crate::directory::web::enrich;
use crate::directory::web::load_full;
use axum::Json;
use axum::extract::{Path, Query, State};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};
use crate::directory::entity::organization;
use wspolnie_platform::i18n::Lang;

/// Query parameters of the organisation list.
#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Words to search for in names, descriptions and addresses; case and Polish diacritics are
    /// ignored, each word matches as a prefix (`zwiazek` finds "Związek").
    #[serde(default)]
    q: String,
    /// Code of a sphere of public benefit (art. 4 of the Act), e.g. `16`.
    #[serde(default)]
    sphere: String,
    /// Code of a target group, e.g. `seniorzy`.
    #[serde(default)]
    target_group: String,
    /// District name, exactly as published.
    #[serde(default)]
    district: String,
    /// Legal form code, e.g. `fundacja`.
    #[serde(default)]
    legal_form: String,
    /// `true`: only public benefit organisations (OPP).
    opp: Option<bool>,
    /// Page number, from 1 (up to 1000000). Anything that is not a positive number means 1;
    /// a larger number means 1000000.
    #[serde(default)]
    #[param(value_type = Option<u64>, minimum = 1, maximum = 1000000)]
    page: Page,
    /// Items per page, 1–100 (default 20); a number outside that range is brought into it,
    /// anything else means 1.
    #[param(value_type = Option<u64>, minimum = 1, maximum = 100)]
    per_page: Option<Page>,
    /// Language of sphere and target group names: `pl` (default) or `en`.
    #[serde(default)]
    lang: String,
}

/// The most organisations one page of the list gives (`per_page` is brought into 1..=this).
pub const MAX_PER_PAGE: u64 = 100;

/// Query parameters of the organisation detail.
#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DetailQuery {
    /// Language of sphere and target group names: `pl` (default) or `en`.
    #[serde(default)]
    lang: String,
}

/// One page of organisations, in Polish alphabetical order.
#[derive(Serialize, ToSchema)]
pub struct OrganizationList {
    /// Number of organisations matching the filters (all pages).
    pub total: u64,
    #[schema(minimum = 1)]
    pub page: u64,
    /// Items per page as applied: the request's `per_page` brought into 1–100.
    #[schema(minimum = 1, maximum = 100)]
    pub per_page: u64,
    pub items: Vec<ApiOrganization>,
}

/// Error body of every `/api/` response with a 4xx or 5xx status.
#[derive(Serialize, ToSchema)]
pub struct ApiError {
    /// Reason phrase, e.g. "Not Found".
    pub error: String,
    pub status: u16,
    /// Request id, also in the `x-request-id` header; quote it when reporting a problem.
    pub request_id: String,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Wspólnie API",
        description = "Public, read-only data of the NGO zone: the directory of organisations \
                       and the open calls for offers. No authentication; JSON in UTF-8.",
        license(name = "AGPL-3.0-or-later")
    ),
    paths(organizations, organization),
    components(schemas(OrganizationList, ApiOrganization, ApiError)),
    tags((name = "directory", description = "Organisations of the municipality"))
)]
pub struct ApiDoc;

fn public_base(state: &AppState) -> String {
    state
        .platform
        .config
        .server
        .public_url
        .trim_end_matches('/')
        .to_owned()
}

/// Published organisations matching the filters.
#[utoipa::path(
    get,
    path = "/api/v1/organizations",
    tag = "directory",
    params(ListQuery),
    responses(
        (status = 200, description = "One page of organisations", body = OrganizationList),
        (status = 400, description = "A parameter is malformed", body = ApiError)
    )
)]
pub async fn organizations(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> AppResult<Json<OrganizationList>> {
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
        strona: Page::default(),
    };
    let page = q.page.get();
    let per_page = q.per_page.map_or(20, |n| n.get().clamp(1, MAX_PER_PAGE));
    let lang = Lang::parse(&q.lang).unwrap_or_default();
    let (total, rows) =
        load_full(&state.platform.db.conn, &f, lang, Some((page, per_page))).await?;
    let base = public_base(&state);
    Ok(Json(OrganizationList {
        total,
        page,
        per_page,
        items: rows
            .iter()
            .map(|r| ApiOrganization::new(r, &base))
            .collect(),
    }))
}

/// One published organisation.
#[utoipa::path(
    get,
    path = "/api/v1/organizations/{slug}",
    tag = "directory",
    params(("slug" = String, Path, description = "The organisation's slug"), DetailQuery),
    responses(
        (status = 200, description = "The organisation", body = ApiOrganization),
        (status = 404, description = "No published organisation has this slug", body = ApiError)
    )
)]
pub async fn organization(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<DetailQuery>,
) -> AppResult<Json<ApiOrganization>> {
    let lang = Lang::parse(&q.lang).unwrap_or_default();
    let db = &state.platform.db.conn;
    let org = organization::Entity::find()
        .filter(organization::Column::Slug.eq(slug))
        .filter(organization::Column::Status.eq(organization::Status::Published))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let full = enrich(db, vec![org], lang)
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    Ok(Json(ApiOrganization::new(&full, &public_base(&state))))
}

