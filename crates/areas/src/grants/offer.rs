//! The offer form (annex 1 of the regulation of 24 Oct 2018, Dz.U. 2018 poz. 2057) as typed
//! sections. Each section is stored as JSON in its own `grant_offer_sections` row, so people
//! editing different sections never overwrite each other. All sums and shares are computed here,
//! never typed; money is integer grosze.

use serde::{Deserialize, Serialize};

/// The template version every new offer records (law is data: a new regulation is a new value
/// and a new set of section types, while old offers keep theirs).
pub const TEMPLATE_VERSION: &str = "2018-2057-z1";

/// The simplified offer's template (annex 1 of the regulation of 24 Oct 2018, Dz.U. 2018 poz.
/// 2055) for small grants outside calls (art. 19a): the same structure, shorter — one form
/// without the split between joint offerors (V.C) or other information (VI).
pub const SMALL_TEMPLATE_VERSION: &str = "2018-2055-z1";

/// The sections of the form, in the form's order, with their address segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// II: the offeror(s).
    Offerors,
    /// III.1–3: title, dates, summary.
    Task,
    /// III.4: actions with their schedule.
    Actions,
    /// III.5–6: expected results and the results table.
    Results,
    /// IV: earlier activity and resources.
    Resources,
    /// V.A: the cost table.
    Costs,
    /// V.B: funding sources.
    Funding,
    /// V.C: split of costs between joint offerors.
    Split,
    /// VI: other information.
    Other,
    /// VII: statements.
    Statements,
}

impl Section {
    pub const ALL: &'static [Section] = &[
        Section::Offerors,
        Section::Task,
        Section::Actions,
        Section::Results,
        Section::Resources,
        Section::Costs,
        Section::Funding,
        Section::Split,
        Section::Other,
        Section::Statements,
    ];

    /// The simplified offer's sections (`SMALL_TEMPLATE_VERSION`).
    pub const SMALL: &'static [Section] = &[
        Section::Offerors,
        Section::Task,
        Section::Actions,
        Section::Results,
        Section::Resources,
        Section::Costs,
        Section::Funding,
        Section::Statements,
    ];

    /// The sections of a template version's form; any other version has the full form.
    pub fn of(template_version: &str) -> &'static [Section] {
        if template_version == SMALL_TEMPLATE_VERSION {
            Section::SMALL
        } else {
            Section::ALL
        }
    }

    /// The stored code and address segment.
    pub fn code(self) -> &'static str {
        match self {
            Section::Offerors => "oferenci",
            Section::Task => "zadanie",
            Section::Actions => "dzialania",
            Section::Results => "rezultaty",
            Section::Resources => "zasoby",
            Section::Costs => "koszty",
            Section::Funding => "zrodla",
            Section::Split => "podzial",
            Section::Other => "inne",
            Section::Statements => "oswiadczenia",
        }
    }

    pub fn parse(code: &str) -> Option<Section> {
        Section::ALL.iter().copied().find(|s| s.code() == code)
    }

    /// The form's numbering (II, III.1–3, …).
    pub fn number(self) -> &'static str {
        match self {
            Section::Offerors => "II",
            Section::Task => "III.1–3",
            Section::Actions => "III.4",
            Section::Results => "III.5–6",
            Section::Resources => "IV",
            Section::Costs => "V.A",
            Section::Funding => "V.B",
            Section::Split => "V.C",
            Section::Other => "VI",
            Section::Statements => "VII",
        }
    }

    /// Fluent id of the section's name.
    pub fn label(self) -> String {
        format!("offer-section-{}", self.code())
    }
}

