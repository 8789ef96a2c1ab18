//! Submission without paper (item 6 of issue 17): the offer's working copy is checked against the
//! call's rules, frozen as a version whose canonical JSON is hashed (SHA-256, and a short code
//! to read aloud), acknowledged on screen and by e-mail, rendered to a PDF off the request path
//! (`grants.offer_pdf`), and checkable by anyone at `/konkursy/weryfikacja`.
//!
//! The deadline is checked at the last moment before the commit: a submission whose transaction
//! would commit after the deadline is refused and leaves nothing behind.

use crate::admin::web::actor;
use crate::directory::entity::organization;
use crate::grants::entity::grant_call;
use crate::grants::entity::grant_offer::{self, Status};
use crate::grants::entity::grant_offer_file;
use crate::grants::entity::grant_offer_version as version;
use crate::grants::offer::{OfferContent, STATEMENTS, Section, Totals, percent_pl, units_pl};
use crate::grants::rules::{self, Finding};
use crate::grants::store;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Timelike, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use sha2::Digest;
use wspolnie_core::money::Money;
use wspolnie_pdf::{OfferBlock, OfferDocument, OfferSection};
use wspolnie_platform::audit;
use wspolnie_platform::i18n::Lang;
use wspolnie_platform::jobs::{self, ClaimedJob, JobContext, JobError, JobHandler, NewJob};
use wspolnie_platform::mail::{MailJob, enqueue_mail};
use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::{AppError, AppResult};
use wspolnie_web::fmt;
use wspolnie_web::policy::Account;

/// The job that renders a submitted version's PDF and stores it.
pub const PDF_JOB: &str = "grants.offer_pdf";

/// Crockford's base-32 alphabet (no I, L, O, U): what the short code is written in.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// ---------------------------------------------------------------------------------------------
// The canonical form and its checksum.

/// The call as the canonical form names it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CanonicalCall {
    pub id: i64,
    pub slug: String,
    pub number: String,
}

/// An attachment as the canonical form names it: the call's attachment it answers, the file's
/// name and its SHA-256.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CanonicalAttachment {
    pub attachment: String,
    pub name: String,
    pub sha256: String,
}

/// What a submitted version is: serialised in this field order, with no time in it, so the same
/// offer gives the same bytes and the same checksum.
#[derive(Debug, Clone, Serialize)]
pub struct Canonical<'a> {
    pub template_version: &'a str,
    pub call: CanonicalCall,
    pub organization_id: i64,
    pub offer_id: i64,
    pub version: i32,
    pub content: &'a OfferContent,
    pub totals: Totals,
    pub attachments: Vec<CanonicalAttachment>,
}

/// A stored version read back (the totals are computed again from the content).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Frozen {
    pub template_version: String,
    pub call: CanonicalCall,
    pub organization_id: i64,
    pub offer_id: i64,
    pub version: i32,
    pub content: OfferContent,
    pub attachments: Vec<CanonicalAttachment>,
}

impl Frozen {
    pub fn parse(json: &str) -> Frozen {
        serde_json::from_str(json).unwrap_or_default()
    }
}

/// The canonical JSON of a version.
pub fn canonical_json(
    offer: &grant_offer::Model,
    call: &grant_call::Model,
    content: &OfferContent,
    files: &[grant_offer_file::Model],
    version: i32,
) -> String {
    let mut attachments: Vec<CanonicalAttachment> = files
        .iter()
        .map(|f| CanonicalAttachment {
            attachment: f.attachment.clone(),
            name: f.file_name.clone(),
            sha256: f.sha256.clone(),
        })
        .collect();
    attachments.sort_by(|a, b| {
        (&a.attachment, &a.name, &a.sha256).cmp(&(&b.attachment, &b.name, &b.sha256))
    });
    let c = Canonical {
        template_version: &offer.template_version,
        call: CanonicalCall {
            id: call.id,
            slug: call.slug.clone(),
            number: call.number.clone(),
        },
        organization_id: offer.organization_id,
        offer_id: offer.id,
        version,
        content,
        totals: content.totals(),
        attachments,
    };
    serde_json::to_string(&c).unwrap_or_default()
}

/// SHA-256 of the canonical JSON, 64 lower-case hex digits.
pub fn checksum(json: &str) -> String {
    hex::encode(sha2::Sha256::digest(json.as_bytes()))
}

/// The first 40 bits of the checksum as 8 Crockford base-32 characters, `XXXX-XXXX`.
pub fn short_code(checksum_hex: &str) -> String {
    let bytes = hex::decode(checksum_hex.get(..10).unwrap_or("")).unwrap_or_default();
    let mut n: u64 = 0;
    for b in bytes.iter().take(5) {
        n = (n << 8) | u64::from(*b);
    }
    let chars: String = (0..8)
        .rev()
        .map(|i| CROCKFORD[((n >> (i * 5)) & 31) as usize] as char)
        .collect();
    format!("{}-{}", &chars[..4], &chars[4..])
}

