//! Meetings of the office with organisations (seed 000 pt 3): invitations at least
//! `meetings.min_notice_days` (7) days before the start, answers "will attend / cannot attend"
//! with a number of people and a comment, capacity with a waiting list, reminders, attendance
//! lists and minutes.
//!
//! - A meeting is a draft until invitations go out; then it is public (`/spotkania`) and has a
//!   calendar entry (an `events` row of category `spotkanie` pointing to the meeting page).
//! - Sending invitations later than the minimum notice needs a written reason, stored on the
//!   meeting and in the audit log. Sending again reaches only addresses not yet invited (the
//!   audience may have grown); the unique (meeting, address) index keeps one row per address.
//! - Every invitation mail carries an iCalendar `METHOD:REQUEST` attachment and signed links to
//!   the answer page (`/spotkania/{slug}/odpowiedz?i=…&s=…`). The links open a page whose button
//!   posts: a mail scanner that follows both links must not answer twice.
//! - Answers run in one transaction that first locks the meeting row (a no-op UPDATE: a row lock
//!   on PostgreSQL, the write lock on SQLite), so answers to one meeting are serialised and
//!   `seats_taken` can never exceed `capacity`. Who does not fit is waitlisted in order of
//!   answering; a freed place goes to the first waiting answer that fits, who is told by e-mail.

pub use crate::meetings::limits::{AGENDA_MAX, COMMENT_MAX, TITLE_MAX};
use crate::accounts::model::normalize_email;
use wspolnie_platform::audit;
use wspolnie_platform::audit::Actor;
use crate::meetings::entity::meeting;
use crate::meetings::entity::meeting_invitation as inv;
use wspolnie_platform::i18n::Lang;
use wspolnie_platform::jobs;
use wspolnie_platform::jobs::ClaimedJob;
use wspolnie_platform::jobs::JobContext;
use wspolnie_platform::jobs::JobError;
use wspolnie_platform::jobs::JobHandler;
use wspolnie_platform::jobs::NewJob;
use wspolnie_platform::mail;
use wspolnie_platform::mail::MailJob;
use crate::mailings::model as mailings;
use crate::mailings::model::Audience;
use crate::mailings::model::FieldErrors;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sea_orm::ExprTrait;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::collections::HashSet;
use wspolnie_core::ics;
use wspolnie_core::text::slugify;
use wspolnie_core::time::{local_to_utc, to_local};

/// The life cycle of a meeting and of an invitation, each with its one transition function.
pub use crate::meetings::entity::meeting::{Status, allowed};
pub use crate::meetings::entity::meeting_invitation::{
    Status as InvitationStatus, allowed as invitation_allowed,
};

pub const REMINDER_JOB: &str = "meeting.reminders";

pub const CAPACITY_MAX: i32 = 100_000;
pub const PARTY_MAX: i32 = 20;
/// Shortest written reason for sending invitations late.
pub const REASON_MIN: usize = 10;

/// A meeting as the form holds it (Warsaw wall-clock date and times as typed).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MeetingData {
    pub title: String,
    pub agenda: String,
    pub date: String,
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub online_url: String,
    /// Empty = no limit.
    pub capacity: String,
    pub max_party: String,
    pub lang: String,
    pub all_organizations: bool,
    pub spheres: Vec<String>,
    pub topics: Vec<String>,
    pub custom: String,
}

/// What a valid form gives.
#[derive(Debug, Clone)]
pub struct Valid {
    pub audience: Audience,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: Option<i32>,
    pub max_party: i32,
}

impl MeetingData {
    pub fn from_model(m: &meeting::Model) -> MeetingData {
        let a = Audience::parse(&m.audience);
        let s = to_local(m.starts_at);
        let e = to_local(m.ends_at);
        MeetingData {
            title: m.title.clone(),
            agenda: m.agenda_md.clone(),
            date: s.format("%Y-%m-%d").to_string(),
            start_time: s.format("%H:%M").to_string(),
            end_time: e.format("%H:%M").to_string(),
            place: m.place.clone().unwrap_or_default(),
            online_url: m.online_url.clone().unwrap_or_default(),
            capacity: m.capacity.map(|c| c.to_string()).unwrap_or_default(),
            max_party: m.max_party.to_string(),
            lang: m.lang.clone(),
            all_organizations: a.organizations,
            spheres: a.spheres,
            topics: a.topics,
            custom: a.custom.join("\n"),
        }
    }

