//! Errors: handlers return `AppError`; the `error_pages` middleware (`error_pages.rs`) turns any
//! error response (ours, axum's rejections, a panic) into a localised HTML page, or JSON under
//! `/api/`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("bad request")]
    BadRequest,
    #[error("payload too large")]
    PayloadTooLarge,
    /// The database cannot take the request now (SQLite write lock still busy after the wait,
    /// disk full, PostgreSQL unreachable): 503 with "nothing was saved, try again", never a
    /// success page for a write that did not commit.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for AppError {
    fn from(e: sea_orm::DbErr) -> Self {
        if wspolnie_platform::db::is_unavailable(&e) {
            AppError::Unavailable(e.to_string())
        } else {
            AppError::Internal(e.into())
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(e.into())
    }
}

/// Marks a response whose body the error middleware should render.
#[derive(Clone, Copy, Debug)]
pub struct ErrorMarker;

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match &self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::BadRequest => StatusCode::BAD_REQUEST,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unavailable(e) => {
                tracing::warn!(error = %e, "database unavailable; answered 503");
                let mut res = StatusCode::SERVICE_UNAVAILABLE.into_response();
                res.headers_mut().insert(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from_static("5"),
                );
                res.extensions_mut().insert(ErrorMarker);
                return res;
            }
            AppError::Internal(e) => {
                tracing::error!(error = ?e, "internal error");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let mut res = status.into_response();
        res.extensions_mut().insert(ErrorMarker);
        res
    }
}

pub type AppResult<T> = Result<T, AppError>;
