//! Information pages of the NGO zone edited by officials with the `content` scope: the public
//! page (`/strony/{slug}`, and `/dostepnosc` for the accessibility statement) with its guides and
//! templates to download, the panel list and edit form (Markdown in Polish and English, preview),
//! attachments (PDF, DOCX, ODT, XLSX, ODS recognised by content, 10 MB), and the e-mail footer
//! snippet for officials' own signatures. Every change is audited in its own transaction.

use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::AppError;
use wspolnie_web::errors::AppResult;
use wspolnie_web::forms::Errors;
use wspolnie_web::forms::MultipartForm;
use wspolnie_web::forms::first;
use wspolnie_platform::validation::FieldErrors;
use crate::accounts::web::ClientIp;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::{Html, IntoResponse, Response};
use axum::{Extension, Form};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use wspolnie_platform::audit;
use wspolnie_platform::audit::Actor;
use crate::pages::entity::page;
use crate::pages::entity::page_file;
use wspolnie_platform::entity::stored_file;
use wspolnie_platform::entity::user;
use wspolnie_platform::i18n::Lang;
use wspolnie_platform::settings::SiteSettings;

/// Guides and templates may be uploaded up to this size.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Body limit of the upload route: a file over `MAX_FILE_BYTES` is still read (and dropped) so
/// the form comes back with its message.
pub const BODY_LIMIT: usize = wspolnie_web::forms::MULTIPART_BODY_LIMIT;
/// Storage prefix of guides; served as downloads (`Content-Disposition: attachment`).
pub const FILE_PREFIX: &str = "guides";
pub const ACCESSIBILITY_SLUG: &str = "deklaracja-dostepnosci";
const MAX_TITLE: usize = 200;
const MAX_BODY: usize = 100_000;

/// The actor of a panel action, with the client address.
pub fn actor(a: &wspolnie_web::policy::Account, ip: &str) -> Actor {
    Actor {
        ip: ip.to_owned(),
        ..crate::admin::web::actor(a)
    }
}

use wspolnie_web::auth::signed;

/// Short type label of a stored document ("PDF", "DOCX", …).
pub(crate) fn type_label(content_type: &str, name: &str) -> String {
    match content_type {
        "application/pdf" => "PDF".into(),
        _ => name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_uppercase())
            .unwrap_or_default(),
    }
}

/// A file size for people: "820 KB", "1,4 MB" (decimal comma in Polish).
pub fn human_size(lang: Lang, bytes: i64) -> String {
    let s = if bytes < 1024 * 1024 {
        format!("{} KB", (bytes + 1023) / 1024)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    };
    match lang {
        Lang::Pl => s.replace('.', ","),
        Lang::En => s,
    }
}

/// Fills the placeholders of seeded texts with the site settings.
fn fill(md: &str, site: &SiteSettings) -> String {
    md.replace("{office}", &site.office_name)
        .replace("{email}", &site.email)
        .replace("{phone}", &site.phone)
        .replace("{address}", &site.address)
}

pub struct Download {
    pub href: String,
    pub title: String,
    pub kind: String,
    pub size: String,
    pub id: i64,
}

async fn downloads(state: &AppState, lang: Lang, page_id: i64) -> AppResult<Vec<Download>> {
    let db = &state.platform.db.conn;
    let files = page_file::Entity::find()
        .filter(page_file::Column::PageId.eq(page_id))
        .order_by_asc(page_file::Column::Position)
        .order_by_asc(page_file::Column::Id)
        .all(db)
        .await?;
    Ok(downloads_of(db, lang, files.into_iter().map(|f| (f.id, f.file_key, f.title)).collect()).await?)
}

/// Stored files as download links (id, storage key, title → link, type, size), in the given
/// order; a key without its `stored_files` row is left out. Other areas' attachments (a
/// consultation's) are listed the same way.
pub(crate) async fn downloads_of<C: sea_orm::ConnectionTrait>(
    db: &C,
    lang: Lang,
    files: Vec<(i64, String, String)>,
) -> Result<Vec<Download>, sea_orm::DbErr> {
    let keys: Vec<String> = files.iter().map(|f| f.1.clone()).collect();
    let stored = stored_file::Entity::find()
        .filter(stored_file::Column::Key.is_in(keys))
        .all(db)
        .await?;
    Ok(files
        .into_iter()
        .filter_map(|(id, key, title)| {
            let s = stored.iter().find(|s| s.key == key)?;
            Some(Download {
                href: format!("/pliki/{}", s.key),
                title,
                kind: type_label(&s.content_type, &s.original_name),
                size: human_size(lang, s.size),
                id,
            })
        })
        .collect())
}

