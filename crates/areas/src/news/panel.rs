//! News and post-project reports in the panel. Organisations write them (draft or submit to
//! moderation; a change of a published text waits for moderation); officials with the content
//! scope publish city news directly and may correct any text (audited).

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
use crate::admin::web::actor;
use crate::calendar::panel::MAX_POSTER_BYTES;
use crate::calendar::panel::POSTER_WIDTH;
use crate::directory::profile::editable;
use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::response::{Html, IntoResponse, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use crate::news::model as articles;
use crate::news::model::ArticleData;
use crate::news::model::Attachment;
use crate::news::model::MAX_ATTACHMENTS;
use crate::news::model::MAX_PHOTOS;
use crate::news::model::Photo;
use crate::news::model::SUBJECT_ARTICLE;
use crate::news::model::SaveAs;
use crate::news::entity::article;
use crate::directory::entity::organization;
use crate::moderation::model as moderation;

/// Report attachments (PDF and office documents) may be this large.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;
/// Body limit of the article form: a cover, four photos and two attachments, and room to read
/// (and drop) files over their limits so the form comes back with its message.
pub const BODY_LIMIT: usize = wspolnie_web::forms::MULTIPART_BODY_LIMIT;
const _: () = assert!(
    5 * MAX_POSTER_BYTES + MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES + 256 * 1024 <= BODY_LIMIT
);

pub struct ArticleRow {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub date: String,
    pub status: String,
    pub author: String,
    pub public_slug: Option<String>,
    pub change_pending: bool,
    pub edit_url: String,
}

#[derive(Template)]
#[template(path = "news/templates/account/articles.html")]
struct ListPage {
    ctx: PageCtx,
    heading: String,
    lead: String,
    new_url: String,
    rows: Vec<ArticleRow>,
    org_unpublished: bool,
    show_author: bool,
}

async fn rows(
    state: &AppState,
    ctx: &PageCtx,
    list: Vec<article::Model>,
    edit_base: impl Fn(&article::Model) -> String,
) -> AppResult<Vec<ArticleRow>> {
    let db = &state.platform.db.conn;
    let ids: Vec<i64> = list.iter().map(|a| a.id).collect();
    let pending = moderation::with_pending(db, SUBJECT_ARTICLE, ids).await?;
    let org_ids: Vec<i64> = list.iter().filter_map(|a| a.organization_id).collect();
    let orgs = organization::Entity::find()
        .filter(organization::Column::Id.is_in(org_ids))
        .all(db)
        .await?;
    Ok(list
        .into_iter()
        .map(|a| ArticleRow {
            edit_url: edit_base(&a),
            kind: ctx.t(&format!("news-kind-{}", a.kind)),
            date: wspolnie_web::fmt::date(ctx.lang, a.published_at.unwrap_or(a.created_at)),
            status: ctx.t(&format!("evf-status-{}", a.status)),
            author: a
                .organization_id
                .and_then(|id| orgs.iter().find(|o| o.id == id))
                .map_or_else(|| ctx.t("news-by-city"), |o| o.name.clone()),
            public_slug: (a.status == articles::Status::Published).then(|| a.slug.clone()),
            change_pending: a.status == articles::Status::Published && pending.contains(&a.id),
            id: a.id,
            title: a.title,
        })
        .collect())
}

pub async fn org_list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(org_id): Path<i64>,
) -> AppResult<Response> {
    let org = editable(&state, &current, org_id).await?;
    let list = article::Entity::find()
        .filter(article::Column::OrganizationId.eq(org.id))
        .order_by_desc(article::Column::CreatedAt)
        .order_by_desc(article::Column::Id)
        .all(&state.platform.db.conn)
        .await?;
    let rows = rows(&state, &ctx, list, |a| {
        format!("/panel/organizacje/{org_id}/aktualnosci/{}", a.id)
    })
    .await?;
    let page = ListPage {
        heading: format!("{}: {}", ctx.t("my-news-title"), org.name),
        lead: ctx.t("my-news-lead"),
        new_url: format!("/panel/organizacje/{org_id}/aktualnosci/nowa"),
        org_unpublished: org.status != organization::Status::Published,
        show_author: false,
        ctx,
        rows,
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn city_list(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let list = article::Entity::find()
        .filter(article::Column::Status.is_in([articles::Status::Published]))
        .order_by_desc(article::Column::PublishedAt)
        .order_by_desc(article::Column::Id)
        .all(&state.platform.db.conn)
        .await?;
    let rows = rows(&state, &ctx, list, |a| {
        format!("/panel/aktualnosci/{}", a.id)
    })
    .await?;
    let page = ListPage {
        heading: ctx.t("city-news-title"),
        lead: ctx.t("city-news-lead"),
        new_url: "/panel/aktualnosci/nowa".into(),
        org_unpublished: false,
        show_author: true,
        ctx,
        rows,
    };
    Ok(Html(page.render()?).into_response())
}

pub struct PhotoSlot {
    pub n: usize,
    pub photo: Photo,
    pub file_id: String,
    pub key_id: String,
    pub alt_id: String,
    pub remove_id: String,
    pub label: String,
    pub alt_label: String,
    pub remove_label: String,
}

pub struct AttachmentSlot {
    pub attachment: Attachment,
    pub file_id: String,
    pub key_id: String,
    pub title_id: String,
    pub remove_id: String,
    pub label: String,
    pub title_label: String,
    pub remove_label: String,
}

#[derive(Template)]
#[template(path = "news/templates/account/article_form.html")]
struct FormPage {
    ctx: PageCtx,
    title: String,
    lead: String,
    action: String,
    back: String,
    d: ArticleData,
    errors: Errors,
    notice: Option<String>,
    slots: Vec<PhotoSlot>,
    attachment_slots: Vec<AttachmentSlot>,
    cover_url: Option<String>,
    can_draft: bool,
    /// An official publishes directly.
    official: bool,
}

/// The fields of the form in page order (the error summary follows it).
const ARTICLE_FIELDS: &[&str] = &[
    "kind",
    "title",
    "lead",
    "body",
    "photos",
    "cover",
    "cover_alt",
    "photo_*",
    "attachments",
    "attachment_*",
];

#[allow(clippy::too_many_arguments)]
fn form_page(
    ctx: PageCtx,
    title: String,
    lead: String,
    action: String,
    back: String,
    d: ArticleData,
    mut errors: Errors,
    notice: Option<String>,
    can_draft: bool,
    official: bool,
) -> AppResult<Response> {
    errors.order(ARTICLE_FIELDS);
    let slots = (1..=MAX_PHOTOS)
        .map(|n| {
            let num = n.to_string();
            PhotoSlot {
                n,
                photo: d.photos.get(n - 1).cloned().unwrap_or_default(),
                file_id: format!("photo_{n}"),
                key_id: format!("photo_{n}_key"),
                alt_id: format!("photo_{n}_alt"),
                remove_id: format!("photo_{n}_remove"),
                label: ctx.t1("art-field-photo", "n", &num),
                alt_label: ctx.t1("art-field-photo-alt", "n", &num),
                remove_label: ctx.t1("art-photo-remove", "n", &num),
            }
        })
        .collect();
    let attachment_slots = (1..=MAX_ATTACHMENTS)
        .map(|n| {
            let num = n.to_string();
            AttachmentSlot {
                attachment: d.attachments.get(n - 1).cloned().unwrap_or_default(),
                file_id: format!("attachment_{n}"),
                key_id: format!("attachment_{n}_key"),
                title_id: format!("attachment_{n}_title"),
                remove_id: format!("attachment_{n}_remove"),
                label: ctx.t1("art-field-attachment", "n", &num),
                title_label: ctx.t1("art-field-attachment-title", "n", &num),
                remove_label: ctx.t1("art-attachment-remove", "n", &num),
            }
        })
        .collect();
    let cover_url = (!d.cover_key.is_empty()).then(|| format!("/pliki/{}", d.cover_key));
    let page = FormPage {
        attachment_slots,
        ctx,
        title,
        lead,
        action,
        back,
        d,
        errors,
        notice,
        slots,
        cover_url,
        can_draft,
        official,
    };
    Ok(Html(page.render()?).into_response())
}

/// Only keys of files we stored under `prefix` may be referenced by a form.
fn own(prefix: &str, key: String) -> String {
    if key.starts_with(prefix) {
        key
    } else {
        String::new()
    }
}

/// The key of a stored file the form keeps: none when its remove box (`remove`) is "1", and
/// only one of ours under `prefix`.
fn kept(prefix: &str, key: String, remove: &str) -> String {
    if remove == "1" {
        String::new()
    } else {
        own(prefix, key)
    }
}

/// The article form (text fields of the multipart form; the cover, photo and attachment files
/// are read beside it); validated by `ArticleData::validate`. Photos and attachments are
/// numbered fields: `photo_{1..=MAX_PHOTOS}_{key,alt,remove}` and
/// `attachment_{1..=MAX_ATTACHMENTS}_{key,title,remove}`, each `_key` the file already stored.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ArticleForm {
    /// "draft" saves a draft, anything else submits.
    #[serde(deserialize_with = "first")]
    action: String,
    /// `news` | `report`.
    #[serde(deserialize_with = "first")]
    kind: String,
    #[serde(deserialize_with = "first")]
    title: String,
    #[serde(deserialize_with = "first")]
    lead: String,
    #[serde(deserialize_with = "first")]
    body: String,
    /// The cover already stored, kept unless `cover_remove` is "1".
    #[serde(deserialize_with = "first")]
    cover_key: String,
    #[serde(deserialize_with = "first")]
    cover_remove: String,
    #[serde(deserialize_with = "first")]
    cover_alt: String,
    #[serde(deserialize_with = "first")]
    photo_1_key: String,
    #[serde(deserialize_with = "first")]
    photo_1_alt: String,
    #[serde(deserialize_with = "first")]
    photo_1_remove: String,
    #[serde(deserialize_with = "first")]
    photo_2_key: String,
    #[serde(deserialize_with = "first")]
    photo_2_alt: String,
    #[serde(deserialize_with = "first")]
    photo_2_remove: String,
    #[serde(deserialize_with = "first")]
    photo_3_key: String,
    #[serde(deserialize_with = "first")]
    photo_3_alt: String,
    #[serde(deserialize_with = "first")]
    photo_3_remove: String,
    #[serde(deserialize_with = "first")]
    photo_4_key: String,
    #[serde(deserialize_with = "first")]
    photo_4_alt: String,
    #[serde(deserialize_with = "first")]
    photo_4_remove: String,
    #[serde(deserialize_with = "first")]
    attachment_1_key: String,
    #[serde(deserialize_with = "first")]
    attachment_1_title: String,
    #[serde(deserialize_with = "first")]
    attachment_1_remove: String,
    #[serde(deserialize_with = "first")]
    attachment_2_key: String,
    #[serde(deserialize_with = "first")]
    attachment_2_title: String,
    #[serde(deserialize_with = "first")]
    attachment_2_remove: String,
}

impl ArticleForm {
    /// The photos typed into the form, in order (an array of `MAX_PHOTOS`, so the numbered
    /// fields above cannot fall out of step with the model).
    fn photos(&mut self) -> [Photo; MAX_PHOTOS] {
        let take = std::mem::take::<String>;
        [
            Photo {
                key: kept("posters/", take(&mut self.photo_1_key), &self.photo_1_remove),
                alt: take(&mut self.photo_1_alt),
            },
            Photo {
                key: kept("posters/", take(&mut self.photo_2_key), &self.photo_2_remove),
                alt: take(&mut self.photo_2_alt),
            },
            Photo {
                key: kept("posters/", take(&mut self.photo_3_key), &self.photo_3_remove),
                alt: take(&mut self.photo_3_alt),
            },
            Photo {
                key: kept("posters/", take(&mut self.photo_4_key), &self.photo_4_remove),
                alt: take(&mut self.photo_4_alt),
            },
        ]
    }

    /// The attachments typed into the form, in order (an array of `MAX_ATTACHMENTS`).
    fn attachments(&mut self) -> [Attachment; MAX_ATTACHMENTS] {
        let take = std::mem::take::<String>;
        [
            Attachment {
                key: kept(
                    "attachments/",
                    take(&mut self.attachment_1_key),
                    &self.attachment_1_remove,
                ),
                title: take(&mut self.attachment_1_title),
            },
            Attachment {
                key: kept(
                    "attachments/",
                    take(&mut self.attachment_2_key),
                    &self.attachment_2_remove,
                ),
                title: take(&mut self.attachment_2_title),
            },
        ]
    }

    /// How to save, and the article typed into the form (before new files are stored and
    /// before validation).
    fn into_parts(mut self) -> (SaveAs, ArticleData) {
        let save_as = if self.action == "draft" {
            SaveAs::Draft
        } else {
            SaveAs::Submit
        };
        let photos = self.photos().into();
        let attachments = self.attachments().into();
        let d = ArticleData {
            kind: self.kind,
            title: self.title,
            lead: self.lead,
            body: self.body,
            cover_key: kept("posters/", self.cover_key, &self.cover_remove),
            cover_alt: self.cover_alt,
            photos,
            attachments,
        };
        (save_as, d)
    }
}

/// Reads the form, stores new images (checked, scaled) and attachments (checked), validates.
/// On errors the input comes back with them; a file stored already is kept by its key.
async fn read_and_validate(
    state: &AppState,
    ctx: &PageCtx,
    mp: Multipart,
) -> AppResult<(ArticleData, SaveAs, Errors)> {
    let form = MultipartForm::read(mp, MAX_ATTACHMENT_BYTES).await?;
    let (save_as, mut d) = form.parse::<ArticleForm>()?.into_parts();
    let mut errors = Errors::default();
    for field in &form.too_large {
        let key = if field.starts_with("attachment_") {
            "error-attachment-too-large"
        } else {
            "error-poster-too-large"
        };
        errors.add(field.clone(), ctx.t(key));
    }
    for (i, attachment) in d.attachments.iter_mut().enumerate() {
        let field = format!("attachment_{}", i + 1);
        if let Some(up) = form.file(&field) {
            match wspolnie_web::uploads::detect_document(&up.filename, &up.bytes) {
                Some((ext, content_type)) => {
                    attachment.key = wspolnie_web::uploads::store_file(
                        state,
                        &state.platform.db.conn,
                        "attachments",
                        ext,
                        content_type,
                        up.bytes.clone(),
                        &up.filename,
                    )
                    .await?
                    .key;
                }
                None => errors.add(field, ctx.t("error-attachment-type")),
            }
        }
    }
    let mut store = async |field: &str, key: &mut String| -> AppResult<()> {
        match form.file(field) {
            Some(up) if up.bytes.len() > MAX_POSTER_BYTES => {
                errors.add(field, ctx.t("error-poster-too-large"));
            }
            Some(up) => {
                match wspolnie_web::uploads::store_image(state, "posters", up, POSTER_WIDTH).await? {
                    Ok(k) => *key = k,
                    Err(message) => errors.add(field, ctx.t(message)),
                }
            }
            None => {}
        }
        Ok(())
    };
    store("cover", &mut d.cover_key).await?;
    for (i, photo) in d.photos.iter_mut().enumerate() {
        store(&format!("photo_{}", i + 1), &mut photo.key).await?;
    }
    for (field, key) in d.validate() {
        let msg = wspolnie_web::forms::message(ctx, &crate::news::limits::ARTICLE, &field, key);
        errors.add(field, msg);
    }
    Ok((d, save_as, errors))
}

fn new_data() -> ArticleData {
    ArticleData {
        kind: "news".into(),
        ..Default::default()
    }
}

pub async fn org_new_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(org_id): Path<i64>,
) -> AppResult<Response> {
    let org = editable(&state, &current, org_id).await?;
    let (title, lead) = (
        ctx.t("art-new-title"),
        ctx.t1("art-form-lead", "organization", &org.name),
    );
    form_page(
        ctx,
        title,
        lead,
        format!("/panel/organizacje/{org_id}/aktualnosci/nowa"),
        format!("/panel/organizacje/{org_id}/aktualnosci"),
        new_data(),
        Errors::default(),
        None,
        true,
        false,
    )
}

