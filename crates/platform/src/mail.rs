//! The mailer: messages with an HTML and a plain-text body from templates, Polish subjects encoded
//! by lettre (RFC 2047), sent over SMTP (STARTTLS/TLS, credentials) or written as `.eml` files.
//! Every message goes through the outbox as a `mail.send` job, so it is sent only if the business
//! transaction that asked for it committed. Over SMTP the job is sent exactly once across crashes
//! as mailings are (`smtp.rs`): the job is marked done, conditional on its lock, after the content
//! and before the terminating dot. Mail jobs retry for days (`RetryPolicy::mail`).

use crate::config::MailConfig;
use crate::config::MailTransport;
use crate::config::SmtpSecurity;
use crate::i18n::Lang;
use crate::jobs::ClaimedJob;
use crate::jobs::JobContext;
use crate::jobs::JobError;
use crate::jobs::JobHandler;
use crate::jobs::NewJob;
use crate::jobs::enqueue;
use askama::Template;
use lettre::message::{Mailbox, MultiPart, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::{ConnectionTrait, DbErr};
use serde::{Deserialize, Serialize};
use std::time::Duration;

pub const SEND_JOB: &str = "mail.send";

#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    reply_to: Option<Mailbox>,
}

#[derive(Clone)]
enum Transport {
    File(AsyncFileTransport<Tokio1Executor>),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("temporary mail failure: {0}")]
    Transient(String),
    #[error("permanent mail failure: {0}")]
    Permanent(String),
}

impl Mailer {
    pub fn from_config(cfg: &MailConfig) -> anyhow::Result<Mailer> {
        let from: Mailbox = cfg
            .from
            .parse()
            .map_err(|e| anyhow::anyhow!("mail.from {:?}: {e}", cfg.from))?;
        let reply_to = match &cfg.reply_to {
            Some(r) if !r.is_empty() => Some(
                r.parse()
                    .map_err(|e| anyhow::anyhow!("mail.reply_to: {e}"))?,
            ),
            _ => None,
        };
        let transport = match cfg.transport {
            MailTransport::File => {
                std::fs::create_dir_all(&cfg.file_dir)?;
                Transport::File(AsyncFileTransport::<Tokio1Executor>::new(&cfg.file_dir))
            }
            MailTransport::Smtp => {
                let mut b = match cfg.smtp_security {
                    SmtpSecurity::None => {
                        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&cfg.smtp_host)
                    }
                    SmtpSecurity::Starttls => {
                        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&cfg.smtp_host)?
                    }
                    SmtpSecurity::Tls => {
                        AsyncSmtpTransport::<Tokio1Executor>::relay(&cfg.smtp_host)?
                    }
                };
                b = b
                    .port(cfg.smtp_port)
                    .timeout(Some(Duration::from_secs(cfg.smtp_timeout_seconds)));
                if !cfg.smtp_username.is_empty() {
                    b = b.credentials(Credentials::new(
                        cfg.smtp_username.clone(),
                        cfg.smtp_password.clone(),
                    ));
                }
                Transport::Smtp(b.build())
            }
        };
        Ok(Mailer {
            transport,
            from,
            reply_to,
        })
    }

    /// True when messages go to an SMTP server (not to `.eml` files).
    pub fn is_smtp(&self) -> bool {
        matches!(self.transport, Transport::Smtp(_))
    }

    pub fn from_address(&self) -> &Mailbox {
        &self.from
    }

    /// Builds the MIME message (multipart/alternative: text first, HTML second).
    pub fn build(
        &self,
        to: &str,
        rendered: &RenderedMail,
        message_id: &str,
    ) -> Result<Message, MailError> {
        self.build_with(to, rendered, message_id, &[])
    }

    /// As `build`, with attachments: multipart/mixed holding the alternative part first.
    pub fn build_with(
        &self,
        to: &str,
        rendered: &RenderedMail,
        message_id: &str,
        attachments: &[Attachment],
    ) -> Result<Message, MailError> {
        let to: Mailbox = to
            .parse()
            .map_err(|e| MailError::Permanent(format!("bad recipient {to:?}: {e}")))?;
        let domain = self.from.email.domain().to_owned();
        let mut b = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(rendered.subject.clone())
            .message_id(Some(format!("<{message_id}@{domain}>")));
        if let Some(r) = &self.reply_to {
            b = b.reply_to(r.clone());
        }
        let alternative =
            MultiPart::alternative_plain_html(rendered.text.clone(), rendered.html.clone());
        let body = if attachments.is_empty() {
            alternative
        } else {
            let mut mixed = MultiPart::mixed().multipart(alternative);
            for a in attachments {
                let ct = ContentType::parse(&a.content_type).map_err(|e| {
                    MailError::Permanent(format!("bad attachment type {:?}: {e}", a.content_type))
                })?;
                mixed = mixed.singlepart(
                    lettre::message::Attachment::new(a.filename.clone())
                        .body(a.content.clone(), ct),
                );
            }
            mixed
        };
        b.multipart(body)
            .map_err(|e| MailError::Permanent(format!("cannot build message: {e}")))
    }

    pub async fn send(&self, msg: Message) -> Result<(), MailError> {
        match &self.transport {
            Transport::File(t) => t
                .send(msg)
                .await
                .map(|_| ())
                .map_err(|e| MailError::Transient(e.to_string())),
            Transport::Smtp(t) => t.send(msg).await.map(|_| ()).map_err(|e| {
                if e.is_permanent() {
                    MailError::Permanent(e.to_string())
                } else {
                    MailError::Transient(e.to_string())
                }
            }),
        }
    }
}

