//! The pages of a reduced grant's update (issue 18, item 6): the office compares the updated
//! version with the offer the decision was made on and accepts or returns it; the organisation
//! may decline the reduced grant. The store is `reduced.rs`.

use crate::admin::web::actor;
use crate::grants::entity::grant_call;
use crate::grants::entity::grant_offer::{self, Status};
use crate::grants::fields;
use crate::grants::offer::{OfferContent, percent_pl};
use crate::grants::offers::{ReadableLine, raw_of, readable};
use crate::grants::reduced::{self, Review, ReviewError};
use crate::grants::rules::UPDATE_SECTIONS as SECTIONS;
use crate::grants::submit::section_name;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use wspolnie_core::money::Money;
use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::ctx::{PageCtx, redirect_with_flash};
use wspolnie_web::errors::{AppError, AppResult};
use wspolnie_web::fmt;
use wspolnie_web::forms::{Errors, HtmlForm};

/// One line of the comparison: a field, its value in the offer and in the update.
pub struct DiffLine {
    pub label: String,
    pub before: String,
    pub after: String,
    pub changed: bool,
}

/// One section of the comparison.
pub struct DiffSection {
    pub name: String,
    pub lines: Vec<DiffLine>,
    pub changes: usize,
}

/// Pairs two sections' readable lines by their label, in the update's order, then the lines
/// only the offer had.
pub fn diff(before: Vec<ReadableLine>, after: Vec<ReadableLine>) -> Vec<DiffLine> {
    let mut out: Vec<DiffLine> = after
        .iter()
        .map(|a| {
            let b = before
                .iter()
                .find(|b| b.label == a.label)
                .map(|b| b.value.clone())
                .unwrap_or_default();
            DiffLine {
                changed: b != a.value,
                label: a.label.clone(),
                before: b,
                after: a.value.clone(),
            }
        })
        .collect();
    for b in before {
        if !after.iter().any(|a| a.label == b.label) {
            out.push(DiffLine {
                label: b.label,
                before: b.value,
                after: String::new(),
                changed: true,
            });
        }
    }
    out
}

fn sections_diff(ctx: &PageCtx, base: &OfferContent, new: &OfferContent) -> Vec<DiffSection> {
    SECTIONS
        .iter()
        .map(|s| {
            let lines = diff(
                readable(ctx, &raw_of(*s, base), base),
                readable(ctx, &raw_of(*s, new), new),
            );
            DiffSection {
                name: format!("{}. {}", s.number(), section_name(ctx.lang, *s)),
                changes: lines.iter().filter(|l| l.changed).count(),
                lines,
            }
        })
        .collect()
}

/// A figure before and after.
pub struct Figure {
    pub label: String,
    pub before: String,
    pub after: String,
}

#[derive(Template)]
#[template(path = "grants/templates/admin/update_review.html")]
struct ReviewPage {
    ctx: PageCtx,
    c: grant_call::Model,
    o: grant_offer::Model,
    status: String,
    granted: String,
    deadline: String,
    rounds: i32,
    waiting: bool,
    share_rule: bool,
    figures: Vec<Figure>,
    sections: Vec<DiffSection>,
    note: String,
    days: String,
    errors: Errors,
}

async fn offer_of(state: &AppState, call: i64, offer: i64) -> AppResult<(grant_call::Model, grant_offer::Model)> {
    let c = fields::call(state, call).await?;
    let o = grant_offer::Entity::find_by_id(offer)
        .filter(grant_offer::Column::CallId.eq(call))
        .one(&state.platform.db.conn)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((c, o))
}

async fn render(
    state: &AppState,
    ctx: PageCtx,
    c: grant_call::Model,
    o: grant_offer::Model,
    (note, days): (String, String),
    errors: Errors,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let task = crate::grants::store::update_task(db, o.id).await?.ok_or(AppError::NotFound)?;
    let base = reduced::version_content(db, o.id, task.base_version).await?.unwrap_or_default();
    let new = if o.current_version > task.base_version {
        reduced::version_content(db, o.id, o.current_version).await?.unwrap_or_default()
    } else {
        base.clone()
    };
    let (tb, tn) = (base.totals(), new.totals());
    let figures = vec![
        Figure {
            label: ctx.t("update-figure-total"),
            before: Money(tb.total).to_string(),
            after: Money(tn.total).to_string(),
        },
        Figure {
            label: ctx.t("update-figure-grant"),
            before: Money(base.funding.grant).to_string(),
            after: Money(new.funding.grant).to_string(),
        },
        Figure {
            label: ctx.t("update-figure-share"),
            before: percent_pl(tb.grant_bp),
            after: percent_pl(tn.grant_bp),
        },
        Figure {
            label: ctx.t("update-figure-own"),
            before: Money(tb.own).to_string(),
            after: Money(tn.own).to_string(),
        },
    ];
    let share_rule = task.max_grant_bp.is_some();
    let com_days = crate::grants::entity::grant_commission::Entity::find()
        .filter(crate::grants::entity::grant_commission::Column::CallId.eq(c.id))
        .one(db)
        .await?
        .map_or(10, |k| k.reduced_days);
    let page = ReviewPage {
        status: ctx.t(&o.status.label_key()),
        granted: Money(task.granted).to_string(),
        deadline: o.update_deadline.map(|d| fmt::datetime(ctx.lang, d)).unwrap_or_default(),
        rounds: task.rounds,
        waiting: o.status == Status::UpdateSubmitted,
        share_rule,
        sections: sections_diff(&ctx, &base, &new),
        figures,
        note: if note.is_empty() && errors.is_empty() { task.note } else { note },
        days: if days.is_empty() { com_days.to_string() } else { days },
        errors,
        ctx,
        c,
        o,
    };
    Ok(Html(page.render()?).into_response())
}

