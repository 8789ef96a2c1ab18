//! Requests for the reasons of a call's results (issue 18, item 5; art. 15 ust. 2j UDPP): anyone
//! may ask, about the results as a whole or one offer, from the decided call's page; the office
//! answers on `/panel/konkursy/{id}/uzasadnienia`, the answer is e-mailed and both are recorded.

use crate::accounts::web::ClientIp;
use crate::admin::web::actor;
use crate::grants::entity::grant_call::{self, Status};
use crate::grants::fields;
use crate::grants::entity::grant_decision_line as line;
use crate::grants::entity::grant_offer;
use crate::grants::entity::grant_reason_request as request;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use wspolnie_platform::i18n::Lang;
use wspolnie_platform::mail::{MailJob, enqueue_mail};
use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::ctx::{PageCtx, redirect_with_flash};
use wspolnie_web::errors::{AppError, AppResult};
use wspolnie_web::fmt;
use wspolnie_web::forms::{Errors, HtmlForm};

/// Requests per address and hour.
const LIMIT_PER_HOUR: u64 = 5;

/// The decided call's offers one may ask about: (offer id, title).
async fn decided_offers(state: &AppState, call_id: i64) -> AppResult<Vec<(i64, String)>> {
    let db = &state.platform.db.conn;
    let ids: Vec<i64> = line::Entity::find()
        .filter(line::Column::CallId.eq(call_id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.offer_id)
        .collect();
    Ok(grant_offer::Entity::find()
        .filter(grant_offer::Column::Id.is_in(ids))
        .order_by_asc(grant_offer::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.title))
        .collect())
}

async fn decided_call(state: &AppState, slug: &str) -> AppResult<grant_call::Model> {
    crate::grants::public::public_call(&state.platform.db.conn, slug)
        .await?
        .filter(|c| c.status == Status::Decided)
        .ok_or(AppError::NotFound)
}

/// The request as typed.
#[derive(Debug, Clone, Default)]
pub struct RequestForm {
    pub name: String,
    pub email: String,
    pub offer: String,
    pub question: String,
}

#[derive(Template)]
#[template(path = "grants/templates/public/reasons.html")]
struct RequestPage {
    ctx: PageCtx,
    c: grant_call::Model,
    offers: Vec<(i64, String)>,
    form: RequestForm,
    errors: Errors,
}

/// `GET /konkursy/{slug}/uzasadnienie`: the form.
pub async fn form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let c = decided_call(&state, &slug).await?;
    let page = RequestPage {
        offers: decided_offers(&state, c.id).await?,
        form: RequestForm::default(),
        errors: Errors::default(),
        ctx,
        c,
    };
    Ok(Html(page.render()?).into_response())
}

/// `POST /konkursy/{slug}/uzasadnienie`: records the request.
pub async fn ask(
    State(state): State<AppState>,
    ctx: PageCtx,
    ClientIp(ip): ClientIp,
    Path(slug): Path<String>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let c = decided_call(&state, &slug).await?;
    let offers = decided_offers(&state, c.id).await?;
    let f = RequestForm {
        name: fields::get(&pairs, "name"),
        email: fields::get(&pairs, "email"),
        offer: fields::get(&pairs, "offer"),
        question: fields::get(&pairs, "question"),
    };
    let mut errors = Errors::default();
    let name = fields::clean(&f.name, 200).filter(|n| !n.is_empty());
    if name.is_none() {
        errors.add("name", ctx.t("reasons-error-name"));
    }
    let email = crate::accounts::model::normalize_email(&f.email);
    if email.is_none() {
        errors.add("email", ctx.t("reasons-error-email"));
    }
    let offer = if f.offer.is_empty() {
        Some(None)
    } else {
        f.offer
            .parse::<i64>()
            .ok()
            .filter(|id| offers.iter().any(|(o, _)| o == id))
            .map(Some)
    };
    if offer.is_none() {
        errors.add("offer", ctx.t("reasons-error-offer"));
    }
    let question = fields::clean(&f.question, 4000).filter(|q| q.chars().count() >= 10);
    if question.is_none() {
        errors.add("question", ctx.t("reasons-error-question"));
    }
    let db = &state.platform.db.conn;
    if errors.is_empty()
        && !wspolnie_platform::auth::throttle_hit(
            db,
            &format!("reasons:ip:{ip}"),
            LIMIT_PER_HOUR,
            chrono::Duration::hours(1),
        )
        .await?
    {
        errors.add("question", ctx.t("reasons-error-too-many"));
    }
    let (Some(name), Some(email), Some(offer), Some(question)) = (name, email, offer, question)
    else {
        return render_form(ctx, c, offers, f, errors);
    };
    if !errors.is_empty() {
        return render_form(ctx, c, offers, f, errors);
    }
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let row = request::ActiveModel {
        call_id: Set(c.id),
        offer_id: Set(offer),
        name: Set(name),
        email: Set(email.clone()),
        question: Set(question),
        created_at: Set(Utc::now()),
        answer: Set(String::new()),
        answered_by: Set(None),
        answered_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    wspolnie_platform::audit::record(
        &txn,
        &wspolnie_platform::audit::Actor {
            user_id: None,
            label: email,
            ip: ip.to_string(),
        },
        "grant_call.reasons_request",
        "grant_call",
        c.id,
        None::<&()>,
        Some(&serde_json::json!({ "request": row.id, "offer": offer })),
    )
    .await?;
    txn.commit().await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/konkursy/{}", c.slug),
        "flash-reasons-requested",
    ))
}

