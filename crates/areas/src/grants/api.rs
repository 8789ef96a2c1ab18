//! The public JSON API of calls for offers (`/api/v1/calls`, `/api/v1/calls/{slug}`): every
//! public call with every item of art. 13 UDPP, its rules and, after the deadline, the offers
//! received. Described for the OpenAPI document by `CallsApi` (merged into the directory's
//! `ApiDoc` where `/api/v1/openapi.json` is served).

use crate::grants::entity::grant_call;
use crate::grants::model::{self as calls};
use crate::grants::public;
use crate::grants::public::Filters;
use axum::Json;
use axum::extract::{Path, Query, State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};
use wspolnie_platform::i18n::Lang;
use wspolnie_web::AppState;
use wspolnie_web::errors::{AppError, AppResult};

/// Query parameters of the list of calls.
#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallsQuery {
    /// Code of a sphere of public benefit (art. 4 of the Act), e.g. `15`; an unknown code is
    /// ignored.
    #[serde(default)]
    sphere: String,
    /// Status of the call: `announced`, `open`, `closed`, `in_evaluation`, `decided` or
    /// `annulled`; anything else is ignored.
    #[serde(default)]
    status: String,
    /// Year of the offer deadline (Warsaw time), e.g. `2027`; a year without calls is ignored.
    #[serde(default)]
    year: String,
    /// Language of sphere names: `pl` (default) or `en`.
    #[serde(default)]
    lang: String,
}

/// Query parameters of one call.
#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallQuery {
    /// Language of the sphere's name: `pl` (default) or `en`.
    #[serde(default)]
    lang: String,
}

/// A sphere of public benefit (art. 4 of the Act).
#[derive(Serialize, ToSchema)]
pub struct ApiSphere {
    pub code: String,
    pub name: String,
}

/// A selection criterion with its point scale and weight.
#[derive(Serialize, ToSchema)]
pub struct ApiCriterion {
    pub name: String,
    /// Members give 0 to this many points.
    pub max_points: u32,
    /// Its weight in the average (1 = plain).
    pub weight: u32,
}

/// A task of the same type the office funded this year or last year (art. 13 ust. 2 pkt 8).
#[derive(Serialize, ToSchema)]
pub struct ApiPriorFunding {
    pub year: i32,
    pub task: String,
    /// Grosze (1/100 zł).
    pub amount: i64,
}

/// The rules the office set for offers in this call.
#[derive(Serialize, ToSchema)]
pub struct ApiCallRules {
    /// Most one offer may ask for, grosze; null = up to the funds available.
    pub max_grant: Option<i64>,
    /// Minimum own contribution as a share of the total cost, in basis points (1 % = 100).
    pub min_own_contribution_bp: i32,
    /// Kinds of own contribution that count: `financial`, `personal`, `in_kind`.
    pub own_contribution_kinds: Vec<String>,
    /// Whether fees from the task's recipients are allowed.
    pub fees_allowed: bool,
    /// Most of the total cost administrative costs may take, basis points; null = no cap.
    pub admin_cost_cap_bp: Option<i32>,
    /// Longest task in calendar years (1 = one-year tasks only).
    pub max_years: i32,
    pub joint_offers_allowed: bool,
    /// Whether offers must give result indicators.
    pub indicators_required: bool,
    pub required_attachments: Vec<String>,
    /// Days an organisation has to correct formal deficiencies.
    pub correction_days: i32,
}

/// The office's contact for the call.
#[derive(Serialize, ToSchema)]
pub struct ApiContact {
    pub name: String,
    pub email: String,
}

/// An offer received in the call, public after the deadline.
#[derive(Serialize, ToSchema)]
pub struct ApiReceivedOffer {
    pub organization: String,
    pub title: String,
    /// The grant the offer asks for, grosze.
    pub requested_grant: i64,
}

/// One result of a decided call (art. 15 ust. 2j UDPP): the offeror, the task, the commission's
/// average score and the grant awarded.
#[derive(Serialize, ToSchema)]
pub struct ApiResult {
    pub organization: String,
    pub title: String,
    /// The commission's average score in hundredths of a point (4125 = 41,25); null without cards.
    pub score_hundredths: Option<i64>,
    /// The grant awarded, grosze; 0 = none.
    pub amount: i64,
    /// The organisation declined the grant (or sent no update of a reduced grant in time).
    pub declined: bool,
}

