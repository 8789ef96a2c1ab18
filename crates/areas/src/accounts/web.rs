//! Accounts: sign-up with e-mail verification, sign-in and sign-out, password reset, the panel
//! home and the list of one's own sessions. Links from e-mails open a page whose button posts
//! (mail scanners must not use up a link by opening it).

use wspolnie_web::AppState;
use wspolnie_web::auth::{CurrentAccount, signed};
use wspolnie_web::auth::SESSION_COOKIE;
use wspolnie_web::ctx::FLASH_COOKIE;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::cookies::cookie_value;
use wspolnie_web::errors::AppError;
use wspolnie_web::errors::AppResult;
use wspolnie_web::errors::{CONTACT_OFFICE, NextStep};
use wspolnie_web::forms::Errors;
use wspolnie_web::fmt;
use wspolnie_web::security::CSRF_COOKIE;
use wspolnie_web::cookies::cookie;
use wspolnie_web::security::random_hex;
use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Duration;
use serde::Deserialize;
use std::net::SocketAddr;
use crate::accounts::model as accounts;
use crate::accounts::model::MIN_PASSWORD_LEN;
use crate::accounts::model::SignIn;
use crate::accounts::model::SignUp;
use wspolnie_platform::audit;
use wspolnie_platform::audit::Actor;
use wspolnie_platform::auth;

/// The client's address: with `server.behind_proxy`, the last `X-Forwarded-For` entry (the one
/// our own reverse proxy added; see README), else the peer address of the connection.
pub struct ClientIp(pub String);

impl axum::extract::FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let forwarded = state
            .platform
            .config
            .server
            .behind_proxy
            .then(|| {
                parts
                    .headers
                    .get("x-forwarded-for")
                    .and_then(|v| v.to_str().ok())
            })
            .flatten()
            .and_then(|v| v.rsplit(',').next())
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        Ok(ClientIp(
            forwarded.or(peer).unwrap_or_else(|| "unknown".into()),
        ))
    }
}

pub(crate) fn with_cookies(mut res: Response, cookies: Vec<String>) -> Response {
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(&c) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

fn flash(state: &AppState, key: &str) -> String {
    cookie(
        FLASH_COOKIE,
        &format!("success.{key}"),
        Some(60),
        state.keys.secure,
    )
}

/// The `Set-Cookie` value carrying a new session.
pub(crate) fn session_cookie(state: &AppState, token: &str) -> String {
    cookie(
        SESSION_COOKIE,
        token,
        Some(auth::SESSION_DAYS * 24 * 3600),
        state.keys.secure,
    )
}

/// What throttle buckets hold instead of an e-mail address: a keyed hash of it (fixed length,
/// and a copy of the table does not list who was tried).
fn address_key(state: &AppState, address: &str) -> String {
    let mut k = state.keys.sign("throttle-address", address);
    k.truncate(32);
    k
}

/// Sign-in throttling: failures of one account from one address (the client's IP) are free up to
/// `SIGNIN_FREE_FAILURES`, then each further one closes sign-in for that pair for 30 s, doubling,
/// at most 15 min; a success clears the pair. One address may fail `SIGNIN_IP_FAILURES` times a
/// quarter of an hour, whatever the accounts (password spraying). Successes count nowhere, so an
/// office behind one NAT address signs in as often as it likes, and failures from elsewhere
/// never lock an account out.
const SIGNIN_FREE_FAILURES: u64 = 5;
const SIGNIN_IP_FAILURES: u64 = 100;

/// Only local paths after sign-in (`security::local_path`), and not an account page.
fn safe_next(next: &str) -> String {
    wspolnie_web::security::local_path(next)
        .filter(|p| !p.starts_with("/konto/"))
        .unwrap_or("/panel")
        .to_owned()
}

fn check_password(ctx: &PageCtx, errors: &mut Errors, password: &str, confirm: &str, email: &str) {
    if password.chars().count() < MIN_PASSWORD_LEN {
        errors.add("password", ctx.tn("error-password-short", MIN_PASSWORD_LEN));
    } else if !email.is_empty() && password.trim().eq_ignore_ascii_case(email.trim()) {
        errors.add("password", ctx.t("error-password-is-email"));
    } else if password != confirm {
        errors.add("password_confirm", ctx.t("error-password-mismatch"));
    }
}

/// A page with one message (check your mail, link expired, …) and an optional link.
#[derive(Template)]
#[template(path = "accounts/templates/account/message.html")]
pub struct Message {
    pub ctx: PageCtx,
    pub heading: String,
    pub text: String,
    pub link: Option<(String, String)>,
}

// ---- sign-up ----

#[derive(Deserialize, Default)]
pub struct SignUpForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
    privacy: Option<String>,
}

