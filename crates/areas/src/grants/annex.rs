//! Annexes to a contract (issue 19, item 1): a signed contract's dates, grant or cost lines
//! changed in writing. The form as typed is checked here in one place — the new terms through
//! the contract's own rules (`contract::check`: windows within the task, the grant at most what
//! was granted, the tranches adding up), the lines (grant part within each line's value, the
//! parts adding up to the grant), the money already paid — and the change is listed field by
//! field (the annex's text and its PDF). A changed grant is met by the last tranche not yet paid.
//! Pure: no database, no pages (`annex_store.rs`, `annex_web.rs`).

use crate::grants::contract::{self, ContractInput, Terms, TrancheInput};
use crate::grants::fields::parse_money;
use crate::grants::model::money_text;
use crate::grants::report::Line;
use chrono::NaiveDate;
use wspolnie_core::money::Money;

/// A cost line as typed: name (new lines only), year (new lines only), value, grant part.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    pub name: String,
    pub year: String,
    pub value: String,
    pub grant: String,
}

/// The annex form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnnexInput {
    pub task_from: String,
    pub task_to: String,
    pub grant_from: String,
    pub grant_to: String,
    pub other_from: String,
    pub other_to: String,
    pub amount: String,
    /// The contract's lines in order, then spare rows for new lines.
    pub lines: Vec<LineInput>,
    pub reason: String,
}

/// What the annex is checked against: the contract as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Current {
    pub terms: Terms,
    pub lines: Vec<Line>,
    /// Which tranches (by position) are paid.
    pub paid: Vec<bool>,
    /// The decision's amount (the ceiling of the grant).
    pub granted: i64,
}

/// The annex, checked: the new terms and lines, and what changed (field's Fluent id, before,
/// after).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub terms: Terms,
    pub lines: Vec<Line>,
    pub reason: String,
    pub changes: Vec<(String, String, String)>,
}

pub use crate::grants::fields::Problem;

/// New lines an annex may add at once.
pub const SPARE_LINES: usize = 2;

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The form showing the contract as it stands.
pub fn input_of(cur: &Current) -> AnnexInput {
    let t = &cur.terms;
    AnnexInput {
        task_from: day(t.task_from),
        task_to: day(t.task_to),
        grant_from: day(t.grant_from),
        grant_to: day(t.grant_to),
        other_from: day(t.other_from),
        other_to: day(t.other_to),
        amount: money_text(t.amount),
        lines: cur
            .lines
            .iter()
            .map(|l| LineInput {
                name: l.name.clone(),
                year: l.year.to_string(),
                value: money_text(l.value),
                grant: money_text(l.grant),
            })
            .chain(std::iter::repeat_n(LineInput::default(), SPARE_LINES))
            .collect(),
        reason: String::new(),
    }
}

