//! Field errors of validated forms: field name → Fluent message id and its arguments. Every
//! area's form validation returns them; the web layer localises them next to the fields.
//!
//! Hostile input: every text field of every form has a maximum length and a kind (one line or
//! several), kept as one table of `Limit`s per area next to its form structs. The form's
//! validation checks each field against the table (`Limits::check`): too long, a line break in a
//! one-line field (which could reach a mail header) or a control character is a field error.

use std::collections::BTreeMap;

pub type FieldErrors = BTreeMap<String, (&'static str, Vec<(&'static str, String)>)>;

/// Fluent id of "at most { $max } characters".
pub const TOO_LONG: &str = "form-error-too-long";
/// Fluent id of "must be one line".
pub const LINE_BREAK: &str = "form-error-line-break";
/// Fluent id of "contains invalid control characters".
pub const CONTROL: &str = "form-error-control";

/// One line (names, titles, addresses: may end up in a mail header) or free text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Line,
    Text,
}

/// The longest value a field takes, in characters, and whether it is one line.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub field: &'static str,
    pub max: usize,
    pub kind: Kind,
}

pub const fn line(field: &'static str, max: usize) -> Limit {
    Limit {
        field,
        max,
        kind: Kind::Line,
    }
}

pub const fn text(field: &'static str, max: usize) -> Limit {
    Limit {
        field,
        max,
        kind: Kind::Text,
    }
}

/// What stands in a submitted text for a control character it held (and for bytes that were not
/// UTF-8): the Unicode replacement character. The web kernel puts it there before any handler
/// runs (`forms::neutralise_controls`), so the person sees where it was when the form comes back.
pub const MARK: char = '\u{FFFD}';

/// A control character no form field takes: C0 controls and DEL, except tab, and except line
/// breaks in multi-line text (NUL alone would make PostgreSQL refuse the row) — and the `MARK`
/// that replaced one on the way in.
pub fn forbidden_control(c: char, multi_line: bool) -> bool {
    match c {
        '\t' => false,
        '\n' | '\r' => !multi_line,
        MARK => true,
        _ => c.is_ascii_control(),
    }
}

/// `s` with every character no multi-line field takes replaced by `MARK` (borrowed when clean).
pub fn neutralise_controls(s: &str) -> std::borrow::Cow<'_, str> {
    if has_forbidden_control(s) {
        std::borrow::Cow::Owned(
            s.chars()
                .map(|c| if forbidden_control(c, true) { MARK } else { c })
                .collect(),
        )
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Whether the text has a character no multi-line field takes.
pub fn has_forbidden_control(s: &str) -> bool {
    s.chars().any(|c| forbidden_control(c, true))
}

impl Limit {
    /// The Fluent id of what is wrong with `value`, if anything.
    pub fn problem(&self, value: &str) -> Option<&'static str> {
        if value.chars().any(|c| forbidden_control(c, true)) {
            Some(CONTROL)
        } else if self.kind == Kind::Line && value.contains(['\r', '\n']) {
            Some(LINE_BREAK)
        } else if value.chars().count() > self.max {
            Some(TOO_LONG)
        } else {
            None
        }
    }
}

/// The table of one form's text fields. A field missing from it gets one line of 200 characters
/// (and a debug assertion, so a test finds it). A field of a repeated group, `contact_2_name`,
/// takes the limit of `contact_name`.
pub struct Limits(pub &'static [Limit]);

impl Limits {
    pub fn find(&self, field: &str) -> Option<Limit> {
        let exact = self.0.iter().find(|l| l.field == field).copied();
        exact.or_else(|| {
            let group: Vec<&str> = field
                .split('_')
                .filter(|part| part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()))
                .collect();
            let group = group.join("_");
            self.0.iter().find(|l| l.field == group).copied()
        })
    }

    pub fn get(&self, field: &str) -> Limit {
        let found = self.find(field);
        debug_assert!(found.is_some(), "no limit for the text field {field}");
        found.unwrap_or(line("", 200))
    }

    /// What is wrong with the field's value (Fluent id), if anything.
    pub fn check(&self, field: &str, value: &str) -> Option<&'static str> {
        self.get(field).problem(value)
    }

    /// Checks fields into an area's simple error map (field → Fluent id). As everywhere in our
    /// forms, the first error found for a field stands.
    pub fn check_into(&self, errors: &mut BTreeMap<String, &'static str>, fields: &[(&str, &str)]) {
        for (field, value) in fields {
            if let Some(key) = self.check(field, value) {
                errors.entry((*field).to_owned()).or_insert(key);
            }
        }
    }

    /// The arguments of the message for `key` on `field` (the maximum for `TOO_LONG`).
    pub fn args(&self, field: &str, key: &str) -> Vec<(&'static str, String)> {
        if key == TOO_LONG {
            vec![("max", self.get(field).max.to_string())]
        } else {
            Vec::new()
        }
    }

    /// Checks fields into `FieldErrors` (with the maximum as the `max` argument).
    pub fn check_fields(&self, errors: &mut FieldErrors, fields: &[(&str, &str)]) {
        for (field, value) in fields {
            if let Some(key) = self.check(field, value) {
                errors
                    .entry((*field).to_owned())
                    .or_insert_with(|| (key, self.args(field, key)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: Limits = Limits(&[line("name", 5), text("body", 10)]);

    #[test]
    fn length_line_breaks_and_controls() {
        assert_eq!(L.check("name", "żółwż"), None);
        assert_eq!(L.check("name", "żółwżx"), Some(TOO_LONG));
        assert_eq!(L.check("name", "a\r\nb"), Some(LINE_BREAK));
        assert_eq!(L.check("body", "a\r\nb\tc"), None);
        assert_eq!(L.check("body", "a\0b"), Some(CONTROL));
        assert_eq!(L.check("name", "a\u{7f}"), Some(CONTROL));
        assert_eq!(L.check("body", "a\u{1b}[31m"), Some(CONTROL));
        assert_eq!(L.args("name", TOO_LONG), [("max", "5".to_owned())]);
        assert_eq!(L.check("name_2", "123456"), Some(TOO_LONG));
        assert_eq!(L.args("name_12", TOO_LONG), [("max", "5".to_owned())]);
    }
}
