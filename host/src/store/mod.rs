//! Vivier's state: one SQLite file under the data directory by default, or a PostgreSQL
//! database shared by several replicas (`--database postgres://...`).
//!
//! Every query is written in portable SQL (`$1` placeholders, `ON CONFLICT`, BIGINT times,
//! INTEGER booleans) and goes through sqlx's `Any` driver, so both backends run the same
//! queries and the same migrations. The driver binds and decodes only i64, f64, String and
//! Option of those: booleans are stored and read as 0/1 integers.
//! No compile-time checked macros: the build needs no live database.

pub mod activity;
pub mod bundles;
pub mod candidates;
pub mod idempotency;
pub mod jobs;
pub mod keys;
pub mod monitoring;
pub mod oversight;
pub mod sessions;
pub mod slots;
pub mod webhooks;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub type Pool = sqlx::AnyPool;
pub type Conn = sqlx::AnyConnection;
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// The database file inside a data directory.
pub const DB_FILE: &str = "vivier.db";

/// Migrations embedded in the binary, applied in order, each once.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("migrations/0001_initial.sql")),
    (2, include_str!("migrations/0002_oversight.sql")),
    (3, include_str!("migrations/0003_monitoring.sql")),
    (4, include_str!("migrations/0004_console.sql")),
    (5, include_str!("migrations/0005_replicas.sql")),
    (6, include_str!("migrations/0006_probe_settings.sql")),
    (7, include_str!("migrations/0007_sirh_contract.sql")),
    (8, include_str!("migrations/0008_jobs_webhooks.sql")),
];

/// Key of the PostgreSQL advisory lock that serialises writers across replicas: migrations and
/// every audited write transaction (so the audit chain never forks).
const WRITE_LOCK_KEY: i64 = 0x5649_5649_4552; // "VIVIER"

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("cannot create {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("the data directory {path} is not writable; Vivier writes its database and audit log there: remount it read-write or fix its permissions")]
    NotWritable { path: String, source: std::io::Error },
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("unsupported database URL `{0}`: use postgres://user:password@host:port/database (or leave it unset for the SQLite file of the data directory)")]
    BadUrl(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
    backend: Backend,
    /// The SQLite file, or the PostgreSQL URL without its password.
    location: String,
    path: PathBuf,
}

/// Installs the `Any` driver's backends once per process.
fn install_drivers() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(sqlx::any::install_default_drivers);
}

/// The URL with its password masked, for logs and messages.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        Ok(u) => u.to_string(),
        Err(_) => "(unparsable URL)".into(),
    }
}

impl Store {
    /// Opens (creating if needed) the SQLite database of a data directory and applies migrations.
    pub async fn open(data_dir: &Path) -> Result<Self, StoreError> {
        Self::connect(data_dir, None).await
    }

