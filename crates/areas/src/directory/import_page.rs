//! Administration: CSV import of organisations (`/panel/admin/import`). The upload is checked as
//! a whole by `directory_import`; with any error nothing is written and the page lists the errors
//! by line and column.

use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::AppError;
use wspolnie_web::errors::AppResult;
use wspolnie_web::forms::Errors;
use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use wspolnie_platform::audit::Actor;
use crate::directory::import as directory_import;
use crate::directory::import::COLUMNS;
use crate::directory::import::ImportOptions;
use crate::directory::import::MAX_FILE_BYTES;
use wspolnie_platform::entity::sphere;
use wspolnie_platform::entity::target_group;
use wspolnie_platform::i18n::Lang;

/// Body limit of the upload route: the file plus room for the multipart framing.
pub const BODY_LIMIT: usize = MAX_FILE_BYTES + 64 * 1024;

/// Name of the file field in the form.
const FILE_FIELD: &str = "plik";

pub struct ColumnHelp {
    pub name: &'static str,
    pub required: bool,
    pub meaning: String,
}

pub struct ErrorRow {
    /// Empty for problems of the file as a whole.
    pub line: String,
    pub column: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "directory/templates/admin/import.html")]
struct ImportPage {
    ctx: PageCtx,
    errors: Errors,
    imported: Option<usize>,
    line_errors: Vec<ErrorRow>,
    columns: Vec<ColumnHelp>,
    spheres: Vec<(String, String)>,
    groups: Vec<(String, String)>,
}

async fn render(
    state: &AppState,
    ctx: PageCtx,
    errors: Errors,
    imported: Option<usize>,
    line_errors: Vec<ErrorRow>,
) -> AppResult<Response> {
    let db = &state.platform.db.conn;
    let spheres = sphere::Entity::find()
        .filter(sphere::Column::ValidTo.is_null())
        .order_by_asc(sphere::Column::Position)
        .all(db)
        .await?
        .iter()
        .map(|s| {
            let name = match ctx.lang {
                Lang::Pl => s.name_pl.clone(),
                Lang::En => s.name_en.clone(),
            };
            (s.code.clone(), name)
        })
        .collect();
    let groups = target_group::Entity::find()
        .order_by_asc(target_group::Column::Position)
        .all(db)
        .await?
        .iter()
        .map(|g| {
            let name = match ctx.lang {
                Lang::Pl => g.name_pl.clone(),
                Lang::En => g.name_en.clone(),
            };
            (g.code.clone(), name)
        })
        .collect();
    let columns = COLUMNS
        .iter()
        .map(|c| ColumnHelp {
            name: c,
            required: *c == "nazwa",
            meaning: ctx.t(&format!("import-col-{}", c.replace('_', "-"))),
        })
        .collect();
    let html = ImportPage {
        ctx,
        errors,
        imported,
        line_errors,
        columns,
        spheres,
        groups,
    }
    .render()?;
    Ok(Html(html).into_response())
}

pub async fn page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    render(&state, ctx, Errors::default(), None, Vec::new()).await
}

/// The sample file, with a BOM so that spreadsheets open it as UTF-8.
pub async fn sample() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"organizacje-wzor.csv\"",
            ),
        ],
        directory_import::SAMPLE_CSV,
    )
        .into_response()
}

/// Reads the file field, stopping as soon as it is over the limit. `Ok(None)`: no file chosen;
/// `Err(key)`: a message for the form.
async fn read_file(mut form: Multipart) -> Result<Option<Vec<u8>>, &'static str> {
    let too_large = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            "import-error-too-large"
        } else {
            "import-error-file-required"
        }
    };
    while let Some(mut field) = form.next_field().await.map_err(too_large)? {
        if field.name() != Some(FILE_FIELD) {
            continue;
        }
        let mut data = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(too_large)? {
            if data.len() + chunk.len() > MAX_FILE_BYTES {
                return Err("import-error-too-large");
            }
            data.extend_from_slice(&chunk);
        }
        // A form sent without choosing a file has an empty file part.
        return Ok((!data.is_empty()).then_some(data));
    }
    Ok(None)
}

pub async fn upload(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    form: Multipart,
) -> AppResult<Response> {
    let account = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let bytes = match read_file(form).await {
        Ok(Some(b)) => b,
        Ok(None) => {
            let e = Errors::form(FILE_FIELD, ctx.t("import-error-file-required"));
            return render(&state, ctx, e, None, Vec::new()).await;
        }
        Err(key) => {
            let e = Errors::form(FILE_FIELD, ctx.t(key));
            return render(&state, ctx, e, None, Vec::new()).await;
        }
    };
    let opts = ImportOptions {
        dry_run: false,
        actor: Actor {
            user_id: Some(account.user.id),
            label: account.user.email.clone(),
            ip: String::new(),
        },
    };
    let report =
        directory_import::import(&state.platform.db.conn, &bytes, &opts, |_, _| {}).await?;
    if report.errors.is_empty() {
        tracing::info!(count = report.imported, "organisations imported");
        state.part::<crate::directory::index::DirectoryIndex>()?.invalidate();
        return render(
            &state,
            ctx,
            Errors::default(),
            Some(report.imported),
            Vec::new(),
        )
        .await;
    }
    let rows = report
        .errors
        .iter()
        .map(|e| ErrorRow {
            line: if e.line == 0 {
                String::new()
            } else {
                e.line.to_string()
            },
            column: e.field.clone(),
            message: ctx.t(e.message_key),
        })
        .collect();
    render(&state, ctx, Errors::default(), None, rows).await
}
