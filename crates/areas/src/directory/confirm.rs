//! Keeping the directory current: once a year (configurable) each organisation is asked by e-mail
//! to confirm its profile and contact address with one click. A confirmation clears the bounce
//! flag; profiles not confirmed for `stale_after_days` are shown as possibly out of date.
//!
//! The request runs as a daily job (`directory.confirmations`), enqueued by every instance with
//! the date as idempotency key, so a deployment of several instances sends it once.

use wspolnie_platform::Platform;
use wspolnie_platform::auth;
use wspolnie_platform::auth::TokenPurpose;
use crate::directory::entity::organization;
use wspolnie_platform::i18n::Lang;
use wspolnie_platform::jobs::ClaimedJob;
use wspolnie_platform::jobs::NewJob;
use wspolnie_platform::jobs::enqueue;
use wspolnie_platform::jobs::JobContext;
use wspolnie_platform::jobs::JobError;
use wspolnie_platform::jobs::JobHandler;
use wspolnie_platform::mail::MailJob;
use wspolnie_platform::mail::enqueue_mail;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

pub const JOB: &str = "directory.confirmations";

/// When the organisation last said its profile is current (or was published, if never).
pub fn last_confirmed(o: &organization::Model) -> DateTime<Utc> {
    o.confirmed_at.or(o.published_at).unwrap_or(o.created_at)
}

/// Whether the public page should say the data may be out of date.
pub fn is_stale(o: &organization::Model, now: DateTime<Utc>, stale_after_days: i64) -> bool {
    now - last_confirmed(o) > Duration::days(stale_after_days)
}

/// Candidates are read this many at a time, in id order: a city of 100 000 organisations never
/// asked is not held in memory at once.
const BATCH: u64 = 500;

/// Sends the confirmation request to every published organisation whose last confirmation is
/// older than `confirm_every_days` and that was not asked within that period. Returns how many
/// requests were queued.
pub async fn send_due(platform: &Platform, now: DateTime<Utc>) -> Result<usize, DbErr> {
    send_due_in_batches(platform, now, BATCH).await
}

/// [`send_due`], reading `batch` candidates at a time (keyset pages by id).
pub async fn send_due_in_batches(platform: &Platform, now: DateTime<Utc>, batch: u64) -> Result<usize, DbErr> {
    let cfg = &platform.config.directory;
    let cutoff = now - Duration::days(cfg.confirm_every_days.max(1));
    let db = &platform.db.conn;
    let batch = batch.max(1);
    let mut after = i64::MIN;
    let mut sent = 0;
    loop {
        let page = organization::Entity::find()
            .filter(organization::Column::Id.gt(after))
            .filter(organization::Column::Status.eq(organization::Status::Published))
            .filter(organization::Column::Email.is_not_null())
            .filter(
                Condition::any()
                    .add(organization::Column::ConfirmationSentAt.is_null())
                    .add(organization::Column::ConfirmationSentAt.lt(cutoff)),
            )
            .order_by_asc(organization::Column::Id)
            .limit(batch)
            .all(db)
            .await?;
        let full = page.len() as u64 == batch;
        for o in page {
            after = o.id;
            if last_confirmed(&o) >= cutoff {
                continue;
            }
            if request(platform, o, now).await? {
                sent += 1;
            }
        }
        if !full {
            return Ok(sent);
        }
    }
}

/// Sends one organisation the confirmation request now (also used by officials from the overview).
/// Returns false when the organisation has no contact address.
pub async fn request(
    platform: &Platform,
    o: organization::Model,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let cfg = &platform.config.directory;
    let db = &platform.db.conn;
    let base = platform.config.server.public_url.trim_end_matches('/');
    let Some(email) = o.email.clone().filter(|e| !e.is_empty()) else {
        return Ok(false);
    };
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let token = auth::issue_token(
        &txn,
        TokenPurpose::ConfirmOrganization,
        None,
        &email,
        serde_json::json!({ "organization": o.id }),
        Duration::days(cfg.confirm_link_days.max(1)),
    )
    .await?;
    let vars = serde_json::json!({
        "organization": o.name,
        "link": format!("{base}/organizacje/potwierdz?t={token}"),
        "edit": format!("{base}/panel/organizacje/{}/profil", o.id),
    });
    enqueue_mail(
        &txn,
        MailJob {
            to: email,
            template: "org_confirm".into(),
            lang: Lang::Pl,
            vars: vars.as_object().cloned().unwrap_or_default(),
        },
        Some(format!("org-confirm:{}:{}", o.id, now.timestamp())),
    )
    .await?;
    let id = o.id;
    let mut a: organization::ActiveModel = o.into();
    a.confirmation_sent_at = Set(Some(now));
    a.update(&txn).await?;
    txn.commit().await?;
    tracing::info!(organization = id, "profile confirmation requested");
    Ok(true)
}

