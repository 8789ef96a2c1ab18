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

        "verify_email" => Some(Body {
            subject: lang.t("mail-verify-subject"),
            paragraphs: vec![lang.t("mail-verify-body"), lang.t("mail-verify-ignore")],
            action: Some((lang.t("mail-verify-action"), var(vars, "link").to_owned())),
            links: vec![],
        }),
        "account_exists" => Some(Body {
            subject: lang.t("mail-exists-subject"),
            paragraphs: vec![
                lang.t("mail-exists-body"),
                lang.ta("mail-exists-reset", &[("link", var(vars, "reset"))]),
            ],
            action: Some((lang.t("mail-exists-action"), var(vars, "link").to_owned())),
            links: vec![],
        }),
        "reset_password" => Some(Body {
            subject: lang.t("mail-reset-subject"),
            paragraphs: vec![lang.t("mail-reset-body"), lang.t("mail-reset-ignore")],
            action: Some((lang.t("mail-reset-action"), var(vars, "link").to_owned())),
            links: vec![],
        }),
        "invitation" => Some(Body {
            subject: lang.t("mail-invite-subject"),
            paragraphs: vec![
                lang.ta("mail-invite-body", &[("inviter", var(vars, "inviter"))]),
                lang.t("mail-invite-valid"),
            ],
            action: Some((lang.t("mail-invite-action"), var(vars, "link").to_owned())),
            links: vec![],
        }),
        "org_invitation" => Some(Body {
            subject: lang.ta(
                "mail-org-invite-subject",
                &[("organization", var(vars, "organization"))],
            ),
            paragraphs: vec![
                lang.ta(
                    "mail-org-invite-body",
                    &[
                        ("inviter", var(vars, "inviter")),
                        ("organization", var(vars, "organization")),
                    ],
                ),
                lang.t("mail-org-invite-valid"),
            ],
            action: Some((lang.t("mail-invite-action"), var(vars, "link").to_owned())),
            links: vec![],
        }),
        _ => None,
    }
}