#[derive(Template)]
#[template(path = "accounts/templates/account/sign_up.html")]
struct SignUpPage {
    ctx: PageCtx,
    form: SignUpForm,
    errors: Errors,
}

/// `?wyslano` on a form's address: the page its successful POST redirects to (post/redirect/get),
/// "check your mail".
#[derive(Deserialize, Default)]
pub struct SentQuery {
    #[serde(default)]
    wyslano: Option<String>,
}

pub async fn sign_up_page(ctx: PageCtx, Query(q): Query<SentQuery>) -> AppResult<Html<String>> {
    if q.wyslano.is_some() {
        let page = Message {
            heading: ctx.t("signup-check-mail-title"),
            text: ctx.t("signup-check-mail-text"),
            link: None,
            ctx,
        };
        return Ok(Html(page.render()?));
    }
    Ok(Html(
        SignUpPage {
            ctx,
            form: SignUpForm::default(),
            errors: Errors::default(),
        }
        .render()?,
    ))
}

pub async fn sign_up(
    State(state): State<AppState>,
    ctx: PageCtx,
    ClientIp(ip): ClientIp,
    Form(form): Form<SignUpForm>,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let mut errors = Errors::default();
    if form.name.trim().is_empty() {
        errors.add("name", ctx.t("error-name-required"));
    } else if form.name.chars().count() > 100 {
        errors.add("name", ctx.t("error-name-long"));
    }
    wspolnie_web::forms::check_limits(
        &ctx,
        &mut errors,
        &crate::accounts::limits::SIGN_UP,
        &[("name", &form.name), ("email", &form.email)],
    );
    if accounts::normalize_email(&form.email).is_none() {
        errors.add("email", ctx.t("error-email-invalid"));
    }
    check_password(
        &ctx,
        &mut errors,
        &form.password,
        &form.password_confirm,
        &form.email,
    );
    if form.privacy.is_none() {
        errors.add("privacy", ctx.t("error-privacy-required"));
    }
    if errors.is_empty()
        && !auth::throttle_hit(db, &format!("signup:ip:{ip}"), 10, Duration::hours(1)).await?
    {
        errors.add("email", ctx.t("error-too-many-attempts"));
    }
    if !errors.is_empty() {
        return Ok(Html(SignUpPage { ctx, form, errors }.render()?).into_response());
    }
    accounts::sign_up(
        db,
        SignUp {
            email: &form.email,
            name: &form.name,
            password: &form.password,
            lang: ctx.lang,
            public_url: &state.platform.config.server.public_url,
        },
    )
    .await?;
    Ok(Redirect::to("/konto/rejestracja?wyslano=1").into_response())
}

// ---- e-mail verification ----

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    pub t: String,
}

/// Next steps on the page of a confirmation link that is not valid: signing in sends a new
/// link to an address not confirmed yet.
const VERIFY_NEXT: &[NextStep] = &[
    NextStep {
        href: "/konto/logowanie",
        label: "link-next-sign-in-verify",
    },
    CONTACT_OFFICE,
];

/// Next steps for a password link that is not valid.
const RESET_NEXT: &[NextStep] = &[
    NextStep {
        href: "/konto/reset-hasla",
        label: "link-next-reset",
    },
    NextStep {
        href: "/konto/logowanie",
        label: "link-next-sign-in",
    },
    CONTACT_OFFICE,
];

/// Next steps for an address-change link that is not valid.
const EMAIL_NEXT: &[NextStep] = &[
    NextStep {
        href: "/panel/konto",
        label: "link-next-email-change",
    },
    CONTACT_OFFICE,
];

/// Next steps for an invitation link that is not valid.
const INVITATION_NEXT: &[NextStep] = &[
    NextStep {
        href: "/konto/logowanie",
        label: "link-next-sign-in-invited",
    },
    CONTACT_OFFICE,
];