fn render_form(
    ctx: PageCtx,
    c: grant_call::Model,
    offers: Vec<(i64, String)>,
    form: RequestForm,
    mut errors: Errors,
) -> AppResult<Response> {
    errors.order(&["name", "email", "offer", "question"]);
    let page = RequestPage {
        ctx,
        c,
        offers,
        form,
        errors,
    };
    Ok(Html(page.render()?).into_response())
}

// ---------------------------------------------------------------------------------------------
// The office's page.

pub struct RequestRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub offer: String,
    pub question: String,
    pub when: String,
    pub answer: String,
    pub answered: String,
    /// What the office typed into this request's answer when it came back with an error.
    pub draft: String,
}

#[derive(Template)]
#[template(path = "grants/templates/admin/reasons.html")]
struct OfficePage {
    ctx: PageCtx,
    c: grant_call::Model,
    rows: Vec<RequestRow>,
    errors: Errors,
}

async fn render_office(
    state: &AppState,
    ctx: PageCtx,
    c: grant_call::Model,
    typed: Option<(i64, String)>,
    errors: Errors,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let offers = decided_offers(state, c.id).await?;
    let rows = request::Entity::find()
        .filter(request::Column::CallId.eq(c.id))
        .order_by_asc(request::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|r| RequestRow {
            id: r.id,
            name: r.name,
            email: r.email,
            offer: r
                .offer_id
                .and_then(|o| offers.iter().find(|(id, _)| *id == o))
                .map(|(_, t)| t.clone())
                .unwrap_or_else(|| ctx.t("reasons-whole-call")),
            question: r.question,
            when: fmt::datetime(ctx.lang, r.created_at),
            answered: r.answered_at.map(|t| fmt::datetime(ctx.lang, t)).unwrap_or_default(),
            draft: typed
                .as_ref()
                .filter(|(tid, _)| *tid == r.id)
                .map(|(_, a)| a.clone())
                .unwrap_or_default(),
            answer: r.answer,
        })
        .collect();
    let page = OfficePage {
        ctx,
        c,
        rows,
        errors,
    };
    Ok(Html(page.render()?).into_response())
}

/// `GET /panel/konkursy/{id}/uzasadnienia`.
pub async fn office(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let c = fields::call(&state, id).await?;
    render_office(&state, ctx, c, None, Errors::default()).await
}

/// `POST /panel/konkursy/{id}/uzasadnienia/{r}`: the answer, e-mailed to the person who asked.
pub async fn answer(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path((id, r)): Path<(i64, i64)>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let c = fields::call(&state, id).await?;
    let db = &state.platform.db.conn;
    let req = request::Entity::find_by_id(r)
        .filter(request::Column::CallId.eq(c.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let typed = fields::get(&pairs, "answer");
    let Some(text) = fields::clean(&typed, 8000).filter(|t| t.chars().count() >= 10) else {
        let errors = Errors::form(format!("answer-{r}"), ctx.t("reasons-error-answer"));
        return render_office(&state, ctx, c, Some((r, typed)), errors).await;
    };
    let now = Utc::now();
    let txn = wspolnie_platform::db::begin_write(db).await?;
    request::Entity::update_many()
        .col_expr(request::Column::Answer, Expr::value(text.clone()))
        .col_expr(request::Column::AnsweredBy, Expr::value(acc.user.id))
        .col_expr(request::Column::AnsweredAt, Expr::value(now))
        .filter(request::Column::Id.eq(req.id))
        .exec(&txn)
        .await?;
    wspolnie_platform::audit::record(
        &txn,
        &actor(acc),
        "grant_call.reasons_answer",
        "grant_call",
        c.id,
        Some(&serde_json::json!({ "request": req.id, "answer": req.answer })),
        Some(&serde_json::json!({ "request": req.id, "answer": text })),
    )
    .await?;
    let vars = serde_json::json!({
        "call": c.title,
        "question": req.question,
        "answer": text,
        "link": format!(
            "{}/konkursy/{}",
            state.platform.config.server.public_url.trim_end_matches('/'),
            c.slug
        ),
    });
    enqueue_mail(
        &txn,
        MailJob {
            to: req.email.clone(),
            template: "grant_reasons_answer".into(),
            lang: Lang::Pl,
            vars: vars.as_object().cloned().unwrap_or_default(),
        },
        Some(format!("grant-reasons-answer:{}:{}", req.id, now.timestamp())),
    )
    .await?;
    txn.commit().await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/panel/konkursy/{id}/uzasadnienia"),
        "flash-reasons-answered",
    ))
}
