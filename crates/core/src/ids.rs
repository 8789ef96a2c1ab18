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

fn digits(input: &str, allowed_sep: &[char]) -> Result<Vec<u32>, IdError> {
    let mut out = Vec::new();
    for c in input.trim().chars() {
        if allowed_sep.contains(&c) {
            continue;
        }
        out.push(c.to_digit(10).ok_or(IdError::NotDigits)?);
    }
    Ok(out)
}

fn weighted(d: &[u32], weights: &[u32]) -> u32 {
    d.iter().zip(weights).map(|(a, b)| a * b).sum()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nip(String);

impl Nip {
    /// Accepts `1234563218`, `123-456-32-18` or `PL1234563218`.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let s = input.trim();
        let s = s.strip_prefix("PL").unwrap_or(s);
        let d = digits(s, &['-', ' '])?;
        if d.len() != 10 {
            return Err(IdError::Length);
        }
        let sum = weighted(&d, &[6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11;
        if sum == 10 || sum != d[9] {
            return Err(IdError::Checksum);
        }
        Ok(Nip(d.iter().map(|x| char::from(b'0' + *x as u8)).collect()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Regon(String);

impl Regon {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let d = digits(input, &['-', ' '])?;
        let (weights, check): (&[u32], usize) = match d.len() {
            9 => (&[8, 9, 2, 3, 4, 5, 6, 7], 8),
            14 => (&[2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8], 13),
            _ => return Err(IdError::Length),
        };
        let sum = weighted(&d, weights) % 11 % 10;
        if sum != d[check] {
            return Err(IdError::Checksum);
        }
        Ok(Regon(
            d.iter().map(|x| char::from(b'0' + *x as u8)).collect(),
        ))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Krs(String);

impl Krs {
    /// Ten digits with leading zeros; shorter numbers are padded (`12345` → `0000012345`).
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let d = digits(input, &[' '])?;
        if d.is_empty() || d.len() > 10 {
            return Err(IdError::Length);
        }
        let s: String = d.iter().map(|x| char::from(b'0' + *x as u8)).collect();
        Ok(Krs(format!("{s:0>10}")))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Polish bank account number (26 digits), checked as IBAN `PL…` mod 97 = 1.
pub fn check_nrb(input: &str) -> Result<String, IdError> {
    let s = input.trim();
    let s = s.strip_prefix("PL").unwrap_or(s);
    let d = digits(s, &[' ', '-'])?;
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
    Ok(d.iter().map(|x| char::from(b'0' + *x as u8)).collect())
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
}
