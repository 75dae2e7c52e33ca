//! Vivier's state: one SQLite file under the data directory.
//!
//! Every query is written in portable SQL (`$1` placeholders, `ON CONFLICT`, BIGINT times,
//! INTEGER booleans) and lives in this module's repositories, so that a PostgreSQL backend is a
//! change of the [`Pool`] and [`Conn`] aliases and the connection code, not a rewrite of queries.
//! No compile-time checked macros: the build needs no live database.

pub mod candidates;
pub mod keys;
pub mod oversight;
pub mod slots;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub type Pool = sqlx::SqlitePool;
pub type Conn = sqlx::SqliteConnection;
pub type Tx = sqlx::Transaction<'static, sqlx::Sqlite>;

/// The database file inside a data directory.
pub const DB_FILE: &str = "vivier.db";

/// Migrations embedded in the binary, applied in order, each once.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("migrations/0001_initial.sql")),
    (2, include_str!("migrations/0002_oversight.sql")),
];

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("cannot create {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the database of a data directory and applies migrations.
    pub async fn open(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|source| StoreError::Io { path: data_dir.display().to_string(), source })?;
        let path = data_dir.join(DB_FILE);
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            // WAL: readers never block the writer; FULL sync: a committed row survives a crash.
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            // Erased candidates' bytes are overwritten, not left in free pages of the file.
            .pragma("secure_delete", "ON");
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
        let store = Self { pool, path };
        store.migrate().await?;
        Ok(store)
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A transaction that takes the write lock at once, so it never fails half-way on a lock
    /// upgrade when another writer (another process) got there first.
    pub async fn begin_write(&self) -> Result<Tx, StoreError> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
        )
        .execute(&self.pool)
        .await?;
        for (version, sql) in MIGRATIONS {
            let mut tx = self.pool.begin().await?;
            let done: Option<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
                .bind(version)
                .fetch_optional(&mut *tx)
                .await?;
            if done.is_some() {
                continue;
            }
            sqlx::raw_sql(sql).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(version)
                .bind(now_ms())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// A random opaque identifier with a readable prefix (`c_` candidate, `t_` trace...).
pub fn new_id(prefix: &str) -> String {
    let mut bytes = [0u8; 12];
    getrandom::getrandom(&mut bytes).expect("the OS random source is available");
    format!("{prefix}_{}", hex::encode(bytes))
}
