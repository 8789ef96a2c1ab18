//! The contract's terms (issue 19, items 1–2; art. 16 UDPP and the model of annex 3): the form as
//! typed, checked in one place into typed terms, and the model contract's text filled with them.
//! Pure: no database, no pages (`contract_store.rs`, `contract_web.rs`).

use crate::grants::offer::{parse_percent, percent_pl};
use crate::grants::fields::parse_money;
use chrono::NaiveDate;
use wspolnie_core::money::Money;

/// The two kinds of public task contracts (art. 5 ust. 4 pkt 2 UDPP).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Wsparcie: the office co-funds the task.
    Supporting,
    /// Powierzenie: the office funds the whole task.
    Entrusting,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Supporting => "supporting",
            Kind::Entrusting => "entrusting",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "supporting" => Some(Kind::Supporting),
            "entrusting" => Some(Kind::Entrusting),
            _ => None,
        }
    }

    /// The contract's name in Polish: "umowa o wsparcie / o powierzenie realizacji zadania".
    pub fn title_pl(self) -> &'static str {
        match self {
            Kind::Supporting => "wsparcie",
            Kind::Entrusting => "powierzenie",
        }
    }

    /// The form of the task in the genitive ("w formie wsparcia / powierzenia").
    pub fn words_pl(self) -> &'static str {
        match self {
            Kind::Supporting => "wsparcia",
            Kind::Entrusting => "powierzenia",
        }
    }
}

/// One tranche as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrancheInput {
    pub due_on: String,
    pub amount: String,
}

/// The contract form as typed (every field a string, kept as typed when the form comes back).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContractInput {
    pub number: String,
    pub kind: String,
    pub task_from: String,
    pub task_to: String,
    pub grant_from: String,
    pub grant_to: String,
    pub other_from: String,
    pub other_to: String,
    pub amount: String,
    pub bank_account: String,
    pub tolerance: String,
    pub reporting: String,
    pub tranches: Vec<TrancheInput>,
}

/// A tranche as agreed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tranche {
    pub due_on: NaiveDate,
    /// Grosze.
    pub amount: i64,
}

/// The terms, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub number: String,
    pub kind: Kind,
    pub task_from: NaiveDate,
    pub task_to: NaiveDate,
    pub grant_from: NaiveDate,
    pub grant_to: NaiveDate,
    pub other_from: NaiveDate,
    pub other_to: NaiveDate,
    pub amount: i64,
    /// 26 digits.
    pub bank_account: String,
    pub tolerance_bp: i32,
    pub reporting: String,
    pub tranches: Vec<Tranche>,
}

/// The most tranches a contract has.
pub const MAX_TRANCHES: usize = 12;

pub use crate::grants::fields::Problem;

fn day(s: &str) -> Option<NaiveDate> {
    wspolnie_core::time::parse_form_date(s)
}

/// Text without control characters but line breaks, trimmed; `None` above `max` characters.
fn text(s: &str, max: usize) -> Option<String> {
    crate::grants::fields::clean(s, max)
}

