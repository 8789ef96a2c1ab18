//! Calls for offers (art. 13 UDPP): the officials' form (`CallData`, validated in one place),
//! saving with an audit entry, the life cycle (announce, the clock's moves, evaluation,
//! annulment), cloning, and the tasks of the same type funded this year and last year.

use crate::grants::entity::grant_call::{self, Status, allowed};
use crate::grants::law::{self, Law};
use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use wspolnie_core::money::Money;
use wspolnie_core::text::slugify;
use wspolnie_core::time::{TZ, local_to_utc, parse_form_date, parse_form_time};
use wspolnie_platform::audit::{self, Actor};

pub use crate::directory::model::FieldErrors;

/// Kinds of own contribution a call may count towards its minimum.
pub const OWN_KINDS: &[&str] = &["financial", "personal", "in_kind"];

/// A selection criterion with its point scale and weight.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Criterion {
    pub name: String,
    /// The most points a member may give (0 to this).
    pub max_points: u32,
    /// Its weight in the average (1 = plain).
    pub weight: u32,
}

/// A task of the same type the office funded (art. 13 ust. 2 pkt 8 UDPP).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PriorFunding {
    pub year: i32,
    pub task: String,
    /// Grosze.
    pub amount: i64,
}

/// The criteria of art. 15 ust. 1 UDPP, offered for a new call (the office changes scales and
/// weights and adds its own). Fluent ids of their names.
pub const STATUTORY_CRITERIA: &[&str] = &[
    "call-criterion-feasibility",
    "call-criterion-costs",
    "call-criterion-quality",
    "call-criterion-own-funds",
    "call-criterion-volunteers",
    "call-criterion-reliability",
];

/// The formal checklist offered for a new call (Fluent ids).
pub const DEFAULT_CHECKLIST: &[&str] = &[
    "call-check-on-time",
    "call-check-form",
    "call-check-eligible",
    "call-check-representation",
    "call-check-attachments",
    "call-check-limits",
];

/// Rows shown in the repeated parts of the form beyond those filled in.
pub const SPARE_ROWS: usize = 2;

/// A call as the officials' form holds it (text as typed, so errors show back what was typed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CallData {
    pub number: String,
    pub title: String,
    pub sphere_code: String,
    pub task_type: String,
    pub description: String,
    pub funds: String,
    pub grant_rules: String,
    pub execution_from: String,
    pub execution_to: String,
    pub execution_conditions: String,
    pub offers_from: String,
    pub deadline_date: String,
    pub deadline_time: String,
    pub selection_procedure: String,
    pub selection_date: String,
    pub criteria: Vec<CriterionRow>,
    pub prior: Vec<PriorRow>,
    pub formal_checklist: String,
    pub max_grant: String,
    pub min_own: String,
    pub own_kinds: Vec<String>,
    pub fees_allowed: bool,
    pub admin_cap: String,
    pub max_years: String,
    pub joint_allowed: bool,
    pub indicators_required: bool,
    pub required_attachments: String,
    pub correction_days: String,
    pub contact_name: String,
    pub contact_email: String,
}

/// A criterion as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CriterionRow {
    pub name: String,
    pub max_points: String,
    pub weight: String,
}

/// A task funded earlier, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PriorRow {
    pub year: String,
    pub task: String,
    pub amount: String,
}

/// The fields of the call form in page order (the error summary follows it); repeated rows are
/// `criterion-{n}-name` etc. and are ordered by `field_order`.
pub const CALL_FIELDS: &[&str] = &[
    "number",
    "title",
    "sphere_code",
    "task_type",
    "description",
    "funds",
    "grant_rules",
    "max_grant",
    "min_own",
    "own_kinds",
    "admin_cap",
    "fees_allowed",
    "max_years",
    "required_attachments",
    "execution_from",
    "execution_to",
    "execution_conditions",
    "offers_from",
    "deadline_date",
    "deadline_time",
    "selection_procedure",
    "selection_date",
    "criteria",
    "formal_checklist",
    "correction_days",
    "prior",
    "contact_name",
    "contact_email",
];

/// What valid `CallData` means, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallValues {
    pub funds: i64,
    pub execution_from: NaiveDate,
    pub execution_to: NaiveDate,
    pub offers_from: Option<DateTime<Utc>>,
    pub deadline: DateTime<Utc>,
    pub selection_date: NaiveDate,
    pub criteria: Vec<Criterion>,
    pub prior: Vec<PriorFunding>,
    pub max_grant: Option<i64>,
    pub min_own_bp: i32,
    pub own_kinds: Vec<&'static str>,
    pub admin_cap_bp: Option<i32>,
    pub max_years: i32,
    pub correction_days: i32,
}

/// Errors of the call form: field → Fluent id, and for a deadline too close to the
/// announcement the earliest date the law allows (the message names it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallErrors {
    pub fields: FieldErrors,
    pub earliest_deadline: Option<NaiveDate>,
}

fn money(s: &str) -> Option<i64> {
    Money::parse_pl(s).map(|m| m.grosze())
}

