//! The e-mails of this area: subject, paragraphs and buttons from Fluent messages, wrapped in the
//! common layout by `wspolnie_platform::mail::render`.

use wspolnie_platform::i18n::Lang;
use wspolnie_platform::mail::{Body, var};

/// The body of one of this area's templates, or `None` when the name is not ours.
pub fn body(
    template: &str,
    lang: Lang,
    vars: &serde_json::Map<String, serde_json::Value>,
) -> Option<Body> {
    match template {

        "newsletter_confirm" => Some(Body {
            subject: lang.t("mail-newsletter-confirm-subject"),
            paragraphs: vec![
                lang.t("mail-newsletter-confirm-body"),
                lang.t("mail-newsletter-confirm-ignore"),
            ],
            action: Some((
                lang.t("mail-newsletter-confirm-action"),
                var(vars, "link").to_owned(),
            )),
            links: vec![],
        }),
        "newsletter_already" => Some(Body {
            subject: lang.t("mail-newsletter-already-subject"),
            paragraphs: vec![
                lang.t("mail-newsletter-already-body"),
                lang.t("mail-newsletter-confirm-ignore"),
            ],
            action: Some((
                lang.t("mail-newsletter-preferences-action"),
                var(vars, "link").to_owned(),
            )),
            links: vec![],
        }),
        "newsletter_welcome" => Some(Body {
            subject: lang.t("mail-newsletter-welcome-subject"),
            paragraphs: vec![
                lang.t("mail-newsletter-welcome-body"),
                lang.t("mail-newsletter-welcome-keep"),
            ],
            action: Some((
                lang.t("mail-newsletter-preferences-action"),
                var(vars, "link").to_owned(),
            )),
            links: vec![],
        }),
        _ => None,
    }
}
