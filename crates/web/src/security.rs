//! Security middleware: response headers with a strict CSP, CSRF protection for every
//! state-changing request, request spans carrying the request id.

use crate::AppState;
use crate::cookies::{cookie, cookie_value};
use crate::errors::AppError;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

pub const CSRF_COOKIE: &str = "wsp_csrf";
pub const CSRF_FIELD: &str = "_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Paths that accept POSTs without a CSRF token by design.
/// - `/newsletter/wypisz`: RFC 8058 one-click unsubscribe is a POST sent by the recipient's mail
///   client, which has neither our cookie nor a form token. It is protected by the HMAC signature
///   in its query string (`newsletter::signature`), and all it can do is unsubscribe that address.
const CSRF_EXEMPT_PREFIXES: &[&str] = &["/newsletter/wypisz"];

pub struct Keys {
    secret: Vec<u8>,
    pub secure: bool,
}

impl Keys {
    pub fn new(secret: &[u8], secure: bool) -> Self {
        Keys {
            secret: secret.to_vec(),
            secure,
        }
    }

    /// The raw signing secret, for signatures made in `platform` (newsletter links).
    pub fn secret(&self) -> &[u8] {
        &self.secret
    }

    /// HMAC-SHA256 of `purpose` and `value`, hex encoded.
    pub fn sign(&self, purpose: &str, value: &str) -> String {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.secret) else {
            return String::new();
        };
        mac.update(purpose.as_bytes());
        mac.update(b"\0");
        mac.update(value.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    pub fn verify(&self, purpose: &str, value: &str, signature: &str) -> bool {
        constant_time_eq(self.sign(purpose, value).as_bytes(), signature.as_bytes())
    }
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A return address from a form or a query (`next`, `back`) when it is a path on this site:
/// one leading `/` (not `//`, which is another host, nor `/\`, which browsers read as `//`), no
/// backslash and no control character (C0, DEL, C1). Browsers drop tabs and newlines inside a
/// URL, so `/\t/host` would be `//host`; CR and LF cannot go into a `Location` header at all.
/// Anything else is `None` and the caller redirects to its default.
pub fn local_path(candidate: &str) -> Option<&str> {
    let ok = candidate.starts_with('/')
        && !candidate.starts_with("//")
        && !candidate.contains('\\')
        && !candidate
            .chars()
            .any(|c| c.is_control() || c == wspolnie_platform::validation::MARK);
    ok.then_some(candidate)
}

pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    hex::encode(buf)
}

/// The token a form must echo back.
#[derive(Debug, Clone)]
pub struct Csrf {
    pub form_token: String,
}

/// The methods the CSRF check guards. Routes are only GET or POST; the other standard
/// state-changing methods are checked too, should a route ever take one. Any other method
/// (`PROPFIND`, `FOO`, …) changes nothing: it goes on to the router, which answers 405 with
/// `Allow` (or 404 for an unknown path).
fn is_state_changing(m: &Method) -> bool {
    matches!(
        *m,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    )
}

/// Scheme, host (lower case) and port (the scheme's default when absent) of a URL.
fn origin_of(url: &str) -> Option<(String, String, u16)> {
    let u = url::Url::parse(url).ok()?;
    Some((
        u.scheme().to_owned(),
        u.host_str()?.to_ascii_lowercase(),
        u.port_or_known_default()?,
    ))
}

/// Whether a request's `Origin` is our own site: the origin of `server.public_url`, or (for a
/// server reached under another name, e.g. a local port) the `Host` the request was sent to —
/// in both cases with the scheme of `public_url`, so an `http://` page cannot post to an
/// `https://` site. `null` (privacy-sensitive contexts) passes: the token still decides.
fn same_origin(origin: &str, public_url: &str, host: Option<&str>) -> bool {
    if origin == "null" {
        return true;
    }
    let Some(theirs) = origin_of(origin) else {
        return false;
    };
    let ours = origin_of(public_url);
    if ours.as_ref() == Some(&theirs) {
        return true;
    }
    let scheme = ours.as_ref().map(|o| o.0.as_str()).unwrap_or("http");
    host.filter(|h| !h.is_empty())
        .and_then(|h| origin_of(&format!("{scheme}://{h}")))
        .is_some_and(|by_host| by_host == theirs)
}

/// The `_csrf` value of an urlencoded form body or query string.
fn csrf_field(urlencoded: &[u8]) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(urlencoded)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == CSRF_FIELD)
        .map(|(_, v)| v)
}

/// The text fields of one multipart form together may hold this many bytes; more is a 413
/// (`forms::MultipartForm::read`). Kept here, beside the CSRF check that reads up to it.
pub const MAX_FORM_TEXT: usize = 2 * 1024 * 1024;
/// How far into a multipart body the `_csrf` part is looked for: the text fields a form may
/// have before it, and some room for the part headers.
const MULTIPART_TOKEN_WINDOW: usize = MAX_FORM_TEXT + 64 * 1024;

/// What the start of a multipart body says about its `_csrf` part.
enum TokenScan {
    Found(String),
    /// Not there: the form ended, a file part came first, or the body does not parse.
    Absent,
    /// The bytes so far end inside a part before the token: read more.
    NeedMore,
}