#[derive(Debug, Clone)]
pub struct RenderedMail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Template)]
#[template(path = "mail/layout.html")]
struct HtmlLayout<'a> {
    lang: &'a str,
    subject: &'a str,
    office_name: &'a str,
    office_lang: &'a str,
    footer_lang: &'a str,
    paragraphs: &'a [String],
    action: Option<&'a (String, String)>,
    links: &'a [(String, String)],
    footer: &'a str,
    zone_url: &'a str,
}

#[derive(Template)]
#[template(path = "mail/layout.txt")]
struct TextLayout<'a> {
    office_name: &'a str,
    paragraphs: &'a [String],
    action: Option<&'a (String, String)>,
    links: &'a [(String, String)],
    footer: &'a str,
    zone_url: &'a str,
}

/// A message to send: a template id, its language and variables.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MailJob {
    pub to: String,
    pub template: String,
    pub lang: Lang,
    #[serde(default)]
    pub vars: serde_json::Map<String, serde_json::Value>,
}

/// Body of one template: localised paragraphs and an optional button (label, absolute URL).
pub struct Body {
    pub subject: String,
    pub paragraphs: Vec<String>,
    pub action: Option<(String, String)>,
    /// Further links under the button (label, absolute URL).
    pub links: Vec<(String, String)>,
}

pub fn var<'a>(vars: &'a serde_json::Map<String, serde_json::Value>, k: &str) -> &'a str {
    vars.get(k).and_then(|v| v.as_str()).unwrap_or("")
}

/// The templates of one area: returns `None` for a name that is not its own.
pub type BodyFn = fn(&str, Lang, &serde_json::Map<String, serde_json::Value>) -> Option<Body>;

/// Every mail template the application knows: the kernel's own (`test`) and those the areas
/// registered in their manifests.
#[derive(Clone, Default)]
pub struct MailTemplates(std::sync::Arc<Vec<BodyFn>>);

impl MailTemplates {
    pub fn new(areas: Vec<BodyFn>) -> Self {
        let mut all: Vec<BodyFn> = vec![kernel_body];
        all.extend(areas);
        MailTemplates(std::sync::Arc::new(all))
    }

    fn body(
        &self,
        template: &str,
        lang: Lang,
        vars: &serde_json::Map<String, serde_json::Value>,
    ) -> Option<Body> {
        self.0.iter().find_map(|f| f(template, lang, vars))
    }
}

fn kernel_body(
    template: &str,
    lang: Lang,
    vars: &serde_json::Map<String, serde_json::Value>,
) -> Option<Body> {
    match template {
        "test" => Some(Body {
            subject: lang.t("mail-test-subject"),
            paragraphs: vec![
                lang.t("mail-test-body"),
                lang.ta("mail-test-sent-by", &[("name", var(vars, "requested_by"))]),
            ],
            action: None,
            links: vec![],
        }),
        _ => None,
    }
}

/// `"pl"` when a translated site text shown in a mail of another language is the Polish one
/// (its element then carries `lang="pl"`), else empty.
pub fn fallback_lang(site: &crate::settings::SiteSettings, field: &str) -> &'static str {
    let shown = site.text_lang(field);
    if shown == site.lang { "" } else { shown.code() }
}

