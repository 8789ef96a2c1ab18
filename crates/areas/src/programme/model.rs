//! The forms of the programme area as typed structs, each validated in one place, and the
//! programme's view by the calendar. Pure: the store writes, the pages render.

use super::entity::programme::{self, Status};
use super::entity::{programme_indicator, programme_task};
use super::figures::Metric;
use super::limits;
use chrono::NaiveDate;
use std::collections::HashMap;
use wspolnie_core::money::Money;
use wspolnie_core::text::clean;
use wspolnie_core::time::parse_form_date;
use wspolnie_platform::validation::FieldErrors;
use wspolnie_web::forms::get;

/// Rows of tasks and indicators the form offers beyond those filled in.
pub const SPARE_ROWS: usize = 2;
/// Most tasks and indicators a programme holds.
pub const MAX_ROWS: usize = 40;
/// Longest programme, in years.
pub const MAX_YEARS: i32 = 5;

/// Where a programme stands by the calendar: an adopted one is in force from the first day of
/// its first year, whether or not the move is stored yet.
pub fn current(p: &programme::Model, today: NaiveDate) -> Status {
    use chrono::Datelike;
    match p.status {
        Status::Adopted if today.year() >= p.year_from => Status::InForce,
        s => s,
    }
}

fn error(e: &mut FieldErrors, field: &str, key: &'static str) {
    e.entry(field.to_owned()).or_insert((key, vec![]));
}

/// An error of one row of a list: its message names the row, so that two rows' errors
/// never read the same in the form's summary.
fn row_error(e: &mut FieldErrors, field: &str, key: &'static str, n: usize) {
    e.entry(field.to_owned()).or_insert((key, vec![("n", n.to_string())]));
}

fn all(p: &[(String, String)], k: &str) -> Vec<String> {
    p.iter().filter(|(n, _)| n == k).map(|(_, v)| v.clone()).collect()
}

/// Money as the form shows it ("1 234,56").
pub fn money_text(grosze: i64) -> String {
    Money(grosze).to_string().trim_end_matches("\u{a0}zł").to_owned()
}

// ---------------------------------------------------------------------------------------------
// The programme.

/// A priority task as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskField {
    pub name: String,
    pub spheres: Vec<String>,
    pub funds: String,
}

/// An indicator as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndicatorField {
    pub name: String,
    pub metric: String,
    pub target: String,
}

/// The officials' form of a programme, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgrammeForm {
    pub title: String,
    pub year_from: String,
    pub year_to: String,
    pub main_goal: String,
    pub specific_goals: String,
    pub principles: String,
    pub scope: String,
    pub forms: String,
    pub implementation: String,
    pub total_funds: String,
    pub evaluation: String,
    pub drafting: String,
    pub consultation: String,
    pub commissions: String,
    pub tasks: Vec<TaskField>,
    pub indicators: Vec<IndicatorField>,
    /// The version the form was opened at (compare-and-set on save).
    pub version: String,
}

/// A valid task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskInput {
    pub name: String,
    pub spheres: Vec<String>,
    pub planned_funds: i64,
}

/// A valid indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorInput {
    pub name: String,
    pub metric: Metric,
    pub target: i64,
}

/// A valid programme form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgrammeInput {
    pub title: String,
    pub year_from: i32,
    pub year_to: i32,
    pub main_goal: String,
    pub specific_goals: String,
    pub principles: String,
    pub scope: String,
    pub forms: String,
    pub implementation: String,
    pub total_funds: i64,
    pub evaluation: String,
    pub drafting: String,
    pub consultation_id: Option<i64>,
    pub commissions: String,
    pub tasks: Vec<TaskInput>,
    pub indicators: Vec<IndicatorInput>,
    pub version: Option<i32>,
}

