//! Events submitted by organisations, in the panel: the organisation's events with their status,
//! the event form (draft or submit to moderation, poster upload with alt text), and editing a
//! published event (the change waits for moderation while the public page keeps the approved
//! version).

use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::auth::signed;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::AppError;
use wspolnie_web::errors::AppResult;
use wspolnie_web::forms::Errors;
use wspolnie_web::forms::MultipartForm;
use wspolnie_web::forms::first;
use serde::Deserialize;
use wspolnie_web::fmt::group_name;
use wspolnie_web::fmt::sphere_name;
use crate::directory::profile::Check;
use crate::directory::profile::editable;
use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::response::{Html, IntoResponse, Response};
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use wspolnie_core::events::CATEGORIES;
use crate::calendar::entity::event;
use crate::directory::entity::organization;
use wspolnie_platform::entity::sphere;
use wspolnie_platform::entity::target_group;
use crate::calendar::model as events;
use crate::calendar::model::EventData;
use crate::calendar::model::REPEATS;
use crate::calendar::model::SUBJECT_EVENT;
use crate::calendar::model::SaveAs;
use crate::moderation::model as moderation;

/// Posters may be uploaded up to this size; they are stored scaled to `POSTER_WIDTH`.
pub const MAX_POSTER_BYTES: usize = 8 * 1024 * 1024;
pub const POSTER_WIDTH: u32 = 1200;
/// Body limit of the form route: a poster over `MAX_POSTER_BYTES` is still read (and dropped) so
/// the form comes back with its message.
pub const BODY_LIMIT: usize = wspolnie_web::forms::MULTIPART_BODY_LIMIT;

pub struct EventRow {
    pub id: i64,
    pub title: String,
    pub when: String,
    pub status: String,
    pub public_slug: Option<String>,
    pub change_pending: bool,
}

#[derive(Template)]
#[template(path = "calendar/templates/account/events.html")]
struct ListPage {
    ctx: PageCtx,
    org: organization::Model,
    rows: Vec<EventRow>,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(org_id): Path<i64>,
) -> AppResult<Response> {
    let org = editable(&state, &current, org_id).await?;
    let db = &state.platform.db.conn;
    let evs = event::Entity::find()
        .filter(event::Column::OrganizationId.eq(org.id))
        .order_by_desc(event::Column::StartsAt)
        .order_by_desc(event::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = evs.iter().map(|e| e.id).collect();
    let pending = moderation::with_pending(db, SUBJECT_EVENT, ids).await?;
    let rows = evs
        .into_iter()
        .map(|e| EventRow {
            when: wspolnie_web::fmt::range(ctx.lang, e.starts_at, e.ends_at),
            status: ctx.t(&format!("evf-status-{}", e.status)),
            public_slug: (e.status == events::Status::Published).then(|| e.slug.clone()),
            change_pending: e.status == events::Status::Published && pending.contains(&e.id),
            id: e.id,
            title: e.title,
        })
        .collect();
    Ok(Html(ListPage { ctx, org, rows }.render()?).into_response())
}

#[derive(Template)]
#[template(path = "calendar/templates/account/event_form.html")]
struct FormPage {
    ctx: PageCtx,
    org: organization::Model,
    title: String,
    action: String,
    d: EventData,
    errors: Errors,
    notice: Option<String>,
    categories: Vec<Check>,
    spheres: Vec<Check>,
    groups: Vec<Check>,
    repeats: Vec<Check>,
    poster_url: Option<String>,
    /// Never published: may be saved as a draft.
    can_draft: bool,
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    ctx: PageCtx,
    org: organization::Model,
    title: String,
    action: String,
    d: EventData,
    errors: Errors,
    notice: Option<String>,
    can_draft: bool,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let spheres = sphere::Entity::find()
        .filter(sphere::Column::ValidTo.is_null())
        .order_by_asc(sphere::Column::Position)
        .all(db)
        .await?
        .iter()
        .map(|s| Check {
            code: s.code.clone(),
            label: sphere_name(ctx.lang, s),
            checked: d.spheres.contains(&s.code),
        })
        .collect();
    let groups = target_group::Entity::find()
        .order_by_asc(target_group::Column::Position)
        .all(db)
        .await?
        .iter()
        .map(|g| Check {
            code: g.code.clone(),
            label: group_name(ctx.lang, g),
            checked: d.target_groups.contains(&g.code),
        })
        .collect();
    let categories = CATEGORIES
        .iter()
        .map(|c| Check {
            code: (*c).to_owned(),
            label: ctx.t(&format!("event-category-{c}")),
            checked: d.category == *c,
        })
        .collect();
    let repeats = std::iter::once("")
        .chain(REPEATS)
        .map(|r| Check {
            code: r.to_owned(),
            label: ctx.t(&format!(
                "evf-repeat-{}",
                if r.is_empty() { "none" } else { r }
            )),
            checked: d.repeat == r,
        })
        .collect();
    let poster_url = (!d.poster_key.is_empty()).then(|| format!("/pliki/{}", d.poster_key));
    let page = FormPage {
        ctx,
        org,
        title,
        action,
        d,
        errors,
        notice,
        categories,
        spheres,
        groups,
        repeats,
        poster_url,
        can_draft,
    };
    Ok(Html(page.render()?).into_response())
}

/// The event form (text fields of the multipart form; the poster file is read beside it);
/// validated by `EventData::validate`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EventForm {
    /// "draft" saves a draft, anything else submits.
    #[serde(deserialize_with = "first")]
    action: String,
    #[serde(deserialize_with = "first")]
    title: String,
    #[serde(deserialize_with = "first")]
    description: String,
    #[serde(deserialize_with = "first")]
    category: String,
    #[serde(deserialize_with = "first")]
    start_date: String,
    #[serde(deserialize_with = "first")]
    start_time: String,
    #[serde(deserialize_with = "first")]
    end_date: String,
    #[serde(deserialize_with = "first")]
    end_time: String,
    #[serde(deserialize_with = "first")]
    place: String,
    #[serde(deserialize_with = "first")]
    online_url: String,
    spheres: Vec<String>,
    groups: Vec<String>,
    /// "0" when the event is paid.
    #[serde(deserialize_with = "first")]
    is_free: String,
    #[serde(deserialize_with = "first")]
    price_info: String,
    #[serde(deserialize_with = "first")]
    registration_url: String,
    /// The poster already stored, kept unless `remove_poster` is "1".
    #[serde(deserialize_with = "first")]
    poster_key: String,
    #[serde(deserialize_with = "first")]
    remove_poster: String,
    #[serde(deserialize_with = "first")]
    poster_alt: String,
    #[serde(deserialize_with = "first")]
    repeat: String,
    #[serde(deserialize_with = "first")]
    repeat_until: String,
}

