//! The report on a contract's task (issue 19, item 3; art. 18 UDPP, the model of annex 5): what
//! the organisation writes (typed, checked in one place), and the figures the office reads from
//! it — costs per line against the contract with the grant apart, per year, the lines whose grant
//! part grew beyond the contract's tolerance ("grant taken in excess"), and spending dated outside
//! the spending windows. Pure: no database, no pages (`report_store.rs`, `report_web.rs`).

use crate::grants::fields::parse_money;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A cost line of the contract (`grant_contract_lines`), as the report is checked against it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub n: i32,
    pub name: String,
    /// Year of the task (1–3).
    pub year: u8,
    /// Grosze.
    pub value: i64,
    /// Of which the grant.
    pub grant: i64,
}

/// What the report is checked against: the plan (actions and results of the offer's final
/// version), the contract's lines and spending windows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub actions: Vec<String>,
    /// The result and its planned value (III.6).
    pub results: Vec<(String, String)>,
    pub lines: Vec<Line>,
    pub grant_window: Option<(NaiveDate, NaiveDate)>,
    pub other_window: Option<(NaiveDate, NaiveDate)>,
    pub tolerance_bp: i32,
    /// The simplified report of a small grant (art. 19a): the same parts without the invoice
    /// register or the split per year (a task of at most 90 days in one year).
    pub simplified: bool,
}

/// What was done for a planned action.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActionDone {
    pub name: String,
    pub done: String,
    /// Why it differs from the plan (empty when it does not).
    pub deviation: String,
}

/// A planned result and what was reached.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResultDone {
    pub result: String,
    pub planned: String,
    pub achieved: String,
    pub explanation: String,
}

/// What was spent on a contract line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Spent {
    pub n: i32,
    /// Grosze, all sources.
    pub total: i64,
    /// Of which from the grant.
    pub grant: i64,
    /// Why the line differs from the contract.
    pub explanation: String,
}

/// The money of each source actually used.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Sources {
    pub own_financial: i64,
    pub personal: i64,
    pub in_kind: i64,
    /// Payments from the task's recipients.
    pub fees: i64,
    /// Other public or private money.
    pub other: i64,
}

/// One document of the optional invoice register.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Invoice {
    /// The contract line it is booked to.
    pub line: i32,
    pub number: String,
    pub date: Option<NaiveDate>,
    pub amount: i64,
    /// Of which paid from the grant.
    pub grant: i64,
}

/// The statements of the report (section IV of annex 5).
pub const STATEMENTS: &[&str] = &["as_agreed", "records_kept", "data_true"];

/// The report as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportContent {
    /// Results reached against those planned, in words.
    pub summary: String,
    pub actions: Vec<ActionDone>,
    pub results: Vec<ResultDone>,
    pub costs: Vec<Spent>,
    pub sources: Sources,
    /// How the personal and in-kind input was given and valued.
    pub input_note: String,
    pub invoices: Vec<Invoice>,
    pub statements: Vec<String>,
}

/// One invoice row as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvoiceInput {
    pub line: String,
    pub number: String,
    pub date: String,
    pub amount: String,
    pub grant: String,
}

/// The report form as typed: rows follow the plan (one per action, result and contract line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportInput {
    pub summary: String,
    /// Per action: done, deviation.
    pub actions: Vec<(String, String)>,
    /// Per result: achieved, explanation.
    pub results: Vec<(String, String)>,
    /// Per contract line: total, grant, explanation.
    pub costs: Vec<(String, String, String)>,
    /// own_financial, personal, in_kind, fees, other.
    pub sources: [String; 5],
    pub input_note: String,
    pub invoices: Vec<InvoiceInput>,
    pub statements: Vec<String>,
}

/// The names of the source fields, in `ReportInput::sources` order.
pub const SOURCES: [&str; 5] = ["own_financial", "personal", "in_kind", "fees", "other"];

/// The most invoice rows a report holds.
pub const MAX_INVOICES: usize = 200;

pub use crate::grants::fields::Problem;

fn text(s: &str, max: usize) -> Option<String> {
    crate::grants::fields::clean(s, max)
}

/// An amount field: empty is zero; otherwise a non-negative amount.
fn amount(s: &str) -> Option<i64> {
    if s.trim().is_empty() {
        Some(0)
    } else {
        parse_money(s).filter(|a| *a >= 0)
    }
}

