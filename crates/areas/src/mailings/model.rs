//! Mailings by officials (seed 000 pt 3 and 6; seed 001: calendar and grant-call information to
//! all organisations), the weekly digest for subscribers and address-check campaigns.
//!
//! - A mailing is written in Markdown; when sending is ordered the HTML and plain-text bodies are
//!   rendered once and stored, so what goes out is what was previewed.
//! - The audience (organisations' contact addresses, organisations by sphere, newsletter
//!   subscribers by topic, custom addresses) is expanded into `mailing_recipients` when sending
//!   starts, in one transaction; the unique (mailing, address) index makes a second expansion a
//!   no-op. Addresses known to bounce are recorded as `skipped`.
//! - Delivery (`mailing.deliver` job) walks the pending recipients over `connections` SMTP
//!   sessions, paced to `rate_per_second`. Each recipient is marked `sent` by a conditional
//!   UPDATE *before* the terminating dot of its message (see `smtp.rs`), so neither a crash nor a
//!   second worker can send it twice. Temporary failures are retried with backoff; a permanent
//!   refusal of the recipient marks the address as bouncing (`email_bounces`, and the directory
//!   profile's `email_bounced_at`).

use crate::moderation::lifecycle::Publication;
use crate::accounts::model::normalize_email;
use wspolnie_platform::audit;
use wspolnie_platform::audit::Actor;
use wspolnie_platform::config::MailTransport;
use crate::mailings::entity::email_bounce;
use crate::mailings::entity::mailing;
use crate::mailings::entity::mailing_recipient as rcpt;
use crate::mailings::entity::newsletter_subscriber;
use crate::directory::entity::organization;
use crate::directory::entity::organization_sphere;
use wspolnie_platform::entity::sphere;
use wspolnie_platform::i18n::Lang;
use wspolnie_platform::jobs;
use wspolnie_platform::jobs::ClaimedJob;
use wspolnie_platform::jobs::JobContext;
use wspolnie_platform::jobs::JobError;
use wspolnie_platform::jobs::JobHandler;
use wspolnie_platform::jobs::NewJob;
use wspolnie_platform::mail::fallback_lang;
use wspolnie_platform::mail::MailError;
use wspolnie_platform::mail::RenderedMail;
use crate::mailings::smtp::Delivery;
use crate::mailings::smtp::Finish;
use crate::mailings::smtp::SmtpSession;
use askama::Template;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::collections::HashSet;
use std::sync::Arc;

pub const KIND_MANUAL: &str = "manual";
pub const KIND_DIGEST: &str = "digest";
pub const KIND_ADDRESS_CHECK: &str = "address_check";

/// The life cycles of a mailing and of its recipients, each with its one transition function.
pub use crate::mailings::entity::mailing::{Status, allowed};
pub use crate::mailings::entity::mailing_recipient::{
    Status as RecipientStatus, allowed as recipient_allowed,
};

/// The conditional UPDATE that moves a mailing from `from` to `to` (it changes no row when
/// someone else moved it first); refused when the life cycle forbids the move. Callers add the
/// other columns.
pub fn move_mailing(
    id: i64,
    from: Status,
    to: Status,
) -> Result<sea_orm::UpdateMany<mailing::Entity>, DbErr> {
    crate::lifecycle::check("mailing", from, to, allowed)?;
    Ok(mailing::Entity::update_many()
        .col_expr(mailing::Column::Status, Expr::value(to))
        .filter(mailing::Column::Id.eq(id))
        .filter(mailing::Column::Status.eq(from)))
}

/// The UPDATE that moves a recipient to `to` (conditional on `from` when `only_from`); refused
/// when the life cycle forbids the move. Callers add the other columns.
fn move_recipient(
    id: i64,
    from: RecipientStatus,
    to: RecipientStatus,
    only_from: bool,
) -> Result<sea_orm::UpdateMany<rcpt::Entity>, DbErr> {
    crate::lifecycle::check("recipient", from, to, recipient_allowed)?;
    let q = rcpt::Entity::update_many()
        .col_expr(rcpt::Column::Status, Expr::value(to))
        .filter(rcpt::Column::Id.eq(id));
    Ok(if only_from {
        q.filter(rcpt::Column::Status.eq(from))
    } else {
        q
    })
}

pub const DELIVER_JOB: &str = "mailing.deliver";
pub const TEST_JOB: &str = "mailing.test";
pub const DIGEST_JOB: &str = "mailing.digest";

/// Recipients read from the database at a time during delivery.
const BATCH: u64 = 400;
/// Most custom addresses one mailing takes.
const MAX_CUSTOM: usize = 5000;

/// Who receives a mailing; the parts add up (an address gets one message).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Audience {
    /// The contact address of every published organisation.
    #[serde(default)]
    pub organizations: bool,
    /// Published organisations active in any of these spheres (codes).
    #[serde(default)]
    pub spheres: Vec<String>,
    /// Active newsletter subscribers who chose any of these topics.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Only subscribers who chose this language (the digest goes out once per language).
    #[serde(default)]
    pub subscriber_lang: Option<String>,
    /// Addresses typed in by the official.
    #[serde(default)]
    pub custom: Vec<String>,
    /// Everyone invited to this meeting who has not declined (or, with `meeting_attending`,
    /// only those confirmed to attend).
    #[serde(default)]
    pub meeting: Option<i64>,
    #[serde(default)]
    pub meeting_attending: bool,
}

impl Audience {
    pub fn is_empty(&self) -> bool {
        !self.organizations
            && self.spheres.is_empty()
            && self.topics.is_empty()
            && self.custom.is_empty()
            && self.meeting.is_none()
    }

    pub fn parse(json: &str) -> Audience {
        serde_json::from_str(json).unwrap_or_default()
    }
}

/// A recipient before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub email: String,
    pub lang: String,
    pub source: &'static str,
    pub source_id: Option<i64>,
}

/// Everyone the audience reaches now, one entry per address (organisations first, then
/// subscribers, then custom addresses).
pub async fn expand_audience<C: ConnectionTrait>(
    db: &C,
    a: &Audience,
    lang: &str,
) -> Result<Vec<Target>, DbErr> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut push = |t: Target, out: &mut Vec<Target>| {
        if seen.insert(t.email.clone()) {
            out.push(t);
        }
    };
    if a.organizations || !a.spheres.is_empty() {
        let mut q = organization::Entity::find()
            .filter(organization::Column::Status.eq(organization::Status::Published))
            .filter(organization::Column::Email.is_not_null())
            .order_by_asc(organization::Column::Id);
        if !a.organizations {
            let sphere_ids: Vec<i64> = sphere::Entity::find()
                .filter(sphere::Column::Code.is_in(a.spheres.clone()))
                .all(db)
                .await?
                .into_iter()
                .map(|s| s.id)
                .collect();
            let org_ids: Vec<i64> = organization_sphere::Entity::find()
                .filter(organization_sphere::Column::SphereId.is_in(sphere_ids))
                .all(db)
                .await?
                .into_iter()
                .map(|s| s.organization_id)
                .collect();
            q = q.filter(organization::Column::Id.is_in(org_ids));
        }
        for o in q.all(db).await? {
            if let Some(e) = o.email.as_deref().and_then(normalize_email) {
                push(
                    Target {
                        email: e,
                        lang: lang.to_owned(),
                        source: "organization",
                        source_id: Some(o.id),
                    },
                    &mut out,
                );
            }
        }
    }
    if !a.topics.is_empty() {
        let subs = newsletter_subscriber::Entity::find()
            .filter(newsletter_subscriber::Column::Status.eq(crate::mailings::newsletter::Status::Active))
            .order_by_asc(newsletter_subscriber::Column::Id)
            .all(db)
            .await?;
        for s in subs {
            let chosen = crate::mailings::newsletter::topics_of(&s);
            if !a.topics.iter().any(|t| chosen.contains(&t.as_str())) {
                continue;
            }
            if a.subscriber_lang.as_deref().is_some_and(|l| l != s.lang) {
                continue;
            }
            push(
                Target {
                    email: s.email.clone(),
                    lang: s.lang.clone(),
                    source: "subscriber",
                    source_id: Some(s.id),
                },
                &mut out,
            );
        }
    }
    if let Some(meeting_id) = a.meeting {
        use crate::meetings::entity::meeting_invitation as inv;
        let statuses: &[inv::Status] = if a.meeting_attending {
            &[inv::Status::Attending]
        } else {
            &[
                inv::Status::Invited,
                inv::Status::Attending,
                inv::Status::Waitlisted,
            ]
        };
        for i in inv::Entity::find()
            .filter(inv::Column::MeetingId.eq(meeting_id))
            .filter(inv::Column::Status.is_in(statuses.iter().copied()))
            .order_by_asc(inv::Column::Id)
            .all(db)
            .await?
        {
            push(
                Target {
                    email: i.email.clone(),
                    lang: i.lang.clone(),
                    source: "meeting",
                    source_id: Some(i.id),
                },
                &mut out,
            );
        }
    }
    for c in &a.custom {
        if let Some(e) = normalize_email(c) {
            push(
                Target {
                    email: e,
                    lang: lang.to_owned(),
                    source: "custom",
                    source_id: None,
                },
                &mut out,
            );
        }
    }
    Ok(out)
}

