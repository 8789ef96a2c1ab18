//! The e-mails of this area: subject, paragraphs and buttons from Fluent messages, wrapped in the
//! common layout by `wspolnie_platform::mail::render`.

use wspolnie_platform::i18n::Lang;
use wspolnie_platform::mail::{Body, var};

/// The meeting messages: invitation, update, cancellation, reminders, a place from the waiting
/// list and the minutes. Answer links lead to a page whose button records the answer.
pub fn body(
    template: &str,
    lang: Lang,
    vars: &serde_json::Map<String, serde_json::Value>,
) -> Option<Body> {
    let title = var(vars, "title");
    let details = || {
        let mut p = vec![
            lang.ta("mail-meeting-when", &[("when", var(vars, "when"))]),
            lang.ta("mail-meeting-place", &[("place", var(vars, "place"))]),
        ];
        let online = var(vars, "online");
        if !online.is_empty() {
            p.push(lang.ta("mail-meeting-online", &[("link", online)]));
        }
        p
    };
    let answer_links = || {
        vec![
            (lang.t("mail-meeting-yes"), var(vars, "yes").to_owned()),
            (lang.t("mail-meeting-no"), var(vars, "no").to_owned()),
        ]
    };
    let answer_action = Some((lang.t("mail-meeting-answer"), var(vars, "link").to_owned()));
    let (subject, mut paragraphs, action, links) = match template {
        "meeting_invitation" => {
            let mut p = vec![lang.ta("mail-meeting-invitation-body", &[("title", title)])];
            p.extend(details());
            p.push(lang.t("mail-meeting-agenda"));
            p.push(var(vars, "agenda").to_owned());
            p.push(lang.t("mail-meeting-answer-hint"));
            (
                lang.ta("mail-meeting-invitation-subject", &[("title", title)]),
                p,
                answer_action,
                answer_links(),
            )
        }
        "meeting_changed" => {
            let mut p = vec![lang.ta("mail-meeting-changed-body", &[("title", title)])];
            p.extend(details());
            p.push(lang.t("mail-meeting-changed-answer"));
            (
                lang.ta("mail-meeting-changed-subject", &[("title", title)]),
                p,
                answer_action,
                answer_links(),
            )
        }
        "meeting_cancelled" => (
            lang.ta("mail-meeting-cancelled-subject", &[("title", title)]),
            vec![lang.ta(
                "mail-meeting-cancelled-body",
                &[("title", title), ("when", var(vars, "when"))],
            )],
            None,
            vec![],
        ),
        "meeting_reminder" => {
            let mut p = vec![lang.ta("mail-meeting-reminder-body", &[("title", title)])];
            p.extend(details());
            p.push(lang.ta(
                "mail-meeting-reminder-party",
                &[("count", var(vars, "party"))],
            ));
            (
                lang.ta("mail-meeting-reminder-subject", &[("title", title)]),
                p,
                Some((
                    lang.t("mail-meeting-change-answer"),
                    var(vars, "link").to_owned(),
                )),
                vec![],
            )
        }
        "meeting_reminder_answer" => {
            let mut p = vec![lang.ta("mail-meeting-reminder-answer-body", &[("title", title)])];
            p.extend(details());
            (
                lang.ta("mail-meeting-reminder-answer-subject", &[("title", title)]),
                p,
                answer_action,
                answer_links(),
            )
        }
        "meeting_seat" => {
            let mut p = vec![lang.ta("mail-meeting-seat-body", &[("title", title)])];
            p.extend(details());
            (
                lang.ta("mail-meeting-seat-subject", &[("title", title)]),
                p,
                Some((
                    lang.t("mail-meeting-change-answer"),
                    var(vars, "link").to_owned(),
                )),
                vec![],
            )
        }
        "meeting_minutes" => (
            lang.ta("mail-meeting-minutes-subject", &[("title", title)]),
            vec![
                lang.ta("mail-meeting-minutes-body", &[("title", title)]),
                var(vars, "minutes").to_owned(),
            ],
            Some((lang.t("mail-meeting-page"), var(vars, "page").to_owned())),
            vec![],
        ),
        _ => return None,
    };
    paragraphs.retain(|p| !p.trim().is_empty());
    Some(Body {
        subject,
        paragraphs,
        action,
        links,
    })
}