#[derive(Template)]
#[template(path = "pages/templates/public/info_page.html")]
struct PublicPage {
    ctx: PageCtx,
    title: String,
    body_html: String,
    /// The language of the content shown: Polish also in English when the page has no English
    /// text (fallback, with a notice).
    content_lang: Lang,
    downloads: Vec<Download>,
    updated: String,
    edit_id: Option<i64>,
}

/// (title, Markdown, language of both) of a page in `lang`: Polish where no English text was
/// entered.
fn localized(p: &page::Model, lang: Lang) -> (String, String, Lang) {
    match lang {
        Lang::En if !p.body_en.trim().is_empty() => (
            if p.title_en.trim().is_empty() {
                p.title_pl.clone()
            } else {
                p.title_en.clone()
            },
            p.body_en.clone(),
            Lang::En,
        ),
        Lang::En | Lang::Pl => (p.title_pl.clone(), p.body_pl.clone(), Lang::Pl),
    }
}

async fn render_public(
    state: &AppState,
    ctx: PageCtx,
    current: Option<&CurrentAccount>,
    slug: &str,
) -> AppResult<Response> {
    let p = page::Entity::find()
        .filter(page::Column::Slug.eq(slug))
        .one(&state.platform.db.conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let (title, md, content_lang) = localized(&p, ctx.lang);
    // Placeholders take the office's name in the language of the text around them.
    let body_html =
        wspolnie_web::markdown::to_html(&fill(&md, &ctx.site.for_lang(content_lang)));
    let downloads = downloads(state, ctx.lang, p.id).await?;
    let can_edit = current
        .and_then(|c| c.0.as_ref())
        .is_some_and(|a| a.is_admin() || a.is_official("content"));
    let page = PublicPage {
        updated: wspolnie_web::fmt::date(ctx.lang, p.updated_at),
        ctx,
        title,
        body_html,
        content_lang,
        downloads,
        edit_id: can_edit.then_some(p.id),
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    current: Option<Extension<CurrentAccount>>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    render_public(&state, ctx, current.as_ref().map(|c| &c.0), &slug).await
}

/// `/dostepnosc`: the accessibility statement page.
pub async fn accessibility(
    State(state): State<AppState>,
    ctx: PageCtx,
    current: Option<Extension<CurrentAccount>>,
) -> AppResult<Response> {
    render_public(
        &state,
        ctx,
        current.as_ref().map(|c| &c.0),
        ACCESSIBILITY_SLUG,
    )
    .await
}

// ---- panel ----

pub struct PageRow {
    pub id: i64,
    pub title: String,
    pub slug: String,
    pub updated: String,
    pub updated_by: String,
    pub files: usize,
}

#[derive(Template)]
#[template(path = "pages/templates/admin/pages_list.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<PageRow>,
}

pub async fn list(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let pages = page::Entity::find()
        .order_by_asc(page::Column::Position)
        .order_by_asc(page::Column::Id)
        .all(db)
        .await?;
    let files = page_file::Entity::find().all(db).await?;
    let editor_ids: Vec<i64> = pages.iter().filter_map(|p| p.updated_by).collect();
    let editors = user::Entity::find()
        .filter(user::Column::Id.is_in(editor_ids))
        .all(db)
        .await?;
    let rows = pages
        .into_iter()
        .map(|p| PageRow {
            id: p.id,
            files: files.iter().filter(|f| f.page_id == p.id).count(),
            updated: wspolnie_web::fmt::datetime(ctx.lang, p.updated_at),
            updated_by: p
                .updated_by
                .and_then(|id| editors.iter().find(|u| u.id == id))
                .map(|u| u.display_name.clone())
                .unwrap_or_default(),
            title: p.title_pl,
            slug: p.slug,
        })
        .collect();
    Ok(Html(ListPage { ctx, rows }.render()?).into_response())
}

#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub struct PageForm {
    #[serde(default)]
    pub title_pl: String,
    #[serde(default)]
    pub body_pl: String,
    #[serde(default)]
    pub title_en: String,
    #[serde(default)]
    pub body_en: String,
    #[serde(default, skip_serializing)]
    pub action: String,
}

