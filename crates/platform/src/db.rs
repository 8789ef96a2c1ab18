//! Database connection for both backends, migrations under a lock, and the schema check that
//! refuses to run a binary older than the database.

use crate::config::DatabaseConfig;
use sea_orm::{
    ConnectOptions, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement,
    TransactionTrait,
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
        opts.max_connections(cfg.max_connections)
            .min_connections(1)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(10))
            .sqlx_logging(false)
            .map_sqlx_sqlite_opts(|o| {
                o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                    .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true)
                    .create_if_missing(false)
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
