//! Account basics needed from day one: normalised e-mail, argon2id password hashes, and the
//! `create-admin` bootstrap. Sign-in, sessions and invitations arrive with the accounts issue.

pub use wspolnie_platform::auth::roles;
use wspolnie_platform::personal::{Holders, Person};
use wspolnie_platform::auth;
use wspolnie_platform::auth::TokenPurpose;
use wspolnie_platform::entity::consent;
use wspolnie_platform::entity::role_grant;
use wspolnie_platform::entity::user;
use wspolnie_platform::i18n::Lang;
use wspolnie_platform::mail::MailJob;
use wspolnie_platform::mail::enqueue_mail;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter,
};

pub const MIN_PASSWORD_LEN: usize = 12;

/// Trimmed and lowercased; a light shape check (the real check is a verification e-mail).
pub fn normalize_email(input: &str) -> Option<String> {
    let e = input.trim().to_lowercase();
    let (local, domain) = e.split_once('@')?;
    if local.is_empty()
        || domain.len() < 3
        || !domain.contains('.')
        || e.chars().any(char::is_whitespace)
        || domain.contains('@')
    {
        return None;
    }
    // The mailer parses every recipient with lettre: an address it would refuse is refused at
    // the form, not later by a job that dies where nobody sees it.
    let parsed: lettre::Address = e.parse().ok()?;
    let mailbox: lettre::message::Mailbox = e.parse().ok()?;
    (mailbox.email == parsed).then_some(e)
}

fn argon() -> Argon2<'static> {
    // OWASP-recommended argon2id parameters (19 MiB, 2 iterations, 1 lane).
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    argon()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| argon().verify_password(password.as_bytes(), &h).is_ok())
}

#[derive(Debug, thiserror::Error)]
pub enum CreateAdminError {
    #[error("invalid e-mail address")]
    BadEmail,
    #[error("the password must have at least {MIN_PASSWORD_LEN} characters")]
    WeakPassword,
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// Creates an administrator, or grants the admin role to an existing account with that e-mail
/// (setting the new password). Returns the user id.
pub async fn create_admin(
    db: &DatabaseConnection,
    email: &str,
    name: &str,
    password: &str,
) -> Result<i64, CreateAdminError> {
    let email = normalize_email(email).ok_or(CreateAdminError::BadEmail)?;
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(CreateAdminError::WeakPassword);
    }
    let hash = hash_password(password)?;
    let now = Utc::now();
    let txn = wspolnie_platform::db::begin_write(db).await.map_err(anyhow::Error::from)?;
    let existing = user::Entity::find()
        .filter(user::Column::Email.eq(email.clone()))
        .one(&txn)
        .await
        .map_err(anyhow::Error::from)?;
    let id = match existing {
        Some(u) => {
            let id = u.id;
            let mut am: user::ActiveModel = u.into();
            am.password_hash = Set(Some(hash));
            am.updated_at = Set(now);
            am.update(&txn).await.map_err(anyhow::Error::from)?;
            auth::use_up_tokens(&txn, TokenPurpose::ResetPassword, id)
                .await
                .map_err(anyhow::Error::from)?;
            id
        }
        None => {
            let am = user::ActiveModel {
                email: Set(email),
                display_name: Set(if name.trim().is_empty() {
                    "Administrator".into()
                } else {
                    name.trim().to_owned()
                }),
                password_hash: Set(Some(hash)),
                locale: Set("pl".into()),
                email_verified_at: Set(Some(now)),
                created_at: Set(now),
                updated_at: Set(now),
                deleted_at: Set(None),
                ..Default::default()
            };
            user::Entity::insert(am)
                .exec(&txn)
                .await
                .map_err(anyhow::Error::from)?
                .last_insert_id
        }
    };
    let grant = role_grant::ActiveModel {
        user_id: Set(id),
        role: Set("admin".into()),
        scope: Set(String::new()),
        created_at: Set(now),
        ..Default::default()
    };
    role_grant::Entity::insert(grant)
        .on_conflict(
            sea_orm::sea_query::OnConflict::columns([
                role_grant::Column::UserId,
                role_grant::Column::Role,
                role_grant::Column::Scope,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await
        .map_err(anyhow::Error::from)?;
    txn.commit().await.map_err(anyhow::Error::from)?;
    Ok(id)
}

/// Version of the privacy notice a person accepts at sign-up (recorded with the consent).
pub const PRIVACY_NOTICE_VERSION: &str = "2026-11-22";

/// A hash of a random password, so that looking up a missing account costs as much time as
/// checking a real one (no account enumeration by timing).
fn dummy_hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| hash_password(&auth::random_token()).unwrap_or_default())
}

fn mail(to: &str, template: &str, lang: Lang, vars: serde_json::Value) -> MailJob {
    MailJob {
        to: to.to_owned(),
        template: template.into(),
        lang,
        vars: vars.as_object().cloned().unwrap_or_default(),
    }
}

pub struct SignUp<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password: &'a str,
    pub lang: Lang,
    pub public_url: &'a str,
}

