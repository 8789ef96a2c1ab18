//! The formal check (item 7 of issue 17), for officials of the grants scope: the offers received
//! in a call, and per offer the call's checklist ticked yes/no, the result (complete, deficient,
//! rejected) with the deficiencies, and for a deficient offer the sections the organisation may
//! correct until a deadline counted the KPA way. One correction round; each step audited and
//! e-mailed to the organisation.

use crate::admin::web::actor;
use crate::directory::entity::organization;
use crate::grants::entity::grant_call;
use crate::grants::entity::grant_formal_check::{self as check, FormalResult};
use crate::grants::entity::grant_offer::{self, Status};
use crate::grants::entity::grant_offer_version as version;
use crate::grants::model::{self as calls, lines};
use crate::grants::offer::Section;
use crate::grants::submit::{self, Frozen, section_name, when};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use wspolnie_core::money::Money;
use wspolnie_platform::audit;
use wspolnie_platform::i18n::Lang;
use wspolnie_platform::mail::{MailJob, enqueue_mail};
use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::{AppError, AppResult};
use wspolnie_web::fmt;
use wspolnie_web::forms::{Errors, HtmlForm};

/// Statuses waiting for the formal check.
pub const WAITING: [Status; 2] = [Status::Submitted, Status::Corrected];


/// Whether the call's offers may be checked now: its deadline has passed.
pub fn checkable(call: &grant_call::Model, now: DateTime<Utc>) -> bool {
    now > call.offer_deadline
        && !matches!(
            call.status,
            grant_call::Status::Draft | grant_call::Status::Annulled
        )
}

/// Panel count for officials: offers submitted or corrected in calls past their deadline,
/// waiting for the formal check.
pub fn waiting_count<'a>(
    state: &'a wspolnie_web::AppState,
    _: &'a wspolnie_web::policy::Account,
) -> wspolnie_web::ctx::CountFuture<'a> {
    Box::pin(async move {
        let db = &state.platform.db.conn;
        let now = Utc::now();
        let due: Vec<i64> = grant_call::Entity::find()
            .select_only()
            .column(grant_call::Column::Id)
            .filter(grant_call::Column::Status.is_in([
                grant_call::Status::Open,
                grant_call::Status::Announced,
                grant_call::Status::Closed,
                grant_call::Status::InEvaluation,
            ]))
            .filter(grant_call::Column::OfferDeadline.lt(now))
            .filter(grant_call::Column::Kind.eq(grant_call::Kind::Open))
            .into_tuple()
            .all(db)
            .await?;
        if due.is_empty() {
            return Ok(Some(0));
        }
        Ok(Some(
            grant_offer::Entity::find()
                .filter(grant_offer::Column::CallId.is_in(due))
                .filter(grant_offer::Column::Status.is_in(WAITING))
                .count(db)
                .await?,
        ))
    })
}

async fn call_of(state: &AppState, id: i64) -> AppResult<grant_call::Model> {
    grant_call::Entity::find_by_id(id)
        .one(&state.platform.db.conn)
        .await?
        .ok_or(AppError::NotFound)
}

pub struct Row {
    pub id: i64,
    pub organization: String,
    pub title: String,
    pub grant: String,
    pub version: i32,
    pub submitted: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "grants/templates/admin/formal_list.html")]
struct ListPage {
    ctx: PageCtx,
    c: grant_call::Model,
    rows: Vec<Row>,
    checkable: bool,
    deadline: String,
}

/// `GET /panel/konkursy/{id}/oferty`: the offers received in the call.
pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let c = call_of(&state, id).await?;
    let db = &state.platform.db.conn;
    let offers = grant_offer::Entity::find()
        .filter(grant_offer::Column::CallId.eq(c.id))
        .filter(grant_offer::Column::Status.ne(Status::Draft))
        .order_by_asc(grant_offer::Column::SubmittedAt)
        .order_by_asc(grant_offer::Column::Id)
        .all(db)
        .await?;
    let org_ids: Vec<i64> = offers.iter().map(|o| o.organization_id).collect();
    let orgs = organization::Entity::find()
        .filter(organization::Column::Id.is_in(org_ids))
        .all(db)
        .await?;
    let rows = offers
        .into_iter()
        .map(|o| Row {
            organization: orgs
                .iter()
                .find(|g| g.id == o.organization_id)
                .map(|g| g.name.clone())
                .unwrap_or_default(),
            grant: Money(o.requested_grant).to_string(),
            version: o.current_version,
            submitted: o
                .submitted_at
                .map(|t| fmt::datetime(ctx.lang, t))
                .unwrap_or_default(),
            status: ctx.t(&o.status.label_key()),
            title: o.title,
            id: o.id,
        })
        .collect();
    let page = ListPage {
        checkable: checkable(&c, Utc::now()),
        deadline: when(ctx.lang, c.offer_deadline),
        ctx,
        c,
        rows,
    };
    Ok(Html(page.render()?).into_response())
}

