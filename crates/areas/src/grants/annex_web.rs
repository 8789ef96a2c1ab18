//! The annexes' pages (issue 19, item 1): the form of a new annex (the contract as it stands,
//! every date, the grant and each cost line editable, new lines in spare rows), an annex with its
//! changes listed before and after, and its PDF. Checked in `annex.rs`, stored by
//! `annex_store.rs`.

use crate::admin::web::actor;
use crate::grants::annex::{self, AnnexInput, LineInput};
use crate::grants::annex_store as store;
use crate::grants::contract_store::{Refused, Signed};
use crate::grants::entity::grant_annex as annex_row;
use crate::grants::entity::grant_contract::{self as contract_row, Status};
use crate::grants::entity::grant_offer;
use crate::grants::fields;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::ctx::{PageCtx, redirect_with_flash};
use wspolnie_web::errors::{AppError, AppResult};
use wspolnie_web::forms::{Errors, HtmlForm};

/// A changed field as a page shows it: its name in the page's language.
pub fn field_label(ctx: &PageCtx, key: &str) -> String {
    if let Some(n) = key.strip_prefix("annex-tranche:") {
        return ctx.t1("annex-tranche", "n", n);
    }
    if let Some(rest) = key.strip_prefix("annex-line:") {
        let (n, name) = rest.split_once(':').unwrap_or((rest, ""));
        return ctx.t2("annex-line", "n", n, "name", name);
    }
    ctx.t(key)
}

async fn contract(state: &AppState, id: i64) -> AppResult<contract_row::Model> {
    contract_row::Entity::find_by_id(id)
        .one(&state.platform.db.conn)
        .await?
        .ok_or(AppError::NotFound)
}

fn read(pairs: &[(String, String)], rows: usize) -> AnnexInput {
    let g = |k: &str| fields::get(pairs, k);
    AnnexInput {
        task_from: g("task_from"),
        task_to: g("task_to"),
        grant_from: g("grant_from"),
        grant_to: g("grant_to"),
        other_from: g("other_from"),
        other_to: g("other_to"),
        amount: g("amount"),
        lines: (1..=rows)
            .map(|n| LineInput {
                name: g(&format!("line-{n}-name")),
                year: g(&format!("line-{n}-year")),
                value: g(&format!("line-{n}-value")),
                grant: g(&format!("line-{n}-grant")),
            })
            .collect(),
        reason: g("reason"),
    }
}

/// A row of the form's cost table.
pub struct LineRow {
    pub n: usize,
    /// The line's name (empty for a new line, which asks for one).
    pub fixed: String,
    pub input: LineInput,
}

#[derive(Template)]
#[template(path = "grants/templates/admin/annex_form.html")]
struct FormPage {
    ctx: PageCtx,
    c: contract_row::Model,
    form: AnnexInput,
    rows: Vec<LineRow>,
    how: String,
    errors: Errors,
}

async fn render_form(
    state: &AppState,
    ctx: PageCtx,
    c: contract_row::Model,
    form: Option<AnnexInput>,
    how: String,
    errors: Errors,
) -> AppResult<Response> {
    let cur = store::current_of(&state.platform.db.conn, &c).await?;
    let form = form.unwrap_or_else(|| annex::input_of(&cur));
    let rows = form
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| LineRow {
            n: i + 1,
            fixed: cur.lines.get(i).map(|x| x.name.clone()).unwrap_or_default(),
            input: l.clone(),
        })
        .collect();
    let page = FormPage { ctx, c, form, rows, how, errors };
    Ok(Html(page.render()?).into_response())
}

/// `GET /panel/umowy/{id}/aneks`: a new annex to a signed or running contract.
pub async fn form(State(state): State<AppState>, ctx: PageCtx, Path(id): Path<i64>) -> AppResult<Response> {
    let c = contract(&state, id).await?;
    if !matches!(c.status, Status::Signed | Status::InProgress) {
        return Ok(crate::grants::submit::redirect_with_error(&state, &format!("/panel/umowy/{id}"), "flash-annex-not-now"));
    }
    render_form(&state, ctx, c, None, String::new(), Errors::default()).await
}

