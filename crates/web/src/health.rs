//! `/healthz`: the process answers. `/readyz`: the database answers within 2 s, takes a write, and
//! its schema is the one this binary expects (load balancers take an instance out of rotation
//! otherwise).
//! It also reports whether file storage answers (`"storage": "ok"` / `"error"`), for monitoring
//! only: S3 being down affects every instance alike, and pages without files still work, so it
//! does not make an instance unready.

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

/// How long `/readyz` waits for the database before it says "not ready" (a load balancer's probe
/// must not hang on a database outage).
const READY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);
/// How long `/readyz` waits for file storage before reporting it as not answering.
const STORAGE_CHECK_SECONDS: u64 = 3;

pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let db = &state.platform.db;
    let checked = tokio::time::timeout(READY_TIMEOUT, async {
        if !db.file_intact() {
            return ("missing", "unknown", false);
        }
        if db.ping().await.is_err() {
            return ("error", "unknown", false);
        }
        let migrations = match db.schema_state().await {
            Ok(SchemaState::Current) => "current",
            Ok(SchemaState::Behind(_)) => "behind",
            Ok(SchemaState::Ahead(_)) => "ahead",
            Err(_) => return ("error", "unknown", false),
        };
        // Reads work; can it take a write (full disk, read-only file, a lock never released)?
        let writable = match db.write_probe().await {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!(error = %e, "readiness: the database does not take writes");
                false
            }
        };
        ("ok", migrations, writable)
    })
    .await;
    let (database, migrations, writable) = checked.unwrap_or(("timeout", "unknown", false));
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
    let ready = database == "ok" && migrations == "current" && writable;
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
            "writable": writable,
            "backend": db.backend_name(),
            "migrations": migrations,
            "storage": storage,
            "storage_backend": state.platform.storage.kind(),
        })),
    )
}