/// One item of the checklist as ticked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub item: String,
    pub ok: bool,
}

/// A checklist item on the form: its number, text and answer so far.
pub struct ItemField {
    pub n: usize,
    pub text: String,
    /// "yes", "no" or "" (not answered).
    pub answer: String,
}

pub struct SectionChoice {
    pub code: &'static str,
    pub label: String,
    pub checked: bool,
}

/// An earlier round of the check, as shown.
pub struct Round {
    pub round: i32,
    pub result: String,
    pub when: String,
    pub deficiencies: String,
    pub sections: String,
    pub deadline: String,
    pub items: Vec<Item>,
}

/// The form as typed.
#[derive(Debug, Clone, Default)]
pub struct FormalForm {
    pub answers: Vec<String>,
    pub result: String,
    pub deficiencies: String,
    pub sections: Vec<String>,
}

impl FormalForm {
    fn from_pairs(pairs: &[(String, String)], items: usize) -> FormalForm {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        FormalForm {
            answers: (1..=items).map(|n| get(&format!("item-{n}"))).collect(),
            result: get("result"),
            deficiencies: get("deficiencies").trim().to_owned(),
            sections: pairs
                .iter()
                .filter(|(n, _)| n == "sections")
                .map(|(_, v)| v.clone())
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "grants/templates/admin/formal_check.html")]
struct CheckPage {
    ctx: PageCtx,
    c: grant_call::Model,
    offer: grant_offer::Model,
    organization: String,
    grant: String,
    submitted: String,
    status: String,
    rounds: Vec<Round>,
    open: bool,
    second_round: bool,
    items: Vec<ItemField>,
    form: FormalForm,
    sections: Vec<SectionChoice>,
    correction_days: i32,
    /// The offer's attachments: (file id, file name, the required attachment it is, if any).
    files: Vec<(i64, String, String)>,
    errors: Errors,
}

async fn render_check(
    state: &AppState,
    ctx: PageCtx,
    c: grant_call::Model,
    offer: grant_offer::Model,
    form: FormalForm,
    mut errors: Errors,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let organization = organization::Entity::find_by_id(offer.organization_id)
        .one(db)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let past = check::Entity::find()
        .filter(check::Column::OfferId.eq(offer.id))
        .order_by_asc(check::Column::Round)
        .all(db)
        .await?;
    let rounds = past
        .iter()
        .map(|r| Round {
            round: r.round,
            result: ctx.t(&format!("formal-result-{}", r.result.as_str())),
            when: when(ctx.lang, r.checked_at),
            deficiencies: r.deficiencies.clone(),
            sections: r
                .sections
                .split(',')
                .filter_map(Section::parse)
                .map(|s| section_name(ctx.lang, s))
                .collect::<Vec<_>>()
                .join(", "),
            deadline: r.deadline.map(|d| when(ctx.lang, d)).unwrap_or_default(),
            items: serde_json::from_str(&r.checklist).unwrap_or_default(),
        })
        .collect();
    let files = crate::grants::entity::grant_offer_file::Entity::find()
        .filter(crate::grants::entity::grant_offer_file::Column::OfferId.eq(offer.id))
        .order_by_asc(crate::grants::entity::grant_offer_file::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f.file_name, f.attachment))
        .collect();
    let now = Utc::now();
    let open = WAITING.contains(&offer.status) && checkable(&c, now);
    let checklist = lines(&c.formal_checklist);
    let items: Vec<ItemField> = checklist
        .iter()
        .enumerate()
        .map(|(i, text)| ItemField {
            n: i + 1,
            text: text.clone(),
            answer: form.answers.get(i).cloned().unwrap_or_default(),
        })
        .collect();
    let sections = Section::ALL
        .iter()
        .map(|s| SectionChoice {
            code: s.code(),
            label: section_name(ctx.lang, *s),
            checked: form.sections.iter().any(|x| x == s.code()),
        })
        .collect();
    let mut order: Vec<String> = (1..=items.len()).map(|n| format!("item-{n}")).collect();
    order.extend(["result", "deficiencies", "sections"].map(String::from));
    errors.order(&order.iter().map(String::as_str).collect::<Vec<_>>());
    let page = CheckPage {
        grant: Money(offer.requested_grant).to_string(),
        submitted: offer
            .submitted_at
            .map(|t| when(ctx.lang, t))
            .unwrap_or_default(),
        status: ctx.t(&offer.status.label_key()),
        second_round: offer.status == Status::Corrected || !past.is_empty(),
        correction_days: c.correction_days,
        files,
        organization,
        rounds,
        open,
        items,
        form,
        sections,
        errors,
        ctx,
        c,
        offer,
    };
    Ok(Html(page.render()?).into_response())
}

