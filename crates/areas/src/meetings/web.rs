//! Meetings (issue 6, point 5): the public list and page (`/spotkania`), the answer page of a
//! signed invitation link, the official's panel (`/panel/spotkania`: form, invitations with the
//! minimum notice, cancellation, minutes, attendance list as CSV and PDF) and the member's list
//! of invitations (`/panel/moje-spotkania`).

use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::auth::signed;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::ctx::redirect_with_flash;
use wspolnie_web::errors::AppError;
use wspolnie_web::errors::AppResult;
use wspolnie_web::errors::{CONTACT_OFFICE, NextStep};
use wspolnie_web::forms::Errors;
use wspolnie_web::forms::HtmlForm;
use wspolnie_web::forms::first;
use wspolnie_web::forms::localise;
use wspolnie_platform::validation::FieldErrors;
use crate::admin::web::actor;
use wspolnie_web::fmt;
use crate::mailings::web::Check;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::Extension;
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use std::collections::HashMap;
use crate::meetings::entity::meeting;
use crate::meetings::entity::meeting_invitation as inv;
use crate::directory::entity::organization;
use crate::meetings::model as meetings;
use crate::meetings::model::Answer;
use crate::meetings::model::AnswerError;
use crate::meetings::model::EditEffect;
use crate::meetings::model::InviteError;
use crate::meetings::model::MeetingData;

/// The meeting form (`/panel/spotkania/nowe`, `/panel/spotkania/{id}/edycja`); validated by
/// `MeetingData::validate`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MeetingForm {
    #[serde(deserialize_with = "first")]
    title: String,
    #[serde(deserialize_with = "first")]
    agenda: String,
    #[serde(deserialize_with = "first")]
    date: String,
    #[serde(deserialize_with = "first")]
    start_time: String,
    #[serde(deserialize_with = "first")]
    end_time: String,
    #[serde(deserialize_with = "first")]
    place: String,
    #[serde(deserialize_with = "first")]
    online_url: String,
    #[serde(deserialize_with = "first")]
    capacity: String,
    #[serde(deserialize_with = "first")]
    max_party: String,
    #[serde(deserialize_with = "first")]
    lang: String,
    /// "1": every organisation is invited.
    #[serde(deserialize_with = "first")]
    organizations: String,
    sphere: Vec<String>,
    topic: Vec<String>,
    #[serde(deserialize_with = "first")]
    custom: String,
}

impl From<MeetingForm> for MeetingData {
    fn from(f: MeetingForm) -> MeetingData {
        MeetingData {
            title: f.title,
            agenda: f.agenda,
            date: f.date,
            start_time: f.start_time,
            end_time: f.end_time,
            place: f.place,
            online_url: f.online_url,
            capacity: f.capacity,
            max_party: f.max_party,
            lang: f.lang,
            all_organizations: f.organizations == "1",
            spheres: f.sphere,
            topics: f.topic,
            custom: f.custom,
        }
    }
}

/// The answer to an invitation (`/spotkania/{slug}/odpowiedz`).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AnswerForm {
    /// "tak" or "nie".
    #[serde(deserialize_with = "first")]
    answer: String,
    #[serde(deserialize_with = "first")]
    party: String,
    #[serde(deserialize_with = "first")]
    comment: String,
}

impl AnswerForm {
    /// The answer for a meeting admitting `max_party` people per invitation, or the field errors
    /// (Fluent ids). Trims the party size, which the page shows again as trimmed.
    fn validate(&mut self, max_party: i32) -> Result<Answer, FieldErrors> {
        self.party = self.party.trim().to_owned();
        let mut errors = FieldErrors::new();
        let attending = match self.answer.as_str() {
            "tak" => true,
            "nie" => false,
            _ => {
                errors.insert("answer-tak".into(), ("meeting-error-answer", vec![]));
                false
            }
        };
        let party = if self.party.is_empty() {
            1
        } else {
            self.party.parse::<i32>().unwrap_or(0)
        };
        if attending && !(1..=max_party).contains(&party) {
            errors.insert(
                "party".into(),
                ("meeting-error-party", vec![("max", max_party.to_string())]),
            );
        }
        if self.comment.trim().chars().count() > meetings::COMMENT_MAX {
            errors.insert("comment".into(), ("meeting-error-comment", vec![]));
        }
        crate::meetings::limits::ANSWER.check_fields(
            &mut errors,
            &[("party", &self.party), ("comment", &self.comment)],
        );
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Answer {
            attending,
            party_size: party,
            comment: self.comment.clone(),
        })
    }
}

