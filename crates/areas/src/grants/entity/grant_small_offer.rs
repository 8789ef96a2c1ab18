//! The publication of one small-grant offer (art. 19a): when it came in, the day the office must
//! publish it by (7 working days), the sphere the office files it under, the day it went up and
//! the last day of its comment window.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grant_small_offers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub offer_id: i64,
    pub received_on: Date,
    pub publish_by: Date,
    pub sphere_code: String,
    pub published_on: Option<Date>,
    pub comments_to: Option<Date>,
    pub published_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
