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
use axum::extract::{Multipart, Path, State};
use wspolnie_web::csv_out;
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

/// How many errors the page lists; the whole report is a CSV download.
pub const SHOWN_ERRORS: usize = 100;

/// How long a full error report stays downloadable.
const REPORT_TTL: std::time::Duration = std::time::Duration::from_secs(3600);

/// Full error reports of failed imports, kept in this instance's memory for `REPORT_TTL` under a
/// random id (the page that offers the link is rendered by the same request that made it).
#[derive(Clone, Default)]
pub struct ErrorReports(
    std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, (std::time::Instant, String)>>>,
);

impl ErrorReports {
    fn put(&self, csv: String) -> String {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let now = std::time::Instant::now();
        let mut m = self.0.lock().unwrap_or_else(|e| e.into_inner());
        m.retain(|_, (at, _)| now.duration_since(*at) < REPORT_TTL);
        m.insert(id.clone(), (now, csv));
        id
    }

    fn get(&self, id: &str) -> Option<String> {
        let m = self.0.lock().unwrap_or_else(|e| e.into_inner());
        m.get(id)
            .filter(|(at, _)| at.elapsed() < REPORT_TTL)
            .map(|(_, csv)| csv.clone())
    }
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
    /// Number of errors in the file (the page shows at most `SHOWN_ERRORS`).
    error_total: usize,
    /// Id of the downloadable full report.
    report_id: String,
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
    error_total: usize,
    report_id: String,
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
        error_total,
        report_id,
        columns,
        spheres,
        groups,
    }
    .render()?;
    Ok(Html(html).into_response())
}

pub async fn page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    render(&state, ctx, Errors::default(), None, Vec::new(), 0, String::new()).await
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
            return render(&state, ctx, e, None, Vec::new(), 0, String::new()).await;
        }
        Err(key) => {
            let e = Errors::form(FILE_FIELD, ctx.t(key));
            return render(&state, ctx, e, None, Vec::new(), 0, String::new()).await;
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
        state
            .part::<crate::directory::index::DirectoryIndex>()?
            .refresh(&state)
            .await?;
        return render(
            &state,
            ctx,
            Errors::default(),
            Some(report.imported),
            Vec::new(),
            0,
            String::new(),
        )
        .await;
    }
    let rows: Vec<ErrorRow> = report
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
    let header: Vec<csv_out::Cell> = vec![
        ctx.t("import-errors-line").into(),
        ctx.t("import-errors-column").into(),
        ctx.t("import-errors-message").into(),
    ];
    let csv = csv_out::sheet(std::iter::once(header).chain(rows.iter().map(|r| {
        vec![
            csv_out::typed(r.line.clone()),
            r.column.clone().into(),
            r.message.clone().into(),
        ]
    })))?;
    let report_id = state.part::<ErrorReports>()?.put(csv);
    let total = rows.len();
    let shown = rows.into_iter().take(SHOWN_ERRORS).collect();
    render(&state, ctx, Errors::default(), None, shown, total, report_id).await
}

/// The full error report of a failed import, as CSV (line, column, problem).
pub async fn error_report(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let csv = state
        .part::<ErrorReports>()?
        .get(&id)
        .ok_or(AppError::NotFound)?;
    Ok(csv_out::attachment("bledy-importu.csv", csv))
}
