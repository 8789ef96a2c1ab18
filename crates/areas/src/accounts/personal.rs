//! What the account itself holds about its person: the account, office roles, memberships,
//! sessions, tokens, consents and the actions recorded in the audit log.

use chrono::Utc;
use sea_orm::{ColumnTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, QueryFilter};
use wspolnie_platform::entity::{audit_log, consent, organization_member, role_grant, session, user, user_token};
use wspolnie_platform::personal::{Person, PersonalData, Section, Table};
use crate::accounts::model::roles;

pub struct Accounts;


pub const TABLES: &[Table] = &[
    Table {
        name: "users",
        personal: &["email", "display_name"],
        not_personal: &[],
    },
    Table {
        name: "sessions",
        personal: &["user_id", "ip", "user_agent"],
        not_personal: &[],
    },
    Table {
        name: "user_tokens",
        personal: &["user_id", "email"],
        not_personal: &[],
    },
    Table {
        name: "role_grants",
        personal: &["user_id"],
        not_personal: &[],
    },
    Table {
        name: "organization_members",
        personal: &["user_id"],
        not_personal: &[],
    },
    Table {
        name: "consents",
        personal: &["user_id", "email"],
        not_personal: &[],
    },
    Table {
        name: "audit_log",
        personal: &["actor_user_id", "ip"],
        not_personal: &[],
    },
    Table::plain("throttle"),
]; 

#[async_trait::async_trait]
impl PersonalData for Accounts {
    async fn export(&self, db: &DatabaseConnection, p: &Person) -> Result<Vec<Section>, DbErr> {
        let Some(u) = user::Entity::find_by_id(p.user_id).one(db).await? else {
            return Ok(Vec::new());
        };
    let roles = roles(db, p.user_id).await?;
    let members = organization_member::Entity::find()
        .filter(organization_member::Column::UserId.eq(p.user_id))
        .all(db)
        .await?;
    let sessions = session::Entity::find()
        .filter(session::Column::UserId.eq(p.user_id))
        .all(db)
        .await?;
    let consents = consent::Entity::find()
        .filter(consent::Column::UserId.eq(p.user_id))
        .all(db)
        .await?;
    let actions = audit_log::Entity::find()
        .filter(audit_log::Column::ActorUserId.eq(p.user_id))
        .all(db)
        .await?;
        Ok(vec![
            ("account", serde_json::json!({
            "email": u.email,
            "display_name": u.display_name,
            "locale": u.locale,
            "email_verified_at": u.email_verified_at.map(|t| t.to_rfc3339()),
            "two_factor_enabled": u.totp_enabled_at.is_some(),
            "created_at": u.created_at.to_rfc3339(),
        })),
            ("office_roles", serde_json::json!(roles.iter().map(|(r, s)| serde_json::json!({ "role": r, "scope": s })).collect::<Vec<_>>())),
            ("organizations", serde_json::json!(members.iter().map(|m| serde_json::json!({ "organization_id": m.organization_id, "role": m.role, "since": m.created_at.to_rfc3339() })).collect::<Vec<_>>())),
            ("sessions", serde_json::json!(sessions.iter().map(|s| serde_json::json!({ "created_at": s.created_at.to_rfc3339(), "last_seen_at": s.last_seen_at.to_rfc3339(), "ip": s.ip, "user_agent": s.user_agent })).collect::<Vec<_>>())),
            ("consents", serde_json::json!(consents.iter().map(|c| serde_json::json!({ "purpose": c.purpose, "text_version": c.text_version, "given_at": c.given_at.to_rfc3339(), "withdrawn_at": c.withdrawn_at.map(|t| t.to_rfc3339()) })).collect::<Vec<_>>())),
            ("actions_recorded", serde_json::json!(actions.iter().map(|a| serde_json::json!({ "action": a.action, "record": format!("{} {}", a.entity_type, a.entity_id), "at": a.created_at.to_rfc3339() })).collect::<Vec<_>>())),
        ])
    }

    /// Sessions, tokens, roles and memberships go; consent records stay as proof, without the
    /// address; audit entries stay (they are the office's record) and point to the anonymised
    /// account.
    async fn erase(&self, txn: &DatabaseTransaction, p: &Person) -> Result<(), DbErr> {
        let now = Utc::now();
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(p.user_id))
        .exec(txn)
        .await?;
    user_token::Entity::delete_many()
        .filter(user_token::Column::UserId.eq(p.user_id))
        .exec(txn)
        .await?;
    role_grant::Entity::delete_many()
        .filter(role_grant::Column::UserId.eq(p.user_id))
        .exec(txn)
        .await?;
    organization_member::Entity::delete_many()
        .filter(organization_member::Column::UserId.eq(p.user_id))
        .exec(txn)
        .await?;
    // Consent records stay as proof, without the address (the newsletter's are keyed by it).
    consent::Entity::update_many()
        .col_expr(consent::Column::Email, "".into())
        .col_expr(consent::Column::WithdrawnAt, Some(now).into())
        .filter(
            sea_orm::Condition::any()
                .add(consent::Column::UserId.eq(p.user_id))
                .add(consent::Column::Email.eq(p.email.as_str())),
        )
        .exec(txn)
        .await?;
        Ok(())
    }
}
