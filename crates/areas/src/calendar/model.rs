//! Events submitted by organisations (issue 5): what an organisation says about an event
//! (`EventData`), its validation (Warsaw wall-clock times, DST gaps, recurrence, URLs, poster alt
//! text), drafts, submission to the moderation queue and publication on approval.
//!
//! An event that was never published keeps its working copy in its `events` row (status `draft`,
//! `pending`, `changes_requested` or `rejected`). Once published, the row holds the published
//! version and a change waits as a revision until an official approves it.

pub use crate::calendar::limits::{DESCRIPTION_MAX, TITLE_MAX};
use crate::calendar::entity::event;
use crate::calendar::entity::event_sphere;
use crate::calendar::entity::event_target_group;
use crate::directory::entity::organization;
use wspolnie_platform::entity::sphere;
use wspolnie_platform::entity::target_group;
use crate::moderation::model as moderation;
use crate::moderation::model::KIND_CREATE;
use crate::moderation::model::KIND_UPDATE;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};
use serde::{Deserialize, Serialize};
use wspolnie_core::contact::normalize_url;
use wspolnie_core::events::is_category;
use wspolnie_core::recurrence::{Freq, Recurrence, RecurrenceError, last_end};
use wspolnie_core::text::{search_text, slugify};
use wspolnie_core::time::{TZ, local_to_utc};

pub use crate::directory::model::FieldErrors;

pub const SUBJECT_EVENT: &str = "event";
pub const MAX_SPHERES: usize = 3;
/// A single occurrence may last at most this long (a festival, a camp).
pub const MAX_LENGTH_DAYS: i64 = 31;
/// Repeat options of the form: "" (none) or one of these.
pub const REPEATS: [&str; 3] = ["weekly", "biweekly", "monthly"];

/// The life cycle of an event (`status` column): the publication life cycle it shares with
/// articles; every move goes through `check`.
pub use crate::moderation::lifecycle::{Mover, Publication as Status};

fn check(ev: Option<&event::Model>, to: Status, by: Mover) -> Result<(), DbErr> {
    let from = ev.map(|e| e.status);
    // Events are always an organisation's: no city events.
    Ok(crate::moderation::lifecycle::check(from, to, by, false)?)
}

/// Everything an organisation says about one event, as the form holds it (dates and times are
/// Warsaw wall-clock text, so the form can show back exactly what was typed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventData {
    pub title: String,
    /// Markdown.
    pub description: String,
    pub category: String,
    /// `YYYY-MM-DD`.
    pub start_date: String,
    /// `HH:MM`.
    pub start_time: String,
    /// Empty = the start day.
    pub end_date: String,
    pub end_time: String,
    pub place: String,
    pub online_url: String,
    pub spheres: Vec<String>,
    pub target_groups: Vec<String>,
    pub is_free: bool,
    pub price_info: String,
    pub registration_url: String,
    pub poster_key: String,
    pub poster_alt: String,
    /// "" | "weekly" | "biweekly" | "monthly".
    pub repeat: String,
    /// Last day of the series, `YYYY-MM-DD`.
    pub repeat_until: String,
}

/// Times computed from valid `EventData`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub rule: Option<Recurrence>,
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn date(s: &str) -> Option<NaiveDate> {
    wspolnie_core::time::parse_form_date(s)
}

fn time(s: &str) -> Option<NaiveTime> {
    wspolnie_core::time::parse_form_time(s)
}

