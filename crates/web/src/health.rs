//! `/healthz`: the process answers. `/readyz`: the database answers and its schema is the one this
//! binary expects (load balancers take an instance out of rotation otherwise). It also reports
//! whether file storage answers (`"storage": "ok"` / `"error"`), for monitoring only: S3 being
//! down affects every instance alike, and pages without files still work, so it does not make an
//! instance unready.

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

/// How long `/readyz` waits for file storage before reporting it as not answering.
const STORAGE_CHECK_SECONDS: u64 = 3;

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
    let storage = match tokio::time::timeout(
        std::time::Duration::from_secs(STORAGE_CHECK_SECONDS),
        state.platform.storage.check(),
    )
    .await
    {
        Ok(Ok(())) => "ok",
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: file storage check failed");
            "error"
        }
        Err(_) => {
            tracing::warn!("readiness: file storage did not answer in time");
            "error"
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
            "storage": storage,
            "storage_backend": state.platform.storage.kind(),
        })),
    )
}
