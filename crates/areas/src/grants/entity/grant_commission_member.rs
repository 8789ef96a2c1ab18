use sea_orm::entity::prelude::*;

/// A member of a call's commission: an official, a person nominated by an organisation, or an
/// expert who advises without a vote. Sees no offer before the impartiality statement.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grant_commission_members")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub commission_id: i64,
    /// The account the member signs in with (set when they have one).
    pub user_id: Option<i64>,
    pub kind: Kind,
    pub name: String,
    pub email: String,
    /// The chair runs the commission (an official).
    pub is_chair: bool,
    pub nomination_id: Option<i64>,
    /// When the impartiality statement was made, its text version and the SHA-256 of the text.
    pub statement_at: Option<DateTimeUtc>,
    pub statement_version: String,
    pub statement_sha256: String,
    pub created_at: DateTimeUtc,
}

crate::status_enum! {
    /// Who the member is in the commission.
    pub enum Kind {
        Official = "official",
        /// Nominated by an organisation (art. 15 ust. 2a pkt 2).
        Ngo = "ngo",
        /// Advises without a vote (art. 15 ust. 2d).
        Expert = "expert",
    }
}

impl Kind {
    /// Whether this member's scores count.
    pub fn votes(self) -> bool {
        self != Kind::Expert
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
