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