/// The moment a Warsaw day and time stand for; `time` empty = the end of the day (23:59).
pub fn warsaw(date: &str, time: &str) -> Option<DateTime<Utc>> {
    let d = parse_form_date(date)?;
    let t = if time.trim().is_empty() {
        NaiveTime::from_hms_opt(23, 59, 0)?
    } else {
        parse_form_time(time)?
    };
    local_to_utc(d.and_time(t))
}

/// The Warsaw calendar day of a moment.
pub fn warsaw_day(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&TZ).date_naive()
}

/// The earliest offer deadline the law allows for an announcement on `announced` (art. 13
/// ust. 1 UDPP, counted as KPA art. 57: the day after the announcement is day one, a last day on
/// a Saturday, Sunday or holiday moves to the next working day).
pub fn earliest_deadline(announced: NaiveDate, min_days: i64) -> NaiveDate {
    wspolnie_core::time::deadline_after(announced, min_days)
}

impl CallData {
    /// Checks and normalises the form. `spheres` are the valid sphere codes; `announce_day` is
    /// the Warsaw day of the (last) announcement when the call is or is being announced, and
    /// `min_days` the statutory minimum then in force.
    pub fn validate(
        &mut self,
        spheres: &[String],
        announce_day: Option<NaiveDate>,
        min_days: i64,
    ) -> (CallErrors, Option<CallValues>) {
        let mut e = FieldErrors::new();
        let mut earliest = None;
        for s in [
            &mut self.number,
            &mut self.title,
            &mut self.sphere_code,
            &mut self.task_type,
            &mut self.description,
            &mut self.funds,
            &mut self.grant_rules,
            &mut self.execution_from,
            &mut self.execution_to,
            &mut self.execution_conditions,
            &mut self.offers_from,
            &mut self.deadline_date,
            &mut self.deadline_time,
            &mut self.selection_procedure,
            &mut self.selection_date,
            &mut self.formal_checklist,
            &mut self.max_grant,
            &mut self.min_own,
            &mut self.admin_cap,
            &mut self.max_years,
            &mut self.required_attachments,
            &mut self.correction_days,
            &mut self.contact_name,
            &mut self.contact_email,
        ] {
            *s = s.trim().to_owned();
        }
        crate::grants::limits::CALL.check_into(
            &mut e,
            &[
                ("number", &self.number),
                ("title", &self.title),
                ("sphere_code", &self.sphere_code),
                ("task_type", &self.task_type),
                ("description", &self.description),
                ("funds", &self.funds),
                ("grant_rules", &self.grant_rules),
                ("execution_from", &self.execution_from),
                ("execution_to", &self.execution_to),
                ("execution_conditions", &self.execution_conditions),
                ("offers_from", &self.offers_from),
                ("deadline_date", &self.deadline_date),
                ("deadline_time", &self.deadline_time),
                ("selection_procedure", &self.selection_procedure),
                ("selection_date", &self.selection_date),
                ("formal_checklist", &self.formal_checklist),
                ("max_grant", &self.max_grant),
                ("min_own", &self.min_own),
                ("admin_cap", &self.admin_cap),
                ("max_years", &self.max_years),
                ("required_attachments", &self.required_attachments),
                ("correction_days", &self.correction_days),
                ("contact_name", &self.contact_name),
                ("contact_email", &self.contact_email),
            ],
        );
        let required = [
            ("number", self.number.is_empty(), "error-call-number"),
            ("title", self.title.chars().count() < 5, "error-call-title"),
            ("task_type", self.task_type.is_empty(), "error-call-task-type"),
            ("description", self.description.is_empty(), "error-call-description"),
            ("grant_rules", self.grant_rules.is_empty(), "error-call-grant-rules"),
            (
                "execution_conditions",
                self.execution_conditions.is_empty(),
                "error-call-conditions",
            ),
            (
                "selection_procedure",
                self.selection_procedure.is_empty(),
                "error-call-procedure",
            ),
            ("contact_name", self.contact_name.is_empty(), "error-call-contact-name"),
        ];
        for (f, missing, key) in required {
            if missing {
                e.entry(f.into()).or_insert(key);
            }
        }
        if !spheres.contains(&self.sphere_code) {
            e.entry("sphere_code".into()).or_insert("error-call-sphere");
        }
        match crate::accounts::model::normalize_email(&self.contact_email) {
            Some(m) => self.contact_email = m,
            None => {
                e.entry("contact_email".into()).or_insert("error-call-contact-email");
            }
        }
        let funds = money(&self.funds).filter(|m| *m > 0);
        if funds.is_none() {
            e.entry("funds".into()).or_insert("error-call-funds");
        }
        let execution_from = parse_form_date(&self.execution_from);
        if execution_from.is_none() {
            e.entry("execution_from".into()).or_insert("error-call-execution-from");
        }
        let execution_to = parse_form_date(&self.execution_to);
        match (execution_from, execution_to) {
            (_, None) => {
                e.entry("execution_to".into()).or_insert("error-call-execution-to");
            }
            (Some(f), Some(t)) if t < f => {
                e.entry("execution_to".into()).or_insert("error-call-execution-order");
            }
            _ => {}
        }
        let offers_from = if self.offers_from.is_empty() {
            None
        } else {
            match warsaw(&self.offers_from, "00:00") {
                Some(t) => Some(t),
                None => {
                    e.entry("offers_from".into()).or_insert("error-call-offers-from");
                    None
                }
            }
        };
        if parse_form_date(&self.deadline_date).is_none() {
            e.entry("deadline_date".into()).or_insert("error-call-deadline-date");
        }
        if !self.deadline_time.is_empty() && parse_form_time(&self.deadline_time).is_none() {
            e.entry("deadline_time".into()).or_insert("error-call-deadline-time");
        }
        let deadline = warsaw(&self.deadline_date, &self.deadline_time);
        if deadline.is_none() && !e.contains_key("deadline_date") && !e.contains_key("deadline_time")
        {
            // A wall-clock time skipped by the change to summer time.
            e.insert("deadline_time".into(), "error-call-deadline-gap");
        }
        if let (Some(d), Some(day)) = (deadline, announce_day) {
            let min = earliest_deadline(day, min_days);
            if warsaw_day(d) < min {
                e.entry("deadline_date".into()).or_insert("error-call-deadline-too-early");
                earliest = Some(min);
            }
        }
        if let (Some(d), Some(o)) = (deadline, offers_from)
            && o >= d
        {
            e.entry("offers_from".into()).or_insert("error-call-offers-from-order");
        }
        let selection_date = parse_form_date(&self.selection_date);
        match (selection_date, deadline) {
            (None, _) => {
                e.entry("selection_date".into()).or_insert("error-call-selection-date");
            }
            (Some(s), Some(d)) if s < warsaw_day(d) => {
                e.entry("selection_date".into()).or_insert("error-call-selection-order");
            }
            _ => {}
        }
        // Criteria: rows with anything typed must be whole; at least one.
        let mut criteria = Vec::new();
        self.criteria.retain(|r| {
            !(r.name.trim().is_empty() && r.max_points.trim().is_empty() && r.weight.trim().is_empty())
        });
        for (i, r) in self.criteria.iter_mut().enumerate() {
            r.name = r.name.trim().to_owned();
            r.max_points = r.max_points.trim().to_owned();
            r.weight = r.weight.trim().to_owned();
            let n = i + 1;
            if r.name.is_empty() || r.name.chars().count() > 300 {
                e.entry(format!("criterion-{n}-name")).or_insert("error-call-criterion-name");
            }
            let points = r.max_points.parse::<u32>().ok().filter(|p| (1..=100).contains(p));
            if points.is_none() {
                e.entry(format!("criterion-{n}-max_points"))
                    .or_insert("error-call-criterion-points");
            }
            let weight = if r.weight.is_empty() {
                Some(1)
            } else {
                r.weight.parse::<u32>().ok().filter(|w| (1..=100).contains(w))
            };
            if weight.is_none() {
                e.entry(format!("criterion-{n}-weight"))
                    .or_insert("error-call-criterion-weight");
            }
            if let (Some(max_points), Some(weight)) = (points, weight) {
                criteria.push(Criterion {
                    name: r.name.clone(),
                    max_points,
                    weight,
                });
            }
        }
        if self.criteria.is_empty() {
            e.insert("criterion-1-name".into(), "error-call-criteria");
        }
        if self.criteria.len() > 30 {
            e.insert("criterion-1-name".into(), "error-call-criteria-many");
        }
        let mut prior = Vec::new();
        self.prior.retain(|r| {
            !(r.year.trim().is_empty() && r.task.trim().is_empty() && r.amount.trim().is_empty())
        });
        for (i, r) in self.prior.iter_mut().enumerate() {
            r.year = r.year.trim().to_owned();
            r.task = r.task.trim().to_owned();
            r.amount = r.amount.trim().to_owned();
            let n = i + 1;
            let year = r.year.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y));
            if year.is_none() {
                e.entry(format!("prior-{n}-year")).or_insert("error-call-prior-year");
            }
            if r.task.is_empty() || r.task.chars().count() > 300 {
                e.entry(format!("prior-{n}-task")).or_insert("error-call-prior-task");
            }
            let amount = money(&r.amount).filter(|a| *a >= 0);
            if amount.is_none() {
                e.entry(format!("prior-{n}-amount")).or_insert("error-call-prior-amount");
            }
            if let (Some(year), Some(amount)) = (year, amount) {
                prior.push(PriorFunding {
                    year,
                    task: r.task.clone(),
                    amount,
                });
            }
        }
        if self.prior.len() > 50 {
            e.insert("prior-1-year".into(), "error-call-prior-many");
        }
        let max_grant = if self.max_grant.is_empty() {
            None
        } else {
            match money(&self.max_grant).filter(|m| *m > 0) {
                Some(m) if funds.is_none_or(|f| m <= f) => Some(m),
                Some(_) => {
                    e.entry("max_grant".into()).or_insert("error-call-max-grant-funds");
                    None
                }
                None => {
                    e.entry("max_grant".into()).or_insert("error-call-max-grant");
                    None
                }
            }
        };
        let min_own_bp = if self.min_own.is_empty() {
            Some(0)
        } else {
            crate::grants::offer::parse_percent(&self.min_own)
        };
        if min_own_bp.is_none() {
            e.entry("min_own".into()).or_insert("error-call-min-own");
        }
        let own_kinds: Vec<&'static str> = OWN_KINDS
            .iter()
            .copied()
            .filter(|k| self.own_kinds.iter().any(|c| c == k))
            .collect();
        self.own_kinds = own_kinds.iter().map(|k| (*k).to_owned()).collect();
        if min_own_bp.is_some_and(|bp| bp > 0) && own_kinds.is_empty() {
            e.entry("own_kinds".into()).or_insert("error-call-own-kinds");
        }
        let admin_cap_bp = if self.admin_cap.is_empty() {
            None
        } else {
            match crate::grants::offer::parse_percent(&self.admin_cap) {
                Some(bp) => Some(bp),
                None => {
                    e.entry("admin_cap".into()).or_insert("error-call-admin-cap");
                    None
                }
            }
        };
        let max_years = self.max_years.parse::<i32>().ok().filter(|y| (1..=3).contains(y));
        if max_years.is_none() {
            e.entry("max_years".into()).or_insert("error-call-max-years");
        }
        if let (Some(f), Some(t), Some(y)) = (execution_from, execution_to, max_years)
            && t.year() - f.year() + 1 > y
        {
            e.entry("execution_to".into()).or_insert("error-call-execution-years");
        }
        let correction_days = self
            .correction_days
            .parse::<i32>()
            .ok()
            .filter(|d| (1..=60).contains(d));
        if correction_days.is_none() {
            e.entry("correction_days".into()).or_insert("error-call-correction-days");
        }
        if self.formal_checklist.lines().all(|l| l.trim().is_empty()) {
            e.entry("formal_checklist".into()).or_insert("error-call-checklist");
        }
        let values = match (
            e.is_empty(),
            funds,
            execution_from,
            execution_to,
            deadline,
            selection_date,
            min_own_bp,
            max_years,
            correction_days,
        ) {
            (true, Some(funds), Some(ef), Some(et), Some(deadline), Some(sd), Some(mo), Some(my), Some(cd)) => {
                Some(CallValues {
                    funds,
                    execution_from: ef,
                    execution_to: et,
                    offers_from,
                    deadline,
                    selection_date: sd,
                    criteria,
                    prior,
                    max_grant,
                    min_own_bp: mo,
                    own_kinds,
                    admin_cap_bp,
                    max_years: my,
                    correction_days: cd,
                })
            }
            _ => None,
        };
        (
            CallErrors {
                fields: e,
                earliest_deadline: earliest,
            },
            values,
        )
    }

    /// The form filled from a stored call.
    pub fn from_model(c: &grant_call::Model) -> CallData {
        let deadline = c.offer_deadline.with_timezone(&TZ);
        let pct = |bp: i32| {
            let s = crate::grants::offer::percent_pl(i64::from(bp));
            s.trim_end_matches('%').trim_end_matches('\u{a0}').trim_end_matches(",00").to_owned()
        };
        CallData {
            number: c.number.clone(),
            title: c.title.clone(),
            sphere_code: c.sphere_code.clone(),
            task_type: c.task_type.clone(),
            description: c.description_md.clone(),
            funds: money_text(c.funds_available),
            grant_rules: c.grant_rules_md.clone(),
            execution_from: c.execution_from.format("%Y-%m-%d").to_string(),
            execution_to: c.execution_to.format("%Y-%m-%d").to_string(),
            execution_conditions: c.execution_conditions_md.clone(),
            offers_from: c
                .offers_from
                .map(|t| warsaw_day(t).format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            deadline_date: deadline.format("%Y-%m-%d").to_string(),
            deadline_time: deadline.format("%H:%M").to_string(),
            selection_procedure: c.selection_procedure_md.clone(),
            selection_date: c.selection_date.format("%Y-%m-%d").to_string(),
            criteria: criteria_of(c)
                .into_iter()
                .map(|k| CriterionRow {
                    name: k.name,
                    max_points: k.max_points.to_string(),
                    weight: k.weight.to_string(),
                })
                .collect(),
            prior: prior_of(c)
                .into_iter()
                .map(|p| PriorRow {
                    year: p.year.to_string(),
                    task: p.task,
                    amount: money_text(p.amount),
                })
                .collect(),
            formal_checklist: c.formal_checklist.clone(),
            max_grant: c.max_grant.map(money_text).unwrap_or_default(),
            min_own: pct(c.min_own_bp),
            own_kinds: c
                .own_kinds
                .split(',')
                .filter(|k| !k.is_empty())
                .map(str::to_owned)
                .collect(),
            fees_allowed: c.fees_allowed,
            admin_cap: c.admin_cap_bp.map(pct).unwrap_or_default(),
            max_years: c.max_years.to_string(),
            joint_allowed: c.joint_allowed,
            indicators_required: c.indicators_required,
            required_attachments: c.required_attachments.clone(),
            correction_days: c.correction_days.to_string(),
            contact_name: c.contact_name.clone(),
            contact_email: c.contact_email.clone(),
        }
    }
}

