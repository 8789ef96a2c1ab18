//! Two versions of a draft side by side, unit by unit, with the changed words marked: the
//! public page of changes between versions and the report's redline of the final text against
//! the consulted one.

use super::text::{self, Change, Unit};
use crate::moderation::word_diff::{Part, words};

/// One row as the pages show it.
pub struct Row {
    pub anchor: String,
    pub label: String,
    /// `same`, `changed`, `added` or `removed` (the CSS class and the Fluent id's end).
    pub change: &'static str,
    pub before: Vec<Part>,
    pub after: Vec<Part>,
}

impl Row {
    /// Fluent id of its change.
    pub fn key(&self) -> String {
        format!("cons-change-{}", self.change)
    }
}

fn whole(s: Option<String>) -> Vec<Part> {
    s.filter(|t| !t.is_empty())
        .map(|text| vec![Part { text, changed: false }])
        .unwrap_or_default()
}

/// The rows of `old` → `new`; with `changed_only`, the units that stayed as they were are left
/// out.
pub fn rows(old: &[Unit], new: &[Unit], changed_only: bool) -> Vec<Row> {
    text::diff(old, new)
        .into_iter()
        .filter(|r| !changed_only || r.change != Change::Same)
        .map(|r| {
            let (change, before, after) = match r.change {
                Change::Same => ("same", whole(r.before), vec![]),
                Change::Added => ("added", vec![], mark(whole(r.after))),
                Change::Removed => ("removed", mark(whole(r.before)), vec![]),
                Change::Changed => {
                    let (b, a) = words(r.before.as_deref().unwrap_or(""), r.after.as_deref().unwrap_or(""));
                    ("changed", b, a)
                }
            };
            Row { anchor: r.anchor, label: r.label, change, before, after }
        })
        .collect()
}

fn mark(parts: Vec<Part>) -> Vec<Part> {
    parts.into_iter().map(|p| Part { changed: true, ..p }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_unit_marks_its_words_and_same_ones_can_be_left_out() {
        let old = text::parse("§ 1. Program obowiązuje w 2027 roku.\n§ 2. Nadzór.").expect("old");
        let new = text::parse("§ 1. Program obowiązuje w latach 2027–2028.\n§ 2. Nadzór.\n§ 3. Wejście w życie.")
            .expect("new");
        let all = rows(&old, &new, false);
        assert_eq!(all.iter().map(|r| r.change).collect::<Vec<_>>(), ["changed", "same", "added"]);
        let changed: Vec<&str> = all[0].after.iter().filter(|p| p.changed).map(|p| p.text.as_str()).collect();
        assert!(changed.concat().contains("latach"), "{changed:?}");
        assert_eq!(rows(&old, &new, true).len(), 2);
    }
}
