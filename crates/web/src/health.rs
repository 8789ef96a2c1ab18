//! `/healthz`: the process answers. `/readyz`: the database answers within 2 s, takes a write, and
//! its schema is the one this binary expects (load balancers take an instance out of rotation
//! otherwise).

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
        })),
    )
}
