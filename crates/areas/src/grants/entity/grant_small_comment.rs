//! A comment anyone may leave on a published small-grant offer (art. 19a ust. 5), held until an
//! official of the grants scope lets it through or hides it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grant_small_comments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub offer_id: i64,
    pub author_name: String,
    pub author_email: String,
    pub body: String,
    pub status: Status,
    pub created_at: DateTimeUtc,
    pub moderated_by: Option<i64>,
    pub moderated_at: Option<DateTimeUtc>,
}

crate::status_enum! {
    pub enum Status {
        Pending = "pending",
        Published = "published",
        Hidden = "hidden",
    }
}

/// A held comment is let through or hidden; either can be undone by the other.
pub fn allowed(from: Status, to: Status) -> bool {
    use Status::*;
    matches!((from, to), (Pending, Published | Hidden) | (Published, Hidden) | (Hidden, Published))
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
