//! Recurring events (e.g. a weekly meeting). We store a small, strict subset of RFC 5545 RRULE:
//! `FREQ=WEEKLY|MONTHLY;INTERVAL=n;UNTIL=YYYYMMDD` (UNTIL is an inclusive date in Europe/Warsaw).
//! Occurrences are computed in local wall-clock time, so an 18:00 meeting stays at 18:00 across
//! the daylight-saving changes, exactly as calendar programs expand the iCalendar rule.

use crate::time::TZ;
use crate::time::local_to_utc;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};

/// At most this many occurrences are ever produced for one event.
pub const MAX_OCCURRENCES: usize = 260;
/// A series may run at most this many days after its first occurrence.
pub const MAX_SPAN_DAYS: i64 = 731;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Freq {
    Weekly,
    Monthly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Recurrence {
    pub freq: Freq,
    /// Every n weeks or months, 1–4.
    pub interval: u32,
    /// Last day (local) on which an occurrence may start.
    pub until: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RecurrenceError {
    #[error("the series must end after the first occurrence")]
    UntilBeforeStart,
    #[error("the series may last at most two years")]
    TooLong,
    #[error("interval must be between 1 and 4")]
    Interval,
}

impl Recurrence {
    /// Parses our stored form (and tolerates the order of parts). Anything else is `None`.
    pub fn parse(s: &str) -> Option<Recurrence> {
        let (mut freq, mut interval, mut until) = (None, 1u32, None);
        for part in s.trim().split(';').filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=')?;
            match k {
                "FREQ" => {
                    freq = Some(match v {
                        "WEEKLY" => Freq::Weekly,
                        "MONTHLY" => Freq::Monthly,
                        _ => return None,
                    })
                }
                "INTERVAL" => interval = v.parse().ok().filter(|n| (1..=4).contains(n))?,
                "UNTIL" => until = NaiveDate::parse_from_str(v, "%Y%m%d").ok(),
                _ => return None,
            }
        }
        Some(Recurrence {
            freq: freq?,
            interval,
            until: until?,
        })
    }

    /// The stored form, parsed back by [`Recurrence::parse`].
    pub fn to_stored(&self) -> String {
        format!(
            "FREQ={};INTERVAL={};UNTIL={}",
            self.freq_name(),
            self.interval,
            self.until.format("%Y%m%d")
        )
    }

    fn freq_name(&self) -> &'static str {
        match self.freq {
            Freq::Weekly => "WEEKLY",
            Freq::Monthly => "MONTHLY",
        }
    }

    /// The RFC 5545 `RRULE` value for an event whose DTSTART carries `TZID=Europe/Warsaw`:
    /// UNTIL must then be in UTC; it is the end of the `until` day in Warsaw.
    pub fn ical_rrule(&self) -> String {
        let end_of_day = self
            .until
            .succ_opt()
            .and_then(|d| local_to_utc(d.and_time(NaiveTime::MIN)))
            .map(|t| t - Duration::seconds(1))
            .unwrap_or_else(|| self.until.and_time(NaiveTime::MIN).and_utc());
        format!(
            "FREQ={};INTERVAL={};UNTIL={}",
            self.freq_name(),
            self.interval,
            end_of_day.format("%Y%m%dT%H%M%SZ")
        )
    }

    /// Checks the rule against the first occurrence's start.
    pub fn validate(&self, first_start: DateTime<Utc>) -> Result<(), RecurrenceError> {
        if !(1..=4).contains(&self.interval) {
            return Err(RecurrenceError::Interval);
        }
        let first = first_start.with_timezone(&TZ).date_naive();
        if self.until <= first {
            return Err(RecurrenceError::UntilBeforeStart);
        }
        if (self.until - first).num_days() > MAX_SPAN_DAYS {
            return Err(RecurrenceError::TooLong);
        }
        Ok(())
    }
}

/// Local start date of occurrence `k` (0 = the first), or `None` when that month has no such day
/// (a monthly series on the 31st skips short months, as RFC 5545 does).
fn nth_date(first: NaiveDate, rule: &Recurrence, k: u32) -> Option<NaiveDate> {
    match rule.freq {
        Freq::Weekly => first.checked_add_signed(Duration::weeks(i64::from(k * rule.interval))),
        Freq::Monthly => {
            let months = first.month0() + k * rule.interval;
            let year = first.year() + (months / 12) as i32;
            NaiveDate::from_ymd_opt(year, months % 12 + 1, first.day())
        }
    }
}

/// Every occurrence (start, end) of an event, in order; without a rule just the event itself.
/// An occurrence whose local start time does not exist (the spring DST gap) is moved forward by
/// an hour, as calendar programs do.
pub fn occurrences(
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    rule: Option<&Recurrence>,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let Some(rule) = rule else {
        return vec![(starts_at, ends_at)];
    };
    let length = ends_at - starts_at;
    let local = starts_at.with_timezone(&TZ).naive_local();
    let (first, time) = (local.date(), local.time());
    let mut out = Vec::new();
    let mut k = 0u32;
    while out.len() < MAX_OCCURRENCES && k < 10_000 {
        let Some(date) = nth_date(first, rule, k) else {
            k += 1;
            continue;
        };
        if date > rule.until {
            break;
        }
        k += 1;
        let naive = date.and_time(time);
        let start = local_to_utc(naive).or_else(|| local_to_utc(naive + Duration::hours(1)));
        if let Some(start) = start {
            out.push((start, start + length));
        }
    }
    out
}

