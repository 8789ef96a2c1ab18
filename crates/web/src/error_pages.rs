//! The error-page middleware: any 4xx/5xx without an HTML body (ours, axum's rejections,
//! panics) becomes a localised page, or JSON under `/api/`.

use crate::AppState;
use crate::ctx::PageCtx;
use crate::errors::ErrorMarker;
use crate::security::Csrf;
use askama::Template;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

pub fn panic_response(_err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("request handler panicked");
    let mut res = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    res.extensions_mut().insert(ErrorMarker);
    res
}

#[derive(Template)]
#[template(path = "pages/error.html")]
struct ErrorPage {
    ctx: PageCtx,
    heading: String,
    message: String,
    /// Further paragraphs (the 403 page: who grants permissions, an expired form).
    advice: Vec<String>,
    /// Links offered besides the home page (the 403 page: the panel and the office's contact).
    links: Vec<(&'static str, String)>,
    request_id: Option<String>,
}

/// The page of an e-mail link that is not valid (missing, malformed, expired or used token):
/// what may have happened and the area's next steps.
#[derive(Template)]
#[template(path = "pages/link_invalid.html")]
struct LinkInvalidPage {
    ctx: PageCtx,
    next: &'static [crate::errors::NextStep],
}

fn page_keys(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        404 | 405 => ("error-404-title", "error-404-text"),
        403 => ("error-403-title", "error-403-text"),
        413 => ("error-413-title", "error-413-text"),
        400..=499 => ("error-400-title", "error-400-text"),
        503 => ("error-503-title", "error-503-text"),
        _ => ("error-500-title", "error-500-text"),
    }
}

pub async fn error_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let headers = req.headers().clone();
    let path = req.uri().path().to_owned();
    let sent_form = !matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    );
    let res = next.run(req).await;
    let csrf = res.extensions().get::<Csrf>().cloned();
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let marked = res.extensions().get::<ErrorMarker>().is_some();
    let allow = res.headers().get(header::ALLOW).cloned();
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v.starts_with("application/json"));
    if !marked && is_html {
        return res;
    }
    let request_id = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if path.starts_with("/api/") {
        let body = serde_json::json!({ "error": status.canonical_reason().unwrap_or("error"), "status": status.as_u16(), "request_id": request_id });
        let mut out = (status, axum::Json(body)).into_response();
        if let Some(allow) = allow {
            out.headers_mut().insert(header::ALLOW, allow);
        }
        return out;
    }
    let ctx = PageCtx::for_error(&state, &headers, &path, csrf.as_ref()).await;
    if let Some(crate::errors::LinkInvalidMarker(next)) = res.extensions().get().copied() {
        return match (LinkInvalidPage { ctx, next }).render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, "error").into_response(),
        };
    }
    let (h, m) = if res
        .extensions()
        .get::<crate::errors::StorageMarker>()
        .is_some()
    {
        ("error-storage-title", "error-storage-text")
    } else {
        page_keys(status)
    };
    // A 403 reaches a signed-in person (the signed-out are sent to sign in first): the page
    // needs a permission the account lacks. A refused form (its CSRF token expired, e.g. after
    // a long pause) is a 403 too, so a request that sent something also hears about that.
    let (h, m, advice, links) = if status == StatusCode::FORBIDDEN {
        let (h, m, advice) = if sent_form {
            (
                "error-403-title-sent",
                "error-403-form",
                vec![ctx.t("error-403-perhaps"), ctx.t("error-403-who-grants")],
            )
        } else {
            (h, m, vec![ctx.t("error-403-who-grants")])
        };
        let links = vec![
            ("/panel", ctx.t("error-403-panel")),
            ("/kontakt", ctx.t("error-403-contact")),
        ];
        (h, m, advice, links)
    } else {
        (h, m, Vec::new(), Vec::new())
    };
    let page = ErrorPage {
        heading: ctx.t(h),
        message: ctx.t(m),
        advice,
        links,
        request_id: status.is_server_error().then_some(request_id).flatten(),
        ctx,
    };
    let retry_after = res.headers().get(header::RETRY_AFTER).cloned();
    let mut out = match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, "error").into_response(),
    };
    if let Some(v) = retry_after {
        out.headers_mut().insert(header::RETRY_AFTER, v);
    }
    // A 405 keeps the methods the path does take.
    if let Some(allow) = allow {
        out.headers_mut().insert(header::ALLOW, allow);
    }
    out
}
