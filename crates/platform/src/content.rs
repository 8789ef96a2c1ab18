//! The content version: one number in the `content_version` table that moves, in the writing
//! transaction, whenever a table public pages read changes. Database triggers move it, so every
//! write path counts — web handlers, jobs, the CLI import, a moderation decision, even an SQL
//! statement typed by an operator — and no handler has to remember to.
//!
//! The areas name the tables their public pages, feeds and API read (`Area.public_tables`);
//! `watch` installs one trigger per table at start (idempotent, under the migrations' advisory
//! lock on PostgreSQL). On PostgreSQL the trigger is a deferred constraint trigger that bumps the
//! row once per transaction at commit, so the row lock is taken last and held for the commit only
//! (no lock-order cycle with the writer's other rows); on SQLite writers are serialised anyway.
//!
//! Each instance keeps the last value it read (`ContentVersion`) and re-reads it at most every
//! `CHECK_EVERY`; read models and the response cache compare it with the value their data was
//! built at. The instance that made a change calls `touched`, so its next read goes to the
//! database at once.

use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, Statement};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How long an instance trusts the version it read: content changed elsewhere is visible on every
/// instance within this time (plus one query).
pub const CHECK_EVERY: Duration = Duration::from_secs(1);

/// The current value in the database.
pub async fn read<C: ConnectionTrait>(db: &C) -> Result<i64, DbErr> {
    let b = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_string(
            b,
            "SELECT version FROM content_version WHERE id = 1",
        ))
        .await?;
    match row {
        Some(r) => r.try_get_by_index::<i64>(0),
        None => Ok(0),
    }
}

/// Moves the version by hand (for writes to a table no trigger watches; normally not needed).
pub async fn bump<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    db.execute_unprepared("UPDATE content_version SET version = version + 1 WHERE id = 1")
        .await?;
    Ok(())
}

fn trigger_name(table: &str) -> String {
    format!("wsp_content_{table}")
}

fn valid_table(table: &str) -> bool {
    !table.is_empty()
        && table
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

const PG_FUNCTION: &str = "CREATE OR REPLACE FUNCTION wsp_content_changed() RETURNS trigger \
LANGUAGE plpgsql AS $$ BEGIN \
IF current_setting('wsp.content_changed', true) IS DISTINCT FROM '1' THEN \
PERFORM set_config('wsp.content_changed', '1', true); \
UPDATE content_version SET version = version + 1 WHERE id = 1; \
END IF; RETURN NULL; END $$";

/// Installs (once) the trigger that bumps the content version on every insert, update and delete
/// of each table. Safe to run from several instances at once.
pub async fn watch(db: &sea_orm::DatabaseConnection, tables: &[&str]) -> Result<(), DbErr> {
    if let Some(bad) = tables.iter().find(|t| !valid_table(t)) {
        return Err(DbErr::Custom(format!("not a table name: {bad:?}")));
    }
    let txn = crate::db::begin_write(db).await?;
    match txn.get_database_backend() {
        DatabaseBackend::Postgres => {
            txn.execute_unprepared(&format!(
                "SELECT pg_advisory_xact_lock({})",
                crate::db::MIGRATION_LOCK
            ))
            .await?;
            txn.execute_unprepared(PG_FUNCTION).await?;
            for t in tables {
                let name = trigger_name(t);
                txn.execute_unprepared(&format!(
                    "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_trigger \
                     WHERE tgname = '{name}' AND tgrelid = '{t}'::regclass) THEN \
                     CREATE CONSTRAINT TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {t} \
                     DEFERRABLE INITIALLY DEFERRED FOR EACH ROW \
                     EXECUTE FUNCTION wsp_content_changed(); END IF; END $$"
                ))
                .await?;
            }
        }
        _ => {
            for t in tables {
                for op in ["INSERT", "UPDATE", "DELETE"] {
                    let name = format!("{}_{}", trigger_name(t), op.to_ascii_lowercase());
                    txn.execute_unprepared(&format!(
                        "CREATE TRIGGER IF NOT EXISTS {name} AFTER {op} ON {t} BEGIN \
                         UPDATE content_version SET version = version + 1 WHERE id = 1; END"
                    ))
                    .await?;
                }
            }
        }
    }
    txn.commit().await
}

/// Whether the table has its trigger (a test checks every declared public table).
pub async fn watched<C: ConnectionTrait>(db: &C, table: &str) -> Result<bool, DbErr> {
    let b = db.get_database_backend();
    let name = trigger_name(table);
    let sql = match b {
        DatabaseBackend::Postgres => format!(
            "SELECT COUNT(*) FROM pg_trigger WHERE tgname = '{name}' AND tgrelid = '{table}'::regclass"
        ),
        _ => format!(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '{table}' \
             AND name LIKE '{name}_%'"
        ),
    };
    if !valid_table(table) {
        return Ok(false);
    }
    let row = db.query_one_raw(Statement::from_string(b, sql)).await?;
    let n = match row {
        Some(r) => r.try_get_by_index::<i64>(0)?,
        None => 0,
    };
    Ok(match b {
        DatabaseBackend::Postgres => n == 1,
        _ => n == 3,
    })
}

#[derive(Default)]
struct Seen {
    version: Option<i64>,
    checked_at: Option<Instant>,
    /// Moves when this instance changes something; `read_gen` is its value when the trusted
    /// read started. While they differ, `version` may predate this instance's own change.
    touched_gen: u64,
    read_gen: u64,
}

impl Seen {
    fn forced(&self) -> bool {
        self.touched_gen != self.read_gen
    }
}

/// What this instance knows of the content version (one per application state).
#[derive(Clone, Default)]
pub struct ContentVersion {
    seen: Arc<RwLock<Seen>>,
    /// One reader at a time; the others go on with the value they have.
    reading: Arc<tokio::sync::Mutex<()>>,
}

impl ContentVersion {
    fn trusted(&self) -> Option<i64> {
        let g = self.seen.read().ok()?;
        match (g.version, g.checked_at) {
            (Some(v), Some(at)) if !g.forced() && at.elapsed() < CHECK_EVERY => Some(v),
            _ => None,
        }
    }

    /// The version, read from the database at most every `CHECK_EVERY`. While one request
    /// re-reads it, the others use the previous value (still within the promised delay), unless
    /// this instance changed something since.
    pub async fn current(&self, db: &sea_orm::DatabaseConnection) -> Result<i64, DbErr> {
        if let Some(v) = self.trusted() {
            return Ok(v);
        }
        let _one = match self.reading.try_lock() {
            Ok(g) => g,
            Err(_) => {
                let fallback = self
                    .seen
                    .read()
                    .ok()
                    .and_then(|g| (!g.forced()).then_some(g.version).flatten());
                if let Some(v) = fallback {
                    return Ok(v);
                }
                self.reading.lock().await
            }
        };
        if let Some(v) = self.trusted() {
            return Ok(v);
        }
        self.read_now(db).await
    }

    /// Reads the version from the database now and remembers it.
    pub async fn read_now(&self, db: &sea_orm::DatabaseConnection) -> Result<i64, DbErr> {
        let started = Instant::now();
        let generation = self.seen.read().map(|g| g.touched_gen).unwrap_or_default();
        let v = read(db).await?;
        if let Ok(mut g) = self.seen.write() {
            g.version = Some(v);
            g.checked_at = Some(started);
            g.read_gen = generation;
        }
        Ok(v)
    }

    /// This instance changed something: the next `current` reads the database.
    pub fn touched(&self) {
        if let Ok(mut g) = self.seen.write() {
            g.touched_gen = g.touched_gen.wrapping_add(1);
        }
    }
}
