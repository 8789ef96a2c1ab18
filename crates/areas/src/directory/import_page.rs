//! Administration: CSV import of organisations (`/panel/admin/import`). The upload is recorded and
//! carried forward by a background job (`directory_import::step`); the browser is sent to the
//! import's own page (`/panel/admin/import/{id}`), which shows rows checked and written and, at
//! the end, the result or the first 100 errors with the whole report as CSV.

use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::AppError;
use wspolnie_web::errors::AppResult;
use wspolnie_web::forms::Errors;
use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Path, State};
use wspolnie_web::csv_out;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use crate::directory::entity::directory_import as import_run;
use crate::directory::entity::directory_import::Status as ImportStatus;
use crate::directory::import as directory_import;
use crate::directory::import::COLUMNS;
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

/// How many errors the page lists; the whole report is a CSV download.
pub const SHOWN_ERRORS: usize = 100;

pub struct ErrorRow {
    /// Empty for problems of the file as a whole.
    pub line: String,
    pub column: String,
    pub message: String,
}

/// An earlier import in the list on the form's page.
pub struct RecentImport {
    pub id: i64,
    pub when: String,
    pub file_name: String,
    pub status: String,
    pub rows: i64,
}

#[derive(Template)]
#[template(path = "directory/templates/admin/import.html")]
struct ImportPage {
    ctx: PageCtx,
    errors: Errors,
    recent: Vec<RecentImport>,
    columns: Vec<ColumnHelp>,
    spheres: Vec<(String, String)>,
    groups: Vec<(String, String)>,
}

/// How many earlier imports the form's page lists.
const RECENT: u64 = 10;

fn status_label(ctx: &PageCtx, s: ImportStatus) -> String {
    ctx.t(&format!("import-status-{}", s.as_str()))
}

async fn render(state: &AppState, ctx: PageCtx, errors: Errors) -> AppResult<Response> {
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
            required: *c == "nazwa" || *c == "forma_prawna",
            meaning: ctx.t(&format!("import-col-{}", c.replace('_', "-"))),
        })
        .collect();
    let recent = import_run::Entity::find()
        .select_only()
        .columns([
            import_run::Column::Id,
            import_run::Column::CreatedAt,
            import_run::Column::FileName,
            import_run::Column::Status,
            import_run::Column::TotalRows,
        ])
        .order_by_desc(import_run::Column::Id)
        .limit(RECENT)
        .into_tuple::<(i64, chrono::DateTime<chrono::Utc>, String, ImportStatus, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, at, file_name, status, rows)| RecentImport {
            id,
            when: wspolnie_core::time::to_local(at)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            file_name,
            status: status_label(&ctx, status),
            rows,
        })
        .collect();
    let html = ImportPage {
        ctx,
        errors,
        recent,
        columns,
        spheres,
        groups,
    }
    .render()?;
    Ok(Html(html).into_response())
}

pub async fn page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    render(&state, ctx, Errors::default()).await
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
async fn read_file(mut form: Multipart) -> Result<Option<(String, Vec<u8>)>, &'static str> {
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
        let name = field.file_name().unwrap_or("").to_owned();
        let mut data = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(too_large)? {
            if data.len() + chunk.len() > MAX_FILE_BYTES {
                return Err("import-error-too-large");
            }
            data.extend_from_slice(&chunk);
        }
        // A form sent without choosing a file has an empty file part.
        return Ok((!data.is_empty()).then_some((name, data)));
    }
    Ok(None)
}

/// Records the upload as an import and sends the browser to its page; the file is checked and
/// written by the job worker, not in this request.
pub async fn upload(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    form: Multipart,
) -> AppResult<Response> {
    let account = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let (name, bytes) = match read_file(form).await {
        Ok(Some(f)) => f,
        Ok(None) => {
            let e = Errors::form(FILE_FIELD, ctx.t("import-error-file-required"));
            return render(&state, ctx, e).await;
        }
        Err(key) => {
            let e = Errors::form(FILE_FIELD, ctx.t(key));
            return render(&state, ctx, e).await;
        }
    };
    let text = match directory_import::read_text(&bytes) {
        Ok(t) => t,
        Err(e) => {
            let message = if e.line > 0 {
                ctx.t2(
                    "import-error-at-line",
                    "line",
                    &e.line.to_string(),
                    "message",
                    &ctx.t(e.message_key),
                )
            } else {
                ctx.t(e.message_key)
            };
            return render(&state, ctx, Errors::form(FILE_FIELD, message)).await;
        }
    };
    let name = if name.trim().is_empty() {
        "import.csv".to_owned()
    } else {
        name
    };
    let id =
        directory_import::start(&state.platform.db.conn, &name, text, Some(account.user.id)).await?;
    tracing::info!(import = id, "organisation import queued");
    Ok(Redirect::to(&format!("/panel/admin/import/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "directory/templates/admin/import_run.html")]
struct RunPage {
    ctx: PageCtx,
    id: i64,
    file_name: String,
    started: String,
    status: ImportStatus,
    status_label: String,
    total: i64,
    checked: i64,
    written: i64,
    line_errors: Vec<ErrorRow>,
    error_total: usize,
    message: String,
}

async fn load_run(state: &AppState, id: &str) -> AppResult<import_run::Model> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    import_run::Entity::find_by_id(id)
        .one(&state.platform.db.conn)
        .await?
        .ok_or(AppError::NotFound)
}

fn error_rows(ctx: &PageCtx, run: &import_run::Model) -> Vec<ErrorRow> {
    directory_import::recorded_errors(run)
        .into_iter()
        .map(|(line, column, key)| ErrorRow {
            line: if line == 0 {
                String::new()
            } else {
                line.to_string()
            },
            column,
            message: ctx.t(&key),
        })
        .collect()
}

/// One import's page: where it stands (rows checked, rows written), then its result.
pub async fn run_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let run = load_run(&state, &id).await?;
    let rows = error_rows(&ctx, &run);
    let error_total = rows.len();
    let html = RunPage {
        id: run.id,
        file_name: run.file_name.clone(),
        started: wspolnie_core::time::to_local(run.created_at)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        status: run.status,
        status_label: status_label(&ctx, run.status),
        total: run.total_rows,
        checked: run.checked_rows,
        written: run.written_rows,
        line_errors: rows.into_iter().take(SHOWN_ERRORS).collect(),
        error_total,
        message: run.message.clone(),
        ctx,
    }
    .render()?;
    Ok(Html(html).into_response())
}

/// The full error report of a failed import, as CSV (line, column, problem).
pub async fn error_report(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let run = load_run(&state, &id).await?;
    let rows = error_rows(&ctx, &run);
    let header: Vec<csv_out::Cell> = vec![
        ctx.t("import-errors-line").into(),
        ctx.t("import-errors-column").into(),
        ctx.t("import-errors-message").into(),
    ];
    let csv = csv_out::sheet(std::iter::once(header).chain(rows.into_iter().map(|r| {
        vec![
            csv_out::typed(r.line),
            r.column.into(),
            r.message.into(),
        ]
    })))?;
    Ok(csv_out::attachment(
        &format!("bledy-importu-{}.csv", run.id),
        csv,
    ))
}