/// What a sign-up did. Both branches do the same expensive work — one argon2 hash, one mail job
/// — so the response time does not tell whether the address already has an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SignUpWork {
    /// A new account was created (false: the address had one; its owner got a notice).
    pub created: bool,
    /// Argon2 password hashes computed.
    pub password_hashes: u32,
    /// Mail jobs enqueued.
    pub mails: u32,
}

/// Hashes a password on a blocking thread (argon2 is deliberately slow).
async fn hash_off_runtime(password: &str) -> Result<String, DbErr> {
    let pw = password.to_owned();
    tokio::task::spawn_blocking(move || hash_password(&pw))
        .await
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .map_err(|e| DbErr::Custom(e.to_string()))
}

/// Registers an account and sends the verification e-mail, in one transaction. When the address
/// is already registered, the owner gets a notice instead and the caller sees the same outcome,
/// after the same work (the password is hashed either way).
pub async fn sign_up(db: &DatabaseConnection, s: SignUp<'_>) -> Result<SignUpWork, DbErr> {
    let Some(email) = normalize_email(s.email) else {
        return Ok(SignUpWork::default());
    };
    let base = s.public_url.trim_end_matches('/');
    // Before the address is looked up, so both branches pay for it.
    let hash = hash_off_runtime(s.password).await?;
    let mut work = SignUpWork {
        password_hashes: 1,
        ..SignUpWork::default()
    };
    // Looked up before the transaction, so that the transaction starts with a write: on SQLite a
    // transaction that read first cannot write after another connection did (the worker
    // sending the previous mail), and would fail with "database is locked" instead of waiting.
    let existing = user::Entity::find()
        .filter(user::Column::Email.eq(email.clone()))
        .one(db)
        .await?;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    if existing.is_some() {
        let vars = serde_json::json!({ "link": format!("{base}/konto/logowanie"), "reset": format!("{base}/konto/reset-hasla") });
        enqueue_mail(&txn, mail(&email, "account_exists", s.lang, vars), None).await?;
        work.mails += 1;
        txn.commit().await?;
        return Ok(work);
    }
    let now = Utc::now();
    let am = user::ActiveModel {
        email: Set(email.clone()),
        display_name: Set(s.name.trim().to_owned()),
        password_hash: Set(Some(hash)),
        locale: Set(s.lang.code().into()),
        email_verified_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        ..Default::default()
    };
    let user_id = user::Entity::insert(am).exec(&txn).await?.last_insert_id;
    consent::Entity::insert(consent::ActiveModel {
        user_id: Set(Some(user_id)),
        email: Set(email.clone()),
        purpose: Set("privacy_notice".into()),
        text_version: Set(PRIVACY_NOTICE_VERSION.into()),
        given_at: Set(now),
        withdrawn_at: Set(None),
        ..Default::default()
    })
    .exec_without_returning(&txn)
    .await?;
    send_verification(&txn, user_id, &email, s.lang, base).await?;
    work.mails += 1;
    work.created = true;
    txn.commit().await?;
    Ok(work)
}

