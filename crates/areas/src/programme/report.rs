//! The report on a year of the programme as tables and charts: built once (`build`) from the
//! figures, the programme's tasks and indicators, the office's narrative and the year before's
//! published figures; the page (public and the office's preview), the PDF and ODT for BIP
//! (`document`) and the CSV of each table are made from the same `ReportView`.

use super::entity::programme;
use super::entity::programme_report::{self as report, Status as ReportStatus};
use super::entity::programme_indicator;
use super::figures::{self, Figures, Metric};
use super::store;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use std::collections::HashMap;
use wspolnie_platform::markdown::to_html;
use wspolnie_core::money::Money;
use wspolnie_web::AppState;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::{AppError, AppResult};

/// One bar of a chart: its label, the value as shown, and the bar's length in the chart's units
/// (0–`BAR_MAX`); `mark` draws a second, outlined bar (the plan or the target).
pub struct Bar {
    pub label: String,
    pub value: String,
    pub length: i64,
    pub mark: Option<i64>,
    /// Top of the label's line and of the bar, in the chart's units.
    pub y_label: i64,
    pub y_bar: i64,
}

/// A horizontal bar chart (SVG drawn by the template); the table beside it holds the same data.
pub struct Chart {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub bars: Vec<Bar>,
    pub height: i64,
    /// The legend of the outlined bars, when there are any.
    pub mark_label: String,
    pub bar_label: String,
}

/// The longest bar, in the chart's units (the drawing is 640 wide).
pub const BAR_MAX: i64 = 460;
const ROW: i64 = 46;

impl Chart {
    fn new(id: &str, title: String, desc: String, rows: Vec<(String, String, i64, Option<i64>)>) -> Chart {
        let max = rows.iter().map(|r| r.2.max(r.3.unwrap_or(0))).max().unwrap_or(0).max(1);
        let scale = |v: i64| i64::try_from(i128::from(v.max(0)) * i128::from(BAR_MAX) / i128::from(max)).unwrap_or(0);
        let bars: Vec<Bar> = rows
            .into_iter()
            .enumerate()
            .map(|(i, (label, value, n, mark))| {
                let top = i64::try_from(i).unwrap_or(0) * ROW + 8;
                Bar { label, value, length: scale(n), mark: mark.map(scale), y_label: top + 14, y_bar: top + 20 }
            })
            .collect();
        let height = i64::try_from(bars.len()).unwrap_or(0) * ROW + 16;
        Chart { id: id.into(), title, desc, bars, height, mark_label: String::new(), bar_label: String::new() }
    }

    fn legend(mut self, bar: String, mark: String) -> Chart {
        self.bar_label = bar;
        self.mark_label = mark;
        self
    }
}

/// One table of the report, with its CSV name and the columns holding numbers.
pub struct Table {
    /// Its address segment (`zadania` → `…/zadania.csv`) and anchor.
    pub name: &'static str,
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Columns aligned right (numbers).
    pub numeric_from: usize,
    pub chart: Option<Chart>,
    /// Shares of the columns' widths in the PDF.
    pub widths: Vec<u16>,
}

/// Everything the report shows.
pub struct ReportView {
    pub title: String,
    pub year: i32,
    pub published: Option<String>,
    pub introduction: String,
    pub financial: String,
    pub non_financial: String,
    pub conclusions: String,
    /// The narrative as HTML (for the page).
    pub html: [String; 4],
    pub tables: Vec<Table>,
    /// The year before's published report exists (the comparison table is among the tables).
    pub compared_with: Option<i32>,
}

fn money(g: i64) -> String {
    Money(g).to_string()
}

fn num(n: impl ToString) -> String {
    n.to_string()
}

fn pct(part: i64, whole: i64) -> String {
    if whole <= 0 {
        return "—".into();
    }
    format!("{} %", i128::from(part) * 100 / i128::from(whole))
}