impl PageForm {
    fn of(p: &page::Model) -> PageForm {
        PageForm {
            title_pl: p.title_pl.clone(),
            body_pl: p.body_pl.clone(),
            title_en: p.title_en.clone(),
            body_en: p.body_en.clone(),
            action: String::new(),
        }
    }

    fn validate(&mut self, ctx: &PageCtx) -> Errors {
        let mut errors = Errors::default();
        self.title_pl = self.title_pl.trim().to_owned();
        self.title_en = self.title_en.trim().to_owned();
        self.body_pl = self.body_pl.trim_end().to_owned();
        self.body_en = self.body_en.trim_end().to_owned();
        wspolnie_web::forms::check_limits(
            ctx,
            &mut errors,
            &crate::pages::limits::PAGE,
            &[
                ("title_pl", &self.title_pl),
                ("title_en", &self.title_en),
                ("body_pl", &self.body_pl),
                ("body_en", &self.body_en),
            ],
        );
        if self.title_pl.is_empty() {
            errors.add("title_pl", ctx.t("pages-error-title-required"));
        } else if self.title_pl.chars().count() > MAX_TITLE {
            errors.add("title_pl", ctx.t("pages-error-title-long"));
        }
        if self.body_pl.trim().is_empty() {
            errors.add("body_pl", ctx.t("pages-error-body-required"));
        } else if self.body_pl.len() > MAX_BODY {
            errors.add("body_pl", ctx.t("pages-error-body-long"));
        }
        if self.title_en.chars().count() > MAX_TITLE {
            errors.add("title_en", ctx.t("pages-error-title-long"));
        }
        if self.body_en.len() > MAX_BODY {
            errors.add("body_en", ctx.t("pages-error-body-long"));
        }
        if !self.body_en.trim().is_empty() && self.title_en.is_empty() {
            errors.add("title_en", ctx.t("pages-error-title-en-required"));
        }
        errors
    }
}

#[derive(Template)]
#[template(path = "pages/templates/admin/page_form.html")]
struct EditPage {
    ctx: PageCtx,
    page: page::Model,
    f: PageForm,
    errors: Errors,
    preview_pl: Option<String>,
    preview_en: Option<String>,
    downloads: Vec<Download>,
    file_title: String,
    file_errors: Errors,
}

#[allow(clippy::too_many_arguments)]
async fn edit_page_with(
    state: &AppState,
    ctx: PageCtx,
    p: page::Model,
    f: PageForm,
    mut errors: Errors,
    preview: bool,
    file_title: String,
    mut file_errors: Errors,
) -> AppResult<Response> {
    errors.order(&["title_pl", "body_pl", "title_en", "body_en"]);
    file_errors.order(&["file_title", "file"]);
    let downloads = downloads(state, ctx.lang, p.id).await?;
    let render = |md: &str| wspolnie_web::markdown::to_html(&fill(md, &ctx.site));
    let (preview_pl, preview_en) = if preview {
        (
            Some(render(&f.body_pl)),
            (!f.body_en.trim().is_empty()).then(|| render(&f.body_en)),
        )
    } else {
        (None, None)
    };
    let page = EditPage {
        ctx,
        page: p,
        f,
        errors,
        preview_pl,
        preview_en,
        downloads,
        file_title,
        file_errors,
    };
    Ok(Html(page.render()?).into_response())
}

async fn find_page(state: &AppState, id: i64) -> AppResult<page::Model> {
    page::Entity::find_by_id(id)
        .one(&state.platform.db.conn)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let p = find_page(&state, id).await?;
    let f = PageForm::of(&p);
    edit_page_with(
        &state,
        ctx,
        p,
        f,
        Errors::default(),
        false,
        String::new(),
        Errors::default(),
    )
    .await
}