async fn offer_in(state: &AppState, call: i64, offer: i64) -> AppResult<grant_offer::Model> {
    grant_offer::Entity::find_by_id(offer)
        .filter(grant_offer::Column::CallId.eq(call))
        .one(&state.platform.db.conn)
        .await?
        .filter(|o| o.status != Status::Draft)
        .ok_or(AppError::NotFound)
}

/// `GET /panel/konkursy/{id}/oferty/{offer}`: the offer's formal check.
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, offer)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let c = call_of(&state, id).await?;
    let o = offer_in(&state, id, offer).await?;
    render_check(&state, ctx, c, o, FormalForm::default(), Errors::default()).await
}

/// The check's end of a correction: `days` counted from today the KPA way, to the end of that
/// Warsaw day.
pub fn correction_deadline(now: DateTime<Utc>, days: i32) -> DateTime<Utc> {
    let day = wspolnie_core::time::deadline_after(calls::warsaw_day(now), i64::from(days.max(1)));
    day.and_hms_opt(23, 59, 59)
        .and_then(wspolnie_core::time::local_to_utc)
        .unwrap_or(now + chrono::Duration::days(i64::from(days.max(1))))
}

/// `POST /panel/konkursy/{id}/oferty/{offer}`: records one round of the check.
pub async fn record(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path((id, offer_id)): Path<(i64, i64)>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let c = call_of(&state, id).await?;
    let offer = offer_in(&state, id, offer_id).await?;
    let checklist = lines(&c.formal_checklist);
    let form = FormalForm::from_pairs(&pairs, checklist.len());
    let now = Utc::now();
    if !WAITING.contains(&offer.status) || !checkable(&c, now) {
        return Err(AppError::Forbidden);
    }
    let second = offer.status == Status::Corrected;
    let mut errors = Errors::default();
    for (i, a) in form.answers.iter().enumerate() {
        if a != "yes" && a != "no" {
            errors.add(
                format!("item-{}", i + 1),
                ctx.t1("formal-error-item", "title", &checklist[i]),
            );
        }
    }
    let result = FormalResult::parse(&form.result);
    match result {
        None => errors.add("result", ctx.t("formal-error-result")),
        Some(FormalResult::Deficient) if second => {
            errors.add("result", ctx.t("formal-error-second-round"))
        }
        Some(FormalResult::Complete) if form.answers.iter().any(|a| a == "no") => {
            errors.add("result", ctx.t("formal-error-complete-with-no"))
        }
        _ => {}
    }
    let mut fe = calls::FieldErrors::new();
    crate::grants::limits::FORMAL.check_into(&mut fe, &[("deficiencies", &form.deficiencies)]);
    if let Some((f, key)) = fe.into_iter().next() {
        errors.add(
            "deficiencies",
            wspolnie_web::forms::message(&ctx, &crate::grants::limits::FORMAL, &f, key),
        );
    } else if matches!(
        result,
        Some(FormalResult::Deficient | FormalResult::Rejected)
    ) && form.deficiencies.chars().count() < 5
    {
        errors.add("deficiencies", ctx.t("formal-error-deficiencies"));
    }
    let sections: Vec<Section> = form
        .sections
        .iter()
        .filter_map(|s| Section::parse(s))
        .collect();
    if result == Some(FormalResult::Deficient) && sections.is_empty() {
        errors.add("sections", ctx.t("formal-error-sections"));
    }
    if !errors.is_empty() {
        return render_check(&state, ctx, c, offer, form, errors).await;
    }
    let Some(result) = result else {
        return Err(AppError::BadRequest);
    };
    let to = match result {
        FormalResult::Complete => Status::Complete,
        FormalResult::Deficient => Status::InCorrection,
        FormalResult::Rejected => Status::Rejected,
    };
    let org = organization::Entity::find_by_id(offer.organization_id)
        .one(&state.platform.db.conn)
        .await?;
    let public_url = state.platform.config.server.public_url.clone();
    let items: Vec<Item> = checklist
        .iter()
        .zip(&form.answers)
        .map(|(t, a)| Item {
            item: t.clone(),
            ok: a == "yes",
        })
        .collect();

    let txn = wspolnie_platform::db::begin_write(&state.platform.db.conn).await?;
    let Some(offer) = grant_offer::Entity::find_by_id(offer_id)
        .lock_exclusive()
        .one(&txn)
        .await?
    else {
        return Err(AppError::NotFound);
    };
    if !WAITING.contains(&offer.status) || !grant_offer::allowed(offer.status, to) {
        drop(txn);
        return Ok(wspolnie_web::ctx::redirect_with_flash(
            &state,
            &format!("/panel/konkursy/{id}/oferty/{offer_id}"),
            "flash-formal-already",
        ));
    }
    let round = check::Entity::find()
        .filter(check::Column::OfferId.eq(offer.id))
        .count(&txn)
        .await? as i32
        + 1;
    let deadline = (to == Status::InCorrection).then(|| correction_deadline(now, c.correction_days));
    let codes = sections.iter().map(|s| s.code()).collect::<Vec<_>>().join(",");
    check::ActiveModel {
        offer_id: Set(offer.id),
        round: Set(round),
        result: Set(result),
        checklist: Set(serde_json::to_string(&items).unwrap_or_else(|_| "[]".into())),
        deficiencies: Set(form.deficiencies.clone()),
        sections: Set(if to == Status::InCorrection { codes.clone() } else { String::new() }),
        deadline: Set(deadline),
        checked_by: Set(Some(acc.user.id)),
        checked_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    grant_offer::Entity::update_many()
        .col_expr(grant_offer::Column::Status, Expr::value(to))
        .col_expr(grant_offer::Column::CorrectionDeadline, Expr::value(deadline))
        .col_expr(
            grant_offer::Column::CorrectionSections,
            Expr::value(if to == Status::InCorrection { codes.clone() } else { String::new() }),
        )
        .col_expr(grant_offer::Column::UpdatedAt, Expr::value(now))
        .filter(grant_offer::Column::Id.eq(offer.id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        &actor(acc),
        &format!("grant_offer.formal_{}", result.as_str()),
        "grant_offer",
        offer.id,
        Some(&serde_json::json!({ "status": offer.status.as_str() })),
        Some(&serde_json::json!({
            "status": to.as_str(), "round": round, "checklist": items,
            "deficiencies": form.deficiencies, "sections": codes,
            "deadline": deadline,
        })),
    )
    .await?;
    notify(
        &txn,
        &offer,
        &c,
        org.as_ref(),
        result,
        &form.deficiencies,
        &sections,
        deadline,
        &public_url,
    )
    .await?;
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        &format!("/panel/konkursy/{id}/oferty"),
        "flash-formal-recorded",
    ))
}

