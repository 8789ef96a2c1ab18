use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    pub name_fold: String,
    pub short_description: String,
    pub legal_form: String,
    pub krs: Option<String>,
    pub nip: Option<String>,
    pub regon: Option<String>,
    pub is_opp: bool,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub district: String,
    pub status: String,
    pub search_text: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
    /// `wspolnie_core::text::pl_sort_key(name)`: byte order = Polish alphabetical order.
    pub name_sort: String,
    /// Social media links, one URL per line.
    pub social_links: String,
    pub logo_key: Option<String>,
    pub logo_alt: String,
    /// Last time someone of the organisation confirmed the profile (yearly check).
    pub confirmed_at: Option<DateTimeUtc>,
    pub confirmation_sent_at: Option<DateTimeUtc>,
    /// Set when mail to the contact address bounced; cleared when the address changes or is confirmed.
    pub email_bounced_at: Option<DateTimeUtc>,
    /// Number of the approved revision now published (0 for imported/demo data).
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