/// The invitations' sending form on a meeting's page.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InviteForm {
    /// Why the invitations go out later than the minimum notice, when they do.
    #[serde(deserialize_with = "first")]
    reason: String,
}

/// The minutes form on a meeting's page: `action=opublikuj` publishes, anything else saves.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MinutesForm {
    #[serde(deserialize_with = "first")]
    minutes: String,
    #[serde(deserialize_with = "first")]
    action: String,
}

impl MinutesForm {
    fn publish(&self) -> bool {
        self.action == "opublikuj"
    }

    /// The Fluent id of what is wrong with the text, if anything.
    fn validate(&self) -> Option<&'static str> {
        if self.publish() && self.minutes.trim().is_empty() {
            Some("meeting-error-minutes-empty")
        } else if self.minutes.len() > 100_000 {
            Some("meeting-error-minutes-long")
        } else {
            None
        }
    }
}

/// "10 grudnia 2026, 18:00–20:00" in the page's language.
fn when(ctx: &PageCtx, m: &meeting::Model) -> String {
    let s = wspolnie_core::time::to_local(m.starts_at);
    let e = wspolnie_core::time::to_local(m.ends_at);
    if s.date_naive() == e.date_naive() {
        format!(
            "{}, {}–{}",
            fmt::date(ctx.lang, m.starts_at),
            s.format("%H:%M"),
            e.format("%H:%M")
        )
    } else {
        format!(
            "{} – {}",
            fmt::datetime(ctx.lang, m.starts_at),
            fmt::datetime(ctx.lang, m.ends_at)
        )
    }
}

async fn load(state: &AppState, id: i64) -> AppResult<meeting::Model> {
    meeting::Entity::find_by_id(id)
        .one(&state.platform.db.conn)
        .await?
        .ok_or(AppError::NotFound)
}

fn seats_left(m: &meeting::Model) -> Option<i32> {
    m.capacity.map(|c| (c - m.seats_taken).max(0))
}

// ---------- public ----------

pub struct ListItem {
    pub slug: String,
    pub title: String,
    pub when: String,
    pub start_iso: String,
    pub place: String,
    pub online: bool,
    pub cancelled: bool,
    pub minutes: bool,
    pub seats_left: Option<i32>,
}

fn list_item(ctx: &PageCtx, m: &meeting::Model) -> ListItem {
    ListItem {
        slug: m.slug.clone(),
        title: m.title.clone(),
        when: when(ctx, m),
        start_iso: fmt::iso(m.starts_at),
        place: m.place.clone().unwrap_or_default(),
        online: m.online_url.is_some(),
        cancelled: m.status == meetings::Status::Cancelled,
        minutes: m.minutes_published_at.is_some(),
        seats_left: seats_left(m),
    }
}

#[derive(Template)]
#[template(path = "meetings/templates/public/meetings.html")]
struct PublicList {
    ctx: PageCtx,
    upcoming: Vec<ListItem>,
    past: Vec<ListItem>,
}

pub async fn public_list(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let now = Utc::now();
    let upcoming = meeting::Entity::find()
        .filter(meeting::Column::Status.ne(meetings::Status::Draft))
        .filter(meeting::Column::EndsAt.gte(now))
        .order_by_asc(meeting::Column::StartsAt)
        .limit(100)
        .all(db)
        .await?
        .iter()
        .map(|m| list_item(&ctx, m))
        .collect();
    let past = meeting::Entity::find()
        .filter(meeting::Column::Status.eq(meetings::Status::Invited))
        .filter(meeting::Column::EndsAt.lt(now))
        .order_by_desc(meeting::Column::StartsAt)
        .limit(30)
        .all(db)
        .await?
        .iter()
        .map(|m| list_item(&ctx, m))
        .collect();
    Ok(Html(
        PublicList {
            ctx,
            upcoming,
            past,
        }
        .render()?,
    )
    .into_response())
}

