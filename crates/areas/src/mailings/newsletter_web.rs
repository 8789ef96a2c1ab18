//! Newsletter for NGOs (seed 000 pt 6): sign-up with double opt-in, preferences and unsubscribe
//! through signed links (no sign-in), RFC 8058 one-click unsubscribe. The logic lives in
//! `crate::mailings::newsletter`.

use wspolnie_web::AppState;
use wspolnie_web::ctx::FLASH_COOKIE;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::AppError;
use wspolnie_web::errors::AppResult;
use wspolnie_web::errors::{CONTACT_OFFICE, NextStep};
use wspolnie_web::forms::Errors;
use wspolnie_web::forms::HtmlForm;
use wspolnie_web::forms::first;
use wspolnie_platform::validation::FieldErrors;
use crate::accounts::web::ClientIp;
use crate::accounts::web::Message;
use crate::accounts::web::TokenQuery;
use wspolnie_web::cookies::cookie;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Duration;
use serde::Deserialize;
use crate::accounts::model::normalize_email;
use crate::mailings::entity::newsletter_subscriber as sub;
use crate::mailings::newsletter;
use crate::mailings::newsletter::CONSENT_VERSION;
use crate::mailings::newsletter::TOPICS;

/// One topic checkbox.
pub struct TopicOption {
    pub code: &'static str,
    pub label: String,
    pub checked: bool,
}

fn topic_options(ctx: &PageCtx, chosen: &[&str]) -> Vec<TopicOption> {
    TOPICS
        .iter()
        .map(|&code| TopicOption {
            code,
            label: ctx.t(&format!("newsletter-topic-{code}")),
            checked: chosen.contains(&code),
        })
        .collect()
}

fn chosen_topics(topic: &[String]) -> Vec<&'static str> {
    newsletter::clean_topics(topic.iter().map(String::as_str))
}

/// The newsletter sign-up form (`/newsletter`).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SignUpForm {
    #[serde(deserialize_with = "first")]
    email: String,
    /// The topic checkboxes; unknown codes are dropped.
    topic: Vec<String>,
    /// "yes" when the consent box is ticked.
    #[serde(deserialize_with = "first")]
    consent: String,
}

impl SignUpForm {
    fn email(&self) -> String {
        self.email.trim().to_owned()
    }

    fn topics(&self) -> Vec<&'static str> {
        chosen_topics(&self.topic)
    }

    fn consent(&self) -> bool {
        self.consent == "yes"
    }

    /// Field errors as Fluent ids.
    fn validate(&self) -> FieldErrors {
        let mut errors = FieldErrors::new();
        if normalize_email(&self.email()).is_none() {
            errors.insert("email".into(), ("error-email-invalid", vec![]));
        }
        if self.topics().is_empty() {
            errors.insert("topics".into(), ("newsletter-error-topics", vec![]));
        }
        if !self.consent() {
            errors.insert("consent".into(), ("newsletter-error-consent", vec![]));
        }
        crate::mailings::limits::NEWSLETTER.check_fields(&mut errors, &[("email", &self.email)]);
        errors
    }
}

/// The preferences form behind a signed link (`/newsletter/ustawienia`).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PreferencesForm {
    topic: Vec<String>,
}