/// A public call for offers (otwarty konkurs ofert). Money in grosze (1/100 zł); moments in
/// RFC 3339 with the Warsaw offset; days as `YYYY-MM-DD`; texts the office wrote in Markdown.
#[derive(Serialize, ToSchema)]
pub struct ApiCall {
    pub slug: String,
    /// The office's reference number.
    pub number: String,
    pub title: String,
    /// `announced`, `open`, `closed`, `in_evaluation`, `decided` or `annulled`, as of now.
    pub status: String,
    pub sphere: ApiSphere,
    pub task_type: String,
    pub description: String,
    pub funds_available: i64,
    pub grant_rules: String,
    pub execution_from: String,
    pub execution_to: String,
    pub execution_conditions: String,
    pub announced_at: Option<String>,
    /// Offers are accepted from this moment.
    pub offers_from: String,
    /// The offer deadline (the last moment an offer may be submitted).
    pub offer_deadline: String,
    pub selection_procedure: String,
    pub selection_date: String,
    pub criteria: Vec<ApiCriterion>,
    pub prior_funding: Vec<ApiPriorFunding>,
    pub rules: ApiCallRules,
    pub contact: ApiContact,
    /// Version of the offer form (annex 1 of the 2018 regulation).
    pub form_version: String,
    /// The offers received; null until the deadline has passed.
    pub offers: Option<Vec<ApiReceivedOffer>>,
    /// The results; null until the call is decided.
    pub results: Option<Vec<ApiResult>>,
    /// The annulment (art. 18a UDPP); null unless the call was annulled.
    pub annulment: Option<crate::grants::annul::Annulment>,
    pub url: String,
    pub pdf_url: String,
}

/// Public calls, the latest deadline first.
#[derive(Serialize, ToSchema)]
pub struct CallList {
    /// Number of calls matching the filters.
    pub total: u64,
    pub items: Vec<ApiCall>,
}

#[derive(OpenApi)]
#[openapi(
    paths(calls_list, call_detail),
    components(schemas(
        CallList,
        ApiCall,
        ApiSphere,
        ApiCriterion,
        ApiPriorFunding,
        ApiCallRules,
        ApiContact,
        ApiReceivedOffer,
        ApiResult,
        crate::grants::annul::Annulment
    )),
    tags((name = "grants", description = "Open calls for offers (art. 13 of the Act on public benefit activity)"))
)]
pub struct CallsApi;

fn base(state: &AppState) -> String {
    state
        .platform
        .config
        .server
        .public_url
        .trim_end_matches('/')
        .to_owned()
}

/// One call as the API gives it.
pub fn api_call(
    c: &grant_call::Model,
    sphere: ApiSphere,
    offers: Option<Vec<public::ReceivedOffer>>,
    base: &str,
    now: DateTime<Utc>,
) -> ApiCall {
    let iso = wspolnie_web::fmt::iso;
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let url = public::call_url(base, c);
    ApiCall {
        slug: c.slug.clone(),
        number: c.number.clone(),
        title: c.title.clone(),
        status: calls::effective_status(c, now).as_str().to_owned(),
        sphere,
        task_type: c.task_type.clone(),
        description: c.description_md.clone(),
        funds_available: c.funds_available,
        grant_rules: c.grant_rules_md.clone(),
        execution_from: day(c.execution_from),
        execution_to: day(c.execution_to),
        execution_conditions: c.execution_conditions_md.clone(),
        announced_at: c.announced_at.map(iso),
        offers_from: iso(c.offers_from.or(c.announced_at).unwrap_or(c.created_at)),
        offer_deadline: iso(c.offer_deadline),
        selection_procedure: c.selection_procedure_md.clone(),
        selection_date: day(c.selection_date),
        criteria: calls::criteria_of(c)
            .into_iter()
            .map(|k| ApiCriterion {
                name: k.name,
                max_points: k.max_points,
                weight: k.weight,
            })
            .collect(),
        prior_funding: calls::prior_of(c)
            .into_iter()
            .map(|p| ApiPriorFunding {
                year: p.year,
                task: p.task,
                amount: p.amount,
            })
            .collect(),
        rules: ApiCallRules {
            max_grant: c.max_grant,
            min_own_contribution_bp: c.min_own_bp,
            own_contribution_kinds: calls::own_kinds_of(c)
                .into_iter()
                .map(str::to_owned)
                .collect(),
            fees_allowed: c.fees_allowed,
            admin_cost_cap_bp: c.admin_cap_bp,
            max_years: c.max_years,
            joint_offers_allowed: c.joint_allowed,
            indicators_required: c.indicators_required,
            required_attachments: calls::lines(&c.required_attachments),
            correction_days: c.correction_days,
        },
        contact: ApiContact {
            name: c.contact_name.clone(),
            email: c.contact_email.clone(),
        },
        form_version: c.form_version.clone(),
        offers: offers.map(|list| {
            list.into_iter()
                .map(|o| ApiReceivedOffer {
                    organization: o.organization,
                    title: o.title,
                    requested_grant: o.requested_grant,
                })
                .collect()
        }),
        results: None,
        annulment: None,
        pdf_url: format!("{url}/ogloszenie.pdf"),
        url,
    }
}

