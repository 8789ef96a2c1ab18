//! Information pages (the contact directory is `contacts`, the edited pages and the
//! accessibility statement are `pages`) and the display preferences (text size, contrast, language), which are
//! plain form posts so they work without JavaScript.

use wspolnie_web::AppState;
use wspolnie_web::ctx::CONTRAST_COOKIE;
use wspolnie_web::ctx::FLASH_COOKIE;
use wspolnie_web::ctx::LANG_COOKIE;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::ctx::TEXT_SIZE_COOKIE;
use wspolnie_web::ctx::text_size_from;
use wspolnie_web::errors::AppResult;
use wspolnie_web::cookies::cookie;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use wspolnie_platform::i18n::Lang;

#[derive(Template)]
#[template(path = "site/templates/public/privacy.html")]
struct Privacy {
    ctx: PageCtx,
    version: &'static str,
}

pub async fn privacy(ctx: PageCtx) -> AppResult<Html<String>> {
    Ok(Html(
        Privacy {
            ctx,
            version: crate::accounts::model::PRIVACY_NOTICE_VERSION,
        }
        .render()?,
    ))
}

#[derive(Template)]
#[template(path = "site/templates/public/open_data.html")]
struct OpenDataPage {
    ctx: PageCtx,
    sets: Vec<crate::area::OpenData>,
    base: String,
}

/// Every dataset the areas publish, with its address, format and media type.
pub async fn open_data(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Html<String>> {
    let sets = state.part::<crate::area::OpenDataList>()?.0.clone();
    let base = state
        .platform
        .config
        .server
        .public_url
        .trim_end_matches('/')
        .to_owned();
    Ok(Html(OpenDataPage { ctx, sets, base }.render()?))
}

#[derive(Template)]
#[template(path = "site/templates/public/settings.html")]
struct Settings {
    ctx: PageCtx,
}

pub async fn settings_page(ctx: PageCtx) -> AppResult<Html<String>> {
    Ok(Html(Settings { ctx }.render()?))
}

#[derive(Deserialize)]
pub struct AppearanceForm {
    text_size: Option<String>,
    contrast: Option<String>,
    back: Option<String>,
}

const YEAR: i64 = 365 * 24 * 3600;

/// Only local paths are accepted as a return address (no open redirect).
fn safe_back(back: Option<&str>) -> String {
    back.and_then(wspolnie_web::security::local_path)
        .unwrap_or("/")
        .to_owned()
}

fn redirect_with_cookies(back: Option<&str>, cookies: Vec<String>) -> Response {
    let mut res = Redirect::to(&safe_back(back)).into_response();
    let headers: &mut HeaderMap = res.headers_mut();
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(&c) {
            headers.append(header::SET_COOKIE, v);
        }
    }
    res
}

pub async fn save_appearance(
    State(state): State<AppState>,
    Form(f): Form<AppearanceForm>,
) -> Response {
    let secure = state.keys.secure;
    let mut cookies = Vec::new();
    if let Some(ts) = f.text_size.as_deref().and_then(text_size_from) {
        cookies.push(cookie(TEXT_SIZE_COOKIE, ts, Some(YEAR), secure));
    }
    match f.contrast.as_deref() {
        Some("high") => cookies.push(cookie(CONTRAST_COOKIE, "1", Some(YEAR), secure)),
        Some("normal") => cookies.push(cookie(CONTRAST_COOKIE, "", Some(0), secure)),
        _ => {}
    }
    cookies.push(cookie(
        FLASH_COOKIE,
        "success.flash-settings-saved",
        Some(60),
        secure,
    ));
    redirect_with_cookies(f.back.as_deref(), cookies)
}

#[derive(Deserialize)]
pub struct LanguageForm {
    lang: String,
    back: Option<String>,
}

pub async fn save_language(State(state): State<AppState>, Form(f): Form<LanguageForm>) -> Response {
    let secure = state.keys.secure;
    let lang = Lang::parse(&f.lang).unwrap_or_default();
    let cookies = vec![
        cookie(LANG_COOKIE, lang.code(), Some(YEAR), secure),
        cookie(
            FLASH_COOKIE,
            "success.flash-language-saved",
            Some(60),
            secure,
        ),
    ];
    redirect_with_cookies(f.back.as_deref(), cookies)
}

#[cfg(test)]
mod tests {
    #[test]
    fn back_is_local_only() {
        assert_eq!(
            super::safe_back(Some("/organizacje?q=a")),
            "/organizacje?q=a"
        );
        assert_eq!(super::safe_back(Some("//evil.example")), "/");
        assert_eq!(super::safe_back(Some("https://evil.example")), "/");
        assert_eq!(super::safe_back(Some("/\\evil")), "/");
        assert_eq!(super::safe_back(None), "/");
    }
}
