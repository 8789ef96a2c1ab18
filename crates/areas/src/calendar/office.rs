//! The office's own entries in the calendar, kept in step with what they stand for (a call's
//! deadline, a meeting, a consultation's period): one function that creates the entry the first
//! time and updates it after, published or cancelled, linking the page it stands for.

use crate::calendar::entity::event;
use crate::moderation::lifecycle::{Mover, Publication, check};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel};
use wspolnie_core::text::search_text;

/// What an office entry shows.
pub struct OfficeEntry<'a> {
    /// The entry made before, if any.
    pub event_id: Option<i64>,
    /// Its address in the calendar (`konkurs-…`, `spotkanie-…`), set when it is made.
    pub slug: String,
    pub title: &'a str,
    pub description_md: &'a str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: Option<String>,
    /// The page it stands for (a path of ours or an absolute address).
    pub url: String,
    pub category: &'static str,
    pub created_by: Option<i64>,
    pub cancelled: bool,
}

/// Creates or updates the entry; returns its id and whether it was made now (the caller then
/// stores the id on its own row).
pub async fn upsert<C: ConnectionTrait>(db: &C, e: OfficeEntry<'_>) -> Result<(i64, bool), DbErr> {
    let now = Utc::now();
    let status = if e.cancelled { Publication::Cancelled } else { Publication::Published };
    let existing = match e.event_id {
        Some(id) => event::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let fresh = existing.is_none();
    check(existing.as_ref().map(|e| e.status), status, Mover::Official, true)?;
    let mut a = match existing {
        Some(ev) => ev.into_active_model(),
        None => event::ActiveModel {
            slug: Set(e.slug),
            created_at: Set(now),
            created_by: Set(e.created_by),
            organization_id: Set(None),
            version: Set(0),
            tz: Set("Europe/Warsaw".into()),
            is_free: Set(true),
            poster_key: Set(None),
            poster_alt: Set(String::new()),
            price_info: Set(String::new()),
            rrule: Set(None),
            category: Set(e.category.into()),
            published_at: Set(Some(now)),
            ..Default::default()
        },
    };
    a.title = Set(e.title.to_owned());
    a.description_md = Set(e.description_md.to_owned());
    a.starts_at = Set(e.starts_at);
    a.ends_at = Set(e.ends_at);
    a.last_ends_at = Set(Some(e.ends_at));
    a.search_text = Set(search_text(&[e.title, e.place.as_deref().unwrap_or(""), e.description_md]));
    a.place = Set(e.place);
    a.online_url = Set(None);
    a.registration_url = Set(Some(e.url));
    a.status = Set(status);
    a.updated_at = Set(now);
    let id = if fresh { a.insert(db).await?.id } else { a.update(db).await?.id };
    Ok((id, fresh))
}
