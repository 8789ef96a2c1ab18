//! The organisations' pages of offers (`/panel/oferty`, items 3–5 of issue 17): the list, a new
//! offer for a call that accepts offers, the offer's overview (sections, totals, the call's rules
//! checked, submitted versions), one form per section that works without JavaScript and is saved
//! with compare-and-set (a conflict page shows both versions, nothing typed is lost), and the
//! attachments. Only members of the offer's lead organisation see or change it.

use crate::directory::entity::organization;
use crate::grants::entity::grant_call;
use crate::grants::entity::grant_offer::{self, Status};
use crate::grants::entity::grant_offer_file as offer_file;
use crate::grants::entity::grant_offer_section as section_row;
use crate::grants::entity::grant_offer_version as version_row;
use crate::grants::limits::{OFFER, OFFER_FILE};
use crate::grants::model::{self as calls, money_text};
use crate::grants::offer::{
    Action, ActionsSection, CostLine, CostsSection, FundingSection, Indicator, OfferContent,
    Offeror, OfferorsSection, OtherSection, ResourcesSection, ResultsSection, STATEMENTS, Section,
    SplitSection, StatementsSection, TaskSection, Totals, parse_units, percent_pl, units_pl,
};
use crate::grants::rules::{self, Finding};
use crate::grants::store::{self, SectionState};
use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Path, RawForm, State};
use axum::response::{Html, IntoResponse, Response};
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use sha2::Digest;
use std::collections::{BTreeMap, HashMap};
use wspolnie_core::money::Money;
use wspolnie_platform::audit::{self, Actor};
use wspolnie_platform::entity::{stored_file, user};
use wspolnie_web::AppState;
use wspolnie_web::auth::{CurrentAccount, signed};
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::{AppError, AppResult};
use wspolnie_web::fmt;
use wspolnie_web::forms::{Errors, HtmlForm, HtmlQuery, MultipartForm, first};
use wspolnie_web::policy::Account;

pub use crate::grants::fields::{MAX_MONEY, parse_money};
/// Most rows a repeated group keeps (more are dropped).
pub const MAX_ROWS: usize = 60;
/// Empty rows offered under the filled ones (actions, indicators, costs).
pub const SPARE_ROWS: usize = 2;
/// Rows added by the "add rows" button.
pub const ADD_ROWS: usize = 5;
/// Most partners of a joint offer.
pub const MAX_PARTNERS: usize = 10;
/// Attachments may be uploaded up to this size.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Body limit of the upload route (a file over `MAX_FILE_BYTES` is read and dropped so the form
/// comes back with its message).
pub const BODY_LIMIT: usize = wspolnie_web::forms::MULTIPART_BODY_LIMIT;
/// Storage prefix of attachments (always served as downloads).
pub const FILE_PREFIX: &str = "private/offers";

/// The columns of each repeated group (form names are `<prefix>_<column>`, ids
/// `<prefix>-<n>-<column>`).
pub const PARTNER: &[&str] = &[
    "name",
    "legal_form",
    "register_number",
    "seat",
    "website",
    "correspondence_address",
    "email",
    "phone",
];
pub const ACTION: &[&str] = &[
    "name",
    "description",
    "target_group",
    "planned_dates",
    "non_party",
    "year",
];
pub const INDICATOR: &[&str] = &["result", "planned_value", "monitoring"];
pub const COST: &[&str] = &["action", "kind", "unit", "unit_cost", "units", "year"];
const LEAD: &[&str] = &[
    "lead_name",
    "lead_legal_form",
    "lead_register_number",
    "lead_seat",
    "lead_website",
    "lead_correspondence_address",
    "lead_email",
    "lead_phone",
];

/// Fluent id of a form field's label (`cost_unit_cost` → `offer-field-cost-unit-cost`).
pub fn field_label(name: &str) -> String {
    format!("offer-field-{}", name.replace('_', "-"))
}

// ---------------------------------------------------------------------------------------------
// A section's form as typed: name/value pairs in the order sent.

/// A section's fields as the person typed them (kept on errors, re-posted after a conflict).
#[derive(Debug, Clone, Default)]
pub struct Raw(pub Vec<(String, String)>);

