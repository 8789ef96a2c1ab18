//! Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) for officials
//! and administrators, with the `totp-rs` crate, and single-use recovery codes (our own).

use rand::RngCore;
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Builder, Secret, Totp};

const STEP: u64 = 30;
const DIGITS: u8 = 6;

/// A new random secret (160 bits) in base32, as authenticator apps expect.
pub fn new_secret() -> String {
    let mut buf = [0u8; 20];
    rand::rng().fill_bytes(&mut buf);
    base32(&buf)
}

/// RFC 4648 base32 without padding.
pub fn base32(data: &[u8]) -> String {
    Secret::from(data.to_vec()).to_base32()
}

/// Reads base32 as people type it: lower case, spaces between groups and padding are allowed.
pub fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let s: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    Secret::try_from_base32(s)
        .ok()
        .map(|k| k.as_bytes().to_vec())
}

/// SHA-1, 6 digits, 30-second steps, one step of clock drift either side. Built without the
/// crate's RFC checks so that a key of any length works as it always has (ours have 160 bits).
fn totp(secret_b32: &str) -> Option<Totp> {
    let key = base32_decode(secret_b32)?;
    Some(
        Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(DIGITS)
            .with_step_duration(STEP)
            .with_skew(1)
            .with_secret(key)
            .build_noncompliant(),
    )
}

/// The code for a Unix time.
pub fn code_at(secret_b32: &str, unix: i64) -> Option<String> {
    let unix = u64::try_from(unix).ok()?;
    Some(totp(secret_b32)?.generate(unix).to_string())
}

/// Accepts the code of the current step or one step either side (clock drift).
pub fn verify(secret_b32: &str, code: &str, unix: i64) -> bool {
    matching_step(secret_b32, code, unix).is_some()
}

/// The time step (Unix time / 30) whose code `code` is, among the current step and one either
/// side; `None` for a wrong code. A caller that accepts the code must remember the step and
/// refuse it (and earlier ones) afterwards: RFC 6238 §5.2, a code is good once.
pub fn matching_step(secret_b32: &str, code: &str, unix: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let totp = totp(secret_b32)?;
    let unix = u64::try_from(unix).ok()?;
    totp.check(&code, unix).and_then(|s| i64::try_from(s).ok())
}

/// The time step of a Unix time.
pub fn step_of(unix: i64) -> i64 {
    unix.div_euclid(STEP as i64)
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
    fn base32_as_typed() {
        let key = b"12345678901234567890";
        assert_eq!(base32(key), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(
            base32_decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq").as_deref(),
            Some(&key[..])
        );
        assert_eq!(base32_decode("MZXW6==="), Some(b"foo".to_vec()));
        assert_eq!(base32_decode("GEZ1"), None);
    }

    #[test]
    fn one_step_either_side() {
        let s = new_secret();
        let now = 1_800_000_000; // the start of a step
        let c = code_at(&s, now).expect("code");
        assert!(verify(&s, &c, now - 30));
        assert!(verify(&s, &c, now + 59));
        assert!(!verify(&s, &c, now - 31));
        assert!(!verify(&s, &c, now + 60));
        assert!(!verify(&s, "12a456", now));
        assert!(!verify("not base32!", &c, now));
    }

    #[test]
    fn the_matching_step_is_reported() {
        let s = new_secret();
        let now = 1_800_000_000; // the start of a step
        let step = step_of(now);
        let c = code_at(&s, now).expect("code");
        assert_eq!(matching_step(&s, &c, now), Some(step));
        assert_eq!(matching_step(&s, &c, now + 30), Some(step), "one step late");
        let next = code_at(&s, now + 30).expect("code");
        assert_eq!(
            matching_step(&s, &next, now),
            Some(step + 1),
            "one step early"
        );
        assert_eq!(matching_step(&s, "12a456", now), None);
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
