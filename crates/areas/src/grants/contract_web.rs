//! The contracts' pages (issue 19, items 1–2): the officer's list of contracts and of granted
//! offers waiting for one, the contract's form (new and draft), its moves, the tranches paid, the
//! PDF, and the model contract's versions. Terms are checked in `contract.rs`, stored by
//! `contract_store.rs`.

use crate::admin::web::actor;
use crate::directory::entity::organization;
use crate::grants::contract::{self, ContractInput, TrancheInput};
use crate::grants::contract_store::{self as store, Refused, Signed};
use crate::grants::report_store as reports;
use crate::grants::entity::grant_call;
use crate::grants::entity::grant_contract::{self as contract_row, Status};
use crate::grants::entity::grant_offer;
use crate::grants::fields;
use crate::grants::submit::finish_write;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use std::collections::HashMap;
use wspolnie_core::money::Money;
use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::ctx::{PageCtx, redirect_with_flash};
use wspolnie_web::errors::{AppError, AppResult};
use wspolnie_web::fmt;
use wspolnie_web::forms::{Errors, HtmlForm};

/// Spare tranche rows the form offers beyond the filled ones.
const SPARE_ROWS: usize = 2;

/// The form as typed from its pairs (tranche rows `tranche-{n}-due_on`, `tranche-{n}-amount`).
fn read(pairs: &[(String, String)]) -> ContractInput {
    let g = |k: &str| fields::get(pairs, k);
    let mut tranches = Vec::new();
    for n in 1..=contract::MAX_TRANCHES + SPARE_ROWS {
        let due_on = g(&format!("tranche-{n}-due_on"));
        let amount = g(&format!("tranche-{n}-amount"));
        tranches.push(TrancheInput { due_on, amount });
    }
    while tranches.last().is_some_and(|t| t.due_on.is_empty() && t.amount.is_empty()) {
        tranches.pop();
    }
    ContractInput {
        number: g("number"),
        kind: g("kind"),
        task_from: g("task_from"),
        task_to: g("task_to"),
        grant_from: g("grant_from"),
        grant_to: g("grant_to"),
        other_from: g("other_from"),
        other_to: g("other_to"),
        amount: g("amount"),
        bank_account: g("bank_account"),
        tolerance: g("tolerance"),
        reporting: g("reporting"),
        tranches,
    }
}

/// A tranche row of the page.
pub struct TrancheRow {
    pub n: i32,
    pub due_on: String,
    pub amount: String,
    pub paid_on: String,
    pub payable: bool,
    /// The payment day as typed when the form came back with an error.
    pub typed: String,
}

/// What the contract page's smaller forms hold when it is shown again with an error: the
/// payment day per tranche, the note of a move, the partial report's dates, the return.
#[derive(Default)]
pub struct Side {
    pub paid: HashMap<i32, String>,
    pub note: String,
    pub period_to: String,
    pub due_on: String,
    pub ret_amount: String,
    pub ret_paid_on: String,
    pub ret_note: String,
}

/// A report of the contract on its page.
pub struct ReportLine {
    pub id: i64,
    pub kind: String,
    pub act_by: String,
    pub status: String,
}

pub struct MoveButton {
    pub to: &'static str,
    pub label: String,
    /// Termination and return to a draft ask for a note.
    pub note: bool,
}

#[derive(Template)]
#[template(path = "grants/templates/admin/contract.html")]
struct ContractPage {
    ctx: PageCtx,
    /// `None` for a new contract.
    c: Option<contract_row::Model>,
    /// The contract's id (0 for a new one).
    id: i64,
    offer: grant_offer::Model,
    organization: String,
    call_title: String,
    granted: String,
    status: String,
    editable: bool,
    action: String,
    form: ContractInput,
    /// The tranche rows of the form: number, date and amount as typed (then spare empty rows).
    rows: Vec<(usize, String, String)>,
    kind_label: String,
    tranches: Vec<TrancheRow>,
    moves: Vec<MoveButton>,
    /// The cost lines: number, name, year, value, grant part.
    lines: Vec<(i32, String, u8, String, String)>,
    reports: Vec<ReportLine>,
    /// The annexes: number, date.
    annexes: Vec<(i32, String)>,
    /// A partial report may be asked for, or an annex made (signed or in progress).
    can_request: bool,
    earliest_due: String,
    settlement: Option<SettlementView>,
    returns: Vec<(String, String, String)>,
    can_return: bool,
    /// Sent: the signing form.
    can_sign: bool,
    side: Side,
    errors: Errors,
}

