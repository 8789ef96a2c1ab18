use sea_orm::entity::prelude::*;

/// One section of an offer's working copy. Two people saving different sections never touch
/// each other's row; two saving the same one are told apart by `version` (compare-and-set).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grant_offer_sections")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub offer_id: i64,
    /// `offer::Section` code.
    pub section: String,
    /// The section's JSON (`offer::*Section`).
    pub data: String,
    /// Raised by every save.
    pub version: i32,
    pub updated_by: Option<i64>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