/// Looks for a complete `_csrf` text part among the parts that precede any file in `prefix`
/// (the start of the body; `complete` when it is the whole body).
async fn scan_multipart(prefix: bytes::Bytes, boundary: &str, complete: bool) -> TokenScan {
    let more = if complete {
        TokenScan::Absent
    } else {
        TokenScan::NeedMore
    };
    let stream = futures::stream::once(async move { Ok::<_, std::convert::Infallible>(prefix) });
    let mut mp = multer::Multipart::new(stream, boundary);
    loop {
        match mp.next_field().await {
            Ok(Some(field)) => {
                if field.file_name().is_some() {
                    return TokenScan::Absent;
                }
                let is_token = field.name() == Some(CSRF_FIELD);
                match field.bytes().await {
                    Ok(value) if is_token => {
                        return match String::from_utf8(value.to_vec()) {
                            Ok(v) => TokenScan::Found(v),
                            Err(_) => TokenScan::Absent,
                        };
                    }
                    Ok(_) => continue,
                    Err(_) => return more,
                }
            }
            Ok(None) => return TokenScan::Absent,
            Err(_) => return more,
        }
    }
}

/// Reads a multipart request's body up to its complete `_csrf` part (at most
/// `MULTIPART_TOKEN_WINDOW` bytes) and gives back the token with the request, whose body is
/// the same bytes: those read, then the rest of the stream.
async fn multipart_token(req: Request) -> Result<(Option<String>, Request), AppError> {
    use futures::StreamExt;
    let boundary = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| multer::parse_boundary(ct).ok());
    let Some(boundary) = boundary else {
        return Ok((None, req));
    };
    let (parts, body) = req.into_parts();
    let mut stream = body.into_data_stream();
    let mut prefix = bytes::BytesMut::new();
    let token = loop {
        let complete = match stream.next().await {
            Some(Ok(chunk)) => {
                prefix.extend_from_slice(&chunk);
                false
            }
            Some(Err(_)) => return Err(AppError::BadRequest),
            None => true,
        };
        match scan_multipart(prefix.clone().freeze(), &boundary, complete).await {
            TokenScan::Found(t) => break Some(t),
            TokenScan::Absent => break None,
            TokenScan::NeedMore if prefix.len() > MULTIPART_TOKEN_WINDOW => break None,
            TokenScan::NeedMore => {}
        }
    };
    let head = futures::stream::once(async move { Ok::<_, axum::Error>(prefix.freeze()) });
    let body = Body::from_stream(head.chain(stream));
    Ok((token, Request::from_parts(parts, body)))
}

/// Signed double-submit CSRF protection: a random value in an HttpOnly cookie, and in every form
/// its HMAC under the server secret. A state-changing request must carry the HMAC in the `_csrf`
/// form field (or the `X-CSRF-Token` header) matching its own cookie; a multipart form carries
/// it as its first field too (see `multipart_token`). A cross-site `Origin` is
/// refused outright.
pub async fn csrf(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let existing = cookie_value(req.headers(), CSRF_COOKIE)
        .filter(|v| v.len() == 64 && v.chars().all(|c| c.is_ascii_hexdigit()))
        .map(str::to_owned);
    let (raw, fresh) = match existing {
        Some(v) => (v, false),
        None => (random_hex(32), true),
    };
    let form_token = state.keys.sign("csrf", &raw);
    let mut req = req;
    if is_state_changing(req.method())
        && !CSRF_EXEMPT_PREFIXES
            .iter()
            .any(|p| req.uri().path().starts_with(p))
    {
        if let Some(origin) = req
            .headers()
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok())
        {
            let host = req
                .headers()
                .get(header::HOST)
                .and_then(|v| v.to_str().ok());
            if !same_origin(origin, &state.platform.config.server.public_url, host) {
                tracing::warn!(%origin, host = host.unwrap_or(""), "cross-origin POST refused");
                return AppError::Forbidden.into_response();
            }
        }
        let header_token = req
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("multipart/form-data"));
        if multipart {
            // Multipart forms carry the token as their first field (`_csrf`, before any file):
            // the body is read only until that part is complete, then handed on whole — the
            // rest streams to the handler, whose body limit applies (uploads may be larger
            // than ordinary forms). The header, or `?_csrf=` in the address, also serves.
            let mut provided =
                header_token.or_else(|| req.uri().query().and_then(|q| csrf_field(q.as_bytes())));
            if provided.is_none() {
                let (token, read) = match multipart_token(req).await {
                    Ok(found) => found,
                    Err(e) => return e.into_response(),
                };
                provided = token;
                req = read;
            }
            let ok = !fresh
                && provided.is_some_and(|p| constant_time_eq(p.as_bytes(), form_token.as_bytes()));
            if !ok {
                tracing::warn!(path = %req.uri().path(), "CSRF check failed");
                return AppError::Forbidden.into_response();
            }
            return finish(req, next, form_token, fresh, &raw, &state).await;
        }
        let limit = state.platform.config.server.max_body_bytes;
        let (parts, body) = req.into_parts();
        let bytes = match axum::body::to_bytes(body, limit).await {
            Ok(b) => b,
            Err(_) => return AppError::PayloadTooLarge.into_response(),
        };
        let mut provided = header_token;
        let ct = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if provided.is_none() && ct.starts_with("application/x-www-form-urlencoded") {
            provided = csrf_field(&bytes);
        }
        let ok = !fresh
            && provided.is_some_and(|p| constant_time_eq(p.as_bytes(), form_token.as_bytes()));
        if !ok {
            tracing::warn!(path = %parts.uri.path(), "CSRF check failed");
            return AppError::Forbidden.into_response();
        }
        req = Request::from_parts(parts, Body::from(bytes));
    }
    finish(req, next, form_token, fresh, &raw, &state).await
}