/// Grosze as typed into a form: `12 345,67` (plain spaces).
pub fn money_text(grosze: i64) -> String {
    Money(grosze)
        .to_string()
        .replace('\u{a0}', " ")
        .trim_end_matches("zł")
        .trim()
        .to_owned()
}

/// The call's criteria.
pub fn criteria_of(c: &grant_call::Model) -> Vec<Criterion> {
    serde_json::from_str(&c.criteria).unwrap_or_default()
}

/// The tasks of the same type funded earlier, as the call states them.
pub fn prior_of(c: &grant_call::Model) -> Vec<PriorFunding> {
    serde_json::from_str(&c.prior_funding).unwrap_or_default()
}

/// The call's own-contribution kinds that count.
pub fn own_kinds_of(c: &grant_call::Model) -> Vec<&'static str> {
    OWN_KINDS
        .iter()
        .copied()
        .filter(|k| c.own_kinds.split(',').any(|x| x == *k))
        .collect()
}

/// Non-empty lines of a multi-line field (checklist, attachments).
pub fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Where a call stands at `now`: the stored status, moved on by the clock where the job that
/// moves it has not run yet (announced → open at `offers_from`, open → closed at the deadline).
pub fn effective_status(c: &grant_call::Model, now: DateTime<Utc>) -> Status {
    match c.status {
        Status::Announced | Status::Open if now > c.offer_deadline => Status::Closed,
        Status::Announced if c.offers_from.is_none_or(|f| now >= f) => Status::Open,
        s => s,
    }
}

