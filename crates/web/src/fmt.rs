//! Dates for people: Europe/Warsaw time, Polish or English month names.

use chrono::{DateTime, Datelike, Timelike, Utc};
use wspolnie_core::time::to_local;
use wspolnie_platform::i18n::Lang;

const PL_MONTHS_GEN: [&str; 12] = [
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
];
const PL_MONTHS_SHORT: [&str; 12] = [
    "sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru",
];
const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const EN_MONTHS_SHORT: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const PL_WEEKDAYS: [&str; 7] = [
    "poniedziałek",
    "wtorek",
    "środa",
    "czwartek",
    "piątek",
    "sobota",
    "niedziela",
];
const EN_WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// `21 listopada 2026` / `21 November 2026`.
pub fn date(lang: Lang, t: DateTime<Utc>) -> String {
    let l = to_local(t);
    let m = l.month0() as usize;
    match lang {
        Lang::Pl => format!("{} {} {}", l.day(), PL_MONTHS_GEN[m], l.year()),
        Lang::En => format!("{} {} {}", l.day(), EN_MONTHS[m], l.year()),
    }
}

/// Day number and short month for a date badge.
pub fn day_month(lang: Lang, t: DateTime<Utc>) -> (String, String) {
    let l = to_local(t);
    let m = l.month0() as usize;
    let month = match lang {
        Lang::Pl => PL_MONTHS_SHORT[m],
        Lang::En => EN_MONTHS_SHORT[m],
    };
    (l.day().to_string(), month.to_owned())
}

/// `sobota, 21 listopada 2026, 10:00–12:00` (an event spanning days shows both dates).
pub fn range(lang: Lang, start: DateTime<Utc>, end: DateTime<Utc>) -> String {
    let s = to_local(start);
    let e = to_local(end);
    let wd = s.weekday().num_days_from_monday() as usize;
    let weekday = match lang {
        Lang::Pl => PL_WEEKDAYS[wd],
        Lang::En => EN_WEEKDAYS[wd],
    };
    if s.date_naive() == e.date_naive() {
        format!(
            "{weekday}, {}, {:02}:{:02}–{:02}:{:02}",
            date(lang, start),
            s.hour(),
            s.minute(),
            e.hour(),
            e.minute()
        )
    } else {
        format!(
            "{weekday}, {}, {:02}:{:02} – {}, {:02}:{:02}",
            date(lang, start),
            s.hour(),
            s.minute(),
            date(lang, end),
            e.hour(),
            e.minute()
        )
    }
}

/// A `<time datetime>` value: Warsaw time to the second with its offset
/// (`2026-12-06T10:00:00+01:00`), never fractions of a second (issue 16: the stored times
/// carried nanoseconds, which validators and some readers do not take).
pub fn iso(t: DateTime<Utc>) -> String {
    to_local(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// `21 listopada 2026, 14:05` in Warsaw time.
pub fn datetime(lang: Lang, t: DateTime<Utc>) -> String {
    let l = to_local(t);
    format!("{}, {:02}:{:02}", date(lang, t), l.hour(), l.minute())
}

/// A sphere of public benefit as shown to people: its code and name in the page's language.
pub fn sphere_name(
    lang: wspolnie_platform::i18n::Lang,
    s: &wspolnie_platform::entity::sphere::Model,
) -> String {
    match lang {
        wspolnie_platform::i18n::Lang::Pl => format!("{}. {}", s.code, s.name_pl),
        wspolnie_platform::i18n::Lang::En => format!("{}. {}", s.code, s.name_en),
    }
}

pub fn group_name(
    lang: wspolnie_platform::i18n::Lang,
    g: &wspolnie_platform::entity::target_group::Model,
) -> String {
    match lang {
        wspolnie_platform::i18n::Lang::Pl => g.name_pl.clone(),
        wspolnie_platform::i18n::Lang::En => g.name_en.clone(),
    }
}

#[cfg(test)]
mod iso_tests {
    use chrono::TimeZone;

    #[test]
    fn iso_is_to_the_second_with_the_warsaw_offset() {
        let t = chrono::Utc
            .with_ymd_and_hms(2026, 12, 6, 9, 0, 0)
            .single()
            .expect("time")
            + chrono::Duration::nanoseconds(123_456_789);
        assert_eq!(super::iso(t), "2026-12-06T10:00:00+01:00");
        let summer = chrono::Utc
            .with_ymd_and_hms(2026, 7, 1, 8, 30, 15)
            .single()
            .expect("time");
        assert_eq!(super::iso(summer), "2026-07-01T10:30:15+02:00");
    }
}
