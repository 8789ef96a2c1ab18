//! The figures of a programme's yearly report (art. 5a ust. 3 UDPP), computed from what the
//! platform holds: calls, offers, grants, small grants, contracts, payments and returns;
//! consultations and their remarks; meetings and attendance; trainings in the calendar; city
//! activities open to partners; patronages; the newsletter's reach. One read of each table,
//! narrowed by the year, summed here (the same on both databases).
//!
//! **Which year a thing belongs to** (Warsaw time): a call or a small-grant register by the first
//! day of its tasks (`execution_from`) — calls announced in December for the next year count in
//! the year their tasks are carried out, as the programme they serve; payments and returns by the
//! day they were made; consultations, meetings, trainings and partner activities by their start;
//! patronages by the day they were asked for; mailings by the day they were sent; newsletter
//! subscribers as they stood at the end of the year.

use super::entity::{programme_indicator, programme_task};
use crate::calendar::entity::event;
use crate::consultations::entity::consultation::{self, Status as ConsultationStatus};
use crate::consultations::entity::consultation_remark::{self as remark, Position};
use crate::grants::entity::grant_call::{self, Kind};
use crate::grants::entity::grant_contract::{self, Status as ContractStatus};
use crate::grants::entity::grant_offer::{self, Status as OfferStatus};
use crate::grants::entity::{grant_decision_line, grant_return, grant_small_offer, grant_tranche};
use crate::mailings::entity::{mailing, newsletter_subscriber};
use crate::meetings::entity::{meeting, meeting_invitation};
use crate::moderation::lifecycle::Publication;
use crate::partners::entity::{media_request, partner_activity, partner_interest};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Calendar categories counted as trainings (non-financial cooperation: capacity building).
pub const TRAINING_CATEGORIES: &[&str] = &["szkolenie", "warsztaty"];

/// One row of a breakdown (per priority task or per sphere).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// The task's number ("1", "2" …, "" for calls naming no task of the programme) or the
    /// sphere's code.
    pub key: String,
    /// The task's name (spheres are named when shown).
    pub label: String,
    /// Funds the programme planned (tasks only), grosze.
    pub planned: Option<i64>,
    pub calls: u64,
    pub offers: u64,
    pub granted_count: u64,
    /// Grosze.
    pub granted: i64,
}

/// Every figure of one year's report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub year: i32,
    // Financial cooperation.
    pub calls: u64,
    pub calls_annulled: u64,
    pub offers: u64,
    pub offers_granted: u64,
    pub granted: i64,
    pub small_offers: u64,
    pub small_granted_count: u64,
    pub small_granted: i64,
    pub contracts: u64,
    pub contracts_settled: u64,
    pub paid: i64,
    pub returned: i64,
    pub organisations_offering: u64,
    pub by_task: Vec<Row>,
    pub by_sphere: Vec<Row>,
    // Non-financial cooperation.
    pub organisations_taking_part: u64,
    pub consultations: u64,
    pub remarks: u64,
    pub remarks_accepted: u64,
    pub remarks_partly: u64,
    pub meetings: u64,
    pub meeting_invitations: u64,
    pub meeting_attendance: u64,
    pub trainings: u64,
    pub partner_activities: u64,
    pub partner_interests: u64,
    pub patronages: u64,
    pub promotions: u64,
    pub subscribers: u64,
    pub mailings: u64,
    pub mails_sent: u64,
}

crate::status_enum! {
    /// Where an indicator's value comes from: one of the figures, or the office's own count.
    pub enum Metric {
        Calls = "calls",
        Offers = "offers",
        OffersGranted = "offers_granted",
        Granted = "granted",
        SmallGrants = "small_grants",
        Paid = "paid",
        OrganisationsOffering = "organisations_offering",
        OrganisationsTakingPart = "organisations_taking_part",
        Consultations = "consultations",
        Remarks = "remarks",
        RemarksAccepted = "remarks_accepted",
        Meetings = "meetings",
        Attendance = "attendance",
        Trainings = "trainings",
        PartnerActivities = "partner_activities",
        Patronages = "patronages",
        Subscribers = "subscribers",
        Manual = "manual",
    }
}