async fn org_article(
    state: &AppState,
    org: &organization::Model,
    id: i64,
) -> AppResult<article::Model> {
    article::Entity::find_by_id(id)
        .filter(article::Column::OrganizationId.eq(org.id))
        .one(&state.platform.db.conn)
        .await?
        .ok_or(AppError::NotFound)
}

/// An organisation's form, new or existing article: on errors the form comes back, otherwise
/// one transaction saves the text (and its revision and the moderators' e-mails).
async fn org_save(
    state: AppState,
    ctx: PageCtx,
    current: CurrentAccount,
    org_id: i64,
    article_id: Option<i64>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Response> {
    let a = signed(&current)?;
    let org = editable(&state, &current, org_id).await?;
    let existing = match article_id {
        Some(id) => Some(org_article(&state, &org, id).await?),
        None => None,
    };
    let mp = mp.map_err(|_| AppError::BadRequest)?;
    let (d, mut save_as, mut errors) = read_and_validate(&state, &ctx, mp).await?;
    let published = existing
        .as_ref()
        .is_some_and(|e| e.status == articles::Status::Published);
    if published {
        save_as = SaveAs::Submit;
    }
    if org.status != organization::Status::Published && save_as == SaveAs::Submit {
        errors.add("title", ctx.t("error-article-org-unpublished"));
    }
    let action = match article_id {
        Some(id) => format!("/panel/organizacje/{org_id}/aktualnosci/{id}"),
        None => format!("/panel/organizacje/{org_id}/aktualnosci/nowa"),
    };
    if !errors.is_empty() {
        let title = match &existing {
            Some(e) => ctx.t1("art-edit-title", "title", &e.title),
            None => ctx.t("art-new-title"),
        };
        let lead = ctx.t1("art-form-lead", "organization", &org.name);
        return form_page(
            ctx,
            title,
            lead,
            action,
            format!("/panel/organizacje/{org_id}/aktualnosci"),
            d,
            errors,
            None,
            !published,
            false,
        );
    }
    let txn = wspolnie_platform::db::begin_write(&state.platform.db.conn).await?;
    articles::save_for_organization(
        &txn,
        &org,
        existing,
        &d,
        save_as,
        a.user.id,
        &state.platform.config.server.public_url,
    )
    .await?;
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        &format!("/panel/organizacje/{org_id}/aktualnosci"),
        match save_as {
            SaveAs::Draft => "flash-article-draft",
            SaveAs::Submit => "flash-article-submitted",
        },
    ))
}