/// Occurrences that overlap `[from, to)`.
pub fn occurrences_between(
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    rule: Option<&Recurrence>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    occurrences(starts_at, ends_at, rule)
        .into_iter()
        .filter(|(s, e)| *s < to && *e > from)
        .collect()
}

/// End of the last occurrence (stored as `events.last_ends_at` for range queries).
pub fn last_end(
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    rule: Option<&Recurrence>,
) -> DateTime<Utc> {
    occurrences(starts_at, ends_at, rule)
        .last()
        .map_or(ends_at, |(_, e)| *e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDateTime, Timelike};

    fn warsaw(s: &str) -> DateTime<Utc> {
        local_to_utc(NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("date"))
            .expect("exists")
    }

    #[test]
    fn weekly_keeps_local_time_across_dst() {
        let rule = Recurrence {
            freq: Freq::Weekly,
            interval: 1,
            until: NaiveDate::from_ymd_opt(2027, 4, 15).expect("date"),
        };
        let s = warsaw("2027-03-18 18:00");
        let occ = occurrences(s, s + Duration::hours(2), Some(&rule));
        assert_eq!(occ.len(), 5); // 18, 25 March, 1, 8, 15 April
        for (start, end) in &occ {
            let l = start.with_timezone(&TZ);
            assert_eq!((l.hour(), l.minute()), (18, 0), "{l}");
            assert_eq!(*end - *start, Duration::hours(2));
        }
        // 28 March 2027 is the change to summer time: UTC hour moves from 17 to 16.
        assert_eq!(occ[1].0.hour(), 17);
        assert_eq!(occ[2].0.hour(), 16);
        assert_eq!(last_end(s, s + Duration::hours(2), Some(&rule)), occ[4].1);
    }

    #[test]
    fn monthly_skips_missing_days_and_interval_applies() {
        let rule = Recurrence {
            freq: Freq::Monthly,
            interval: 1,
            until: NaiveDate::from_ymd_opt(2027, 5, 31).expect("date"),
        };
        let s = warsaw("2027-01-31 10:00");
        let days: Vec<u32> = occurrences(s, s + Duration::hours(1), Some(&rule))
            .iter()
            .map(|(t, _)| t.with_timezone(&TZ).month())
            .collect();
        assert_eq!(days, vec![1, 3, 5], "February and April have no 31st");
        let every2 = Recurrence {
            freq: Freq::Weekly,
            interval: 2,
            until: NaiveDate::from_ymd_opt(2027, 2, 28).expect("date"),
        };
        let s = warsaw("2027-02-01 10:00");
        assert_eq!(occurrences(s, s, Some(&every2)).len(), 2); // 1 and 15 February
    }

    #[test]
    fn stored_and_ical_forms() {
        let r = Recurrence::parse("FREQ=WEEKLY;INTERVAL=2;UNTIL=20270630").expect("parses");
        assert_eq!(r.interval, 2);
        assert_eq!(r.to_stored(), "FREQ=WEEKLY;INTERVAL=2;UNTIL=20270630");
        // 30 June ends at 23:59:59 in Warsaw = 21:59:59 UTC (summer time).
        assert_eq!(
            r.ical_rrule(),
            "FREQ=WEEKLY;INTERVAL=2;UNTIL=20270630T215959Z"
        );
        for bad in [
            "",
            "FREQ=DAILY;UNTIL=20270101",
            "FREQ=WEEKLY",
            "FREQ=WEEKLY;INTERVAL=9;UNTIL=20270101",
            "FREQ=WEEKLY;BYDAY=MO;UNTIL=20270101",
        ] {
            assert!(Recurrence::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn validation_and_window() {
        let s = warsaw("2027-01-04 18:00");
        let mut r = Recurrence {
            freq: Freq::Weekly,
            interval: 1,
            until: NaiveDate::from_ymd_opt(2027, 1, 4).expect("date"),
        };
        assert_eq!(r.validate(s), Err(RecurrenceError::UntilBeforeStart));
        r.until = NaiveDate::from_ymd_opt(2030, 1, 1).expect("date");
        assert_eq!(r.validate(s), Err(RecurrenceError::TooLong));
        r.until = NaiveDate::from_ymd_opt(2027, 3, 1).expect("date");
        assert_eq!(r.validate(s), Ok(()));
        let feb = occurrences_between(
            s,
            s + Duration::hours(1),
            Some(&r),
            warsaw("2027-02-01 00:00"),
            warsaw("2027-03-01 00:00"),
        );
        assert_eq!(feb.len(), 4);
        assert!(occurrences(s, s, None).len() == 1);
    }
}
