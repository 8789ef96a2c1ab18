use sea_orm::entity::prelude::*;

/// One uploaded CSV file and how far its import has come (see `directory::import`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "directory_imports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub status: Status,
    pub file_name: String,
    /// The file as uploaded (UTF-8); emptied when the import ends.
    pub file_text: String,
    pub total_rows: i64,
    pub checked_rows: i64,
    pub written_rows: i64,
    pub error_count: i64,
    /// Every error as JSON `[[line, column, message key], …]`.
    pub errors: String,
    /// An internal reason the import stopped (not an error in the file), for the administrator.
    pub message: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
}

crate::status_enum! {
    /// Where an import stands.
    pub enum Status {
        /// Uploaded; the worker has not started on it.
        Queued = "queued",
        /// The whole file is being checked.
        Checking = "checking",
        /// Valid; its organisations are being written (staged, not public yet).
        Writing = "writing",
        /// Every organisation published in one step.
        Done = "done",
        /// Errors in the file, or stopped: nothing of it is in the directory.
        Failed = "failed",
    }
}

/// The one function that says which moves an import may make. Checking may start again (a
/// worker that died mid-check), and a write that finds the file no longer valid (an entry with the
/// same number was added meanwhile) fails and removes what it staged.
pub fn allowed(from: Status, to: Status) -> bool {
    use Status::*;
    matches!(
        (from, to),
        (Queued | Checking, Checking)
            | (Queued | Checking | Writing, Failed)
            | (Checking, Writing)
            | (Writing, Done)
    )
}

impl Status {
    /// Still being worked on.
    pub fn is_running(self) -> bool {
        matches!(self, Status::Queued | Status::Checking | Status::Writing)
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
