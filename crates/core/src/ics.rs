//! A minimal RFC 5545 writer: CRLF line ends, lines folded at 75 octets on character
//! boundaries, TEXT values escaped. Used by the calendar feeds and the meeting invitations.

use crate::time::to_local;
use chrono::{DateTime, Utc};

pub struct Writer {
    out: String,
}

impl Default for Writer {
    fn default() -> Self {
        Self::new()
    }
}

impl Writer {
    pub fn new() -> Writer {
        Writer { out: String::new() }
    }

    /// A property whose value is written as is (dates, URIs, rules).
    pub fn raw(&mut self, name: &str, value: &str) {
        let line = format!("{name}:{}", strip_controls(value));
        fold(&line, &mut self.out);
    }

    /// A TEXT property.
    pub fn text(&mut self, name: &str, value: &str) {
        self.raw_escaped(name, &escape(value));
    }

    fn raw_escaped(&mut self, name: &str, escaped: &str) {
        fold(&format!("{name}:{escaped}"), &mut self.out);
    }

    /// A TEXT list (`CATEGORIES`), each item escaped.
    pub fn text_list(&mut self, name: &str, values: &[String]) {
        let v: Vec<String> = values.iter().map(|s| escape(s)).collect();
        self.raw_escaped(name, &v.join(","));
    }

    pub fn finish(self) -> String {
        self.out
    }
}

fn strip_controls(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

/// TEXT escaping: backslash, semicolon, comma and line breaks; other controls are dropped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let s = s.replace("\r\n", "\n");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes one content line folded so no physical line exceeds 75 octets (the leading space
/// of a continuation line counts), never inside a UTF-8 character.
pub fn fold(line: &str, out: &mut String) {
    let mut used = 0;
    for ch in line.chars() {
        let n = ch.len_utf8();
        if used + n > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(ch);
        used += n;
    }
    out.push_str("\r\n");
}

pub fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

pub fn local(t: DateTime<Utc>) -> String {
    to_local(t).format("%Y%m%dT%H%M%S").to_string()
}

/// Europe/Warsaw with the EU rules (last Sunday of March / October).
pub const VTIMEZONE: &[(&str, &str)] = &[
    ("BEGIN", "VTIMEZONE"),
    ("TZID", "Europe/Warsaw"),
    ("X-LIC-LOCATION", "Europe/Warsaw"),
    ("BEGIN", "DAYLIGHT"),
    ("TZOFFSETFROM", "+0100"),
    ("TZOFFSETTO", "+0200"),
    ("TZNAME", "CEST"),
    ("DTSTART", "19700329T020000"),
    ("RRULE", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"),
    ("END", "DAYLIGHT"),
    ("BEGIN", "STANDARD"),
    ("TZOFFSETFROM", "+0200"),
    ("TZOFFSETTO", "+0100"),
    ("TZNAME", "CET"),
    ("DTSTART", "19701025T030000"),
    ("RRULE", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"),
    ("END", "STANDARD"),
    ("END", "VTIMEZONE"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_on_char_boundaries() {
        let mut out = String::new();
        let line = format!("SUMMARY:{}", "żółć ".repeat(40));
        fold(&line, &mut out);
        for l in out.split_terminator("\r\n") {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
    }

    #[test]
    fn escapes_text() {
        assert_eq!(escape("a\\b;c,d\r\ne\nf"), "a\\\\b\\;c\\,d\\ne\\nf");
    }
}
