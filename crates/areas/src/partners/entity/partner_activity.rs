use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "partner_activities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    pub description_md: String,
    /// What help the office seeks from organisations (plain text, one item per line).
    pub help_sought: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: Option<DateTimeUtc>,
    pub place: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    /// Declarations are accepted until this moment (end of a Warsaw day); None = until the start.
    pub interest_until: Option<DateTimeUtc>,
    pub status: Status,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
}

crate::status_enum! {
    /// Where a city activity open to partners stands.
    pub enum Status {
        /// Being prepared by the office; not public.
        Draft = "draft",
        /// Public; organisations may declare interest until its deadline.
        Published = "published",
        /// Public for the record; no more declarations.
        Closed = "closed",
    }
}

/// The one function that says which moves an activity may make: a draft is published or closed,
/// a published one is closed, a closed one may be opened again. Once public it never goes back
/// to a draft: organisations have seen it and may have declared interest.
pub fn allowed(from: Status, to: Status) -> bool {
    use Status::*;
    from == to || matches!((from, to), (Draft, Published | Closed) | (Published, Closed) | (Closed, Published))
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
