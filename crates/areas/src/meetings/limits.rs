//! The longest text each field of this area's forms takes, in characters, and whether it is one
//! line (hostile input: see `wspolnie_platform::validation`). One table per form, all here.

use wspolnie_platform::validation::{Limits, line, text};

pub const AGENDA_MAX: usize = 20_000;
pub const COMMENT_MAX: usize = 1000;
pub const TITLE_MAX: usize = 200;

/// A meeting (`model::MeetingData`, the officials' form); `custom` holds one address a line.
pub const MEETING: Limits = Limits(&[
    line("title", TITLE_MAX),
    text("agenda", AGENDA_MAX),
    line("date", 10),
    line("start_time", 5),
    line("end_time", 5),
    line("place", 300),
    line("online_url", 500),
    line("capacity", 10),
    line("max_party", 10),
    text("custom", 200_000),
]);

/// An answer to an invitation (`web::AnswerForm`).
pub const ANSWER: Limits = Limits(&[line("party", 10), text("comment", COMMENT_MAX)]);

/// The reason for late invitations (`web::InviteForm`) and the minutes (`web::MinutesForm`).
pub const DETAIL: Limits = Limits(&[text("reason", 2_000), text("minutes", 100_000)]);
