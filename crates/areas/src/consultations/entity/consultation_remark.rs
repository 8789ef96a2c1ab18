//! A remark on a unit of one version of the draft (or on the whole of it: empty anchor), with
//! its author and the office's position.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consultation_remarks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub consultation_id: i64,
    /// The version the remark was made on.
    pub version_id: i64,
    /// The unit's anchor in that version; empty for a remark on the whole draft.
    pub anchor: String,
    /// The unit's label as it was then ("§ 2 ust. 1").
    pub unit_label: String,
    pub organization_id: Option<i64>,
    /// The organisation as named (from the directory, or as written on paper).
    pub organization_name: String,
    pub author_name: String,
    pub author_email: String,
    pub user_id: Option<i64>,
    pub channel: Channel,
    /// The wording proposed (may be empty: a remark may only object).
    pub proposal: String,
    pub justification: String,
    /// The official who entered a remark sent by e-mail, on paper or said at the meeting.
    pub entered_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub position: Option<Position>,
    /// The office's justification of its position.
    pub answer: String,
    pub answered_by: Option<i64>,
    pub answered_at: Option<DateTimeUtc>,
    /// When its author was e-mailed the outcome.
    pub notified_at: Option<DateTimeUtc>,
}

crate::status_enum! {
    /// How a remark reached the office.
    pub enum Channel {
        Online = "online",
        Email = "email",
        Paper = "paper",
        Meeting = "meeting",
    }
}

crate::status_enum! {
    /// The office's position on a remark.
    pub enum Position {
        Accepted = "accepted",
        Partly = "partly",
        Rejected = "rejected",
    }
}

impl Channel {
    /// Fluent id of its name.
    pub fn label_key(self) -> String {
        format!("cons-channel-{}", self.as_str())
    }
}

impl Position {
    /// Fluent id of its name.
    pub fn label_key(self) -> String {
        format!("cons-position-{}", self.as_str())
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
