//! Awarded grants as open data (issue 19, item 7): every grant the office decided to give —
//! which call (or small grant, art. 19a), the organisation with its KRS number, the task, the
//! sphere, the amount, the dates, where its contract and its report stand, money returned — as
//! CSV (`/dotacje.csv`), JSON (`/dotacje.json`) and the API (`/api/v1/grants`, in the OpenAPI
//! document). The fields are chosen so a 360Giving export is a mapping: `id` → identifier,
//! `task` → title, `amount` → amountAwarded (in grosze), `currency`, `awarded_on` → awardDate,
//! `task_from`/`task_to` → plannedDates, `organization`/`krs` → recipientOrganization (KRS as
//! the org-id scheme `PL-KRS`), `call_number`/`call_title` → grantProgramme.

use crate::directory::entity::organization;
use crate::grants::entity::grant_call;
use crate::grants::entity::grant_contract as contract_row;
use crate::grants::entity::grant_decision_line as line;
use crate::grants::entity::grant_offer::{self, Status as OfferStatus};
use crate::grants::entity::grant_report::{self as report_row, Kind};
use crate::grants::entity::grant_return as return_row;
use crate::grants::entity::grant_small_offer as small_row;
use crate::grants::model::{money_text, warsaw_day};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use chrono::{NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::{OpenApi, ToSchema};
use wspolnie_web::AppState;
use wspolnie_web::csv_out;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::AppResult;

/// One awarded grant.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiGrant {
    /// Stable identifier of the award (the decision's line).
    pub id: String,
    /// How it was awarded: `call` (an open call for offers, art. 11–15) or `small_grant`
    /// (art. 19a, outside calls).
    pub route: String,
    pub call_number: String,
    pub call_title: String,
    /// The call's page, or the small grant's public page.
    pub call_url: String,
    pub organization: String,
    /// The organisation's KRS number, when it has one.
    pub krs: Option<String>,
    /// The public task's title.
    pub task: String,
    /// Code of the sphere of public benefit (art. 4 of the Act).
    pub sphere_code: String,
    /// Grosze (1/100 zł).
    pub amount: i64,
    /// Always `PLN`.
    pub currency: String,
    /// The day of the decision (Warsaw).
    #[schema(value_type = String, format = Date)]
    pub awarded_on: NaiveDate,
    /// The task's dates: the contract's, else the call's.
    #[schema(value_type = String, format = Date)]
    pub task_from: NaiveDate,
    #[schema(value_type = String, format = Date)]
    pub task_to: NaiveDate,
    /// The contract's number and state (`draft`, `sent`, `signed`, `in_progress`, `reported`,
    /// `settled`, `terminated`); null before a contract is made.
    pub contract_number: Option<String>,
    pub contract_status: Option<String>,
    /// The final report: `none` (no contract yet), `not_due`, `due` (open, not yet late),
    /// `overdue`, `submitted`, `returned` or `accepted`.
    pub report_status: String,
    /// Paid back to the office, grosze.
    pub returned: i64,
}

/// The awarded grants.
#[derive(Serialize, ToSchema)]
pub struct GrantList {
    pub total: u64,
    pub items: Vec<ApiGrant>,
}

#[derive(OpenApi)]
#[openapi(
    paths(grants_list),
    components(schemas(GrantList, ApiGrant)),
    tags((name = "grants", description = "Open calls for offers (art. 13 of the Act on public benefit activity)"))
)]
pub struct AwardsApi;

