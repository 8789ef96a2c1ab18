use sea_orm::entity::prelude::*;

/// Status of an invitation (`status` column).
pub const I_INVITED: &str = "invited";
pub const I_ATTENDING: &str = "attending";
pub const I_WAITLISTED: &str = "waitlisted";
pub const I_DECLINED: &str = "declined";


#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_invitations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub meeting_id: i64,
    /// Normalised; unique per meeting.
    pub email: String,
    pub lang: String,
    /// `organization`, `subscriber` or `custom`.
    pub source: String,
    pub organization_id: Option<i64>,
    /// `invited`, `attending`, `waitlisted` or `declined`.
    pub status: String,
    pub party_size: i32,
    pub comment: String,
    pub responded_at: Option<DateTimeUtc>,
    pub waitlisted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