/// Checks the form against the amount granted. Rules: a reference number; the kind; the task's
/// dates in order; both spending windows in order and within the task (the grant's window is
/// the one the tranches and the report are checked against); the amount above zero and at most
/// what was granted; the account a valid NRB; the tolerance 0–100 %; one to twelve tranches,
/// each due within the task and the grant's window start, in date order, together exactly the
/// amount. Every problem is named by its field, in the form's order.
pub fn check(input: &ContractInput, granted: i64) -> Result<Terms, Vec<Problem>> {
    let mut p: Vec<Problem> = Vec::new();
    let number = text(&input.number, 100).filter(|n| !n.is_empty());
    if number.is_none() {
        p.push(("number".into(), "contract-error-number", 0));
    }
    let kind = Kind::parse(input.kind.trim());
    if kind.is_none() {
        p.push(("kind".into(), "contract-error-kind", 0));
    }
    let mut dates = |field: &str, key: &'static str, s: &str| {
        let d = day(s);
        if d.is_none() {
            p.push((field.into(), key, 0));
        }
        d
    };
    let task_from = dates("task_from", "contract-error-task-from", &input.task_from);
    let task_to = dates("task_to", "contract-error-task-to", &input.task_to);
    let grant_from = dates("grant_from", "contract-error-grant-from", &input.grant_from);
    let grant_to = dates("grant_to", "contract-error-grant-to", &input.grant_to);
    let other_from = dates("other_from", "contract-error-other-from", &input.other_from);
    let other_to = dates("other_to", "contract-error-other-to", &input.other_to);
    // The task's period, when its dates are in order (the windows are checked against it).
    let task = match (task_from, task_to) {
        (Some(f), Some(t)) if t < f => {
            p.push(("task_to".into(), "contract-error-order", 0));
            None
        }
        (Some(f), Some(t)) => Some((f, t)),
        _ => None,
    };
    for (from, to, to_field, order_key, window_key) in [
        (grant_from, grant_to, "grant_to", "contract-error-grant-order", "contract-error-grant-window"),
        (other_from, other_to, "other_to", "contract-error-other-order", "contract-error-other-window"),
    ] {
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                p.push((to_field.into(), order_key, 0));
            } else if let Some((tf, tt)) = task
                && (f < tf || t > tt)
            {
                p.push((to_field.into(), window_key, 0));
            }
        }
    }
    let amount = parse_money(&input.amount).filter(|a| *a > 0);
    match amount {
        None => p.push(("amount".into(), "contract-error-amount", 0)),
        Some(a) if a > granted => p.push(("amount".into(), "contract-error-amount-granted", 0)),
        _ => {}
    }
    let bank_account = wspolnie_core::ids::check_nrb(&input.bank_account).ok();
    if bank_account.is_none() {
        p.push(("bank_account".into(), "contract-error-nrb", 0));
    }
    let tolerance = parse_percent(&input.tolerance);
    if tolerance.is_none() {
        p.push(("tolerance".into(), "contract-error-tolerance", 0));
    }
    let reporting = text(&input.reporting, 4000);
    if reporting.is_none() {
        p.push(("reporting".into(), "contract-error-reporting", 0));
    }
    // Tranches: the filled rows (a row with both fields empty is a spare row of the form).
    let rows: Vec<(usize, &TrancheInput)> = input
        .tranches
        .iter()
        .enumerate()
        .filter(|(_, t)| !(t.due_on.trim().is_empty() && t.amount.trim().is_empty()))
        .collect();
    let mut tranches = Vec::new();
    if rows.is_empty() || rows.len() > MAX_TRANCHES {
        p.push(("tranche-1-due_on".into(), "contract-error-tranches", 0));
    }
    let mut last: Option<NaiveDate> = None;
    for (i, t) in &rows {
        let n = i + 1;
        let due = day(&t.due_on);
        match due {
            None => p.push((format!("tranche-{n}-due_on"), "contract-error-tranche-date", n)),
            Some(d) if last.is_some_and(|l| d < l) => {
                p.push((format!("tranche-{n}-due_on"), "contract-error-tranche-order", n))
            }
            Some(d) if task_from.is_some_and(|f| d < f - chrono::Duration::days(30))
                || grant_to.is_some_and(|g| d > g) =>
            {
                p.push((format!("tranche-{n}-due_on"), "contract-error-tranche-window", n))
            }
            _ => {}
        }
        last = due.or(last);
        let a = parse_money(&t.amount).filter(|a| *a > 0);
        if a.is_none() {
            p.push((format!("tranche-{n}-amount"), "contract-error-tranche-amount", n));
        }
        if let (Some(d), Some(a)) = (due, a) {
            tranches.push(Tranche { due_on: d, amount: a });
        }
    }
    if let Some(a) = amount
        && tranches.len() == rows.len()
        && !rows.is_empty()
        && tranches.iter().fold(0i64, |s, t| s.saturating_add(t.amount)) != a
    {
        p.push(("tranche-1-amount".into(), "contract-error-tranche-sum", 0));
    }
    if !p.is_empty() {
        return Err(p);
    }
    match (
        number, kind, task_from, task_to, grant_from, grant_to, other_from, other_to, amount,
        bank_account, tolerance, reporting,
    ) {
        (
            Some(number),
            Some(kind),
            Some(task_from),
            Some(task_to),
            Some(grant_from),
            Some(grant_to),
            Some(other_from),
            Some(other_to),
            Some(amount),
            Some(bank_account),
            Some(tolerance_bp),
            Some(reporting),
        ) => Ok(Terms {
            number,
            kind,
            task_from,
            task_to,
            grant_from,
            grant_to,
            other_from,
            other_to,
            amount,
            bank_account,
            tolerance_bp,
            reporting,
            tranches,
        }),
        _ => Err(vec![("number".into(), "contract-error-number", 0)]),
    }
}

