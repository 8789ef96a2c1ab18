//! The reports' pages (issue 19, item 3): the list (the organisation's reports; for the office
//! every report, those overdue first), one report — the organisation's form while it may change
//! it, the figures against the contract with the flags, and the office's review. Content is
//! checked in `report.rs`, stored by `report_store.rs`.

use crate::admin::web::actor;
use crate::directory::entity::organization;
use crate::grants::entity::grant_contract::{self as contract_row, Status as ContractStatus};
use crate::grants::entity::grant_offer;
use crate::grants::entity::grant_report::{self as report_row, Status};
use crate::grants::fields;
use crate::grants::model::warsaw_day;
use crate::grants::report::{self, InvoiceInput, Plan, ReportInput};
use crate::grants::report_due;
use crate::grants::report_store::{self as store, Review};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use chrono::{NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use wspolnie_core::money::Money;
use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::ctx::{PageCtx, redirect_with_flash};
use wspolnie_web::errors::{AppError, AppResult};
use wspolnie_web::forms::{Errors, HtmlForm};
use wspolnie_web::policy::{Account, Permission, allows};

/// Spare invoice rows the form offers beyond the filled ones.
const SPARE_INVOICES: usize = 3;

fn is_official(acc: &Account) -> bool {
    allows(Some(acc), Permission::Official("grants"))
}

fn day(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// The form as typed, its rows following the plan.
fn read(pairs: &[(String, String)], plan: &Plan) -> ReportInput {
    let g = |k: &str| fields::get(pairs, k);
    let mut invoices = Vec::new();
    for k in 1..=report::MAX_INVOICES + SPARE_INVOICES {
        let row = InvoiceInput {
            line: g(&format!("invoice-{k}-line")),
            number: g(&format!("invoice-{k}-number")),
            date: g(&format!("invoice-{k}-date")),
            amount: g(&format!("invoice-{k}-amount")),
            grant: g(&format!("invoice-{k}-grant")),
        };
        invoices.push(row);
    }
    while invoices.last().is_some_and(|r| *r == InvoiceInput::default()) {
        invoices.pop();
    }
    ReportInput {
        summary: g("summary"),
        actions: (1..=plan.actions.len())
            .map(|n| (g(&format!("action-{n}-done")), g(&format!("action-{n}-deviation"))))
            .collect(),
        results: (1..=plan.results.len())
            .map(|n| (g(&format!("result-{n}-achieved")), g(&format!("result-{n}-explanation"))))
            .collect(),
        costs: plan
            .lines
            .iter()
            .map(|l| {
                let n = l.n;
                (g(&format!("cost-{n}-total")), g(&format!("cost-{n}-grant")), g(&format!("cost-{n}-explanation")))
            })
            .collect(),
        sources: report::SOURCES.map(|s| g(&format!("source-{s}"))),
        input_note: g("input_note"),
        invoices,
        statements: pairs.iter().filter(|(k, _)| k == "statements").map(|(_, v)| v.clone()).collect(),
    }
}

/// A row of the form naming a planned item and its two answers.
pub struct PlanRow {
    pub n: usize,
    pub name: String,
    pub planned: String,
    pub a: String,
    pub b: String,
}

/// A cost line on the form and in the figures.
pub struct CostRow {
    pub n: i32,
    pub name: String,
    pub year: u8,
    pub value: String,
    pub grant: String,
    pub total_in: String,
    pub grant_in: String,
    pub explanation: String,
    pub spent: String,
    pub spent_grant: String,
    /// "" when within the tolerance; else the amount taken in excess.
    pub excess: String,
}

pub struct InvoiceRow {
    pub k: usize,
    pub line: String,
    pub number: String,
    pub date: String,
    pub amount: String,
    pub grant: String,
}

#[derive(Template)]
#[template(path = "grants/templates/panel/report.html")]
struct ReportPage {
    ctx: PageCtx,
    r: report_row::Model,
    c: contract_row::Model,
    offer_title: String,
    organization: String,
    kind: String,
    status: String,
    act_by: String,
    overdue: bool,
    period_to: String,
    official: bool,
    editable: bool,
    reviewable: bool,
    summary: String,
    input_note: String,
    actions: Vec<PlanRow>,
    results: Vec<PlanRow>,
    costs: Vec<CostRow>,
    sources: Vec<(&'static str, String)>,
    invoices: Vec<InvoiceRow>,
    statements: Vec<(&'static str, bool)>,
    /// Figures: totals, per year, flags.
    totals: Vec<(String, String)>,
    per_year: Vec<(u8, String, String, String, String)>,
    excess: String,
    outside: String,
    mismatch: String,
    has_content: bool,
    /// The simplified report of a small grant: no invoice register, no split per year.
    simplified: bool,
    /// The contract's tolerance, "15,00 %".
    tolerance: String,
    /// The review form's fields.
    review_note: String,
    review_by: String,
    errors: Errors,
}

async fn load(state: &AppState, acc: &Account, id: i64) -> AppResult<(report_row::Model, contract_row::Model, grant_offer::Model)> {
    let db = &state.platform.db.conn;
    let r = report_row::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let c = contract_row::Entity::find_by_id(r.contract_id).one(db).await?.ok_or(AppError::NotFound)?;
    let o = grant_offer::Entity::find_by_id(c.offer_id).one(db).await?.ok_or(AppError::NotFound)?;
    if !crate::grants::store::may_see(acc, &o) {
        return Err(AppError::NotFound);
    }
    Ok((r, c, o))
}

/// What the page's forms hold when it is shown again with errors.
#[derive(Default)]
struct Typed {
    report: Option<ReportInput>,
    review_note: String,
    review_by: String,
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &AppState,
    ctx: PageCtx,
    acc: &Account,
    r: report_row::Model,
    c: contract_row::Model,
    o: grant_offer::Model,
    typed: Typed,
    errors: Errors,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let plan = store::plan_of(db, &c).await?;
    let content = store::content_of(&r);
    let form = typed.report.unwrap_or_else(|| report::input_of(&content, &plan));
    let f = report::figures(&content, &plan);
    let m = |g: i64| Money(g).to_string();
    let organization = organization::Entity::find_by_id(o.organization_id)
        .one(db)
        .await?
        .map(|x| x.name)
        .unwrap_or_default();
    let official = is_official(acc);
    let member = crate::grants::store::is_member(acc, &o);
    let editable = member && r.status.editable() && c.status != ContractStatus::Terminated;
    let reviewable = official && r.status == Status::Submitted;
    let today = warsaw_day(Utc::now());
    let act_by = report_due::act_by(&r);
    let actions = plan
        .actions
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let (a, b) = form.actions.get(i).cloned().unwrap_or_default();
            PlanRow { n: i + 1, name: name.clone(), planned: String::new(), a, b }
        })
        .collect();
    let results = plan
        .results
        .iter()
        .enumerate()
        .map(|(i, (name, planned))| {
            let (a, b) = form.results.get(i).cloned().unwrap_or_default();
            PlanRow { n: i + 1, name: name.clone(), planned: planned.clone(), a, b }
        })
        .collect();
    let costs = plan
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let (total_in, grant_in, explanation) = form.costs.get(i).cloned().unwrap_or_default();
            let lf = f.lines.iter().find(|x| x.n == l.n);
            CostRow {
                n: l.n,
                name: l.name.clone(),
                year: l.year,
                value: m(l.value),
                grant: m(l.grant),
                total_in,
                grant_in,
                explanation,
                spent: m(lf.map_or(0, |x| x.spent)),
                spent_grant: m(lf.map_or(0, |x| x.spent_grant)),
                excess: lf.and_then(|x| x.excess).map(m).unwrap_or_default(),
            }
        })
        .collect();
    let sources = report::SOURCES.iter().copied().zip(form.sources.iter().cloned()).collect();
    let invoices = form
        .invoices
        .iter()
        .cloned()
        .chain(std::iter::repeat_n(InvoiceInput::default(), if editable && !plan.simplified { SPARE_INVOICES } else { 0 }))
        .enumerate()
        .map(|(i, x)| InvoiceRow { k: i + 1, line: x.line, number: x.number, date: x.date, amount: x.amount, grant: x.grant })
        .collect();
    let statements = report::STATEMENTS.iter().map(|s| (*s, form.statements.iter().any(|x| x == s))).collect();
    let totals = vec![
        (ctx.t("report-fig-value"), m(f.value)),
        (ctx.t("report-fig-spent"), m(f.spent)),
        (ctx.t("report-fig-grant"), m(f.grant)),
        (ctx.t("report-fig-spent-grant"), m(f.spent_grant)),
        (ctx.t("report-fig-spent-other"), m(f.spent_other)),
        (ctx.t("report-fig-sources"), m(f.sources)),
    ];
    let per_year = (0..3)
        .filter(|y| f.per_year[*y] != [0; 4])
        .map(|y| {
            let v = f.per_year[y];
            (u8::try_from(y + 1).unwrap_or(1), m(v[0]), m(v[1]), m(v[2]), m(v[3]))
        })
        .collect();
    let join = |v: Vec<String>| v.join(", ");
    let page = ReportPage {
        kind: ctx.t(&r.kind.label_key()),
        status: ctx.t(&r.status.label_key()),
        act_by: day(act_by),
        overdue: r.status.editable() && act_by < today,
        period_to: r.period_to.map(day).unwrap_or_default(),
        offer_title: o.title.clone(),
        organization,
        official,
        editable,
        reviewable,
        summary: form.summary.clone(),
        input_note: form.input_note.clone(),
        actions,
        results,
        costs,
        sources,
        invoices,
        statements,
        totals,
        per_year,
        excess: if f.excess > 0 { m(f.excess) } else { String::new() },
        outside: join(f.outside_window.iter().map(|k| k.to_string()).collect()),
        mismatch: join(f.register_mismatch.iter().map(|k| k.to_string()).collect()),
        has_content: !r.content.is_empty(),
        tolerance: crate::grants::offer::percent_pl(i64::from(c.tolerance_bp)),
        simplified: plan.simplified,
        review_note: typed.review_note,
        review_by: if typed.review_by.is_empty() {
            (today + chrono::Duration::days(14)).format("%Y-%m-%d").to_string()
        } else {
            typed.review_by
        },
        errors,
        ctx,
        r,
        c,
    };
    Ok(Html(page.render()?).into_response())
}