/// One offeror (section II), prefilled from the directory and editable.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Offeror {
    /// The organisation in the directory, when it is one.
    pub organization_id: Option<i64>,
    pub name: String,
    pub legal_form: String,
    /// KRS number or another register and number.
    pub register_number: String,
    /// The seat (registered address).
    pub seat: String,
    pub website: String,
    pub correspondence_address: String,
    pub email: String,
    pub phone: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OfferorsSection {
    pub lead: Offeror,
    /// Partners of a joint offer (empty for a single offeror).
    pub partners: Vec<Offeror>,
    /// The person who can explain the offer: name, phone, e-mail.
    pub contact_person: String,
    pub contact_phone: String,
    pub contact_email: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaskSection {
    pub title: String,
    /// ISO dates (`YYYY-MM-DD`).
    pub start_date: String,
    pub end_date: String,
    /// III.3: place, recipients, the need it answers, complementarity.
    pub summary: String,
    pub place: String,
}

/// One action of the plan (III.4).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Action {
    pub name: String,
    pub description: String,
    pub target_group: String,
    /// Planned dates as the offeror writes them (e.g. "03–06.2027").
    pub planned_dates: String,
    /// Who carries it out when it is not a party to the offer; empty = the offeror.
    pub non_party: String,
    /// Year of the task (1–3) for multi-year offers.
    pub year: u8,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActionsSection {
    pub actions: Vec<Action>,
}

/// One row of the results table (III.6).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Indicator {
    pub result: String,
    pub planned_value: String,
    pub monitoring: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResultsSection {
    /// III.5: expected results.
    pub expected: String,
    /// III.6: the results table.
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResourcesSection {
    /// IV.1: earlier activity in the field.
    pub earlier_activity: String,
    /// IV.2: human, material and financial resources.
    pub resources: String,
}

/// One line of the cost table (V.A).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CostLine {
    /// The action (index into `ActionsSection::actions`, from 0) the cost belongs to; None =
    /// administrative costs (group II).
    pub action: Option<usize>,
    pub kind: String,
    pub unit: String,
    /// Grosze per unit.
    pub unit_cost: i64,
    /// Number of units in hundredths (2.5 units = 250).
    pub units_centi: i64,
    /// Year of the task (1–3).
    pub year: u8,
}

impl CostLine {
    /// Unit cost × units, rounded half up to the grosz; saturating, never panics.
    pub fn value(&self) -> i64 {
        let v = (self.unit_cost as i128) * (self.units_centi as i128);
        let rounded = if v >= 0 { (v + 50) / 100 } else { (v - 50) / 100 };
        rounded.clamp(i64::MIN as i128, i64::MAX as i128) as i64
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CostsSection {
    pub lines: Vec<CostLine>,
}

/// V.B: funding sources; the requested grant and the contributions are typed, their sum must
/// equal the total cost.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FundingSection {
    pub grant: i64,
    pub own_financial: i64,
    /// Personal input (volunteers, social work), valued.
    pub personal: i64,
    /// In-kind input, valued.
    pub in_kind: i64,
    /// Payments from the task's recipients.
    pub fees: i64,
    /// How the personal and in-kind input was valued.
    pub valuation: String,
}

/// V.C: what each joint offeror carries, per offeror (index 0 = the lead, then partners).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SplitSection {
    pub amounts: Vec<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OtherSection {
    pub text: String,
}

/// The statements of section VII; each must be confirmed before submission.
pub const STATEMENTS: &[&str] = &[
    "public_benefit",
    "fees_only_paid",
    "no_arrears",
    "register_match",
    "data_true",
    "personal_data",
];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StatementsSection {
    /// Codes of `STATEMENTS` the offeror confirmed.
    pub confirmed: Vec<String>,
}

/// The whole offer as one value: what is frozen, hashed and rendered on submission.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OfferContent {
    pub offerors: OfferorsSection,
    pub task: TaskSection,
    pub actions: ActionsSection,
    pub results: ResultsSection,
    pub resources: ResourcesSection,
    pub costs: CostsSection,
    pub funding: FundingSection,
    pub split: SplitSection,
    pub other: OtherSection,
    pub statements: StatementsSection,
}

impl OfferContent {
    /// The JSON of one section.
    pub fn section_json(&self, s: Section) -> serde_json::Value {
        let v = match s {
            Section::Offerors => serde_json::to_value(&self.offerors),
            Section::Task => serde_json::to_value(&self.task),
            Section::Actions => serde_json::to_value(&self.actions),
            Section::Results => serde_json::to_value(&self.results),
            Section::Resources => serde_json::to_value(&self.resources),
            Section::Costs => serde_json::to_value(&self.costs),
            Section::Funding => serde_json::to_value(&self.funding),
            Section::Split => serde_json::to_value(&self.split),
            Section::Other => serde_json::to_value(&self.other),
            Section::Statements => serde_json::to_value(&self.statements),
        };
        v.unwrap_or(serde_json::Value::Null)
    }

    /// Puts one section's stored JSON in place; JSON that does not parse leaves the section
    /// empty (a stored section is always written by this code, so that means a newer template).
    pub fn set_section(&mut self, s: Section, json: &str) {
        fn parse<T: serde::de::DeserializeOwned + Default>(json: &str) -> T {
            serde_json::from_str(json).unwrap_or_default()
        }
        match s {
            Section::Offerors => self.offerors = parse(json),
            Section::Task => self.task = parse(json),
            Section::Actions => self.actions = parse(json),
            Section::Results => self.results = parse(json),
            Section::Resources => self.resources = parse(json),
            Section::Costs => self.costs = parse(json),
            Section::Funding => self.funding = parse(json),
            Section::Split => self.split = parse(json),
            Section::Other => self.other = parse(json),
            Section::Statements => self.statements = parse(json),
        }
    }

    /// Whether this is a joint offer (partners named in section II).
    pub fn is_joint(&self) -> bool {
        !self.offerors.partners.is_empty()
    }

    pub fn totals(&self) -> Totals {
        Totals::of(self)
    }
}

/// Sums and shares computed from the cost table and the funding sources.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Total cost (V.A), grosze.
    pub total: i64,
    /// Per year of the task (index 0 = year 1).
    pub per_year: [i64; 3],
    /// Costs of actions (group I) and administrative costs (group II).
    pub actions: i64,
    pub administrative: i64,
    /// Per action (index as in III.4).
    pub per_action: Vec<i64>,
    /// Sum of the funding sources (V.B).
    pub sources: i64,
    /// Own contribution of every kind (financial + personal + in-kind).
    pub own: i64,
    /// Shares of the total cost, basis points (1 % = 100), rounded half up.
    pub grant_bp: i64,
    pub own_financial_bp: i64,
    pub personal_bp: i64,
    pub in_kind_bp: i64,
    pub fees_bp: i64,
    pub administrative_bp: i64,
}