#[derive(Template)]
#[template(path = "accounts/templates/account/confirm.html")]
struct ConfirmPage {
    ctx: PageCtx,
    token: String,
    action: &'static str,
}

pub async fn confirm_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<TokenQuery>,
) -> AppResult<Html<String>> {
    auth::peek_token(
        &state.platform.db.conn,
        auth::TokenPurpose::VerifyEmail,
        &q.t,
    )
    .await?
    .ok_or(AppError::LinkInvalid(VERIFY_NEXT))?;
    Ok(Html(
        ConfirmPage {
            action: "/konto/potwierdz",
            ctx,
            token: q.t,
        }
        .render()?,
    ))
}

pub async fn confirm(
    State(state): State<AppState>,
    Form(q): Form<TokenQuery>,
) -> AppResult<Response> {
    match accounts::verify_email(&state.platform.db.conn, &q.t).await? {
        Some(_) => Ok(with_cookies(
            Redirect::to("/konto/logowanie").into_response(),
            vec![flash(&state, "flash-email-verified")],
        )),
        None => Err(AppError::LinkInvalid(VERIFY_NEXT)),
    }
}

// ---- sign-in / sign-out ----

#[derive(Deserialize, Default)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

#[derive(Template)]
#[template(path = "accounts/templates/account/sign_in.html")]
struct SignInPage {
    ctx: PageCtx,
    email: String,
    next: String,
    errors: Errors,
}

#[derive(Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

pub async fn sign_in_page(ctx: PageCtx, Query(q): Query<NextQuery>) -> AppResult<Html<String>> {
    Ok(Html(
        SignInPage {
            ctx,
            email: String::new(),
            next: q.next,
            errors: Errors::default(),
        }
        .render()?,
    ))
}

pub async fn sign_in(
    State(state): State<AppState>,
    ctx: PageCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let who = accounts::normalize_email(&form.email)
        .unwrap_or_else(|| form.email.trim().to_lowercase());
    let ip_key: String = ip.chars().take(64).collect();
    let pair_bucket = format!("signin:fail:{}:{ip_key}", address_key(&state, &who));
    let ip_bucket = format!("signin:ipfail:{ip_key}");
    let pair_window = Duration::hours(1);
    let ip_window = Duration::minutes(15);
    // The attempt counts as a failure until it proves otherwise, so that guesses sent in
    // parallel see each other.
    let pair_row = auth::throttle_note(db, &pair_bucket).await?;
    let ip_row = auth::throttle_note(db, &ip_bucket).await?;
    let (pair_failures, latest) =
        auth::throttle_recent(db, &pair_bucket, pair_window, pair_row).await?;
    let (ip_failures, _) = auth::throttle_recent(db, &ip_bucket, ip_window, ip_row).await?;
    let now = chrono::Utc::now();
    let wait = auth::backoff(
        pair_failures,
        SIGNIN_FREE_FAILURES,
        Duration::seconds(30),
        Duration::minutes(15),
    );
    let pair_open_at = latest.map(|t| t + wait).unwrap_or(now);
    let refusal = if ip_failures >= SIGNIN_IP_FAILURES {
        Some(ctx.t("error-too-many-attempts"))
    } else if pair_open_at > now {
        let minutes = ((pair_open_at - now).num_seconds() + 59) / 60;
        Some(ctx.tn("error-signin-wait", minutes.max(1)))
    } else {
        None
    };
    let render_error =
        |ctx: PageCtx, message: String, email: String, next: String| -> AppResult<Response> {
            let errors = Errors::form("email", message);
            Ok(Html(
                SignInPage {
                    ctx,
                    email,
                    next,
                    errors,
                }
                .render()?,
            )
            .into_response())
        };
    if let Some(message) = refusal {
        // A refused attempt checked no password: it is not a failure.
        auth::throttle_forget(db, pair_row).await?;
        auth::throttle_forget(db, ip_row).await?;
        return render_error(ctx, message, form.email, form.next);
    }
    let user = match accounts::check_credentials(
        db,
        &form.email,
        &form.password,
        &state.platform.config.server.public_url,
    )
    .await?
    {
        SignIn::Ok(u) => u,
        SignIn::Unverified => {
            auth::throttle_forget(db, pair_row).await?;
            auth::throttle_forget(db, ip_row).await?;
            let message = ctx.t("error-email-unverified");
            return render_error(ctx, message, form.email, form.next);
        }
        SignIn::Invalid => {
            let message = ctx.t("error-credentials");
            return render_error(ctx, message, form.email, form.next);
        }
    };
    // A success wipes the failures of this account from this address and is not counted.
    auth::throttle_clear(db, &pair_bucket).await?;
    auth::throttle_forget(db, ip_row).await?;
    // A new session id at every sign-in; the browser's previous session (if any) ends.
    if let Some(old) = cookie_value(&headers, SESSION_COOKIE) {
        auth::revoke_session(db, user.id, &auth::hash_token(old)).await?;
    }
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let roles = accounts::roles(db, user.id).await?;
    // Officials and administrators finish signing in with TOTP (set up on first sign-in); the
    // sign-in is audited there, and the session gets another id once the code is right.
    let needs_mfa = wspolnie_web::policy::requires_mfa(&roles);
    let token = auth::create_session(db, user.id, &ip, ua, !needs_mfa).await?;
    let target = match (needs_mfa, user.totp_enabled_at.is_some()) {
        (false, _) => safe_next(&form.next),
        (true, true) => "/konto/2fa".to_owned(),
        (true, false) => "/konto/2fa/konfiguracja".to_owned(),
    };
    let secure = state.keys.secure;
    let cookies = vec![
        session_cookie(&state, &token),
        // A fresh CSRF secret for the signed-in session.
        cookie(CSRF_COOKIE, &random_hex(32), None, secure),
        flash(&state, "flash-signed-in"),
    ];
    Ok(with_cookies(Redirect::to(&target).into_response(), cookies))
}

