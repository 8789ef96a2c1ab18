//! The consultation's report (zestawienie uwag): the consultation's data (dates, audience,
//! forms, participants, the meeting and its minutes, the RDPP's opinion), every remark with its
//! author, unit, proposal, justification and the office's position with its reasons, the
//! office's summary, and the final text with a redline against the consulted version. Built
//! once as `Report` (pure data) for the page; the documents for BIP are made from the same data.

use super::compare;
use super::entity::consultation::{self, Status};
use super::entity::consultation_remark::Position;
use super::public::{RemarkView, forms, period, remark_view};
use super::rules;
use super::store;
use crate::meetings::entity::meeting;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use sea_orm::EntityTrait;
use wspolnie_web::AppState;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::{AppError, AppResult};
use wspolnie_web::fmt;

/// Counts of positions.
#[derive(Default)]
pub struct Tally {
    pub accepted: usize,
    pub partly: usize,
    pub rejected: usize,
}

/// Everything the report says.
pub struct Report {
    pub title: String,
    pub period: String,
    pub announced: String,
    pub audience: String,
    pub forms: Vec<String>,
    pub short_reason: String,
    /// Organisations that sent remarks (by name) and how many residents did.
    pub organisations: Vec<String>,
    pub residents: usize,
    pub meeting: Option<String>,
    pub minutes: String,
    /// The RDPP: when the draft went, by when it had to answer, its opinion (or that none came).
    pub rdpp: Option<(String, String, String)>,
    pub summary: String,
    pub remarks: Vec<RemarkView>,
    pub tally: Tally,
    pub consulted_version: i32,
    pub final_version: i32,
    pub redline: Vec<compare::Row>,
    pub reported: String,
}

/// The report of `c` as of now (the office's page shows it before publication too).
pub async fn build(state: &AppState, ctx: &PageCtx, c: &consultation::Model) -> AppResult<Report> {
    let db = &state.platform.db.conn;
    let versions = store::versions(db, c.id).await?;
    let all = store::remarks(db, c.id).await?;
    let consulted = versions
        .iter()
        .find(|v| v.number == c.consulted_version)
        .or(versions.first())
        .ok_or(AppError::NotFound)?;
    let last = versions.last().ok_or(AppError::NotFound)?;
    let mut organisations: Vec<String> =
        all.iter().filter(|r| !r.organization_name.is_empty()).map(|r| r.organization_name.clone()).collect();
    organisations.sort_by(|a, b| wspolnie_core::text::cmp_pl(a, b));
    organisations.dedup();
    let residents = {
        let mut who: Vec<&str> = all
            .iter()
            .filter(|r| r.organization_name.is_empty())
            .map(|r| if r.author_email.is_empty() { r.author_name.as_str() } else { r.author_email.as_str() })
            .collect();
        who.sort_unstable();
        who.dedup();
        who.len()
    };
    let mut tally = Tally::default();
    for r in &all {
        match r.position {
            Some(Position::Accepted) => tally.accepted += 1,
            Some(Position::Partly) => tally.partly += 1,
            Some(Position::Rejected) => tally.rejected += 1,
            None => {}
        }
    }
    let meeting = match c.meeting_id {
        Some(id) => meeting::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|m| format!("{} — {}", m.title, fmt::datetime(ctx.lang, m.starts_at))),
        None => None,
    };
    let rdpp = match c.rdpp_sent_on {
        Some(sent) if c.form_rdpp => {
            let days = rules::on(db, sent).await?.rdpp_days;
            let due = wspolnie_core::time::deadline_after(sent, days);
            let opinion = match c.rdpp_opinion_on {
                Some(on) => format!("{} ({})", c.rdpp_opinion_md, on.format("%d.%m.%Y")),
                None => ctx.t("cons-rdpp-none"),
            };
            Some((sent.format("%d.%m.%Y").to_string(), due.format("%d.%m.%Y").to_string(), opinion))
        }
        _ => None,
    };
    Ok(Report {
        title: c.title.clone(),
        period: period(ctx, c),
        announced: c.announced_at.map(|t| fmt::date(ctx.lang, t)).unwrap_or_default(),
        audience: ctx.t(&c.audience.label_key()),
        forms: forms(ctx, c),
        short_reason: c.short_reason.clone(),
        organisations,
        residents,
        meeting,
        minutes: c.minutes_md.clone(),
        rdpp,
        summary: c.summary_md.clone(),
        remarks: all.iter().map(|r| remark_view(ctx, r, &versions)).collect(),
        tally,
        consulted_version: consulted.number,
        final_version: last.number,
        redline: compare::rows(&store::units(consulted), &store::units(last), false),
        reported: c.reported_at.map(|t| fmt::date(ctx.lang, t)).unwrap_or_default(),
    })
}

#[derive(Template)]
#[template(path = "consultations/templates/public/report.html")]
struct ReportPage {
    ctx: PageCtx,
    slug: String,
    r: Report,
}

/// `GET /konsultacje/{slug}/raport`: the published report.
pub async fn page(State(state): State<AppState>, ctx: PageCtx, Path(slug): Path<String>) -> AppResult<Response> {
    let c = store::public_by_slug(&state.platform.db.conn, &slug)
        .await?
        .filter(|c| c.status == Status::Reported)
        .ok_or(AppError::NotFound)?;
    let r = build(&state, &ctx, &c).await?;
    Ok(Html(ReportPage { ctx, slug: c.slug, r }.render()?).into_response())
}