/// Checks an annex against the contract as it stands.
pub fn check(input: &AnnexInput, cur: &Current) -> Result<Change, Vec<Problem>> {
    let mut p: Vec<Problem> = Vec::new();
    let t = &cur.terms;
    // The new grant: the tranches not yet paid absorb the change, in the last of them.
    let amount = parse_money(&input.amount).filter(|a| *a > 0);
    let mut tranches: Vec<TrancheInput> = t
        .tranches
        .iter()
        .map(|x| TrancheInput { due_on: day(x.due_on), amount: money_text(x.amount) })
        .collect();
    let mut tranches_failed = false;
    if let Some(a) = amount
        && a != t.amount
    {
        let last_unpaid = (0..t.tranches.len()).rev().find(|i| !cur.paid.get(*i).copied().unwrap_or(false));
        let adjusted = last_unpaid.map(|i| (i, t.tranches[i].amount.saturating_add(a - t.amount)));
        match adjusted {
            Some((i, v)) if v > 0 => tranches[i].amount = money_text(v),
            _ => {
                p.push(("amount".into(), "annex-error-paid", 0));
                tranches_failed = true;
            }
        }
    }
    let as_contract = ContractInput {
        number: t.number.clone(),
        kind: t.kind.code().to_owned(),
        task_from: input.task_from.clone(),
        task_to: input.task_to.clone(),
        grant_from: input.grant_from.clone(),
        grant_to: input.grant_to.clone(),
        other_from: input.other_from.clone(),
        other_to: input.other_to.clone(),
        amount: input.amount.clone(),
        bank_account: t.bank_account.clone(),
        tolerance: crate::grants::offer::percent_pl(i64::from(t.tolerance_bp)).replace('\u{a0}', " ").trim_end_matches(" %").to_owned(),
        reporting: t.reporting.clone(),
        tranches,
    };
    let terms = match contract::check(&as_contract, cur.granted) {
        Ok(x) => Some(x),
        Err(problems) => {
            for (field, key, _) in problems {
                if tranches_failed && field.starts_with("tranche-") {
                    continue;
                }
                // A tranche the new dates leave outside the grant's window: named at that window.
                let (field, key) = if field.starts_with("tranche-") {
                    ("grant_to".to_owned(), "annex-error-tranches")
                } else {
                    (field, key)
                };
                if !p.iter().any(|(f, _, _)| *f == field) {
                    p.push((field, key, 0));
                }
            }
            None
        }
    };
    // The lines: existing ones keep their name and year; a spare row with anything typed is a
    // new line and needs its name.
    let mut lines = Vec::new();
    for (i, row) in input.lines.iter().enumerate() {
        let n = i + 1;
        let existing = cur.lines.get(i);
        if existing.is_none() && [&row.name, &row.value, &row.grant].iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let value = parse_money(&row.value);
        if value.is_none() {
            p.push((format!("line-{n}-value"), "annex-error-line-value", n));
        }
        let grant = if row.grant.trim().is_empty() { Some(0) } else { parse_money(&row.grant) }
            .filter(|g| value.is_none_or(|v| *g <= v));
        if grant.is_none() {
            p.push((format!("line-{n}-grant"), "annex-error-line-grant", n));
        }
        let (name, year) = match existing {
            Some(l) => (l.name.clone(), l.year),
            None => {
                let name = crate::grants::fields::clean(&row.name, 200).filter(|s| !s.is_empty());
                if name.is_none() {
                    p.push((format!("line-{n}-name"), "annex-error-line-name", n));
                }
                let year = row.year.trim().parse::<u8>().ok().filter(|y| (1..=3).contains(y)).unwrap_or(1);
                (name.unwrap_or_default(), year)
            }
        };
        lines.push(Line {
            n: i32::try_from(n).unwrap_or(i32::MAX),
            name,
            year,
            value: value.unwrap_or(0),
            grant: grant.unwrap_or(0),
        });
    }
    if let Some(a) = amount
        && p.iter().all(|(f, _, _)| !f.starts_with("line-"))
        && lines.iter().fold(0i64, |s, l| s.saturating_add(l.grant)) != a
    {
        p.push(("line-1-grant".into(), "annex-error-lines-sum", 0));
    }
    let reason = crate::grants::fields::clean(&input.reason, 4000).filter(|r| r.chars().count() >= 10);
    if reason.is_none() {
        p.push(("reason".into(), "annex-error-reason", 0));
    }
    let (Some(terms), Some(reason), true) = (terms, reason, p.is_empty()) else {
        return Err(p);
    };
    let changes = diff(t, &cur.lines, &terms, &lines);
    if changes.is_empty() {
        return Err(vec![("reason".into(), "annex-error-nothing", 0)]);
    }
    Ok(Change { terms, lines, reason, changes })
}

