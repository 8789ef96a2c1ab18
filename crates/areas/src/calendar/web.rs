//! The events calendar: list, month and week views with filters kept in the URL, the event page
//! and iCalendar (RFC 5545) files and feeds.
//!
//! The database narrows rows by `starts_at` / `last_ends_at`; occurrences of recurring events are
//! expanded in Rust (`wspolnie_core::recurrence`) in Europe/Warsaw wall-clock time. Invalid query
//! values (an unknown sphere, `miesiac=2027-13`, `od=bzdura`) are ignored, never an error page.

use crate::moderation::lifecycle::Publication;
use wspolnie_web::AppState;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::AppError;
use wspolnie_web::errors::AppResult;
use wspolnie_web::fmt;
use wspolnie_web::pagination::PER_PAGE;
use wspolnie_web::pagination::Pages;
use wspolnie_web::pagination::pages;
use wspolnie_web::forms::HtmlQuery;
use wspolnie_web::forms::first;
use serde::Deserialize;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc};
use sea_orm::sea_query::Query as SqlQuery;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};
use std::collections::BTreeMap;
use wspolnie_core::events::{CATEGORIES, OFFICE_CATEGORIES, is_listed_category};
use wspolnie_core::recurrence::{Freq, Recurrence, occurrences};
use wspolnie_core::time::{local_to_utc, to_local};
use crate::calendar::entity::event;
use crate::calendar::entity::event_sphere;
use crate::directory::entity::organization;
use wspolnie_platform::entity::sphere;

/// The feeds keep events that ended at most this many days ago.
const FEED_PAST_DAYS: i64 = 90;
/// Upcoming dates listed on a recurring event's page.
const NEXT_DATES: usize = 5;

// ---------- Items used by the home and organisation pages ----------

pub struct EventItem {
    pub slug: String,
    pub title: String,
    pub day: String,
    pub month: String,
    pub when: String,
    pub start_iso: String,
    pub place: Option<String>,
    pub online: bool,
}

fn rule(e: &event::Model) -> Option<Recurrence> {
    e.rrule.as_deref().and_then(Recurrence::parse)
}

fn all_occurrences(e: &event::Model) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    occurrences(e.starts_at, e.ends_at, rule(e).as_ref())
}

/// The next occurrence that has not ended (or the first one when all have).
fn next_occurrence(e: &event::Model, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    all_occurrences(e)
        .into_iter()
        .find(|(_, end)| *end >= now)
        .unwrap_or((e.starts_at, e.ends_at))
}

/// Upcoming events (`last_ends_at >= now`), soonest next occurrence first, at most `limit`: a
/// weekly series that began months ago sorts by its next meeting, not by its first.
pub async fn upcoming<C: ConnectionTrait>(
    db: &C,
    filter: Condition,
    limit: usize,
) -> Result<(u64, Vec<event::Model>), sea_orm::DbErr> {
    let now = Utc::now();
    let base = event::Entity::find()
        .filter(event::Column::Status.eq(Publication::Published))
        .filter(event::Column::LastEndsAt.gte(now))
        .filter(filter);
    let total = base.clone().count(db).await?;
    // A one-off event sorts by its start, so the database picks the first few; series (few)
    // are all read and placed by their next meeting.
    let mut all = base
        .clone()
        .filter(event::Column::Rrule.is_null())
        .order_by_asc(event::Column::StartsAt)
        .order_by_asc(event::Column::Id)
        .limit(limit as u64)
        .all(db)
        .await?;
    all.extend(
        base.filter(event::Column::Rrule.is_not_null())
            .all(db)
            .await?,
    );
    all.sort_by_cached_key(|e| (next_occurrence(e, now).0, e.id));
    all.truncate(limit);
    Ok((total, all))
}

/// A card for an event, dated by its next occurrence.
pub fn event_item(ctx: &PageCtx, e: event::Model) -> EventItem {
    let (start, end) = next_occurrence(&e, Utc::now());
    let (day, month) = fmt::day_month(ctx.lang, start);
    EventItem {
        when: fmt::range(ctx.lang, start, end),
        start_iso: fmt::iso(start),
        online: e.online_url.is_some(),
        slug: e.slug,
        title: e.title,
        day,
        month,
        place: e.place,
    }
}

// ---------- Names and dates (Fluent) ----------