/// The checksum in blocks of four, as printed.
pub fn grouped(checksum_hex: &str) -> String {
    checksum_hex
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a person typed into the verification form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Code {
    /// A whole checksum (64 hex digits).
    Full(String),
    /// A short code, normalised to `XXXX-XXXX`.
    Short(String),
}

/// Reads a checksum (with or without spaces) or a short code (with or without the hyphen;
/// Crockford's look-alikes I, L → 1 and O → 0 read as the digits).
pub fn parse_code(input: &str) -> Option<Code> {
    let s: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if s.len() == 64 && s.chars().all(|c| c.is_ascii_hexdigit()) {
        return Some(Code::Full(s.to_ascii_lowercase()));
    }
    if s.chars().count() == 8 {
        let mut out = String::new();
        for c in s.chars() {
            let c = match c.to_ascii_uppercase() {
                'I' | 'L' => '1',
                'O' => '0',
                c => c,
            };
            if !c.is_ascii() || !CROCKFORD.contains(&(c as u8)) {
                return None;
            }
            out.push(c);
        }
        return Some(Code::Short(format!("{}-{}", &out[..4], &out[4..])));
    }
    None
}

/// A moment in Warsaw time to the second: `21 listopada 2026, 14:05:09`.
pub fn when(lang: Lang, t: DateTime<Utc>) -> String {
    let l = wspolnie_core::time::to_local(t);
    format!(
        "{}, {:02}:{:02}:{:02}",
        fmt::date(lang, t),
        l.hour(),
        l.minute(),
        l.second()
    )
}

// ---------------------------------------------------------------------------------------------
// Freezing a version.

/// Freezes `content` as the offer's next version at `at` and moves the offer to `to` (no
/// checks, no audit: the callers do those). Returns the version row.
#[allow(clippy::too_many_arguments)]
pub async fn freeze<C: ConnectionTrait>(
    db: &C,
    offer: &grant_offer::Model,
    call: &grant_call::Model,
    content: &OfferContent,
    files: &[grant_offer_file::Model],
    to: Status,
    at: DateTime<Utc>,
    by: Option<i64>,
) -> Result<version::Model, DbErr> {
    let n = offer.current_version + 1;
    let json = canonical_json(offer, call, content, files, n);
    let sum = checksum(&json);
    let code = short_code(&sum);
    let totals = content.totals();
    let v = version::ActiveModel {
        offer_id: Set(offer.id),
        version: Set(n),
        content: Set(json),
        checksum: Set(sum.clone()),
        short_code: Set(code),
        submitted_at: Set(at),
        submitted_by: Set(by),
        pdf_key: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    grant_offer::Entity::update_many()
        .col_expr(grant_offer::Column::CurrentVersion, Expr::value(n))
        .col_expr(grant_offer::Column::Checksum, Expr::value(Some(sum)))
        .col_expr(grant_offer::Column::SubmittedAt, Expr::value(Some(at)))
        .col_expr(grant_offer::Column::WithdrawnAt, Expr::value(None::<DateTime<Utc>>))
        .col_expr(grant_offer::Column::RequestedGrant, Expr::value(content.funding.grant))
        .col_expr(grant_offer::Column::TotalCost, Expr::value(totals.total))
        .col_expr(grant_offer::Column::Status, Expr::value(to))
        .col_expr(grant_offer::Column::Title, Expr::value(content.task.title.clone()))
        .col_expr(grant_offer::Column::UpdatedAt, Expr::value(at))
        .filter(grant_offer::Column::Id.eq(offer.id))
        .exec(db)
        .await?;
    Ok(v)
}

/// Queues the PDF of a version (keyed by the version, so asking again queues nothing twice).
pub async fn enqueue_pdf<C: ConnectionTrait>(db: &C, version_id: i64) -> Result<bool, DbErr> {
    jobs::enqueue(
        db,
        NewJob::new(PDF_JOB, PdfPayload { version_id }).key(format!("grants-offer-pdf-{version_id}")),
    )
    .await
}

/// Where a submission would move the offer, and until when it may: `None` when it may not be
/// submitted at all now.
pub fn submission_target(
    offer: &grant_offer::Model,
    call: &grant_call::Model,
    now: DateTime<Utc>,
) -> Option<(Status, DateTime<Utc>)> {
    match offer.status {
        Status::Draft | Status::Withdrawn | Status::Submitted => {
            let open = crate::grants::model::effective_status(call, now);
            // Not yet open: nothing to submit to. Past the deadline: refused with the deadline.
            if matches!(
                open,
                grant_call::Status::Open | grant_call::Status::Closed
            ) || now > call.offer_deadline
            {
                Some((Status::Submitted, call.offer_deadline))
            } else {
                None
            }
        }
        Status::InCorrection | Status::Corrected => offer
            .correction_deadline
            .map(|d| (Status::Corrected, d)),
        Status::Updating => offer.update_deadline.map(|d| (Status::UpdateSubmitted, d)),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Handlers.

async fn load_offer<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<grant_offer::Model> {
    grant_offer::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

async fn load_call<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<grant_call::Model> {
    grant_call::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

fn signed_in(current: &CurrentAccount) -> AppResult<&Account> {
    current.0.as_ref().ok_or(AppError::Forbidden)
}

/// How a write the store may refuse ends: committed, with `ok_key`'s flash, or rolled back
/// (nothing half-written stays) with `err_key`'s error — either way a 303 to `back`.
pub(crate) async fn finish_write(
    state: &AppState,
    txn: sea_orm::DatabaseTransaction,
    done: bool,
    back: &str,
    ok_key: &str,
    err_key: &str,
) -> AppResult<Response> {
    if done {
        txn.commit().await?;
        Ok(wspolnie_web::ctx::redirect_with_flash(state, back, ok_key))
    } else {
        txn.rollback().await?;
        Ok(redirect_with_error(state, back, err_key))
    }
}

/// A 303 with an error message (an allow-listed key) shown on the next page.
pub(crate) fn redirect_with_error(state: &AppState, to: &str, key: &str) -> Response {
    let mut res = axum::response::Redirect::to(to).into_response();
    let c = wspolnie_web::cookies::cookie(
        wspolnie_web::ctx::FLASH_COOKIE,
        &format!("error.{key}"),
        Some(60),
        state.keys.secure,
    );
    if let Ok(v) = axum::http::HeaderValue::from_str(&c) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

#[derive(Template)]
#[template(path = "grants/templates/panel/submit_refused.html")]
struct RefusedPage {
    ctx: PageCtx,
    offer_id: i64,
    title: String,
    deadline: String,
    deadline_iso: String,
    correction: bool,
}

async fn refused(
    ctx: PageCtx,
    offer: &grant_offer::Model,
    deadline: DateTime<Utc>,
    correction: bool,
) -> AppResult<Response> {
    let page = RefusedPage {
        deadline: when(ctx.lang, deadline),
        deadline_iso: fmt::iso(deadline),
        offer_id: offer.id,
        title: offer.title.clone(),
        correction,
        ctx,
    };
    Ok((
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        Html(page.render()?),
    )
        .into_response())
}

/// The files of an offer (its attachments).
pub async fn files_of<C: ConnectionTrait>(
    db: &C,
    offer_id: i64,
) -> Result<Vec<grant_offer_file::Model>, DbErr> {
    grant_offer_file::Entity::find()
        .filter(grant_offer_file::Column::OfferId.eq(offer_id))
        .order_by_asc(grant_offer_file::Column::Id)
        .all(db)
        .await
}

/// The rules' findings for an offer's working copy as it is stored.
pub async fn findings_of<C: ConnectionTrait>(
    db: &C,
    offer: &grant_offer::Model,
    call: &grant_call::Model,
) -> Result<Vec<Finding>, DbErr> {
    let (content, _) = store::load(db, offer.id).await?;
    let files = files_of(db, offer.id).await?;
    Ok(rules::check(call, &content, &context_of(db, offer, &files).await?))
}

/// What the rules need besides the call and the offer: the required attachments that have a
/// file and, while a reduced grant's update is due, what it must meet.
pub async fn context_of<C: ConnectionTrait>(
    db: &C,
    offer: &grant_offer::Model,
    files: &[grant_offer_file::Model],
) -> Result<rules::Context, DbErr> {
    let mut attached: Vec<String> = files
        .iter()
        .filter(|f| !f.attachment.trim().is_empty())
        .map(|f| f.attachment.clone())
        .collect();
    attached.dedup();
    // A small grant's offer is checked against the art. 19a limits as they stand today.
    let small = match grant_call::Entity::find_by_id(offer.call_id).one(db).await? {
        Some(register) if register.kind == grant_call::Kind::Small => Some(
            crate::grants::small_store::standing(
                db,
                &register,
                offer.organization_id,
                crate::grants::model::warsaw_day(Utc::now()),
            )
            .await?,
        ),
        _ => None,
    };
    Ok(rules::Context {
        attached,
        update: store::update_rule(db, offer).await?,
        small,
    })
}

/// `POST /panel/oferty/{id}/zloz`: submits the working copy as a new version.
pub async fn submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let acc = signed_in(&current)?;
    let db = &state.platform.db.conn;
    let offer = load_offer(db, id).await?;
    // Another organisation's offer is not shown to exist.
    if !store::is_member(acc, &offer) {
        return Err(AppError::NotFound);
    }
    let back = format!("/panel/oferty/{id}");
    let org = organization::Entity::find_by_id(offer.organization_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let public_url = state.platform.config.server.public_url.clone();

    let txn = wspolnie_platform::db::begin_write(db).await?;
    // Re-read under the write lock (PostgreSQL: the offer's row locked until the commit).
    let offer = grant_offer::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let call = load_call(&txn, offer.call_id).await?;
    let started = Utc::now();
    let Some((to, deadline)) = submission_target(&offer, &call, started) else {
        drop(txn);
        return Ok(redirect_with_error(&state, &back, "flash-offer-cannot-submit"));
    };
    let correction = to == Status::Corrected;
    let update = to == Status::UpdateSubmitted;
    if started > deadline {
        drop(txn);
        return refused(ctx, &offer, deadline, correction).await;
    }
    if !grant_offer::allowed(offer.status, to) {
        drop(txn);
        return Ok(redirect_with_error(&state, &back, "flash-offer-cannot-submit"));
    }
    let (content, _) = store::load(&txn, offer.id).await?;
    let files = files_of(&txn, offer.id).await?;
    if !rules::check(&call, &content, &context_of(&txn, &offer, &files).await?).is_empty() {
        drop(txn);
        return Ok(redirect_with_error(&state, &back, "flash-offer-has-findings"));
    }
    // Submitting again what is already submitted (a second press, a retry after a lost answer)
    // makes no new version: the receipt of the one stored is the answer.
    if offer.status == Status::Submitted
        && to == Status::Submitted
        && offer.current_version > 0
        && offer.checksum.as_deref()
            == Some(
                checksum(&canonical_json(
                    &offer,
                    &call,
                    &content,
                    &files,
                    offer.current_version,
                ))
                .as_str(),
            )
    {
        drop(txn);
        return Ok(wspolnie_web::ctx::redirect_with_flash(
            &state,
            &format!("/panel/oferty/{}/wersje/{}", offer.id, offer.current_version),
            "flash-offer-unchanged",
        ));
    }
    let v = freeze(
        &txn,
        &offer,
        &call,
        &content,
        &files,
        to,
        started,
        Some(acc.user.id),
    )
    .await?;
    audit::record(
        &txn,
        &actor(acc),
        if correction {
            "grant_offer.correct"
        } else if update {
            "grant_offer.update"
        } else {
            "grant_offer.submit"
        },
        "grant_offer",
        offer.id,
        Some(&serde_json::json!({ "status": offer.status.as_str(), "version": offer.current_version })),
        Some(&serde_json::json!({
            "status": to.as_str(), "version": v.version, "checksum": v.checksum,
        })),
    )
    .await?;
    let link = format!("{public_url}/panel/oferty/{}/wersje/{}", offer.id, v.version);
    let mut to_addresses = vec![(acc.user.email.clone(), ctx.lang)];
    if let Some(e) = org.email.as_deref().map(str::trim).filter(|e| !e.is_empty())
        && !e.eq_ignore_ascii_case(&acc.user.email)
    {
        to_addresses.push((e.to_owned(), Lang::Pl));
    }
    for (i, (to_addr, lang)) in to_addresses.into_iter().enumerate() {
        let vars = serde_json::json!({
            "call": call.title,
            "number": call.number,
            "offer": content.task.title,
            "organization": org.name,
            "when": when(lang, v.submitted_at),
            "checksum": grouped(&v.checksum),
            "code": v.short_code,
            "version": v.version.to_string(),
            "link": link,
            "verify": format!("{public_url}/konkursy/weryfikacja"),
            "correction": correction,
        });
        enqueue_mail(
            &txn,
            MailJob {
                to: to_addr,
                template: "grant_offer_submitted".into(),
                lang,
                vars: vars.as_object().cloned().unwrap_or_default(),
            },
            Some(format!("grant-offer-submitted:{}:{}:{i}", offer.id, v.version)),
        )
        .await?;
    }
    enqueue_pdf(&txn, v.id).await?;
    if call.kind == grant_call::Kind::Small {
        // A small grant's offer: the office must publish it within 7 working days.
        crate::grants::small_store::received(&txn, &offer, crate::grants::model::warsaw_day(started)).await?;
    }
    // The moment that counts: taken last, right before the commit.
    let now = Utc::now();
    if now > deadline {
        txn.rollback().await?;
        return refused(ctx, &offer, deadline, correction).await;
    }
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        &format!("/panel/oferty/{}/wersje/{}", offer.id, v.version),
        "flash-offer-submitted",
    ))
}

/// `POST /panel/oferty/{id}/wycofaj`: withdraws a submitted offer before the deadline.
pub async fn withdraw(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let acc = signed_in(&current)?;
    let db = &state.platform.db.conn;
    let offer = load_offer(db, id).await?;
    // Another organisation's offer is not shown to exist.
    if !store::is_member(acc, &offer) {
        return Err(AppError::NotFound);
    }
    let back = format!("/panel/oferty/{id}");
    let org = organization::Entity::find_by_id(offer.organization_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let offer = grant_offer::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let call = load_call(&txn, offer.call_id).await?;
    let now = Utc::now();
    if offer.status != Status::Submitted || !grant_offer::allowed(offer.status, Status::Withdrawn)
    {
        drop(txn);
        return Ok(redirect_with_error(&state, &back, "flash-offer-cannot-withdraw"));
    }
    if now > call.offer_deadline {
        drop(txn);
        return refused(ctx, &offer, call.offer_deadline, false).await;
    }
    grant_offer::Entity::update_many()
        .col_expr(grant_offer::Column::Status, Expr::value(Status::Withdrawn))
        .col_expr(grant_offer::Column::WithdrawnAt, Expr::value(Some(now)))
        .col_expr(grant_offer::Column::UpdatedAt, Expr::value(now))
        .filter(grant_offer::Column::Id.eq(offer.id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        &actor(acc),
        "grant_offer.withdraw",
        "grant_offer",
        offer.id,
        Some(&serde_json::json!({ "status": offer.status.as_str() })),
        Some(&serde_json::json!({ "status": Status::Withdrawn.as_str(), "version": offer.current_version })),
    )
    .await?;
    let mut to_addresses = vec![(acc.user.email.clone(), ctx.lang)];
    if let Some(e) = org.email.as_deref().map(str::trim).filter(|e| !e.is_empty())
        && !e.eq_ignore_ascii_case(&acc.user.email)
    {
        to_addresses.push((e.to_owned(), Lang::Pl));
    }
    for (i, (to_addr, lang)) in to_addresses.into_iter().enumerate() {
        let vars = serde_json::json!({
            "call": call.title,
            "offer": offer.title,
            "organization": org.name,
            "when": when(lang, now),
        });
        enqueue_mail(
            &txn,
            MailJob {
                to: to_addr,
                template: "grant_offer_withdrawn".into(),
                lang,
                vars: vars.as_object().cloned().unwrap_or_default(),
            },
            Some(format!(
                "grant-offer-withdrawn:{}:{}:{i}",
                offer.id,
                now.timestamp_millis()
            )),
        )
        .await?;
    }
    if Utc::now() > call.offer_deadline {
        txn.rollback().await?;
        return refused(ctx, &offer, call.offer_deadline, false).await;
    }
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        &back,
        "flash-offer-withdrawn",
    ))
}

// ---------------------------------------------------------------------------------------------
// The receipt and the PDF.

async fn version_of<C: ConnectionTrait>(
    db: &C,
    offer_id: i64,
    n: i32,
) -> AppResult<version::Model> {
    version::Entity::find()
        .filter(version::Column::OfferId.eq(offer_id))
        .filter(version::Column::Version.eq(n))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "grants/templates/panel/submit_receipt.html")]
struct ReceiptPage {
    ctx: PageCtx,
    offer: grant_offer::Model,
    call: grant_call::Model,
    organization: String,
    v: version::Model,
    when: String,
    when_iso: String,
    checksum: String,
    status: String,
    latest: bool,
    member: bool,
    doc: OfferDocument,
}

/// The offer and its version `n`, for someone who may see them (404 for anyone else).
async fn visible_version(
    db: &sea_orm::DatabaseConnection,
    acc: &Account,
    id: i64,
    n: i32,
) -> AppResult<(grant_offer::Model, version::Model)> {
    let offer = load_offer(db, id).await?;
    if !store::may_see(acc, &offer) {
        return Err(AppError::NotFound);
    }
    let v = version_of(db, id, n).await?;
    Ok((offer, v))
}

/// `GET /panel/oferty/{id}/wersje/{n}`: the receipt of a submitted version.
pub async fn receipt(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path((id, n)): Path<(i64, i32)>,
) -> AppResult<Response> {
    let acc = signed_in(&current)?;
    let db = &state.platform.db.conn;
    let (offer, v) = visible_version(db, acc, id, n).await?;
    let call = load_call(db, offer.call_id).await?;
    let organization = organization::Entity::find_by_id(offer.organization_id)
        .one(db)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let frozen = Frozen::parse(&v.content);
    let doc = document(ctx.lang, &frozen, &call, &organization, &v);
    let page = ReceiptPage {
        when: when(ctx.lang, v.submitted_at),
        when_iso: fmt::iso(v.submitted_at),
        checksum: grouped(&v.checksum),
        status: ctx.t(&offer.status.label_key()),
        latest: v.version == offer.current_version,
        member: store::is_member(acc, &offer),
        organization,
        doc,
        ctx,
        offer,
        call,
        v,
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Template)]
#[template(path = "grants/templates/panel/submit_pdf_wait.html")]
struct PdfWaitPage {
    ctx: PageCtx,
    offer_id: i64,
    n: i32,
}

/// `GET /panel/oferty/{id}/wersje/{n}/oferta.pdf`: the PDF once the job made it; until then a
/// page asking to come back (and the job queued again if it never was, e.g. demo versions).
pub async fn pdf(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path((id, n)): Path<(i64, i32)>,
) -> AppResult<Response> {
    let acc = signed_in(&current)?;
    let db = &state.platform.db.conn;
    let (_, v) = visible_version(db, acc, id, n).await?;
    let Some(key) = v.pdf_key else {
        // Idempotent: a no-op when the submission already queued it.
        enqueue_pdf(db, v.id).await?;
        let page = PdfWaitPage {
            ctx,
            offer_id: id,
            n,
        };
        return Ok(Html(page.render()?).into_response());
    };
    let bytes = state.platform.storage.get(&key).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"oferta-{id}-wersja-{n}.pdf\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Debug, Serialize, Deserialize)]
struct PdfPayload {
    version_id: i64,
}

/// Renders a version's PDF (off the request path) and stores it under `offers/`; the key goes
/// into the version row. No `stored_files` row: the file is served only through the receipt's
/// permission check, never by `/pliki`.
pub struct PdfHandler;

#[async_trait::async_trait]
impl JobHandler for PdfHandler {
    async fn run(&self, ctx: &JobContext, job: &ClaimedJob) -> Result<(), JobError> {
        let retry = |e: &dyn std::fmt::Display| JobError::Retry(e.to_string());
        let p: PdfPayload = serde_json::from_value(job.payload.clone())
            .map_err(|e| JobError::Permanent(e.to_string()))?;
        let db = &ctx.db.conn;
        let Some(v) = version::Entity::find_by_id(p.version_id)
            .one(db)
            .await
            .map_err(|e| retry(&e))?
        else {
            return Ok(());
        };
        if v.pdf_key.is_some() {
            return Ok(());
        }
        let Some(offer) = grant_offer::Entity::find_by_id(v.offer_id)
            .one(db)
            .await
            .map_err(|e| retry(&e))?
        else {
            return Ok(());
        };
        let organization = organization::Entity::find_by_id(offer.organization_id)
            .one(db)
            .await
            .map_err(|e| retry(&e))?
            .map(|o| o.name)
            .unwrap_or_default();
        let Some(call) = grant_call::Entity::find_by_id(offer.call_id)
            .one(db)
            .await
            .map_err(|e| retry(&e))?
        else {
            return Ok(());
        };
        let frozen = Frozen::parse(&v.content);
        let doc = document(Lang::Pl, &frozen, &call, &organization, &v);
        let bytes = tokio::task::spawn_blocking(move || wspolnie_pdf::render_offer(&doc))
            .await
            .map_err(|e| retry(&e))?
            .map_err(|e| JobError::Permanent(e.to_string()))?;
        let key = ctx
            .storage
            .put_new("offers", "pdf", bytes.into())
            .await
            .map_err(|e| retry(&e))?;
        version::Entity::update_many()
            .col_expr(version::Column::PdfKey, Expr::value(Some(key)))
            .filter(version::Column::Id.eq(v.id))
            .filter(version::Column::PdfKey.is_null())
            .exec(db)
            .await
            .map_err(|e| retry(&e))?;
        Ok(())
    }
}

pub fn register_jobs(r: &mut jobs::Registry) {
    r.register(PDF_JOB, PdfHandler);
}

// ---------------------------------------------------------------------------------------------
// The document: one rendering of a frozen version for the receipt page and the PDF.

fn nd(lang: Lang, s: &str) -> String {
    if s.trim().is_empty() {
        lang.t("offer-doc-not-applicable")
    } else {
        s.trim().to_owned()
    }
}

fn field(label: String, value: String) -> OfferBlock {
    OfferBlock::Field { label, value }
}

fn money(g: i64) -> String {
    Money(g).to_string()
}

/// The frozen version in the layout of annex 1: sections I–VII, tables V.A and V.B.
pub fn document(
    lang: Lang,
    f: &Frozen,
    call: &grant_call::Model,
    organization: &str,
    v: &version::Model,
) -> OfferDocument {
    let t = |k: &str| lang.t(k);
    let c = &f.content;
    let totals = c.totals();
    let mut sections = Vec::new();
    let small = f.template_version == crate::grants::offer::SMALL_TEMPLATE_VERSION;

    sections.push(OfferSection {
        heading: t("offer-doc-section-1"),
        blocks: vec![
            field(
                t(if small { "offer-doc-small-register" } else { "offer-doc-call" }),
                format!("{} ({})", call.title, call.number),
            ),
            field(t("offer-doc-task-type"), nd(lang, &call.task_type)),
        ],
    });

    let mut ii = Vec::new();
    let offerors = std::iter::once(&c.offerors.lead).chain(c.offerors.partners.iter());
    for (i, o) in offerors.enumerate() {
        let who = if i == 0 {
            t("offer-doc-lead")
        } else {
            lang.ta("offer-doc-partner", &[("n", &i.to_string())])
        };
        ii.push(field(
            who,
            [
                nd(lang, &o.name),
                format!("{}: {}", t("offer-doc-legal-form"), nd(lang, &o.legal_form)),
                format!("{}: {}", t("offer-doc-register"), nd(lang, &o.register_number)),
                format!("{}: {}", t("offer-doc-seat"), nd(lang, &o.seat)),
                format!(
                    "{}: {}",
                    t("offer-doc-correspondence"),
                    nd(lang, &o.correspondence_address)
                ),
                format!("{}: {}", t("offer-doc-website"), nd(lang, &o.website)),
                format!("{}: {}", t("offer-doc-email"), nd(lang, &o.email)),
                format!("{}: {}", t("offer-doc-phone"), nd(lang, &o.phone)),
            ]
            .join("\n"),
        ));
    }
    ii.push(field(
        t("offer-doc-contact"),
        [
            nd(lang, &c.offerors.contact_person),
            nd(lang, &c.offerors.contact_phone),
            nd(lang, &c.offerors.contact_email),
        ]
        .join("\n"),
    ));
    sections.push(OfferSection {
        heading: t("offer-doc-section-2"),
        blocks: ii,
    });

    let mut iii = vec![
        field(t("offer-doc-title"), nd(lang, &c.task.title)),
        field(
            t("offer-doc-dates"),
            format!(
                "{} – {}",
                nd(lang, &c.task.start_date),
                nd(lang, &c.task.end_date)
            ),
        ),
        field(t("offer-doc-summary"), nd(lang, &c.task.summary)),
        field(t("offer-doc-place"), nd(lang, &c.task.place)),
    ];
    let multi = call.max_years > 1;
    let mut actions_cols = vec![
        t("offer-doc-col-no"),
        t("offer-doc-col-action"),
        t("offer-doc-col-description"),
        t("offer-doc-col-target"),
        t("offer-doc-col-dates"),
        t("offer-doc-col-non-party"),
    ];
    if multi {
        actions_cols.push(t("offer-doc-col-year"));
    }
    iii.push(OfferBlock::Table {
        caption: t("offer-doc-actions"),
        columns: actions_cols,
        rows: c
            .actions
            .actions
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let mut r = vec![
                    format!("{}.", i + 1),
                    nd(lang, &a.name),
                    nd(lang, &a.description),
                    nd(lang, &a.target_group),
                    nd(lang, &a.planned_dates),
                    nd(lang, &a.non_party),
                ];
                if multi {
                    r.push(a.year.max(1).to_string());
                }
                r
            })
            .collect(),
    });
    iii.push(field(t("offer-doc-expected"), nd(lang, &c.results.expected)));
    iii.push(OfferBlock::Table {
        caption: t("offer-doc-indicators"),
        columns: vec![
            t("offer-doc-col-result"),
            t("offer-doc-col-planned"),
            t("offer-doc-col-monitoring"),
        ],
        rows: c
            .results
            .indicators
            .iter()
            .map(|r| {
                vec![
                    nd(lang, &r.result),
                    nd(lang, &r.planned_value),
                    nd(lang, &r.monitoring),
                ]
            })
            .collect(),
    });
    sections.push(OfferSection {
        heading: t("offer-doc-section-3"),
        blocks: iii,
    });

    sections.push(OfferSection {
        heading: t("offer-doc-section-4"),
        blocks: vec![
            field(t("offer-doc-earlier"), nd(lang, &c.resources.earlier_activity)),
            field(t("offer-doc-resources"), nd(lang, &c.resources.resources)),
        ],
    });

    // V.A: rows grouped per action, then administrative costs, with subtotals.
    let mut cost_cols = vec![
        t("offer-doc-col-no"),
        t("offer-doc-col-kind"),
        t("offer-doc-col-unit"),
        t("offer-doc-col-unit-cost"),
        t("offer-doc-col-units"),
        t("offer-doc-col-value"),
    ];
    if multi {
        cost_cols.push(t("offer-doc-col-year"));
    }
    let width = cost_cols.len();
    let row = |cells: Vec<String>| {
        let mut r = cells;
        r.resize(width, String::new());
        r
    };
    let mut rows = vec![row(vec!["I.".into(), t("offer-doc-costs-actions")])];
    for (ai, a) in c.actions.actions.iter().enumerate() {
        rows.push(row(vec![format!("I.{}", ai + 1), nd(lang, &a.name)]));
        for (li, l) in c
            .costs
            .lines
            .iter()
            .filter(|l| l.action == Some(ai))
            .enumerate()
        {
            let mut r = vec![
                format!("I.{}.{}", ai + 1, li + 1),
                nd(lang, &l.kind),
                nd(lang, &l.unit),
                money(l.unit_cost),
                units_pl(l.units_centi),
                money(l.value()),
            ];
            if multi {
                r.push(l.year.max(1).to_string());
            }
            rows.push(r);
        }
    }
    rows.push(row(vec![
        String::new(),
        t("offer-doc-costs-actions-sum"),
        String::new(),
        String::new(),
        String::new(),
        money(totals.actions),
    ]));
    rows.push(row(vec!["II.".into(), t("offer-doc-costs-admin")]));
    for (li, l) in c
        .costs
        .lines
        .iter()
        .filter(|l| l.action.is_none_or(|a| a >= c.actions.actions.len()))
        .enumerate()
    {
        let mut r = vec![
            format!("II.{}", li + 1),
            nd(lang, &l.kind),
            nd(lang, &l.unit),
            money(l.unit_cost),
            units_pl(l.units_centi),
            money(l.value()),
        ];
        if multi {
            r.push(l.year.max(1).to_string());
        }
        rows.push(r);
    }
    rows.push(row(vec![
        String::new(),
        t("offer-doc-costs-admin-sum"),
        String::new(),
        String::new(),
        String::new(),
        money(totals.administrative),
    ]));
    rows.push(row(vec![
        String::new(),
        t("offer-doc-costs-total"),
        String::new(),
        String::new(),
        String::new(),
        money(totals.total),
    ]));
    let mut v_blocks = vec![OfferBlock::Table {
        caption: t("offer-doc-section-5a"),
        columns: cost_cols,
        rows,
    }];
    if multi {
        v_blocks.push(field(
            t("offer-doc-per-year"),
            totals
                .per_year
                .iter()
                .enumerate()
                .filter(|(i, v)| *i < call.max_years.max(1) as usize || **v != 0)
                .map(|(i, v)| format!("{}: {}", lang.ta("offer-doc-year", &[("n", &(i + 1).to_string())]), money(*v)))
                .collect::<Vec<_>>()
                .join("\n"),
        ));
    }
    let fu = &c.funding;
    v_blocks.push(OfferBlock::Table {
        caption: t("offer-doc-section-5b"),
        columns: vec![
            t("offer-doc-col-no"),
            t("offer-doc-col-source"),
            t("offer-doc-col-value"),
            t("offer-doc-col-share"),
        ],
        rows: vec![
            vec!["1.".into(), t("offer-doc-src-total"), money(totals.total), percent_pl(if totals.total > 0 { 10_000 } else { 0 })],
            vec!["2.".into(), t("offer-doc-src-grant"), money(fu.grant), percent_pl(totals.grant_bp)],
            vec!["3.".into(), t("offer-doc-src-own"), money(totals.own), percent_pl(crate::grants::offer::share_bp(totals.own, totals.total))],
            vec!["3.1.".into(), t("offer-doc-src-financial"), money(fu.own_financial), percent_pl(totals.own_financial_bp)],
            vec!["3.2.".into(), t("offer-doc-src-personal"), money(fu.personal), percent_pl(totals.personal_bp)],
            vec!["3.3.".into(), t("offer-doc-src-in-kind"), money(fu.in_kind), percent_pl(totals.in_kind_bp)],
            vec!["4.".into(), t("offer-doc-src-fees"), money(fu.fees), percent_pl(totals.fees_bp)],
        ],
    });
    v_blocks.push(field(t("offer-doc-valuation"), nd(lang, &fu.valuation)));
    if c.is_joint() {
        v_blocks.push(OfferBlock::Table {
            caption: t("offer-doc-section-5c"),
            columns: vec![t("offer-doc-col-offeror"), t("offer-doc-col-value")],
            rows: std::iter::once(&c.offerors.lead)
                .chain(c.offerors.partners.iter())
                .enumerate()
                .map(|(i, o)| {
                    vec![
                        nd(lang, &o.name),
                        money(c.split.amounts.get(i).copied().unwrap_or(0)),
                    ]
                })
                .collect(),
        });
    }
    sections.push(OfferSection {
        heading: t("offer-doc-section-5"),
        blocks: v_blocks,
    });

    // The simplified offer (art. 19a) has no part for other information.
    let mut vi = if small {
        Vec::new()
    } else {
        vec![field(t("offer-doc-other"), nd(lang, &c.other.text))]
    };
    if !f.attachments.is_empty() {
        vi.push(OfferBlock::Table {
            caption: t("offer-doc-attachments"),
            columns: vec![
                t("offer-doc-col-attachment"),
                t("offer-doc-col-file"),
                t("offer-doc-col-sha"),
            ],
            rows: f
                .attachments
                .iter()
                .map(|a| vec![nd(lang, &a.attachment), a.name.clone(), grouped(&a.sha256)])
                .collect(),
        });
    }
    if !vi.is_empty() {
        sections.push(OfferSection {
            heading: t("offer-doc-section-6"),
            blocks: vi,
        });
    }

    sections.push(OfferSection {
        heading: t("offer-doc-section-7"),
        blocks: STATEMENTS
            .iter()
            .map(|s| {
                let yes = c.statements.confirmed.iter().any(|x| x == s);
                field(
                    t(&format!("offer-doc-statement-{}", s.replace('_', "-"))),
                    t(if yes { "offer-doc-confirmed" } else { "offer-doc-not-confirmed" }),
                )
            })
            .collect(),
    });

    OfferDocument {
        title: if c.task.title.trim().is_empty() {
            t("offer-doc-untitled")
        } else {
            let heading = if small { t("offer-doc-heading-small") } else { t("offer-doc-heading") };
            format!("{heading} — {}", c.task.title.trim())
        },
        header: vec![
            format!("{}: {} ({})", t("offer-doc-call-line"), call.title, call.number),
            format!("{}: {}", t("offer-doc-organization"), organization),
            format!(
                "{}: {} · {}: {}",
                t("offer-doc-version"),
                v.version,
                t("offer-doc-submitted"),
                when(lang, v.submitted_at)
            ),
            format!("{}: {}", t("offer-doc-template"), f.template_version),
        ],
        sections,
        footer: format!(
            "{} {} · {}: {}",
            t("offer-doc-footer"),
            v.version,
            t("offer-doc-short-code"),
            v.short_code
        ),
        checksum: format!("SHA-256: {}", grouped(&v.checksum)),
        lang: lang.code().to_owned(),
    }
}

// ---------------------------------------------------------------------------------------------
// Verification (public).

/// The verification form's query.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct VerifyQuery {
    #[serde(deserialize_with = "wspolnie_web::forms::first")]
    kod: String,
}

/// One version found by its code.
pub struct Found {
    pub call: String,
    pub call_slug: String,
    pub organization: String,
    pub title: String,
    pub version: i32,
    pub when: String,
    pub when_iso: String,
    pub checksum: String,
    pub short_code: String,
    /// `latest`, `superseded` or `withdrawn`.
    pub standing: &'static str,
    pub latest_version: i32,
}

#[derive(Template)]
#[template(path = "grants/templates/public/verify.html")]
struct VerifyPage {
    ctx: PageCtx,
    kod: String,
    asked: bool,
    found: Vec<Found>,
    errors: wspolnie_web::forms::Errors,
}

/// Verifications one address may ask for in an hour.
pub const VERIFY_LIMIT: u64 = 60;

/// `GET /konkursy/weryfikacja?kod=…`: the form, and what a code stands for.
pub async fn verify(
    State(state): State<AppState>,
    ctx: PageCtx,
    crate::accounts::web::ClientIp(ip): crate::accounts::web::ClientIp,
    wspolnie_web::forms::HtmlQuery(q): wspolnie_web::forms::HtmlQuery<VerifyQuery>,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let kod = q.kod.trim().to_owned();
    let mut errors = wspolnie_web::forms::Errors::default();
    let mut found = Vec::new();
    let asked = !kod.is_empty();
    if asked {
        let mut fe = crate::grants::model::FieldErrors::new();
        crate::grants::limits::VERIFY.check_into(&mut fe, &[("kod", &kod)]);
        if let Some((f, key)) = fe.into_iter().next() {
            let msg = wspolnie_web::forms::message(&ctx, &crate::grants::limits::VERIFY, &f, key);
            errors.add("kod", msg);
        } else if !wspolnie_platform::auth::throttle_hit(
            db,
            &format!("verify:ip:{ip}"),
            VERIFY_LIMIT,
            chrono::Duration::hours(1),
        )
        .await?
        {
            errors.add("kod", ctx.t("offer-verify-error-too-many"));
        } else {
            match parse_code(&kod) {
                None => errors.add("kod", ctx.t("offer-verify-error-format")),
                Some(code) => found = lookup(db, ctx.lang, &code).await?,
            }
        }
    }
    let page = VerifyPage {
        ctx,
        kod: if errors.is_empty() { kod } else { q.kod.chars().take(200).collect() },
        asked: asked && errors.is_empty(),
        found,
        errors,
    };
    let status = if page.errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((
        status,
        [(header::CACHE_CONTROL, "no-store")],
        Html(page.render()?),
    )
        .into_response())
}

/// The versions a code stands for, newest first.
pub async fn lookup<C: ConnectionTrait>(
    db: &C,
    lang: Lang,
    code: &Code,
) -> Result<Vec<Found>, DbErr> {
    let q = version::Entity::find();
    let q = match code {
        Code::Full(c) => q.filter(version::Column::Checksum.eq(c.clone())),
        Code::Short(c) => q.filter(version::Column::ShortCode.eq(c.clone())),
    };
    let rows = q
        .order_by_desc(version::Column::SubmittedAt)
        .limit(5)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for v in rows {
        let Some(offer) = grant_offer::Entity::find_by_id(v.offer_id).one(db).await? else {
            continue;
        };
        let Some(call) = grant_call::Entity::find_by_id(offer.call_id).one(db).await? else {
            continue;
        };
        let organization = organization::Entity::find_by_id(offer.organization_id)
            .one(db)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        let frozen = Frozen::parse(&v.content);
        let standing = if v.version < offer.current_version {
            "superseded"
        } else if offer.status == Status::Withdrawn {
            "withdrawn"
        } else {
            "latest"
        };
        out.push(Found {
            call: call.title,
            call_slug: call.slug,
            organization,
            title: frozen.content.task.title,
            version: v.version,
            when: when(lang, v.submitted_at),
            when_iso: fmt::iso(v.submitted_at),
            checksum: grouped(&v.checksum),
            short_code: v.short_code,
            standing,
            latest_version: offer.current_version,
        });
    }
    Ok(out)
}

/// Sections of the form as shown in lists (the formal check's choice of sections to correct).
pub fn section_name(lang: Lang, s: Section) -> String {
    format!("{} {}", s.number(), lang.t(&format!("offer-doc-sec-{}", s.code())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_code_is_the_first_40_bits_in_crockford_base32() {
        let sum = checksum("");
        assert_eq!(sum, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        // e3b0c44298 = 11100 01110 11000 01100 01000 10100 10100 11000
        assert_eq!(short_code(&sum), "WERC-8GMR");
        assert_eq!(parse_code("werc8gmr"), Some(Code::Short("WERC-8GMR".into())));
        assert_eq!(parse_code(" WERC-8GMR "), Some(Code::Short("WERC-8GMR".into())));
        assert_eq!(parse_code("0OIL-1111"), Some(Code::Short("0011-1111".into())));
        assert_eq!(parse_code("UUUU-UUUU"), None);
        assert_eq!(parse_code(&grouped(&sum)), Some(Code::Full(sum.clone())));
        assert_eq!(parse_code(&sum.to_uppercase()), Some(Code::Full(sum.clone())));
        assert_eq!(parse_code("abc"), None);
        assert_eq!(parse_code("ąęść-żółw"), None);
        assert_eq!(grouped("abcdefgh"), "abcd efgh");
    }

    #[test]
    fn the_canonical_form_has_no_time_and_a_fixed_order() {
        let now = Utc::now();
        let offer = grant_offer::Model {
            id: 5,
            call_id: 2,
            organization_id: 9,
            title: String::new(),
            status: Status::Draft,
            template_version: "2018-2057-z1".into(),
            current_version: 0,
            checksum: None,
            submitted_at: None,
            withdrawn_at: None,
            requested_grant: 0,
            total_cost: 0,
            correction_deadline: None,
            correction_sections: String::new(),
            update_deadline: None,
            created_by: None,
            created_at: now,
            updated_at: now,
        };
        let mut content = OfferContent::default();
        content.task.title = "Lato".into();
        let call_json = serde_json::json!({});
        let _ = call_json;
        let json = {
            let c = Canonical {
                template_version: &offer.template_version,
                call: CanonicalCall {
                    id: 2,
                    slug: "s".into(),
                    number: "N".into(),
                },
                organization_id: 9,
                offer_id: 5,
                version: 1,
                content: &content,
                totals: content.totals(),
                attachments: vec![],
            };
            serde_json::to_string(&c).expect("json")
        };
        assert!(json.starts_with(r#"{"template_version":"2018-2057-z1","call":{"id":2,"slug":"s","number":"N"},"organization_id":9,"offer_id":5,"version":1,"content":{"offerors":"#));
        let back = Frozen::parse(&json);
        assert_eq!(back.content, content);
        assert_eq!(back.version, 1);
    }
}