/// `GET /panel/konkursy/{id}/oferty/{offer}/aktualizacja`.
pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, offer)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let (c, o) = offer_of(&state, id, offer).await?;
    render(&state, ctx, c, o, Default::default(), Errors::default()).await
}

/// `POST /panel/konkursy/{id}/oferty/{offer}/aktualizacja`: `answer` = `accept` | `return`
/// (with `note` and `days`).
pub async fn save(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path((id, offer)): Path<(i64, i64)>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let (c, o) = offer_of(&state, id, offer).await?;
    let back = format!("/panel/konkursy/{id}/oferty/{offer}/aktualizacja");
    let raw_note = fields::get(&pairs, "note");
    let raw_days = fields::get(&pairs, "days");
    let answer = match fields::get(&pairs, "answer").as_str() {
        "accept" => Review::Accept,
        "return" => {
            let mut errors = Errors::default();
            let note = fields::clean(&raw_note, 4000).filter(|n| n.chars().count() >= 10);
            if note.is_none() {
                errors.add("note", ctx.t("update-error-note"));
            }
            let days = raw_days.parse::<i32>().ok().filter(|d| (1..=60).contains(d));
            if days.is_none() {
                errors.add("days", ctx.t("update-error-days"));
            }
            match (note, days) {
                (Some(note), Some(days)) => Review::Return { note, days },
                _ => {
                    errors.order(&["note", "days"]);
                    return render(&state, ctx, c, o, (raw_note, raw_days), errors).await;
                }
            }
        }
        _ => return Err(AppError::BadRequest),
    };
    let db = &state.platform.db.conn;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let public_url = state.platform.config.server.public_url.clone();
    match reduced::review(&txn, o.id, answer.clone(), &actor(acc), &public_url).await? {
        Ok(()) => {
            txn.commit().await?;
            let flash = if answer == Review::Accept { "flash-update-accepted" } else { "flash-update-returned" };
            Ok(redirect_with_flash(&state, &back, flash))
        }
        Err(ReviewError::NotWaiting) => {
            drop(txn);
            Ok(crate::grants::submit::redirect_with_error(&state, &back, "flash-update-not-waiting"))
        }
    }
}

/// `POST /panel/oferty/{id}/rezygnacja`: the organisation declines the reduced grant.
pub async fn decline(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let db = &state.platform.db.conn;
    let o = grant_offer::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    if !crate::grants::store::is_member(acc, &o) {
        return Err(AppError::NotFound);
    }
    let back = format!("/panel/oferty/{id}");
    if fields::get(&pairs, "confirm").is_empty() {
        return Ok(crate::grants::submit::redirect_with_error(&state, &back, "flash-update-confirm"));
    }
    let txn = wspolnie_platform::db::begin_write(db).await?;
    if reduced::decline(&txn, id, &actor(acc)).await? {
        txn.commit().await?;
        Ok(redirect_with_flash(&state, &back, "flash-update-declined"))
    } else {
        drop(txn);
        Ok(crate::grants::submit::redirect_with_error(&state, &back, "flash-update-not-open"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(label: &str, value: &str) -> ReadableLine {
        ReadableLine { label: label.into(), value: value.into() }
    }

    #[test]
    fn lines_pair_by_label_and_removed_lines_show() {
        let d = diff(
            vec![l("Koszt 1: Stawka", "100,00 zł"), l("Koszt 2: Rodzaj", "Sala"), l("Koszt 1: Rodzaj", "Trener")],
            vec![l("Koszt 1: Rodzaj", "Trener"), l("Koszt 1: Stawka", "80,00 zł")],
        );
        let got: Vec<(&str, &str, &str, bool)> =
            d.iter().map(|x| (x.label.as_str(), x.before.as_str(), x.after.as_str(), x.changed)).collect();
        assert_eq!(
            got,
            [
                ("Koszt 1: Rodzaj", "Trener", "Trener", false),
                ("Koszt 1: Stawka", "100,00 zł", "80,00 zł", true),
                ("Koszt 2: Rodzaj", "Sala", "", true),
            ]
        );
    }
}
