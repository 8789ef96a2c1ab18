//! The web application: axum router, middleware (security headers, CSRF, preferences, error pages),
//! server-rendered pages (askama) in one module per area, and the server with graceful shutdown.

pub mod assets;
pub mod auth;
pub mod cache;
pub mod cookies;
pub mod csv_out;
pub mod ctx;
pub mod error_pages;
pub mod errors;
pub mod files;
pub mod fmt;
pub mod forms;
pub mod health;
pub mod markdown;
pub mod pagination;
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
    /// What areas keep for the whole process (caches, indexes), one value per type.
    pub parts: Arc<Parts>,
    /// Entries of the main navigation, in order, as the areas declared them.
    pub nav: Arc<Vec<ctx::NavLink>>,
    /// The content version as this instance last read it (`platform::content`): read models
    /// compare it with the version their data was built at.
    pub content: wspolnie_platform::content::ContentVersion,
    /// Answers of the cached public routes (`Routes::cached`), kept per content version.
    pub cache: cache::ResponseCache,
}

impl AppState {
    /// Prepares the state: loads (or creates, once per deployment) the signing secret.
    pub async fn new(
        platform: Platform,
        parts: Parts,
        nav: Vec<ctx::NavLink>,
    ) -> anyhow::Result<Self> {
        let secret =
            wspolnie_platform::settings::signing_secret(&platform.db.conn, &platform.config)
                .await?;
        let content = wspolnie_platform::content::ContentVersion::default();
        Ok(AppState {
            cache: cache::ResponseCache::new(platform.db.conn.clone(), content.clone()),
            content,
            keys: Arc::new(security::Keys::new(
                secret.as_bytes(),
                platform.config.secure_cookies(),
            )),
            site: SiteCache::new(Duration::from_secs(5)),
            assets: Arc::new(assets::Assets::new()),
            parts: Arc::new(parts),
            nav: Arc::new(nav),
            platform,
        })
    }

    /// A part an area registered (see `Parts`).
    pub fn part<T: Send + Sync + 'static>(&self) -> Result<&T, errors::AppError> {
        self.parts.get::<T>().ok_or_else(|| {
            errors::AppError::Internal(anyhow::anyhow!(
                "part {} not registered",
                std::any::type_name::<T>()
            ))
        })
    }
}

/// Values areas keep in the application state, one per type (for example the directory's
/// in-memory index), so the kernel's state needs no field per area.
#[derive(Default)]
pub struct Parts(axum::http::Extensions);

impl Parts {
    pub fn insert<T: Clone + Send + Sync + 'static>(&mut self, value: T) {
        self.0.insert(value);
    }
    pub fn get<T: Send + Sync + 'static>(&self) -> Option<&T> {
        self.0.get::<T>()
    }
}

/// The whole application with its middleware stack around the areas' routes.
pub fn app(state: AppState, routes: routes::Routes) -> Router {
    // Outermost last: request id → trace → headers → body limit → compression → preferences →
    // error pages → CSRF → session (signed-in account) → control characters refused → panic
    // catcher → writes noted for the response cache → routes (each with its permission layer;
    // cached routes with the response cache).
    routes
        .into_router(state.clone())
        .layer(axum::middleware::from_fn_with_state(
            state.cache.clone(),
            cache::after_writes,
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            error_pages::panic_response,
        ))
        .layer(axum::middleware::from_fn(
            forms::neutralise_control_characters,
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
            error_pages::error_pages,
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