/// Checks the form against the plan. Saving (`submit` false) refuses only what cannot be stored
/// (amounts that are no amounts, texts too long, dates that are no dates); submitting also asks
/// for the summary, what was done in each action and reached for each result, an explanation for
/// each line whose grant part grew beyond the tolerance, and every statement.
pub fn check(input: &ReportInput, plan: &Plan, submit: bool) -> Result<ReportContent, Vec<Problem>> {
    let mut p: Vec<Problem> = Vec::new();
    let summary = text(&input.summary, 20_000).unwrap_or_else(|| {
        p.push(("summary".into(), "report-error-long", 0));
        String::new()
    });
    if submit && summary.is_empty() {
        p.push(("summary".into(), "report-error-summary", 0));
    }
    let mut actions = Vec::new();
    for (i, name) in plan.actions.iter().enumerate() {
        let n = i + 1;
        let (done, deviation) = input.actions.get(i).cloned().unwrap_or_default();
        let done = text(&done, 4000).unwrap_or_else(|| {
            p.push((format!("action-{n}-done"), "report-error-action-long", n));
            String::new()
        });
        if submit && done.is_empty() {
            p.push((format!("action-{n}-done"), "report-error-action", n));
        }
        let deviation = text(&deviation, 4000).unwrap_or_default();
        actions.push(ActionDone { name: name.clone(), done, deviation });
    }
    let mut results = Vec::new();
    for (i, (result, planned)) in plan.results.iter().enumerate() {
        let n = i + 1;
        let (achieved, explanation) = input.results.get(i).cloned().unwrap_or_default();
        let achieved = text(&achieved, 500).unwrap_or_else(|| {
            p.push((format!("result-{n}-achieved"), "report-error-result-long", n));
            String::new()
        });
        if submit && achieved.is_empty() {
            p.push((format!("result-{n}-achieved"), "report-error-result", n));
        }
        let explanation = text(&explanation, 4000).unwrap_or_default();
        results.push(ResultDone { result: result.clone(), planned: planned.clone(), achieved, explanation });
    }
    let mut costs = Vec::new();
    for (i, line) in plan.lines.iter().enumerate() {
        let (total, grant, explanation) = input.costs.get(i).cloned().unwrap_or_default();
        let n = usize::try_from(line.n).unwrap_or(0);
        let total = amount(&total).unwrap_or_else(|| {
            p.push((format!("cost-{n}-total"), "report-error-cost-total", n));
            0
        });
        let grant = match amount(&grant) {
            Some(g) if g > total => {
                p.push((format!("cost-{n}-grant"), "report-error-cost-grant-above", n));
                g
            }
            Some(g) => g,
            None => {
                p.push((format!("cost-{n}-grant"), "report-error-cost-grant", n));
                0
            }
        };
        let explanation = text(&explanation, 2000).unwrap_or_default();
        if submit && explanation.is_empty() && over_tolerance(line.grant, grant, plan.tolerance_bp).is_some() {
            p.push((format!("cost-{n}-explanation"), "report-error-cost-explain", n));
        }
        costs.push(Spent { n: line.n, total, grant, explanation });
    }
    let mut source = [0i64; 5];
    for (i, s) in input.sources.iter().enumerate() {
        match amount(s) {
            Some(a) => source[i] = a,
            None => p.push((format!("source-{}", SOURCES[i]), "report-error-source", i + 1)),
        }
    }
    let input_note = text(&input.input_note, 4000).unwrap_or_else(|| {
        p.push(("input_note".into(), "report-error-input-note", 0));
        String::new()
    });
    // The simplified report has no invoice register: rows sent anyway are not read.
    let rows: Vec<(usize, &InvoiceInput)> = input
        .invoices
        .iter()
        .take(if plan.simplified { 0 } else { usize::MAX })
        .enumerate()
        .filter(|(_, r)| {
            ![&r.line, &r.number, &r.date, &r.amount, &r.grant].iter().all(|f| f.trim().is_empty())
        })
        .collect();
    if rows.len() > MAX_INVOICES {
        p.push(("invoice-1-number".into(), "report-error-invoices", 0));
    }
    let mut invoices = Vec::new();
    for (i, r) in rows.iter().take(MAX_INVOICES) {
        let n = i + 1;
        let line = r.line.trim().parse::<i32>().ok().filter(|l| plan.lines.iter().any(|x| x.n == *l));
        if line.is_none() {
            p.push((format!("invoice-{n}-line"), "report-error-invoice-line", n));
        }
        let number = text(&r.number, 200).filter(|s| !s.is_empty());
        if number.is_none() {
            p.push((format!("invoice-{n}-number"), "report-error-invoice-number", n));
        }
        let date = wspolnie_core::time::parse_form_date(&r.date);
        if date.is_none() {
            p.push((format!("invoice-{n}-date"), "report-error-invoice-date", n));
        }
        let a = parse_money(&r.amount).filter(|a| *a > 0);
        if a.is_none() {
            p.push((format!("invoice-{n}-amount"), "report-error-invoice-amount", n));
        }
        let g = amount(&r.grant).filter(|g| a.is_none_or(|a| *g <= a));
        if g.is_none() {
            p.push((format!("invoice-{n}-grant"), "report-error-invoice-grant", n));
        }
        invoices.push(Invoice {
            line: line.unwrap_or(0),
            number: number.unwrap_or_default(),
            date,
            amount: a.unwrap_or(0),
            grant: g.unwrap_or(0),
        });
    }
    let statements: Vec<String> = STATEMENTS
        .iter()
        .filter(|s| input.statements.iter().any(|x| x == *s))
        .map(|s| (*s).to_owned())
        .collect();
    if submit && statements.len() != STATEMENTS.len() {
        p.push(("statements".into(), "report-error-statements", 0));
    }
    if !p.is_empty() {
        return Err(p);
    }
    Ok(ReportContent {
        summary,
        actions,
        results,
        costs,
        sources: Sources {
            own_financial: source[0],
            personal: source[1],
            in_kind: source[2],
            fees: source[3],
            other: source[4],
        },
        input_note,
        invoices,
        statements,
    })
}