/// The eleven parts art. 5a ust. 4 requires, as (field, Fluent id of the part's name); the
/// tasks and the indicators are parts 5 and 9 with the texts.
pub const PARTS: [(&str, &str); 11] = [
    ("main_goal", "prog-part-goals"),
    ("principles", "prog-part-principles"),
    ("scope", "prog-part-scope"),
    ("forms", "prog-part-forms"),
    ("task_1_name", "prog-part-tasks"),
    ("year_from", "prog-part-period"),
    ("implementation", "prog-part-implementation"),
    ("total_funds", "prog-part-funds"),
    ("evaluation", "prog-part-evaluation"),
    ("drafting", "prog-part-drafting"),
    ("commissions", "prog-part-commissions"),
];

impl ProgrammeForm {
    pub fn from_pairs(p: &[(String, String)]) -> ProgrammeForm {
        let mut tasks = Vec::new();
        for n in 1..=MAX_ROWS {
            let name = format!("task_{n}_name");
            if !p.iter().any(|(k, _)| *k == name) {
                break;
            }
            tasks.push(TaskField {
                name: get(p, &name),
                spheres: all(p, &format!("task_{n}_spheres")),
                funds: get(p, &format!("task_{n}_funds")),
            });
        }
        let mut indicators = Vec::new();
        for n in 1..=MAX_ROWS {
            let name = format!("indicator_{n}_name");
            if !p.iter().any(|(k, _)| *k == name) {
                break;
            }
            indicators.push(IndicatorField {
                name: get(p, &name),
                metric: get(p, &format!("indicator_{n}_metric")),
                target: get(p, &format!("indicator_{n}_target")),
            });
        }
        ProgrammeForm {
            title: get(p, "title"),
            year_from: get(p, "year_from"),
            year_to: get(p, "year_to"),
            main_goal: get(p, "main_goal"),
            specific_goals: get(p, "specific_goals"),
            principles: get(p, "principles"),
            scope: get(p, "scope"),
            forms: get(p, "forms"),
            implementation: get(p, "implementation"),
            total_funds: get(p, "total_funds"),
            evaluation: get(p, "evaluation"),
            drafting: get(p, "drafting"),
            consultation: get(p, "consultation"),
            commissions: get(p, "commissions"),
            tasks,
            indicators,
            version: get(p, "version"),
        }
    }

    /// The form of a stored programme.
    pub fn of(
        p: &programme::Model,
        tasks: &[programme_task::Model],
        indicators: &[programme_indicator::Model],
    ) -> ProgrammeForm {
        ProgrammeForm {
            title: p.title.clone(),
            year_from: p.year_from.to_string(),
            year_to: p.year_to.to_string(),
            main_goal: p.main_goal.clone(),
            specific_goals: p.specific_goals.clone(),
            principles: p.principles.clone(),
            scope: p.scope.clone(),
            forms: p.forms.clone(),
            implementation: p.implementation.clone(),
            total_funds: if p.total_funds == 0 { String::new() } else { money_text(p.total_funds) },
            evaluation: p.evaluation.clone(),
            drafting: p.drafting.clone(),
            consultation: p.consultation_id.map(|c| c.to_string()).unwrap_or_default(),
            commissions: p.commissions.clone(),
            tasks: tasks
                .iter()
                .map(|t| TaskField {
                    name: t.name.clone(),
                    spheres: t.sphere_codes().into_iter().map(str::to_owned).collect(),
                    funds: money_text(t.planned_funds),
                })
                .collect(),
            indicators: indicators
                .iter()
                .map(|i| {
                    let metric = Metric::parse(&i.metric).unwrap_or(Metric::Manual);
                    IndicatorField {
                        name: i.name.clone(),
                        metric: metric.as_str().into(),
                        target: if metric.is_money() { money_text(i.target) } else { i.target.to_string() },
                    }
                })
                .collect(),
            version: p.version.to_string(),
        }
    }

    /// The form with `SPARE_ROWS` empty rows of tasks and indicators after those filled in.
    pub fn with_spare_rows(mut self) -> ProgrammeForm {
        self.tasks.retain(|t| !t.is_empty());
        self.indicators.retain(|i| !i.is_empty());
        let (t, i) = (self.tasks.len(), self.indicators.len());
        self.tasks.resize(MAX_ROWS.min(t + SPARE_ROWS), TaskField::default());
        self.indicators.resize(MAX_ROWS.min(i + SPARE_ROWS), IndicatorField::default());
        self
    }