impl EventData {
    /// Trims and normalises in place and checks everything; returns the field errors (Fluent
    /// message ids) and, when the times are valid, the computed timing. `now` decides what is in
    /// the past: an event must not have ended already.
    pub fn validate(
        &mut self,
        spheres: &[String],
        groups: &[String],
        now: DateTime<Utc>,
    ) -> (FieldErrors, Option<Timing>) {
        let mut e = FieldErrors::new();
        for s in [
            &mut self.title,
            &mut self.description,
            &mut self.category,
            &mut self.start_date,
            &mut self.start_time,
            &mut self.end_date,
            &mut self.end_time,
            &mut self.place,
            &mut self.online_url,
            &mut self.price_info,
            &mut self.registration_url,
            &mut self.poster_key,
            &mut self.poster_alt,
            &mut self.repeat,
            &mut self.repeat_until,
        ] {
            *s = s.trim().to_owned();
        }
        self.title = self.title.split_whitespace().collect::<Vec<_>>().join(" ");
        let n = self.title.chars().count();
        if n == 0 {
            e.insert("title".into(), "error-event-title-required");
        } else if !(3..=TITLE_MAX).contains(&n) {
            e.insert("title".into(), "error-event-title-length");
        }
        let d = self.description.chars().count();
        if d == 0 {
            e.insert("description".into(), "error-event-description-required");
        } else if d > DESCRIPTION_MAX {
            e.insert("description".into(), "error-event-description-long");
        }
        if !is_category(&self.category) {
            e.insert("category".into(), "error-event-category");
        }
        // Keep the form's order, drop unknown codes and repeats.
        let mut seen = Vec::new();
        self.spheres.retain(|c| {
            let ok = spheres.contains(c) && !seen.contains(c);
            seen.push(c.clone());
            ok
        });
        if self.spheres.is_empty() {
            e.insert("spheres".into(), "error-event-spheres-required");
        } else if self.spheres.len() > MAX_SPHERES {
            e.insert("spheres".into(), "error-event-spheres-too-many");
        }
        let mut seen = Vec::new();
        self.target_groups.retain(|c| {
            let ok = groups.contains(c) && !seen.contains(c);
            seen.push(c.clone());
            ok
        });
        if self.place.chars().count() > 300 {
            e.insert("place".into(), "error-event-place-long");
        }
        if !self.online_url.is_empty() {
            match normalize_url(&self.online_url) {
                Some(u) => self.online_url = u,
                None => {
                    e.insert("online_url".into(), "error-event-online-url");
                }
            }
        }
        if self.place.is_empty() && self.online_url.is_empty() {
            e.insert("place".into(), "error-event-place-required");
        }
        if !self.registration_url.is_empty() {
            match normalize_url(&self.registration_url) {
                Some(u) => self.registration_url = u,
                None => {
                    e.insert("registration_url".into(), "error-event-registration-url");
                }
            }
        }
        if self.is_free {
            self.price_info.clear();
        } else if self.price_info.is_empty() {
            e.insert("price_info".into(), "error-event-price-required");
        } else if self.price_info.chars().count() > 300 {
            e.insert("price_info".into(), "error-event-price-long");
        }
        if !self.poster_key.is_empty() && self.poster_alt.is_empty() {
            e.insert("poster_alt".into(), "error-poster-alt-required");
        }
        if self.poster_alt.chars().count() > 300 {
            e.insert("poster_alt".into(), "error-poster-alt-long");
        }
        if self.poster_key.is_empty() {
            self.poster_alt.clear();
        }
        crate::calendar::limits::EVENT.check_into(
            &mut e,
            &[
                ("title", &self.title),
                ("description", &self.description),
                ("category", &self.category),
                ("start_date", &self.start_date),
                ("start_time", &self.start_time),
                ("end_date", &self.end_date),
                ("end_time", &self.end_time),
                ("place", &self.place),
                ("online_url", &self.online_url),
                ("price_info", &self.price_info),
                ("registration_url", &self.registration_url),
                ("poster_key", &self.poster_key),
                ("poster_alt", &self.poster_alt),
                ("repeat", &self.repeat),
                ("repeat_until", &self.repeat_until),
            ],
        );

        let timing = self.timing(&mut e, now);
        (e, timing)
    }