/// `part` of `whole` in basis points, rounded half up; 0 when `whole` is 0.
pub fn share_bp(part: i64, whole: i64) -> i64 {
    if whole == 0 {
        return 0;
    }
    let v = (part as i128) * 10_000;
    let w = whole as i128;
    let q = (2 * v + w) / (2 * w);
    q.clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

fn add(a: i64, b: i64) -> i64 {
    a.saturating_add(b)
}

impl Totals {
    pub fn of(c: &OfferContent) -> Totals {
        let mut t = Totals {
            per_action: vec![0; c.actions.actions.len()],
            ..Default::default()
        };
        for l in &c.costs.lines {
            let v = l.value();
            t.total = add(t.total, v);
            let y = usize::from(l.year.clamp(1, 3)) - 1;
            t.per_year[y] = add(t.per_year[y], v);
            match l.action {
                Some(a) => {
                    t.actions = add(t.actions, v);
                    if let Some(p) = t.per_action.get_mut(a) {
                        *p = add(*p, v);
                    }
                }
                None => t.administrative = add(t.administrative, v),
            }
        }
        let f = &c.funding;
        t.own = add(add(f.own_financial, f.personal), f.in_kind);
        t.sources = add(add(f.grant, t.own), f.fees);
        t.grant_bp = share_bp(f.grant, t.total);
        t.own_financial_bp = share_bp(f.own_financial, t.total);
        t.personal_bp = share_bp(f.personal, t.total);
        t.in_kind_bp = share_bp(f.in_kind, t.total);
        t.fees_bp = share_bp(f.fees, t.total);
        t.administrative_bp = share_bp(t.administrative, t.total);
        t
    }
}

/// Basis points as a Polish percentage: `12,35 %`.
pub fn percent_pl(bp: i64) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let bp = bp.unsigned_abs();
    format!("{sign}{},{:02}\u{a0}%", bp / 100, bp % 100)
}

/// Reads a percentage as typed ("10", "12,5", "12.35 %") into basis points; at most two decimals,
/// 0–100 %.
pub fn parse_percent(s: &str) -> Option<i32> {
    let s = s.trim().trim_end_matches('%').trim().replace(',', ".");
    let (whole, frac) = s.split_once('.').unwrap_or((s.as_str(), ""));
    if whole.is_empty() || whole.len() > 3 || frac.len() > 2 {
        return None;
    }
    if !whole.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let w: i32 = whole.parse().ok()?;
    let f: i32 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}").parse().ok()?
    };
    let bp = w * 100 + f;
    (0..=10_000).contains(&bp).then_some(bp)
}

