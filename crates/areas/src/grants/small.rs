//! Small grants outside calls (art. 19a UDPP; issue 19, item 5) — the groundwork: the four
//! statutory limits as dated settings (`Law::SmallGrant*`), the one check of a simplified offer
//! against them with the amounts still left, and the publication's dates (within 7 working days
//! of receipt, for 7 days, when anyone may comment). Pure but for reading the limits; the
//! offers, their public page and the comments build on this.

use crate::grants::law::{self, Law};
use chrono::{Duration, NaiveDate};
use sea_orm::{ConnectionTrait, DbErr};

/// The limits in force on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most one small grant may be, grosze (10 000 zł).
    pub max_amount: i64,
    /// Longest task, days (90).
    pub max_days: i64,
    /// Most one organisation may get in small grants from this office in a year, grosze
    /// (20 000 zł).
    pub per_organisation_year: i64,
    /// Most all small grants may take of the year's grant funds, basis points (20 %).
    pub pool_share_bp: i64,
}

/// The limits that apply on `day`.
pub async fn limits<C: ConnectionTrait>(db: &C, day: NaiveDate) -> Result<Limits, DbErr> {
    Ok(Limits {
        max_amount: law::value(db, Law::SmallGrantMaxAmount, day).await?,
        max_days: law::value(db, Law::SmallGrantMaxDays, day).await?,
        per_organisation_year: law::value(db, Law::SmallGrantPerOrganisationYear, day).await?,
        pool_share_bp: law::value(db, Law::SmallGrantPoolShareBp, day).await?,
    })
}

/// What a small-grant offer asks, and what the year already holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    pub amount: i64,
    pub task_from: NaiveDate,
    pub task_to: NaiveDate,
    /// Small grants this organisation already got from the office this year.
    pub organisation_year: i64,
    /// Small grants the office already gave this year, all organisations.
    pub pool_used: i64,
    /// The year's grant funds (the budget's line for public tasks).
    pub year_funds: i64,
}

/// A limit the offer would break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breach {
    Amount,
    Days,
    Organisation,
    Pool,
}

impl Breach {
    /// Fluent id of the message.
    pub fn key(self) -> &'static str {
        match self {
            Breach::Amount => "small-breach-amount",
            Breach::Days => "small-breach-days",
            Breach::Organisation => "small-breach-organisation",
            Breach::Pool => "small-breach-pool",
        }
    }

    /// The message's `max`: the days allowed, or the money left under the limit broken.
    pub fn max(self, limits: &Limits, left: &Left) -> String {
        let money = |g: i64| wspolnie_core::money::Money(g).to_string();
        match self {
            Breach::Amount => money(left.per_offer),
            Breach::Days => limits.max_days.to_string(),
            Breach::Organisation => money(left.organisation),
            Breach::Pool => money(left.pool),
        }
    }
}

/// What is still left under each money limit before this offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Left {
    pub per_offer: i64,
    pub organisation: i64,
    pub pool: i64,
}

/// The task's length in days, both ends counted.
pub fn task_days(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days() + 1
}

/// The pool: the share of the year's funds small grants may take, rounded down to the grosz.
pub fn pool(year_funds: i64, share_bp: i64) -> i64 {
    i64::try_from(i128::from(year_funds.max(0)) * i128::from(share_bp.max(0)) / 10_000).unwrap_or(i64::MAX)
}

/// Checks an offer against the limits: the breaches (in the order the act lists the limits)
/// and what was left before it.
pub fn check(r: &Request, l: &Limits) -> (Vec<Breach>, Left) {
    let left = Left {
        per_offer: l.max_amount,
        organisation: l.per_organisation_year.saturating_sub(r.organisation_year).max(0),
        pool: pool(r.year_funds, l.pool_share_bp).saturating_sub(r.pool_used).max(0),
    };
    let mut out = Vec::new();
    if r.amount > left.per_offer {
        out.push(Breach::Amount);
    }
    if r.task_to < r.task_from || task_days(r.task_from, r.task_to) > l.max_days {
        out.push(Breach::Days);
    }
    if r.amount > left.organisation {
        out.push(Breach::Organisation);
    }
    if r.amount > left.pool {
        out.push(Breach::Pool);
    }
    (out, left)
}