/// The form showing a stored report (rows in the plan's order; a line the report does not hold
/// yet is empty).
pub fn input_of(c: &ReportContent, plan: &Plan) -> ReportInput {
    let m = |a: i64| crate::grants::model::money_text(a);
    ReportInput {
        summary: c.summary.clone(),
        actions: (0..plan.actions.len())
            .map(|i| c.actions.get(i).map(|a| (a.done.clone(), a.deviation.clone())).unwrap_or_default())
            .collect(),
        results: (0..plan.results.len())
            .map(|i| c.results.get(i).map(|r| (r.achieved.clone(), r.explanation.clone())).unwrap_or_default())
            .collect(),
        costs: plan
            .lines
            .iter()
            .map(|l| {
                c.costs
                    .iter()
                    .find(|s| s.n == l.n)
                    .map(|s| (m(s.total), m(s.grant), s.explanation.clone()))
                    .unwrap_or_default()
            })
            .collect(),
        sources: [
            c.sources.own_financial,
            c.sources.personal,
            c.sources.in_kind,
            c.sources.fees,
            c.sources.other,
        ]
        .map(m),
        input_note: c.input_note.clone(),
        invoices: c
            .invoices
            .iter()
            .map(|i| InvoiceInput {
                line: i.line.to_string(),
                number: i.number.clone(),
                date: i.date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
                amount: m(i.amount),
                grant: m(i.grant),
            })
            .collect(),
        statements: c.statements.clone(),
    }
}

/// "Grant taken in excess" on one line: when the grant spent on it is above the contract's grant
/// part by more than the tolerance, the whole increase counts (the shift broke the contract, so
/// none of it is covered) — `Some(increase)`; otherwise `None`. Exact integer arithmetic: spent ×
/// 10 000 > part × (10 000 + tolerance).
pub fn over_tolerance(part: i64, spent: i64, tolerance_bp: i32) -> Option<i64> {
    let lhs = i128::from(spent) * 10_000;
    let rhs = i128::from(part) * (10_000 + i128::from(tolerance_bp.max(0)));
    (lhs > rhs).then(|| spent.saturating_sub(part))
}

/// One line as the office reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFigure {
    pub n: i32,
    pub name: String,
    pub year: u8,
    pub value: i64,
    pub grant: i64,
    pub spent: i64,
    pub spent_grant: i64,
    /// Grant taken in excess on this line.
    pub excess: Option<i64>,
}

