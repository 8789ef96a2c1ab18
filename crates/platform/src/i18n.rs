//! Translations with Fluent. Polish is the default and the fallback; English is complete for every
//! message (a test compares the key sets). Files live in `locales/{pl,en}/*.ftl` at the repository root.

use fluent_templates::{LanguageIdentifier, Loader, fluent_bundle::FluentValue, langid};
use std::borrow::Cow;
use std::collections::HashMap;

fluent_templates::static_loader! {
    pub static LOCALES = {
        locales: "../../locales",
        fallback_language: "pl",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static PL: LanguageIdentifier = langid!("pl");
static EN: LanguageIdentifier = langid!("en");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Pl,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Pl, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Pl => "pl",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pl" | "pl-pl" => Some(Lang::Pl),
            "en" | "en-gb" | "en-us" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks a language from an `Accept-Language` header (first supported one wins).
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut langs: Vec<(f32, &str)> = header
            .split(',')
            .filter_map(|part| {
                let mut it = part.trim().split(';');
                let tag = it.next()?.trim();
                let q = it
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse().ok())
                    .unwrap_or(1.0);
                Some((q, tag))
            })
            .collect();
        langs.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
        langs
            .into_iter()
            .find_map(|(_, tag)| Lang::parse(tag.split('-').next().unwrap_or(tag)))
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::Pl => &PL,
            Lang::En => &EN,
        }
    }

    /// The message for `key`; a missing key shows itself (and is caught by the key-set test).
    pub fn t(self, key: &str) -> String {
        LOCALES
            .try_lookup(self.id(), key)
            .unwrap_or_else(|| key.to_owned())
    }

    /// The message with named arguments (`{ $name }` in the .ftl file). Numbers given as strings
    /// that parse as integers are passed as numbers so plural rules apply.
    pub fn ta(self, key: &str, args: &[(&str, &str)]) -> String {
        let mut map: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
        for (k, v) in args {
            let value = match v.parse::<i64>() {
                Ok(n) => FluentValue::from(n),
                Err(_) => FluentValue::from(v.to_string()),
            };
            map.insert(Cow::Owned((*k).to_owned()), value);
        }
        LOCALES
            .try_lookup_with_args(self.id(), key, &map)
            .unwrap_or_else(|| key.to_owned())
    }
}

/// A text entered in Polish and optionally in English, as shown in one language, with the
/// language it is in (its element gets `lang` when that differs from the page's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown<'a> {
    pub text: &'a str,
    pub lang: Lang,
}

impl Lang {
    /// The English text in English when there is one, else the Polish one.
    pub fn pick<'a>(self, pl: &'a str, en: &'a str) -> Shown<'a> {
        match self {
            Lang::En if !en.trim().is_empty() => Shown {
                text: en,
                lang: Lang::En,
            },
            _ => Shown {
                text: pl,
                lang: Lang::Pl,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(lang: &str) -> BTreeSet<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../locales")
            .join(lang);
        let mut out = BTreeSet::new();
        for entry in std::fs::read_dir(&dir).expect("locale dir") {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("ftl");
            for line in text.lines() {
                if let Some((k, _)) = line.split_once(" =")
                    && !k.starts_with(' ')
                    && !k.starts_with('#')
                    && !k.is_empty()
                {
                    out.insert(k.trim().to_owned());
                }
            }
        }
        out
    }

    #[test]
    fn english_is_complete_and_nothing_extra() {
        let pl = keys("pl");
        let en = keys("en");
        assert!(pl.len() > 50, "suspiciously few keys: {}", pl.len());
        let missing: Vec<_> = pl.difference(&en).collect();
        let extra: Vec<_> = en.difference(&pl).collect();
        assert!(missing.is_empty(), "missing in en: {missing:?}");
        assert!(extra.is_empty(), "only in en: {extra:?}");
        // Every message resolves in both languages (with the argument names our messages use).
        let args = [
            ("count", "2"),
            ("office", "Urząd"),
            ("email", "a@b.pl"),
            ("phone", "1"),
            ("name", "Anna"),
            ("link", "https://example.pl"),
            ("version", "1"),
            ("inviter", "Anna"),
            ("title", "Tytuł"),
            ("comment", "Uwagi"),
            ("line", "3"),
            ("total", "10"),
            ("date", "1 stycznia 2027"),
            ("organization", "Fundacja"),
            ("column", "nip"),
            ("message", "Ten NIP jest niepoprawny."),
            ("n", "1"),
            ("city", "Wierzbin"),
            ("activity", "Dożynki"),
            ("contact", "Anna Nowak"),
            ("offer", "Stoisko"),
            ("room", "12"),
            ("kind", "Patronat medialny"),
            ("links", "https://example.pl"),
            ("lines", "2 (x)"),
            ("max", "5000"),
            ("when", "10.12.2026, 18:00–20:00"),
            ("place", "Sala 1"),
            ("shown", "100"),
            ("done", "5"),
            ("since", "5.12.2026, 22:00"),
            ("error", "connection refused"),
            ("amount", "1 000,00 zł"),
            ("average", "27,50"),
            ("funds", "150 000,00 zł"),
            ("proposed", "900,00 zł"),
            ("requested", "1 200,00 zł"),
            ("sum", "2 000,00 zł"),
            ("weight", "2"),
            ("number", "WEKS.526.1.2027"),
            ("tolerance", "15,00 %"),
            ("value", "1 000,00 zł"),
            ("grant", "800,00 zł"),
            ("rows", "2, 5"),
            ("due", "30.07.2027"),
            ("note", "Popraw pozycję 2."),
            ("days", "3"),
            ("reason", "Brak środków."),
            ("from", "1"),
            ("to", "2"),
            ("sent", "1.12.2026"),
            ("year", "2027"),
            ("parts", "zasady współpracy"),
            ("table", "Zadania priorytetowe"),
        ];
        for k in &pl {
            assert_ne!(Lang::Pl.ta(k, &args), *k, "pl message {k} does not resolve");
            assert_ne!(Lang::En.ta(k, &args), *k, "en message {k} does not resolve");
        }
    }

    #[test]
    fn polish_plurals() {
        assert_eq!(Lang::Pl.ta("result-count", &[("count", "1")]), "1 wynik");
        assert_eq!(Lang::Pl.ta("result-count", &[("count", "3")]), "3 wyniki");
        assert_eq!(Lang::Pl.ta("result-count", &[("count", "5")]), "5 wyników");
        assert_eq!(Lang::Pl.ta("result-count", &[("count", "22")]), "22 wyniki");
        assert_eq!(Lang::En.ta("result-count", &[("count", "1")]), "1 result");
    }

    #[test]
    fn accept_language() {
        assert_eq!(
            Lang::from_accept_language("en-GB,en;q=0.9,pl;q=0.8"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_accept_language("de-DE, pl;q=0.5"),
            Some(Lang::Pl)
        );
        assert_eq!(Lang::from_accept_language("de"), None);
    }
}