    fn timing(&mut self, e: &mut FieldErrors, now: DateTime<Utc>) -> Option<Timing> {
        let start_date = date(&self.start_date);
        if start_date.is_none() {
            e.insert("start_date".into(), "error-event-start-date");
        }
        let start_time = time(&self.start_time);
        if start_time.is_none() {
            e.insert("start_time".into(), "error-event-start-time");
        }
        let end_date = if self.end_date.is_empty() {
            start_date
        } else {
            let d = date(&self.end_date);
            if d.is_none() {
                e.insert("end_date".into(), "error-event-end-date");
            }
            d
        };
        let end_time = time(&self.end_time);
        if end_time.is_none() {
            e.insert("end_time".into(), "error-event-end-time");
        }
        let (sd, st, ed, et) = (start_date?, start_time?, end_date?, end_time?);
        self.start_time = st.format("%H:%M").to_string();
        self.end_time = et.format("%H:%M").to_string();
        let Some(starts_at) = local_to_utc(sd.and_time(st)) else {
            e.insert("start_time".into(), "error-event-start-time-gap");
            return None;
        };
        let Some(ends_at) = local_to_utc(ed.and_time(et)) else {
            e.insert("end_time".into(), "error-event-end-time-gap");
            return None;
        };
        if ends_at <= starts_at {
            e.insert("end_time".into(), "error-event-end-before-start");
            return None;
        }
        if ends_at - starts_at > Duration::days(MAX_LENGTH_DAYS) {
            e.insert("end_date".into(), "error-event-too-long");
            return None;
        }
        let rule = match self.repeat.as_str() {
            "" => {
                self.repeat_until.clear();
                None
            }
            r if REPEATS.contains(&r) => {
                let Some(until) = date(&self.repeat_until) else {
                    e.insert("repeat_until".into(), "error-event-repeat-until");
                    return None;
                };
                let rule = Recurrence {
                    freq: if r == "monthly" {
                        Freq::Monthly
                    } else {
                        Freq::Weekly
                    },
                    interval: if r == "biweekly" { 2 } else { 1 },
                    until,
                };
                match rule.validate(starts_at) {
                    Ok(()) => Some(rule),
                    Err(RecurrenceError::TooLong) => {
                        e.insert("repeat_until".into(), "error-event-repeat-too-long");
                        return None;
                    }
                    Err(_) => {
                        e.insert("repeat_until".into(), "error-event-repeat-until");
                        return None;
                    }
                }
            }
            _ => {
                e.insert("repeat".into(), "error-event-repeat");
                return None;
            }
        };
        if last_end(starts_at, ends_at, rule.as_ref()) < now {
            e.insert("start_date".into(), "error-event-in-past");
            return None;
        }
        Some(Timing {
            starts_at,
            ends_at,
            rule,
        })
    }

