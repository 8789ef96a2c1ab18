//! The call's rules checked against an offer before it is submitted (item 5 of issue 17): each
//! finding names the section and the field it belongs to, so the section's form shows it next
//! to the field, and a Fluent message with its arguments.
//!
//! Field ids are those of the section forms: scalar fields by name (`title`, `start_date`,
//! `grant`, …), repeated rows numbered from 1 (`action-1-name`, `cost-3-unit_cost`,
//! `cost-3-units`, `cost-3-action`, `indicator-1-result`, `partner-1-name`, `split-1-amount`),
//! the statements group `confirmed`, a required attachment `attachment`/`attachment-{n}` (its place in the
//! call's list).
//!
//! Argument names are those the translations' key-set test knows (`max`, `total`, `shown`,
//! `date`, `count`, `line`, `title`); amounts are formatted with `Money`'s Display, shares with
//! `offer::percent_pl`.

use crate::grants::entity::grant_call;
use crate::grants::model::{lines, own_kinds_of};
use crate::grants::offer::{OfferContent, STATEMENTS, Section, percent_pl, share_bp};
use chrono::{Datelike, NaiveDate};
use wspolnie_core::money::Money;

/// One breach of the call's rules or of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub section: Section,
    /// The id of the field in the section's form (where the summary link lands).
    pub field: String,
    /// Fluent id of the message.
    pub message: &'static str,
    /// Its arguments (name, value), already formatted.
    pub args: Vec<(&'static str, String)>,
}

impl Finding {
    /// The message in `lang`.
    pub fn text(&self, lang: wspolnie_platform::i18n::Lang) -> String {
        let args: Vec<(&str, &str)> = self.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        lang.ta(self.message, &args)
    }
}

/// What the checks need besides the call and the offer.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Texts of the call's required attachments that have a file.
    pub attached: Vec<String>,
    /// While a reduced grant's update is due: what it must meet (`store::update_rule`).
    pub update: Option<UpdateRule>,
    /// A small grant's offer (art. 19a): where the organisation stands under the limits.
    pub small: Option<crate::grants::small::Standing>,
}

/// The sections an update for a reduced grant may change: the schedule (III.4), the results
/// (III.5–6), the cost table (V.A) and the funding (V.B).
pub const UPDATE_SECTIONS: [Section; 4] = [Section::Actions, Section::Results, Section::Costs, Section::Funding];

/// What an update for a reduced grant must meet besides the call's rules: the grant equals the
/// amount granted; its share of the total cost is at most `max_grant_bp` (the share in the offer
/// the decision was made on) where the call keeps that rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpdateRule {
    pub granted: i64,
    pub max_grant_bp: Option<i64>,
}

