//! The longest text each field of this area's forms takes, in characters, and whether it is one
//! line (hostile input: see `wspolnie_platform::validation`). One table per form, all here.

use wspolnie_platform::validation::{Limits, line, text};

/// A moderator's decision (`web::DecisionForm`); the comment is mailed to the organisation.
pub const DECISION: Limits = Limits(&[line("decision", 40), text("comment", 5_000)]);