/// The report's view. `previous` are the figures of the year before when its report is published.
#[allow(clippy::too_many_arguments)]
pub fn build(
    ctx: &PageCtx,
    p: &programme::Model,
    year: i32,
    r: Option<&report::Model>,
    f: &Figures,
    indicators: &[programme_indicator::Model],
    spheres: &HashMap<String, String>,
    previous: Option<&Figures>,
) -> ReportView {
    let mut tables = Vec::new();
    let row = |k: &str, v: String| vec![ctx.t(k), v];
    tables.push(Table {
        name: "finanse",
        title: ctx.t("prog-table-financial"),
        columns: vec![ctx.t("prog-col-figure"), ctx.t("prog-col-value")],
        rows: vec![
            row("prog-fig-calls", num(f.calls)),
            row("prog-fig-calls-annulled", num(f.calls_annulled)),
            row("prog-fig-offers", num(f.offers)),
            row("prog-fig-offers-granted", num(f.offers_granted)),
            row("prog-fig-granted", money(f.granted)),
            row("prog-fig-small-offers", num(f.small_offers)),
            row("prog-fig-small-granted-count", num(f.small_granted_count)),
            row("prog-fig-small-granted", money(f.small_granted)),
            row("prog-fig-contracts", num(f.contracts)),
            row("prog-fig-contracts-settled", num(f.contracts_settled)),
            row("prog-fig-paid", money(f.paid)),
            row("prog-fig-returned", money(f.returned)),
            row("prog-fig-organisations-offering", num(f.organisations_offering)),
        ],
        numeric_from: 1,
        chart: None,
        widths: vec![3, 1],
    });
    let task_label = |r: &figures::Row| {
        if r.key.is_empty() { ctx.t("prog-task-none") } else { format!("{}. {}", r.key, r.label) }
    };
    tables.push(Table {
        name: "zadania",
        title: ctx.t("prog-table-tasks"),
        columns: vec![
            ctx.t("prog-col-task"),
            ctx.t("prog-col-planned"),
            ctx.t("prog-col-calls"),
            ctx.t("prog-col-offers"),
            ctx.t("prog-col-grants"),
            ctx.t("prog-col-granted"),
            ctx.t("prog-col-share"),
        ],
        rows: f
            .by_task
            .iter()
            .map(|r| {
                vec![
                    task_label(r),
                    r.planned.map(money).unwrap_or_else(|| "—".into()),
                    num(r.calls),
                    num(r.offers),
                    num(r.granted_count),
                    money(r.granted),
                    r.planned.map(|pl| pct(r.granted, pl)).unwrap_or_else(|| "—".into()),
                ]
            })
            .collect(),
        numeric_from: 1,
        chart: Some(
            Chart::new(
                "chart-tasks",
                ctx.t("prog-chart-tasks"),
                ctx.t("prog-chart-tasks-desc"),
                f.by_task.iter().map(|r| (task_label(r), money(r.granted), r.granted, r.planned)).collect(),
            )
            .legend(ctx.t("prog-col-granted"), ctx.t("prog-col-planned")),
        ),
        widths: vec![6, 3, 2, 2, 2, 3, 2],
    });
    let sphere_label = |code: &str| spheres.get(code).cloned().unwrap_or_else(|| code.to_owned());
    tables.push(Table {
        name: "sfery",
        title: ctx.t("prog-table-spheres"),
        columns: vec![
            ctx.t("prog-col-sphere"),
            ctx.t("prog-col-calls"),
            ctx.t("prog-col-offers"),
            ctx.t("prog-col-grants"),
            ctx.t("prog-col-granted"),
        ],
        rows: f
            .by_sphere
            .iter()
            .map(|r| vec![sphere_label(&r.key), num(r.calls), num(r.offers), num(r.granted_count), money(r.granted)])
            .collect(),
        numeric_from: 1,
        chart: Some(Chart::new(
            "chart-spheres",
            ctx.t("prog-chart-spheres"),
            ctx.t("prog-chart-spheres-desc"),
            f.by_sphere.iter().map(|r| (sphere_label(&r.key), money(r.granted), r.granted, None)).collect(),
        )),
        widths: vec![6, 2, 2, 2, 3],
    });
    let nf: Vec<(&str, u64)> = vec![
        ("prog-fig-organisations-taking-part", f.organisations_taking_part),
        ("prog-fig-consultations", f.consultations),
        ("prog-fig-remarks", f.remarks),
        ("prog-fig-remarks-accepted", f.remarks_accepted),
        ("prog-fig-remarks-partly", f.remarks_partly),
        ("prog-fig-meetings", f.meetings),
        ("prog-fig-meeting-invitations", f.meeting_invitations),
        ("prog-fig-attendance", f.meeting_attendance),
        ("prog-fig-trainings", f.trainings),
        ("prog-fig-partner-activities", f.partner_activities),
        ("prog-fig-partner-interests", f.partner_interests),
        ("prog-fig-patronages", f.patronages),
        ("prog-fig-promotions", f.promotions),
        ("prog-fig-subscribers", f.subscribers),
        ("prog-fig-mailings", f.mailings),
        ("prog-fig-mails-sent", f.mails_sent),
    ];
    let charted = [
        "prog-fig-consultations",
        "prog-fig-meetings",
        "prog-fig-trainings",
        "prog-fig-partner-activities",
        "prog-fig-patronages",
        "prog-fig-promotions",
    ];
    let as_i64 = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    tables.push(Table {
        name: "wspolpraca",
        title: ctx.t("prog-table-non-financial"),
        columns: vec![ctx.t("prog-col-figure"), ctx.t("prog-col-value")],
        rows: nf.iter().map(|(k, v)| vec![ctx.t(k), num(v)]).collect(),
        numeric_from: 1,
        chart: Some(Chart::new(
            "chart-cooperation",
            ctx.t("prog-chart-cooperation"),
            ctx.t("prog-chart-cooperation-desc"),
            nf.iter()
                .filter(|(k, _)| charted.contains(k))
                .map(|(k, v)| (ctx.t(k), num(v), as_i64(*v), None))
                .collect(),
        )),
        widths: vec![3, 1],
    });
    let manual = store::manual_values(r);
    let values = figures::indicators(indicators, f, &manual);
    let shown = |m: Metric, v: i64| if m.is_money() { money(v) } else { num(v) };
    tables.push(Table {
        name: "wskazniki",
        title: ctx.t("prog-table-indicators"),
        columns: vec![
            ctx.t("prog-col-indicator"),
            ctx.t("prog-col-source"),
            ctx.t("prog-col-target"),
            ctx.t("prog-col-value"),
            ctx.t("prog-col-achieved"),
        ],
        rows: values
            .iter()
            .map(|v| {
                vec![
                    v.name.clone(),
                    ctx.t(&v.metric.label_key()),
                    shown(v.metric, v.target),
                    v.value.map(|x| shown(v.metric, x)).unwrap_or_else(|| ctx.t("prog-no-value")),
                    v.percent.map(|p| format!("{p} %")).unwrap_or_else(|| "—".into()),
                ]
            })
            .collect(),
        numeric_from: 2,
        chart: Some(
            Chart::new(
                "chart-indicators",
                ctx.t("prog-chart-indicators"),
                ctx.t("prog-chart-indicators-desc"),
                values
                    .iter()
                    .map(|v| {
                        let p = v.percent.unwrap_or(0);
                        (v.name.clone(), v.percent.map(|p| format!("{p} %")).unwrap_or_else(|| "—".into()), p, Some(100))
                    })
                    .collect(),
            )
            .legend(ctx.t("prog-col-achieved"), ctx.t("prog-col-target")),
        ),
        widths: vec![5, 3, 2, 2, 2],
    });
    if let Some(before) = previous {
        let rows = figures::compare(before, f)
            .into_iter()
            .map(|c| {
                let show = |v: i64| if c.money { money(v) } else { num(v) };
                let change = c.now.saturating_sub(c.before);
                let sign = if change > 0 { "+" } else { "" };
                vec![
                    ctx.t(c.label),
                    show(c.before),
                    show(c.now),
                    format!("{sign}{}", show(change)),
                ]
            })
            .collect();
        tables.push(Table {
            name: "porownanie",
            title: ctx.t1("prog-table-comparison", "year", &(year - 1).to_string()),
            columns: vec![
                ctx.t("prog-col-figure"),
                (year - 1).to_string(),
                year.to_string(),
                ctx.t("prog-col-change"),
            ],
            rows,
            numeric_from: 1,
            chart: None,
            widths: vec![4, 2, 2, 2],
        });
    }
    ReportView {
        title: ctx.t2("prog-report-of", "year", &year.to_string(), "title", &p.title),
        year,
        published: r
            .filter(|r| r.status == ReportStatus::Published)
            .and_then(|r| r.published_at)
            .map(|t| wspolnie_web::fmt::date(ctx.lang, t)),
        introduction: r.map(|r| r.introduction.clone()).unwrap_or_default(),
        financial: r.map(|r| r.financial.clone()).unwrap_or_default(),
        non_financial: r.map(|r| r.non_financial.clone()).unwrap_or_default(),
        conclusions: r.map(|r| r.conclusions.clone()).unwrap_or_default(),
        html: [
            r.map(|r| to_html(&r.introduction)).unwrap_or_default(),
            r.map(|r| to_html(&r.financial)).unwrap_or_default(),
            r.map(|r| to_html(&r.non_financial)).unwrap_or_default(),
            r.map(|r| to_html(&r.conclusions)).unwrap_or_default(),
        ],
        tables,
        compared_with: previous.map(|_| year - 1),
    }
}