/// The report's figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub lines: Vec<LineFigure>,
    /// Per year (index 0 = year 1): contract value, spent, contract grant, grant spent.
    pub per_year: [[i64; 4]; 3],
    pub value: i64,
    pub spent: i64,
    pub grant: i64,
    pub spent_grant: i64,
    /// Sum of the lines' excess.
    pub excess: i64,
    /// Spent of other money (all sources but the grant) = spent − spent grant.
    pub spent_other: i64,
    /// The sources as reported, summed (own, personal, in-kind, fees, other).
    pub sources: i64,
    /// Invoice rows (numbered from 1) dated outside the window of the money that paid them.
    pub outside_window: Vec<usize>,
    /// Lines (their `n`) whose invoices do not add up to what the report says was spent.
    pub register_mismatch: Vec<i32>,
}

fn add(a: i64, b: i64) -> i64 {
    a.saturating_add(b)
}

/// The figures of a report against the plan. Saturating sums: hostile amounts never overflow.
pub fn figures(c: &ReportContent, plan: &Plan) -> Figures {
    let mut f = Figures::default();
    for l in &plan.lines {
        let s = c.costs.iter().find(|s| s.n == l.n);
        let spent = s.map_or(0, |s| s.total);
        let spent_grant = s.map_or(0, |s| s.grant);
        let excess = over_tolerance(l.grant, spent_grant, plan.tolerance_bp);
        let y = usize::from(l.year.clamp(1, 3)) - 1;
        for (k, v) in [l.value, spent, l.grant, spent_grant].into_iter().enumerate() {
            f.per_year[y][k] = add(f.per_year[y][k], v);
        }
        f.value = add(f.value, l.value);
        f.spent = add(f.spent, spent);
        f.grant = add(f.grant, l.grant);
        f.spent_grant = add(f.spent_grant, spent_grant);
        f.excess = add(f.excess, excess.unwrap_or(0));
        f.lines.push(LineFigure {
            n: l.n,
            name: l.name.clone(),
            year: l.year,
            value: l.value,
            grant: l.grant,
            spent,
            spent_grant,
            excess,
        });
    }
    f.spent_other = f.spent.saturating_sub(f.spent_grant);
    let s = &c.sources;
    f.sources = [s.own_financial, s.personal, s.in_kind, s.fees, s.other].into_iter().fold(0, add);
    let inside = |w: Option<(NaiveDate, NaiveDate)>, d: NaiveDate| w.is_none_or(|(a, b)| a <= d && d <= b);
    for (i, inv) in c.invoices.iter().enumerate() {
        if let Some(d) = inv.date {
            let grant_ok = inv.grant == 0 || inside(plan.grant_window, d);
            let other_ok = inv.amount <= inv.grant || inside(plan.other_window, d);
            if !(grant_ok && other_ok) {
                f.outside_window.push(i + 1);
            }
        }
    }
    if !c.invoices.is_empty() {
        for l in &f.lines {
            let booked = c.invoices.iter().filter(|i| i.line == l.n).fold(0, |s, i| add(s, i.amount));
            if booked != l.spent {
                f.register_mismatch.push(l.n);
            }
        }
    }
    f
}

/// The contract's lines from the offer's final cost table: each line's value, and the grant's
/// part of each in proportion to its value (largest remainders, so the parts add up to the
/// grant exactly; the office moves them by an annex where the grant pays other lines).
pub fn lines_from_offer(content: &crate::grants::offer::OfferContent, grant: i64) -> Vec<Line> {
    let values: Vec<i64> = content.costs.lines.iter().map(|l| l.value().max(0)).collect();
    let parts = split(grant.max(0), &values);
    content
        .costs
        .lines
        .iter()
        .zip(parts)
        .enumerate()
        .map(|(i, (l, part))| {
            let action = l
                .action
                .and_then(|a| content.actions.actions.get(a))
                .map(|a| a.name.trim().to_owned())
                .filter(|a| !a.is_empty());
            let mut name: String = l.kind.trim().chars().take(200).collect();
            if let Some(a) = action {
                name = format!("{name} ({})", a.chars().take(100).collect::<String>());
            }
            Line {
                n: i32::try_from(i + 1).unwrap_or(i32::MAX),
                name,
                year: l.year.clamp(1, 3),
                value: values[i],
                grant: part,
            }
        })
        .collect()
}