/// Ends the browser's session — also one still waiting for its second factor. "Signed out" is
/// only said when a session was ended.
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let ended = match cookie_value(&headers, SESSION_COOKIE) {
        Some(token) => auth::end_session(&state.platform.db.conn, token).await?,
        None => false,
    };
    let mut cookies = vec![cookie(SESSION_COOKIE, "", Some(0), state.keys.secure)];
    if ended {
        cookies.push(flash(&state, "flash-signed-out"));
    }
    Ok(with_cookies(Redirect::to("/").into_response(), cookies))
}

// ---- password reset ----

#[derive(Deserialize, Default)]
pub struct ResetRequestForm {
    #[serde(default)]
    email: String,
}

#[derive(Template)]
#[template(path = "accounts/templates/account/reset_request.html")]
struct ResetRequestPage {
    ctx: PageCtx,
    email: String,
    errors: Errors,
}

pub async fn reset_request_page(
    ctx: PageCtx,
    Query(q): Query<SentQuery>,
) -> AppResult<Html<String>> {
    if q.wyslano.is_some() {
        // The same answer whether or not the address has an account.
        let page = Message {
            heading: ctx.t("reset-sent-title"),
            text: ctx.t("reset-sent-text"),
            link: None,
            ctx,
        };
        return Ok(Html(page.render()?));
    }
    Ok(Html(
        ResetRequestPage {
            ctx,
            email: String::new(),
            errors: Errors::default(),
        }
        .render()?,
    ))
}

pub async fn reset_request(
    State(state): State<AppState>,
    ctx: PageCtx,
    ClientIp(ip): ClientIp,
    Form(form): Form<ResetRequestForm>,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let Some(email) = accounts::normalize_email(&form.email) else {
        let errors = Errors::form("email", ctx.t("error-email-invalid"));
        return Ok(Html(
            ResetRequestPage {
                ctx,
                email: form.email,
                errors,
            }
            .render()?,
        )
        .into_response());
    };
    let window = Duration::hours(1);
    let allowed = auth::throttle_hit(db, &format!("reset:ip:{ip}"), 10, window).await?
        && auth::throttle_hit(
            db,
            &format!("reset:acct:{}", address_key(&state, &email)),
            3,
            window,
        )
        .await?;
    if !allowed {
        let errors = Errors::form("email", ctx.t("error-too-many-attempts"));
        return Ok(Html(
            ResetRequestPage {
                ctx,
                email: form.email,
                errors,
            }
            .render()?,
        )
        .into_response());
    }
    accounts::request_password_reset(
        db,
        &email,
        ctx.lang,
        &state.platform.config.server.public_url,
    )
    .await?;
    Ok(Redirect::to("/konto/reset-hasla?wyslano=1").into_response())
}

