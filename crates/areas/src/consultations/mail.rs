//! The e-mails of this area: subject, paragraphs and buttons from Fluent messages, wrapped in the
//! common layout by `wspolnie_platform::mail::render`. (The announcement goes out as a mailing,
//! see `store::announce`.)

use wspolnie_platform::i18n::Lang;
use wspolnie_platform::mail::{Body, var};

/// `consultation_outcome`: to each author, the office's position on each of their remarks when
/// the report is published.
pub fn body(
    template: &str,
    lang: Lang,
    vars: &serde_json::Map<String, serde_json::Value>,
) -> Option<Body> {
    let title = var(vars, "title");
    match template {
        "consultation_outcome" => Some(Body {
            subject: lang.ta("cons-outcome-subject", &[("title", title)]),
            paragraphs: vec![
                lang.ta("cons-outcome-body", &[("title", title)]),
                var(vars, "outcomes").to_owned(),
                lang.t("cons-outcome-thanks"),
            ],
            action: Some((lang.t("cons-outcome-report"), var(vars, "link").to_owned())),
            links: vec![],
        }),
        _ => None,
    }
}
