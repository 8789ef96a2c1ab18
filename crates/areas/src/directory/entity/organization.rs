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
    pub status: Status,
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
    /// The CSV import that wrote this entry (`directory_imports`), if any.
    pub import_id: Option<i64>,
}

crate::status_enum! {
    /// Where an organisation's entry stands in the directory.
    pub enum Status {
        /// Registered by its people, waiting for the moderators' first decision; not public.
        Pending = "pending",
        /// Listed in the public directory.
        Published = "published",
        /// The registration was refused; the row stays for the record, never public.
        Rejected = "rejected",
        /// Written by a CSV import that has not finished: never public; the import publishes
        /// all its entries in one step, or deletes them when it fails.
        Importing = "importing",
    }
}

/// The one function that says which moves an entry may make: a registration is published or
/// refused; an approved change publishes a listed entry again. A refused entry stays refused
/// (its people register anew) and nothing takes a listed entry back to the queue.
pub fn allowed(from: Status, to: Status) -> bool {
    use Status::*;
    matches!(
        (from, to),
        (Pending, Published | Rejected) | (Published, Published) | (Importing, Published)
    )
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