/// Runs the request with the form token available to pages, and sets a fresh CSRF cookie.
async fn finish(
    mut req: Request,
    next: Next,
    form_token: String,
    fresh: bool,
    raw: &str,
    state: &AppState,
) -> Response {
    req.extensions_mut().insert(Csrf {
        form_token: form_token.clone(),
    });
    let mut res = next.run(req).await;
    // Error pages rendered further out still need the token for their forms.
    res.extensions_mut().insert(Csrf { form_token });
    if fresh
        && let Ok(v) = HeaderValue::from_str(&cookie(CSRF_COOKIE, raw, None, state.keys.secure))
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

/// Whether a response may hold personal data, so that no cache (browser, proxy) may keep it:
/// the panel and account pages, and anything answered to a request carrying a session cookie
/// (static assets excepted: they are the same for everyone).
fn personal_response(path: &str, has_session: bool) -> bool {
    let under = |p: &str| path == p || path.starts_with(&format!("{p}/"));
    under("/panel") || under("/konto") || (has_session && !path.starts_with("/static/"))
}

/// Security headers on every response.
pub async fn headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let personal = personal_response(
        req.uri().path(),
        cookie_value(req.headers(), crate::auth::SESSION_COOKIE).is_some_and(|v| !v.is_empty()),
    );
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    if state.keys.secure {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    if personal {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    } else if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    res
}

pub fn make_span(req: &Request<Body>) -> tracing::Span {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn local_path_takes_only_plain_paths_of_this_site() {
        for ok in [
            "/",
            "/panel/sesje",
            "/organizacje?q=a&strona=2",
            "/a%0D%0Ab",
            "/żółw",
        ] {
            assert_eq!(local_path(ok), Some(ok));
        }
        for bad in [
            "",
            "panel",
            "//evil.example",
            "/\\evil.example",
            "/a\\b",
            "https://evil.example",
            "/\t/evil.example",
            "/a\r\nSet-Cookie: x=1",
            "/a\nb",
            "/a\0b",
            "/a\x7fb",
            "/a\u{85}b",
            "/a\u{fffd}b",
            "\t/panel",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn origin_must_match_scheme_host_and_port() {
        let site = "https://ngo.wierzbin.example";
        let host = Some("ngo.wierzbin.example");
        assert!(same_origin("https://ngo.wierzbin.example", site, host));
        assert!(same_origin("https://NGO.wierzbin.example:443", site, host));
        assert!(!same_origin("http://ngo.wierzbin.example", site, host));
        assert!(!same_origin(
            "https://ngo.wierzbin.example:8443",
            site,
            host
        ));
        assert!(!same_origin("https://evil.example", site, host));
        assert!(!same_origin(
            "https://ngo.wierzbin.example.evil.example",
            site,
            host
        ));
        assert!(!same_origin("garbage", site, host));
        assert!(same_origin("null", site, host));
        // Reached under another name (a local port): the Host, with public_url's scheme.
        let local = "http://127.0.0.1:8080";
        assert!(same_origin(
            "http://127.0.0.1:5555",
            local,
            Some("127.0.0.1:5555")
        ));
        assert!(!same_origin(
            "https://127.0.0.1:5555",
            local,
            Some("127.0.0.1:5555")
        ));
        assert!(!same_origin(
            "http://127.0.0.1:5556",
            local,
            Some("127.0.0.1:5555")
        ));
        assert!(!same_origin("http://evil.example", local, None));
    }

    #[test]
    fn personal_responses() {
        assert!(personal_response("/panel", false));
        assert!(personal_response("/panel/konto/eksport", false));
        assert!(personal_response("/konto/logowanie", false));
        assert!(!personal_response("/panelowy", false));
        assert!(!personal_response("/organizacje", false));
        assert!(personal_response("/organizacje", true));
        assert!(!personal_response("/static/site.css", true));
    }

    #[test]
    fn only_standard_state_changing_methods_are_guarded() {
        assert!(is_state_changing(&Method::POST));
        assert!(is_state_changing(&Method::DELETE));
        assert!(!is_state_changing(&Method::GET));
        let propfind = Method::from_bytes(b"PROPFIND").expect("method");
        assert!(!is_state_changing(&propfind));
    }
}
