//! Administration: the audit log (read-only; it cannot be edited from the UI).

use crate::AppState;
use crate::ctx::PageCtx;
use crate::errors::AppResult;
use crate::routes::fmt;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use wspolnie_platform::entity::audit_log;

#[derive(Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    action: String,
}

pub struct AuditRow {
    pub when: String,
    pub who: String,
    pub action: String,
    pub record: String,
    pub before: String,
    pub after: String,
}

#[derive(Template)]
#[template(path = "account/audit.html")]
struct AuditPage {
    ctx: PageCtx,
    action: String,
    entries: Vec<AuditRow>,
}

pub async fn audit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<AuditQuery>,
) -> AppResult<Html<String>> {
    let mut find = audit_log::Entity::find()
        .order_by_desc(audit_log::Column::Id)
        .limit(200);
    if !q.action.trim().is_empty() {
        find = find.filter(audit_log::Column::Action.starts_with(q.action.trim()));
    }
    let entries = find
        .all(&state.platform.db.conn)
        .await?
        .into_iter()
        .map(|e| AuditRow {
            when: fmt::datetime(ctx.lang, e.created_at),
            who: e.actor_label,
            action: e.action,
            record: format!("{} #{}", e.entity_type, e.entity_id),
            before: e.before,
            after: e.after,
        })
        .collect();
    Ok(Html(
        AuditPage {
            ctx,
            action: q.action,
            entries,
        }
        .render()?,
    ))
}
