//! The e-mails of this area: subject, paragraphs and buttons from Fluent messages, wrapped in the
//! common layout by `wspolnie_platform::mail::render`.

use wspolnie_platform::i18n::Lang;
use wspolnie_platform::mail::{Body, var};

/// `programme_deadline`: to the officials in charge, a deadline of the programme or of its
/// report coming and not met.
pub fn body(template: &str, lang: Lang, vars: &serde_json::Map<String, serde_json::Value>) -> Option<Body> {
    match template {
        "programme_deadline" => {
            let args = [("year", var(vars, "year")), ("due", var(vars, "due")), ("days", var(vars, "days"))];
            let which = if var(vars, "kind") == "report" { "report" } else { "programme" };
            Some(Body {
                subject: lang.ta(&format!("prog-remind-{which}-subject"), &args),
                paragraphs: vec![lang.ta(&format!("prog-remind-{which}-body"), &args)],
                action: Some((lang.t("prog-remind-open"), var(vars, "link").to_owned())),
                links: vec![],
            })
        }
        _ => None,
    }
}