/// Renders a template into subject, text and HTML, with the office name and the footer from site
/// settings in the mail's language (Polish where no English text was entered).
pub fn render(
    templates: &MailTemplates,
    job: &MailJob,
    site: &crate::settings::SiteSettings,
    public_url: &str,
) -> Result<RenderedMail, MailError> {
    let b = templates
        .body(&job.template, job.lang, &job.vars)
        .ok_or_else(|| MailError::Permanent(format!("unknown mail template {}", job.template)))?;
    let zone_url = format!("{}/", public_url.trim_end_matches('/'));
    let site = site.for_lang(job.lang);
    let html = HtmlLayout {
        lang: job.lang.code(),
        subject: &b.subject,
        office_name: &site.office_name,
        office_lang: fallback_lang(&site, "office_name"),
        footer_lang: fallback_lang(&site, "email_footer"),
        paragraphs: &b.paragraphs,
        action: b.action.as_ref(),
        links: &b.links,
        footer: &site.email_footer,
        zone_url: &zone_url,
    }
    .render()
    .map_err(|e| MailError::Permanent(e.to_string()))?;
    let text = TextLayout {
        office_name: &site.office_name,
        paragraphs: &b.paragraphs,
        action: b.action.as_ref(),
        links: &b.links,
        footer: &site.email_footer,
        zone_url: &zone_url,
    }
    .render()
    .map_err(|e| MailError::Permanent(e.to_string()))?;
    Ok(RenderedMail {
        subject: b.subject,
        text,
        html,
    })
}

/// Puts a message into the outbox on `db` (use the business transaction).
pub async fn enqueue_mail<C: ConnectionTrait>(
    db: &C,
    job: MailJob,
    idempotency_key: Option<String>,
) -> Result<bool, DbErr> {
    let mut j = NewJob::new(SEND_JOB, &job);
    if let Some(k) = idempotency_key {
        j = j.key(k);
    }
    enqueue(db, j).await
}

/// A mail job variable holding extra headers as an object of name → value (e.g. the newsletter's
/// `List-Unsubscribe`). Only `List-*` names are accepted.
pub const HEADERS_VAR: &str = "_headers";

/// A mail job variable holding attachments: an array of `{filename, content_type, content}`
/// with text content (the meetings' iCalendar files).
pub const ATTACHMENTS_VAR: &str = "_attachments";

/// A text attachment of a message.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub content: String,
}

fn attachments_of(vars: &serde_json::Map<String, serde_json::Value>) -> Vec<Attachment> {
    vars.get(ATTACHMENTS_VAR)
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default()
}

/// Adds the headers of `HEADERS_VAR` to a built message.
fn add_headers(msg: &mut Message, vars: &serde_json::Map<String, serde_json::Value>) {
    let Some(headers) = vars.get(HEADERS_VAR).and_then(|v| v.as_object()) else {
        return;
    };
    insert_headers(
        msg,
        headers
            .iter()
            .filter_map(|(k, v)| v.as_str().map(|v| (k.as_str(), v))),
    );
}

/// Adds `List-*` headers to a built message; other names and values with line breaks are
/// ignored.
pub fn insert_headers<'a>(
    msg: &mut Message,
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
) {
    use lettre::message::header::{HeaderName, HeaderValue};
    for (name, value) in headers {
        if !name.starts_with("List-") || value.contains(['\r', '\n']) {
            continue;
        }
        if let Ok(n) = HeaderName::new_from_ascii(name.to_owned()) {
            msg.headers_mut()
                .insert_raw(HeaderValue::new(n, value.to_owned()));
        }
    }
}

pub struct SendMailHandler {
    templates: MailTemplates,
    /// Idle SMTP sessions kept for the next message (at most `IDLE_SESSIONS`).
    idle: std::sync::Mutex<Vec<crate::smtp::SmtpSession>>,
}

const IDLE_SESSIONS: usize = 2;

impl SendMailHandler {
    pub fn new(templates: MailTemplates) -> Self {
        SendMailHandler {
            templates,
            idle: std::sync::Mutex::new(Vec::new()),
        }
    }

    fn take_idle(&self) -> Option<crate::smtp::SmtpSession> {
        self.idle.lock().ok().and_then(|mut v| v.pop())
    }

    fn put_idle(&self, s: crate::smtp::SmtpSession) {
        if s.is_broken() {
            return;
        }
        if let Ok(mut v) = self.idle.lock()
            && v.len() < IDLE_SESSIONS
        {
            v.push(s);
        }
    }