/// A mailing as the composer holds it (text as typed, so errors show back what was written).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MailingData {
    pub subject: String,
    pub body: String,
    pub lang: String,
    pub all_organizations: bool,
    pub spheres: Vec<String>,
    pub topics: Vec<String>,
    /// One address per line (commas and semicolons also separate).
    pub custom: String,
    /// Id of a meeting whose invitees receive the mailing (empty = none).
    #[serde(default)]
    pub meeting: String,
    #[serde(default)]
    pub meeting_attending: bool,
    /// Warsaw wall-clock date and time of a scheduled send; empty = send when ordered.
    pub send_date: String,
    pub send_time: String,
}

pub use wspolnie_platform::validation::FieldErrors;

impl MailingData {
    pub fn from_model(m: &mailing::Model) -> MailingData {
        let a = Audience::parse(&m.audience);
        let (send_date, send_time) = match m.scheduled_at {
            Some(t) => {
                let l = wspolnie_core::time::to_local(t);
                (
                    l.format("%Y-%m-%d").to_string(),
                    l.format("%H:%M").to_string(),
                )
            }
            None => (String::new(), String::new()),
        };
        MailingData {
            subject: m.subject.clone(),
            body: m.body_md.clone(),
            lang: m.lang.clone(),
            all_organizations: a.organizations,
            spheres: a.spheres,
            topics: a.topics,
            custom: a.custom.join("\n"),
            meeting: a.meeting.map(|m| m.to_string()).unwrap_or_default(),
            meeting_attending: a.meeting_attending,
            send_date,
            send_time,
        }
    }

    /// Normalises in place and returns field errors (Fluent id + arguments), the audience and the
    /// scheduled time (`None` = now). `sending` checks what only matters when sending is ordered.
    pub fn validate(
        &mut self,
        spheres: &[String],
        now: DateTime<Utc>,
        sending: bool,
    ) -> (FieldErrors, Audience, Option<DateTime<Utc>>) {
        let mut e = FieldErrors::new();
        self.subject = self.subject.trim().to_owned();
        self.body = self.body.trim_end().to_owned();
        self.send_date = self.send_date.trim().to_owned();
        self.send_time = self.send_time.trim().to_owned();
        if !matches!(self.lang.as_str(), "pl" | "en") {
            self.lang = "pl".into();
        }
        let n = self.subject.chars().count();
        if !(3..=200).contains(&n) || self.subject.contains(['\r', '\n']) {
            e.insert("subject".into(), ("mailing-error-subject", vec![]));
        }
        if self.body.trim().is_empty() {
            e.insert("body".into(), ("mailing-error-body", vec![]));
        } else if self.body.len() > 100_000 {
            e.insert("body".into(), ("mailing-error-body-long", vec![]));
        }
        crate::mailings::limits::MAILING.check_fields(
            &mut e,
            &[
                ("subject", &self.subject),
                ("body", &self.body),
                ("custom", &self.custom),
                ("meeting", &self.meeting),
                ("send_date", &self.send_date),
                ("send_time", &self.send_time),
            ],
        );
        let mut a = audience_from_form(
            &mut e,
            spheres,
            self.all_organizations,
            &self.spheres,
            &self.topics,
            &self.custom,
        );
        if !self.meeting.is_empty() {
            match self.meeting.parse::<i64>() {
                Ok(id) => {
                    a.meeting = Some(id);
                    a.meeting_attending = self.meeting_attending;
                }
                Err(_) => {
                    e.insert("meeting".into(), ("mailing-error-meeting", vec![]));
                }
            }
        }
        if sending && a.is_empty() {
            e.insert("audience".into(), ("mailing-error-audience", vec![]));
        }
        let mut at = None;
        if !self.send_date.is_empty() || !self.send_time.is_empty() {
            let d = wspolnie_core::time::parse_form_date(&self.send_date);
            let t = wspolnie_core::time::parse_form_time(&self.send_time);
            match (d, t) {
                (Some(d), Some(t)) => match wspolnie_core::time::local_to_utc(d.and_time(t)) {
                    Some(u) if sending && u <= now => {
                        e.insert("send_date".into(), ("mailing-error-send-past", vec![]));
                    }
                    Some(u) => at = Some(u),
                    None => {
                        e.insert("send_date".into(), ("error-event-time-gap", vec![]));
                    }
                },
                _ => {
                    e.insert("send_date".into(), ("mailing-error-send-at", vec![]));
                }
            }
        }
        (e, a, at)
    }
}

/// The audience parts shared by the mailing composer and the meeting form: all organisations,
/// spheres (checked against `known`), newsletter topics and custom addresses (bad lines named in
/// the error).
pub fn audience_from_form(
    e: &mut FieldErrors,
    known: &[String],
    all_organizations: bool,
    spheres: &[String],
    topics: &[String],
    custom: &str,
) -> Audience {
    let mut a = Audience {
        organizations: all_organizations,
        ..Default::default()
    };
    for s in spheres {
        if !known.contains(s) {
            e.insert("spheres".into(), ("mailing-error-sphere", vec![]));
        } else if !a.spheres.contains(s) {
            a.spheres.push(s.clone());
        }
    }
    if a.organizations {
        a.spheres.clear();
    }
    a.topics = crate::mailings::newsletter::clean_topics(topics.iter().map(String::as_str))
        .into_iter()
        .map(str::to_owned)
        .collect();
    if a.topics.len() != topics.len() {
        e.insert("topics".into(), ("mailing-error-topic", vec![]));
    }
    let mut bad = Vec::new();
    for (i, line) in custom.lines().enumerate() {
        for part in line.split([',', ';']) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            match normalize_email(part) {
                Some(m) if !a.custom.contains(&m) => a.custom.push(m),
                Some(_) => {}
                None => bad.push(format!("{} ({part})", i + 1)),
            }
        }
    }
    if !bad.is_empty() {
        bad.truncate(5);
        e.insert(
            "custom".into(),
            ("mailing-error-custom", vec![("lines", bad.join(", "))]),
        );
    } else if a.custom.len() > MAX_CUSTOM {
        e.insert(
            "custom".into(),
            (
                "mailing-error-custom-many",
                vec![("max", MAX_CUSTOM.to_string())],
            ),
        );
    }
    a
}