/// The names of the spheres in the page's language, by code.
pub async fn sphere_names(state: &AppState, ctx: &PageCtx) -> AppResult<HashMap<String, String>> {
    Ok(crate::grants::public::spheres_by_code(&state.platform.db.conn)
        .await?
        .into_iter()
        .map(|(code, s)| (code, wspolnie_web::fmt::sphere_name(ctx.lang, &s)))
        .collect())
}

/// The report of `year` of `p` with what it needs: the stored report, the figures (frozen or
/// computed now) and the year before's published ones.
pub async fn view_of(
    state: &AppState,
    ctx: &PageCtx,
    p: &programme::Model,
    year: i32,
) -> AppResult<(Option<report::Model>, ReportView)> {
    let db = &state.platform.db.conn;
    let r = store::report_of(db, p.id, year).await?;
    let f = store::figures_of(db, p, year, r.as_ref()).await?;
    let previous = match store::for_year(db, year - 1).await? {
        Some(before) => store::report_of(db, before.id, year - 1)
            .await?
            .filter(|r| r.status == ReportStatus::Published)
            .and_then(|r| r.figures)
            .and_then(|f| serde_json::from_str::<Figures>(&f).ok()),
        None => None,
    };
    let indicators = store::indicators(db, p.id).await?;
    let spheres = sphere_names(state, ctx).await?;
    let view = build(ctx, p, year, r.as_ref(), &f, &indicators, &spheres, previous.as_ref());
    Ok((r, view))
}

