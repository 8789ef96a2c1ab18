//! City activities open to NGO partners (seed 000 pt 5): an official announces an activity well
//! in advance (what, when, where, what help is sought, whom to contact, until when declarations
//! are accepted); organisations declare interest through a form; the official sees and exports
//! the list. Each declaration e-mails the activity's contact and confirms to the declarer.

use crate::accounts::model::normalize_email;
use wspolnie_platform::audit;
use wspolnie_platform::audit::Actor;
use crate::partners::entity::partner_activity;
use crate::partners::entity::partner_interest;
use wspolnie_platform::i18n::Lang;
use wspolnie_platform::mail::MailJob;
use wspolnie_platform::mail::enqueue_mail;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};
use serde::{Deserialize, Serialize};
use wspolnie_core::contact::normalize_phone;
use wspolnie_core::text::slugify;
use wspolnie_core::time::{TZ, local_to_utc};

pub use crate::directory::model::FieldErrors;

pub use crate::partners::entity::partner_activity::{Status, allowed};

/// An activity as the official's form holds it (Warsaw wall-clock text).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActivityData {
    pub title: String,
    pub description: String,
    pub help_sought: String,
    pub start_date: String,
    pub start_time: String,
    pub end_date: String,
    pub place: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    /// Last day for declarations, `YYYY-MM-DD`; empty = until the start.
    pub interest_until: String,
    pub status: String,
}

/// What valid `ActivityData` means: its status and its times.
pub struct ActivityTimes {
    pub status: Status,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub interest_until: Option<DateTime<Utc>>,
}

fn date(s: &str) -> Option<NaiveDate> {
    wspolnie_core::time::parse_form_date(s)
}

/// The end of a Warsaw day, in UTC.
fn end_of_day(d: NaiveDate) -> Option<DateTime<Utc>> {
    local_to_utc(d.succ_opt()?.and_time(NaiveTime::MIN)).map(|t| t - Duration::seconds(1))
}

impl ActivityData {
    pub fn validate(&mut self, now: DateTime<Utc>) -> (FieldErrors, Option<ActivityTimes>) {
        let mut e = FieldErrors::new();
        for s in [
            &mut self.title,
            &mut self.description,
            &mut self.help_sought,
            &mut self.start_date,
            &mut self.start_time,
            &mut self.end_date,
            &mut self.place,
            &mut self.contact_name,
            &mut self.contact_email,
            &mut self.contact_phone,
            &mut self.interest_until,
            &mut self.status,
        ] {
            *s = s.trim().to_owned();
        }
        if !(3..=200).contains(&self.title.chars().count()) {
            e.insert("title".into(), "error-partner-title");
        }
        if self.description.is_empty() {
            e.insert("description".into(), "error-partner-description");
        }
        if self.help_sought.is_empty() {
            e.insert("help_sought".into(), "error-partner-help");
        }
        if self.place.is_empty() {
            e.insert("place".into(), "error-partner-place");
        }
        if self.contact_name.is_empty() {
            e.insert("contact_name".into(), "error-partner-contact-name");
        }
        match normalize_email(&self.contact_email) {
            Some(m) => self.contact_email = m,
            None => {
                e.insert("contact_email".into(), "error-partner-email");
            }
        }
        if !self.contact_phone.is_empty() {
            match normalize_phone(&self.contact_phone) {
                Some(p) => self.contact_phone = p,
                None => {
                    e.insert("contact_phone".into(), "error-phone");
                }
            }
        }
        let status = Status::parse(&self.status);
        if status.is_none() {
            e.insert("status".into(), "error-partner-status");
        }
        crate::partners::limits::ACTIVITY.check_into(
            &mut e,
            &[
                ("title", &self.title),
                ("description", &self.description),
                ("help_sought", &self.help_sought),
                ("start_date", &self.start_date),
                ("start_time", &self.start_time),
                ("end_date", &self.end_date),
                ("place", &self.place),
                ("contact_name", &self.contact_name),
                ("contact_email", &self.contact_email),
                ("contact_phone", &self.contact_phone),
                ("interest_until", &self.interest_until),
                ("status", &self.status),
            ],
        );
        let start = date(&self.start_date);
        let time = if self.start_time.is_empty() {
            Some(NaiveTime::MIN)
        } else {
            wspolnie_core::time::parse_form_time(&self.start_time)
        };
        let starts_at = match (start, time) {
            (Some(d), Some(t)) => match local_to_utc(d.and_time(t)) {
                Some(at) => Some(at),
                None => {
                    // A Warsaw wall-clock time skipped by the change to summer time: the same
                    // message as the events' form.
                    e.insert("start_time".into(), "error-event-start-time-gap");
                    return (e, None);
                }
            },
            _ => None,
        };
        let Some(starts_at) = starts_at else {
            e.insert("start_date".into(), "error-partner-start");
            return (e, None);
        };
        if starts_at < now && status != Some(Status::Closed) {
            e.insert("start_date".into(), "error-partner-start-past");
        }
        let ends_at = if self.end_date.is_empty() {
            None
        } else {
            match date(&self.end_date).and_then(end_of_day) {
                Some(t) if t >= starts_at => Some(t),
                _ => {
                    e.insert("end_date".into(), "error-partner-end");
                    None
                }
            }
        };
        let interest_until = if self.interest_until.is_empty() {
            None
        } else {
            match date(&self.interest_until).and_then(end_of_day) {
                Some(t) if t <= starts_at + Duration::days(1) => Some(t),
                _ => {
                    e.insert("interest_until".into(), "error-partner-until");
                    None
                }
            }
        };
        let times = match status {
            Some(status) if e.is_empty() => Some(ActivityTimes {
                status,
                starts_at,
                ends_at,
                interest_until,
            }),
            _ => None,
        };
        (e, times)
    }