#[derive(Template)]
#[template(path = "meetings/templates/public/meeting.html")]
struct PublicPage {
    ctx: PageCtx,
    m: ListItem,
    agenda_html: String,
    minutes_html: String,
    over: bool,
}

pub async fn public_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let m = meeting::Entity::find()
        .filter(meeting::Column::Slug.eq(slug))
        .filter(meeting::Column::Status.ne(meetings::Status::Draft))
        .one(&state.platform.db.conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let page = PublicPage {
        agenda_html: wspolnie_web::markdown::to_html(&m.agenda_md),
        minutes_html: if m.minutes_published_at.is_some() {
            wspolnie_web::markdown::to_html(&m.minutes_md)
        } else {
            String::new()
        },
        over: m.ends_at < Utc::now(),
        m: list_item(&ctx, &m),
        ctx,
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AnswerQuery {
    /// Kept as text: a malformed link gets the "link not valid" page, not a 400.
    i: String,
    s: String,
    a: String,
}

/// Next steps on the page of an invitation link that is not valid.
const ANSWER_NEXT: &[NextStep] = &[
    NextStep {
        href: "/panel/moje-spotkania",
        label: "link-next-my-meetings",
    },
    NextStep {
        href: "/spotkania",
        label: "link-next-meetings",
    },
    CONTACT_OFFICE,
];

#[derive(Template)]
#[template(path = "meetings/templates/public/meeting_answer.html")]
struct AnswerPage {
    ctx: PageCtx,
    m: ListItem,
    online_url: String,
    email: String,
    action: String,
    status_label: String,
    choice: String,
    party: String,
    comment: String,
    max_party: i32,
    closed: bool,
    errors: Errors,
}

async fn answer_target(
    state: &AppState,
    slug: &str,
    q: &AnswerQuery,
) -> AppResult<(inv::Model, meeting::Model)> {
    let Ok(id) = q.i.parse::<i64>() else {
        return Err(AppError::LinkInvalid(ANSWER_NEXT));
    };
    meetings::by_signature(&state.platform.db.conn, state.keys.secret(), slug, id, &q.s)
        .await?
        .ok_or(AppError::LinkInvalid(ANSWER_NEXT))
}

#[allow(clippy::too_many_arguments)]
fn answer_page(
    ctx: PageCtx,
    i: &inv::Model,
    m: &meeting::Model,
    q: &AnswerQuery,
    choice: String,
    party: String,
    comment: String,
    errors: Errors,
) -> AppResult<Response> {
    let page = AnswerPage {
        m: list_item(&ctx, m),
        online_url: m.online_url.clone().unwrap_or_default(),
        email: i.email.clone(),
        action: format!("/spotkania/{}/odpowiedz?i={}&s={}", m.slug, q.i, q.s),
        status_label: ctx.t(&format!("meeting-istatus-{}", i.status)),
        choice,
        party,
        comment,
        max_party: m.max_party,
        closed: m.status != meetings::Status::Invited || m.starts_at <= Utc::now(),
        errors,
        ctx,
    };
    Ok(Html(page.render()?).into_response())
}

/// The page behind an invitation's links: shows the current answer and a form whose button
/// records the new one (`a=tak|nie` preselects it). Nothing is recorded by opening the link.
pub async fn answer_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
    Query(q): Query<AnswerQuery>,
) -> AppResult<Response> {
    let (i, m) = answer_target(&state, &slug, &q).await?;
    let choice = match (q.a.as_str(), i.status) {
        ("tak", _) => "tak",
        ("nie", _) => "nie",
        (_, meetings::InvitationStatus::Declined) => "nie",
        (_, meetings::InvitationStatus::Attending | meetings::InvitationStatus::Waitlisted) => "tak",
        _ => "",
    };
    let comment = i.comment.clone();
    let party = i.party_size.to_string();
    answer_page(
        ctx,
        &i,
        &m,
        &q,
        choice.to_owned(),
        party,
        comment,
        Errors::default(),
    )
}

pub async fn answer_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
    Query(q): Query<AnswerQuery>,
    HtmlForm(mut f): HtmlForm<AnswerForm>,
) -> AppResult<Response> {
    let (i, m) = answer_target(&state, &slug, &q).await?;
    let mut errors = Errors::default();
    match f.validate(m.max_party) {
        Err(fe) => {
            errors = localise(&ctx, &fe);
            // In the order of the fields on the page.
            errors.order(&["answer-tak", "party", "comment"]);
        }
        Ok(a) => {
            match meetings::answer(&state.platform, &state.platform.db.conn, i.id, &a).await? {
                Ok(status) => {
                    let back = format!("/spotkania/{}/odpowiedz?i={}&s={}", m.slug, q.i, q.s);
                    return Ok(redirect_with_flash(
                        &state,
                        &back,
                        &format!("flash-meeting-{status}"),
                    ));
                }
                Err(AnswerError::Closed) => errors.add("answer-tak", ctx.t("meeting-error-closed")),
                Err(AnswerError::BadParty) => errors.add(
                    "party",
                    ctx.t1("meeting-error-party", "max", &m.max_party.to_string()),
                ),
                Err(AnswerError::CommentTooLong) => {
                    errors.add("comment", ctx.t("meeting-error-comment"))
                }
                Err(AnswerError::NoRoom { left }) => errors.add(
                    "party",
                    ctx.t1("meeting-error-no-room", "count", &left.to_string()),
                ),
            }
        }
    }
    // Show the stored state of the invitation with the user's input.
    let (i, m) = answer_target(&state, &slug, &q).await?;
    answer_page(ctx, &i, &m, &q, f.answer, f.party, f.comment, errors)
}