/// The placeholders a model contract may use, with what each is replaced by.
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    ("numer", "the contract's reference number"),
    ("rodzaj", "\"wsparcia\" or \"powierzenia\""),
    ("urzad", "the office's name"),
    ("organizacja", "the organisation's name"),
    ("krs", "the organisation's KRS number (or another register)"),
    ("adres", "the organisation's address"),
    ("zadanie", "the task's title"),
    ("konkurs", "the call's title and number"),
    ("termin_od", "the task's first day"),
    ("termin_do", "the task's last day"),
    ("dotacja_od", "the first day grant money may be spent"),
    ("dotacja_do", "the last day grant money may be spent"),
    ("inne_od", "the first day other money may be spent"),
    ("inne_do", "the last day other money may be spent"),
    ("kwota", "the grant"),
    ("wklad_finansowy", "the own financial contribution"),
    ("wklad_osobowy", "the personal contribution (volunteers, social work)"),
    ("wklad_rzeczowy", "the in-kind contribution"),
    ("rachunek", "the bank account, in groups of four digits"),
    ("transze", "the tranches, one per line"),
    ("tolerancja", "the tolerance for shifting money between cost lines"),
    ("sprawozdania", "the reporting duties"),
];

/// The values of the placeholders for one contract.
pub type Values = Vec<(&'static str, String)>;

/// Placeholders in `body` that are not known (each once, in order of appearance).
pub fn unknown_placeholders(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.find("{{") {
        let after = &rest[i + 2..];
        let Some(j) = after.find("}}") else { break };
        let name = after[..j].trim();
        if !PLACEHOLDERS.iter().any(|(p, _)| *p == name) && !out.iter().any(|o| o == name) {
            out.push(name.to_owned());
        }
        rest = &after[j + 2..];
    }
    out
}

/// The model contract with every `{{placeholder}}` replaced by its value (unknown ones stay as
/// written; a saved template has none, `unknown_placeholders`).
pub fn fill(body: &str, values: &Values) -> String {
    let mut out = String::with_capacity(body.len() + 512);
    let mut rest = body;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let Some(j) = after.find("}}") else {
            out.push_str(&rest[i..]);
            return out;
        };
        let name = after[..j].trim();
        match values.iter().find(|(k, _)| *k == name) {
            Some((_, v)) => out.push_str(v),
            None => out.push_str(&rest[i..i + 2 + j + 2]),
        }
        rest = &after[j + 2..];
    }
    out.push_str(rest);
    out
}

/// "12 3456 …": an account number in groups of four digits (the first two apart).
pub fn account_groups(nrb: &str) -> String {
    let d: Vec<char> = nrb.chars().filter(char::is_ascii_digit).collect();
    if d.len() != 26 {
        return nrb.to_owned();
    }
    let mut out: String = d[..2].iter().collect();
    for chunk in d[2..].chunks(4) {
        out.push(' ');
        out.extend(chunk);
    }
    out
}

