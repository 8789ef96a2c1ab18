//! Stored files (posters, attachments) served from object storage under their random keys.

use crate::AppState;
use crate::errors::AppError;
use crate::errors::AppResult;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use wspolnie_platform::entity::stored_file;

/// Stored files under these prefixes are served as attachments, never shown inline.
pub const DOWNLOAD_PREFIXES: [&str; 2] = ["guides/", "attachments/"];

/// Stored files under this prefix are never served here: the area that stored them serves them
/// to the people allowed to see them (an offer's attachments to its organisation and officials).
pub const PRIVATE_PREFIX: &str = "private/";

pub async fn serve(State(state): State<AppState>, Path(key): Path<String>) -> AppResult<Response> {
    if key.starts_with(PRIVATE_PREFIX) {
        return Err(AppError::NotFound);
    }
    let meta = stored_file::Entity::find()
        .filter(stored_file::Column::Key.eq(key.clone()))
        .one(&state.platform.db.conn)
        .await?
        .ok_or(AppError::NotFound)?;
    // A missing object is a 404; a storage that fails (S3 down, bucket missing) is a 503 page.
    let bytes = state.platform.storage.get(&meta.key).await?;
    // Guides and templates from information pages and report attachments are always downloads.
    let inline = (meta.content_type.starts_with("image/")
        || meta.content_type == "application/pdf")
        && !DOWNLOAD_PREFIXES.iter().any(|p| meta.key.starts_with(p));
    Ok(response(
        bytes,
        &meta.content_type,
        &meta.original_name,
        inline,
        "public, max-age=86400",
    ))
}

/// A stored file's bytes with its type, its original name for saving and the cache rule.
pub fn response(
    bytes: impl IntoResponse,
    content_type: &str,
    name: &str,
    inline: bool,
    cache: &'static str,
) -> Response {
    let disposition = format!(
        "{}; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        url::form_urlencoded::byte_serialize(name.as_bytes())
            .collect::<String>()
            .replace('+', "%20")
    );
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    res
}
