//! The public pages of calls: `/konkursy` (open, upcoming and past calls with filters), the
//! announcement `/konkursy/{slug}` with every item of art. 13 UDPP and, after the deadline, the
//! offers received; the announcement as a tagged PDF; the open data (`/konkursy.csv`,
//! `/konkursy.json`). All cached for anonymous visitors (`Routes::cached`).

use crate::grants::entity::grant_call::{self, Status};
use crate::grants::model::{self as calls, Criterion, PriorFunding};
use crate::grants::public::{self, Filters, PUBLIC_STATUSES, ReceivedOffer, Section};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::{BTreeSet, HashMap};
use wspolnie_core::money::Money;
use wspolnie_platform::entity::sphere;
use wspolnie_platform::i18n::Lang;
use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::csv_out;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::{AppError, AppResult};
use wspolnie_web::fmt;

/// A day shown in words (noon Warsaw time stands for the day).
pub fn day_text(lang: Lang, d: NaiveDate) -> String {
    let t = wspolnie_core::time::local_to_utc(d.and_hms_opt(12, 0, 0).unwrap_or_default())
        .unwrap_or_else(|| d.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc());
    fmt::date(lang, t)
}

/// The sphere's name in `lang`, or its code when unknown.
pub fn sphere_text(lang: Lang, spheres: &HashMap<String, sphere::Model>, code: &str) -> String {
    spheres
        .get(code)
        .map(|s| fmt::sphere_name(lang, s))
        .unwrap_or_else(|| code.to_owned())
}

// ---------- The list ----------

/// One call on the list.
pub struct CallCard {
    pub slug: String,
    pub title: String,
    pub sphere: String,
    pub funds: String,
    pub deadline: String,
    pub deadline_iso: String,
    pub status: String,
}

pub struct SectionView {
    pub id: &'static str,
    pub heading: String,
    pub empty: String,
    pub cards: Vec<CallCard>,
}

pub struct Choice {
    pub code: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "grants/templates/public/calls.html")]
struct ListPage {
    ctx: PageCtx,
    sections: Vec<SectionView>,
    spheres: Vec<Choice>,
    statuses: Vec<Choice>,
    years: Vec<Choice>,
    filtered: bool,
    any: bool,
    shown: usize,
    query: String,
}

/// Fluent id of a status's name on the public pages.
pub fn status_label(s: Status) -> String {
    crate::grants::panel::status_label(s)
}

pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    RawQuery(query): RawQuery,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let now = Utc::now();
    let all = public::public_calls(db).await?;
    let spheres = public::spheres_by_code(db).await?;
    let f = Filters::read(query.as_deref(), &all);
    let mut sections: Vec<SectionView> = Section::ALL
        .iter()
        .map(|s| SectionView {
            id: match s {
                Section::Open => "otwarte",
                Section::Upcoming => "zapowiedziane",
                Section::Past => "zakonczone",
            },
            heading: ctx.t(s.heading()),
            empty: ctx.t(s.empty()),
            cards: Vec::new(),
        })
        .collect();
    let mut shown = 0;
    for c in all.iter().filter(|c| f.keeps(c, now)) {
        let status = calls::effective_status(c, now);
        let Some(section) = Section::of(status) else {
            continue;
        };
        let i = Section::ALL.iter().position(|s| *s == section).unwrap_or(0);
        shown += 1;
        sections[i].cards.push(CallCard {
            slug: c.slug.clone(),
            title: c.title.clone(),
            sphere: sphere_text(ctx.lang, &spheres, &c.sphere_code),
            funds: Money(c.funds_available).to_string(),
            deadline: fmt::datetime(ctx.lang, c.offer_deadline),
            deadline_iso: fmt::iso(c.offer_deadline),
            status: ctx.t(&status_label(status)),
        });
    }
    // Open and upcoming calls by the nearest deadline; past ones the latest first (as loaded).
    for s in sections.iter_mut().take(2) {
        s.cards.reverse();
    }
    let codes: BTreeSet<&str> = all.iter().map(|c| c.sphere_code.as_str()).collect();
    let mut sphere_choices: Vec<(i32, Choice)> = codes
        .into_iter()
        .map(|code| {
            (
                spheres.get(code).map_or(i32::MAX, |s| s.position),
                Choice {
                    code: code.to_owned(),
                    label: sphere_text(ctx.lang, &spheres, code),
                    selected: f.sfera == code,
                },
            )
        })
        .collect();
    sphere_choices.sort_by_key(|(p, _)| *p);
    let statuses = PUBLIC_STATUSES
        .iter()
        .map(|s| Choice {
            code: s.as_str().to_owned(),
            label: ctx.t(&status_label(*s)),
            selected: f.stan == Some(*s),
        })
        .collect();
    let years: BTreeSet<i32> = all.iter().map(public::year_of).collect();
    let years = years
        .into_iter()
        .rev()
        .map(|y| Choice {
            code: y.to_string(),
            label: y.to_string(),
            selected: f.rok == Some(y),
        })
        .collect();
    let page = ListPage {
        sections,
        spheres: sphere_choices.into_iter().map(|(_, c)| c).collect(),
        statuses,
        years,
        filtered: !f.is_empty(),
        any: !all.is_empty(),
        shown,
        query: f.query(),
        ctx,
    };
    Ok(Html(page.render()?).into_response())
}