    /// Opens the configured database: PostgreSQL when `database` is a `postgres://` URL, else
    /// the SQLite file of the data directory. Migrations are applied either way.
    pub async fn connect(data_dir: &Path, database: Option<&str>) -> Result<Self, StoreError> {
        install_drivers();
        let database = database.map(str::trim).filter(|d| !d.is_empty());
        let store = match database {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                let pool = sqlx::any::AnyPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(30))
                    .after_release(|conn, _| Box::pin(async move { Ok(reusable(conn)) }))
                    .connect(url)
                    .await?;
                Self { pool, backend: Backend::Postgres, location: redact_url(url), path: data_dir.to_owned() }
            }
            Some(other) => return Err(StoreError::BadUrl(redact_url(other))),
            None => {
                std::fs::create_dir_all(data_dir)
                    .map_err(|source| StoreError::Io { path: data_dir.display().to_string(), source })?;
                check_writable(data_dir)?;
                let path = data_dir.join(DB_FILE);
                let abs = std::path::absolute(&path).unwrap_or_else(|_| path.clone());
                let mut url = url::Url::from_file_path(&abs)
                    .map_err(|_| StoreError::BadUrl(abs.display().to_string()))?
                    .to_string()
                    .replacen("file://", "sqlite://", 1);
                url.push_str("?mode=rwc");
                let pool = sqlx::any::AnyPoolOptions::new()
                    .max_connections(8)
                    .after_release(|conn, _| Box::pin(async move { Ok(reusable(conn)) }))
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            // WAL: readers never block the writer; FULL sync: a committed row
                            // survives a crash; erased candidates' bytes are overwritten, not
                            // left in free pages of the file.
                            for pragma in [
                                "PRAGMA busy_timeout = 10000",
                                "PRAGMA journal_mode = WAL",
                                "PRAGMA synchronous = FULL",
                                "PRAGMA foreign_keys = ON",
                                "PRAGMA secure_delete = ON",
                            ] {
                                sqlx::Executor::execute(&mut *conn, pragma).await?;
                            }
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await?;
                Self { pool, backend: Backend::Sqlite, location: path.display().to_string(), path }
            }
        };
        store.migrate().await?;
        Ok(store)
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The SQLite file, or the PostgreSQL URL with its password masked.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// The SQLite file (for PostgreSQL, the data directory, which holds only local caches).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A transaction that holds the database-wide write lock from its first statement: on SQLite
    /// `BEGIN IMMEDIATE` (never failing half-way on a lock upgrade when another process got there
    /// first), on PostgreSQL a transaction-scoped advisory lock shared by every replica.
    pub async fn begin_write(&self) -> Result<Tx, StoreError> {
        match self.backend {
            Backend::Sqlite => Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?),
            Backend::Postgres => {
                let mut tx = self.pool.begin().await?;
                // The function returns `void`, which the Any driver cannot decode: select a constant.
                sqlx::query("SELECT 1 FROM pg_advisory_xact_lock($1)").bind(WRITE_LOCK_KEY).execute(&mut *tx).await?;
                Ok(tx)
            }
        }
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        // One transaction under the write lock: replicas starting together apply each migration
        // once, and PostgreSQL's transactional DDL leaves no half-applied schema.
        let mut tx = self.begin_write().await?;
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
        )
        .execute(&mut *tx)
        .await?;
        for (version, sql) in MIGRATIONS {
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
        }
        tx.commit().await?;
        Ok(())
    }

    /// Applied migration versions, oldest first.
    pub async fn migrations(&self) -> Result<Vec<i64>, StoreError> {
        Ok(sqlx::query_scalar("SELECT version FROM schema_migrations ORDER BY version").fetch_all(&self.pool).await?)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// Milliseconds since the epoch as RFC 3339 UTC, for humans reading JSON.
pub fn rfc3339(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Serde helpers: times are stored as epoch milliseconds and shown as RFC 3339 UTC.
pub mod as_rfc3339 {
    pub fn serialize<S: serde::Serializer>(ms: &i64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::rfc3339(*ms))
    }
    pub mod option {
        pub fn serialize<S: serde::Serializer>(ms: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
            match ms {
                Some(ms) => s.serialize_str(&super::super::rfc3339(*ms)),
                None => s.serialize_none(),
            }
        }
    }
}

/// A random opaque identifier with a readable prefix (`c_` candidate, `t_` trace...).
pub fn new_id(prefix: &str) -> String {
    let mut bytes = [0u8; 12];
    getrandom::getrandom(&mut bytes).expect("the OS random source is available");
    format!("{prefix}_{}", hex::encode(bytes))
}

/// Whether a connection given back to the pool may serve again. A failed write can leave it
/// inside a transaction: on a full disk SQLite rolls the transaction back by itself, sqlx's
/// ROLLBACK then fails and its transaction depth stays at one, so every later `BEGIN` on that
/// connection would fail. Such a connection is closed (which rolls back what is left) and the
/// pool opens a fresh one.
fn reusable(conn: &mut sqlx::AnyConnection) -> bool {
    use sqlx::Connection as _;
    !conn.is_in_transaction()
}

/// Fails at once, with the cause, when the data directory cannot be written (a read-only mount,
/// wrong permissions), rather than after the pool's connection timeout.
fn check_writable(dir: &Path) -> Result<(), StoreError> {
    let probe = dir.join(".vivier-write-check");
    let result = std::fs::write(&probe, b"ok").and_then(|_| std::fs::remove_file(&probe));
    result.map_err(|source| StoreError::NotWritable { path: dir.display().to_string(), source })
}
