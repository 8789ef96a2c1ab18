//! Page links that keep the current filters in the URL.

pub const PER_PAGE: u64 = 20;

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
    let hi = (current + 3).min(total_pages);
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

/// Page number from the query (`strona`), at least 1.
pub fn page_param(p: Option<u64>) -> u64 {
    p.unwrap_or(1).max(1)
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
}
