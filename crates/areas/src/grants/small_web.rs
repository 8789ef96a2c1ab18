//! The pages of small grants outside calls (art. 19a; issue 19, item 5): for the office the
//! registers and the offers with their publication deadlines, one offer's publication,
//! comments and decision; for everyone the published offers at `/male-granty/{id}` with the
//! comments let through, and the comment form (held for moderation, throttled per address).
//! The logic is in `small.rs` (limits, dates) and `small_store.rs` (the database).

use crate::accounts::web::ClientIp;
use crate::admin::web::actor;
use crate::directory::entity::organization;
use crate::grants::entity::grant_call::{self, Kind};
use crate::grants::entity::grant_decision_line as line;
use crate::grants::entity::grant_offer::{self, Status};
use crate::grants::entity::grant_offer_version as version;
use crate::grants::entity::grant_small_comment::Status as CommentStatus;
use crate::grants::entity::grant_small_offer as small_row;
use crate::grants::fields;
use crate::grants::model::warsaw_day;
use crate::grants::small;
use crate::grants::small_store::{self as store, Decision, NewComment, RegisterInput, Refused};
use crate::grants::submit::finish_write;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use wspolnie_core::money::Money;
use wspolnie_pdf::OfferBlock;
use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::ctx::{PageCtx, redirect_with_flash};
use wspolnie_web::errors::{AppError, AppResult};
use wspolnie_web::forms::{Errors, HtmlForm};

/// Comments one address may leave in an hour.
const COMMENTS_PER_HOUR: u64 = 5;

fn day(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

fn m(g: i64) -> String {
    Money(g).to_string()
}

// ---------------------------------------------------------------------------------------------
// The office: registers and offers.

pub struct RegisterRow {
    pub year: i32,
    pub funds: String,
    pub pool: String,
    pub used: String,
    pub left: String,
    pub accepts: bool,
}

pub struct OfferRow {
    pub id: i64,
    pub title: String,
    pub organization: String,
    pub received: String,
    pub publish_by: String,
    pub late: bool,
    pub status: String,
    pub comments_to: String,
    /// Submitted, waiting for its publication.
    pub waiting: bool,
}

/// The register form as typed.
#[derive(Default)]
pub struct RegisterForm {
    pub year: String,
    pub funds: String,
    pub contact_name: String,
    pub contact_email: String,
}

#[derive(Template)]
#[template(path = "grants/templates/panel/small_list.html")]
struct ListPage {
    ctx: PageCtx,
    registers: Vec<RegisterRow>,
    to_publish: Vec<OfferRow>,
    rest: Vec<OfferRow>,
    form: RegisterForm,
    errors: Errors,
}

async fn render_list(state: &AppState, ctx: PageCtx, form: RegisterForm, errors: Errors) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let now = Utc::now();
    let today = warsaw_day(now);
    let mut registers = Vec::new();
    for r in store::registers(db).await? {
        let s = store::standing(db, &r, 0, today).await?;
        let pool = small::pool(r.funds_available, s.limits.pool_share_bp);
        registers.push(RegisterRow {
            year: r.execution_from.year(),
            funds: m(r.funds_available),
            pool: m(pool),
            used: m(s.pool_used),
            left: m(s.left().pool),
            accepts: crate::grants::model::accepts_offers(&r, now),
        });
    }
    let offers = store::offers(db).await?;
    let orgs = fields::organization_names(db, offers.iter().map(|(o, _)| o.organization_id).collect()).await?;
    let (to_publish, rest): (Vec<OfferRow>, Vec<OfferRow>) = offers
        .iter()
        .map(|(o, r)| OfferRow {
            id: o.id,
            title: o.title.clone(),
            organization: orgs.get(&o.organization_id).cloned().unwrap_or_default(),
            received: day(r.received_on),
            publish_by: day(r.publish_by),
            late: o.status == Status::Submitted && r.publish_by < today,
            status: ctx.t(&o.status.label_key()),
            comments_to: r.comments_to.map(day).unwrap_or_default(),
            waiting: o.status == Status::Submitted,
        })
        .partition(|row| row.waiting);
    let form = if form.year.is_empty() {
        RegisterForm { year: today.year().to_string(), ..form }
    } else {
        form
    };
    Ok(Html(ListPage { ctx, registers, to_publish, rest, form, errors }.render()?).into_response())
}

/// `GET /panel/male-granty`.
pub async fn list(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    render_list(&state, ctx, RegisterForm::default(), Errors::default()).await
}

