//! Mail delivery for administrators (issue 15, item 7): dead jobs and mail waiting for a retry,
//! each with a "try again" button, and the banner on the panel while mail cannot be delivered.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, Response};
use axum::{Extension, Form};
use wspolnie_platform::audit;
use wspolnie_platform::audit::Actor;
use wspolnie_platform::jobs;
use wspolnie_platform::jobs::MailKinds;
use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::auth::signed;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::AppResult;
use wspolnie_web::fmt;

/// Rows shown on the page at most.
const LIMIT: u64 = 200;

/// The banner's content: how many messages wait and the latest error.
pub struct OutageNotice {
    pub waiting: i64,
    pub since: String,
    pub last_error: String,
}

/// The banner for administrators while mail cannot be delivered (`jobs::mail_outage`).
pub async fn outage_notice(state: &AppState, ctx: &PageCtx) -> AppResult<Option<OutageNotice>> {
    let kinds = &state.part::<MailKinds>()?.0;
    Ok(jobs::mail_outage(&state.platform.db.conn, kinds)
        .await?
        .map(|o| OutageNotice {
            waiting: o.waiting,
            since: fmt::datetime(ctx.lang, o.since),
            last_error: o.last_error,
        }))
}

pub struct JobRow {
    pub id: i64,
    pub kind: String,
    /// The recipient of a message, when the job is one.
    pub recipient: String,
    pub status: String,
    pub attempts: i32,
    pub when: String,
    pub error: String,
}

#[derive(Template)]
#[template(path = "admin/templates/admin/delivery.html")]
struct DeliveryPage {
    ctx: PageCtx,
    outage: Option<OutageNotice>,
    rows: Vec<JobRow>,
}

pub async fn page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Html<String>> {
    let kinds = &state.part::<MailKinds>()?.0;
    let db = &state.platform.db.conn;
    let rows = jobs::troubled(db, kinds, LIMIT)
        .await?
        .into_iter()
        .map(|j| {
            let payload: serde_json::Value =
                serde_json::from_str(&j.payload).unwrap_or(serde_json::Value::Null);
            JobRow {
                id: j.id,
                recipient: payload
                    .get("to")
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_owned(),
                status: ctx.t(if j.status == jobs::DEAD {
                    "delivery-status-dead"
                } else {
                    "delivery-status-waiting"
                }),
                when: if j.status == jobs::DEAD {
                    fmt::datetime(ctx.lang, j.updated_at)
                } else {
                    fmt::datetime(ctx.lang, j.run_at)
                },
                kind: j.kind,
                attempts: j.attempts,
                error: j.last_error.unwrap_or_default(),
            }
        })
        .collect();
    let outage = outage_notice(&state, &ctx).await?;
    Ok(Html(DeliveryPage { ctx, outage, rows }.render()?))
}

#[derive(serde::Deserialize)]
pub struct RetryForm {
    job: i64,
}

/// "Try again": a dead job is queued again, a waiting one is made due now. Audited.
pub async fn retry(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentAccount>,
    Form(f): Form<RetryForm>,
) -> AppResult<Response> {
    let a = signed(&current)?;
    let db = &state.platform.db.conn;
    let done = jobs::retry_now(db, f.job).await?;
    if done {
        audit::record(
            db,
            &Actor {
                user_id: Some(a.user.id),
                label: a.user.email.clone(),
                ip: String::new(),
            },
            "job.retry",
            "job",
            f.job,
            None::<&()>,
            Some(&serde_json::json!({ "status": jobs::PENDING })),
        )
        .await?;
    }
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        "/panel/admin/poczta",
        if done {
            "flash-delivery-retried"
        } else {
            "flash-delivery-not-retried"
        },
    ))
}

/// Panel count for administrators: the rows of this page (dead jobs and mail waiting for a
/// retry).
pub fn troubled_count<'a>(
    state: &'a AppState,
    _: &'a wspolnie_web::policy::Account,
) -> wspolnie_web::ctx::CountFuture<'a> {
    Box::pin(async move {
        let kinds = &state.part::<MailKinds>()?.0;
        let n = jobs::troubled(&state.platform.db.conn, kinds, LIMIT).await?.len();
        Ok(Some(n as u64))
    })
}
