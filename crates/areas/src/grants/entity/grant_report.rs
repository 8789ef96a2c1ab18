use sea_orm::entity::prelude::*;

/// A report on a contract's task (art. 18 UDPP, the model of annex 5): the final one, due 30
/// days after the task ends, or a partial one the office asked for. Its content is
/// `report::ReportContent` as JSON.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grant_reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub contract_id: i64,
    pub kind: Kind,
    /// 1, 2, … per contract.
    pub n: i32,
    /// A partial report covers the task up to this day.
    pub period_to: Option<Date>,
    /// When the office asked for a partial report.
    pub requested_at: Option<DateTimeUtc>,
    pub due_on: Date,
    pub status: Status,
    /// `report::ReportContent` as JSON ("" before the first save).
    pub content: String,
    pub submitted_at: Option<DateTimeUtc>,
    pub submitted_by: Option<i64>,
    /// What the office asks to correct, one point per line.
    pub return_note: String,
    /// The corrections are due by this day.
    pub corrections_due: Option<Date>,
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by: Option<i64>,
    /// Raised by every saved change (compare-and-set).
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

crate::status_enum! {
    /// Which report it is.
    pub enum Kind {
        /// Asked for during the task.
        Partial = "partial",
        /// After the task.
        Final = "final",
    }
}

crate::status_enum! {
    /// Where a report stands.
    pub enum Status {
        /// Being filled in by the organisation.
        Open = "open",
        /// Submitted, waiting for the office.
        Submitted = "submitted",
        /// Sent back for corrections.
        Returned = "returned",
        /// Accepted by the office (a final report closes the contract).
        Accepted = "accepted",
    }
}

/// The one function that says which moves a report may make.
pub fn allowed(from: Status, to: Status) -> bool {
    use Status::*;
    matches!((from, to), (Open | Returned, Submitted) | (Submitted, Returned | Accepted))
}

impl Status {
    /// Fluent id of the status's name.
    pub fn label_key(self) -> String {
        format!("report-status-{}", self.as_str())
    }

    /// Whether the organisation may still change the report.
    pub fn editable(self) -> bool {
        matches!(self, Status::Open | Status::Returned)
    }
}

impl Kind {
    pub fn label_key(self) -> String {
        format!("report-kind-{}", self.as_str())
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