#[derive(Deserialize, Default)]
pub struct NewPasswordForm {
    #[serde(default)]
    t: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

#[derive(Template)]
#[template(path = "accounts/templates/account/new_password.html")]
struct NewPasswordPage {
    ctx: PageCtx,
    token: String,
    errors: Errors,
}

pub async fn new_password_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<TokenQuery>,
) -> AppResult<Html<String>> {
    auth::peek_token(
        &state.platform.db.conn,
        auth::TokenPurpose::ResetPassword,
        &q.t,
    )
    .await?
    .ok_or(AppError::LinkInvalid(RESET_NEXT))?;
    Ok(Html(
        NewPasswordPage {
            ctx,
            token: q.t,
            errors: Errors::default(),
        }
        .render()?,
    ))
}

pub async fn new_password(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(form): Form<NewPasswordForm>,
) -> AppResult<Response> {
    // A link that is not valid is said first: fixing the password would not help.
    auth::peek_token(
        &state.platform.db.conn,
        auth::TokenPurpose::ResetPassword,
        &form.t,
    )
    .await?
    .ok_or(AppError::LinkInvalid(RESET_NEXT))?;
    let mut errors = Errors::default();
    check_password(
        &ctx,
        &mut errors,
        &form.password,
        &form.password_confirm,
        "",
    );
    if !errors.is_empty() {
        return Ok(Html(
            NewPasswordPage {
                ctx,
                token: form.t,
                errors,
            }
            .render()?,
        )
        .into_response());
    }
    if accounts::reset_password(&state.platform.db.conn, &form.t, &form.password).await? {
        Ok(with_cookies(
            Redirect::to("/konto/logowanie").into_response(),
            vec![flash(&state, "flash-password-changed")],
        ))
    } else {
        Err(AppError::LinkInvalid(RESET_NEXT))
    }
}

// ---- panel ----


#[derive(Template)]
#[template(path = "accounts/templates/account/panel.html")]
struct PanelPage {
    ctx: PageCtx,
    name: String,
    email: String,
    roles: Vec<String>,
    /// The panel entries the areas declared that this account may open.
    groups: Vec<PanelGroupView>,
    /// For administrators: mail cannot be delivered at the moment.
    outage: Option<crate::admin::delivery::OutageNotice>,
}

pub async fn panel(
    State(state): State<AppState>,
    ctx: PageCtx,
    axum::Extension(current): axum::Extension<CurrentAccount>,
) -> AppResult<Html<String>> {
    let a = signed(&current)?;
    let roles = a
        .roles
        .iter()
        .map(|(r, s)| {
            let name = ctx.t(&format!("role-{r}"));
            if s.is_empty() {
                name
            } else {
                format!("{name} ({})", ctx.t(&format!("scope-{s}")))
            }
        })
        .collect();
    let outage = if wspolnie_web::policy::allows(Some(a), wspolnie_web::policy::Permission::Admin) {
        crate::admin::delivery::outage_notice(&state, &ctx).await?
    } else {
        None
    };
    let groups = panel_groups(&state, &ctx, a).await?;
    let page = PanelPage {
        outage,
        name: a.user.display_name.clone(),
        email: a.user.email.clone(),
        roles,
        groups,
        ctx,
    };
    Ok(Html(page.render()?))
}

/// One heading of the panel's home page with the entries its viewer may open.
pub struct PanelGroupView {
    /// Fluent id of the heading, also the heading's `id`.
    pub id: &'static str,
    pub heading: String,
    pub entries: Vec<PanelEntryView>,
}

pub struct PanelEntryView {
    pub href: &'static str,
    pub label: String,
    /// "3 changes wait for a decision", when something waits.
    pub count: Option<String>,
}

