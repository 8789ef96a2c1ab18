//! A cooperation programme with organisations (art. 5a UDPP): one year's or several years', its
//! eleven required parts (ust. 4 pkt 1–11) and where it stands.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "programmes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    /// Part 6, the period: the calendar years it covers (equal for an annual programme).
    pub year_from: i32,
    pub year_to: i32,
    pub status: Status,
    /// Part 1: the main goal, and the specific goals one per line.
    pub main_goal: String,
    pub specific_goals: String,
    /// Part 2: the principles of cooperation (Markdown).
    pub principles: String,
    /// Part 3: the scope of cooperation (Markdown).
    pub scope: String,
    /// Part 4: the forms of cooperation, financial and non-financial (Markdown).
    pub forms: String,
    /// Part 7: how the programme is carried out (Markdown).
    pub implementation: String,
    /// Part 8: the funds planned for it, grosze (per task in `programme_tasks`).
    pub total_funds: i64,
    /// Part 9: how it is evaluated (Markdown); its indicators in `programme_indicators`.
    pub evaluation: String,
    /// Part 10: how it was drafted and consulted (Markdown), and its consultation.
    pub drafting: String,
    pub consultation_id: Option<i64>,
    /// Part 11: how competition commissions are formed and work (Markdown).
    pub commissions: String,
    /// The council's resolution adopting it.
    pub resolution_number: String,
    pub resolution_date: Option<Date>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub adopted_at: Option<DateTimeUtc>,
    /// Raised by every saved change (two officials saving at once: the second is told).
    pub version: i32,
}

crate::status_enum! {
    /// Where a programme stands.
    pub enum Status {
        /// Being written by the office; not public.
        Draft = "draft",
        /// Its draft is consulted (its consultation is linked).
        Consultation = "consultation",
        /// Adopted by the council's resolution, before its first year.
        Adopted = "adopted",
        /// Its period has begun.
        InForce = "in_force",
        /// The report on its last year is published.
        Reported = "reported",
    }
}

/// The one function that says which moves a programme may make. A consulted draft may go back
/// to the office for another round; the calendar moves an adopted programme into force; the
/// report on its last year ends it.
pub fn allowed(from: Status, to: Status) -> bool {
    use Status::*;
    matches!(
        (from, to),
        (Draft, Consultation) | (Consultation, Draft) | (Consultation, Adopted) | (Adopted, InForce) | (InForce, Reported)
    )
}

impl Status {
    /// Fluent id of its name.
    pub fn label_key(self) -> String {
        format!("prog-status-{}", self.as_str())
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