/// The addresses of the organisation for an offer: its directory address and the contact person
/// named in the submitted version (once each).
pub async fn addresses<C: ConnectionTrait>(
    db: &C,
    offer: &grant_offer::Model,
    org: Option<&organization::Model>,
) -> Result<Vec<String>, DbErr> {
    let mut out: Vec<String> = Vec::new();
    if let Some(e) = org.and_then(|o| o.email.clone()) {
        out.push(e.trim().to_owned());
    }
    if let Some(v) = version::Entity::find()
        .filter(version::Column::OfferId.eq(offer.id))
        .filter(version::Column::Version.eq(offer.current_version))
        .one(db)
        .await?
    {
        let contact = Frozen::parse(&v.content).content.offerors.contact_email;
        out.push(contact.trim().to_owned());
    }
    let mut seen = Vec::new();
    out.retain(|e| {
        let k = e.to_lowercase();
        let keep = e.contains('@') && !seen.contains(&k);
        seen.push(k);
        keep
    });
    Ok(out)
}

/// Queues one e-mail (Polish, the office's language) to each of the offer's addresses
/// (`addresses`), keyed `{key}:{n}` so a retried transaction sends nothing twice.
pub async fn mail_offeror<C: ConnectionTrait>(
    db: &C,
    offer: &grant_offer::Model,
    template: &str,
    vars: serde_json::Value,
    key: &str,
) -> Result<(), DbErr> {
    let org = organization::Entity::find_by_id(offer.organization_id).one(db).await?;
    let vars = vars.as_object().cloned().unwrap_or_default();
    for (i, to) in addresses(db, offer, org.as_ref()).await?.into_iter().enumerate() {
        wspolnie_platform::mail::enqueue_mail(
            db,
            wspolnie_platform::mail::MailJob {
                to,
                template: template.to_owned(),
                lang: Lang::Pl,
                vars: vars.clone(),
            },
            Some(format!("{key}:{i}")),
        )
        .await?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn notify<C: ConnectionTrait>(
    db: &C,
    offer: &grant_offer::Model,
    c: &grant_call::Model,
    org: Option<&organization::Model>,
    result: FormalResult,
    deficiencies: &str,
    sections: &[Section],
    deadline: Option<DateTime<Utc>>,
    public_url: &str,
) -> Result<(), DbErr> {
    let lang = Lang::Pl;
    for (i, to) in addresses(db, offer, org).await?.into_iter().enumerate() {
        let vars = serde_json::json!({
            "result": result.as_str(),
            "call": c.title,
            "offer": offer.title,
            "organization": org.map(|o| o.name.clone()).unwrap_or_default(),
            "deficiencies": deficiencies,
            "sections": sections.iter().map(|s| submit::section_name(lang, *s)).collect::<Vec<_>>().join(", "),
            "deadline": deadline.map(|d| when(lang, d)).unwrap_or_default(),
            "link": format!("{public_url}/panel/oferty/{}", offer.id),
        });
        enqueue_mail(
            db,
            MailJob {
                to,
                template: "grant_offer_formal".into(),
                lang,
                vars: vars.as_object().cloned().unwrap_or_default(),
            },
            Some(format!(
                "grant-offer-formal:{}:{}:{}:{i}",
                offer.id,
                result.as_str(),
                offer.current_version
            )),
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_correction_deadline_ends_a_working_day_in_warsaw() {
        // Friday 4 Dec 2026 + 7 days = Friday 11 Dec, 23:59:59 Warsaw = 22:59:59 UTC.
        let now = Utc.with_ymd_and_hms(2026, 12, 4, 10, 0, 0).single().expect("t");
        assert_eq!(
            correction_deadline(now, 7),
            Utc.with_ymd_and_hms(2026, 12, 11, 22, 59, 59).single().expect("t")
        );
        // Saturday 5 Dec + 7 = Saturday 12 Dec → Monday 14 Dec.
        let now = Utc.with_ymd_and_hms(2026, 12, 5, 10, 0, 0).single().expect("t");
        assert_eq!(
            correction_deadline(now, 7),
            Utc.with_ymd_and_hms(2026, 12, 14, 22, 59, 59).single().expect("t")
        );
    }

    #[test]
    fn the_form_reads_answers_by_number() {
        let pairs = vec![
            ("item-2".to_owned(), "no".to_owned()),
            ("item-1".to_owned(), "yes".to_owned()),
            ("result".to_owned(), "deficient".to_owned()),
            ("sections".to_owned(), "koszty".to_owned()),
            ("sections".to_owned(), "zrodla".to_owned()),
        ];
        let f = FormalForm::from_pairs(&pairs, 3);
        assert_eq!(f.answers, vec!["yes", "no", ""]);
        assert_eq!(f.sections, vec!["koszty", "zrodla"]);
    }
}
