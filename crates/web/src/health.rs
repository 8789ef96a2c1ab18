//! `/healthz`: the process answers. `/readyz`: the database answers and its schema is the one this
//! binary expects (load balancers take an instance out of rotation otherwise).

use crate::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use wspolnie_platform::db::SchemaState;

pub async fn healthz() -> impl IntoResponse {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; charset=utf-8",
        )],
        "ok",
    )
}

pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let db = &state.platform.db;
    let (database, migrations) = if !db.file_intact() {
        ("missing", "unknown")
    } else {
        match db.ping().await {
            Err(_) => ("error", "unknown"),
            Ok(()) => match db.schema_state().await {
                Ok(SchemaState::Current) => ("ok", "current"),
                Ok(SchemaState::Behind(_)) => ("ok", "behind"),
                Ok(SchemaState::Ahead(_)) => ("ok", "ahead"),
                Err(_) => ("error", "unknown"),
            },
        }
    };
    let ready = database == "ok" && migrations == "current";
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(serde_json::json!({
            "status": if ready { "ready" } else { "not ready" },
            "database": database,
            "backend": db.backend_name(),
            "migrations": migrations,
        })),
    )
}
