//! The longest text each field of this area's forms takes, in characters, and whether it is one
//! line (hostile input: see `wspolnie_platform::validation`). One table per form, all here.

use wspolnie_platform::validation::{Limits, line, text};

/// The newsletter sign-up (`newsletter_web::SignUpForm`).
pub const NEWSLETTER: Limits = Limits(&[line("email", 254)]);

/// A mailing (`model::MailingData`, the composer). The custom addresses are one per line.
pub const MAILING: Limits = Limits(&[
    line("subject", 200),
    text("body", 100_000),
    text("custom", 200_000),
    line("meeting", 20),
    line("send_date", 10),
    line("send_time", 5),
]);