fn finding(
    section: Section,
    field: impl Into<String>,
    message: &'static str,
    args: Vec<(&'static str, String)>,
) -> Finding {
    Finding {
        section,
        field: field.into(),
        message,
        args,
    }
}

fn money(g: i64) -> String {
    Money(g).to_string()
}

fn day_text(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

fn parse_day(s: &str) -> Option<NaiveDate> {
    wspolnie_core::time::parse_form_date(s.trim())
}

/// Every finding, in the form's order (section by section, field by field).
pub fn check(call: &grant_call::Model, c: &OfferContent, ctx: &Context) -> Vec<Finding> {
    let mut out = check_call(call, c, ctx);
    if let Some(s) = &ctx.small {
        out.extend(check_small(s, c));
        out.sort_by_key(|f| f.section);
    }
    if let Some(u) = ctx.update {
        // Only what the organisation may change now can block the update.
        out.retain(|f| UPDATE_SECTIONS.contains(&f.section));
        let t = c.totals();
        if c.funding.grant != u.granted {
            out.push(finding(
                Section::Funding,
                "grant",
                "offer-check-update-grant",
                vec![("max", money(u.granted))],
            ));
        } else if let Some(bp) = u.max_grant_bp
            && t.grant_bp > bp
        {
            out.push(finding(
                Section::Funding,
                "grant",
                "offer-check-update-share",
                vec![("max", percent_pl(bp)), ("shown", percent_pl(t.grant_bp))],
            ));
        }
        out.sort_by_key(|f| f.section);
    }
    out
}

/// A small grant's offer against the art. 19a limits: each breach names the limit and what is
/// left under it (the task's length is checked only when both dates are readable; the
/// ordinary checks name a missing date).
fn check_small(s: &crate::grants::small::Standing, c: &OfferContent) -> Vec<Finding> {
    // Dates missing or in the wrong order are named by the ordinary checks; the length is
    // checked only on a readable span (a one-day span stands for "nothing to check").
    let (from, to) = match (parse_day(&c.task.start_date), parse_day(&c.task.end_date)) {
        (Some(from), Some(to)) if from <= to => (from, to),
        _ => (NaiveDate::MIN, NaiveDate::MIN),
    };
    let (breaches, left) = s.check(c.funding.grant, from, to);
    breaches.into_iter().map(|b| small_finding(b, s, &left)).collect()
}

fn small_finding(b: crate::grants::small::Breach, s: &crate::grants::small::Standing, left: &crate::grants::small::Left) -> Finding {
    let (section, field) = match b {
        crate::grants::small::Breach::Days => (Section::Task, "end_date"),
        _ => (Section::Funding, "grant"),
    };
    finding(section, field, b.key(), vec![("max", b.max(&s.limits, left))])
}

fn check_call(call: &grant_call::Model, c: &OfferContent, ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    let t = c.totals();
    use Section::*;

    // II: offerors.
    if c.offerors.contact_person.trim().is_empty() {
        out.push(finding(Offerors, "contact_person", "offer-check-contact", vec![]));
    }
    if c.is_joint() && !call.joint_allowed {
        out.push(finding(Offerors, "partner-1-name", "offer-check-joint", vec![]));
    }

    // III.1–3: the task.
    if c.task.title.trim().is_empty() {
        out.push(finding(Task, "title", "offer-check-title", vec![]));
    }
    let start = parse_day(&c.task.start_date);
    let end = parse_day(&c.task.end_date);
    match start {
        None => out.push(finding(Task, "start_date", "offer-check-start", vec![])),
        Some(s) if s < call.execution_from || s > call.execution_to => out.push(finding(
            Task,
            "start_date",
            "offer-check-start-window",
            vec![
                ("date", day_text(call.execution_from)),
                ("max", day_text(call.execution_to)),
            ],
        )),
        _ => {}
    }
    match (start, end) {
        (_, None) => out.push(finding(Task, "end_date", "offer-check-end", vec![])),
        (Some(s), Some(e)) if e < s => {
            out.push(finding(Task, "end_date", "offer-check-end-before", vec![]))
        }
        (_, Some(e)) if e > call.execution_to || e < call.execution_from => out.push(finding(
            Task,
            "end_date",
            "offer-check-end-window",
            vec![
                ("date", day_text(call.execution_from)),
                ("max", day_text(call.execution_to)),
            ],
        )),
        (Some(s), Some(e)) => {
            let years = i64::from(e.year()) - i64::from(s.year()) + 1;
            if years > i64::from(call.max_years) {
                out.push(finding(
                    Task,
                    "end_date",
                    "offer-check-years",
                    vec![
                        ("count", years.to_string()),
                        ("max", call.max_years.to_string()),
                    ],
                ));
            }
        }
        _ => {}
    }
    if c.task.summary.trim().is_empty() {
        out.push(finding(Task, "summary", "offer-check-summary", vec![]));
    }

    // III.4: actions.
    if c.actions.actions.is_empty() {
        out.push(finding(Actions, "action-1-name", "offer-check-actions", vec![]));
    }
    for (i, a) in c.actions.actions.iter().enumerate() {
        if a.name.trim().is_empty() {
            out.push(finding(
                Actions,
                format!("action-{}-name", i + 1),
                "offer-check-action-name",
                vec![("line", (i + 1).to_string())],
            ));
        }
    }

    // III.6: the results table.
    if call.indicators_required
        && !c
            .results
            .indicators
            .iter()
            .any(|r| !r.result.trim().is_empty())
    {
        out.push(finding(
            Results,
            "indicator-1-result",
            "offer-check-indicators",
            vec![],
        ));
    }

    // V.A: the cost table.
    if c.costs.lines.is_empty() {
        out.push(finding(Costs, "cost-1-kind", "offer-check-costs", vec![]));
    }
    for (i, l) in c.costs.lines.iter().enumerate() {
        let n = i + 1;
        if let Some(a) = l.action
            && a >= c.actions.actions.len()
        {
            out.push(finding(
                Costs,
                format!("cost-{n}-action"),
                "offer-check-cost-action",
                vec![("line", n.to_string())],
            ));
        }
        if l.unit_cost <= 0 {
            out.push(finding(
                Costs,
                format!("cost-{n}-unit_cost"),
                "offer-check-cost-unit-cost",
                vec![("line", n.to_string())],
            ));
        }
        if l.units_centi <= 0 {
            out.push(finding(
                Costs,
                format!("cost-{n}-units"),
                "offer-check-cost-units",
                vec![("line", n.to_string())],
            ));
        }
    }
    if let Some(cap) = call.admin_cap_bp
        && t.total > 0
        && (t.administrative as i128) * 10_000 > (cap as i128) * (t.total as i128)
    {
        let first_admin = c
            .costs
            .lines
            .iter()
            .position(|l| l.action.is_none())
            .map_or(1, |i| i + 1);
        let most = ((t.total as i128) * (cap as i128) / 10_000) as i64;
        out.push(finding(
            Costs,
            format!("cost-{first_admin}-unit_cost"),
            "offer-check-admin-cap",
            vec![
                ("total", money(t.administrative)),
                ("shown", percent_pl(t.administrative_bp)),
                ("max", format!("{} ({})", percent_pl(i64::from(cap)), money(most))),
            ],
        ));
    }

    // V.B: funding sources.
    let f = &c.funding;
    if f.grant <= 0 {
        out.push(finding(Funding, "grant", "offer-check-grant-positive", vec![]));
    } else if let Some(max) = call.max_grant
        && f.grant > max
    {
        out.push(finding(
            Funding,
            "grant",
            "offer-check-grant-max",
            vec![("max", money(max))],
        ));
    } else if f.grant > call.funds_available {
        out.push(finding(
            Funding,
            "grant",
            "offer-check-grant-funds",
            vec![("max", money(call.funds_available))],
        ));
    }
    for (field, v, msg) in [
        ("own_financial", f.own_financial, "offer-check-negative-own"),
        ("personal", f.personal, "offer-check-negative-personal"),
        ("in_kind", f.in_kind, "offer-check-negative-in-kind"),
        ("fees", f.fees, "offer-check-negative-fees"),
    ] {
        if v < 0 {
            out.push(finding(Funding, field, msg, vec![]));
        }
    }
    let kinds = own_kinds_of(call);
    let counted = kinds.iter().fold(0i64, |acc, k| {
        acc.saturating_add(match *k {
            "financial" => f.own_financial.max(0),
            "personal" => f.personal.max(0),
            "in_kind" => f.in_kind.max(0),
            _ => 0,
        })
    });
    if call.min_own_bp > 0
        && t.total > 0
        && (counted as i128) * 10_000 < (call.min_own_bp as i128) * (t.total as i128)
    {
        out.push(finding(
            Funding,
            "own_financial",
            "offer-check-own-min",
            vec![
                ("max", percent_pl(i64::from(call.min_own_bp))),
                ("total", percent_pl(share_bp(counted, t.total))),
            ],
        ));
    }
    if f.fees > 0 && !call.fees_allowed {
        out.push(finding(Funding, "fees", "offer-check-fees", vec![]));
    }
    if t.sources != t.total {
        let diff = (t.sources as i128 - t.total as i128).unsigned_abs();
        out.push(finding(
            Funding,
            "own_financial",
            "offer-check-sources",
            vec![
                ("shown", money(t.sources)),
                ("total", money(t.total)),
                ("max", money(i64::try_from(diff).unwrap_or(i64::MAX))),
            ],
        ));
    }

    // V.C: the split between joint offerors.
    if c.is_joint() {
        let sum = c
            .split
            .amounts
            .iter()
            .fold(0i64, |a, b| a.saturating_add(*b));
        if sum != t.total {
            out.push(finding(
                Split,
                "split-1-amount",
                "offer-check-split",
                vec![("shown", money(sum)), ("total", money(t.total))],
            ));
        }
    }

    // Attachments the call requires (shown with the other information).
    for (i, a) in lines(&call.required_attachments).iter().enumerate() {
        if !ctx.attached.iter().any(|x| x.trim() == a) {
            out.push(finding(
                Other,
                // The attachments page's radio for it: `attachment` for the first, then
                // `attachment-2`, `attachment-3`…
                if i == 0 {
                    "attachment".to_owned()
                } else {
                    format!("attachment-{}", i + 1)
                },
                "offer-check-attachment",
                vec![("title", a.clone())],
            ));
        }
    }

    // VII: statements.
    if !STATEMENTS
        .iter()
        .all(|s| c.statements.confirmed.iter().any(|x| x == s))
    {
        out.push(finding(Statements, "confirmed", "offer-check-statements", vec![]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grants::offer::{Action, CostLine, Indicator, Offeror};
    use chrono::Utc;

    fn call() -> grant_call::Model {
        let now = Utc::now();
        grant_call::Model {
            id: 1,
            slug: "k".into(),
            number: "N".into(),
            title: "T".into(),
            sphere_code: "17".into(),
            task_type: String::new(),
            description_md: String::new(),
            funds_available: 10_000_000,
            grant_rules_md: String::new(),
            execution_from: NaiveDate::from_ymd_opt(2027, 3, 1).expect("d"),
            execution_to: NaiveDate::from_ymd_opt(2027, 12, 31).expect("d"),
            execution_conditions_md: String::new(),
            offers_from: None,
            offer_deadline: now,
            selection_procedure_md: String::new(),
            selection_date: NaiveDate::from_ymd_opt(2027, 2, 1).expect("d"),
            prior_funding: "[]".into(),
            criteria: "[]".into(),
            formal_checklist: String::new(),
            max_grant: Some(3_000_000),
            min_own_bp: 1000,
            own_kinds: "financial,personal".into(),
            fees_allowed: false,
            admin_cap_bp: Some(1000),
            max_years: 1,
            joint_allowed: false,
            indicators_required: true,
            required_attachments: "Statut\nOdpis z KRS".into(),
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

    fn ctx() -> Context {
        Context {
            update: None,
            attached: vec!["Statut".into(), "Odpis z KRS".into()],
            small: None,
        }
    }

    /// An offer that breaks no rule: 20 000 zł of costs (1 000 zł administrative), 18 000 zł
    /// grant, 2 000 zł own financial contribution.
    fn good() -> OfferContent {
        let mut c = OfferContent::default();
        c.offerors.lead = Offeror {
            name: "Klub".into(),
            ..Default::default()
        };
        c.offerors.contact_person = "Anna Nowak".into();
        c.task.title = "Zajęcia".into();
        c.task.start_date = "2027-03-01".into();
        c.task.end_date = "2027-06-30".into();
        c.task.summary = "Opis".into();
        c.actions.actions = vec![Action {
            name: "Treningi".into(),
            year: 1,
            ..Default::default()
        }];
        c.results.indicators = vec![Indicator {
            result: "Uczestnicy".into(),
            planned_value: "40".into(),
            monitoring: "lista".into(),
        }];
        c.costs.lines = vec![
            CostLine {
                action: Some(0),
                kind: "Trener".into(),
                unit: "godz.".into(),
                unit_cost: 10_000,
                units_centi: 19_000,
                year: 1,
            },
            CostLine {
                action: None,
                kind: "Księgowość".into(),
                unit: "mies.".into(),
                unit_cost: 25_000,
                units_centi: 400,
                year: 1,
            },
        ];
        c.funding.grant = 1_800_000;
        c.funding.own_financial = 200_000;
        c.statements.confirmed = STATEMENTS.iter().map(|s| (*s).to_owned()).collect();
        c
    }

    fn codes(c: &OfferContent) -> Vec<(&'static str, String)> {
        check(&call(), c, &ctx())
            .into_iter()
            .map(|f| (f.message, f.field))
            .collect()
    }

    fn has(c: &OfferContent, message: &str, field: &str) -> Finding {
        let all = check(&call(), c, &ctx());
        all.iter()
            .find(|f| f.message == message && f.field == field)
            .cloned()
            .unwrap_or_else(|| panic!("{message} on {field} expected in {all:?}"))
    }

    #[test]
    fn a_good_offer_has_no_findings() {
        assert_eq!(codes(&good()), vec![]);
    }

    #[test]
    fn required_fields_are_named() {
        let mut c = good();
        c.task.title = " ".into();
        c.task.start_date = String::new();
        c.task.end_date = "nie".into();
        c.task.summary = String::new();
        c.offerors.contact_person = String::new();
        let f = has(&c, "offer-check-title", "title");
        assert_eq!(f.section, Section::Task);
        has(&c, "offer-check-start", "start_date");
        has(&c, "offer-check-end", "end_date");
        has(&c, "offer-check-summary", "summary");
        assert_eq!(has(&c, "offer-check-contact", "contact_person").section, Section::Offerors);
    }

    #[test]
    fn at_least_one_action_and_one_cost_line() {
        let mut c = good();
        c.actions.actions.clear();
        c.costs.lines.clear();
        has(&c, "offer-check-actions", "action-1-name");
        has(&c, "offer-check-costs", "cost-1-kind");
        let mut c = good();
        c.actions.actions.push(Action::default());
        has(&c, "offer-check-action-name", "action-2-name");
    }

    #[test]
    fn dates_outside_the_window_and_too_many_years() {
        let mut c = good();
        c.task.start_date = "2027-02-28".into();
        let f = has(&c, "offer-check-start-window", "start_date");
        assert_eq!(f.args, vec![("date", "01.03.2027".into()), ("max", "31.12.2027".into())]);
        let mut c = good();
        c.task.end_date = "2028-01-10".into();
        has(&c, "offer-check-end-window", "end_date");
        let mut c = good();
        c.task.end_date = "2027-02-10".into();
        has(&c, "offer-check-end-before", "end_date");
        // Two calendar years where the call allows one (the window widened so only years count).
        let mut k = call();
        k.execution_to = NaiveDate::from_ymd_opt(2029, 12, 31).expect("d");
        let mut c = good();
        c.task.end_date = "2028-02-10".into();
        let f = check(&k, &c, &ctx());
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].message, "offer-check-years");
        assert_eq!(f[0].args, vec![("count", "2".into()), ("max", "1".into())]);
        k.max_years = 2;
        assert!(check(&k, &c, &ctx()).is_empty());
    }

    #[test]
    fn grant_above_the_maximum_and_above_the_funds() {
        let mut c = good();
        c.funding.grant = 3_000_001;
        c.funding.own_financial = 200_000;
        let f = has(&c, "offer-check-grant-max", "grant");
        assert_eq!(f.args, vec![("max", "30\u{a0}000,00\u{a0}zł".into())]);
        let mut k = call();
        k.max_grant = None;
        k.funds_available = 1_000_000;
        let f = check(&k, &good(), &ctx());
        assert!(f.iter().any(|f| f.message == "offer-check-grant-funds" && f.field == "grant"));
        let mut c = good();
        c.funding.grant = 0;
        has(&c, "offer-check-grant-positive", "grant");
    }

    #[test]
    fn own_contribution_counts_only_the_calls_kinds() {
        // 1 000 zł in kind does not count (the call counts financial and personal).
        let mut c = good();
        c.funding.own_financial = 100_000;
        c.funding.in_kind = 100_000;
        let f = has(&c, "offer-check-own-min", "own_financial");
        assert_eq!(
            f.args,
            vec![("max", "10,00\u{a0}%".into()), ("total", "5,00\u{a0}%".into())]
        );
        // Personal input counts.
        let mut c = good();
        c.funding.own_financial = 0;
        c.funding.personal = 200_000;
        assert!(codes(&c).is_empty());
    }

    #[test]
    fn fees_only_when_allowed() {
        let mut c = good();
        c.funding.own_financial = 100_000;
        c.funding.fees = 100_000;
        // Fees are not own contribution, so the minimum fails too.
        has(&c, "offer-check-fees", "fees");
        let mut k = call();
        k.fees_allowed = true;
        k.min_own_bp = 0;
        assert!(check(&k, &c, &ctx()).is_empty());
    }

    #[test]
    fn administrative_costs_above_the_cap_show_amounts_and_shares() {
        let mut c = good();
        // 3 000 zł administrative of 20 000 zł = 15 %.
        c.costs.lines[0].units_centi = 17_000;
        c.costs.lines[1].units_centi = 1_200;
        let f = has(&c, "offer-check-admin-cap", "cost-2-unit_cost");
        assert_eq!(
            f.args,
            vec![
                ("total", "3\u{a0}000,00\u{a0}zł".into()),
                ("shown", "15,00\u{a0}%".into()),
                ("max", "10,00\u{a0}% (2\u{a0}000,00\u{a0}zł)".into()),
            ]
        );
    }

    #[test]
    fn sources_must_equal_the_total() {
        let mut c = good();
        c.funding.own_financial = 250_000;
        let f = has(&c, "offer-check-sources", "own_financial");
        assert_eq!(f.args[2], ("max", "500,00\u{a0}zł".into()));
        assert_eq!(f.args[1], ("total", "20\u{a0}000,00\u{a0}zł".into()));
    }

    #[test]
    fn joint_offers_only_when_allowed_and_split_sums_to_the_total() {
        let mut c = good();
        c.offerors.partners.push(Offeror {
            name: "Fundacja".into(),
            ..Default::default()
        });
        c.split.amounts = vec![1_000_000, 900_000];
        has(&c, "offer-check-joint", "partner-1-name");
        let f = has(&c, "offer-check-split", "split-1-amount");
        assert_eq!(f.section, Section::Split);
        let mut k = call();
        k.joint_allowed = true;
        c.split.amounts = vec![1_000_000, 1_000_000];
        assert!(check(&k, &c, &ctx()).is_empty());
    }

    #[test]
    fn indicators_when_required() {
        let mut c = good();
        c.results.indicators = vec![Indicator::default()];
        has(&c, "offer-check-indicators", "indicator-1-result");
        let mut k = call();
        k.indicators_required = false;
        assert!(check(&k, &c, &ctx()).is_empty());
    }

    #[test]
    fn required_attachments() {
        let f = check(
            &call(),
            &good(),
            &Context {
                update: None,
                attached: vec!["Statut".into()],
                small: None,
            },
        );
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].field.as_str(), f[0].message), ("attachment-2", "offer-check-attachment"));
        assert_eq!(f[0].args, vec![("title", "Odpis z KRS".into())]);
    }

    #[test]
    fn every_statement_confirmed() {
        let mut c = good();
        c.statements.confirmed.pop();
        has(&c, "offer-check-statements", "confirmed");
    }

    #[test]
    fn cost_lines_refer_to_actions_and_have_positive_amounts() {
        let mut c = good();
        c.costs.lines[0].action = Some(5);
        c.costs.lines[1].unit_cost = 0;
        c.costs.lines[1].units_centi = -100;
        has(&c, "offer-check-cost-action", "cost-1-action");
        has(&c, "offer-check-cost-unit-cost", "cost-2-unit_cost");
        has(&c, "offer-check-cost-units", "cost-2-units");
        let mut c = good();
        c.funding.personal = -5;
        has(&c, "offer-check-negative-personal", "personal");
    }

    #[test]
    fn hostile_amounts_do_not_panic() {
        let mut c = good();
        c.costs.lines[0].unit_cost = i64::MAX;
        c.costs.lines[0].units_centi = i64::MAX;
        c.funding.grant = i64::MAX;
        c.funding.own_financial = i64::MIN;
        let _ = check(&call(), &c, &ctx());
    }

    #[test]
    fn a_reduced_grants_update_keeps_the_amount_and_the_share() {
        // The offer asked 18 000 zł of 20 000 zł (90 %); 15 000 zł were granted.
        let rule = UpdateRule { granted: 1_500_000, max_grant_bp: Some(9_000) };
        let ctx = Context { update: Some(rule), ..ctx() };
        // No minimum own share here, so the share rule is what speaks.
        let mut call = call();
        call.min_own_bp = 0;
        let call = &call;
        let messages = |c: &OfferContent| -> Vec<&'static str> {
            check(call, c, &ctx).into_iter().map(|f| f.message).collect()
        };
        // Unchanged: the grant differs from the amount granted.
        assert_eq!(messages(&good()), vec!["offer-check-update-grant"]);
        // 15 000 zł of 20 000 zł = 75 %: within the share; own money fills the gap.
        let mut c = good();
        c.funding.grant = 1_500_000;
        c.funding.own_financial = 500_000;
        assert_eq!(messages(&c), Vec::<&str>::new());
        // What the organisation may not change now (the title, III.1) does not block the update.
        let mut untitled = c.clone();
        untitled.task.title.clear();
        assert_eq!(messages(&untitled), Vec::<&str>::new());
        // Costs cut to 16 000 zł: 15 000 zł is 93,75 % > 90 %.
        c.costs.lines[0].units_centi = 15_000;
        c.funding.own_financial = 100_000;
        let f = check(call, &c, &ctx);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].message, "offer-check-update-share");
        assert_eq!(f[0].args, vec![("max", "90,00\u{a0}%".to_owned()), ("shown", "93,75\u{a0}%".to_owned())]);
        // Without the share rule the same update passes.
        let ctx = Context { update: Some(UpdateRule { max_grant_bp: None, ..rule }), ..ctx };
        assert!(check(call, &c, &ctx).is_empty());
        for lang in [wspolnie_platform::i18n::Lang::Pl, wspolnie_platform::i18n::Lang::En] {
            assert!(!f[0].text(lang).contains("offer-check"));
        }
    }

    #[test]
    fn every_message_exists_in_both_languages() {
        let mut c = good();
        c.task = Default::default();
        c.offerors.partners.push(Offeror::default());
        c.funding = Default::default();
        c.funding.fees = 5;
        c.funding.in_kind = -1;
        c.statements.confirmed.clear();
        for f in check(&call(), &c, &Context::default()) {
            for lang in [wspolnie_platform::i18n::Lang::Pl, wspolnie_platform::i18n::Lang::En] {
                let t = f.text(lang);
                assert_ne!(t, f.message);
                assert!(!t.contains("{$"), "{t}");
            }
        }
    }

    #[test]
    fn a_small_grant_offer_meets_the_art_19a_limits_with_what_is_left_named() {
        use crate::grants::small::{Limits, Standing};
        let standing = Standing {
            limits: Limits { max_amount: 1_000_000, max_days: 90, per_organisation_year: 2_000_000, pool_share_bp: 2000 },
            organisation_year: 1_500_000,
            pool_used: 0,
            year_funds: 100_000_000,
        };
        let with = |c: &OfferContent| {
            let ctx = Context { small: Some(standing), ..ctx() };
            check(&call(), c, &ctx).into_iter().filter(|f| f.message.starts_with("small-")).collect::<Vec<_>>()
        };
        let mut c = good();
        let start = parse_day(&c.task.start_date).expect("start");
        c.task.end_date = (start + chrono::Duration::days(29)).format("%Y-%m-%d").to_string();
        // 18 000 zł asked: above 10 000 zł, and above the 5 000 zł the organisation has left.
        let f = with(&c);
        assert_eq!(f.iter().map(|f| f.message).collect::<Vec<_>>(), ["small-breach-amount", "small-breach-organisation"]);
        assert_eq!(f[1].args, vec![("max", Money(500_000).to_string())]);
        assert!(f.iter().all(|f| f.section == Section::Funding && f.field == "grant"));
        c.funding.grant = 400_000;
        assert!(with(&c).is_empty());
        // 91 days, both ends counted.
        c.task.end_date = (start + chrono::Duration::days(90)).format("%Y-%m-%d").to_string();
        let f = with(&c);
        assert_eq!((f.len(), f[0].message, f[0].field.as_str()), (1, "small-breach-days", "end_date"));
    }
}
