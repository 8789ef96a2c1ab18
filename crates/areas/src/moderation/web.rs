//! The moderation queue for officials: pending registrations, profile changes and claims, a
//! side-by-side diff of each change, and the decision (approve, ask for changes, reject) with a
//! comment that goes to the organisation by e-mail.

use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::AppError;
use wspolnie_web::errors::AppResult;
use wspolnie_web::forms::Errors;
use crate::admin::web::actor;
use wspolnie_web::fmt::group_name;
use crate::directory::web::legal_form_label;
use wspolnie_web::fmt::sphere_name;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use axum::{Extension, Form};
use sea_orm::EntityTrait;
use serde::Deserialize;
use crate::news::model::ArticleData;
use crate::news::model::SUBJECT_ARTICLE;
use crate::directory::model::Profile;
use crate::news::entity::article;
use crate::calendar::entity::event;
use crate::directory::entity::organization;
use crate::moderation::entity::revision;
use wspolnie_platform::entity::sphere;
use wspolnie_platform::entity::target_group;
use wspolnie_platform::entity::user;
use crate::calendar::model::EventData;
use crate::calendar::model::SUBJECT_EVENT;
use wspolnie_platform::i18n::Lang;
use crate::moderation::model as moderation;
use crate::moderation::model::Claim;
use crate::moderation::model::DecideError;
use crate::moderation::model::Decision;

/// "New event", "Profile change"… for the queue and the item page.
fn kind_label(ctx: &PageCtx, r: &revision::Model) -> String {
    if r.subject_type != moderation::SUBJECT_ORGANIZATION {
        ctx.t(&format!("revision-kind-{}-{}", r.subject_type, r.kind))
    } else {
        ctx.t(&format!("revision-kind-{}", r.kind))
    }
}

