//! Per-request presentation context: language, text size, contrast, flash message, CSRF token and
//! site settings. Preferences live in cookies set by plain form posts, so they work without JS.

use crate::AppState;
use crate::cookies::{cookie, cookie_value};
use crate::security::Csrf;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, header, request::Parts};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;
use wspolnie_platform::i18n::Lang;
use wspolnie_platform::settings::SiteSettings;

pub const LANG_COOKIE: &str = "wsp_lang";
pub const TEXT_SIZE_COOKIE: &str = "wsp_ts";
pub const CONTRAST_COOKIE: &str = "wsp_hc";
pub const FLASH_COOKIE: &str = "wsp_flash";

#[derive(Debug, Clone)]
pub struct Prefs {
    pub lang: Lang,
    pub text_size: &'static str,
    pub high_contrast: bool,
    pub flash: Option<Flash>,
}

#[derive(Debug, Clone)]
pub struct Flash {
    pub kind: &'static str,
    pub text: String,
}

pub fn text_size_from(v: &str) -> Option<&'static str> {
    match v {
        "normal" => Some("normal"),
        "large" => Some("large"),
        "larger" => Some("larger"),
        _ => None,
    }
}

impl Prefs {
    pub fn from_headers(headers: &HeaderMap) -> Prefs {
        let lang = cookie_value(headers, LANG_COOKIE)
            .and_then(Lang::parse)
            .or_else(|| {
                headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(Lang::from_accept_language)
            })
            .unwrap_or_default();
        let text_size = cookie_value(headers, TEXT_SIZE_COOKIE)
            .and_then(text_size_from)
            .unwrap_or("normal");
        let high_contrast = cookie_value(headers, CONTRAST_COOKIE) == Some("1");
        // Flash cookies carry only a message key from our allow-list, never free text.
        let flash = cookie_value(headers, FLASH_COOKIE).and_then(|v| {
            let (kind, key) = v.split_once('.')?;
            let kind = match kind {
                "success" => "success",
                "info" => "info",
                "error" => "error",
                _ => return None,
            };
            if !key.starts_with("flash-")
                || !key.chars().all(|c| c.is_ascii_lowercase() || c == '-')
            {
                return None;
            }
            Some(Flash {
                kind,
                text: lang.t(key),
            })
        });
        Prefs {
            lang,
            text_size,
            high_contrast,
            flash,
        }
    }
}

