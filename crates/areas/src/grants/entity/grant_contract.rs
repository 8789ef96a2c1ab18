use sea_orm::entity::prelude::*;

/// The contract for a granted offer (art. 16 UDPP, the model of annex 3): its terms, typed and
/// checked in `contract::Terms`, and its life cycle. The text is the model contract of
/// `template_version` filled with these terms.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grant_contracts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub offer_id: i64,
    pub call_id: i64,
    pub organization_id: i64,
    /// The office's reference number.
    pub number: String,
    /// `supporting` (wsparcie: co-funding) or `entrusting` (powierzenie: full funding).
    pub kind: String,
    pub task_from: Date,
    pub task_to: Date,
    /// The window in which grant money may be spent.
    pub grant_from: Date,
    pub grant_to: Date,
    /// The window for the other money (own and other sources).
    pub other_from: Date,
    pub other_to: Date,
    /// Grosze.
    pub amount: i64,
    pub own_financial: i64,
    pub personal: i64,
    pub in_kind: i64,
    /// The organisation's account, 26 digits (NRB, checked).
    pub bank_account: String,
    /// How far money may shift between cost lines without an annex, basis points.
    pub tolerance_bp: i32,
    /// The reporting duties as agreed.
    pub reporting: String,
    pub template_version: i32,
    pub status: Status,
    pub sent_at: Option<DateTimeUtc>,
    pub signed_at: Option<DateTimeUtc>,
    /// How it was signed (`upload`: a scan of the signed paper; `electronic`: a qualified or
    /// trusted signature recorded by the office).
    pub signed_how: String,
    /// The scan of the paper signed by both parties: its storage key and file name.
    pub signed_file_key: Option<String>,
    pub signed_file_name: Option<String>,
    /// The office's note on the last move (termination's reason, signature's details).
    pub note: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Raised by every saved change (compare-and-set).
    pub version: i32,
}

crate::status_enum! {
    /// Where a contract stands.
    pub enum Status {
        /// Being prepared by the office.
        Draft = "draft",
        /// Sent to the organisation to sign.
        Sent = "sent",
        /// Signed by both parties.
        Signed = "signed",
        /// The task is under way (the first tranche paid or the task started).
        InProgress = "in_progress",
        /// The final report is accepted.
        Reported = "reported",
        /// The money is settled (returns, if any, recorded).
        Settled = "settled",
        /// Ended early (art. 16 ust. 4, art. 17: termination or rescission).
        Terminated = "terminated",
    }
}

/// The one function that says which moves a contract may make: a sent contract may go back to
/// the office as a draft for changes; a contract ends settled or terminated.
pub fn allowed(from: Status, to: Status) -> bool {
    use Status::*;
    from == to
        || matches!(
            (from, to),
            (Draft, Sent)
                | (Sent, Draft | Signed | Terminated)
                | (Signed, InProgress | Terminated)
                | (InProgress, Reported | Terminated)
                | (Reported, Settled | Terminated)
        )
}

impl Status {
    /// Fluent id of the status's name.
    pub fn label_key(self) -> String {
        format!("contract-status-{}", self.as_str())
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
