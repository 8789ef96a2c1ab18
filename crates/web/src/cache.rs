//! The response cache of public pages, feeds and API calls: one per instance, the same for
//! every area. A route opts in by being added with `Routes::cached` (GET, `Public`).
//!
//! - **Who gets a cached answer**: an anonymous GET — no session cookie, no signed-in or
//!   half-signed-in account, no flash message waiting. Everyone else goes to the handler.
//! - **Key**: path and query, language, text size and contrast (everything `PageCtx` takes from
//!   the visitor apart from the CSRF token).
//! - **The visitor's CSRF token**: pages carry a form token derived from the visitor's own
//!   cookie. The stored body has the token of the visitor it was rendered for cut out; serving
//!   puts the current visitor's token in those places.
//! - **What is stored**: a 200 answer with a known length up to `MAX_ENTRY_BYTES`, without
//!   `Set-Cookie`, without `Cache-Control: no-store`/`private`, and not marked `Uncacheable` by
//!   its handler (e.g. a page built from a read model that is being rebuilt).
//! - **Freshness**: every entry is tagged with the content version (`platform::content`) read
//!   before its handler ran; a different current version drops the whole cache. Versions move
//!   in the writing transaction (database triggers), every instance re-reads the version at
//!   most every `content::CHECK_EVERY`, and the instance that handled a write re-reads it at
//!   once (`after_writes`). Entries also expire after `MAX_AGE`, for what changes with the
//!   clock alone (an event that ended, a call that closed, "today" in the calendar); one request
//!   re-renders an expired entry while the others are still served it.
//! - **Bounded**: at most `MAX_ENTRIES` entries and `MAX_BYTES` of bodies; the oldest go first.

use crate::auth::{CurrentAccount, PendingMfa, SESSION_COOKIE};
use crate::cookies::cookie_value;
use crate::ctx::Prefs;
use crate::security::Csrf;
use axum::body::{Body, HttpBody};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use bytes::Bytes;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use wspolnie_platform::content::ContentVersion;

pub const MAX_AGE: Duration = Duration::from_secs(30);
pub const MAX_ENTRIES: usize = 4_000;
pub const MAX_BYTES: usize = 64 * 1024 * 1024;
pub const MAX_ENTRY_BYTES: usize = 2 * 1024 * 1024;
/// Response header saying whether the answer came from the cache (`hit`) or was rendered and
/// stored (`miss`); absent when the cache was not used.
pub const CACHE_HEADER: &str = "x-wsp-cache";

/// A handler's answer that must not be stored (its data is being refreshed).
#[derive(Clone, Copy, Debug)]
pub struct Uncacheable;

struct Entry {
    seq: u64,
    stored_at: Instant,
    /// Set by the one request that re-renders an entry past `MAX_AGE`; the others keep
    /// getting this entry meanwhile (up to twice `MAX_AGE`), so an expiry under load renders
    /// once instead of once per waiting request.
    refreshing: AtomicBool,
    headers: HeaderMap,
    /// The body cut at each place the CSRF token stood.
    parts: Vec<Bytes>,
    bytes: usize,
}

#[derive(Default)]
struct Store {
    version: Option<i64>,
    entries: HashMap<String, Arc<Entry>>,
    order: VecDeque<(u64, String)>,
    bytes: usize,
    seq: u64,
}

impl Store {
    fn clear_for(&mut self, version: i64) {
        if self.version != Some(version) {
            self.entries.clear();
            self.order.clear();
            self.bytes = 0;
            self.version = Some(version);
        }
    }

    fn insert(&mut self, key: String, mut entry: Entry) {
        self.seq += 1;
        entry.seq = self.seq;
        if let Some(old) = self.entries.remove(&key) {
            self.bytes -= old.bytes;
        }
        self.bytes += entry.bytes;
        self.order.push_back((entry.seq, key.clone()));
        self.entries.insert(key, Arc::new(entry));
        while self.entries.len() > MAX_ENTRIES || self.bytes > MAX_BYTES {
            let Some((seq, k)) = self.order.pop_front() else {
                break;
            };
            if self.entries.get(&k).is_some_and(|e| e.seq == seq)
                && let Some(e) = self.entries.remove(&k)
            {
                self.bytes -= e.bytes;
            }
        }
        // Keys replaced by a newer entry leave stale positions behind; drop them when the queue
        // grows well past the map.
        if self.order.len() > 2 * MAX_ENTRIES {
            let entries = &self.entries;
            self.order
                .retain(|(seq, k)| entries.get(k).is_some_and(|e| e.seq == *seq));
        }
    }
}

