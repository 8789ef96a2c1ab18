//! The commission's arithmetic (issue 18, art. 15 ust. 1 UDPP): one member's card is the sum of
//! the points given per criterion times the criterion's weight; an offer's score is the mean of
//! the cards of the voting members who did not recuse and have submitted their card, rounded to
//! two decimals half up. All in integers: scores are kept in hundredths of a point, so the same
//! cards always give the same score on every database and machine.
//!
//! Pure functions only; the pages, the store and the protocol call them.

use crate::grants::model::Criterion;

/// One member's card for one offer, as the tally needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub member_id: i64,
    /// Experts advise without a vote: their cards are shown, never counted.
    pub voting: bool,
    /// The member recused from this offer: nothing of theirs is counted.
    pub recused: bool,
    /// A card counts once its member submitted it; a draft is the member's own.
    pub submitted: bool,
    /// Points per criterion, in the call's order; `None` where not given yet.
    pub points: Vec<Option<u32>>,
}

impl Card {
    /// Whether this card enters the offer's score.
    pub fn counts(&self) -> bool {
        self.voting && !self.recused && self.submitted
    }
}

/// The offer's result from its cards.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Cards counted (voting, not recused, submitted).
    pub counted: usize,
    /// Each counted card's weighted total, in whole points, in the cards' order.
    pub totals: Vec<u64>,
    /// The mean of the counted totals in hundredths of a point, rounded half up; `None` with no
    /// counted card.
    pub average_centi: Option<u64>,
    /// The mean points per criterion (unweighted) in hundredths, for the protocol.
    pub per_criterion_centi: Vec<Option<u64>>,
    /// Highest minus lowest counted total, in whole points.
    pub spread: u64,
    /// The spread is above the call's limit: the commission discusses the offer.
    pub flagged: bool,
    /// The average reaches the call's minimum for funding.
    pub fundable: bool,
}

/// The most a card can reach: each criterion's maximum times its weight.
pub fn maximum(criteria: &[Criterion]) -> u64 {
    criteria
        .iter()
        .map(|c| u64::from(c.max_points) * u64::from(c.weight.max(1)))
        .fold(0u64, u64::saturating_add)
}

/// One card's weighted total in whole points (missing points count as zero).
pub fn weighted(points: &[Option<u32>], criteria: &[Criterion]) -> u64 {
    criteria
        .iter()
        .zip(points.iter().chain(std::iter::repeat(&None)))
        .map(|(c, p)| u64::from(p.unwrap_or(0).min(c.max_points)) * u64::from(c.weight.max(1)))
        .fold(0u64, u64::saturating_add)
}

/// `sum / n` in hundredths, rounded half up (`n > 0`).
pub fn mean_centi(sum: u64, n: u64) -> u64 {
    // (sum * 100 + n / 2) / n, kept exact for any sum a card can reach.
    let scaled = u128::from(sum) * 100;
    let n = u128::from(n.max(1));
    u64::try_from((scaled * 2 + n) / (2 * n)).unwrap_or(u64::MAX)
}

/// Whether a card's points are complete and within the scales: one per criterion, none above
/// its maximum. Returns the index of the first criterion that is missing or too high.
pub fn first_invalid(points: &[Option<u32>], criteria: &[Criterion]) -> Option<usize> {
    criteria
        .iter()
        .enumerate()
        .find(|(i, c)| !matches!(points.get(*i).copied().flatten(), Some(p) if p <= c.max_points))
        .map(|(i, _)| i)
}

/// The offer's tally. `spread_limit`: the most points the counted totals may differ before the
/// offer is flagged for discussion. `minimum_centi`: the score needed for funding, in hundredths.
pub fn tally(criteria: &[Criterion], cards: &[Card], spread_limit: u64, minimum_centi: u64) -> Tally {
    let counted: Vec<&Card> = cards.iter().filter(|c| c.counts()).collect();
    let totals: Vec<u64> = counted.iter().map(|c| weighted(&c.points, criteria)).collect();
    let n = totals.len() as u64;
    let average_centi = (n > 0).then(|| mean_centi(totals.iter().fold(0u64, |a, t| a.saturating_add(*t)), n));
    let per_criterion_centi = (0..criteria.len())
        .map(|i| {
            (n > 0).then(|| {
                let sum = counted
                    .iter()
                    .map(|c| u64::from(c.points.get(i).copied().flatten().unwrap_or(0)))
                    .fold(0u64, u64::saturating_add);
                mean_centi(sum, n)
            })
        })
        .collect();
    let spread = match (totals.iter().max(), totals.iter().min()) {
        (Some(hi), Some(lo)) => hi - lo,
        _ => 0,
    };
    Tally {
        counted: counted.len(),
        average_centi,
        per_criterion_centi,
        spread,
        flagged: spread > spread_limit,
        fundable: average_centi.is_some_and(|a| a >= minimum_centi),
        totals,
    }
}

/// Hundredths of a point as Polish text: `2667` → "26,67".
pub fn centi_pl(v: u64) -> String {
    format!("{},{:02}", v / 100, v % 100)
}

