//! The longest text each field of this area's forms takes, in characters, and whether it is one
//! line (hostile input: see `wspolnie_platform::validation`). One table per form, all here.

use wspolnie_platform::validation::{Limits, line, text};

/// A call (the officials' form, `model::CallData`); repeated rows are checked in `validate`.
pub const CALL: Limits = Limits(&[
    line("number", 60),
    line("title", 300),
    line("sphere_code", 60),
    text("task_type", 2_000),
    text("description", 50_000),
    line("funds", 30),
    text("grant_rules", 50_000),
    line("execution_from", 10),
    line("execution_to", 10),
    text("execution_conditions", 50_000),
    line("offers_from", 10),
    line("deadline_date", 10),
    line("deadline_time", 8),
    text("selection_procedure", 50_000),
    line("selection_date", 10),
    text("formal_checklist", 10_000),
    line("max_grant", 30),
    line("min_own", 10),
    line("admin_cap", 10),
    line("max_years", 2),
    text("required_attachments", 5_000),
    line("correction_days", 3),
    line("contact_name", 200),
    line("contact_email", 254),
]);

/// The annulment or status change reason.
pub const MOVE: Limits = Limits(&[text("reason", 5_000)]);

/// The offer's section forms (`offers.rs`); repeated rows are checked by their column's name
/// (`cost_unit_cost` for `cost-3-unit_cost`).
pub const OFFER: Limits = Limits(&[
    line("lead_name", 300),
    line("lead_legal_form", 200),
    line("lead_register_number", 100),
    line("lead_seat", 300),
    line("lead_website", 300),
    line("lead_correspondence_address", 300),
    line("lead_email", 254),
    line("lead_phone", 50),
    line("partner_name", 300),
    line("partner_legal_form", 200),
    line("partner_register_number", 100),
    line("partner_seat", 300),
    line("partner_website", 300),
    line("partner_correspondence_address", 300),
    line("partner_email", 254),
    line("partner_phone", 50),
    line("contact_person", 200),
    line("contact_phone", 50),
    line("contact_email", 254),
    line("title", 300),
    line("start_date", 10),
    line("end_date", 10),
    text("summary", 10_000),
    text("place", 2_000),
    line("action_name", 300),
    text("action_description", 5_000),
    line("action_target_group", 500),
    line("action_planned_dates", 100),
    line("action_non_party", 300),
    line("action_year", 2),
    text("expected", 10_000),
    line("indicator_result", 500),
    line("indicator_planned_value", 200),
    line("indicator_monitoring", 500),
    text("earlier_activity", 10_000),
    text("resources", 10_000),
    line("cost_action", 10),
    line("cost_kind", 300),
    line("cost_unit", 50),
    line("cost_unit_cost", 30),
    line("cost_units", 30),
    line("cost_year", 2),
    line("grant", 30),
    line("own_financial", 30),
    line("personal", 30),
    line("in_kind", 30),
    line("fees", 30),
    text("valuation", 3_000),
    line("split_amount", 30),
    text("text", 10_000),
    line("confirmed", 40),
]);

/// The name of another attachment of an offer.
pub const OFFER_FILE: Limits = Limits(&[line("attachment", 300)]);

/// The formal check of an offer (`formal::record`).
pub const FORMAL: Limits = Limits(&[text("deficiencies", 10_000)]);

/// The public verification of a checksum (`submit::verify`).
pub const VERIFY: Limits = Limits(&[line("kod", 100)]);