async fn send_verification<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    email: &str,
    lang: Lang,
    base: &str,
) -> Result<(), DbErr> {
    let token = auth::issue_token(
        db,
        TokenPurpose::VerifyEmail,
        Some(user_id),
        email,
        serde_json::json!({}),
        chrono::Duration::days(2),
    )
    .await?;
    let vars = serde_json::json!({ "link": format!("{base}/konto/potwierdz?t={token}") });
    enqueue_mail(db, mail(email, "verify_email", lang, vars), None).await?;
    Ok(())
}

/// Marks the address verified; returns the user id, or `None` for a used or expired link.
pub async fn verify_email(db: &DatabaseConnection, token: &str) -> Result<Option<i64>, DbErr> {
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let Some(t) = auth::consume_token(&txn, TokenPurpose::VerifyEmail, token).await? else {
        return Ok(None);
    };
    let Some(user_id) = t.user_id else {
        return Ok(None);
    };
    user::Entity::update_many()
        .col_expr(user::Column::EmailVerifiedAt, Some(Utc::now()).into())
        .filter(user::Column::Id.eq(user_id))
        .filter(user::Column::Email.eq(t.email.clone()))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(Some(user_id))
}

#[derive(Debug)]
pub enum SignIn {
    Ok(Box<user::Model>),
    /// Right password, address not verified yet (a fresh verification e-mail was sent).
    Unverified,
    /// Wrong e-mail or password — never says which.
    Invalid,
}

/// Checks credentials in constant-ish time whether or not the account exists.
pub async fn check_credentials(
    db: &DatabaseConnection,
    email: &str,
    password: &str,
    public_url: &str,
) -> Result<SignIn, DbErr> {
    let found = match normalize_email(email) {
        Some(e) => {
            user::Entity::find()
                .filter(user::Column::Email.eq(e))
                .filter(user::Column::DeletedAt.is_null())
                .one(db)
                .await?
        }
        None => None,
    };
    let hash = found
        .as_ref()
        .and_then(|u| u.password_hash.clone())
        .unwrap_or_else(|| dummy_hash().to_owned());
    let pw = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || verify_password(&pw, &hash))
        .await
        .unwrap_or(false);
    match found {
        Some(u) if ok && u.email_verified_at.is_some() => Ok(SignIn::Ok(Box::new(u))),
        Some(u) if ok => {
            let lang = Lang::parse(&u.locale).unwrap_or_default();
            send_verification(db, u.id, &u.email, lang, public_url.trim_end_matches('/')).await?;
            Ok(SignIn::Unverified)
        }
        _ => Ok(SignIn::Invalid),
    }
}

/// Sends a reset link if the account exists; does nothing visible otherwise.
pub async fn request_password_reset(
    db: &DatabaseConnection,
    email: &str,
    lang: Lang,
    public_url: &str,
) -> Result<(), DbErr> {
    let Some(email) = normalize_email(email) else {
        return Ok(());
    };
    let txn = wspolnie_platform::db::begin_write(db).await?;
    if let Some(u) = user::Entity::find()
        .filter(user::Column::Email.eq(email.clone()))
        .filter(user::Column::DeletedAt.is_null())
        .one(&txn)
        .await?
    {
        let token = auth::issue_token(
            &txn,
            TokenPurpose::ResetPassword,
            Some(u.id),
            &email,
            serde_json::json!({}),
            chrono::Duration::hours(1),
        )
        .await?;
        let vars = serde_json::json!({ "link": format!("{}/konto/nowe-haslo?t={token}", public_url.trim_end_matches('/')) });
        enqueue_mail(&txn, mail(&email, "reset_password", lang, vars), None).await?;
    }
    txn.commit().await
}

