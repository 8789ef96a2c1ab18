//! Reports and settlement in the database (issue 19, items 3–4): the plan a report is checked
//! against, partial reports asked for, a report saved and submitted (compare-and-set), the
//! office's review (returned with corrections and a deadline, or accepted — a final report's
//! acceptance closes the contract as reported), the settlement computed from the accepted final
//! report and the returns recorded, and the contract settled once nothing is owed. Every write
//! audited; the caller owns the transaction.

use crate::grants::contract_store::{self, Refused};
use crate::grants::entity::grant_contract::{self as contract_row, Status as ContractStatus};
use crate::grants::entity::grant_offer;
use crate::grants::entity::grant_report::{self as report_row, Kind, Status};
use crate::grants::entity::grant_return as return_row;
use crate::grants::entity::grant_tranche as tranche;
use crate::grants::law::{self, Law};
use crate::grants::model::warsaw_day;
use crate::grants::report::{self, Plan, ReportContent};
use crate::grants::report_due;
use crate::grants::settlement::{self, Settlement};
use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use wspolnie_platform::audit::{self, Actor};

/// The plan a contract's reports are checked against: the actions and results of the offer's
/// decided (or updated) version, the contract's lines, windows and tolerance.
pub async fn plan_of<C: ConnectionTrait>(db: &C, c: &contract_row::Model) -> Result<Plan, DbErr> {
    let offer = grant_offer::Entity::find_by_id(c.offer_id).one(db).await?;
    let content = match &offer {
        Some(o) => crate::grants::reduced::version_content(db, o.id, o.current_version)
            .await?
            .unwrap_or_default(),
        None => Default::default(),
    };
    Ok(Plan {
        actions: content.actions.actions.iter().map(|a| a.name.clone()).collect(),
        results: content
            .results
            .indicators
            .iter()
            .map(|i| (i.result.clone(), i.planned_value.clone()))
            .collect(),
        lines: contract_store::lines_of(db, c.id).await?,
        grant_window: Some((c.grant_from, c.grant_to)),
        other_window: Some((c.other_from, c.other_to)),
        tolerance_bp: c.tolerance_bp,
        simplified: offer.as_ref().is_some_and(|o| o.template_version == crate::grants::offer::SMALL_TEMPLATE_VERSION),
    })
}

/// The stored content of a report (empty before its first save).
pub fn content_of(r: &report_row::Model) -> ReportContent {
    serde_json::from_str(&r.content).unwrap_or_default()
}

/// A contract's reports, in order.
pub async fn reports_of<C: ConnectionTrait>(db: &C, contract_id: i64) -> Result<Vec<report_row::Model>, DbErr> {
    report_row::Entity::find()
        .filter(report_row::Column::ContractId.eq(contract_id))
        .order_by_asc(report_row::Column::N)
        .all(db)
        .await
}

/// Reports submitted and waiting for the office.
pub async fn waiting<C: ConnectionTrait>(db: &C) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    report_row::Entity::find()
        .filter(report_row::Column::Status.eq(Status::Submitted))
        .count(db)
        .await
}

/// Panel count for officials of the grants scope: reports waiting for review.
pub fn waiting_count<'a>(
    state: &'a wspolnie_web::AppState,
    acc: &'a wspolnie_web::policy::Account,
) -> wspolnie_web::ctx::CountFuture<'a> {
    Box::pin(async move {
        if !wspolnie_web::policy::allows(Some(acc), wspolnie_web::policy::Permission::Official("grants")) {
            return Ok(None);
        }
        Ok(Some(waiting(&state.platform.db.conn).await?))
    })
}

fn link(public_url: &str, report_id: i64) -> String {
    format!("{}/panel/sprawozdania/{report_id}", public_url.trim_end_matches('/'))
}

async fn mail<C: ConnectionTrait>(
    db: &C,
    c: &contract_row::Model,
    r: &report_row::Model,
    template: &str,
    extra: serde_json::Value,
    public_url: &str,
) -> Result<(), DbErr> {
    let Some(offer) = grant_offer::Entity::find_by_id(c.offer_id).one(db).await? else {
        return Ok(());
    };
    let mut vars = serde_json::json!({
        "offer": offer.title,
        "number": c.number,
        "kind": r.kind.as_str(),
        "due": report_due::act_by(r).format("%d.%m.%Y").to_string(),
        "link": link(public_url, r.id),
    });
    if let (Some(v), Some(e)) = (vars.as_object_mut(), extra.as_object()) {
        v.extend(e.clone());
    }
    crate::grants::formal::mail_offeror(db, &offer, template, vars, &format!("{template}:{}:{}", r.id, r.version)).await
}