/// `GET /panel/sprawozdania/{id}`: the organisation's members and grants officials.
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let (r, c, o) = load(&state, acc, id).await?;
    render(&state, ctx, acc, r, c, o, Typed::default(), Errors::default()).await
}

/// `POST /panel/sprawozdania/{id}`: the organisation saves (`do=save`) or submits (`do=submit`).
pub async fn save(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let (r, c, o) = load(&state, acc, id).await?;
    if !crate::grants::store::is_member(acc, &o) {
        return Err(AppError::Forbidden);
    }
    let back = format!("/panel/sprawozdania/{id}");
    if !r.status.editable() || c.status == ContractStatus::Terminated {
        return Ok(crate::grants::submit::redirect_with_error(&state, &back, "flash-report-locked"));
    }
    let db = &state.platform.db.conn;
    let plan = store::plan_of(db, &c).await?;
    let input = read(&pairs, &plan);
    let submit = fields::get(&pairs, "do") == "submit";
    let expected: i32 = fields::get(&pairs, "version").parse().unwrap_or(-1);
    let content = match report::check(&input, &plan, submit) {
        Ok(x) => x,
        Err(p) => {
            let errors = fields::localise(&ctx, &p);
            let typed = Typed { report: Some(input), ..Default::default() };
            return render(&state, ctx, acc, r, c, o, typed, errors).await;
        }
    };
    let txn = wspolnie_platform::db::begin_write(db).await?;
    match store::save(&txn, &r, expected, &content, submit, &actor(acc)).await? {
        Ok(()) => {
            txn.commit().await?;
            Ok(redirect_with_flash(&state, &back, if submit { "flash-report-submitted" } else { "flash-report-saved" }))
        }
        Err(_) => {
            drop(txn);
            let errors = Errors::form("summary", ctx.t("report-error-conflict"));
            let (r, c, o) = load(&state, acc, id).await?;
            let typed = Typed { report: Some(input), ..Default::default() };
            render(&state, ctx, acc, r, c, o, typed, errors).await
        }
    }
}

