//! The mayor's decision on a call (issue 18, item 4; art. 15 ust. 2h UDPP): after the commission
//! delivered its opinion, an official with the `decisions` scope grants each offer an amount —
//! the opinion's by default — and must write the reason wherever the decision departs from it.
//! The decision moves every scored offer to granted or not granted and the call to decided, in
//! one transaction; the results then show on the call's page and in its open data.

use crate::admin::web::actor;
use crate::directory::entity::organization;
use crate::grants::commission;
use crate::grants::fields;
use crate::grants::entity::grant_call::{self, Status as CallStatus};
use crate::grants::entity::grant_commission::{self as com_entity, Status};
use crate::grants::entity::grant_decision_line as line;
use crate::grants::entity::grant_offer::{self, Status as OfferStatus};
use crate::grants::model::{self as calls, criteria_of};
use crate::grants::scoring;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use wspolnie_core::money::Money;
use wspolnie_platform::audit::{self, Actor};
use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::ctx::{PageCtx, redirect_with_flash};
use wspolnie_web::errors::{AppError, AppResult};
use wspolnie_web::forms::{Errors, HtmlForm};

/// One offer's line of the decision as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionLine {
    pub offer_id: i64,
    /// Grosze.
    pub amount: i64,
    pub reason: String,
}

/// What is wrong with a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionProblem {
    /// Below zero or above what the offer asked for.
    Amount(i64),
    /// Departs from the opinion without a written reason.
    Reason(i64),
    /// The amounts add up to more than the call's funds: (sum, funds).
    OverFunds(i64, i64),
    /// An offer of the list has no line.
    Missing(i64),
}

/// The decision's rules: a line per scored offer, each within 0..=requested, a reason of at
/// least 10 characters wherever the amount differs from the commission's proposal, the sum within
/// the call's funds.
pub fn check(
    lines: &[DecisionLine],
    offers: &[grant_offer::Model],
    proposed: &[(i64, i64)],
    funds: i64,
) -> Vec<DecisionProblem> {
    let mut out = Vec::new();
    for o in offers {
        let Some(l) = lines.iter().find(|l| l.offer_id == o.id) else {
            out.push(DecisionProblem::Missing(o.id));
            continue;
        };
        if l.amount < 0 || l.amount > o.requested_grant {
            out.push(DecisionProblem::Amount(o.id));
            continue;
        }
        let opinion = proposed.iter().find(|(id, _)| *id == o.id).map(|(_, a)| *a);
        if opinion != Some(l.amount) && l.reason.trim().chars().count() < 10 {
            out.push(DecisionProblem::Reason(o.id));
        }
    }
    let sum = lines
        .iter()
        .filter(|l| offers.iter().any(|o| o.id == l.offer_id))
        .fold(0i64, |a, l| a.saturating_add(l.amount.max(0)));
    if sum > funds {
        out.push(DecisionProblem::OverFunds(sum, funds));
    }
    out
}

/// Whether the call waits for the decision: its commission delivered the opinion and the call is
/// closed or in evaluation.
pub fn ready(call: &grant_call::Model, com: Option<&com_entity::Model>) -> bool {
    matches!(
        calls::effective_status(call, Utc::now()),
        CallStatus::Closed | CallStatus::InEvaluation
    ) && com.is_some_and(|c| c.status == Status::Concluded)
}