// ---------- the member's invitations ----------

pub struct MyRow {
    pub title: String,
    pub when: String,
    pub status: String,
    pub email: String,
    pub link: String,
    pub open: bool,
}

#[derive(Template)]
#[template(path = "meetings/templates/account/meetings.html")]
struct MyPage {
    ctx: PageCtx,
    rows: Vec<MyRow>,
}

/// Invitations to the person's address or to their organisations, each with a link to its
/// answer page (the same signed page the e-mail leads to), so members answer here too.
pub async fn mine(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let orgs: Vec<i64> = acc.memberships.iter().map(|(o, _)| *o).collect();
    let list = meetings::invitations_for(&state.platform.db.conn, &acc.user.email, &orgs).await?;
    let now = Utc::now();
    let rows = list
        .iter()
        .map(|(i, m)| MyRow {
            title: m.title.clone(),
            when: when(&ctx, m),
            status: if m.status == meetings::Status::Cancelled {
                ctx.t("meeting-status-cancelled")
            } else {
                ctx.t(&format!("meeting-istatus-{}", i.status))
            },
            email: i.email.clone(),
            link: meetings::answer_url("", state.keys.secret(), m, i, ""),
            open: m.status == meetings::Status::Invited && m.starts_at > now,
        })
        .collect();
    Ok(Html(MyPage { ctx, rows }.render()?).into_response())
}

// ---------- panel ----------

pub struct PanelRow {
    pub id: i64,
    pub title: String,
    pub when: String,
    pub status: String,
    pub answers: String,
}

#[derive(Template)]
#[template(path = "meetings/templates/admin/meetings.html")]
struct PanelList {
    ctx: PageCtx,
    rows: Vec<PanelRow>,
}

pub async fn panel_list(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let list = meeting::Entity::find()
        .order_by_desc(meeting::Column::StartsAt)
        .limit(200)
        .all(db)
        .await?;
    let mut rows = Vec::new();
    for m in list {
        let c = meetings::counts(db, m.id).await?;
        rows.push(PanelRow {
            id: m.id,
            when: when(&ctx, &m),
            status: ctx.t(&format!("meeting-status-{}", m.status)),
            answers: if m.status == meetings::Status::Draft {
                String::new()
            } else {
                ctx.t2(
                    "meeting-answers-short",
                    "count",
                    &c.people.to_string(),
                    "total",
                    &(c.invited + c.attending + c.waitlisted + c.declined).to_string(),
                )
            },
            title: m.title,
        });
    }
    Ok(Html(PanelList { ctx, rows }.render()?).into_response())
}

