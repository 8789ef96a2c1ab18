//! The one OpenAPI document of `/api/v1`: each area with an API describes its own routes and
//! types (`directory::api::ApiDoc`, `grants::api::CallsApi`), merged here, outside both, so the
//! areas' API files never import each other. The document's own route is described here too.

use axum::Json;
use utoipa::OpenApi;

/// The route of the document itself.
#[derive(OpenApi)]
#[openapi(paths(openapi_json))]
struct DocumentApi;

/// The whole document.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = crate::directory::api::ApiDoc::openapi();
    doc.merge(crate::grants::api::CallsApi::openapi());
    doc.merge(crate::grants::awards::AwardsApi::openapi());
    doc.merge(crate::consultations::api::ConsultationsApi::openapi());
    doc.merge(DocumentApi::openapi());
    doc
}

/// This description, OpenAPI 3.1.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json"))
)]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(document())
}
