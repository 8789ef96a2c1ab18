//! The grants officer's overview (issue 18, item 7): every submitted offer of every call — where
//! it stands, what was asked and granted, and the office's next step with its link — filtered by
//! call and by status. Drafts stay the organisations' own and are only counted.

use crate::directory::entity::organization;
use crate::grants::entity::grant_call::{self, Status as CallStatus};
use crate::grants::entity::grant_decision_line as line;
use crate::grants::entity::grant_offer::{self, Status};
use crate::grants::entity::grant_offer_update as update;
use crate::grants::model as calls;
use crate::grants::stages;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use std::collections::HashMap;
use wspolnie_core::money::Money;
use wspolnie_web::AppState;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::AppResult;

/// The statuses an official may filter by, in the order of an offer's way.
const STATUSES: [Status; 11] = [
    Status::Submitted,
    Status::InCorrection,
    Status::Corrected,
    Status::Complete,
    Status::Rejected,
    Status::Granted,
    Status::NotGranted,
    Status::Updating,
    Status::UpdateSubmitted,
    Status::Declined,
    Status::Withdrawn,
];

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OverviewQuery {
    /// A call's id.
    konkurs: String,
    /// An offer status code.
    stan: String,
}

pub struct Row {
    pub call_id: i64,
    pub call_number: String,
    pub organization: String,
    pub title: String,
    pub requested: String,
    pub granted: String,
    pub status: String,
    pub stage: String,
    /// The office's next step: its words and link.
    pub next: Option<(String, String)>,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct Count {
    pub label: String,
    pub count: usize,
}

#[derive(Template)]
#[template(path = "grants/templates/admin/overview.html")]
struct OverviewPage {
    ctx: PageCtx,
    rows: Vec<Row>,
    calls: Vec<Choice>,
    statuses: Vec<Choice>,
    counts: Vec<Count>,
    drafts: u64,
}

/// The office's next step for an offer, if one is due now.
fn next_step(
    ctx: &PageCtx,
    o: &grant_offer::Model,
    c: &grant_call::Model,
    call_status: CallStatus,
) -> Option<(String, String)> {
    let (key, href) = match (o.status, call_status) {
        (_, CallStatus::Annulled) => return None,
        (Status::Submitted | Status::Corrected, CallStatus::Closed | CallStatus::InEvaluation) => {
            ("overview-next-formal", format!("/panel/konkursy/{}/oferty/{}", c.id, o.id))
        }
        (Status::Complete, _) => ("overview-next-commission", format!("/panel/konkursy/{}/komisja", c.id)),
        (Status::UpdateSubmitted, _) => (
            "overview-next-update",
            format!("/panel/konkursy/{}/oferty/{}/aktualizacja", c.id, o.id),
        ),
        _ => return None,
    };
    Some((ctx.t(key), href))
}

/// `GET /panel/konkursy/przeglad`.
pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<OverviewQuery>,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let now = Utc::now();
    let all_calls = grant_call::Entity::find()
        .filter(grant_call::Column::Status.ne(CallStatus::Draft))
        .filter(grant_call::Column::Kind.eq(grant_call::Kind::Open))
        .order_by_desc(grant_call::Column::OfferDeadline)
        .all(db)
        .await?;
    let call_filter = q.konkurs.trim().parse::<i64>().ok().filter(|id| all_calls.iter().any(|c| c.id == *id));
    let status_filter = Status::parse(q.stan.trim()).filter(|s| STATUSES.contains(s));
    let mut find = grant_offer::Entity::find().filter(grant_offer::Column::Status.ne(Status::Draft));
    let mut drafts = grant_offer::Entity::find().filter(grant_offer::Column::Status.eq(Status::Draft));
    if let Some(id) = call_filter {
        find = find.filter(grant_offer::Column::CallId.eq(id));
        drafts = drafts.filter(grant_offer::Column::CallId.eq(id));
    }
    let offers = find
        .order_by_desc(grant_offer::Column::CallId)
        .order_by_asc(grant_offer::Column::SubmittedAt)
        .order_by_asc(grant_offer::Column::Id)
        .all(db)
        .await?;
    let drafts = drafts.count(db).await?;
    let counts = STATUSES
        .iter()
        .map(|s| Count {
            label: ctx.t(&s.label_key()),
            count: offers.iter().filter(|o| o.status == *s).count(),
        })
        .filter(|c| c.count > 0)
        .collect();
    let offers: Vec<grant_offer::Model> = offers
        .into_iter()
        .filter(|o| status_filter.is_none_or(|s| o.status == s))
        .collect();
    let ids: Vec<i64> = offers.iter().map(|o| o.id).collect();
    let orgs: HashMap<i64, String> = organization::Entity::find()
        .filter(organization::Column::Id.is_in(offers.iter().map(|o| o.organization_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    let granted: HashMap<i64, i64> = line::Entity::find()
        .filter(line::Column::OfferId.is_in(ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.offer_id, l.amount))
        .collect();
    let updates: Vec<i64> = update::Entity::find()
        .filter(update::Column::OfferId.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.offer_id)
        .collect();
    let by_id: HashMap<i64, &grant_call::Model> = all_calls.iter().map(|c| (c.id, c)).collect();
    let rows = offers
        .iter()
        .filter_map(|o| {
            let c = by_id.get(&o.call_id)?;
            let call_status = calls::effective_status(c, now);
            let steps = stages::of(o.status, call_status, updates.contains(&o.id));
            let stage = stages::current(&steps)
                .map(|(step, st)| format!("{} ({})", ctx.t(step.label()), ctx.t(st.label())))
                .unwrap_or_default();
            Some(Row {
                call_id: c.id,
                call_number: c.number.clone(),
                organization: orgs.get(&o.organization_id).cloned().unwrap_or_default(),
                title: o.title.clone(),
                requested: Money(o.requested_grant).to_string(),
                granted: granted.get(&o.id).map(|a| Money(*a).to_string()).unwrap_or_else(|| "—".into()),
                status: ctx.t(&o.status.label_key()),
                stage,
                next: next_step(&ctx, o, c, call_status),
            })
        })
        .collect();
    let calls = all_calls
        .iter()
        .map(|c| Choice {
            value: c.id.to_string(),
            label: format!("{} — {}", c.number, c.title),
            selected: call_filter == Some(c.id),
        })
        .collect();
    let statuses = STATUSES
        .iter()
        .map(|s| Choice {
            value: s.as_str().to_owned(),
            label: ctx.t(&s.label_key()),
            selected: status_filter == Some(*s),
        })
        .collect();
    let page = OverviewPage {
        rows,
        calls,
        statuses,
        counts,
        drafts,
        ctx,
    };
    Ok(Html(page.render()?).into_response())
}
