//! The longest text each field of this area's forms takes, in characters, and whether it is one
//! line (hostile input: see `wspolnie_platform::validation`). One table per form, all here.

use wspolnie_platform::validation::{Limits, line, text};

/// The draft's source text (a long act runs to a few hundred thousand characters).
pub const DRAFT_MAX: usize = 500_000;

/// A consultation (`model::ConsultationForm`, the officials' form).
pub const CONSULTATION: Limits = Limits(&[
    line("title", 300),
    text("subject", 20_000),
    line("audience", 20),
    line("meeting", 20),
    line("start_date", 10),
    line("end_date", 10),
    text("short_reason", 2_000),
    line("contact_name", 200),
    line("contact_email", 254),
    text("draft", DRAFT_MAX),
]);

/// A new version of the draft (`model::VersionForm`).
pub const VERSION: Limits = Limits(&[text("draft", DRAFT_MAX), text("note", 5_000)]);

/// A remark (`model::RemarkForm`), online or entered by an official.
pub const REMARK: Limits = Limits(&[
    line("anchor", 200),
    line("organization", 20),
    line("organization_name", 300),
    line("author_name", 200),
    line("author_email", 254),
    line("channel", 20),
    text("proposal", 10_000),
    text("justification", 10_000),
]);

/// An answer to remarks (`model::AnswerForm`) and a reusable template of one.
pub const ANSWER: Limits = Limits(&[
    line("position", 20),
    line("template", 20),
    text("answer", 10_000),
    line("title", 200),
]);

/// The report's parts the office writes (`model::ReportForm`) and the RDPP's opinion.
pub const REPORT: Limits = Limits(&[
    text("summary", 50_000),
    text("minutes", 100_000),
    text("opinion", 50_000),
    line("sent_on", 10),
    line("opinion_on", 10),
]);

/// An attachment's title (`panel::upload`; the file part is read beside it).
pub const FILE: Limits = Limits(&[line("file_title", 200)]);