/// `POST /panel/sprawozdania/{id}/ocena`: `answer` accept, or return with `note` and `correct_by`.
pub async fn review(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let (r, c, o) = load(&state, acc, id).await?;
    let back = format!("/panel/sprawozdania/{id}");
    let today = warsaw_day(Utc::now());
    let review = if fields::get(&pairs, "answer") == "accept" {
        Review::Accept
    } else {
        let note_raw = fields::get(&pairs, "note");
        let by_raw = fields::get(&pairs, "correct_by");
        let note = fields::clean(&note_raw, 4000).filter(|n| n.chars().count() >= 10);
        let by = wspolnie_core::time::parse_form_date(&by_raw).filter(|d| *d > today && *d <= today + chrono::Duration::days(366));
        let mut errors = Errors::default();
        if note.is_none() {
            errors.add("note", ctx.t("report-error-review-note"));
        }
        if by.is_none() {
            errors.add("correct_by", ctx.t("report-error-review-date"));
        }
        match (note, by) {
            (Some(note), Some(by)) => Review::Return { note, by },
            _ => {
                let typed = Typed { report: None, review_note: note_raw, review_by: by_raw };
                return render(&state, ctx, acc, r, c, o, typed, errors).await;
            }
        }
    };
    let db = &state.platform.db.conn;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let public_url = state.platform.config.server.public_url.clone();
    let done = store::review(&txn, id, &review, &actor(acc), &public_url).await?.is_ok();
    let key = if review == Review::Accept { "flash-report-accepted" } else { "flash-report-returned" };
    crate::grants::submit::finish_write(&state, txn, done, &back, key, "flash-report-not-waiting").await
}

