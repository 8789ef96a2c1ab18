//! Routes, one module per area of the site. Every route the application serves is listed here.

pub mod calendar;
pub mod files;
pub mod fmt;
pub mod health;
pub mod home;
pub mod info;
pub mod news;
pub mod organizations;
pub mod pagination;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(home::home))
        .route("/organizacje", get(organizations::list))
        .route("/organizacje/{slug}", get(organizations::show))
        .route("/aktualnosci", get(news::list))
        .route("/aktualnosci/{slug}", get(news::show))
        .route("/kalendarz", get(calendar::list))
        .route("/kalendarz/{slug}", get(calendar::show))
        .route("/kontakt", get(info::contact))
        .route("/dostepnosc", get(info::accessibility))
        .route("/ustawienia", get(info::settings_page))
        .route("/ustawienia/wyglad", post(info::save_appearance))
        .route("/ustawienia/jezyk", post(info::save_language))
        .route("/pliki/{*key}", get(files::serve))
        .route("/static/{name}", get(crate::assets::serve))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .fallback(|| async { crate::errors::AppError::NotFound })
        .with_state(state)
}