/// The organisation behind a valid confirmation link, without using the link up.
pub async fn peek<C: ConnectionTrait>(
    db: &C,
    token: &str,
) -> Result<Option<organization::Model>, DbErr> {
    let Some(t) = auth::peek_token(db, TokenPurpose::ConfirmOrganization, token).await? else {
        return Ok(None);
    };
    org_of(db, &t.data).await
}

async fn org_of<C: ConnectionTrait>(
    db: &C,
    data: &str,
) -> Result<Option<organization::Model>, DbErr> {
    let id = serde_json::from_str::<serde_json::Value>(data)
        .ok()
        .and_then(|v| v.get("organization").and_then(|i| i.as_i64()));
    match id {
        Some(id) => organization::Entity::find_by_id(id).one(db).await,
        None => Ok(None),
    }
}

/// Uses the link: the profile counts as confirmed now and its address as working.
pub async fn confirm(
    db: &sea_orm::DatabaseConnection,
    token: &str,
) -> Result<Option<organization::Model>, DbErr> {
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let Some(t) = auth::consume_token(&txn, TokenPurpose::ConfirmOrganization, token).await? else {
        return Ok(None);
    };
    let Some(o) = org_of(&txn, &t.data).await? else {
        return Ok(None);
    };
    let now = Utc::now();
    let before = serde_json::json!({ "confirmed_at": o.confirmed_at, "email_bounced_at": o.email_bounced_at });
    let mut a: organization::ActiveModel = o.into();
    a.confirmed_at = Set(Some(now));
    a.email_bounced_at = Set(None);
    let o = a.update(&txn).await?;
    wspolnie_platform::audit::record(
        &txn,
        &wspolnie_platform::audit::Actor::system("confirmation-link"),
        "directory.confirmed",
        "organization",
        o.id,
        Some(&before),
        Some(&serde_json::json!({ "confirmed_at": now })),
    )
    .await?;
    txn.commit().await?;
    Ok(Some(o))
}

/// Puts today's confirmation run into the queue (a no-op when it is already there).
pub async fn schedule<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<bool, DbErr> {
    enqueue(
        db,
        NewJob::new(JOB, serde_json::json!({})).key(format!("{JOB}:{}", now.format("%Y-%m-%d"))),
    )
    .await
}

pub struct ConfirmationsHandler;

#[async_trait::async_trait]
impl JobHandler for ConfirmationsHandler {
    async fn run(&self, ctx: &JobContext, _job: &ClaimedJob) -> Result<(), JobError> {
        send_due(ctx, Utc::now())
            .await
            .map(|_| ())
            .map_err(|e| JobError::Retry(e.to_string()))
    }
}

/// Published organisations whose last confirmation (`last_confirmed`) is older than `cutoff`,
/// as a query condition.
fn confirmed_before(cutoff: DateTime<Utc>) -> Condition {
    use organization::Column as C;
    Condition::all()
        .add(C::Status.eq(organization::Status::Published))
        .add(
            Condition::any().add(C::ConfirmedAt.lt(cutoff)).add(
                Condition::all().add(C::ConfirmedAt.is_null()).add(
                    Condition::any().add(C::PublishedAt.lt(cutoff)).add(
                        Condition::all()
                            .add(C::PublishedAt.is_null())
                            .add(C::CreatedAt.lt(cutoff)),
                    ),
                ),
            ),
        )
}

/// Panel count for officials: profiles shown as possibly out of date (`is_stale`), the
/// "nieaktualne" filter of `/panel/katalog`.
pub fn stale_count<'a>(
    state: &'a wspolnie_web::AppState,
    _: &'a wspolnie_web::policy::Account,
) -> wspolnie_web::ctx::CountFuture<'a> {
    Box::pin(async move {
        use sea_orm::PaginatorTrait;
        let days = state.platform.config.directory.stale_after_days;
        let cutoff = Utc::now() - Duration::days(days);
        Ok(Some(
            organization::Entity::find()
                .filter(confirmed_before(cutoff))
                .count(&state.platform.db.conn)
                .await?,
        ))
    })
}

/// Panel count for members: their published organisations whose yearly confirmation is due
/// (not confirmed for `confirm_every_days`).
pub fn due_count<'a>(
    state: &'a wspolnie_web::AppState,
    a: &'a wspolnie_web::policy::Account,
) -> wspolnie_web::ctx::CountFuture<'a> {
    Box::pin(async move {
        use sea_orm::PaginatorTrait;
        let ids: Vec<i64> = a.memberships.iter().map(|(o, _)| *o).collect();
        if ids.is_empty() {
            return Ok(None);
        }
        let days = state.platform.config.directory.confirm_every_days.max(1);
        let cutoff = Utc::now() - Duration::days(days);
        Ok(Some(
            organization::Entity::find()
                .filter(organization::Column::Id.is_in(ids))
                .filter(confirmed_before(cutoff))
                .count(&state.platform.db.conn)
                .await?,
        ))
    })
}
