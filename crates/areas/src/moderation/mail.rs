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

        "moderation_new" => Some(Body {
            subject: lang.ta(
                "mail-moderation-new-subject",
                &[("title", var(vars, "title"))],
            ),
            paragraphs: vec![lang.ta("mail-moderation-new-body", &[("title", var(vars, "title"))])],
            action: Some((
                lang.t("mail-moderation-new-action"),
                var(vars, "link").to_owned(),
            )),
            links: vec![],
        }),
        "moderation_decision" => {
            let org = var(vars, "organization");
            let subject = var(vars, "subject");
            let event = subject == "event";
            let article = subject == "article";
            let key = match (var(vars, "kind"), var(vars, "decision")) {
                (_, "approved") if event => "mail-event-approved",
                (_, "changes_requested") if event => "mail-event-changes",
                _ if event => "mail-event-rejected",
                (_, "approved") if article => "mail-article-approved",
                (_, "changes_requested") if article => "mail-article-changes",
                _ if article => "mail-article-rejected",
                ("claim", "approved") => "mail-claim-approved",
                ("claim", _) => "mail-claim-rejected",
                (_, "approved") => "mail-profile-approved",
                (_, "changes_requested") => "mail-profile-changes",
                _ => "mail-profile-rejected",
            };
            let mut paragraphs = vec![lang.ta(key, &[("organization", org)])];
            let comment = var(vars, "comment");
            if !comment.is_empty() {
                paragraphs.push(lang.ta("mail-moderation-comment", &[("comment", comment)]));
            }
            Some(Body {
                subject: lang.ta(
                    if event {
                        "mail-event-decision-subject"
                    } else if article {
                        "mail-article-decision-subject"
                    } else {
                        "mail-moderation-decision-subject"
                    },
                    &[("organization", org)],
                ),
                paragraphs,
                action: Some((
                    lang.t("mail-moderation-decision-action"),
                    var(vars, "link").to_owned(),
                )),
                links: vec![],
            })
        }
        _ => None,
    }
}