/// The settlement as the page shows it.
pub struct SettlementView {
    pub facts: Vec<(String, String)>,
    /// What, amount, due, paid, days late, interest.
    pub dues: Vec<(String, String, String, String, i64, String)>,
    pub outstanding: String,
}

async fn offer_parts(
    state: &AppState,
    offer: &grant_offer::Model,
) -> AppResult<(String, grant_call::Model, i64)> {
    let db = &state.platform.db.conn;
    let organization = organization::Entity::find_by_id(offer.organization_id)
        .one(db)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let call = fields::call(state, offer.call_id).await?;
    let granted = store::granted(db, offer.id).await?.unwrap_or(0);
    Ok((organization, call, granted))
}

async fn render(
    state: &AppState,
    ctx: PageCtx,
    c: Option<contract_row::Model>,
    offer: grant_offer::Model,
    form: Option<ContractInput>,
    errors: Errors,
    side: Side,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let (organization, call, granted) = offer_parts(state, &offer).await?;
    let stored = match &c {
        Some(c) => store::tranches_of(db, c.id).await?,
        None => Vec::new(),
    };
    let form = match (form, &c) {
        (Some(f), _) => f,
        (None, Some(c)) => store::input_of(c, &stored),
        (None, None) => store::prefill(db, &offer, &call).await?,
    };
    let editable = c.as_ref().is_none_or(|c| c.status == Status::Draft);
    let status = c.as_ref().map_or(Status::Draft, |c| c.status);
    let payable = matches!(status, Status::Signed | Status::InProgress);
    let tranches = stored
        .iter()
        .map(|t| TrancheRow {
            n: t.n,
            due_on: t.due_on.format("%d.%m.%Y").to_string(),
            amount: Money(t.amount).to_string(),
            paid_on: t.paid_on.map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_default(),
            payable: payable && t.paid_on.is_none(),
            typed: side.paid.get(&t.n).cloned().unwrap_or_default(),
        })
        .collect();
    let moves = match &c {
        None => Vec::new(),
        Some(c) => [
            (Status::Sent, false),
            (Status::Draft, true),
            // Signing has its own form (a scan or electronic signatures), `sign`.
            // Reported comes with the final report's acceptance, not by hand.
            (Status::Settled, false),
            (Status::Terminated, true),
        ]
        .into_iter()
        .filter(|(to, _)| *to != c.status && contract_row::allowed(c.status, *to))
        .map(|(to, note)| MoveButton {
            to: to.as_str(),
            label: ctx.t(&format!("contract-move-{}", to.as_str())),
            note,
        })
        .collect(),
    };
    let rows = form
        .tranches
        .iter()
        .map(|t| (t.due_on.clone(), t.amount.clone()))
        .chain(std::iter::repeat_n((String::new(), String::new()), SPARE_ROWS))
        .enumerate()
        .map(|(i, (d, a))| (i + 1, d, a))
        .collect();
    let action = match &c {
        Some(c) => format!("/panel/umowy/{}", c.id),
        None => format!("/panel/umowy/nowa?oferta={}", offer.id),
    };
    let kind_label = ctx.t(&format!("contract-kind-{}", contract::Kind::parse(&form.kind).map_or("supporting", |k| k.code())));
    let today = crate::grants::model::warsaw_day(chrono::Utc::now());
    let m = |g: i64| Money(g).to_string();
    let d = |x: chrono::NaiveDate| x.format("%d.%m.%Y").to_string();
    let annexes = match &c {
        Some(c) => crate::grants::annex_store::annexes_of(db, c.id)
            .await?
            .into_iter()
            .map(|a| (a.n, fmt::datetime(ctx.lang, a.created_at)))
            .collect(),
        None => Vec::new(),
    };
    let (lines, reports, settlement, returns) = match &c {
        None => (Vec::new(), Vec::new(), None, Vec::new()),
        Some(c) => {
            let lines = store::lines_of(db, c.id)
                .await?
                .into_iter()
                .map(|l| (l.n, l.name, l.year, m(l.value), m(l.grant)))
                .collect();
            let reports = reports::reports_of(db, c.id)
                .await?
                .into_iter()
                .map(|r| ReportLine {
                    id: r.id,
                    kind: ctx.t(&r.kind.label_key()),
                    act_by: d(crate::grants::report_due::act_by(&r)),
                    status: ctx.t(&r.status.label_key()),
                })
                .collect();
            let settlement = reports::settlement_of(db, c, today).await?.map(|s| SettlementView {
                facts: vec![
                    (ctx.t("settle-paid-out"), m(s.paid_out)),
                    (ctx.t("settle-spent-grant"), m(s.spent_grant)),
                    (ctx.t("settle-unused"), m(s.unused)),
                    (ctx.t("settle-excess"), m(s.excess)),
                    (ctx.t("settle-returned"), m(s.returned)),
                    (ctx.t("settle-interest"), m(s.interest)),
                ],
                dues: s
                    .dues
                    .iter()
                    .map(|x| (ctx.t(&format!("settle-due-{}", x.what)), m(x.amount), d(x.due), m(x.paid), x.days_late, m(x.interest)))
                    .collect(),
                outstanding: m(s.outstanding),
            });
            let returns = reports::returns_of(db, c.id)
                .await?
                .into_iter()
                .map(|r| (d(r.paid_on), m(r.amount), r.note))
                .collect();
            (lines, reports, settlement, returns)
        }
    };
    let page = ContractPage {
        lines,
        reports,
        annexes,
        can_request: matches!(status, Status::Signed | Status::InProgress),
        earliest_due: crate::grants::report_due::earliest_partial_due(today).format("%Y-%m-%d").to_string(),
        settlement,
        returns,
        can_return: status == Status::Reported,
        can_sign: status == Status::Sent,
        side,
        kind_label,
        id: c.as_ref().map_or(0, |c| c.id),
        status: ctx.t(&status.label_key()),
        granted: Money(granted).to_string(),
        call_title: format!("{} ({})", call.title, call.number),
        organization,
        editable,
        action,
        form,
        rows,
        tranches,
        moves,
        errors,
        ctx,
        c,
        offer,
    };
    Ok(Html(page.render()?).into_response())
}

