use sea_orm::entity::prelude::*;

/// One member's score card for one offer: points and a comment per criterion of the call, in
/// the call's order. A draft until submitted; saved with compare-and-set on `version`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grant_score_cards")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub member_id: i64,
    pub offer_id: i64,
    /// JSON `[points or null, …]`.
    pub points: String,
    /// JSON `["comment", …]`.
    pub comments: String,
    pub submitted_at: Option<DateTimeUtc>,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