#[derive(Template)]
#[template(path = "meetings/templates/admin/meeting_form.html")]
struct FormPage {
    ctx: PageCtx,
    title: String,
    action: String,
    back: String,
    d: MeetingData,
    spheres: Vec<Check>,
    topics: Vec<Check>,
    invited: bool,
    errors: Errors,
}

/// The fields of the form in page order (the error summary follows it).
const MEETING_FIELDS: &[&str] = &[
    "title",
    "agenda",
    "date",
    "start_time",
    "end_time",
    "place",
    "online_url",
    "capacity",
    "max_party",
    "organizations",
    "spheres",
    "topics",
    "custom",
];

async fn form_page(
    state: &AppState,
    ctx: PageCtx,
    existing: Option<&meeting::Model>,
    d: MeetingData,
    mut errors: Errors,
) -> AppResult<Response> {
    // The audience group's first input is the "all organisations" box.
    errors.rename("audience", "organizations");
    errors.order(MEETING_FIELDS);
    let (title, action, back) = match existing {
        Some(m) => (
            ctx.t1("meeting-edit-title", "title", &m.title),
            format!("/panel/spotkania/{}/edycja", m.id),
            format!("/panel/spotkania/{}", m.id),
        ),
        None => (
            ctx.t("meeting-new-title"),
            "/panel/spotkania/nowe".to_owned(),
            "/panel/spotkania".to_owned(),
        ),
    };
    let spheres = crate::mailings::web::sphere_checks(state, &ctx, &d.spheres).await?;
    let topics = crate::mailings::web::topic_checks(&ctx, &d.topics);
    let page = FormPage {
        title,
        action,
        back,
        spheres,
        topics,
        invited: existing.is_some_and(|m| m.status == meetings::Status::Invited),
        d,
        errors,
        ctx,
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn new_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let d = MeetingData {
        lang: ctx.lang.code().into(),
        max_party: "2".into(),
        start_time: "17:00".into(),
        end_time: "19:00".into(),
        all_organizations: true,
        ..Default::default()
    };
    form_page(&state, ctx, None, d, Errors::default()).await
}

pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    HtmlForm(f): HtmlForm<MeetingForm>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let db = &state.platform.db.conn;
    let mut d = MeetingData::from(f);
    let (spheres, _) = crate::directory::model::codes(db).await?;
    let (fe, valid) = d.validate(&spheres, Utc::now(), 0);
    let Some(v) = valid else {
        let errors = localise(&ctx, &fe);
        return form_page(&state, ctx, None, d, errors).await;
    };
    let m = meetings::create(db, &d, &v, &actor(acc)).await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/panel/spotkania/{}", m.id),
        "flash-meeting-saved",
    ))
}

pub async fn edit_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let m = load(&state, id).await?;
    if m.status == meetings::Status::Cancelled {
        return Ok(redirect_with_flash(
            &state,
            &format!("/panel/spotkania/{id}"),
            "flash-meeting-cancelled-readonly",
        ));
    }
    let d = MeetingData::from_model(&m);
    form_page(&state, ctx, Some(&m), d, Errors::default()).await
}

pub async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(f): HtmlForm<MeetingForm>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let m = load(&state, id).await?;
    if m.status == meetings::Status::Cancelled {
        return Ok(redirect_with_flash(
            &state,
            &format!("/panel/spotkania/{id}"),
            "flash-meeting-cancelled-readonly",
        ));
    }
    let db = &state.platform.db.conn;
    let mut d = MeetingData::from(f);
    let (spheres, _) = crate::directory::model::codes(db).await?;
    let (fe, valid) = d.validate(&spheres, Utc::now(), m.seats_taken);
    let Some(v) = valid else {
        let errors = localise(&ctx, &fe);
        return form_page(&state, ctx, Some(&m), d, errors).await;
    };
    let (m, effect) = meetings::update(&state.platform, db, m, &d, &v, &actor(acc)).await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/panel/spotkania/{}", m.id),
        match effect {
            EditEffect::Notified(_) => "flash-meeting-updated-notified",
            EditEffect::None => "flash-meeting-saved",
        },
    ))
}