/// `amount` split over `weights` in proportion, by largest remainders: the parts add up to
/// `amount` exactly (when the weights are all zero, nothing is split and the parts are zero).
pub fn split(amount: i64, weights: &[i64]) -> Vec<i64> {
    let total: i128 = weights.iter().map(|w| i128::from((*w).max(0))).sum();
    if total == 0 {
        return vec![0; weights.len()];
    }
    let a = i128::from(amount);
    let mut parts: Vec<(usize, i128, i128)> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let x = a * i128::from((*w).max(0));
            (i, x / total, x % total)
        })
        .collect();
    let given: i128 = parts.iter().map(|p| p.1).sum();
    let mut left = a - given;
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|x, y| parts[*y].2.cmp(&parts[*x].2).then(x.cmp(y)));
    for i in order {
        if left <= 0 {
            break;
        }
        parts[i].1 += 1;
        left -= 1;
    }
    parts.sort_by_key(|p| p.0);
    parts.into_iter().map(|p| i64::try_from(p.1).unwrap_or(i64::MAX)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn plan() -> Plan {
        Plan {
            actions: vec!["Warsztaty".into(), "Festyn".into()],
            results: vec![("Uczestnicy".into(), "40".into())],
            lines: vec![
                Line { n: 1, name: "Trener".into(), year: 1, value: 600_000, grant: 500_000 },
                Line { n: 2, name: "Materiały".into(), year: 1, value: 300_000, grant: 200_000 },
                Line { n: 3, name: "Księgowość".into(), year: 1, value: 100_000, grant: 0 },
            ],
            grant_window: Some((d(2027, 3, 1), d(2027, 6, 30))),
            other_window: Some((d(2027, 2, 1), d(2027, 7, 15))),
            tolerance_bp: 1000,
            simplified: false,
        }
    }

    fn input() -> ReportInput {
        ReportInput {
            summary: "Zrealizowano.".into(),
            actions: vec![("Sześć warsztatów".into(), String::new()), ("Festyn".into(), String::new())],
            results: vec![("42".into(), String::new())],
            costs: vec![
                ("600 000,00".into(), "4 400,00".into(), String::new()),
                ("3 000".into(), "2 300".into(), "Droższe materiały".into()),
                ("1 000".into(), "".into(), String::new()),
            ],
            sources: ["2 000".into(), "500".into(), "".into(), "".into(), "".into()],
            input_note: String::new(),
            invoices: vec![],
            statements: STATEMENTS.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn tolerance_is_exact_at_the_edge() {
        assert_eq!(over_tolerance(200_000, 220_000, 1000), None, "10 % up is within 10 %");
        assert_eq!(over_tolerance(200_000, 220_001, 1000), Some(20_001), "the whole increase counts");
        assert_eq!(over_tolerance(0, 1, 1500), Some(1), "a line without grant takes none");
        assert_eq!(over_tolerance(i64::MAX, i64::MAX, i32::MAX), None);
    }

    #[test]
    fn a_report_is_checked_and_its_figures_read() {
        let mut i = input();
        i.costs[0].0 = "6 000".into();
        let c = check(&i, &plan(), true).expect("valid");
        let f = figures(&c, &plan());
        assert_eq!(f.spent, 1_000_000);
        assert_eq!(f.spent_grant, 670_000);
        assert_eq!(f.lines[1].excess, Some(30_000), "2 300 against 2 000 is 15 % up");
        assert_eq!(f.excess, 30_000);
        assert_eq!(f.per_year[0], [1_000_000, 1_000_000, 700_000, 670_000]);
        assert_eq!(f.sources, 250_000);
    }

    #[test]
    fn submitting_asks_for_what_saving_does_not() {
        let mut i = input();
        i.summary.clear();
        i.actions[1].0.clear();
        i.costs[1].2.clear();
        i.statements.pop();
        assert!(check(&i, &plan(), false).is_ok());
        let fields: Vec<String> = check(&i, &plan(), true).err().unwrap_or_default().into_iter().map(|p| p.0).collect();
        assert_eq!(fields, vec!["summary", "action-2-done", "cost-2-explanation", "statements"]);
    }

    #[test]
    fn invoices_are_checked_against_lines_and_windows() {
        let mut i = input();
        i.costs[0].0 = "6 000".into();
        i.invoices = vec![
            InvoiceInput { line: "1".into(), number: "FV 1".into(), date: "2027-03-05".into(), amount: "6 000".into(), grant: "4 400".into() },
            InvoiceInput { line: "2".into(), number: "FV 2".into(), date: "2027-02-10".into(), amount: "3 000".into(), grant: "2 300".into() },
            InvoiceInput::default(),
        ];
        let c = check(&i, &plan(), true).expect("valid");
        let f = figures(&c, &plan());
        assert_eq!(f.outside_window, vec![2], "grant money spent before its window opened");
        assert_eq!(f.register_mismatch, vec![3], "line 3 has no invoice for its 1 000 zł");
        i.invoices[0].line = "9".into();
        i.invoices[1].grant = "5 000".into();
        let fields: Vec<String> = check(&i, &plan(), false).err().unwrap_or_default().into_iter().map(|p| p.0).collect();
        assert_eq!(fields, vec!["invoice-1-line", "invoice-2-grant"]);
    }

    #[test]
    fn the_simplified_report_reads_no_invoice_register() {
        let mut p = plan();
        p.simplified = true;
        let mut i = input();
        i.costs[0].0 = "6 000".into();
        // A row that would be refused in the full report (no such line) is not read at all.
        i.invoices = vec![InvoiceInput { line: "9".into(), number: "FV 1".into(), date: "2027-03-05".into(), amount: "6 000".into(), grant: "x".into() }];
        let c = check(&i, &p, true).expect("valid without a register");
        assert!(c.invoices.is_empty());
        assert!(figures(&c, &p).register_mismatch.is_empty(), "no register, nothing to match");
        assert!(check(&i, &plan(), false).is_err(), "the full report reads the same row");
    }

    #[test]
    fn hostile_input_is_refused_not_panicked_on() {
        let mut i = input();
        i.summary = "x".repeat(1_000_000);
        i.costs[0] = ("9".repeat(300), "-1".into(), "\u{0}".repeat(10)) ;
        i.sources[0] = "1e999".into();
        i.invoices = vec![InvoiceInput { line: "1".into(), number: "a".into(), date: "2027-03-05".into(), amount: "1".into(), grant: "".into() }; 300];
        let fields: Vec<String> = check(&i, &plan(), true).err().unwrap_or_default().into_iter().map(|p| p.0).collect();
        for f in ["summary", "cost-1-total", "cost-1-grant", "source-own_financial", "invoice-1-number"] {
            assert!(fields.iter().any(|x| x == f), "{f} in {fields:?}");
        }
    }

    #[test]
    fn a_grant_is_split_over_lines_to_the_grosz() {
        assert_eq!(split(100, &[1, 1, 1]), vec![34, 33, 33]);
        assert_eq!(split(0, &[5, 5]), vec![0, 0]);
        assert_eq!(split(7, &[0, 0]), vec![0, 0]);
        assert_eq!(split(1_000_000, &[600_000, 300_000, 100_000]), vec![600_000, 300_000, 100_000]);
        assert_eq!(split(i64::MAX, &[i64::MAX, 1]).iter().map(|x| i128::from(*x)).sum::<i128>(), i128::from(i64::MAX));
    }
}

/// Money sums under random cost tables, against computations written another way: sums in
/// i128, the tolerance as "increase × 10 000 > part × tolerance", shares by long division.
#[cfg(test)]
mod properties {
    use super::*;
    use crate::grants::offer::{CostLine, CostsSection, FundingSection, OfferContent, share_bp};
    use proptest::prelude::*;

    /// A contract line and what the report says of it: value, grant part, spent, grant spent,
    /// year.
    fn row() -> impl Strategy<Value = (i64, i64, i64, i64, u8)> {
        (0i64..50_000_000, 0u32..=100, 0i64..60_000_000, 0u32..=130, 1u8..=3).prop_map(|(value, gshare, spent, sgshare, year)| {
            let grant = value * i64::from(gshare) / 100;
            let spent_grant = (grant * i64::from(sgshare) / 100).min(spent);
            (value, grant, spent, spent_grant, year)
        })
    }

    proptest! {
        #[test]
        fn figures_agree_with_an_independent_sum(rows in proptest::collection::vec(row(), 0..40), tol in 0i32..=10_000) {
            let plan = Plan {
                lines: rows.iter().enumerate().map(|(i, r)| Line { n: i as i32 + 1, name: String::new(), year: r.4, value: r.0, grant: r.1 }).collect(),
                tolerance_bp: tol,
                ..Default::default()
            };
            let content = ReportContent {
                costs: rows.iter().enumerate().map(|(i, r)| Spent { n: i as i32 + 1, total: r.2, grant: r.3, explanation: String::new() }).collect(),
                ..Default::default()
            };
            let f = figures(&content, &plan);
            let sum = |k: fn(&(i64, i64, i64, i64, u8)) -> i64| rows.iter().map(|r| i128::from(k(r))).sum::<i128>();
            prop_assert_eq!(i128::from(f.value), sum(|r| r.0));
            prop_assert_eq!(i128::from(f.grant), sum(|r| r.1));
            prop_assert_eq!(i128::from(f.spent), sum(|r| r.2));
            prop_assert_eq!(i128::from(f.spent_grant), sum(|r| r.3));
            prop_assert_eq!(i128::from(f.spent_other), sum(|r| r.2) - sum(|r| r.3));
            for y in 1..=3u8 {
                let of_year: Vec<_> = rows.iter().filter(|r| r.4 == y).collect();
                prop_assert_eq!(i128::from(f.per_year[usize::from(y) - 1][1]), of_year.iter().map(|r| i128::from(r.2)).sum::<i128>());
            }
            let mut excess = 0i128;
            for (r, l) in rows.iter().zip(&f.lines) {
                let increase = i128::from(r.3) - i128::from(r.1);
                let flagged = increase > 0 && increase * 10_000 > i128::from(r.1) * i128::from(tol);
                prop_assert_eq!(l.excess.is_some(), flagged, "line {:?} tol {}", r, tol);
                if flagged {
                    prop_assert_eq!(l.excess.map(i128::from), Some(increase));
                    excess += increase;
                }
            }
            prop_assert_eq!(i128::from(f.excess), excess);
        }

        #[test]
        fn a_split_adds_up_and_stays_proportional(grant in 0i64..100_000_000, weights in proptest::collection::vec(0i64..10_000_000, 1..30)) {
            let parts = split(grant, &weights);
            let total: i128 = weights.iter().map(|w| i128::from(*w)).sum();
            let given: i128 = parts.iter().map(|p| i128::from(*p)).sum();
            if total == 0 {
                prop_assert_eq!(given, 0);
            } else {
                prop_assert_eq!(given, i128::from(grant));
                for (p, w) in parts.iter().zip(&weights) {
                    // Within one grosz of the exact share.
                    let exact_times_total = i128::from(grant) * i128::from(*w);
                    prop_assert!((i128::from(*p) * total - exact_times_total).abs() < total);
                }
            }
        }

        #[test]
        fn offer_totals_and_shares_agree(lines in proptest::collection::vec((0i64..10_000_000, 1i64..100_000, 1u8..=3, any::<bool>()), 0..30), grant in 0i64..1_000_000_000, own in 0i64..1_000_000_000) {
            let content = OfferContent {
                costs: CostsSection { lines: lines.iter().map(|(unit_cost, units_centi, year, admin)| CostLine {
                    action: if *admin { None } else { Some(0) },
                    unit_cost: *unit_cost,
                    units_centi: *units_centi,
                    year: *year,
                    ..Default::default()
                }).collect() },
                funding: FundingSection { grant, own_financial: own, ..Default::default() },
                ..Default::default()
            };
            let t = content.totals();
            // Each line: unit cost × units / 100, rounded half up, by long division.
            let value = |u: i64, c: i64| { let x = i128::from(u) * i128::from(c); let q = x / 100; if x % 100 >= 50 { q + 1 } else { q } };
            let total: i128 = lines.iter().map(|l| value(l.0, l.1)).sum();
            let admin: i128 = lines.iter().filter(|l| l.3).map(|l| value(l.0, l.1)).sum();
            prop_assert_eq!(i128::from(t.total), total);
            prop_assert_eq!(i128::from(t.administrative), admin);
            prop_assert_eq!(i128::from(t.actions), total - admin);
            prop_assert_eq!(i128::from(t.sources), i128::from(grant) + i128::from(own));
            if total > 0 {
                // The share: basis points, half up, as quotient and remainder.
                let num = i128::from(grant) * 10_000;
                let (q, r) = (num / total, num % total);
                let expected = if 2 * r >= total { q + 1 } else { q };
                prop_assert_eq!(i128::from(t.grant_bp), expected);
                prop_assert_eq!(share_bp(grant, i64::try_from(total).unwrap_or(i64::MAX)), t.grant_bp);
            }
        }
    }
}
