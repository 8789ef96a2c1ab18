//! Money as integer grosze. Never floats: SQLite would round decimals through f64.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Money(pub i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn from_zl(zl: i64) -> Self {
        Money(zl * 100)
    }

    pub fn grosze(self) -> i64 {
        self.0
    }

    /// Parses "1 234,56", "1234.5", "1234 zł"; rejects more than two decimal places.
    pub fn parse_pl(input: &str) -> Option<Money> {
        let cleaned: String = input
            .trim()
            .trim_end_matches("zł")
            .trim()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
            .collect();
        let (neg, body) = match cleaned.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, cleaned.as_str()),
        };
        let body = body.replace(',', ".");
        let (whole, frac) = match body.split_once('.') {
            Some((w, f)) => (w, f),
            None => (body.as_str(), ""),
        };
        if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || frac.len() > 2 {
            return None;
        }
        if !frac.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let whole: i64 = whole.parse().ok()?;
        let frac: i64 = if frac.is_empty() {
            0
        } else {
            format!("{frac:0<2}").parse().ok()?
        };
        let v = whole.checked_mul(100)?.checked_add(frac)?;
        Some(Money(if neg { -v } else { v }))
    }
}

impl fmt::Display for Money {
    /// Polish format: `1 234,56 zł` (non-breaking spaces).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let neg = self.0 < 0;
        let abs = self.0.unsigned_abs();
        let whole = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                grouped.push('\u{a0}');
            }
            grouped.push(c);
        }
        write!(
            f,
            "{}{},{:02}\u{a0}zł",
            if neg { "-" } else { "" },
            grouped,
            abs % 100
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_format() {
        assert_eq!(Money::parse_pl("1 234,56 zł"), Some(Money(123456)));
        assert_eq!(Money::parse_pl("10.5"), Some(Money(1050)));
        assert_eq!(Money::parse_pl("1,234"), None);
        assert_eq!(Money::parse_pl("abc"), None);
        assert_eq!(
            Money(123456789).to_string(),
            "1\u{a0}234\u{a0}567,89\u{a0}zł"
        );
        assert_eq!(Money(-5).to_string(), "-0,05\u{a0}zł");
    }
}
