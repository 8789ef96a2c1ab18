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

/// The formal check of an offer (`formal::record`).
pub const FORMAL: Limits = Limits(&[text("deficiencies", 10_000)]);

/// The public verification of a checksum (`submit::verify`).
pub const VERIFY: Limits = Limits(&[line("kod", 100)]);
