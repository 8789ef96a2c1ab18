//! Contracts in the database (issue 19, items 1–2): the model contract's versions, a contract
//! made from a granted offer with its tranches, its edits (compare-and-set, drafts only), its
//! moves along `grant_contract::allowed`, payments of tranches. Every write audited; the caller
//! owns the transaction.

use crate::directory::entity::organization;
use crate::grants::contract::{self, ContractInput, Terms, TrancheInput};
use crate::grants::report;
use crate::grants::entity::grant_call;
use crate::grants::entity::grant_contract::{self as contract_row, Status};
use crate::grants::entity::grant_contract_line as line_row;
use crate::grants::entity::grant_contract_template as template;
use crate::grants::entity::grant_decision_line as line;
use crate::grants::entity::grant_offer::{self, Status as OfferStatus};
use crate::grants::entity::grant_tranche as tranche;
use crate::grants::law::{self, Law};
use crate::grants::model::{money_text, warsaw_day};
use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use wspolnie_platform::audit::{self, Actor};

/// The model contract in force: the latest saved version, or the platform's own (version 1,
/// not yet stored).
pub async fn current_template<C: ConnectionTrait>(db: &C) -> Result<template::Model, DbErr> {
    Ok(template::Entity::find()
        .order_by_desc(template::Column::Version)
        .one(db)
        .await?
        .unwrap_or_else(|| template::Model {
            id: 0,
            version: 1,
            body_md: contract::DEFAULT_TEMPLATE.to_owned(),
            note: String::new(),
            created_by: None,
            created_at: Utc::now(),
        }))
}

/// The version a contract was made on (the platform's own for version 1 never saved).
pub async fn template_of<C: ConnectionTrait>(db: &C, version: i32) -> Result<template::Model, DbErr> {
    match template::Entity::find()
        .filter(template::Column::Version.eq(version))
        .one(db)
        .await?
    {
        Some(t) => Ok(t),
        None => {
            let mut t = current_template(db).await?;
            if t.version != version {
                t.body_md = contract::DEFAULT_TEMPLATE.to_owned();
                t.version = version;
            }
            Ok(t)
        }
    }
}

/// Saves a new version of the model contract. `Ok(Err(unknown))`: placeholders that do not
/// exist, nothing saved.
pub async fn save_template<C: ConnectionTrait>(
    db: &C,
    body: &str,
    note: &str,
    actor: &Actor,
) -> Result<Result<template::Model, Vec<String>>, DbErr> {
    let unknown = contract::unknown_placeholders(body);
    if !unknown.is_empty() {
        return Ok(Err(unknown));
    }
    let current = current_template(db).await?;
    // The platform's own text is version 1 even when never stored: the first saved one is 2.
    let version = current.version + 1;
    let saved = template::ActiveModel {
        version: Set(version),
        body_md: Set(body.to_owned()),
        note: Set(note.to_owned()),
        created_by: Set(actor.user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        actor,
        "grant_contract_template.save",
        "grant_contract_template",
        saved.id,
        Some(&serde_json::json!({ "version": current.version })),
        Some(&serde_json::json!({ "version": version, "note": note })),
    )
    .await?;
    Ok(Ok(saved))
}

/// What was granted to the offer: the decision's amount.
pub async fn granted<C: ConnectionTrait>(db: &C, offer_id: i64) -> Result<Option<i64>, DbErr> {
    Ok(line::Entity::find()
        .filter(line::Column::OfferId.eq(offer_id))
        .one(db)
        .await?
        .map(|l| l.amount))
}

/// Granted offers that have no contract yet, oldest decision first.
pub async fn waiting_offers<C: ConnectionTrait>(db: &C) -> Result<Vec<grant_offer::Model>, DbErr> {
    let with: Vec<i64> = contract_row::Entity::find()
        .select_only()
        .column(contract_row::Column::OfferId)
        .into_tuple()
        .all(db)
        .await?;
    grant_offer::Entity::find()
        .filter(grant_offer::Column::Status.eq(OfferStatus::Granted))
        .filter(grant_offer::Column::Id.is_not_in(with))
        .order_by_asc(grant_offer::Column::UpdatedAt)
        .all(db)
        .await
}

/// Panel count for officials of the grants scope: granted offers waiting for their contract.
pub fn waiting_count<'a>(
    state: &'a wspolnie_web::AppState,
    _: &'a wspolnie_web::policy::Account,
) -> wspolnie_web::ctx::CountFuture<'a> {
    Box::pin(async move {
        let n = waiting_offers(&state.platform.db.conn).await?.len();
        Ok(Some(n as u64))
    })
}