// ---------- The announcement ----------

/// A labelled value of the announcement; `items` for a list (attachments), `pl` when the value
/// is Polish text the office wrote.
pub struct Fact {
    pub label: String,
    pub value: String,
    pub items: Vec<String>,
    pub pl: bool,
    /// The value as a link (the contact's e-mail).
    pub href: Option<String>,
}

impl Fact {
    fn new(label: String, value: String) -> Fact {
        Fact {
            label,
            value,
            items: Vec::new(),
            pl: false,
            href: None,
        }
    }

    fn pl(label: String, value: String) -> Fact {
        Fact {
            pl: true,
            ..Fact::new(label, value)
        }
    }
}

/// A table of the announcement: the first cell of each row is the row's header.
pub struct TableView {
    pub caption: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// One part of the announcement (the same parts make the page and the PDF).
pub struct Part {
    pub id: &'static str,
    pub heading: String,
    pub facts: Vec<Fact>,
    /// Markdown the office wrote.
    pub texts: Vec<String>,
    pub table: Option<TableView>,
    /// A sentence instead of an empty table.
    pub note: Option<String>,
}

impl Part {
    fn new(id: &'static str, heading: String) -> Part {
        Part {
            id,
            heading,
            facts: Vec::new(),
            texts: Vec::new(),
            table: None,
            note: None,
        }
    }
}

/// The call as the page and the PDF show it, in `lang`.
pub struct Announcement {
    pub status: Status,
    pub status_text: String,
    pub deadline: String,
    pub deadline_iso: String,
    pub offers_from: String,
    pub offers_from_iso: String,
    pub parts: Vec<Part>,
}

fn t(lang: Lang, key: &str) -> String {
    lang.t(key)
}

fn money(grosze: i64) -> String {
    Money(grosze).to_string()
}

/// Builds every item of art. 13 UDPP and the call's rules, in the order the page shows them.
pub fn announcement(
    lang: Lang,
    c: &grant_call::Model,
    sphere: String,
    offers: Option<&[ReceivedOffer]>,
    now: DateTime<Utc>,
) -> Announcement {
    let status = calls::effective_status(c, now);
    let yes_no = |b: bool| t(lang, if b { "call-yes" } else { "call-no" });
    let pct = |bp: i32| crate::grants::offer::percent_pl(i64::from(bp));
    let offers_from_at = c.offers_from.or(c.announced_at).unwrap_or(c.created_at);
    let mut parts = Vec::new();

    let mut task = Part::new("zadanie", t(lang, "call-part-task"));
    task.facts.push(Fact::pl(t(lang, "call-field-task-type"), c.task_type.clone()));
    task.facts.push(Fact::new(t(lang, "call-field-sphere"), sphere));
    task.facts.push(Fact::pl(t(lang, "call-field-number"), c.number.clone()));
    task.texts.push(c.description_md.clone());
    parts.push(task);

    let mut funds = Part::new("srodki", t(lang, "call-part-money"));
    funds.facts.push(Fact::new(t(lang, "call-field-funds"), money(c.funds_available)));
    funds.texts.push(c.grant_rules_md.clone());
    parts.push(funds);

    let mut dates = Part::new("realizacja", t(lang, "call-part-dates"));
    dates.facts.push(Fact::new(
        t(lang, "call-field-execution"),
        format!("{} – {}", day_text(lang, c.execution_from), day_text(lang, c.execution_to)),
    ));
    dates.texts.push(c.execution_conditions_md.clone());
    parts.push(dates);

    let mut submit = Part::new("skladanie", t(lang, "calls-part-submission"));
    submit.facts.push(Fact::new(
        t(lang, "calls-offers-accepted-from"),
        fmt::datetime(lang, offers_from_at),
    ));
    submit.facts.push(Fact::new(
        t(lang, "call-field-deadline"),
        format!("{} {}", fmt::datetime(lang, c.offer_deadline), t(lang, "calls-warsaw-time")),
    ));
    submit.facts.push(Fact::new(t(lang, "calls-form-version"), c.form_version.clone()));
    parts.push(submit);

    let mut selection = Part::new("wybor", t(lang, "call-field-procedure"));
    selection.facts.push(Fact::new(
        t(lang, "call-field-selection-date"),
        day_text(lang, c.selection_date),
    ));
    selection.texts.push(c.selection_procedure_md.clone());
    let criteria: Vec<Criterion> = calls::criteria_of(c);
    selection.table = Some(TableView {
        caption: t(lang, "call-part-criteria"),
        columns: vec![
            t(lang, "call-criterion-name"),
            t(lang, "calls-criterion-scale"),
            t(lang, "call-criterion-weight"),
        ],
        rows: criteria
            .into_iter()
            .map(|k| vec![k.name, format!("0–{}", k.max_points), k.weight.to_string()])
            .collect(),
    });
    parts.push(selection);

    let mut rules = Part::new("zasady", t(lang, "calls-part-rules"));
    rules.facts.push(Fact::new(
        t(lang, "call-field-max-grant"),
        c.max_grant.map(money).unwrap_or_else(|| t(lang, "calls-up-to-funds")),
    ));
    let kinds = calls::own_kinds_of(c)
        .iter()
        .map(|k| t(lang, &format!("call-own-kind-{k}")))
        .collect::<Vec<_>>()
        .join(", ");
    rules.facts.push(Fact::new(
        t(lang, "call-field-min-own"),
        if c.min_own_bp > 0 {
            format!("{} ({kinds})", pct(c.min_own_bp))
        } else {
            t(lang, "calls-own-not-required")
        },
    ));
    rules.facts.push(Fact::new(t(lang, "call-field-fees"), yes_no(c.fees_allowed)));
    rules.facts.push(Fact::new(
        t(lang, "call-field-admin-cap"),
        c.admin_cap_bp.map(pct).unwrap_or_else(|| t(lang, "call-no-limit")),
    ));
    rules.facts.push(Fact::new(
        t(lang, "calls-multi-year"),
        if c.max_years > 1 {
            lang.ta("calls-multi-year-yes", &[("count", &c.max_years.to_string())])
        } else {
            t(lang, "calls-multi-year-no")
        },
    ));
    rules.facts.push(Fact::new(t(lang, "call-field-joint"), yes_no(c.joint_allowed)));
    rules.facts.push(Fact::new(t(lang, "call-field-indicators"), yes_no(c.indicators_required)));
    let attachments = calls::lines(&c.required_attachments);
    rules.facts.push(Fact {
        label: t(lang, "call-field-attachments"),
        value: if attachments.is_empty() {
            t(lang, "calls-no-attachments")
        } else {
            String::new()
        },
        items: attachments,
        pl: true,
        href: None,
    });
    rules.facts.push(Fact::new(
        t(lang, "call-field-correction-days"),
        c.correction_days.to_string(),
    ));
    parts.push(rules);

    let prior: Vec<PriorFunding> = calls::prior_of(c);
    let mut earlier = Part::new("wczesniej", t(lang, "call-part-prior"));
    if prior.is_empty() {
        earlier.note = Some(t(lang, "calls-prior-none"));
    } else {
        earlier.table = Some(TableView {
            caption: t(lang, "call-part-prior"),
            columns: vec![
                t(lang, "call-prior-task"),
                t(lang, "call-prior-year"),
                t(lang, "calls-prior-amount"),
            ],
            rows: prior
                .into_iter()
                .map(|p| vec![p.task, p.year.to_string(), money(p.amount)])
                .collect(),
        });
    }
    parts.push(earlier);

    let mut received = Part::new("oferty", t(lang, "calls-offers-received"));
    match offers {
        None => received.note = Some(t(lang, "calls-offers-after-deadline")),
        Some([]) => received.note = Some(t(lang, "calls-offers-none")),
        Some(list) => {
            let total: i64 = list.iter().map(|o| o.requested_grant).sum();
            received.facts.push(Fact::new(
                t(lang, "calls-offers-count"),
                list.len().to_string(),
            ));
            received.facts.push(Fact::new(t(lang, "calls-offers-total"), money(total)));
            received.table = Some(TableView {
                caption: t(lang, "calls-offers-received"),
                columns: vec![
                    t(lang, "calls-offer-organization"),
                    t(lang, "calls-offer-title"),
                    t(lang, "calls-offer-requested"),
                ],
                rows: list
                    .iter()
                    .map(|o| {
                        vec![o.organization.clone(), o.title.clone(), money(o.requested_grant)]
                    })
                    .collect(),
            });
        }
    }
    parts.push(received);

    let mut contact = Part::new("kontakt", t(lang, "call-part-contact"));
    contact.facts.push(Fact::pl(t(lang, "call-field-contact-name"), c.contact_name.clone()));
    contact.facts.push(Fact {
        href: Some(format!("mailto:{}", c.contact_email)),
        ..Fact::new(t(lang, "call-field-contact-email"), c.contact_email.clone())
    });
    parts.push(contact);

    Announcement {
        status,
        status_text: t(lang, &status_label(status)),
        deadline: fmt::datetime(lang, c.offer_deadline),
        deadline_iso: fmt::iso(c.offer_deadline),
        offers_from: fmt::datetime(lang, offers_from_at),
        offers_from_iso: fmt::iso(offers_from_at),
        parts,
    }
}

/// A part as the page shows it: the office's Markdown rendered (sanitised).
pub struct PartView {
    pub part: Part,
    pub html: Vec<String>,
}

#[derive(Template)]
#[template(path = "grants/templates/public/call.html")]
struct CallPage {
    ctx: PageCtx,
    c: grant_call::Model,
    a: Announcement,
    parts: Vec<PartView>,
    accepts: bool,
    can_offer: bool,
    calendar: Option<String>,
    /// The results once the call is decided (offeror, task, score, amount).
    results: Vec<crate::grants::decision::ResultRow>,
    /// The annulment (art. 18a) and its date as shown.
    annulment: Option<crate::grants::annul::Annulment>,
    annulled_when: String,
    /// The priority task of the cooperation programme the call serves, and its programme's page.
    task: Option<(String, String)>,
}

async fn load(state: &AppState, slug: &str) -> AppResult<grant_call::Model> {
    public::public_call(&state.platform.db.conn, slug)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    current: Option<Extension<CurrentAccount>>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let c = load(&state, &slug).await?;
    let now = Utc::now();
    let spheres = public::spheres_by_code(db).await?;
    let offers = public::received_offers(db, &c, now).await?;
    let a = announcement(
        ctx.lang,
        &c,
        sphere_text(ctx.lang, &spheres, &c.sphere_code),
        offers.as_deref(),
        now,
    );
    let accepts = calls::accepts_offers(&c, now);
    // Members of an organisation get the way to an offer; the page is then not cached (the
    // cache serves only anonymous visitors).
    let can_offer = accepts
        && current
            .as_ref()
            .and_then(|Extension(cur)| cur.0.as_ref())
            .is_some_and(|acc| !acc.memberships.is_empty());
    let calendar = match c.event_id {
        Some(_) if c.status != Status::Annulled => Some(format!("konkurs-{}", c.slug)),
        _ => None,
    };
    let mut a = a;
    let parts = std::mem::take(&mut a.parts)
        .into_iter()
        .map(|part| PartView {
            html: part
                .texts
                .iter()
                .map(|md| wspolnie_web::markdown::to_html(md))
                .collect(),
            part,
        })
        .collect();
    let results = if c.status == Status::Decided {
        crate::grants::decision::results(db, c.id).await?
    } else {
        Vec::new()
    };
    let annulment = crate::grants::annul::of(ctx.lang, &c);
    let annulled_when = fmt::datetime(ctx.lang, crate::grants::annul::when(&c));
    let task = crate::programme::store::served_task(db, c.programme_task_id).await?;
    let page = CallPage {
        results,
        annulment,
        annulled_when,
        task,
        ctx,
        c,
        a,
        parts,
        accepts,
        can_offer,
        calendar,
    };
    Ok(Html(page.render()?).into_response())
}

/// A name safe in a `Content-Disposition` file name.
fn file_name(slug: &str) -> String {
    slug.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(80)
        .collect()
}

/// The announcement as a tagged PDF (A4, PDF/UA-1) for BIP and the notice board.
pub async fn pdf(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let c = load(&state, &slug).await?;
    let now = Utc::now();
    let lang = ctx.lang;
    let spheres = public::spheres_by_code(db).await?;
    let offers = public::received_offers(db, &c, now).await?;
    let a = announcement(
        lang,
        &c,
        sphere_text(lang, &spheres, &c.sphere_code),
        offers.as_deref(),
        now,
    );
    let base = state.platform.config.server.public_url.clone();
    let sections = a
        .parts
        .into_iter()
        .map(|p| wspolnie_pdf::DocSection {
            widths: Vec::new(),
            heading: p.heading,
            facts: p
                .facts
                .into_iter()
                .map(|f| {
                    let value = if f.items.is_empty() {
                        f.value
                    } else {
                        f.items.join("; ")
                    };
                    (f.label, value)
                })
                .collect(),
            paragraphs: p
                .texts
                .iter()
                .flat_map(|md| paragraphs(&wspolnie_web::markdown::to_mail_text(md)))
                .chain(p.note.map(|n| vec![n]))
                .collect(),
            table: p.table.map(|t| (t.columns, t.rows)),
        })
        .collect();
    let doc = wspolnie_pdf::CallDocument {
        title: c.title.clone(),
        lead_lines: vec![
            ctx.site.office_name.clone(),
            format!("{}: {}", lang.t("call-field-number"), c.number),
            format!("{}: {}", lang.t("call-field-status"), a.status_text),
        ],
        highlight: vec![
            format!(
                "{}: {} {}",
                lang.t("call-field-deadline"),
                a.deadline,
                lang.t("calls-warsaw-time")
            ),
            format!("{}: {}", lang.t("calls-offers-accepted-from"), a.offers_from),
        ],
        sections,
        footer: public::call_url(&base, &c),
        lang: lang.code().to_owned(),
    };
    let bytes = tokio::task::spawn_blocking(move || wspolnie_pdf::render_call(&doc))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("pdf task: {e}")))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!("pdf: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"ogloszenie-{}.pdf\"", file_name(&c.slug)),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Plain text split into paragraphs (blank lines), each a list of its lines.
