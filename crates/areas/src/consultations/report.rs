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
use axum::http::header;
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
    // The version announced is the one consulted; later ones answer the remarks.
    let consulted = versions.first().ok_or(AppError::NotFound)?;
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

/// Plain text as paragraphs (blank lines), each a list of its lines.
fn paragraphs(text: &str) -> Vec<Vec<String>> {
    text.split("\n\n")
        .map(|p| p.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()).map(str::to_owned).collect::<Vec<_>>())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The words of one side of a redline row as plain text (the documents show the whole text
/// before and after; the page marks the words).
fn plain(parts: &[crate::moderation::word_diff::Part]) -> String {
    parts.iter().map(|p| p.text.as_str()).collect()
}

/// The report as a document for BIP (the same data as the page): the PDF and the ODT are made
/// from it.
pub fn document(ctx: &PageCtx, r: &Report, url: &str) -> wspolnie_pdf::CallDocument {
    use wspolnie_pdf::{CallDocument, DocSection};
    let mut facts = vec![
        (ctx.t("cons-period"), r.period.clone()),
        (ctx.t("cons-announced"), r.announced.clone()),
        (ctx.t("cons-audience"), r.audience.clone()),
        (ctx.t("cons-forms"), r.forms.join(", ")),
    ];
    if !r.short_reason.is_empty() {
        facts.push((ctx.t("cons-short-reason"), r.short_reason.clone()));
    }
    let mut participants = r.organisations.join(", ");
    if r.residents > 0 {
        if !participants.is_empty() {
            participants.push_str("; ");
        }
        participants.push_str(&ctx.tn("cons-residents", r.residents));
    }
    facts.push((ctx.t("cons-participants"), if participants.is_empty() { "—".into() } else { participants }));
    if let Some(m) = &r.meeting {
        facts.push((ctx.t("cons-form-meeting"), m.clone()));
    }
    if let Some((sent, due, opinion)) = &r.rdpp {
        facts.push((ctx.t("cons-rdpp"), format!("{} {}", ctx.t2("cons-rdpp-clock", "sent", sent, "due", due), opinion)));
    }
    facts.push((ctx.t("cons-report-published"), r.reported.clone()));
    let mut sections = vec![
        DocSection { heading: ctx.t("cons-report-data"), facts, ..Default::default() },
        DocSection { heading: ctx.t("cons-summary"), paragraphs: paragraphs(&r.summary), ..Default::default() },
    ];
    if !r.minutes.is_empty() {
        sections.push(DocSection { heading: ctx.t("cons-minutes"), paragraphs: paragraphs(&r.minutes), ..Default::default() });
    }
    sections.push(DocSection {
        heading: ctx.t("cons-report-remarks"),
        table: Some((
            vec![
                ctx.t("cons-col-no"),
                ctx.t("cons-col-author"),
                ctx.t("cons-col-unit"),
                ctx.t("cons-proposal"),
                ctx.t("cons-justification"),
                ctx.t("cons-position"),
                ctx.t("cons-col-answer"),
            ],
            r.remarks
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    vec![
                        (i + 1).to_string(),
                        m.author.clone(),
                        m.unit.clone(),
                        m.proposal.clone(),
                        m.justification.clone(),
                        m.position.clone(),
                        m.answer.clone(),
                    ]
                })
                .collect(),
        )),
        widths: vec![2, 6, 5, 8, 8, 6, 9],
        ..Default::default()
    });
    let changed: Vec<Vec<String>> = r
        .redline
        .iter()
        .filter(|row| row.change != "same")
        .map(|row| vec![row.label.clone(), ctx.t(&row.key()), plain(&row.before), plain(&row.after)])
        .collect();
    let widths = if changed.is_empty() { vec![] } else { vec![3, 3, 10, 10] };
    sections.push(DocSection {
        heading: ctx.t("cons-redline"),
        paragraphs: vec![vec![ctx.t2(
            "cons-changes-lead-doc",
            "from",
            &r.consulted_version.to_string(),
            "to",
            &r.final_version.to_string(),
        )]],
        table: (!changed.is_empty()).then(|| {
            (
                vec![
                    ctx.t("cons-col-unit"),
                    ctx.t("cons-col-change"),
                    ctx.t1("cons-version-n", "number", &r.consulted_version.to_string()),
                    ctx.t1("cons-version-n", "number", &r.final_version.to_string()),
                ],
                changed,
            )
        }),
        widths,
        ..Default::default()
    });
    CallDocument {
        title: format!("{}: {}", ctx.t("cons-report-title"), r.title),
        lead_lines: vec![ctx.site.office_name.clone(), r.period.clone()],
        highlight: vec![format!(
            "{}: {} {}, {} {}, {} {}",
            ctx.tn("cons-remarks-count", r.remarks.len()),
            ctx.t("cons-position-accepted"),
            r.tally.accepted,
            ctx.t("cons-position-partly"),
            r.tally.partly,
            ctx.t("cons-position-rejected"),
            r.tally.rejected
        )],
        sections,
        footer: url.to_owned(),
        lang: ctx.lang.code().to_owned(),
    }
}

async fn reported(state: &AppState, ctx: &PageCtx, slug: &str) -> AppResult<(consultation::Model, wspolnie_pdf::CallDocument)> {
    let c = store::public_by_slug(&state.platform.db.conn, slug)
        .await?
        .filter(|c| c.status == Status::Reported)
        .ok_or(AppError::NotFound)?;
    let r = build(state, ctx, &c).await?;
    let url = format!("{}/raport", store::url(&state.platform.config.server.public_url, &c));
    Ok((c, document(ctx, &r, &url)))
}

fn file(bytes: Vec<u8>, media_type: &'static str, name: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, media_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /konsultacje/{slug}/raport.pdf`: the report as a tagged PDF.
pub async fn pdf(State(state): State<AppState>, ctx: PageCtx, Path(slug): Path<String>) -> AppResult<Response> {
    let (c, doc) = reported(&state, &ctx, &slug).await?;
    let bytes = tokio::task::spawn_blocking(move || wspolnie_pdf::render_call(&doc))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("pdf task: {e}")))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!("pdf: {e}")))?;
    Ok(file(bytes, "application/pdf", format!("raport-{}.pdf", c.slug)))
}

/// `GET /konsultacje/{slug}/raport.odt`: the report as ODT (for BIP).
pub async fn odt(State(state): State<AppState>, ctx: PageCtx, Path(slug): Path<String>) -> AppResult<Response> {
    let (c, doc) = reported(&state, &ctx, &slug).await?;
    let bytes = wspolnie_pdf::render_odt(&doc).map_err(|e| AppError::Internal(anyhow::anyhow!("odt: {e}")))?;
    Ok(file(bytes, "application/vnd.oasis.opendocument.text", format!("raport-{}.odt", c.slug)))
}