/// The contract of an offer, if made.
pub async fn of_offer<C: ConnectionTrait>(db: &C, offer_id: i64) -> Result<Option<contract_row::Model>, DbErr> {
    contract_row::Entity::find()
        .filter(contract_row::Column::OfferId.eq(offer_id))
        .one(db)
        .await
}

pub async fn tranches_of<C: ConnectionTrait>(db: &C, contract_id: i64) -> Result<Vec<tranche::Model>, DbErr> {
    tranche::Entity::find()
        .filter(tranche::Column::ContractId.eq(contract_id))
        .order_by_asc(tranche::Column::N)
        .all(db)
        .await
}

/// The form prefilled for a granted offer: the task's dates from the submitted offer (else the
/// call's execution period), both spending windows the task's, the amount granted, one tranche
/// of the whole amount at the start, the tolerance in force, the final report's duty.
pub async fn prefill<C: ConnectionTrait>(
    db: &C,
    offer: &grant_offer::Model,
    call: &grant_call::Model,
) -> Result<ContractInput, DbErr> {
    let content = crate::grants::reduced::version_content(db, offer.id, offer.current_version)
        .await?
        .unwrap_or_default();
    let day = |s: &str, or: NaiveDate| wspolnie_core::time::parse_form_date(s).unwrap_or(or);
    let from = day(&content.task.start_date, call.execution_from);
    let to = day(&content.task.end_date, call.execution_to);
    let amount = granted(db, offer.id).await?.unwrap_or(offer.requested_grant);
    let tolerance = law::value(db, Law::ContractToleranceBp, warsaw_day(Utc::now())).await?;
    let f = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    Ok(ContractInput {
        number: format!("{}/U/{}", call.number, offer.id),
        kind: if content.funding.grant >= offer.total_cost && offer.total_cost > 0 {
            "entrusting".into()
        } else {
            "supporting".into()
        },
        task_from: f(from),
        task_to: f(to),
        grant_from: f(from),
        grant_to: f(to),
        other_from: f(from),
        other_to: f(to),
        amount: money_text(amount),
        bank_account: String::new(),
        tolerance: percent_field(tolerance),
        reporting: "Sprawozdanie końcowe z wykonania zadania organizacja złoży w terminie 30 dni od dnia zakończenia realizacji zadania. Zleceniodawca może wezwać do złożenia sprawozdania częściowego w terminie nie krótszym niż 30 dni od dnia doręczenia wezwania.".into(),
        tranches: vec![TrancheInput { due_on: f(from), amount: money_text(amount) }],
    })
}

/// Basis points as the tolerance field shows them: "15,00" (no sign, plain digits).
fn percent_field(bp: i64) -> String {
    crate::grants::offer::percent_pl(bp)
        .replace('\u{a0}', " ")
        .trim_end_matches(" %")
        .to_owned()
}

/// The form showing a stored contract.
pub fn input_of(c: &contract_row::Model, tranches: &[tranche::Model]) -> ContractInput {
    let f = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    ContractInput {
        number: c.number.clone(),
        kind: c.kind.clone(),
        task_from: f(c.task_from),
        task_to: f(c.task_to),
        grant_from: f(c.grant_from),
        grant_to: f(c.grant_to),
        other_from: f(c.other_from),
        other_to: f(c.other_to),
        amount: money_text(c.amount),
        bank_account: contract::account_groups(&c.bank_account),
        tolerance: percent_field(i64::from(c.tolerance_bp)),
        reporting: c.reporting.clone(),
        tranches: tranches
            .iter()
            .map(|t| TrancheInput { due_on: f(t.due_on), amount: money_text(t.amount) })
            .collect(),
    }
}

/// The contract's cost lines, in order.
pub async fn lines_of<C: ConnectionTrait>(db: &C, contract_id: i64) -> Result<Vec<report::Line>, DbErr> {
    Ok(line_row::Entity::find()
        .filter(line_row::Column::ContractId.eq(contract_id))
        .order_by_asc(line_row::Column::N)
        .all(db)
        .await?
        .into_iter()
        .map(|l| report::Line {
            n: l.n,
            name: l.name,
            year: u8::try_from(l.year.clamp(1, 3)).unwrap_or(1),
            value: l.value,
            grant: l.grant_part,
        })
        .collect())
}