/// Asks for a partial report of a signed contract covering the task up to `period_to`, due on
/// `due_on` (the caller checked it against `report_due::earliest_partial_due`); e-mails the
/// organisation.
pub async fn request_partial<C: ConnectionTrait>(
    db: &C,
    contract_id: i64,
    period_to: NaiveDate,
    due_on: NaiveDate,
    actor: &Actor,
    public_url: &str,
) -> Result<Result<report_row::Model, Refused>, DbErr> {
    let Some(c) = contract_row::Entity::find_by_id(contract_id).lock_exclusive().one(db).await? else {
        return Ok(Err(Refused::NotAllowed));
    };
    if !matches!(c.status, ContractStatus::Signed | ContractStatus::InProgress) {
        return Ok(Err(Refused::NotAllowed));
    }
    let r = report_due::open(db, &c, Kind::Partial, Some(period_to), due_on).await?;
    audit::record(
        db,
        actor,
        "grant_report.request",
        "grant_contract",
        c.id,
        None::<&()>,
        Some(&serde_json::json!({ "report": r.id, "period_to": period_to, "due_on": due_on })),
    )
    .await?;
    mail(db, &c, &r, "grant_report_requested", serde_json::json!({}), public_url).await?;
    Ok(Ok(r))
}

/// Saves a report's content if it is still at `expected_version` and the organisation may
/// change it; `submit` also hands it to the office (one conditional UPDATE decides).
pub async fn save<C: ConnectionTrait>(
    db: &C,
    r: &report_row::Model,
    expected_version: i32,
    content: &ReportContent,
    submit: bool,
    actor: &Actor,
) -> Result<Result<(), Refused>, DbErr> {
    let now = Utc::now();
    let json = serde_json::to_string(content).unwrap_or_default();
    let mut q = report_row::Entity::update_many()
        .col_expr(report_row::Column::Content, Expr::value(json))
        .col_expr(report_row::Column::UpdatedAt, Expr::value(now))
        .col_expr(report_row::Column::Version, Expr::value(expected_version + 1));
    if submit {
        q = q
            .col_expr(report_row::Column::Status, Expr::value(Status::Submitted.as_str()))
            .col_expr(report_row::Column::SubmittedAt, Expr::value(Some(now)))
            .col_expr(report_row::Column::SubmittedBy, Expr::value(actor.user_id));
    }
    let res = q
        .filter(report_row::Column::Id.eq(r.id))
        .filter(report_row::Column::Version.eq(expected_version))
        .filter(report_row::Column::Status.is_in([Status::Open.as_str(), Status::Returned.as_str()]))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        let now = report_row::Entity::find_by_id(r.id).one(db).await?;
        return Ok(Err(match now {
            Some(n) if !n.status.editable() => Refused::NotDraft,
            _ => Refused::Conflict,
        }));
    }
    audit::record(
        db,
        actor,
        if submit { "grant_report.submit" } else { "grant_report.save" },
        "grant_report",
        r.id,
        Some(&serde_json::json!({ "version": expected_version })),
        Some(&serde_json::json!({ "status": if submit { "submitted" } else { r.status.as_str() } })),
    )
    .await?;
    Ok(Ok(()))
}

/// The office's answer to a submitted report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Review {
    Accept,
    /// Back to the organisation with what to correct, due on `by`.
    Return { note: String, by: NaiveDate },
}

/// Records the office's review of a submitted report (the row locked) and e-mails the
/// organisation. Accepting the final report moves the contract to `reported`.
pub async fn review<C: ConnectionTrait>(
    db: &C,
    report_id: i64,
    review: &Review,
    actor: &Actor,
    public_url: &str,
) -> Result<Result<report_row::Model, Refused>, DbErr> {
    let Some(r) = report_row::Entity::find_by_id(report_id).lock_exclusive().one(db).await? else {
        return Ok(Err(Refused::NotAllowed));
    };
    let to = match review {
        Review::Accept => Status::Accepted,
        Review::Return { .. } => Status::Returned,
    };
    if !report_row::allowed(r.status, to) {
        return Ok(Err(Refused::NotAllowed));
    }
    let Some(c) = contract_row::Entity::find_by_id(r.contract_id).one(db).await? else {
        return Ok(Err(Refused::NotAllowed));
    };
    let now = Utc::now();
    let mut a: report_row::ActiveModel = r.clone().into();
    a.status = Set(to);
    a.decided_at = Set(Some(now));
    a.decided_by = Set(actor.user_id);
    a.updated_at = Set(now);
    a.version = Set(r.version + 1);
    if let Review::Return { note, by } = review {
        a.return_note = Set(note.clone());
        a.corrections_due = Set(Some(*by));
    }
    let saved = a.update(db).await?;
    audit::record(
        db,
        actor,
        &format!("grant_report.{}", to.as_str()),
        "grant_report",
        r.id,
        Some(&serde_json::json!({ "status": r.status.as_str() })),
        Some(&serde_json::json!({ "status": to.as_str(), "note": saved.return_note, "correct_by": saved.corrections_due })),
    )
    .await?;
    match review {
        Review::Return { note, .. } => {
            report_due::schedule(db, &saved).await?;
            mail(db, &c, &saved, "grant_report_returned", serde_json::json!({ "note": note }), public_url).await?;
        }
        Review::Accept => {
            mail(db, &c, &saved, "grant_report_accepted", serde_json::json!({}), public_url).await?;
            if saved.kind == Kind::Final && contract_row::allowed(c.status, ContractStatus::Reported) {
                contract_store::move_to(db, c.id, ContractStatus::Reported, None, "", actor, public_url)
                    .await?
                    .ok();
            }
        }
    }
    Ok(Ok(saved))
}