/// Reads a number of units as typed ("3", "2,5", "0.25") into hundredths; at most two decimals
/// and nine digits before the separator.
pub fn parse_units(s: &str) -> Option<i64> {
    let s: String = s.trim().chars().filter(|c| !c.is_whitespace()).collect();
    let s = s.replace(',', ".");
    let (whole, frac) = s.split_once('.').unwrap_or((s.as_str(), ""));
    if whole.is_empty() || whole.len() > 9 || frac.len() > 2 {
        return None;
    }
    if !whole.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let w: i64 = whole.parse().ok()?;
    let f: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}").parse().ok()?
    };
    Some(w * 100 + f)
}

/// Hundredths of a unit written the Polish way: `2,5`, `3`.
pub fn units_pl(centi: i64) -> String {
    let w = centi / 100;
    let f = (centi % 100).abs();
    match f {
        0 => w.to_string(),
        f if f % 10 == 0 => format!("{w},{}", f / 10),
        f => format!("{w},{f:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(action: Option<usize>, unit_cost: i64, units_centi: i64, year: u8) -> CostLine {
        CostLine {
            action,
            kind: "k".into(),
            unit: "szt.".into(),
            unit_cost,
            units_centi,
            year,
        }
    }

    #[test]
    fn totals_and_shares_are_computed_from_the_lines() {
        let mut c = OfferContent::default();
        c.actions.actions = vec![Action::default(), Action::default()];
        c.costs.lines = vec![
            line(Some(0), 12_345, 250, 1), // 308.625 → 308,63 zł
            line(Some(1), 100_000, 100, 2),
            line(None, 50_000, 100, 1),
        ];
        c.funding = FundingSection {
            grant: 100_000,
            own_financial: 30_863,
            personal: 50_000,
            in_kind: 0,
            fees: 0,
            valuation: String::new(),
        };
        let t = c.totals();
        assert_eq!(c.costs.lines[0].value(), 30_863);
        assert_eq!(t.total, 180_863);
        assert_eq!(t.per_year, [80_863, 100_000, 0]);
        assert_eq!(t.per_action, vec![30_863, 100_000]);
        assert_eq!((t.actions, t.administrative), (130_863, 50_000));
        assert_eq!(t.sources, t.total);
        assert_eq!(t.grant_bp, 5529); // 55.290…%
        assert_eq!(t.administrative_bp, 2765);
        assert_eq!(percent_pl(t.grant_bp), "55,29\u{a0}%");
    }

    #[test]
    fn hostile_numbers_saturate_instead_of_panicking() {
        let mut c = OfferContent::default();
        c.costs.lines = vec![line(None, i64::MAX, i64::MAX, 9), line(None, i64::MAX, 100, 0)];
        c.funding.grant = i64::MAX;
        c.funding.fees = i64::MAX;
        let t = c.totals();
        assert_eq!(t.total, i64::MAX);
        assert_eq!(t.sources, i64::MAX);
        assert_eq!(share_bp(1, 0), 0);
    }

    #[test]
    fn percentages_and_units_are_read_the_polish_way() {
        assert_eq!(parse_percent("10"), Some(1000));
        assert_eq!(parse_percent("12,5 %"), Some(1250));
        assert_eq!(parse_percent("0.05"), Some(5));
        assert_eq!(parse_percent("101"), None);
        assert_eq!(parse_percent("1,234"), None);
        assert_eq!(parse_percent(""), None);
        assert_eq!(parse_units("2,5"), Some(250));
        assert_eq!(parse_units("1 000"), Some(100_000));
        assert_eq!(parse_units("99999999999"), None);
        assert_eq!(parse_units("-1"), None);
        assert_eq!(units_pl(250), "2,5");
        assert_eq!(units_pl(205), "2,05");
        assert_eq!(units_pl(300), "3");
    }

    #[test]
    fn sections_round_trip_through_their_json() {
        let mut c = OfferContent::default();
        c.task.title = "Lato w mieście".into();
        c.offerors.partners.push(Offeror {
            name: "Fundacja".into(),
            ..Default::default()
        });
        let mut d = OfferContent::default();
        for s in Section::ALL {
            d.set_section(*s, &c.section_json(*s).to_string());
            assert_eq!(Section::parse(s.code()), Some(*s));
        }
        assert_eq!(c, d);
        assert!(d.is_joint());
        d.set_section(Section::Task, "not json");
        assert_eq!(d.task, TaskSection::default());
    }
}
