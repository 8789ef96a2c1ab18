//! Event categories shared by the submission form, the calendar filters and the feeds. Their
//! names are Fluent messages `event-category-<code>`.

pub const CATEGORIES: [&str; 10] = [
    "spotkanie",
    "warsztaty",
    "szkolenie",
    "konferencja",
    "festyn",
    "koncert",
    "wystawa",
    "sport",
    "wolontariat",
    "inne",
];

pub fn is_category(code: &str) -> bool {
    CATEGORIES.contains(&code)
}

/// Categories of entries the office's own areas put in the calendar (a call's offer deadline);
/// shown and filtered like the others, never offered in an organisation's event form.
pub const OFFICE_CATEGORIES: [&str; 1] = ["konkurs"];

/// Whether the calendar shows and filters by this category: an organisation's or the office's.
pub fn is_listed_category(code: &str) -> bool {
    is_category(code) || OFFICE_CATEGORIES.contains(&code)
}
