//! The longest text each field of this area's forms takes, in characters, and whether it is one
//! line (hostile input: see `wspolnie_platform::validation`). One table per form, all here.

use wspolnie_platform::validation::{Limits, line, text};

/// An activity (the officials' form, `ActivityData`).
pub const ACTIVITY: Limits = Limits(&[
    line("title", 200),
    text("description", 20_000),
    text("help_sought", 5_000),
    line("start_date", 10),
    line("start_time", 5),
    line("end_date", 10),
    line("place", 300),
    line("contact_name", 120),
    line("contact_email", 254),
    line("contact_phone", 40),
    line("interest_until", 10),
    line("status", 20),
]);

/// A declaration of interest (`InterestData`).
pub const INTEREST: Limits = Limits(&[
    line("organization_name", 200),
    line("contact_name", 120),
    line("email", 254),
    line("phone", 40),
    text("offer", 3_000),
]);

/// A media promotion or patronage request (`media::RequestForm`) and the office's note.
pub const MEDIA: Limits = Limits(&[
    line("kind", 20),
    line("organization", 200),
    line("contact_name", 200),
    line("email", 254),
    line("phone", 40),
    line("title", 200),
    line("date", 10),
    text("description", 5_000),
    text("links", 2_000),
    text("note", 5_000),
]);
