//! The commission's pages (issue 18): the office's page of a call's commission (rules, the
//! organisations' nominations, members, the moves of its work and the chair's progress table),
//! the members' page (the impartiality statement, the offers and their cards), the score card of
//! one offer, and the organisations' nominations. Rules and storage are in `commission.rs`.

use crate::admin::web::actor;
use crate::directory::entity::organization;
use crate::grants::commission::{self, Appointee, CardInput, CardSaved};
use crate::grants::fields;
use crate::grants::entity::grant_call;
use crate::grants::entity::grant_commission::{self as com_entity, Status};
use crate::grants::entity::grant_commission_member::{self as member, Kind};
use crate::grants::entity::grant_nomination as nomination;
use crate::grants::entity::grant_offer;
use crate::grants::entity::grant_offer_version as version;
use crate::grants::entity::grant_recusal::Source;
use crate::grants::entity::grant_score_card as card;
use crate::grants::model::{self as calls, Criterion};
use crate::grants::scoring;
use crate::grants::submit::{self, Frozen};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use wspolnie_pdf::OfferDocument;
use wspolnie_platform::entity::user;
use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::ctx::{PageCtx, redirect_with_flash};
use wspolnie_web::errors::{AppError, AppResult};
use wspolnie_web::fmt;
use wspolnie_web::forms::{Errors, HtmlForm};
use wspolnie_core::money::Money;
use wspolnie_web::policy::Account;

const MAX_NAME: usize = 200;
const MAX_COMMENT: usize = 4000;
const MAX_REASON: usize = 2000;

fn signed(current: &CurrentAccount) -> AppResult<&Account> {
    current.0.as_ref().ok_or(AppError::Forbidden)
}

