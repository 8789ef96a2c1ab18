//! A draft act as a structured text (issue 20, item 1): pasted text or Markdown split into the
//! units Polish drafting uses — chapters (Rozdział), paragraphs (§), sections (ust.), points
//! (pkt), letters (lit.) and indents (tiret) — each with a label a reader quotes ("§ 3 ust. 2
//! pkt 1") and an anchor that addresses it in a URL and survives a new version of the draft as
//! long as its place in the structure does. Lines that start no unit continue the one before;
//! text before the first unit (the title, the legal basis) is the preamble. Nothing is dropped:
//! every word of the input lands in exactly one unit. Pure: the consultation's store keeps the
//! units of each version, the pages render them, `diff` compares two versions unit by unit.

use serde::{Deserialize, Serialize};

/// The most units one draft may have (a long municipal act has a few hundred).
pub const MAX_UNITS: usize = 5_000;

/// What kind of unit, from the outermost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Text before the first unit: the title, the legal basis.
    Preamble,
    Chapter,
    Paragraph,
    Section,
    Point,
    Letter,
    Indent,
}

impl Kind {
    /// How deep it sits (for indentation): chapters and paragraphs at the top.
    pub fn depth(self) -> u8 {
        match self {
            Kind::Preamble | Kind::Chapter | Kind::Paragraph => 0,
            Kind::Section => 1,
            Kind::Point => 2,
            Kind::Letter => 3,
            Kind::Indent => 4,
        }
    }

    /// The segment of the anchor.
    fn slug(self) -> &'static str {
        match self {
            Kind::Preamble => "wstep",
            Kind::Chapter => "rozdzial",
            Kind::Paragraph => "par",
            Kind::Section => "ust",
            Kind::Point => "pkt",
            Kind::Letter => "lit",
            Kind::Indent => "tir",
        }
    }
}

/// One unit of the draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub kind: Kind,
    /// Its own number as written ("3", "2a", "b"); the indent's and the preamble's count.
    pub number: String,
    /// Where it is, as quoted: "§ 3 ust. 2 pkt 1 lit. a".
    pub label: String,
    /// Its address in the page: "par-3-ust-2-pkt-1-lit-a" (unique in the version).
    pub anchor: String,
    /// Its own text, without its number.
    pub text: String,
}

/// Why a text could not be split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Nothing but white space.
    Empty,
    /// More than `MAX_UNITS` units.
    TooLong,
}

/// The path of numbers above the unit being read.
#[derive(Default, Clone)]
struct Path {
    chapter: Option<String>,
    paragraph: Option<String>,
    section: Option<String>,
    point: Option<String>,
    letter: Option<String>,
    indent: u32,
}

impl Path {
    fn enter(&mut self, kind: Kind, number: &str) {
        let n = Some(number.to_owned());
        match kind {
            Kind::Preamble => {}
            Kind::Chapter => {
                *self = Path {
                    chapter: n,
                    ..Path::default()
                };
            }
            Kind::Paragraph => {
                *self = Path {
                    chapter: self.chapter.take(),
                    paragraph: n,
                    ..Path::default()
                };
            }
            Kind::Section => {
                self.section = n;
                self.point = None;
                self.letter = None;
                self.indent = 0;
            }
            Kind::Point => {
                self.point = n;
                self.letter = None;
                self.indent = 0;
            }
            Kind::Letter => {
                self.letter = n;
                self.indent = 0;
            }
            Kind::Indent => self.indent += 1,
        }
    }

    /// The label and anchor of a unit of `kind` at this path.
    fn name(&self, kind: Kind) -> (String, String) {
        if kind == Kind::Chapter {
            let n = self.chapter.clone().unwrap_or_default();
            return (format!("Rozdział {n}"), format!("rozdzial-{}", slug(&n)));
        }
        let mut label = Vec::new();
        let mut anchor = Vec::new();
        if let Some(p) = &self.paragraph {
            label.push(format!("§ {p}"));
            anchor.push(format!("par-{}", slug(p)));
        }
        let parts = [
            (Kind::Section, "ust.", &self.section),
            (Kind::Point, "pkt", &self.point),
            (Kind::Letter, "lit.", &self.letter),
        ];
        for (k, word, value) in parts {
            if k > kind {
                break;
            }
            if let Some(v) = value {
                label.push(format!("{word} {v}"));
                anchor.push(format!("{}-{}", k.slug(), slug(v)));
            }
        }
        if kind == Kind::Indent {
            label.push(format!("tiret {}", self.indent));
            anchor.push(format!("tir-{}", self.indent));
        }
        (label.join(" "), anchor.join("-"))
    }
}

