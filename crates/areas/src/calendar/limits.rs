//! The longest text each field of this area's forms takes, in characters, and whether it is one
//! line (hostile input: see `wspolnie_platform::validation`). One table per form, all here.

use wspolnie_platform::validation::{Limits, line, text};

pub const DESCRIPTION_MAX: usize = 10_000;
pub const TITLE_MAX: usize = 200;

/// An event (`model::EventData`, the organisations' event form).
pub const EVENT: Limits = Limits(&[
    line("title", TITLE_MAX),
    text("description", DESCRIPTION_MAX),
    line("category", 40),
    line("start_date", 10),
    line("start_time", 5),
    line("end_date", 10),
    line("end_time", 5),
    line("place", 300),
    line("online_url", 500),
    line("price_info", 300),
    line("registration_url", 500),
    line("poster_key", 200),
    line("poster_alt", 300),
    line("repeat", 20),
    line("repeat_until", 10),
]);