/// Event fields as (label, displayed value) in form order.
fn event_display(
    lang: Lang,
    d: &EventData,
    spheres: &[sphere::Model],
    groups: &[target_group::Model],
) -> Vec<(String, String)> {
    let names = |codes: &[String], f: &dyn Fn(&str) -> Option<String>| {
        codes
            .iter()
            .filter_map(|c| f(c))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let when = |date: &str, time: &str| format!("{date} {time}").trim().to_owned();
    vec![
        (lang.t("evf-field-title"), d.title.clone()),
        (
            lang.t("evf-field-category"),
            if d.category.is_empty() {
                String::new()
            } else {
                lang.t(&format!("event-category-{}", d.category))
            },
        ),
        (lang.t("evf-field-description"), d.description.clone()),
        (
            lang.t("evf-field-start-date"),
            when(&d.start_date, &d.start_time),
        ),
        (
            lang.t("evf-field-end-date"),
            when(
                if d.end_date.is_empty() {
                    &d.start_date
                } else {
                    &d.end_date
                },
                &d.end_time,
            ),
        ),
        (
            lang.t("evf-field-repeat"),
            lang.t(&format!(
                "evf-repeat-{}",
                if d.repeat.is_empty() {
                    "none"
                } else {
                    d.repeat.as_str()
                }
            )),
        ),
        (lang.t("evf-field-repeat-until"), d.repeat_until.clone()),
        (lang.t("evf-field-place"), d.place.clone()),
        (lang.t("evf-field-online"), d.online_url.clone()),
        (
            lang.t("evf-section-spheres"),
            names(&d.spheres, &|c| {
                spheres
                    .iter()
                    .find(|s| s.code == c)
                    .map(|s| sphere_name(lang, s))
            }),
        ),
        (
            lang.t("org-target-groups"),
            names(&d.target_groups, &|c| {
                groups
                    .iter()
                    .find(|g| g.code == c)
                    .map(|g| group_name(lang, g))
            }),
        ),
        (
            lang.t("evf-field-free"),
            if d.is_free {
                lang.t("yes")
            } else {
                lang.t("no")
            },
        ),
        (lang.t("evf-field-price"), d.price_info.clone()),
        (lang.t("evf-field-registration"), d.registration_url.clone()),
        (lang.t("evf-field-poster"), d.poster_key.clone()),
        (lang.t("evf-field-poster-alt"), d.poster_alt.clone()),
    ]
}

/// Article fields as (label, displayed value) in form order.
fn article_display(lang: Lang, d: &ArticleData) -> Vec<(String, String)> {
    let mut rows = vec![
        (
            lang.t("art-field-kind"),
            if d.kind.is_empty() {
                String::new()
            } else {
                lang.t(&format!("news-kind-{}", d.kind))
            },
        ),
        (lang.t("art-field-title"), d.title.clone()),
        (lang.t("art-field-lead"), d.lead.clone()),
        (lang.t("art-field-body"), d.body.clone()),
        (lang.t("art-field-cover"), d.cover_key.clone()),
        (lang.t("art-field-cover-alt"), d.cover_alt.clone()),
    ];
    for n in 0..crate::news::model::MAX_PHOTOS {
        let p = d.photos.get(n).cloned().unwrap_or_default();
        let num = (n + 1).to_string();
        rows.push((lang.ta("art-field-photo", &[("n", &num)]), p.key));
        rows.push((lang.ta("art-field-photo-alt", &[("n", &num)]), p.alt));
    }
    for n in 0..crate::news::model::MAX_ATTACHMENTS {
        let a = d.attachments.get(n).cloned().unwrap_or_default();
        let num = (n + 1).to_string();
        rows.push((lang.ta("art-field-attachment", &[("n", &num)]), a.key));
        rows.push((
            lang.ta("art-field-attachment-title", &[("n", &num)]),
            a.title,
        ));
    }
    rows
}

fn rows_of(
    lang: Lang,
    before: Vec<(String, String)>,
    after: Vec<(String, String)>,
) -> Vec<DiffRow> {
    let texts = text_labels(lang);
    after
        .into_iter()
        .zip(before)
        .map(|((label, after), (_, before))| {
            let changed = before != after;
            let (before_parts, after_parts) = if changed {
                crate::moderation::word_diff::words(&before, &after)
            } else {
                (Vec::new(), Vec::new())
            };
            DiffRow {
                changed,
                text: texts.contains(&label),
                label,
                before,
                after,
                before_parts,
                after_parts,
            }
        })
        .collect()
}

/// Labels (in `lang`) of the rows whose values people wrote, in Polish; the other rows hold our
/// translated names, dates, numbers, addresses and links.
fn text_labels(lang: Lang) -> Vec<String> {
    let mut labels: Vec<String> = [
        "evf-field-title",
        "evf-field-description",
        "evf-field-place",
        "evf-field-price",
        "evf-field-poster-alt",
        "art-field-title",
        "art-field-lead",
        "art-field-body",
        "art-field-cover-alt",
        "profile-description",
        "profile-section-people",
        "profile-logo-alt",
    ]
    .iter()
    .map(|k| lang.t(k))
    .collect();
    for n in 1..=crate::news::model::MAX_PHOTOS.max(crate::news::model::MAX_ATTACHMENTS) {
        let num = n.to_string();
        labels.push(lang.ta("art-field-photo-alt", &[("n", &num)]));
        labels.push(lang.ta("art-field-attachment-title", &[("n", &num)]));
    }
    labels
}

pub struct QueueRow {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub submitted_at: String,
    pub submitted_by: String,
}

#[derive(Template)]
#[template(path = "moderation/templates/admin/moderation_queue.html")]
struct QueuePage {
    ctx: PageCtx,
    rows: Vec<QueueRow>,
}

async fn user_label(db: &sea_orm::DatabaseConnection, id: Option<i64>) -> AppResult<String> {
    Ok(match id {
        Some(uid) => user::Entity::find_by_id(uid)
            .one(db)
            .await?
            .map(|u| format!("{} <{}>", u.display_name, u.email))
            .unwrap_or_default(),
        None => String::new(),
    })
}

pub async fn queue(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let mut rows = Vec::new();
    for r in moderation::queue(db).await? {
        let title = match r.kind.as_str() {
            _ if r.subject_type == SUBJECT_EVENT => serde_json::from_str::<EventData>(&r.data)
                .map(|d| d.title)
                .unwrap_or_default(),
            _ if r.subject_type == SUBJECT_ARTICLE => serde_json::from_str::<ArticleData>(&r.data)
                .map(|d| d.title)
                .unwrap_or_default(),
            moderation::KIND_CLAIM => organization::Entity::find_by_id(r.subject_id)
                .one(db)
                .await?
                .map(|o| o.name)
                .unwrap_or_default(),
            _ => serde_json::from_str::<Profile>(&r.data)
                .map(|p| p.name)
                .unwrap_or_default(),
        };
        rows.push(QueueRow {
            id: r.id,
            title,
            kind: kind_label(&ctx, &r),
            submitted_at: wspolnie_web::fmt::datetime(ctx.lang, r.submitted_at),
            submitted_by: user_label(db, r.submitted_by).await?,
        });
    }
    Ok(Html(QueuePage { ctx, rows }.render()?).into_response())
}

pub struct DiffRow {
    pub label: String,
    pub before: String,
    pub after: String,
    pub changed: bool,
    /// The values are text people wrote (Polish), not our translated names or codes.
    pub text: bool,
    /// For a changed field: its text word by word, the removed (before) and added (after)
    /// words marked.
    pub before_parts: Vec<crate::moderation::word_diff::Part>,
    pub after_parts: Vec<crate::moderation::word_diff::Part>,
}

/// Profile fields as (label, displayed value) in form order.
fn display(
    lang: Lang,
    p: &Profile,
    spheres: &[sphere::Model],
    groups: &[target_group::Model],
) -> Vec<(String, String)> {
    let sphere_names = |codes: &[String]| {
        codes
            .iter()
            .filter_map(|c| spheres.iter().find(|s| &s.code == c))
            .map(|s| sphere_name(lang, s))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let group_names = p
        .target_groups
        .iter()
        .filter_map(|c| groups.iter().find(|g| &g.code == c))
        .map(|g| group_name(lang, g))
        .collect::<Vec<_>>()
        .join(", ");
    let contacts = p
        .contacts
        .iter()
        .map(|c| {
            [
                c.name.as_str(),
                c.role.as_str(),
                c.email.as_str(),
                c.phone.as_str(),
            ]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
        })
        .collect::<Vec<_>>()
        .join("\n");
    vec![
        (lang.t("profile-name"), p.name.clone()),
        (lang.t("profile-description"), p.short_description.clone()),
        (
            lang.t("org-legal-form"),
            if p.legal_form.is_empty() {
                String::new()
            } else {
                legal_form_label(lang, &p.legal_form)
            },
        ),
        ("KRS".into(), p.krs.clone()),
        ("NIP".into(), p.nip.clone()),
        ("REGON".into(), p.regon.clone()),
        (
            lang.t("org-opp"),
            if p.is_opp {
                lang.t("yes")
            } else {
                lang.t("no")
            },
        ),
        (
            lang.t("profile-section-leading"),
            sphere_names(&p.leading_spheres),
        ),
        (
            lang.t("profile-section-other"),
            sphere_names(&p.other_spheres),
        ),
        (lang.t("org-target-groups"), group_names),
        (lang.t("org-field-email"), p.email.clone()),
        (lang.t("phone"), p.phone.clone()),
        (lang.t("org-website"), p.website.clone()),
        (lang.t("profile-social"), p.social_links.join("\n")),
        (lang.t("profile-street"), p.street.clone()),
        (lang.t("csv-postal-code"), p.postal_code.clone()),
        (lang.t("csv-city"), p.city.clone()),
        (lang.t("filter-district"), p.district.clone()),
        (lang.t("profile-section-people"), contacts),
        (lang.t("profile-logo"), p.logo_key.clone()),
        (lang.t("profile-logo-alt"), p.logo_alt.clone()),
    ]
}

/// Side-by-side rows of two profiles; `before` is empty for a new registration.
pub fn diff(
    lang: Lang,
    before: Option<&Profile>,
    after: &Profile,
    spheres: &[sphere::Model],
    groups: &[target_group::Model],
) -> Vec<DiffRow> {
    let empty = Profile::default();
    rows_of(
        lang,
        display(lang, before.unwrap_or(&empty), spheres, groups),
        display(lang, after, spheres, groups),
    )
}

#[derive(Template)]
#[template(path = "moderation/templates/admin/moderation_item.html")]
struct ItemPage {
    ctx: PageCtx,
    item: revision::Model,
    status_label: String,
    kind: String,
    title: String,
    public_link: Option<String>,
    submitted_by: String,
    submitted_at: String,
    rows: Vec<DiffRow>,
    changed_count: usize,
    claim: Option<Claim>,
    logo_before: Option<String>,
    logo_after: Option<String>,
    decision: String,
    comment: String,
    errors: Errors,
}

async fn render_item(
    state: &AppState,
    ctx: PageCtx,
    rev: revision::Model,
    decision: String,
    comment: String,
    errors: Errors,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let org = if rev.subject_type != moderation::SUBJECT_ORGANIZATION {
        None
    } else {
        organization::Entity::find_by_id(rev.subject_id)
            .one(db)
            .await?
    };
    let spheres = sphere::Entity::find().all(db).await?;
    let groups = target_group::Entity::find().all(db).await?;
    let image = |key: &str| (!key.is_empty()).then(|| format!("/pliki/{key}"));
    let mut public_link = None;
    let (rows, claim, title, logo_before, logo_after) = if rev.subject_type == SUBJECT_EVENT {
        let after: EventData = serde_json::from_str(&rev.data).unwrap_or_default();
        let before: Option<EventData> = rev
            .previous
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok());
        let empty = EventData::default();
        let rows = rows_of(
            ctx.lang,
            event_display(
                ctx.lang,
                before.as_ref().unwrap_or(&empty),
                &spheres,
                &groups,
            ),
            event_display(ctx.lang, &after, &spheres, &groups),
        );
        public_link = event::Entity::find_by_id(rev.subject_id)
            .one(db)
            .await?
            .filter(|e| e.status == crate::moderation::lifecycle::Publication::Published)
            .map(|e| format!("/kalendarz/{}", e.slug));
        let title = after.title.clone();
        (
            rows,
            None,
            title,
            before.as_ref().and_then(|b| image(&b.poster_key)),
            image(&after.poster_key),
        )
    } else if rev.subject_type == SUBJECT_ARTICLE {
        let after: ArticleData = serde_json::from_str(&rev.data).unwrap_or_default();
        let before: Option<ArticleData> = rev
            .previous
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok());
        let rows = rows_of(
            ctx.lang,
            article_display(ctx.lang, before.as_ref().unwrap_or(&ArticleData::default())),
            article_display(ctx.lang, &after),
        );
        public_link = article::Entity::find_by_id(rev.subject_id)
            .one(db)
            .await?
            .filter(|a| a.status == crate::moderation::lifecycle::Publication::Published)
            .map(|a| format!("/aktualnosci/{}", a.slug));
        let title = after.title.clone();
        (
            rows,
            None,
            title,
            before.as_ref().and_then(|b| image(&b.cover_key)),
            image(&after.cover_key),
        )
    } else if rev.kind == moderation::KIND_CLAIM {
        let c: Claim = serde_json::from_str(&rev.data).unwrap_or_default();
        let name = org.as_ref().map(|o| o.name.clone()).unwrap_or_default();
        (Vec::new(), Some(c), name, None, None)
    } else {
        let after: Profile = serde_json::from_str(&rev.data).unwrap_or_default();
        let before: Option<Profile> = rev
            .previous
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok());
        let rows = diff(ctx.lang, before.as_ref(), &after, &spheres, &groups);
        let logo = |p: &Profile| (!p.logo_key.is_empty()).then(|| format!("/pliki/{}", p.logo_key));
        (
            rows,
            None,
            after.name.clone(),
            before.as_ref().and_then(logo),
            logo(&after),
        )
    };
    let changed_count = rows.iter().filter(|r| r.changed).count();
    if let Some(o) = org.filter(|o| o.status == crate::directory::entity::organization::Status::Published) {
        public_link = Some(format!("/organizacje/{}", o.slug));
    }
    let page = ItemPage {
        kind: kind_label(&ctx, &rev),
        status_label: ctx.t(&format!("revision-status-{}", rev.status)),
        submitted_by: user_label(db, rev.submitted_by).await?,
        submitted_at: wspolnie_web::fmt::datetime(ctx.lang, rev.submitted_at),
        ctx,
        item: rev,
        title,
        public_link,
        rows,
        changed_count,
        claim,
        logo_before,
        logo_after,
        decision,
        comment,
        errors,
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let rev = revision::Entity::find_by_id(id)
        .one(&state.platform.db.conn)
        .await?
        .ok_or(AppError::NotFound)?;
    render_item(
        &state,
        ctx,
        rev,
        String::new(),
        String::new(),
        Errors::default(),
    )
    .await
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    comment: String,
}