/// A row of the list.
pub struct ListRow {
    pub id: i64,
    pub contract_id: i64,
    pub number: String,
    pub organization: String,
    pub title: String,
    pub kind: String,
    pub act_by: String,
    pub status: String,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "grants/templates/panel/reports.html")]
struct ListPage {
    ctx: PageCtx,
    official: bool,
    overdue: Vec<ListRow>,
    rows: Vec<ListRow>,
}

/// `GET /panel/sprawozdania`: the organisation's reports, or for grants officials every report
/// with those overdue listed first.
pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let db = &state.platform.db.conn;
    let official = is_official(acc);
    let mut q = contract_row::Entity::find();
    if !official {
        let orgs: Vec<i64> = acc.memberships.iter().map(|(o, _)| *o).collect();
        q = q.filter(contract_row::Column::OrganizationId.is_in(orgs));
    }
    let contracts: HashMap<i64, contract_row::Model> = q.all(db).await?.into_iter().map(|c| (c.id, c)).collect();
    let reports = report_row::Entity::find()
        .filter(report_row::Column::ContractId.is_in(contracts.keys().copied().collect::<Vec<_>>()))
        .order_by_asc(report_row::Column::DueOn)
        .all(db)
        .await?;
    let orgs = fields::organization_names(db, contracts.values().map(|c| c.organization_id).collect()).await?;
    let titles = fields::offer_titles(db, contracts.values().map(|c| c.offer_id).collect()).await?;
    let today = warsaw_day(Utc::now());
    let mut rows: Vec<ListRow> = reports
        .into_iter()
        .filter_map(|r| {
            let c = contracts.get(&r.contract_id)?;
            let act_by = report_due::act_by(&r);
            Some(ListRow {
                id: r.id,
                contract_id: c.id,
                number: c.number.clone(),
                organization: orgs.get(&c.organization_id).cloned().unwrap_or_default(),
                title: titles.get(&c.offer_id).cloned().unwrap_or_default(),
                kind: ctx.t(&r.kind.label_key()),
                act_by: day(act_by),
                status: ctx.t(&r.status.label_key()),
                overdue: r.status.editable() && act_by < today && c.status != ContractStatus::Terminated,
            })
        })
        .collect();
    let (overdue, rest): (Vec<ListRow>, Vec<ListRow>) = rows.drain(..).partition(|r| r.overdue);
    let page = ListPage { ctx, official, overdue, rows: rest };
    Ok(Html(page.render()?).into_response())
}
