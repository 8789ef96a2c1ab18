//! The e-mails of the grants area: subject, paragraphs and a button from Fluent messages, wrapped
//! in the common layout by `wspolnie_platform::mail::render`.

use wspolnie_platform::i18n::Lang;
use wspolnie_platform::mail::{Body, var};

/// "Label: value" as one paragraph.
fn line(lang: Lang, label: &str, value: &str) -> String {
    format!("{}: {value}", lang.t(label))
}

/// The body of one of this area's templates, or `None` when the name is not ours.
pub fn body(
    template: &str,
    lang: Lang,
    vars: &serde_json::Map<String, serde_json::Value>,
) -> Option<Body> {
    match template {
        "grant_offer_submitted" => {
            let correction = vars
                .get("correction")
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            Some(Body {
                subject: lang.ta(
                    if correction {
                        "mail-offer-corrected-subject"
                    } else {
                        "mail-offer-submitted-subject"
                    },
                    &[("offer", var(vars, "offer"))],
                ),
                paragraphs: vec![
                    lang.ta(
                        if correction {
                            "mail-offer-corrected-body"
                        } else {
                            "mail-offer-submitted-body"
                        },
                        &[
                            ("organization", var(vars, "organization")),
                            ("offer", var(vars, "offer")),
                            ("title", var(vars, "call")),
                        ],
                    ),
                    line(lang, "mail-offer-call", &format!("{} ({})", var(vars, "call"), var(vars, "number"))),
                    line(lang, "mail-offer-version", var(vars, "version")),
                    line(lang, "mail-offer-when", var(vars, "when")),
                    line(lang, "mail-offer-checksum", var(vars, "checksum")),
                    line(lang, "mail-offer-code", var(vars, "code")),
                    lang.ta("mail-offer-verify", &[("link", var(vars, "verify"))]),
                ],
                action: Some((lang.t("mail-offer-action"), var(vars, "link").to_owned())),
                links: vec![],
            })
        }
        "grant_offer_withdrawn" => Some(Body {
            subject: lang.ta(
                "mail-offer-withdrawn-subject",
                &[("offer", var(vars, "offer"))],
            ),
            paragraphs: vec![
                lang.ta(
                    "mail-offer-withdrawn-body",
                    &[
                        ("organization", var(vars, "organization")),
                        ("offer", var(vars, "offer")),
                        ("title", var(vars, "call")),
                    ],
                ),
                line(lang, "mail-offer-when", var(vars, "when")),
            ],
            action: None,
            links: vec![],
        }),
        "grant_offer_formal" => {
            let result = var(vars, "result");
            let mut paragraphs = vec![lang.ta(
                &format!("mail-formal-{result}-body"),
                &[
                    ("offer", var(vars, "offer")),
                    ("title", var(vars, "call")),
                ],
            )];
            if !var(vars, "deficiencies").is_empty() {
                paragraphs.push(line(lang, "mail-formal-deficiencies", var(vars, "deficiencies")));
            }
            if result == "deficient" {
                paragraphs.push(line(lang, "mail-formal-sections", var(vars, "sections")));
                paragraphs.push(line(lang, "mail-formal-deadline", var(vars, "deadline")));
            }
            Some(Body {
                subject: lang.ta(
                    &format!("mail-formal-{result}-subject"),
                    &[("offer", var(vars, "offer"))],
                ),
                paragraphs,
                action: Some((lang.t("mail-formal-action"), var(vars, "link").to_owned())),
                links: vec![],
            })
        }
        "grant_reasons_answer" => Some(Body {
            subject: lang.ta("mail-reasons-subject", &[("title", var(vars, "call"))]),
            paragraphs: vec![
                lang.ta("mail-reasons-body", &[("title", var(vars, "call"))]),
                line(lang, "mail-reasons-question", var(vars, "question")),
                line(lang, "mail-reasons-answer", var(vars, "answer")),
            ],
            action: Some((lang.t("mail-result-action"), var(vars, "link").to_owned())),
            links: vec![],
        }),
        "grant_call_annulled" => {
            let mut paragraphs = vec![
                lang.ta(
                    "mail-annulled-body",
                    &[("offer", var(vars, "offer")), ("title", var(vars, "call"))],
                ),
                line(lang, "annul-col-ground", var(vars, "ground")),
            ];
            if !var(vars, "reason").is_empty() {
                paragraphs.push(line(lang, "annul-col-reason", var(vars, "reason")));
            }
            Some(Body {
                subject: lang.ta("mail-annulled-subject", &[("title", var(vars, "call"))]),
                paragraphs,
                action: Some((lang.t("mail-result-action"), var(vars, "link").to_owned())),
                links: vec![],
            })
        }
        "grant_offer_update_due" => Some(Body {
            subject: lang.ta("mail-update-due-subject", &[("offer", var(vars, "offer"))]),
            paragraphs: vec![
                lang.ta(
                    "mail-update-due-body",
                    &[
                        ("offer", var(vars, "offer")),
                        ("title", var(vars, "call")),
                        ("amount", var(vars, "amount")),
                        ("requested", var(vars, "requested")),
                    ],
                ),
                lang.ta("mail-update-due-deadline", &[("date", var(vars, "date"))]),
            ],
            action: Some((lang.t("mail-update-action"), var(vars, "link").to_owned())),
            links: vec![],
        }),
        "grant_offer_update_returned" => Some(Body {
            subject: lang.ta("mail-update-returned-subject", &[("offer", var(vars, "offer"))]),
            paragraphs: vec![
                lang.ta("mail-update-returned-body", &[("offer", var(vars, "offer"))]),
                line(lang, "update-note", var(vars, "note")),
                lang.ta("mail-update-due-deadline", &[("date", var(vars, "date"))]),
            ],
            action: Some((lang.t("mail-update-action"), var(vars, "link").to_owned())),
            links: vec![],
        }),
        "grant_offer_update_accepted" => Some(Body {
            subject: lang.ta("mail-update-accepted-subject", &[("offer", var(vars, "offer"))]),
            paragraphs: vec![lang.ta(
                "mail-update-accepted-body",
                &[("offer", var(vars, "offer")), ("amount", var(vars, "amount"))],
            )],
            action: Some((lang.t("mail-update-action"), var(vars, "link").to_owned())),
            links: vec![],
        }),
        "grant_offer_declined" => {
            let late = vars.get("late").and_then(|v| v.as_bool()).unwrap_or(false);
            Some(Body {
                subject: lang.ta("mail-declined-subject", &[("offer", var(vars, "offer"))]),
                paragraphs: vec![lang.ta(
                    if late { "mail-declined-late-body" } else { "mail-declined-body" },
                    &[("offer", var(vars, "offer")), ("title", var(vars, "call"))],
                )],
                action: None,
                links: vec![],
            })
        }
        "grant_contract_sent" => Some(Body {
            subject: lang.ta("mail-contract-sent-subject", &[("number", var(vars, "number"))]),
            paragraphs: vec![lang.ta(
                "mail-contract-sent-body",
                &[("offer", var(vars, "offer")), ("number", var(vars, "number")), ("amount", var(vars, "amount"))],
            )],
            action: Some((lang.t("mail-update-action"), var(vars, "link").to_owned())),
            links: vec![],
        }),
        "grant_contract_terminated" => Some(Body {
            subject: lang.ta("mail-contract-terminated-subject", &[("number", var(vars, "number"))]),
            paragraphs: vec![
                lang.ta("mail-contract-terminated-body", &[("offer", var(vars, "offer")), ("number", var(vars, "number"))]),
                line(lang, "contract-field-note", var(vars, "note")),
            ],
            action: Some((lang.t("mail-update-action"), var(vars, "link").to_owned())),
            links: vec![],
        }),
        "grant_report_reminder" | "grant_report_requested" | "grant_report_returned" | "grant_report_accepted" => {
            let overdue = vars.get("days").and_then(|v| v.as_i64()).is_some_and(|d| d < 0);
            let (subject, body) = match template {
                "grant_report_reminder" if overdue => ("mail-report-overdue-subject", "mail-report-overdue-body"),
                "grant_report_reminder" => ("mail-report-reminder-subject", "mail-report-reminder-body"),
                "grant_report_requested" => ("mail-report-requested-subject", "mail-report-requested-body"),
                "grant_report_returned" => ("mail-report-returned-subject", "mail-report-returned-body"),
                _ => ("mail-report-accepted-subject", "mail-report-accepted-body"),
            };
            let args = [("offer", var(vars, "offer")), ("number", var(vars, "number")), ("due", var(vars, "due"))];
            let mut paragraphs = vec![lang.ta(body, &args)];
            if !var(vars, "note").is_empty() {
                paragraphs.push(line(lang, "report-corrections", var(vars, "note")));
            }
            Some(Body {
                subject: lang.ta(subject, &args),
                paragraphs,
                action: Some((lang.t("mail-report-action"), var(vars, "link").to_owned())),
                links: vec![],
            })
        }
        "grant_small_news" => {
            let args = [
                ("offer", var(vars, "offer")),
                ("date", var(vars, "date")),
                ("amount", var(vars, "amount")),
                ("reason", var(vars, "reason")),
            ];
            let (subject, body) = match var(vars, "kind") {
                "published" => ("mail-small-published-subject", "mail-small-published-body"),
                "granted" => ("mail-small-granted-subject", "mail-small-granted-body"),
                _ => ("mail-small-refused-subject", "mail-small-refused-body"),
            };
            Some(Body {
                subject: lang.ta(subject, &args),
                paragraphs: vec![lang.ta(body, &args)],
                action: Some((lang.t("mail-small-news-action"), var(vars, "link").to_owned())),
                links: vec![],
            })
        }
        "grant_small_publish_reminder" => {
            let args = [("offer", var(vars, "offer")), ("due", var(vars, "due"))];
            Some(Body {
                subject: lang.ta("mail-small-remind-subject", &args),
                paragraphs: vec![lang.ta("mail-small-remind-body", &args)],
                action: Some((lang.t("mail-small-remind-action"), var(vars, "link").to_owned())),
                links: vec![],
            })
        }
        "grant_offer_result" => {
            let granted = vars.get("granted").and_then(|v| v.as_bool()).unwrap_or(false);
            let mut paragraphs = vec![lang.ta(
                if granted { "mail-result-granted-body" } else { "mail-result-not-granted-body" },
                &[
                    ("offer", var(vars, "offer")),
                    ("title", var(vars, "call")),
                    ("amount", var(vars, "amount")),
                ],
            )];
            paragraphs.push(line(lang, "mail-result-requested", var(vars, "requested")));
            paragraphs.push(line(lang, "mail-result-score", var(vars, "score")));
            paragraphs.push(line(lang, "mail-result-criteria", var(vars, "criteria")));
            if !var(vars, "justification").is_empty() {
                paragraphs.push(line(lang, "mail-result-justification", var(vars, "justification")));
            }
            Some(Body {
                subject: lang.ta("mail-result-subject", &[("offer", var(vars, "offer"))]),
                paragraphs,
                action: Some((lang.t("mail-result-action"), var(vars, "link").to_owned())),
                links: vec![],
            })
        }
        _ => None,
    }
}
