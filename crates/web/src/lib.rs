//! The web application: axum router, middleware (security headers, CSRF, preferences, error pages),
//! server-rendered pages (askama) in one module per area, and the server with graceful shutdown.

pub mod assets;
pub mod auth;
pub mod csv_out;
pub mod ctx;
pub mod directory_index;
pub mod errors;
pub mod forms;
pub mod markdown;
pub mod policy;
pub mod routes;
pub mod security;
pub mod uploads;

use axum::Router;
use std::sync::Arc;
use std::time::Duration;
use wspolnie_platform::Platform;
use wspolnie_platform::settings::SiteCache;

#[derive(Clone)]
pub struct AppState {
    pub platform: Platform,
    pub site: SiteCache,
    pub keys: Arc<security::Keys>,
    pub assets: Arc<assets::Assets>,
    /// The published directory in memory (search without queries).
    pub directory: directory_index::DirectoryIndex,
}

impl AppState {
    /// Prepares the state: loads (or creates, once per deployment) the signing secret.
    pub async fn new(platform: Platform) -> anyhow::Result<Self> {
        let secret =
            wspolnie_platform::settings::signing_secret(&platform.db.conn, &platform.config)
                .await?;
        Ok(AppState {
            keys: Arc::new(security::Keys::new(
                secret.as_bytes(),
                platform.config.secure_cookies(),
            )),
            site: SiteCache::new(Duration::from_secs(5)),
            assets: Arc::new(assets::Assets::new()),
            directory: directory_index::DirectoryIndex::default(),
            platform,
        })
    }
}

/// The whole application with its middleware stack.
pub fn app(state: AppState) -> Router {
    // Outermost last: request id → trace → headers → body limit → compression → preferences →
    // error pages → CSRF → session (signed-in account) → panic catcher → routes (each with its permission layer).
    routes::router(state.clone())
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            errors::panic_response,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::session,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::csrf,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            errors::error_pages,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            ctx::preferences,
        ))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(axum::extract::DefaultBodyLimit::max(
            state.platform.config.server.max_body_bytes,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .layer(tower_http::trace::TraceLayer::new_for_http().make_span_with(security::make_span))
        .layer(tower_http::request_id::PropagateRequestIdLayer::x_request_id())
        .layer(tower_http::request_id::SetRequestIdLayer::x_request_id(
            tower_http::request_id::MakeRequestUuid,
        ))
}