/// Replaces the contract's cost lines.
pub async fn write_lines<C: ConnectionTrait>(db: &C, contract_id: i64, lines: &[report::Line]) -> Result<(), DbErr> {
    line_row::Entity::delete_many()
        .filter(line_row::Column::ContractId.eq(contract_id))
        .exec(db)
        .await?;
    for l in lines {
        line_row::ActiveModel {
            contract_id: Set(contract_id),
            n: Set(l.n),
            name: Set(l.name.clone()),
            year: Set(i32::from(l.year)),
            value: Set(l.value),
            grant_part: Set(l.grant),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// The cost lines of a contract for `amount` on the offer's decided version: the offer's final
/// cost table, the grant split over it in proportion (`report::lines_from_offer`).
async fn offer_lines<C: ConnectionTrait>(db: &C, offer: &grant_offer::Model, amount: i64) -> Result<Vec<report::Line>, DbErr> {
    let content = crate::grants::reduced::version_content(db, offer.id, offer.current_version)
        .await?
        .unwrap_or_default();
    Ok(report::lines_from_offer(&content, amount))
}

async fn write_tranches<C: ConnectionTrait>(db: &C, contract_id: i64, terms: &Terms) -> Result<(), DbErr> {
    tranche::Entity::delete_many()
        .filter(tranche::Column::ContractId.eq(contract_id))
        .exec(db)
        .await?;
    for (i, t) in terms.tranches.iter().enumerate() {
        tranche::ActiveModel {
            contract_id: Set(contract_id),
            n: Set(i32::try_from(i + 1).unwrap_or(i32::MAX)),
            due_on: Set(t.due_on),
            amount: Set(t.amount),
            paid_on: Set(None),
            paid_by: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

fn terms_json(t: &Terms) -> serde_json::Value {
    serde_json::json!({
        "number": t.number, "kind": t.kind.code(),
        "task": [t.task_from, t.task_to], "grant": [t.grant_from, t.grant_to], "other": [t.other_from, t.other_to],
        "amount": t.amount, "account": t.bank_account, "tolerance_bp": t.tolerance_bp,
        "tranches": t.tranches.iter().map(|x| (x.due_on, x.amount)).collect::<Vec<_>>(),
    })
}

/// Why a contract could not be made or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The offer is not granted, or already has its contract.
    NotGrantable,
    /// Only a draft is edited.
    NotDraft,
    /// Someone saved the contract since the form was opened.
    Conflict,
    /// The life cycle does not allow the move.
    NotAllowed,
    /// Money is still to be returned: the contract cannot be settled.
    Outstanding,
}

/// Makes the draft contract of a granted offer on the model contract in force (its version 1
/// stored on first use). The offer's own contributions come from its submitted version.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    offer: &grant_offer::Model,
    terms: &Terms,
    actor: &Actor,
) -> Result<Result<contract_row::Model, Refused>, DbErr> {
    if offer.status != OfferStatus::Granted || of_offer(db, offer.id).await?.is_some() {
        return Ok(Err(Refused::NotGrantable));
    }
    let content = crate::grants::reduced::version_content(db, offer.id, offer.current_version)
        .await?
        .unwrap_or_default();
    let tpl = current_template(db).await?;
    let now = Utc::now();
    let saved = contract_row::ActiveModel {
        offer_id: Set(offer.id),
        call_id: Set(offer.call_id),
        organization_id: Set(offer.organization_id),
        number: Set(terms.number.clone()),
        kind: Set(terms.kind.code().to_owned()),
        task_from: Set(terms.task_from),
        task_to: Set(terms.task_to),
        grant_from: Set(terms.grant_from),
        grant_to: Set(terms.grant_to),
        other_from: Set(terms.other_from),
        other_to: Set(terms.other_to),
        amount: Set(terms.amount),
        own_financial: Set(content.funding.own_financial),
        personal: Set(content.funding.personal),
        in_kind: Set(content.funding.in_kind),
        bank_account: Set(terms.bank_account.clone()),
        tolerance_bp: Set(terms.tolerance_bp),
        reporting: Set(terms.reporting.clone()),
        template_version: Set(tpl.version),
        status: Set(Status::Draft),
        sent_at: Set(None),
        signed_at: Set(None),
        signed_how: Set(String::new()),
        signed_file_key: Set(None),
        signed_file_name: Set(None),
        note: Set(String::new()),
        created_by: Set(actor.user_id),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(0),
        ..Default::default()
    }
    .insert(db)
    .await?;
    write_tranches(db, saved.id, terms).await?;
    write_lines(db, saved.id, &report::lines_from_offer(&content, terms.amount)).await?;
    audit::record(
        db,
        actor,
        "grant_contract.create",
        "grant_contract",
        saved.id,
        None::<&()>,
        Some(&serde_json::json!({ "offer": offer.id, "terms": terms_json(terms), "template": tpl.version })),
    )
    .await?;
    Ok(Ok(saved))
}

/// Saves new terms of a draft if it is still at `expected_version` (one conditional UPDATE).
pub async fn save<C: ConnectionTrait>(
    db: &C,
    c: &contract_row::Model,
    expected_version: i32,
    terms: &Terms,
    actor: &Actor,
) -> Result<Result<(), Refused>, DbErr> {
    let r = contract_row::Entity::update_many()
        .col_expr(contract_row::Column::Number, Expr::value(terms.number.clone()))
        .col_expr(contract_row::Column::Kind, Expr::value(terms.kind.code()))
        .col_expr(contract_row::Column::TaskFrom, Expr::value(terms.task_from))
        .col_expr(contract_row::Column::TaskTo, Expr::value(terms.task_to))
        .col_expr(contract_row::Column::GrantFrom, Expr::value(terms.grant_from))
        .col_expr(contract_row::Column::GrantTo, Expr::value(terms.grant_to))
        .col_expr(contract_row::Column::OtherFrom, Expr::value(terms.other_from))
        .col_expr(contract_row::Column::OtherTo, Expr::value(terms.other_to))
        .col_expr(contract_row::Column::Amount, Expr::value(terms.amount))
        .col_expr(contract_row::Column::BankAccount, Expr::value(terms.bank_account.clone()))
        .col_expr(contract_row::Column::ToleranceBp, Expr::value(terms.tolerance_bp))
        .col_expr(contract_row::Column::Reporting, Expr::value(terms.reporting.clone()))
        .col_expr(contract_row::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(contract_row::Column::Version, Expr::value(expected_version + 1))
        .filter(contract_row::Column::Id.eq(c.id))
        .filter(contract_row::Column::Version.eq(expected_version))
        .filter(contract_row::Column::Status.eq(Status::Draft))
        .exec(db)
        .await?;
    if r.rows_affected != 1 {
        let now = contract_row::Entity::find_by_id(c.id).one(db).await?;
        return Ok(Err(match now {
            Some(n) if n.status != Status::Draft => Refused::NotDraft,
            _ => Refused::Conflict,
        }));
    }
    write_tranches(db, c.id, terms).await?;
    if terms.amount != c.amount
        && let Some(offer) = grant_offer::Entity::find_by_id(c.offer_id).one(db).await?
    {
        write_lines(db, c.id, &offer_lines(db, &offer, terms.amount).await?).await?;
    }
    audit::record(
        db,
        actor,
        "grant_contract.save",
        "grant_contract",
        c.id,
        Some(&serde_json::json!({ "version": expected_version })),
        Some(&serde_json::json!({ "terms": terms_json(terms) })),
    )
    .await?;
    Ok(Ok(()))
}

/// How a signature was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signed {
    /// A scan of the paper signed by both parties.
    Upload,
    /// Qualified, trusted or personal electronic signatures, recorded by the office.
    Electronic,
}

impl Signed {
    pub fn code(self) -> &'static str {
        match self {
            Signed::Upload => "upload",
            Signed::Electronic => "electronic",
        }
    }
    pub fn parse(s: &str) -> Option<Signed> {
        match s {
            "upload" => Some(Signed::Upload),
            "electronic" => Some(Signed::Electronic),
            _ => None,
        }
    }
}

/// Moves a contract (the row locked), audited; `how` is needed to sign, the note is stored
/// (the termination's reason, the signature's details). Sending queues the organisation's
/// e-mail with the contract's link.
pub async fn move_to<C: ConnectionTrait>(
    db: &C,
    id: i64,
    to: Status,
    how: Option<Signed>,
    note: &str,
    actor: &Actor,
    public_url: &str,
) -> Result<Result<contract_row::Model, Refused>, DbErr> {
    let Some(c) = contract_row::Entity::find_by_id(id).lock_exclusive().one(db).await? else {
        return Ok(Err(Refused::NotAllowed));
    };
    if c.status == to || !contract_row::allowed(c.status, to) || (to == Status::Signed && how.is_none()) {
        return Ok(Err(Refused::NotAllowed));
    }
    let now = Utc::now();
    let from = c.status;
    let mut a: contract_row::ActiveModel = c.clone().into();
    a.status = Set(to);
    a.updated_at = Set(now);
    a.version = Set(c.version + 1);
    a.note = Set(note.to_owned());
    match to {
        Status::Sent => a.sent_at = Set(Some(now)),
        Status::Signed => {
            a.signed_at = Set(Some(now));
            a.signed_how = Set(how.map(|h| h.code().to_owned()).unwrap_or_default());
        }
        _ => {}
    }
    let saved = a.update(db).await?;
    if to == Status::Signed {
        crate::grants::report_due::open_final(db, &saved).await?;
    }
    audit::record(
        db,
        actor,
        &format!("grant_contract.{}", to.as_str()),
        "grant_contract",
        id,
        Some(&serde_json::json!({ "status": from.as_str() })),
        Some(&serde_json::json!({ "status": to.as_str(), "note": note, "signed": saved.signed_how })),
    )
    .await?;
    if matches!(to, Status::Sent | Status::Terminated)
        && let Some(offer) = grant_offer::Entity::find_by_id(saved.offer_id).one(db).await?
    {
        let vars = serde_json::json!({
            "offer": offer.title,
            "number": saved.number,
            "amount": wspolnie_core::money::Money(saved.amount).to_string(),
            "note": note,
            "link": format!("{}/panel/oferty/{}", public_url.trim_end_matches('/'), offer.id),
        });
        let template = if to == Status::Sent { "grant_contract_sent" } else { "grant_contract_terminated" };
        crate::grants::formal::mail_offeror(db, &offer, template, vars, &format!("grant-contract-{}:{id}:{}", to.as_str(), saved.version))
            .await?;
    }
    Ok(Ok(saved))
}

/// Signs a sent contract with the scan of the paper both parties signed (already in storage
/// under `key`); the file stays with the contract.
pub async fn sign_with_scan<C: ConnectionTrait>(
    db: &C,
    id: i64,
    key: &str,
    name: &str,
    note: &str,
    actor: &Actor,
    public_url: &str,
) -> Result<Result<contract_row::Model, Refused>, DbErr> {
    let signed = match move_to(db, id, Status::Signed, Some(Signed::Upload), note, actor, public_url).await? {
        Ok(c) => c,
        Err(r) => return Ok(Err(r)),
    };
    let mut a: contract_row::ActiveModel = signed.into();
    a.signed_file_key = Set(Some(key.to_owned()));
    a.signed_file_name = Set(Some(name.to_owned()));
    Ok(Ok(a.update(db).await?))
}

/// Records a tranche as paid on `paid_on` (once: a second record changes nothing). The first
/// payment of a signed contract puts it in progress. Returns whether this call recorded it.
pub async fn pay<C: ConnectionTrait>(
    db: &C,
    contract_id: i64,
    n: i32,
    paid_on: NaiveDate,
    actor: &Actor,
    public_url: &str,
) -> Result<Result<bool, Refused>, DbErr> {
    let Some(c) = contract_row::Entity::find_by_id(contract_id).lock_exclusive().one(db).await? else {
        return Ok(Err(Refused::NotAllowed));
    };
    if !matches!(c.status, Status::Signed | Status::InProgress) {
        return Ok(Err(Refused::NotAllowed));
    }
    let r = tranche::Entity::update_many()
        .col_expr(tranche::Column::PaidOn, Expr::value(Some(paid_on)))
        .col_expr(tranche::Column::PaidBy, Expr::value(actor.user_id))
        .filter(tranche::Column::ContractId.eq(contract_id))
        .filter(tranche::Column::N.eq(n))
        .filter(tranche::Column::PaidOn.is_null())
        .exec(db)
        .await?;
    if r.rows_affected != 1 {
        return Ok(Ok(false));
    }
    audit::record(
        db,
        actor,
        "grant_tranche.paid",
        "grant_contract",
        contract_id,
        None::<&()>,
        Some(&serde_json::json!({ "tranche": n, "paid_on": paid_on })),
    )
    .await?;
    if c.status == Status::Signed {
        move_to(db, contract_id, Status::InProgress, None, "", actor, public_url).await?.ok();
    }
    Ok(Ok(true))
}

/// A stored contract's terms, typed.
pub fn terms_of(c: &contract_row::Model, tranches: &[tranche::Model]) -> Terms {
    Terms {
        number: c.number.clone(),
        kind: contract::Kind::parse(&c.kind).unwrap_or(contract::Kind::Supporting),
        task_from: c.task_from,
        task_to: c.task_to,
        grant_from: c.grant_from,
        grant_to: c.grant_to,
        other_from: c.other_from,
        other_to: c.other_to,
        amount: c.amount,
        bank_account: c.bank_account.clone(),
        tolerance_bp: c.tolerance_bp,
        reporting: c.reporting.clone(),
        tranches: tranches
            .iter()
            .map(|t| contract::Tranche { due_on: t.due_on, amount: t.amount })
            .collect(),
    }
}

/// The contract as a document for the PDF: the model contract of its version filled with its
/// terms, the organisation's and the call's facts; the tranches as a table.
pub async fn document<C: ConnectionTrait>(
    db: &C,
    c: &contract_row::Model,
    office: &str,
) -> Result<wspolnie_pdf::CallDocument, DbErr> {
    let tranches = tranches_of(db, c.id).await?;
    let org = organization::Entity::find_by_id(c.organization_id).one(db).await?;
    let call = grant_call::Entity::find_by_id(c.call_id).one(db).await?;
    let offer = grant_offer::Entity::find_by_id(c.offer_id).one(db).await?;
    let terms = terms_of(c, &tranches);
    let mut values = contract::term_values(&terms, (c.own_financial, c.personal, c.in_kind));
    let register = org
        .as_ref()
        .and_then(|o| o.krs.clone())
        .map(|k| format!("KRS {k}"))
        .unwrap_or_else(|| "rejestr wskazany w ofercie".into());
    values.push(("urzad", office.to_owned()));
    values.push(("organizacja", org.as_ref().map(|o| o.name.clone()).unwrap_or_default()));
    values.push(("krs", register));
    values.push((
        "adres",
        org.as_ref()
            .map(|o| format!("{}, {} {}", o.street, o.postal_code, o.city))
            .unwrap_or_default(),
    ));
    values.push(("zadanie", offer.as_ref().map(|o| o.title.clone()).unwrap_or_default()));
    values.push((
        "konkurs",
        call.as_ref().map(|k| format!("„{}” ({})", k.title, k.number)).unwrap_or_default(),
    ));
    let tpl = template_of(db, c.template_version).await?;
    let mut sections: Vec<wspolnie_pdf::DocSection> = contract::sections(&contract::fill(&tpl.body_md, &values))
        .into_iter()
        .map(|(heading, paragraphs)| wspolnie_pdf::DocSection {
            widths: Vec::new(),
            heading,
            facts: Vec::new(),
            paragraphs,
            table: None,
        })
        .collect();
    let lines = lines_of(db, c.id).await?;
    if !lines.is_empty() {
        let m = |g: i64| wspolnie_core::money::Money(g).to_string();
        sections.push(wspolnie_pdf::DocSection {
            widths: Vec::new(),
            heading: "Załącznik: kosztorys".into(),
            facts: Vec::new(),
            paragraphs: vec![vec![format!(
                "Koszty zadania według oferty (z aktualizacją) i część każdego kosztu pokrywana z dotacji. Tolerancja zwiększenia kosztu finansowanego z dotacji: {}.",
                crate::grants::offer::percent_pl(i64::from(c.tolerance_bp))
            )]],
            table: Some((
                vec!["Lp.".into(), "Koszt".into(), "Rok".into(), "Wartość".into(), "Z dotacji".into()],
                lines
                    .iter()
                    .map(|l| vec![l.n.to_string(), l.name.clone(), l.year.to_string(), m(l.value), m(l.grant)])
                    .collect(),
            )),
        });
    }
    let d = |x: NaiveDate| x.format("%d.%m.%Y").to_string();
    Ok(wspolnie_pdf::CallDocument {
        title: format!("Umowa nr {} o {} realizacji zadania publicznego", c.number, terms.kind.title_pl()),
        lead_lines: vec![
            office.to_owned(),
            org.as_ref().map(|o| o.name.clone()).unwrap_or_default(),
            format!("Wzór umowy: wersja {}", c.template_version),
        ],
        highlight: vec![
            format!("Dotacja: {}", wspolnie_core::money::Money(c.amount)),
            format!("Realizacja zadania: {} – {}", d(c.task_from), d(c.task_to)),
        ],
        sections,
        footer: format!("Umowa nr {}", c.number),
        lang: "pl".into(),
    })
}