    /// Normalises in place; returns field errors (Fluent id + arguments) or the valid values.
    /// `seats_taken` is the number of places already confirmed (capacity may not go below it).
    pub fn validate(
        &mut self,
        spheres: &[String],
        now: DateTime<Utc>,
        seats_taken: i32,
    ) -> (FieldErrors, Option<Valid>) {
        let mut e = FieldErrors::new();
        for f in [
            &mut self.title,
            &mut self.date,
            &mut self.start_time,
            &mut self.end_time,
            &mut self.place,
            &mut self.online_url,
            &mut self.capacity,
            &mut self.max_party,
        ] {
            *f = f.trim().to_owned();
        }
        self.agenda = self.agenda.trim_end().to_owned();
        if !matches!(self.lang.as_str(), "pl" | "en") {
            self.lang = "pl".into();
        }
        let n = self.title.chars().count();
        if !(3..=TITLE_MAX).contains(&n) || self.title.contains(['\r', '\n']) {
            e.insert("title".into(), ("meeting-error-title", vec![]));
        }
        if self.agenda.trim().is_empty() {
            e.insert("agenda".into(), ("meeting-error-agenda", vec![]));
        } else if self.agenda.chars().count() > AGENDA_MAX {
            e.insert("agenda".into(), ("meeting-error-agenda-long", vec![]));
        }
        if self.place.chars().count() > 300 {
            e.insert("place".into(), ("meeting-error-place", vec![]));
        }
        crate::meetings::limits::MEETING.check_fields(
            &mut e,
            &[
                ("title", &self.title),
                ("agenda", &self.agenda),
                ("date", &self.date),
                ("start_time", &self.start_time),
                ("end_time", &self.end_time),
                ("place", &self.place),
                ("online_url", &self.online_url),
                ("capacity", &self.capacity),
                ("max_party", &self.max_party),
                ("custom", &self.custom),
            ],
        );
        if !self.online_url.is_empty() {
            let ok = url::Url::parse(&self.online_url)
                .ok()
                .is_some_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
            if !ok || self.online_url.contains(['"', '<', '>', ' ']) {
                e.insert("online_url".into(), ("meeting-error-online-url", vec![]));
            }
        }
        if self.place.is_empty() && self.online_url.is_empty() {
            e.insert("place".into(), ("meeting-error-where", vec![]));
        }
        let date = wspolnie_core::time::parse_form_date(&self.date);
        let start = wspolnie_core::time::parse_form_time(&self.start_time);
        let end = wspolnie_core::time::parse_form_time(&self.end_time);
        let mut times = None;
        // Each of the three is told on its own, in its own words.
        if date.is_none() {
            e.insert("date".into(), ("meeting-error-date", vec![]));
        }
        if start.is_none() {
            e.insert("start_time".into(), ("meeting-error-start-time", vec![]));
        }
        if end.is_none() {
            e.insert("end_time".into(), ("meeting-error-end-time", vec![]));
        }
        if let (Some(d), Some(s), Some(t)) = (date, start, end) {
            match (local_to_utc(d.and_time(s)), local_to_utc(d.and_time(t))) {
                (Some(s), Some(t)) if t <= s => {
                    e.insert("end_time".into(), ("meeting-error-end", vec![]));
                }
                (Some(s), _) if s <= now => {
                    e.insert("date".into(), ("meeting-error-past", vec![]));
                }
                (Some(s), Some(t)) => times = Some((s, t)),
                _ => {
                    e.insert("start_time".into(), ("error-event-start-time-gap", vec![]));
                }
            }
        }
        let capacity = if self.capacity.is_empty() {
            None
        } else {
            match self.capacity.parse::<i32>() {
                Ok(c) if (1..=CAPACITY_MAX).contains(&c) && c < seats_taken => {
                    e.insert(
                        "capacity".into(),
                        (
                            "meeting-error-capacity-taken",
                            vec![("count", seats_taken.to_string())],
                        ),
                    );
                    None
                }
                Ok(c) if (1..=CAPACITY_MAX).contains(&c) => Some(c),
                _ => {
                    e.insert("capacity".into(), ("meeting-error-capacity", vec![]));
                    None
                }
            }
        };
        if self.max_party.is_empty() {
            self.max_party = "1".into();
        }
        let max_party = match self.max_party.parse::<i32>() {
            Ok(p) if (1..=PARTY_MAX).contains(&p) => p,
            _ => {
                e.insert(
                    "max_party".into(),
                    ("meeting-error-party", vec![("max", PARTY_MAX.to_string())]),
                );
                1
            }
        };
        let audience = mailings::audience_from_form(
            &mut e,
            spheres,
            self.all_organizations,
            &self.spheres,
            &self.topics,
            &self.custom,
        );
        if audience.is_empty() {
            e.insert("audience".into(), ("meeting-error-audience", vec![]));
        }
        match times {
            Some((starts_at, ends_at)) if e.is_empty() => (
                e,
                Some(Valid {
                    audience,
                    starts_at,
                    ends_at,
                    capacity,
                    max_party,
                }),
            ),
            _ => (e, None),
        }
    }
}

