//! Page numbers read from the query, and page links that keep the current filters in the URL.

pub const PER_PAGE: u64 = 20;

/// The largest page number a query can ask for; larger numbers (however many digits) mean
/// this one, and the lists then show their last page.
pub const MAX_PAGE: u64 = 1_000_000;

/// A page number from the query (`strona`, the API's `page`), from 1 to [`MAX_PAGE`]. Every
/// list reads it the same lenient way: missing, empty, `0`, negative or not a number is page 1;
/// a number above [`MAX_PAGE`] (even one that fits no integer type) is [`MAX_PAGE`]; a repeated
/// key takes the first value. Reading it never fails, so a list never answers 400 or 500 for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Page(u64);

impl Default for Page {
    fn default() -> Page {
        Page(1)
    }
}

impl Page {
    pub fn parse(s: &str) -> Page {
        let s = s.trim();
        let s = s.strip_prefix('+').unwrap_or(s);
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Page(1);
        }
        match s.parse::<u64>() {
            Ok(n) => Page(n.clamp(1, MAX_PAGE)),
            Err(_) => Page(MAX_PAGE), // only digits, too many of them
        }
    }

    pub fn get(self) -> u64 {
        self.0
    }

    /// This page, or the last one of `total_items` shown `per_page` at a time.
    pub fn within(self, total_items: u64, per_page: u64) -> u64 {
        self.0.min(total_items.div_ceil(per_page.max(1)).max(1))
    }

    /// Rows to skip before page `page` (saturating, never overflowing).
    pub fn offset(page: u64, per_page: u64) -> u64 {
        page.saturating_sub(1).saturating_mul(per_page)
    }
}

impl<'de> serde::Deserialize<'de> for Page {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Page, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Page;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a page number")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Page, E> {
                Ok(Page::parse(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Page, E> {
                Ok(Page(v.clamp(1, MAX_PAGE)))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Page, E> {
                Ok(Page(v.clamp(1, MAX_PAGE as i64) as u64))
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Page, E> {
                Ok(Page(1))
            }
            fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Page, E> {
                Ok(Page(1))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Page, E> {
                Ok(Page(1))
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Page, E> {
                Ok(Page(1))
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Page, D::Error> {
                d.deserialize_any(V)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Page, A::Error> {
                let first = seq
                    .next_element::<Page>()
                    .unwrap_or_default()
                    .unwrap_or_default();
                while let Ok(Some(_)) = seq.next_element::<serde::de::IgnoredAny>() {}
                Ok(first)
            }
        }
        d.deserialize_any(V)
    }
}

pub struct PageLink {
    pub number: u64,
    pub href: String,
    pub current: bool,
}

pub struct Pages {
    pub total_pages: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub links: Vec<PageLink>,
}

/// `params` are the current filters (without the page); empty values are left out of URLs.
pub fn pages(path: &str, params: &[(&str, &str)], current: u64, total_items: u64) -> Pages {
    let total_pages = total_items.div_ceil(PER_PAGE).max(1);
    let href = |n: u64| {
        let mut pairs: Vec<(&str, String)> = params
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (*k, (*v).to_owned()))
            .collect();
        if n > 1 {
            pairs.push(("strona", n.to_string()));
        }
        match serde_urlencoded::to_string(&pairs) {
            Ok(q) if !q.is_empty() => format!("{path}?{q}"),
            _ => path.to_owned(),
        }
    };
    let lo = current.saturating_sub(3).max(1);
    let hi = current.saturating_add(3).min(total_pages);
    let mut links: Vec<PageLink> = (lo..=hi)
        .map(|n| PageLink {
            number: n,
            href: href(n),
            current: n == current,
        })
        .collect();
    if lo > 1 {
        links.insert(
            0,
            PageLink {
                number: 1,
                href: href(1),
                current: false,
            },
        );
    }
    if hi < total_pages {
        links.push(PageLink {
            number: total_pages,
            href: href(total_pages),
            current: false,
        });
    }
    Pages {
        total_pages,
        prev: (current > 1).then(|| href(current - 1)),
        next: (current < total_pages).then(|| href(current + 1)),
        links,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_filters() {
        let p = super::pages("/organizacje", &[("q", "związek"), ("sfera", "")], 2, 45);
        assert_eq!(p.total_pages, 3);
        assert_eq!(p.prev.as_deref(), Some("/organizacje?q=zwi%C4%85zek"));
        assert_eq!(
            p.next.as_deref(),
            Some("/organizacje?q=zwi%C4%85zek&strona=3")
        );
    }

    #[test]
    fn page_numbers_are_read_leniently_and_bounded() {
        use super::{MAX_PAGE, Page};
        for (q, want) in [
            ("", 1),
            ("1", 1),
            ("7", 7),
            (" 7 ", 7),
            ("+7", 7),
            ("0", 1),
            ("-1", 1),
            ("abc", 1),
            ("1.5", 1),
            ("9223372036854775808", MAX_PAGE),
            ("99999999999999999999", MAX_PAGE),
            ("1000001", MAX_PAGE),
        ] {
            assert_eq!(Page::parse(q).get(), want, "{q:?}");
        }
        #[derive(serde::Deserialize, Default)]
        #[serde(default)]
        struct Q {
            strona: Page,
        }
        let q: Q = serde_html_form::from_str("strona=-1").unwrap();
        assert_eq!(q.strona.get(), 1);
        let q: Q = serde_html_form::from_str("strona=3&strona=x").unwrap();
        assert_eq!(q.strona.get(), 3);
        let q: Q = serde_html_form::from_str("").unwrap();
        assert_eq!(q.strona.get(), 1);
        let q: Q = serde_urlencoded::from_str("strona=9223372036854775808").unwrap();
        assert_eq!(q.strona.get(), MAX_PAGE);
        assert_eq!(Page::parse("50").within(45, 20), 3);
        assert_eq!(Page::parse("50").within(0, 20), 1);
        assert_eq!(Page::offset(MAX_PAGE, u64::MAX), u64::MAX);
        let p = super::pages("/x", &[], MAX_PAGE, u64::MAX);
        assert!(p.next.is_some());
    }
}