/// Whether offers may be submitted at `now` (the deadline itself is the last moment).
pub fn accepts_offers(c: &grant_call::Model, now: DateTime<Utc>) -> bool {
    effective_status(c, now) == Status::Open && now <= c.offer_deadline
}

/// Creates or updates a call (audited, on the caller's transaction). A published call's
/// changes are audited with the form before and after, like every other change. The caller
/// keeps its calendar entry in step (`public::sync_calendar`).
pub async fn save<C: ConnectionTrait>(
    db: &C,
    existing: Option<grant_call::Model>,
    d: &CallData,
    v: &CallValues,
    actor: &Actor,
) -> Result<grant_call::Model, DbErr> {
    let now = Utc::now();
    let (mut a, before) = match existing {
        Some(m) => {
            let before = CallData::from_model(&m);
            let version = m.version;
            let mut a = m.into_active_model();
            a.version = Set(version + 1);
            (a, Some(before))
        }
        None => (
            grant_call::ActiveModel {
                slug: Set(new_slug(&d.title)),
                status: Set(Status::Draft),
                announced_at: Set(None),
                event_id: Set(None),
                cloned_from: Set(None),
                form_version: Set(crate::grants::offer::TEMPLATE_VERSION.to_owned()),
                created_by: Set(actor.user_id),
                created_at: Set(now),
                version: Set(0),
                ..Default::default()
            },
            None,
        ),
    };
    a.number = Set(d.number.clone());
    a.title = Set(d.title.clone());
    a.sphere_code = Set(d.sphere_code.clone());
    a.task_type = Set(d.task_type.clone());
    a.description_md = Set(d.description.clone());
    a.funds_available = Set(v.funds);
    a.grant_rules_md = Set(d.grant_rules.clone());
    a.execution_from = Set(v.execution_from);
    a.execution_to = Set(v.execution_to);
    a.execution_conditions_md = Set(d.execution_conditions.clone());
    a.offers_from = Set(v.offers_from);
    a.offer_deadline = Set(v.deadline);
    a.selection_procedure_md = Set(d.selection_procedure.clone());
    a.selection_date = Set(v.selection_date);
    a.prior_funding = Set(serde_json::to_string(&v.prior).unwrap_or_else(|_| "[]".into()));
    a.criteria = Set(serde_json::to_string(&v.criteria).unwrap_or_else(|_| "[]".into()));
    a.formal_checklist = Set(lines(&d.formal_checklist).join("\n"));
    a.max_grant = Set(v.max_grant);
    a.min_own_bp = Set(v.min_own_bp);
    a.own_kinds = Set(v.own_kinds.join(","));
    a.fees_allowed = Set(d.fees_allowed);
    a.admin_cap_bp = Set(v.admin_cap_bp);
    a.max_years = Set(v.max_years);
    a.joint_allowed = Set(d.joint_allowed);
    a.indicators_required = Set(d.indicators_required);
    a.required_attachments = Set(lines(&d.required_attachments).join("\n"));
    a.correction_days = Set(v.correction_days);
    a.contact_name = Set(d.contact_name.clone());
    a.contact_email = Set(d.contact_email.clone());
    a.updated_at = Set(now);
    let saved = match before {
        Some(_) => a.update(db).await?,
        None => a.insert(db).await?,
    };
    audit::record(
        db,
        actor,
        if before.is_some() {
            "grant_call.update"
        } else {
            "grant_call.create"
        },
        "grant_call",
        saved.id,
        before.as_ref(),
        Some(d),
    )
    .await?;
    Ok(saved)
}