/// Sets a new password from a reset link, verifies the address (the link proved it) and ends every
/// session of the account. Returns false for a used or expired link.
pub async fn reset_password(
    db: &DatabaseConnection,
    token: &str,
    new_password: &str,
) -> Result<bool, DbErr> {
    let hash = hash_off_runtime(new_password).await?;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let Some(t) = auth::consume_token(&txn, TokenPurpose::ResetPassword, token).await? else {
        return Ok(false);
    };
    let Some(user_id) = t.user_id else {
        return Ok(false);
    };
    let now = Utc::now();
    let u = user::Entity::find_by_id(user_id).one(&txn).await?;
    if let Some(u) = u {
        let verified = u.email_verified_at.unwrap_or(now);
        let mut am: user::ActiveModel = u.into();
        am.password_hash = Set(Some(hash));
        am.email_verified_at = Set(Some(verified));
        am.updated_at = Set(now);
        am.update(&txn).await?;
    }
    // Any other reset link sent to the account dies with this one.
    auth::use_up_tokens(&txn, TokenPurpose::ResetPassword, user_id).await?;
    auth::revoke_other_sessions(&txn, user_id, None).await?;
    txn.commit().await?;
    Ok(true)
}

/// The TOTP secret being set up for a user (created on first call, kept until enabled).
pub async fn pending_totp_secret(
    db: &DatabaseConnection,
    user: &user::Model,
) -> Result<String, DbErr> {
    if let Some(s) = &user.totp_secret {
        return Ok(s.clone());
    }
    let secret = wspolnie_platform::totp::new_secret();
    user::Entity::update_many()
        .col_expr(user::Column::TotpSecret, Some(secret.clone()).into())
        .filter(user::Column::Id.eq(user.id))
        .filter(user::Column::TotpSecret.is_null())
        .exec(db)
        .await?;
    // Another request may have won the race; use whatever is stored.
    Ok(user::Entity::find_by_id(user.id)
        .one(db)
        .await?
        .and_then(|u| u.totp_secret)
        .unwrap_or(secret))
}

/// Turns TOTP on after the person proved their app shows the right code; returns the recovery
/// codes to show once, or `None` when the code was wrong.
pub async fn enable_totp(
    db: &DatabaseConnection,
    user_id: i64,
    code: &str,
) -> Result<Option<Vec<String>>, DbErr> {
    let Some(u) = user::Entity::find_by_id(user_id).one(db).await? else {
        return Ok(None);
    };
    let Some(secret) = u.totp_secret.clone() else {
        return Ok(None);
    };
    let Some(step) = wspolnie_platform::totp::matching_step(&secret, code, Utc::now().timestamp())
    else {
        return Ok(None);
    };
    let (codes, hashes) = wspolnie_platform::totp::recovery_codes();
    let mut am: user::ActiveModel = u.into();
    am.totp_enabled_at = Set(Some(Utc::now()));
    am.recovery_codes = Set(Some(serde_json::to_string(&hashes).unwrap_or_default()));
    // The code shown at set-up is used up like any other.
    am.totp_last_step = Set(Some(step));
    am.updated_at = Set(Utc::now());
    am.update(db).await?;
    Ok(Some(codes))
}

