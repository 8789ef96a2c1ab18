//! Newsletter for NGOs (seed 000 pt 6): anyone leaves an address and chooses topics.
//!
//! - Double opt-in: a sign-up makes (or refreshes) a `pending` row and e-mails a single-use
//!   confirmation link (`user_tokens`, purpose `newsletter_confirm`); the link opens a page whose
//!   button posts.
//! - The outcome never reveals whether an address is subscribed: an active subscriber who signs up
//!   again gets an e-mail with the preferences link instead, and the page says the same.
//! - Preference and unsubscribe links carry an HMAC of the row id and address under the
//!   deployment's signing secret: they need no sign-in and do not expire; changing the address
//!   (a new row) or the secret invalidates them.
//! - The consent text shown and its version are stored on the row and as a `consents` row
//!   (purpose `newsletter`), withdrawn on unsubscribe.
//!
//! Every write commits together with the e-mail it causes (outbox).

use crate::accounts::model::normalize_email;
use wspolnie_platform::auth;
use wspolnie_platform::auth::TokenPurpose;
use wspolnie_platform::entity::consent;
use crate::mailings::entity::newsletter_subscriber as sub;
use wspolnie_platform::i18n::Lang;
use wspolnie_platform::mail::MailJob;
use wspolnie_platform::mail::enqueue_mail;
use chrono::Utc;
use hmac::{Hmac, Mac};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter,
};
use sha2::Sha256;

/// Topic codes, in display order. Labels are the Fluent messages `newsletter-topic-<code>`.
pub const TOPICS: &[&str] = &[
    "digest",
    "grants",
    "consultations",
    "events",
    "news",
    "partners",
    "meetings",
];

/// Version of the newsletter consent text (`newsletter-consent` in the .ftl files). Change it
/// whenever that text changes; each subscriber keeps the version and the text they accepted.
pub const CONSENT_VERSION: &str = "2026-12-02";

/// Purpose recorded in `consents`.
pub const CONSENT_PURPOSE: &str = "newsletter";

pub use crate::mailings::entity::newsletter_subscriber::Status;

/// Refuses a move the subscription's life cycle forbids (`newsletter_subscriber::allowed`).
fn check_move(from: Status, to: Status) -> Result<(), DbErr> {
    crate::lifecycle::check(
        "newsletter subscription",
        from,
        to,
        crate::mailings::entity::newsletter_subscriber::allowed,
    )
    .map_err(DbErr::from)
}

/// How long a confirmation link stays valid.
const CONFIRM_TTL_DAYS: i64 = 7;

/// Known codes from `input`, without duplicates, in `TOPICS` order.
pub fn clean_topics<'a>(input: impl IntoIterator<Item = &'a str>) -> Vec<&'static str> {
    let chosen: Vec<&str> = input.into_iter().collect();
    TOPICS
        .iter()
        .copied()
        .filter(|t| chosen.contains(t))
        .collect()
}

/// The topics of a row as codes.
pub fn topics_of(s: &sub::Model) -> Vec<&'static str> {
    clean_topics(s.topics.split(','))
}

