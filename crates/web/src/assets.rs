//! Static files compiled into the binary, so one file is all there is to deploy. URLs carry a
//! content hash (`?v=…`) and are cached for a year; the hash changes when the file does.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::AppState;

pub struct Asset {
    pub name: &'static str,
    pub content_type: &'static str,
    pub body: &'static [u8],
    pub etag: String,
}

pub struct Assets {
    pub files: Vec<Asset>,
    pub version: String,
}

const FILES: &[(&str, &str, &[u8])] = &[
    (
        "site.css",
        "text/css; charset=utf-8",
        include_bytes!("../../../static/site.css"),
    ),
    (
        "herb.svg",
        "image/svg+xml",
        include_bytes!("../../../static/herb.svg"),
    ),
];

impl Assets {
    pub fn new() -> Self {
        let mut all = Sha256::new();
        let files = FILES
            .iter()
            .map(|(name, ct, body)| {
                all.update(body);
                let h = Sha256::digest(body);
                Asset {
                    name,
                    content_type: ct,
                    body,
                    etag: format!("\"{}\"", hex::encode(&h[..8])),
                }
            })
            .collect();
        Assets {
            files,
            version: hex::encode(&all.finalize()[..6]),
        }
    }
}

impl Default for Assets {
    fn default() -> Self {
        Self::new()
    }
}

pub async fn serve(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(asset) = state.assets.files.iter().find(|a| a.name == name) else {
        return crate::errors::AppError::NotFound.into_response();
    };
    let etag = HeaderValue::from_str(&asset.etag).unwrap_or(HeaderValue::from_static("\"0\""));
    if headers.get(header::IF_NONE_MATCH) == Some(&etag) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
            (header::ETAG, etag),
        ],
        asset.body,
    )
        .into_response()
}
