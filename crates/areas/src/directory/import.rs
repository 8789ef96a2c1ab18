//! CSV import of organisations (the office's existing spreadsheet), run as background work: the
//! upload is recorded (`start`) and a job carries it forward in bounded steps (`step`). The file is
//! checked as a whole first; only when every line is valid are the organisations written, in
//! short batches as entries with the status `importing` (never public), and then published all
//! at once in one short transaction together with one audit entry. A file with errors, or an
//! import that cannot finish, leaves nothing in the directory.
//!
//! Format: UTF-8 (a byte-order mark is allowed), `;` or `,` as the delimiter (taken from the
//! header line), fields in double quotes may hold the delimiter, line breaks and `""` for a quote;
//! CRLF or LF line ends. Column names are in [`COLUMNS`] (case-insensitive, any order).

use wspolnie_platform::audit;
use wspolnie_platform::audit::Actor;
use crate::directory::model as directory;
use crate::directory::model::LEGAL_FORMS;
use crate::directory::model::Profile;
use crate::directory::model::Strictness;
use crate::directory::entity::organization;
use crate::directory::entity::directory_import;
use crate::directory::entity::directory_import::Status as ImportStatus;
use chrono::Utc;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QuerySelect,
};
use std::borrow::Cow;
use std::collections::HashSet;
use wspolnie_platform::jobs;
use wspolnie_platform::validation::neutralise_controls;
use wspolnie_platform::jobs::{ClaimedJob, JobContext, JobError, JobHandler, NewJob};
use wspolnie_core::text::fold_pl;

/// Accepted columns. `nazwa` is required; so, in effect, is `forma_prawna` (every row needs a
/// legal form); the others may be left out.
pub const COLUMNS: &[&str] = &[
    "nazwa",
    "forma_prawna",
    "krs",
    "nip",
    "regon",
    "opp",
    "email",
    "telefon",
    "www",
    "ulica",
    "kod_pocztowy",
    "miejscowosc",
    "dzielnica",
    "sfery",
    "grupy",
    "opis",
];

/// Largest file the web form and the CLI accept.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;

/// A sample file: the header and two organisations (served at `/panel/admin/import/wzor.csv`).
pub const SAMPLE_CSV: &str = "\u{feff}nazwa;forma_prawna;krs;nip;regon;opp;email;telefon;www;ulica;kod_pocztowy;miejscowosc;dzielnica;sfery;grupy;opis\r\n\
\"Stowarzyszenie \"\"Łąka\"\"\";Stowarzyszenie;0000012345;1234563218;;tak;kontakt@laka.example.org;600 100 200;laka.example.org;ul. Polna 1;12-345;Wierzbin;Zatorze;16|5;dzieci|seniorzy;Zajęcia przyrodnicze dla dzieci i sprzątanie brzegów rzeki.\r\n\
Fundacja Pod Dębem;fundacja;;;;nie;biuro@poddebem.example.org;;;ul. Lipowa 7;12-345;Wierzbin;;;;\r\n";

/// One problem in the file: the line it starts on (1 = header), the column and a Fluent key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub field: String,
    pub message_key: &'static str,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Data records in the file (blank lines not counted).
    pub total_lines: usize,
    /// Organisations written (0 whenever there are errors, and for a dry run).
    pub imported: usize,
    pub errors: Vec<LineError>,
}

impl ImportReport {
    fn failed(error: LineError) -> ImportReport {
        ImportReport {
            errors: vec![error],
            ..Default::default()
        }
    }
}

/// One CSV record: its fields and the file line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

/// A quoted field that never ends, starting on `line`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnclosedQuote {
    pub line: usize,
}

/// The delimiter used by the header line: the more frequent of `;` and `,` outside quotes
/// (`;` – what Polish spreadsheets write – when there is neither).
pub fn detect_delimiter(text: &str) -> char {
    let (mut semi, mut comma, mut quoted) = (0, 0, false);
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            ';' if !quoted => semi += 1,
            ',' if !quoted => comma += 1,
            _ => {}
        }
    }
    if comma > semi { ',' } else { ';' }
}