/// A new draft mailing row (the one place a mailing is constructed).
fn new_draft(
    kind: &str,
    subject: &str,
    body_md: &str,
    audience: &Audience,
    lang: &str,
    created_by: Option<i64>,
) -> mailing::ActiveModel {
    let now = Utc::now();
    mailing::ActiveModel {
        kind: Set(kind.into()),
        subject: Set(subject.into()),
        body_md: Set(body_md.into()),
        body_html: Set(String::new()),
        body_text: Set(String::new()),
        audience: Set(serde_json::to_string(audience).unwrap_or_else(|_| "{}".into())),
        lang: Set(lang.into()),
        status: Set(Status::Draft),
        scheduled_at: Set(None),
        started_at: Set(None),
        finished_at: Set(None),
        test_sent_at: Set(None),
        recipients_total: Set(0),
        created_by: Set(created_by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// Saves a draft (new when `existing` is `None`). Only drafts can be edited.
pub async fn save_draft<C: ConnectionTrait>(
    db: &C,
    existing: Option<mailing::Model>,
    d: &MailingData,
    audience: &Audience,
    scheduled_at: Option<DateTime<Utc>>,
    actor: &Actor,
) -> Result<mailing::Model, DbErr> {
    let now = Utc::now();
    let audience_json = serde_json::to_string(audience).unwrap_or_else(|_| "{}".into());
    let saved = match existing {
        Some(m) => {
            let before = summary(&m);
            let mut a = m.into_active_model();
            a.subject = Set(d.subject.clone());
            a.body_md = Set(d.body.clone());
            a.lang = Set(d.lang.clone());
            a.audience = Set(audience_json);
            a.scheduled_at = Set(scheduled_at);
            a.updated_at = Set(now);
            let m = a.update(db).await?;
            audit::record(
                db,
                actor,
                "mailing.update",
                "mailing",
                m.id,
                Some(&before),
                Some(&summary(&m)),
            )
            .await?;
            m
        }
        None => {
            let mut a = new_draft(
                KIND_MANUAL,
                &d.subject,
                &d.body,
                audience,
                &d.lang,
                actor.user_id,
            );
            a.scheduled_at = Set(scheduled_at);
            let m = a.insert(db).await?;
            audit::record(
                db,
                actor,
                "mailing.create",
                "mailing",
                m.id,
                None::<&()>,
                Some(&summary(&m)),
            )
            .await?;
            m
        }
    };
    Ok(saved)
}

fn summary(m: &mailing::Model) -> serde_json::Value {
    serde_json::json!({
        "kind": m.kind,
        "subject": m.subject,
        "status": m.status,
        "audience": Audience::parse(&m.audience),
        "scheduled_at": m.scheduled_at,
    })
}

/// HTML (sanitised) and plain text of a Markdown body.
pub fn render_body(md: &str) -> (String, String) {
    (
        wspolnie_platform::markdown::to_html(md),
        wspolnie_platform::markdown::to_mail_text(md),
    )
}

/// Orders sending of a draft, now or at `at`: freezes the rendered body and enqueues delivery.
/// Returns false when the mailing is no longer a draft (someone else ordered it already).
pub async fn order_send<C: ConnectionTrait>(
    db: &C,
    m: &mailing::Model,
    at: Option<DateTime<Utc>>,
    actor: &Actor,
) -> Result<bool, DbErr> {
    let now = Utc::now();
    let (html, text) = render_body(&m.body_md);
    let run_at = at.unwrap_or(now);
    let res = move_mailing(m.id, Status::Draft, Status::Scheduled)?
        .col_expr(mailing::Column::BodyHtml, html.into())
        .col_expr(mailing::Column::BodyText, text.into())
        .col_expr(mailing::Column::ScheduledAt, Some(run_at).into())
        .col_expr(mailing::Column::UpdatedAt, now.into())
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Ok(false);
    }
    jobs::enqueue(
        db,
        NewJob::new(DELIVER_JOB, serde_json::json!({ "mailing_id": m.id }))
            .key(format!("mailing-{}-start-{}", m.id, run_at.timestamp()))
            .at(run_at)
            .attempts(20),
    )
    .await?;
    audit::record(
        db,
        actor,
        "mailing.send",
        "mailing",
        m.id,
        Some(&summary(m)),
        Some(&serde_json::json!({ "status": Status::Scheduled, "scheduled_at": run_at })),
    )
    .await?;
    Ok(true)
}

/// Stops a mailing: a scheduled one goes back to draft (it can be edited and ordered again), a
/// sending one stops after the message in flight. Returns false when there is nothing to stop.
pub async fn cancel<C: ConnectionTrait>(
    db: &C,
    m: &mailing::Model,
    actor: &Actor,
) -> Result<bool, DbErr> {
    let (to, from) = match m.status {
        Status::Scheduled => (Status::Draft, Status::Scheduled),
        Status::Sending => (Status::Cancelled, Status::Sending),
        _ => return Ok(false),
    };
    let res = move_mailing(m.id, from, to)?
        .col_expr(mailing::Column::UpdatedAt, Utc::now().into())
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Ok(false);
    }
    audit::record(
        db,
        actor,
        "mailing.cancel",
        "mailing",
        m.id,
        Some(&serde_json::json!({ "status": from })),
        Some(&serde_json::json!({ "status": to })),
    )
    .await?;
    Ok(true)
}

/// Sends again the messages whose delivery was not confirmed by the server (the connection was
/// lost after the message). The Message-ID is the same as the first time, so a mail client that
/// got both shows one. Returns how many recipients were queued again.
pub async fn resend_unconfirmed<C: ConnectionTrait>(
    db: &C,
    m: &mailing::Model,
    actor: &Actor,
) -> Result<u64, DbErr> {
    if !matches!(m.status, Status::Sending | Status::Sent) {
        return Ok(0);
    }
    let now = Utc::now();
    crate::lifecycle::check(
        "recipient",
        RecipientStatus::Unconfirmed,
        RecipientStatus::Pending,
        recipient_allowed,
    )?;
    let res = rcpt::Entity::update_many()
        .col_expr(rcpt::Column::Status, Expr::value(RecipientStatus::Pending))
        .col_expr(rcpt::Column::NextAttemptAt, now.into())
        .col_expr(rcpt::Column::SentAt, Option::<DateTime<Utc>>::None.into())
        .filter(rcpt::Column::MailingId.eq(m.id))
        .filter(rcpt::Column::Status.eq(RecipientStatus::Unconfirmed))
        .exec(db)
        .await?;
    let n = res.rows_affected;
    if n == 0 {
        return Ok(0);
    }
    if m.status == Status::Sent {
        move_mailing(m.id, Status::Sent, Status::Sending)?
            .col_expr(mailing::Column::FinishedAt, Option::<DateTime<Utc>>::None.into())
            .col_expr(mailing::Column::UpdatedAt, now.into())
            .exec(db)
            .await?;
    }
    jobs::enqueue(
        db,
        NewJob::new(DELIVER_JOB, serde_json::json!({ "mailing_id": m.id }))
            .key(format!("mailing-{}-resend-{}", m.id, now.timestamp_millis())),
    )
    .await?;
    audit::record(
        db,
        actor,
        "mailing.resend_unconfirmed",
        "mailing",
        m.id,
        None::<&()>,
        Some(&serde_json::json!({ "recipients": n })),
    )
    .await?;
    Ok(n)
}

/// Sends the current draft to one address (the official's own) through the outbox.
pub async fn enqueue_test<C: ConnectionTrait>(
    db: &C,
    m: &mailing::Model,
    to: &str,
) -> Result<(), DbErr> {
    let (html, text) = render_body(&m.body_md);
    jobs::enqueue(
        db,
        NewJob::new(
            TEST_JOB,
            TestPayload {
                mailing_id: m.id,
                to: to.to_owned(),
                subject: m.subject.clone(),
                lang: m.lang.clone(),
                html,
                text,
            },
        )
        .attempts(5),
    )
    .await?;
    mailing::Entity::update_many()
        .col_expr(mailing::Column::TestSentAt, Some(Utc::now()).into())
        .filter(mailing::Column::Id.eq(m.id))
        .exec(db)
        .await?;
    Ok(())
}

#[derive(Debug, Serialize, Deserialize)]
struct TestPayload {
    mailing_id: i64,
    to: String,
    subject: String,
    lang: String,
    html: String,
    text: String,
}

/// Per-status recipient counts of a mailing, in `RecipientStatus::ALL` order, plus confirmations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub by_status: Vec<(&'static str, i64)>,
    pub total: i64,
    pub confirmed: i64,
}

impl Stats {
    pub fn count(&self, status: &str) -> i64 {
        self.by_status
            .iter()
            .find(|(s, _)| *s == status)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    }
}

