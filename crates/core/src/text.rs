//! Polish text helpers: accent folding for search and slugs for public URLs.

/// Folds Polish (and common Latin) diacritics and lowercases, so that `Łódź` and `lodz` or
/// `Związek` and `ZWIAZEK` compare equal. Used to fill `*_fold` / `search_text` columns.
pub fn fold_pl(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for ch in input.chars() {
        match ch {
            'ą' | 'Ą' => out.push('a'),
            'ć' | 'Ć' => out.push('c'),
            'ę' | 'Ę' => out.push('e'),
            'ł' | 'Ł' => out.push('l'),
            'ń' | 'Ń' => out.push('n'),
            'ó' | 'Ó' => out.push('o'),
            'ś' | 'Ś' => out.push('s'),
            'ź' | 'Ź' | 'ż' | 'Ż' => out.push('z'),
            'á' | 'à' | 'â' | 'ä' | 'Á' | 'À' | 'Â' | 'Ä' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' | 'ě' | 'Ě' => out.push('e'),
            'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => out.push('i'),
            'ö' | 'ô' | 'ò' | 'Ö' | 'Ô' | 'Ò' => out.push('o'),
            'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' | 'ů' | 'Ů' => out.push('u'),
            'č' | 'Č' => out.push('c'),
            'š' | 'Š' => out.push('s'),
            'ž' | 'Ž' => out.push('z'),
            'ř' | 'Ř' => out.push('r'),
            'ý' | 'Ý' => out.push('y'),
            'ß' => out.push_str("ss"),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Search terms of a query: folded words, punctuation dropped. Empty words are skipped.
pub fn search_terms(query: &str) -> Vec<String> {
    fold_pl(query)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Folded words of a text joined by single spaces, with a leading and trailing space so that
/// a prefix match on a word is a plain `LIKE '% term%'` on both databases.
pub fn search_text(parts: &[&str]) -> String {
    let mut s = String::from(" ");
    for part in parts {
        for w in search_terms(part) {
            s.push_str(&w);
            s.push(' ');
        }
    }
    s
}

/// A URL slug from a Polish title: `Fundacja „Łąka” – Kraków` → `fundacja-laka-krakow`.
pub fn slugify(input: &str) -> String {
    let folded = fold_pl(input);
    let mut slug = String::with_capacity(folded.len());
    let mut dash = false;
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
            dash = false;
        } else if !dash && !slug.is_empty() {
            slug.push('-');
            dash = true;
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.len() > 80 {
        slug.truncate(80);
        while slug.ends_with('-') {
            slug.pop();
        }
    }
    slug
}

/// A sort key whose byte order is Polish alphabetical order (a < ą < b < c < ć … z < ź < ż), case
/// folded, so a database can `ORDER BY` it on both backends. Each letter becomes two characters:
/// its position in the Polish alphabet and a variant digit; other characters keep their folded form.
pub fn pl_sort_key(input: &str) -> String {
    const ORDER: &str = "aąbcćdeęfghijklłmnńoópqrsśtuvwxyzźż";
    let mut out = String::with_capacity(input.len() * 2);
    for c in input.chars().flat_map(char::to_lowercase) {
        if let Some(p) = ORDER.chars().position(|o| o == c) {
            out.push(char::from(b'A' + (p as u8 / 10)));
            out.push(char::from(b'0' + (p as u8 % 10)));
        } else if c.is_alphanumeric() {
            // Letters outside the Polish alphabet sort as their base letter; digits before letters.
            let folded = fold_pl(&c.to_string());
            match folded
                .chars()
                .next()
                .and_then(|f| ORDER.chars().position(|o| o == f))
            {
                Some(p) => {
                    out.push(char::from(b'A' + (p as u8 / 10)));
                    out.push(char::from(b'0' + (p as u8 % 10)));
                }
                None => {
                    out.push('0');
                    out.push(c);
                }
            }
        } else if c.is_whitespace() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out
}

/// Compares two Polish strings in Polish alphabetical order (a < ą < b < c < ć …), case-insensitively
/// first and then by case, so that lists of names sort as a Polish reader expects.
pub fn cmp_pl(a: &str, b: &str) -> std::cmp::Ordering {
    fn key(c: char) -> (u32, u32) {
        const ORDER: &str = "aąbcćdeęfghijklłmnńoópqrsśtuvwxyzźż";
        let lower = c.to_lowercase().next().unwrap_or(c);
        match ORDER.chars().position(|o| o == lower) {
            Some(p) => (p as u32, 0),
            None => {
                let folded = fold_pl(&lower.to_string());
                match folded
                    .chars()
                    .next()
                    .and_then(|f| ORDER.chars().position(|o| o == f))
                {
                    Some(p) => (p as u32, lower as u32),
                    None => (1000 + lower as u32, 0),
                }
            }
        }
    }
    let primary = a.chars().map(key).cmp(b.chars().map(key));
    primary.then_with(|| a.cmp(b))
}

/// The text without control characters other than line breaks, trimmed; `None` when longer
/// than `max` characters.
pub fn clean(s: &str, max: usize) -> Option<String> {
    let t: String = s
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect::<String>()
        .trim()
        .to_owned();
    (t.chars().count() <= max).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_polish_letters() {
        assert_eq!(fold_pl("Związek Łódź ŻÓŁW gęś"), "zwiazek lodz zolw ges");
        assert_eq!(fold_pl("ZAŻÓŁĆ GĘŚLĄ JAŹŃ"), "zazolc gesla jazn");
    }

    #[test]
    fn search_text_has_word_boundaries() {
        let s = search_text(&["Fundacja „Łąka”", "Kraków-Nowa Huta"]);
        assert_eq!(s, " fundacja laka krakow nowa huta ");
        assert!(s.contains(" kra"));
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Fundacja „Łąka” – Kraków"), "fundacja-laka-krakow");
        assert_eq!(slugify("  --Ż--  "), "z");
    }

    #[test]
    fn sort_key_orders_like_cmp_pl() {
        let mut v = vec![
            "Żubr",
            "Zając",
            "Ćma",
            "Cebula",
            "Łoś",
            "Lis",
            "ąb",
            "az",
            "Fundacja 1",
            "Fundacja Ą",
        ];
        let mut by_key = v.clone();
        by_key.sort_by_key(|s| pl_sort_key(s));
        v.sort_by(|a, b| cmp_pl(a, b));
        assert_eq!(
            by_key,
            vec![
                "az",
                "ąb",
                "Cebula",
                "Ćma",
                "Fundacja 1",
                "Fundacja Ą",
                "Lis",
                "Łoś",
                "Zając",
                "Żubr"
            ]
        );
        assert_eq!(pl_sort_key("Łoś").len(), 6);
    }

    #[test]
    fn polish_order() {
        let mut v = vec!["Żubr", "Zając", "Ćma", "Cebula", "Łoś", "Lis", "ąb", "az"];
        v.sort_by(|a, b| cmp_pl(a, b));
        assert_eq!(
            v,
            vec!["az", "ąb", "Cebula", "Ćma", "Lis", "Łoś", "Zając", "Żubr"]
        );
    }
}