fn month_name(ctx: &PageCtx, m: u32) -> String {
    ctx.t(&format!("calendar-month-{m}"))
}

fn weekday_name(ctx: &PageCtx, d: NaiveDate) -> String {
    ctx.t(&format!(
        "calendar-weekday-{}",
        d.weekday().number_from_monday()
    ))
}

/// `15 kwietnia 2027` / `15 April 2027`.
fn long_date(ctx: &PageCtx, d: NaiveDate) -> String {
    let month = ctx.t(&format!("calendar-month-gen-{}", d.month()));
    format!("{} {month} {}", d.day(), d.year())
}

/// `poniedziałek, 4 stycznia 2027`.
fn day_heading(ctx: &PageCtx, d: NaiveDate) -> String {
    format!("{}, {}", weekday_name(ctx, d), long_date(ctx, d))
}

fn hm(t: DateTime<Utc>) -> String {
    let l = to_local(t);
    format!("{:02}:{:02}", l.hour(), l.minute())
}

/// `co tydzień do 15 kwietnia 2027` / `every 2 weeks until 15 April 2027`.
pub fn describe_recurrence(ctx: &PageCtx, r: &Recurrence) -> String {
    let key = match r.freq {
        Freq::Weekly => "calendar-repeats-weekly",
        Freq::Monthly => "calendar-repeats-monthly",
    };
    ctx.t2(
        key,
        "count",
        &r.interval.to_string(),
        "date",
        &long_date(ctx, r.until),
    )
}

fn category_name(ctx: &PageCtx, code: &str) -> String {
    if is_listed_category(code) {
        ctx.t(&format!("event-category-{code}"))
    } else {
        String::new()
    }
}

/// Midnight (start of the day) in Warsaw as UTC; midnight always exists there.
fn day_start(d: NaiveDate) -> DateTime<Utc> {
    let naive = d.and_time(NaiveTime::MIN);
    local_to_utc(naive).unwrap_or_else(|| naive.and_utc())
}

fn today() -> NaiveDate {
    to_local(Utc::now()).date_naive()
}

// ---------- Filters ----------

/// The calendar's query string (list and feeds). Every field is text, read leniently by
/// `param`: a bad value is ignored, never a 400.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Params {
    #[serde(deserialize_with = "first")]
    sfera: String,
    #[serde(deserialize_with = "first")]
    organizacja: String,
    #[serde(deserialize_with = "first")]
    kategoria: String,
    #[serde(deserialize_with = "first")]
    bezplatne: String,
    #[serde(deserialize_with = "first")]
    widok: String,
    #[serde(deserialize_with = "first")]
    miesiac: String,
    #[serde(deserialize_with = "first")]
    od: String,
    #[serde(deserialize_with = "first")]
    strona: String,
}

/// A query parameter's value; values with control characters (PostgreSQL refuses NUL in text)
/// or longer than 200 bytes count as absent.
fn param(v: &str) -> &str {
    Some(v.trim())
        .filter(|v| v.len() <= 200 && !v.chars().any(char::is_control))
        .unwrap_or("")
}

/// Calendar filters as they appear in URLs; only values that exist are kept.
#[derive(Default, Clone)]
pub struct Filters {
    pub sfera: String,
    pub organizacja: String,
    pub kategoria: String,
    pub bezplatne: bool,
    sphere_id: Option<i64>,
    org_id: Option<i64>,
}

impl Filters {
    async fn from_query<C: ConnectionTrait>(db: &C, q: &Params) -> Result<Filters, DbErr> {
        let mut f = Filters::default();
        let code = param(&q.sfera);
        if !code.is_empty()
            && let Some(s) = sphere::Entity::find()
                .filter(sphere::Column::Code.eq(code))
                .filter(sphere::Column::ValidTo.is_null())
                .one(db)
                .await?
        {
            f.sfera = s.code;
            f.sphere_id = Some(s.id);
        }
        let slug = param(&q.organizacja);
        if !slug.is_empty()
            && let Some(o) = organization::Entity::find()
                .filter(organization::Column::Slug.eq(slug))
                .filter(organization::Column::Status.eq(organization::Status::Published))
                .one(db)
                .await?
        {
            f.organizacja = o.slug;
            f.org_id = Some(o.id);
        }
        let k = param(&q.kategoria);
        if is_listed_category(k) {
            k.clone_into(&mut f.kategoria);
        }
        f.bezplatne = param(&q.bezplatne) == "1";
        Ok(f)
    }