impl EventForm {
    /// How to save, and the event typed into the form, before validation.
    fn into_parts(self) -> (SaveAs, EventData) {
        let save_as = if self.action == "draft" {
            SaveAs::Draft
        } else {
            SaveAs::Submit
        };
        let d = EventData {
            title: self.title,
            description: self.description,
            category: self.category,
            start_date: self.start_date,
            start_time: self.start_time,
            end_date: self.end_date,
            end_time: self.end_time,
            place: self.place,
            online_url: self.online_url,
            spheres: self.spheres,
            target_groups: self.groups,
            is_free: self.is_free != "0",
            price_info: self.price_info,
            registration_url: self.registration_url,
            poster_key: if self.remove_poster == "1" {
                String::new()
            } else {
                self.poster_key
            },
            poster_alt: self.poster_alt,
            repeat: self.repeat,
            repeat_until: self.repeat_until,
        };
        (save_as, d)
    }
}

/// Reads the form, stores a new poster (checked by content, scaled), validates.
async fn read_and_validate(
    state: &AppState,
    ctx: &PageCtx,
    mp: Multipart,
) -> AppResult<(EventData, Option<events::Timing>, SaveAs, Errors)> {
    let form = MultipartForm::read(mp, MAX_POSTER_BYTES).await?;
    let (save_as, mut d) = form.parse::<EventForm>()?.into_parts();
    let mut errors = Errors::default();
    if !form.too_large.is_empty() {
        errors.add("poster", ctx.t("error-poster-too-large"));
    }
    if let Some(up) = form.file("poster") {
        match wspolnie_web::uploads::store_image(state, "posters", up, POSTER_WIDTH).await? {
            Ok(key) => d.poster_key = key,
            Err(message) => errors.add("poster", ctx.t(message)),
        }
    }
    // Only keys of files we stored under posters/ may be referenced.
    if !d.poster_key.is_empty() && !d.poster_key.starts_with("posters/") {
        d.poster_key.clear();
    }
    let (spheres, groups) = crate::directory::model::codes(&state.platform.db.conn).await?;
    let (field_errors, timing) = d.validate(&spheres, &groups, Utc::now());
    for (field, key) in field_errors {
        let msg = wspolnie_web::forms::message(ctx, &crate::calendar::limits::EVENT, &field, key);
        errors.add(field, msg);
    }
    errors.order(EVENT_FIELDS);
    Ok((d, timing, save_as, errors))
}