    /// Checks the form. `spheres` are the codes in force, `consultations` the ids it may link.
    /// A draft may be saved with parts still empty (`complete` lists them before it moves on).
    pub fn validate(&self, spheres: &[String], consultations: &[i64]) -> Result<ProgrammeInput, FieldErrors> {
        let mut e = FieldErrors::new();
        limits::PROGRAMME.check_fields(
            &mut e,
            &[
                ("title", &self.title),
                ("year_from", &self.year_from),
                ("year_to", &self.year_to),
                ("main_goal", &self.main_goal),
                ("specific_goals", &self.specific_goals),
                ("principles", &self.principles),
                ("scope", &self.scope),
                ("forms", &self.forms),
                ("implementation", &self.implementation),
                ("total_funds", &self.total_funds),
                ("evaluation", &self.evaluation),
                ("drafting", &self.drafting),
                ("consultation", &self.consultation),
                ("commissions", &self.commissions),
                ("version", &self.version),
            ],
        );
        let title = clean(&self.title, 300).unwrap_or_default();
        if !(3..=300).contains(&title.chars().count()) {
            error(&mut e, "title", "prog-error-title");
        }
        let year_from = self.year_from.trim().parse::<i32>().ok().filter(|y| (2000..=2100).contains(y));
        if year_from.is_none() {
            error(&mut e, "year_from", "prog-error-year");
        }
        let year_to = if self.year_to.trim().is_empty() {
            year_from
        } else {
            self.year_to.trim().parse::<i32>().ok().filter(|y| (2000..=2100).contains(y))
        };
        match (year_from, year_to) {
            // An empty last year is the first one: nothing more to say when that is wrong.
            (_, None) if !self.year_to.trim().is_empty() => error(&mut e, "year_to", "prog-error-year-last"),
            (Some(a), Some(b)) if b < a || b - a >= MAX_YEARS => {
                e.entry("year_to".into())
                    .or_insert(("prog-error-year-to", vec![("max", MAX_YEARS.to_string())]));
            }
            _ => {}
        }
        let text = |v: &str| clean(v, limits::PART_MAX).unwrap_or_default();
        let total_funds = if self.total_funds.trim().is_empty() {
            Some(0)
        } else {
            Money::parse_pl(&self.total_funds).map(|m| m.grosze()).filter(|g| *g >= 0)
        };
        if total_funds.is_none() {
            error(&mut e, "total_funds", "prog-error-money");
        }
        let consultation_id = if self.consultation.trim().is_empty() {
            None
        } else {
            let c = self.consultation.trim().parse::<i64>().ok().filter(|c| consultations.contains(c));
            if c.is_none() {
                error(&mut e, "consultation", "prog-error-consultation");
            }
            c
        };
        if self.tasks.len() > MAX_ROWS || self.indicators.len() > MAX_ROWS {
            error(&mut e, "title", "prog-error-rows");
        }
        let mut tasks = Vec::new();
        for (i, t) in self.tasks.iter().enumerate().filter(|(_, t)| !t.is_empty()) {
            let n = i + 1;
            limits::ROW.check_fields(
                &mut e,
                &[(&format!("task_{n}_name"), &t.name), (&format!("task_{n}_funds"), &t.funds)],
            );
            let name = clean(&t.name, 1_000).unwrap_or_default();
            if name.chars().count() < 3 {
                row_error(&mut e, &format!("task_{n}_name"), "prog-error-task-name", n);
            }
            let funds = if t.funds.trim().is_empty() {
                Some(0)
            } else {
                Money::parse_pl(&t.funds).map(|m| m.grosze()).filter(|g| *g >= 0)
            };
            if funds.is_none() {
                row_error(&mut e, &format!("task_{n}_funds"), "prog-error-task-funds", n);
            }
            let mut codes: Vec<String> = t.spheres.iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect();
            codes.sort();
            codes.dedup();
            if codes.is_empty() || codes.len() > 50 || codes.iter().any(|c| !spheres.contains(c)) {
                row_error(&mut e, &format!("task_{n}_spheres"), "prog-error-task-spheres", n);
            }
            tasks.push(TaskInput { name, spheres: codes, planned_funds: funds.unwrap_or(0) });
        }
        let planned: i64 = tasks.iter().fold(0i64, |a, t| a.saturating_add(t.planned_funds));
        if let Some(total) = total_funds
            && planned > total
        {
            e.entry("total_funds".into())
                .or_insert(("prog-error-funds-sum", vec![("sum", Money(planned).to_string())]));
        }
        let mut indicators = Vec::new();
        for (i, row) in self.indicators.iter().enumerate().filter(|(_, r)| !r.is_empty()) {
            let n = i + 1;
            limits::ROW.check_fields(
                &mut e,
                &[
                    (&format!("indicator_{n}_name"), &row.name),
                    (&format!("indicator_{n}_metric"), &row.metric),
                    (&format!("indicator_{n}_target"), &row.target),
                ],
            );
            let name = clean(&row.name, 1_000).unwrap_or_default();
            if name.chars().count() < 3 {
                row_error(&mut e, &format!("indicator_{n}_name"), "prog-error-indicator-name", n);
            }
            let metric = Metric::parse(&row.metric);
            if metric.is_none() {
                row_error(&mut e, &format!("indicator_{n}_metric"), "prog-error-indicator-metric", n);
            }
            let target = if metric.is_some_and(Metric::is_money) {
                Money::parse_pl(&row.target).map(|m| m.grosze())
            } else {
                row.target.trim().replace([' ', '\u{a0}'], "").parse::<i64>().ok()
            }
            .filter(|t| (0..=1_000_000_000_000).contains(t));
            if target.is_none() {
                row_error(&mut e, &format!("indicator_{n}_target"), "prog-error-indicator-target", n);
            }
            if let (Some(metric), Some(target)) = (metric, target) {
                indicators.push(IndicatorInput { name, metric, target });
            }
        }
        let version = if self.version.trim().is_empty() { None } else { self.version.trim().parse::<i32>().ok() };
        match (year_from, year_to, total_funds) {
            (Some(year_from), Some(year_to), Some(total_funds)) if e.is_empty() => Ok(ProgrammeInput {
                title,
                year_from,
                year_to,
                main_goal: text(&self.main_goal),
                specific_goals: text(&self.specific_goals),
                principles: text(&self.principles),
                scope: text(&self.scope),
                forms: text(&self.forms),
                implementation: text(&self.implementation),
                total_funds,
                evaluation: text(&self.evaluation),
                drafting: text(&self.drafting),
                consultation_id,
                commissions: text(&self.commissions),
                tasks,
                indicators,
                version,
            }),
            _ => {
                if e.is_empty() {
                    error(&mut e, "year_from", "prog-error-year");
                }
                Err(e)
            }
        }
    }
}