/// A number fit for an anchor: letters and digits, lower case.
fn slug(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A unit's number at the start of `line` and the rest: `(kind, number, rest)`.
fn starts_unit(line: &str) -> Option<(Kind, String, &str)> {
    // Markdown: headings and list markers are only decoration here.
    let line = line.trim_start_matches('#').trim_start();
    if let Some(rest) = strip_word(line, &["Rozdział", "ROZDZIAŁ", "rozdział"]) {
        let (n, rest) = split_number(rest, |c| c.is_alphanumeric())?;
        return Some((
            Kind::Chapter,
            n,
            rest.trim_start_matches(['.', ':', '–', '-', ' ']),
        ));
    }
    if let Some(rest) = line.strip_prefix('§') {
        let (n, rest) = split_number(rest.trim_start(), |c| {
            c.is_ascii_digit() || c.is_ascii_lowercase()
        })?;
        if !n.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        return Some((Kind::Paragraph, n, rest.strip_prefix('.').unwrap_or(rest)));
    }
    // "1." a section (ust.), "1)" a point, "a)" a letter, "–" or "-" an indent.
    let digits: String = line.chars().take_while(|c| c.is_ascii_digit()).collect();
    if !digits.is_empty() {
        let after = &line[digits.len()..];
        let suffix: String = after
            .chars()
            .take_while(|c| c.is_ascii_lowercase())
            .take(2)
            .collect();
        let after = &after[suffix.len()..];
        let number = format!("{digits}{suffix}");
        if let Some(rest) = after
            .strip_prefix('.')
            .filter(|r| r.is_empty() || r.starts_with(char::is_whitespace))
        {
            return Some((Kind::Section, number, rest));
        }
        if let Some(rest) = after.strip_prefix(')') {
            return Some((Kind::Point, number, rest));
        }
        return None;
    }
    let letters: String = line
        .chars()
        .take_while(|c| c.is_ascii_lowercase())
        .take(3)
        .collect();
    if !letters.is_empty()
        && let Some(rest) = line[letters.len()..].strip_prefix(')')
    {
        return Some((Kind::Letter, letters, rest));
    }
    for dash in ["–", "—", "- ", "* "] {
        if let Some(rest) = line.strip_prefix(dash) {
            return Some((Kind::Indent, String::new(), rest));
        }
    }
    None
}

fn strip_word<'a>(line: &'a str, words: &[&str]) -> Option<&'a str> {
    words
        .iter()
        .find_map(|w| line.strip_prefix(w))
        .filter(|rest| rest.starts_with(char::is_whitespace))
        .map(str::trim_start)
}

fn split_number(s: &str, keep: impl Fn(char) -> bool) -> Option<(String, &str)> {
    let n: String = s.chars().take_while(|c| keep(*c)).collect();
    (!n.is_empty()).then(|| (n.clone(), &s[n.len()..]))
}

/// Splits a draft into its units. Control characters go; lines are trimmed; a line that starts
/// no unit continues the previous one.
pub fn parse(input: &str) -> Result<Vec<Unit>, Problem> {
    let mut units: Vec<Unit> = Vec::new();
    let mut path = Path::default();
    let mut preamble = 0;
    let mut seen = std::collections::HashSet::new();
    let mut last_blank = true;
    for raw in input.lines() {
        let line: String = raw
            .chars()
            .filter(|c| !c.is_control() || *c == '\t')
            .collect();
        let line = line.trim();
        if line.is_empty() {
            last_blank = true;
            continue;
        }
        match starts_unit(line) {
            Some((kind, number, rest)) if !(units.is_empty() && kind == Kind::Indent) => {
                let mut kind = kind;
                let mut number = number;
                let mut rest = rest.trim().to_owned();
                path.enter(kind, &number);
                push(&mut units, &mut seen, &path, kind, &number, String::new())?;
                // "§ 2. 1. Text": the paragraph's first section on the same line.
                if kind == Kind::Paragraph
                    && let Some((k, n, r)) =
                        starts_unit(&rest).filter(|(k, _, _)| *k == Kind::Section)
                {
                    kind = k;
                    number = n;
                    rest = r.trim().to_owned();
                    path.enter(kind, &number);
                    push(&mut units, &mut seen, &path, kind, &number, String::new())?;
                }
                if let Some(u) = units.last_mut() {
                    u.text = rest;
                }
            }
            _ => {
                // A new paragraph of the preamble after a blank line; else the text goes on.
                let continues = match units.last() {
                    Some(u) => u.kind != Kind::Preamble || !last_blank,
                    None => false,
                };
                if continues {
                    if let Some(u) = units.last_mut() {
                        if !u.text.is_empty() {
                            u.text.push(' ');
                        }
                        u.text.push_str(line);
                    }
                } else {
                    preamble += 1;
                    let n = preamble.to_string();
                    let label = format!("Wstęp {n}");
                    let anchor = format!("wstep-{n}");
                    seen.insert(anchor.clone());
                    units.push(Unit {
                        kind: Kind::Preamble,
                        number: n,
                        label,
                        anchor,
                        text: line.to_owned(),
                    });
                    if units.len() > MAX_UNITS {
                        return Err(Problem::TooLong);
                    }
                }
            }
        }
        last_blank = false;
    }
    if units.is_empty() {
        return Err(Problem::Empty);
    }
    Ok(units)
}