pub struct InvRow {
    pub email: String,
    pub organization: String,
    pub status: String,
    pub status_code: String,
    pub party: i32,
    pub comment: String,
    pub responded: String,
}

pub struct StatusCount {
    pub label: String,
    pub count: i64,
}

#[derive(Template)]
#[template(path = "meetings/templates/admin/meeting.html")]
struct DetailPage {
    ctx: PageCtx,
    id: i64,
    m: ListItem,
    status: String,
    status_code: String,
    online_url: String,
    capacity: String,
    max_party: i32,
    audience: String,
    invited_at: String,
    invite_reason: String,
    late: bool,
    min_days: i64,
    counts: Vec<StatusCount>,
    people: i64,
    rows: Vec<InvRow>,
    minutes: String,
    minutes_published: String,
    over: bool,
    errors: Errors,
    reason: String,
}

async fn org_names(state: &AppState, ids: Vec<i64>) -> AppResult<HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    // A meeting may invite every organisation: the ids go in chunks.
    Ok(crate::chunked::all_in(&state.platform.db.conn, &ids, |c| {
        organization::Entity::find().filter(organization::Column::Id.is_in(c))
    })
    .await?
    .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}

async fn invitations(state: &AppState, id: i64) -> AppResult<Vec<inv::Model>> {
    Ok(inv::Entity::find()
        .filter(inv::Column::MeetingId.eq(id))
        .order_by_asc(inv::Column::Id)
        .all(&state.platform.db.conn)
        .await?)
}

fn audience_text(ctx: &PageCtx, a: &crate::mailings::model::Audience) -> String {
    let mut parts = Vec::new();
    if a.organizations {
        parts.push(ctx.t("mailing-audience-organizations"));
    }
    if !a.spheres.is_empty() {
        parts.push(ctx.t1(
            "meeting-audience-spheres",
            "count",
            &a.spheres.len().to_string(),
        ));
    }
    for t in &a.topics {
        parts.push(ctx.t(&format!("newsletter-topic-{t}")));
    }
    if !a.custom.is_empty() {
        parts.push(ctx.t1(
            "meeting-audience-custom",
            "count",
            &a.custom.len().to_string(),
        ));
    }
    parts.join("; ")
}