/// The fields of the event form in page order (the error summary follows it).
const EVENT_FIELDS: &[&str] = &[
    "title",
    "category",
    "description",
    "start_date",
    "start_time",
    "end_date",
    "end_time",
    "repeat",
    "repeat_until",
    "place",
    "online_url",
    "spheres",
    "price_info",
    "registration_url",
    "poster",
    "poster_alt",
];

fn new_action(org_id: i64) -> String {
    format!("/panel/organizacje/{org_id}/wydarzenia/nowe")
}

pub async fn new_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(org_id): Path<i64>,
) -> AppResult<Response> {
    let org = editable(&state, &current, org_id).await?;
    let title = ctx.t("evf-new-title");
    let d = EventData {
        is_free: true,
        category: "spotkanie".into(),
        ..Default::default()
    };
    form_page(
        &state,
        ctx,
        org,
        title,
        new_action(org_id),
        d,
        Errors::default(),
        None,
        true,
    )
    .await
}

/// Finishes a valid form: saves in one transaction (with the moderation revision and the
/// officials' e-mails) and redirects with a flash message.
#[allow(clippy::too_many_arguments)]
async fn commit(
    state: &AppState,
    org: &organization::Model,
    existing: Option<event::Model>,
    d: &EventData,
    timing: &events::Timing,
    save_as: SaveAs,
    user_id: i64,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    events::save(
        &txn,
        org,
        existing,
        d,
        timing,
        save_as,
        user_id,
        &state.platform.config.server.public_url,
    )
    .await?;
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        state,
        &format!("/panel/organizacje/{}/wydarzenia", org.id),
        match save_as {
            SaveAs::Draft => "flash-event-draft",
            SaveAs::Submit => "flash-event-submitted",
        },
    ))
}

pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(org_id): Path<i64>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Response> {
    let a = signed(&current)?;
    let org = editable(&state, &current, org_id).await?;
    let mp = mp.map_err(|_| AppError::BadRequest)?;
    let (d, timing, save_as, mut errors) = read_and_validate(&state, &ctx, mp).await?;
    if org.status != organization::Status::Published && save_as == SaveAs::Submit {
        errors.add("title", ctx.t("error-event-org-unpublished"));
    }
    match timing {
        Some(t) if errors.is_empty() => {
            commit(&state, &org, None, &d, &t, save_as, a.user.id).await
        }
        _ => {
            let title = ctx.t("evf-new-title");
            form_page(
                &state,
                ctx,
                org,
                title,
                new_action(org_id),
                d,
                errors,
                None,
                true,
            )
            .await
        }
    }
}

async fn own_event(
    state: &AppState,
    org: &organization::Model,
    event_id: i64,
) -> AppResult<event::Model> {
    event::Entity::find_by_id(event_id)
        .filter(event::Column::OrganizationId.eq(org.id))
        .one(&state.platform.db.conn)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn edit_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path((org_id, event_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let org = editable(&state, &current, org_id).await?;
    let ev = own_event(&state, &org, event_id).await?;
    let db = &state.platform.db.conn;
    let published = ev.status == events::Status::Published;
    let (d, notice) =
        match crate::moderation::web::working_copy(db, &ctx, SUBJECT_EVENT, ev.id, "evf").await?
        {
            Some((d, notice)) => (d, Some(notice)),
            None => (EventData::load(db, &ev).await?, None),
        };
    let title = ctx.t1("evf-edit-title", "title", &ev.title);
    form_page(
        &state,
        ctx,
        org,
        title,
        format!("/panel/organizacje/{org_id}/wydarzenia/{event_id}"),
        d,
        Errors::default(),
        notice,
        !published,
    )
    .await
}

pub async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path((org_id, event_id)): Path<(i64, i64)>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Response> {
    let a = signed(&current)?;
    let org = editable(&state, &current, org_id).await?;
    let ev = own_event(&state, &org, event_id).await?;
    let mp = mp.map_err(|_| AppError::BadRequest)?;
    let (d, timing, mut save_as, mut errors) = read_and_validate(&state, &ctx, mp).await?;
    let published = ev.status == events::Status::Published;
    if published {
        save_as = SaveAs::Submit; // a published event has no drafts: changes go to moderation
    }
    if org.status != organization::Status::Published && save_as == SaveAs::Submit {
        errors.add("title", ctx.t("error-event-org-unpublished"));
    }
    match timing {
        Some(t) if errors.is_empty() => {
            commit(&state, &org, Some(ev), &d, &t, save_as, a.user.id).await
        }
        _ => {
            let title = ctx.t1("evf-edit-title", "title", &ev.title);
            form_page(
                &state,
                ctx,
                org,
                title,
                format!("/panel/organizacje/{org_id}/wydarzenia/{event_id}"),
                d,
                errors,
                None,
                !published,
            )
            .await
        }
    }
}