// ---------------------------------------------------------------------------------------------
// The list.

pub struct ListRow {
    pub id: i64,
    pub number: String,
    pub organization: String,
    pub title: String,
    pub amount: String,
    pub status: String,
    pub paid: String,
}

pub struct WaitingRow {
    pub offer_id: i64,
    pub organization: String,
    pub title: String,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "grants/templates/admin/contracts.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<ListRow>,
    waiting: Vec<WaitingRow>,
}

/// `GET /panel/umowy`.
pub async fn list(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let contracts = contract_row::Entity::find()
        .order_by_desc(contract_row::Column::UpdatedAt)
        .all(db)
        .await?;
    let waiting = store::waiting_offers(db).await?;
    let org_ids: Vec<i64> = contracts
        .iter()
        .map(|c| c.organization_id)
        .chain(waiting.iter().map(|o| o.organization_id))
        .collect();
    let orgs = fields::organization_names(db, org_ids).await?;
    let titles = fields::offer_titles(db, contracts.iter().map(|c| c.offer_id).collect()).await?;
    // Paid tranches and decided amounts, each read once for the whole list.
    let mut paid: HashMap<i64, i64> = HashMap::new();
    for t in crate::grants::entity::grant_tranche::Entity::find()
        .filter(crate::grants::entity::grant_tranche::Column::ContractId.is_in(contracts.iter().map(|c| c.id).collect::<Vec<_>>()))
        .filter(crate::grants::entity::grant_tranche::Column::PaidOn.is_not_null())
        .all(db)
        .await?
    {
        let sum = paid.entry(t.contract_id).or_insert(0);
        *sum = sum.saturating_add(t.amount);
    }
    let decided: HashMap<i64, i64> = crate::grants::entity::grant_decision_line::Entity::find()
        .filter(crate::grants::entity::grant_decision_line::Column::OfferId.is_in(waiting.iter().map(|o| o.id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.offer_id, l.amount))
        .collect();
    let mut rows = Vec::with_capacity(contracts.len());
    for c in contracts {
        let paid = paid.get(&c.id).copied().unwrap_or(0);
        rows.push(ListRow {
            id: c.id,
            number: c.number.clone(),
            organization: orgs.get(&c.organization_id).cloned().unwrap_or_default(),
            title: titles.get(&c.offer_id).cloned().unwrap_or_default(),
            amount: Money(c.amount).to_string(),
            status: ctx.t(&c.status.label_key()),
            paid: Money(paid).to_string(),
        });
    }
    let waiting_rows = waiting
        .into_iter()
        .map(|o| WaitingRow {
            offer_id: o.id,
            organization: orgs.get(&o.organization_id).cloned().unwrap_or_default(),
            amount: Money(decided.get(&o.id).copied().unwrap_or(0)).to_string(),
            title: o.title,
        })
        .collect();
    let page = ListPage {
        rows,
        waiting: waiting_rows,
        ctx,
    };
    Ok(Html(page.render()?).into_response())
}

// ---------------------------------------------------------------------------------------------
// New, show, save.

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    oferta: String,
}