/// The calls given, as the list the API and `/konkursy.json` answer with.
pub async fn call_list(
    state: &AppState,
    list: Vec<grant_call::Model>,
    lang: Lang,
    now: DateTime<Utc>,
) -> AppResult<CallList> {
    let db = &state.platform.db.conn;
    let spheres = public::spheres_by_code(db).await?;
    let base = base(state);
    let mut items = Vec::with_capacity(list.len());
    for c in &list {
        let offers = public::received_offers(db, c, now).await?;
        let mut item = api_call(c, sphere_of(&spheres, lang, &c.sphere_code), offers, &base, now);
        item.results = results_of(db, c).await?;
        item.annulment = crate::grants::annul::of(lang, c);
        items.push(item);
    }
    Ok(CallList {
        total: items.len() as u64,
        items,
    })
}

fn sphere_of(
    spheres: &std::collections::HashMap<String, wspolnie_platform::entity::sphere::Model>,
    lang: Lang,
    code: &str,
) -> ApiSphere {
    ApiSphere {
        code: code.to_owned(),
        name: spheres
            .get(code)
            .map(|s| match lang {
                Lang::Pl => s.name_pl.clone(),
                Lang::En => s.name_en.clone(),
            })
            .unwrap_or_default(),
    }
}

/// Public calls for offers matching the filters (never drafts).
#[utoipa::path(
    get,
    path = "/api/v1/calls",
    tag = "grants",
    params(CallsQuery),
    responses(
        (status = 200, description = "The calls, the latest deadline first", body = CallList),
        (status = 400, description = "A parameter is malformed", body = crate::directory::api::ApiError)
    )
)]
pub async fn calls_list(
    State(state): State<AppState>,
    Query(q): Query<CallsQuery>,
) -> AppResult<Json<CallList>> {
    let now = Utc::now();
    let all = public::public_calls(&state.platform.db.conn).await?;
    // The API's English parameter names, read by the pages' one lenient parser.
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("sfera", &q.sphere)
        .append_pair("stan", &q.status)
        .append_pair("rok", &q.year)
        .finish();
    let f = Filters::read(Some(&query), &all);
    let lang = Lang::parse(&q.lang).unwrap_or_default();
    let kept: Vec<grant_call::Model> = all.into_iter().filter(|c| f.keeps(c, now)).collect();
    Ok(Json(call_list(&state, kept, lang, now).await?))
}

/// One public call with every item of its announcement.
#[utoipa::path(
    get,
    path = "/api/v1/calls/{slug}",
    tag = "grants",
    params(("slug" = String, Path, description = "The call's slug"), CallQuery),
    responses(
        (status = 200, description = "The call", body = ApiCall),
        (status = 404, description = "No public call has this slug", body = crate::directory::api::ApiError)
    )
)]
pub async fn call_detail(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<CallQuery>,
) -> AppResult<Json<ApiCall>> {
    let now = Utc::now();
    let db = &state.platform.db.conn;
    let c = public::public_call(db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let lang = Lang::parse(&q.lang).unwrap_or_default();
    let spheres = public::spheres_by_code(db).await?;
    let offers = public::received_offers(db, &c, now).await?;
    let mut item = api_call(
        &c,
        sphere_of(&spheres, lang, &c.sphere_code),
        offers,
        &base(&state),
        now,
    );
    item.results = results_of(db, &c).await?;
    item.annulment = crate::grants::annul::of(lang, &c);
    Ok(Json(item))
}

/// A decided call's results for the API; `None` before the decision.
async fn results_of<C: sea_orm::ConnectionTrait>(
    db: &C,
    c: &grant_call::Model,
) -> Result<Option<Vec<ApiResult>>, sea_orm::DbErr> {
    if c.status != grant_call::Status::Decided {
        return Ok(None);
    }
    Ok(Some(
        crate::grants::decision::results(db, c.id)
            .await?
            .into_iter()
            .map(|r| ApiResult {
                organization: r.organization,
                title: r.title,
                score_hundredths: r.score_centi,
                amount: r.amount_grosze,
                declined: r.declined,
            })
            .collect(),
    ))
}
