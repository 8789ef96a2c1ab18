//! Loads the signed-in account from the session cookie and enforces route permissions.

use crate::AppState;
use crate::cookies::cookie_value;
use crate::errors::AppError;
use crate::policy::Account;
use crate::policy::Permission;
use crate::policy::allows;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use wspolnie_platform::entity::organization_member;

pub const SESSION_COOKIE: &str = "wsp_session";

/// The account of the request, if signed in (second factor included).
#[derive(Clone, Default)]
pub struct CurrentAccount(pub Option<Account>);

/// The signed-in account of a handler behind a `SignedIn` (or stricter) permission.
pub fn signed(current: &CurrentAccount) -> crate::errors::AppResult<&Account> {
    current.0.as_ref().ok_or(crate::errors::AppError::Forbidden)
}

/// A sign-in waiting for its second factor: the password was right, TOTP is still due.
#[derive(Clone)]
pub struct PendingMfa {
    pub user: wspolnie_platform::entity::user::Model,
    pub session_id: String,
}

pub enum Loaded {
    None,
    Account(Box<Account>),
    Pending(Box<PendingMfa>),
}

pub async fn load_account(state: &AppState, token: &str) -> Result<Loaded, sea_orm::DbErr> {
    let db = &state.platform.db.conn;
    let Some((session, user)) = wspolnie_platform::auth::find_session(db, token).await? else {
        return Ok(Loaded::None);
    };
    if !session.mfa_passed {
        return Ok(Loaded::Pending(Box::new(PendingMfa {
            user,
            session_id: session.id,
        })));
    }
    let roles = wspolnie_platform::auth::roles(db, user.id).await?;
    let memberships = organization_member::Entity::find()
        .filter(organization_member::Column::UserId.eq(user.id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.organization_id, m.role))
        .collect();
    Ok(Loaded::Account(Box::new(Account {
        user,
        session_id: session.id,
        roles,
        memberships,
    })))
}

/// Middleware: puts `CurrentAccount` into the request.
pub async fn session(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let loaded = match cookie_value(req.headers(), SESSION_COOKIE) {
        Some(token) => match load_account(&state, token).await {
            Ok(l) => l,
            Err(e) => return AppError::Internal(e.into()).into_response(),
        },
        None => Loaded::None,
    };
    let account = match loaded {
        Loaded::Account(a) => Some(*a),
        Loaded::Pending(p) => {
            req.extensions_mut().insert(*p);
            None
        }
        Loaded::None => None,
    };
    req.extensions_mut().insert(CurrentAccount(account));
    next.run(req).await
}

/// Route layer: lets the request through only with `permission`. Anonymous visitors are sent to
/// the sign-in page (and back afterwards); signed-in people without the right get 403.
pub async fn require(permission: Permission, req: Request, next: Next) -> Response {
    let account = req
        .extensions()
        .get::<CurrentAccount>()
        .and_then(|c| c.0.as_ref());
    if permission == Permission::MfaPending {
        return match (
            req.extensions().get::<PendingMfa>().is_some(),
            account.is_some(),
        ) {
            (true, _) => next.run(req).await,
            (false, true) => Redirect::to("/panel").into_response(),
            (false, false) => Redirect::to("/konto/logowanie?next=%2Fpanel").into_response(),
        };
    }
    if allows(account, permission)
        || (permission == Permission::AnySession && req.extensions().get::<PendingMfa>().is_some())
    {
        return next.run(req).await;
    }
    match (permission, account) {
        (Permission::Guest, Some(_)) => Redirect::to("/panel").into_response(),
        (_, None) => {
            let next_path = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            let q = serde_urlencoded::to_string([("next", next_path)]).unwrap_or_default();
            Redirect::to(&format!("/konto/logowanie?{q}")).into_response()
        }
        _ => AppError::Forbidden.into_response(),
    }
}