async fn detail(
    state: &AppState,
    ctx: PageCtx,
    m: meeting::Model,
    errors: Errors,
    reason: String,
) -> AppResult<Response> {
    let list = invitations(state, m.id).await?;
    let names = org_names(
        state,
        list.iter().filter_map(|i| i.organization_id).collect(),
    )
    .await?;
    let mut counts = Vec::new();
    let mut people = 0;
    for s in meetings::InvitationStatus::ALL {
        counts.push(StatusCount {
            label: ctx.t(&format!("meeting-istatus-{s}")),
            count: list.iter().filter(|i| i.status == *s).count() as i64,
        });
    }
    for i in list.iter().filter(|i| i.status == meetings::InvitationStatus::Attending) {
        people += i64::from(i.party_size);
    }
    let rows = list
        .iter()
        .map(|i| InvRow {
            email: i.email.clone(),
            organization: i
                .organization_id
                .and_then(|o| names.get(&o).cloned())
                .unwrap_or_default(),
            status: ctx.t(&format!("meeting-istatus-{}", i.status)),
            status_code: i.status.as_str().to_owned(),
            party: i.party_size,
            comment: i.comment.clone(),
            responded: i
                .responded_at
                .map(|t| fmt::datetime(ctx.lang, t))
                .unwrap_or_default(),
        })
        .collect();
    let min_days = state.platform.config.meetings.min_notice_days;
    let page = DetailPage {
        id: m.id,
        m: list_item(&ctx, &m),
        status: ctx.t(&format!("meeting-status-{}", m.status)),
        status_code: m.status.as_str().to_owned(),
        online_url: m.online_url.clone().unwrap_or_default(),
        capacity: m
            .capacity
            .map(|c| c.to_string())
            .unwrap_or_else(|| ctx.t("meeting-capacity-none")),
        max_party: m.max_party,
        audience: audience_text(
            &ctx,
            &crate::mailings::model::Audience::parse(&m.audience),
        ),
        invited_at: m
            .invited_at
            .map(|t| fmt::datetime(ctx.lang, t))
            .unwrap_or_default(),
        invite_reason: m.invite_reason.clone().unwrap_or_default(),
        late: meetings::too_late(&m, Utc::now(), min_days),
        min_days,
        counts,
        people,
        rows,
        minutes: m.minutes_md.clone(),
        minutes_published: m
            .minutes_published_at
            .map(|t| fmt::datetime(ctx.lang, t))
            .unwrap_or_default(),
        over: m.starts_at <= Utc::now(),
        errors,
        reason,
        ctx,
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let m = load(&state, id).await?;
    detail(&state, ctx, m, Errors::default(), String::new()).await
}

pub async fn invite(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(InviteForm { reason }): HtmlForm<InviteForm>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let m = load(&state, id).await?;
    let limits = &crate::meetings::limits::DETAIL;
    if let Some(key) = limits.check("reason", &reason) {
        let error = wspolnie_web::forms::message(&ctx, limits, "reason", key);
        return detail(&state, ctx, m, Errors::form("reason", error), reason).await;
    }
    let db = &state.platform.db.conn;
    let res = meetings::invite(&state.platform, db, m.id, &reason, &actor(acc)).await?;
    let error = match res {
        Ok(_) => {
            return Ok(redirect_with_flash(
                &state,
                &format!("/panel/spotkania/{id}"),
                "flash-meeting-invited",
            ));
        }
        Err(InviteError::ReasonNeeded) => ctx.t2(
            "meeting-error-reason",
            "count",
            &state.platform.config.meetings.min_notice_days.to_string(),
            "n",
            &meetings::REASON_MIN.to_string(),
        ),
        Err(InviteError::Closed) => ctx.t("meeting-error-invite-closed"),
        Err(InviteError::NoOne) => ctx.t("meeting-error-no-one"),
    };
    detail(&state, ctx, m, Errors::form("reason", error), reason).await
}

pub async fn cancel(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let m = load(&state, id).await?;
    let done =
        meetings::cancel(&state.platform, &state.platform.db.conn, m.id, &actor(acc)).await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/panel/spotkania/{id}"),
        if done {
            "flash-meeting-cancelled"
        } else {
            "flash-meeting-cancelled-readonly"
        },
    ))
}

pub async fn minutes(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    HtmlForm(f): HtmlForm<MinutesForm>,
) -> AppResult<Response> {
    let acc = signed(&current)?;
    let m = load(&state, id).await?;
    let publish = f.publish();
    let text = f.minutes.clone();
    let mut error = None;
    if m.status != meetings::Status::Invited {
        error = Some(ctx.t("meeting-error-minutes-status"));
    } else if let Some(id) = f.validate() {
        error = Some(ctx.t(id));
    } else if let Some(key) = crate::meetings::limits::DETAIL.check("minutes", &f.minutes) {
        let limits = &crate::meetings::limits::DETAIL;
        error = Some(wspolnie_web::forms::message(&ctx, limits, "minutes", key));
    }
    if let Some(e) = error {
        let mut m = m;
        m.minutes_md = text;
        return detail(&state, ctx, m, Errors::form("minutes", e), String::new()).await;
    }
    meetings::save_minutes(
        &state.platform,
        &state.platform.db.conn,
        m.id,
        &text,
        publish,
        &actor(acc),
    )
    .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/panel/spotkania/{id}"),
        if publish {
            "flash-meeting-minutes-published"
        } else {
            "flash-meeting-minutes-saved"
        },
    ))
}

