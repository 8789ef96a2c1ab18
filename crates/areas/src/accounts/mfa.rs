//! The second factor for officials and administrators: set up TOTP on first sign-in (with
//! recovery codes shown once), then a code at every sign-in.

use wspolnie_web::AppState;
use wspolnie_web::auth::PendingMfa;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::AppResult;
use wspolnie_web::forms::Errors;
use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use chrono::Duration;
use serde::Deserialize;
use crate::accounts::model as accounts;
use crate::accounts::web;
use wspolnie_platform::audit;
use wspolnie_platform::audit::Actor;
use wspolnie_platform::auth;

#[derive(Template)]
#[template(path = "accounts/templates/account/mfa.html")]
struct MfaPage {
    ctx: PageCtx,
    action: &'static str,
    setup_secret: Option<String>,
    setup_uri: String,
    recovery: Option<Vec<String>>,
    errors: Errors,
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

async fn setup_page(
    state: &AppState,
    ctx: PageCtx,
    pending: &PendingMfa,
    errors: Errors,
) -> AppResult<Response> {
    let secret = accounts::pending_totp_secret(&state.platform.db.conn, &pending.user).await?;
    let issuer = format!("Wspólnie {}", ctx.site.city_name);
    let setup_uri = wspolnie_platform::totp::uri(&secret, &pending.user.email, &issuer);
    let page = MfaPage {
        ctx,
        action: "/konto/2fa/konfiguracja",
        setup_secret: Some(secret),
        setup_uri,
        recovery: None,
        errors,
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn setup_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(pending): Extension<PendingMfa>,
) -> AppResult<Response> {
    if pending.user.totp_enabled_at.is_some() {
        return Ok(Redirect::to("/konto/2fa").into_response());
    }
    setup_page(&state, ctx, &pending, Errors::default()).await
}

pub async fn setup(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(pending): Extension<PendingMfa>,
    Form(f): Form<CodeForm>,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    if pending.user.totp_enabled_at.is_some() {
        return Ok(Redirect::to("/konto/2fa").into_response());
    }
    match accounts::enable_totp(db, pending.user.id, &f.code).await? {
        None => {
            let errors = Errors::form("code", ctx.t("error-mfa-code"));
            setup_page(&state, ctx, &pending, errors).await
        }
        Some(codes) => {
            // The session id changes now that the second factor is done.
            let Some(token) = auth::finish_mfa(db, &pending.session_id, pending.user.id).await?
            else {
                return Ok(Redirect::to("/konto/logowanie").into_response());
            };
            let actor = Actor {
                user_id: Some(pending.user.id),
                label: pending.user.email.clone(),
                ip: String::new(),
            };
            audit::record(
                db,
                &actor,
                "auth.totp_enabled",
                "user",
                pending.user.id,
                None::<&()>,
                None::<&()>,
            )
            .await?;
            audit::record(
                db,
                &actor,
                "auth.sign_in",
                "user",
                pending.user.id,
                None::<&()>,
                None::<&()>,
            )
            .await?;
            let page = MfaPage {
                ctx,
                action: "/konto/2fa",
                setup_secret: None,
                setup_uri: String::new(),
                recovery: Some(codes),
                errors: Errors::default(),
            };
            Ok(web::with_cookies(
                Html(page.render()?).into_response(),
                vec![web::session_cookie(&state, &token)],
            ))
        }
    }
}

pub async fn verify_form(
    ctx: PageCtx,
    Extension(pending): Extension<PendingMfa>,
) -> AppResult<Response> {
    if pending.user.totp_enabled_at.is_none() {
        return Ok(Redirect::to("/konto/2fa/konfiguracja").into_response());
    }
    let page = MfaPage {
        ctx,
        action: "/konto/2fa",
        setup_secret: None,
        setup_uri: String::new(),
        recovery: None,
        errors: Errors::default(),
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn verify(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(pending): Extension<PendingMfa>,
    Form(f): Form<CodeForm>,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let bucket = format!("mfa:user:{}", pending.user.id);
    let allowed = auth::throttle_hit(db, &bucket, 5, Duration::minutes(15)).await?;
    if allowed && accounts::check_second_factor(db, pending.user.id, &f.code).await? {
        auth::throttle_clear(db, &bucket).await?;
        // The session id changes now that the second factor is done.
        let Some(token) = auth::finish_mfa(db, &pending.session_id, pending.user.id).await? else {
            return Ok(Redirect::to("/konto/logowanie").into_response());
        };
        let actor = Actor {
            user_id: Some(pending.user.id),
            label: pending.user.email.clone(),
            ip: String::new(),
        };
        audit::record(
            db,
            &actor,
            "auth.sign_in",
            "user",
            pending.user.id,
            None::<&()>,
            None::<&()>,
        )
        .await?;
        return Ok(web::with_cookies(
            Redirect::to("/panel").into_response(),
            vec![web::session_cookie(&state, &token)],
        ));
    }
    let key = if allowed {
        "error-mfa-code"
    } else {
        "error-too-many-attempts"
    };
    let page = MfaPage {
        errors: Errors::form("code", ctx.t(key)),
        ctx,
        action: "/konto/2fa",
        setup_secret: None,
        setup_uri: String::new(),
        recovery: None,
    };
    Ok(Html(page.render()?).into_response())
}
