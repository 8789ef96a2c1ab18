//! Static files compiled into the binary, so one file is all there is to deploy. URLs carry a
//! content hash (`?v=…`) and are cached for a year; the hash changes when the file does. The
//! stylesheet is kept readable (comments, indentation) in the repository and minified once at
//! start-up.

use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

pub struct Asset {
    pub name: &'static str,
    pub content_type: &'static str,
    pub body: bytes::Bytes,
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
                let body = match (ct.starts_with("text/css"), std::str::from_utf8(body)) {
                    (true, Ok(css)) => bytes::Bytes::from(minify_css(css)),
                    _ => bytes::Bytes::from_static(body),
                };
                all.update(&body);
                let h = Sha256::digest(&body);
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
        asset.body.clone(),
    )
        .into_response()
}

/// Drops comments and collapses whitespace outside strings; spaces next to `{ } ; ,` go too.
/// Spaces before `:` stay (`a :hover` and `a:hover` differ).
pub fn minify_css(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut chars = src.chars().peekable();
    let mut quote: Option<char> = None;
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            out.push(c);
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else if c == q {
                quote = None;
            }
            continue;
        }
        if c == '/' && chars.peek() == Some(&'*') {
            chars.next();
            let mut prev = ' ';
            for n in chars.by_ref() {
                if prev == '*' && n == '/' {
                    break;
                }
                prev = n;
            }
            pending_space = true;
            continue;
        }
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        let tight = |x: char| matches!(x, '{' | '}' | ';' | ',');
        if pending_space && !out.is_empty() && !tight(c) && !out.ends_with(tight) {
            out.push(' ');
        }
        pending_space = false;
        if c == '"' || c == '\'' {
            quote = Some(c);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::minify_css;

    #[test]
    fn minifies_without_changing_meaning() {
        let css = "/* head */\n.a  .b ,\n.c {\n  color: red;  /* x */\n  content: \"a  /* b */ c\";\n}\n\na :hover { x: 1 }\n";
        assert_eq!(
            minify_css(css),
            ".a .b,.c{color: red;content: \"a  /* b */ c\";}a :hover{x: 1}"
        );
        let real = include_str!("../../../static/site.css");
        let small = minify_css(real);
        assert!(
            small.len() < real.len() * 9 / 10,
            "{} → {}",
            real.len(),
            small.len()
        );
        assert_eq!(
            small.matches('{').count(),
            real.matches('{').count(),
            "no rule lost"
        );
        assert!(
            small.len() < 30 * 1024,
            "served stylesheet under 30 KB: {}",
            small.len()
        );
    }
}