/// Splits CSV text into records with the `csv` crate (a leading BOM is skipped; records may have
/// different numbers of fields). Line numbers count physical lines, so a record after a quoted
/// field with line breaks gets the number a text editor shows. Line breaks inside quoted fields
/// come out as `\n`.
pub fn parse(text: &str, delimiter: char) -> Result<Vec<Record>, UnclosedQuote> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The csv reader counts lines by LF only; a lone CR (old Mac spreadsheets) ends a line too.
    // Normalising first also turns CRLF inside quoted fields into LF.
    let text: Cow<str> = if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    };
    let delimiter = u8::try_from(delimiter).unwrap_or(b';');
    let mut records = read_records(&text, delimiter);
    // The csv reader ends a quoted field that is never closed at the end of the input, as if it
    // were closed. Only the last record can be such a field's; it was left open exactly when
    // closing the quote and the line leaves it unchanged (after a closed field, an unquoted one,
    // a delimiter or a line end, a `"` and a line break change or add a record).
    if let Some((start, last)) = records.last() {
        let tail = format!("{}\"\n", &text[*start..]);
        let closed = read_records(&tail, delimiter);
        if closed.len() == 1 && closed[0].1.fields == last.fields {
            return Err(UnclosedQuote { line: last.line });
        }
    }
    Ok(records.drain(..).map(|(_, r)| r).collect())
}

/// Records with the byte offset each starts at.
fn read_records(text: &str, delimiter: u8) -> Vec<(usize, Record)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    // Reading valid UTF-8 from memory with flexible records cannot fail.
    while reader.read_record(&mut record).unwrap_or(false) {
        let (mut byte, mut line) = record
            .position()
            .map_or((0, 1), |p| (p.byte() as usize, p.line() as usize));
        // A record's position is where the previous one ended: blank lines the reader skipped
        // before it come first.
        let blank = text.as_bytes()[byte..]
            .iter()
            .take_while(|b| **b == b'\n')
            .count();
        byte += blank;
        line += blank;
        out.push((
            byte,
            Record {
                line,
                fields: record.iter().map(str::to_owned).collect(),
            },
        ));
    }
    out
}

fn is_blank(r: &Record) -> bool {
    r.fields.iter().all(|f| f.trim().is_empty())
}

/// `tak`/`nie` and friends; empty means no.
fn parse_bool(v: &str) -> Option<bool> {
    match fold_pl(v.trim()).as_str() {
        "" | "nie" | "n" | "0" | "false" | "no" | "f" => Some(false),
        "tak" | "t" | "1" | "true" | "yes" | "y" => Some(true),
        _ => None,
    }
}

/// A legal form code from a code or a Polish label ("Klub sportowy", "Stowarzyszenie zwykłe").
fn legal_form(v: &str) -> Option<&'static str> {
    let folded: String = fold_pl(v.trim())
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if let Some(code) = LEGAL_FORMS.iter().find(|c| **c == folded) {
        return Some(code);
    }
    match folded.as_str() {
        "inna" | "inna-forma-prawna" | "inne" => Some("other"),
        "klub" => Some("klub-sportowy"),
        _ => None,
    }
}

fn codes(v: &str, lowercase: bool) -> Vec<String> {
    v.split(['|', ','])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| {
            if lowercase {
                c.to_lowercase()
            } else {
                c.to_owned()
            }
        })
        .collect()
}

/// Column name in the file for a `Profile` field reported by `validate`.
fn column_of(field: &str) -> &str {
    match field {
        "name" => "nazwa",
        "legal_form" => "forma_prawna",
        "is_opp" => "opp",
        "phone" => "telefon",
        "website" => "www",
        "street" => "ulica",
        "postal_code" => "kod_pocztowy",
        "city" => "miejscowosc",
        "district" => "dzielnica",
        "leading_spheres" | "other_spheres" => "sfery",
        "target_groups" => "grupy",
        "short_description" => "opis",
        other => other,
    }
}