pub async fn org_create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(org_id): Path<i64>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Response> {
    org_save(state, ctx, current, org_id, None, mp).await
}

pub async fn org_edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path((org_id, id)): Path<(i64, i64)>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Response> {
    org_save(state, ctx, current, org_id, Some(id), mp).await
}

pub async fn org_edit_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path((org_id, id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let org = editable(&state, &current, org_id).await?;
    let a = org_article(&state, &org, id).await?;
    let db = &state.platform.db.conn;
    let (d, notice) =
        match crate::moderation::web::working_copy(db, &ctx, SUBJECT_ARTICLE, a.id, "art")
            .await?
        {
            Some((d, notice)) => (d, Some(notice)),
            None => (ArticleData::load(db, &a).await?, None),
        };
    let (title, lead) = (
        ctx.t1("art-edit-title", "title", &a.title),
        ctx.t1("art-form-lead", "organization", &org.name),
    );
    form_page(
        ctx,
        title,
        lead,
        format!("/panel/organizacje/{org_id}/aktualnosci/{id}"),
        format!("/panel/organizacje/{org_id}/aktualnosci"),
        d,
        Errors::default(),
        notice,
        a.status != articles::Status::Published,
        false,
    )
}

pub async fn city_new_page(ctx: PageCtx) -> AppResult<Response> {
    let (title, lead) = (ctx.t("art-new-title"), ctx.t("art-official-note"));
    form_page(
        ctx,
        title,
        lead,
        "/panel/aktualnosci/nowa".into(),
        "/panel/aktualnosci".into(),
        new_data(),
        Errors::default(),
        None,
        false,
        true,
    )
}

pub async fn city_edit_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let a = article::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    // An organisation's unpublished text is not the office's to edit or publish.
    if !articles::allowed(
        Some(a.status),
        articles::Status::Published,
        articles::Mover::Official,
        a.organization_id.is_none(),
    ) {
        return Err(AppError::Forbidden);
    }
    let d = ArticleData::load(db, &a).await?;
    let (title, lead) = (
        ctx.t1("art-edit-title", "title", &a.title),
        ctx.t("art-official-note"),
    );
    form_page(
        ctx,
        title,
        lead,
        format!("/panel/aktualnosci/{id}"),
        "/panel/aktualnosci".into(),
        d,
        Errors::default(),
        None,
        false,
        true,
    )
}

