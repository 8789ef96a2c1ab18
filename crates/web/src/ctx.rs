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

/// A heading of the panel's home page; an area puts each of its entries under one. The page
/// shows the groups in this order, only those with an entry the viewer may open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PanelGroup {
    /// The person's own account: profile, sessions, their meetings.
    Account,
    /// Organisations the person works for: profiles, registration, members.
    Organisations,
    /// The office's publications: information pages, city news, contacts.
    Content,
    /// Reaching organisations: mailings, meetings, activities open to partners, media requests.
    Communication,
    /// Grants (open calls, applications, assessments); no entries yet.
    Grants,
    /// Consultations; no entries yet.
    Consultations,
    /// The cooperation programme and its report; no entries yet.
    Programme,
    /// What organisations submit: the queue, the directory's upkeep.
    Moderation,
    /// Users, invitations, settings, imports, mail delivery, the audit log.
    Administration,
}

impl PanelGroup {
    /// Every group, in page order.
    pub const ALL: [PanelGroup; 9] = [
        PanelGroup::Account,
        PanelGroup::Organisations,
        PanelGroup::Content,
        PanelGroup::Communication,
        PanelGroup::Grants,
        PanelGroup::Consultations,
        PanelGroup::Programme,
        PanelGroup::Moderation,
        PanelGroup::Administration,
    ];

    /// Fluent id of the group's heading.
    pub fn heading(self) -> &'static str {
        match self {
            PanelGroup::Account => "panel-group-account",
            PanelGroup::Organisations => "panel-group-organisations",
            PanelGroup::Content => "panel-group-content",
            PanelGroup::Communication => "panel-group-communication",
            PanelGroup::Grants => "panel-group-grants",
            PanelGroup::Consultations => "panel-group-consultations",
            PanelGroup::Programme => "panel-group-programme",
            PanelGroup::Moderation => "panel-group-moderation",
            PanelGroup::Administration => "panel-group-administration",
        }
    }
}

/// What a count function returns: how many things wait for the viewer (`None` or `Some(0)`:
/// nothing to show).
pub type CountFuture<'a> = std::pin::Pin<
    Box<dyn std::future::Future<Output = crate::errors::AppResult<Option<u64>>> + Send + 'a>,
>;

/// How many things behind a panel entry wait for this viewer; the area supplies it (the kernel
/// knows no area). Called only for viewers the entry's permission allows.
pub type CountFn = for<'a> fn(&'a AppState, &'a crate::policy::Account) -> CountFuture<'a>;

/// The "N waiting" part of a panel entry.
#[derive(Clone, Copy)]
pub struct PanelCount {
    /// Counts for the viewer.
    pub count: CountFn,
    /// Fluent id of the phrase, with `$count` (plural forms by selector).
    pub label: &'static str,
}

impl std::fmt::Debug for PanelCount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PanelCount")
            .field("label", &self.label)
            .finish_non_exhaustive()
    }
}

/// An entry of the panel's home page, declared by an area in its manifest; shown to whoever the
/// permission allows, under its group, with what waits there for the viewer.
#[derive(Debug, Clone, Copy)]
pub struct PanelLink {
    pub href: &'static str,
    /// Fluent id of the label.
    pub label: &'static str,
    pub permission: crate::policy::Permission,
    /// The heading it appears under.
    pub group: PanelGroup,
    /// Position within its group (smaller first).
    pub order: u16,
    /// How many things wait there for the viewer, if the area counts them.
    pub count: Option<PanelCount>,
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

/// ` lang="…"` for an element holding text in another language than the page, or nothing
/// (rendered as is by askama: it holds only a language code of ours).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LangAttr(Option<Lang>);

impl std::fmt::Display for LangAttr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(l) => write!(f, " lang=\"{}\"", l.code()),
            None => Ok(()),
        }
    }
}

impl askama::filters::HtmlSafe for LangAttr {}

impl PageCtx {
    /// The `lang` attribute for an element whose text is in `content` (WCAG 3.1.2): empty when
    /// that is the page's language. Templates write `<p{{ ctx.lang_attr(l) }}>`.
    pub fn lang_attr(&self, content: impl std::borrow::Borrow<Lang>) -> LangAttr {
        let content = *content.borrow();
        LangAttr((content != self.lang).then_some(content))
    }

    /// The `lang` attribute for what people wrote: organisations' descriptions, events, news,
    /// reports, activities, meetings, contacts. All of it is Polish today; a record that gets a
    /// language of its own passes it to `lang_attr` instead.
    pub fn lang_pl(&self) -> LangAttr {
        self.lang_attr(Lang::Pl)
    }

    /// The `lang` attribute for a translated site setting as shown (`office_name`, `zone_name`,
    /// `office_hours`, `email_footer`): `lang="pl"` in English when no English text was entered.
    pub fn site_lang(&self, field: &str) -> LangAttr {
        self.lang_attr(self.site.text_lang(field))
    }

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
            .get_at(db, version, prefs.lang)
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
        let site = match state.site.get(&state.platform.db.conn, prefs.lang).await {
            Ok(s) => s,
            Err(_) => Arc::new(wspolnie_platform::settings::defaults().for_lang(prefs.lang)),
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