/// Messages of `validate` that speak of a form's list get import wording.
fn import_message(key: &'static str) -> &'static str {
    match key {
        "error-org-legal-form" => "import-error-legal-form",
        "error-sphere-unknown" => "import-error-sphere",
        "error-spheres-too-many" => "import-error-spheres-too-many",
        "error-group-unknown" => "import-error-group",
        wspolnie_platform::validation::TOO_LONG => "import-error-too-long",
        wspolnie_platform::validation::LINE_BREAK => "import-error-line-break",
        k => k,
    }
}

/// Checks the header: every column known, `nazwa` present, no column twice. Returns, for each
/// position, the column name.
fn read_header(header: &Record) -> Result<Vec<&'static str>, LineError> {
    let mut cols = Vec::new();
    for raw in &header.fields {
        let name = fold_pl(raw.trim()).replace([' ', '-'], "_");
        let Some(known) = COLUMNS.iter().find(|c| **c == name) else {
            return Err(LineError {
                line: header.line,
                field: raw.trim().to_owned(),
                message_key: if raw.trim().is_empty() {
                    "import-error-empty-column"
                } else {
                    "import-error-unknown-column"
                },
            });
        };
        if cols.contains(known) {
            return Err(LineError {
                line: header.line,
                field: (*known).to_owned(),
                message_key: "import-error-duplicate-column",
            });
        }
        cols.push(*known);
    }
    if !cols.contains(&"nazwa") {
        return Err(LineError {
            line: header.line,
            field: "nazwa".into(),
            message_key: "import-error-missing-name-column",
        });
    }
    Ok(cols)
}

/// A profile from one record, with problems the profile validation cannot see (OPP value,
/// legal form label, too many fields).
fn profile_of(cols: &[&str], r: &Record) -> (Profile, Vec<LineError>) {
    let mut p = Profile::default();
    let mut errors = Vec::new();
    let err = |field: &str, key: &'static str| LineError {
        line: r.line,
        field: field.to_owned(),
        message_key: key,
    };
    if r.fields.len() > cols.len() && r.fields[cols.len()..].iter().any(|f| !f.trim().is_empty()) {
        errors.push(err("", "import-error-too-many-fields"));
    }
    let mut spheres = Vec::new();
    for (col, value) in cols.iter().zip(&r.fields) {
        let v = value.trim();
        // Hostile input: NUL and other control characters are refused with the cell's row and
        // column (line breaks inside a quoted cell are ordinary text).
        if wspolnie_platform::validation::has_forbidden_control(v) {
            errors.push(err(col, wspolnie_platform::validation::CONTROL));
            continue;
        }
        match *col {
            "nazwa" => p.name = v.to_owned(),
            "forma_prawna" => match legal_form(v) {
                Some(code) => p.legal_form = code.to_owned(),
                None => {
                    // Left as given; validation reports it.
                    p.legal_form = v.to_owned();
                }
            },
            "krs" => p.krs = v.to_owned(),
            "nip" => p.nip = v.to_owned(),
            "regon" => p.regon = v.to_owned(),
            "opp" => match parse_bool(v) {
                Some(b) => p.is_opp = b,
                None => errors.push(err("opp", "import-error-opp")),
            },
            "email" => p.email = v.to_owned(),
            "telefon" => p.phone = v.to_owned(),
            "www" => p.website = v.to_owned(),
            "ulica" => p.street = v.to_owned(),
            "kod_pocztowy" => p.postal_code = v.to_owned(),
            "miejscowosc" => p.city = v.to_owned(),
            "dzielnica" => p.district = v.to_owned(),
            "sfery" => spheres = codes(v, false),
            "grupy" => p.target_groups = codes(v, true),
            "opis" => p.short_description = v.to_owned(),
            _ => {}
        }
    }
    let split = spheres.len().min(directory::MAX_LEADING_SPHERES);
    p.other_spheres = spheres.split_off(split);
    p.leading_spheres = spheres;
    (p, errors)
}

/// Reads an uploaded file as text: at most `MAX_FILE_BYTES`, UTF-8 (a byte-order mark is
/// dropped). The error names the line where the encoding breaks.
pub fn read_text(bytes: &[u8]) -> Result<&str, LineError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(LineError {
            line: 0,
            field: String::new(),
            message_key: "import-error-too-large",
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(t) => Ok(t.strip_prefix('\u{feff}').unwrap_or(t)),
        Err(e) => Err(LineError {
            line: bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1,
            field: String::new(),
            message_key: "import-error-encoding",
        }),
    }
}

/// What the directory already holds that a file must not repeat: the KRS and NIP numbers of
/// every entry that is not refused (entries staged by the import `except` itself left out).
pub struct Taken {
    krs: HashSet<String>,
    nip: HashSet<String>,
    spheres: Vec<String>,
    groups: Vec<String>,
}