impl TaskField {
    fn is_empty(&self) -> bool {
        self.name.trim().is_empty() && self.funds.trim().is_empty() && self.spheres.iter().all(|s| s.trim().is_empty())
    }
}

impl IndicatorField {
    fn is_empty(&self) -> bool {
        self.name.trim().is_empty() && self.target.trim().is_empty()
    }
}

/// The parts of a stored programme still missing before it may be consulted or adopted, as
/// (field, Fluent id of the part): the eleven of art. 5a ust. 4, and the consultation linked.
pub fn missing_parts(
    p: &programme::Model,
    tasks: &[programme_task::Model],
    indicators: &[programme_indicator::Model],
) -> Vec<(&'static str, &'static str)> {
    let filled = |field: &str| match field {
        "main_goal" => !p.main_goal.trim().is_empty(),
        "principles" => !p.principles.trim().is_empty(),
        "scope" => !p.scope.trim().is_empty(),
        "forms" => !p.forms.trim().is_empty(),
        "task_1_name" => !tasks.is_empty(),
        "year_from" => p.year_to >= p.year_from,
        "implementation" => !p.implementation.trim().is_empty(),
        "total_funds" => p.total_funds > 0,
        "evaluation" => !p.evaluation.trim().is_empty() && !indicators.is_empty(),
        "drafting" => !p.drafting.trim().is_empty(),
        "commissions" => !p.commissions.trim().is_empty(),
        _ => true,
    };
    let mut out: Vec<(&str, &str)> = PARTS.iter().copied().filter(|(f, _)| !filled(f)).collect();
    if p.consultation_id.is_none() {
        out.push(("consultation", "prog-part-consultation"));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Adoption.

/// The council's resolution, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdoptionForm {
    pub number: String,
    pub date: String,
}

impl AdoptionForm {
    pub fn from_pairs(p: &[(String, String)]) -> AdoptionForm {
        AdoptionForm { number: get(p, "resolution_number"), date: get(p, "resolution_date") }
    }

    /// The number and the day, which may not be ahead of `today`.
    pub fn validate(&self, today: NaiveDate) -> Result<(String, NaiveDate), FieldErrors> {
        let mut e = FieldErrors::new();
        limits::ADOPTION.check_fields(
            &mut e,
            &[("resolution_number", &self.number), ("resolution_date", &self.date)],
        );
        let number = clean(&self.number, 100).unwrap_or_default();
        if number.chars().count() < 3 {
            error(&mut e, "resolution_number", "prog-error-resolution-number");
        }
        let date = parse_form_date(&self.date);
        match date {
            None => error(&mut e, "resolution_date", "prog-error-resolution-date"),
            Some(d) if d > today => error(&mut e, "resolution_date", "prog-error-resolution-future"),
            _ => {}
        }
        match date {
            Some(d) if e.is_empty() => Ok((number, d)),
            _ => Err(e),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The report's parts the office writes.

/// The report's narrative and manual indicator values, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportForm {
    pub introduction: String,
    pub financial: String,
    pub non_financial: String,
    pub conclusions: String,
    /// (indicator id, value as typed).
    pub manual: Vec<(i64, String)>,
}

/// A valid report form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportInput {
    pub introduction: String,
    pub financial: String,
    pub non_financial: String,
    pub conclusions: String,
    pub manual: HashMap<i64, i64>,
}

impl ReportForm {
    /// The form; `manual` are the ids of the programme's manual indicators.
    pub fn from_pairs(p: &[(String, String)], manual: &[i64]) -> ReportForm {
        ReportForm {
            introduction: get(p, "introduction"),
            financial: get(p, "financial"),
            non_financial: get(p, "non_financial"),
            conclusions: get(p, "conclusions"),
            manual: manual.iter().map(|id| (*id, get(p, &format!("manual_{id}")))).collect(),
        }
    }

    /// `names` are the manual indicators' names: a wrong value's message names its indicator.
    pub fn validate(&self, names: &HashMap<i64, String>) -> Result<ReportInput, FieldErrors> {
        let mut e = FieldErrors::new();
        limits::REPORT.check_fields(
            &mut e,
            &[
                ("introduction", &self.introduction),
                ("financial", &self.financial),
                ("non_financial", &self.non_financial),
                ("conclusions", &self.conclusions),
            ],
        );
        let mut manual = HashMap::new();
        for (id, v) in &self.manual {
            let field = format!("manual_{id}");
            limits::ROW.check_fields(&mut e, &[(&field, v)]);
            if v.trim().is_empty() {
                continue;
            }
            match v.trim().replace([' ', '\u{a0}'], "").parse::<i64>().ok().filter(|n| (0..=1_000_000_000_000).contains(n)) {
                Some(n) => {
                    manual.insert(*id, n);
                }
                None => {
                    let name = names.get(id).cloned().unwrap_or_else(|| id.to_string());
                    e.entry(field).or_insert(("prog-error-indicator-value", vec![("name", name)]));
                }
            }
        }
        let text = |v: &str| clean(v, limits::PART_MAX).unwrap_or_default();
        if e.is_empty() {
            Ok(ReportInput {
                introduction: text(&self.introduction),
                financial: text(&self.financial),
                non_financial: text(&self.non_financial),
                conclusions: text(&self.conclusions),
                manual,
            })
        } else {
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter().map(|(a, b)| ((*a).into(), (*b).into())).collect()
    }

    fn spheres() -> Vec<String> {
        vec!["kultura".into(), "sport".into()]
    }

    #[test]
    fn a_draft_needs_only_a_title_and_its_years() {
        let f = ProgrammeForm::from_pairs(&pairs(&[("title", "Program 2027"), ("year_from", "2027"), ("year_to", "")]));
        let i = f.validate(&spheres(), &[]).expect("valid");
        assert_eq!((i.year_from, i.year_to, i.total_funds), (2027, 2027, 0));
        assert!(i.tasks.is_empty());
    }

    #[test]
    fn tasks_indicators_and_funds_are_checked_row_by_row() {
        let f = ProgrammeForm::from_pairs(&pairs(&[
            ("title", "Program"),
            ("year_from", "2027"),
            ("year_to", "2031"),
            ("total_funds", "1 000,00"),
            ("task_1_name", "Kultura dzieci"),
            ("task_1_spheres", "kultura"),
            ("task_1_funds", "800"),
            ("task_2_name", "Sport"),
            ("task_2_spheres", "nieznana"),
            ("task_2_funds", "300"),
            ("task_3_name", ""),
            ("task_3_funds", ""),
            ("indicator_1_name", "Liczba konkursów"),
            ("indicator_1_metric", "calls"),
            ("indicator_1_target", "12"),
            ("indicator_2_name", "Kwota"),
            ("indicator_2_metric", "granted"),
            ("indicator_2_target", "abc"),
            ("consultation", "9"),
        ]));
        let e = f.validate(&spheres(), &[1]).expect_err("invalid");
        assert_eq!(e["task_2_spheres"].0, "prog-error-task-spheres");
        assert_eq!(e["total_funds"].0, "prog-error-funds-sum");
        assert_eq!(e["indicator_2_target"].0, "prog-error-indicator-target");
        assert_eq!(e["consultation"].0, "prog-error-consultation");
        assert!(!e.contains_key("task_3_name"), "an empty row is skipped");
        assert!(!e.contains_key("year_to"), "five years is the most");
        let f = ProgrammeForm { year_to: "2032".into(), ..f };
        assert_eq!(f.validate(&spheres(), &[1]).expect_err("6 years")["year_to"].0, "prog-error-year-to");
    }

    #[test]
    fn the_resolution_may_not_be_dated_ahead() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).expect("day");
        let ok = AdoptionForm { number: "XX/123/2026".into(), date: "2026-11-19".into() };
        assert_eq!(ok.validate(today).expect("valid").0, "XX/123/2026");
        let ahead = AdoptionForm { number: "XX".into(), date: "2026-11-21".into() };
        let e = ahead.validate(today).expect_err("invalid");
        assert_eq!(e["resolution_number"].0, "prog-error-resolution-number");
        assert_eq!(e["resolution_date"].0, "prog-error-resolution-future");
    }

    #[test]
    fn manual_values_are_whole_numbers() {
        let f = ReportForm::from_pairs(&pairs(&[("manual_3", "1 200"), ("manual_4", "-5"), ("manual_5", "")]), &[3, 4, 5]);
        let names: HashMap<i64, String> = [(4, "Liczba wolontariuszy".to_owned())].into();
        let e = f.validate(&names).expect_err("invalid");
        assert_eq!(e["manual_4"], ("prog-error-indicator-value", vec![("name", "Liczba wolontariuszy".to_owned())]));
        let f = ReportForm { manual: vec![(3, "1 200".into())], ..f };
        assert_eq!(f.validate(&names).expect("valid").manual[&3], 1200);
    }
}