fn paragraphs(text: &str) -> Vec<Vec<String>> {
    text.split("\n\n")
        .map(|p| {
            p.lines()
                .map(str::trim_end)
                .filter(|l| !l.trim().is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

// ---------- Open data ----------

/// Every public call as CSV (UTF-8 with a BOM, `;`, formula-safe cells), for a spreadsheet.
pub async fn export_csv(
    State(state): State<AppState>,
    ctx: PageCtx,
    RawQuery(query): RawQuery,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let now = Utc::now();
    let all = public::public_calls(db).await?;
    let f = Filters::read(query.as_deref(), &all);
    let spheres = public::spheres_by_code(db).await?;
    let base = state.platform.config.server.public_url.clone();
    let header: Vec<csv_out::Cell> = [
        "call-field-number",
        "call-field-title",
        "call-field-sphere",
        "call-field-task-type",
        "call-field-status",
        "calls-csv-funds",
        "calls-csv-max-grant",
        "calls-offers-accepted-from",
        "call-field-deadline",
        "call-field-execution-from",
        "call-field-execution-to",
        "call-field-selection-date",
        "calls-offers-count",
        "calls-csv-requested",
        "calls-csv-address",
    ]
    .iter()
    .map(|k| ctx.t(k).into())
    .collect();
    let mut rows = Vec::new();
    for c in all.iter().filter(|c| f.keeps(c, now)) {
        let offers = public::received_offers(db, c, now).await?;
        let status = calls::effective_status(c, now);
        let iso = |t: DateTime<Utc>| fmt::iso(t);
        rows.push(vec![
            c.number.clone().into(),
            c.title.clone().into(),
            sphere_text(ctx.lang, &spheres, &c.sphere_code).into(),
            c.task_type.clone().into(),
            ctx.t(&status_label(status)).into(),
            csv_out::typed(calls::money_text(c.funds_available)),
            csv_out::typed(c.max_grant.map(calls::money_text).unwrap_or_default()),
            csv_out::typed(iso(c.offers_from.or(c.announced_at).unwrap_or(c.created_at))),
            csv_out::typed(iso(c.offer_deadline)),
            csv_out::typed(c.execution_from.format("%Y-%m-%d").to_string()),
            csv_out::typed(c.execution_to.format("%Y-%m-%d").to_string()),
            csv_out::typed(c.selection_date.format("%Y-%m-%d").to_string()),
            csv_out::typed(offers.as_ref().map(|o| o.len().to_string()).unwrap_or_default()),
            csv_out::typed(
                offers
                    .as_ref()
                    .map(|o| calls::money_text(o.iter().map(|x| x.requested_grant).sum()))
                    .unwrap_or_default(),
            ),
            public::call_url(&base, c).into(),
        ]);
    }
    let body = csv_out::sheet(std::iter::once(header).chain(rows))?;
    Ok(csv_out::attachment("konkursy.csv", body))
}

/// Every public call as JSON, the same objects as the API gives.
pub async fn export_json(
    State(state): State<AppState>,
    ctx: PageCtx,
    RawQuery(query): RawQuery,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let now = Utc::now();
    let all = public::public_calls(db).await?;
    let f = Filters::read(query.as_deref(), &all);
    let kept: Vec<grant_call::Model> = all.into_iter().filter(|c| f.keeps(c, now)).collect();
    let list = crate::grants::api::call_list(&state, kept, ctx.lang, now).await?;
    Ok(axum::Json(list).into_response())
}

/// `GET /konkursy/{slug}/wyniki.pdf`: the results of a decided call as a tagged PDF for BIP and
/// the notice board (offeror, task, score, amount); 404 before the decision.
pub async fn results_pdf(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let c = load(&state, &slug).await?;
    let lang = ctx.lang;
    let base = state.platform.config.server.public_url.clone();
    if let Some(an) = crate::grants::annul::of(lang, &c) {
        return annulment_pdf(&ctx, &c, an, &base).await;
    }
    if c.status != Status::Decided {
        return Err(AppError::NotFound);
    }
    let rows = crate::grants::decision::results(db, c.id)
        .await?
        .into_iter()
        .map(|r| {
            vec![
                r.organization,
                r.title,
                r.score,
                match (r.granted, r.declined) {
                    (true, false) => r.amount,
                    (true, true) => format!("{} ({})", r.amount, lang.t("decision-declined")),
                    _ => lang.t("decision-not-granted"),
                },
            ]
        })
        .collect();
    let doc = wspolnie_pdf::TableDocument {
        title: format!("{}: {}", lang.t("decision-results"), c.title),
        subtitle_lines: vec![
            ctx.site.office_name.clone(),
            format!("{}: {}", lang.t("call-field-number"), c.number),
            format!("{}: {}", lang.t("call-field-funds"), Money(c.funds_available)),
        ],
        columns: vec![
            lang.t("decision-col-organization"),
            lang.t("decision-col-task"),
            lang.t("decision-col-score"),
            lang.t("decision-col-amount"),
        ],
        rows,
        footer: public::call_url(&base, &c),
        lang: lang.code().to_owned(),
        signature_column: false,
        signature_label: String::new(),
    };
    table_pdf(doc, &c).await
}

/// The table document as the call's `wyniki-….pdf` (rendered off the async threads).
async fn table_pdf(doc: wspolnie_pdf::TableDocument, c: &grant_call::Model) -> AppResult<Response> {
    let bytes = tokio::task::spawn_blocking(move || wspolnie_pdf::render_table(&doc))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("pdf task: {e}")))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!("pdf: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"wyniki-{}.pdf\"", file_name(&c.slug)),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// An annulled call's notice (art. 18a ust. 2: published like results): the ground, the reason,
/// the date, and the offers that had come in.
async fn annulment_pdf(
    ctx: &PageCtx,
    c: &grant_call::Model,
    an: crate::grants::annul::Annulment,
    base: &str,
) -> AppResult<Response> {
    let lang = ctx.lang;
    let mut rows = vec![
        vec![lang.t("annul-col-date"), fmt::datetime(lang, crate::grants::annul::when(c))],
        vec![lang.t("annul-col-ground"), an.ground_text],
    ];
    if !an.reason.is_empty() {
        rows.push(vec![lang.t("annul-col-reason"), an.reason]);
    }
    let doc = wspolnie_pdf::TableDocument {
        title: format!("{}: {}", lang.t("annul-heading"), c.title),
        subtitle_lines: vec![
            ctx.site.office_name.clone(),
            format!("{}: {}", lang.t("call-field-number"), c.number),
        ],
        columns: vec![lang.t("annul-col-item"), lang.t("annul-col-value")],
        rows,
        footer: public::call_url(base, c),
        lang: lang.code().to_owned(),
        signature_column: false,
        signature_label: String::new(),
    };
    table_pdf(doc, c).await
}

/// `GET /konkursy.atom`: calls as they are announced, and each decided call's results, newest
/// first (at most 50 entries).
pub async fn feed(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    use atom_syndication::{ContentBuilder, EntryBuilder, FeedBuilder, LinkBuilder, PersonBuilder, Text};
    let db = &state.platform.db.conn;
    let base = state.platform.config.server.public_url.trim_end_matches('/').to_owned();
    let office = ctx.site.office_name.clone();
    let pl = wspolnie_platform::i18n::Lang::Pl;
    // The office writes calls in Polish; in an English feed their texts say so (xml:lang).
    let content_lang = (ctx.lang != pl).then(|| pl.code().to_owned());
    let text = |value: &str| Text {
        lang: content_lang.clone(),
        ..Text::plain(value)
    };
    let link = |href: String| {
        LinkBuilder::default()
            .href(href)
            .rel("alternate")
            .mime_type(Some("text/html".into()))
            .build()
    };
    // (when, entry)
    let mut entries = Vec::new();
    for c in public::public_calls(db).await? {
        let url = public::call_url(&base, &c);
        let announced = c.announced_at.unwrap_or(c.created_at);
        entries.push((
            announced,
            EntryBuilder::default()
                .id(url.clone())
                .title(text(&c.title))
                .updated(c.updated_at.max(announced).fixed_offset())
                .published(Some(announced.fixed_offset()))
                .authors(vec![PersonBuilder::default().name(office.clone()).build()])
                .links(vec![link(url.clone())])
                .summary(Some(text(&format!(
                    "{} {}: {}",
                    c.number,
                    ctx.t("call-field-deadline"),
                    calls_when(ctx.lang, c.offer_deadline)
                ))))
                .content(Some(
                    ContentBuilder::default()
                        .content_type(Some("html".into()))
                        .lang(content_lang.clone())
                        .value(Some(wspolnie_web::markdown::to_html(&c.description_md)))
                        .build(),
                ))
                .build(),
        ));
        if let Some(an) = crate::grants::annul::of(ctx.lang, &c) {
            let when = crate::grants::annul::when(&c);
            let summary = if an.reason.is_empty() {
                an.ground_text.clone()
            } else {
                format!("{}\n{}", an.ground_text, an.reason)
            };
            entries.push((
                when,
                EntryBuilder::default()
                    .id(format!("{url}#uniewaznienie"))
                    .title(text(&format!("{}: {}", ctx.t("annul-heading"), c.title)))
                    .updated(when.fixed_offset())
                    .published(Some(when.fixed_offset()))
                    .authors(vec![PersonBuilder::default().name(office.clone()).build()])
                    .links(vec![link(format!("{url}#uniewaznienie"))])
                    .summary(Some(text(&summary)))
                    .build(),
            ));
        }
        if c.status == Status::Decided {
            let results = crate::grants::decision::results(db, c.id).await?;
            let decided = crate::grants::entity::grant_decision_line::Entity::find()
                .filter(crate::grants::entity::grant_decision_line::Column::CallId.eq(c.id))
                .one(db)
                .await?
                .map_or(c.updated_at, |l| l.decided_at);
            let lines: Vec<String> = results
                .iter()
                .map(|r| {
                    format!(
                        "{} — {}: {} ({})",
                        r.organization,
                        r.title,
                        if r.granted { r.amount.clone() } else { ctx.t("decision-not-granted") },
                        r.score
                    )
                })
                .collect();
            entries.push((
                decided,
                EntryBuilder::default()
                    .id(format!("{url}#wyniki"))
                    .title(text(&format!("{}: {}", ctx.t("decision-results"), c.title)))
                    .updated(decided.fixed_offset())
                    .published(Some(decided.fixed_offset()))
                    .authors(vec![PersonBuilder::default().name(office.clone()).build()])
                    .links(vec![link(format!("{url}#wyniki"))])
                    .summary(Some(text(&lines.join("\n"))))
                    .build(),
            ));
        }
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.0));
    entries.truncate(50);
    let updated = entries.first().map_or_else(Utc::now, |(t, _)| *t).fixed_offset();
    let self_url = format!("{base}/konkursy.atom");
    let feed = FeedBuilder::default()
        .id(self_url.clone())
        .title(Text::plain(ctx.t1("calls-feed-title", "city", &ctx.site.city_name)))
        .updated(updated)
        .lang(Some(ctx.lang.code().to_owned()))
        .authors(vec![PersonBuilder::default().name(office).build()])
        .links(vec![
            LinkBuilder::default()
                .href(self_url)
                .rel("self")
                .mime_type(Some("application/atom+xml".into()))
                .build(),
            LinkBuilder::default()
                .href(format!("{base}/konkursy"))
                .rel("alternate")
                .mime_type(Some("text/html".into()))
                .build(),
        ])
        .entries(entries.into_iter().map(|(_, e)| e).collect::<Vec<_>>())
        .build();
    Ok((
        [
            (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        feed.to_string(),
    )
        .into_response())
}

fn calls_when(lang: Lang, t: DateTime<Utc>) -> String {
    fmt::datetime(lang, t)
}