impl Taken {
    pub async fn load<C: ConnectionTrait>(db: &C, except: Option<i64>) -> Result<Taken, DbErr> {
        let (spheres, groups) = directory::codes(db).await?;
        let mut q = organization::Entity::find()
            .select_only()
            .column(organization::Column::Krs)
            .column(organization::Column::Nip)
            .filter(organization::Column::Status.ne(organization::Status::Rejected));
        if let Some(id) = except {
            q = q.filter(
                Condition::any()
                    .add(organization::Column::ImportId.is_null())
                    .add(organization::Column::ImportId.ne(id)),
            );
        }
        let rows: Vec<(Option<String>, Option<String>)> = q.into_tuple().all(db).await?;
        let mut taken = Taken {
            krs: HashSet::new(),
            nip: HashSet::new(),
            spheres,
            groups,
        };
        for (krs, nip) in rows {
            taken.krs.extend(krs);
            taken.nip.extend(nip);
        }
        Ok(taken)
    }
}

/// The whole file checked: the report and, when it has no error, the profiles to write in file
/// order. Pure computation over `taken` (run it on a blocking thread for large files).
pub fn check(text: &str, taken: &Taken) -> (ImportReport, Vec<Profile>) {
    let records = match parse(text, detect_delimiter(text)) {
        Ok(r) => r,
        Err(UnclosedQuote { line }) => {
            return (
                ImportReport::failed(LineError {
                    line,
                    field: String::new(),
                    message_key: "import-error-quote",
                }),
                Vec::new(),
            );
        }
    };
    let mut records = records.into_iter().filter(|r| !is_blank(r));
    let Some(header) = records.next() else {
        return (
            ImportReport::failed(LineError {
                line: 1,
                field: String::new(),
                message_key: "import-error-empty",
            }),
            Vec::new(),
        );
    };
    let cols = match read_header(&header) {
        Ok(c) => c,
        Err(e) => return (ImportReport::failed(e), Vec::new()),
    };
    let rows: Vec<Record> = records.collect();
    let total = rows.len();
    let mut report = ImportReport {
        total_lines: total,
        ..Default::default()
    };
    if total == 0 {
        report.errors.push(LineError {
            line: header.line,
            field: String::new(),
            message_key: "import-error-no-rows",
        });
        return (report, Vec::new());
    }
    let mut seen_krs: HashSet<String> = HashSet::new();
    let mut seen_nip: HashSet<String> = HashSet::new();
    let mut profiles = Vec::with_capacity(total);
    for r in &rows {
        let (mut p, mut errors) = profile_of(&cols, r);
        let field_errors = p.validate(Strictness::Import, &taken.spheres, &taken.groups);
        for (field, key) in &field_errors {
            errors.push(LineError {
                line: r.line,
                field: column_of(field).to_owned(),
                message_key: import_message(key),
            });
        }
        // Duplicates: a KRS or NIP already in the directory, or earlier in this file.
        for (col, value, seen, existing) in [
            ("krs", &p.krs, &mut seen_krs, &taken.krs),
            ("nip", &p.nip, &mut seen_nip, &taken.nip),
        ] {
            if value.is_empty() || field_errors.contains_key(col) {
                continue;
            }
            let key = if !seen.insert(value.clone()) {
                "import-error-duplicate-in-file"
            } else if existing.contains(value) {
                "import-error-duplicate-existing"
            } else {
                continue;
            };
            errors.push(LineError {
                line: r.line,
                field: col.to_owned(),
                message_key: key,
            });
        }
        report.errors.extend(errors);
        profiles.push(p);
    }
    if !report.errors.is_empty() {
        profiles.clear();
    }
    (report, profiles)
}

/// Checks a file against the database without writing anything (the CLI's `--dry-run`).
pub async fn dry_run(db: &DatabaseConnection, bytes: &[u8]) -> Result<ImportReport, DbErr> {
    let text = match read_text(bytes) {
        Ok(t) => t.to_owned(),
        Err(e) => return Ok(ImportReport::failed(e)),
    };
    let taken = Taken::load(db, None).await?;
    let (report, _) = tokio::task::spawn_blocking(move || check(&text, &taken))
        .await
        .map_err(|e| DbErr::Custom(format!("import check: {e}")))?;
    Ok(report)
}

/// The job that carries an import forward, one bounded step at a time.
pub const JOB: &str = "directory.import";

/// How long one step writes before it hands over to the next job: short enough that a shutdown
/// (which lets running jobs finish) stays well inside its grace period.
pub const STEP_BUDGET: std::time::Duration = std::time::Duration::from_secs(4);

/// Organisations written per transaction: each write transaction stays short, so users' saves
/// never wait long for the SQLite write lock.
pub const BATCH: usize = 200;