async fn granted_offer(state: &AppState, q: &NewQuery) -> AppResult<grant_offer::Model> {
    let id: i64 = q.oferta.trim().parse().map_err(|_| AppError::NotFound)?;
    grant_offer::Entity::find_by_id(id)
        .one(&state.platform.db.conn)
        .await?
        .filter(|o| o.status == grant_offer::Status::Granted)
        .ok_or(AppError::NotFound)
}

/// `GET /panel/umowy/nowa?oferta={offer}`: the form prefilled from the offer and the decision.
pub async fn new_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<NewQuery>,
) -> AppResult<Response> {
    let offer = granted_offer(&state, &q).await?;
    if let Some(c) = store::of_offer(&state.platform.db.conn, offer.id).await? {
        return Ok(axum::response::Redirect::to(&format!("/panel/umowy/{}", c.id)).into_response());
    }
    render(&state, ctx, None, offer, None, Errors::default(), Side::default()).await
}

/// `POST /panel/umowy/nowa?oferta={offer}`.
pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Query(q): Query<NewQuery>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let offer = granted_offer(&state, &q).await?;
    let input = read(&pairs);
    let granted = store::granted(&state.platform.db.conn, offer.id).await?.unwrap_or(0);
    let terms = match contract::check(&input, granted) {
        Ok(t) => t,
        Err(p) => {
            let errors = fields::localise(&ctx, &p);
            return render(&state, ctx, None, offer, Some(input), errors, Side::default()).await;
        }
    };
    let db = &state.platform.db.conn;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    match store::create(&txn, &offer, &terms, &actor(acc)).await? {
        Ok(c) => {
            txn.commit().await?;
            Ok(redirect_with_flash(&state, &format!("/panel/umowy/{}", c.id), "flash-contract-saved"))
        }
        Err(_) => {
            drop(txn);
            Ok(crate::grants::submit::redirect_with_error(&state, "/panel/umowy", "flash-contract-exists"))
        }
    }
}