/// Adds a unit at the path; a repeated anchor (a number written twice) gets a suffix, so
/// anchors stay unique.
fn push(
    units: &mut Vec<Unit>,
    seen: &mut std::collections::HashSet<String>,
    path: &Path,
    kind: Kind,
    number: &str,
    text: String,
) -> Result<(), Problem> {
    let (label, mut anchor) = path.name(kind);
    if seen.contains(&anchor) {
        let mut k = 2;
        while seen.contains(&format!("{anchor}-{k}")) {
            k += 1;
        }
        anchor = format!("{anchor}-{k}");
    }
    seen.insert(anchor.clone());
    units.push(Unit {
        kind,
        number: number.to_owned(),
        label,
        anchor,
        text,
    });
    if units.len() > MAX_UNITS {
        return Err(Problem::TooLong);
    }
    Ok(())
}

/// How a unit changed between two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Change {
    Same,
    Changed,
    Added,
    Removed,
}

/// One row of a unit-by-unit comparison: the unit in either version (matched by anchor), in the
/// new version's order, a removed unit after the unit that preceded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub anchor: String,
    pub label: String,
    pub change: Change,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Compares two versions unit by unit.
pub fn diff(old: &[Unit], new: &[Unit]) -> Vec<Row> {
    use std::collections::HashMap;
    let new_by: HashMap<&str, &Unit> = new.iter().map(|u| (u.anchor.as_str(), u)).collect();
    let old_by: HashMap<&str, &Unit> = old.iter().map(|u| (u.anchor.as_str(), u)).collect();
    // Removed units, keyed by the anchor of the old unit before them that survives (None: at
    // the start).
    let mut removed_after: HashMap<Option<&str>, Vec<&Unit>> = HashMap::new();
    let mut last_kept: Option<&str> = None;
    for u in old {
        if new_by.contains_key(u.anchor.as_str()) {
            last_kept = Some(u.anchor.as_str());
        } else {
            removed_after.entry(last_kept).or_default().push(u);
        }
    }
    let removed_row = |u: &Unit| Row {
        anchor: u.anchor.clone(),
        label: u.label.clone(),
        change: Change::Removed,
        before: Some(u.text.clone()),
        after: None,
    };
    let mut out: Vec<Row> = removed_after
        .get(&None)
        .into_iter()
        .flatten()
        .map(|u| removed_row(u))
        .collect();
    for u in new {
        let row = match old_by.get(u.anchor.as_str()) {
            Some(o) if o.text == u.text => Row {
                anchor: u.anchor.clone(),
                label: u.label.clone(),
                change: Change::Same,
                before: Some(o.text.clone()),
                after: Some(u.text.clone()),
            },
            Some(o) => Row {
                anchor: u.anchor.clone(),
                label: u.label.clone(),
                change: Change::Changed,
                before: Some(o.text.clone()),
                after: Some(u.text.clone()),
            },
            None => Row {
                anchor: u.anchor.clone(),
                label: u.label.clone(),
                change: Change::Added,
                before: None,
                after: Some(u.text.clone()),
            },
        };
        out.push(row);
        if let Some(gone) = removed_after.get(&Some(u.anchor.as_str())) {
            out.extend(gone.iter().map(|u| removed_row(u)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DRAFT: &str = "UCHWAŁA NR XII/85/2026\nRADY MIEJSKIEJ W WIERZBINIE\n\nw sprawie programu współpracy na 2027 rok\n\nNa podstawie art. 5a ust. 1 ustawy uchwala się, co następuje:\n\nRozdział 1\nPostanowienia ogólne\n\n§ 1. Uchwala się program współpracy\nna rok 2027.\n\n§ 2. 1. Celem głównym jest rozwój współpracy.\n2. Celami szczegółowymi są:\n1) wzmocnienie organizacji;\n2) zwiększenie udziału mieszkańców, w tym:\na) seniorów,\nb) młodzieży;\n3) konsultacje.\n\n## Rozdział 2\n§ 3. Wykonanie uchwały powierza się Burmistrzowi.\n§ 3a. Uchwała wchodzi w życie z dniem podjęcia.\n";

    fn labels(units: &[Unit]) -> Vec<&str> {
        units.iter().map(|u| u.label.as_str()).collect()
    }

    #[test]
    fn a_resolution_splits_into_its_units() {
        let u = parse(DRAFT).expect("parsed");
        assert_eq!(
            labels(&u),
            [
                "Wstęp 1",
                "Wstęp 2",
                "Wstęp 3",
                "Rozdział 1",
                "§ 1",
                "§ 2",
                "§ 2 ust. 1",
                "§ 2 ust. 2",
                "§ 2 ust. 2 pkt 1",
                "§ 2 ust. 2 pkt 2",
                "§ 2 ust. 2 pkt 2 lit. a",
                "§ 2 ust. 2 pkt 2 lit. b",
                "§ 2 ust. 2 pkt 3",
                "Rozdział 2",
                "§ 3",
                "§ 3a",
            ]
        );
        assert_eq!(
            u[0].text,
            "UCHWAŁA NR XII/85/2026 RADY MIEJSKIEJ W WIERZBINIE"
        );
        assert_eq!(
            u[3].text, "Postanowienia ogólne",
            "a chapter's title continues its line"
        );
        assert_eq!(
            u[4].text, "Uchwala się program współpracy na rok 2027.",
            "a wrapped line continues"
        );
        assert_eq!(u[5].text, "", "the paragraph's text is its first section's");
        assert_eq!(u[6].text, "Celem głównym jest rozwój współpracy.");
        assert_eq!(u[10].anchor, "par-2-ust-2-pkt-2-lit-a");
        assert_eq!(u[15].anchor, "par-3a");
        assert_eq!(u[13].kind.depth(), 0);
        assert_eq!(u[10].kind.depth(), 3);
    }

    #[test]
    fn indents_numbers_written_twice_and_nothing_at_all() {
        let u =
            parse("§ 1. Zadania:\n– pierwsze,\n– drugie.\n§ 1. Powtórzony numer.").expect("parsed");
        assert_eq!(labels(&u), ["§ 1", "§ 1 tiret 1", "§ 1 tiret 2", "§ 1"]);
        assert_eq!(u[3].anchor, "par-1-2", "anchors stay unique");
        assert_eq!(parse(" \n\t\n"), Err(Problem::Empty));
        let long = "§ 1. a\n".repeat(MAX_UNITS + 1);
        assert_eq!(parse(&long), Err(Problem::TooLong));
    }

    #[test]
    fn anchors_survive_a_new_version_and_the_diff_names_each_change() {
        let old = parse("§ 1. Tekst.\n§ 2. Stary.\n§ 3. Usunięty.\n§ 4. Bez zmian.").expect("old");
        let new = parse("§ 1. Tekst.\n§ 2. Nowy.\n§ 4. Bez zmian.\n§ 5. Dodany.").expect("new");
        let rows = diff(&old, &new);
        let rows: Vec<(&str, Change)> = rows.iter().map(|r| (r.label.as_str(), r.change)).collect();
        assert_eq!(
            rows,
            [
                ("§ 1", Change::Same),
                ("§ 2", Change::Changed),
                ("§ 3", Change::Removed),
                ("§ 4", Change::Same),
                ("§ 5", Change::Added),
            ]
        );
    }

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    proptest! {
        /// Whatever is pasted: no panic, unique anchors, and every word that is not a unit's own
        /// number is in some unit's text, in order.
        #[test]
        fn nothing_is_lost_and_anchors_are_unique(lines in proptest::collection::vec(
            prop_oneof![
                "§ [0-9]{1,2}\\. [a-zżół ]{0,12}",
                "[0-9]{1,2}\\. [a-z ]{0,12}",
                "[0-9]{1,2}\\) [a-z ]{0,12}",
                "[a-c]\\) [a-z ]{0,12}",
                "– [a-z ]{0,8}",
                "Rozdział [0-9] [A-Z][a-z]{0,6}",
                "[A-Za-zżółć ,.]{0,20}",
                "\\PC{0,16}",
            ],
            0..40,
        )) {
            let text = lines.join("\n");
            match parse(&text) {
                Err(Problem::Empty) => prop_assert!(text.chars().all(|c| c.is_whitespace() || c.is_control())),
                Err(Problem::TooLong) => prop_assert!(false, "40 lines cannot be too long"),
                Ok(units) => {
                    let mut anchors = std::collections::HashSet::new();
                    for u in &units {
                        prop_assert!(anchors.insert(u.anchor.clone()), "anchor {} twice", u.anchor);
                        prop_assert!(!u.label.is_empty());
                    }
                    let joined: Vec<String> = units.iter().flat_map(|u| words(&u.text)).collect();
                    // Every unit's text comes from the input, word by word, in order.
                    let input: Vec<String> = text.lines().flat_map(|l| words(&l.chars().filter(|c| !c.is_control() || *c == '\t').collect::<String>())).collect();
                    let mut it = input.iter();
                    for w in &joined {
                        prop_assert!(it.any(|x| x.ends_with(w.as_str()) || x == w), "word {w} not from the input");
                    }
                }
            }
        }
    }
}
