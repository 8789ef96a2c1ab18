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
    /// File storage (S3 or the local directory) failed: the user is told that files cannot be
    /// stored or read right now (503), not shown a generic server error.
    #[error("file storage unavailable: {0}")]
    StorageUnavailable(wspolnie_platform::storage::StorageError),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<wspolnie_platform::storage::StorageError> for AppError {
    fn from(e: wspolnie_platform::storage::StorageError) -> Self {
        match e {
            wspolnie_platform::storage::StorageError::NotFound => AppError::NotFound,
            e => AppError::StorageUnavailable(e),
        }
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(e: sea_orm::DbErr) -> Self {
        AppError::Internal(e.into())
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
            AppError::StorageUnavailable(e) => {
                tracing::error!(error = %e, "file storage failed");
                StatusCode::SERVICE_UNAVAILABLE
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