async fn contract_of(state: &AppState, id: i64) -> AppResult<(contract_row::Model, grant_offer::Model)> {
    let db = &state.platform.db.conn;
    let c = contract_row::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let o = grant_offer::Entity::find_by_id(c.offer_id).one(db).await?.ok_or(AppError::NotFound)?;
    Ok((c, o))
}

/// `GET /panel/umowy/{id}`.
pub async fn show(State(state): State<AppState>, ctx: PageCtx, Path(id): Path<i64>) -> AppResult<Response> {
    let (c, o) = contract_of(&state, id).await?;
    render(&state, ctx, Some(c), o, None, Errors::default(), Side::default()).await
}

/// `POST /panel/umowy/{id}`: new terms of a draft (`version` from the form: compare-and-set).
pub async fn save(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let (c, o) = contract_of(&state, id).await?;
    let back = format!("/panel/umowy/{id}");
    if c.status != Status::Draft {
        return Ok(crate::grants::submit::redirect_with_error(&state, &back, "flash-contract-not-draft"));
    }
    let input = read(&pairs);
    let expected: i32 = fields::get(&pairs, "version").parse().unwrap_or(-1);
    let granted = store::granted(&state.platform.db.conn, o.id).await?.unwrap_or(0);
    let terms = match contract::check(&input, granted) {
        Ok(t) => t,
        Err(p) => {
            let errors = fields::localise(&ctx, &p);
            return render(&state, ctx, Some(c), o, Some(input), errors, Side::default()).await;
        }
    };
    let db = &state.platform.db.conn;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    match store::save(&txn, &c, expected, &terms, &actor(acc)).await? {
        Ok(()) => {
            txn.commit().await?;
            Ok(redirect_with_flash(&state, &back, "flash-contract-saved"))
        }
        Err(r) => {
            drop(txn);
            let key = if r == Refused::NotDraft { "contract-error-not-draft" } else { "contract-error-conflict" };
            let errors = Errors::form("number", ctx.t(key));
            let (c, o) = contract_of(&state, id).await?;
            render(&state, ctx, Some(c), o, Some(input), errors, Side::default()).await
        }
    }
}

/// The contract's page again with one of its smaller forms' errors and what was typed.
async fn again(state: &AppState, ctx: PageCtx, id: i64, errors: Errors, side: Side) -> AppResult<Response> {
    let (c, o) = contract_of(state, id).await?;
    render(state, ctx, Some(c), o, None, errors, side).await
}

/// `POST /panel/umowy/{id}/status`: `to`, with `how` to sign and a `note`. Settling goes through
/// the settlement (nothing may be owed).
pub async fn move_status(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let back = format!("/panel/umowy/{id}");
    let to = Status::parse(&fields::get(&pairs, "to")).ok_or(AppError::BadRequest)?;
    let note_raw = fields::get(&pairs, "note");
    let note = fields::clean(&note_raw, 2000).unwrap_or_default();
    let side = Side { note: note_raw, ..Default::default() };
    if to == Status::Signed {
        // Signing is recorded by its own form (`sign`), with the scan when on paper.
        return Ok(crate::grants::submit::redirect_with_error(&state, &back, "flash-contract-move"));
    }
    if to == Status::Terminated && note.chars().count() < 10 {
        let errors = Errors::form("note-terminated", ctx.t("flash-contract-note"));
        return again(&state, ctx, id, errors, side).await;
    }
    let db = &state.platform.db.conn;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let public_url = state.platform.config.server.public_url.clone();
    let moved = if to == Status::Settled {
        reports::settle(&txn, id, &actor(acc), &public_url).await?
    } else {
        store::move_to(&txn, id, to, None, &note, &actor(acc), &public_url).await?
    };
    match moved {
        Ok(_) => {
            txn.commit().await?;
            Ok(redirect_with_flash(&state, &back, "flash-contract-moved"))
        }
        Err(Refused::Outstanding) => {
            drop(txn);
            Ok(crate::grants::submit::redirect_with_error(&state, &back, "flash-contract-outstanding"))
        }
        Err(_) => {
            drop(txn);
            Ok(crate::grants::submit::redirect_with_error(&state, &back, "flash-contract-move"))
        }
    }
}

