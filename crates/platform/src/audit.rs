//! The audit log: every action by an official or admin, and every moderation decision, with who,
//! what, when and before/after values. Rows are only ever inserted; nothing in the UI edits them.

use crate::entity::audit_log;
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};
use serde::Serialize;

/// Who acted: a signed-in user, or the system (CLI, scheduled jobs).
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub label: String,
    pub ip: String,
}

impl Actor {
    pub fn system(label: &str) -> Actor {
        Actor {
            user_id: None,
            label: format!("system:{label}"),
            ip: String::new(),
        }
    }
}

/// Records one action on the given connection (use the transaction of the change itself).
pub async fn record<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    action: &str,
    entity_type: &str,
    entity_id: impl ToString,
    before: Option<&impl Serialize>,
    after: Option<&impl Serialize>,
) -> Result<(), DbErr> {
    let json =
        |v: Option<serde_json::Value>| v.map(|v| v.to_string()).unwrap_or_else(|| "null".into());
    let row = audit_log::ActiveModel {
        actor_user_id: Set(actor.user_id),
        actor_label: Set(actor.label.clone()),
        action: Set(action.to_owned()),
        entity_type: Set(entity_type.to_owned()),
        entity_id: Set(entity_id.to_string()),
        before: Set(json(before.and_then(|b| serde_json::to_value(b).ok()))),
        after: Set(json(after.and_then(|a| serde_json::to_value(a).ok()))),
        ip: Set(actor.ip.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    audit_log::Entity::insert(row)
        .exec_without_returning(db)
        .await?;
    Ok(())
}
