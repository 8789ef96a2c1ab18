//! The report on one year of a programme (art. 5a ust. 3): the office's narrative, the values of
//! manual indicators, and — once published — the figures as they stood (JSON of
//! `figures::Figures`), so a published report does not change as the data does.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "programme_reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub programme_id: i64,
    pub year: i32,
    pub status: Status,
    /// The narrative sections (Markdown).
    pub introduction: String,
    pub financial: String,
    pub non_financial: String,
    pub conclusions: String,
    /// JSON `{indicator id: value}` of the indicators the office measures itself.
    pub manual_values: String,
    /// JSON `figures::Figures`, frozen at publication.
    pub figures: Option<String>,
    pub published_at: Option<DateTimeUtc>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

crate::status_enum! {
    /// Where a report stands.
    pub enum Status {
        /// Written by the office; its figures follow the data.
        Draft = "draft",
        /// Published for the council and BIP; its figures frozen.
        Published = "published",
    }
}

/// The one function that says which moves a report may make.
pub fn allowed(from: Status, to: Status) -> bool {
    matches!((from, to), (Status::Draft, Status::Published))
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
