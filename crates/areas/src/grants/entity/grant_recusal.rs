use sea_orm::entity::prelude::*;

/// A member's recusal from one offer (KPA art. 24 grounds): found from the directory (the member
/// belongs to the offering organisation) or declared by the member.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grant_recusals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub member_id: i64,
    pub offer_id: i64,
    pub source: Source,
    pub reason: String,
    pub declared_at: DateTimeUtc,
}

crate::status_enum! {
    /// How the recusal came about.
    pub enum Source {
        /// The member's account belongs to the offering organisation.
        Directory = "directory",
        /// The member declared a tie (family, employment, membership not in the directory).
        Declared = "declared",
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
