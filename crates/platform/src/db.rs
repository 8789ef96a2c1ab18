//! Database connection for both backends, migrations under a lock, and the schema check that
//! refuses to run a binary older than the database.

use crate::config::DatabaseConfig;
use sea_orm::{
    ConnectOptions, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use std::time::Duration;
use wspolnie_migration::Migrator;

/// The PostgreSQL advisory lock (transaction-scoped) under which an instance migrates the schema
/// or loads demo data, so instances started together wait for each other instead of racing.
pub const MIGRATION_LOCK: i64 = 7745342101;

#[derive(Clone)]
pub struct Db {
    pub conn: DatabaseConnection,
    /// SQLite: the database file and its inode when the pool was opened (see `file_intact`).
    sqlite_file: Option<(std::path::PathBuf, u64)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaState {
    Current,
    /// Migrations this binary knows that the database has not applied yet.
    Behind(Vec<String>),
    /// Migrations in the database that this binary does not know: a newer version ran here.
    Ahead(Vec<String>),
}

impl Db {
    pub async fn connect(cfg: &DatabaseConfig) -> anyhow::Result<Db> {
        let url = cfg.url.clone();
        let path = sqlite_path(&url);
        if let Some(path) = &path
            && let Some(parent) = std::path::Path::new(path).parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent)?;
        }
        // A new SQLite database is created here, once, by a connection of its own; the pool
        // never creates one. So a file deleted under a running server is not silently replaced
        // by an empty database: new connections fail and `/readyz` says so (`file_intact`).
        if let Some(path) = &path
            && !std::path::Path::new(path).exists()
        {
            use sea_orm::sqlx::ConnectOptions as _;
            let created = url
                .parse::<sea_orm::sqlx::sqlite::SqliteConnectOptions>()
                .map_err(|e| anyhow::anyhow!("database url: {e}"))?
                .create_if_missing(true)
                .connect()
                .await
                .map_err(|e| anyhow::anyhow!("cannot create the SQLite database {path}: {e}"))?;
            sea_orm::sqlx::Connection::close(created).await.ok();
        }
        let mut opts = ConnectOptions::new(url.clone());
        let acquire = Duration::from_millis(cfg.acquire_timeout_ms.clamp(100, 60_000));
        opts.max_connections(cfg.max_connections)
            .min_connections(1)
            .connect_timeout(acquire)
            .acquire_timeout(acquire)
            .sqlx_logging(false)
            .map_sqlx_sqlite_opts(|o| {
                o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                    .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                    .busy_timeout(SQLITE_BUSY_TIMEOUT)
                    .foreign_keys(true)
                    .create_if_missing(false)
            })
            // A connection that comes back to the pool still inside a transaction (its COMMIT
            // failed, e.g. on a full disk) would keep SQLite's write lock and make every later
            // write "database is locked" until a restart: roll it back, or drop the connection.
            .map_sqlx_sqlite_pool_opts(|o| {
                o.after_release(|conn, _meta| {
                    Box::pin(async move {
                        use sea_orm::sqlx::Executor as _;
                        match conn.execute("ROLLBACK").await {
                            Ok(_) => {
                                tracing::warn!("a SQLite connection came back inside a transaction; rolled back");
                                Ok(true)
                            }
                            // The usual case: no transaction was open.
                            Err(e) if e.to_string().contains("no transaction is active") => Ok(true),
                            Err(_) => Ok(false),
                        }
                    })
                })
            });
        let conn = sea_orm::Database::connect(opts).await.map_err(|e| {
            anyhow::anyhow!(
                "cannot connect to the database {}: {e}",
                crate::config::mask_url_password(&url)
            )
        })?;
        let sqlite_file = path.and_then(|p| {
            use std::os::unix::fs::MetadataExt;
            let ino = std::fs::metadata(&p).ok()?.ino();
            Some((std::path::PathBuf::from(p), ino))
        });
        Ok(Db { conn, sqlite_file })
    }

    pub fn backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend() {
            DbBackend::Postgres => "postgresql",
            DbBackend::Sqlite => "sqlite",
            _ => "other",
        }
    }

    /// Applies pending migrations in one transaction. On PostgreSQL a transaction-scoped advisory
    /// lock makes concurrent instances wait for each other instead of racing.
    pub async fn migrate(&self) -> anyhow::Result<usize> {
        if let SchemaState::Ahead(unknown) = self.schema_state().await? {
            anyhow::bail!(
                "the database has migrations this binary does not know ({}); upgrade the binary",
                unknown.join(", ")
            );
        }
        // Migrations may run for long; nothing else writes while an instance starts.
        #[allow(clippy::disallowed_methods)]
        let txn = self.conn.begin().await?;
        if self.backend() == DbBackend::Postgres {
            txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
                .await?;
        }
        let pending = Migrator::get_pending_migrations(&txn).await?.len();
        Migrator::up(&txn, None).await?;
        txn.commit().await?;
        Ok(pending)
    }

    pub async fn schema_state(&self) -> Result<SchemaState, DbErr> {
        let known = wspolnie_migration::known_migrations();
        let applied = self.applied_migrations().await?;
        let ahead: Vec<String> = applied
            .iter()
            .filter(|a| !known.contains(a))
            .cloned()
            .collect();
        if !ahead.is_empty() {
            return Ok(SchemaState::Ahead(ahead));
        }
        let behind: Vec<String> = known.into_iter().filter(|k| !applied.contains(k)).collect();
        if behind.is_empty() {
            Ok(SchemaState::Current)
        } else {
            Ok(SchemaState::Behind(behind))
        }
    }

    async fn applied_migrations(&self) -> Result<Vec<String>, DbErr> {
        let exists_sql = match self.backend() {
            DbBackend::Postgres => {
                "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'seaql_migrations'"
            }
            _ => {
                "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'seaql_migrations'"
            }
        };
        let row = self
            .conn
            .query_one_raw(Statement::from_string(self.backend(), exists_sql))
            .await?;
        let n: i64 = match row {
            Some(r) => r.try_get("", "n")?,
            None => 0,
        };
        if n == 0 {
            return Ok(Vec::new());
        }
        let rows = self
            .conn
            .query_all_raw(Statement::from_string(
                self.backend(),
                "SELECT version FROM seaql_migrations ORDER BY version",
            ))
            .await?;
        rows.iter()
            .map(|r| r.try_get::<String>("", "version"))
            .collect()
    }

    /// Fails unless the schema is exactly what this binary expects.
    pub async fn ensure_current(&self) -> anyhow::Result<()> {
        match self.schema_state().await? {
            SchemaState::Current => Ok(()),
            SchemaState::Behind(m) => anyhow::bail!(
                "database schema is behind; run `wspolnie migrate` ({})",
                m.join(", ")
            ),
            SchemaState::Ahead(m) => anyhow::bail!(
                "database schema is newer than this binary (unknown migrations: {}); refusing to start",
                m.join(", ")
            ),
        }
    }

    /// SQLite: whether the database file is still the one the pool opened (not deleted or
    /// replaced under the running server; its open connections would go on writing into the
    /// deleted file). Always true on PostgreSQL.
    pub fn file_intact(&self) -> bool {
        use std::os::unix::fs::MetadataExt;
        match &self.sqlite_file {
            None => true,
            Some((path, ino)) => std::fs::metadata(path).is_ok_and(|m| m.ino() == *ino),
        }
    }

    /// Whether the database takes a write now: a one-row upsert of the setting
    /// `health.write_probe` in a write transaction (`begin_write`). Fails on a full disk, a
    /// read-only file or a write lock held for longer than the busy wait.
    pub async fn write_probe(&self) -> Result<(), DbErr> {
        let txn = begin_write(&self.conn).await?;
        let now = chrono::Utc::now();
        let sql = match self.backend() {
            DbBackend::Postgres => {
                "INSERT INTO settings (key, value, updated_at) VALUES ('health.write_probe', $1, $2) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at"
            }
            _ => {
                "INSERT INTO settings (key, value, updated_at) VALUES ('health.write_probe', ?, ?) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at"
            }
        };
        txn.execute_raw(Statement::from_sql_and_values(
            self.backend(),
            sql,
            [now.to_rfc3339().into(), now.into()],
        ))
        .await?;
        txn.commit().await
    }

    pub async fn ping(&self) -> Result<(), DbErr> {
        self.conn.execute_unprepared("SELECT 1").await.map(|_| ())
    }

    /// Consistent copy of the database: `VACUUM INTO` on SQLite; PostgreSQL is backed up with
    /// `pg_dump` (see README), so this returns an error there.
    pub async fn backup_sqlite(&self, target: &std::path::Path) -> anyhow::Result<()> {
        if self.backend() != DbBackend::Sqlite {
            anyhow::bail!("backup_sqlite on a non-SQLite database");
        }
        if target.exists() {
            anyhow::bail!("{} already exists", target.display());
        }
        let stmt = Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "VACUUM INTO ?",
            [target.display().to_string().into()],
        );
        self.conn.execute_raw(stmt).await?;
        Ok(())
    }

    pub async fn count(&self, table: &str) -> Result<i64, DbErr> {
        // Table names come from our own code only, never from input.
        let row = self
            .conn
            .query_one_raw(Statement::from_string(
                self.backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await?;
        match row {
            Some(r) => r.try_get("", "n"),
            None => Ok(0),
        }
    }
}

/// How long SQLite itself waits for the write lock at `BEGIN IMMEDIATE` (its busy handler).
pub const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How often `begin_write` asks again after SQLite's own wait ran out (each try waits up to
/// `SQLITE_BUSY_TIMEOUT`, then a random 50–250 ms), so a request waits at most about 15 s for the
/// write lock before it gets a "busy, try again" page instead of a 500.
const BEGIN_WRITE_TRIES: u32 = 3;

/// **The one way to start a transaction that writes** (the write discipline, see
/// `docs/architecture.md`, "SQLite write discipline"). On SQLite it begins `IMMEDIATE`: the write
/// lock is taken at `BEGIN`, while SQLite's busy handler may still wait for it, instead of being
/// upgraded from a read snapshot later, which fails at once with `SQLITE_BUSY_SNAPSHOT` (517)
/// when another connection committed in between. A lock still busy after the wait is retried with
/// jitter. On PostgreSQL it is an ordinary `BEGIN`.
///
/// Rule for callers: do slow work (password hashing, image decoding, parsing, network) *before*
/// this call; keep the transaction to reads and writes of the database.
pub async fn begin_write(conn: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    if conn.get_database_backend() != DbBackend::Sqlite {
        #[allow(clippy::disallowed_methods)]
        return conn.begin().await;
    }
    let mut tries = 0;
    loop {
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        };
        match conn.begin_with_options(options).await {
            Ok(txn) => return Ok(txn),
            Err(e) if is_busy(&e) && tries + 1 < BEGIN_WRITE_TRIES => {
                tries += 1;
                let jitter = rand::random_range(50..250u64);
                tracing::debug!(tries, "SQLite write lock busy; trying again");
                tokio::time::sleep(Duration::from_millis(jitter)).await;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Whether a database error means "another writer holds the lock" (SQLite `SQLITE_BUSY` and its
/// extended codes, `SQLITE_LOCKED`), which waiting may cure. Such an error reaching a request is
/// answered 503 with a "try again" page, not 500.
pub fn is_busy(e: &DbErr) -> bool {
    let text = e.to_string();
    text.contains("database is locked")
        || text.contains("database table is locked")
        || text.contains("(code: 5)")
        || text.contains("(code: 517)")
        || text.contains("(code: 261)")
        || text.contains("(code: 6)")
}

/// Whether a database error means the database cannot serve now but may soon (busy, disk full,
/// no connection within the acquire timeout, server unreachable): requests answer 503.
pub fn is_unavailable(e: &DbErr) -> bool {
    if matches!(e, DbErr::ConnectionAcquire(_)) || is_busy(e) || is_disk_full(e) {
        return true;
    }
    let text = e.to_string();
    text.contains("pool timed out")
        || text.contains("Connection refused")
        || text.contains("connection closed")
        || text.contains("unable to open database file")
        || text.contains("(code: 10)")
}

/// Whether a database error means the disk (or the file system's quota) is full.
pub fn is_disk_full(e: &DbErr) -> bool {
    let text = e.to_string();
    text.contains("database or disk is full") || text.contains("(code: 13)")
}

/// The file path of a `sqlite://` URL, if it is one (and not in memory).
pub fn sqlite_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or("");
    if path.is_empty() || path == ":memory:" {
        None
    } else {
        Some(path.to_owned())
    }
}