/// Middleware: reads preferences into the request and clears a shown flash message.
pub async fn preferences(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let prefs = Prefs::from_headers(req.headers());
    let had_flash = prefs.flash.is_some() && req.method() == axum::http::Method::GET;
    req.extensions_mut().insert(prefs);
    let mut res = next.run(req).await;
    if had_flash && res.status().is_success() {
        let c = cookie(FLASH_COOKIE, "", Some(0), state.keys.secure);
        if let Ok(v) = c.parse() {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// An entry of the main navigation, declared by an area in its manifest.
#[derive(Debug, Clone, Copy)]
pub struct NavLink {
    pub href: &'static str,
    /// Fluent id of the label.
    pub label: &'static str,
    /// Position in the navigation (smaller first).
    pub order: u16,
}

/// An entry of the panel's home page, declared by an area in its manifest; shown to whoever the
/// permission allows.
#[derive(Debug, Clone, Copy)]
pub struct PanelLink {
    pub href: &'static str,
    /// Fluent id of the label.
    pub label: &'static str,
    pub permission: crate::policy::Permission,
    /// Position on the page (smaller first).
    pub order: u16,
}

/// Every area's panel entries, in order (kept in `AppState::parts`).
#[derive(Debug, Clone, Default)]
pub struct PanelLinks(pub Vec<PanelLink>);

pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

/// What every page template receives as `ctx`.
pub struct PageCtx {
    pub lang: Lang,
    pub text_size: &'static str,
    pub high_contrast: bool,
    pub flash: Option<Flash>,
    pub csrf: String,
    pub path: String,
    pub site: Arc<SiteSettings>,
    pub asset_version: String,
    /// The main navigation as the areas declared it.
    pub nav_links: Arc<Vec<NavLink>>,
    /// Display name of the signed-in person.
    pub account_name: Option<String>,
    /// Half-way through signing in (second factor due): the header offers signing out.
    pub mfa_pending: bool,
}

impl PageCtx {
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    pub fn tn(&self, key: &str, count: impl ToString) -> String {
        let n = count.to_string();
        self.lang.ta(key, &[("count", n.as_str())])
    }

    pub fn t1(&self, key: &str, name: &str, value: &str) -> String {
        self.lang.ta(key, &[(name, value)])
    }

    pub fn t2(&self, key: &str, n1: &str, v1: &str, n2: &str, v2: &str) -> String {
        self.lang.ta(key, &[(n1, v1), (n2, v2)])
    }

    /// The start of the `<title>` of a page showing a form: "Błąd: " / "Error: " when the form
    /// came back with errors, else nothing. Every form template's title block begins with it.
    pub fn error_title(&self, errors: &crate::forms::Errors) -> String {
        if errors.is_empty() {
            String::new()
        } else {
            format!("{}: ", self.t("form-error-prefix"))
        }
    }

    /// A phone number as a `tel:` URI body (digits and a leading +).
    pub fn tel(&self, phone: &str) -> String {
        phone
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect()
    }

    pub fn nav(&self) -> Vec<NavItem> {
        self.nav_links
            .iter()
            .map(|l| (l.href, l.label))
            .map(|(href, key)| NavItem {
                href,
                label: self.t(key),
                current: if href == "/" {
                    self.path == "/"
                } else {
                    self.path == href || self.path.starts_with(&format!("{href}/"))
                },
            })
            .collect()
    }
}

impl FromRequestParts<AppState> for PageCtx {
    type Rejection = crate::errors::AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let prefs = parts
            .extensions
            .get::<Prefs>()
            .cloned()
            .unwrap_or_else(|| Prefs::from_headers(&parts.headers));
        let csrf = parts
            .extensions
            .get::<Csrf>()
            .map(|c| c.form_token.clone())
            .unwrap_or_default();
        let db = &state.platform.db.conn;
        let version = state
            .content
            .current(db)
            .await
            .map_err(|e| crate::errors::AppError::Internal(e.into()))?;
        let site = state
            .site
            .get_at(db, version)
            .await
            .map_err(|e| crate::errors::AppError::Internal(e.into()))?;
        let account_name = parts
            .extensions
            .get::<crate::auth::CurrentAccount>()
            .and_then(|c| c.0.as_ref())
            .map(|a| a.user.display_name.clone());
        let mfa_pending = parts.extensions.get::<crate::auth::PendingMfa>().is_some();
        Ok(PageCtx {
            lang: prefs.lang,
            text_size: prefs.text_size,
            high_contrast: prefs.high_contrast,
            flash: prefs.flash,
            csrf,
            path: parts.uri.path().to_owned(),
            site,
            asset_version: state.assets.version.clone(),
            nav_links: state.nav.clone(),
            account_name,
            mfa_pending,
        })
    }
}

impl PageCtx {
    /// A context for error pages, built without failing (site settings fall back to defaults
    /// when the database is unreachable).
    pub async fn for_error(
        state: &AppState,
        headers: &HeaderMap,
        path: &str,
        csrf: Option<&Csrf>,
    ) -> PageCtx {
        let prefs = Prefs::from_headers(headers);
        let site = match state.site.get(&state.platform.db.conn).await {
            Ok(s) => s,
            Err(_) => Arc::new(wspolnie_platform::settings::defaults()),
        };
        PageCtx {
            lang: prefs.lang,
            text_size: prefs.text_size,
            high_contrast: prefs.high_contrast,
            flash: None,
            csrf: csrf.map(|c| c.form_token.clone()).unwrap_or_default(),
            path: path.to_owned(),
            site,
            asset_version: state.assets.version.clone(),
            nav_links: state.nav.clone(),
            account_name: None,
            mfa_pending: false,
        }
    }
}

/// A 303 redirect that shows a flash message (an allow-listed message key) on the next page.
pub fn redirect_with_flash(state: &AppState, to: &str, key: &str) -> Response {
    use axum::response::IntoResponse;
    let mut res = axum::response::Redirect::to(to).into_response();
    let c = cookie(
        FLASH_COOKIE,
        &format!("success.{key}"),
        Some(60),
        state.keys.secure,
    );
    if let Ok(v) = axum::http::HeaderValue::from_str(&c) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}