impl Metric {
    /// Fluent id of its name.
    pub fn label_key(self) -> String {
        format!("prog-metric-{}", self.as_str().replace('_', "-"))
    }

    /// Whether its values are money (grosze).
    pub fn is_money(self) -> bool {
        matches!(self, Metric::Granted | Metric::Paid)
    }

    /// Its value in `f`; `None` for a manual indicator.
    pub fn value(self, f: &Figures) -> Option<i64> {
        let n = |v: u64| Some(i64::try_from(v).unwrap_or(i64::MAX));
        match self {
            Metric::Calls => n(f.calls),
            Metric::Offers => n(f.offers),
            Metric::OffersGranted => n(f.offers_granted),
            Metric::Granted => Some(f.granted.saturating_add(f.small_granted)),
            Metric::SmallGrants => n(f.small_granted_count),
            Metric::Paid => Some(f.paid),
            Metric::OrganisationsOffering => n(f.organisations_offering),
            Metric::OrganisationsTakingPart => n(f.organisations_taking_part),
            Metric::Consultations => n(f.consultations),
            Metric::Remarks => n(f.remarks),
            Metric::RemarksAccepted => n(f.remarks_accepted.saturating_add(f.remarks_partly)),
            Metric::Meetings => n(f.meetings),
            Metric::Attendance => n(f.meeting_attendance),
            Metric::Trainings => n(f.trainings),
            Metric::PartnerActivities => n(f.partner_activities),
            Metric::Patronages => n(f.patronages),
            Metric::Subscribers => n(f.subscribers),
            Metric::Manual => None,
        }
    }
}

/// An indicator's value against its target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorValue {
    pub name: String,
    pub metric: Metric,
    pub target: i64,
    pub value: Option<i64>,
    /// The value as a share of the target, in whole per cent (rounded down).
    pub percent: Option<i64>,
}

/// The programme's indicators with their values for the year: computed ones from `f`, manual
/// ones from the office's `manual` values (by indicator id).
pub fn indicators(list: &[programme_indicator::Model], f: &Figures, manual: &HashMap<i64, i64>) -> Vec<IndicatorValue> {
    list.iter()
        .map(|i| {
            let metric = Metric::parse(&i.metric).unwrap_or(Metric::Manual);
            let value = metric.value(f).or_else(|| manual.get(&i.id).copied());
            IndicatorValue {
                name: i.name.clone(),
                metric,
                target: i.target,
                value,
                percent: value.filter(|_| i.target > 0).map(|v| {
                    i64::try_from(i128::from(v) * 100 / i128::from(i.target)).unwrap_or(i64::MAX)
                }),
            }
        })
        .collect()
}