/// `POST /panel/male-granty`: opens a year's register.
pub async fn open_register(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let form = RegisterForm {
        year: fields::get(&pairs, "year"),
        funds: fields::get(&pairs, "funds"),
        contact_name: fields::get(&pairs, "contact_name"),
        contact_email: fields::get(&pairs, "contact_email"),
    };
    let this_year = warsaw_day(Utc::now()).year();
    let mut errors = Errors::default();
    let year = form.year.trim().parse::<i32>().ok().filter(|y| (this_year - 1..=this_year + 1).contains(y));
    if year.is_none() {
        errors.add("year", ctx.t("small-error-year"));
    }
    let funds = fields::parse_money(&form.funds).filter(|g| *g > 0 && *g <= 1_000_000_000_000);
    if funds.is_none() {
        errors.add("funds", ctx.t("small-error-funds"));
    }
    let name = fields::clean(&form.contact_name, 200).filter(|n| !n.is_empty());
    if name.is_none() {
        errors.add("contact_name", ctx.t("small-error-contact-name"));
    }
    let email = crate::accounts::model::normalize_email(&form.contact_email);
    if email.is_none() {
        errors.add("contact_email", ctx.t("small-error-contact-email"));
    }
    let (Some(year), Some(year_funds), Some(contact_name), Some(contact_email)) = (year, funds, name, email) else {
        return render_list(&state, ctx, form, errors).await;
    };
    let db = &state.platform.db.conn;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let input = RegisterInput { year, year_funds, contact_name, contact_email };
    match store::open_register(&txn, &input, &actor(acc)).await? {
        Ok(_) => {
            txn.commit().await?;
            Ok(redirect_with_flash(&state, "/panel/male-granty", "flash-small-register-opened"))
        }
        Err(_) => {
            drop(txn);
            let errors = Errors::form("year", ctx.t("small-error-year-exists"));
            render_list(&state, ctx, form, errors).await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The office: one offer.

pub struct CommentView {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub body: String,
    pub when: String,
    pub status: String,
    pub pending: bool,
    pub published: bool,
}

#[derive(Template)]
#[template(path = "grants/templates/panel/small_offer.html")]
struct OfferPage {
    ctx: PageCtx,
    o: grant_offer::Model,
    row: small_row::Model,
    organization: String,
    status: String,
    requested: String,
    late: bool,
    left_text: Vec<(String, String)>,
    spheres: Vec<(String, String)>,
    sphere: String,
    published_on: String,
    can_publish: bool,
    window_open: bool,
    can_decide: bool,
    decision: String,
    contract_href: String,
    comments: Vec<CommentView>,
    typed: Typed,
    errors: Errors,
}

/// What the page's forms hold when shown again with errors.
#[derive(Default)]
struct Typed {
    sphere: String,
    amount: String,
    reason: String,
}

async fn load(state: &AppState, id: i64) -> AppResult<(grant_offer::Model, small_row::Model, grant_call::Model)> {
    let db = &state.platform.db.conn;
    let o = grant_offer::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let row = store::of_offer(db, id).await?.ok_or(AppError::NotFound)?;
    let register = grant_call::Entity::find_by_id(o.call_id)
        .one(db)
        .await?
        .filter(|c| c.kind == Kind::Small)
        .ok_or(AppError::NotFound)?;
    Ok((o, row, register))
}

async fn spheres(state: &AppState, ctx: &PageCtx) -> AppResult<Vec<(String, String)>> {
    let mut v: Vec<_> = crate::grants::public::spheres_by_code(&state.platform.db.conn)
        .await?
        .into_values()
        .filter(|s| s.valid_to.is_none())
        .collect();
    v.sort_by_key(|s| s.position);
    Ok(v.into_iter()
        .map(|s| {
            let name = if ctx.lang.code() == "en" { s.name_en } else { s.name_pl };
            (s.code, name)
        })
        .collect())
}

async fn render_offer(state: &AppState, ctx: PageCtx, id: i64, typed: Typed, errors: Errors) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let (o, row, register) = load(state, id).await?;
    let today = warsaw_day(Utc::now());
    let organization = organization::Entity::find_by_id(o.organization_id)
        .one(db)
        .await?
        .map(|x| x.name)
        .unwrap_or_default();
    let s = store::standing(db, &register, o.organization_id, today).await?;
    let left = s.left();
    let left_text = vec![
        (ctx.t("small-left-offer"), m(left.per_offer)),
        (ctx.t("small-left-organisation"), m(left.organisation)),
        (ctx.t("small-left-pool"), m(left.pool)),
    ];
    let decision = line::Entity::find()
        .filter(line::Column::OfferId.eq(o.id))
        .one(db)
        .await?
        .map(|l| {
            if l.amount > 0 {
                ctx.lang.ta("small-decision-granted", &[("amount", &m(l.amount))])
            } else {
                ctx.lang.ta("small-decision-refused", &[("reason", &l.reason)])
            }
        })
        .unwrap_or_default();
    let contract_href = if o.status == Status::Granted {
        match crate::grants::contract_store::of_offer(db, o.id).await? {
            Some(c) => format!("/panel/umowy/{}", c.id),
            None => format!("/panel/umowy/nowa?oferta={}", o.id),
        }
    } else {
        String::new()
    };
    let comments = store::comments(db, o.id, true)
        .await?
        .into_iter()
        .map(|c| CommentView {
            id: c.id,
            name: c.author_name,
            email: c.author_email,
            body: c.body,
            when: wspolnie_web::fmt::datetime(ctx.lang, c.created_at),
            status: ctx.t(&format!("small-comment-{}", c.status.as_str())),
            pending: c.status == CommentStatus::Pending,
            published: c.status == CommentStatus::Published,
        })
        .collect();
    let spheres = spheres(state, &ctx).await?;
    let typed = Typed {
        amount: if typed.amount.is_empty() { fields::money_field(o.requested_grant) } else { typed.amount },
        sphere: if typed.sphere.is_empty() { row.sphere_code.clone() } else { typed.sphere },
        reason: typed.reason,
    };
    let page = OfferPage {
        status: ctx.t(&o.status.label_key()),
        requested: m(o.requested_grant),
        late: o.status == Status::Submitted && row.publish_by < today,
        left_text,
        sphere: spheres
            .iter()
            .find(|(c, _)| *c == row.sphere_code)
            .map(|(_, n)| n.clone())
            .unwrap_or_default(),
        spheres,
        published_on: row.published_on.map(day).unwrap_or_default(),
        can_publish: o.status == Status::Submitted,
        window_open: store::open_for_comments(&row, today),
        can_decide: o.status == Status::Published && row.comments_to.is_some_and(|to| to < today),
        decision,
        contract_href,
        comments,
        organization,
        typed,
        errors,
        ctx,
        o,
        row,
    };
    Ok(Html(page.render()?).into_response())
}

/// `GET /panel/male-granty/{id}`.
pub async fn show(State(state): State<AppState>, ctx: PageCtx, Path(id): Path<i64>) -> AppResult<Response> {
    render_offer(&state, ctx, id, Typed::default(), Errors::default()).await
}

/// `POST /panel/male-granty/{id}/publikacja`: publishes the offer today under a sphere.
pub async fn publish(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let (o, _, _) = load(&state, id).await?;
    let sphere = fields::get(&pairs, "sphere");
    if !spheres(&state, &ctx).await?.iter().any(|(c, _)| *c == sphere) {
        let errors = Errors::form("sphere", ctx.t("small-error-sphere"));
        return render_offer(&state, ctx, id, Typed { sphere, ..Default::default() }, errors).await;
    }
    let back = format!("/panel/male-granty/{id}");
    let db = &state.platform.db.conn;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let published = store::publish(&txn, &o, &sphere, warsaw_day(Utc::now()), &actor(acc)).await?;
    if let Ok(row) = &published {
        let until = row.comments_to.unwrap_or(row.received_on);
        tell(&txn, &o, &News::Published(until), &state.platform.config.server.public_url).await?;
    }
    finish_write(&state, txn, published.is_ok(), &back, "flash-small-published", "flash-small-not-now").await
}

/// `POST /panel/male-granty/{id}/uwagi/{c}`: `to` = `published` or `hidden`.
pub async fn moderate(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentAccount>,
    Path((id, c)): Path<(i64, i64)>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let back = format!("/panel/male-granty/{id}#uwagi");
    let Some(to) = CommentStatus::parse(&fields::get(&pairs, "to")) else {
        return Ok(crate::grants::submit::redirect_with_error(&state, &back, "flash-small-not-now"));
    };
    let db = &state.platform.db.conn;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let done = store::moderate(&txn, id, c, to, &actor(acc)).await?;
    finish_write(&state, txn, done, &back, "flash-small-moderated", "flash-small-not-now").await
}

/// `POST /panel/male-granty/{id}/decyzja`: `answer` = `grant` with `amount`, or `refuse` with
/// `reason`.
pub async fn decide(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let acc = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let (o, _, register) = load(&state, id).await?;
    let typed = Typed {
        sphere: String::new(),
        amount: fields::get(&pairs, "amount"),
        reason: fields::get(&pairs, "reason"),
    };
    let d = if fields::get(&pairs, "answer") == "refuse" {
        match fields::clean(&typed.reason, 4000).filter(|r| r.chars().count() >= 10) {
            Some(reason) => Decision::Refuse { reason },
            None => {
                let errors = Errors::form("reason", ctx.t("small-error-reason"));
                return render_offer(&state, ctx, id, typed, errors).await;
            }
        }
    } else {
        match fields::parse_money(&typed.amount).filter(|a| *a > 0 && *a <= o.requested_grant) {
            Some(amount) => Decision::Grant { amount },
            None => {
                let errors = Errors::form("amount", ctx.lang.ta("small-error-amount", &[("max", &m(o.requested_grant))]));
                return render_offer(&state, ctx, id, typed, errors).await;
            }
        }
    };
    let back = format!("/panel/male-granty/{id}");
    let db = &state.platform.db.conn;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    match store::decide(&txn, &o, &register, &d, warsaw_day(Utc::now()), &actor(acc)).await? {
        Ok(()) => {
            let news = match &d {
                Decision::Grant { amount } => News::Granted(*amount),
                Decision::Refuse { reason } => News::Refused(reason.clone()),
            };
            tell(&txn, &o, &news, &state.platform.config.server.public_url).await?;
            txn.commit().await?;
            Ok(redirect_with_flash(&state, &back, "flash-small-decided"))
        }
        Err(Refused::Amount(Some(b))) => {
            drop(txn);
            let s = store::standing(db, &register, o.organization_id, warsaw_day(Utc::now())).await?;
            let msg = ctx.lang.ta(b.key(), &[("max", &b.max(&s.limits, &s.left()))]);
            render_offer(&state, ctx, id, typed, Errors::form("amount", msg)).await
        }
        Err(_) => {
            drop(txn);
            Ok(crate::grants::submit::redirect_with_error(&state, &back, "flash-small-not-now"))
        }
    }
}

/// What the organisation is told by e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum News {
    /// Published for comments until that day.
    Published(NaiveDate),
    Granted(i64),
    Refused(String),
}

/// E-mails the offer's addresses (the organisation and the offer's contact) what happened, on
/// the caller's transaction (keyed, so a retry sends nothing twice).
pub async fn tell<C: sea_orm::ConnectionTrait>(db: &C, offer: &grant_offer::Model, news: &News, public_url: &str) -> Result<(), sea_orm::DbErr> {
    let base = public_url.trim_end_matches('/');
    let (kind, date, amount, reason, link) = match news {
        News::Published(to) => ("published", to.format("%d.%m.%Y").to_string(), String::new(), String::new(), format!("{base}/male-granty/{}", offer.id)),
        News::Granted(a) => ("granted", String::new(), wspolnie_core::money::Money(*a).to_string(), String::new(), format!("{base}/panel/oferty/{}", offer.id)),
        News::Refused(r) => ("refused", String::new(), String::new(), r.clone(), format!("{base}/panel/oferty/{}", offer.id)),
    };
    let vars = serde_json::json!({ "kind": kind, "offer": offer.title, "date": date, "amount": amount, "reason": reason, "link": link });
    crate::grants::formal::mail_offeror(db, offer, "grant_small_news", vars, &format!("grant-small-news:{}:{kind}", offer.id)).await
}

// ---------------------------------------------------------------------------------------------
// Everyone: the published offers and the comments.

pub struct PublicRow {
    pub id: i64,
    pub title: String,
    pub organization: String,
    pub published: String,
    pub comments_to: String,
    pub result: String,
}

pub struct OpenRegister {
    pub slug: String,
    pub title: String,
    pub left: String,
}

#[derive(Template)]
#[template(path = "grants/templates/public/small_list.html")]
struct PublicList {
    ctx: PageCtx,
    open: Vec<PublicRow>,
    past: Vec<PublicRow>,
    registers: Vec<OpenRegister>,
    limits: Vec<(String, String)>,
}

/// `GET /male-granty`: offers open for comments, earlier ones, and where to submit one.
pub async fn public_list(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let now = Utc::now();
    let today = warsaw_day(now);
    let offers: Vec<_> = store::offers(db).await?.into_iter().filter(|(_, r)| r.published_on.is_some()).collect();
    let orgs = fields::organization_names(db, offers.iter().map(|(o, _)| o.organization_id).collect()).await?;
    let (open, past): (Vec<_>, Vec<_>) = offers.iter().partition(|(_, r)| store::open_for_comments(r, today));
    let row = |(o, r): &(grant_offer::Model, small_row::Model)| PublicRow {
        id: o.id,
        title: o.title.clone(),
        organization: orgs.get(&o.organization_id).cloned().unwrap_or_default(),
        published: r.published_on.map(day).unwrap_or_default(),
        comments_to: r.comments_to.map(day).unwrap_or_default(),
        result: match o.status {
            Status::Granted | Status::NotGranted => ctx.t(&o.status.label_key()),
            _ => String::new(),
        },
    };
    let mut registers = Vec::new();
    for r in store::registers(db).await? {
        if crate::grants::model::accepts_offers(&r, now) {
            let s = store::standing(db, &r, 0, today).await?;
            registers.push(OpenRegister { slug: r.slug.clone(), title: r.title.clone(), left: m(s.left().pool) });
        }
    }
    let l = small::limits(db, today).await?;
    let limits = vec![
        (ctx.t("small-limit-amount"), m(l.max_amount)),
        (ctx.t("small-limit-days"), l.max_days.to_string()),
        (ctx.t("small-limit-organisation"), m(l.per_organisation_year)),
        (ctx.t("small-limit-pool"), crate::grants::offer::percent_pl(l.pool_share_bp)),
    ];
    let page = PublicList {
        open: open.into_iter().map(row).collect(),
        past: past.into_iter().map(row).collect(),
        registers,
        limits,
        ctx,
    };
    Ok(Html(page.render()?).into_response())
}

/// One block of the offer as shown on its public page.
pub struct BlockView {
    pub label: String,
    pub value: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

pub struct SectionView {
    pub heading: String,
    pub blocks: Vec<BlockView>,
}

#[derive(Template)]
#[template(path = "grants/templates/public/small_offer.html")]
struct PublicOffer {
    ctx: PageCtx,
    id: i64,
    title: String,
    organization: String,
    header: Vec<String>,
    sections: Vec<SectionView>,
    published: String,
    comments_to: String,
    window_open: bool,
    days_left: i64,
    result: String,
    comments: Vec<CommentView>,
}

/// A published small offer, or 404.
async fn published(state: &AppState, id: i64) -> AppResult<(grant_offer::Model, small_row::Model, grant_call::Model)> {
    let (o, row, register) = load(state, id).await?;
    if row.published_on.is_none() {
        return Err(AppError::NotFound);
    }
    Ok((o, row, register))
}

/// `GET /male-granty/{id}`: the offer as published, the comments let through, the decision.
pub async fn public_show(State(state): State<AppState>, ctx: PageCtx, Path(id): Path<i64>) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let (o, row, register) = published(&state, id).await?;
    let today = warsaw_day(Utc::now());
    let organization = organization::Entity::find_by_id(o.organization_id)
        .one(db)
        .await?
        .map(|x| x.name)
        .unwrap_or_default();
    let v = version::Entity::find()
        .filter(version::Column::OfferId.eq(o.id))
        .filter(version::Column::Version.eq(o.current_version))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut frozen = crate::grants::submit::Frozen::parse(&v.content);
    // The contact person's own details are personal data: the public copy withholds them.
    let withheld = ctx.t("small-withheld");
    frozen.content.offerors.contact_person = withheld.clone();
    frozen.content.offerors.contact_phone = withheld.clone();
    frozen.content.offerors.contact_email = withheld;
    let doc = crate::grants::submit::document(ctx.lang, &frozen, &register, &organization, &v);
    let sections = doc
        .sections
        .into_iter()
        .map(|s| SectionView {
            heading: s.heading,
            blocks: s
                .blocks
                .into_iter()
                .map(|b| match b {
                    OfferBlock::Field { label, value } => BlockView { label, value, columns: Vec::new(), rows: Vec::new() },
                    OfferBlock::Table { caption, columns, rows } => BlockView { label: caption, value: String::new(), columns, rows },
                })
                .collect(),
        })
        .collect();
    let comments = store::comments(db, o.id, false)
        .await?
        .into_iter()
        .map(|c| CommentView {
            id: c.id,
            name: c.author_name,
            email: String::new(),
            body: c.body,
            when: wspolnie_web::fmt::datetime(ctx.lang, c.created_at),
            status: String::new(),
            pending: false,
            published: true,
        })
        .collect();
    let page = PublicOffer {
        id: o.id,
        title: o.title.clone(),
        organization,
        header: doc.header,
        sections,
        published: row.published_on.map(day).unwrap_or_default(),
        comments_to: row.comments_to.map(day).unwrap_or_default(),
        window_open: store::open_for_comments(&row, today),
        days_left: store::days_left(&row, today),
        result: match o.status {
            Status::Granted | Status::NotGranted => ctx.t(&o.status.label_key()),
            _ => String::new(),
        },
        comments,
        ctx,
    };
    Ok(Html(page.render()?).into_response())
}

/// The comment form as typed.
#[derive(Default)]
pub struct CommentForm {
    pub name: String,
    pub email: String,
    pub body: String,
}

#[derive(Template)]
#[template(path = "grants/templates/public/small_comment.html")]
struct CommentPage {
    ctx: PageCtx,
    id: i64,
    title: String,
    comments_to: String,
    form: CommentForm,
    errors: Errors,
}

async fn render_comment(state: &AppState, ctx: PageCtx, id: i64, form: CommentForm, errors: Errors) -> AppResult<Response> {
    let (o, row, _) = published(state, id).await?;
    if !store::open_for_comments(&row, warsaw_day(Utc::now())) {
        return Ok(axum::response::Redirect::to(&format!("/male-granty/{id}")).into_response());
    }
    let page = CommentPage {
        id,
        title: o.title,
        comments_to: row.comments_to.map(day).unwrap_or_default(),
        form,
        errors,
        ctx,
    };
    Ok(Html(page.render()?).into_response())
}

/// `GET /male-granty/{id}/uwagi`: the comment form while the window is open.
pub async fn comment_form(State(state): State<AppState>, ctx: PageCtx, Path(id): Path<i64>) -> AppResult<Response> {
    render_comment(&state, ctx, id, CommentForm::default(), Errors::default()).await
}

/// `POST /male-granty/{id}/uwagi`: anyone's comment, held for moderation.
pub async fn comment(
    State(state): State<AppState>,
    ctx: PageCtx,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let form = CommentForm {
        name: fields::get(&pairs, "name"),
        email: fields::get(&pairs, "email"),
        body: fields::get(&pairs, "body"),
    };
    let mut errors = Errors::default();
    let name = fields::clean(&form.name, 200).filter(|n| !n.is_empty());
    if name.is_none() {
        errors.add("name", ctx.t("small-error-comment-name"));
    }
    // The address is optional (for the office's answer); when given it must be one.
    let email = if form.email.trim().is_empty() {
        Some(String::new())
    } else {
        crate::accounts::model::normalize_email(&form.email)
    };
    if email.is_none() {
        errors.add("email", ctx.t("small-error-comment-email"));
    }
    let body = fields::clean(&form.body, 4000).filter(|b| b.chars().count() >= 10);
    if body.is_none() {
        errors.add("body", ctx.t("small-error-comment-body"));
    }
    let (Some(name), Some(email), Some(body)) = (name, email, body) else {
        return render_comment(&state, ctx, id, form, errors).await;
    };
    let (_, row, _) = published(&state, id).await?;
    if !store::open_for_comments(&row, warsaw_day(Utc::now())) {
        return Ok(crate::grants::submit::redirect_with_error(&state, &format!("/male-granty/{id}"), "flash-small-comments-closed"));
    }
    let db = &state.platform.db.conn;
    if !wspolnie_platform::auth::throttle_hit(
        db,
        &format!("small-comments:ip:{ip}"),
        COMMENTS_PER_HOUR,
        chrono::Duration::hours(1),
    )
    .await?
    {
        let errors = Errors::form("body", ctx.t("small-error-comment-too-many"));
        return render_comment(&state, ctx, id, form, errors).await;
    }
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let saved = store::add_comment(&txn, id, &NewComment { name, email, body }).await?;
    wspolnie_platform::audit::record(
        &txn,
        &wspolnie_platform::audit::Actor { user_id: None, label: "public".into(), ip: ip.to_string() },
        "grant_small.comment",
        "grant_small_comment",
        saved.id,
        None::<&()>,
        None::<&()>,
    )
    .await?;
    txn.commit().await?;
    Ok(redirect_with_flash(&state, &format!("/male-granty/{id}"), "flash-small-comment-held"))
}
