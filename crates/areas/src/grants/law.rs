//! Statutory values of the grants area as dated settings (law is data). Each value has the dates
//! from which it applies; the defaults below are the law as in force, and a deployment may add
//! rows in the settings table under `grants.law.<name>` as JSON `[{"from": "YYYY-MM-DD",
//! "value": n}]` when the law changes, without a release. The value that applies on a day is the
//! one with the latest `from` not after it.

use chrono::NaiveDate;
pub use wspolnie_platform::law::{Dated, Statute, applicable, rows, value};

/// The values the area knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Law {
    /// Art. 13 ust. 1 UDPP: days between the (last) announcement and the offer deadline.
    MinOfferDays,
    /// Days an organisation gets to correct formal deficiencies when the call does not say.
    DefaultCorrectionDays,
    /// The tolerance a new contract starts with for shifting money between cost lines without
    /// an annex, basis points (offices commonly set 10–20 %; the office's practice, kept here so
    /// a deployment changes it as a dated setting).
    ContractToleranceBp,
    /// The yearly rate of late-payment interest on grants returned late (art. 252 of the public
    /// finance act: as for tax arrears — twice the NBP lombard rate plus 2 points, at least 8 %),
    /// basis points. The default is the rate as we last read it (12,50 % in late 2025, not
    /// verified against the Minister of Finance's notice); the office records each new notice
    /// as a dated row.
    ArrearsInterestBp,
    /// Art. 19a ust. 1: the most one small grant outside a call may be, grosze (10 000 zł).
    SmallGrantMaxAmount,
    /// Art. 19a ust. 1: the longest task of a small grant, days (90).
    SmallGrantMaxDays,
    /// Art. 19a ust. 2: the most one organisation may get in small grants from one office in a
    /// year, grosze (20 000 zł).
    SmallGrantPerOrganisationYear,
    /// Art. 19a ust. 4: the most small grants may take of the year's funds for public tasks,
    /// basis points (20 %; not verified against the act's current text — a dated setting).
    SmallGrantPoolShareBp,
}

impl Statute for Law {
    fn key(self) -> &'static str {
        match self {
            Law::MinOfferDays => "grants.law.min_offer_days",
            Law::DefaultCorrectionDays => "grants.law.default_correction_days",
            Law::ContractToleranceBp => "grants.law.contract_tolerance_bp",
            Law::ArrearsInterestBp => "grants.law.arrears_interest_bp",
            Law::SmallGrantMaxAmount => "grants.law.small_grant_max_amount",
            Law::SmallGrantMaxDays => "grants.law.small_grant_max_days",
            Law::SmallGrantPerOrganisationYear => "grants.law.small_grant_per_organisation_year",
            Law::SmallGrantPoolShareBp => "grants.law.small_grant_pool_share_bp",
        }
    }

    /// The law as in force (UDPP of 24 Apr 2003, in force from 29 Jun 2003).
    fn defaults(self) -> &'static [Dated] {
        const FROM_2003: NaiveDate = match NaiveDate::from_ymd_opt(2003, 6, 29) {
            Some(d) => d,
            None => NaiveDate::MIN,
        };
        match self {
            Law::MinOfferDays => &[Dated {
                from: FROM_2003,
                value: 21,
            }],
            Law::DefaultCorrectionDays => &[Dated {
                from: FROM_2003,
                value: 7,
            }],
            Law::ContractToleranceBp => &[Dated {
                from: FROM_2003,
                value: 1500,
            }],
            Law::ArrearsInterestBp => &[Dated {
                from: FROM_2003,
                value: 1250,
            }],
            Law::SmallGrantMaxAmount => &[Dated {
                from: FROM_2003,
                value: 1_000_000,
            }],
            Law::SmallGrantMaxDays => &[Dated {
                from: FROM_2003,
                value: 90,
            }],
            Law::SmallGrantPerOrganisationYear => &[Dated {
                from: FROM_2003,
                value: 2_000_000,
            }],
            Law::SmallGrantPoolShareBp => &[Dated {
                from: FROM_2003,
                value: 2000,
            }],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_row_not_after_the_day_applies() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        let rows = [
            Dated {
                from: d(2003, 6, 29),
                value: 21,
            },
            Dated {
                from: d(2027, 1, 1),
                value: 30,
            },
        ];
        assert_eq!(applicable(&rows, d(2026, 12, 31)), Some(21));
        assert_eq!(applicable(&rows, d(2027, 1, 1)), Some(30));
        assert_eq!(applicable(&rows, d(2000, 1, 1)), None);
        assert_eq!(applicable(Law::MinOfferDays.defaults(), d(2026, 12, 6)), Some(21));
    }
}