/// Records the decision, in the caller's transaction. `Ok(Err(problems))`: refused, nothing
/// written. `Ok(Ok(saved call))` otherwise.
pub async fn decide<C: ConnectionTrait>(
    db: &C,
    call: &grant_call::Model,
    lines: &[DecisionLine],
    actor: &Actor,
    public_url: &str,
) -> Result<Result<grant_call::Model, Vec<DecisionProblem>>, DbErr> {
    let com = com_entity::Entity::find()
        .filter(com_entity::Column::CallId.eq(call.id))
        .lock_exclusive()
        .one(db)
        .await?;
    if !ready(call, com.as_ref()) {
        return Ok(Err(Vec::new()));
    }
    let Some(com) = com else {
        return Ok(Err(Vec::new()));
    };
    let offers = commission::offers_to_score(db, call.id).await?;
    let opinion = commission::opinion_of(db, com.id).await?;
    let proposed: Vec<(i64, i64)> = opinion.iter().map(|l| (l.offer_id, l.proposed)).collect();
    let notes: Vec<(i64, String)> = opinion.iter().map(|l| (l.offer_id, l.note.clone())).collect();
    let problems = check(lines, &offers, &proposed, call.funds_available);
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let criteria = criteria_of(call);
    let now = Utc::now();
    for o in &offers {
        let Some(l) = lines.iter().find(|l| l.offer_id == o.id) else {
            continue;
        };
        let t = commission::tally_of(db, &com, &criteria, o.id).await?;
        line::ActiveModel {
            call_id: Set(call.id),
            offer_id: Set(o.id),
            amount: Set(l.amount),
            score_centi: Set(t.average_centi.and_then(|a| i64::try_from(a).ok())),
            reason: Set(l.reason.trim().to_owned()),
            decided_by: Set(actor.user_id),
            decided_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        notify(db, call, o, l, &t, &criteria, opinion_note(&notes, o.id), public_url).await?;
        if l.amount > 0 && l.amount < o.requested_grant {
            // Granted less than asked: the organisation updates its budget first.
            crate::grants::reduced::open(db, call, o, l.amount, &com, public_url).await?;
            continue;
        }
        let to = if l.amount > 0 {
            OfferStatus::Granted
        } else {
            OfferStatus::NotGranted
        };
        grant_offer::Entity::update_many()
            .col_expr(grant_offer::Column::Status, Expr::value(to))
            .col_expr(grant_offer::Column::UpdatedAt, Expr::value(now))
            .filter(grant_offer::Column::Id.eq(o.id))
            .filter(grant_offer::Column::Status.eq(OfferStatus::Complete))
            .exec(db)
            .await?;
    }
    // The call: closed → in evaluation (if the clock has not moved it) → decided.
    let mut saved = call.clone();
    if calls::effective_status(&saved, now) == CallStatus::Closed {
        saved = match calls::move_to(db, saved, CallStatus::InEvaluation, "", actor).await {
            Ok((c, _)) => c,
            Err(_) => return Ok(Err(Vec::new())),
        };
    }
    let saved = match calls::move_to(db, saved, CallStatus::Decided, "", actor).await {
        Ok((c, _)) => c,
        Err(_) => return Ok(Err(Vec::new())),
    };
    audit::record(
        db,
        actor,
        "grant_call.decision",
        "grant_call",
        call.id,
        Some(&serde_json::json!({ "opinion": proposed })),
        Some(&serde_json::json!({
            "lines": lines.iter().map(|l| (l.offer_id, l.amount, &l.reason)).collect::<Vec<_>>(),
        })),
    )
    .await?;
    Ok(Ok(saved))
}

fn opinion_note(notes: &[(i64, String)], offer_id: i64) -> &str {
    notes
        .iter()
        .find(|(id, _)| *id == offer_id)
        .map(|(_, n)| n.as_str())
        .unwrap_or("")
}

/// E-mails the offeror (the organisation and the offer's contact) its result: the amount, the
/// scores per criterion and the justification (the decision's reason, else the commission's
/// note). Queued in the decision's transaction.
#[allow(clippy::too_many_arguments)]
async fn notify<C: ConnectionTrait>(
    db: &C,
    call: &grant_call::Model,
    offer: &grant_offer::Model,
    l: &DecisionLine,
    t: &scoring::Tally,
    criteria: &[crate::grants::model::Criterion],
    note: &str,
    public_url: &str,
) -> Result<(), DbErr> {
    let org = organization::Entity::find_by_id(offer.organization_id).one(db).await?;
    let lang = wspolnie_platform::i18n::Lang::Pl;
    let per: Vec<String> = criteria
        .iter()
        .zip(&t.per_criterion_centi)
        .map(|(c, v)| format!("{} {}", c.name, v.map(scoring::centi_pl).unwrap_or_else(|| "—".into())))
        .collect();
    let justification = if l.reason.trim().is_empty() { note } else { l.reason.trim() };
    for (i, to) in crate::grants::formal::addresses(db, offer, org.as_ref()).await?.into_iter().enumerate() {
        let vars = serde_json::json!({
            "granted": l.amount > 0,
            "call": call.title,
            "offer": offer.title,
            "amount": Money(l.amount).to_string(),
            "requested": Money(offer.requested_grant).to_string(),
            "score": t.average_centi.map(scoring::centi_pl).unwrap_or_else(|| "—".into()),
            "criteria": per.join("; "),
            "justification": justification,
            "link": format!("{}/konkursy/{}", public_url.trim_end_matches('/'), call.slug),
        });
        wspolnie_platform::mail::enqueue_mail(
            db,
            wspolnie_platform::mail::MailJob {
                to,
                template: "grant_offer_result".into(),
                lang,
                vars: vars.as_object().cloned().unwrap_or_default(),
            },
            Some(format!("grant-offer-result:{}:{i}", offer.id)),
        )
        .await?;
    }
    Ok(())
}

/// One published result: offeror, task, amount, score.
pub struct ResultRow {
    pub organization: String,
    pub title: String,
    pub amount: String,
    pub score: String,
    pub granted: bool,
    pub amount_grosze: i64,
    pub score_centi: Option<i64>,
    /// The organisation declined the grant (or sent no update of a reduced one in time).
    pub declined: bool,
}

/// The call's results once decided, in the order of the scores (highest first).
pub async fn results<C: ConnectionTrait>(db: &C, call_id: i64) -> Result<Vec<ResultRow>, DbErr> {
    let lines = line::Entity::find()
        .filter(line::Column::CallId.eq(call_id))
        .order_by_desc(line::Column::ScoreCenti)
        .order_by_asc(line::Column::OfferId)
        .all(db)
        .await?;
    let offers = grant_offer::Entity::find()
        .filter(grant_offer::Column::Id.is_in(lines.iter().map(|l| l.offer_id).collect::<Vec<_>>()))
        .all(db)
        .await?;
    let orgs = organization::Entity::find()
        .filter(organization::Column::Id.is_in(offers.iter().map(|o| o.organization_id).collect::<Vec<_>>()))
        .all(db)
        .await?;
    Ok(lines
        .iter()
        .filter_map(|l| {
            let o = offers.iter().find(|o| o.id == l.offer_id)?;
            Some(ResultRow {
                organization: orgs
                    .iter()
                    .find(|g| g.id == o.organization_id)
                    .map(|g| g.name.clone())
                    .unwrap_or_default(),
                title: o.title.clone(),
                amount: Money(l.amount).to_string(),
                score: l
                    .score_centi
                    .and_then(|s| u64::try_from(s).ok())
                    .map(scoring::centi_pl)
                    .unwrap_or_else(|| "—".into()),
                granted: l.amount > 0,
                amount_grosze: l.amount,
                score_centi: l.score_centi,
                declined: o.status == OfferStatus::Declined,
            })
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------
// The page.

pub struct DecisionField {
    pub id: i64,
    pub title: String,
    pub organization: String,
    pub requested: String,
    pub average: String,
    pub proposed: String,
    pub note: String,
    pub amount: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "grants/templates/admin/decision.html")]
struct DecisionPage {
    ctx: PageCtx,
    c: grant_call::Model,
    ready: bool,
    decided: bool,
    fields: Vec<DecisionField>,
    funds: String,
    results: Vec<ResultRow>,
    errors: Errors,
}

async fn render(
    state: &AppState,
    ctx: PageCtx,
    c: grant_call::Model,
    typed: Option<Vec<(i64, String, String)>>,
    errors: Errors,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let com = com_entity::Entity::find()
        .filter(com_entity::Column::CallId.eq(c.id))
        .one(db)
        .await?;
    let mut fields = Vec::new();
    if let Some(com) = &com {
        let criteria = criteria_of(&c);
        let offers = commission::offers_to_score(db, c.id).await?;
        let opinion = commission::opinion_of(db, com.id).await?;
        let orgs = organization::Entity::find()
            .filter(organization::Column::Id.is_in(offers.iter().map(|o| o.organization_id).collect::<Vec<_>>()))
            .all(db)
            .await?;
        for o in offers {
            let t = commission::tally_of(db, com, &criteria, o.id).await?;
            let op = opinion.iter().find(|l| l.offer_id == o.id);
            let typed_line = typed.as_ref().and_then(|v| v.iter().find(|(id, _, _)| *id == o.id));
            fields.push(DecisionField {
                id: o.id,
                organization: orgs
                    .iter()
                    .find(|g| g.id == o.organization_id)
                    .map(|g| g.name.clone())
                    .unwrap_or_default(),
                requested: Money(o.requested_grant).to_string(),
                average: t.average_centi.map(scoring::centi_pl).unwrap_or_else(|| "—".into()),
                proposed: op.map(|l| Money(l.proposed).to_string()).unwrap_or_else(|| "—".into()),
                note: op.map(|l| l.note.clone()).unwrap_or_default(),
                amount: match typed_line {
                    Some((_, a, _)) => a.clone(),
                    None => op.map(|l| fields::money_field(l.proposed)).unwrap_or_default(),
                },
                reason: typed_line.map(|(_, _, r)| r.clone()).unwrap_or_default(),
                title: o.title,
            });
        }
    }
    let page = DecisionPage {
        ready: ready(&c, com.as_ref()),
        decided: c.status == CallStatus::Decided,
        funds: Money(c.funds_available).to_string(),
        results: results(db, c.id).await?,
        fields,
        errors,
        ctx,
        c,
    };
    Ok(Html(page.render()?).into_response())
}

/// `GET /panel/konkursy/{id}/rozstrzygniecie`.
pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let c = fields::call(&state, id).await?;
    render(&state, ctx, c, None, Errors::default()).await
}

/// `POST /panel/konkursy/{id}/rozstrzygniecie`: the decision.
pub async fn save(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let c = fields::call(&state, id).await?;
    let db = &state.platform.db.conn;
    let offers = commission::offers_to_score(db, c.id).await?;
    let typed: Vec<(i64, String, String)> = offers
        .iter()
        .map(|o| (o.id, fields::get(&pairs, &format!("amount-{}", o.id)), fields::get(&pairs, &format!("reason-{}", o.id))))
        .collect();
    let mut errors = Errors::default();
    let mut lines = Vec::new();
    for (oid, amount, reason) in &typed {
        match Money::parse_pl(amount).map(|m| m.grosze()).filter(|g| *g >= 0) {
            Some(g) if reason.chars().count() <= 4000 && !reason.chars().any(|ch| ch.is_control() && ch != '\n' && ch != '\r') => {
                lines.push(DecisionLine {
                    offer_id: *oid,
                    amount: g,
                    reason: reason.clone(),
                })
            }
            Some(_) => errors.add(format!("reason-{oid}"), ctx.t("decision-error-reason-text")),
            None => errors.add(format!("amount-{oid}"), ctx.t("commission-error-amount")),
        }
    }
    if errors.is_empty() {
        let txn = wspolnie_platform::db::begin_write(db).await?;
        match decide(&txn, &c, &lines, &actor(acc), &state.platform.config.server.public_url).await? {
            Ok(saved) => {
                crate::grants::panel::after_move(&txn, &saved, false, &state.platform.config.server.public_url).await?;
                txn.commit().await?;
                return Ok(redirect_with_flash(
                    &state,
                    &format!("/panel/konkursy/{id}/rozstrzygniecie"),
                    "flash-decision-saved",
                ));
            }
            Err(problems) if problems.is_empty() => {
                // Not ready (no opinion yet) or already decided.
                return Ok(crate::grants::submit::redirect_with_error(
                    &state,
                    &format!("/panel/konkursy/{id}/rozstrzygniecie"),
                    "flash-decision-not-ready",
                ));
            }
            Err(problems) => {
                drop(txn);
                for p in problems {
                    match p {
                        DecisionProblem::Amount(oid) | DecisionProblem::Missing(oid) => {
                            errors.add(format!("amount-{oid}"), ctx.t("decision-error-amount"))
                        }
                        DecisionProblem::Reason(oid) => {
                            errors.add(format!("reason-{oid}"), ctx.t("decision-error-reason"))
                        }
                        DecisionProblem::OverFunds(sum, funds) => {
                            if let Some(first) = offers.first() {
                                errors.add(
                                    format!("amount-{}", first.id),
                                    ctx.t2(
                                        "commission-error-over-funds",
                                        "sum",
                                        &Money(sum).to_string(),
                                        "funds",
                                        &Money(funds).to_string(),
                                    ),
                                );
                            }
                        }
                    }
                }
            }
        }
    }
    render(&state, ctx, c, Some(typed), errors).await
}