/// Where an organisation stands under the limits when it submits to a year's register: what
/// the rules of the offer form need to check it (`rules::Context::small`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub limits: Limits,
    /// Small grants this organisation already got from the office this year.
    pub organisation_year: i64,
    /// Small grants the office already gave this year, all organisations.
    pub pool_used: i64,
    /// The year's grant funds.
    pub year_funds: i64,
}

impl Standing {
    /// The check of an offer asking `amount` for a task from `from` to `to`.
    pub fn check(&self, amount: i64, from: NaiveDate, to: NaiveDate) -> (Vec<Breach>, Left) {
        check(
            &Request {
                amount,
                task_from: from,
                task_to: to,
                organisation_year: self.organisation_year,
                pool_used: self.pool_used,
                year_funds: self.year_funds,
            },
            &self.limits,
        )
    }

    /// What is left before any offer.
    pub fn left(&self) -> Left {
        let (_, left) = self.check(0, NaiveDate::MIN, NaiveDate::MIN);
        left
    }
}

/// The day by which the office must publish an offer received on `received`: within 7 working
/// days (art. 19a ust. 3).
pub fn publish_by(received: NaiveDate) -> NaiveDate {
    wspolnie_core::time::add_working_days(received, 7)
}

/// The working day `n` working days before `day` (`day` itself for 0).
pub fn working_days_before(day: NaiveDate, n: u32) -> NaiveDate {
    let mut d = day;
    let mut left = n;
    while left > 0 {
        d -= Duration::days(1);
        if wspolnie_core::time::is_working_day(d) {
            left -= 1;
        }
    }
    d
}

/// The days an offer published on `published` stays up for comments: that day and the 7 after.
pub fn comment_window(published: NaiveDate) -> (NaiveDate, NaiveDate) {
    (published, published + Duration::days(7))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    const LIMITS: Limits = Limits {
        max_amount: 1_000_000,
        max_days: 90,
        per_organisation_year: 2_000_000,
        pool_share_bp: 2000,
    };

    fn request() -> Request {
        Request {
            amount: 800_000,
            task_from: d(2027, 5, 1),
            task_to: d(2027, 7, 29),
            organisation_year: 1_000_000,
            pool_used: 9_000_000,
            year_funds: 50_000_000,
        }
    }

    #[test]
    fn an_offer_within_every_limit_sees_what_is_left() {
        let (breaches, left) = check(&request(), &LIMITS);
        assert!(breaches.is_empty(), "{breaches:?}");
        assert_eq!(task_days(d(2027, 5, 1), d(2027, 7, 29)), 90);
        assert_eq!(left, Left { per_offer: 1_000_000, organisation: 1_000_000, pool: 1_000_000 });
    }

    #[test]
    fn each_limit_is_named_when_broken() {
        let mut r = request();
        r.amount = 1_000_001;
        r.task_to = d(2027, 7, 30);
        let (b, _) = check(&r, &LIMITS);
        assert_eq!(b, vec![Breach::Amount, Breach::Days, Breach::Organisation, Breach::Pool]);
        let mut r = request();
        r.organisation_year = 1_500_000;
        assert_eq!(check(&r, &LIMITS).0, vec![Breach::Organisation]);
        let mut r = request();
        r.task_to = d(2027, 4, 30);
        assert_eq!(check(&r, &LIMITS).0, vec![Breach::Days], "a task ending before it starts");
        let mut r = request();
        r.year_funds = i64::MAX;
        r.pool_used = i64::MIN;
        assert_eq!(check(&r, &LIMITS).0, Vec::<Breach>::new(), "hostile sums saturate");
    }

    #[test]
    fn publication_counts_working_days() {
        // Friday 30.04.2027: 7 working days skip the weekend and 3 May (a holiday).
        assert_eq!(publish_by(d(2027, 4, 30)), d(2027, 5, 12));
        assert_eq!(comment_window(d(2027, 5, 12)), (d(2027, 5, 12), d(2027, 5, 19)));
    }
}