/// What an annex changes, field by field (Fluent id of the field — a line's id carries its
/// number after a colon — before, after), in the contract's order.
pub fn diff(a: &Terms, al: &[Line], b: &Terms, bl: &[Line]) -> Vec<(String, String, String)> {
    let d = |x: NaiveDate| x.format("%d.%m.%Y").to_string();
    let m = |g: i64| Money(g).to_string();
    let mut out = Vec::new();
    for (key, x, y) in [
        ("contract-field-task-from", d(a.task_from), d(b.task_from)),
        ("contract-field-task-to", d(a.task_to), d(b.task_to)),
        ("contract-field-grant-from", d(a.grant_from), d(b.grant_from)),
        ("contract-field-grant-to", d(a.grant_to), d(b.grant_to)),
        ("contract-field-other-from", d(a.other_from), d(b.other_from)),
        ("contract-field-other-to", d(a.other_to), d(b.other_to)),
        ("contract-field-amount", m(a.amount), m(b.amount)),
    ] {
        if x != y {
            out.push((key.to_owned(), x, y));
        }
    }
    for (i, (x, y)) in a.tranches.iter().zip(&b.tranches).enumerate() {
        if x.amount != y.amount {
            out.push((format!("annex-tranche:{}", i + 1), m(x.amount), m(y.amount)));
        }
    }
    let shown = |l: Option<&Line>| l.map_or_else(|| "—".to_owned(), |l| format!("{} / {}", m(l.value), m(l.grant)));
    for i in 0..al.len().max(bl.len()) {
        let (x, y) = (al.get(i), bl.get(i));
        if x.map(|l| (l.value, l.grant)) != y.map(|l| (l.value, l.grant)) {
            let name = y.or(x).map(|l| l.name.clone()).unwrap_or_default();
            out.push((format!("annex-line:{}:{name}", i + 1), shown(x), shown(y)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grants::contract::{Kind, Tranche};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn current() -> Current {
        Current {
            terms: Terms {
                number: "U/1".into(),
                kind: Kind::Supporting,
                task_from: d(2027, 3, 1),
                task_to: d(2027, 6, 30),
                grant_from: d(2027, 3, 1),
                grant_to: d(2027, 6, 30),
                other_from: d(2027, 3, 1),
                other_to: d(2027, 6, 30),
                amount: 1_000_000,
                bank_account: "61109010140000071219812874".into(),
                tolerance_bp: 1500,
                reporting: "Sprawozdanie końcowe.".into(),
                tranches: vec![Tranche { due_on: d(2027, 3, 5), amount: 600_000 }, Tranche { due_on: d(2027, 5, 5), amount: 400_000 }],
            },
            lines: vec![
                Line { n: 1, name: "Trener".into(), year: 1, value: 800_000, grant: 700_000 },
                Line { n: 2, name: "Sala".into(), year: 1, value: 400_000, grant: 300_000 },
            ],
            paid: vec![true, false],
            granted: 1_000_000,
        }
    }

    #[test]
    fn money_moves_between_lines_and_the_change_is_listed() {
        let cur = current();
        let mut i = input_of(&cur);
        i.lines[0].grant = "6 000".into();
        i.lines[1].grant = "4 000".into();
        i.lines[1].value = "5 000".into();
        i.task_to = "2027-07-15".into();
        i.other_to = "2027-07-15".into();
        i.reason = "Przesunięcie środków na wynajem sali.".into();
        let c = check(&i, &cur).expect("valid");
        assert_eq!(c.lines[1].grant, 400_000);
        assert_eq!(c.terms.task_to, d(2027, 7, 15));
        let fields: Vec<&str> = c.changes.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(fields, vec!["contract-field-task-to", "contract-field-other-to", "annex-line:1:Trener", "annex-line:2:Sala"]);
    }

    #[test]
    fn a_smaller_grant_is_taken_from_the_last_unpaid_tranche() {
        let cur = current();
        let mut i = input_of(&cur);
        i.amount = "9 000".into();
        i.lines[0].grant = "6 000".into();
        i.reason = "Zmniejszenie dotacji za porozumieniem stron.".into();
        let c = check(&i, &cur).expect("valid");
        assert_eq!(c.terms.tranches[1].amount, 300_000);
        assert!(c.changes.iter().any(|x| x.0 == "annex-tranche:2"));
        // Below what was paid: refused.
        i.amount = "5 000".into();
        i.lines[0].grant = "2 000".into();
        let f: Vec<String> = check(&i, &cur).err().unwrap_or_default().into_iter().map(|p| p.0).collect();
        assert_eq!(f, vec!["amount"]);
    }

    #[test]
    fn every_rule_names_its_field() {
        let cur = current();
        let mut i = input_of(&cur);
        i.grant_to = "2027-04-01".into();
        i.lines[0].grant = "9 000".into();
        i.lines[2].value = "100".into();
        let f: Vec<String> = check(&i, &cur).err().unwrap_or_default().into_iter().map(|p| p.0).collect();
        assert_eq!(f, vec!["grant_to", "line-1-grant", "line-3-name", "reason"]);
        let mut i = input_of(&cur);
        i.reason = "Bez żadnej zmiany w umowie.".into();
        let f: Vec<&str> = check(&i, &cur).err().unwrap_or_default().into_iter().map(|p| p.1).collect();
        assert_eq!(f, vec!["annex-error-nothing"]);
        let mut i = input_of(&cur);
        i.lines[1].grant = "2 000".into();
        i.reason = "Zmiana kosztorysu bez zmiany kwoty.".into();
        let f: Vec<&str> = check(&i, &cur).err().unwrap_or_default().into_iter().map(|p| p.1).collect();
        assert_eq!(f, vec!["annex-error-lines-sum"]);
    }
}