/// One per instance (in `AppState`).
#[derive(Clone)]
pub struct ResponseCache {
    store: Arc<RwLock<Store>>,
    pub content: ContentVersion,
    db: sea_orm::DatabaseConnection,
}

impl ResponseCache {
    pub fn new(db: sea_orm::DatabaseConnection, content: ContentVersion) -> Self {
        ResponseCache {
            store: Arc::new(RwLock::new(Store::default())),
            content,
            db,
        }
    }

    /// Number of stored answers (for tests and diagnostics).
    pub fn len(&self) -> usize {
        self.store.read().map(|s| s.entries.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lookup(&self, key: &str, version: i64) -> Option<Arc<Entry>> {
        {
            let s = self.store.read().ok()?;
            if s.version == Some(version) {
                let e = s.entries.get(key)?;
                let age = e.stored_at.elapsed();
                if age < MAX_AGE || (age < 2 * MAX_AGE && e.refreshing.swap(true, Ordering::AcqRel))
                {
                    return Some(e.clone());
                }
                return None;
            }
        }
        if let Ok(mut s) = self.store.write() {
            s.clear_for(version);
        }
        None
    }

    fn store(&self, key: String, version: i64, entry: Entry) {
        if let Ok(mut s) = self.store.write() {
            s.clear_for(version);
            if s.version == Some(version) {
                s.insert(key, entry);
            }
        }
    }
}

/// Whether the request may be answered from the cache: an anonymous GET with nothing personal.
fn anonymous(req: &Request) -> Option<(&Prefs, &Csrf)> {
    if req.method() != Method::GET {
        return None;
    }
    if cookie_value(req.headers(), SESSION_COOKIE).is_some_and(|v| !v.is_empty()) {
        return None;
    }
    let ext = req.extensions();
    if ext.get::<CurrentAccount>().is_some_and(|c| c.0.is_some())
        || ext.get::<PendingMfa>().is_some()
    {
        return None;
    }
    let prefs = ext.get::<Prefs>()?;
    if prefs.flash.is_some() {
        return None;
    }
    Some((prefs, ext.get::<Csrf>()?))
}

fn key(req: &Request, prefs: &Prefs) -> String {
    let pq = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    format!(
        "{}|{}|{}|{pq}",
        prefs.lang.code(),
        prefs.text_size,
        if prefs.high_contrast { 1 } else { 0 }
    )
}

/// Splits `body` at every occurrence of `token`.
fn cut(body: &Bytes, token: &[u8]) -> Vec<Bytes> {
    let mut parts = Vec::new();
    if token.is_empty() {
        parts.push(body.clone());
        return parts;
    }
    let mut start = 0;
    let mut i = 0;
    while i + token.len() <= body.len() {
        if &body[i..i + token.len()] == token {
            parts.push(body.slice(start..i));
            i += token.len();
            start = i;
        } else {
            i += 1;
        }
    }
    parts.push(body.slice(start..));
    parts
}

fn assemble(entry: &Entry, token: &str) -> Response {
    let mut buf = Vec::with_capacity(entry.bytes + token.len() * entry.parts.len());
    for (i, p) in entry.parts.iter().enumerate() {
        if i > 0 {
            buf.extend_from_slice(token.as_bytes());
        }
        buf.extend_from_slice(p);
    }
    let mut res = Response::new(Body::from(buf));
    *res.headers_mut() = entry.headers.clone();
    res.headers_mut()
        .insert(CACHE_HEADER, HeaderValue::from_static("hit"));
    res
}

fn storable(res: &Response) -> Option<usize> {
    if res.status() != StatusCode::OK
        || res.extensions().get::<Uncacheable>().is_some()
        || res.headers().contains_key(header::SET_COOKIE)
    {
        return None;
    }
    let cc = res
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if cc.contains("no-store") || cc.contains("private") {
        return None;
    }
    let len = res.body().size_hint().exact()?;
    usize::try_from(len).ok().filter(|n| *n <= MAX_ENTRY_BYTES)
}

/// Route layer of every cached route (`Routes::cached`).
pub async fn serve(req: Request, next: Next) -> Response {
    let Some(cache) = req.extensions().get::<ResponseCache>().cloned() else {
        return next.run(req).await;
    };
    let Some((prefs, csrf)) = anonymous(&req) else {
        return next.run(req).await;
    };
    let key = key(&req, prefs);
    let token = csrf.form_token.clone();
    let version = match cache.content.current(&cache.db).await {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!(error = %e, "content version unreadable; answering without the cache");
            return next.run(req).await;
        }
    };
    if let Some(entry) = cache.lookup(&key, version) {
        return assemble(&entry, &token);
    }
    let res = next.run(req).await;
    let Some(_) = storable(&res) else {
        return res;
    };
    let (parts, body) = res.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_ENTRY_BYTES).await {
        Ok(b) => b,
        Err(e) => {
            tracing::warn!(error = %e, "response body unreadable");
            return axum::response::IntoResponse::into_response(crate::errors::AppError::Internal(
                anyhow::anyhow!("response body unreadable"),
            ));
        }
    };
    let entry = Entry {
        seq: 0,
        stored_at: Instant::now(),
        refreshing: AtomicBool::new(false),
        headers: parts.headers.clone(),
        parts: cut(&bytes, token.as_bytes()),
        bytes: bytes.len(),
    };
    cache.store(key, version, entry);
    let mut res = Response::from_parts(parts, Body::from(bytes));
    res.headers_mut()
        .insert(CACHE_HEADER, HeaderValue::from_static("miss"));
    res
}