/// The registered panel entries this viewer's permissions allow, grouped in page order, each
/// with its count for this viewer when the area counts and something waits.
pub async fn panel_groups(
    state: &AppState,
    ctx: &PageCtx,
    a: &wspolnie_web::policy::Account,
) -> AppResult<Vec<PanelGroupView>> {
    use wspolnie_web::ctx::{PanelGroup, PanelLinks};
    let links = state.part::<PanelLinks>()?;
    let mut groups = Vec::new();
    for g in PanelGroup::ALL {
        let mut entries = Vec::new();
        for l in links.0.iter().filter(|l| {
            l.group == g && wspolnie_web::policy::allows(Some(a), l.permission)
        }) {
            let count = match l.count {
                Some(c) => match (c.count)(state, a).await? {
                    Some(n) if n > 0 => Some(ctx.tn(c.label, n)),
                    _ => None,
                },
                None => None,
            };
            entries.push(PanelEntryView {
                href: l.href,
                label: ctx.t(l.label),
                count,
            });
        }
        if !entries.is_empty() {
            groups.push(PanelGroupView {
                id: g.heading(),
                heading: ctx.t(g.heading()),
                entries,
            });
        }
    }
    Ok(groups)
}

pub struct SessionRow {
    pub id: String,
    pub user_agent: String,
    pub ip: String,
    pub last_seen: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "accounts/templates/account/sessions.html")]
struct SessionsPage {
    ctx: PageCtx,
    sessions: Vec<SessionRow>,
}

pub async fn sessions(
    State(state): State<AppState>,
    ctx: PageCtx,
    axum::Extension(current): axum::Extension<CurrentAccount>,
) -> AppResult<Html<String>> {
    let a = signed(&current)?;
    let rows = auth::user_sessions(&state.platform.db.conn, a.user.id)
        .await?
        .into_iter()
        .map(|s| SessionRow {
            current: s.id == a.session_id,
            last_seen: fmt::datetime(ctx.lang, s.last_seen_at),
            id: s.id,
            user_agent: if s.user_agent.is_empty() {
                "–".into()
            } else {
                s.user_agent
            },
            ip: s.ip,
        })
        .collect();
    Ok(Html(
        SessionsPage {
            ctx,
            sessions: rows,
        }
        .render()?,
    ))
}

#[derive(Deserialize)]
pub struct RevokeForm {
    id: String,
}

pub async fn revoke_session(
    State(state): State<AppState>,
    axum::Extension(current): axum::Extension<CurrentAccount>,
    Form(form): Form<RevokeForm>,
) -> AppResult<Response> {
    let a = signed(&current)?;
    let db = &state.platform.db.conn;
    let ended = auth::revoke_session(db, a.user.id, &form.id).await?;
    if ended && a.is_staff() {
        let actor = Actor {
            user_id: Some(a.user.id),
            label: a.user.email.clone(),
            ip: String::new(),
        };
        audit::record(
            db,
            &actor,
            "auth.revoke_session",
            "session",
            &form.id[..12.min(form.id.len())],
            None::<&()>,
            None::<&()>,
        )
        .await?;
    }
    // "Session ended" only when one was (not for an unknown id or another person's session).
    let cookies = if ended {
        vec![flash(&state, "flash-session-revoked")]
    } else {
        Vec::new()
    };
    Ok(with_cookies(
        Redirect::to("/panel/sesje").into_response(),
        cookies,
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_is_local_and_not_an_account_page() {
        assert_eq!(super::safe_next("/panel/sesje"), "/panel/sesje");
        assert_eq!(super::safe_next("//evil.example"), "/panel");
        assert_eq!(super::safe_next("https://evil.example"), "/panel");
        assert_eq!(super::safe_next("/konto/wyloguj"), "/panel");
    }
}

// ---- invitations (accepting) ----

/// What the invitation page shows: the form of a new account, a request to sign in as the
/// existing account of the invited address, or (signed in as it) one button. A link that is
/// not valid gets the shared page (`AppError::LinkInvalid`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum InvitationState {
    NewAccount,
    SignInFirst,
    SignedIn,
}

#[derive(Template)]
#[template(path = "accounts/templates/account/invitation.html")]
struct InvitationPage {
    ctx: PageCtx,
    token: String,
    email: String,
    full_name: String,
    state: InvitationState,
    errors: Errors,
}

/// The state of a valid invitation for `email`, seen by the signed-in account (if any).
async fn invitation_state(
    state: &AppState,
    current: &CurrentAccount,
    email: &str,
) -> AppResult<InvitationState> {
    if !accounts::has_account(&state.platform.db.conn, email).await? {
        return Ok(InvitationState::NewAccount);
    }
    let signed_in_as_invited = current
        .0
        .as_ref()
        .is_some_and(|a| a.user.email.eq_ignore_ascii_case(email));
    Ok(if signed_in_as_invited {
        InvitationState::SignedIn
    } else {
        InvitationState::SignInFirst
    })
}

pub async fn invitation_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    axum::Extension(current): axum::Extension<CurrentAccount>,
    Query(q): Query<TokenQuery>,
) -> AppResult<Html<String>> {
    let t = auth::peek_token(
        &state.platform.db.conn,
        auth::TokenPurpose::Invitation,
        &q.t,
    )
    .await?;
    let t = t.ok_or(AppError::LinkInvalid(INVITATION_NEXT))?;
    let page = InvitationPage {
        state: invitation_state(&state, &current, &t.email).await?,
        email: t.email,
        token: q.t,
        full_name: String::new(),
        errors: Errors::default(),
        ctx,
    };
    Ok(Html(page.render()?))
}

