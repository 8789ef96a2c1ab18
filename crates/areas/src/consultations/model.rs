//! The forms of the consultations area as typed structs validated in one place each, and the
//! clock's view of a consultation's life cycle. Pure: the store writes, the pages render.

use super::entity::consultation::{self, Audience, Status};
use super::entity::consultation_remark::{Channel, Position};
use super::limits;
use super::rules::Rules;
use super::text::{self, Unit};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use wspolnie_core::text::clean;
use wspolnie_core::time::{TZ, local_to_utc, parse_form_date};
use wspolnie_platform::validation::FieldErrors;
use wspolnie_web::forms::get;

/// Where a consultation stands by the clock: an announced one opens at its start, an open one
/// closes after its end, whether or not the clock's job has stored the move yet.
pub fn current(c: &consultation::Model, now: DateTime<Utc>) -> Status {
    match c.status {
        Status::Announced | Status::Open if now > c.ends_at => Status::Closed,
        Status::Announced if now >= c.starts_at => Status::Open,
        s => s,
    }
}

/// True when the consultation takes remarks now.
pub fn takes_remarks(c: &consultation::Model, now: DateTime<Utc>) -> bool {
    current(c, now) == Status::Open
}

/// The first moment of a Warsaw day, in UTC.
pub fn day_start(d: NaiveDate) -> Option<DateTime<Utc>> {
    local_to_utc(d.and_time(NaiveTime::MIN))
}

/// The last second of a Warsaw day, in UTC.
pub fn day_end(d: NaiveDate) -> Option<DateTime<Utc>> {
    day_start(d.succ_opt()?).map(|t| t - Duration::seconds(1))
}

/// The Warsaw day of a moment.
pub fn warsaw_day(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&TZ).date_naive()
}

/// Days of a period counted as the office counts them: both ends included.
pub fn period_days(start: NaiveDate, end: NaiveDate) -> i64 {
    (end - start).num_days() + 1
}

fn error(e: &mut FieldErrors, field: &str, key: &'static str) {
    e.entry(field.to_owned()).or_insert((key, vec![]));
}

fn checked(pairs: &[(String, String)], k: &str) -> bool {
    !get(pairs, k).is_empty()
}

// ---------------------------------------------------------------------------------------------
// The consultation.

/// The officials' form of a consultation, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsultationForm {
    pub title: String,
    pub subject: String,
    pub audience: String,
    pub form_online: bool,
    pub form_entered: bool,
    pub form_rdpp: bool,
    pub meeting: String,
    pub remarks_public: bool,
    pub start_date: String,
    pub end_date: String,
    pub short_reason: String,
    pub contact_name: String,
    pub contact_email: String,
    /// The draft's text (only while the consultation is a draft; later versions are new
    /// versions).
    pub draft: String,
}

/// A valid consultation form.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConsultationInput {
    pub title: String,
    pub subject: String,
    pub audience: Audience,
    pub form_online: bool,
    pub form_entered: bool,
    pub form_rdpp: bool,
    pub meeting_id: Option<i64>,
    pub remarks_public: bool,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub short_reason: String,
    pub contact_name: String,
    pub contact_email: String,
    /// `None` when the form carries no draft (after announcement).
    pub draft: Option<String>,
}

impl ConsultationForm {
    pub fn from_pairs(p: &[(String, String)]) -> ConsultationForm {
        ConsultationForm {
            title: get(p, "title"),
            subject: get(p, "subject"),
            audience: get(p, "audience"),
            form_online: checked(p, "form_online"),
            form_entered: checked(p, "form_entered"),
            form_rdpp: checked(p, "form_rdpp"),
            meeting: get(p, "meeting"),
            remarks_public: checked(p, "remarks_public"),
            start_date: get(p, "start_date"),
            end_date: get(p, "end_date"),
            short_reason: get(p, "short_reason"),
            contact_name: get(p, "contact_name"),
            contact_email: get(p, "contact_email"),
            draft: p
                .iter()
                .find(|(k, _)| k == "draft")
                .map(|(_, v)| v.replace("\r\n", "\n"))
                .unwrap_or_default(),
        }
    }