/// The values a contract's terms give (the organisation's and the call's facts are added by the
/// caller: `urzad`, `organizacja`, `krs`, `adres`, `zadanie`, `konkurs`).
pub fn term_values(t: &Terms, own: (i64, i64, i64)) -> Values {
    let d = |x: NaiveDate| x.format("%d.%m.%Y").to_string();
    vec![
        ("numer", t.number.clone()),
        ("rodzaj", t.kind.words_pl().to_owned()),
        ("termin_od", d(t.task_from)),
        ("termin_do", d(t.task_to)),
        ("dotacja_od", d(t.grant_from)),
        ("dotacja_do", d(t.grant_to)),
        ("inne_od", d(t.other_from)),
        ("inne_do", d(t.other_to)),
        ("kwota", Money(t.amount).to_string()),
        ("wklad_finansowy", Money(own.0).to_string()),
        ("wklad_osobowy", Money(own.1).to_string()),
        ("wklad_rzeczowy", Money(own.2).to_string()),
        ("rachunek", account_groups(&t.bank_account)),
        (
            "transze",
            t.tranches
                .iter()
                .enumerate()
                .map(|(i, tr)| format!("{}) {} do {}", i + 1, Money(tr.amount), d(tr.due_on)))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        ("tolerancja", percent_pl(i64::from(t.tolerance_bp))),
        ("sprawozdania", t.reporting.clone()),
    ]
}

/// The filled text as sections for the PDF: a line `## Heading` starts a section; blank lines
/// separate paragraphs; each paragraph keeps its lines.
pub fn sections(filled: &str) -> Vec<(String, Vec<Vec<String>>)> {
    let mut out: Vec<(String, Vec<Vec<String>>)> = Vec::new();
    let mut para: Vec<String> = Vec::new();
    let flush = |out: &mut Vec<(String, Vec<Vec<String>>)>, para: &mut Vec<String>| {
        if para.is_empty() {
            return;
        }
        if out.is_empty() {
            out.push((String::new(), Vec::new()));
        }
        if let Some(last) = out.last_mut() {
            last.1.push(std::mem::take(para));
        }
    };
    for line in filled.lines() {
        let l = line.trim_end();
        if let Some(h) = l.strip_prefix("## ") {
            flush(&mut out, &mut para);
            out.push((h.trim().to_owned(), Vec::new()));
        } else if l.trim().is_empty() {
            flush(&mut out, &mut para);
        } else {
            para.push(l.trim().to_owned());
        }
    }
    flush(&mut out, &mut para);
    out
}

/// The model contract the platform starts with (version 1). Our own wording of the terms the
/// model of annex 3 requires; offices adapt it in the panel.
pub const DEFAULT_TEMPLATE: &str = "\
## § 1. Przedmiot umowy
Na podstawie art. 16 ustawy z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego i o wolontariacie {{urzad}} zleca organizacji {{organizacja}} ({{krs}}, {{adres}}) realizację zadania publicznego „{{zadanie}}”, wybranego w konkursie {{konkurs}}, w formie {{rodzaj}} realizacji zadania.

Zadanie zostanie wykonane w zakresie i na zasadach opisanych w ofercie wraz z jej aktualizacją, które są załącznikami do umowy.

## § 2. Termin realizacji
Zadanie będzie realizowane od {{termin_od}} do {{termin_do}}.

Dotację można wydatkować od {{dotacja_od}} do {{dotacja_do}}, a inne środki finansowe od {{inne_od}} do {{inne_do}}.

## § 3. Dotacja i wkład własny
Zleceniodawca przekaże dotację w wysokości {{kwota}} na rachunek bankowy {{rachunek}}, w transzach:
{{transze}}

Organizacja wniesie wkład finansowy {{wklad_finansowy}}, wkład osobowy {{wklad_osobowy}} i wkład rzeczowy {{wklad_rzeczowy}}.

## § 4. Przesunięcia między pozycjami kosztorysu
Kwoty poszczególnych kosztów mogą się zmienić bez zmiany umowy, jeżeli zwiększenie kosztu finansowanego z dotacji nie przekroczy {{tolerancja}}. Większe zmiany wymagają aneksu.

## § 5. Sprawozdania
{{sprawozdania}}

## § 6. Zwrot dotacji
Niewykorzystaną część dotacji organizacja zwraca w terminie 15 dni od dnia zakończenia okresu jej wydatkowania, a dotację wykorzystaną niezgodnie z przeznaczeniem lub pobraną nienależnie lub w nadmiernej wysokości — z odsetkami jak dla zaległości podatkowych.

## § 7. Postanowienia końcowe
Zmiany umowy wymagają formy pisemnej lub elektronicznej pod rygorem nieważności. Organizacja przechowuje dokumentację związaną z zadaniem przez 5 lat, licząc od początku roku następującego po roku realizacji zadania.
";

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> ContractInput {
        ContractInput {
            number: "WEKS.526.1.2027".into(),
            kind: "supporting".into(),
            task_from: "2027-03-01".into(),
            task_to: "2027-06-30".into(),
            grant_from: "2027-03-01".into(),
            grant_to: "2027-06-30".into(),
            other_from: "2027-03-01".into(),
            other_to: "2027-06-30".into(),
            amount: "10 000,00".into(),
            bank_account: "PL61 1090 1014 0000 0712 1981 2874".into(),
            tolerance: "15".into(),
            reporting: "Sprawozdanie końcowe w terminie 30 dni od zakończenia zadania.".into(),
            tranches: vec![
                TrancheInput { due_on: "2027-03-10".into(), amount: "6 000".into() },
                TrancheInput { due_on: "2027-05-10".into(), amount: "4 000".into() },
                TrancheInput::default(),
            ],
        }
    }

    fn fields(r: Result<Terms, Vec<Problem>>) -> Vec<(String, &'static str)> {
        r.err().unwrap_or_default().into_iter().map(|(f, k, _)| (f, k)).collect()
    }

    #[test]
    fn good_terms_are_typed() {
        let t = check(&good(), 1_000_000).expect("valid");
        assert_eq!(t.amount, 1_000_000);
        assert_eq!(t.bank_account, "61109010140000071219812874");
        assert_eq!(t.tolerance_bp, 1500);
        assert_eq!(t.tranches.len(), 2, "the empty spare row is not a tranche");
        assert_eq!(t.kind, Kind::Supporting);
    }

    #[test]
    fn every_rule_names_its_field() {
        assert_eq!(fields(check(&good(), 900_000)), vec![("amount".into(), "contract-error-amount-granted")]);
        let mut i = good();
        i.bank_account = "61 1090 1014 0000 0712 1981 2875".into();
        i.grant_to = "2027-07-31".into();
        i.tranches[1].amount = "3 000".into();
        i.tranches[1].due_on = "2027-03-01".into();
        assert_eq!(
            fields(check(&i, 1_000_000)),
            vec![
                ("grant_to".into(), "contract-error-grant-window"),
                ("bank_account".into(), "contract-error-nrb"),
                ("tranche-2-due_on".into(), "contract-error-tranche-order"),
                ("tranche-1-amount".into(), "contract-error-tranche-sum"),
            ]
        );
        let mut i = good();
        i.tranches.clear();
        i.number = "  ".into();
        i.kind = "gift".into();
        i.task_to = "2027-02-01".into();
        i.tolerance = "120".into();
        assert_eq!(
            fields(check(&i, 1_000_000)),
            vec![
                ("number".into(), "contract-error-number"),
                ("kind".into(), "contract-error-kind"),
                ("task_to".into(), "contract-error-order"),
                ("tolerance".into(), "contract-error-tolerance"),
                ("tranche-1-due_on".into(), "contract-error-tranches"),
            ]
        );
    }

    #[test]
    fn hostile_input_is_refused_not_panicked_on() {
        let mut i = good();
        i.amount = "9".repeat(400);
        i.number = "\u{0}".repeat(1_000_000);
        i.tranches = vec![TrancheInput { due_on: "x".repeat(10_000), amount: "-5".into() }; 40];
        let f = fields(check(&i, i64::MAX));
        assert!(f.iter().any(|(k, _)| k == "amount"));
        assert!(f.iter().any(|(k, _)| k == "number"));
        assert!(f.iter().any(|(_, m)| *m == "contract-error-tranches"));
    }

    #[test]
    fn the_model_contract_is_filled_and_split_into_sections() {
        assert!(unknown_placeholders(DEFAULT_TEMPLATE).is_empty());
        assert_eq!(unknown_placeholders("{{kwota}} {{ nieznany }} {{nieznany}}"), vec!["nieznany".to_owned()]);
        let t = check(&good(), 1_000_000).expect("valid");
        let mut v = term_values(&t, (200_000, 50_000, 0));
        v.push(("organizacja", "Klub".into()));
        let filled = fill("Kwota {{kwota}}, rachunek {{rachunek}}; {{obcy}} {{transze}} {{", &v);
        assert_eq!(
            filled.replace('\u{a0}', " "),
            "Kwota 10 000,00 zł, rachunek 61 1090 1014 0000 0712 1981 2874; {{obcy}} 1) 6 000,00 zł do 10.03.2027\n2) 4 000,00 zł do 10.05.2027 {{"
        );
        let s = sections(&fill(DEFAULT_TEMPLATE, &v));
        assert_eq!(s.len(), 7);
        assert_eq!(s[0].0, "§ 1. Przedmiot umowy");
        assert!(s[2].1.iter().flatten().any(|l| l.contains("1) 6") && !l.contains("2)")), "one tranche per line");
    }
}