pub async fn save(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Form(mut f): Form<PageForm>,
) -> AppResult<Response> {
    let a = signed(&current)?;
    let p = find_page(&state, id).await?;
    let errors = f.validate(&ctx);
    if !errors.is_empty() || f.action == "preview" {
        return edit_page_with(
            &state,
            ctx,
            p,
            f,
            errors,
            true,
            String::new(),
            Errors::default(),
        )
        .await;
    }
    let before = PageForm::of(&p);
    let db = &state.platform.db.conn;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let mut am: page::ActiveModel = p.into();
    am.title_pl = Set(f.title_pl.clone());
    am.body_pl = Set(f.body_pl.clone());
    am.title_en = Set(f.title_en.clone());
    am.body_en = Set(f.body_en.clone());
    am.updated_by = Set(Some(a.user.id));
    am.updated_at = Set(Utc::now());
    am.update(&txn).await?;
    audit::record(
        &txn,
        &actor(a, &ip),
        "page.update",
        "page",
        id,
        Some(&before),
        Some(&f),
    )
    .await?;
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        &format!("/panel/strony/{id}"),
        "flash-page-saved",
    ))
}

#[derive(Serialize)]
struct FileAudit<'a> {
    page_id: i64,
    file_key: &'a str,
    title: &'a str,
    original_name: &'a str,
    size: i64,
}

/// The text of the file-upload form on a page's edit screen (the file part is read beside it).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FileForm {
    #[serde(deserialize_with = "first")]
    file_title: String,
}

impl FileForm {
    fn title(&self) -> String {
        self.file_title.trim().to_owned()
    }

    /// Field errors as Fluent ids.
    fn validate(&self) -> FieldErrors {
        let title = self.title();
        let mut errors = FieldErrors::new();
        crate::pages::limits::FILE.check_fields(&mut errors, &[("file_title", &title)]);
        if title.is_empty() {
            errors.insert("file_title".into(), ("pages-error-file-title-required", vec![]));
        } else if title.chars().count() > MAX_TITLE {
            errors.insert("file_title".into(), ("pages-error-title-long", vec![]));
        }
        errors
    }
}