/// Rows of the attendance list: those attending first, then the waiting list, then the rest.
async fn attendance(
    state: &AppState,
    ctx: &PageCtx,
    m: &meeting::Model,
) -> AppResult<Vec<[String; 6]>> {
    let list = invitations(state, m.id).await?;
    let names = org_names(
        state,
        list.iter().filter_map(|i| i.organization_id).collect(),
    )
    .await?;
    let rank = |s: meetings::InvitationStatus| match s {
        meetings::InvitationStatus::Attending => 0,
        meetings::InvitationStatus::Waitlisted => 1,
        meetings::InvitationStatus::Invited => 2,
        _ => 3,
    };
    let mut sorted: Vec<&inv::Model> = list.iter().collect();
    sorted.sort_by_key(|i| (rank(i.status), i.waitlisted_at, i.id));
    Ok(sorted
        .iter()
        .map(|i| {
            [
                i.email.clone(),
                i.organization_id
                    .and_then(|o| names.get(&o).cloned())
                    .unwrap_or_default(),
                ctx.t(&format!("meeting-istatus-{}", i.status)),
                if i.status == meetings::InvitationStatus::Declined {
                    String::new()
                } else {
                    i.party_size.to_string()
                },
                i.comment.clone(),
                i.responded_at
                    .map(|t| fmt::datetime(ctx.lang, t))
                    .unwrap_or_default(),
            ]
        })
        .collect())
}

fn header_row(ctx: &PageCtx) -> [String; 6] {
    [
        ctx.t("meeting-col-email"),
        ctx.t("meeting-col-organization"),
        ctx.t("meeting-col-status"),
        ctx.t("meeting-col-party"),
        ctx.t("meeting-col-comment"),
        ctx.t("meeting-col-responded"),
    ]
}

fn safe_name(slug: &str) -> String {
    slug.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(80)
        .collect()
}

pub async fn attendance_csv(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let m = load(&state, id).await?;
    let rows = attendance(&state, &ctx, &m).await?;
    let body = wspolnie_web::csv_out::sheet(std::iter::once(header_row(&ctx)).chain(rows))?;
    Ok(wspolnie_web::csv_out::attachment(
        &format!("lista-{}.csv", safe_name(&m.slug)),
        body,
    ))
}

/// The attendance list to print and sign: those attending and waiting, with an empty signature
/// column (a tagged PDF rendered by typst).
pub async fn attendance_pdf(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let m = load(&state, id).await?;
    let rows = attendance(&state, &ctx, &m).await?;
    let attending = ctx.t(&format!("meeting-istatus-{}", meetings::InvitationStatus::Attending));
    let waiting = ctx.t(&format!("meeting-istatus-{}", meetings::InvitationStatus::Waitlisted));
    let body: Vec<Vec<String>> = rows
        .into_iter()
        .filter(|r| r[2] == attending || r[2] == waiting)
        .enumerate()
        .map(|(n, r)| {
            vec![
                format!("{}.", n + 1),
                r[0].clone(),
                r[1].clone(),
                r[2].clone(),
                r[3].clone(),
            ]
        })
        .collect();
    let site = state.site.get(&state.platform.db.conn, ctx.lang).await?;
    let mut subtitle = vec![when(&ctx, &m)];
    if let Some(p) = &m.place {
        subtitle.push(p.clone());
    }
    subtitle.push(site.office_name.clone());
    let doc = wspolnie_pdf::TableDocument {
        title: ctx.t1("meeting-pdf-title", "title", &m.title),
        subtitle_lines: subtitle,
        columns: vec![
            ctx.t("meeting-col-number"),
            ctx.t("meeting-col-email"),
            ctx.t("meeting-col-organization"),
            ctx.t("meeting-col-status"),
            ctx.t("meeting-col-party"),
        ],
        rows: body,
        footer: ctx.t1(
            "meeting-pdf-generated",
            "date",
            &fmt::datetime(ctx.lang, Utc::now()),
        ),
        lang: ctx.lang.code().to_owned(),
        signature_column: true,
        signature_label: ctx.t("meeting-col-signature"),
    };
    let pdf = tokio::task::spawn_blocking(move || wspolnie_pdf::render_table(&doc))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("pdf task: {e}")))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!("pdf: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"lista-{}.pdf\"", safe_name(&m.slug)),
            ),
        ],
        pdf,
    )
        .into_response())
}
