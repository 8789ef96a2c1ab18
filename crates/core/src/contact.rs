//! Contact data as people type it: web addresses, phone numbers and Polish postal codes.
//! Each function returns the value in the form we store, or `None` when it is not valid.

/// A web address. `example.org` becomes `https://example.org`; only http(s) with a host that has
/// a dot is accepted, without spaces or quotes (the value ends up in `href` attributes).
pub fn normalize_url(input: &str) -> Option<String> {
    let s = input.trim();
    if s.is_empty() || s.len() > 500 {
        return None;
    }
    let with_scheme = if s.contains("://") {
        s.to_owned()
    } else {
        format!("https://{s}")
    };
    let lower = with_scheme.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    let host_port = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host_port
        .rsplit_once('@')
        .map_or(host_port, |(_, h)| h)
        .split(':')
        .next()
        .unwrap_or("");
    let host_ok = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    let chars_ok = !with_scheme
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\' | '`'));
    (host_ok && chars_ok).then_some(with_scheme)
}

/// A phone number: digits with optional spaces, dashes, dots, brackets and a leading `+`.
/// Polish numbers have 9 digits (11 with the `48` country code); foreign ones up to 15.
/// Returned trimmed with runs of spaces collapsed.
pub fn normalize_phone(input: &str) -> Option<String> {
    let s = input.trim();
    if s.is_empty() {
        return None;
    }
    let mut digits = 0;
    for (i, c) in s.chars().enumerate() {
        match c {
            '0'..='9' => digits += 1,
            '+' if i == 0 => {}
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return None,
        }
    }
    if !(9..=15).contains(&digits) {
        return None;
    }
    Some(s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Digits of a phone number for `tel:` links (`+48 600 100 200` → `+48600100200`).
pub fn phone_digits(phone: &str) -> String {
    phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect()
}

/// A Polish postal code `NN-NNN` (`12345` is accepted and formatted).
pub fn normalize_postal_code(input: &str) -> Option<String> {
    let d: String = input.trim().chars().filter(|c| *c != '-').collect();
    if d.len() == 5 && d.chars().all(|c| c.is_ascii_digit()) {
        Some(format!("{}-{}", &d[..2], &d[2..]))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            normalize_url("example.org").as_deref(),
            Some("https://example.org")
        );
        assert_eq!(
            normalize_url(" http://fundacja.example.pl/o-nas?x=1 ").as_deref(),
            Some("http://fundacja.example.pl/o-nas?x=1")
        );
        assert_eq!(
            normalize_url("https://łąka.pl").as_deref(),
            Some("https://łąka.pl")
        );
        assert!(normalize_url("javascript:alert(1)").is_none());
        assert!(normalize_url("ftp://example.org").is_none());
        assert!(normalize_url("https://localhost").is_none());
        assert!(normalize_url("https://exa mple.org").is_none());
        assert!(normalize_url("https://example.org/\"onmouseover").is_none());
        assert!(normalize_url("").is_none());
        assert!(normalize_url("nie wiem").is_none());
    }

    #[test]
    fn phones() {
        assert_eq!(
            normalize_phone(" +48  600 100 200 ").as_deref(),
            Some("+48 600 100 200")
        );
        assert_eq!(
            normalize_phone("(12) 345-67-89").as_deref(),
            Some("(12) 345-67-89")
        );
        assert!(normalize_phone("600 100").is_none());
        assert!(normalize_phone("600 100 200 wew. 12").is_none());
        assert!(normalize_phone("60+0100200").is_none());
        assert_eq!(phone_digits("+48 600-100-200"), "+48600100200");
    }

    #[test]
    fn postal_codes() {
        assert_eq!(normalize_postal_code("12345").as_deref(), Some("12-345"));
        assert_eq!(normalize_postal_code(" 00-950 ").as_deref(), Some("00-950"));
        assert!(normalize_postal_code("1234").is_none());
        assert!(normalize_postal_code("ab-cde").is_none());
    }
}