fn with_flash(state: &AppState, mut res: Response, key: &str) -> Response {
    let c = cookie(
        FLASH_COOKIE,
        &format!("success.{key}"),
        Some(60),
        state.keys.secure,
    );
    if let Ok(v) = HeaderValue::from_str(&c) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

// ---- sign-up ----

#[derive(Template)]
#[template(path = "mailings/templates/public/newsletter.html")]
struct SignUpPage {
    ctx: PageCtx,
    email: String,
    topics: Vec<TopicOption>,
    consent: bool,
    consent_version: &'static str,
    errors: Errors,
}

/// `?wyslano`: the page a successful sign-up redirects to (post/redirect/get) — the same for
/// everyone, whether or not the address was already subscribed.
#[derive(Deserialize, Default)]
pub struct SentQuery {
    #[serde(default)]
    wyslano: Option<String>,
}

pub async fn form(
    ctx: PageCtx,
    Query(q): Query<SentQuery>,
) -> AppResult<Html<String>> {
    if q.wyslano.is_some() {
        let page = Message {
            heading: ctx.t("newsletter-check-mail-title"),
            text: ctx.t("newsletter-check-mail-text"),
            link: None,
            ctx,
        };
        return Ok(Html(page.render()?));
    }
    let topics = topic_options(&ctx, TOPICS);
    Ok(Html(
        SignUpPage {
            ctx,
            email: String::new(),
            topics,
            consent: false,
            consent_version: CONSENT_VERSION,
            errors: Errors::default(),
        }
        .render()?,
    ))
}

pub async fn subscribe(
    State(state): State<AppState>,
    ctx: PageCtx,
    ClientIp(ip): ClientIp,
    HtmlForm(f): HtmlForm<SignUpForm>,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let email = f.email();
    let chosen = f.topics();
    let consent = f.consent();
    let mut errors = wspolnie_web::forms::localise(&ctx, &f.validate());
    errors.order(&["email", "topics", "consent"]);
    if errors.is_empty()
        && !wspolnie_platform::auth::throttle_hit(
            db,
            &format!("newsletter:ip:{ip}"),
            10,
            Duration::hours(1),
        )
        .await?
    {
        errors.add("email", ctx.t("error-too-many-attempts"));
    }
    if !errors.is_empty() {
        let topics = topic_options(&ctx, &chosen);
        let page = SignUpPage {
            ctx,
            email,
            topics,
            consent,
            consent_version: CONSENT_VERSION,
            errors,
        };
        return Ok(Html(page.render()?).into_response());
    }
    let consent_text = ctx.t("newsletter-consent");
    newsletter::subscribe(
        db,
        newsletter::Subscribe {
            email: &email,
            topics: &chosen,
            lang: ctx.lang,
            consent_text: &consent_text,
            public_url: &state.platform.config.server.public_url,
            secret: state.keys.secret(),
        },
    )
    .await?;
    // The same page whether or not the address was already subscribed.
    Ok(Redirect::to("/newsletter?wyslano=1").into_response())
}

// ---- confirmation (the link opens a page; its button posts) ----

#[derive(Template)]
#[template(path = "mailings/templates/public/newsletter_confirm.html")]
struct ConfirmPage {
    ctx: PageCtx,
    token: String,
}

/// Next steps on the page of a newsletter link (confirmation, preferences, unsubscribe) that
/// is not valid.
const NEWSLETTER_NEXT: &[NextStep] = &[
    NextStep {
        href: "/newsletter",
        label: "link-next-newsletter",
    },
    CONTACT_OFFICE,
];

pub async fn confirm_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<TokenQuery>,
) -> AppResult<Html<String>> {
    if !newsletter::confirmation_valid(&state.platform.db.conn, &q.t).await? {
        return Err(AppError::LinkInvalid(NEWSLETTER_NEXT));
    }
    Ok(Html(
        ConfirmPage {
            ctx,
            token: q.t,
        }
        .render()?,
    ))
}

pub async fn confirm(
    State(state): State<AppState>,
    Form(q): Form<TokenQuery>,
) -> AppResult<Response> {
    let secret = state.keys.secret();
    let done = newsletter::confirm(
        &state.platform.db.conn,
        &q.t,
        &state.platform.config.server.public_url,
        secret,
    )
    .await?;
    match done {
        Some(s) => {
            let to = newsletter::preferences_url("", secret, &s);
            Ok(with_flash(
                &state,
                Redirect::to(&to).into_response(),
                "flash-newsletter-confirmed",
            ))
        }
        None => Err(AppError::LinkInvalid(NEWSLETTER_NEXT)),
    }
}

// ---- signed links: preferences and unsubscribe ----

#[derive(Deserialize)]
pub struct SignedQuery {
    #[serde(default)]
    id: String,
    #[serde(default)]
    s: String,
}