#[derive(Deserialize, Default)]
pub struct AcceptForm {
    #[serde(default)]
    t: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

pub async fn accept_invitation(
    State(state): State<AppState>,
    ctx: PageCtx,
    axum::Extension(current): axum::Extension<CurrentAccount>,
    Form(f): Form<AcceptForm>,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let t = auth::peek_token(db, auth::TokenPurpose::Invitation, &f.t)
        .await?
        .ok_or(AppError::LinkInvalid(INVITATION_NEXT))?;
    let mut page = InvitationPage {
        state: invitation_state(&state, &current, &t.email).await?,
        token: f.t.clone(),
        email: t.email.clone(),
        full_name: f.name.clone(),
        errors: Errors::default(),
        ctx,
    };
    let acceptor = match (page.state, current.0.as_ref()) {
        // The address has an account: a name and password typed here are not taken; the
        // account's owner signs in and accepts with one button.
        (InvitationState::SignedIn, Some(acc)) => accounts::Acceptor::Existing {
            user_id: acc.user.id,
        },
        (InvitationState::NewAccount, _) => {
            if f.name.trim().is_empty() {
                page.errors.add("name", page.ctx.t("error-name-required"));
            }
            wspolnie_web::forms::check_limits(
                &page.ctx,
                &mut page.errors,
                &crate::accounts::limits::ACCEPT,
                &[("name", &f.name)],
            );
            check_password(
                &page.ctx,
                &mut page.errors,
                &f.password,
                &f.password_confirm,
                &t.email,
            );
            if !page.errors.is_empty() {
                return Ok(Html(page.render()?).into_response());
            }
            accounts::Acceptor::New {
                name: &f.name,
                password: &f.password,
            }
        }
        _ => return Ok(Html(page.render()?).into_response()),
    };
    let existing = matches!(acceptor, accounts::Acceptor::Existing { .. });
    match accounts::accept_invitation(db, &f.t, acceptor).await? {
        Some(_) if existing => Ok(wspolnie_web::ctx::redirect_with_flash(
            &state,
            "/panel",
            "flash-invitation-accepted-existing",
        )),
        Some(_) => Ok(wspolnie_web::ctx::redirect_with_flash(
            &state,
            "/konto/logowanie",
            "flash-invitation-accepted",
        )),
        None => Err(AppError::LinkInvalid(INVITATION_NEXT)),
    }
}

// ---- own account: password, data export, deletion ----

#[derive(Template)]
#[template(path = "accounts/templates/account/profile.html")]
struct ProfilePage {
    ctx: PageCtx,
    new_email: String,
    errors: Errors,
}

pub async fn profile(ctx: PageCtx) -> AppResult<Html<String>> {
    Ok(Html(
        ProfilePage {
            ctx,
            new_email: String::new(),
            errors: Errors::default(),
        }
        .render()?,
    ))
}

#[derive(Deserialize, Default)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    ctx: PageCtx,
    axum::Extension(current): axum::Extension<CurrentAccount>,
    Form(f): Form<PasswordForm>,
) -> AppResult<Response> {
    let a = signed(&current)?;
    let mut errors = Errors::default();
    check_password(
        &ctx,
        &mut errors,
        &f.password,
        &f.password_confirm,
        &a.user.email,
    );
    if errors.is_empty()
        && !accounts::change_password(
            &state.platform.db.conn,
            a.user.id,
            &f.current_password,
            &f.password,
            &a.session_id,
        )
        .await?
    {
        errors.add("current_password", ctx.t("error-current-password"));
    }
    if !errors.is_empty() {
        return Ok(Html(
            ProfilePage {
                ctx,
                new_email: String::new(),
                errors,
            }
            .render()?,
        )
        .into_response());
    }
    if a.is_staff() {
        let actor = Actor {
            user_id: Some(a.user.id),
            label: a.user.email.clone(),
            ip: String::new(),
        };
        audit::record(
            &state.platform.db.conn,
            &actor,
            "user.change_password",
            "user",
            a.user.id,
            None::<&()>,
            None::<&()>,
        )
        .await?;
    }
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        "/panel/konto",
        "flash-password-updated",
    ))
}