    /// Non-empty filters as URL pairs.
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        for (k, v) in [
            ("sfera", &self.sfera),
            ("organizacja", &self.organizacja),
            ("kategoria", &self.kategoria),
        ] {
            if !v.is_empty() {
                out.push((k, v.clone()));
            }
        }
        if self.bezplatne {
            out.push(("bezplatne", "1".to_owned()));
        }
        out
    }

    /// Published events matching the filters.
    fn select(&self) -> Select<event::Entity> {
        let mut q = event::Entity::find().filter(event::Column::Status.eq(Publication::Published));
        if let Some(id) = self.sphere_id {
            q = q.filter(
                event::Column::Id.in_subquery(
                    SqlQuery::select()
                        .column(event_sphere::Column::EventId)
                        .from(event_sphere::Entity)
                        .and_where(event_sphere::Column::SphereId.eq(id))
                        .to_owned(),
                ),
            );
        }
        if let Some(id) = self.org_id {
            q = q.filter(event::Column::OrganizationId.eq(id));
        }
        if !self.kategoria.is_empty() {
            q = q.filter(event::Column::Category.eq(self.kategoria.clone()));
        }
        if self.bezplatne {
            q = q.filter(event::Column::IsFree.eq(true));
        }
        q
    }
}

/// Events whose last occurrence ends at or after `t` (rows without `last_ends_at` use `ends_at`).
fn ends_after(t: DateTime<Utc>) -> Condition {
    Condition::any().add(event::Column::LastEndsAt.gte(t)).add(
        Condition::all()
            .add(event::Column::LastEndsAt.is_null())
            .add(event::Column::EndsAt.gte(t)),
    )
}

/// Published, filtered events with an occurrence overlapping `[from, to)`.
async fn events_between<C: ConnectionTrait>(
    db: &C,
    f: &Filters,
    from: DateTime<Utc>,
    to: Option<DateTime<Utc>>,
) -> Result<Vec<event::Model>, DbErr> {
    let mut q = f.select().filter(ends_after(from));
    if let Some(to) = to {
        q = q.filter(event::Column::StartsAt.lt(to));
    }
    q.order_by_asc(event::Column::StartsAt)
        .order_by_asc(event::Column::Id)
        .all(db)
        .await
}

fn href(path: &str, pairs: &[(&str, String)]) -> String {
    match serde_urlencoded::to_string(pairs) {
        Ok(q) if !q.is_empty() => format!("{path}?{q}"),
        _ => path.to_owned(),
    }
}

// ---------- Occurrences laid out by day ----------

struct Occ<'a> {
    event: &'a event::Model,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

/// Occurrences overlapping `[from, to)`, in start order.
fn expand(events: &[event::Model], from: DateTime<Utc>, to: Option<DateTime<Utc>>) -> Vec<Occ<'_>> {
    let mut out: Vec<Occ<'_>> = events
        .iter()
        .flat_map(|e| {
            all_occurrences(e)
                .into_iter()
                .filter(move |(s, en)| *en > from && to.is_none_or(|to| *s < to))
                .map(move |(start, end)| Occ {
                    event: e,
                    start,
                    end,
                })
        })
        .collect();
    out.sort_by_key(|o| (o.start, o.event.id));
    out
}

pub struct OccItem {
    pub slug: String,
    pub title: String,
    /// `18:00` on the first day, "continued" on the following days of a long event.
    pub time: String,
    pub when: String,
    pub start_iso: String,
    pub place: Option<String>,
    pub online: bool,
}

fn occ_item(ctx: &PageCtx, o: &Occ<'_>, first_day: bool) -> OccItem {
    OccItem {
        slug: o.event.slug.clone(),
        title: o.event.title.clone(),
        time: if first_day {
            hm(o.start)
        } else {
            ctx.t("calendar-continues")
        },
        when: fmt::range(ctx.lang, o.start, o.end),
        start_iso: fmt::iso(o.start),
        place: o.event.place.clone(),
        online: o.event.online_url.is_some(),
    }
}