/// Records an uploaded file as an import and queues its first step, in one transaction. The file
/// must have passed `read_text`.
pub async fn start(
    db: &DatabaseConnection,
    file_name: &str,
    text: &str,
    created_by: Option<i64>,
) -> Result<i64, DbErr> {
    let now = Utc::now();
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let id = directory_import::Entity::insert(directory_import::ActiveModel {
        status: Set(ImportStatus::Queued),
        // NUL and other controls become the visible mark the check refuses with the cell's row
        // and column (PostgreSQL would refuse a NUL in a text column outright).
        file_name: Set(neutralise_controls(file_name).chars().take(200).collect()),
        file_text: Set(neutralise_controls(text).into_owned()),
        total_rows: Set(0),
        checked_rows: Set(0),
        written_rows: Set(0),
        error_count: Set(0),
        errors: Set("[]".into()),
        message: Set(String::new()),
        created_by: Set(created_by),
        created_at: Set(now),
        updated_at: Set(now),
        finished_at: Set(None),
        ..Default::default()
    })
    .exec(&txn)
    .await?
    .last_insert_id;
    jobs::enqueue(&txn, step_job(id, 0)).await?;
    txn.commit().await?;
    Ok(id)
}

fn step_job(id: i64, step: u64) -> NewJob {
    NewJob::new(JOB, serde_json::json!({ "import": id, "step": step }))
        .key(format!("{JOB}:{id}:{step}"))
        .attempts(5)
}

/// What a step left to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    More,
    Finished,
}

/// Carries import `id` forward for about `budget`: checks the whole file (again after a restart:
/// the numbers in the directory may have changed), then writes the next batches, each in its own
/// short transaction that also moves the `written_rows` counter, so a step run twice (a worker
/// killed and its job taken over) writes nothing twice. When every row is written, one short
/// transaction publishes them all with the audit entry; when the file turns out invalid, the
/// staged entries are deleted and the errors recorded.
pub async fn step(
    db: &DatabaseConnection,
    id: i64,
    budget: std::time::Duration,
) -> Result<Step, DbErr> {
    let started = std::time::Instant::now();
    let Some(run) = directory_import::Entity::find_by_id(id).one(db).await? else {
        return Ok(Step::Finished);
    };
    if !run.status.is_running() {
        return Ok(Step::Finished);
    }
    if run.status == ImportStatus::Queued {
        move_to(db, &run, ImportStatus::Checking, |_| {}).await?;
    }
    let taken = Taken::load(db, Some(id)).await?;
    let text = run.file_text.clone();
    let (report, profiles) = tokio::task::spawn_blocking(move || check(&text, &taken))
        .await
        .map_err(|e| DbErr::Custom(format!("import check: {e}")))?;
    let total = report.total_lines as i64;
    if !report.errors.is_empty() {
        fail(db, id, &report.errors, total, "").await?;
        return Ok(Step::Finished);
    }
    let mut written = run.written_rows.max(0) as usize;
    if run.status != ImportStatus::Writing {
        let run = directory_import::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or(DbErr::RecordNotFound(format!("import {id}")))?;
        move_to(db, &run, ImportStatus::Writing, |a| {
            a.total_rows = Set(total);
            a.checked_rows = Set(total);
        })
        .await?;
        written = 0;
    }
    while written < profiles.len() {
        if written > run.written_rows.max(0) as usize && started.elapsed() >= budget {
            // At least one batch per step, then hand over.
            return Ok(Step::More);
        }
        let end = (written + BATCH).min(profiles.len());
        let txn = wspolnie_platform::db::begin_write(db).await?;
        let claimed = directory_import::Entity::update_many()
            .col_expr(directory_import::Column::WrittenRows, (end as i64).into())
            .col_expr(directory_import::Column::UpdatedAt, Utc::now().into())
            .filter(directory_import::Column::Id.eq(id))
            .filter(directory_import::Column::Status.eq(ImportStatus::Writing))
            .filter(directory_import::Column::WrittenRows.eq(written as i64))
            .exec(&txn)
            .await?;
        if claimed.rows_affected == 0 {
            // Another runner of this import moved on (or it ended): leave it to that one.
            txn.rollback().await?;
            return Ok(Step::Finished);
        }
        for p in &profiles[written..end] {
            directory::create_staged(&txn, p, id).await?;
        }
        txn.commit().await?;
        written = end;
    }
    publish(db, id, written).await?;
    Ok(Step::Finished)
}

