use sea_orm::entity::prelude::*;

/// An offer of an organisation in a call. Its working copy is in `grant_offer_sections` (one row
/// per section, edited together); each submission freezes a `grant_offer_versions` row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grant_offers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub call_id: i64,
    /// The lead offeror (from the directory).
    pub organization_id: i64,
    /// The task's title (III.1), kept here for lists.
    pub title: String,
    pub status: Status,
    /// The offer form's template version (e.g. `2018-2057-z1`).
    pub template_version: String,
    /// The latest submitted version (0 = never submitted).
    pub current_version: i32,
    /// SHA-256 of the latest submitted version's canonical form.
    pub checksum: Option<String>,
    pub submitted_at: Option<DateTimeUtc>,
    pub withdrawn_at: Option<DateTimeUtc>,
    /// Of the latest submitted version, grosze (for lists and the public list of offers).
    pub requested_grant: i64,
    pub total_cost: i64,
    /// While in correction: until when, and which sections may change (comma-separated codes).
    pub correction_deadline: Option<DateTimeUtc>,
    pub correction_sections: String,
    /// While a reduced grant's update is due (status `updating`): until when.
    pub update_deadline: Option<DateTimeUtc>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

crate::status_enum! {
    /// Where an offer stands.
    pub enum Status {
        /// Being written by the organisation.
        Draft = "draft",
        /// Submitted; the latest version counts.
        Submitted = "submitted",
        /// Withdrawn by the organisation before the deadline.
        Withdrawn = "withdrawn",
        /// The formal check found deficiencies; the organisation may correct the listed sections.
        InCorrection = "in_correction",
        /// The organisation submitted its correction.
        Corrected = "corrected",
        /// Formally complete: goes to the commission.
        Complete = "complete",
        /// Formally rejected.
        Rejected = "rejected",
        /// The mayor's decision grants it an amount (`grant_decision_lines`).
        Granted = "granted",
        /// The mayor's decision grants it nothing.
        NotGranted = "not_granted",
        /// Granted less than asked: the organisation updates its costs and schedule
        /// (`grant_offer_updates`) by `update_deadline`.
        Updating = "updating",
        /// The update is submitted and waits for the office.
        UpdateSubmitted = "update_submitted",
        /// The organisation declined the reduced grant, or sent no update in time (art. 16
        /// ust. 1: no contract).
        Declined = "declined",
        /// A small-grant offer published for comments (art. 19a).
        Published = "published",
    }
}

/// The one function that says which moves an offer may make. Before the deadline a submitted
/// offer may be submitted again (a new version) or withdrawn, and a withdrawn one submitted
/// again; the formal check moves a submitted offer to complete, in correction or rejected, and a
/// corrected one to complete or rejected. The decision grants a complete offer its amount, less
/// than asked (an update is due), or nothing; an update is submitted, then accepted or returned;
/// no update in time declines the grant.
pub fn allowed(from: Status, to: Status) -> bool {
    use Status::*;
    from == to
        || matches!(
            (from, to),
            (Draft, Submitted | Withdrawn)
                | (Submitted, Withdrawn | InCorrection | Complete | Rejected)
                | (Withdrawn, Submitted)
                | (InCorrection, Corrected | Rejected)
                | (Corrected, Complete | Rejected | InCorrection)
                | (Complete, Granted | NotGranted | Updating)
                | (Updating, UpdateSubmitted | Declined)
                | (UpdateSubmitted, Granted | Updating)
                | (Submitted, Published)
                | (Published, Granted | NotGranted)
        )
}

impl Status {
    /// Fluent id of the status's name.
    pub fn label_key(self) -> String {
        format!("offer-status-{}", self.as_str())
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