fn summary(m: &meeting::Model) -> serde_json::Value {
    serde_json::json!({
        "title": m.title,
        "status": m.status,
        "starts_at": m.starts_at,
        "ends_at": m.ends_at,
        "place": m.place,
        "online_url": m.online_url,
        "capacity": m.capacity,
        "max_party": m.max_party,
        "audience": Audience::parse(&m.audience),
    })
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

/// Creates a draft meeting.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    d: &MeetingData,
    v: &Valid,
    actor: &Actor,
) -> Result<meeting::Model, DbErr> {
    let now = Utc::now();
    let suffix = &uuid::Uuid::new_v4().simple().to_string()[..6];
    let mut slug = slugify(&d.title);
    slug.truncate(80);
    let m = meeting::ActiveModel {
        slug: Set(format!("{}-{suffix}", slug.trim_end_matches('-'))),
        title: Set(d.title.clone()),
        agenda_md: Set(d.agenda.clone()),
        place: Set(non_empty(&d.place)),
        online_url: Set(non_empty(&d.online_url)),
        starts_at: Set(v.starts_at),
        ends_at: Set(v.ends_at),
        capacity: Set(v.capacity),
        max_party: Set(v.max_party),
        seats_taken: Set(0),
        audience: Set(serde_json::to_string(&v.audience).unwrap_or_else(|_| "{}".into())),
        lang: Set(d.lang.clone()),
        status: Set(Status::Draft),
        invited_at: Set(None),
        invite_reason: Set(None),
        sequence: Set(0),
        minutes_md: Set(String::new()),
        minutes_published_at: Set(None),
        event_id: Set(None),
        created_by: Set(actor.user_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        actor,
        "meeting.create",
        "meeting",
        m.id,
        None::<&()>,
        Some(&summary(&m)),
    )
    .await?;
    Ok(m)
}

/// What an edit of an already invited meeting changed for the invitees.
#[derive(Debug, PartialEq, Eq)]
pub enum EditEffect {
    None,
    /// Time or place changed: invitees got an update with a new iCalendar sequence.
    Notified(usize),
}

/// Saves an edit. When invitations are out and the time or place changed, every invitee who
/// has not declined gets an update (iCalendar REQUEST with a higher SEQUENCE) and the reminder
/// moves with the start. A higher capacity gives places to the waiting list.
pub async fn update(
    p: &crate::Platform,
    db: &DatabaseConnection,
    m: meeting::Model,
    d: &MeetingData,
    v: &Valid,
    actor: &Actor,
) -> Result<(meeting::Model, EditEffect), DbErr> {
    let txn = wspolnie_platform::db::begin_write(db).await?;
    lock(&txn, m.id).await?;
    let Some(m) = meeting::Entity::find_by_id(m.id).one(&txn).await? else {
        return Err(DbErr::RecordNotFound("meeting".into()));
    };
    let before = summary(&m);
    let moved = m.starts_at != v.starts_at
        || m.ends_at != v.ends_at
        || m.place.as_deref().unwrap_or("") != d.place
        || m.online_url.as_deref().unwrap_or("") != d.online_url;
    let invited = m.status == Status::Invited;
    let seq = m.sequence;
    let mut a = m.into_active_model();
    a.title = Set(d.title.clone());
    a.agenda_md = Set(d.agenda.clone());
    a.place = Set(non_empty(&d.place));
    a.online_url = Set(non_empty(&d.online_url));
    a.starts_at = Set(v.starts_at);
    a.ends_at = Set(v.ends_at);
    a.capacity = Set(v.capacity);
    a.max_party = Set(v.max_party);
    a.audience = Set(serde_json::to_string(&v.audience).unwrap_or_else(|_| "{}".into()));
    a.lang = Set(d.lang.clone());
    a.updated_at = Set(Utc::now());
    if invited && moved {
        a.sequence = Set(seq + 1);
    }
    let m = a.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        "meeting.update",
        "meeting",
        m.id,
        Some(&before),
        Some(&summary(&m)),
    )
    .await?;
    let mut effect = EditEffect::None;
    if invited {
        sync_event(&txn, &m, &p.config.server.public_url).await?;
        schedule_reminder(&txn, p, &m).await?;
        promote(&txn, &m.id, p).await?;
        if moved {
            let list = inv::Entity::find()
                .filter(inv::Column::MeetingId.eq(m.id))
                .filter(inv::Column::Status.ne(InvitationStatus::Declined))
                .all(&txn)
                .await?;
            let letters = Letters::new(&txn, p).await?;
            for i in &list {
                enqueue_meeting_mail(&txn, &letters, &m, i, "meeting_changed", "REQUEST").await?;
            }
            effect = EditEffect::Notified(list.len());
        }
    }
    txn.commit().await?;
    Ok((m, effect))
}