impl Raw {
    /// The first value of `name`.
    pub fn v(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub fn has(&self, name: &str, value: &str) -> bool {
        self.0.iter().any(|(k, v)| k == name && v == value)
    }

    fn push(&mut self, name: &str, value: impl Into<String>) {
        self.0.push((name.to_owned(), value.into()));
    }

    /// The rows of a repeated group (`prefix_col` lists read in parallel), at most `MAX_ROWS`.
    pub fn rows(&self, prefix: &str, cols: &[&'static str]) -> Vec<Row> {
        let lists: Vec<Vec<String>> = cols
            .iter()
            .map(|c| self.all(&format!("{prefix}_{c}")))
            .collect();
        let n = lists.iter().map(Vec::len).max().unwrap_or(0).min(MAX_ROWS);
        (0..n)
            .map(|i| Row {
                n: i + 1,
                cells: cols
                    .iter()
                    .zip(&lists)
                    .map(|(c, l)| (*c, l.get(i).cloned().unwrap_or_default()))
                    .collect(),
            })
            .collect()
    }
}

/// One row of a repeated group: its number (from 1) and its cells by column.
#[derive(Debug, Clone, Default)]
pub struct Row {
    pub n: usize,
    pub cells: Vec<(&'static str, String)>,
}

impl Row {
    pub fn v(&self, col: &str) -> String {
        self.cells
            .iter()
            .find(|(c, _)| *c == col)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// Whether anything was typed in the row (choices from a list do not count).
    fn is_blank(&self, ignore: &[&str]) -> bool {
        self.cells
            .iter()
            .all(|(c, v)| ignore.contains(c) || v.trim().is_empty())
    }

    fn blank(n: usize, cols: &[&'static str]) -> Row {
        Row {
            n,
            cells: cols.iter().map(|c| (*c, String::new())).collect(),
        }
    }
}

fn offeror_raw(r: &mut Raw, prefix: &str, o: &Offeror) {
    for (c, v) in [
        ("name", &o.name),
        ("legal_form", &o.legal_form),
        ("register_number", &o.register_number),
        ("seat", &o.seat),
        ("website", &o.website),
        ("correspondence_address", &o.correspondence_address),
        ("email", &o.email),
        ("phone", &o.phone),
    ] {
        r.push(&format!("{prefix}_{c}"), v.clone());
    }
}

/// A stored section as the form's fields.
pub fn raw_of(section: Section, c: &OfferContent) -> Raw {
    let mut r = Raw::default();
    match section {
        Section::Offerors => {
            offeror_raw(&mut r, "lead", &c.offerors.lead);
            for p in &c.offerors.partners {
                offeror_raw(&mut r, "partner", p);
            }
            r.push("contact_person", c.offerors.contact_person.clone());
            r.push("contact_phone", c.offerors.contact_phone.clone());
            r.push("contact_email", c.offerors.contact_email.clone());
        }
        Section::Task => {
            r.push("title", c.task.title.clone());
            r.push("start_date", c.task.start_date.clone());
            r.push("end_date", c.task.end_date.clone());
            r.push("summary", c.task.summary.clone());
            r.push("place", c.task.place.clone());
        }
        Section::Actions => {
            for a in &c.actions.actions {
                r.push("action_name", a.name.clone());
                r.push("action_description", a.description.clone());
                r.push("action_target_group", a.target_group.clone());
                r.push("action_planned_dates", a.planned_dates.clone());
                r.push("action_non_party", a.non_party.clone());
                r.push("action_year", a.year.max(1).to_string());
            }
        }
        Section::Results => {
            r.push("expected", c.results.expected.clone());
            for i in &c.results.indicators {
                r.push("indicator_result", i.result.clone());
                r.push("indicator_planned_value", i.planned_value.clone());
                r.push("indicator_monitoring", i.monitoring.clone());
            }
        }
        Section::Resources => {
            r.push("earlier_activity", c.resources.earlier_activity.clone());
            r.push("resources", c.resources.resources.clone());
        }
        Section::Costs => {
            for l in &c.costs.lines {
                r.push(
                    "cost_action",
                    match l.action {
                        Some(a) => format!("a{a}"),
                        None => "admin".into(),
                    },
                );
                r.push("cost_kind", l.kind.clone());
                r.push("cost_unit", l.unit.clone());
                r.push("cost_unit_cost", money_text(l.unit_cost));
                r.push("cost_units", units_pl(l.units_centi));
                r.push("cost_year", l.year.max(1).to_string());
            }
        }
        Section::Funding => {
            let f = &c.funding;
            r.push("grant", money_text(f.grant));
            r.push("own_financial", money_text(f.own_financial));
            r.push("personal", money_text(f.personal));
            r.push("in_kind", money_text(f.in_kind));
            r.push("fees", money_text(f.fees));
            r.push("valuation", f.valuation.clone());
        }
        Section::Split => {
            for a in &c.split.amounts {
                r.push("split_amount", money_text(*a));
            }
        }
        Section::Other => r.push("text", c.other.text.clone()),
        Section::Statements => {
            for s in &c.statements.confirmed {
                r.push("confirmed", s.clone());
            }
        }
    }
    r
}

// ---------------------------------------------------------------------------------------------
// Validation: one place per section, field id → Fluent id (with the Limits field for "too long").

/// One field's problem: the id its summary link lands on, the `Limits` field and the Fluent id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub id: String,
    pub limit: String,
    pub key: &'static str,
}

#[derive(Default)]
struct Check(Vec<FieldError>);

impl Check {
    fn add(&mut self, id: impl Into<String>, limit: &str, key: &'static str) {
        let id = id.into();
        if !self.0.iter().any(|e| e.id == id) {
            self.0.push(FieldError {
                id,
                limit: limit.to_owned(),
                key,
            });
        }
    }

    /// The value trimmed, after the length, line and control-character check.
    fn text(&mut self, id: &str, limit: &str, value: &str) -> String {
        let v = value.trim();
        if let Some(key) = OFFER.check(limit, v) {
            self.add(id, limit, key);
        }
        v.to_owned()
    }

    fn money(&mut self, id: &str, limit: &str, value: &str, key: &'static str) -> i64 {
        let v = self.text(id, limit, value);
        if v.is_empty() {
            return 0;
        }
        match parse_money(&v) {
            Some(m) => m,
            None => {
                self.add(id, limit, key);
                0
            }
        }
    }

    fn year(&mut self, id: &str, limit: &str, value: &str, max: u8, key: &'static str) -> u8 {
        if max <= 1 {
            return 1;
        }
        match value.trim().parse::<u8>() {
            Ok(y) if (1..=max).contains(&y) => y,
            _ => {
                self.add(id, limit, key);
                1
            }
        }
    }
}


fn date_iso(c: &mut Check, id: &str, value: &str, key: &'static str) -> String {
    let v = c.text(id, id, value);
    if v.is_empty() {
        return v;
    }
    match wspolnie_core::time::parse_form_date(&v) {
        Some(d) => d.format("%Y-%m-%d").to_string(),
        None => {
            c.add(id, id, key);
            v
        }
    }
}

fn email(c: &mut Check, id: &str, value: &str, key: &'static str) -> String {
    let v = c.text(id, id, value);
    if v.is_empty() {
        return v;
    }
    match crate::accounts::model::normalize_email(&v) {
        Some(m) => m,
        None => {
            c.add(id, id, key);
            v
        }
    }
}

/// Reads a section's form into its stored JSON, or the fields' problems. `content` is the stored
/// offer (the actions the cost table refers to, the lead's directory link).
pub fn parse(
    section: Section,
    raw: &Raw,
    call: &grant_call::Model,
    content: &OfferContent,
) -> Result<serde_json::Value, Vec<FieldError>> {
    let mut c = Check::default();
    let max_years = u8::try_from(call.max_years.clamp(1, 3)).unwrap_or(1);
    let json = match section {
        Section::Offerors => {
            let mut vals: HashMap<&str, String> = HashMap::new();
            for f in LEAD {
                let v = if *f == "lead_email" {
                    email(&mut c, f, &raw.v(f), "offer-error-lead-email")
                } else {
                    c.text(f, f, &raw.v(f))
                };
                vals.insert(f, v);
            }
            let get = |k: &str| vals.get(k).cloned().unwrap_or_default();
            if get("lead_name").is_empty() {
                c.add("lead_name", "lead_name", "offer-error-lead-name");
            }
            let lead = Offeror {
                organization_id: content.offerors.lead.organization_id,
                name: get("lead_name"),
                legal_form: get("lead_legal_form"),
                register_number: get("lead_register_number"),
                seat: get("lead_seat"),
                website: get("lead_website"),
                correspondence_address: get("lead_correspondence_address"),
                email: get("lead_email"),
                phone: get("lead_phone"),
            };
            let mut partners = Vec::new();
            for row in raw
                .rows("partner", PARTNER)
                .into_iter()
                .filter(|r| !r.is_blank(&[]))
                .take(MAX_PARTNERS)
            {
                let n = partners.len() + 1;
                let mut cell = |col: &str| {
                    let id = format!("partner-{n}-{col}");
                    let limit = format!("partner_{col}");
                    if col == "email" {
                        let v = row.v(col);
                        let t = c.text(&id, &limit, &v);
                        if !t.is_empty() && crate::accounts::model::normalize_email(&t).is_none() {
                            c.add(&id, &limit, "offer-error-partner-email");
                        }
                        t
                    } else {
                        c.text(&id, &limit, &row.v(col))
                    }
                };
                let p = Offeror {
                    organization_id: None,
                    name: cell("name"),
                    legal_form: cell("legal_form"),
                    register_number: cell("register_number"),
                    seat: cell("seat"),
                    website: cell("website"),
                    correspondence_address: cell("correspondence_address"),
                    email: cell("email"),
                    phone: cell("phone"),
                };
                if p.name.is_empty() {
                    c.add(
                        format!("partner-{n}-name"),
                        "partner_name",
                        "offer-error-partner-name",
                    );
                }
                partners.push(p);
            }
            let s = OfferorsSection {
                lead,
                partners,
                contact_person: c.text("contact_person", "contact_person", &raw.v("contact_person")),
                contact_phone: c.text("contact_phone", "contact_phone", &raw.v("contact_phone")),
                contact_email: email(
                    &mut c,
                    "contact_email",
                    &raw.v("contact_email"),
                    "offer-error-contact-email",
                ),
            };
            serde_json::to_value(s)
        }
        Section::Task => {
            let start = date_iso(&mut c, "start_date", &raw.v("start_date"), "offer-error-start-date");
            let end = date_iso(&mut c, "end_date", &raw.v("end_date"), "offer-error-end-date");
            if let (Some(s), Some(e)) = (
                wspolnie_core::time::parse_form_date(&start),
                wspolnie_core::time::parse_form_date(&end),
            ) && e < s
            {
                c.add("end_date", "end_date", "offer-error-date-order");
            }
            let s = TaskSection {
                title: c.text("title", "title", &raw.v("title")),
                start_date: start,
                end_date: end,
                summary: c.text("summary", "summary", &raw.v("summary")),
                place: c.text("place", "place", &raw.v("place")),
            };
            serde_json::to_value(s)
        }
        Section::Actions => {
            let mut actions = Vec::new();
            for row in raw
                .rows("action", ACTION)
                .into_iter()
                .filter(|r| !r.is_blank(&["year"]))
            {
                let n = actions.len() + 1;
                let id = |col: &str| format!("action-{n}-{col}");
                let a = Action {
                    name: c.text(&id("name"), "action_name", &row.v("name")),
                    description: c.text(&id("description"), "action_description", &row.v("description")),
                    target_group: c.text(&id("target_group"), "action_target_group", &row.v("target_group")),
                    planned_dates: c.text(&id("planned_dates"), "action_planned_dates", &row.v("planned_dates")),
                    non_party: c.text(&id("non_party"), "action_non_party", &row.v("non_party")),
                    year: c.year(&id("year"), "action_year", &row.v("year"), max_years, "offer-error-action-year"),
                };
                if a.name.is_empty() {
                    c.add(id("name"), "action_name", "offer-error-action-name");
                }
                actions.push(a);
            }
            serde_json::to_value(ActionsSection { actions })
        }
        Section::Results => {
            let expected = c.text("expected", "expected", &raw.v("expected"));
            let mut indicators = Vec::new();
            for row in raw
                .rows("indicator", INDICATOR)
                .into_iter()
                .filter(|r| !r.is_blank(&[]))
            {
                let n = indicators.len() + 1;
                let id = |col: &str| format!("indicator-{n}-{col}");
                let i = Indicator {
                    result: c.text(&id("result"), "indicator_result", &row.v("result")),
                    planned_value: c.text(&id("planned_value"), "indicator_planned_value", &row.v("planned_value")),
                    monitoring: c.text(&id("monitoring"), "indicator_monitoring", &row.v("monitoring")),
                };
                if i.result.is_empty() {
                    c.add(id("result"), "indicator_result", "offer-error-indicator-result");
                }
                indicators.push(i);
            }
            serde_json::to_value(ResultsSection {
                expected,
                indicators,
            })
        }
        Section::Resources => serde_json::to_value(ResourcesSection {
            earlier_activity: c.text("earlier_activity", "earlier_activity", &raw.v("earlier_activity")),
            resources: c.text("resources", "resources", &raw.v("resources")),
        }),
        Section::Costs => {
            let n_actions = content.actions.actions.len();
            let mut lines = Vec::new();
            for row in raw
                .rows("cost", COST)
                .into_iter()
                .filter(|r| !r.is_blank(&["action", "year"]))
            {
                let n = lines.len() + 1;
                let id = |col: &str| format!("cost-{n}-{col}");
                let action_text = c.text(&id("action"), "cost_action", &row.v("action"));
                let action = match action_text.as_str() {
                    "admin" => Some(None),
                    a => a
                        .strip_prefix('a')
                        .and_then(|i| i.parse::<usize>().ok())
                        .filter(|i| *i < n_actions)
                        .map(Some),
                };
                if action.is_none() {
                    c.add(id("action"), "cost_action", "offer-error-cost-action");
                }
                let kind = c.text(&id("kind"), "cost_kind", &row.v("kind"));
                if kind.is_empty() {
                    c.add(id("kind"), "cost_kind", "offer-error-cost-kind");
                }
                let unit = c.text(&id("unit"), "cost_unit", &row.v("unit"));
                let unit_cost_text = c.text(&id("unit_cost"), "cost_unit_cost", &row.v("unit_cost"));
                let unit_cost = parse_money(&unit_cost_text);
                if unit_cost.is_none() {
                    c.add(id("unit_cost"), "cost_unit_cost", "offer-error-cost-unit-cost");
                }
                let units_text = c.text(&id("units"), "cost_units", &row.v("units"));
                let units = parse_units(&units_text);
                if units.is_none() {
                    c.add(id("units"), "cost_units", "offer-error-cost-units");
                }
                let year = c.year(&id("year"), "cost_year", &row.v("year"), max_years, "offer-error-cost-year");
                lines.push(CostLine {
                    action: action.flatten(),
                    kind,
                    unit,
                    unit_cost: unit_cost.unwrap_or(0),
                    units_centi: units.unwrap_or(0),
                    year,
                });
            }
            serde_json::to_value(CostsSection { lines })
        }
        Section::Funding => serde_json::to_value(FundingSection {
            grant: c.money("grant", "grant", &raw.v("grant"), "offer-error-grant"),
            own_financial: c.money("own_financial", "own_financial", &raw.v("own_financial"), "offer-error-own-financial"),
            personal: c.money("personal", "personal", &raw.v("personal"), "offer-error-personal"),
            in_kind: c.money("in_kind", "in_kind", &raw.v("in_kind"), "offer-error-in-kind"),
            fees: c.money("fees", "fees", &raw.v("fees"), "offer-error-fees"),
            valuation: c.text("valuation", "valuation", &raw.v("valuation")),
        }),
        Section::Split => {
            let offerors = 1 + content.offerors.partners.len();
            let amounts = raw
                .all("split_amount")
                .iter()
                .take(offerors)
                .enumerate()
                .map(|(i, v)| {
                    let id = format!("split-{}-amount", i + 1);
                    c.money(&id, "split_amount", v, "offer-error-split-amount")
                })
                .collect();
            serde_json::to_value(SplitSection { amounts })
        }
        Section::Other => serde_json::to_value(OtherSection {
            text: c.text("text", "text", &raw.v("text")),
        }),
        Section::Statements => serde_json::to_value(StatementsSection {
            confirmed: STATEMENTS
                .iter()
                .filter(|s| raw.has("confirmed", s))
                .map(|s| (*s).to_owned())
                .collect(),
        }),
    };
    if !c.0.is_empty() {
        return Err(c.0);
    }
    json.map_err(|_| Vec::new())
}

/// The form's ids in page order (the error summary follows the page).
fn field_order(section: Section) -> Vec<&'static str> {
    match section {
        Section::Offerors => {
            let mut v = LEAD.to_vec();
            v.extend(["partner-*", "contact_person", "contact_phone", "contact_email"]);
            v
        }
        Section::Task => vec!["title", "start_date", "end_date", "summary", "place"],
        Section::Actions => vec!["action-*"],
        Section::Results => vec!["expected", "indicator-*"],
        Section::Resources => vec!["earlier_activity", "resources"],
        Section::Costs => vec!["cost-*"],
        Section::Funding => vec!["grant", "own_financial", "personal", "in_kind", "fees", "valuation"],
        Section::Split => vec!["split-*"],
        Section::Other => vec!["text"],
        Section::Statements => vec!["confirmed"],
    }
}

/// Numbered ids sort by their number, not as text (`cost-10-kind` after `cost-9-kind`).
fn order_errors(errors: &mut Errors, section: Section) {
    let order = field_order(section);
    let mut list: Vec<(String, String)> = errors.list().to_vec();
    let rank = |f: &str| {
        for (i, x) in order.iter().enumerate() {
            match x.strip_suffix('*') {
                Some(p) if f.starts_with(p) => {
                    let n = f[p.len()..]
                        .split('-')
                        .next()
                        .and_then(|n| n.parse::<usize>().ok())
                        .unwrap_or(0);
                    return (i, n);
                }
                None if *x == f => return (i, 0),
                _ => {}
            }
        }
        (order.len(), 0)
    };
    list.sort_by_key(|(f, _)| rank(f));
    let mut out = Errors::default();
    for (f, m) in list {
        out.add(f, m);
    }
    *errors = out;
}

fn localise(ctx: &PageCtx, errs: &[FieldError]) -> Errors {
    let mut out = Errors::default();
    for e in errs {
        out.add(
            e.id.clone(),
            wspolnie_web::forms::message(ctx, &OFFER, &e.limit, e.key),
        );
    }
    out
}

/// A finding's message in the page's language.
pub fn finding_message(ctx: &PageCtx, f: &Finding) -> String {
    match f.args.as_slice() {
        [] => ctx.t(f.message),
        [(k, v)] => ctx.t1(f.message, k, v),
        [(k1, v1), (k2, v2), ..] => ctx.t2(f.message, k1, v1, k2, v2),
    }
}

// ---------------------------------------------------------------------------------------------
// Loading and access.

/// The offer and its call, for a member of the offer's lead organisation (404 otherwise).
async fn offer_for(
    state: &AppState,
    acc: &Account,
    id: i64,
) -> AppResult<(grant_offer::Model, grant_call::Model)> {
    let db = &state.platform.db.conn;
    let o = grant_offer::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    // Another organisation's offer is not found, as on the submission's pages: its existence
    // is not told to outsiders.
    if !store::is_member(acc, &o) {
        return Err(AppError::NotFound);
    }
    let c = grant_call::Entity::find_by_id(o.call_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((o, c))
}

async fn files_of(state: &AppState, offer_id: i64) -> AppResult<Vec<offer_file::Model>> {
    Ok(offer_file::Entity::find()
        .filter(offer_file::Column::OfferId.eq(offer_id))
        .order_by_asc(offer_file::Column::Id)
        .all(&state.platform.db.conn)
        .await?)
}

async fn names_of(state: &AppState, ids: Vec<i64>) -> AppResult<HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(&state.platform.db.conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

fn actor(a: &Account) -> Actor {
    crate::admin::web::actor(a)
}

// ---------------------------------------------------------------------------------------------
// The list.

pub struct OfferRow {
    pub id: i64,
    pub call: String,
    pub title: String,
    pub organization: String,
    pub status: String,
    pub grant: String,
    pub deadline: String,
    pub updated: String,
}

pub struct OpenCall {
    pub slug: String,
    pub title: String,
    pub number: String,
    pub deadline: String,
}

#[derive(Template)]
#[template(path = "grants/templates/panel/offers.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<OfferRow>,
    open: Vec<OpenCall>,
    member: bool,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let db = &state.platform.db.conn;
    let now = Utc::now();
    let orgs: Vec<i64> = acc.memberships.iter().map(|(o, _)| *o).collect();
    let offers = if orgs.is_empty() {
        Vec::new()
    } else {
        grant_offer::Entity::find()
            .filter(grant_offer::Column::OrganizationId.is_in(orgs.clone()))
            .order_by_desc(grant_offer::Column::UpdatedAt)
            .all(db)
            .await?
    };
    let all_calls: HashMap<i64, grant_call::Model> = grant_call::Entity::find()
        .order_by_asc(grant_call::Column::OfferDeadline)
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let org_names: HashMap<i64, String> = if orgs.is_empty() {
        HashMap::new()
    } else {
        organization::Entity::find()
            .filter(organization::Column::Id.is_in(orgs))
            .all(db)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect()
    };
    let ids: Vec<i64> = offers.iter().map(|o| o.id).collect();
    let grants: HashMap<i64, i64> = if ids.is_empty() {
        HashMap::new()
    } else {
        section_row::Entity::find()
            .filter(section_row::Column::OfferId.is_in(ids))
            .filter(section_row::Column::Section.eq(Section::Funding.code()))
            .all(db)
            .await?
            .into_iter()
            .map(|r| {
                let f: FundingSection = serde_json::from_str(&r.data).unwrap_or_default();
                (r.offer_id, f.grant)
            })
            .collect()
    };
    let rows = offers
        .into_iter()
        .map(|o| {
            let call = all_calls.get(&o.call_id);
            OfferRow {
                id: o.id,
                call: call.map(|c| c.title.clone()).unwrap_or_default(),
                title: if o.title.is_empty() {
                    ctx.t("offer-untitled")
                } else {
                    o.title.clone()
                },
                organization: org_names.get(&o.organization_id).cloned().unwrap_or_default(),
                status: ctx.t(&o.status.label_key()),
                grant: Money(grants.get(&o.id).copied().unwrap_or(0)).to_string(),
                deadline: call
                    .map(|c| fmt::datetime(ctx.lang, c.offer_deadline))
                    .unwrap_or_default(),
                updated: fmt::datetime(ctx.lang, o.updated_at),
            }
        })
        .collect();
    let mut open: Vec<&grant_call::Model> = all_calls
        .values()
        .filter(|c| calls::accepts_offers(c, now))
        .collect();
    open.sort_by_key(|c| (c.offer_deadline, c.id));
    let open = open
        .into_iter()
        .map(|c| OpenCall {
            slug: c.slug.clone(),
            title: c.title.clone(),
            number: c.number.clone(),
            deadline: fmt::datetime(ctx.lang, c.offer_deadline),
        })
        .collect();
    let member = !acc.memberships.is_empty();
    Ok(Html(
        ListPage {
            ctx,
            rows,
            open,
            member,
        }
        .render()?,
    )
    .into_response())
}

/// Panel count for a member: their organisations' offers still drafts.
pub fn drafts_count<'a>(
    state: &'a AppState,
    a: &'a Account,
) -> wspolnie_web::ctx::CountFuture<'a> {
    Box::pin(async move {
        use sea_orm::PaginatorTrait;
        let orgs: Vec<i64> = a.memberships.iter().map(|(o, _)| *o).collect();
        if orgs.is_empty() {
            return Ok(Some(0));
        }
        let n = grant_offer::Entity::find()
            .filter(grant_offer::Column::OrganizationId.is_in(orgs))
            .filter(grant_offer::Column::Status.eq(Status::Draft))
            .count(&state.platform.db.conn)
            .await?;
        Ok(Some(n))
    })
}

// ---------------------------------------------------------------------------------------------
// A new offer.

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    #[serde(deserialize_with = "first")]
    konkurs: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewForm {
    #[serde(deserialize_with = "first")]
    organization: String,
}

pub struct OrgChoice {
    pub id: i64,
    pub name: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "grants/templates/panel/offer_new.html")]
struct NewPage {
    ctx: PageCtx,
    call: Option<grant_call::Model>,
    deadline: String,
    orgs: Vec<OrgChoice>,
    errors: Errors,
}

async fn render_new(
    state: &AppState,
    ctx: PageCtx,
    acc: &Account,
    slug: &str,
    chosen: Option<i64>,
    errors: Errors,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let call = if slug.is_empty() {
        None
    } else {
        grant_call::Entity::find()
            .filter(grant_call::Column::Slug.eq(slug))
            .one(db)
            .await?
            .filter(|c| calls::accepts_offers(c, Utc::now()))
    };
    let ids: Vec<i64> = acc.memberships.iter().map(|(o, _)| *o).collect();
    let mut orgs: Vec<OrgChoice> = if ids.is_empty() {
        Vec::new()
    } else {
        organization::Entity::find()
            .filter(organization::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|o| OrgChoice {
                id: o.id,
                checked: chosen == Some(o.id),
                name: o.name,
            })
            .collect()
    };
    orgs.sort_by(|a, b| wspolnie_core::text::cmp_pl(&a.name, &b.name));
    if orgs.len() == 1 {
        orgs[0].checked = true;
    }
    let deadline = call
        .as_ref()
        .map(|c| fmt::datetime(ctx.lang, c.offer_deadline))
        .unwrap_or_default();
    Ok(Html(
        NewPage {
            ctx,
            call,
            deadline,
            orgs,
            errors,
        }
        .render()?,
    )
    .into_response())
}

pub async fn new_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    HtmlQuery(q): HtmlQuery<NewQuery>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    render_new(&state, ctx, acc, q.konkurs.trim(), None, Errors::default()).await
}

pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    HtmlQuery(q): HtmlQuery<NewQuery>,
    HtmlForm(form): HtmlForm<NewForm>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let db = &state.platform.db.conn;
    let slug = q.konkurs.trim();
    let call = grant_call::Entity::find()
        .filter(grant_call::Column::Slug.eq(slug))
        .one(db)
        .await?
        .filter(|c| calls::accepts_offers(c, Utc::now()));
    let chosen = form
        .organization
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|o| acc.memberships.iter().any(|(m, _)| m == o));
    let (Some(call), Some(org_id)) = (call, chosen) else {
        let errors = Errors::form("organization", ctx.t("offer-error-organization"));
        return render_new(&state, ctx, acc, slug, None, errors).await;
    };
    let org = organization::Entity::find_by_id(org_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let id = store::create(&txn, &call, &org, acc, &actor(acc)).await?;
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        &format!("/panel/oferty/{id}"),
        "flash-offer-created",
    ))
}

// ---------------------------------------------------------------------------------------------
// The overview.

pub struct SectionLine {
    pub code: &'static str,
    pub number: &'static str,
    pub name: String,
    pub saved: String,
    pub editable: bool,
    pub notes: usize,
}

pub struct Fact {
    pub label: String,
    pub value: String,
}

pub struct NoteLink {
    pub href: String,
    pub message: String,
}

