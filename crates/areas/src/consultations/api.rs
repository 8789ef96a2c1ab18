//! The public JSON API of consultations (`/api/v1/consultations`): every public consultation
//! with its period, audience, forms, versions, the number of remarks and, once published, its
//! report's address. Described for the OpenAPI document by `ConsultationsApi` (merged with the
//! other areas' descriptions into the one document of `/api/v1/openapi.json`).

use super::entity::consultation;
use super::model;
use super::store;
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};
use wspolnie_web::AppState;
use wspolnie_web::errors::AppResult;

/// One public consultation.
#[derive(Serialize, ToSchema)]
pub struct ApiConsultation {
    pub slug: String,
    pub title: String,
    /// `announced`, `open`, `closed` or `reported` (by the clock at the time of the request).
    pub status: String,
    /// `organisations`, `rdpp` or `everyone`.
    pub audience: String,
    /// The first moment remarks are taken (RFC 3339).
    pub starts_at: String,
    /// The last moment remarks are taken (RFC 3339).
    pub ends_at: String,
    /// Why the period is shorter than the office's minimum (empty when it is not).
    pub short_reason: String,
    /// Remarks online, remarks by e-mail or on paper, an open meeting, the RDPP's opinion.
    pub form_online: bool,
    pub form_entered: bool,
    pub form_meeting: bool,
    pub form_rdpp: bool,
    /// Versions of the draft published so far (1, 2, …).
    pub versions: i32,
    pub remarks: usize,
    /// The page of the consultation.
    pub url: String,
    /// The report's page, once published.
    pub report_url: Option<String>,
}

/// Every public consultation, the latest start first.
#[derive(Serialize, ToSchema)]
pub struct ConsultationList {
    pub consultations: Vec<ApiConsultation>,
}

/// Every public consultation.
#[utoipa::path(
    get,
    path = "/api/v1/consultations",
    tag = "consultations",
    responses((status = 200, description = "The consultations, the latest start first", body = ConsultationList))
)]
pub async fn list(State(state): State<AppState>) -> AppResult<Json<ConsultationList>> {
    let db = &state.platform.db.conn;
    let base = state.platform.config.server.public_url.trim_end_matches('/').to_owned();
    let now = Utc::now();
    let mut out = Vec::new();
    for c in store::public_all(db).await? {
        out.push(api_item(db, &base, &c, now).await?);
    }
    Ok(Json(ConsultationList { consultations: out }))
}

async fn api_item(
    db: &sea_orm::DatabaseConnection,
    base: &str,
    c: &consultation::Model,
    now: DateTime<Utc>,
) -> Result<ApiConsultation, sea_orm::DbErr> {
    let versions = store::versions(db, c.id).await?;
    let remarks = store::remarks(db, c.id).await?;
    let url = store::url(base, c);
    Ok(ApiConsultation {
        slug: c.slug.clone(),
        title: c.title.clone(),
        status: model::current(c, now).as_str().into(),
        audience: c.audience.as_str().into(),
        starts_at: c.starts_at.to_rfc3339(),
        ends_at: c.ends_at.to_rfc3339(),
        short_reason: c.short_reason.clone(),
        form_online: c.form_online,
        form_entered: c.form_entered,
        form_meeting: c.meeting_id.is_some(),
        form_rdpp: c.form_rdpp,
        versions: versions.last().map_or(0, |v| v.number),
        remarks: remarks.len(),
        report_url: c.reported_at.map(|_| format!("{url}/raport")),
        url,
    })
}

#[derive(OpenApi)]
#[openapi(
    paths(list),
    components(schemas(ConsultationList, ApiConsultation)),
    tags((name = "consultations", description = "Consultations of draft acts with organisations and residents (art. 5 ust. 5 of the Act on public benefit activity)"))
)]
pub struct ConsultationsApi;
