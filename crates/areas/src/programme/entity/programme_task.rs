//! A priority task of a programme (art. 5a ust. 4 pkt 5) with the spheres of public benefit it
//! falls under and the funds planned for it (pkt 8). Calls name the task they serve.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "programme_tasks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub programme_id: i64,
    /// Its number in the programme, from 1.
    pub position: i32,
    pub name: String,
    /// `spheres.code`s, comma-separated.
    pub spheres: String,
    /// Grosze.
    pub planned_funds: i64,
}

impl Model {
    /// Its sphere codes.
    pub fn sphere_codes(&self) -> Vec<&str> {
        self.spheres.split(',').map(str::trim).filter(|s| !s.is_empty()).collect()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