pub struct NoteGroup {
    pub number: &'static str,
    pub name: String,
    pub notes: Vec<NoteLink>,
}

pub struct VersionLine {
    pub version: i32,
    pub submitted: String,
    pub short_code: String,
}

#[derive(Template)]
#[template(path = "grants/templates/panel/offer.html")]
struct OverviewPage {
    ctx: PageCtx,
    o: grant_offer::Model,
    title: String,
    call: grant_call::Model,
    status: String,
    deadline: String,
    organization: String,
    sections: Vec<SectionLine>,
    costs: Vec<Fact>,
    sources: Vec<Fact>,
    groups: Vec<NoteGroup>,
    accepts: bool,
    can_submit: bool,
    any_editable: bool,
    files: usize,
    versions: Vec<VersionLine>,
    /// Where the offer stands: each step's name, state in words and CSS class.
    stages: Vec<(String, String, &'static str)>,
    update: Option<UpdateNotice>,
    contract: Option<OfferContract>,
    /// A small grant (art. 19a): what the limits leave, the publication's dates.
    small: Vec<Fact>,
}

/// The offer's contract as its organisation sees it: the status, the PDF, what came in.
pub struct OfferContract {
    pub id: i64,
    pub number: String,
    pub status: String,
    /// Number, due date, amount, paid on ("" while not paid).
    pub tranches: Vec<(i32, String, String, String)>,
    /// The annexes' numbers (their PDFs).
    pub annexes: Vec<i32>,
    /// The reports: id, kind, due, status.
    pub reports: Vec<(i64, String, String, String)>,
}

/// What the organisation of an offer granted less than it asked sees (issue 18, item 6).
pub struct UpdateNotice {
    pub granted: String,
    pub requested: String,
    pub deadline: String,
    /// The office's note when it returned the update.
    pub note: String,
    /// The update is due now (it may be submitted or the grant declined).
    pub open: bool,
}

fn saved_text(ctx: &PageCtx, st: Option<&SectionState>, names: &HashMap<i64, String>) -> String {
    match st {
        Some(s) if s.version > 0 => {
            let who = s
                .updated_by
                .and_then(|u| names.get(&u).cloned())
                .unwrap_or_else(|| ctx.t("offer-someone"));
            ctx.t2(
                "offer-saved-by",
                "name",
                &who,
                "when",
                &fmt::datetime(ctx.lang, s.updated_at),
            )
        }
        _ => ctx.t("offer-not-saved"),
    }
}

fn money(v: i64) -> String {
    Money(v).to_string()
}

/// The cost lines of the totals, every figure computed on the server.
fn cost_facts(ctx: &PageCtx, t: &Totals, c: &OfferContent, years: i32) -> Vec<Fact> {
    let mut v = vec![Fact {
        label: ctx.t("offer-total-cost"),
        value: money(t.total),
    }];
    if years > 1 {
        for (i, y) in t.per_year.iter().enumerate().take(years as usize) {
            v.push(Fact {
                label: ctx.t1("offer-total-year", "n", &(i + 1).to_string()),
                value: money(*y),
            });
        }
    }
    for (i, a) in c.actions.actions.iter().enumerate() {
        v.push(Fact {
            label: ctx.t2(
                "offer-total-action",
                "n",
                &(i + 1).to_string(),
                "name",
                &a.name,
            ),
            value: money(t.per_action.get(i).copied().unwrap_or(0)),
        });
    }
    v.push(Fact {
        label: ctx.t("offer-total-actions"),
        value: money(t.actions),
    });
    v.push(Fact {
        label: ctx.t("offer-total-administrative"),
        value: format!("{} ({})", money(t.administrative), percent_pl(t.administrative_bp)),
    });
    v
}

fn source_facts(ctx: &PageCtx, t: &Totals, f: &FundingSection) -> Vec<Fact> {
    let line = |key: &str, amount: i64, bp: i64| Fact {
        label: ctx.t(key),
        value: format!("{} ({})", money(amount), percent_pl(bp)),
    };
    let mut v = vec![
        line("offer-field-grant", f.grant, t.grant_bp),
        line("offer-field-own-financial", f.own_financial, t.own_financial_bp),
        line("offer-field-personal", f.personal, t.personal_bp),
        line("offer-field-in-kind", f.in_kind, t.in_kind_bp),
        line("offer-field-fees", f.fees, t.fees_bp),
        Fact {
            label: ctx.t("offer-total-sources"),
            value: money(t.sources),
        },
    ];
    let diff = t.sources.saturating_sub(t.total);
    v.push(Fact {
        label: ctx.t("offer-total-difference"),
        value: if diff == 0 {
            ctx.t("offer-difference-none")
        } else {
            money(diff)
        },
    });
    v
}

fn section_href(offer: i64, f: &Finding) -> String {
    // A missing attachment is fixed on the attachments page, where its radio has that id.
    if f.field.starts_with("attachment") {
        return format!("/panel/oferty/{offer}/zalaczniki#{}", f.field);
    }
    format!("/panel/oferty/{offer}/sekcja/{}#{}", f.section.code(), f.field)
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let (o, call) = offer_for(&state, acc, id).await?;
    let db = &state.platform.db.conn;
    let now = Utc::now();
    let (content, states) = store::load(db, id).await?;
    let editable = store::editable_sections(&o, &call, now);
    let files = files_of(&state, id).await?;
    let findings = rules::check(&call, &content, &crate::grants::submit::context_of(db, &o, &files).await?);
    let names = names_of(
        &state,
        states.values().filter_map(|s| s.updated_by).collect(),
    )
    .await?;
    let sections = Section::of(&o.template_version)
        .iter()
        .map(|s| SectionLine {
            code: s.code(),
            number: s.number(),
            name: ctx.t(&s.label()),
            saved: saved_text(&ctx, states.get(s), &names),
            editable: editable.contains(s),
            notes: findings.iter().filter(|f| f.section == *s).count(),
        })
        .collect();
    let t = content.totals();
    let costs = cost_facts(&ctx, &t, &content, call.max_years);
    let sources = source_facts(&ctx, &t, &content.funding);
    let groups = Section::of(&o.template_version)
        .iter()
        .filter_map(|s| {
            let notes: Vec<NoteLink> = findings
                .iter()
                .filter(|f| f.section == *s)
                .map(|f| NoteLink {
                    href: section_href(id, f),
                    message: finding_message(&ctx, f),
                })
                .collect();
            (!notes.is_empty()).then(|| NoteGroup {
                number: s.number(),
                name: ctx.t(&s.label()),
                notes,
            })
        })
        .collect();
    let accepts = calls::accepts_offers(&call, now);
    // The rule the submission itself applies: a draft while the call accepts offers, an offer
    // sent back in the formal check until its correction deadline.
    let can_submit = findings.is_empty()
        && crate::grants::submit::submission_target(&o, &call, now).is_some_and(
            |(to, deadline)| now <= deadline && grant_offer::allowed(o.status, to),
        );
    let versions = version_row::Entity::find()
        .filter(version_row::Column::OfferId.eq(id))
        .order_by_desc(version_row::Column::Version)
        .all(db)
        .await?
        .into_iter()
        .map(|v| VersionLine {
            version: v.version,
            submitted: fmt::datetime(ctx.lang, v.submitted_at),
            short_code: v.short_code,
        })
        .collect();
    let organization = organization::Entity::find_by_id(o.organization_id)
        .one(db)
        .await?
        .map(|x| x.name)
        .unwrap_or_default();
    let title = if o.title.is_empty() {
        ctx.t("offer-untitled")
    } else {
        o.title.clone()
    };
    let task = store::update_task(db, o.id).await?;
    let call_status = calls::effective_status(&call, now);
    let stages = if call.kind == grant_call::Kind::Small {
        crate::grants::stages::of_small(o.status)
    } else {
        crate::grants::stages::of(o.status, call_status, task.is_some())
    };
    let stages = stages
        .into_iter()
        .map(|(step, st)| {
            let class = match st {
                crate::grants::stages::State::Done => "stage-done",
                crate::grants::stages::State::Current => "stage-current",
                crate::grants::stages::State::Upcoming => "stage-upcoming",
                crate::grants::stages::State::Ended => "stage-ended",
            };
            (ctx.t(step.label()), ctx.t(st.label()), class)
        })
        .collect();
    let update = task
        .filter(|_| matches!(o.status, grant_offer::Status::Updating | grant_offer::Status::UpdateSubmitted))
        .map(|t| UpdateNotice {
            granted: Money(t.granted).to_string(),
            requested: Money(o.requested_grant).to_string(),
            deadline: o.update_deadline.map(|d| fmt::datetime(ctx.lang, d)).unwrap_or_default(),
            note: t.note,
            open: o.status == grant_offer::Status::Updating,
        });
    let contract = match crate::grants::contract_store::of_offer(db, o.id).await? {
        Some(c) if c.status != crate::grants::entity::grant_contract::Status::Draft => {
            let d = |x: chrono::NaiveDate| x.format("%d.%m.%Y").to_string();
            Some(OfferContract {
                id: c.id,
                status: ctx.t(&c.status.label_key()),
                tranches: crate::grants::contract_store::tranches_of(db, c.id)
                    .await?
                    .into_iter()
                    .map(|t| (t.n, d(t.due_on), Money(t.amount).to_string(), t.paid_on.map(d).unwrap_or_default()))
                    .collect(),
                annexes: crate::grants::annex_store::annexes_of(db, c.id).await?.into_iter().map(|a| a.n).collect(),
                reports: crate::grants::report_store::reports_of(db, c.id)
                    .await?
                    .into_iter()
                    .map(|r| (r.id, ctx.t(&r.kind.label_key()), d(crate::grants::report_due::act_by(&r)), ctx.t(&r.status.label_key())))
                    .collect(),
                number: c.number,
            })
        }
        _ => None,
    };
    let small = if call.kind == grant_call::Kind::Small {
        small_facts(db, &ctx, &o, &call).await?
    } else {
        Vec::new()
    };
    let page = OverviewPage {
        small,
        contract,
        stages,
        update,
        status: ctx.t(&o.status.label_key()),
        deadline: fmt::datetime(ctx.lang, call.offer_deadline),
        title,
        organization,
        sections,
        costs,
        sources,
        groups,
        accepts,
        can_submit,
        any_editable: !editable.is_empty(),
        files: files.len(),
        versions,
        ctx,
        o,
        call,
    };
    Ok(Html(page.render()?).into_response())
}

/// A small grant's facts for its organisation: what the art. 19a limits leave today, and once
/// submitted the day it must be published by, then its comment window and public page.
async fn small_facts(
    db: &sea_orm::DatabaseConnection,
    ctx: &PageCtx,
    o: &grant_offer::Model,
    call: &grant_call::Model,
) -> AppResult<Vec<Fact>> {
    use crate::grants::small_store;
    let today = crate::grants::model::warsaw_day(Utc::now());
    let left = small_store::standing(db, call, o.organization_id, today).await?.left();
    let m = |g: i64| wspolnie_core::money::Money(g).to_string();
    let mut out = vec![
        Fact { label: ctx.t("small-left-offer"), value: m(left.per_offer) },
        Fact { label: ctx.t("small-left-organisation"), value: m(left.organisation) },
        Fact { label: ctx.t("small-left-pool"), value: m(left.pool) },
    ];
    if let Some(r) = small_store::of_offer(db, o.id).await? {
        let d = |x: chrono::NaiveDate| x.format("%d.%m.%Y").to_string();
        out.push(Fact { label: ctx.t("small-col-publish-by"), value: d(r.publish_by) });
        if let (Some(p), Some(to)) = (r.published_on, r.comments_to) {
            out.push(Fact { label: ctx.t("small-published-on"), value: d(p) });
            out.push(Fact { label: ctx.t("small-col-comments-to"), value: d(to) });
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// One section's form.

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SectionQuery {
    #[serde(deserialize_with = "first")]
    dodaj: String,
}

/// Extra empty rows asked for in the address (lenient: anything else is 0, at most `MAX_ROWS`).
fn extra_of(s: &str) -> usize {
    s.trim().parse::<usize>().unwrap_or(0).min(MAX_ROWS)
}

pub struct Choice {
    pub value: String,
    pub label: String,
}

pub struct Statement {
    pub code: &'static str,
    pub label: String,
    pub checked: bool,
}

/// A cost row with its value computed on the server (when both numbers read).
pub struct CostRow {
    pub row: Row,
    pub value: String,
}

pub struct SplitRow {
    pub n: usize,
    pub name: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "grants/templates/panel/offer_section.html")]
struct SectionPage {
    ctx: PageCtx,
    o: grant_offer::Model,
    offer_title: String,
    call: grant_call::Model,
    code: &'static str,
    number: &'static str,
    name: String,
    editable: bool,
    applies: bool,
    joint_allowed: bool,
    saved: String,
    version: i32,
    extra: usize,
    d: Raw,
    errors: Errors,
    notes: Errors,
    note_list: Vec<NoteLink>,
    partners: Vec<Row>,
    actions: Vec<Row>,
    indicators: Vec<Row>,
    costs: Vec<CostRow>,
    action_choices: Vec<Choice>,
    years: Vec<String>,
    totals: Vec<Fact>,
    sources: Vec<Fact>,
    split: Vec<SplitRow>,
    statements: Vec<Statement>,
    readonly: Vec<ReadableLine>,
    lead: &'static [&'static str],
    partner_cols: &'static [&'static str],
    indicator_cols: &'static [&'static str],
    funding: &'static [&'static str],
}

