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
        "partner_interest_new" => Some(Body {
            subject: lang.ta(
                "mail-interest-new-subject",
                &[("activity", var(vars, "activity"))],
            ),
            paragraphs: vec![
                lang.ta(
                    "mail-interest-new-body",
                    &[
                        ("activity", var(vars, "activity")),
                        ("organization", var(vars, "organization")),
                    ],
                ),
                lang.ta(
                    "mail-interest-new-contact",
                    &[
                        ("contact", var(vars, "contact")),
                        ("email", var(vars, "email")),
                        ("phone", var(vars, "phone")),
                    ],
                ),
                lang.ta("mail-interest-offer", &[("offer", var(vars, "offer"))]),
            ],
            action: Some((
                lang.t("mail-interest-new-action"),
                var(vars, "link").to_owned(),
            )),
            links: vec![],
        }),

        // To an address nobody has verified: only our text, the activity's title (the office
        // wrote it) and the link — nothing the sender typed, so the form cannot relay text.
        "partner_interest_confirm" => Some(Body {
            subject: lang.ta(
                "mail-interest-confirm-subject",
                &[("activity", var(vars, "activity"))],
            ),
            paragraphs: vec![
                lang.ta(
                    "mail-interest-confirm-body",
                    &[("activity", var(vars, "activity"))],
                ),
                lang.t("mail-interest-confirm-ignore"),
            ],
            action: Some((
                lang.t("mail-interest-confirm-action"),
                var(vars, "page").to_owned(),
            )),
            links: vec![],
        }),
        "media_request_new" => {
            let kind = lang.t(&format!("media-kind-{}", var(vars, "kind")));
            let mut paragraphs = vec![
                lang.ta(
                    "mail-media-new-body",
                    &[
                        ("kind", kind.as_str()),
                        ("organization", var(vars, "organization")),
                        ("title", var(vars, "title")),
                    ],
                ),
                lang.ta(
                    "mail-media-new-contact",
                    &[
                        ("name", var(vars, "contact_name")),
                        ("email", var(vars, "email")),
                        ("phone", var(vars, "phone")),
                    ],
                ),
            ];
            let date = var(vars, "date");
            if !date.is_empty() {
                paragraphs.push(lang.ta("mail-media-new-date", &[("date", date)]));
            }
            paragraphs.push(var(vars, "description").to_owned());
            let links = var(vars, "links");
            if !links.is_empty() {
                paragraphs.push(lang.ta("mail-media-new-links", &[("links", links)]));
            }
            Some(Body {
                subject: lang.ta(
                    "mail-media-new-subject",
                    &[("kind", kind.as_str()), ("title", var(vars, "title"))],
                ),
                paragraphs,
                action: Some((
                    lang.t("mail-media-new-action"),
                    var(vars, "link").to_owned(),
                )),
                links: vec![],
            })
        }
        // To an address nobody has verified: only our text and the office's contact, nothing
        // the sender typed (the title went into the Subject before).
        "media_request_received" => {
            let kind = lang.t(&format!("media-kind-{}", var(vars, "kind")));
            Some(Body {
                subject: lang.t("mail-media-received-subject"),
                paragraphs: vec![
                    lang.ta("mail-media-received-body", &[("kind", kind.as_str())]),
                    lang.ta(
                        "mail-media-received-contact",
                        &[("contact", var(vars, "office_contact"))],
                    ),
                ],
                action: None,
                links: vec![],
            })
        }
        "media_request_decision" => {
            let accepted = var(vars, "decision") == "accepted";
            Some(Body {
                subject: lang.ta(
                    "mail-media-decision-subject",
                    &[("title", var(vars, "title"))],
                ),
                paragraphs: vec![
                    lang.ta(
                        if accepted {
                            "mail-media-accepted-body"
                        } else {
                            "mail-media-declined-body"
                        },
                        &[("title", var(vars, "title"))],
                    ),
                    lang.ta(
                        "mail-media-received-contact",
                        &[("contact", var(vars, "office_contact"))],
                    ),
                ],
                action: None,
                links: vec![],
            })
        }
        _ => None,
    }
}
