use sea_orm::entity::prelude::*;

/// One cost line of a contract: the offer's final cost table as agreed, with the part of each
/// line the grant pays (the tolerance of the report is checked per line against it). Changed
/// only by an annex.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grant_contract_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub contract_id: i64,
    /// 1, 2, … as in the cost table.
    pub n: i32,
    /// The kind of cost (and the action it belongs to).
    pub name: String,
    /// Year of the task (1–3).
    pub year: i32,
    /// The line's value, grosze.
    pub value: i64,
    /// Of which the grant, grosze.
    pub grant_part: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
