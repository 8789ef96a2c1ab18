use sea_orm::entity::prelude::*;

/// An open call for offers (otwarty konkurs ofert): every item art. 13 UDPP requires of the
/// announcement, and the rules the office set for this call. Money in grosze; percentages in
/// basis points (1 % = 100).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grant_calls")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    /// The office's reference number of the call (e.g. "WSO.524.3.2027").
    pub number: String,
    pub title: String,
    /// The sphere of public benefit (art. 4 UDPP) of the task, a `spheres.code`.
    pub sphere_code: String,
    /// The type of public task as the announcement names it.
    pub task_type: String,
    /// What the task is and what it should achieve (Markdown).
    pub description_md: String,
    /// Funds available for the call, grosze.
    pub funds_available: i64,
    /// Rules of awarding the grant (Markdown).
    pub grant_rules_md: String,
    /// The window in which tasks may be carried out.
    pub execution_from: Date,
    pub execution_to: Date,
    /// Conditions of execution (Markdown).
    pub execution_conditions_md: String,
    /// Offers accepted from this moment; None = from the announcement.
    pub offers_from: Option<DateTimeUtc>,
    /// The offer deadline (entered in Warsaw time).
    pub offer_deadline: DateTimeUtc,
    /// The selection procedure (Markdown).
    pub selection_procedure_md: String,
    /// Date by which offers are selected.
    pub selection_date: Date,
    /// JSON `[PriorFunding]`: tasks of the same type funded this year and last year.
    pub prior_funding: String,
    /// JSON `[Criterion]`: selection criteria with their point scales and weights.
    pub criteria: String,
    /// The formal checklist, one item per line.
    pub formal_checklist: String,
    /// Most an offer may ask for, grosze; None = up to the funds available.
    pub max_grant: Option<i64>,
    /// Minimum own contribution as a share of the total cost, basis points.
    pub min_own_bp: i32,
    /// Which kinds of own contribution count: comma-separated `financial,personal,in_kind`.
    pub own_kinds: String,
    /// Whether fees from the task's recipients are allowed.
    pub fees_allowed: bool,
    /// Most of the total cost that administrative costs may take, basis points; None = no cap.
    pub admin_cap_bp: Option<i32>,
    /// Longest task in calendar years (1–3).
    pub max_years: i32,
    pub joint_allowed: bool,
    /// Whether offers must give result indicators (III.6).
    pub indicators_required: bool,
    /// Attachments every offer must carry, one per line.
    pub required_attachments: String,
    /// Days an organisation has to correct formal deficiencies.
    pub correction_days: i32,
    /// The offer form's template version offers of this call are made on.
    pub form_version: String,
    pub contact_name: String,
    pub contact_email: String,
    pub status: Status,
    pub announced_at: Option<DateTimeUtc>,
    /// The calendar entry showing the offer deadline (`events` row of category `konkurs`).
    pub event_id: Option<i64>,
    pub cloned_from: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Raised by every saved change of the call.
    pub version: i32,
    /// When the call was annulled (art. 18a UDPP), on which ground (`annul::Ground` code) and
    /// why — published like results.
    pub annulled_at: Option<DateTimeUtc>,
    pub annul_ground: String,
    pub annul_reason: String,
    /// An open call, or the office's register of small grants of one year (art. 19a).
    pub kind: Kind,
    /// The priority task of the cooperation programme the call serves (`programme_tasks.id`).
    pub programme_task_id: Option<i64>,
}

crate::status_enum! {
    /// Where a call stands.
    pub enum Status {
        /// Being prepared by the office; not public.
        Draft = "draft",
        /// Published; offers are not accepted yet (`offers_from` ahead).
        Announced = "announced",
        /// Published and accepting offers until the deadline.
        Open = "open",
        /// The deadline has passed; offers wait for the formal check.
        Closed = "closed",
        /// The formal check and the commission's work are under way.
        InEvaluation = "in_evaluation",
        /// The results are decided.
        Decided = "decided",
        /// Annulled (art. 18a UDPP) or cancelled.
        Annulled = "annulled",
    }
}

crate::status_enum! {
    /// What a call row is: an open call for offers (art. 11–15), or the register of one year's
    /// small grants outside calls (art. 19a), which takes simplified offers all year.
    pub enum Kind {
        Open = "open",
        Small = "small",
    }
}

/// The one function that says which moves a call may make. A published call never goes back to
/// a draft; the clock moves it from announced to open and from open to closed (`model::advance`);
/// the office starts the evaluation, decides or annuls.
pub fn allowed(from: Status, to: Status) -> bool {
    use Status::*;
    from == to
        || matches!(
            (from, to),
            (Draft, Announced | Open)
                | (Announced, Open | Closed | Annulled)
                | (Open, Closed | Annulled)
                | (Closed, InEvaluation | Annulled)
                | (InEvaluation, Decided | Annulled)
        )
}

impl Status {
    /// Published: visible on the public pages.
    pub fn is_public(self) -> bool {
        self != Status::Draft
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
