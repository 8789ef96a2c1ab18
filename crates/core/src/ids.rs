//! Polish identifiers: NIP, REGON, KRS and bank account numbers (NRB/IBAN).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("wrong length")]
    Length,
    #[error("not only digits")]
    NotDigits,
    #[error("checksum does not match")]
    Checksum,
}

/// The same number as a person may type it, made plain exactly as python-stdnum's `compact`
/// does for NIP and REGON: look-alike characters become ASCII (full-width and mathematical
/// digits, the Unicode dashes and spaces stdnum lists), then `-` and ` ` go, surrounding
/// whitespace is trimmed (as Python's `str.strip`) and letters are upper-cased.
pub fn compact(input: &str) -> String {
    let mapped: String = input
        .chars()
        .map(|c| match c as u32 {
            0xFF10..=0xFF19 => char::from(b'0' + (c as u32 - 0xFF10) as u8),
            0x1D7CE..=0x1D7FF => char::from(b'0' + ((c as u32 - 0x1D7CE) % 10) as u8),
            0x00AF
            | 0x02D7
            | 0x058A
            | 0x05BE
            | 0x1680
            | 0x180A
            | 0x2010..=0x2015
            | 0x203E
            | 0x2043
            | 0x207B
            | 0x208B
            | 0x2212
            | 0x23AF
            | 0x23BA..=0x23BD
            | 0x23E4
            | 0xFE63
            | 0xFF0D
            | 0xFFE3 => '-',
            0x00A0 | 0x2000..=0x200A | 0x202F | 0x205F | 0x3000 => ' ',
            _ => c,
        })
        .filter(|c| !matches!(c, '-' | ' '))
        .collect();
    // Python's `isspace`: Unicode whitespace and the separators U+001C–U+001F.
    mapped
        .trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
        .to_uppercase()
}

/// The digits of an already compacted number; anything else is `NotDigits`.
fn digits(compacted: &str) -> Result<Vec<u32>, IdError> {
    compacted
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                Ok(c as u32 - '0' as u32)
            } else {
                Err(IdError::NotDigits)
            }
        })
        .collect()
}

fn to_text(d: &[u32]) -> String {
    d.iter().map(|x| char::from(b'0' + *x as u8)).collect()
}

fn weighted(d: &[u32], weights: &[u32]) -> u32 {
    d.iter().zip(weights).map(|(a, b)| a * b).sum()
}

/// NIP (tax number): ten digits, the last one the weighted sum of the first nine mod 11 (a sum
/// of 10 makes no valid number). As python-stdnum's `pl.nip`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nip(String);