async fn move_to(
    db: &DatabaseConnection,
    run: &directory_import::Model,
    to: ImportStatus,
    more: impl FnOnce(&mut directory_import::ActiveModel),
) -> Result<(), DbErr> {
    crate::lifecycle::check("import", run.status, to, directory_import::allowed)?;
    let mut a: directory_import::ActiveModel = run.clone().into();
    a.status = Set(to);
    a.updated_at = Set(Utc::now());
    more(&mut a);
    a.update(db).await?;
    Ok(())
}

/// Publishes every staged entry of the import in one transaction, with one audit entry.
async fn publish(db: &DatabaseConnection, id: i64, written: usize) -> Result<(), DbErr> {
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let Some(run) = directory_import::Entity::find_by_id(id).one(&txn).await? else {
        return Ok(());
    };
    if run.status != ImportStatus::Writing {
        return Ok(());
    }
    let now = Utc::now();
    let published = organization::Entity::update_many()
        .col_expr(
            organization::Column::Status,
            organization::Status::Published.as_str().into(),
        )
        .col_expr(organization::Column::PublishedAt, Some(now).into())
        .col_expr(organization::Column::ConfirmedAt, Some(now).into())
        .col_expr(organization::Column::UpdatedAt, now.into())
        .filter(organization::Column::ImportId.eq(id))
        .filter(organization::Column::Status.eq(organization::Status::Importing))
        .exec(&txn)
        .await?
        .rows_affected;
    let actor = match run.created_by {
        Some(uid) => match wspolnie_platform::entity::user::Entity::find_by_id(uid)
            .one(&txn)
            .await?
        {
            Some(u) => Actor {
                user_id: Some(uid),
                label: u.email,
                ip: String::new(),
            },
            None => Actor::system("import"),
        },
        None => Actor::system("import"),
    };
    audit::record(
        &txn,
        &actor,
        "directory.import",
        "directory_import",
        id,
        None::<&()>,
        Some(&serde_json::json!({
            "count": published,
            "file": run.file_name,
        })),
    )
    .await?;
    directory::touch(&txn).await?;
    let total = run.total_rows;
    move_to_in(&txn, run, ImportStatus::Done, |a| {
        a.written_rows = Set(written as i64);
        a.checked_rows = Set(total);
        a.file_text = Set(String::new());
        a.finished_at = Set(Some(now));
    })
    .await?;
    txn.commit().await?;
    Ok(())
}

async fn move_to_in<C: ConnectionTrait>(
    db: &C,
    run: directory_import::Model,
    to: ImportStatus,
    more: impl FnOnce(&mut directory_import::ActiveModel),
) -> Result<(), DbErr> {
    crate::lifecycle::check("import", run.status, to, directory_import::allowed)?;
    let mut a: directory_import::ActiveModel = run.into();
    a.status = Set(to);
    a.updated_at = Set(Utc::now());
    more(&mut a);
    a.update(db).await?;
    Ok(())
}

/// Ends an import as failed: deletes what it staged (in short batches), records the errors in
/// the file or `message` (an internal reason), and forgets the file.
pub async fn fail(
    db: &DatabaseConnection,
    id: i64,
    errors: &[LineError],
    total: i64,
    message: &str,
) -> Result<(), DbErr> {
    remove_staged(db, id).await?;
    let Some(run) = directory_import::Entity::find_by_id(id).one(db).await? else {
        return Ok(());
    };
    if !run.status.is_running() {
        return Ok(());
    }
    let list: Vec<(usize, &str, &str)> = errors
        .iter()
        .map(|e| (e.line, e.field.as_str(), e.message_key))
        .collect();
    let json = serde_json::to_string(&list).unwrap_or_else(|_| "[]".into());
    let now = Utc::now();
    move_to_in(db, run, ImportStatus::Failed, |a| {
        a.total_rows = Set(total);
        if !errors.is_empty() {
            a.checked_rows = Set(total);
        }
        a.written_rows = Set(0);
        a.error_count = Set(errors.len() as i64);
        a.errors = Set(json);
        a.message = Set(message.chars().take(2000).collect());
        a.file_text = Set(String::new());
        a.finished_at = Set(Some(now));
    })
    .await
}