/// Every local day in `[first, last]` an occurrence covers, with its item.
fn by_day(
    ctx: &PageCtx,
    occs: &[Occ<'_>],
    first: NaiveDate,
    last: NaiveDate,
) -> BTreeMap<NaiveDate, Vec<OccItem>> {
    let mut map: BTreeMap<NaiveDate, Vec<OccItem>> = BTreeMap::new();
    for o in occs {
        let sd = to_local(o.start).date_naive();
        // An event ending exactly at midnight does not cover the next day.
        let ed = if o.end > o.start {
            to_local(o.end - Duration::seconds(1)).date_naive()
        } else {
            sd
        };
        let mut d = sd.max(first);
        let end = ed.min(last);
        while d <= end {
            map.entry(d).or_default().push(occ_item(ctx, o, d == sd));
            match d.succ_opt() {
                Some(n) => d = n,
                None => break,
            }
        }
    }
    map
}

pub struct DayGroup {
    pub heading: String,
    pub iso: String,
    pub today: bool,
    pub items: Vec<OccItem>,
}

pub struct MonthCell {
    pub day: u32,
    pub iso: String,
    /// Weekday and month in words, so the cell is complete when shown as a list.
    pub weekday: String,
    pub month_gen: String,
    pub in_month: bool,
    pub today: bool,
    pub items: Vec<OccItem>,
}

pub struct MonthView {
    pub caption: String,
    pub headers: Vec<(String, String)>,
    pub weeks: Vec<Vec<MonthCell>>,
    pub count: usize,
    pub prev: (String, String),
    pub next: (String, String),
    pub current: Option<String>,
}

pub struct WeekView {
    pub label: String,
    pub days: Vec<DayGroup>,
    pub prev: String,
    pub next: String,
    pub current: Option<String>,
}

pub struct Choice {
    pub code: String,
    pub name: String,
    pub selected: bool,
}

pub struct ViewLink {
    pub href: String,
    pub label: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "calendar/templates/public/calendar.html")]
struct CalendarPage {
    ctx: PageCtx,
    page_title: String,
    view: &'static str,
    views: Vec<ViewLink>,
    /// Hidden fields of the filter form that keep the view and period.
    keep: Vec<(&'static str, String)>,
    f: Filters,
    spheres: Vec<Choice>,
    orgs: Vec<Choice>,
    categories: Vec<Choice>,
    feed_href: String,
    reset_href: String,
    /// A filter is set (an empty result then offers `reset_href`).
    filtered: bool,
    total: usize,
    list: Vec<DayGroup>,
    pages: Pages,
    month: Option<MonthView>,
    week: Option<WeekView>,
}

fn parse_month(s: &str) -> Option<NaiveDate> {
    let (y, m) = s.split_once('-')?;
    let (y, m) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
    if !(2000..=2100).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, 1)
}

fn parse_week(s: &str) -> Option<NaiveDate> {
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    if !(2000..=2100).contains(&d.year()) {
        return None;
    }
    Some(monday_of(d))
}

fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

fn add_months(first: NaiveDate, n: i32) -> NaiveDate {
    let m0 = first.year() * 12 + first.month0() as i32 + n;
    NaiveDate::from_ymd_opt(m0.div_euclid(12), m0.rem_euclid(12) as u32 + 1, 1).unwrap_or(first)
}

fn month_key(d: NaiveDate) -> String {
    d.format("%Y-%m").to_string()
}

async fn filter_choices<C: ConnectionTrait>(
    db: &C,
    ctx: &PageCtx,
    f: &Filters,
) -> Result<(Vec<Choice>, Vec<Choice>, Vec<Choice>), DbErr> {
    let spheres = sphere::Entity::find()
        .filter(sphere::Column::ValidTo.is_null())
        .order_by_asc(sphere::Column::Position)
        .all(db)
        .await?
        .iter()
        .map(|s| Choice {
            selected: s.code == f.sfera,
            code: s.code.clone(),
            name: wspolnie_web::fmt::sphere_name(ctx.lang, s),
        })
        .collect();
    // A subquery, not a list of ids: every organisation may have events.
    let orgs = organization::Entity::find()
        .filter(
            organization::Column::Id.in_subquery(
                SqlQuery::select()
                    .column(event::Column::OrganizationId)
                    .from(event::Entity)
                    .and_where(event::Column::Status.eq(Publication::Published))
                    .and_where(event::Column::OrganizationId.is_not_null())
                    .to_owned(),
            ),
        )
        .filter(organization::Column::Status.eq(organization::Status::Published))
        .order_by_asc(organization::Column::NameSort)
        .order_by_asc(organization::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|o| Choice {
            selected: o.slug == f.organizacja,
            code: o.slug,
            name: o.name,
        })
        .collect();
    let categories = CATEGORIES
        .iter()
        .chain(OFFICE_CATEGORIES.iter())
        .map(|c| Choice {
            code: (*c).to_owned(),
            name: category_name(ctx, c),
            selected: *c == f.kategoria,
        })
        .collect();
    Ok((spheres, orgs, categories))
}

pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    HtmlQuery(q): HtmlQuery<Params>,
) -> AppResult<Html<String>> {
    let db = &state.platform.db.conn;
    let f = Filters::from_query(db, &q).await?;
    let view = match param(&q.widok) {
        "miesiac" => "miesiac",
        "tydzien" => "tydzien",
        _ => "lista",
    };
    let fp = f.pairs();
    let with = |extra: &[(&'static str, String)]| -> Vec<(&'static str, String)> {
        let mut v: Vec<(&'static str, String)> = extra.to_vec();
        v.extend(fp.iter().map(|(k, v)| (*k, v.clone())));
        v
    };
    let views = [
        ("lista", "calendar-view-list"),
        ("miesiac", "calendar-view-month"),
        ("tydzien", "calendar-view-week"),
    ]
    .into_iter()
    .map(|(code, key)| ViewLink {
        href: if code == "lista" {
            href("/kalendarz", &with(&[]))
        } else {
            href("/kalendarz", &with(&[("widok", code.to_owned())]))
        },
        label: ctx.t(key),
        current: code == view,
    })
    .collect();
    let (spheres, orgs, categories) = filter_choices(db, &ctx, &f).await?;
    let now = Utc::now();
    let today = today();
    let title = ctx.t("calendar-title");
    let mut page = CalendarPage {
        page_title: title.clone(),
        view,
        views,
        keep: Vec::new(),
        feed_href: href("/kalendarz.ics", &fp),
        reset_href: if view == "lista" {
            "/kalendarz".to_owned()
        } else {
            href("/kalendarz", &[("widok", view.to_owned())])
        },
        filtered: !fp.is_empty(),
        f: f.clone(),
        spheres,
        orgs,
        categories,
        total: 0,
        list: Vec::new(),
        pages: pages("/kalendarz", &[], 1, 0),
        month: None,
        week: None,
        ctx,
    };
    let ctx = &page.ctx;
    match view {
        "miesiac" => {
            let first = parse_month(param(&q.miesiac))
                .unwrap_or_else(|| today.with_day(1).unwrap_or(today));
            let next_first = add_months(first, 1);
            let last = next_first.pred_opt().unwrap_or(first);
            let events =
                events_between(db, &f, day_start(first), Some(day_start(next_first))).await?;
            let occs = expand(&events, day_start(first), Some(day_start(next_first)));
            let mut days = by_day(ctx, &occs, first, last);
            let grid_start = monday_of(first);
            let grid_end = monday_of(last) + Duration::days(6);
            let mut weeks = Vec::new();
            let mut d = grid_start;
            while d <= grid_end {
                let mut week = Vec::with_capacity(7);
                for _ in 0..7 {
                    week.push(MonthCell {
                        day: d.day(),
                        iso: d.format("%Y-%m-%d").to_string(),
                        weekday: weekday_name(ctx, d),
                        month_gen: ctx.t(&format!("calendar-month-gen-{}", d.month())),
                        in_month: d.month() == first.month(),
                        today: d == today,
                        items: days.remove(&d).unwrap_or_default(),
                    });
                    d += Duration::days(1);
                }
                weeks.push(week);
            }
            let label = |m: NaiveDate| format!("{} {}", month_name(ctx, m.month()), m.year());
            let prev = add_months(first, -1);
            let caption = label(first);
            page.total = occs.len();
            page.keep = vec![("widok", view.to_owned()), ("miesiac", month_key(first))];
            page.page_title = format!("{title}: {caption}");
            let this_month = today.with_day(1).unwrap_or(today);
            page.month = Some(MonthView {
                headers: (0..7)
                    .map(|i| {
                        let n = i + 1;
                        (
                            ctx.t(&format!("calendar-weekday-{n}")),
                            ctx.t(&format!("calendar-weekday-short-{n}")),
                        )
                    })
                    .collect(),
                weeks,
                count: occs.len(),
                prev: (
                    href(
                        "/kalendarz",
                        &with(&[("widok", view.to_owned()), ("miesiac", month_key(prev))]),
                    ),
                    label(prev),
                ),
                next: (
                    href(
                        "/kalendarz",
                        &with(&[
                            ("widok", view.to_owned()),
                            ("miesiac", month_key(next_first)),
                        ]),
                    ),
                    label(next_first),
                ),
                current: (first != this_month)
                    .then(|| href("/kalendarz", &with(&[("widok", view.to_owned())]))),
                caption,
            });
        }
        "tydzien" => {
            let monday = parse_week(param(&q.od)).unwrap_or_else(|| monday_of(today));
            let sunday = monday + Duration::days(6);
            let to = day_start(monday + Duration::days(7));
            let events = events_between(db, &f, day_start(monday), Some(to)).await?;
            let occs = expand(&events, day_start(monday), Some(to));
            let mut days = by_day(ctx, &occs, monday, sunday);
            let week_href = |d: NaiveDate| {
                href(
                    "/kalendarz",
                    &with(&[
                        ("widok", view.to_owned()),
                        ("od", d.format("%Y-%m-%d").to_string()),
                    ]),
                )
            };
            page.total = occs.len();
            page.keep = vec![
                ("widok", view.to_owned()),
                ("od", monday.format("%Y-%m-%d").to_string()),
            ];
            let label = format!("{} – {}", long_date(ctx, monday), long_date(ctx, sunday));
            page.page_title = format!("{title}: {label}");
            page.week = Some(WeekView {
                label,
                days: (0..7)
                    .map(|i| {
                        let d = monday + Duration::days(i);
                        DayGroup {
                            heading: day_heading(ctx, d),
                            iso: d.format("%Y-%m-%d").to_string(),
                            today: d == today,
                            items: days.remove(&d).unwrap_or_default(),
                        }
                    })
                    .collect(),
                prev: week_href(monday - Duration::days(7)),
                next: week_href(monday + Duration::days(7)),
                current: (monday != monday_of(today))
                    .then(|| href("/kalendarz", &with(&[("widok", view.to_owned())]))),
            });
        }
        _ => {
            let events = events_between(db, &f, now, None).await?;
            let occs = expand(&events, now, None);
            let total = occs.len();
            let page_no = wspolnie_web::pagination::Page::parse(param(&q.strona))
                .within(total as u64, PER_PAGE);
            let skip = usize::try_from(wspolnie_web::pagination::Page::offset(page_no, PER_PAGE))
                .unwrap_or(usize::MAX);
            let shown: Vec<Occ<'_>> = occs
                .into_iter()
                .skip(skip)
                .take(PER_PAGE as usize)
                .collect();
            let mut groups: Vec<DayGroup> = Vec::new();
            for o in &shown {
                let d = to_local(o.start).date_naive();
                let iso = d.format("%Y-%m-%d").to_string();
                if groups.last().is_none_or(|g| g.iso != iso) {
                    groups.push(DayGroup {
                        heading: day_heading(ctx, d),
                        iso,
                        today: d == today,
                        items: Vec::new(),
                    });
                }
                if let Some(g) = groups.last_mut() {
                    g.items.push(occ_item(ctx, o, true));
                }
            }
            let fp_ref: Vec<(&str, &str)> = fp.iter().map(|(k, v)| (*k, v.as_str())).collect();
            page.pages = pages("/kalendarz", &fp_ref, page_no, total as u64);
            page.total = total;
            page.list = groups;
        }
    }
    Ok(Html(page.render()?))
}

// ---------- Event page ----------

#[derive(Template)]
#[template(path = "calendar/templates/public/event.html")]
struct EventPage {
    ctx: PageCtx,
    title: String,
    slug: String,
    when: String,
    start_iso: String,
    recurrence: Option<String>,
    /// Upcoming dates of a recurring event: (ISO start, text).
    next_dates: Vec<(String, String)>,
    ended: bool,
    place: Option<String>,
    online_url: Option<String>,
    organizer: Option<(String, String)>,
    category: String,
    category_code: String,
    spheres: Vec<String>,
    is_free: bool,
    price_info: String,
    registration_url: Option<String>,
    /// The announcement of the call whose offer deadline this entry is (category `konkurs`).
    call_url: Option<String>,
    poster: Option<(String, String)>,
    body_html: String,
}

fn web_url(u: Option<&str>) -> Option<String> {
    u.map(str::trim)
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .map(str::to_owned)
}

async fn published_event<C: ConnectionTrait>(db: &C, slug: &str) -> AppResult<event::Model> {
    event::Entity::find()
        .filter(event::Column::Slug.eq(slug))
        .filter(event::Column::Status.eq(Publication::Published))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> AppResult<Html<String>> {
    let db = &state.platform.db.conn;
    let e = published_event(db, &slug).await?;
    let organizer = match e.organization_id {
        Some(id) => organization::Entity::find_by_id(id)
            .filter(organization::Column::Status.eq(organization::Status::Published))
            .one(db)
            .await?
            .map(|o| (o.slug, o.name)),
        None => None,
    };
    let sphere_ids: Vec<i64> = event_sphere::Entity::find()
        .filter(event_sphere::Column::EventId.eq(e.id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.sphere_id)
        .collect();
    let spheres = sphere::Entity::find()
        .filter(sphere::Column::Id.is_in(sphere_ids))
        .order_by_asc(sphere::Column::Position)
        .all(db)
        .await?
        .iter()
        .map(|s| wspolnie_web::fmt::sphere_name(ctx.lang, s))
        .collect();
    let now = Utc::now();
    let r = rule(&e);
    let occs = all_occurrences(&e);
    let ended = occs.last().is_none_or(|(_, end)| *end < now);
    let (start, end) = next_occurrence(&e, now);
    let next_dates = if r.is_some() {
        occs.iter()
            .filter(|(_, end)| *end >= now)
            .take(NEXT_DATES)
            .map(|(s, en)| (fmt::iso(*s), fmt::range(ctx.lang, *s, *en)))
            .collect()
    } else {
        Vec::new()
    };
    let poster = e
        .poster_key
        .clone()
        .filter(|k| !k.is_empty())
        .map(|k| (k, e.poster_alt.clone()));
    let page = EventPage {
        title: e.title.clone(),
        when: fmt::range(ctx.lang, start, end),
        start_iso: fmt::iso(start),
        recurrence: r.as_ref().map(|r| describe_recurrence(&ctx, r)),
        next_dates,
        ended,
        place: e.place.clone().filter(|p| !p.trim().is_empty()),
        online_url: web_url(e.online_url.as_deref()),
        organizer,
        category: category_name(&ctx, &e.category),
        category_code: e.category.clone(),
        spheres,
        is_free: e.is_free,
        price_info: e.price_info.clone(),
        registration_url: web_url(e.registration_url.as_deref()),
        call_url: e
            .registration_url
            .clone()
            .filter(|u| e.category == "konkurs" && u.starts_with("/konkursy/")),
        poster,
        body_html: wspolnie_web::markdown::to_html(&e.description_md),
        slug: e.slug,
        ctx,
    };
    Ok(Html(page.render()?))
}

// ---------- iCalendar ----------

pub use wspolnie_core::ics;

struct IcsInfo {
    host: String,
    base: String,
}

fn ics_info(state: &AppState) -> IcsInfo {
    let base = state
        .platform
        .config
        .server
        .public_url
        .trim_end_matches('/')
        .to_owned();
    let host = url::Url::parse(&base)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "localhost".to_owned());
    IcsInfo { host, base }
}

fn write_event(w: &mut ics::Writer, ctx: &PageCtx, info: &IcsInfo, e: &event::Model) {
    w.raw("BEGIN", "VEVENT");
    w.raw("UID", &format!("event-{}@{}", e.id, info.host));
    w.raw("DTSTAMP", &ics::utc(e.updated_at));
    w.raw("CREATED", &ics::utc(e.created_at));
    w.raw("LAST-MODIFIED", &ics::utc(e.updated_at));
    w.raw("DTSTART;TZID=Europe/Warsaw", &ics::local(e.starts_at));
    w.raw("DTEND;TZID=Europe/Warsaw", &ics::local(e.ends_at));
    if let Some(r) = rule(e) {
        w.raw("RRULE", &r.ical_rrule());
    }
    w.text("SUMMARY", &e.title);
    let mut description = wspolnie_web::markdown::to_text(&e.description_md);
    if !e.is_free && !e.price_info.trim().is_empty() {
        description.push_str("\n\n");
        description.push_str(e.price_info.trim());
    }
    // An office entry links to a page of ours by its path (a call: `/konkursy/{slug}`).
    let registration = match e.registration_url.as_deref().map(str::trim) {
        Some(p) if p.starts_with('/') && !p.starts_with("//") => Some(format!("{}{p}", info.base)),
        other => web_url(other),
    };
    if let Some(u) = registration {
        description.push_str("\n\n");
        description.push_str(&ctx.t("calendar-registration"));
        description.push_str(": ");
        description.push_str(&u);
    }
    w.text("DESCRIPTION", description.trim());
    let location = e
        .place
        .clone()
        .filter(|p| !p.trim().is_empty())
        .or_else(|| web_url(e.online_url.as_deref()));
    if let Some(l) = location {
        w.text("LOCATION", &l);
    }
    let category = category_name(ctx, &e.category);
    if !category.is_empty() {
        w.text_list("CATEGORIES", &[category]);
    }
    w.raw("URL", &format!("{}/kalendarz/{}", info.base, e.slug));
    w.raw("STATUS", "CONFIRMED");
    w.raw("TRANSP", "OPAQUE");
    w.raw("END", "VEVENT");
}

fn calendar_ics(
    ctx: &PageCtx,
    info: &IcsInfo,
    name: Option<&str>,
    events: &[event::Model],
) -> String {
    let mut w = ics::Writer::new();
    w.raw("BEGIN", "VCALENDAR");
    w.raw("VERSION", "2.0");
    w.raw("PRODID", "-//Wspolnie//Calendar//EN");
    w.raw("CALSCALE", "GREGORIAN");
    w.raw("METHOD", "PUBLISH");
    if let Some(name) = name {
        w.text("X-WR-CALNAME", name);
        w.raw("X-WR-TIMEZONE", "Europe/Warsaw");
    }
    for (k, v) in ics::VTIMEZONE {
        w.raw(k, v);
    }
    for e in events {
        write_event(&mut w, ctx, info, e);
    }
    w.raw("END", "VCALENDAR");
    w.finish()
}

fn ics_response(body: String, filename: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

fn safe_filename(slug: &str) -> String {
    let s: String = slug
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if s.is_empty() { "wydarzenie".into() } else { s }
}

/// `/kalendarz/{slug}/wydarzenie.ics`: one event.
pub async fn event_ics(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let e = published_event(db, &slug).await?;
    let info = ics_info(&state);
    let body = calendar_ics(&ctx, &info, None, std::slice::from_ref(&e));
    Ok(ics_response(
        body,
        &format!("{}.ics", safe_filename(&e.slug)),
    ))
}

/// `/kalendarz.ics`: every published event not ended more than 90 days ago, with the filters.
pub async fn feed(
    State(state): State<AppState>,
    ctx: PageCtx,
    HtmlQuery(q): HtmlQuery<Params>,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let f = Filters::from_query(db, &q).await?;
    let from = Utc::now() - Duration::days(FEED_PAST_DAYS);
    let events = events_between(db, &f, from, None).await?;
    let name = format!("{} – {}", ctx.t("calendar-title"), ctx.site.office_name);
    let body = calendar_ics(&ctx, &ics_info(&state), Some(&name), &events);
    Ok(ics_response(body, "kalendarz.ics"))
}

/// `/organizacje/{slug}/kalendarz.ics`: one published organisation's events.
pub async fn organization_feed(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let org = organization::Entity::find()
        .filter(organization::Column::Slug.eq(slug))
        .filter(organization::Column::Status.eq(organization::Status::Published))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let f = Filters {
        org_id: Some(org.id),
        ..Filters::default()
    };
    let from = Utc::now() - Duration::days(FEED_PAST_DAYS);
    let events = events_between(db, &f, from, None).await?;
    let name = format!("{} – {}", ctx.t("calendar-title"), org.name);
    let body = calendar_ics(&ctx, &ics_info(&state), Some(&name), &events);
    Ok(ics_response(
        body,
        &format!("{}-kalendarz.ics", safe_filename(&org.slug)),
    ))
}