/// Where a contract's signed scan is kept in storage.
const SCAN_PREFIX: &str = "private/contracts";

/// `POST /panel/umowy/{id}/podpis` (multipart): the contract signed — `how` electronic (with a
/// `note` naming the signatures) or upload (with the scan, a PDF, in `scan`).
pub async fn sign(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    mp: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let mp = mp.map_err(|_| AppError::BadRequest)?;
    let form = wspolnie_web::forms::MultipartForm::read(mp, crate::grants::offers::MAX_FILE_BYTES).await?;
    let field = |k: &str| form.fields.get(k).and_then(|v| v.first()).map(|v| v.trim().to_owned()).unwrap_or_default();
    let note_raw = field("note");
    let note = fields::clean(&note_raw, 2000).unwrap_or_default();
    let how = Signed::parse(&field("how"));
    let mut errors = Errors::default();
    let scan = match how {
        None => {
            errors.add("how-upload", ctx.t("flash-contract-how"));
            None
        }
        Some(Signed::Electronic) => None,
        Some(Signed::Upload) => match form.file("scan") {
            _ if !form.too_large.is_empty() => {
                errors.add("scan", ctx.t("contract-error-scan-large"));
                None
            }
            None => {
                errors.add("scan", ctx.t("contract-error-scan"));
                None
            }
            Some(up) => match wspolnie_web::uploads::detect_document(&up.filename, &up.bytes) {
                Some(("pdf", content_type)) => Some((up, content_type)),
                _ => {
                    errors.add("scan", ctx.t("contract-error-scan-type"));
                    None
                }
            },
        },
    };
    if !errors.is_empty() {
        let side = Side { note: note_raw, ..Default::default() };
        return again(&state, ctx, id, errors, side).await;
    }
    let db = &state.platform.db.conn;
    let public_url = state.platform.config.server.public_url.clone();
    // The object first (storage is slow: never inside the write transaction).
    let stored = match &scan {
        Some((up, content_type)) => Some(
            wspolnie_web::uploads::store_file(&state, db, SCAN_PREFIX, "pdf", content_type, up.bytes.clone(), &up.filename)
                .await?,
        ),
        None => None,
    };
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let done = match &stored {
        Some(f) => store::sign_with_scan(&txn, id, &f.key, &f.original_name, &note, &actor(acc), &public_url).await?,
        None => store::move_to(&txn, id, Status::Signed, Some(Signed::Electronic), &note, &actor(acc), &public_url).await?,
    };
    let back = format!("/panel/umowy/{id}");
    finish_write(&state, txn, done.is_ok(), &back, "flash-contract-moved", "flash-contract-move").await
}

/// `GET /panel/umowy/{id}/podpisana.pdf`: the signed scan, for grants officials and the
/// organisation's members.
pub async fn scan(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let (c, o) = contract_of(&state, id).await?;
    if !crate::grants::store::may_see(acc, &o) {
        return Err(AppError::NotFound);
    }
    let (Some(key), Some(name)) = (c.signed_file_key, c.signed_file_name) else {
        return Err(AppError::NotFound);
    };
    let bytes = state.platform.storage.get(&key).await?;
    Ok(wspolnie_web::files::response(bytes, "application/pdf", &name, false, "private, no-store"))
}