async fn remove_staged(db: &DatabaseConnection, id: i64) -> Result<(), DbErr> {
    loop {
        let ids: Vec<i64> = organization::Entity::find()
            .select_only()
            .column(organization::Column::Id)
            .filter(organization::Column::ImportId.eq(id))
            .filter(organization::Column::Status.eq(organization::Status::Importing))
            .limit(500)
            .into_tuple()
            .all(db)
            .await?;
        if ids.is_empty() {
            return Ok(());
        }
        let txn = wspolnie_platform::db::begin_write(db).await?;
        organization::Entity::delete_many()
            .filter(organization::Column::Id.is_in(ids))
            .filter(organization::Column::Status.eq(organization::Status::Importing))
            .exec(&txn)
            .await?;
        txn.commit().await?;
    }
}

/// The errors recorded for an import (line, column, message key), in file order.
pub fn recorded_errors(run: &directory_import::Model) -> Vec<(usize, String, String)> {
    serde_json::from_str(&run.errors).unwrap_or_default()
}

/// Runs import steps in the job worker until the import ends; a failure after the last attempt
/// ends the import as failed (nothing of it stays in the directory).
pub struct ImportHandler;

#[async_trait::async_trait]
impl JobHandler for ImportHandler {
    async fn run(&self, ctx: &JobContext, job: &ClaimedJob) -> Result<(), JobError> {
        let Some(id) = job.payload.get("import").and_then(|v| v.as_i64()) else {
            return Err(JobError::Permanent("import job without an import id".into()));
        };
        let n = job
            .payload
            .get("step")
            .and_then(|v| v.as_u64())
            .unwrap_or(0);
        let db = &ctx.db.conn;
        match step(db, id, STEP_BUDGET).await {
            Ok(Step::Finished) => Ok(()),
            Ok(Step::More) => jobs::enqueue(db, step_job(id, n + 1))
                .await
                .map(|_| ())
                .map_err(|e| JobError::Retry(e.to_string())),
            Err(e) if job.attempts >= job.max_attempts => {
                let message = e.to_string();
                fail(db, id, &[], 0, &message)
                    .await
                    .map_err(|e| JobError::Retry(e.to_string()))?;
                Err(JobError::Permanent(message))
            }
            Err(e) => Err(JobError::Retry(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(records: &[Record]) -> Vec<Vec<&str>> {
        records
            .iter()
            .map(|r| r.fields.iter().map(String::as_str).collect())
            .collect()
    }

    #[test]
    fn semicolons_with_bom_and_crlf() {
        let text = "\u{feff}nazwa;krs\r\nŁąka;123\r\nDąb;\r\n";
        assert_eq!(detect_delimiter(text.trim_start_matches('\u{feff}')), ';');
        let r = parse(text, ';').expect("parse");
        assert_eq!(
            fields(&r),
            vec![vec!["nazwa", "krs"], vec!["Łąka", "123"], vec!["Dąb", ""]]
        );
        assert_eq!(r.iter().map(|r| r.line).collect::<Vec<_>>(), vec![1, 2, 3]);
    }

    #[test]
    fn commas_and_quotes_with_escapes() {
        let text = "nazwa,opis\n\"Fundacja \"\"Most\"\", Wierzbin\",\"a; b\"\n";
        assert_eq!(detect_delimiter(text), ',');
        let r = parse(text, ',').expect("parse");
        assert_eq!(r[1].fields, vec!["Fundacja \"Most\", Wierzbin", "a; b"]);
    }

    #[test]
    fn delimiter_in_quoted_header_does_not_count() {
        assert_eq!(detect_delimiter("\"a,b,c\";nazwa\n"), ';');
        assert_eq!(detect_delimiter("nazwa\n1,2,3\n"), ';');
        assert_eq!(detect_delimiter("nazwa,krs;x,y\n"), ',');
    }

    #[test]
    fn line_numbers_follow_embedded_newlines() {
        let text = "nazwa;opis\nA;\"pierwsza\r\ndruga\nlinia\"\nB;x\n\nC;y";
        let r = parse(text, ';').expect("parse");
        assert_eq!(r[1].fields[1], "pierwsza\ndruga\nlinia");
        let lines: Vec<usize> = r.iter().map(|r| r.line).collect();
        // Header 1, A starts on 2 and spans 3–4, B on 5, a blank line 6 (skipped by the reader;
        // the import skips blank records anyway), C on 7 without a final newline.
        assert_eq!(lines, vec![1, 2, 5, 7]);
        assert_eq!(r[3].fields, vec!["C", "y"]);
        // Lines of only delimiters or spaces are records, and blank.
        let r = parse("nazwa\n;;\n \nA\n", ';').expect("parse");
        assert!(is_blank(&r[1]) && is_blank(&r[2]));
        assert_eq!(r[3].line, 4);
    }

    #[test]
    fn lone_carriage_returns_and_blank_lines_count_as_lines() {
        let r = parse("nazwa;opis\r\rA;\"x\ry\"\rB;z\r\n\r\n\nC;w", ';').expect("parse");
        assert_eq!(
            r.iter().map(|r| r.line).collect::<Vec<_>>(),
            vec![1, 3, 5, 8]
        );
        assert_eq!(r[1].fields, vec!["A", "x\ny"]);
    }

    #[test]
    fn only_an_open_quote_at_the_end_is_unclosed() {
        for closed in [
            "nazwa\nA",
            "nazwa\nA\n",
            "nazwa\nA;",
            "nazwa\n\"A\"",
            "nazwa\n\"A\"\"\"",
            "nazwa\nA\"B",
            "nazwa\n\"A\"B",
            "nazwa\n\"A\nB\"\n\n",
            "",
        ] {
            assert!(parse(closed, ';').is_ok(), "{closed:?}");
        }
        for (open, line) in [
            ("nazwa\n\"A", 2),
            ("nazwa\nA;\"", 2),
            ("nazwa\n\"A\"\"", 2),
            ("nazwa\n\n\nA;\"B\n\nC;D\n", 4),
            ("\"nazwa", 1),
        ] {
            assert_eq!(parse(open, ';'), Err(UnclosedQuote { line }), "{open:?}");
        }
    }

    #[test]
    fn unclosed_quote_names_its_line() {
        assert_eq!(
            parse("nazwa\nA\n\"B\nC\n", ';'),
            Err(UnclosedQuote { line: 3 })
        );
    }

    #[test]
    fn header_rules() {
        let h = |s: &str| Record {
            line: 1,
            fields: s.split(';').map(str::to_owned).collect(),
        };
        assert_eq!(
            read_header(&h("Nazwa;KRS;Miejscowość")).expect("ok"),
            vec!["nazwa", "krs", "miejscowosc"]
        );
        let e = read_header(&h("nazwa;fax")).expect_err("unknown");
        assert_eq!(
            (e.field.as_str(), e.message_key),
            ("fax", "import-error-unknown-column")
        );
        let e = read_header(&h("krs;nip")).expect_err("no name");
        assert_eq!(e.message_key, "import-error-missing-name-column");
        let e = read_header(&h("nazwa;krs;KRS")).expect_err("twice");
        assert_eq!(e.message_key, "import-error-duplicate-column");
    }

    #[test]
    fn values() {
        assert_eq!(
            legal_form("Stowarzyszenie zwykłe"),
            Some("stowarzyszenie-zwykle")
        );
        assert_eq!(legal_form("KLUB SPORTOWY"), Some("klub-sportowy"));
        assert_eq!(legal_form("fundacja"), Some("fundacja"));
        assert_eq!(legal_form("spółka"), None);
        assert_eq!(parse_bool("TAK"), Some(true));
        assert_eq!(parse_bool(""), Some(false));
        assert_eq!(parse_bool("może"), None);
        let cols = ["nazwa", "sfery", "grupy"];
        let (p, e) = profile_of(
            &cols,
            &Record {
                line: 4,
                fields: vec!["X".into(), "16, 5|1|2".into(), "Dzieci|seniorzy".into()],
            },
        );
        assert!(e.is_empty());
        assert_eq!(p.leading_spheres, vec!["16", "5", "1"]);
        assert_eq!(p.other_spheres, vec!["2"]);
        assert_eq!(p.target_groups, vec!["dzieci", "seniorzy"]);
    }

    #[test]
    fn sample_file_parses() {
        let text = SAMPLE_CSV.trim_start_matches('\u{feff}');
        let r = parse(text, detect_delimiter(text)).expect("parse");
        let cols = read_header(&r[0]).expect("header");
        assert_eq!(cols.len(), COLUMNS.len());
        let (p, e) = profile_of(&cols, &r[1]);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(p.name, "Stowarzyszenie \"Łąka\"");
        assert_eq!(p.legal_form, "stowarzyszenie");
        assert!(p.is_opp);
    }
}
