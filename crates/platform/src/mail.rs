//! The mailer: messages with an HTML and a plain-text body from templates, Polish subjects encoded
//! by lettre (RFC 2047), sent over SMTP (STARTTLS/TLS, credentials) or written as `.eml` files.
//! Every message goes through the outbox as a `mail.send` job, so it is sent only if the business
//! transaction that asked for it committed.

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

/// Renders a template into subject, text and HTML, with the footer from site settings.
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
    let html = HtmlLayout {
        lang: job.lang.code(),
        subject: &b.subject,
        office_name: &site.office_name,
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
}

impl SendMailHandler {
    pub fn new(templates: MailTemplates) -> Self {
        SendMailHandler { templates }
    }
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
        ctx.mailer.send(msg).await.map_err(to_job_error)
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