/// HMAC-SHA256 (hex) over the row id and address: the signature of preference links.
pub fn signature(secret: &[u8], id: i64, email: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(b"newsletter\0");
    mac.update(id.to_string().as_bytes());
    mac.update(b"\0");
    mac.update(email.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The subscriber a signed link points to, or `None` for a missing row or a wrong signature.
pub async fn by_signature<C: ConnectionTrait>(
    db: &C,
    secret: &[u8],
    id: i64,
    sig: &str,
) -> Result<Option<sub::Model>, DbErr> {
    if sig.is_empty() {
        return Ok(None);
    }
    let Some(s) = sub::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let expected = signature(secret, s.id, &s.email);
    Ok(constant_time_eq(expected.as_bytes(), sig.as_bytes()).then_some(s))
}

fn query(secret: &[u8], s: &sub::Model) -> String {
    format!("id={}&s={}", s.id, signature(secret, s.id, &s.email))
}

/// The signed link to the preferences page (change topics, unsubscribe).
pub fn preferences_url(base: &str, secret: &[u8], s: &sub::Model) -> String {
    format!(
        "{}/newsletter/ustawienia?{}",
        base.trim_end_matches('/'),
        query(secret, s)
    )
}

/// The signed unsubscribe link (GET: a page with a button; POST: RFC 8058 one-click).
pub fn unsubscribe_url(base: &str, secret: &[u8], s: &sub::Model) -> String {
    format!(
        "{}/newsletter/wypisz?{}",
        base.trim_end_matches('/'),
        query(secret, s)
    )
}

/// `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 2369, RFC 8058) for a message to `s`.
pub fn list_unsubscribe_headers(
    base: &str,
    secret: &[u8],
    s: &sub::Model,
) -> [(&'static str, String); 2] {
    [
        (
            "List-Unsubscribe",
            format!("<{}>", unsubscribe_url(base, secret, s)),
        ),
        (
            "List-Unsubscribe-Post",
            "List-Unsubscribe=One-Click".to_owned(),
        ),
    ]
}

/// A mail job to `s` that carries the unsubscribe headers (see `mail::SendMailHandler`).
fn mail_to(
    s: &sub::Model,
    template: &str,
    base: &str,
    secret: &[u8],
    mut vars: serde_json::Map<String, serde_json::Value>,
) -> MailJob {
    let headers: serde_json::Map<String, serde_json::Value> =
        list_unsubscribe_headers(base, secret, s)
            .into_iter()
            .map(|(k, v)| (k.to_owned(), serde_json::Value::String(v)))
            .collect();
    vars.insert(
        wspolnie_platform::mail::HEADERS_VAR.into(),
        serde_json::Value::Object(headers),
    );
    MailJob {
        to: s.email.clone(),
        template: template.into(),
        lang: Lang::parse(&s.lang).unwrap_or_default(),
        vars,
    }
}

fn link_vars(link: String) -> serde_json::Map<String, serde_json::Value> {
    let mut m = serde_json::Map::new();
    m.insert("link".into(), serde_json::Value::String(link));
    m
}

pub struct Subscribe<'a> {
    pub email: &'a str,
    pub topics: &'a [&'a str],
    pub lang: Lang,
    /// The consent text as shown on the form (in the visitor's language).
    pub consent_text: &'a str,
    pub public_url: &'a str,
    pub secret: &'a [u8],
}

/// Records a sign-up and sends the confirmation e-mail, in one transaction. An address that is
/// already active keeps its topics and gets the preferences link instead; the caller shows the
/// same page either way. An invalid address or no topic is a no-op (the form checks both).
pub async fn subscribe(db: &DatabaseConnection, s: Subscribe<'_>) -> Result<(), DbErr> {
    let Some(email) = normalize_email(s.email) else {
        return Ok(());
    };
    let topics = clean_topics(s.topics.iter().copied());
    if topics.is_empty() {
        return Ok(());
    }
    let base = s.public_url.trim_end_matches('/');
    let now = Utc::now();
    let txn = wspolnie_platform::db::begin_write(db).await?;
    // Insert or keep (the unique address makes two concurrent sign-ups one row), then read back.
    sub::Entity::insert(sub::ActiveModel {
        email: Set(email.clone()),
        topics: Set(topics.join(",")),
        lang: Set(s.lang.code().into()),
        status: Set(Status::Pending),
        consent_version: Set(CONSENT_VERSION.into()),
        consent_text: Set(s.consent_text.to_owned()),
        consented_at: Set(now),
        confirmed_at: Set(None),
        unsubscribed_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(sub::Column::Email)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    let Some(row) = sub::Entity::find()
        .filter(sub::Column::Email.eq(email.clone()))
        .one(&txn)
        .await?
    else {
        return Err(DbErr::RecordNotFound(email));
    };
    if row.status == Status::Active {
        let vars = link_vars(preferences_url(base, s.secret, &row));
        enqueue_mail(
            &txn,
            mail_to(&row, "newsletter_already", base, s.secret, vars),
            None,
        )
        .await?;
        return txn.commit().await;
    }
    // Pending or unsubscribed: this sign-up's choices and consent replace the earlier ones.
    check_move(row.status, Status::Pending)?;
    sub::Entity::update_many()
        .col_expr(sub::Column::Topics, topics.join(",").into())
        .col_expr(sub::Column::Lang, s.lang.code().into())
        .col_expr(sub::Column::Status, Expr::value(Status::Pending))
        .col_expr(sub::Column::ConsentVersion, CONSENT_VERSION.into())
        .col_expr(sub::Column::ConsentText, s.consent_text.into())
        .col_expr(sub::Column::ConsentedAt, now.into())
        .col_expr(
            sub::Column::UnsubscribedAt,
            Option::<chrono::DateTime<Utc>>::None.into(),
        )
        .col_expr(sub::Column::UpdatedAt, now.into())
        .filter(sub::Column::Id.eq(row.id))
        .exec(&txn)
        .await?;
    let row = sub::Model {
        lang: s.lang.code().into(),
        ..row
    };
    let token = auth::issue_token(
        &txn,
        TokenPurpose::NewsletterConfirm,
        None,
        &email,
        serde_json::json!({ "subscriber": row.id }),
        chrono::Duration::days(CONFIRM_TTL_DAYS),
    )
    .await?;
    let vars = link_vars(format!("{base}/newsletter/potwierdz?t={token}"));
    enqueue_mail(
        &txn,
        mail_to(&row, "newsletter_confirm", base, s.secret, vars),
        None,
    )
    .await?;
    txn.commit().await
}

/// Whether a confirmation link is usable now (for the page shown on GET; changes nothing).
pub async fn confirmation_valid(db: &DatabaseConnection, token: &str) -> Result<bool, DbErr> {
    Ok(auth::peek_token(db, TokenPurpose::NewsletterConfirm, token)
        .await?
        .is_some())
}

/// Uses up the confirmation link and activates the subscription, recording the consent and
/// sending a welcome e-mail with the preferences link. `None` for a used or expired link.
pub async fn confirm(
    db: &DatabaseConnection,
    token: &str,
    public_url: &str,
    secret: &[u8],
) -> Result<Option<sub::Model>, DbErr> {
    let base = public_url.trim_end_matches('/');
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let Some(t) = auth::consume_token(&txn, TokenPurpose::NewsletterConfirm, token).await? else {
        return Ok(None);
    };
    let id = serde_json::from_str::<serde_json::Value>(&t.data)
        .ok()
        .and_then(|v| v["subscriber"].as_i64());
    let Some(row) = (match id {
        Some(id) => sub::Entity::find_by_id(id).one(&txn).await?,
        None => None,
    }) else {
        return Ok(None);
    };
    // A link for an address that has since changed hands is void.
    if row.email != t.email || row.status != Status::Pending {
        txn.commit().await?;
        return Ok((row.status == Status::Active).then_some(row));
    }
    check_move(row.status, Status::Active)?;
    let now = Utc::now();
    sub::Entity::update_many()
        .col_expr(sub::Column::Status, Expr::value(Status::Active))
        .col_expr(sub::Column::ConfirmedAt, Some(now).into())
        .col_expr(sub::Column::UpdatedAt, now.into())
        .filter(sub::Column::Id.eq(row.id))
        .filter(sub::Column::Status.eq(Status::Pending))
        .exec(&txn)
        .await?;
    consent::Entity::insert(consent::ActiveModel {
        user_id: Set(None),
        email: Set(row.email.clone()),
        purpose: Set(CONSENT_PURPOSE.into()),
        text_version: Set(row.consent_version.clone()),
        given_at: Set(row.consented_at),
        withdrawn_at: Set(None),
        ..Default::default()
    })
    .exec_without_returning(&txn)
    .await?;
    let row = sub::Model {
        status: Status::Active,
        confirmed_at: Some(now),
        updated_at: now,
        ..row
    };
    let vars = link_vars(preferences_url(base, secret, &row));
    enqueue_mail(
        &txn,
        mail_to(&row, "newsletter_welcome", base, secret, vars),
        Some(format!("newsletter-welcome-{}-{}", row.id, now.timestamp())),
    )
    .await?;
    txn.commit().await?;
    Ok(Some(row))
}

/// Replaces the topics of a subscriber (reached through a signed link). An empty choice is
/// refused by the form; here it is a no-op.
pub async fn update_topics(db: &DatabaseConnection, id: i64, topics: &[&str]) -> Result<(), DbErr> {
    let topics = clean_topics(topics.iter().copied());
    if topics.is_empty() {
        return Ok(());
    }
    sub::Entity::update_many()
        .col_expr(sub::Column::Topics, topics.join(",").into())
        .col_expr(sub::Column::UpdatedAt, Utc::now().into())
        .filter(sub::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Unsubscribes (and withdraws the consent). Idempotent; no e-mail is sent, so a one-click
/// unsubscribe from a mail client ends all mail at once.
pub async fn unsubscribe(db: &DatabaseConnection, id: i64) -> Result<(), DbErr> {
    let now = Utc::now();
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let Some(row) = sub::Entity::find_by_id(id).one(&txn).await? else {
        return Ok(());
    };
    if row.status == Status::Unsubscribed {
        return txn.commit().await;
    }
    check_move(row.status, Status::Unsubscribed)?;
    sub::Entity::update_many()
        .col_expr(sub::Column::Status, Expr::value(Status::Unsubscribed))
        .col_expr(sub::Column::UnsubscribedAt, Some(now).into())
        .col_expr(sub::Column::UpdatedAt, now.into())
        .filter(sub::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    consent::Entity::update_many()
        .col_expr(consent::Column::WithdrawnAt, Some(now).into())
        .filter(consent::Column::Email.eq(row.email.clone()))
        .filter(consent::Column::Purpose.eq(CONSENT_PURPOSE))
        .filter(consent::Column::WithdrawnAt.is_null())
        .exec(&txn)
        .await?;
    txn.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_are_cleaned_and_ordered() {
        assert_eq!(
            clean_topics(["news", "bogus", "grants", "news"]),
            vec!["grants", "news"]
        );
    }

    #[test]
    fn signature_depends_on_id_address_and_secret() {
        let a = signature(b"k", 1, "a@b.pl");
        assert_eq!(a.len(), 64);
        assert_ne!(a, signature(b"k", 2, "a@b.pl"));
        assert_ne!(a, signature(b"k", 1, "c@b.pl"));
        assert_ne!(a, signature(b"x", 1, "a@b.pl"));
    }
}