/// `POST /panel/umowy/{id}/aneks`: the annex as signed by both parties (`how`).
pub async fn save(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let c = contract(&state, id).await?;
    let db = &state.platform.db.conn;
    let cur = store::current_of(db, &c).await?;
    let input = read(&pairs, cur.lines.len() + annex::SPARE_LINES);
    let how_raw = fields::get(&pairs, "how");
    let how = Signed::parse(&how_raw);
    let expected: i32 = fields::get(&pairs, "version").parse().unwrap_or(-1);
    let checked = annex::check(&input, &cur);
    let mut errors = match &checked {
        Err(problems) => fields::localise(&ctx, problems),
        Ok(_) => Errors::default(),
    };
    if how.is_none() {
        errors.add("how", ctx.t("annex-error-how"));
    }
    let (Ok(change), Some(how)) = (checked, how) else {
        return render_form(&state, ctx, c, Some(input), how_raw, errors).await;
    };
    let txn = wspolnie_platform::db::begin_write(db).await?;
    match store::record(&txn, id, expected, &change, how, &actor(acc)).await? {
        Ok(a) => {
            txn.commit().await?;
            Ok(redirect_with_flash(&state, &format!("/panel/umowy/{id}/aneksy/{}", a.n), "flash-annex-saved"))
        }
        Err(r) => {
            drop(txn);
            let key = if r == Refused::Conflict { "annex-error-conflict" } else { "flash-annex-not-now" };
            let errors = Errors::form("reason", ctx.t(key));
            let c = contract(&state, id).await?;
            render_form(&state, ctx, c, Some(input), how_raw, errors).await
        }
    }
}

async fn annex_of(state: &AppState, id: i64, n: i32) -> AppResult<(contract_row::Model, annex_row::Model)> {
    let c = contract(state, id).await?;
    let a = annex_row::Entity::find()
        .filter(annex_row::Column::ContractId.eq(id))
        .filter(annex_row::Column::N.eq(n))
        .one(&state.platform.db.conn)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((c, a))
}

#[derive(Template)]
#[template(path = "grants/templates/admin/annex.html")]
struct AnnexPage {
    ctx: PageCtx,
    c: contract_row::Model,
    a: annex_row::Model,
    when: String,
    how: String,
    changes: Vec<(String, String, String)>,
}

/// `GET /panel/umowy/{id}/aneksy/{n}`: what the annex changed.
pub async fn show(State(state): State<AppState>, ctx: PageCtx, Path((id, n)): Path<(i64, i32)>) -> AppResult<Response> {
    let (c, a) = annex_of(&state, id, n).await?;
    let changes = store::changes_of(&a)
        .into_iter()
        .map(|(k, x, y)| (field_label(&ctx, &k), x, y))
        .collect();
    let page = AnnexPage {
        when: wspolnie_web::fmt::datetime(ctx.lang, a.created_at),
        how: ctx.t(&format!("contract-how-{}", a.signed_how)),
        changes,
        ctx,
        c,
        a,
    };
    Ok(Html(page.render()?).into_response())
}

/// `GET /panel/umowy/{id}/aneksy/{n}/aneks.pdf`: for grants officials and the organisation.
pub async fn pdf(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path((id, n)): Path<(i64, i32)>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let (c, a) = annex_of(&state, id, n).await?;
    let o = grant_offer::Entity::find_by_id(c.offer_id)
        .one(&state.platform.db.conn)
        .await?
        .ok_or(AppError::NotFound)?;
    if !crate::grants::store::may_see(acc, &o) {
        return Err(AppError::NotFound);
    }
    let doc = store::document(&state.platform.db.conn, &c, &a, &ctx.site.office_name).await?;
    crate::grants::contract_web::pdf_response(doc, &format!("aneks-{}-{}", a.n, c.number)).await
}