pub async fn stats<C: ConnectionTrait>(db: &C, mailing_id: i64) -> Result<Stats, DbErr> {
    let rows: Vec<(String, i64)> = rcpt::Entity::find()
        .select_only()
        .column(rcpt::Column::Status)
        .column_as(rcpt::Column::Id.count(), "n")
        .filter(rcpt::Column::MailingId.eq(mailing_id))
        .group_by(rcpt::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let confirmed = rcpt::Entity::find()
        .filter(rcpt::Column::MailingId.eq(mailing_id))
        .filter(rcpt::Column::ConfirmedAt.is_not_null())
        .count(db)
        .await? as i64;
    let by_status: Vec<(&'static str, i64)> = RecipientStatus::ALL
        .iter()
        .map(|s| {
            (
                s.as_str(),
                rows.iter()
                    .find(|(r, _)| r == s.as_str())
                    .map(|(_, n)| *n)
                    .unwrap_or(0),
            )
        })
        .collect();
    Ok(Stats {
        total: by_status.iter().map(|(_, n)| n).sum(),
        by_status,
        confirmed,
    })
}

// ---------------------------------------------------------------------------------------------
// Bounces and address checks

/// Records that the receiving server refused `email` permanently: later mailings skip it and the
/// directory shows the organisation's address as bouncing.
pub async fn mark_bouncing<C: ConnectionTrait>(
    db: &C,
    email: &str,
    reason: &str,
    mailing_id: Option<i64>,
) -> Result<(), DbErr> {
    let now = Utc::now();
    email_bounce::Entity::insert(email_bounce::ActiveModel {
        email: Set(email.to_owned()),
        reason: Set(reason.chars().take(500).collect()),
        mailing_id: Set(mailing_id),
        bounced_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(email_bounce::Column::Email)
            .update_columns([
                email_bounce::Column::Reason,
                email_bounce::Column::MailingId,
                email_bounce::Column::BouncedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    organization::Entity::update_many()
        .col_expr(organization::Column::EmailBouncedAt, Some(now).into())
        .filter(organization::Column::Email.eq(email))
        .filter(organization::Column::EmailBouncedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Forgets a bounce (the address was confirmed or corrected).
pub async fn clear_bouncing<C: ConnectionTrait>(db: &C, email: &str) -> Result<(), DbErr> {
    email_bounce::Entity::delete_many()
        .filter(email_bounce::Column::Email.eq(email))
        .exec(db)
        .await?;
    organization::Entity::update_many()
        .col_expr(
            organization::Column::EmailBouncedAt,
            Option::<DateTime<Utc>>::None.into(),
        )
        .filter(organization::Column::Email.eq(email))
        .exec(db)
        .await?;
    Ok(())
}

/// HMAC over a recipient row: the signature of its address-check link.
pub fn recipient_signature(secret: &[u8], id: i64, email: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(b"mailing-recipient\0");
    mac.update(id.to_string().as_bytes());
    mac.update(b"\0");
    mac.update(email.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

pub fn address_check_url(base: &str, secret: &[u8], r: &rcpt::Model) -> String {
    format!(
        "{}/adres/potwierdz?r={}&s={}",
        base.trim_end_matches('/'),
        r.id,
        recipient_signature(secret, r.id, &r.email)
    )
}

/// The recipient of an address-check link, or `None` for a wrong signature or another kind.
pub async fn check_recipient<C: ConnectionTrait>(
    db: &C,
    secret: &[u8],
    id: i64,
    sig: &str,
) -> Result<Option<(rcpt::Model, mailing::Model)>, DbErr> {
    let Some(r) = rcpt::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let good = recipient_signature(secret, r.id, &r.email);
    if !crate::mailings::newsletter::constant_time_eq(good.as_bytes(), sig.as_bytes()) {
        return Ok(None);
    }
    let Some(m) = mailing::Entity::find_by_id(r.mailing_id).one(db).await? else {
        return Ok(None);
    };
    if m.kind != KIND_ADDRESS_CHECK {
        return Ok(None);
    }
    Ok(Some((r, m)))
}

/// Confirms that the address of an address-check recipient is current (idempotent).
pub async fn confirm_address(db: &DatabaseConnection, r: &rcpt::Model) -> Result<bool, DbErr> {
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let res = rcpt::Entity::update_many()
        .col_expr(rcpt::Column::ConfirmedAt, Some(Utc::now()).into())
        .filter(rcpt::Column::Id.eq(r.id))
        .filter(rcpt::Column::ConfirmedAt.is_null())
        .exec(&txn)
        .await?;
    if res.rows_affected > 0 {
        clear_bouncing(&txn, &r.email).await?;
    }
    txn.commit().await?;
    Ok(res.rows_affected > 0)
}

/// Creates and orders an address-check campaign to every published organisation.
pub async fn start_address_check<C: ConnectionTrait>(
    db: &C,
    lang: Lang,
    actor: &Actor,
) -> Result<mailing::Model, DbErr> {
    let body = lang.t("address-check-body");
    let m = new_draft(
        KIND_ADDRESS_CHECK,
        &lang.t("address-check-subject"),
        &body,
        &Audience {
            organizations: true,
            ..Default::default()
        },
        lang.code(),
        actor.user_id,
    )
    .insert(db)
    .await?;
    audit::record(
        db,
        actor,
        "mailing.address_check",
        "mailing",
        m.id,
        None::<&()>,
        Some(&summary(&m)),
    )
    .await?;
    order_send(db, &m, None, actor).await?;
    Ok(m)
}

// ---------------------------------------------------------------------------------------------
// Delivery

#[derive(Template)]
#[template(path = "mailings/templates/mail/mailing.html")]
struct HtmlMailing<'a> {
    lang: &'a str,
    subject: &'a str,
    office_name: &'a str,
    office_lang: &'a str,
    footer_lang: &'a str,
    body_html: &'a str,
    action: Option<&'a (String, String)>,
    reason: &'a str,
    unsubscribe: Option<&'a (String, String)>,
    footer: &'a str,
    zone_url: &'a str,
}

#[derive(Template)]
#[template(path = "mailings/templates/mail/mailing.txt")]
struct TextMailing<'a> {
    office_name: &'a str,
    body_text: &'a str,
    action: Option<&'a (String, String)>,
    reason: &'a str,
    unsubscribe: Option<&'a (String, String)>,
    footer: &'a str,
    zone_url: &'a str,
}

/// Everything that is the same for every recipient of one mailing.
struct Shared {
    mailing: mailing::Model,
    site: wspolnie_platform::settings::SiteSettings,
    base: String,
    secret: Vec<u8>,
    lang: Lang,
    /// Subscriber rows by id, for their unsubscribe links.
    subscribers: std::collections::HashMap<i64, newsletter_subscriber::Model>,
}

/// One personalised message: rendered parts and extra headers.
struct Personal {
    rendered: RenderedMail,
    headers: Vec<(&'static str, String)>,
}

fn personalise(sh: &Shared, r: &rcpt::Model) -> Result<Personal, MailError> {
    let lang = sh.lang;
    let mut headers = Vec::new();
    let mut unsubscribe = None;
    let reason = match r.source.as_str() {
        "organization" => lang.t("mailing-reason-organization"),
        "subscriber" => {
            if let Some(s) = r.source_id.and_then(|id| sh.subscribers.get(&id)) {
                unsubscribe = Some((
                    lang.t("mailing-unsubscribe"),
                    crate::mailings::newsletter::preferences_url(&sh.base, &sh.secret, s),
                ));
                for (k, v) in crate::mailings::newsletter::list_unsubscribe_headers(&sh.base, &sh.secret, s) {
                    headers.push((k, v));
                }
            }
            lang.t("mailing-reason-subscriber")
        }
        "meeting" => lang.t("mailing-reason-meeting"),
        _ => lang.t("mailing-reason-custom"),
    };
    let action = (sh.mailing.kind == KIND_ADDRESS_CHECK).then(|| {
        (
            lang.t("address-check-button"),
            address_check_url(&sh.base, &sh.secret, r),
        )
    });
    let zone_url = format!("{}/", sh.base);
    let html = HtmlMailing {
        lang: lang.code(),
        subject: &sh.mailing.subject,
        office_name: &sh.site.office_name,
        office_lang: fallback_lang(&sh.site, "office_name"),
        footer_lang: fallback_lang(&sh.site, "email_footer"),
        body_html: &sh.mailing.body_html,
        action: action.as_ref(),
        reason: &reason,
        unsubscribe: unsubscribe.as_ref(),
        footer: &sh.site.email_footer,
        zone_url: &zone_url,
    }
    .render()
    .map_err(|e| MailError::Permanent(e.to_string()))?;
    let text = TextMailing {
        office_name: &sh.site.office_name,
        body_text: &sh.mailing.body_text,
        action: action.as_ref(),
        reason: &reason,
        unsubscribe: unsubscribe.as_ref(),
        footer: &sh.site.email_footer,
        zone_url: &zone_url,
    }
    .render()
    .map_err(|e| MailError::Permanent(e.to_string()))?;
    Ok(Personal {
        rendered: RenderedMail {
            subject: sh.mailing.subject.clone(),
            text,
            html,
        },
        headers,
    })
}

/// The formatted message for one recipient (same Message-ID on every attempt).
fn build_message(
    ctx: &JobContext,
    sh: &Shared,
    r: &rcpt::Model,
) -> Result<lettre::Message, MailError> {
    let p = personalise(sh, r)?;
    let mut msg = ctx.mailer.build(
        &r.email,
        &p.rendered,
        &format!("mailing-{}-{}", r.mailing_id, r.id),
    )?;
    wspolnie_platform::mail::insert_headers(&mut msg, p.headers.iter().map(|(k, v)| (*k, v.as_str())));
    Ok(msg)
}

/// Paces sends across the connections of one delivery run.
struct Pacer {
    interval: Option<std::time::Duration>,
    next: tokio::sync::Mutex<tokio::time::Instant>,
}

impl Pacer {
    fn new(rate: u32) -> Pacer {
        Pacer {
            interval: (rate > 0).then(|| std::time::Duration::from_secs_f64(1.0 / rate as f64)),
            next: tokio::sync::Mutex::new(tokio::time::Instant::now()),
        }
    }
    async fn wait(&self) {
        let Some(iv) = self.interval else { return };
        let slot = {
            let mut next = self.next.lock().await;
            let now = tokio::time::Instant::now();
            let slot = (*next).max(now);
            *next = slot + iv;
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

/// Backoff before a recipient's next attempt: 1, 2, 4 … minutes, capped at 2 hours.
fn recipient_backoff(attempts: i32) -> Duration {
    Duration::minutes((1i64 << attempts.clamp(1, 8).saturating_sub(1)).min(120))
}

/// The outcome of one recipient, written after the attempt.
async fn record_outcome<C: ConnectionTrait>(
    db: &C,
    r: &rcpt::Model,
    outcome: &Result<Delivery, String>,
    max_attempts: i32,
) -> Result<(), DbErr> {
    let now = Utc::now();
    let attempts = r.attempts + 1;
    let retry_or_fail = |reply: &str| {
        let status = if attempts >= max_attempts {
            RecipientStatus::Failed
        } else {
            RecipientStatus::Pending
        };
        (status, reply.to_owned())
    };
    let (status, error, bounce) = match outcome {
        Ok(Delivery::Accepted) | Ok(Delivery::Declined) => return Ok(()),
        Ok(Delivery::Unconfirmed(e)) => {
            // The commit made the row `sent`; without the server's reply it is not known to be.
            move_recipient(r.id, RecipientStatus::Sent, RecipientStatus::Unconfirmed, false)?
                .col_expr(
                    rcpt::Column::LastError,
                    Some(format!("no reply after the message: {e}")).into(),
                )
                .exec(db)
                .await?;
            return Ok(());
        }
        Ok(Delivery::Refused {
            permanent: true,
            recipient,
            reply,
            ..
        }) => (
            if *recipient {
                RecipientStatus::Bounced
            } else {
                RecipientStatus::Failed
            },
            reply.clone(),
            *recipient,
        ),
        Ok(Delivery::Refused { reply, .. }) => {
            let (s, e) = retry_or_fail(reply);
            (s, e, false)
        }
        Err(e) => {
            let (s, e) = retry_or_fail(e);
            (s, e, false)
        }
    };
    // A refusal after the commit finds the row `sent`; before it, `pending`.
    move_recipient(r.id, r.status, status, false)?
        .col_expr(rcpt::Column::Attempts, attempts.into())
        .col_expr(
            rcpt::Column::LastError,
            Some(error.chars().take(1000).collect::<String>()).into(),
        )
        .col_expr(
            rcpt::Column::NextAttemptAt,
            (now + recipient_backoff(attempts)).into(),
        )
        .col_expr(rcpt::Column::SentAt, Option::<DateTime<Utc>>::None.into())
        .exec(db)
        .await?;
    if bounce {
        mark_bouncing(db, &r.email, &error, Some(r.mailing_id)).await?;
    }
    Ok(())
}

/// The conditional write that makes a message count as sent; `None` when it already was.
///
/// The ambiguous instant of a crash is between the database making this write durable and the
/// dot leaving for the SMTP server. On PostgreSQL the UPDATE runs in a transaction and the
/// COMMIT is put on the wire (first poll of its future) *just before* the dot; the returned
/// future collects its result after the dot. A kill can then only fall between two writes a few
/// microseconds apart; PostgreSQL finishes a COMMIT it has received even if the client is gone.
/// On SQLite the commit happens in-process, so it is awaited and the dot follows at once.
async fn commit_sent(db: &DatabaseConnection, id: i64) -> Result<Option<Finish>, String> {
    use sea_orm::sea_query::ExprTrait;
    let now = Utc::now();
    // Both paths below make this one move, conditional on the row still being pending.
    let (from, to) = (RecipientStatus::Pending, RecipientStatus::Sent);
    crate::lifecycle::check("recipient", from, to, recipient_allowed).map_err(|e| e.to_string())?;
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        let pool = db.get_postgres_connection_pool();
        let mut tx = pool.begin().await.map_err(|e| e.to_string())?;
        let res = sea_orm::sqlx::query(
            "UPDATE mailing_recipients SET status = 'sent', sent_at = $1, attempts = attempts + 1 \
             WHERE id = $2 AND status = 'pending'",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
        if res.rows_affected() != 1 {
            tx.rollback().await.map_err(|e| e.to_string())?;
            return Ok(None);
        }
        let mut commit = Box::pin(tx.commit());
        return match futures::poll!(&mut commit) {
            std::task::Poll::Ready(r) => {
                r.map_err(|e| e.to_string())?;
                Ok(Some(Box::pin(async { Ok(()) })))
            }
            std::task::Poll::Pending => Ok(Some(Box::pin(async move {
                commit.await.map_err(|e| e.to_string())
            }))),
        };
    }
    let res = move_recipient(id, from, to, true)
        .map_err(|e| e.to_string())?
        .col_expr(rcpt::Column::SentAt, Some(now).into())
        .col_expr(
            rcpt::Column::Attempts,
            Expr::col(rcpt::Column::Attempts).add(1),
        )
        .exec(db)
        .await
        .map_err(|e| e.to_string())?;
    if res.rows_affected == 1 {
        Ok(Some(Box::pin(async { Ok(()) })))
    } else {
        Ok(None)
    }
}

/// One SMTP connection working through its share of a batch.
async fn deliver_share(
    ctx: &JobContext,
    sh: &Shared,
    pacer: &Pacer,
    session: &mut Option<SmtpSession>,
    share: Vec<rcpt::Model>,
    stop: &std::sync::atomic::AtomicBool,
) -> Result<usize, DbErr> {
    use std::sync::atomic::Ordering;
    let db = &ctx.db.conn;
    let cfg = &ctx.config;
    let from = ctx.mailer.from_address().email.to_string();
    let hello = ctx.mailer.from_address().email.domain().to_owned();
    let mut done = 0;
    for r in share {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let msg = match build_message(ctx, sh, &r) {
            Ok(m) => m,
            Err(e) => {
                let outcome = Ok(Delivery::Refused {
                    permanent: true,
                    recipient: matches!(e, MailError::Permanent(ref m) if m.starts_with("bad recipient")),
                    reply: e.to_string(),
                    committed: false,
                });
                record_outcome(db, &r, &outcome, cfg.mailings.max_attempts).await?;
                continue;
            }
        };
        pacer.wait().await;
        let outcome = if cfg.mail.transport == MailTransport::File {
            // Development transport: record, then write the file.
            match commit_sent(db, r.id).await {
                Ok(Some(finish)) => match ctx
                    .mailer
                    .send(msg)
                    .await
                    .and(finish.await.map_err(wspolnie_platform::mail::MailError::Transient))
                {
                    Ok(()) => Ok(Delivery::Accepted),
                    Err(e) => Ok(Delivery::Refused {
                        permanent: false,
                        recipient: false,
                        reply: e.to_string(),
                        committed: true,
                    }),
                },
                Ok(None) => Ok(Delivery::Declined),
                Err(e) => Err(e),
            }
        } else {
            if session.as_ref().is_none_or(|s| s.is_broken()) {
                if let Some(old) = session.take() {
                    drop(old);
                }
                match SmtpSession::connect(&cfg.mail, &hello).await {
                    Ok(s) => *session = Some(s),
                    Err(e) => {
                        // The server is unreachable: leave the rest for the job's retry.
                        tracing::warn!(error = %e, "SMTP connection for a mailing failed");
                        stop.store(true, Ordering::Relaxed);
                        return Err(DbErr::Custom(format!("smtp: {e}")));
                    }
                }
            }
            let Some(s) = session.as_mut() else { break };
            let data = msg.formatted();
            s.deliver(&from, &r.email, &data, || commit_sent(db, r.id))
                .await
                .map_err(|e| e.0)
        };
        record_outcome(db, &r, &outcome, cfg.mailings.max_attempts).await?;
        done += 1;
    }
    Ok(done)
}

/// Adds the recipients of a mailing whose sending is due and marks it `sending`; returns false
/// when another worker did it first or the mailing was withdrawn.
async fn start(db: &DatabaseConnection, m: &mailing::Model) -> Result<bool, DbErr> {
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let now = Utc::now();
    let res = move_mailing(m.id, Status::Scheduled, Status::Sending)?
        .col_expr(mailing::Column::StartedAt, Some(now).into())
        .col_expr(mailing::Column::UpdatedAt, now.into())
        .exec(&txn)
        .await?;
    if res.rows_affected == 0 {
        txn.rollback().await?;
        return Ok(false);
    }
    let targets = expand_audience(&txn, &Audience::parse(&m.audience), &m.lang).await?;
    let bouncing: HashSet<String> = email_bounce::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|b| b.email)
        .collect();
    let total = targets.len();
    for chunk in targets.chunks(500) {
        let rows = chunk.iter().map(|t| {
            let skip = bouncing.contains(&t.email);
            rcpt::ActiveModel {
                mailing_id: Set(m.id),
                email: Set(t.email.clone()),
                lang: Set(t.lang.clone()),
                source: Set(t.source.to_owned()),
                source_id: Set(t.source_id),
                status: Set(if skip {
                    RecipientStatus::Skipped
                } else {
                    RecipientStatus::Pending
                }),
                attempts: Set(0),
                next_attempt_at: Set(now),
                last_error: Set(skip.then(|| "address known to bounce".to_owned())),
                sent_at: Set(None),
                confirmed_at: Set(None),
                created_at: Set(now),
                ..Default::default()
            }
        });
        rcpt::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([rcpt::Column::MailingId, rcpt::Column::Email])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    mailing::Entity::update_many()
        .col_expr(mailing::Column::RecipientsTotal, (total as i32).into())
        .filter(mailing::Column::Id.eq(m.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    tracing::info!(mailing = m.id, recipients = total, "mailing started");
    Ok(true)
}

#[derive(Deserialize)]
struct DeliverPayload {
    mailing_id: i64,
}

/// `mailing.deliver`: starts a due mailing and hands its pending messages to SMTP.
pub struct DeliverHandler;

#[async_trait::async_trait]
impl JobHandler for DeliverHandler {
    async fn run(&self, ctx: &JobContext, job: &ClaimedJob) -> Result<(), JobError> {
        let p: DeliverPayload = serde_json::from_value(job.payload.clone())
            .map_err(|e| JobError::Permanent(format!("bad payload: {e}")))?;
        match deliver(ctx, job, p.mailing_id).await {
            Ok(Ran::Finished) => Ok(()),
            Ok(Ran::Interrupted) => Err(JobError::Interrupted),
            Err(e) => Err(JobError::Retry(e.to_string())),
        }
    }

    fn retry_policy(&self, cfg: &wspolnie_platform::config::JobsConfig) -> jobs::RetryPolicy {
        jobs::RetryPolicy::mail(cfg)
    }
}

async fn load(db: &DatabaseConnection, id: i64) -> Result<Option<mailing::Model>, DbErr> {
    mailing::Entity::find_by_id(id).one(db).await
}

/// How a delivery run ended.
#[derive(Debug, PartialEq, Eq)]
enum Ran {
    Finished,
    /// Stopped between two messages for shutdown: the job goes back to the queue.
    Interrupted,
}

async fn deliver(ctx: &JobContext, job: &ClaimedJob, id: i64) -> Result<Ran, DbErr> {
    use std::sync::atomic::{AtomicBool, Ordering};
    let db = &ctx.db.conn;
    let Some(mut m) = load(db, id).await? else {
        return Ok(Ran::Finished);
    };
    if m.status == Status::Scheduled {
        if m.scheduled_at
            .is_some_and(|t| t > Utc::now() + Duration::seconds(5))
        {
            // Re-scheduled to a later time: that order has its own job.
            return Ok(Ran::Finished);
        }
        start(db, &m).await?;
        let Some(fresh) = load(db, id).await? else {
            return Ok(Ran::Finished);
        };
        m = fresh;
    }
    if m.status != Status::Sending {
        return Ok(Ran::Finished);
    }
    // The worker keeps the job's lock alive (heartbeat). Stop between two messages when the
    // process shuts down or another worker took the job over.
    let stop = Arc::new(AtomicBool::new(false));
    let watch = {
        let stop = stop.clone();
        let shutdown = job.shutdown.clone();
        let lost = job.lock_lost.clone();
        tokio::spawn(async move {
            tokio::select! {
                _ = shutdown.cancelled() => {}
                _ = lost.cancelled() => {}
            }
            stop.store(true, Ordering::Relaxed);
        })
    };
    let result = deliver_pending(ctx, &m, &stop).await;
    watch.abort();
    result?;
    if job.lock_lost.is_cancelled() {
        return Ok(Ran::Finished);
    }
    if job.shutdown.is_cancelled() {
        tracing::info!(mailing = id, "mailing delivery stopped for shutdown");
        return Ok(Ran::Interrupted);
    }
    // Recipients waiting for a retry get a follow-up job; otherwise the mailing is finished.
    let next: Option<DateTime<Utc>> = rcpt::Entity::find()
        .select_only()
        .column_as(rcpt::Column::NextAttemptAt.min(), "next")
        .filter(rcpt::Column::MailingId.eq(id))
        .filter(rcpt::Column::Status.eq(RecipientStatus::Pending))
        .into_tuple::<Option<DateTime<Utc>>>()
        .one(db)
        .await?
        .flatten();
    match next {
        Some(at) => {
            jobs::enqueue(
                db,
                NewJob::new(DELIVER_JOB, serde_json::json!({ "mailing_id": id }))
                    .key(format!("mailing-{id}-retry-{}", at.timestamp_millis()))
                    .at(at)
                    .attempts(20),
            )
            .await?;
        }
        None => {
            let now = Utc::now();
            move_mailing(id, Status::Sending, Status::Sent)?
                .col_expr(mailing::Column::FinishedAt, Some(now).into())
                .col_expr(mailing::Column::UpdatedAt, now.into())
                .exec(db)
                .await?;
            tracing::info!(mailing = id, "mailing finished");
        }
    }
    Ok(Ran::Finished)
}

async fn deliver_pending(
    ctx: &JobContext,
    m: &mailing::Model,
    stop: &std::sync::atomic::AtomicBool,
) -> Result<(), DbErr> {
    use std::sync::atomic::Ordering;
    let db = &ctx.db.conn;
    let site = wspolnie_platform::settings::load_site(db).await?;
    let secret = wspolnie_platform::settings::signing_secret(db, &ctx.config).await?;
    let subscribers = newsletter_subscriber::Entity::find()
        .filter(
            newsletter_subscriber::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(rcpt::Column::SourceId)
                    .from(rcpt::Entity)
                    .and_where(rcpt::Column::MailingId.eq(m.id))
                    .and_where(rcpt::Column::Source.eq("subscriber"))
                    .to_owned(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let lang = Lang::parse(&m.lang).unwrap_or_default();
    let sh = Shared {
        lang,
        mailing: m.clone(),
        // The office name and the footer in the mailing's language.
        site: site.for_lang(lang),
        base: ctx
            .config
            .server
            .public_url
            .trim_end_matches('/')
            .to_owned(),
        secret: secret.into_bytes(),
        subscribers,
    };
    let pacer = Pacer::new(ctx.config.mailings.rate_per_second);
    let n = ctx.config.mailings.connections.clamp(1, 16);
    let mut sessions: Vec<Option<SmtpSession>> = (0..n).map(|_| None).collect();
    let mut last_id = 0i64;
    let mut outcome = Ok(());
    loop {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        // Withdrawn while sending?
        match load(db, m.id).await? {
            Some(cur) if cur.status == Status::Sending => {}
            _ => break,
        }
        let batch = rcpt::Entity::find()
            .filter(rcpt::Column::MailingId.eq(m.id))
            .filter(rcpt::Column::Status.eq(RecipientStatus::Pending))
            .filter(rcpt::Column::NextAttemptAt.lte(Utc::now()))
            .filter(rcpt::Column::Id.gt(last_id))
            .order_by_asc(rcpt::Column::Id)
            .limit(BATCH)
            .all(db)
            .await?;
        let Some(last) = batch.last() else { break };
        last_id = last.id;
        let mut shares: Vec<Vec<rcpt::Model>> = (0..n).map(|_| Vec::new()).collect();
        for (i, r) in batch.into_iter().enumerate() {
            shares[i % n].push(r);
        }
        let results = futures::future::join_all(
            sessions
                .iter_mut()
                .zip(shares)
                .map(|(s, share)| deliver_share(ctx, &sh, &pacer, s, share, stop)),
        )
        .await;
        for r in results {
            if let Err(e) = r {
                outcome = Err(e);
            }
        }
        if outcome.is_err() {
            break;
        }
    }
    for s in sessions.into_iter().flatten() {
        s.quit().await;
    }
    outcome
}

/// `mailing.test`: the draft as it stands, to one address.
pub struct TestHandler;

#[async_trait::async_trait]
impl JobHandler for TestHandler {
    async fn run(&self, ctx: &JobContext, job: &ClaimedJob) -> Result<(), JobError> {
        let p: TestPayload = serde_json::from_value(job.payload.clone())
            .map_err(|e| JobError::Permanent(format!("bad payload: {e}")))?;
        let db = &ctx.db.conn;
        let site = wspolnie_platform::settings::load_site(db)
            .await
            .map_err(|e| JobError::Retry(e.to_string()))?;
        let lang = Lang::parse(&p.lang).unwrap_or_default();
        let site = site.for_lang(lang);
        let base = ctx
            .config
            .server
            .public_url
            .trim_end_matches('/')
            .to_owned();
        let zone_url = format!("{base}/");
        let reason = lang.t("mailing-reason-test");
        let subject = format!("[{}] {}", lang.t("mailing-test-prefix"), p.subject);
        let html = HtmlMailing {
            lang: lang.code(),
            subject: &subject,
            office_name: &site.office_name,
            office_lang: fallback_lang(&site, "office_name"),
            footer_lang: fallback_lang(&site, "email_footer"),
            body_html: &p.html,
            action: None,
            reason: &reason,
            unsubscribe: None,
            footer: &site.email_footer,
            zone_url: &zone_url,
        }
        .render()
        .map_err(|e| JobError::Permanent(e.to_string()))?;
        let text = TextMailing {
            office_name: &site.office_name,
            body_text: &p.text,
            action: None,
            reason: &reason,
            unsubscribe: None,
            footer: &site.email_footer,
            zone_url: &zone_url,
        }
        .render()
        .map_err(|e| JobError::Permanent(e.to_string()))?;
        let rendered = RenderedMail {
            subject,
            text,
            html,
        };
        let msg = ctx
            .mailer
            .build(
                &p.to,
                &rendered,
                &format!("mailing-{}-test-{}", p.mailing_id, job.id),
            )
            .map_err(wspolnie_platform::mail::to_job_error)?;
        ctx.mailer
            .send(msg)
            .await
            .map_err(wspolnie_platform::mail::to_job_error)
    }

    fn retry_policy(&self, cfg: &wspolnie_platform::config::JobsConfig) -> jobs::RetryPolicy {
        jobs::RetryPolicy::mail(cfg)
    }
}

/// Markdown list of published events taking place in `[from, from + days)`, each occurrence of a
/// series on its own line, soonest first: the composer's "insert the calendar" (seed 001 asks for
/// the calendar to be sent to all organisations).
pub async fn calendar_markdown<C: ConnectionTrait>(
    db: &C,
    lang: Lang,
    base: &str,
    from: DateTime<Utc>,
    days: i64,
) -> Result<String, DbErr> {
    use crate::calendar::entity::event;
    let to = from + Duration::days(days);
    let base = base.trim_end_matches('/');
    let rows = event::Entity::find()
        .filter(event::Column::Status.eq(Publication::Published))
        .filter(event::Column::StartsAt.lt(to))
        .filter(event::Column::LastEndsAt.gte(from))
        .all(db)
        .await?;
    let mut items: Vec<(DateTime<Utc>, String)> = Vec::new();
    for e in &rows {
        let rule = e
            .rrule
            .as_deref()
            .and_then(wspolnie_core::recurrence::Recurrence::parse);
        for (start, _) in wspolnie_core::recurrence::occurrences_between(
            e.starts_at,
            e.ends_at,
            rule.as_ref(),
            from,
            to,
        ) {
            let when = wspolnie_core::time::to_local(start).format("%d.%m.%Y %H:%M");
            items.push((
                start,
                format!(
                    "- {when} — [{}]({base}/kalendarz/{})",
                    escape_md(&e.title),
                    e.slug
                ),
            ));
        }
    }
    items.sort();
    let mut md = format!(
        "## {}\n\n",
        lang.ta("mailing-calendar-heading", &[("count", &days.to_string())])
    );
    if items.is_empty() {
        md.push_str(&lang.t("mailing-calendar-empty"));
        md.push('\n');
    }
    for (_, line) in items {
        md.push_str(&line);
        md.push('\n');
    }
    md.push_str(&format!(
        "\n{}: {base}/kalendarz\n",
        lang.t("mailing-calendar-more")
    ));
    Ok(md)
}

use wspolnie_platform::markdown::escape as escape_md;

// ---------------------------------------------------------------------------------------------
// Weekly digest

/// Enqueues this week's digest once the configured weekday and hour (Warsaw) have come; the ISO
/// week is the idempotency key, so every instance's hourly tick may call this.
pub async fn schedule_digest<C: ConnectionTrait>(
    db: &C,
    cfg: &wspolnie_platform::config::MailingsConfig,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    use chrono::Datelike;
    use chrono::Timelike;
    if !cfg.digest_enabled {
        return Ok(false);
    }
    let local = wspolnie_core::time::to_local(now);
    let weekday = local.weekday().number_from_monday();
    if weekday < cfg.digest_weekday.clamp(1, 7)
        || (weekday == cfg.digest_weekday && local.hour() < cfg.digest_hour)
    {
        return Ok(false);
    }
    let week = local.iso_week();
    jobs::enqueue(
        db,
        NewJob::new(DIGEST_JOB, serde_json::json!({ "until": now })).key(format!(
            "digest-{}-W{:02}",
            week.year(),
            week.week()
        )),
    )
    .await
}

#[derive(Deserialize)]
struct DigestPayload {
    until: DateTime<Utc>,
}

/// Subscribers' topic for the weekly digest.
pub const DIGEST_TOPIC: &str = "digest";

/// The Markdown of a digest covering what was published in `[since, until)`, or `None` when
/// nothing new appeared.
pub async fn digest_markdown<C: ConnectionTrait>(
    db: &C,
    lang: Lang,
    base: &str,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Option<String>, DbErr> {
    use crate::news::entity::article;
    use crate::calendar::entity::event;
    use crate::partners::entity::partner_activity;
    let base = base.trim_end_matches('/');
    let events = event::Entity::find()
        .filter(event::Column::Status.eq(Publication::Published))
        .filter(event::Column::PublishedAt.gte(since))
        .filter(event::Column::PublishedAt.lt(until))
        .filter(event::Column::LastEndsAt.gte(until))
        // A call's offer deadline is listed with the calls below, not as an event.
        .filter(event::Column::Category.ne(crate::grants::public::CALENDAR_CATEGORY))
        .order_by_asc(event::Column::StartsAt)
        .all(db)
        .await?;
    let news = article::Entity::find()
        .filter(article::Column::Status.eq(Publication::Published))
        .filter(article::Column::PublishedAt.gte(since))
        .filter(article::Column::PublishedAt.lt(until))
        .order_by_desc(article::Column::PublishedAt)
        .all(db)
        .await?;
    let partners = partner_activity::Entity::find()
        .filter(partner_activity::Column::Status.eq(partner_activity::Status::Published))
        .filter(partner_activity::Column::CreatedAt.gte(since))
        .filter(partner_activity::Column::CreatedAt.lt(until))
        .order_by_asc(partner_activity::Column::StartsAt)
        .all(db)
        .await?;
    let calls = crate::grants::public::digest_section(db, lang, base, since, until).await?;
    if events.is_empty() && news.is_empty() && partners.is_empty() && calls.is_none() {
        return Ok(None);
    }
    let esc = escape_md;
    let mut md = format!("{}\n\n", lang.t("digest-intro"));
    if let Some(calls) = calls {
        md.push_str(&calls);
    }
    if !events.is_empty() {
        md.push_str(&format!("## {}\n\n", lang.t("digest-events")));
        for e in &events {
            let when = wspolnie_core::time::to_local(e.starts_at).format("%d.%m.%Y %H:%M");
            md.push_str(&format!(
                "- {when} — [{}]({base}/kalendarz/{})\n",
                esc(&e.title),
                e.slug
            ));
        }
        md.push('\n');
    }
    if !partners.is_empty() {
        md.push_str(&format!("## {}\n\n", lang.t("digest-partners")));
        for a in &partners {
            md.push_str(&format!(
                "- [{}]({base}/wspolpraca/{})\n",
                esc(&a.title),
                a.slug
            ));
        }
        md.push('\n');
    }
    if !news.is_empty() {
        md.push_str(&format!("## {}\n\n", lang.t("digest-news")));
        for a in &news {
            md.push_str(&format!(
                "- [{}]({base}/aktualnosci/{})\n",
                esc(&a.title),
                a.slug
            ));
        }
        md.push('\n');
    }
    md.push_str(&lang.t("digest-outro"));
    Ok(Some(md))
}

/// `mailing.digest`: one digest mailing per language for subscribers of the `digest` topic,
/// covering what appeared since the previous digest (at most 31 days back).
pub struct DigestHandler;

#[async_trait::async_trait]
impl JobHandler for DigestHandler {
    async fn run(&self, ctx: &JobContext, job: &ClaimedJob) -> Result<(), JobError> {
        let p: DigestPayload = serde_json::from_value(job.payload.clone())
            .map_err(|e| JobError::Permanent(format!("bad payload: {e}")))?;
        make_digests(ctx, p.until)
            .await
            .map(|_| ())
            .map_err(|e| JobError::Retry(e.to_string()))
    }
}

/// Creates and orders the digests ending at `until`; returns the mailings created.
pub async fn make_digests(ctx: &JobContext, until: DateTime<Utc>) -> Result<Vec<i64>, DbErr> {
    let db = &ctx.db.conn;
    let previous: Option<DateTime<Utc>> = mailing::Entity::find()
        .select_only()
        .column_as(mailing::Column::ScheduledAt.max(), "last")
        .filter(mailing::Column::Kind.eq(KIND_DIGEST))
        .filter(mailing::Column::ScheduledAt.lt(until))
        .into_tuple::<Option<DateTime<Utc>>>()
        .one(db)
        .await?
        .flatten();
    let since = previous
        .unwrap_or(until - Duration::days(7))
        .max(until - Duration::days(31));
    let actor = Actor::system("digest");
    let mut made = Vec::new();
    let txn = wspolnie_platform::db::begin_write(db).await?;
    for lang in [Lang::Pl, Lang::En] {
        let Some(md) =
            digest_markdown(&txn, lang, &ctx.config.server.public_url, since, until).await?
        else {
            continue;
        };
        let audience = Audience {
            topics: vec![DIGEST_TOPIC.into()],
            subscriber_lang: Some(lang.code().into()),
            ..Default::default()
        };
        if expand_audience(&txn, &audience, lang.code())
            .await?
            .is_empty()
        {
            continue;
        }
        let subject = lang.ta(
            "digest-subject",
            &[(
                "date",
                &wspolnie_core::time::to_local(until)
                    .format("%d.%m.%Y")
                    .to_string(),
            )],
        );
        let m = new_draft(KIND_DIGEST, &subject, &md, &audience, lang.code(), None)
            .insert(&txn)
            .await?;
        order_send(&txn, &m, Some(until), &actor).await?;
        made.push(m.id);
    }
    txn.commit().await?;
    Ok(made)
}

/// Panel count for officials: mailings with messages whose delivery was never confirmed (handed
/// over, no reply from the server) — the ones to send again from the mailing's page.
pub fn unconfirmed_count<'a>(
    state: &'a wspolnie_web::AppState,
    _: &'a wspolnie_web::policy::Account,
) -> wspolnie_web::ctx::CountFuture<'a> {
    Box::pin(async move {
        let ids: Vec<i64> = rcpt::Entity::find()
            .select_only()
            .column(rcpt::Column::MailingId)
            .distinct()
            .filter(rcpt::Column::Status.eq(rcpt::Status::Unconfirmed))
            .into_tuple()
            .all(&state.platform.db.conn)
            .await?;
        Ok(Some(ids.len() as u64))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> MailingData {
        MailingData {
            subject: "  Nabór wniosków 2027 ".into(),
            body: "Treść".into(),
            lang: "xx".into(),
            all_organizations: false,
            spheres: vec!["16".into()],
            topics: vec!["grants".into()],
            custom: "a@example.org\nb@example.org; zły adres\n\nA@example.org".into(),
            meeting: String::new(),
            meeting_attending: false,
            send_date: String::new(),
            send_time: String::new(),
        }
    }

    #[test]
    fn validation_names_bad_lines_and_normalises() {
        let mut d = data();
        let (e, a, at) = d.validate(&["16".into()], Utc::now(), true);
        assert_eq!(d.subject, "Nabór wniosków 2027");
        assert_eq!(d.lang, "pl");
        let (id, args) = e.get("custom").expect("custom error");
        assert_eq!(*id, "mailing-error-custom");
        assert_eq!(args[0].1, "2 (zły adres)");
        assert_eq!(a.custom, vec!["a@example.org", "b@example.org"]);
        assert!(at.is_none());
        assert_eq!(e.len(), 1, "{e:?}");
    }

    #[test]
    fn validation_needs_an_audience_and_a_future_time() {
        let mut d = data();
        d.spheres.clear();
        d.topics.clear();
        d.custom.clear();
        d.send_date = "2020-01-01".into();
        d.send_time = "10:00".into();
        let (e, _, _) = d.validate(&[], Utc::now(), true);
        assert!(e.contains_key("audience"));
        assert_eq!(e["send_date"].0, "mailing-error-send-past");
        // A draft may be saved without an audience.
        let (e, _, _) = d.validate(&[], Utc::now(), false);
        assert!(!e.contains_key("audience"));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(recipient_backoff(1), Duration::minutes(1));
        assert_eq!(recipient_backoff(3), Duration::minutes(4));
        assert_eq!(recipient_backoff(30), Duration::minutes(120));
    }
}