async fn org_names(state: &AppState, ids: Vec<i64>) -> AppResult<Vec<(i64, String)>> {
    Ok(organization::Entity::find()
        .filter(organization::Column::Id.is_in(ids))
        .all(&state.platform.db.conn)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}

fn name_of(names: &[(i64, String)], id: i64) -> String {
    names
        .iter()
        .find(|(i, _)| *i == id)
        .map(|(_, n)| n.clone())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// The office's page of a call's commission.

/// The commission's rules as typed.
#[derive(Debug, Clone, Default)]
pub struct RulesForm {
    pub nominations_date: String,
    pub nominations_time: String,
    pub min_score: String,
    pub spread_limit: String,
    pub reduced_days: String,
    pub share_rule: bool,
}

impl RulesForm {
    fn of(c: &com_entity::Model) -> RulesForm {
        let (date, time) = match c.nominations_until {
            Some(t) => {
                let w = t.with_timezone(&wspolnie_core::time::TZ);
                (w.format("%Y-%m-%d").to_string(), w.format("%H:%M").to_string())
            }
            None => (String::new(), String::new()),
        };
        RulesForm {
            nominations_date: date,
            nominations_time: time,
            min_score: scoring::centi_pl(u64::try_from(c.min_score_centi).unwrap_or(0)),
            spread_limit: c.spread_limit.to_string(),
            reduced_days: c.reduced_days.to_string(),
            share_rule: c.share_rule,
        }
    }
}

/// A new member as typed.
#[derive(Debug, Clone, Default)]
pub struct MemberForm {
    pub kind: String,
    pub name: String,
    pub email: String,
    pub chair: bool,
}

pub struct NominationRow {
    pub id: i64,
    pub organization: String,
    pub name: String,
    pub email: String,
    pub status: String,
    pub open: bool,
    pub reason: String,
    pub when: String,
}

pub struct MemberRow {
    pub name: String,
    pub email: String,
    pub kind: String,
    pub chair: bool,
    pub statement: String,
}

/// One offer's row in the chair's progress table.
pub struct ProgressRow {
    pub id: i64,
    pub title: String,
    pub organization: String,
    /// One cell per member: "—", draft, submitted, recused.
    pub cells: Vec<String>,
    pub average: String,
    pub spread: String,
    pub flagged: bool,
    pub fundable: bool,
}

pub struct MoveButton {
    pub to: &'static str,
    pub label: String,
}

#[derive(Template)]
#[template(path = "grants/templates/admin/commission.html")]
struct OfficePage {
    ctx: PageCtx,
    c: grant_call::Model,
    status: String,
    forming: bool,
    rules: RulesForm,
    add: MemberForm,
    nominations: Vec<NominationRow>,
    members: Vec<MemberRow>,
    member_names: Vec<String>,
    progress: Vec<ProgressRow>,
    show_scores: bool,
    maximum: String,
    moves: Vec<MoveButton>,
    /// The opinion's lines (in the opinion stage editable, afterwards shown).
    opinion: Vec<OpinionField>,
    opinion_open: bool,
    opinion_sum: String,
    funds: String,
    protocol: bool,
    errors: Errors,
}

/// One offer's line of the opinion form.
pub struct OpinionField {
    pub id: i64,
    pub title: String,
    pub organization: String,
    pub requested: String,
    pub average: String,
    pub amount: String,
    pub note: String,
}

/// What the office typed into one of the page's forms, to show it again with its errors.
#[derive(Default)]
struct Typed {
    rules: Option<RulesForm>,
    add: MemberForm,
    /// (offer id, amount, note) of the opinion form.
    opinion: Option<Vec<(i64, String, String)>>,
}

fn status_text(ctx: &PageCtx, s: Status) -> String {
    ctx.t(&format!("commission-status-{}", s.as_str()))
}

async fn render_office(
    state: &AppState,
    ctx: PageCtx,
    c: grant_call::Model,
    com: com_entity::Model,
    typed: Typed,
    errors: Errors,
) -> AppResult<Response> {
    let Typed {
        rules,
        add,
        opinion: typed_opinion,
    } = typed;
    let db = &state.platform.db.conn;
    let noms = nomination::Entity::find()
        .filter(nomination::Column::CommissionId.eq(com.id))
        .order_by_asc(nomination::Column::Id)
        .all(db)
        .await?;
    let names = org_names(state, noms.iter().map(|n| n.organization_id).collect()).await?;
    let nominations = noms
        .into_iter()
        .map(|n| NominationRow {
            id: n.id,
            organization: name_of(&names, n.organization_id),
            name: n.name,
            email: n.email,
            status: ctx.t(&format!("nomination-status-{}", n.status.as_str())),
            open: n.status == nomination::Status::Nominated,
            reason: n.reason,
            when: fmt::datetime(ctx.lang, n.created_at),
        })
        .collect();
    let ms = member::Entity::find()
        .filter(member::Column::CommissionId.eq(com.id))
        .order_by_asc(member::Column::Id)
        .all(db)
        .await?;
    let members = ms
        .iter()
        .map(|m| MemberRow {
            name: m.name.clone(),
            email: m.email.clone(),
            kind: ctx.t(&format!("commission-kind-{}", m.kind.as_str())),
            chair: m.is_chair,
            statement: m
                .statement_at
                .map(|t| fmt::datetime(ctx.lang, t))
                .unwrap_or_else(|| ctx.t("commission-statement-missing")),
        })
        .collect();
    let criteria = calls::criteria_of(&c);
    let show_scores = matches!(com.status, Status::Opinion | Status::Concluded);
    let offers = commission::offers_to_score(db, c.id).await?;
    let onames = org_names(state, offers.iter().map(|o| o.organization_id).collect()).await?;
    let stored_opinion = commission::opinion_of(db, com.id).await?;
    let opinion_sum = Money(stored_opinion.iter().fold(0i64, |a, l| a.saturating_add(l.proposed))).to_string();
    let recused = recusals_of(db, &ms).await?;
    let mut progress = Vec::new();
    let mut opinion = Vec::new();
    for o in offers {
        // One tally per offer, for both the progress table and the opinion form.
        let t = commission::tally_of(db, &com, &criteria, o.id).await?;
        let average = t.average_centi.map(scoring::centi_pl).unwrap_or_else(|| "—".into());
        let organization = name_of(&onames, o.organization_id);
        let stored = stored_opinion.iter().find(|l| l.offer_id == o.id);
        let typed = typed_opinion
            .as_ref()
            .and_then(|v| v.iter().find(|(id, _, _)| *id == o.id));
        opinion.push(OpinionField {
            id: o.id,
            title: o.title.clone(),
            organization: organization.clone(),
            requested: Money(o.requested_grant).to_string(),
            average: average.clone(),
            amount: match (typed, stored) {
                (Some((_, a, _)), _) => a.clone(),
                (None, Some(l)) => fields::money_field(l.proposed),
                (None, None) => String::new(),
            },
            note: match (typed, stored) {
                (Some((_, _, n)), _) => n.clone(),
                (None, Some(l)) => l.note.clone(),
                (None, None) => String::new(),
            },
        });
        let cards = card::Entity::find()
            .filter(card::Column::OfferId.eq(o.id))
            .all(db)
            .await?;
        let cells = member_cells(&ctx, &ms, &recused, &cards, o.id);
        progress.push(ProgressRow {
            id: o.id,
            organization,
            title: o.title,
            cells,
            average,
            spread: t.spread.to_string(),
            flagged: t.flagged,
            fundable: t.fundable,
        });
    }
    let moves = [Status::Scoring, Status::Opinion, Status::Concluded]
        .into_iter()
        .filter(|to| *to != com.status && com_entity::allowed(com.status, *to))
        .map(|to| MoveButton {
            to: to.as_str(),
            label: ctx.t(&format!("commission-move-{}", to.as_str())),
        })
        .collect();
    let page = OfficePage {
        opinion_open: com.status == Status::Opinion,
        protocol: matches!(com.status, Status::Opinion | Status::Concluded),
        funds: Money(c.funds_available).to_string(),
        opinion_sum,
        opinion,
        status: status_text(&ctx, com.status),
        forming: com.status == Status::Forming,
        rules: rules.unwrap_or_else(|| RulesForm::of(&com)),
        member_names: ms.iter().map(|m| m.name.clone()).collect(),
        maximum: scoring::maximum(&criteria).to_string(),
        add,
        nominations,
        members,
        progress,
        show_scores,
        moves,
        errors,
        ctx,
        c,
    };
    Ok(Html(page.render()?).into_response())
}

async fn commission_of(state: &AppState, c: &grant_call::Model) -> AppResult<com_entity::Model> {
    let txn = wspolnie_platform::db::begin_write(&state.platform.db.conn).await?;
    let com = commission::ensure(&txn, c).await?;
    txn.commit().await?;
    Ok(com)
}

/// `GET /panel/konkursy/{id}/komisja`.
pub async fn office(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let c = fields::call(&state, id).await?;
    let com = commission_of(&state, &c).await?;
    render_office(&state, ctx, c, com, Typed::default(), Errors::default()).await
}

/// `POST /panel/konkursy/{id}/komisja/zasady`: the commission's rules (while it is forming).
pub async fn save_rules(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let c = fields::call(&state, id).await?;
    let com = commission_of(&state, &c).await?;
    if com.status != Status::Forming {
        return Err(AppError::Forbidden);
    }
    let f = RulesForm {
        nominations_date: fields::get(&pairs, "nominations_date"),
        nominations_time: fields::get(&pairs, "nominations_time"),
        min_score: fields::get(&pairs, "min_score"),
        spread_limit: fields::get(&pairs, "spread_limit"),
        reduced_days: fields::get(&pairs, "reduced_days"),
        share_rule: !fields::get(&pairs, "share_rule").is_empty(),
    };
    let mut errors = Errors::default();
    let until = if f.nominations_date.is_empty() && f.nominations_time.is_empty() {
        None
    } else {
        match calls::warsaw(&f.nominations_date, &f.nominations_time) {
            Some(t) => Some(t),
            None => {
                errors.add("nominations_date", ctx.t("commission-error-nominations"));
                None
            }
        }
    };
    let max = scoring::maximum(&calls::criteria_of(&c)).saturating_mul(100);
    let min = match scoring::parse_centi(&f.min_score) {
        Some(v) if v <= max => v,
        _ => {
            errors.add(
                "min_score",
                ctx.t1("commission-error-min-score", "max", &scoring::centi_pl(max)),
            );
            0
        }
    };
    let spread = match f.spread_limit.parse::<i32>() {
        Ok(v) if (0..=10_000).contains(&v) => v,
        _ => {
            errors.add("spread_limit", ctx.t("commission-error-spread"));
            0
        }
    };
    let days = match f.reduced_days.parse::<i32>() {
        Ok(v) if (1..=60).contains(&v) => v,
        _ => {
            errors.add("reduced_days", ctx.t("commission-error-days"));
            0
        }
    };
    if !errors.is_empty() {
        errors.order(&["nominations_date", "min_score", "spread_limit", "reduced_days"]);
        return render_office(&state, ctx, c, com, Typed { rules: Some(f), ..Typed::default() }, errors).await;
    }
    let txn = wspolnie_platform::db::begin_write(&state.platform.db.conn).await?;
    let before = serde_json::json!({
        "nominations_until": com.nominations_until, "min_score_centi": com.min_score_centi,
        "spread_limit": com.spread_limit, "reduced_days": com.reduced_days, "share_rule": com.share_rule,
    });
    let r = com_entity::Entity::update_many()
        .col_expr(com_entity::Column::NominationsUntil, sea_orm::sea_query::Expr::value(until))
        .col_expr(com_entity::Column::MinScoreCenti, sea_orm::sea_query::Expr::value(i64::try_from(min).unwrap_or(0)))
        .col_expr(com_entity::Column::SpreadLimit, sea_orm::sea_query::Expr::value(spread))
        .col_expr(com_entity::Column::ReducedDays, sea_orm::sea_query::Expr::value(days))
        .col_expr(com_entity::Column::ShareRule, sea_orm::sea_query::Expr::value(f.share_rule))
        .col_expr(com_entity::Column::UpdatedAt, sea_orm::sea_query::Expr::value(Utc::now()))
        .filter(com_entity::Column::Id.eq(com.id))
        .filter(com_entity::Column::Status.eq(Status::Forming))
        .exec(&txn)
        .await?;
    if r.rows_affected == 0 {
        return Err(AppError::Forbidden);
    }
    wspolnie_platform::audit::record(
        &txn,
        &actor(acc),
        "grant_commission.rules",
        "grant_commission",
        com.id,
        Some(&before),
        Some(&serde_json::json!({
            "nominations_until": until, "min_score_centi": min, "spread_limit": spread,
            "reduced_days": days, "share_rule": f.share_rule,
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/panel/konkursy/{id}/komisja"),
        "flash-commission-rules-saved",
    ))
}

async fn user_by_email(state: &AppState, email: &str) -> AppResult<Option<i64>> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&state.platform.db.conn)
        .await?
        .map(|u| u.id))
}

fn appoint_error(ctx: &PageCtx, e: commission::AppointError) -> (&'static str, String) {
    use commission::AppointError::*;
    match e {
        NotForming => ("kind", ctx.t("commission-error-not-forming")),
        Nomination => ("kind", ctx.t("commission-error-nomination")),
        ChairNotOfficial => ("chair", ctx.t("commission-error-chair")),
        Duplicate => ("email", ctx.t("commission-error-duplicate")),
    }
}

/// `POST /panel/konkursy/{id}/komisja/czlonkowie`: appoints an official or an expert.
pub async fn add_member(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let c = fields::call(&state, id).await?;
    let com = commission_of(&state, &c).await?;
    let f = MemberForm {
        kind: fields::get(&pairs, "kind"),
        name: fields::get(&pairs, "name"),
        email: fields::get(&pairs, "email"),
        chair: !fields::get(&pairs, "chair").is_empty(),
    };
    let mut errors = Errors::default();
    let kind = match Kind::parse(&f.kind) {
        Some(k @ (Kind::Official | Kind::Expert)) => Some(k),
        _ => {
            errors.add("kind", ctx.t("commission-error-kind"));
            None
        }
    };
    let name = match fields::clean(&f.name, MAX_NAME) {
        Some(n) if !n.is_empty() => n,
        _ => {
            errors.add("name", ctx.t("commission-error-name"));
            String::new()
        }
    };
    let email = crate::accounts::model::normalize_email(&f.email);
    if email.is_none() {
        errors.add("email", ctx.t("commission-error-email"));
    }
    let (Some(kind), Some(email)) = (kind, email) else {
        errors.order(&["kind", "name", "email", "chair"]);
        return render_office(&state, ctx, c, com, Typed { add: f, ..Typed::default() }, errors).await;
    };
    if !errors.is_empty() {
        errors.order(&["kind", "name", "email", "chair"]);
        return render_office(&state, ctx, c, com, Typed { add: f, ..Typed::default() }, errors).await;
    }
    let user_id = user_by_email(&state, &email).await?;
    let txn = wspolnie_platform::db::begin_write(&state.platform.db.conn).await?;
    let a = Appointee {
        kind,
        name: &name,
        email: &email,
        user_id,
        is_chair: f.chair,
        nomination_id: None,
    };
    match commission::appoint(&txn, &com, &a, &actor(acc)).await? {
        Ok(_) => {
            txn.commit().await?;
            Ok(redirect_with_flash(
                &state,
                &format!("/panel/konkursy/{id}/komisja"),
                "flash-commission-member-added",
            ))
        }
        Err(e) => {
            drop(txn);
            let (field, msg) = appoint_error(&ctx, e);
            render_office(&state, ctx, c, com, Typed { add: f, ..Typed::default() }, Errors::form(field, msg)).await
        }
    }
}

/// `POST /panel/konkursy/{id}/komisja/nominacje/{n}`: appoints a nominee or declines them.
pub async fn decide_nomination(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentAccount>,
    Path((id, n)): Path<(i64, i64)>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let c = fields::call(&state, id).await?;
    let com = commission_of(&state, &c).await?;
    let db = &state.platform.db.conn;
    let nom = nomination::Entity::find_by_id(n)
        .filter(nomination::Column::CommissionId.eq(com.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let back = format!("/panel/konkursy/{id}/komisja");
    let txn = wspolnie_platform::db::begin_write(db).await?;
    // Nominees of an organisation that submitted meanwhile are excluded first.
    commission::exclude_offerors(&txn, &com, &actor(acc)).await?;
    if fields::get(&pairs, "decision") == "appoint" {
        let user_id = user_by_email(&state, &nom.email).await?;
        let a = Appointee {
            kind: Kind::Ngo,
            name: &nom.name,
            email: &nom.email,
            user_id,
            is_chair: false,
            nomination_id: Some(nom.id),
        };
        return match commission::appoint(&txn, &com, &a, &actor(acc)).await? {
            Ok(_) => {
                txn.commit().await?;
                Ok(redirect_with_flash(&state, &back, "flash-commission-member-added"))
            }
            Err(_) => {
                txn.commit().await?;
                Ok(redirect_with_flash(&state, &back, "flash-commission-nomination-closed"))
            }
        };
    }
    let r = nomination::Entity::update_many()
        .col_expr(nomination::Column::Status, sea_orm::sea_query::Expr::value(nomination::Status::NotAppointed))
        .col_expr(nomination::Column::DecidedAt, sea_orm::sea_query::Expr::value(Utc::now()))
        .filter(nomination::Column::Id.eq(nom.id))
        .filter(nomination::Column::Status.eq(nomination::Status::Nominated))
        .exec(&txn)
        .await?;
    if r.rows_affected > 0 {
        wspolnie_platform::audit::record(
            &txn,
            &actor(acc),
            "grant_commission.decline",
            "grant_commission",
            com.id,
            None::<&()>,
            Some(&serde_json::json!({ "nomination": nom.id })),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(redirect_with_flash(&state, &back, "flash-commission-nomination-declined"))
}

/// `POST /panel/konkursy/{id}/komisja/status`: the commission's moves.
pub async fn move_status(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let c = fields::call(&state, id).await?;
    let com = commission_of(&state, &c).await?;
    let to = Status::parse(&fields::get(&pairs, "to")).ok_or(AppError::BadRequest)?;
    let back = format!("/panel/konkursy/{id}/komisja");
    if to == Status::Scoring && com.status == Status::Forming {
        // Scoring needs the offers checked and at least one voting member.
        let voting = member::Entity::find()
            .filter(member::Column::CommissionId.eq(com.id))
            .filter(member::Column::Kind.ne(Kind::Expert))
            .one(&state.platform.db.conn)
            .await?;
        if voting.is_none() {
            return Ok(submit::redirect_with_error(&state, &back, "flash-commission-no-members"));
        }
    }
    let txn = wspolnie_platform::db::begin_write(&state.platform.db.conn).await?;
    let moved = commission::move_to(&txn, com.id, to, &actor(acc)).await?;
    txn.commit().await?;
    Ok(if moved {
        redirect_with_flash(&state, &back, "flash-commission-moved")
    } else {
        submit::redirect_with_error(&state, &back, "flash-commission-cannot-move")
    })
}

// ---------------------------------------------------------------------------------------------
// The members' and organisations' page.

/// The commission memberships of the signed-in person: by account, or by the address an office
/// appointed before the person had an account.
async fn memberships(state: &AppState, acc: &Account) -> AppResult<Vec<member::Model>> {
    Ok(member::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(member::Column::UserId.eq(acc.user.id))
                .add(
                    sea_orm::Condition::all()
                        .add(member::Column::UserId.is_null())
                        .add(member::Column::Email.eq(acc.user.email.clone())),
                ),
        )
        .order_by_desc(member::Column::Id)
        .all(&state.platform.db.conn)
        .await?)
}

async fn my_member(state: &AppState, acc: &Account, member_id: i64) -> AppResult<member::Model> {
    memberships(state, acc)
        .await?
        .into_iter()
        .find(|m| m.id == member_id)
        .ok_or(AppError::NotFound)
}

/// The recusals (member, offer) of the members given, read at once.
async fn recusals_of<C: sea_orm::ConnectionTrait>(
    db: &C,
    ms: &[member::Model],
) -> Result<Vec<(i64, i64)>, sea_orm::DbErr> {
    Ok(crate::grants::entity::grant_recusal::Entity::find()
        .filter(crate::grants::entity::grant_recusal::Column::MemberId.is_in(ms.iter().map(|m| m.id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.member_id, r.offer_id))
        .collect())
}

/// Who has scored one offer: a cell per member (recused, submitted, draft or "—"), no points.
fn member_cells(
    ctx: &PageCtx,
    ms: &[member::Model],
    recused: &[(i64, i64)],
    cards: &[card::Model],
    offer_id: i64,
) -> Vec<String> {
    ms.iter()
        .map(|m| {
            if recused.contains(&(m.id, offer_id)) {
                ctx.t("commission-cell-recused")
            } else {
                match cards.iter().find(|k| k.member_id == m.id && k.offer_id == offer_id) {
                    Some(k) if k.submitted_at.is_some() => ctx.t("commission-cell-submitted"),
                    Some(_) => ctx.t("commission-cell-draft"),
                    None => "—".to_owned(),
                }
            }
        })
        .collect()
}

/// The chair's view of the commission's progress (issue 18, item 7), on the members' page: who
/// has scored what, without the points, for a chair who need not hold the grants scope.
pub struct ChairView {
    pub members: Vec<String>,
    pub rows: Vec<ChairRow>,
    /// Cards submitted and cards expected (voting members who did not recuse, per offer).
    pub submitted: usize,
    pub expected: usize,
}

pub struct ChairRow {
    pub title: String,
    pub organization: String,
    pub cells: Vec<String>,
}

pub struct OfferLine {
    pub id: i64,
    pub title: String,
    pub organization: String,
    pub state: String,
}

pub struct Membership {
    pub id: i64,
    pub call_title: String,
    pub call_number: String,
    pub kind: String,
    pub chair: bool,
    pub status: String,
    pub stated: bool,
    pub statement_at: String,
    pub scoring: bool,
    pub offers: Vec<OfferLine>,
    /// For the chair (after the statement): the progress of every member.
    pub chair_view: Option<ChairView>,
}

/// A call whose commission takes nominations now.
pub struct OpenNomination {
    pub call_id: i64,
    pub title: String,
    pub number: String,
    pub until: String,
}

pub struct MyNomination {
    pub call_title: String,
    pub organization: String,
    pub name: String,
    pub status: String,
    pub reason: String,
}

/// A nomination as typed.
#[derive(Debug, Clone, Default)]
pub struct NominationForm {
    pub call: String,
    pub organization: String,
    pub name: String,
    pub email: String,
}

async fn chair_view_of<C: sea_orm::ConnectionTrait>(
    db: &C,
    ctx: &PageCtx,
    com: &com_entity::Model,
    offers: &[grant_offer::Model],
    names: &[(i64, String)],
) -> Result<ChairView, sea_orm::DbErr> {
    let ms = member::Entity::find()
        .filter(member::Column::CommissionId.eq(com.id))
        .order_by_asc(member::Column::Id)
        .all(db)
        .await?;
    let recused = recusals_of(db, &ms).await?;
    let cards = card::Entity::find()
        .filter(card::Column::OfferId.is_in(offers.iter().map(|o| o.id).collect::<Vec<_>>()))
        .all(db)
        .await?;
    let voting: Vec<&member::Model> = ms.iter().filter(|m| m.kind != Kind::Expert).collect();
    let expected = offers
        .iter()
        .map(|o| voting.iter().filter(|m| !recused.contains(&(m.id, o.id))).count())
        .sum();
    let submitted = cards
        .iter()
        .filter(|k| k.submitted_at.is_some() && !recused.contains(&(k.member_id, k.offer_id)))
        .count();
    Ok(ChairView {
        members: ms.iter().map(|m| m.name.clone()).collect(),
        rows: offers
            .iter()
            .map(|o| ChairRow {
                title: o.title.clone(),
                organization: name_of(names, o.organization_id),
                cells: member_cells(ctx, &ms, &recused, &cards, o.id),
            })
            .collect(),
        submitted,
        expected,
    })
}

#[derive(Template)]
#[template(path = "grants/templates/panel/commissions.html")]
struct MembersPage {
    ctx: PageCtx,
    memberships: Vec<Membership>,
    statement: &'static str,
    statement_version: &'static str,
    open_calls: Vec<OpenNomination>,
    orgs: Vec<(i64, String)>,
    mine: Vec<MyNomination>,
    form: NominationForm,
    errors: Errors,
}

async fn render_members(
    state: &AppState,
    ctx: PageCtx,
    acc: &Account,
    form: NominationForm,
    errors: Errors,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let now = Utc::now();
    let mut out = Vec::new();
    for m in memberships(state, acc).await? {
        let Some(com) = com_entity::Entity::find_by_id(m.commission_id).one(db).await? else {
            continue;
        };
        let Some(c) = grant_call::Entity::find_by_id(com.call_id).one(db).await? else {
            continue;
        };
        let mut offers = Vec::new();
        let mut chair_view = None;
        if m.statement_at.is_some() {
            let list = commission::offers_to_score(db, c.id).await?;
            let names = org_names(state, list.iter().map(|o| o.organization_id).collect()).await?;
            if m.is_chair {
                chair_view = Some(chair_view_of(db, &ctx, &com, &list, &names).await?);
            }
            for o in list {
                let state_text = if commission::is_recused(db, m.id, o.id).await? {
                    ctx.t("commission-cell-recused")
                } else {
                    match card::Entity::find()
                        .filter(card::Column::MemberId.eq(m.id))
                        .filter(card::Column::OfferId.eq(o.id))
                        .one(db)
                        .await?
                    {
                        Some(k) if k.submitted_at.is_some() => ctx.t("commission-cell-submitted"),
                        Some(_) => ctx.t("commission-cell-draft"),
                        None => ctx.t("commission-cell-none"),
                    }
                };
                offers.push(OfferLine {
                    id: o.id,
                    organization: name_of(&names, o.organization_id),
                    title: o.title,
                    state: state_text,
                });
            }
        }
        out.push(Membership {
            id: m.id,
            call_title: c.title,
            call_number: c.number,
            kind: ctx.t(&format!("commission-kind-{}", m.kind.as_str())),
            chair: m.is_chair,
            status: status_text(&ctx, com.status),
            stated: m.statement_at.is_some(),
            statement_at: m.statement_at.map(|t| fmt::datetime(ctx.lang, t)).unwrap_or_default(),
            scoring: com.status == Status::Scoring,
            offers,
            chair_view,
        });
    }
    // Nominations: calls taking them now, and the person's organisations.
    let forming = com_entity::Entity::find()
        .filter(com_entity::Column::Status.eq(Status::Forming))
        .filter(com_entity::Column::NominationsUntil.gt(now))
        .all(db)
        .await?;
    let mut open_calls = Vec::new();
    for f in &forming {
        if let Some(c) = grant_call::Entity::find_by_id(f.call_id).one(db).await?
            && c.status.is_public()
        {
            open_calls.push(OpenNomination {
                call_id: c.id,
                title: c.title,
                number: c.number,
                until: f.nominations_until.map(|t| fmt::datetime(ctx.lang, t)).unwrap_or_default(),
            });
        }
    }
    let my_orgs: Vec<i64> = acc.memberships.iter().map(|(o, _)| *o).collect();
    let orgs = org_names(state, my_orgs.clone()).await?;
    let noms = nomination::Entity::find()
        .filter(nomination::Column::OrganizationId.is_in(my_orgs))
        .order_by_desc(nomination::Column::Id)
        .all(db)
        .await?;
    let mut mine = Vec::new();
    for n in noms {
        let call_title = match com_entity::Entity::find_by_id(n.commission_id).one(db).await? {
            Some(com) => grant_call::Entity::find_by_id(com.call_id)
                .one(db)
                .await?
                .map(|c| c.title)
                .unwrap_or_default(),
            None => String::new(),
        };
        mine.push(MyNomination {
            call_title,
            organization: name_of(&orgs, n.organization_id),
            name: n.name,
            status: ctx.t(&format!("nomination-status-{}", n.status.as_str())),
            reason: n.reason,
        });
    }
    let page = MembersPage {
        memberships: out,
        statement: commission::STATEMENT_TEXT,
        statement_version: commission::STATEMENT_VERSION,
        open_calls,
        orgs,
        mine,
        form,
        errors,
        ctx,
    };
    Ok(Html(page.render()?).into_response())
}

/// `GET /panel/komisje`: the person's commissions and their organisations' nominations.
pub async fn members(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    render_members(&state, ctx, acc, NominationForm::default(), Errors::default()).await
}

/// `POST /panel/komisje/zgloszenia`: an organisation nominates a person.
pub async fn nominate(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let f = NominationForm {
        call: fields::get(&pairs, "call"),
        organization: fields::get(&pairs, "organization"),
        name: fields::get(&pairs, "name"),
        email: fields::get(&pairs, "email"),
    };
    let mut errors = Errors::default();
    let db = &state.platform.db.conn;
    let now = Utc::now();
    let call = match f.call.parse::<i64>() {
        Ok(id) => grant_call::Entity::find_by_id(id).one(db).await?,
        Err(_) => None,
    };
    let com = match &call {
        Some(c) => com_entity::Entity::find()
            .filter(com_entity::Column::CallId.eq(c.id))
            .one(db)
            .await?
            .filter(|k| k.status == Status::Forming && k.nominations_until.is_some_and(|u| u > now)),
        None => None,
    };
    if com.is_none() {
        errors.add("call", ctx.t("commission-error-call"));
    }
    let org = f
        .organization
        .parse::<i64>()
        .ok()
        .filter(|o| acc.memberships.iter().any(|(m, _)| m == o));
    if org.is_none() {
        errors.add("organization", ctx.t("commission-error-organization"));
    }
    let name = fields::clean(&f.name, MAX_NAME).filter(|n| !n.is_empty());
    if name.is_none() {
        errors.add("name", ctx.t("commission-error-name"));
    }
    let email = crate::accounts::model::normalize_email(&f.email);
    if email.is_none() {
        errors.add("email", ctx.t("commission-error-email"));
    }
    let (Some(call), Some(com), Some(org), Some(name), Some(email)) = (call, com, org, name, email) else {
        errors.order(&["call", "organization", "name", "email"]);
        return render_members(&state, ctx, acc, f, errors).await;
    };
    let duplicate = nomination::Entity::find()
        .filter(nomination::Column::CommissionId.eq(com.id))
        .filter(nomination::Column::OrganizationId.eq(org))
        .filter(nomination::Column::Email.eq(email.clone()))
        .one(db)
        .await?
        .is_some();
    if duplicate {
        let errors = Errors::form("email", ctx.t("commission-error-nominated"));
        return render_members(&state, ctx, acc, f, errors).await;
    }
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let row = commission::nominate(&txn, &com, &call, org, &name, &email, &actor(acc)).await?;
    txn.commit().await?;
    Ok(redirect_with_flash(
        &state,
        "/panel/komisje",
        if row.status == nomination::Status::Excluded {
            "flash-commission-nominee-excluded"
        } else {
            "flash-commission-nominated"
        },
    ))
}

/// `POST /panel/komisje/{member}/oswiadczenie`: the impartiality statement.
pub async fn statement(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentAccount>,
    Path(member_id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let m = my_member(&state, acc, member_id).await?;
    if fields::get(&pairs, "confirm") != "1" || fields::get(&pairs, "version") != commission::STATEMENT_VERSION {
        return Ok(submit::redirect_with_error(&state, "/panel/komisje", "flash-commission-statement-unconfirmed"));
    }
    let txn = wspolnie_platform::db::begin_write(&state.platform.db.conn).await?;
    if m.user_id.is_none() {
        member::Entity::update_many()
            .col_expr(member::Column::UserId, sea_orm::sea_query::Expr::value(acc.user.id))
            .filter(member::Column::Id.eq(m.id))
            .exec(&txn)
            .await?;
    }
    let m = member::Model {
        user_id: Some(acc.user.id),
        ..m
    };
    commission::make_statement(&txn, &m, Utc::now(), &actor(acc)).await?;
    txn.commit().await?;
    Ok(redirect_with_flash(&state, "/panel/komisje", "flash-commission-statement-made"))
}

// ---------------------------------------------------------------------------------------------
// The score card.

pub struct CriterionField {
    pub n: usize,
    pub name: String,
    pub max: u32,
    pub weight: u32,
    pub points: String,
    pub comment: String,
}

/// Another member's submitted card, shown after one's own.
pub struct OtherCard {
    pub name: String,
    pub points: Vec<String>,
    pub total: String,
}

#[derive(Template)]
#[template(path = "grants/templates/panel/score_card.html")]
struct CardPage {
    ctx: PageCtx,
    m: member::Model,
    offer: grant_offer::Model,
    organization: String,
    recused: bool,
    recusal_reason: String,
    scoring: bool,
    submitted: bool,
    version: i32,
    fields: Vec<CriterionField>,
    total: String,
    maximum: String,
    others: Vec<OtherCard>,
    criteria_names: Vec<String>,
    doc: Option<OfferDocument>,
    /// The recusal's reason as typed, shown again with its error.
    reason: String,
    errors: Errors,
}

async fn card_context(
    state: &AppState,
    acc: &Account,
    member_id: i64,
    offer_id: i64,
) -> AppResult<(member::Model, com_entity::Model, grant_call::Model, grant_offer::Model)> {
    let m = my_member(state, acc, member_id).await?;
    let db = &state.platform.db.conn;
    let com = com_entity::Entity::find_by_id(m.commission_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = fields::call(state, com.call_id).await?;
    // No offer before the statement (art. 15 ust. 2d UDPP with KPA art. 24).
    if m.statement_at.is_none() {
        return Err(AppError::Forbidden);
    }
    let offer = commission::offers_to_score(db, c.id)
        .await?
        .into_iter()
        .find(|o| o.id == offer_id)
        .ok_or(AppError::NotFound)?;
    Ok((m, com, c, offer))
}

/// What the member typed into the card page's forms, to show it again with its errors.
#[derive(Default)]
struct CardTyped {
    /// Points and comments of the card form.
    card: Option<(Vec<String>, Vec<String>)>,
    /// The recusal's reason.
    reason: String,
}

#[allow(clippy::too_many_arguments)]
async fn render_card(
    state: &AppState,
    ctx: PageCtx,
    m: member::Model,
    com: com_entity::Model,
    c: grant_call::Model,
    offer: grant_offer::Model,
    typed_in: CardTyped,
    errors: Errors,
) -> AppResult<Response> {
    let CardTyped {
        card: typed,
        reason: typed_reason,
    } = typed_in;
    let db = &state.platform.db.conn;
    let criteria: Vec<Criterion> = calls::criteria_of(&c);
    let recusal = crate::grants::entity::grant_recusal::Entity::find()
        .filter(crate::grants::entity::grant_recusal::Column::MemberId.eq(m.id))
        .filter(crate::grants::entity::grant_recusal::Column::OfferId.eq(offer.id))
        .one(db)
        .await?;
    let mine = card::Entity::find()
        .filter(card::Column::MemberId.eq(m.id))
        .filter(card::Column::OfferId.eq(offer.id))
        .one(db)
        .await?;
    let stored_points: Vec<Option<u32>> = mine
        .as_ref()
        .and_then(|k| serde_json::from_str(&k.points).ok())
        .unwrap_or_default();
    let stored_comments: Vec<String> = mine
        .as_ref()
        .and_then(|k| serde_json::from_str(&k.comments).ok())
        .unwrap_or_default();
    let fields = criteria
        .iter()
        .enumerate()
        .map(|(i, cr)| CriterionField {
            n: i + 1,
            name: cr.name.clone(),
            max: cr.max_points,
            weight: cr.weight.max(1),
            points: match &typed {
                Some((p, _)) => p.get(i).cloned().unwrap_or_default(),
                None => stored_points.get(i).copied().flatten().map(|p| p.to_string()).unwrap_or_default(),
            },
            comment: match &typed {
                Some((_, k)) => k.get(i).cloned().unwrap_or_default(),
                None => stored_comments.get(i).cloned().unwrap_or_default(),
            },
        })
        .collect();
    let submitted = mine.as_ref().is_some_and(|k| k.submitted_at.is_some());
    // Others' cards only after one's own is submitted; never the experts' as votes (shown, marked).
    let mut others = Vec::new();
    if submitted {
        let members = member::Entity::find()
            .filter(member::Column::CommissionId.eq(com.id))
            .order_by_asc(member::Column::Id)
            .all(db)
            .await?;
        let cards = card::Entity::find()
            .filter(card::Column::OfferId.eq(offer.id))
            .all(db)
            .await?;
        for om in members.iter().filter(|x| x.id != m.id) {
            if let Some(k) = cards.iter().find(|k| k.member_id == om.id && k.submitted_at.is_some()) {
                let pts: Vec<Option<u32>> = serde_json::from_str(&k.points).unwrap_or_default();
                others.push(OtherCard {
                    name: if om.kind == Kind::Expert {
                        ctx.t1("commission-expert-name", "name", &om.name)
                    } else {
                        om.name.clone()
                    },
                    points: (0..criteria.len())
                        .map(|i| pts.get(i).copied().flatten().map(|p| p.to_string()).unwrap_or_else(|| "—".into()))
                        .collect(),
                    total: scoring::weighted(&pts, &criteria).to_string(),
                });
            }
        }
    }
    let organization = organization::Entity::find_by_id(offer.organization_id)
        .one(db)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let doc = if recusal.is_none() {
        match version::Entity::find()
            .filter(version::Column::OfferId.eq(offer.id))
            .filter(version::Column::Version.eq(offer.current_version))
            .one(db)
            .await?
        {
            Some(v) => Some(submit::document(ctx.lang, &Frozen::parse(&v.content), &c, &organization, &v)),
            None => None,
        }
    } else {
        None
    };
    let page = CardPage {
        recused: recusal.is_some(),
        recusal_reason: recusal.map(|r| r.reason).unwrap_or_default(),
        scoring: com.status == Status::Scoring,
        submitted,
        version: mine.as_ref().map_or(0, |k| k.version),
        total: scoring::weighted(&stored_points, &criteria).to_string(),
        maximum: scoring::maximum(&criteria).to_string(),
        criteria_names: criteria.iter().map(|c| c.name.clone()).collect(),
        fields,
        others,
        organization,
        doc,
        reason: typed_reason,
        errors,
        ctx,
        m,
        offer,
    };
    Ok(Html(page.render()?).into_response())
}

/// `GET /panel/komisje/{member}/oferty/{offer}`: the score card.
pub async fn card_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path((member_id, offer_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let (m, com, c, offer) = card_context(&state, acc, member_id, offer_id).await?;
    render_card(&state, ctx, m, com, c, offer, CardTyped::default(), Errors::default()).await
}

/// `POST /panel/komisje/{member}/oferty/{offer}`: saves the card as a draft or submits it.
pub async fn card_save(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path((member_id, offer_id)): Path<(i64, i64)>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let (m, com, c, offer) = card_context(&state, acc, member_id, offer_id).await?;
    let criteria = calls::criteria_of(&c);
    let typed_points: Vec<String> = (1..=criteria.len()).map(|n| fields::get(&pairs, &format!("points-{n}"))).collect();
    let typed_comments: Vec<String> = (1..=criteria.len()).map(|n| fields::get(&pairs, &format!("comment-{n}"))).collect();
    let submit_card = fields::get(&pairs, "action") == "submit";
    let expected = fields::get(&pairs, "version").parse::<i32>().unwrap_or(-1);
    let mut errors = Errors::default();
    let mut points = Vec::new();
    for (i, (t, cr)) in typed_points.iter().zip(&criteria).enumerate() {
        let p = if t.is_empty() {
            None
        } else {
            match t.parse::<u32>() {
                Ok(v) if v <= cr.max_points => Some(v),
                _ => {
                    errors.add(
                        format!("points-{}", i + 1),
                        ctx.t1("commission-error-points", "max", &cr.max_points.to_string()),
                    );
                    None
                }
            }
        };
        if submit_card && p.is_none() && errors.get(&format!("points-{}", i + 1)).is_none() {
            errors.add(
                format!("points-{}", i + 1),
                ctx.t1("commission-error-points-missing", "name", &cr.name),
            );
        }
        points.push(p);
    }
    let mut comments = Vec::new();
    for (i, t) in typed_comments.iter().enumerate() {
        match fields::clean(t, MAX_COMMENT) {
            Some(v) => comments.push(v),
            None => {
                errors.add(format!("comment-{}", i + 1), ctx.t("commission-error-comment"));
                comments.push(String::new());
            }
        }
    }
    if !errors.is_empty() {
        return render_card(&state, ctx, m, com, c, offer, CardTyped { card: Some((typed_points, typed_comments)), ..CardTyped::default() }, errors).await;
    }
    let txn = wspolnie_platform::db::begin_write(&state.platform.db.conn).await?;
    let input = CardInput {
        points,
        comments,
        submit: submit_card,
    };
    let saved = commission::save_card(&txn, &m, offer.id, &criteria, &input, expected, &actor(acc)).await?;
    let back = format!("/panel/komisje/{member_id}/oferty/{offer_id}");
    match saved {
        CardSaved::Stored(_) => {
            txn.commit().await?;
            Ok(redirect_with_flash(
                &state,
                &back,
                if submit_card { "flash-commission-card-submitted" } else { "flash-commission-card-saved" },
            ))
        }
        other => {
            drop(txn);
            let msg = match other {
                CardSaved::Conflict(_) => ctx.t("commission-error-conflict"),
                CardSaved::NotScoring => ctx.t("commission-error-not-scoring"),
                CardSaved::NotAllowed => ctx.t("commission-error-recused"),
                CardSaved::Incomplete(i) => ctx.t1(
                    "commission-error-points-missing",
                    "name",
                    criteria.get(i).map(|c| c.name.as_str()).unwrap_or(""),
                ),
                CardSaved::Stored(_) => String::new(),
            };
            render_card(&state, ctx, m, com, c, offer, CardTyped { card: Some((typed_points, typed_comments)), ..CardTyped::default() }, Errors::form("points-1", msg)).await
        }
    }
}

/// `POST /panel/komisje/{member}/oferty/{offer}/wylaczenie`: the member recuses from the offer.
pub async fn recuse(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path((member_id, offer_id)): Path<(i64, i64)>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let (m, com, c, offer) = card_context(&state, acc, member_id, offer_id).await?;
    let typed = fields::get(&pairs, "reason");
    let reason = fields::clean(&typed, MAX_REASON).filter(|r| r.chars().count() >= 5);
    let Some(reason) = reason else {
        let errors = Errors::form("reason", ctx.t("commission-error-reason"));
        let kept = CardTyped {
            reason: typed,
            ..CardTyped::default()
        };
        return render_card(&state, ctx, m, com, c, offer, kept, errors).await;
    };
    let txn = wspolnie_platform::db::begin_write(&state.platform.db.conn).await?;
    commission::recuse(&txn, &m, offer.id, Source::Declared, &reason, &actor(acc)).await?;
    txn.commit().await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/panel/komisje/{member_id}/oferty/{offer_id}"),
        "flash-commission-recused",
    ))
}

/// `POST /panel/konkursy/{id}/komisja/opinia`: the amounts the commission proposes.
pub async fn save_opinion(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let c = fields::call(&state, id).await?;
    let com = commission_of(&state, &c).await?;
    if com.status != Status::Opinion {
        return Ok(submit::redirect_with_error(
            &state,
            &format!("/panel/konkursy/{id}/komisja"),
            "flash-commission-opinion-closed",
        ));
    }
    let db = &state.platform.db.conn;
    let offers = commission::offers_to_score(db, c.id).await?;
    let typed: Vec<(i64, String, String)> = offers
        .iter()
        .map(|o| (o.id, fields::get(&pairs, &format!("amount-{}", o.id)), fields::get(&pairs, &format!("note-{}", o.id))))
        .collect();
    let mut errors = Errors::default();
    let mut lines = Vec::new();
    for (oid, amount, note) in &typed {
        let parsed = wspolnie_core::money::Money::parse_pl(amount).map(|m| m.grosze());
        let Some(g) = parsed.filter(|g| *g >= 0) else {
            errors.add(format!("amount-{oid}"), ctx.t("commission-error-amount"));
            continue;
        };
        let Some(note) = fields::clean(note, MAX_REASON) else {
            errors.add(format!("note-{oid}"), ctx.t("commission-error-note"));
            continue;
        };
        lines.push(commission::OpinionLine {
            offer_id: *oid,
            proposed: g,
            note,
        });
    }
    if errors.is_empty() {
        let txn = wspolnie_platform::db::begin_write(db).await?;
        match commission::save_opinion(&txn, com.id, &c, &lines, &actor(acc)).await? {
            Ok(()) => {
                txn.commit().await?;
                return Ok(redirect_with_flash(
                    &state,
                    &format!("/panel/konkursy/{id}/komisja"),
                    "flash-commission-opinion-saved",
                ));
            }
            Err(problems) => {
                drop(txn);
                for p in problems {
                    match p {
                        commission::OpinionProblem::Amount(oid) => {
                            let requested = offers
                                .iter()
                                .find(|o| o.id == oid)
                                .map(|o| Money(o.requested_grant).to_string())
                                .unwrap_or_default();
                            errors.add(
                                format!("amount-{oid}"),
                                ctx.t1("commission-error-above-requested", "requested", &requested),
                            )
                        }
                        commission::OpinionProblem::OverFunds(sum, funds) => {
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
                        commission::OpinionProblem::Missing(oid) => {
                            errors.add(format!("amount-{oid}"), ctx.t("commission-error-amount"))
                        }
                    }
                }
            }
        }
    }
    if errors.is_empty() {
        // The stage moved on while the form was open.
        return Ok(submit::redirect_with_error(
            &state,
            &format!("/panel/konkursy/{id}/komisja"),
            "flash-commission-opinion-closed",
        ));
    }
    render_office(&state, ctx, c, com, Typed { opinion: Some(typed), ..Typed::default() }, errors).await
}

/// `GET /panel/konkursy/{id}/komisja/protokol.pdf`: the protocol, once scoring has closed.
pub async fn protocol_pdf(State(state): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    let c = fields::call(&state, id).await?;
    let com = commission_of(&state, &c).await?;
    if !matches!(com.status, Status::Opinion | Status::Concluded) {
        return Err(AppError::NotFound);
    }
    let doc = crate::grants::protocol::document(&state.platform.db.conn, &c, &com).await?;
    let bytes = tokio::task::spawn_blocking(move || wspolnie_pdf::render_protocol(&doc))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("pdf task: {e}")))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!("pdf: {e}")))?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"protokol-komisji-{id}.pdf\""),
            ),
            (axum::http::header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
