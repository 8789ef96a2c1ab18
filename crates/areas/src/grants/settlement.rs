//! The settlement of a contract (issue 19, item 4; art. 251–252 of the public finance act): from
//! the accepted final report, the grant not used and the grant taken in excess, each with its
//! return deadline, the returns recorded against them (oldest deadline first), the days late and
//! the late-payment interest at the rate in force on each late day (a dated setting,
//! `Law::ArrearsInterestBp`). Pure: the caller reads the report, the tranches and the returns.

use crate::grants::law::{Dated, applicable};
use chrono::{Datelike, Duration, NaiveDate};

/// When unused grant money is due back: 15 days after the spending window ends, counted as KPA
/// counts (a Saturday, Sunday or holiday moves it on); money of a window ending on 31 December
/// by 31 January of the next year.
pub fn unused_due(grant_to: NaiveDate) -> NaiveDate {
    if grant_to.month() == 12 && grant_to.day() == 31 {
        let jan31 = NaiveDate::from_ymd_opt(grant_to.year() + 1, 1, 31).unwrap_or(grant_to);
        return wspolnie_core::time::deadline_after(jan31, 0);
    }
    wspolnie_core::time::deadline_after(grant_to, 15)
}

/// When grant taken in excess is due back: 15 days after the office found it (the report's
/// acceptance).
pub fn excess_due(found_on: NaiveDate) -> NaiveDate {
    wspolnie_core::time::deadline_after(found_on, 15)
}

/// Interest on `amount` grosze paid on `paid_on` though due on `due`: for each day from the day
/// after `due` to `paid_on`, the yearly rate in force that day (basis points) over 365 days; the
/// sum rounded to whole złoty (half up), as tax-arrears interest is. Zero when not late.
pub fn interest(amount: i64, due: NaiveDate, paid_on: NaiveDate, rates: &[Dated]) -> i64 {
    if paid_on <= due || amount <= 0 {
        return 0;
    }
    // Sum of rate × days over the late days, in basis-point-days (grouped by rate segments).
    let mut bp_days: i128 = 0;
    let mut day = due + Duration::days(1);
    while day <= paid_on {
        let rate = applicable(rates, day).unwrap_or(0);
        // The next day the rate may change: the next row's `from`, or past the payment.
        let next = rates
            .iter()
            .map(|r| r.from)
            .filter(|f| *f > day)
            .min()
            .map_or(paid_on + Duration::days(1), |f| f.min(paid_on + Duration::days(1)));
        let days = (next - day).num_days();
        bp_days += i128::from(rate.max(0)) * i128::from(days);
        day = next;
    }
    // grosze = amount × bp_days / (10 000 × 365); then to whole złoty, half up.
    let grosze_num = i128::from(amount) * bp_days;
    let den: i128 = 10_000 * 365 * 100;
    let zloty = (2 * grosze_num + den) / (2 * den);
    i64::try_from(zloty * 100).unwrap_or(i64::MAX)
}

/// One amount due back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    /// `unused` or `excess`.
    pub what: &'static str,
    pub amount: i64,
    pub due: NaiveDate,
    /// Paid of it so far.
    pub paid: i64,
    /// Interest on the parts paid late, and on the rest up to `today` when it is late.
    pub interest: i64,
    /// Days late of the last part paid, or of the rest as of `today`.
    pub days_late: i64,
}

/// The settlement as the office reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settlement {
    /// Tranches paid.
    pub paid_out: i64,
    /// Grant spent as the accepted report says.
    pub spent_grant: i64,
    /// Paid out but not spent.
    pub unused: i64,
    /// Grant taken in excess (lines above the tolerance).
    pub excess: i64,
    pub dues: Vec<Due>,
    pub returned: i64,
    pub interest: i64,
    /// Still to return, principal and interest.
    pub outstanding: i64,
}

/// What a settlement starts from: the money paid out, the accepted final report's figures, the
/// grant's spending window and the day the report was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Basis {
    pub paid_out: i64,
    pub spent_grant: i64,
    /// Grant taken in excess, as the report's lines show it.
    pub excess: i64,
    pub grant_to: NaiveDate,
    pub accepted_on: NaiveDate,
}

