//! The deployment's consultation rules (each council's own resolution under art. 5 ust. 5 UDPP
//! says how it consults) and the statutory RDPP clock, as dated settings (law is data): a
//! deployment records its resolution's figures as rows under the keys below.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbErr};
use wspolnie_platform::law::{self, Dated, Statute};

use super::entity::consultation::Audience;

/// The values the area reads by the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The shortest period of a consultation, days (the common resolution: 7); a shorter one
    /// needs a written reason.
    MinDays,
    /// Days the public benefit council has for its opinion (art. 41 ust. 1a UDPP: 14).
    RdppDays,
    /// Who the resolution lets the office consult, as a sum: 1 organisations, 2 the RDPP,
    /// 4 everyone (default 7: all three).
    Audiences,
}

const FROM_2003: NaiveDate = match NaiveDate::from_ymd_opt(2003, 6, 29) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

impl Statute for Rule {
    fn key(self) -> &'static str {
        match self {
            Rule::MinDays => "consultations.rules.min_days",
            Rule::RdppDays => "consultations.rules.rdpp_days",
            Rule::Audiences => "consultations.rules.audiences",
        }
    }

    fn defaults(self) -> &'static [Dated] {
        match self {
            Rule::MinDays => &[Dated { from: FROM_2003, value: 7 }],
            Rule::RdppDays => &[Dated { from: FROM_2003, value: 14 }],
            Rule::Audiences => &[Dated { from: FROM_2003, value: 7 }],
        }
    }
}

/// The rules that apply on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    pub min_days: i64,
    pub rdpp_days: i64,
    pub audiences: Vec<Audience>,
}

impl Rules {
    /// The audiences a sum of `Rule::Audiences` allows (none → all, a resolution consults
    /// someone).
    pub fn audiences_of(mask: i64) -> Vec<Audience> {
        let all = [(1, Audience::Organisations), (2, Audience::Rdpp), (4, Audience::Everyone)];
        let some: Vec<Audience> = all.iter().filter(|(b, _)| mask & b != 0).map(|(_, a)| *a).collect();
        if some.is_empty() { all.iter().map(|(_, a)| *a).collect() } else { some }
    }
}

/// The rules on `day`.
pub async fn on<C: ConnectionTrait>(db: &C, day: NaiveDate) -> Result<Rules, DbErr> {
    Ok(Rules {
        min_days: law::value(db, Rule::MinDays, day).await?.max(1),
        rdpp_days: law::value(db, Rule::RdppDays, day).await?.max(1),
        audiences: Rules::audiences_of(law::value(db, Rule::Audiences, day).await?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_audience_sum_reads_as_the_resolution_says() {
        assert_eq!(Rules::audiences_of(1), vec![Audience::Organisations]);
        assert_eq!(Rules::audiences_of(6), vec![Audience::Rdpp, Audience::Everyone]);
        assert_eq!(Rules::audiences_of(0).len(), 3);
        assert_eq!(law::applicable(Rule::MinDays.defaults(), FROM_2003), Some(7));
    }
}