fn new_slug(title: &str) -> String {
    let suffix = &uuid::Uuid::new_v4().simple().to_string()[..6];
    let mut slug = slugify(title);
    slug.truncate(80);
    format!("{}-{suffix}", slug.trim_end_matches('-'))
}

/// Why a move of a call was refused.
#[derive(Debug, thiserror::Error)]
pub enum MoveError {
    /// The life cycle does not allow it.
    #[error("the call cannot make this move")]
    NotAllowed,
    /// The deadline is too close to today's announcement; the earliest allowed date.
    #[error("the deadline is earlier than the law allows")]
    DeadlineTooEarly(NaiveDate),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Moves a call to `to` (audited, on the caller's transaction). Announcing checks the deadline
/// against today's date (art. 13 ust. 1, KPA art. 57) and records the announcement time. The
/// caller then does what the move sets in motion (`panel::after_move`: the calendar entry, the
/// notices of an announcement, the clock's jobs). Returns the call and whether it was announced.
pub async fn move_to<C: ConnectionTrait>(
    db: &C,
    c: grant_call::Model,
    to: Status,
    reason: &str,
    actor: &Actor,
) -> Result<(grant_call::Model, bool), MoveError> {
    let now = Utc::now();
    let from = effective_status(&c, now);
    if !allowed(from, to) || from == to {
        return Err(MoveError::NotAllowed);
    }
    let mut a = c.clone().into_active_model();
    if matches!(to, Status::Announced | Status::Open) && c.status == Status::Draft {
        let today = warsaw_day(now);
        let min_days = law::value(db, Law::MinOfferDays, today).await?;
        let min = earliest_deadline(today, min_days);
        if warsaw_day(c.offer_deadline) < min {
            return Err(MoveError::DeadlineTooEarly(min));
        }
        a.announced_at = Set(Some(now));
    }
    // Announcing gives "announced" or "open" depending on when offers are accepted.
    let to = if matches!(to, Status::Announced | Status::Open) && c.status == Status::Draft {
        if c.offers_from.is_some_and(|f| f > now) {
            Status::Announced
        } else {
            Status::Open
        }
    } else {
        to
    };
    a.status = Set(to);
    a.updated_at = Set(now);
    a.version = Set(c.version + 1);
    let saved = a.update(db).await?;
    audit::record(
        db,
        actor,
        &format!("grant_call.{}", to.as_str()),
        "grant_call",
        saved.id,
        Some(&serde_json::json!({ "status": from.as_str() })),
        Some(&serde_json::json!({ "status": to.as_str(), "reason": reason })),
    )
    .await?;
    Ok((saved, c.status == Status::Draft))
}

/// Stores the clock's moves (announced → open → closed) of every call whose time has come;
/// run by the `grants.clock` job at those moments. Returns how many calls moved.
pub async fn advance<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<usize, DbErr> {
    let due = grant_call::Entity::find()
        .filter(grant_call::Column::Status.is_in([Status::Announced, Status::Open]))
        .all(db)
        .await?;
    let mut moved = 0;
    for c in due {
        let to = effective_status(&c, now);
        if to == c.status {
            continue;
        }
        let from = c.status;
        let id = c.id;
        let mut a = c.into_active_model();
        a.status = Set(to);
        a.updated_at = Set(now);
        a.update(db).await?;
        audit::record(
            db,
            &Actor::system("grants.clock"),
            &format!("grant_call.{}", to.as_str()),
            "grant_call",
            id,
            Some(&serde_json::json!({ "status": from.as_str() })),
            Some(&serde_json::json!({ "status": to.as_str() })),
        )
        .await?;
        moved += 1;
    }
    Ok(moved)
}

/// A new draft copied from `source`: the same texts, rules and criteria, every date moved by
/// whole years until the deadline is ahead of `now`, the funded-earlier list filled in anew.
pub async fn clone_call<C: ConnectionTrait>(
    db: &C,
    source: &grant_call::Model,
    title_suffix: &str,
    actor: &Actor,
) -> Result<i64, DbErr> {
    let now = Utc::now();
    let mut years = 0u32;
    while years < 50 && source.offer_deadline + Months::new(12 * years) <= now {
        years += 1;
    }
    let shift_day = |d: NaiveDate| d.checked_add_months(Months::new(12 * years)).unwrap_or(d);
    let shift = |t: DateTime<Utc>| t.checked_add_months(Months::new(12 * years)).unwrap_or(t);
    let title = format!("{} {title_suffix}", source.title);
    let execution_from = shift_day(source.execution_from);
    let prior = prior_funding_from_data(db, &source.sphere_code, execution_from.year()).await?;
    let a = grant_call::ActiveModel {
        slug: Set(new_slug(&title)),
        number: Set(source.number.clone()),
        title: Set(title),
        sphere_code: Set(source.sphere_code.clone()),
        task_type: Set(source.task_type.clone()),
        description_md: Set(source.description_md.clone()),
        funds_available: Set(source.funds_available),
        grant_rules_md: Set(source.grant_rules_md.clone()),
        execution_from: Set(execution_from),
        execution_to: Set(shift_day(source.execution_to)),
        execution_conditions_md: Set(source.execution_conditions_md.clone()),
        offers_from: Set(source.offers_from.map(shift)),
        offer_deadline: Set(shift(source.offer_deadline)),
        selection_procedure_md: Set(source.selection_procedure_md.clone()),
        selection_date: Set(shift_day(source.selection_date)),
        prior_funding: Set(serde_json::to_string(&prior).unwrap_or_else(|_| "[]".into())),
        criteria: Set(source.criteria.clone()),
        formal_checklist: Set(source.formal_checklist.clone()),
        max_grant: Set(source.max_grant),
        min_own_bp: Set(source.min_own_bp),
        own_kinds: Set(source.own_kinds.clone()),
        fees_allowed: Set(source.fees_allowed),
        admin_cap_bp: Set(source.admin_cap_bp),
        max_years: Set(source.max_years),
        joint_allowed: Set(source.joint_allowed),
        indicators_required: Set(source.indicators_required),
        required_attachments: Set(source.required_attachments.clone()),
        correction_days: Set(source.correction_days),
        form_version: Set(crate::grants::offer::TEMPLATE_VERSION.to_owned()),
        contact_name: Set(source.contact_name.clone()),
        contact_email: Set(source.contact_email.clone()),
        status: Set(Status::Draft),
        announced_at: Set(None),
        event_id: Set(None),
        cloned_from: Set(Some(source.id)),
        created_by: Set(actor.user_id),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(0),
        ..Default::default()
    };
    let saved = a.insert(db).await?;
    audit::record(
        db,
        actor,
        "grant_call.clone",
        "grant_call",
        saved.id,
        Some(&serde_json::json!({ "source": source.id })),
        Some(&CallData::from_model(&saved)),
    )
    .await?;
    Ok(saved.id)
}

/// Tasks of the same sphere the office funded in `year` and the year before, from its own
/// calls: every decided call of the sphere whose tasks start in those years, with the amount
/// granted by its decision (for a call decided before decisions were recorded, the funds it made
/// available).
pub async fn prior_funding_from_data<C: ConnectionTrait>(
    db: &C,
    sphere: &str,
    year: i32,
) -> Result<Vec<PriorFunding>, DbErr> {
    let from = NaiveDate::from_ymd_opt(year - 1, 1, 1).unwrap_or(NaiveDate::MIN);
    let to = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
    let calls = grant_call::Entity::find()
        .filter(grant_call::Column::SphereCode.eq(sphere))
        .filter(grant_call::Column::Status.eq(Status::Decided))
        .filter(grant_call::Column::ExecutionFrom.between(from, to))
        .order_by_asc(grant_call::Column::ExecutionFrom)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for c in calls {
        // The amounts the decision granted; a call decided before decisions were recorded here
        // counts with the funds it made available.
        let lines = crate::grants::entity::grant_decision_line::Entity::find()
            .filter(crate::grants::entity::grant_decision_line::Column::CallId.eq(c.id))
            .all(db)
            .await?;
        let amount = if lines.is_empty() {
            c.funds_available
        } else {
            lines.iter().fold(0i64, |a, l| a.saturating_add(l.amount))
        };
        out.push(PriorFunding {
            year: c.execution_from.year(),
            task: c.title,
            amount,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> CallData {
        CallData {
            number: "WSO.524.1.2027".into(),
            title: "Wypoczynek letni dzieci i młodzieży".into(),
            sphere_code: "wypoczynek".into(),
            task_type: "Organizacja wypoczynku dzieci i młodzieży".into(),
            description: "Półkolonie w mieście.".into(),
            funds: "120 000,00".into(),
            grant_rules: "Dotacja do 90% kosztów.".into(),
            execution_from: "2027-06-28".into(),
            execution_to: "2027-08-31".into(),
            execution_conditions: "Zgodnie z ofertą.".into(),
            offers_from: String::new(),
            deadline_date: "2027-02-15".into(),
            deadline_time: "15:30".into(),
            selection_procedure: "Komisja konkursowa.".into(),
            selection_date: "2027-03-15".into(),
            criteria: vec![CriterionRow {
                name: "Możliwość realizacji zadania".into(),
                max_points: "10".into(),
                weight: "2".into(),
            }],
            prior: vec![PriorRow {
                year: "2026".into(),
                task: "Półkolonie 2026".into(),
                amount: "100 000".into(),
            }],
            formal_checklist: "Oferta złożona w terminie\n".into(),
            max_grant: "20 000".into(),
            min_own: "10".into(),
            own_kinds: vec!["financial".into(), "personal".into()],
            fees_allowed: false,
            admin_cap: "10".into(),
            max_years: "1".into(),
            joint_allowed: true,
            indicators_required: true,
            required_attachments: "Statut\n\n".into(),
            correction_days: "7".into(),
            contact_name: "Wydział Spraw Społecznych".into(),
            contact_email: "wss@wierzbin.example".into(),
        }
    }

    fn spheres() -> Vec<String> {
        vec!["wypoczynek".into()]
    }

    #[test]
    fn a_complete_call_is_valid_and_typed() {
        let mut d = valid();
        let (e, v) = d.validate(&spheres(), None, 21);
        assert!(e.fields.is_empty(), "{e:?}");
        let v = v.expect("values");
        assert_eq!(v.funds, 12_000_000);
        assert_eq!(v.max_grant, Some(2_000_000));
        assert_eq!(v.min_own_bp, 1000);
        assert_eq!(v.own_kinds, vec!["financial", "personal"]);
        assert_eq!(v.criteria[0].weight, 2);
        assert_eq!(v.prior[0].amount, 10_000_000);
        // 15:30 Warsaw in winter is 14:30 UTC.
        assert_eq!(v.deadline.to_rfc3339(), "2027-02-15T14:30:00+00:00");
    }

    #[test]
    fn the_deadline_must_be_21_days_after_the_announcement_counted_as_kpa_does() {
        let mut d = valid();
        // Announced on Friday 2027-01-22: day 21 is Friday 2027-02-12.
        let day = NaiveDate::from_ymd_opt(2027, 1, 22).expect("date");
        d.deadline_date = "2027-02-11".into();
        let (e, v) = d.validate(&spheres(), Some(day), 21);
        assert!(v.is_none());
        assert_eq!(
            e.fields.get("deadline_date").copied(),
            Some("error-call-deadline-too-early")
        );
        assert_eq!(e.earliest_deadline, NaiveDate::from_ymd_opt(2027, 2, 12));
        d.deadline_date = "2027-02-12".into();
        let (e, _) = d.validate(&spheres(), Some(day), 21);
        assert!(e.fields.is_empty(), "{e:?}");
        // Announced on Saturday 2027-01-23: day 21 is Saturday 2027-02-13 → Monday 2027-02-15.
        let sat = NaiveDate::from_ymd_opt(2027, 1, 23).expect("date");
        d.deadline_date = "2027-02-13".into();
        let (e, _) = d.validate(&spheres(), Some(sat), 21);
        assert_eq!(e.earliest_deadline, NaiveDate::from_ymd_opt(2027, 2, 15));
    }

    #[test]
    fn every_wrong_field_gets_its_own_message() {
        let mut d = CallData {
            funds: "dużo".into(),
            execution_from: "2027-09-01".into(),
            execution_to: "2027-08-01".into(),
            deadline_date: "jutro".into(),
            max_years: "4".into(),
            min_own: "150".into(),
            correction_days: "0".into(),
            criteria: vec![CriterionRow {
                name: "X".into(),
                max_points: "1000".into(),
                weight: "zero".into(),
            }],
            ..Default::default()
        };
        let (e, v) = d.validate(&spheres(), None, 21);
        assert!(v.is_none());
        for f in [
            "number",
            "title",
            "sphere_code",
            "funds",
            "execution_to",
            "deadline_date",
            "max_years",
            "min_own",
            "correction_days",
            "criterion-1-max_points",
            "criterion-1-weight",
            "contact_email",
            "formal_checklist",
        ] {
            assert!(e.fields.contains_key(f), "{f}: {e:?}");
        }
        let messages: Vec<_> = e.fields.values().collect();
        let mut unique = messages.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(messages.len(), unique.len(), "two fields share a message: {messages:?}");
    }

    #[test]
    fn the_clock_opens_and_closes_a_call() {
        let now = Utc::now();
        let mut c = grant_call::Model {
            id: 1,
            slug: "k".into(),
            number: String::new(),
            title: String::new(),
            sphere_code: String::new(),
            task_type: String::new(),
            description_md: String::new(),
            funds_available: 1,
            grant_rules_md: String::new(),
            execution_from: NaiveDate::MIN,
            execution_to: NaiveDate::MIN,
            execution_conditions_md: String::new(),
            offers_from: Some(now + chrono::Duration::days(1)),
            offer_deadline: now + chrono::Duration::days(30),
            selection_procedure_md: String::new(),
            selection_date: NaiveDate::MIN,
            prior_funding: "[]".into(),
            criteria: "[]".into(),
            formal_checklist: String::new(),
            max_grant: None,
            min_own_bp: 0,
            own_kinds: String::new(),
            fees_allowed: false,
            admin_cap_bp: None,
            max_years: 1,
            joint_allowed: false,
            indicators_required: false,
            required_attachments: String::new(),
            correction_days: 7,
            form_version: String::new(),
            contact_name: String::new(),
            contact_email: String::new(),
            status: Status::Announced,
            announced_at: Some(now),
            event_id: None,
            cloned_from: None,
            created_by: None,
            created_at: now,
            updated_at: now,
            version: 0,
            annulled_at: None,
            annul_ground: String::new(),
            annul_reason: String::new(),
            kind: grant_call::Kind::Open,
            programme_task_id: None,
        };
        assert_eq!(effective_status(&c, now), Status::Announced);
        assert!(!accepts_offers(&c, now));
        assert_eq!(effective_status(&c, now + chrono::Duration::days(2)), Status::Open);
        assert!(accepts_offers(&c, c.offer_deadline));
        assert!(!accepts_offers(&c, c.offer_deadline + chrono::Duration::seconds(1)));
        assert_eq!(effective_status(&c, now + chrono::Duration::days(31)), Status::Closed);
        c.status = Status::InEvaluation;
        assert_eq!(effective_status(&c, now + chrono::Duration::days(31)), Status::InEvaluation);
        assert!(allowed(Status::Draft, Status::Open));
        assert!(!allowed(Status::Open, Status::Draft));
        assert!(!allowed(Status::Decided, Status::Annulled));
    }
}
