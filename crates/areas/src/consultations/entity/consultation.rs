//! A consultation of a draft (art. 5 ust. 5 UDPP): its subject, audience, forms, period and
//! where it stands; the RDPP's opinion, the minutes of its meeting and the report's summary.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consultations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    /// What is consulted and why (Markdown).
    pub subject_md: String,
    pub audience: Audience,
    /// Remarks written online by the audience.
    pub form_online: bool,
    /// Remarks sent by e-mail or on paper, entered by an official for their author.
    pub form_entered: bool,
    /// The public benefit council (RDPP) is asked for its opinion.
    pub form_rdpp: bool,
    /// The open meeting held in the consultation (the meetings area).
    pub meeting_id: Option<i64>,
    /// Remarks shown on the public page as they come (else only in the report).
    pub remarks_public: bool,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    /// Why the period is shorter than the deployment's minimum (empty when it is not).
    pub short_reason: String,
    pub contact_name: String,
    pub contact_email: String,
    pub status: Status,
    /// The calendar entry of the period.
    pub event_id: Option<i64>,
    /// The day the draft went to the RDPP (its clock starts).
    pub rdpp_sent_on: Option<Date>,
    pub rdpp_opinion_md: String,
    pub rdpp_opinion_on: Option<Date>,
    /// Minutes of the open meeting (Markdown), for the report.
    pub minutes_md: String,
    /// The office's summary of the consultation, for the report.
    pub summary_md: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub announced_at: Option<DateTimeUtc>,
    pub reported_at: Option<DateTimeUtc>,
}

crate::status_enum! {
    /// Where a consultation stands.
    pub enum Status {
        /// Being prepared by the office; not public.
        Draft = "draft",
        /// Public, its period not begun.
        Announced = "announced",
        /// Its period runs: remarks are taken.
        Open = "open",
        /// Its period is over; the office prepares the report.
        Closed = "closed",
        /// The report is published; every author has been told.
        Reported = "reported",
    }
}

/// The one function that says which moves a consultation may make. Announced, open and closed
/// follow one another (the clock moves the first two); nothing public goes back to a draft.
pub fn allowed(from: Status, to: Status) -> bool {
    use Status::*;
    matches!(
        (from, to),
        (Draft, Announced) | (Announced, Open) | (Announced, Closed) | (Open, Closed) | (Closed, Reported)
    )
}

crate::status_enum! {
    /// Who is consulted (the deployment's resolution says which it uses).
    pub enum Audience {
        /// The organisations of the area (art. 3 ust. 2 and 3), through their members.
        Organisations = "organisations",
        /// The public benefit council (RDPP) only: its opinion is the consultation.
        Rdpp = "rdpp",
        /// Everyone: organisations and residents.
        Everyone = "everyone",
    }
}

impl Status {
    /// Fluent id of its name.
    pub fn label_key(self) -> String {
        format!("cons-status-{}", self.as_str())
    }
}

impl Audience {
    /// Fluent id of its name.
    pub fn label_key(self) -> String {
        format!("cons-audience-{}", self.as_str())
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