    /// Hands the message to the SMTP server exactly once: the job is marked done (if it is still
    /// ours) after the content and before the terminating dot. A crash before the mark sends
    /// nothing (the server discards a message without its dot) and the job is retried; after it,
    /// the job is done and never sent again.
    async fn send_once(
        &self,
        ctx: &JobContext,
        job: &ClaimedJob,
        msg: Message,
    ) -> Result<(), JobError> {
        use crate::smtp::{Delivery, Finish, SmtpSession};
        let envelope = msg.envelope();
        let from = envelope
            .from()
            .map(|a| a.to_string())
            .unwrap_or_else(|| self_from(ctx));
        let Some(to) = envelope.to().first().map(|a| a.to_string()) else {
            return Err(JobError::Permanent("message without a recipient".into()));
        };
        let data = msg.formatted();
        let hello = ctx.mailer.from_address().email.domain().to_owned();
        let db = &ctx.db.conn;
        let commit = || async {
            match crate::jobs::mark_done_if_ours(db, job).await {
                Ok(true) => Ok(Some(Box::pin(async { Ok(()) }) as Finish)),
                Ok(false) => Ok(None),
                Err(e) => Err(e.to_string()),
            }
        };
        // A kept session may have been closed by the server meanwhile: a failure before the
        // commit is retried once on a fresh connection.
        let mut outcome = None;
        if let Some(mut s) = self.take_idle()
            && let Ok(d) = s.deliver(&from, &to, &data, commit).await
        {
            self.put_idle(s);
            outcome = Some(d);
        }
        let delivery = match outcome {
            Some(d) => d,
            None => {
                let mut s = SmtpSession::connect(&ctx.config.mail, &hello)
                    .await
                    .map_err(|e| JobError::Retry(e.0))?;
                let d = s
                    .deliver(&from, &to, &data, commit)
                    .await
                    .map_err(|e| JobError::Retry(e.0))?;
                self.put_idle(s);
                d
            }
        };
        match delivery {
            // Declined: another worker took the job over; it sends the message.
            Delivery::Accepted | Delivery::Declined => Ok(()),
            Delivery::Refused {
                permanent, reply, ..
            } => {
                // Refused after the mark: the failure below moves the job back from `done`.
                if permanent {
                    Err(JobError::Permanent(reply))
                } else {
                    Err(JobError::Retry(reply))
                }
            }
            Delivery::Unconfirmed(e) => {
                // The dot went out but no reply came: the server may have the message. Sending
                // it again could deliver it twice, so the job stays done (at most once), with
                // the doubt recorded.
                tracing::warn!(job = job.id, error = %e, "mail handed over without a confirmation");
                crate::jobs::note_unconfirmed(db, job.id, &e)
                    .await
                    .map_err(|e| JobError::Retry(e.to_string()))?;
                Ok(())
            }
        }
    }
}

fn self_from(ctx: &JobContext) -> String {
    ctx.mailer.from_address().email.to_string()
}

#[async_trait::async_trait]
impl JobHandler for SendMailHandler {
    async fn run(&self, ctx: &JobContext, job: &ClaimedJob) -> Result<(), JobError> {
        let mail: MailJob = serde_json::from_value(job.payload.clone())
            .map_err(|e| JobError::Permanent(format!("bad payload: {e}")))?;
        let site = crate::settings::load_site(&ctx.db.conn)
            .await
            .map_err(|e| JobError::Retry(e.to_string()))?;
        let rendered = render(&self.templates, &mail, &site, &ctx.config.server.public_url)
            .map_err(to_job_error)?;
        // The same job always yields the same Message-ID, so a retry after an unclear outcome is
        // recognisable as the same message by the receiving side.
        let message_id = format!(
            "job-{}",
            job.idempotency_key
                .clone()
                .unwrap_or_else(|| job.id.to_string())
        );
        let mut msg = ctx
            .mailer
            .build_with(
                &mail.to,
                &rendered,
                &sanitize_id(&message_id),
                &attachments_of(&mail.vars),
            )
            .map_err(to_job_error)?;
        add_headers(&mut msg, &mail.vars);
        if ctx.mailer.is_smtp() {
            return self.send_once(ctx, job, msg).await;
        }
        ctx.mailer.send(msg).await.map_err(to_job_error)
    }

    fn retry_policy(&self, cfg: &crate::config::JobsConfig) -> crate::jobs::RetryPolicy {
        crate::jobs::RetryPolicy::mail(cfg)
    }
}

fn sanitize_id(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

pub fn to_job_error(e: MailError) -> JobError {
    match e {
        MailError::Transient(m) => JobError::Retry(m),
        MailError::Permanent(m) => JobError::Permanent(m),
    }
}

/// Content type helper for callers building their own parts.
pub fn html_content_type() -> ContentType {
    ContentType::TEXT_HTML
}