impl SectionPage {
    /// The label of a field by its form name.
    fn label(&self, name: &str) -> String {
        self.ctx.t(&field_label(name))
    }
}

const FUNDING: &[&str] = &["grant", "own_financial", "personal", "in_kind", "fees"];

struct SectionInput<'a> {
    o: grant_offer::Model,
    call: grant_call::Model,
    content: OfferContent,
    states: BTreeMap<Section, SectionState>,
    section: Section,
    raw: Raw,
    version: i32,
    extra: usize,
    errors: Errors,
    files: &'a [offer_file::Model],
}

fn with_spare(mut rows: Vec<Row>, cols: &[&'static str], spare: usize) -> Vec<Row> {
    let n = rows.len();
    rows.extend((0..spare).map(|i| Row::blank(n + i + 1, cols)));
    rows
}

async fn render_section(state: &AppState, ctx: PageCtx, i: SectionInput<'_>) -> AppResult<Response> {
    let SectionInput {
        o,
        call,
        content,
        states,
        section,
        raw,
        version,
        extra,
        mut errors,
        files,
    } = i;
    let now = Utc::now();
    let editable = store::editable_sections(&o, &call, now).contains(&section);
    let applies = section != Section::Split || content.is_joint();
    let findings = rules::check(
        &call,
        &content,
        &crate::grants::submit::context_of(&state.platform.db.conn, &o, files).await?,
    );
    let mut notes = Errors::default();
    let mut note_list = Vec::new();
    for f in findings.iter().filter(|f| f.section == section) {
        let m = finding_message(&ctx, f);
        notes.add(f.field.clone(), m.clone());
        note_list.push(NoteLink {
            href: format!("#{}", f.field),
            message: m,
        });
    }
    let names = names_of(
        state,
        states.get(&section).and_then(|s| s.updated_by).into_iter().collect(),
    )
    .await?;
    let saved = saved_text(&ctx, states.get(&section), &names);
    let spare = if editable { SPARE_ROWS + extra } else { 0 };
    let joint_allowed = call.joint_allowed;
    let partners = match section {
        Section::Offerors => {
            let rows: Vec<Row> = raw.rows("partner", PARTNER);
            let add = if editable && joint_allowed { extra.min(MAX_PARTNERS) } else { 0 };
            let add = add.min(MAX_PARTNERS.saturating_sub(rows.len()));
            with_spare(rows, PARTNER, add)
        }
        _ => Vec::new(),
    };
    let actions = match section {
        Section::Actions => with_spare(raw.rows("action", ACTION), ACTION, spare),
        _ => Vec::new(),
    };
    let indicators = match section {
        Section::Results => with_spare(raw.rows("indicator", INDICATOR), INDICATOR, spare),
        _ => Vec::new(),
    };
    let costs = match section {
        Section::Costs => with_spare(raw.rows("cost", COST), COST, spare)
            .into_iter()
            .map(|row| {
                let uc = parse_money(row.v("unit_cost").trim());
                let un = parse_units(&row.v("units"));
                let value = match (uc, un) {
                    (Some(unit_cost), Some(units_centi)) if !row.is_blank(&["action", "year"]) => {
                        money(
                            CostLine {
                                unit_cost,
                                units_centi,
                                ..Default::default()
                            }
                            .value(),
                        )
                    }
                    _ => String::new(),
                };
                CostRow { row, value }
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut action_choices: Vec<Choice> = content
        .actions
        .actions
        .iter()
        .enumerate()
        .map(|(i, a)| Choice {
            value: format!("a{i}"),
            label: ctx.t2("offer-total-action", "n", &(i + 1).to_string(), "name", &a.name),
        })
        .collect();
    action_choices.push(Choice {
        value: "admin".into(),
        label: ctx.t("offer-cost-administrative"),
    });
    let years = if call.max_years > 1 {
        (1..=call.max_years.min(3)).map(|y| y.to_string()).collect()
    } else {
        Vec::new()
    };
    let t = content.totals();
    let totals = if section == Section::Costs || section == Section::Funding {
        cost_facts(&ctx, &t, &content, call.max_years)
    } else {
        Vec::new()
    };
    let sources = if section == Section::Funding {
        source_facts(&ctx, &t, &content.funding)
    } else {
        Vec::new()
    };
    let split = if section == Section::Split {
        let amounts = raw.all("split_amount");
        std::iter::once(&content.offerors.lead)
            .chain(content.offerors.partners.iter())
            .enumerate()
            .map(|(i, p)| SplitRow {
                n: i + 1,
                name: p.name.clone(),
                value: amounts.get(i).cloned().unwrap_or_default(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let statements = STATEMENTS
        .iter()
        .map(|s| Statement {
            code: s,
            label: ctx.t(&format!("offer-statement-{}", s.replace('_', "-"))),
            checked: raw.has("confirmed", s),
        })
        .collect();
    order_errors(&mut errors, section);
    let readonly = if editable {
        Vec::new()
    } else {
        readable(&ctx, &raw, &content)
    };
    let offer_title = if o.title.is_empty() {
        ctx.t("offer-untitled")
    } else {
        o.title.clone()
    };
    let page = SectionPage {
        offer_title,
        code: section.code(),
        number: section.number(),
        name: ctx.t(&section.label()),
        editable,
        applies,
        joint_allowed,
        saved,
        version,
        extra,
        d: raw,
        errors,
        notes,
        note_list,
        partners,
        actions,
        indicators,
        costs,
        action_choices,
        years,
        totals,
        sources,
        split,
        statements,
        readonly,
        lead: LEAD,
        partner_cols: PARTNER,
        indicator_cols: INDICATOR,
        funding: FUNDING,
        ctx,
        o,
        call,
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn section_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path((id, code)): Path<(i64, String)>,
    HtmlQuery(q): HtmlQuery<SectionQuery>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let (o, call) = offer_for(&state, acc, id).await?;
    let section = Section::parse(&code)
        .filter(|s| Section::of(&o.template_version).contains(s))
        .ok_or(AppError::NotFound)?;
    let (content, states) = store::load(&state.platform.db.conn, id).await?;
    let files = files_of(&state, id).await?;
    let raw = raw_of(section, &content);
    let version = states.get(&section).map_or(0, |s| s.version);
    render_section(
        &state,
        ctx,
        SectionInput {
            o,
            call,
            content,
            states,
            section,
            raw,
            version,
            extra: extra_of(&q.dodaj),
            errors: Errors::default(),
            files: &files,
        },
    )
    .await
}

/// Names of the form that are not the section's data.
const CONTROL_FIELDS: &[&str] = &["_csrf", "version", "more", "extra"];
/// Most name/value pairs a section form may send.
const MAX_PAIRS: usize = 3_000;

/// What the person sent: the section's fields, the version the form was opened at, whether
/// they asked for more rows, and how many extra rows the form showed.
fn read_form(bytes: &[u8]) -> AppResult<(Raw, Option<i32>, bool, usize)> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(bytes).map_err(|_| AppError::BadRequest)?;
    let get = |n: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let version = get("version").trim().parse::<i32>().ok();
    let more = !get("more").is_empty();
    let extra = extra_of(&get("extra"));
    let raw = Raw(pairs
        .into_iter()
        .filter(|(k, _)| !CONTROL_FIELDS.contains(&k.as_str()))
        .take(MAX_PAIRS)
        .collect());
    Ok((raw, version, more, extra))
}

pub async fn section_save(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path((id, code)): Path<(i64, String)>,
    RawForm(bytes): RawForm,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let (o, call) = offer_for(&state, acc, id).await?;
    let section = Section::parse(&code)
        .filter(|s| Section::of(&o.template_version).contains(s))
        .ok_or(AppError::NotFound)?;
    let db = &state.platform.db.conn;
    let now = Utc::now();
    if !store::editable_sections(&o, &call, now).contains(&section) {
        return Err(AppError::Forbidden);
    }
    let (raw, version, more, extra) = read_form(&bytes)?;
    let (content, states) = store::load(db, id).await?;
    let back = format!("/panel/oferty/{id}/sekcja/{code}");
    if section == Section::Split && !content.is_joint() {
        return Ok(axum::response::Redirect::to(&back).into_response());
    }
    // "Add a partner" shows one more empty block; "add rows" adds `ADD_ROWS` each time.
    let extra = match (more, section) {
        (true, Section::Offerors) => 1,
        (true, _) => (extra + ADD_ROWS).min(MAX_ROWS),
        (false, _) => extra,
    };
    let files = files_of(&state, id).await?;
    let json = match parse(section, &raw, &call, &content) {
        Ok(j) => j,
        Err(errs) => {
            let errors = localise(&ctx, &errs);
            return render_section(
                &state,
                ctx,
                SectionInput {
                    o,
                    call,
                    content,
                    states,
                    section,
                    raw,
                    version: version.unwrap_or(-1),
                    extra,
                    errors,
                    files: &files,
                },
            )
            .await;
        }
    };
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let saved = store::save_section(&txn, id, section, &json, version.unwrap_or(-1), &actor(acc))
        .await?;
    match saved {
        store::Saved::Stored(_) => {
            txn.commit().await?;
            let to = if extra > 0 {
                format!("{back}?dodaj={extra}")
            } else {
                back
            };
            Ok(wspolnie_web::ctx::redirect_with_flash(
                &state,
                &to,
                "flash-offer-saved",
            ))
        }
        store::Saved::Conflict(current) => {
            drop(txn);
            let (stored, states) = store::load(db, id).await?;
            render_conflict(&state, ctx, o, call, section, raw, &stored, &states, current).await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The conflict page: both versions side by side; keep mine (re-post with the current version)
// or take the stored one.

pub struct ReadableLine {
    pub label: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "grants/templates/panel/offer_conflict.html")]
struct ConflictPage {
    ctx: PageCtx,
    o: grant_offer::Model,
    offer_title: String,
    code: &'static str,
    number: &'static str,
    name: String,
    saved: String,
    version: i32,
    mine: Vec<ReadableLine>,
    theirs: Vec<ReadableLine>,
    fields: Vec<(String, String)>,
}

/// A section's fields as label/value lines for people (empty values left out).
pub fn readable(ctx: &PageCtx, raw: &Raw, content: &OfferContent) -> Vec<ReadableLine> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (name, value) in &raw.0 {
        let value = value.trim();
        let count = seen.entry(name.clone()).or_insert(0);
        *count += 1;
        if value.is_empty() {
            continue;
        }
        let prefix = name.split('_').next().unwrap_or("");
        let row = ["partner", "action", "indicator", "cost", "split"].contains(&prefix);
        let field = ctx.t(&field_label(name));
        let label = if row {
            format!(
                "{} {}: {}",
                ctx.t(&format!("offer-row-{prefix}")),
                count,
                field
            )
        } else {
            field
        };
        let value = match name.as_str() {
            "cost_action" if value == "admin" => ctx.t("offer-cost-administrative"),
            "cost_action" => value
                .strip_prefix('a')
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| content.actions.actions.get(i).map(|a| (i, a)))
                .map(|(i, a)| {
                    ctx.t2("offer-total-action", "n", &(i + 1).to_string(), "name", &a.name)
                })
                .unwrap_or_else(|| value.to_owned()),
            "confirmed" => ctx.t(&format!("offer-statement-{}", value.replace('_', "-"))),
            _ => value.to_owned(),
        };
        out.push(ReadableLine { label, value });
    }
    out
}

#[allow(clippy::too_many_arguments)]
async fn render_conflict(
    state: &AppState,
    ctx: PageCtx,
    o: grant_offer::Model,
    _call: grant_call::Model,
    section: Section,
    mine_raw: Raw,
    stored: &OfferContent,
    states: &BTreeMap<Section, SectionState>,
    current: i32,
) -> AppResult<Response> {
    let names = names_of(
        state,
        states.get(&section).and_then(|s| s.updated_by).into_iter().collect(),
    )
    .await?;
    let saved = saved_text(&ctx, states.get(&section), &names);
    let theirs = readable(&ctx, &raw_of(section, stored), stored);
    let mine = readable(&ctx, &mine_raw, stored);
    let offer_title = if o.title.is_empty() {
        ctx.t("offer-untitled")
    } else {
        o.title.clone()
    };
    let page = ConflictPage {
        offer_title,
        code: section.code(),
        number: section.number(),
        name: ctx.t(&section.label()),
        saved,
        version: current,
        mine,
        theirs,
        fields: mine_raw.0,
        ctx,
        o,
    };
    Ok(Html(page.render()?).into_response())
}

// ---------------------------------------------------------------------------------------------
// Attachments.

pub struct FileLine {
    pub id: i64,
    /// One of the call's required attachments (Polish text), not "another".
    pub required: bool,
    pub attachment: String,
    pub name: String,
    pub size: String,
    pub uploaded: String,
}

pub struct Required {
    pub value: String,
    pub label: String,
    pub has_file: bool,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "grants/templates/panel/offer_files.html")]
struct FilesPage {
    ctx: PageCtx,
    o: grant_offer::Model,
    offer_title: String,
    editable: bool,
    required: Vec<Required>,
    files: Vec<FileLine>,
    errors: Errors,
}

fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{},{} MB", bytes / (1024 * 1024), (bytes % (1024 * 1024)) * 10 / (1024 * 1024))
    } else {
        format!("{} kB", (bytes + 1023) / 1024)
    }
}

async fn render_files(
    state: &AppState,
    ctx: PageCtx,
    o: grant_offer::Model,
    call: grant_call::Model,
    chosen: &str,
    errors: Errors,
) -> AppResult<Response> {
    let files = files_of(state, o.id).await?;
    let editable = !store::editable_sections(&o, &call, Utc::now()).is_empty();
    let mut required: Vec<Required> = calls::lines(&call.required_attachments)
        .into_iter()
        .map(|r| Required {
            has_file: files.iter().any(|f| f.attachment == r),
            checked: chosen == r,
            label: r.clone(),
            value: r,
        })
        .collect();
    required.push(Required {
        value: "-".into(),
        label: ctx.t("offer-file-other"),
        has_file: false,
        checked: chosen == "-",
    });
    let files = files
        .into_iter()
        .map(|f| FileLine {
            id: f.id,
            required: !f.attachment.is_empty(),
            attachment: if f.attachment.is_empty() {
                ctx.t("offer-file-other")
            } else {
                f.attachment
            },
            name: f.file_name,
            size: size_text(f.size),
            uploaded: fmt::datetime(ctx.lang, f.uploaded_at),
        })
        .collect();
    let offer_title = if o.title.is_empty() {
        ctx.t("offer-untitled")
    } else {
        o.title.clone()
    };
    Ok(Html(
        FilesPage {
            ctx,
            o,
            offer_title,
            editable,
            required,
            files,
            errors,
        }
        .render()?,
    )
    .into_response())
}

pub async fn files_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let (o, call) = offer_for(&state, acc, id).await?;
    render_files(&state, ctx, o, call, "", Errors::default()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FileForm {
    #[serde(deserialize_with = "first")]
    attachment: String,
}

pub async fn files_upload(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let (o, call) = offer_for(&state, acc, id).await?;
    if store::editable_sections(&o, &call, Utc::now()).is_empty() {
        return Err(AppError::Forbidden);
    }
    let mp = mp.map_err(|_| AppError::BadRequest)?;
    let form = MultipartForm::read(mp, MAX_FILE_BYTES).await?;
    let f = form.parse::<FileForm>()?;
    let chosen = f.attachment.trim().to_owned();
    let mut errors = Errors::default();
    let required = calls::lines(&call.required_attachments);
    if let Some(key) = OFFER_FILE.check("attachment", &chosen) {
        errors.add(
            "attachment",
            wspolnie_web::forms::message(&ctx, &OFFER_FILE, "attachment", key),
        );
    } else if chosen != "-" && !required.contains(&chosen) {
        errors.add("attachment", ctx.t("offer-error-attachment"));
    }
    let detected = match form.file("file") {
        _ if !form.too_large.is_empty() => {
            errors.add("file", ctx.t("offer-error-file-too-large"));
            None
        }
        None => {
            errors.add("file", ctx.t("offer-error-file-required"));
            None
        }
        Some(up) => match wspolnie_web::uploads::detect_document(&up.filename, &up.bytes) {
            Some(d) => Some((up, d)),
            None => {
                errors.add("file", ctx.t("offer-error-file-type"));
                None
            }
        },
    };
    let Some((up, (ext, content_type))) = detected.filter(|_| errors.is_empty()) else {
        errors.order(&["attachment", "file"]);
        return render_files(&state, ctx, o, call, &chosen, errors).await;
    };
    let db = &state.platform.db.conn;
    let sha = hex::encode(sha2::Sha256::digest(&up.bytes));
    // The object and its `stored_files` row first (storage is slow: never inside the write
    // transaction); the offer's row and the audit together.
    let stored = wspolnie_web::uploads::store_file(
        &state,
        db,
        FILE_PREFIX,
        ext,
        content_type,
        up.bytes.clone(),
        &up.filename,
    )
    .await?;
    let attachment = if chosen == "-" { String::new() } else { chosen };
    let now = Utc::now();
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let file_id = offer_file::Entity::insert(offer_file::ActiveModel {
        offer_id: sea_orm::ActiveValue::Set(id),
        attachment: sea_orm::ActiveValue::Set(attachment.clone()),
        file_key: sea_orm::ActiveValue::Set(stored.key.clone()),
        file_name: sea_orm::ActiveValue::Set(stored.original_name.clone()),
        size: sea_orm::ActiveValue::Set(stored.size),
        sha256: sea_orm::ActiveValue::Set(sha.clone()),
        uploaded_by: sea_orm::ActiveValue::Set(Some(acc.user.id)),
        uploaded_at: sea_orm::ActiveValue::Set(now),
        ..Default::default()
    })
    .exec(&txn)
    .await?
    .last_insert_id;
    audit::record(
        &txn,
        &actor(acc),
        "grant_offer.file_add",
        "grant_offer",
        id,
        None::<&()>,
        Some(&serde_json::json!({
            "file": file_id, "attachment": attachment, "key": stored.key,
            "name": stored.original_name, "size": stored.size, "sha256": sha,
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        &format!("/panel/oferty/{id}/zalaczniki"),
        "flash-offer-file-added",
    ))
}

/// `GET /panel/oferty/{id}/zalaczniki/{file}`: one attachment of the offer, to the members of
/// its organisation and the grants officials only (statutes, CVs and estimates are not public).
pub async fn files_download(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentAccount>,
    Path((id, file_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let db = &state.platform.db.conn;
    let o = grant_offer::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !store::may_see(acc, &o) {
        return Err(AppError::NotFound);
    }
    let f = offer_file::Entity::find_by_id(file_id)
        .filter(offer_file::Column::OfferId.eq(id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let content_type = stored_file::Entity::find()
        .filter(stored_file::Column::Key.eq(f.file_key.clone()))
        .one(db)
        .await?
        .map(|m| m.content_type)
        .unwrap_or_else(|| "application/octet-stream".to_owned());
    let bytes = state.platform.storage.get(&f.file_key).await?;
    Ok(wspolnie_web::files::response(
        bytes,
        &content_type,
        &f.file_name,
        false,
        "private, no-store",
    ))
}

pub async fn files_remove(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentAccount>,
    Path((id, file_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let (o, call) = offer_for(&state, acc, id).await?;
    if store::editable_sections(&o, &call, Utc::now()).is_empty() {
        return Err(AppError::Forbidden);
    }
    let db = &state.platform.db.conn;
    let f = offer_file::Entity::find_by_id(file_id)
        .filter(offer_file::Column::OfferId.eq(id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    offer_file::Entity::delete_by_id(f.id).exec(&txn).await?;
    stored_file::Entity::delete_many()
        .filter(stored_file::Column::Key.eq(f.file_key.clone()))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        &actor(acc),
        "grant_offer.file_remove",
        "grant_offer",
        id,
        Some(&serde_json::json!({
            "file": f.id, "attachment": f.attachment, "key": f.file_key, "name": f.file_name,
        })),
        None::<&()>,
    )
    .await?;
    txn.commit().await?;
    if let Err(e) = state.platform.storage.delete(&f.file_key).await {
        tracing::warn!(error = %e, key = %f.file_key, "could not delete a removed attachment");
    }
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        &format!("/panel/oferty/{id}/zalaczniki"),
        "flash-offer-file-removed",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call() -> grant_call::Model {
        let now = Utc::now();
        let day = now.date_naive();
        grant_call::Model {
            id: 1,
            slug: "k".into(),
            number: "1".into(),
            title: "K".into(),
            sphere_code: "1".into(),
            task_type: String::new(),
            description_md: String::new(),
            funds_available: 0,
            grant_rules_md: String::new(),
            execution_from: day,
            execution_to: day,
            execution_conditions_md: String::new(),
            offers_from: None,
            offer_deadline: now,
            selection_procedure_md: String::new(),
            selection_date: day,
            prior_funding: "[]".into(),
            criteria: "[]".into(),
            formal_checklist: String::new(),
            max_grant: None,
            min_own_bp: 0,
            own_kinds: String::new(),
            fees_allowed: true,
            admin_cap_bp: None,
            max_years: 2,
            joint_allowed: true,
            indicators_required: false,
            required_attachments: String::new(),
            correction_days: 7,
            form_version: String::new(),
            contact_name: String::new(),
            contact_email: String::new(),
            status: grant_call::Status::Open,
            announced_at: None,
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
        }
    }

    fn raw(pairs: &[(&str, &str)]) -> Raw {
        Raw(pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect())
    }

    #[test]
    fn costs_typed_the_polish_way_round_trip_and_bad_rows_are_named() {
        let mut content = OfferContent::default();
        content.actions.actions = vec![Action::default()];
        let r = raw(&[
            ("cost_action", "a0"),
            ("cost_kind", "Wynajem sali"),
            ("cost_unit", "godz."),
            ("cost_unit_cost", "1 234,50"),
            ("cost_units", "2,5"),
            ("cost_year", "2"),
            ("cost_action", "admin"),
            ("cost_kind", ""),
            ("cost_unit", ""),
            ("cost_unit_cost", ""),
            ("cost_units", ""),
            ("cost_year", "1"),
        ]);
        let json = parse(Section::Costs, &r, &call(), &content).expect("valid");
        content.set_section(Section::Costs, &json.to_string());
        assert_eq!(content.costs.lines.len(), 1, "the blank row is dropped");
        assert_eq!(content.costs.lines[0].value(), 308_625);
        assert_eq!(content.totals().per_year, [0, 308_625, 0]);
        let back = raw_of(Section::Costs, &content);
        assert_eq!(back.v("cost_unit_cost"), "1 234,50");
        assert_eq!(back.v("cost_units"), "2,5");

        let bad = raw(&[
            ("cost_action", "a7"),
            ("cost_kind", "x"),
            ("cost_unit", "szt."),
            ("cost_unit_cost", "9999999999999999999"),
            ("cost_units", "-1"),
            ("cost_year", "3"),
        ]);
        let errs = parse(Section::Costs, &bad, &call(), &content).expect_err("invalid");
        let ids: Vec<&str> = errs.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "cost-1-action",
                "cost-1-unit_cost",
                "cost-1-units",
                "cost-1-year"
            ]
        );
    }

    #[test]
    fn hostile_text_gives_field_errors() {
        let long = "a".repeat(1_000_000);
        let r = raw(&[("title", &long), ("summary", "x\u{FFFD}y"), ("start_date", "31.02.2027")]);
        let errs = parse(Section::Task, &r, &call(), &OfferContent::default()).expect_err("bad");
        let keys: Vec<(&str, &str)> = errs.iter().map(|e| (e.id.as_str(), e.key)).collect();
        assert!(keys.contains(&("title", wspolnie_platform::validation::TOO_LONG)));
        assert!(keys.contains(&("summary", wspolnie_platform::validation::CONTROL)));
        assert!(keys.contains(&("start_date", "offer-error-start-date")));
        assert_eq!(parse_money("12 345,67"), Some(1_234_567));
        assert_eq!(parse_money("-5"), None);
        assert_eq!(parse_money("1000000001"), None);
    }
}