/// Points typed as whole numbers or with a decimal comma ("26,5" → 2650 hundredths); `None`
/// when not a number of points (used for the call's minimum score).
pub fn parse_centi(s: &str) -> Option<u64> {
    let t = s.trim().replace(' ', "");
    let (whole, frac) = match t.split_once([',', '.']) {
        Some((w, f)) => (w, f),
        None => (t.as_str(), ""),
    };
    if (whole.is_empty() && frac.is_empty())
        || whole.len() > 9
        || frac.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let w: u64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let f: u64 = format!("{frac:0<2}").parse().ok()?;
    Some(w * 100 + f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crit(name: &str, max_points: u32, weight: u32) -> Criterion {
        Criterion {
            name: name.into(),
            max_points,
            weight,
        }
    }

    fn card(member_id: i64, voting: bool, recused: bool, points: &[u32]) -> Card {
        Card {
            member_id,
            voting,
            recused,
            submitted: true,
            points: points.iter().map(|p| Some(*p)).collect(),
        }
    }

    /// The table computed by hand:
    ///
    /// | member | A (max 10, ×2) | B (max 5, ×1) | C (max 5, ×3) | total        |
    /// |--------|----------------|---------------|---------------|--------------|
    /// | M1     | 8 → 16         | 4 → 4         | 3 → 9         | 29           |
    /// | M2     | 7 → 14         | 5 → 5         | 2 → 6         | 25           |
    /// | M3     | recused (10, 5, 5)                            | not counted  |
    /// | E      | expert, no vote (10, 5, 5)                    | not counted  |
    /// | M4     | 6 → 12         | 2 → 2         | 4 → 12        | 26           |
    ///
    /// Average (29 + 25 + 26) / 3 = 26.666… → 26,67; per criterion A 21/3 = 7,00,
    /// B 11/3 = 3,67, C 9/3 = 3,00; spread 29 − 25 = 4; maximum 20 + 5 + 15 = 40.
    #[test]
    fn the_hand_computed_table() {
        let criteria = [crit("A", 10, 2), crit("B", 5, 1), crit("C", 5, 3)];
        let cards = [
            card(1, true, false, &[8, 4, 3]),
            card(2, true, false, &[7, 5, 2]),
            card(3, true, true, &[10, 5, 5]),
            card(9, false, false, &[10, 5, 5]),
            card(4, true, false, &[6, 2, 4]),
        ];
        assert_eq!(maximum(&criteria), 40);
        let t = tally(&criteria, &cards, 5, 2500);
        assert_eq!(t.counted, 3);
        assert_eq!(t.totals, vec![29, 25, 26]);
        assert_eq!(t.average_centi, Some(2667));
        assert_eq!(centi_pl(2667), "26,67");
        assert_eq!(t.per_criterion_centi, vec![Some(700), Some(367), Some(300)]);
        assert_eq!(t.spread, 4);
        assert!(!t.flagged, "4 points apart, the limit is 5");
        assert!(t.fundable, "26,67 ≥ 25,00");
        // A tighter limit flags it; a higher minimum refuses it.
        let t = tally(&criteria, &cards, 3, 2668);
        assert!(t.flagged);
        assert!(!t.fundable, "26,67 < 26,68");
    }

    #[test]
    fn rounding_is_half_up_to_two_decimals() {
        // 201 / 8 = 25.125 → 25,13; 199 / 8 = 24.875 → 24,88; 1 / 3 → 0,33; 2 / 3 → 0,67.
        assert_eq!(mean_centi(201, 8), 2513);
        assert_eq!(mean_centi(199, 8), 2488);
        assert_eq!(mean_centi(1, 3), 33);
        assert_eq!(mean_centi(2, 3), 67);
        assert_eq!(mean_centi(50, 2), 2500);
        assert_eq!(mean_centi(u64::MAX, 1), u64::MAX, "saturates, never wraps");
    }

    #[test]
    fn drafts_experts_and_recusals_do_not_count() {
        let criteria = [crit("A", 10, 1)];
        let mut draft = card(1, true, false, &[10]);
        draft.submitted = false;
        let t = tally(&criteria, &[draft, card(2, false, false, &[10]), card(3, true, true, &[10])], 0, 0);
        assert_eq!(t.counted, 0);
        assert_eq!(t.average_centi, None);
        assert!(!t.fundable, "no score, no funding");
        assert_eq!(t.per_criterion_centi, vec![None]);
    }

    #[test]
    fn points_are_checked_against_the_scales() {
        let criteria = [crit("A", 10, 2), crit("B", 5, 1)];
        assert_eq!(first_invalid(&[Some(10), Some(5)], &criteria), None);
        assert_eq!(first_invalid(&[Some(11), Some(5)], &criteria), Some(0));
        assert_eq!(first_invalid(&[Some(1), None], &criteria), Some(1));
        assert_eq!(first_invalid(&[Some(1)], &criteria), Some(1));
        // Out-of-scale points never raise a total (capped at the maximum), missing count 0.
        assert_eq!(weighted(&[Some(99), None], &criteria), 20);
        // A weight of 0 stored by mistake counts as 1.
        assert_eq!(weighted(&[Some(3)], &[crit("A", 10, 0)]), 3);
    }

    #[test]
    fn minimum_scores_are_typed_the_polish_way() {
        assert_eq!(parse_centi("25"), Some(2500));
        assert_eq!(parse_centi("26,5"), Some(2650));
        assert_eq!(parse_centi("26.75"), Some(2675));
        assert_eq!(parse_centi(" 1 000 "), Some(100_000));
        for bad in ["", ",", "-1", "1,234", "abc", "99999999999", "1e3"] {
            assert_eq!(parse_centi(bad), None, "{bad}");
        }
    }
}