/// Every grant awarded in a decided call and not declined, the latest decision first.
pub async fn awarded<C: ConnectionTrait>(db: &C, base: &str) -> Result<Vec<ApiGrant>, DbErr> {
    // Decided calls, and the registers of small grants (decided offer by offer).
    let calls: HashMap<i64, grant_call::Model> = grant_call::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(grant_call::Column::Status.eq(grant_call::Status::Decided))
                .add(grant_call::Column::Kind.eq(grant_call::Kind::Small)),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let lines = line::Entity::find()
        .filter(line::Column::CallId.is_in(calls.keys().copied().collect::<Vec<_>>()))
        .filter(line::Column::Amount.gt(0))
        .order_by_desc(line::Column::DecidedAt)
        .order_by_asc(line::Column::Id)
        .all(db)
        .await?;
    let offer_ids: Vec<i64> = lines.iter().map(|l| l.offer_id).collect();
    let offers: HashMap<i64, grant_offer::Model> = grant_offer::Entity::find()
        .filter(grant_offer::Column::Id.is_in(offer_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let orgs: HashMap<i64, organization::Model> = organization::Entity::find()
        .filter(organization::Column::Id.is_in(offers.values().map(|o| o.organization_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let contracts: HashMap<i64, contract_row::Model> = contract_row::Entity::find()
        .filter(contract_row::Column::OfferId.is_in(offer_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.offer_id, c))
        .collect();
    let contract_ids: Vec<i64> = contracts.values().map(|c| c.id).collect();
    let finals: HashMap<i64, report_row::Model> = report_row::Entity::find()
        .filter(report_row::Column::ContractId.is_in(contract_ids.clone()))
        .filter(report_row::Column::Kind.eq(Kind::Final))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.contract_id, r))
        .collect();
    let mut returned: HashMap<i64, i64> = HashMap::new();
    for r in return_row::Entity::find()
        .filter(return_row::Column::ContractId.is_in(contract_ids))
        .all(db)
        .await?
    {
        *returned.entry(r.contract_id).or_default() += r.amount;
    }
    let spheres: HashMap<i64, String> = small_row::Entity::find()
        .filter(small_row::Column::OfferId.is_in(offers.keys().copied().collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.offer_id, r.sphere_code))
        .collect();
    let today = warsaw_day(Utc::now());
    let base = base.trim_end_matches('/');
    Ok(lines
        .iter()
        .filter_map(|l| {
            let o = offers.get(&l.offer_id).filter(|o| o.status != OfferStatus::Declined)?;
            let call = calls.get(&l.call_id)?;
            let org = orgs.get(&o.organization_id);
            let contract = contracts.get(&o.id);
            let report_status = match contract.and_then(|c| finals.get(&c.id)) {
                None if contract.is_none() => "none",
                None => "not_due",
                Some(r) if r.status.editable() && crate::grants::report_due::act_by(r) < today => "overdue",
                Some(r) if r.status == report_row::Status::Open => "due",
                Some(r) => r.status.as_str(),
            };
            let small = call.kind == grant_call::Kind::Small;
            Some(ApiGrant {
                id: format!("award-{}", l.id),
                route: if small { "small_grant" } else { "call" }.into(),
                call_number: call.number.clone(),
                call_title: call.title.clone(),
                call_url: if small {
                    format!("{base}/male-granty/{}", o.id)
                } else {
                    format!("{base}/konkursy/{}", call.slug)
                },
                organization: org.map(|g| g.name.clone()).unwrap_or_default(),
                krs: org.and_then(|g| g.krs.clone()),
                task: o.title.clone(),
                sphere_code: if small {
                    spheres.get(&o.id).cloned().unwrap_or_default()
                } else {
                    call.sphere_code.clone()
                },
                amount: l.amount,
                currency: "PLN".into(),
                awarded_on: warsaw_day(l.decided_at),
                task_from: contract.map_or(call.execution_from, |c| c.task_from),
                task_to: contract.map_or(call.execution_to, |c| c.task_to),
                contract_number: contract.map(|c| c.number.clone()),
                contract_status: contract.map(|c| c.status.as_str().to_owned()),
                report_status: report_status.to_owned(),
                returned: contract.and_then(|c| returned.get(&c.id).copied()).unwrap_or(0),
            })
        })
        .collect())
}

fn base(state: &AppState) -> String {
    state.platform.config.server.public_url.clone()
}

/// The awarded grants, the latest decision first.
#[utoipa::path(
    get,
    path = "/api/v1/grants",
    tag = "grants",
    responses((status = 200, description = "Awarded grants, the latest decision first", body = GrantList))
)]
pub async fn grants_list(State(state): State<AppState>) -> AppResult<Json<GrantList>> {
    let items = awarded(&state.platform.db.conn, &base(&state)).await?;
    Ok(Json(GrantList { total: items.len() as u64, items }))
}

/// `/dotacje.json`: the same list as a file.
pub async fn export_json(State(state): State<AppState>) -> AppResult<Response> {
    let items = awarded(&state.platform.db.conn, &base(&state)).await?;
    let body = serde_json::to_vec_pretty(&GrantList { total: items.len() as u64, items })
        .map_err(|e| wspolnie_web::errors::AppError::Internal(anyhow::anyhow!("json: {e}")))?;
    Ok(axum::response::IntoResponse::into_response((
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )))
}

/// `/dotacje.csv`: the awarded grants for a spreadsheet (UTF-8 with a BOM, `;`).
pub async fn export_csv(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let items = awarded(&state.platform.db.conn, &base(&state)).await?;
    let header: Vec<csv_out::Cell> = [
        "awards-col-id",
        "call-field-number",
        "call-field-title",
        "receipt-organization",
        "awards-col-krs",
        "receipt-offer",
        "call-field-sphere",
        "contract-field-amount",
        "awards-col-awarded-on",
        "contract-field-task-from",
        "contract-field-task-to",
        "awards-col-contract",
        "awards-col-contract-status",
        "awards-col-report",
        "settle-returned",
    ]
    .iter()
    .map(|k| ctx.t(k).into())
    .collect();
    let rows = items.into_iter().map(|g| {
        let d = |x: NaiveDate| csv_out::typed(x.format("%Y-%m-%d").to_string());
        vec![
            g.id.into(),
            g.call_number.into(),
            g.call_title.into(),
            g.organization.into(),
            csv_out::typed(g.krs.unwrap_or_default()),
            g.task.into(),
            csv_out::typed(g.sphere_code),
            csv_out::typed(money_text(g.amount)),
            d(g.awarded_on),
            d(g.task_from),
            d(g.task_to),
            g.contract_number.unwrap_or_default().into(),
            g.contract_status
                .map(|s| ctx.t(&format!("contract-status-{s}")))
                .unwrap_or_default()
                .into(),
            ctx.t(&format!("awards-report-{}", g.report_status)).into(),
            csv_out::typed(money_text(g.returned)),
        ]
    });
    let body = csv_out::sheet(std::iter::once(header).chain(rows))?;
    Ok(csv_out::attachment("dotacje.csv", body))
}