    /// The form of a stored consultation (and the text of its version `source`).
    pub fn of(c: &consultation::Model, source: &str) -> ConsultationForm {
        ConsultationForm {
            title: c.title.clone(),
            subject: c.subject_md.clone(),
            audience: c.audience.as_str().into(),
            form_online: c.form_online,
            form_entered: c.form_entered,
            form_rdpp: c.form_rdpp,
            meeting: c.meeting_id.map(|m| m.to_string()).unwrap_or_default(),
            remarks_public: c.remarks_public,
            start_date: warsaw_day(c.starts_at).to_string(),
            end_date: warsaw_day(c.ends_at).to_string(),
            short_reason: c.short_reason.clone(),
            contact_name: c.contact_name.clone(),
            contact_email: c.contact_email.clone(),
            draft: source.to_owned(),
        }
    }

    /// Checks the form against the deployment's `rules` on `today`. `stored` is the
    /// consultation being edited: once announced its start and its draft stay (a new text is a
    /// new version) and its end may only move later. `meetings` are the meetings it may link.
    pub fn validate(
        &self,
        rules: &Rules,
        today: NaiveDate,
        stored: Option<&consultation::Model>,
        meetings: &[i64],
    ) -> Result<ConsultationInput, FieldErrors> {
        let mut e = FieldErrors::new();
        limits::CONSULTATION.check_fields(
            &mut e,
            &[
                ("title", &self.title),
                ("subject", &self.subject),
                ("audience", &self.audience),
                ("meeting", &self.meeting),
                ("start_date", &self.start_date),
                ("end_date", &self.end_date),
                ("short_reason", &self.short_reason),
                ("contact_name", &self.contact_name),
                ("contact_email", &self.contact_email),
                ("draft", &self.draft),
            ],
        );
        let title = clean(&self.title, 300).unwrap_or_default();
        if !(3..=300).contains(&title.chars().count()) {
            error(&mut e, "title", "cons-error-title");
        }
        let subject = clean(&self.subject, 20_000).unwrap_or_default();
        if subject.is_empty() {
            error(&mut e, "subject", "cons-error-subject");
        }
        let audience = Audience::parse(&self.audience).filter(|a| rules.audiences.contains(a));
        if audience.is_none() {
            error(&mut e, "audience", "cons-error-audience");
        }
        if !(self.form_online || self.form_entered || self.form_rdpp) {
            error(&mut e, "form_online", "cons-error-forms");
        }
        if audience == Some(Audience::Rdpp) && (!self.form_rdpp || self.form_online) {
            error(&mut e, "form_online", "cons-error-forms-rdpp");
        }
        let meeting_id = if self.meeting.is_empty() {
            None
        } else {
            let m = self.meeting.parse::<i64>().ok().filter(|m| meetings.contains(m));
            if m.is_none() {
                error(&mut e, "meeting", "cons-error-meeting");
            }
            m
        };
        let public = stored.is_some_and(|c| c.status != Status::Draft);
        let start = match stored {
            Some(c) if public => Some(warsaw_day(c.starts_at)),
            _ => {
                let s = parse_form_date(&self.start_date);
                match s {
                    None => error(&mut e, "start_date", "cons-error-start"),
                    Some(d) if d < today => error(&mut e, "start_date", "cons-error-start-past"),
                    _ => {}
                }
                s
            }
        };
        let end = parse_form_date(&self.end_date);
        match (start, end) {
            (_, None) => error(&mut e, "end_date", "cons-error-end"),
            (Some(s), Some(d)) if d < s => error(&mut e, "end_date", "cons-error-end"),
            (_, Some(d)) if stored.is_some_and(|c| public && d < warsaw_day(c.ends_at)) => {
                error(&mut e, "end_date", "cons-error-end-earlier")
            }
            _ => {}
        }
        let short_reason = clean(&self.short_reason, 2_000).unwrap_or_default();
        if let (Some(s), Some(d)) = (start, end)
            && d >= s
            && period_days(s, d) < rules.min_days
            && short_reason.chars().count() < 10
        {
            e.entry("short_reason".into()).or_insert((
                "cons-error-short-reason",
                vec![("days", rules.min_days.to_string())],
            ));
        }
        let contact_name = clean(&self.contact_name, 200).unwrap_or_default();
        if contact_name.is_empty() {
            error(&mut e, "contact_name", "cons-error-contact-name");
        }
        let contact_email = crate::accounts::model::normalize_email(&self.contact_email);
        if contact_email.is_none() {
            error(&mut e, "contact_email", "cons-error-contact-email");
        }
        let draft = if public {
            None
        } else {
            match text::parse(&self.draft) {
                Ok(_) => Some(self.draft.trim().to_owned()),
                Err(text::Problem::Empty) => {
                    error(&mut e, "draft", "cons-error-draft-empty");
                    None
                }
                Err(text::Problem::TooLong) => {
                    e.entry("draft".into()).or_insert((
                        "cons-error-draft-long",
                        vec![("max", text::MAX_UNITS.to_string())],
                    ));
                    None
                }
            }
        };
        let starts_at = start.and_then(day_start);
        let ends_at = end.and_then(day_end);
        match (audience, starts_at, ends_at, contact_email) {
            (Some(audience), Some(starts_at), Some(ends_at), Some(contact_email)) if e.is_empty() => {
                Ok(ConsultationInput {
                    title,
                    subject,
                    audience,
                    form_online: self.form_online,
                    form_entered: self.form_entered,
                    form_rdpp: self.form_rdpp,
                    meeting_id,
                    remarks_public: self.remarks_public,
                    starts_at,
                    ends_at,
                    short_reason: match (start, end) {
                        (Some(s), Some(d)) if period_days(s, d) < rules.min_days => short_reason,
                        _ => String::new(),
                    },
                    contact_name,
                    contact_email,
                    draft,
                })
            }
            _ => {
                if e.is_empty() {
                    error(&mut e, "start_date", "cons-error-start");
                }
                Err(e)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A new version of the draft.

/// A new version as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VersionForm {
    pub draft: String,
    pub note: String,
}

impl VersionForm {
    pub fn from_pairs(p: &[(String, String)]) -> VersionForm {
        VersionForm {
            draft: p
                .iter()
                .find(|(k, _)| k == "draft")
                .map(|(_, v)| v.replace("\r\n", "\n"))
                .unwrap_or_default(),
            note: get(p, "note"),
        }
    }

    /// The version's source and note; the text must differ from `previous`.
    pub fn validate(&self, previous: &str) -> Result<(String, String), FieldErrors> {
        let mut e = FieldErrors::new();
        limits::VERSION.check_fields(&mut e, &[("draft", &self.draft), ("note", &self.note)]);
        match text::parse(&self.draft) {
            Err(text::Problem::Empty) => error(&mut e, "draft", "cons-error-draft-empty"),
            Err(text::Problem::TooLong) => {
                e.entry("draft".into()).or_insert((
                    "cons-error-draft-long",
                    vec![("max", text::MAX_UNITS.to_string())],
                ));
            }
            Ok(_) if self.draft.trim() == previous.trim() => {
                error(&mut e, "draft", "cons-error-version-same")
            }
            Ok(_) => {}
        }
        let note = clean(&self.note, 5_000).unwrap_or_default();
        if note.is_empty() {
            error(&mut e, "note", "cons-error-version-note");
        }
        if e.is_empty() {
            Ok((self.draft.trim().to_owned(), note))
        } else {
            Err(e)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A remark.

/// A remark as typed: online by its author, or entered by an official.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemarkForm {
    pub anchor: String,
    /// One of the author's organisations (online) — its id, or empty.
    pub organization: String,
    /// The organisation as written (entered by an official, or a resident's own words).
    pub organization_name: String,
    pub author_name: String,
    pub author_email: String,
    /// How it came (entered remarks only).
    pub channel: String,
    pub proposal: String,
    pub justification: String,
}

/// A valid remark.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RemarkInput {
    pub anchor: String,
    pub unit_label: String,
    pub organization_id: Option<i64>,
    pub organization_name: String,
    pub author_name: String,
    pub author_email: String,
    pub channel: Channel,
    pub proposal: String,
    pub justification: String,
}

/// Who sends a remark: the checks differ.
pub enum Sender<'a> {
    /// Online; `orgs` are the organisations the signed-in author may speak for (id, name);
    /// `signed_in` tells whether an account stands behind it (its e-mail is then the author's).
    Online {
        orgs: &'a [(i64, String)],
        needs_organisation: bool,
    },
    /// An official entering a remark sent by e-mail, on paper or said at the meeting.
    Official,
}

impl RemarkForm {
    pub fn from_pairs(p: &[(String, String)]) -> RemarkForm {
        RemarkForm {
            anchor: get(p, "anchor"),
            organization: get(p, "organization"),
            organization_name: get(p, "organization_name"),
            author_name: get(p, "author_name"),
            author_email: get(p, "author_email"),
            channel: get(p, "channel"),
            proposal: p
                .iter()
                .find(|(k, _)| k == "proposal")
                .map(|(_, v)| v.replace("\r\n", "\n").trim().to_owned())
                .unwrap_or_default(),
            justification: p
                .iter()
                .find(|(k, _)| k == "justification")
                .map(|(_, v)| v.replace("\r\n", "\n").trim().to_owned())
                .unwrap_or_default(),
        }
    }

    /// Checks the remark against the `units` of the version it is made on.
    pub fn validate(&self, units: &[Unit], sender: Sender<'_>) -> Result<RemarkInput, FieldErrors> {
        let mut e = FieldErrors::new();
        limits::REMARK.check_fields(
            &mut e,
            &[
                ("anchor", &self.anchor),
                ("organization", &self.organization),
                ("organization_name", &self.organization_name),
                ("author_name", &self.author_name),
                ("author_email", &self.author_email),
                ("channel", &self.channel),
                ("proposal", &self.proposal),
                ("justification", &self.justification),
            ],
        );
        let unit_label = if self.anchor.is_empty() {
            Some(String::new())
        } else {
            units.iter().find(|u| u.anchor == self.anchor).map(|u| u.label.clone())
        };
        if unit_label.is_none() {
            error(&mut e, "anchor", "cons-error-anchor");
        }
        let proposal = clean(&self.proposal, 10_000).unwrap_or_default();
        let justification = clean(&self.justification, 10_000).unwrap_or_default();
        if proposal.chars().count() + justification.chars().count() < 10 {
            error(&mut e, "proposal", "cons-error-remark-empty");
        }
        if justification.is_empty() {
            error(&mut e, "justification", "cons-error-justification");
        }
        let author_name = clean(&self.author_name, 200).unwrap_or_default();
        if author_name.chars().count() < 2 {
            error(&mut e, "author_name", "cons-error-author-name");
        }
        let email = if self.author_email.is_empty() {
            Some(String::new())
        } else {
            crate::accounts::model::normalize_email(&self.author_email)
        };
        let (organization_id, organization_name, channel) = match sender {
            Sender::Online { orgs, needs_organisation } => {
                let chosen = self
                    .organization
                    .parse::<i64>()
                    .ok()
                    .and_then(|id| orgs.iter().find(|(o, _)| *o == id));
                if needs_organisation && chosen.is_none() {
                    error(&mut e, "organization", "cons-error-organization");
                }
                if !self.organization.is_empty() && chosen.is_none() {
                    error(&mut e, "organization", "cons-error-organization");
                }
                if email.as_deref().is_none_or(str::is_empty) {
                    error(&mut e, "author_email", "cons-error-author-email");
                }
                (
                    chosen.map(|(id, _)| *id),
                    chosen.map(|(_, n)| n.clone()).unwrap_or_default(),
                    Some(Channel::Online),
                )
            }
            Sender::Official => {
                if email.is_none() {
                    error(&mut e, "author_email", "cons-error-author-email");
                }
                let channel = Channel::parse(&self.channel).filter(|c| *c != Channel::Online);
                if channel.is_none() {
                    error(&mut e, "channel", "cons-error-channel");
                }
                let id = self.organization.parse::<i64>().ok();
                (id, clean(&self.organization_name, 300).unwrap_or_default(), channel)
            }
        };
        match (unit_label, email, channel) {
            (Some(unit_label), Some(author_email), Some(channel)) if e.is_empty() => {
                Ok(RemarkInput {
                    anchor: self.anchor.clone(),
                    unit_label,
                    organization_id,
                    organization_name,
                    author_name,
                    author_email,
                    channel,
                    proposal,
                    justification,
                })
            }
            _ => Err(e),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The office's answer to remarks, in bulk.

/// An answer as typed: the remarks ticked, the position, a template, the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnswerForm {
    pub remarks: Vec<i64>,
    pub position: String,
    pub template: String,
    pub answer: String,
}

/// A valid answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerInput {
    pub remarks: Vec<i64>,
    pub position: Position,
    pub answer: String,
}

impl AnswerForm {
    pub fn from_pairs(p: &[(String, String)]) -> AnswerForm {
        AnswerForm {
            remarks: p
                .iter()
                .filter(|(k, _)| k == "remark")
                .filter_map(|(_, v)| v.trim().parse().ok())
                .collect(),
            position: get(p, "position"),
            template: get(p, "template"),
            answer: p
                .iter()
                .find(|(k, _)| k == "answer")
                .map(|(_, v)| v.replace("\r\n", "\n").trim().to_owned())
                .unwrap_or_default(),
        }
    }

    /// Checks the answer; `templates` are the office's (id, position, body): a chosen template
    /// gives the position and the text where the form leaves them empty.
    pub fn validate(&self, templates: &[(i64, Position, String)]) -> Result<AnswerInput, FieldErrors> {
        let mut e = FieldErrors::new();
        limits::ANSWER.check_fields(
            &mut e,
            &[("position", &self.position), ("template", &self.template), ("answer", &self.answer)],
        );
        let template = if self.template.is_empty() {
            None
        } else {
            let t = self.template.parse::<i64>().ok().and_then(|id| templates.iter().find(|t| t.0 == id));
            if t.is_none() {
                error(&mut e, "template", "cons-error-template");
            }
            t
        };
        let position = Position::parse(&self.position).or(template.map(|t| t.1));
        if position.is_none() {
            error(&mut e, "position", "cons-error-position");
        }
        let answer = if self.answer.is_empty() {
            template.map(|t| t.2.clone()).unwrap_or_default()
        } else {
            clean(&self.answer, 10_000).unwrap_or_default()
        };
        if answer.is_empty() && position.is_some_and(|p| p != Position::Accepted) {
            error(&mut e, "answer", "cons-error-answer");
        }
        if self.remarks.is_empty() || self.remarks.len() > 5_000 {
            error(&mut e, "remarks", "cons-error-no-remarks");
        }
        match position {
            Some(position) if e.is_empty() => Ok(AnswerInput { remarks: self.remarks.clone(), position, answer }),
            _ => Err(e),
        }
    }
}

/// A reusable answer as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateForm {
    pub title: String,
    pub position: String,
    pub answer: String,
}

impl TemplateForm {
    pub fn from_pairs(p: &[(String, String)]) -> TemplateForm {
        TemplateForm {
            title: get(p, "title"),
            position: get(p, "position"),
            answer: p
                .iter()
                .find(|(k, _)| k == "answer")
                .map(|(_, v)| v.replace("\r\n", "\n").trim().to_owned())
                .unwrap_or_default(),
        }
    }

    pub fn validate(&self) -> Result<(String, Position, String), FieldErrors> {
        let mut e = FieldErrors::new();
        limits::ANSWER.check_fields(
            &mut e,
            &[("title", &self.title), ("position", &self.position), ("answer", &self.answer)],
        );
        let title = clean(&self.title, 200).unwrap_or_default();
        if title.chars().count() < 3 {
            error(&mut e, "title", "cons-error-template-title");
        }
        let position = Position::parse(&self.position);
        if position.is_none() {
            error(&mut e, "position", "cons-error-position");
        }
        let answer = clean(&self.answer, 10_000).unwrap_or_default();
        if answer.is_empty() {
            error(&mut e, "answer", "cons-error-answer");
        }
        match position {
            Some(p) if e.is_empty() => Ok((title, p, answer)),
            _ => Err(e),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The RDPP's opinion and the report's own parts.

/// The RDPP's opinion as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpinionForm {
    pub sent_on: String,
    pub opinion: String,
    pub opinion_on: String,
}

/// A valid RDPP record: when the draft went to the council, and its opinion if it came.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OpinionInput {
    pub sent_on: NaiveDate,
    pub opinion: String,
    pub opinion_on: Option<NaiveDate>,
}

impl OpinionForm {
    pub fn from_pairs(p: &[(String, String)]) -> OpinionForm {
        OpinionForm {
            sent_on: get(p, "sent_on"),
            opinion: p
                .iter()
                .find(|(k, _)| k == "opinion")
                .map(|(_, v)| v.replace("\r\n", "\n").trim().to_owned())
                .unwrap_or_default(),
            opinion_on: get(p, "opinion_on"),
        }
    }

    pub fn validate(&self, today: NaiveDate) -> Result<OpinionInput, FieldErrors> {
        let mut e = FieldErrors::new();
        limits::REPORT.check_fields(
            &mut e,
            &[("sent_on", &self.sent_on), ("opinion", &self.opinion), ("opinion_on", &self.opinion_on)],
        );
        let sent_on = parse_form_date(&self.sent_on).filter(|d| *d <= today);
        if sent_on.is_none() {
            error(&mut e, "sent_on", "cons-error-sent-on");
        }
        let opinion = clean(&self.opinion, 50_000).unwrap_or_default();
        let opinion_on = if self.opinion_on.is_empty() {
            None
        } else {
            let d = parse_form_date(&self.opinion_on).filter(|d| *d <= today && sent_on.is_none_or(|s| *d >= s));
            if d.is_none() {
                error(&mut e, "opinion_on", "cons-error-opinion-on");
            }
            d
        };
        if opinion_on.is_some() == opinion.is_empty() {
            error(&mut e, "opinion", "cons-error-opinion");
        }
        match sent_on {
            Some(sent_on) if e.is_empty() => Ok(OpinionInput { sent_on, opinion, opinion_on }),
            _ => Err(e),
        }
    }
}

/// The report's parts the office writes, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportForm {
    pub summary: String,
    pub minutes: String,
}

impl ReportForm {
    pub fn from_pairs(p: &[(String, String)]) -> ReportForm {
        let text = |k: &str| {
            p.iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.replace("\r\n", "\n").trim().to_owned())
                .unwrap_or_default()
        };
        ReportForm { summary: text("summary"), minutes: text("minutes") }
    }

    pub fn validate(&self) -> Result<(String, String), FieldErrors> {
        let mut e = FieldErrors::new();
        limits::REPORT.check_fields(&mut e, &[("summary", &self.summary), ("minutes", &self.minutes)]);
        let summary = clean(&self.summary, 50_000).unwrap_or_default();
        if summary.chars().count() < 10 {
            error(&mut e, "summary", "cons-error-summary");
        }
        let minutes = clean(&self.minutes, 100_000).unwrap_or_default();
        if e.is_empty() { Ok((summary, minutes)) } else { Err(e) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn rules() -> Rules {
        Rules {
            min_days: 7,
            rdpp_days: 14,
            audiences: vec![Audience::Organisations, Audience::Rdpp, Audience::Everyone],
        }
    }

    fn form() -> ConsultationForm {
        ConsultationForm {
            title: "Program współpracy na 2027 rok".into(),
            subject: "Projekt uchwały".into(),
            audience: "organisations".into(),
            form_online: true,
            start_date: "2026-12-07".into(),
            end_date: "2026-12-13".into(),
            contact_name: "Anna Nowak".into(),
            contact_email: "Anna@Example.org".into(),
            draft: "Uchwała\n§ 1. Przyjmuje się program.\n§ 2. 1. Wykonanie.\n2. Nadzór.".into(),
            ..Default::default()
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn seven_days_both_ends_counted_need_no_reason() {
        let ok = form().validate(&rules(), day(2026, 12, 6), None, &[]).expect("valid");
        assert_eq!(ok.contact_email, "anna@example.org");
        assert_eq!(ok.starts_at, chrono::Utc.with_ymd_and_hms(2026, 12, 6, 23, 0, 0).unwrap());
        assert_eq!(ok.ends_at, chrono::Utc.with_ymd_and_hms(2026, 12, 13, 22, 59, 59).unwrap());
        assert!(ok.short_reason.is_empty());
    }

    #[test]
    fn a_shorter_period_needs_a_written_reason() {
        let mut f = form();
        f.end_date = "2026-12-12".into();
        let e = f.validate(&rules(), day(2026, 12, 6), None, &[]).expect_err("short");
        assert_eq!(e["short_reason"], ("cons-error-short-reason", vec![("days", "7".to_owned())]));
        f.short_reason = "Termin ustawowy wejścia w życie aktu.".into();
        let ok = f.validate(&rules(), day(2026, 12, 6), None, &[]).expect("with reason");
        assert!(ok.short_reason.starts_with("Termin"));
    }

    #[test]
    fn bad_fields_are_named_and_nothing_passes() {
        let mut f = form();
        f.audience = "rdpp".into();
        f.start_date = "2026-12-01".into();
        f.draft = "   ".into();
        f.meeting = "99".into();
        f.contact_email = "nie-adres".into();
        let e = f.validate(&rules(), day(2026, 12, 6), None, &[1]).expect_err("bad");
        for k in ["form_online", "start_date", "draft", "meeting", "contact_email"] {
            assert!(e.contains_key(k), "{k}: {e:?}");
        }
        let mut only_orgs = rules();
        only_orgs.audiences = vec![Audience::Organisations];
        f = form();
        f.audience = "everyone".into();
        let e = f.validate(&only_orgs, day(2026, 12, 6), None, &[]).expect_err("audience");
        assert!(e.contains_key("audience"));
    }

    #[test]
    fn a_remark_names_a_unit_of_its_version() {
        let units = text::parse("§ 1. Tekst.\n§ 2. 1. Ustęp.").expect("units");
        let orgs = vec![(5, "Fundacja".to_owned())];
        let mut r = RemarkForm {
            anchor: "par-2-ust-1".into(),
            organization: "5".into(),
            author_name: "Jan".into(),
            author_email: "jan@example.org".into(),
            proposal: "Nowe brzmienie ustępu".into(),
            justification: "Bo tak".into(),
            ..Default::default()
        };
        let ok = r
            .validate(&units, Sender::Online { orgs: &orgs, needs_organisation: true })
            .expect("valid");
        assert_eq!(ok.unit_label, "§ 2 ust. 1");
        assert_eq!(ok.organization_name, "Fundacja");
        r.anchor = "par-9".into();
        r.organization = "6".into();
        let e = r
            .validate(&units, Sender::Online { orgs: &orgs, needs_organisation: true })
            .expect_err("bad");
        assert!(e.contains_key("anchor") && e.contains_key("organization"), "{e:?}");
        r.anchor = String::new();
        r.channel = "online".into();
        let e = r.validate(&units, Sender::Official).expect_err("channel");
        assert!(e.contains_key("channel"), "{e:?}");
    }

    #[test]
    fn an_answer_takes_its_template_where_the_form_is_empty() {
        let t = vec![(3, Position::Rejected, "Materia ustawowa.".to_owned())];
        let f = AnswerForm { remarks: vec![1, 2], template: "3".into(), ..Default::default() };
        let ok = f.validate(&t).expect("valid");
        assert_eq!((ok.position, ok.answer.as_str()), (Position::Rejected, "Materia ustawowa."));
        let f = AnswerForm { remarks: vec![], position: "partly".into(), ..Default::default() };
        let e = f.validate(&t).expect_err("bad");
        assert!(e.contains_key("remarks") && e.contains_key("answer"), "{e:?}");
    }

    #[test]
    fn the_clock_opens_and_closes() {
        let at = |d| chrono::Utc.with_ymd_and_hms(2026, 12, d, 12, 0, 0).unwrap();
        let c = consultation::Model {
            id: 1,
            slug: "s".into(),
            title: "t".into(),
            subject_md: String::new(),
            audience: Audience::Everyone,
            form_online: true,
            form_entered: false,
            form_rdpp: false,
            meeting_id: None,
            remarks_public: true,
            starts_at: at(7),
            ends_at: at(14),
            short_reason: String::new(),
            contact_name: String::new(),
            contact_email: String::new(),
            status: Status::Announced,
            event_id: None,
            rdpp_sent_on: None,
            rdpp_opinion_md: String::new(),
            rdpp_opinion_on: None,
            minutes_md: String::new(),
            summary_md: String::new(),
            created_by: None,
            created_at: at(1),
            updated_at: at(1),
            announced_at: None,
            reported_at: None,
        };
        assert_eq!(current(&c, at(6)), Status::Announced);
        assert_eq!(current(&c, at(7)), Status::Open);
        assert_eq!(current(&c, at(15)), Status::Closed);
        assert!(takes_remarks(&c, at(10)));
        assert!(!takes_remarks(&Model { status: Status::Draft, ..c }, at(10)));
    }

    use super::consultation::Model;
}
