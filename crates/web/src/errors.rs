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
    /// A link from an e-mail (token or signature) that is missing, malformed, expired or used:
    /// one friendly page (`pages/link_invalid.html`, 404) saying what may have happened, with
    /// the area's next steps.
    #[error("link not valid")]
    LinkInvalid(&'static [NextStep]),
    /// The database cannot take the request now (SQLite write lock still busy after the wait,
    /// disk full, PostgreSQL unreachable): 503 with "nothing was saved, try again", never a
    /// success page for a write that did not commit.
    #[error("database unavailable: {0}")]
    Unavailable(String),
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

/// One "what to do next" link on the page of a link that is not valid: an address and the
/// Fluent id of its text. Areas declare theirs as constants next to their handlers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NextStep {
    pub href: &'static str,
    pub label: &'static str,
}

/// The office's contact page, a next step every link page offers.
pub const CONTACT_OFFICE: NextStep = NextStep {
    href: "/kontakt",
    label: "link-invalid-contact",
};

/// Marks a 404 for a link that is not valid (the error middleware renders
/// `pages/link_invalid.html` with these next steps).
#[derive(Clone, Copy, Debug)]
pub struct LinkInvalidMarker(pub &'static [NextStep]);

/// Marks a 503 caused by file storage (its page speaks of files, not of the database).
#[derive(Clone, Copy, Debug)]
pub struct StorageMarker;

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match &self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::BadRequest => StatusCode::BAD_REQUEST,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::LinkInvalid(next) => {
                let mut res = StatusCode::NOT_FOUND.into_response();
                res.extensions_mut().insert(ErrorMarker);
                res.extensions_mut().insert(LinkInvalidMarker(next));
                return res;
            }
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
            AppError::StorageUnavailable(e) => {
                tracing::error!(error = %e, "file storage failed");
                let mut res = StatusCode::SERVICE_UNAVAILABLE.into_response();
                res.extensions_mut().insert(ErrorMarker);
                res.extensions_mut().insert(StorageMarker);
                return res;
            }
            // A database error that reached us wrapped (through `anyhow`) is still a database
            // that cannot serve now: 503 like `Unavailable`, not 500.
            AppError::Internal(e)
                if e.chain().any(|c| {
                    c.downcast_ref::<sea_orm::DbErr>()
                        .is_some_and(wspolnie_platform::db::is_unavailable)
                }) =>
            {
                return AppError::Unavailable(format!("{e:#}")).into_response();
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
