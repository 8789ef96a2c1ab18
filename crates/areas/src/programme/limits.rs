//! The longest text each field of this area's forms takes, in characters, and whether it is one
//! line (hostile input: see `wspolnie_platform::validation`). One table per form, all here.

use wspolnie_platform::validation::{Limits, line, text};

/// One part of the programme or of its report.
pub const PART_MAX: usize = 100_000;

/// The programme (`model::ProgrammeForm`).
pub const PROGRAMME: Limits = Limits(&[
    line("title", 300),
    line("year_from", 10),
    line("year_to", 10),
    text("main_goal", PART_MAX),
    text("specific_goals", PART_MAX),
    text("principles", PART_MAX),
    text("scope", PART_MAX),
    text("forms", PART_MAX),
    text("implementation", PART_MAX),
    line("total_funds", 30),
    text("evaluation", PART_MAX),
    text("drafting", PART_MAX),
    line("consultation", 20),
    text("commissions", PART_MAX),
    line("version", 20),
]);

/// A row of tasks or indicators, and a manual indicator's value (`task_2_name` takes the limit
/// of `task_name`).
pub const ROW: Limits = Limits(&[
    line("task_name", 1_000),
    line("task_funds", 30),
    line("task_spheres", 100),
    line("indicator_name", 1_000),
    line("indicator_metric", 40),
    line("indicator_target", 30),
    line("manual", 30),
]);

/// The council's resolution (`model::AdoptionForm`).
pub const ADOPTION: Limits = Limits(&[line("resolution_number", 100), line("resolution_date", 10)]);

/// The report's narrative (`model::ReportForm`).
pub const REPORT: Limits = Limits(&[
    text("introduction", PART_MAX),
    text("financial", PART_MAX),
    text("non_financial", PART_MAX),
    text("conclusions", PART_MAX),
]);
