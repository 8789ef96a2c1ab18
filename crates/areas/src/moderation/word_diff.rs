//! Word-level differences for the moderation page (issue 16): a changed field shows which
//! words went and which came, the rest of its text plain. Built on `similar`'s word diff.

use similar::{ChangeTag, TextDiff};
use std::time::Duration;

/// A run of text on one side of a field's difference: `changed` runs are removed (before) or
/// added (after) words; the others are the same on both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub text: String,
    pub changed: bool,
}

/// The before and after sides of one field, word by word. Spaces between two changed words
/// belong to the change, so "600 100 200" → "601 222 333" is one removed and one added run.
pub fn words(before: &str, after: &str) -> (Vec<Part>, Vec<Part>) {
    // A long pasted text must not hold the page: past the deadline `similar` gives a coarser
    // (still correct) difference.
    let diff = TextDiff::configure()
        .timeout(Duration::from_millis(250))
        .diff_words(before, after);
    let (mut b, mut a) = (Vec::new(), Vec::new());
    for c in diff.iter_all_changes() {
        let part = |changed| Part {
            text: c.value().to_owned(),
            changed,
        };
        match c.tag() {
            ChangeTag::Equal => {
                b.push(part(false));
                a.push(part(false));
            }
            ChangeTag::Delete => b.push(part(true)),
            ChangeTag::Insert => a.push(part(true)),
        }
    }
    (tidy(b), tidy(a))
}

/// Joins whitespace between two changes into them and merges neighbouring runs of one kind.
fn tidy(parts: Vec<Part>) -> Vec<Part> {
    let n = parts.len();
    let changed: Vec<bool> = (0..n)
        .map(|i| {
            parts[i].changed
                || (parts[i].text.trim().is_empty()
                    && i > 0
                    && i + 1 < n
                    && parts[i - 1].changed
                    && parts[i + 1].changed)
        })
        .collect();
    let mut out: Vec<Part> = Vec::new();
    for (p, changed) in parts.into_iter().zip(changed) {
        match out.last_mut() {
            Some(last) if last.changed == changed => last.text.push_str(&p.text),
            _ => out.push(Part {
                text: p.text,
                changed,
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(parts: &[Part], mark: &str) -> String {
        parts
            .iter()
            .map(|p| {
                if p.changed {
                    format!("[{mark}{}]", p.text)
                } else {
                    p.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn only_the_changed_words_are_marked() {
        let (b, a) = words(
            "Spotkanie wolontariuszy w sobotę o 10:00 przy rzece",
            "Spotkanie wolontariuszy w niedzielę o 11:00 przy rzece",
        );
        assert_eq!(
            show(&b, "-"),
            "Spotkanie wolontariuszy w [-sobotę] o [-10:00] przy rzece"
        );
        assert_eq!(
            show(&a, "+"),
            "Spotkanie wolontariuszy w [+niedzielę] o [+11:00] przy rzece"
        );
    }

    #[test]
    fn neighbouring_changed_words_are_one_run() {
        let (b, a) = words("600 100 200", "+48 601 222 333");
        assert_eq!(show(&b, "-"), "[-600 100 200]");
        assert_eq!(show(&a, "+"), "[++48 601 222 333]");
    }

    #[test]
    fn an_empty_side_and_equal_texts() {
        let (b, a) = words("", "Fundacja Zielona Łódź");
        assert!(b.is_empty());
        assert_eq!(show(&a, "+"), "[+Fundacja Zielona Łódź]");
        let (b, a) = words("bez zmian", "bez zmian");
        assert_eq!((show(&b, "-"), show(&a, "+")), ("bez zmian".into(), "bez zmian".into()));
        // An added word keeps the rest plain; the text on each side is whole.
        let (b, a) = words("ul. Lipowa 5\nWierzbin", "ul. Lipowa 5a\nWierzbin");
        assert_eq!(b.iter().map(|p| p.text.as_str()).collect::<String>(), "ul. Lipowa 5\nWierzbin");
        assert_eq!(show(&a, "+"), "ul. Lipowa [+5a]\nWierzbin");
    }
}