async fn city_save(
    state: AppState,
    ctx: PageCtx,
    current: CurrentAccount,
    id: Option<i64>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Response> {
    let a = signed(&current)?;
    let db = &state.platform.db.conn;
    let existing = match id {
        Some(id) => Some(
            article::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let mp = mp.map_err(|_| AppError::BadRequest)?;
    let (d, _, errors) = read_and_validate(&state, &ctx, mp).await?;
    if !errors.is_empty() {
        let title = match &existing {
            Some(e) => ctx.t1("art-edit-title", "title", &e.title),
            None => ctx.t("art-new-title"),
        };
        let lead = ctx.t("art-official-note");
        let action = id.map_or_else(
            || "/panel/aktualnosci/nowa".to_owned(),
            |id| format!("/panel/aktualnosci/{id}"),
        );
        return form_page(
            ctx,
            title,
            lead,
            action,
            "/panel/aktualnosci".into(),
            d,
            errors,
            None,
            false,
            true,
        );
    }
    let txn = wspolnie_platform::db::begin_write(db).await?;
    match articles::publish_by_official(&txn, existing, &d, &actor(a)).await {
        Ok(_) => {}
        Err(articles::LifecycleError::Forbidden { .. }) => return Err(AppError::Forbidden),
        Err(articles::LifecycleError::Db(e)) => return Err(e.into()),
    }
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        "/panel/aktualnosci",
        "flash-article-published",
    ))
}

pub async fn city_create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Response> {
    city_save(state, ctx, current, None, mp).await
}

pub async fn city_edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(id): Path<i64>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Response> {
    city_save(state, ctx, current, Some(id), mp).await
}