/// A published report of a public programme, by its address.
async fn published(state: &AppState, ctx: &PageCtx, slug: &str, year: i32) -> AppResult<(programme::Model, ReportView)> {
    let p = store::public_by_slug(&state.platform.db.conn, slug).await?.ok_or(AppError::NotFound)?;
    let (r, view) = view_of(state, ctx, &p, year).await?;
    if r.is_none_or(|r| r.status != ReportStatus::Published) {
        return Err(AppError::NotFound);
    }
    Ok((p, view))
}

#[derive(Template)]
#[template(path = "programme/templates/public/report.html")]
struct ReportPage {
    ctx: PageCtx,
    slug: String,
    programme_title: String,
    csv_base: String,
    v: ReportView,
}

/// `GET /program/{slug}/sprawozdanie/{year}`: the published report.
pub async fn page(State(state): State<AppState>, ctx: PageCtx, Path((slug, year)): Path<(String, i32)>) -> AppResult<Response> {
    let (p, v) = published(&state, &ctx, &slug, year).await?;
    let csv_base = format!("/program/{}/sprawozdanie/{year}", p.slug);
    Ok(Html(ReportPage { ctx, slug: p.slug, programme_title: p.title, csv_base, v }.render()?).into_response())
}

fn paragraphs(text: &str) -> Vec<Vec<String>> {
    text.split("\n\n")
        .map(|p| p.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()).map(str::to_owned).collect::<Vec<_>>())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The report as a document for BIP: the narrative and every table, the same data as the page.