pub async fn export(
    State(state): State<AppState>,
    axum::Extension(current): axum::Extension<CurrentAccount>,
) -> AppResult<Response> {
    let a = signed(&current)?;
    let data = accounts::export(
        &state.platform.db.conn,
        state.part::<wspolnie_platform::personal::Holders>()?,
        a.user.id,
    ).await?;
    let body = serde_json::to_string_pretty(&data).map_err(|e| AppError::Internal(e.into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"wspolnie-moje-dane.json\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response())
}

#[derive(Deserialize, Default)]
pub struct DeleteForm {
    #[serde(default)]
    delete_password: String,
}

pub async fn delete(
    State(state): State<AppState>,
    ctx: PageCtx,
    axum::Extension(current): axum::Extension<CurrentAccount>,
    Form(f): Form<DeleteForm>,
) -> AppResult<Response> {
    let a = signed(&current)?;
    if !accounts::delete_account(
        &state.platform.db.conn,
        state.part::<wspolnie_platform::personal::Holders>()?,
        a.user.id,
        &f.delete_password,
    ).await? {
        let errors = Errors::form("delete_password", ctx.t("error-current-password"));
        return Ok(Html(
            ProfilePage {
                ctx,
                new_email: String::new(),
                errors,
            }
            .render()?,
        )
        .into_response());
    }
    let res = wspolnie_web::ctx::redirect_with_flash(&state, "/", "flash-account-deleted");
    Ok(with_cookies(
        res,
        vec![cookie(SESSION_COOKIE, "", Some(0), state.keys.secure)],
    ))
}

// ---- e-mail change ----

#[derive(Deserialize, Default)]
pub struct EmailForm {
    #[serde(default)]
    new_email: String,
    #[serde(default)]
    email_password: String,
}

pub async fn change_email(
    State(state): State<AppState>,
    ctx: PageCtx,
    axum::Extension(current): axum::Extension<CurrentAccount>,
    Form(f): Form<EmailForm>,
) -> AppResult<Response> {
    let a = signed(&current)?;
    let mut errors = Errors::default();
    if accounts::normalize_email(&f.new_email).is_none() {
        errors.add("new_email", ctx.t("error-email-invalid"));
    } else if !accounts::request_email_change(
        &state.platform.db.conn,
        a.user.id,
        &f.new_email,
        &f.email_password,
        ctx.lang,
        &state.platform.config.server.public_url,
    )
    .await?
    {
        errors.add("email_password", ctx.t("error-current-password"));
    }
    if !errors.is_empty() {
        return Ok(Html(
            ProfilePage {
                ctx,
                new_email: f.new_email,
                errors,
            }
            .render()?,
        )
        .into_response());
    }
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        "/panel/konto",
        "flash-email-change-sent",
    ))
}

pub async fn new_email_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<TokenQuery>,
) -> AppResult<Html<String>> {
    auth::peek_token(
        &state.platform.db.conn,
        auth::TokenPurpose::ChangeEmail,
        &q.t,
    )
    .await?
    .ok_or(AppError::LinkInvalid(EMAIL_NEXT))?;
    Ok(Html(
        ConfirmPage {
            action: "/konto/nowy-email",
            ctx,
            token: q.t,
        }
        .render()?,
    ))
}

pub async fn confirm_new_email(
    State(state): State<AppState>,
    Form(q): Form<TokenQuery>,
) -> AppResult<Response> {
    match accounts::confirm_email_change(&state.platform.db.conn, &q.t).await? {
        Some(_) => Ok(wspolnie_web::ctx::redirect_with_flash(
            &state,
            "/panel/konto",
            "flash-email-changed",
        )),
        None => Err(AppError::LinkInvalid(EMAIL_NEXT)),
    }
}