/// Checks a TOTP code, or uses up a recovery code. A TOTP code is good once: its time step is
/// remembered and that step and earlier ones are refused afterwards (a replay gets the same
/// answer as a wrong code).
pub async fn check_second_factor(
    db: &DatabaseConnection,
    user_id: i64,
    code: &str,
) -> Result<bool, DbErr> {
    let Some(u) = user::Entity::find_by_id(user_id).one(db).await? else {
        return Ok(false);
    };
    let (Some(secret), Some(_)) = (u.totp_secret.clone(), u.totp_enabled_at) else {
        return Ok(false);
    };
    if let Some(step) =
        wspolnie_platform::totp::matching_step(&secret, code, Utc::now().timestamp())
    {
        // Conditional, so that of two sign-ins with one code (even concurrent) only one passes.
        let res = user::Entity::update_many()
            .col_expr(user::Column::TotpLastStep, Some(step).into())
            .filter(user::Column::Id.eq(user_id))
            .filter(
                sea_orm::Condition::any()
                    .add(user::Column::TotpLastStep.is_null())
                    .add(user::Column::TotpLastStep.lt(step)),
            )
            .exec(db)
            .await?;
        return Ok(res.rows_affected == 1);
    }
    let hash = wspolnie_platform::totp::hash_recovery(code);
    let mut left: Vec<String> = u
        .recovery_codes
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_default();
    let Some(pos) = left.iter().position(|h| *h == hash) else {
        return Ok(false);
    };
    left.remove(pos);
    // Conditional on the old list, so one recovery code cannot be used twice concurrently.
    let res = user::Entity::update_many()
        .col_expr(
            user::Column::RecoveryCodes,
            Some(serde_json::to_string(&left).unwrap_or_default()).into(),
        )
        .filter(user::Column::Id.eq(user_id))
        .filter(user::Column::RecoveryCodes.eq(u.recovery_codes.clone().unwrap_or_default()))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Checks a password against the account off the async runtime (argon2 is deliberately slow).
async fn password_matches(u: &user::Model, password: &str) -> bool {
    let stored = u
        .password_hash
        .clone()
        .unwrap_or_else(|| dummy_hash().to_owned());
    let pw = password.to_owned();
    tokio::task::spawn_blocking(move || verify_password(&pw, &stored))
        .await
        .unwrap_or(false)
}

/// Invites a person to an office role (officials, administrators and experts are created only this
/// way). The link is valid for 7 days.
pub async fn invite(
    db: &DatabaseConnection,
    actor: &wspolnie_platform::audit::Actor,
    email: &str,
    roles: &[(String, String)],
    lang: Lang,
    public_url: &str,
) -> Result<bool, DbErr> {
    let Some(email) = normalize_email(email) else {
        return Ok(false);
    };
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let data = serde_json::json!({ "roles": roles });
    let token = auth::issue_token(
        &txn,
        TokenPurpose::Invitation,
        None,
        &email,
        data.clone(),
        chrono::Duration::days(7),
    )
    .await?;
    let vars = serde_json::json!({ "link": format!("{}/konto/zaproszenie?t={token}", public_url.trim_end_matches('/')), "inviter": actor.label });
    enqueue_mail(&txn, mail(&email, "invitation", lang, vars), None).await?;
    wspolnie_platform::audit::record(
        &txn,
        actor,
        "user.invite",
        "invitation",
        &email,
        None::<&()>,
        Some(&data),
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// Who accepts an invitation: a new account (name and password), or the existing account of
/// the invited address, signed in.
pub enum Acceptor<'a> {
    New { name: &'a str, password: &'a str },
    Existing { user_id: i64 },
}

/// Whether the address has an account (not deleted).
pub async fn has_account<C: ConnectionTrait>(db: &C, email: &str) -> Result<bool, DbErr> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .filter(user::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .is_some())
}

/// Accepts an invitation: creates the account (verified: the link proved the address) or, if the
/// address already has one, adds the roles and memberships to it — only when that account is the
/// one signed in (`Acceptor::Existing`); a name and password typed for an existing account are
/// never taken. Returns the user id, or `None` for a bad link or the wrong acceptor.
pub async fn accept_invitation(
    db: &DatabaseConnection,
    token: &str,
    acceptor: Acceptor<'_>,
) -> Result<Option<i64>, DbErr> {
    let hash = match &acceptor {
        Acceptor::New { password, .. } => {
            Some(hash_off_runtime(password).await?)
        }
        Acceptor::Existing { .. } => None,
    };
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let Some(t) = auth::consume_token(&txn, TokenPurpose::Invitation, token).await? else {
        return Ok(None);
    };
    let roles: Vec<(String, String)> = serde_json::from_str::<serde_json::Value>(&t.data)
        .ok()
        .and_then(|v| serde_json::from_value(v["roles"].clone()).ok())
        .unwrap_or_default();
    let now = Utc::now();
    let existing = user::Entity::find()
        .filter(user::Column::Email.eq(t.email.clone()))
        .filter(user::Column::DeletedAt.is_null())
        .one(&txn)
        .await?;
    let user_id = match (existing, acceptor, hash) {
        (Some(u), Acceptor::Existing { user_id }, _) if u.id == user_id => u.id,
        (None, Acceptor::New { name, .. }, Some(hash)) => {
            let am = user::ActiveModel {
                email: Set(t.email.clone()),
                display_name: Set(name.trim().to_owned()),
                password_hash: Set(Some(hash)),
                locale: Set("pl".into()),
                email_verified_at: Set(Some(now)),
                created_at: Set(now),
                updated_at: Set(now),
                deleted_at: Set(None),
                ..Default::default()
            };
            user::Entity::insert(am).exec(&txn).await?.last_insert_id
        }
        // Someone else signed in, or the account appeared or went meanwhile: the token stays.
        _ => {
            txn.rollback().await?;
            return Ok(None);
        }
    };
    for (role, scope) in &roles {
        let grant = role_grant::ActiveModel {
            user_id: Set(user_id),
            role: Set(role.clone()),
            scope: Set(scope.clone()),
            created_at: Set(now),
            ..Default::default()
        };
        role_grant::Entity::insert(grant)
            .on_conflict(
                sea_orm::sea_query::OnConflict::columns([
                    role_grant::Column::UserId,
                    role_grant::Column::Role,
                    role_grant::Column::Scope,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    let memberships: Vec<(i64, String)> = serde_json::from_str::<serde_json::Value>(&t.data)
        .ok()
        .and_then(|v| serde_json::from_value(v["memberships"].clone()).ok())
        .unwrap_or_default();
    for (org, role) in &memberships {
        let m = wspolnie_platform::entity::organization_member::ActiveModel {
            organization_id: Set(*org),
            user_id: Set(user_id),
            role: Set(role.clone()),
            created_at: Set(now),
        };
        wspolnie_platform::entity::organization_member::Entity::insert(m)
            .on_conflict(
                sea_orm::sea_query::OnConflict::columns([
                    wspolnie_platform::entity::organization_member::Column::OrganizationId,
                    wspolnie_platform::entity::organization_member::Column::UserId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    if !roles.is_empty() {
        let actor = wspolnie_platform::audit::Actor {
            user_id: Some(user_id),
            label: t.email.clone(),
            ip: String::new(),
        };
        wspolnie_platform::audit::record(
            &txn,
            &actor,
            "user.accept_invitation",
            "user",
            user_id,
            None::<&()>,
            Some(&roles),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(Some(user_id))
}

/// Changes the password after checking the current one; ends the account's other sessions.
pub async fn change_password(
    db: &DatabaseConnection,
    user_id: i64,
    current: &str,
    new: &str,
    keep_session: &str,
) -> Result<bool, DbErr> {
    let Some(u) = user::Entity::find_by_id(user_id).one(db).await? else {
        return Ok(false);
    };
    if !password_matches(&u, current).await {
        return Ok(false);
    }
    let hash = hash_off_runtime(new).await?;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let mut am: user::ActiveModel = u.into();
    am.password_hash = Set(Some(hash));
    am.updated_at = Set(Utc::now());
    am.update(&txn).await?;
    // A reset link requested before the change must not undo it.
    auth::use_up_tokens(&txn, TokenPurpose::ResetPassword, user_id).await?;
    auth::revoke_other_sessions(&txn, user_id, Some(keep_session)).await?;
    txn.commit().await?;
    Ok(true)
}

/// Everything stored about a person, as JSON (RODO art. 15 and 20).
/// Everything stored about the account: its own rows and every area's sections.
pub async fn export(
    db: &DatabaseConnection,
    holders: &Holders,
    user_id: i64,
) -> Result<serde_json::Value, DbErr> {
    let Some(u) = user::Entity::find_by_id(user_id).one(db).await? else {
        return Ok(serde_json::Value::Null);
    };
    let mut out = serde_json::json!({ "exported_at": Utc::now().to_rfc3339() });
    // Every area's sections (the account itself, newsletter, mailings, meetings, declarations…).
    let person = Person {
        user_id,
        email: u.email.clone(),
    };
    if let Some(obj) = out.as_object_mut() {
        for h in holders.iter() {
            for (k, v) in h.export(db, &person).await? {
                obj.insert(k.to_owned(), v);
            }
        }
    }
    Ok(out)
}

/// Deletes an account: personal data is removed, the row stays anonymised so that records that must
/// remain (submitted offers, audit entries) keep a valid reference. Returns false on a wrong password.
pub async fn delete_account(
    db: &DatabaseConnection,
    holders: &Holders,
    user_id: i64,
    password: &str,
) -> Result<bool, DbErr> {
    let Some(u) = user::Entity::find_by_id(user_id).one(db).await? else {
        return Ok(false);
    };
    if !password_matches(&u, password).await {
        return Ok(false);
    }
    let now = Utc::now();
    let txn = wspolnie_platform::db::begin_write(db).await?;
    // Every area removes or anonymises what it holds about the person.
    let person = Person {
        user_id,
        email: u.email.clone(),
    };
    for h in holders.iter() {
        h.erase(&txn, &person).await?;
    }
    let mut am: user::ActiveModel = u.into();
    am.email = Set(format!("deleted-{user_id}@deleted.invalid"));
    am.display_name = Set("—".into());
    am.password_hash = Set(None);
    am.totp_secret = Set(None);
    am.totp_enabled_at = Set(None);
    am.recovery_codes = Set(None);
    am.totp_last_step = Set(None);
    am.deleted_at = Set(Some(now));
    am.updated_at = Set(now);
    am.update(&txn).await?;
    let actor = wspolnie_platform::audit::Actor {
        user_id: Some(user_id),
        label: format!("user #{user_id}"),
        ip: String::new(),
    };
    wspolnie_platform::audit::record(
        &txn,
        &actor,
        "user.delete",
        "user",
        user_id,
        None::<&()>,
        None::<&()>,
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// Invites an editor to an organisation (sent by its owner).
pub async fn invite_editor(
    db: &DatabaseConnection,
    organization_id: i64,
    organization_name: &str,
    inviter: &str,
    email: &str,
    lang: Lang,
    public_url: &str,
) -> Result<bool, DbErr> {
    let Some(email) = normalize_email(email) else {
        return Ok(false);
    };
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let data = serde_json::json!({ "memberships": [[organization_id, "editor"]] });
    let token = auth::issue_token(
        &txn,
        TokenPurpose::Invitation,
        None,
        &email,
        data,
        chrono::Duration::days(7),
    )
    .await?;
    let vars = serde_json::json!({
        "link": format!("{}/konto/zaproszenie?t={token}", public_url.trim_end_matches('/')),
        "inviter": inviter,
        "organization": organization_name,
    });
    enqueue_mail(&txn, mail(&email, "org_invitation", lang, vars), None).await?;
    txn.commit().await?;
    Ok(true)
}

/// Starts an e-mail change: the new address gets a confirmation link; nothing changes until it is
/// used. Returns false on a wrong password. An address already in use gets no mail (and the caller
/// shows the same message), so the form does not reveal who has an account.
pub async fn request_email_change(
    db: &DatabaseConnection,
    user_id: i64,
    new_email: &str,
    password: &str,
    lang: Lang,
    public_url: &str,
) -> Result<bool, DbErr> {
    let Some(u) = user::Entity::find_by_id(user_id).one(db).await? else {
        return Ok(false);
    };
    if !password_matches(&u, password).await {
        return Ok(false);
    }
    let Some(new_email) = normalize_email(new_email) else {
        return Ok(true);
    };
    if user::Entity::find()
        .filter(user::Column::Email.eq(new_email.clone()))
        .one(db)
        .await?
        .is_some()
    {
        return Ok(true);
    }
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let token = auth::issue_token(
        &txn,
        TokenPurpose::ChangeEmail,
        Some(user_id),
        &new_email,
        serde_json::json!({}),
        chrono::Duration::days(2),
    )
    .await?;
    let vars = serde_json::json!({ "link": format!("{}/konto/nowy-email?t={token}", public_url.trim_end_matches('/')) });
    enqueue_mail(&txn, mail(&new_email, "verify_email", lang, vars), None).await?;
    txn.commit().await?;
    Ok(true)
}

/// Applies a confirmed e-mail change; `None` for a bad link or an address taken meanwhile.
pub async fn confirm_email_change(
    db: &DatabaseConnection,
    token: &str,
) -> Result<Option<i64>, DbErr> {
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let Some(t) = auth::consume_token(&txn, TokenPurpose::ChangeEmail, token).await? else {
        return Ok(None);
    };
    let Some(user_id) = t.user_id else {
        return Ok(None);
    };
    if user::Entity::find()
        .filter(user::Column::Email.eq(t.email.clone()))
        .one(&txn)
        .await?
        .is_some()
    {
        return Ok(None);
    }
    user::Entity::update_many()
        .col_expr(user::Column::Email, t.email.clone().into())
        .col_expr(user::Column::EmailVerifiedAt, Some(Utc::now()).into())
        .col_expr(user::Column::UpdatedAt, Utc::now().into())
        .filter(user::Column::Id.eq(user_id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(Some(user_id))
}

/// Addresses and languages of active accounts holding a role (and scope, if given), for notices
/// to officials. Administrators are not included: they do not moderate by default.
pub async fn role_holders<C: ConnectionTrait>(
    db: &C,
    role: &str,
    scope: Option<&str>,
) -> Result<Vec<(String, Lang)>, DbErr> {
    let mut q = role_grant::Entity::find().filter(role_grant::Column::Role.eq(role));
    if let Some(s) = scope {
        q = q.filter(role_grant::Column::Scope.eq(s));
    }
    let ids: Vec<i64> = q.all(db).await?.into_iter().map(|g| g.user_id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut users = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .filter(user::Column::DeletedAt.is_null())
        .all(db)
        .await?;
    users.sort_by_key(|u| u.id);
    Ok(users
        .into_iter()
        .map(|u| (u.email, Lang::parse(&u.locale).unwrap_or_default()))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            normalize_email("  Anna.Kowalska@Example.PL "),
            Some("anna.kowalska@example.pl".into())
        );
        assert_eq!(normalize_email("no-at-sign"), None);
        assert_eq!(normalize_email("a@b"), None);
        // Addresses the old check took and the mailer (lettre) refuses.
        for bad in ["ewa;nowak@wierzbin.example", "ewa(nowak)@wierzbin.example", "ewa@wierz bin"] {
            assert_eq!(normalize_email(bad), None, "{bad}");
        }
        assert!(normalize_email("ewa+news@wierzbin.example").is_some());
    }

    #[test]
    fn hashes_verify() {
        let h = hash_password("zażółć gęślą jaźń").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("zażółć gęślą jaźń", &h));
        assert!(!verify_password("zazolc gesla jazn", &h));
    }
}
