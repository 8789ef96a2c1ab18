use sea_orm::entity::prelude::*;

/// The competition commission of one call (art. 15 ust. 2a–2f UDPP) and the call's rules for
/// its work: the nomination window, the minimum score for funding, the spread that sends an
/// offer to discussion, and the deadline and share rule for offers granted less than asked.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grant_commissions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub call_id: i64,
    /// Organisations nominate until then (Warsaw time entered, stored in UTC).
    pub nominations_until: Option<DateTimeUtc>,
    /// The average score an offer needs for funding, in hundredths of a point.
    pub min_score_centi: i64,
    /// Cards of one offer further apart than this many points send it to discussion.
    pub spread_limit: i32,
    /// Days an organisation granted less than it asked has for its updated budget.
    pub reduced_days: i32,
    /// The grant's share of the total cost may not rise above the offer's.
    pub share_rule: bool,
    pub status: Status,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

crate::status_enum! {
    /// The commission's work.
    pub enum Status {
        /// Nominations open; the office appoints members.
        Forming = "forming",
        /// Members make their statements and score the offers.
        Scoring = "scoring",
        /// Scoring closed; the commission's opinion is drafted and adopted.
        Opinion = "opinion",
        /// The opinion went to the mayor.
        Concluded = "concluded",
    }
}

/// The one function that says which moves the commission may make: forward only, except that
/// the chair may reopen scoring from the opinion (a card to correct, an offer to discuss).
pub fn allowed(from: Status, to: Status) -> bool {
    use Status::*;
    from == to
        || matches!(
            (from, to),
            (Forming, Scoring) | (Scoring, Opinion) | (Opinion, Scoring | Concluded)
        )
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