pub async fn decide(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    Form(f): Form<DecisionForm>,
) -> AppResult<Response> {
    let a = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let db = &state.platform.db.conn;
    let rev = revision::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let limits = &crate::moderation::limits::DECISION;
    if let Some(key) = limits.check("comment", &f.comment) {
        let errors = Errors::form(
            "comment",
            wspolnie_web::forms::message(&ctx, limits, "comment", key),
        );
        return render_item(&state, ctx, rev, f.decision, f.comment, errors).await;
    }
    let Some(decision) = Decision::parse(&f.decision) else {
        let errors = Errors::form("decision-approve", ctx.t("error-decision-required"));
        return render_item(&state, ctx, rev, f.decision, f.comment, errors).await;
    };
    let subjects = state.part::<moderation::Subjects>()?.clone();
    match moderation::decide(
        db,
        &subjects,
        id,
        decision,
        &f.comment,
        &actor(a),
        &state.platform.config.server.public_url,
    )
    .await
    {
        Ok(decided) => {
            // The subject refreshes what this instance keeps in memory (e.g. the directory).
            if let Some(subject) = subjects.get(&decided.subject_type) {
                subject.decided(&state).await;
            }
            Ok(wspolnie_web::ctx::redirect_with_flash(
                &state,
                "/panel/moderacja",
                match decision {
                    Decision::Approve => "flash-moderation-approved",
                    Decision::Reject => "flash-moderation-rejected",
                    Decision::RequestChanges => "flash-moderation-changes",
                },
            ))
        }
        Err(DecideError::CommentRequired) => {
            let errors = Errors::form("comment", ctx.t("error-comment-required"));
            render_item(&state, ctx, rev, f.decision, f.comment, errors).await
        }
        Err(DecideError::AlreadyDecided) => {
            let errors = Errors::form("decision-approve", ctx.t("error-already-decided"));
            render_item(&state, ctx, rev, f.decision, f.comment, errors).await
        }
        Err(DecideError::NotFound) => Err(AppError::NotFound),
        Err(DecideError::Db(e)) => Err(e.into()),
    }
}