pub async fn upload(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Response> {
    let a = signed(&current)?;
    let p = find_page(&state, id).await?;
    let mp = mp.map_err(|_| AppError::BadRequest)?;
    let form = MultipartForm::read(mp, MAX_FILE_BYTES).await?;
    let f = form.parse::<FileForm>()?;
    let title = f.title();
    let mut errors = wspolnie_web::forms::localise(&ctx, &f.validate());
    use wspolnie_web::uploads::DocumentProblem;
    let detected = match wspolnie_web::uploads::document(&form, "file") {
        Ok(d) => Some(d),
        Err(p) => {
            let key = match p {
                DocumentProblem::TooLarge => "pages-error-file-too-large",
                DocumentProblem::Missing => "pages-error-file-required",
                DocumentProblem::Type => "pages-error-file-type",
            };
            errors.add("file", ctx.t(key));
            None
        }
    };
    let Some((up, (ext, content_type))) = detected.filter(|_| errors.is_empty()) else {
        let f = PageForm::of(&p);
        return edit_page_with(&state, ctx, p, f, Errors::default(), false, title, errors).await;
    };
    let db = &state.platform.db.conn;
    let position = page_file::Entity::find()
        .filter(page_file::Column::PageId.eq(p.id))
        .all(db)
        .await?
        .len() as i32;
    let now = Utc::now();
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let wspolnie_web::uploads::Stored {
        key,
        original_name,
        size,
    } = wspolnie_web::uploads::store_file(
        &state,
        &txn,
        FILE_PREFIX,
        ext,
        content_type,
        up.bytes.clone(),
        &up.filename,
    )
    .await?;
    let file_id = page_file::Entity::insert(page_file::ActiveModel {
        page_id: Set(p.id),
        file_key: Set(key.clone()),
        title: Set(title.clone()),
        position: Set(position),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(&txn)
    .await?
    .last_insert_id;
    let after = FileAudit {
        page_id: p.id,
        file_key: &key,
        title: &title,
        original_name: &original_name,
        size,
    };
    audit::record(
        &txn,
        &actor(a, &ip),
        "page.file_add",
        "page_file",
        file_id,
        None::<&()>,
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        &format!("/panel/strony/{id}"),
        "flash-page-file-added",
    ))
}

pub async fn remove_file(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentAccount>,
    ClientIp(ip): ClientIp,
    Path((id, file_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let a = signed(&current)?;
    let db = &state.platform.db.conn;
    let f = page_file::Entity::find_by_id(file_id)
        .filter(page_file::Column::PageId.eq(id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    page_file::Entity::delete_by_id(f.id).exec(&txn).await?;
    stored_file::Entity::delete_many()
        .filter(stored_file::Column::Key.eq(f.file_key.clone()))
        .exec(&txn)
        .await?;
    let before = FileAudit {
        page_id: f.page_id,
        file_key: &f.file_key,
        title: &f.title,
        original_name: "",
        size: 0,
    };
    audit::record(
        &txn,
        &actor(a, &ip),
        "page.file_remove",
        "page_file",
        f.id,
        Some(&before),
        None::<&()>,
    )
    .await?;
    txn.commit().await?;
    // The row is gone, so the file is no longer served; removing the object is best effort.
    if let Err(e) = state.platform.storage.delete(&f.file_key).await {
        tracing::warn!(error = %e, key = %f.file_key, "could not delete a removed guide");
    }
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        &format!("/panel/strony/{id}"),
        "flash-page-file-removed",
    ))
}

// ---- e-mail footer snippet ----

#[derive(Template)]
#[template(path = "pages/templates/admin/footer_snippet.html")]
struct FooterPage {
    ctx: PageCtx,
    snippets: Vec<Snippet>,
}

/// The footer in one language, for signatures of mails written in that language.
struct Snippet {
    /// Suffix of the element ids (empty for Polish, which comes first).
    id: &'static str,
    heading: String,
    /// The language the footer text is in (Polish when no English footer was entered).
    text_lang: Lang,
    text: String,
    html: String,
}

/// The e-mail footer from site settings as plain text and HTML, for officials' own signatures:
/// one for mails in Polish and one for mails in English (the English footer and zone name, or
/// the Polish ones where none was entered).
pub async fn footer_snippet(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let url = format!(
        "{}/",
        state
            .platform
            .config
            .server
            .public_url
            .trim_end_matches('/')
    );
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let snippets = Lang::ALL
        .iter()
        .map(|&lang| {
            let site = ctx.site.for_lang(lang);
            let footer = site.email_footer.trim().to_owned();
            let zone = site.zone_name.clone();
            let text = format!("--\n{footer}\n{zone}: {url}");
            let html = format!(
                "<p>--<br>\n{}<br>\n<a href=\"{}\">{}</a></p>",
                esc(&footer),
                esc(&url),
                esc(&zone)
            );
            Snippet {
                id: if lang == Lang::Pl { "" } else { "-en" },
                heading: ctx.t(&format!("footer-snippet-for-{}", lang.code())),
                text_lang: site.text_lang("email_footer"),
                text,
                html,
            }
        })
        .collect();
    Ok(Html(FooterPage { ctx, snippets }.render()?).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wspolnie_web::uploads::detect_document;

    #[test]
    fn documents_are_recognised_by_content_and_extension() {
        assert_eq!(
            detect_document("Poradnik.PDF", b"%PDF-1.7 ...").map(|d| d.0),
            Some("pdf")
        );
        assert_eq!(
            detect_document("wzor.docx", b"PK\x03\x04rest").map(|d| d.0),
            Some("docx")
        );
        assert_eq!(
            detect_document("wzor.ods", b"PK\x03\x04rest").map(|d| d.0),
            Some("ods")
        );
        // A web page pretending to be a PDF, a PDF pretending to be a document, no extension.
        assert_eq!(detect_document("x.pdf", b"<html><script>"), None);
        assert_eq!(detect_document("x.docx", b"%PDF-1.4"), None);
        assert_eq!(detect_document("x.zip", b"PK\x03\x04"), None);
        assert_eq!(detect_document("pdf", b"%PDF-1.4"), None);
    }

    #[test]
    fn sizes_for_people() {
        assert_eq!(human_size(Lang::Pl, 1000), "1 KB");
        assert_eq!(human_size(Lang::Pl, 1_500_000), "1,4 MB");
        assert_eq!(human_size(Lang::En, 1_500_000), "1.4 MB");
    }
}