    /// The data of a stored event (to edit a published event, and for the moderation diff).
    pub async fn load<C: ConnectionTrait>(db: &C, ev: &event::Model) -> Result<EventData, DbErr> {
        let spheres = sphere::Entity::find().all(db).await?;
        let groups = target_group::Entity::find().all(db).await?;
        let mut links = event_sphere::Entity::find()
            .filter(event_sphere::Column::EventId.eq(ev.id))
            .all(db)
            .await?;
        links.sort_by_key(|l| l.sphere_id);
        let glinks = event_target_group::Entity::find()
            .filter(event_target_group::Column::EventId.eq(ev.id))
            .all(db)
            .await?;
        let start = ev.starts_at.with_timezone(&TZ);
        let end = ev.ends_at.with_timezone(&TZ);
        let rule = ev.rrule.as_deref().and_then(Recurrence::parse);
        Ok(EventData {
            title: ev.title.clone(),
            description: ev.description_md.clone(),
            category: ev.category.clone(),
            start_date: start.format("%Y-%m-%d").to_string(),
            start_time: start.format("%H:%M").to_string(),
            end_date: if end.date_naive() == start.date_naive() {
                String::new()
            } else {
                end.format("%Y-%m-%d").to_string()
            },
            end_time: end.format("%H:%M").to_string(),
            place: ev.place.clone().unwrap_or_default(),
            online_url: ev.online_url.clone().unwrap_or_default(),
            spheres: links
                .iter()
                .filter_map(|l| spheres.iter().find(|s| s.id == l.sphere_id))
                .map(|s| s.code.clone())
                .collect(),
            target_groups: glinks
                .iter()
                .filter_map(|l| groups.iter().find(|g| g.id == l.target_group_id))
                .map(|g| g.code.clone())
                .collect(),
            is_free: ev.is_free,
            price_info: ev.price_info.clone(),
            registration_url: ev.registration_url.clone().unwrap_or_default(),
            poster_key: ev.poster_key.clone().unwrap_or_default(),
            poster_alt: ev.poster_alt.clone(),
            repeat: match rule {
                Some(r) if r.freq == Freq::Monthly => "monthly".into(),
                Some(r) if r.interval == 2 => "biweekly".into(),
                Some(_) => "weekly".into(),
                None => String::new(),
            },
            repeat_until: rule
                .map(|r| r.until.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
        })
    }
}

/// Writes the data into a row (content, times, search text); status and version are the caller's.
fn fill(a: &mut event::ActiveModel, d: &EventData, t: &Timing, org_name: &str) {
    a.title = Set(d.title.clone());
    a.description_md = Set(d.description.clone());
    a.starts_at = Set(t.starts_at);
    a.ends_at = Set(t.ends_at);
    a.tz = Set("Europe/Warsaw".into());
    a.place = Set(opt(&d.place));
    a.online_url = Set(opt(&d.online_url));
    a.is_free = Set(d.is_free);
    a.search_text = Set(search_text(&[&d.title, &d.description, &d.place, org_name]));
    a.category = Set(d.category.clone());
    a.poster_key = Set(opt(&d.poster_key));
    a.poster_alt = Set(d.poster_alt.clone());
    a.registration_url = Set(opt(&d.registration_url));
    a.price_info = Set(d.price_info.clone());
    a.rrule = Set(t.rule.map(|r| r.to_stored()));
    a.last_ends_at = Set(Some(last_end(t.starts_at, t.ends_at, t.rule.as_ref())));
    a.updated_at = Set(Utc::now());
}

async fn write_links<C: ConnectionTrait>(db: &C, id: i64, d: &EventData) -> Result<(), DbErr> {
    event_sphere::Entity::delete_many()
        .filter(event_sphere::Column::EventId.eq(id))
        .exec(db)
        .await?;
    event_target_group::Entity::delete_many()
        .filter(event_target_group::Column::EventId.eq(id))
        .exec(db)
        .await?;
    let spheres = sphere::Entity::find()
        .filter(sphere::Column::Code.is_in(d.spheres.clone()))
        .filter(sphere::Column::ValidTo.is_null())
        .all(db)
        .await?;
    for s in spheres {
        event_sphere::Entity::insert(event_sphere::ActiveModel {
            event_id: Set(id),
            sphere_id: Set(s.id),
        })
        .exec_without_returning(db)
        .await?;
    }
    let groups = target_group::Entity::find()
        .filter(target_group::Column::Code.is_in(d.target_groups.clone()))
        .all(db)
        .await?;
    for g in groups {
        event_target_group::Entity::insert(event_target_group::ActiveModel {
            event_id: Set(id),
            target_group_id: Set(g.id),
        })
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

/// What the submitter asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveAs {
    /// Keep as a draft (only for events never published).
    Draft,
    /// Send to the moderation queue.
    Submit,
}

impl SaveAs {
    /// The status a never-published item gets.
    pub fn status(self) -> Status {
        match self {
            SaveAs::Draft => Status::Draft,
            SaveAs::Submit => Status::Pending,
        }
    }
}

/// Saves a new event or a change of one (on the caller's transaction). Returns the event id.
/// `existing` must belong to `org`; the caller checks that the user may act for `org`.
#[allow(clippy::too_many_arguments)]
pub async fn save<C: ConnectionTrait>(
    db: &C,
    org: &organization::Model,
    existing: Option<event::Model>,
    data: &EventData,
    timing: &Timing,
    save_as: SaveAs,
    user_id: i64,
    public_url: &str,
) -> Result<i64, DbErr> {
    let now = Utc::now();
    let (id, published, previous) = match existing {
        Some(ev) if ev.status == Status::Published => {
            let previous = EventData::load(db, &ev).await?;
            (ev.id, true, Some(previous))
        }
        Some(ev) => {
            let to = save_as.status();
            check(Some(&ev), to, Mover::Organization)?;
            let id = ev.id;
            let mut a: event::ActiveModel = ev.into();
            fill(&mut a, data, timing, &org.name);
            a.status = Set(to);
            a.update(db).await?;
            write_links(db, id, data).await?;
            (id, false, None)
        }
        None => {
            check(None, save_as.status(), Mover::Organization)?;
            let suffix = &uuid::Uuid::new_v4().simple().to_string()[..6];
            let mut slug = slugify(&data.title);
            slug.truncate(80);
            let mut a = event::ActiveModel {
                slug: Set(format!("{}-{suffix}", slug.trim_end_matches('-'))),
                organization_id: Set(Some(org.id)),
                created_at: Set(now),
                created_by: Set(Some(user_id)),
                version: Set(0),
                published_at: Set(None),
                status: Set(save_as.status()),
                ..Default::default()
            };
            fill(&mut a, data, timing, &org.name);
            let id = event::Entity::insert(a).exec(db).await?.last_insert_id;
            write_links(db, id, data).await?;
            (id, false, None)
        }
    };
    if save_as == SaveAs::Submit {
        moderation::submit(
            db,
            SUBJECT_EVENT,
            id,
            if published { KIND_UPDATE } else { KIND_CREATE },
            data,
            previous.as_ref(),
            user_id,
            &data.title,
            public_url,
        )
        .await?;
    }
    Ok(id)
}

/// Publishes an approved revision: writes its data into the row (recomputing the times; an
/// approved event in the past is still published as it was submitted).
pub async fn apply<C: ConnectionTrait>(
    db: &C,
    ev: event::Model,
    data: &EventData,
    version: i32,
) -> Result<event::Model, DbErr> {
    check(Some(&ev), Status::Published, Mover::Moderation)?;
    let mut d = data.clone();
    let spheres: Vec<String> = d.spheres.clone();
    let groups: Vec<String> = d.target_groups.clone();
    // Validated at submission; recompute the times without the "not in the past" rule.
    let (_, timing) = d.validate(&spheres, &groups, DateTime::<Utc>::MIN_UTC);
    let org_name = match ev.organization_id {
        Some(oid) => organization::Entity::find_by_id(oid)
            .one(db)
            .await?
            .map(|o| o.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let id = ev.id;
    let first = ev.published_at.is_none();
    let mut a: event::ActiveModel = ev.into();
    if let Some(t) = timing {
        fill(&mut a, &d, &t, &org_name);
    }
    a.status = Set(Status::Published);
    a.version = Set(version);
    if first {
        a.published_at = Set(Some(Utc::now()));
    }
    let m = a.update(db).await?;
    write_links(db, id, &d).await?;
    Ok(m)
}

/// Sets the status of a never-published event after a rejection or a request for changes.
pub async fn set_status<C: ConnectionTrait>(
    db: &C,
    ev: event::Model,
    status: Status,
) -> Result<(), DbErr> {
    if ev.status == Status::Published {
        return Ok(());
    }
    check(Some(&ev), status, Mover::Moderation)?;
    let mut a: event::ActiveModel = ev.into();
    a.status = Set(status);
    a.updated_at = Set(Utc::now());
    a.update(db).await?;
    Ok(())
}

/// Events in the moderation queue: approval publishes; a rejection or a request for changes
/// sets the status of a never-published event (a published one stays as it is).
pub struct EventSubject;

#[async_trait::async_trait]
impl crate::moderation::model::Subject for EventSubject {
    fn subject_type(&self) -> &'static str {
        SUBJECT_EVENT
    }

    async fn decide(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        rev: &crate::moderation::entity::revision::Model,
        decision: crate::moderation::model::Decision,
    ) -> Result<crate::moderation::model::Outcome, crate::moderation::model::DecideError> {
        use crate::moderation::model::{DecideError, Decision, Outcome};
        use crate::calendar::model as events;
        use crate::calendar::model::EventData;
        let ev = crate::calendar::entity::event::Entity::find_by_id(rev.subject_id)
            .one(txn)
            .await?
            .ok_or(DecideError::NotFound)?;
        let data: EventData = serde_json::from_str(&rev.data).unwrap_or_default();
        let org_id = ev.organization_id.unwrap_or_default();
        let edit = format!("/panel/organizacje/{org_id}/wydarzenia/{}", ev.id);
        let link = match decision {
            Decision::Approve => {
                let m = events::apply(txn, ev, &data, rev.number).await?;
                format!("/kalendarz/{}", m.slug)
            }
            Decision::Reject => {
                events::set_status(txn, ev, events::Status::Rejected).await?;
                edit
            }
            Decision::RequestChanges => {
                events::set_status(txn, ev, events::Status::ChangesRequested).await?;
                edit
            }
        };
        Ok(Outcome {
            title: data.title,
            link,
        })
    }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn valid() -> EventData {
            EventData {
                title: "Warsztaty ceramiczne dla seniorów".into(),
                description: "Lepimy z gliny.".into(),
                category: "warsztaty".into(),
                start_date: "2027-03-27".into(),
                start_time: "10:00".into(),
                end_time: "12:30".into(),
                place: "Centrum Organizacji Pozarządowych, ul. Źródlana 5".into(),
                spheres: vec!["16".into()],
                is_free: true,
                ..Default::default()
            }
        }

        fn now() -> DateTime<Utc> {
            local_to_utc(
                NaiveDate::from_ymd_opt(2027, 3, 1)
                    .and_then(|d| d.and_hms_opt(12, 0, 0))
                    .expect("date"),
            )
            .expect("exists")
        }

        #[test]
        fn valid_event_gets_utc_times() {
            let mut d = valid();
            let (e, t) = d.validate(&["16".into()], &[], now());
            assert!(e.is_empty(), "{e:?}");
            let t = t.expect("timing");
            assert_eq!(t.starts_at.format("%H:%M").to_string(), "09:00"); // CET = UTC+1
            assert_eq!(t.ends_at - t.starts_at, Duration::minutes(150));
        }

        #[test]
        fn errors_by_field() {
            let mut d = EventData {
                start_date: "2027-03-28".into(),
                start_time: "02:30".into(), // spring DST gap
                end_time: "04:00".into(),
                is_free: false,
                poster_key: "posters/x.jpg".into(),
                online_url: "nie url".into(),
                spheres: vec!["999".into()],
                ..Default::default()
            };
            let (e, t) = d.validate(&["16".into()], &[], now());
            assert!(t.is_none());
            for (field, id) in [
                ("title", "error-event-title-required"),
                ("description", "error-event-description-required"),
                ("category", "error-event-category"),
                ("spheres", "error-event-spheres-required"),
                ("online_url", "error-event-online-url"),
                ("price_info", "error-event-price-required"),
                ("poster_alt", "error-poster-alt-required"),
                ("start_time", "error-event-start-time-gap"),
            ] {
                assert_eq!(e.get(field).copied(), Some(id), "{field}: {e:?}");
            }
        }

        #[test]
        fn past_end_before_start_and_recurrence() {
            let mut d = valid();
            d.start_date = "2027-02-01".into();
            let (e, _) = d.validate(&["16".into()], &[], now());
            assert_eq!(e.get("start_date").copied(), Some("error-event-in-past"));
            // A weekly series that started in the past but still runs is fine.
            d.repeat = "weekly".into();
            d.repeat_until = "2027-04-30".into();
            let (e, t) = d.validate(&["16".into()], &[], now());
            assert!(e.is_empty(), "{e:?}");
            assert_eq!(t.and_then(|t| t.rule).map(|r| r.interval), Some(1));
            let mut d = valid();
            d.end_time = "09:00".into();
            let (e, _) = d.validate(&["16".into()], &[], now());
            assert_eq!(
                e.get("end_time").copied(),
                Some("error-event-end-before-start")
            );
            let mut d = valid();
            d.repeat = "monthly".into();
            d.repeat_until = "2030-01-01".into();
            let (e, _) = d.validate(&["16".into()], &[], now());
            assert_eq!(
                e.get("repeat_until").copied(),
                Some("error-event-repeat-too-long")
            );
    }
}
