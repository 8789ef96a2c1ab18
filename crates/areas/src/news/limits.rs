//! The longest text each field of this area's forms takes, in characters, and whether it is one
//! line (hostile input: see `wspolnie_platform::validation`). One table per form, all here.

use wspolnie_platform::validation::{Limits, line, text};

pub const BODY_MAX: usize = 20_000;
pub const LEAD_MAX: usize = 400;
pub const TITLE_MAX: usize = 200;

/// An article (`model::ArticleData`); `photo_alt` and `attachment_title` stand for every
/// `photo_{n}_alt` and `attachment_{n}_title`.
pub const ARTICLE: Limits = Limits(&[
    line("kind", 20),
    line("title", TITLE_MAX),
    text("lead", LEAD_MAX),
    text("body", BODY_MAX),
    line("cover_key", 200),
    line("cover_alt", 300),
    line("photo_alt", 300),
    line("attachment_title", 200),
]);
