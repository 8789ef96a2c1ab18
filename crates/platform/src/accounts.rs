//! Account basics needed from day one: normalised e-mail, argon2id password hashes, and the
//! `create-admin` bootstrap. Sign-in, sessions and invitations arrive with the accounts issue.

use crate::entity::{role_grant, user};
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    TransactionTrait,
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
    Some(e)
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
    let txn = db.begin().await.map_err(anyhow::Error::from)?;
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
    }

    #[test]
    fn hashes_verify() {
        let h = hash_password("zażółć gęślą jaźń").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("zażółć gęślą jaźń", &h));
        assert!(!verify_password("zazolc gesla jazn", &h));
    }
}