/// `POST /panel/umowy/{id}/transze/{n}`: the tranche paid on `paid_on`.
pub async fn pay(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path((id, n)): Path<(i64, i32)>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let back = format!("/panel/umowy/{id}");
    let typed = fields::get(&pairs, "paid_on");
    let Some(day) = wspolnie_core::time::parse_form_date(&typed) else {
        let errors = Errors::form(format!("paid-{n}"), ctx.t1("contract-error-paid-on", "n", &n.to_string()));
        let side = Side { paid: HashMap::from([(n, typed)]), ..Default::default() };
        return again(&state, ctx, id, errors, side).await;
    };
    let db = &state.platform.db.conn;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let public_url = state.platform.config.server.public_url.clone();
    let paid = store::pay(&txn, id, n, day, &actor(acc), &public_url).await? == Ok(true);
    finish_write(&state, txn, paid, &back, "flash-contract-paid", "flash-contract-not-payable").await
}

/// `POST /panel/umowy/{id}/sprawozdania`: asks for a partial report covering the task up to
/// `period_to`, due on `due_on` (at least 30 days on, KPA counting).
pub async fn request_report(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let (c, _) = contract_of(&state, id).await?;
    let side = Side { period_to: fields::get(&pairs, "period_to"), due_on: fields::get(&pairs, "due_on"), ..Default::default() };
    let today = crate::grants::model::warsaw_day(chrono::Utc::now());
    let earliest = crate::grants::report_due::earliest_partial_due(today);
    let period_to = wspolnie_core::time::parse_form_date(&side.period_to).filter(|d| *d >= c.task_from && *d <= c.task_to);
    let due_on = wspolnie_core::time::parse_form_date(&side.due_on);
    let mut errors = Errors::default();
    if period_to.is_none() {
        errors.add("period_to", ctx.t("report-error-period"));
    }
    match due_on {
        None => errors.add("due_on", ctx.t("report-error-due")),
        Some(d) if d < earliest || d > today + chrono::Duration::days(366) => errors.add(
            "due_on",
            ctx.t1("report-error-due-early", "date", &earliest.format("%d.%m.%Y").to_string()),
        ),
        _ => {}
    }
    let (Some(period_to), Some(due_on), true) = (period_to, due_on, errors.is_empty()) else {
        return again(&state, ctx, id, errors, side).await;
    };
    let db = &state.platform.db.conn;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let public_url = state.platform.config.server.public_url.clone();
    let done = reports::request_partial(&txn, id, period_to, due_on, &actor(acc), &public_url).await?.is_ok();
    finish_write(&state, txn, done, &format!("/panel/umowy/{id}"), "flash-report-requested", "flash-contract-move").await
}

/// `POST /panel/umowy/{id}/zwroty`: money returned (`amount`, `paid_on`, `note`).
pub async fn record_return(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let side = Side {
        ret_amount: fields::get(&pairs, "amount"),
        ret_paid_on: fields::get(&pairs, "paid_on"),
        ret_note: fields::get(&pairs, "note"),
        ..Default::default()
    };
    let today = crate::grants::model::warsaw_day(chrono::Utc::now());
    let amount = fields::parse_money(&side.ret_amount).filter(|a| *a > 0);
    let paid_on = wspolnie_core::time::parse_form_date(&side.ret_paid_on).filter(|d| *d <= today);
    let note = fields::clean(&side.ret_note, 500);
    let mut errors = Errors::default();
    if amount.is_none() {
        errors.add("amount", ctx.t("settle-error-amount"));
    }
    if paid_on.is_none() {
        errors.add("paid_on", ctx.t("settle-error-date"));
    }
    if note.is_none() {
        errors.add("note", ctx.t("settle-error-note"));
    }
    let (Some(amount), Some(paid_on), Some(note)) = (amount, paid_on, note) else {
        return again(&state, ctx, id, errors, side).await;
    };
    let db = &state.platform.db.conn;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let done = reports::record_return(&txn, id, amount, paid_on, &note, &actor(acc)).await?.is_ok();
    let back = if done { format!("/panel/umowy/{id}#rozliczenie") } else { format!("/panel/umowy/{id}") };
    finish_write(&state, txn, done, &back, "flash-return-recorded", "flash-contract-move").await
}