impl Nip {
    /// Accepts `1234563218`, `123-456-32-18`, `PL1234563218` or `pl 123 456 32 18`, also typed
    /// with full-width digits (see [`compact`]).
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let s = compact(input);
        let s = s.strip_prefix("PL").unwrap_or(&s);
        let d = digits(s)?;
        if d.len() != 10 {
            return Err(IdError::Length);
        }
        let sum = weighted(&d, &[6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11;
        if sum == 10 || sum != d[9] {
            return Err(IdError::Checksum);
        }
        Ok(Nip(to_text(&d)))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// REGON (statistical number): nine digits, or fourteen for a local unit — whose first nine
/// digits are themselves a valid REGON; both check digits must hold. As python-stdnum's
/// `pl.regon`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Regon(String);

fn regon_check(d: &[u32]) -> u32 {
    let weights: &[u32] = if d.len() == 8 {
        &[8, 9, 2, 3, 4, 5, 6, 7]
    } else {
        &[2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8]
    };
    weighted(d, weights) % 11 % 10
}

impl Regon {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let d = digits(&compact(input))?;
        if d.len() != 9 && d.len() != 14 {
            return Err(IdError::Length);
        }
        let last = d.len() - 1;
        if regon_check(&d[..last]) != d[last] || (d.len() == 14 && regon_check(&d[..8]) != d[8]) {
            return Err(IdError::Checksum);
        }
        Ok(Regon(to_text(&d)))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Krs(String);

impl Krs {
    /// Ten digits with leading zeros; shorter numbers are padded (`12345` → `0000012345`).
    /// The KRS has no check digit and is never written in groups, so only surrounding whitespace
    /// is dropped: a space or dash inside (or a look-alike of one) is refused (`NotDigits`).
    /// Full-width digits are read as digits.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let trimmed = input.trim();
        // any separator `compact` would drop (spaces, dashes and their look-alikes)
        if trimmed
            .chars()
            .any(|c| compact(c.encode_utf8(&mut [0; 4])).is_empty())
        {
            return Err(IdError::NotDigits);
        }
        let d = digits(&compact(trimmed))?;
        if d.is_empty() || d.len() > 10 {
            return Err(IdError::Length);
        }
        Ok(Krs(format!("{:0>10}", to_text(&d))))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Polish bank account number (26 digits), checked as IBAN `PL…` mod 97 = 1.
pub fn check_nrb(input: &str) -> Result<String, IdError> {
    let s = compact(input);
    let s = s.strip_prefix("PL").unwrap_or(&s);
    let d = digits(s)?;
    if d.len() != 26 {
        return Err(IdError::Length);
    }
    // IBAN: move country code + check digits to the end; P=25, L=21.
    let mut rem: u64 = 0;
    for x in d[2..]
        .iter()
        .chain([2, 5, 2, 1].iter())
        .chain(d[..2].iter())
    {
        rem = (rem * 10 + u64::from(*x)) % 97;
    }
    if rem != 1 {
        return Err(IdError::Checksum);
    }
    Ok(to_text(&d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nip() {
        assert!(Nip::parse("526-000-12-46").is_ok());
        assert_eq!(Nip::parse("5260001247"), Err(IdError::Checksum));
        assert_eq!(Nip::parse("52600012"), Err(IdError::Length));
        assert_eq!(Nip::parse("52600012a6"), Err(IdError::NotDigits));
    }

    #[test]
    fn regon() {
        assert!(Regon::parse("012345675").is_ok());
        assert_eq!(Regon::parse("012345676"), Err(IdError::Checksum));
        assert!(Regon::parse("12345678512347").is_ok());
    }

    #[test]
    fn krs_pads() {
        assert_eq!(Krs::parse("12345").map(|k| k.0), Ok("0000012345".into()));
        assert_eq!(Krs::parse("12345678901"), Err(IdError::Length));
    }

    #[test]
    fn nrb() {
        assert!(check_nrb("PL61 1090 1014 0000 0712 1981 2874").is_ok());
        assert_eq!(
            check_nrb("61 1090 1014 0000 0712 1981 2875"),
            Err(IdError::Checksum)
        );
    }

    #[test]
    fn written_as_people_write_them() {
        assert_eq!(
            Nip::parse("pl5260001246").map(|n| n.0),
            Ok("5260001246".into())
        );
        assert_eq!(
            Nip::parse(" Pl 526-000-12-46 ").map(|n| n.0),
            Ok("5260001246".into())
        );
        assert_eq!(
            Nip::parse(
                "\u{FF15}\u{FF12}\u{FF16}\u{FF10}\u{FF10}\u{FF10}\u{FF11}\u{FF12}\u{FF14}\u{FF16}"
            )
            .map(|n| n.0),
            Ok("5260001246".into())
        );
        assert_eq!(
            Nip::parse("526\u{2013}000\u{00A0}12 46").map(|n| n.0),
            Ok("5260001246".into())
        );
        assert_eq!(Nip::parse("DE5260001246"), Err(IdError::NotDigits));
        assert_eq!(
            Regon::parse("０１２３４５６７５").map(|r| r.0),
            Ok("012345675".into())
        );
        assert_eq!(
            Krs::parse(" 0000012345\n").map(|k| k.0),
            Ok("0000012345".into())
        );
        assert_eq!(
            Krs::parse("００００１２３４５").map(|k| k.0),
            Ok("0000012345".into())
        );
    }

    #[test]
    fn fourteen_digit_regon_needs_both_check_digits() {
        // 123456785 is a valid REGON; 12345678612340 ends in a valid 14-digit check digit but
        // its first nine digits are not a REGON.
        assert!(Regon::parse("12345678512347").is_ok());
        let body = [1, 2, 3, 4, 5, 6, 7, 8, 6, 1, 2, 3, 4];
        let last = naive::regon_check(&body);
        let n: String = body.iter().map(|d| d.to_string()).collect::<String>() + &last.to_string();
        assert_eq!(Regon::parse(&n), Err(IdError::Checksum), "{n}");
    }

    #[test]
    fn krs_with_a_space_or_dash_inside_is_refused() {
        assert_eq!(Krs::parse("00000 12345"), Err(IdError::NotDigits));
        assert_eq!(Krs::parse("0000-012345"), Err(IdError::NotDigits));
        assert_eq!(Krs::parse("0000\u{2013}012345"), Err(IdError::NotDigits));
        assert_eq!(Krs::parse("0000\u{00A0}012345"), Err(IdError::NotDigits));
        assert_eq!(Krs::parse(""), Err(IdError::Length));
    }

    /// A second, plain implementation of the checksums written from the rules (the GUS and
    /// Ministry of Finance descriptions), to check the parser against on many random numbers.
    mod naive {
        pub fn nip_ok(d: &[u32]) -> bool {
            let w = [6, 5, 7, 2, 3, 4, 5, 6, 7];
            let mut sum = 0;
            for i in 0..9 {
                sum += w[i] * d[i];
            }
            sum % 11 != 10 && sum % 11 == d[9]
        }
        pub fn regon_check(body: &[u32]) -> u32 {
            let w: Vec<u32> = if body.len() == 8 {
                vec![8, 9, 2, 3, 4, 5, 6, 7]
            } else {
                vec![2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8]
            };
            let mut sum = 0;
            for i in 0..body.len() {
                sum += w[i] * body[i];
            }
            let r = sum % 11;
            if r == 10 { 0 } else { r }
        }
        pub fn regon_ok(d: &[u32]) -> bool {
            match d.len() {
                9 => regon_check(&d[..8]) == d[8],
                14 => regon_check(&d[..8]) == d[8] && regon_check(&d[..13]) == d[13],
                _ => false,
            }
        }
    }

    fn text(d: &[u32]) -> String {
        d.iter().map(|x| x.to_string()).collect()
    }

    /// Thousands of random numbers (a fixed seed, so a failure repeats), half of them made valid
    /// on purpose, in several spellings: the parser and the plain implementation agree.
    #[test]
    fn checksums_agree_with_a_second_implementation() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(14);
        let (mut valid_nip, mut valid_regon) = (0, 0);
        for i in 0..20_000 {
            // NIP
            let mut d: Vec<u32> = (0..10).map(|_| rng.random_range(0..10)).collect();
            if i % 2 == 0 {
                let s: u32 = d
                    .iter()
                    .zip([6, 5, 7, 2, 3, 4, 5, 6, 7])
                    .map(|(a, b)| a * b)
                    .sum();
                d[9] = s % 11 % 10;
            }
            let want = naive::nip_ok(&d);
            valid_nip += usize::from(want);
            let plain = text(&d);
            let spellings = [
                plain.clone(),
                format!("PL{plain}"),
                format!(
                    "pl {}-{}-{}-{}",
                    &plain[..3],
                    &plain[3..6],
                    &plain[6..8],
                    &plain[8..]
                ),
                plain
                    .chars()
                    .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
                    .collect(),
            ];
            for s in &spellings {
                assert_eq!(Nip::parse(s).is_ok(), want, "NIP {s:?}");
                if want {
                    assert_eq!(Nip::parse(s).unwrap().0, plain);
                }
            }
            // REGON, 9 or 14 digits
            let len = if i % 3 == 0 { 9 } else { 14 };
            let mut d: Vec<u32> = (0..len).map(|_| rng.random_range(0..10)).collect();
            match i % 4 {
                0 => {
                    d[8] = naive::regon_check(&d[..8]);
                    if len == 14 {
                        d[13] = naive::regon_check(&d[..13]);
                    }
                }
                1 if len == 14 => d[13] = naive::regon_check(&d[..13]),
                _ => {}
            }
            let want = naive::regon_ok(&d);
            valid_regon += usize::from(want);
            let plain = text(&d);
            assert_eq!(Regon::parse(&plain).is_ok(), want, "REGON {plain}");
            assert_eq!(
                Regon::parse(&format!(" {} {} ", &plain[..4], &plain[4..])).is_ok(),
                want
            );
            // a digit too few is never a REGON
            assert_eq!(Regon::parse(&plain[..len - 1]), Err(IdError::Length));
        }
        assert!(
            valid_nip > 9_000 && valid_regon > 4_000,
            "{valid_nip} {valid_regon}"
        );
    }
}
