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

        "org_confirm" => Some(Body {
            subject: lang.ta(
                "mail-org-confirm-subject",
                &[("organization", var(vars, "organization"))],
            ),
            paragraphs: vec![
                lang.ta(
                    "mail-org-confirm-body",
                    &[("organization", var(vars, "organization"))],
                ),
                lang.ta("mail-org-confirm-edit", &[("link", var(vars, "edit"))]),
            ],
            action: Some((
                lang.t("mail-org-confirm-action"),
                var(vars, "link").to_owned(),
            )),
            links: vec![],
        }),
        _ => None,
    }
}
