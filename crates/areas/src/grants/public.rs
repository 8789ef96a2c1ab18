//! What a call shows the world outside the panel: its calendar entry (the offer deadline, an
//! `events` row of category `konkurs`) and the announcement's notices.

use crate::calendar::entity::event;
use crate::grants::entity::grant_call::{self, Status};
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter,
};
use wspolnie_core::text::search_text;

/// The calendar category of call deadlines.
pub const CALENDAR_CATEGORY: &str = "konkurs";

/// Keeps the call's calendar entry in step with it: published while the call is public and not
/// annulled, showing the offer deadline and linking the call's page.
pub async fn sync_calendar<C: ConnectionTrait>(db: &C, c: &grant_call::Model) -> Result<(), DbErr> {
    use crate::moderation::lifecycle::{Mover, Publication, check};
    let now = Utc::now();
    let status = if c.status == Status::Annulled {
        Publication::Cancelled
    } else {
        Publication::Published
    };
    let existing = match c.event_id {
        Some(id) => event::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let fresh = existing.is_none();
    check(existing.as_ref().map(|e| e.status), status, Mover::Official, true)?;
    let mut a = match existing {
        Some(e) => e.into_active_model(),
        None => event::ActiveModel {
            slug: Set(format!("konkurs-{}", c.slug)),
            created_at: Set(now),
            created_by: Set(c.created_by),
            organization_id: Set(None),
            version: Set(0),
            tz: Set("Europe/Warsaw".into()),
            is_free: Set(true),
            poster_key: Set(None),
            poster_alt: Set(String::new()),
            price_info: Set(String::new()),
            rrule: Set(None),
            category: Set(CALENDAR_CATEGORY.into()),
            published_at: Set(Some(now)),
            ..Default::default()
        },
    };
    a.title = Set(c.title.clone());
    a.description_md = Set(c.task_type.clone());
    a.starts_at = Set(c.offer_deadline);
    a.ends_at = Set(c.offer_deadline);
    a.last_ends_at = Set(Some(c.offer_deadline));
    a.place = Set(None);
    a.online_url = Set(None);
    a.registration_url = Set(Some(format!("/konkursy/{}", c.slug)));
    a.status = Set(status);
    a.search_text = Set(search_text(&[&c.title, &c.task_type]));
    a.updated_at = Set(now);
    if fresh {
        let e = a.insert(db).await?;
        grant_call::Entity::update_many()
            .col_expr(grant_call::Column::EventId, Expr::value(e.id))
            .filter(grant_call::Column::Id.eq(c.id))
            .exec(db)
            .await?;
    } else {
        a.update(db).await?;
    }
    Ok(())
}

/// What announcing a call sets in motion, on the announcing transaction: the calendar entry.
pub async fn on_announce<C: ConnectionTrait>(
    db: &C,
    c: &grant_call::Model,
    _public_url: &str,
) -> Result<(), DbErr> {
    sync_calendar(db, c).await
}
