//! Storing uploaded images: checked by content, scaled down and re-encoded off the async
//! threads (`wspolnie_media`), then put into object storage under a random key with a
//! `stored_files` row. Used by logos, event posters and report photos; documents (guides,
//! report attachments) are recognised by content and extension and stored as they are.

use crate::AppState;
use crate::errors::AppError;
use crate::errors::AppResult;
use crate::forms::Upload;
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use sha2::Digest;
use wspolnie_media::MediaError;
use wspolnie_platform::entity::stored_file;

/// A file now in object storage with its `stored_files` row.
pub struct Stored {
    pub key: String,
    /// The user's file name with the extension of what we stored.
    pub original_name: String,
    pub size: i64,
}

/// Puts bytes into object storage under `prefix/` and records them in `stored_files` (on `db`,
/// which may be the caller's transaction).
pub async fn store_file<C: ConnectionTrait>(
    state: &AppState,
    db: &C,
    prefix: &str,
    ext: &str,
    content_type: &str,
    bytes: bytes::Bytes,
    filename: &str,
) -> AppResult<Stored> {
    let size = bytes.len() as i64;
    let sha = hex::encode(sha2::Sha256::digest(&bytes));
    let key = state.platform.storage.put_new(prefix, ext, bytes).await?;
    let stem = filename.rsplit_once('.').map_or(filename, |(s, _)| s);
    let stem: String = stem
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '/' | '\\' | '"'))
        .take(190)
        .collect();
    let original_name = format!("{}.{ext}", if stem.is_empty() { "plik" } else { &stem });
    stored_file::Entity::insert(stored_file::ActiveModel {
        key: Set(key.clone()),
        original_name: Set(original_name.clone()),
        content_type: Set(content_type.into()),
        size: Set(size),
        sha256: Set(sha),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(Stored {
        key,
        original_name,
        size,
    })
}

/// Images decoded at the same time, whatever the number of uploads: each decode may take up to
/// `wspolnie_media::MAX_ALLOC` bytes and seconds of CPU, so more uploads wait for a turn instead
/// of adding up.
pub const CONCURRENT_DECODES: usize = 2;
static DECODES: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(CONCURRENT_DECODES);

/// Stores an uploaded image under `prefix/`. `Ok(Err(message id))` when the upload is not an
/// acceptable image (the form shows the message next to the field). The image's declared size
/// is checked from its headers first (bombs are refused without a turn); decoding waits for one
/// of [`CONCURRENT_DECODES`] turns and runs off the async threads.
pub async fn store_image(
    state: &AppState,
    prefix: &str,
    up: &Upload,
    max_width: u32,
) -> AppResult<Result<String, &'static str>> {
    let prepared = match wspolnie_media::check(&up.bytes) {
        Err(e) => Err(e),
        Ok(_) => {
            let turn = DECODES
                .acquire()
                .await
                .map_err(|e| AppError::Internal(e.into()))?;
            let bytes = up.bytes.clone();
            tokio::task::spawn_blocking(move || {
                let _turn = turn;
                wspolnie_media::prepare(&bytes, max_width)
            })
            .await
            .map_err(|e| AppError::Internal(e.into()))?
        }
    };
    let img = match prepared {
        Ok(p) => p,
        Err(MediaError::NotAnImage) => return Ok(Err("error-image-type")),
        Err(MediaError::TooManyPixels(..)) => return Ok(Err("error-image-pixels")),
        Err(MediaError::Broken) => return Ok(Err("error-image-broken")),
    };
    let stored = store_file(
        state,
        &state.platform.db.conn,
        prefix,
        img.ext,
        img.content_type,
        img.bytes.into(),
        &up.filename,
    )
    .await?;
    Ok(Ok(stored.key))
}

/// What is wrong with a document field of a multipart form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentProblem {
    TooLarge,
    Missing,
    /// Not one of the document types `detect_document` recognises.
    Type,
}

/// The document uploaded as `field` of `form`, recognised by content: its part and (extension,
/// content type).
pub fn document<'a>(
    form: &'a crate::forms::MultipartForm,
    field: &str,
) -> Result<(&'a Upload, (&'static str, &'static str)), DocumentProblem> {
    if !form.too_large.is_empty() {
        return Err(DocumentProblem::TooLarge);
    }
    let up = form.file(field).ok_or(DocumentProblem::Missing)?;
    let kind = detect_document(&up.filename, &up.bytes).ok_or(DocumentProblem::Type)?;
    Ok((up, kind))
}

/// Recognises an uploaded document by its content and extension: PDF by its `%PDF-` header, the
/// zip-based office formats by the zip local-file header. Returns (extension, content type).
pub fn detect_document(filename: &str, bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    let ext = filename.rsplit_once('.')?.1.to_ascii_lowercase();
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    match ext.as_str() {
        "pdf" if bytes.starts_with(b"%PDF-") => Some(("pdf", "application/pdf")),
        "docx" if is_zip => Some((
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )),
        "xlsx" if is_zip => Some((
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )),
        "odt" if is_zip => Some(("odt", "application/vnd.oasis.opendocument.text")),
        "ods" if is_zip => Some(("ods", "application/vnd.oasis.opendocument.spreadsheet")),
        _ => None,
    }
}