/// The first and the last moment (exclusive) of a Warsaw year, in UTC.
pub fn year_bounds(year: i32) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let start = NaiveDate::from_ymd_opt(year, 1, 1)?.and_time(NaiveTime::MIN);
    let end = NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?.and_time(NaiveTime::MIN);
    Some((wspolnie_core::time::local_to_utc(start)?, wspolnie_core::time::local_to_utc(end)?))
}

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// The figures of `year` for a programme whose priority tasks are `tasks`.
pub async fn compute<C: ConnectionTrait>(db: &C, year: i32, tasks: &[programme_task::Model]) -> Result<Figures, DbErr> {
    let Some((start, end)) = year_bounds(year) else {
        return Ok(Figures { year, ..Default::default() });
    };
    let (first_day, last_day) = match (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) {
        (Some(a), Some(b)) => (a, b),
        _ => return Ok(Figures { year, ..Default::default() }),
    };
    let mut f = Figures { year, ..Default::default() };

    // Calls and registers of the year (by their tasks' first day), not drafts.
    let calls: Vec<(i64, Kind, grant_call::Status, String, Option<i64>)> = grant_call::Entity::find()
        .filter(grant_call::Column::ExecutionFrom.between(first_day, last_day))
        .filter(grant_call::Column::Status.ne(grant_call::Status::Draft))
        .select_only()
        .column(grant_call::Column::Id)
        .column(grant_call::Column::Kind)
        .column(grant_call::Column::Status)
        .column(grant_call::Column::SphereCode)
        .column(grant_call::Column::ProgrammeTaskId)
        .into_tuple()
        .all(db)
        .await?;
    let call_of: HashMap<i64, &(i64, Kind, grant_call::Status, String, Option<i64>)> =
        calls.iter().map(|c| (c.0, c)).collect();
    f.calls = count(calls.iter().filter(|c| c.1 == Kind::Open).count());
    f.calls_annulled =
        count(calls.iter().filter(|c| c.1 == Kind::Open && c.2 == grant_call::Status::Annulled).count());
    let call_ids: Vec<i64> = calls.iter().map(|c| c.0).collect();

    // Offers submitted in them (not drafts, not withdrawn).
    let mut offers: Vec<(i64, i64, i64, OfferStatus)> = Vec::new();
    for chunk in call_ids.chunks(500) {
        offers.extend(
            grant_offer::Entity::find()
                .filter(grant_offer::Column::CallId.is_in(chunk.iter().copied()))
                .filter(grant_offer::Column::SubmittedAt.is_not_null())
                .filter(grant_offer::Column::Status.is_not_in([OfferStatus::Draft, OfferStatus::Withdrawn]))
                .select_only()
                .column(grant_offer::Column::Id)
                .column(grant_offer::Column::CallId)
                .column(grant_offer::Column::OrganizationId)
                .column(grant_offer::Column::Status)
                .into_tuple::<(i64, i64, i64, OfferStatus)>()
                .all(db)
                .await?,
        );
    }
    let offer_of: HashMap<i64, &(i64, i64, i64, OfferStatus)> = offers.iter().map(|o| (o.0, o)).collect();

    // Decision lines above zero of those offers, not declined.
    let mut lines: Vec<(i64, i64)> = Vec::new();
    for chunk in call_ids.chunks(500) {
        lines.extend(
            grant_decision_line::Entity::find()
                .filter(grant_decision_line::Column::CallId.is_in(chunk.iter().copied()))
                .filter(grant_decision_line::Column::Amount.gt(0))
                .select_only()
                .column(grant_decision_line::Column::OfferId)
                .column(grant_decision_line::Column::Amount)
                .into_tuple::<(i64, i64)>()
                .all(db)
                .await?,
        );
    }
    let granted: HashMap<i64, i64> = lines
        .into_iter()
        .filter(|(offer, _)| offer_of.get(offer).is_some_and(|o| o.3 != OfferStatus::Declined))
        .collect();

    // Small grants' spheres, as filed at publication.
    let offer_ids: Vec<i64> = offers.iter().map(|o| o.0).collect();
    let mut small_sphere: HashMap<i64, String> = HashMap::new();
    for chunk in offer_ids.chunks(500) {
        let rows: Vec<(i64, String)> = grant_small_offer::Entity::find()
            .filter(grant_small_offer::Column::OfferId.is_in(chunk.iter().copied()))
            .select_only()
            .column(grant_small_offer::Column::OfferId)
            .column(grant_small_offer::Column::SphereCode)
            .into_tuple()
            .all(db)
            .await?;
        small_sphere.extend(rows.into_iter().filter(|(_, s)| !s.is_empty()));
    }

    // The breakdowns.
    let mut by_task: BTreeMap<String, Row> = BTreeMap::new();
    for t in tasks {
        let key = t.position.to_string();
        by_task.insert(
            format!("{:05}", t.position),
            Row { key, label: t.name.clone(), planned: Some(t.planned_funds), ..Default::default() },
        );
    }
    let task_key = |task_id: Option<i64>, sphere: &str| -> String {
        let by_id = task_id.and_then(|id| tasks.iter().find(|t| t.id == id));
        let by_sphere = || tasks.iter().find(|t| t.sphere_codes().contains(&sphere));
        match by_id {
            Some(t) => format!("{:05}", t.position),
            // A small grant falls under the first task of its sphere when its register names none.
            None if task_id.is_none() => by_sphere().map(|t| format!("{:05}", t.position)).unwrap_or_else(|| "99999".into()),
            None => "99999".into(),
        }
    };
    let mut by_sphere: BTreeMap<String, Row> = BTreeMap::new();
    let mut organisations_offering: HashSet<i64> = HashSet::new();
    for c in &calls {
        if c.1 == Kind::Open {
            by_task.entry(task_key(c.4, "")).or_default().calls += 1;
            by_sphere.entry(c.3.clone()).or_default().calls += 1;
        }
    }
    for o in &offers {
        let Some(c) = call_of.get(&o.1) else { continue };
        organisations_offering.insert(o.2);
        let sphere = if c.1 == Kind::Small { small_sphere.get(&o.0).unwrap_or(&c.3).clone() } else { c.3.clone() };
        let task = if c.1 == Kind::Small { task_key(c.4, &sphere) } else { task_key(c.4, "") };
        let amount = granted.get(&o.0).copied();
        for row in [by_task.entry(task).or_default(), by_sphere.entry(sphere).or_default()] {
            row.offers += 1;
            if let Some(a) = amount {
                row.granted_count += 1;
                row.granted = row.granted.saturating_add(a);
            }
        }
        match (c.1, amount) {
            (Kind::Open, a) => {
                f.offers += 1;
                if let Some(a) = a {
                    f.offers_granted += 1;
                    f.granted = f.granted.saturating_add(a);
                }
            }
            (Kind::Small, a) => {
                f.small_offers += 1;
                if let Some(a) = a {
                    f.small_granted_count += 1;
                    f.small_granted = f.small_granted.saturating_add(a);
                }
            }
        }
    }
    f.organisations_offering = count(organisations_offering.len());
    f.by_task = by_task
        .into_iter()
        .map(|(k, mut r)| {
            if k == "99999" {
                r.key = String::new();
            }
            r
        })
        .filter(|r| !r.key.is_empty() || r.calls + r.offers > 0)
        .collect();
    f.by_sphere = by_sphere
        .into_iter()
        .map(|(code, mut r)| {
            r.key = code;
            r
        })
        .collect();

    // Contracts of those offers; payments and returns made in the year.
    let mut contracts: Vec<ContractStatus> = Vec::new();
    for chunk in offer_ids.chunks(500) {
        contracts.extend(
            grant_contract::Entity::find()
                .filter(grant_contract::Column::OfferId.is_in(chunk.iter().copied()))
                .select_only()
                .column(grant_contract::Column::Status)
                .into_tuple::<ContractStatus>()
                .all(db)
                .await?,
        );
    }
    f.contracts = count(contracts.len());
    f.contracts_settled = count(contracts.iter().filter(|s| **s == ContractStatus::Settled).count());
    let paid: Vec<i64> = grant_tranche::Entity::find()
        .filter(grant_tranche::Column::PaidOn.between(first_day, last_day))
        .select_only()
        .column(grant_tranche::Column::Amount)
        .into_tuple()
        .all(db)
        .await?;
    f.paid = paid.iter().fold(0i64, |a, b| a.saturating_add(*b));
    let returned: Vec<i64> = grant_return::Entity::find()
        .filter(grant_return::Column::PaidOn.between(first_day, last_day))
        .select_only()
        .column(grant_return::Column::Amount)
        .into_tuple()
        .all(db)
        .await?;
    f.returned = returned.iter().fold(0i64, |a, b| a.saturating_add(*b));

    // Consultations begun in the year and their remarks.
    let cons: Vec<i64> = consultation::Entity::find()
        .filter(consultation::Column::StartsAt.gte(start))
        .filter(consultation::Column::StartsAt.lt(end))
        .filter(consultation::Column::Status.ne(ConsultationStatus::Draft))
        .select_only()
        .column(consultation::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    f.consultations = count(cons.len());
    let mut taking_part: HashSet<i64> = organisations_offering;
    for chunk in cons.chunks(500) {
        let rows: Vec<(Option<i64>, Option<Position>)> = remark::Entity::find()
            .filter(remark::Column::ConsultationId.is_in(chunk.iter().copied()))
            .select_only()
            .column(remark::Column::OrganizationId)
            .column(remark::Column::Position)
            .into_tuple()
            .all(db)
            .await?;
        f.remarks += count(rows.len());
        f.remarks_accepted += count(rows.iter().filter(|r| r.1 == Some(Position::Accepted)).count());
        f.remarks_partly += count(rows.iter().filter(|r| r.1 == Some(Position::Partly)).count());
        taking_part.extend(rows.iter().filter_map(|r| r.0));
    }

    // Meetings held in the year (invitations sent, not cancelled) and who came.
    let meetings: Vec<i64> = meeting::Entity::find()
        .filter(meeting::Column::StartsAt.gte(start))
        .filter(meeting::Column::StartsAt.lt(end))
        .filter(meeting::Column::Status.eq(meeting::Status::Invited))
        .select_only()
        .column(meeting::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    f.meetings = count(meetings.len());
    for chunk in meetings.chunks(500) {
        let rows: Vec<(meeting_invitation::Status, i32, Option<i64>)> = meeting_invitation::Entity::find()
            .filter(meeting_invitation::Column::MeetingId.is_in(chunk.iter().copied()))
            .select_only()
            .column(meeting_invitation::Column::Status)
            .column(meeting_invitation::Column::PartySize)
            .column(meeting_invitation::Column::OrganizationId)
            .into_tuple()
            .all(db)
            .await?;
        f.meeting_invitations += count(rows.len());
        for (status, party, org) in rows {
            if status == meeting_invitation::Status::Attending {
                f.meeting_attendance += u64::try_from(party.max(1)).unwrap_or(1);
                taking_part.extend(org);
            }
        }
    }

    // Trainings and workshops published in the calendar.
    let trainings: Vec<i64> = event::Entity::find()
        .filter(event::Column::StartsAt.gte(start))
        .filter(event::Column::StartsAt.lt(end))
        .filter(event::Column::Status.eq(Publication::Published))
        .filter(event::Column::Category.is_in(TRAINING_CATEGORIES.iter().copied()))
        .select_only()
        .column(event::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    f.trainings = count(trainings.len());

    // City activities open to partners, and the organisations that offered to join.
    let activities: Vec<i64> = partner_activity::Entity::find()
        .filter(partner_activity::Column::StartsAt.gte(start))
        .filter(partner_activity::Column::StartsAt.lt(end))
        .filter(partner_activity::Column::Status.ne(partner_activity::Status::Draft))
        .select_only()
        .column(partner_activity::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    f.partner_activities = count(activities.len());
    for chunk in activities.chunks(500) {
        let rows: Vec<Option<i64>> = partner_interest::Entity::find()
            .filter(partner_interest::Column::ActivityId.is_in(chunk.iter().copied()))
            .select_only()
            .column(partner_interest::Column::OrganizationId)
            .into_tuple()
            .all(db)
            .await?;
        f.partner_interests += count(rows.len());
        taking_part.extend(rows.into_iter().flatten());
    }
    f.organisations_taking_part = count(taking_part.len());

    // Patronages and promotion granted to organisations' events.
    let media: Vec<String> = media_request::Entity::find()
        .filter(media_request::Column::CreatedAt.gte(start))
        .filter(media_request::Column::CreatedAt.lt(end))
        .filter(media_request::Column::Status.eq(media_request::Status::Accepted))
        .select_only()
        .column(media_request::Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    f.patronages = count(media.iter().filter(|k| *k == "patronage").count());
    f.promotions = count(media.iter().filter(|k| *k == "promotion").count());

    // The newsletter's reach: confirmed subscribers at the year's end; mailings sent in it.
    let gone: Vec<Option<DateTime<Utc>>> = newsletter_subscriber::Entity::find()
        .filter(newsletter_subscriber::Column::ConfirmedAt.lt(end))
        .select_only()
        .column(newsletter_subscriber::Column::UnsubscribedAt)
        .into_tuple()
        .all(db)
        .await?;
    f.subscribers = count(gone.iter().filter(|g| g.is_none_or(|g| g >= end)).count());
    let sent: Vec<(Option<DateTime<Utc>>, i32)> = mailing::Entity::find()
        .filter(mailing::Column::Status.eq(mailing::Status::Sent))
        .filter(mailing::Column::FinishedAt.gte(start))
        .filter(mailing::Column::FinishedAt.lt(end))
        .select_only()
        .column(mailing::Column::FinishedAt)
        .column(mailing::Column::RecipientsTotal)
        .into_tuple()
        .all(db)
        .await?;
    f.mailings = count(sent.len());
    f.mails_sent = sent.iter().map(|(_, n)| u64::try_from(*n).unwrap_or(0)).sum();
    Ok(f)
}

/// One figure compared with the year before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// Fluent id of the figure's name.
    pub label: &'static str,
    pub money: bool,
    pub before: i64,
    pub now: i64,
}

/// The figures compared year on year.
pub fn compare(before: &Figures, now: &Figures) -> Vec<Comparison> {
    fn n(v: u64) -> i64 {
        i64::try_from(v).unwrap_or(i64::MAX)
    }
    type Get = fn(&Figures) -> i64;
    let pairs: [(&'static str, bool, Get); 14] = [
        ("prog-fig-calls", false, |f| n(f.calls)),
        ("prog-fig-offers", false, |f| n(f.offers)),
        ("prog-fig-granted", true, |f| f.granted),
        ("prog-fig-small-granted", true, |f| f.small_granted),
        ("prog-fig-paid", true, |f| f.paid),
        ("prog-fig-returned", true, |f| f.returned),
        ("prog-fig-organisations-offering", false, |f| n(f.organisations_offering)),
        ("prog-fig-organisations-taking-part", false, |f| n(f.organisations_taking_part)),
        ("prog-fig-consultations", false, |f| n(f.consultations)),
        ("prog-fig-remarks", false, |f| n(f.remarks)),
        ("prog-fig-meetings", false, |f| n(f.meetings)),
        ("prog-fig-attendance", false, |f| n(f.meeting_attendance)),
        ("prog-fig-partner-activities", false, |f| n(f.partner_activities)),
        ("prog-fig-patronages", false, |f| n(f.patronages)),
    ];
    pairs.iter().map(|(label, money, get)| Comparison { label, money: *money, before: get(before), now: get(now) }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_is_bounded_by_warsaw_midnights() {
        let (s, e) = year_bounds(2026).expect("bounds");
        assert_eq!(s.to_rfc3339(), "2025-12-31T23:00:00+00:00");
        assert_eq!(e.to_rfc3339(), "2026-12-31T23:00:00+00:00");
    }

    #[test]
    fn indicators_take_computed_or_manual_values_and_their_share_of_the_target() {
        let f = Figures { calls: 12, granted: 100_000, small_granted: 50_000, ..Default::default() };
        let ind = |id, metric: &str, target| programme_indicator::Model {
            id,
            programme_id: 1,
            position: 1,
            name: format!("i{id}"),
            metric: metric.into(),
            target,
        };
        let list = [ind(1, "calls", 10), ind(2, "granted", 300_000), ind(3, "manual", 40), ind(4, "manual", 5), ind(5, "bogus", 0)];
        let manual = HashMap::from([(3, 30)]);
        let v = indicators(&list, &f, &manual);
        assert_eq!((v[0].value, v[0].percent), (Some(12), Some(120)));
        assert_eq!((v[1].value, v[1].percent), (Some(150_000), Some(50)));
        assert_eq!((v[2].value, v[2].percent), (Some(30), Some(75)));
        assert_eq!((v[3].value, v[3].percent), (None, None));
        // An unknown metric reads as manual; a zero target has no share.
        assert_eq!((v[4].metric, v[4].percent), (Metric::Manual, None));
    }
}