/// The contract's returns recorded, oldest first.
pub async fn returns_of<C: ConnectionTrait>(db: &C, contract_id: i64) -> Result<Vec<return_row::Model>, DbErr> {
    return_row::Entity::find()
        .filter(return_row::Column::ContractId.eq(contract_id))
        .order_by_asc(return_row::Column::PaidOn)
        .order_by_asc(return_row::Column::Id)
        .all(db)
        .await
}

/// The settlement of a contract whose final report is accepted (else `None`), as of `today`.
pub async fn settlement_of<C: ConnectionTrait>(
    db: &C,
    c: &contract_row::Model,
    today: NaiveDate,
) -> Result<Option<Settlement>, DbErr> {
    let Some(fin) = report_row::Entity::find()
        .filter(report_row::Column::ContractId.eq(c.id))
        .filter(report_row::Column::Kind.eq(Kind::Final))
        .filter(report_row::Column::Status.eq(Status::Accepted))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let plan = plan_of(db, c).await?;
    let f = report::figures(&content_of(&fin), &plan);
    let paid_out: i64 = tranche::Entity::find()
        .filter(tranche::Column::ContractId.eq(c.id))
        .filter(tranche::Column::PaidOn.is_not_null())
        .select_only()
        .column(tranche::Column::Amount)
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .fold(0, i64::saturating_add);
    let returns: Vec<(i64, NaiveDate)> = returns_of(db, c.id).await?.into_iter().map(|r| (r.amount, r.paid_on)).collect();
    let rates = law::rows(db, Law::ArrearsInterestBp).await?;
    let accepted_on = fin.decided_at.map_or(today, warsaw_day);
    let basis = settlement::Basis {
        paid_out,
        spent_grant: f.spent_grant,
        excess: f.excess,
        grant_to: c.grant_to,
        accepted_on,
    };
    Ok(Some(settlement::settle(basis, &returns, today, &rates)))
}

/// Records money returned (a reported contract only), audited.
pub async fn record_return<C: ConnectionTrait>(
    db: &C,
    contract_id: i64,
    amount: i64,
    paid_on: NaiveDate,
    note: &str,
    actor: &Actor,
) -> Result<Result<(), Refused>, DbErr> {
    let Some(c) = contract_row::Entity::find_by_id(contract_id).lock_exclusive().one(db).await? else {
        return Ok(Err(Refused::NotAllowed));
    };
    if c.status != ContractStatus::Reported {
        return Ok(Err(Refused::NotAllowed));
    }
    let saved = return_row::ActiveModel {
        contract_id: Set(c.id),
        amount: Set(amount),
        paid_on: Set(paid_on),
        note: Set(note.to_owned()),
        recorded_by: Set(actor.user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        actor,
        "grant_return.record",
        "grant_contract",
        c.id,
        None::<&()>,
        Some(&serde_json::json!({ "return": saved.id, "amount": amount, "paid_on": paid_on })),
    )
    .await?;
    Ok(Ok(()))
}

/// Settles a reported contract when nothing is owed any more.
pub async fn settle<C: ConnectionTrait>(
    db: &C,
    contract_id: i64,
    actor: &Actor,
    public_url: &str,
) -> Result<Result<contract_row::Model, Refused>, DbErr> {
    let Some(c) = contract_row::Entity::find_by_id(contract_id).one(db).await? else {
        return Ok(Err(Refused::NotAllowed));
    };
    match settlement_of(db, &c, warsaw_day(Utc::now())).await? {
        Some(s) if s.outstanding == 0 => {
            contract_store::move_to(db, contract_id, ContractStatus::Settled, None, "", actor, public_url).await
        }
        Some(_) => Ok(Err(Refused::Outstanding)),
        None => Ok(Err(Refused::NotAllowed)),
    }
}

/// Reports the organisation has not handed in by their day (or corrections not made), oldest
/// first.
pub async fn overdue<C: ConnectionTrait>(db: &C, today: NaiveDate) -> Result<Vec<report_row::Model>, DbErr> {
    let open = report_row::Entity::find()
        .filter(report_row::Column::Status.is_in([Status::Open.as_str(), Status::Returned.as_str()]))
        .order_by_asc(report_row::Column::DueOn)
        .all(db)
        .await?;
    Ok(open.into_iter().filter(|r| report_due::act_by(r) < today).collect())
}