/// Middleware around the whole router: makes the cache reachable from the cached routes, and
/// after a state-changing request this instance handled, makes the next cached answer re-read
/// the content version first (the writer sees its own change at once).
pub async fn after_writes(
    axum::extract::State(cache): axum::extract::State<ResponseCache>,
    mut req: Request,
    next: Next,
) -> Response {
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    req.extensions_mut().insert(cache.clone());
    let res = next.run(req).await;
    if writes {
        cache.content.touched();
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_and_assemble_put_the_token_back() {
        let body = Bytes::from_static(b"<input value=\"TOK\"><a>TOK</a>TOK");
        let parts = cut(&body, b"TOK");
        assert_eq!(parts.len(), 4);
        let entry = Entry {
            seq: 0,
            stored_at: Instant::now(),
            refreshing: AtomicBool::new(false),
            headers: HeaderMap::new(),
            bytes: body.len(),
            parts,
        };
        let res = assemble(&entry, "abc");
        let (_, b) = res.into_parts();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        let got = rt.block_on(axum::body::to_bytes(b, 1000)).expect("body");
        assert_eq!(&got[..], b"<input value=\"abc\"><a>abc</a>abc");
        assert_eq!(cut(&Bytes::from_static(b"none"), b"TOK").len(), 1);
    }

    #[test]
    fn the_store_stays_within_its_bounds() {
        let mut s = Store::default();
        s.clear_for(1);
        for i in 0..(MAX_ENTRIES + 10) {
            s.insert(
                format!("k{i}"),
                Entry {
                    seq: 0,
                    stored_at: Instant::now(),
                    refreshing: AtomicBool::new(false),
                    headers: HeaderMap::new(),
                    parts: vec![Bytes::from_static(b"x")],
                    bytes: 1,
                },
            );
        }
        assert_eq!(s.entries.len(), MAX_ENTRIES);
        assert!(!s.entries.contains_key("k0"), "the oldest went first");
        assert!(s.entries.contains_key(&format!("k{}", MAX_ENTRIES + 9)));
        let big = MAX_BYTES / 2 + 1;
        for k in ["a", "b"] {
            s.insert(
                k.to_owned(),
                Entry {
                    seq: 0,
                    stored_at: Instant::now(),
                    refreshing: AtomicBool::new(false),
                    headers: HeaderMap::new(),
                    parts: vec![],
                    bytes: big,
                },
            );
        }
        assert!(s.bytes <= MAX_BYTES);
        assert!(s.entries.contains_key("b") && !s.entries.contains_key("a"));
        s.clear_for(2);
        assert!(s.entries.is_empty() && s.bytes == 0);
    }
}
