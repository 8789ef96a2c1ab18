use sea_orm::entity::prelude::*;

/// The amount the commission proposes for one offer it scored, with its note (the commission's
/// opinion, art. 15 ust. 2a UDPP; the mayor decides).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grant_opinion_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub commission_id: i64,
    pub offer_id: i64,
    /// Grosze; 0 = not to be funded.
    pub proposed: i64,
    pub note: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