/// `GET /panel/umowy/{id}/umowa.pdf`: for grants officials and the organisation's members.
pub async fn pdf(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let (c, o) = contract_of(&state, id).await?;
    if !crate::grants::store::may_see(acc, &o) {
        return Err(AppError::NotFound);
    }
    let doc = store::document(&state.platform.db.conn, &c, &ctx.site.office_name).await?;
    pdf_response(doc, &format!("umowa-{}", c.number)).await
}

/// A document rendered as a tagged PDF, shown inline under a file name made of `name`'s letters
/// and digits; never stored by caches.
pub async fn pdf_response(doc: wspolnie_pdf::CallDocument, name: &str) -> AppResult<Response> {
    let bytes = tokio::task::spawn_blocking(move || wspolnie_pdf::render_call(&doc))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("pdf task: {e}")))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!("pdf: {e}")))?;
    let name: String = name
        .chars()
        .map(|ch| if ch.is_ascii_alphanumeric() { ch } else { '-' })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{name}.pdf\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

// ---------------------------------------------------------------------------------------------
// The model contract.

pub struct VersionRow {
    pub version: i32,
    pub when: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "grants/templates/admin/contract_template.html")]
struct TemplatePage {
    ctx: PageCtx,
    version: i32,
    body: String,
    note: String,
    placeholders: Vec<(&'static str, &'static str)>,
    versions: Vec<VersionRow>,
    errors: Errors,
}

async fn render_template(
    state: &AppState,
    ctx: PageCtx,
    typed: Option<(String, String)>,
    errors: Errors,
) -> AppResult<Response> {
    use crate::grants::entity::grant_contract_template as template;
    let db = &state.platform.db.conn;
    let current = store::current_template(db).await?;
    let versions = template::Entity::find()
        .order_by_desc(template::Column::Version)
        .all(db)
        .await?
        .into_iter()
        .map(|t| VersionRow {
            version: t.version,
            when: fmt::datetime(ctx.lang, t.created_at),
            note: t.note,
        })
        .collect();
    let (body, note) = typed.unwrap_or((current.body_md.clone(), String::new()));
    let page = TemplatePage {
        version: current.version,
        body,
        note,
        placeholders: contract::PLACEHOLDERS.to_vec(),
        versions,
        errors,
        ctx,
    };
    Ok(Html(page.render()?).into_response())
}

/// `GET /panel/umowy/wzor`.
pub async fn template_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    render_template(&state, ctx, None, Errors::default()).await
}

/// `POST /panel/umowy/wzor`: a new version of the model contract.
pub async fn template_save(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let raw_body = pairs.iter().find(|(k, _)| k == "body").map(|(_, v)| v.clone()).unwrap_or_default();
    let raw_note = fields::get(&pairs, "note");
    let mut errors = Errors::default();
    let body = fields::clean(&raw_body, 60_000).filter(|b| b.chars().count() >= 100);
    if body.is_none() {
        errors.add("body", ctx.t("contract-error-template"));
    }
    let note = fields::clean(&raw_note, 500).filter(|n| n.chars().count() >= 3);
    if note.is_none() {
        errors.add("note", ctx.t("contract-error-template-note"));
    }
    let (Some(body), Some(note)) = (body, note) else {
        return render_template(&state, ctx, Some((raw_body, raw_note)), errors).await;
    };
    let db = &state.platform.db.conn;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    match store::save_template(&txn, &body, &note, &actor(acc)).await? {
        Ok(_) => {
            txn.commit().await?;
            Ok(redirect_with_flash(&state, "/panel/umowy/wzor", "flash-contract-template-saved"))
        }
        Err(unknown) => {
            drop(txn);
            let msg = ctx.t1("contract-error-placeholders", "shown", &unknown.join(", "));
            render_template(&state, ctx, Some((raw_body, raw_note)), Errors::form("body", msg)).await
        }
    }
}