pub fn document(ctx: &PageCtx, v: &ReportView, url: &str) -> wspolnie_pdf::CallDocument {
    use wspolnie_pdf::{CallDocument, DocSection};
    let mut sections = Vec::new();
    for (key, text) in [("prog-report-introduction", &v.introduction)] {
        if !text.is_empty() {
            sections.push(DocSection { heading: ctx.t(key), paragraphs: paragraphs(text), ..Default::default() });
        }
    }
    let narrative_after = |name: &str| match name {
        "finanse" => Some(("prog-report-financial", &v.financial)),
        "wspolpraca" => Some(("prog-report-non-financial", &v.non_financial)),
        _ => None,
    };
    for t in &v.tables {
        sections.push(DocSection {
            heading: t.title.clone(),
            table: Some((t.columns.clone(), t.rows.clone())),
            widths: t.widths.clone(),
            ..Default::default()
        });
        if let Some((key, text)) = narrative_after(t.name)
            && !text.is_empty()
        {
            sections.push(DocSection { heading: ctx.t(key), paragraphs: paragraphs(text), ..Default::default() });
        }
    }
    if !v.conclusions.is_empty() {
        sections.push(DocSection {
            heading: ctx.t("prog-report-conclusions"),
            paragraphs: paragraphs(&v.conclusions),
            ..Default::default()
        });
    }
    CallDocument {
        title: v.title.clone(),
        lead_lines: vec![ctx.site.office_name.clone()],
        highlight: v.published.iter().map(|d| ctx.t1("prog-report-published-on", "date", d)).collect(),
        sections,
        footer: url.to_owned(),
        lang: ctx.lang.code().to_owned(),
    }
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

fn doc_url(state: &AppState, p: &programme::Model, year: i32) -> String {
    format!("{}/sprawozdanie/{year}", store::url(&state.platform.config.server.public_url, p))
}

/// `GET /program/{slug}/sprawozdanie/{year}/raport.pdf`: the report as a tagged PDF.
pub async fn pdf(State(state): State<AppState>, ctx: PageCtx, Path((slug, year)): Path<(String, i32)>) -> AppResult<Response> {
    let (p, v) = published(&state, &ctx, &slug, year).await?;
    let doc = document(&ctx, &v, &doc_url(&state, &p, year));
    let bytes = tokio::task::spawn_blocking(move || wspolnie_pdf::render_call(&doc))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("pdf task: {e}")))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!("pdf: {e}")))?;
    Ok(file(bytes, "application/pdf", format!("sprawozdanie-{year}-{}.pdf", p.slug)))
}

/// `GET /program/{slug}/sprawozdanie/{year}/raport.odt`: the report as ODT.
pub async fn odt(State(state): State<AppState>, ctx: PageCtx, Path((slug, year)): Path<(String, i32)>) -> AppResult<Response> {
    let (p, v) = published(&state, &ctx, &slug, year).await?;
    let doc = document(&ctx, &v, &doc_url(&state, &p, year));
    let bytes = wspolnie_pdf::render_odt(&doc).map_err(|e| AppError::Internal(anyhow::anyhow!("odt: {e}")))?;
    Ok(file(bytes, "application/vnd.oasis.opendocument.text", format!("sprawozdanie-{year}-{}.odt", p.slug)))
}

/// `GET /program/{slug}/sprawozdanie/{year}/{table}`: one table as CSV (`zadania.csv` …).
pub async fn csv(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((slug, year, name)): Path<(String, i32, String)>,
) -> AppResult<Response> {
    let (p, v) = published(&state, &ctx, &slug, year).await?;
    let table = name
        .strip_suffix(".csv")
        .and_then(|n| v.tables.iter().find(|t| t.name == n))
        .ok_or(AppError::NotFound)?;
    let rows = std::iter::once(table.columns.clone()).chain(table.rows.iter().cloned());
    let body = wspolnie_web::csv_out::sheet(rows).map_err(AppError::Internal)?;
    Ok(wspolnie_web::csv_out::attachment(&format!("{}-{year}-{}.csv", table.name, p.slug), body))
}
