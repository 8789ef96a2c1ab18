//! The programme's statutory deadlines (law as data): the programme for a year is adopted by
//! 30 November of the year before (art. 5a ust. 1 UDPP) and the report on a year is published by
//! 31 May of the next (art. 5a ust. 3); the officials in charge (scope `programme`) are reminded
//! 30 and 7 days before a deadline that is not met. The dates and the days are dated settings.

use super::entity::programme::Status;
use super::entity::programme_report::Status as ReportStatus;
use super::store;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use wspolnie_platform::entity::{role_grant, user};
use wspolnie_platform::i18n::Lang;
use wspolnie_platform::law::{self, Dated, Statute};
use wspolnie_platform::mail::{MailJob, enqueue_mail};

/// The values the area reads by the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The day of the year before by which the programme is adopted, as month × 100 + day.
    ProgrammeDue,
    /// The day of the year after by which the report is published, as month × 100 + day.
    ReportDue,
    /// Days before a deadline of the first reminder.
    RemindFirst,
    /// Days before a deadline of the last reminder.
    RemindLast,
}

const FROM_2010: NaiveDate = match NaiveDate::from_ymd_opt(2010, 6, 12) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

impl Statute for Rule {
    fn key(self) -> &'static str {
        match self {
            Rule::ProgrammeDue => "programme.law.programme_due",
            Rule::ReportDue => "programme.law.report_due",
            Rule::RemindFirst => "programme.law.remind_first",
            Rule::RemindLast => "programme.law.remind_last",
        }
    }

    fn defaults(self) -> &'static [Dated] {
        match self {
            // Art. 5a ust. 1 and ust. 3 as amended in 2010 (Dz.U. 2010 nr 28 poz. 146).
            Rule::ProgrammeDue => &[Dated { from: FROM_2010, value: 1130 }],
            Rule::ReportDue => &[Dated { from: FROM_2010, value: 531 }],
            Rule::RemindFirst => &[Dated { from: FROM_2010, value: 30 }],
            Rule::RemindLast => &[Dated { from: FROM_2010, value: 7 }],
        }
    }
}

fn month_day(year: i32, md: i64) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, u32::try_from(md / 100).ok()?, u32::try_from(md % 100).ok()?)
}

/// What is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// The programme for this year.
    Programme(i32),
    /// The report on this year.
    Report(i32),
}

/// One deadline and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub what: What,
    pub due: NaiveDate,
    /// Met (on the day it was met, when known).
    pub done: Option<NaiveDate>,
    /// Days left (negative: overdue); meaningless once done.
    pub days_left: i64,
}

impl Deadline {
    pub fn late(&self) -> bool {
        match self.done {
            Some(d) => d > self.due,
            None => self.days_left < 0,
        }
    }
}

/// The day the programme for `year` is due.
pub async fn programme_due<C: ConnectionTrait>(db: &C, year: i32) -> Result<Option<NaiveDate>, DbErr> {
    let day = NaiveDate::from_ymd_opt(year - 1, 1, 1).unwrap_or(NaiveDate::MIN);
    Ok(month_day(year - 1, law::value(db, Rule::ProgrammeDue, day).await?))
}

/// The day the report on `year` is due.
pub async fn report_due<C: ConnectionTrait>(db: &C, year: i32) -> Result<Option<NaiveDate>, DbErr> {
    let day = NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap_or(NaiveDate::MIN);
    Ok(month_day(year + 1, law::value(db, Rule::ReportDue, day).await?))
}

/// The two deadlines the office works to on `today`: the programme for next year and the report
/// on last year.
pub async fn current<C: ConnectionTrait>(db: &C, today: NaiveDate) -> Result<Vec<Deadline>, DbErr> {
    let mut out = Vec::new();
    let next = today.year() + 1;
    if let Some(due) = programme_due(db, next).await? {
        let done = store::all(db)
            .await?
            .into_iter()
            .filter(|p| p.year_from <= next && next <= p.year_to)
            .filter(|p| matches!(p.status, Status::Adopted | Status::InForce | Status::Reported))
            .filter_map(|p| p.resolution_date)
            .min();
        out.push(Deadline { what: What::Programme(next), due, done, days_left: (due - today).num_days() });
    }
    let last = today.year() - 1;
    if let Some(due) = report_due(db, last).await? {
        let done = match store::for_year(db, last).await? {
            Some(p) => store::report_of(db, p.id, last)
                .await?
                .filter(|r| r.status == ReportStatus::Published)
                .and_then(|r| r.published_at)
                .map(|t| wspolnie_core::time::to_local(t).date_naive()),
            None => None,
        };
        out.push(Deadline { what: What::Report(last), due, done, days_left: (due - today).num_days() });
    }
    Ok(out)
}

/// Queues the reminders due by `now` for deadlines not met: to every official of the
/// `programme` scope, once per deadline, reminder and address (the job's key). Called by the
/// hourly housekeeping of every instance.
pub async fn remind<C: ConnectionTrait>(db: &C, base: &str, now: DateTime<Utc>) -> Result<usize, DbErr> {
    let today = wspolnie_core::time::to_local(now).date_naive();
    let first = law::value(db, Rule::RemindFirst, today).await?;
    let last = law::value(db, Rule::RemindLast, today).await?;
    let mut queued = 0;
    for d in current(db, today).await? {
        if d.done.is_some() || d.days_left < 0 {
            continue;
        }
        let Some(step) = [last, first].into_iter().find(|n| d.days_left <= *n) else { continue };
        let ids: Vec<i64> = role_grant::Entity::find()
            .filter(role_grant::Column::Role.eq("official"))
            .filter(role_grant::Column::Scope.eq(super::SCOPE))
            .all(db)
            .await?
            .into_iter()
            .map(|g| g.user_id)
            .collect();
        let people = user::Entity::find()
            .filter(user::Column::Id.is_in(ids))
            .filter(user::Column::DeletedAt.is_null())
            .all(db)
            .await?;
        let (kind, year) = match d.what {
            What::Programme(y) => ("programme", y),
            What::Report(y) => ("report", y),
        };
        for u in people {
            let mut vars = serde_json::Map::new();
            vars.insert("kind".into(), kind.into());
            vars.insert("year".into(), year.to_string().into());
            vars.insert("due".into(), d.due.format("%d.%m.%Y").to_string().into());
            vars.insert("days".into(), d.days_left.to_string().into());
            vars.insert("link".into(), format!("{}/panel/program", base.trim_end_matches('/')).into());
            if enqueue_mail(
                db,
                MailJob {
                    to: u.email.clone(),
                    template: "programme_deadline".into(),
                    lang: Lang::parse(&u.locale).unwrap_or(Lang::Pl),
                    vars,
                },
                Some(format!("programme-remind-{kind}-{year}-{step}-{}", u.id)),
            )
            .await?
            {
                queued += 1;
            }
        }
    }
    Ok(queued)
}
