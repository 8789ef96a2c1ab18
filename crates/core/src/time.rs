//! Time in Europe/Warsaw: storage is UTC, display and deadlines are local. Polish public holidays
//! and the KPA art. 57 rule (a deadline ending on a Saturday or holiday moves to the next day).

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone,
    Timelike, Utc, Weekday,
};
use chrono_tz::Europe::Warsaw;

pub const TZ: chrono_tz::Tz = Warsaw;

pub fn to_local(t: DateTime<Utc>) -> DateTime<chrono_tz::Tz> {
    t.with_timezone(&Warsaw)
}

/// A wall-clock time in Warsaw to UTC. At the autumn change (doubled hour) the earlier instant is
/// taken; at the spring change (missing hour) `None` is returned so a form can ask again.
pub fn local_to_utc(naive: NaiveDateTime) -> Option<DateTime<Utc>> {
    match Warsaw.from_local_datetime(&naive) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, _) => Some(a.with_timezone(&Utc)),
        LocalResult::None => None,
    }
}

fn easter(year: i32) -> Option<NaiveDate> {
    // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

/// Statutory public holidays in Poland (Sundays are handled separately).
pub fn is_public_holiday(d: NaiveDate) -> bool {
    let fixed = [
        (1, 1),
        (1, 6),
        (5, 1),
        (5, 3),
        (8, 15),
        (11, 1),
        (11, 11),
        (12, 25),
        (12, 26),
    ];
    if fixed.contains(&(d.month(), d.day())) {
        return true;
    }
    if d.year() >= 2025 && d.month() == 12 && d.day() == 24 {
        return true;
    }
    if let Some(e) = easter(d.year()) {
        let movable = [
            e,
            e + Duration::days(1),
            e + Duration::days(49),
            e + Duration::days(60),
        ];
        if movable.contains(&d) {
            return true;
        }
    }
    false
}

pub fn is_working_day(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !is_public_holiday(d)
}

/// KPA art. 57: `days` counted from the day after `from`; if the last day is a Saturday, Sunday or
/// public holiday the deadline moves to the next day that is none of these.
pub fn deadline_after(from: NaiveDate, days: i64) -> NaiveDate {
    let mut d = from + Duration::days(days);
    while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) || is_public_holiday(d) {
        d += Duration::days(1);
    }
    d
}

/// Adds working days (Mon–Fri, not holidays).
pub fn add_working_days(from: NaiveDate, days: u32) -> NaiveDate {
    let mut d = from;
    let mut left = days;
    while left > 0 {
        d += Duration::days(1);
        if is_working_day(d) {
            left -= 1;
        }
    }
    d
}

/// A date as typed into a form: the ISO form a browser's date picker sends (`2027-03-27`), or the
/// Polish way of writing it (`27.03.2027`, `27.3.2027`) where a browser shows a plain text field.
pub fn parse_form_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d.%m.%Y"))
        .ok()
        .filter(|d| (1900..=9999).contains(&d.year()))
}

/// A time of day as typed into a form: `18:00` (what a time picker sends), with seconds
/// (`18:00:00`, sent when the field has a step), or with a dot (`18.00`); seconds are dropped.
pub fn parse_form_time(s: &str) -> Option<NaiveTime> {
    let s = s.trim();
    ["%H:%M", "%H:%M:%S", "%H.%M"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(s, f).ok())
        .and_then(|t| t.with_second(0))
}

/// Today in Warsaw.
pub fn today() -> NaiveDate {
    to_local(Utc::now()).date_naive()
}

#[cfg(test)]
mod tests {
    #[test]
    fn form_dates_and_times_in_the_pickers_and_the_polish_forms() {
        use super::{parse_form_date, parse_form_time};
        let d = NaiveDate::from_ymd_opt(2027, 3, 7);
        assert_eq!(parse_form_date("2027-03-07"), d);
        assert_eq!(parse_form_date(" 07.03.2027 "), d);
        assert_eq!(parse_form_date("7.3.2027"), d);
        assert_eq!(parse_form_date(""), None);
        assert_eq!(parse_form_date("31.02.2027"), None);
        assert_eq!(parse_form_date("0001-01-01"), None);
        let t = NaiveTime::from_hms_opt(18, 5, 0);
        assert_eq!(parse_form_time("18:05"), t);
        assert_eq!(parse_form_time("18:05:59"), t);
        assert_eq!(parse_form_time("18.05"), t);
        assert_eq!(parse_form_time("9:05"), NaiveTime::from_hms_opt(9, 5, 0));
        assert_eq!(parse_form_time(""), None);
        assert_eq!(parse_form_time("24:00"), None);
    }

    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn holidays() {
        assert_eq!(easter(2026), Some(date(2026, 4, 5)));
        assert!(is_public_holiday(date(2026, 4, 6)));
        assert!(is_public_holiday(date(2026, 6, 4))); // Corpus Christi 2026
        assert!(is_public_holiday(date(2025, 12, 24)));
        assert!(!is_public_holiday(date(2024, 12, 24)));
    }

    #[test]
    fn kpa_deadline() {
        // 21 days after Fri 2026-10-23 is Fri 2026-11-13: a working day.
        assert_eq!(deadline_after(date(2026, 10, 23), 21), date(2026, 11, 13));
        // Ends on Wed 11 Nov (holiday) → Thu 12 Nov.
        assert_eq!(deadline_after(date(2026, 10, 21), 21), date(2026, 11, 12));
        // Ends on Saturday 2026-11-14 → Monday 16.
        assert_eq!(deadline_after(date(2026, 10, 24), 21), date(2026, 11, 16));
    }

    #[test]
    fn dst() {
        let missing = NaiveDate::from_ymd_opt(2026, 3, 29).and_then(|d| d.and_hms_opt(2, 30, 0));
        assert_eq!(missing.and_then(local_to_utc), None);
        let doubled = NaiveDate::from_ymd_opt(2026, 10, 25).and_then(|d| d.and_hms_opt(2, 30, 0));
        assert_eq!(
            doubled.and_then(local_to_utc).map(|t| t.to_rfc3339()),
            Some("2026-10-25T00:30:00+00:00".into())
        );
    }

    #[test]
    fn working_days() {
        assert_eq!(add_working_days(date(2026, 11, 6), 7), date(2026, 11, 18));
    }
}