/// The settlement of a contract: `returns` (amount, day) applied to the dues in deadline order;
/// `today` dates the interest on what is still unpaid.
pub fn settle(b: Basis, returns: &[(i64, NaiveDate)], today: NaiveDate, rates: &[Dated]) -> Settlement {
    let Basis { paid_out, spent_grant, excess, grant_to, accepted_on } = b;
    let unused = paid_out.saturating_sub(spent_grant).max(0);
    // Excess not already counted as unused: money spent against the contract was spent, so it
    // is on top of what was not spent, but never more than was paid out.
    let excess = excess.clamp(0, paid_out.saturating_sub(unused).max(0));
    let mut dues: Vec<Due> = [("unused", unused, unused_due(grant_to)), ("excess", excess, excess_due(accepted_on))]
        .into_iter()
        .filter(|(_, a, _)| *a > 0)
        .map(|(what, amount, due)| Due { what, amount, due, paid: 0, interest: 0, days_late: 0 })
        .collect();
    dues.sort_by_key(|d| d.due);
    let mut sorted: Vec<(i64, NaiveDate)> = returns.iter().copied().filter(|r| r.0 > 0).collect();
    sorted.sort_by_key(|r| r.1);
    let mut returned = 0i64;
    for (amount, on) in sorted {
        returned = returned.saturating_add(amount);
        let mut left = amount;
        for d in dues.iter_mut() {
            if left == 0 {
                break;
            }
            let take = left.min(d.amount - d.paid);
            if take <= 0 {
                continue;
            }
            d.paid += take;
            d.interest = d.interest.saturating_add(interest(take, d.due, on, rates));
            d.days_late = (on - d.due).num_days().max(0);
            left -= take;
        }
    }
    for d in dues.iter_mut() {
        let rest = d.amount - d.paid;
        if rest > 0 {
            d.interest = d.interest.saturating_add(interest(rest, d.due, today, rates));
            d.days_late = (today - d.due).num_days().max(0);
        }
    }
    let principal: i64 = dues.iter().map(|d| d.amount).fold(0, i64::saturating_add);
    let interest_total: i64 = dues.iter().map(|d| d.interest).fold(0, i64::saturating_add);
    let owed = principal.saturating_add(interest_total);
    Settlement {
        paid_out,
        spent_grant,
        unused,
        excess,
        dues,
        returned,
        interest: interest_total,
        outstanding: owed.saturating_sub(returned).max(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn return_deadlines_follow_the_act() {
        // 30.06.2027 + 15 days = 15.07.2027, a Thursday.
        assert_eq!(unused_due(d(2027, 6, 30)), d(2027, 7, 15));
        // A year-end window: 31 January (2027-01-31 is a Sunday: the next working day).
        assert_eq!(unused_due(d(2026, 12, 31)), d(2027, 2, 1));
        assert_eq!(unused_due(d(2027, 12, 31)), d(2028, 1, 31));
        assert_eq!(excess_due(d(2027, 8, 2)), d(2027, 8, 17));
    }

    #[test]
    fn interest_counts_each_day_at_its_rate() {
        let rates = [Dated { from: d(2020, 1, 1), value: 1460 }, Dated { from: d(2027, 8, 1), value: 730 }];
        // 10 000 zł, 10 days late at 14,6 %: 10 000 × 0,146 × 10 / 365 = 40 zł.
        assert_eq!(interest(1_000_000, d(2027, 7, 15), d(2027, 7, 25), &rates), 4_000);
        // 10 000 zł from 27.07 to 05.08: 5 days at 14,6 % (20 zł) + 5 days at 7,3 % (10 zł).
        assert_eq!(interest(1_000_000, d(2027, 7, 26), d(2027, 8, 5), &rates), 3_000);
        assert_eq!(interest(1_000_000, d(2027, 7, 15), d(2027, 7, 15), &rates), 0, "paid on the day");
        assert_eq!(interest(i64::MAX, d(1900, 1, 1), d(2100, 1, 1), &rates), i64::MAX, "saturates");
    }

    #[test]
    fn returns_pay_the_oldest_due_first() {
        let rates = [Dated { from: d(2020, 1, 1), value: 1460 }];
        // Paid out 10 000, spent 9 000 of grant, of which 500 in excess; accepted on 02.08.
        let basis = |spent_grant, excess| Basis { paid_out: 1_000_000, spent_grant, excess, grant_to: d(2027, 6, 30), accepted_on: d(2027, 8, 2) };
        let s = settle(basis(900_000, 50_000), &[(100_000, d(2027, 7, 25))], d(2027, 9, 1), &rates);
        assert_eq!((s.unused, s.excess), (100_000, 50_000));
        assert_eq!(s.dues[0].what, "unused");
        assert_eq!(s.dues[0].days_late, 10);
        // 1 000 zł × 14,6 % × 10/365 = 4 zł.
        assert_eq!(s.dues[0].interest, 400);
        // 500 zł unpaid from 18.08 to 01.09: 15 days → 3 zł.
        assert_eq!(s.dues[1].interest, 300);
        assert_eq!(s.outstanding, 50_000 + 400 + 300);
        let paid = settle(basis(1_000_000, 0), &[], d(2027, 9, 1), &rates);
        assert!(paid.dues.is_empty());
        assert_eq!(paid.outstanding, 0);
    }
}