    pub fn from_model(a: &partner_activity::Model) -> ActivityData {
        let start = a.starts_at.with_timezone(&TZ);
        ActivityData {
            title: a.title.clone(),
            description: a.description_md.clone(),
            help_sought: a.help_sought.clone(),
            start_date: start.format("%Y-%m-%d").to_string(),
            start_time: start.format("%H:%M").to_string(),
            end_date: a
                .ends_at
                .map(|t| t.with_timezone(&TZ).format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            place: a.place.clone(),
            contact_name: a.contact_name.clone(),
            contact_email: a.contact_email.clone(),
            contact_phone: a.contact_phone.clone(),
            interest_until: a
                .interest_until
                .map(|t| t.with_timezone(&TZ).format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            status: a.status.as_str().to_owned(),
        }
    }
}

/// Creates or updates an activity (audited, on the caller's transaction).
pub async fn save<C: ConnectionTrait>(
    db: &C,
    existing: Option<partner_activity::Model>,
    d: &ActivityData,
    t: &ActivityTimes,
    actor: &Actor,
) -> Result<i64, DbErr> {
    let now = Utc::now();
    if let Some(m) = &existing {
        crate::lifecycle::check("partner activity", m.status, t.status, allowed)?;
    }
    let (mut a, before, first) = match existing {
        Some(m) => {
            let before = ActivityData::from_model(&m);
            let first = m.published_at.is_none();
            (m.into(), Some(before), first)
        }
        None => {
            let suffix = &uuid::Uuid::new_v4().simple().to_string()[..6];
            let mut slug = slugify(&d.title);
            slug.truncate(80);
            (
                partner_activity::ActiveModel {
                    slug: Set(format!("{}-{suffix}", slug.trim_end_matches('-'))),
                    created_by: Set(actor.user_id),
                    created_at: Set(now),
                    published_at: Set(None),
                    ..Default::default()
                },
                None,
                true,
            )
        }
    };
    a.title = Set(d.title.clone());
    a.description_md = Set(d.description.clone());
    a.help_sought = Set(d.help_sought.clone());
    a.starts_at = Set(t.starts_at);
    a.ends_at = Set(t.ends_at);
    a.place = Set(d.place.clone());
    a.contact_name = Set(d.contact_name.clone());
    a.contact_email = Set(d.contact_email.clone());
    a.contact_phone = Set(d.contact_phone.clone());
    a.interest_until = Set(t.interest_until);
    a.status = Set(t.status);
    a.updated_at = Set(now);
    if first && t.status == Status::Published {
        a.published_at = Set(Some(now));
    }
    let id = match before {
        Some(_) => a.update(db).await?.id,
        None => {
            partner_activity::Entity::insert(a)
                .exec(db)
                .await?
                .last_insert_id
        }
    };
    audit::record(
        db,
        actor,
        if before.is_some() {
            "partner_activity.update"
        } else {
            "partner_activity.create"
        },
        "partner_activity",
        id,
        before.as_ref(),
        Some(d),
    )
    .await?;
    Ok(id)
}

/// Declarations are open for a published activity until `interest_until` (or its start).
pub fn accepts_interest(a: &partner_activity::Model, now: DateTime<Utc>) -> bool {
    a.status == Status::Published && now <= a.interest_until.unwrap_or(a.starts_at)
}

/// What an organisation declares.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InterestData {
    pub organization_id: Option<i64>,
    pub organization_name: String,
    pub contact_name: String,
    pub email: String,
    pub phone: String,
    pub offer: String,
}

impl InterestData {
    pub fn validate(&mut self) -> FieldErrors {
        let mut e = FieldErrors::new();
        for s in [
            &mut self.organization_name,
            &mut self.contact_name,
            &mut self.email,
            &mut self.phone,
            &mut self.offer,
        ] {
            *s = s.trim().to_owned();
        }
        if self.organization_name.is_empty() {
            e.insert("organization_name".into(), "error-interest-organization");
        }
        if self.contact_name.is_empty() {
            e.insert("contact_name".into(), "error-partner-contact-name");
        }
        match normalize_email(&self.email) {
            Some(m) => self.email = m,
            None => {
                e.insert("email".into(), "error-partner-email");
            }
        }
        if !self.phone.is_empty() {
            match normalize_phone(&self.phone) {
                Some(p) => self.phone = p,
                None => {
                    e.insert("phone".into(), "error-phone");
                }
            }
        }
        if self.offer.is_empty() {
            e.insert("offer".into(), "error-interest-offer");
        }
        crate::partners::limits::INTEREST.check_into(
            &mut e,
            &[
                ("organization_name", &self.organization_name),
                ("contact_name", &self.contact_name),
                ("email", &self.email),
                ("phone", &self.phone),
                ("offer", &self.offer),
            ],
        );
        e
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DeclareError {
    #[error("this address has already declared interest")]
    Duplicate,
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Records a declaration and, in the same transaction, e-mails the activity's contact and the
/// declarer. The unique index makes a second declaration from one address fail, also under races.
pub async fn declare(
    db: &sea_orm::DatabaseConnection,
    a: &partner_activity::Model,
    d: &InterestData,
    user_id: Option<i64>,
    lang: Lang,
    public_url: &str,
) -> Result<i64, DeclareError> {
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let exists = partner_interest::Entity::find()
        .filter(partner_interest::Column::ActivityId.eq(a.id))
        .filter(partner_interest::Column::Email.eq(d.email.clone()))
        .one(&txn)
        .await?;
    if exists.is_some() {
        return Err(DeclareError::Duplicate);
    }
    let row = partner_interest::ActiveModel {
        activity_id: Set(a.id),
        organization_id: Set(d.organization_id),
        organization_name: Set(d.organization_name.clone()),
        contact_name: Set(d.contact_name.clone()),
        email: Set(d.email.clone()),
        phone: Set(d.phone.clone()),
        offer: Set(d.offer.clone()),
        user_id: Set(user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    let id = match partner_interest::Entity::insert(row).exec(&txn).await {
        Ok(r) => r.last_insert_id,
        Err(e) if is_unique_violation(&e) => return Err(DeclareError::Duplicate),
        Err(e) => return Err(e.into()),
    };
    let base = public_url.trim_end_matches('/');
    let vars = serde_json::json!({
        "activity": a.title,
        "organization": d.organization_name,
        "contact": d.contact_name,
        "email": d.email,
        "phone": d.phone,
        "offer": d.offer,
        "link": format!("{base}/panel/wspolpraca/{}/zgloszenia", a.id),
        "page": format!("{base}/wspolpraca/{}", a.slug),
    });
    let vars = vars.as_object().cloned().unwrap_or_default();
    // The declarer's address is not verified: its confirmation carries nothing they typed.
    let confirm_vars = serde_json::json!({
        "activity": a.title,
        "page": format!("{base}/wspolpraca/{}", a.slug),
    });
    let confirm_vars = confirm_vars.as_object().cloned().unwrap_or_default();
    enqueue_mail(
        &txn,
        MailJob {
            to: a.contact_email.clone(),
            template: "partner_interest_new".into(),
            lang: Lang::Pl,
            vars: vars.clone(),
        },
        Some(format!("partner-interest-new:{id}")),
    )
    .await?;
    enqueue_mail(
        &txn,
        MailJob {
            to: d.email.clone(),
            template: "partner_interest_confirm".into(),
            lang,
            vars: confirm_vars,
        },
        Some(format!("partner-interest-confirm:{id}")),
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

fn is_unique_violation(e: &DbErr) -> bool {
    matches!(
        e.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

/// Panel count for officials: media and patronage requests not decided yet (new or taken up).
pub fn media_waiting_count<'a>(
    state: &'a wspolnie_web::AppState,
    _: &'a wspolnie_web::policy::Account,
) -> wspolnie_web::ctx::CountFuture<'a> {
    Box::pin(async move {
        use crate::partners::entity::media_request;
        use sea_orm::PaginatorTrait;
        Ok(Some(
            media_request::Entity::find()
                .filter(media_request::Column::Status.is_in([
                    media_request::Status::New,
                    media_request::Status::InProgress,
                ]))
                .count(&state.platform.db.conn)
                .await?,
        ))
    })
}

/// Panel count: declarations of interest in published activities that have not started yet —
/// the organisations the office is to answer before the activity.
pub fn declarations_ahead_count<'a>(
    state: &'a wspolnie_web::AppState,
    _: &'a wspolnie_web::policy::Account,
) -> wspolnie_web::ctx::CountFuture<'a> {
    Box::pin(async move {
        use crate::partners::entity::{partner_activity, partner_interest};
        use sea_orm::{PaginatorTrait, QuerySelect};
        let db = &state.platform.db.conn;
        let ahead: Vec<i64> = partner_activity::Entity::find()
            .select_only()
            .column(partner_activity::Column::Id)
            .filter(partner_activity::Column::Status.eq(partner_activity::Status::Published))
            .filter(partner_activity::Column::StartsAt.gt(Utc::now()))
            .into_tuple()
            .all(db)
            .await?;
        if ahead.is_empty() {
            return Ok(Some(0));
        }
        Ok(Some(
            partner_interest::Entity::find()
                .filter(partner_interest::Column::ActivityId.is_in(ahead))
                .count(db)
                .await?,
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activity_validation() {
        let now = Utc::now();
        let mut d = ActivityData {
            status: "published".into(),
            contact_email: "zly adres".into(),
            start_date: "2020-01-01".into(),
            ..Default::default()
        };
        let (e, t) = d.validate(now);
        assert!(t.is_none());
        for f in [
            "title",
            "description",
            "help_sought",
            "place",
            "contact_email",
            "start_date",
        ] {
            assert!(e.contains_key(f), "{f}: {e:?}");
        }
        let next_year = (now + Duration::days(200)).with_timezone(&TZ);
        let mut d = ActivityData {
            title: "Dożynki miejskie".into(),
            description: "Święto plonów na Rynku.".into(),
            help_sought: "stoiska z rękodziełem\nwolontariusze do obsługi".into(),
            start_date: next_year.format("%Y-%m-%d").to_string(),
            start_time: "12:00".into(),
            place: "Rynek".into(),
            contact_name: "Anna Nowak".into(),
            contact_email: "Anna.Nowak@Wierzbin.example".into(),
            interest_until: (next_year - Duration::days(30))
                .format("%Y-%m-%d")
                .to_string(),
            status: "published".into(),
            ..Default::default()
        };
        let (e, t) = d.validate(now);
        assert!(e.is_empty(), "{e:?}");
        let t = t.expect("times");
        assert!(t.interest_until.is_some_and(|u| u < t.starts_at));
        assert_eq!(d.contact_email, "anna.nowak@wierzbin.example");
        d.interest_until = (next_year + Duration::days(5))
            .format("%Y-%m-%d")
            .to_string();
        let (e, _) = d.validate(now);
        assert_eq!(
            e.get("interest_until").copied(),
            Some("error-partner-until")
        );
    }
}
