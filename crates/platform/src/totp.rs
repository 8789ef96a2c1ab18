//! Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) for officials
//! and administrators, and single-use recovery codes.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha1::Sha1;
use sha2::{Digest, Sha256};

const STEP: i64 = 30;
const DIGITS: u32 = 6;
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A new random secret (160 bits) in base32, as authenticator apps expect.
pub fn new_secret() -> String {
    let mut buf = [0u8; 20];
    rand::rng().fill_bytes(&mut buf);
    base32(&buf)
}

pub fn base32(data: &[u8]) -> String {
    let mut out = String::new();
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &b in data {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            out.push(BASE32[((buffer >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(BASE32[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

pub fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for c in s.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let v = BASE32
            .iter()
            .position(|&b| b as char == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            out.push(((buffer >> (bits - 8)) & 0xff) as u8);
            bits -= 8;
        }
    }
    Some(out)
}

/// The code for a Unix time.
pub fn code_at(secret_b32: &str, unix: i64) -> Option<String> {
    let key = base32_decode(secret_b32)?;
    let counter = (unix.div_euclid(STEP)) as u64;
    let mut mac = Hmac::<Sha1>::new_from_slice(&key).ok()?;
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = (h[h.len() - 1] & 0x0f) as usize;
    let bin = (u32::from(h[offset]) & 0x7f) << 24
        | u32::from(h[offset + 1]) << 16
        | u32::from(h[offset + 2]) << 8
        | u32::from(h[offset + 3]);
    Some(format!(
        "{:0width$}",
        bin % 10u32.pow(DIGITS),
        width = DIGITS as usize
    ))
}

/// Accepts the code of the current step or one step either side (clock drift).
pub fn verify(secret_b32: &str, code: &str, unix: i64) -> bool {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS as usize {
        return false;
    }
    (-1..=1).any(|d| code_at(secret_b32, unix + d * STEP).is_some_and(|c| c == code))
}

/// The `otpauth://` URI to type or paste into an authenticator app.
pub fn uri(secret_b32: &str, account: &str, issuer: &str) -> String {
    let enc = |s: &str| {
        url::form_urlencoded::byte_serialize(s.as_bytes())
            .collect::<String>()
            .replace('+', "%20")
    };
    format!(
        "otpauth://totp/{}:{}?secret={secret_b32}&issuer={}&algorithm=SHA1&digits=6&period=30",
        enc(issuer),
        enc(account),
        enc(issuer)
    )
}

/// Ten recovery codes like `7f3k-q9xm-2b`; returns (codes to show once, hashes to store).
pub fn recovery_codes() -> (Vec<String>, Vec<String>) {
    let alphabet = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut codes = Vec::new();
    for _ in 0..10 {
        let mut buf = [0u8; 10];
        rand::rng().fill_bytes(&mut buf);
        let raw: String = buf
            .iter()
            .map(|b| alphabet[(*b as usize) % alphabet.len()] as char)
            .collect();
        codes.push(format!("{}-{}-{}", &raw[..4], &raw[4..8], &raw[8..]));
    }
    let hashes = codes.iter().map(|c| hash_recovery(c)).collect();
    (codes, hashes)
}

/// Recovery codes carry ~50 bits of randomness, so a plain SHA-256 is enough to store them.
pub fn hash_recovery(code: &str) -> String {
    let normalized: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    hex::encode(Sha256::digest(normalized.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_sha1_vectors() {
        // RFC 6238 appendix B: secret "12345678901234567890", 8-digit codes end in these 6 digits.
        let secret = base32(b"12345678901234567890");
        assert_eq!(code_at(&secret, 59).as_deref(), Some("287082"));
        assert_eq!(code_at(&secret, 1_111_111_109).as_deref(), Some("081804"));
        assert_eq!(code_at(&secret, 2_000_000_000).as_deref(), Some("279037"));
    }

    #[test]
    fn window_and_format() {
        let s = new_secret();
        assert_eq!(base32_decode(&s).map(|k| k.len()), Some(20));
        let now = 1_800_000_000;
        let c = code_at(&s, now).expect("code");
        assert!(verify(&s, &c, now + 29));
        assert!(verify(&s, &format!("{} {}", &c[..3], &c[3..]), now));
        assert!(!verify(&s, &c, now + 95));
        assert!(!verify(&s, "12345", now));
    }

    #[test]
    fn recovery_codes_hash_consistently() {
        let (codes, hashes) = recovery_codes();
        assert_eq!(codes.len(), 10);
        assert_eq!(hash_recovery(&codes[3].to_uppercase()), hashes[3]);
        assert!(
            uri("ABC", "jan@example.pl", "Wspólnie")
                .starts_with("otpauth://totp/Wsp%C3%B3lnie:jan%40example.pl?secret=ABC")
        );
    }
}