/// Locks the meeting row for the rest of the transaction (answers, invitations and edits of
/// one meeting are serialised).
async fn lock<C: ConnectionTrait>(db: &C, id: i64) -> Result<(), DbErr> {
    meeting::Entity::update_many()
        .col_expr(
            meeting::Column::SeatsTaken,
            Expr::col(meeting::Column::SeatsTaken),
        )
        .filter(meeting::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// How long before the start invitations may go out without a reason.
pub fn too_late(m: &meeting::Model, now: DateTime<Utc>, min_days: i64) -> bool {
    m.starts_at - now < Duration::days(min_days)
}

#[derive(Debug, PartialEq, Eq)]
pub enum InviteError {
    /// Cancelled or already over.
    Closed,
    /// Later than the minimum notice and no (or too short a) reason.
    ReasonNeeded,
    /// Nobody new to invite.
    NoOne,
}

/// Sends invitations to everyone in the audience not invited yet. Returns how many went out.
pub async fn invite(
    p: &crate::Platform,
    db: &DatabaseConnection,
    id: i64,
    reason: &str,
    actor: &Actor,
) -> Result<Result<usize, InviteError>, DbErr> {
    let now = Utc::now();
    let txn = wspolnie_platform::db::begin_write(db).await?;
    lock(&txn, id).await?;
    let Some(m) = meeting::Entity::find_by_id(id).one(&txn).await? else {
        return Err(DbErr::RecordNotFound("meeting".into()));
    };
    if !allowed(m.status, Status::Invited) || m.starts_at <= now {
        return Ok(Err(InviteError::Closed));
    }
    let reason = reason.trim();
    let late = too_late(&m, now, p.config.meetings.min_notice_days);
    if late && reason.chars().count() < REASON_MIN {
        return Ok(Err(InviteError::ReasonNeeded));
    }
    let audience = Audience::parse(&m.audience);
    let targets = mailings::expand_audience(&txn, &audience, &m.lang).await?;
    let existing: HashSet<String> = inv::Entity::find()
        .filter(inv::Column::MeetingId.eq(m.id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|i| i.email)
        .collect();
    let fresh: Vec<_> = targets
        .into_iter()
        .filter(|t| !existing.contains(&t.email))
        .collect();
    if fresh.is_empty() {
        return Ok(Err(InviteError::NoOne));
    }
    let mut a = m.clone().into_active_model();
    a.status = Set(Status::Invited);
    if m.invited_at.is_none() {
        a.invited_at = Set(Some(now));
    }
    if late {
        a.invite_reason = Set(Some(reason.to_owned()));
    }
    a.updated_at = Set(now);
    let m = a.update(&txn).await?;
    let letters = Letters::new(&txn, p).await?;
    for t in &fresh {
        let row = inv::ActiveModel {
            meeting_id: Set(m.id),
            email: Set(t.email.clone()),
            lang: Set(t.lang.clone()),
            source: Set(t.source.to_owned()),
            organization_id: Set(if t.source == "organization" {
                t.source_id
            } else {
                None
            }),
            status: Set(InvitationStatus::Invited),
            party_size: Set(1),
            comment: Set(String::new()),
            responded_at: Set(None),
            waitlisted_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        enqueue_meeting_mail(&txn, &letters, &m, &row, "meeting_invitation", "REQUEST").await?;
    }
    sync_event(&txn, &m, &p.config.server.public_url).await?;
    schedule_reminder(&txn, p, &m).await?;
    audit::record(
        &txn,
        actor,
        if late {
            "meeting.invite_late"
        } else {
            "meeting.invite"
        },
        "meeting",
        m.id,
        None::<&()>,
        Some(&serde_json::json!({
            "invited": fresh.len(),
            "days_before": (m.starts_at - now).num_days(),
            "min_notice_days": p.config.meetings.min_notice_days,
            "reason": if late { Some(reason) } else { None },
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(fresh.len()))
}

/// Cancels a meeting: invitees who have not declined get a cancellation (iCalendar CANCEL); the
/// calendar entry is cancelled too.
pub async fn cancel(
    p: &crate::Platform,
    db: &DatabaseConnection,
    id: i64,
    actor: &Actor,
) -> Result<bool, DbErr> {
    let txn = wspolnie_platform::db::begin_write(db).await?;
    lock(&txn, id).await?;
    let Some(m) = meeting::Entity::find_by_id(id).one(&txn).await? else {
        return Ok(false);
    };
    if !allowed(m.status, Status::Cancelled) {
        return Ok(false);
    }
    let was_invited = m.status == Status::Invited;
    let before = summary(&m);
    let seq = m.sequence;
    let mut a = m.into_active_model();
    a.status = Set(Status::Cancelled);
    a.sequence = Set(seq + 1);
    a.updated_at = Set(Utc::now());
    let m = a.update(&txn).await?;
    if was_invited {
        let letters = Letters::new(&txn, p).await?;
        for i in inv::Entity::find()
            .filter(inv::Column::MeetingId.eq(m.id))
            .filter(inv::Column::Status.ne(InvitationStatus::Declined))
            .all(&txn)
            .await?
        {
            enqueue_meeting_mail(&txn, &letters, &m, &i, "meeting_cancelled", "CANCEL").await?;
        }
    }
    sync_event(&txn, &m, &p.config.server.public_url).await?;
    audit::record(
        &txn,
        actor,
        "meeting.cancel",
        "meeting",
        m.id,
        Some(&before),
        Some(&summary(&m)),
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// Keeps the meeting's calendar entry (an `events` row of category `spotkanie`, published while
/// the meeting is invited, cancelled with it) in step with the meeting.
pub(crate) async fn sync_event<C: ConnectionTrait>(
    db: &C,
    m: &meeting::Model,
    public_url: &str,
) -> Result<(), DbErr> {
    let page = format!("{}/spotkania/{}", public_url.trim_end_matches('/'), m.slug);
    let (event_id, fresh) = crate::calendar::office::upsert(
        db,
        crate::calendar::office::OfficeEntry {
            event_id: m.event_id,
            slug: format!("spotkanie-{}", m.slug),
            title: &m.title,
            description_md: &m.agenda_md,
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            place: m.place.clone(),
            url: page,
            category: "spotkanie",
            created_by: m.created_by,
            cancelled: m.status == Status::Cancelled,
        },
    )
    .await?;
    if fresh {
        meeting::Entity::update_many()
            .col_expr(meeting::Column::EventId, Expr::value(event_id))
            .filter(meeting::Column::Id.eq(m.id))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Enqueues the reminders for the current start (a moved meeting gets a new job; the old one
/// finds the start changed and does nothing).
async fn schedule_reminder<C: ConnectionTrait>(
    db: &C,
    p: &crate::Platform,
    m: &meeting::Model,
) -> Result<(), DbErr> {
    let hours = p.config.meetings.reminder_hours;
    if hours <= 0 {
        return Ok(());
    }
    let at = m.starts_at - Duration::hours(hours);
    let now = Utc::now();
    if m.starts_at <= now {
        return Ok(());
    }
    jobs::enqueue(
        db,
        NewJob::new(
            REMINDER_JOB,
            ReminderPayload {
                meeting_id: m.id,
                starts_at: m.starts_at,
            },
        )
        .key(format!(
            "meeting-{}-reminders-{}",
            m.id,
            m.starts_at.timestamp()
        ))
        .at(std::cmp::max(at, now)),
    )
    .await?;
    Ok(())
}

// ---------- answers ----------

/// HMAC over an invitation: the signature of its answer links.
pub fn signature(secret: &[u8], id: i64, email: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(b"meeting-invitation\0");
    mac.update(id.to_string().as_bytes());
    mac.update(b"\0");
    mac.update(email.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The answer page of an invitation (`choice`: `tak`, `nie` or empty).
pub fn answer_url(
    base: &str,
    secret: &[u8],
    m: &meeting::Model,
    i: &inv::Model,
    choice: &str,
) -> String {
    let mut u = format!(
        "{}/spotkania/{}/odpowiedz?i={}&s={}",
        base.trim_end_matches('/'),
        m.slug,
        i.id,
        signature(secret, i.id, &i.email)
    );
    if !choice.is_empty() {
        u.push_str("&a=");
        u.push_str(choice);
    }
    u
}

/// The invitation of a signed link, with its meeting; `None` for a wrong signature.
pub async fn by_signature<C: ConnectionTrait>(
    db: &C,
    secret: &[u8],
    slug: &str,
    id: i64,
    sig: &str,
) -> Result<Option<(inv::Model, meeting::Model)>, DbErr> {
    let Some(i) = inv::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let good = signature(secret, i.id, &i.email);
    if !crate::mailings::newsletter::constant_time_eq(good.as_bytes(), sig.as_bytes()) {
        return Ok(None);
    }
    let Some(m) = meeting::Entity::find_by_id(i.meeting_id).one(db).await? else {
        return Ok(None);
    };
    if m.slug != slug {
        return Ok(None);
    }
    Ok(Some((i, m)))
}

#[derive(Debug, Clone)]
pub struct Answer {
    pub attending: bool,
    pub party_size: i32,
    pub comment: String,
}

#[derive(Debug, PartialEq, Eq)]
pub enum AnswerError {
    /// Cancelled, not invited yet, or already started.
    Closed,
    BadParty,
    CommentTooLong,
    /// A larger party than before does not fit; the earlier answer stands.
    NoRoom {
        left: i32,
    },
}

/// Records an answer; returns the invitation's new status (`attending`, `waitlisted` or
/// `declined`).
pub async fn answer(
    p: &crate::Platform,
    db: &DatabaseConnection,
    invitation_id: i64,
    a: &Answer,
) -> Result<Result<InvitationStatus, AnswerError>, DbErr> {
    let now = Utc::now();
    let comment = a.comment.trim().to_owned();
    if comment.chars().count() > COMMENT_MAX {
        return Ok(Err(AnswerError::CommentTooLong));
    }
    let Some(first) = inv::Entity::find_by_id(invitation_id).one(db).await? else {
        return Err(DbErr::RecordNotFound("invitation".into()));
    };
    let txn = wspolnie_platform::db::begin_write(db).await?;
    lock(&txn, first.meeting_id).await?;
    let (Some(i), Some(m)) = (
        inv::Entity::find_by_id(invitation_id).one(&txn).await?,
        meeting::Entity::find_by_id(first.meeting_id)
            .one(&txn)
            .await?,
    ) else {
        return Err(DbErr::RecordNotFound("invitation".into()));
    };
    if m.status != Status::Invited || m.starts_at <= now {
        return Ok(Err(AnswerError::Closed));
    }
    if a.attending && !(1..=m.max_party).contains(&a.party_size) {
        return Ok(Err(AnswerError::BadParty));
    }
    let held = if i.status == InvitationStatus::Attending {
        i.party_size
    } else {
        0
    };
    let party = if a.attending {
        a.party_size
    } else {
        i.party_size
    };
    let (status, waitlisted_at) = if !a.attending {
        if held > 0 {
            add_seats(&txn, m.id, -held, None).await?;
        }
        (InvitationStatus::Declined, None)
    } else if held > 0 {
        let delta = a.party_size - held;
        if delta != 0 && !add_seats(&txn, m.id, delta, m.capacity).await? {
            let left = m.capacity.unwrap_or(0) - m.seats_taken;
            return Ok(Err(AnswerError::NoRoom {
                left: std::cmp::max(left, 0),
            }));
        }
        (InvitationStatus::Attending, None)
    } else if add_seats(&txn, m.id, a.party_size, m.capacity).await? {
        (InvitationStatus::Attending, None)
    } else {
        // Keeps its place in the queue when a waiting answer is changed.
        (InvitationStatus::Waitlisted, Some(i.waitlisted_at.unwrap_or(now)))
    };
    crate::lifecycle::check("invitation", i.status, status, invitation_allowed)?;
    let mut row = i.into_active_model();
    row.status = Set(status);
    row.party_size = Set(party);
    row.comment = Set(comment);
    row.responded_at = Set(Some(now));
    row.waitlisted_at = Set(waitlisted_at);
    row.updated_at = Set(now);
    row.update(&txn).await?;
    promote(&txn, &m.id, p).await?;
    txn.commit().await?;
    Ok(Ok(status))
}

/// Adds (or with a negative `n`, frees) places; with a capacity, only if they fit.
async fn add_seats<C: ConnectionTrait>(
    db: &C,
    meeting_id: i64,
    n: i32,
    capacity: Option<i32>,
) -> Result<bool, DbErr> {
    let mut q = meeting::Entity::update_many()
        .col_expr(
            meeting::Column::SeatsTaken,
            Expr::col(meeting::Column::SeatsTaken).add(n),
        )
        .filter(meeting::Column::Id.eq(meeting_id));
    if let (Some(c), true) = (capacity, n > 0) {
        q = q.filter(Expr::col(meeting::Column::SeatsTaken).add(n).lte(c));
    }
    Ok(q.exec(db).await?.rows_affected == 1)
}

/// Gives free places to waiting answers in the order they came, each one that fits; those
/// promoted are told by e-mail.
async fn promote<C: ConnectionTrait>(
    db: &C,
    meeting_id: &i64,
    p: &crate::Platform,
) -> Result<usize, DbErr> {
    let Some(m) = meeting::Entity::find_by_id(*meeting_id).one(db).await? else {
        return Ok(0);
    };
    let Some(capacity) = m.capacity else {
        return Ok(0);
    };
    let mut free = capacity - m.seats_taken;
    let mut n = 0;
    if free <= 0 {
        return Ok(0);
    }
    let waiting = inv::Entity::find()
        .filter(inv::Column::MeetingId.eq(m.id))
        .filter(inv::Column::Status.eq(InvitationStatus::Waitlisted))
        .order_by_asc(inv::Column::WaitlistedAt)
        .order_by_asc(inv::Column::Id)
        .all(db)
        .await?;
    if waiting.is_empty() {
        return Ok(0);
    }
    let letters = Letters::new(db, p).await?;
    for w in waiting {
        if w.party_size > free {
            continue;
        }
        if !add_seats(db, m.id, w.party_size, m.capacity).await? {
            continue;
        }
        free -= w.party_size;
        n += 1;
        crate::lifecycle::check(
            "invitation",
            w.status,
            InvitationStatus::Attending,
            invitation_allowed,
        )?;
        let mut a = w.clone().into_active_model();
        a.status = Set(InvitationStatus::Attending);
        a.waitlisted_at = Set(None);
        a.updated_at = Set(Utc::now());
        let w = a.update(db).await?;
        enqueue_meeting_mail(db, &letters, &m, &w, "meeting_seat", "REQUEST").await?;
    }
    Ok(n)
}

// ---------- mail ----------

/// "10.12.2026, 18:00–20:00" in Warsaw time (the end date too when it is another day).
pub fn when_text(starts: DateTime<Utc>, ends: DateTime<Utc>) -> String {
    let s = to_local(starts);
    let e = to_local(ends);
    if s.date_naive() == e.date_naive() {
        format!(
            "{}, {}–{}",
            s.format("%d.%m.%Y"),
            s.format("%H:%M"),
            e.format("%H:%M")
        )
    } else {
        format!(
            "{}, {} – {}, {}",
            s.format("%d.%m.%Y"),
            s.format("%H:%M"),
            e.format("%d.%m.%Y"),
            e.format("%H:%M")
        )
    }
}

fn host_of(base: &str) -> String {
    url::Url::parse(base)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "localhost".to_owned())
}

/// The meeting as iCalendar for one invitee (`method`: `REQUEST` or `CANCEL`).
pub fn invitation_ics(
    m: &meeting::Model,
    base: &str,
    organizer: &str,
    attendee: Option<&inv::Model>,
    method: &str,
) -> String {
    let base = base.trim_end_matches('/');
    let mut w = ics::Writer::new();
    w.raw("BEGIN", "VCALENDAR");
    w.raw("VERSION", "2.0");
    w.raw("PRODID", "-//Wspolnie//Meetings//EN");
    w.raw("CALSCALE", "GREGORIAN");
    w.raw("METHOD", method);
    for (k, v) in ics::VTIMEZONE {
        w.raw(k, v);
    }
    w.raw("BEGIN", "VEVENT");
    w.raw("UID", &format!("meeting-{}@{}", m.id, host_of(base)));
    w.raw("SEQUENCE", &m.sequence.to_string());
    w.raw("DTSTAMP", &ics::utc(m.updated_at));
    w.raw("DTSTART;TZID=Europe/Warsaw", &ics::local(m.starts_at));
    w.raw("DTEND;TZID=Europe/Warsaw", &ics::local(m.ends_at));
    w.text("SUMMARY", &m.title);
    let page = format!("{base}/spotkania/{}", m.slug);
    let mut description = wspolnie_platform::markdown::to_mail_text(&m.agenda_md);
    if let Some(u) = &m.online_url {
        description.push_str("\n\n");
        description.push_str(u);
    }
    description.push_str("\n\n");
    description.push_str(&page);
    w.text("DESCRIPTION", description.trim());
    if let Some(l) = m.place.clone().or_else(|| m.online_url.clone()) {
        w.text("LOCATION", &l);
    }
    w.raw("URL", &page);
    w.raw("ORGANIZER", &format!("mailto:{organizer}"));
    if let Some(i) = attendee {
        let partstat = match i.status {
            InvitationStatus::Attending => "ACCEPTED",
            InvitationStatus::Declined => "DECLINED",
            InvitationStatus::Waitlisted => "TENTATIVE",
            _ => "NEEDS-ACTION",
        };
        w.raw(
            &format!("ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT={partstat};RSVP=TRUE"),
            &format!("mailto:{}", i.email),
        );
    }
    w.raw(
        "STATUS",
        if method == "CANCEL" {
            "CANCELLED"
        } else {
            "CONFIRMED"
        },
    );
    w.raw("END", "VEVENT");
    w.raw("END", "VCALENDAR");
    w.finish()
}

/// Puts one meeting message for one invitee into the outbox (with the iCalendar attachment).
/// What every meeting message of one operation shares, read once per operation (the signing
/// secret is a database read).
struct Letters {
    base: String,
    secret: String,
    organizer: String,
}

impl Letters {
    async fn new<C: ConnectionTrait>(db: &C, p: &crate::Platform) -> Result<Letters, DbErr> {
        Ok(Letters {
            base: p.config.server.public_url.trim_end_matches('/').to_owned(),
            secret: wspolnie_platform::settings::signing_secret(db, &p.config).await?,
            organizer: p.mailer.from_address().email.to_string(),
        })
    }
}

async fn enqueue_meeting_mail<C: ConnectionTrait>(
    db: &C,
    letters: &Letters,
    m: &meeting::Model,
    i: &inv::Model,
    template: &str,
    method: &str,
) -> Result<(), DbErr> {
    let base = &letters.base;
    let secret = letters.secret.as_bytes();
    let lang = Lang::parse(&i.lang).unwrap_or_default();
    let mut vars = serde_json::Map::new();
    let mut put = |k: &str, v: String| {
        vars.insert(k.to_owned(), serde_json::Value::String(v));
    };
    put("title", m.title.clone());
    put("when", when_text(m.starts_at, m.ends_at));
    put(
        "place",
        m.place
            .clone()
            .unwrap_or_else(|| lang.t("meeting-online-only")),
    );
    put("online", m.online_url.clone().unwrap_or_default());
    put("agenda", wspolnie_platform::markdown::to_mail_text(&m.agenda_md));
    put("minutes", wspolnie_platform::markdown::to_mail_text(&m.minutes_md));
    put("page", format!("{base}/spotkania/{}", m.slug));
    put("link", answer_url(base, secret, m, i, ""));
    put("yes", answer_url(base, secret, m, i, "tak"));
    put("no", answer_url(base, secret, m, i, "nie"));
    put("status", i.status.as_str().to_owned());
    put("party", i.party_size.to_string());
    let ics = invitation_ics(m, base, &letters.organizer, Some(i), method);
    if template != "meeting_minutes" {
        vars.insert(
            mail::ATTACHMENTS_VAR.to_owned(),
            serde_json::json!([{
                "filename": "spotkanie.ics",
                "content_type": format!("text/calendar; charset=utf-8; method={method}"),
                "content": ics,
            }]),
        );
    }
    let key = format!(
        "meeting-{}-{}-{}-{}",
        m.id,
        template,
        i.id,
        match template {
            "meeting_changed" | "meeting_cancelled" => m.sequence.to_string(),
            "meeting_seat" => Utc::now().timestamp_millis().to_string(),
            _ => m.starts_at.timestamp().to_string(),
        }
    );
    mail::enqueue_mail(
        db,
        MailJob {
            to: i.email.clone(),
            template: template.to_owned(),
            lang,
            vars,
        },
        Some(key),
    )
    .await?;
    Ok(())
}

#[derive(Debug, Serialize, Deserialize)]
struct ReminderPayload {
    meeting_id: i64,
    starts_at: DateTime<Utc>,
}

/// Sends the reminders of a meeting (those who have not answered are asked to, those who attend
/// are reminded); does nothing when the meeting moved or was cancelled since it was scheduled.
pub struct ReminderHandler;

#[async_trait::async_trait]
impl JobHandler for ReminderHandler {
    async fn run(&self, ctx: &JobContext, job: &ClaimedJob) -> Result<(), JobError> {
        let p: ReminderPayload = serde_json::from_value(job.payload.clone())
            .map_err(|e| JobError::Permanent(format!("bad payload: {e}")))?;
        send_reminders(ctx, p.meeting_id, p.starts_at)
            .await
            .map(|_| ())
            .map_err(|e| JobError::Retry(e.to_string()))
    }
}

/// The reminders for a meeting starting at `starts_at`; returns how many were queued.
pub async fn send_reminders(
    p: &crate::Platform,
    meeting_id: i64,
    starts_at: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let db = &p.db.conn;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let Some(m) = meeting::Entity::find_by_id(meeting_id).one(&txn).await? else {
        return Ok(0);
    };
    if m.status != Status::Invited || m.starts_at != starts_at || m.starts_at <= Utc::now() {
        return Ok(0);
    }
    let list = inv::Entity::find()
        .filter(inv::Column::MeetingId.eq(m.id))
        .filter(inv::Column::Status.is_in([InvitationStatus::Invited, InvitationStatus::Attending]))
        .order_by_asc(inv::Column::Id)
        .all(&txn)
        .await?;
    let letters = Letters::new(&txn, p).await?;
    for i in &list {
        let template = if i.status == InvitationStatus::Attending {
            "meeting_reminder"
        } else {
            "meeting_reminder_answer"
        };
        enqueue_meeting_mail(&txn, &letters, &m, i, template, "REQUEST").await?;
    }
    txn.commit().await?;
    Ok(list.len())
}

// ---------- minutes ----------

/// Saves the minutes; `publish` shows them on the meeting page and sends them to those who
/// attended (once: a later correction is published without a second mailing).
pub async fn save_minutes(
    p: &crate::Platform,
    db: &DatabaseConnection,
    id: i64,
    md: &str,
    publish: bool,
    actor: &Actor,
) -> Result<usize, DbErr> {
    let txn = wspolnie_platform::db::begin_write(db).await?;
    lock(&txn, id).await?;
    let Some(m) = meeting::Entity::find_by_id(id).one(&txn).await? else {
        return Err(DbErr::RecordNotFound("meeting".into()));
    };
    let first = publish && m.minutes_published_at.is_none();
    let mut a = m.into_active_model();
    a.minutes_md = Set(md.trim_end().to_owned());
    if first {
        a.minutes_published_at = Set(Some(Utc::now()));
    }
    a.updated_at = Set(Utc::now());
    let m = a.update(&txn).await?;
    let mut sent = 0;
    if first {
        let letters = Letters::new(&txn, p).await?;
        for i in inv::Entity::find()
            .filter(inv::Column::MeetingId.eq(m.id))
            .filter(inv::Column::Status.eq(InvitationStatus::Attending))
            .all(&txn)
            .await?
        {
            enqueue_meeting_mail(&txn, &letters, &m, &i, "meeting_minutes", "").await?;
            sent += 1;
        }
    }
    audit::record(
        &txn,
        actor,
        if first {
            "meeting.minutes_publish"
        } else {
            "meeting.minutes"
        },
        "meeting",
        m.id,
        None::<&()>,
        Some(&serde_json::json!({ "length": m.minutes_md.len(), "sent": sent })),
    )
    .await?;
    txn.commit().await?;
    Ok(sent)
}

// ---------- reading ----------

#[derive(Debug, Default, Clone)]
pub struct Counts {
    pub invited: i64,
    pub attending: i64,
    pub waitlisted: i64,
    pub declined: i64,
    /// People confirmed (sum of party sizes).
    pub people: i64,
}

pub async fn counts<C: ConnectionTrait>(db: &C, meeting_id: i64) -> Result<Counts, DbErr> {
    let mut c = Counts::default();
    for i in inv::Entity::find()
        .filter(inv::Column::MeetingId.eq(meeting_id))
        .all(db)
        .await?
    {
        match i.status {
            InvitationStatus::Attending => {
                c.attending += 1;
                c.people += i64::from(i.party_size);
            }
            InvitationStatus::Waitlisted => c.waitlisted += 1,
            InvitationStatus::Declined => c.declined += 1,
            _ => c.invited += 1,
        }
    }
    Ok(c)
}

/// Invitations reaching a person: sent to their address or to an organisation they belong to.
pub async fn invitations_for<C: ConnectionTrait>(
    db: &C,
    email: &str,
    organization_ids: &[i64],
) -> Result<Vec<(inv::Model, meeting::Model)>, DbErr> {
    let email = normalize_email(email).unwrap_or_default();
    let mut cond = sea_orm::Condition::any().add(inv::Column::Email.eq(email));
    if !organization_ids.is_empty() {
        cond = cond.add(inv::Column::OrganizationId.is_in(organization_ids.to_vec()));
    }
    let list = inv::Entity::find()
        .filter(cond)
        .order_by_desc(inv::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = list.iter().map(|i| i.meeting_id).collect();
    let meetings: std::collections::HashMap<i64, meeting::Model> = meeting::Entity::find()
        .filter(meeting::Column::Id.is_in(ids))
        .filter(meeting::Column::Status.ne(Status::Draft))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let mut out: Vec<_> = list
        .into_iter()
        .filter_map(|i| meetings.get(&i.meeting_id).cloned().map(|m| (i, m)))
        .collect();
    out.sort_by_key(|(_, m)| std::cmp::Reverse(m.starts_at));
    Ok(out)
}

/// Panel count for a person: invitations (to their address or their organisations) to meetings
/// still ahead that nobody has answered yet — the open rows of `/panel/moje-spotkania`.
pub fn my_unanswered_count<'a>(
    state: &'a wspolnie_web::AppState,
    a: &'a wspolnie_web::policy::Account,
) -> wspolnie_web::ctx::CountFuture<'a> {
    Box::pin(async move {
        let orgs: Vec<i64> = a.memberships.iter().map(|(o, _)| *o).collect();
        let now = Utc::now();
        let list = invitations_for(&state.platform.db.conn, &a.user.email, &orgs).await?;
        Ok(Some(
            list.iter()
                .filter(|(i, m)| {
                    i.status == inv::Status::Invited
                        && m.status == Status::Invited
                        && m.starts_at > now
                })
                .count() as u64,
        ))
    })
}

/// Panel count for officials: meetings still ahead with at least one invitation not answered.
pub fn unanswered_meetings_count<'a>(
    state: &'a wspolnie_web::AppState,
    _: &'a wspolnie_web::policy::Account,
) -> wspolnie_web::ctx::CountFuture<'a> {
    Box::pin(async move {
        use sea_orm::QuerySelect;
        let db = &state.platform.db.conn;
        let ahead: Vec<i64> = meeting::Entity::find()
            .select_only()
            .column(meeting::Column::Id)
            .filter(meeting::Column::Status.eq(Status::Invited))
            .filter(meeting::Column::StartsAt.gt(Utc::now()))
            .into_tuple()
            .all(db)
            .await?;
        if ahead.is_empty() {
            return Ok(Some(0));
        }
        let waiting: Vec<i64> = inv::Entity::find()
            .select_only()
            .column(inv::Column::MeetingId)
            .distinct()
            .filter(inv::Column::Status.eq(inv::Status::Invited))
            .filter(inv::Column::MeetingId.is_in(ahead))
            .into_tuple()
            .all(db)
            .await?;
        Ok(Some(waiting.len() as u64))
    })
}
