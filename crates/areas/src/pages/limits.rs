//! The longest text each field of this area's forms takes, in characters, and whether it is one
//! line (hostile input: see `wspolnie_platform::validation`). One table per form, all here.

use wspolnie_platform::validation::{Limits, line, text};

/// An information page (`web::PageForm`).
pub const PAGE: Limits = Limits(&[
    line("title_pl", 200),
    line("title_en", 200),
    text("body_pl", 100_000),
    text("body_en", 100_000),
]);

/// A guide's title (`web::FileForm`).
pub const FILE: Limits = Limits(&[line("file_title", 200)]);

/// An office contact (`contacts::ContactForm`).
pub const CONTACT: Limits = Limits(&[
    line("topic", 200),
    line("topic_en", 200),
    line("name", 200),
    line("role", 200),
    line("role_en", 200),
    line("department", 200),
    line("room", 200),
    line("phone", 40),
    line("email", 254),
    line("position", 10),
]);