/// The subscriber of a signed link; the "link not valid" page for a missing, malformed or
/// wrong signature.
async fn signed(state: &AppState, q: &SignedQuery) -> AppResult<sub::Model> {
    let id: i64 = q
        .id
        .parse()
        .map_err(|_| AppError::LinkInvalid(NEWSLETTER_NEXT))?;
    newsletter::by_signature(&state.platform.db.conn, state.keys.secret(), id, &q.s)
        .await?
        .ok_or(AppError::LinkInvalid(NEWSLETTER_NEXT))
}

#[derive(Template)]
#[template(path = "mailings/templates/public/newsletter_preferences.html")]
struct PreferencesPage {
    ctx: PageCtx,
    email: String,
    query: String,
    pending: bool,
    topics: Vec<TopicOption>,
    errors: Errors,
}

fn query_of(q: &SignedQuery) -> String {
    format!("id={}&s={}", q.id, q.s)
}

fn unsubscribed_page(ctx: PageCtx) -> AppResult<Response> {
    let page = Message {
        heading: ctx.t("newsletter-unsubscribed-title"),
        text: ctx.t("newsletter-unsubscribed-text"),
        link: Some(("/newsletter".into(), ctx.t("newsletter-signup-again"))),
        ctx,
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn preferences(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<SignedQuery>,
) -> AppResult<Response> {
    let s = signed(&state, &q).await?;
    if s.status == newsletter::Status::Unsubscribed {
        return unsubscribed_page(ctx);
    }
    let topics = topic_options(&ctx, &newsletter::topics_of(&s));
    let page = PreferencesPage {
        ctx,
        pending: s.status == newsletter::Status::Pending,
        email: s.email,
        query: query_of(&q),
        topics,
        errors: Errors::default(),
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn save_preferences(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<SignedQuery>,
    HtmlForm(f): HtmlForm<PreferencesForm>,
) -> AppResult<Response> {
    let s = signed(&state, &q).await?;
    if s.status == newsletter::Status::Unsubscribed {
        return unsubscribed_page(ctx);
    }
    let chosen = chosen_topics(&f.topic);
    if chosen.is_empty() {
        let topics = topic_options(&ctx, &chosen);
        let page = PreferencesPage {
            errors: Errors::form("topics", ctx.t("newsletter-error-topics")),
            ctx,
            pending: s.status == newsletter::Status::Pending,
            email: s.email,
            query: query_of(&q),
            topics,
        };
        return Ok(Html(page.render()?).into_response());
    }
    newsletter::update_topics(&state.platform.db.conn, s.id, &chosen).await?;
    let to = format!("/newsletter/ustawienia?{}", query_of(&q));
    Ok(with_flash(
        &state,
        Redirect::to(&to).into_response(),
        "flash-newsletter-saved",
    ))
}

#[derive(Template)]
#[template(path = "mailings/templates/public/newsletter_unsubscribe.html")]
struct UnsubscribePage {
    ctx: PageCtx,
    email: String,
    query: String,
}

/// The page behind the unsubscribe link: a button, nothing changes on GET.
pub async fn unsubscribe_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<SignedQuery>,
) -> AppResult<Response> {
    let s = signed(&state, &q).await?;
    if s.status == newsletter::Status::Unsubscribed {
        return unsubscribed_page(ctx);
    }
    let page = UnsubscribePage {
        ctx,
        email: s.email,
        query: query_of(&q),
    };
    Ok(Html(page.render()?).into_response())
}

/// The button of that page and RFC 8058 one-click (`List-Unsubscribe=One-Click` from a mail
/// client). Exempt from the CSRF check (`security::CSRF_EXEMPT_PREFIXES`); the signature in the
/// query is the authority. The body is not needed: either way the address is unsubscribed.
pub async fn unsubscribe(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<SignedQuery>,
) -> AppResult<Response> {
    let s = signed(&state, &q).await?;
    newsletter::unsubscribe(&state.platform.db.conn, s.id).await?;
    unsubscribed_page(ctx)
}