/// The version an organisation should see in its edit form: the newest revision while it waits
/// for moderation or was sent back (with a notice; `prefix` picks the messages
/// `<prefix>-pending-notice`, `-changes-notice`, `-rejected-notice`), or `None` for the stored one.
pub async fn working_copy<T: serde::de::DeserializeOwned + Default>(
    db: &sea_orm::DatabaseConnection,
    ctx: &PageCtx,
    subject_type: &str,
    subject_id: i64,
    prefix: &str,
) -> AppResult<Option<(T, String)>> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    let last = revision::Entity::find()
        .filter(revision::Column::SubjectType.eq(subject_type))
        .filter(revision::Column::SubjectId.eq(subject_id))
        .order_by_desc(revision::Column::Number)
        .one(db)
        .await?;
    let Some(r) = last else { return Ok(None) };
    let notice = match r.status {
        moderation::RevisionStatus::Pending => ctx.t(&format!("{prefix}-pending-notice")),
        moderation::RevisionStatus::ChangesRequested => {
            ctx.t1(&format!("{prefix}-changes-notice"), "comment", &r.comment)
        }
        moderation::RevisionStatus::Rejected => ctx.t1(&format!("{prefix}-rejected-notice"), "comment", &r.comment),
        _ => return Ok(None),
    };
    Ok(Some((
        serde_json::from_str(&r.data).unwrap_or_default(),
        notice,
    )))
}
