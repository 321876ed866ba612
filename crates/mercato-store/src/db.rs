//! Connection pools and transactions over both backends.

use crate::StoreError;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};
use std::str::FromStr;
use std::time::Duration;

/// Which database a [`Db`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A pool of connections to SQLite or PostgreSQL.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqliteDb),
    Pg(PgPool),
}

/// An SQLite pool and its writer gate. SQLite has one writer at a time;
/// writers queue on this in-process FIFO mutex instead of SQLite's busy
/// handler, which polls with growing sleeps and so gave checkouts under
/// load a long latency tail.
#[derive(Clone, Debug)]
pub struct SqliteDb {
    pool: SqlitePool,
    writer: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// How long a writer waits for the gate before giving up (the busy
    /// timeout).
    wait: Duration,
}

impl SqliteDb {
    /// The connection pool.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Waits for the writer gate, at most the busy timeout.
    pub(crate) async fn writer(&self) -> Result<tokio::sync::OwnedMutexGuard<()>, StoreError> {
        tokio::time::timeout(self.wait, self.writer.clone().lock_owned())
            .await
            .map_err(|_| StoreError::Contention("waited too long for the SQLite write lock".into()))
    }
}

/// Tuning that differs between a laptop and a server.
#[derive(Clone, Debug)]
pub struct DbOptions {
    /// Most connections the pool opens.
    pub max_connections: u32,
    /// How long a write waits for SQLite's write lock before failing.
    pub sqlite_busy_timeout: Duration,
}

impl Default for DbOptions {
    fn default() -> Self {
        Self {
            max_connections: 16,
            sqlite_busy_timeout: Duration::from_secs(10),
        }
    }
}

pub(crate) enum TxInner {
    Sqlite(Transaction<'static, Sqlite>),
    Pg(Transaction<'static, Postgres>),
}

/// One database transaction: every business action runs in exactly one.
/// Dropped without [`Tx::commit`], it rolls back.
pub struct Tx {
    inner: TxInner,
    /// SQLite's writer gate, held until commit or rollback.
    _writer: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Tx {
    pub(crate) fn inner_mut(&mut self) -> &mut TxInner {
        &mut self.inner
    }

    /// Makes the transaction's writes durable and visible.
    pub async fn commit(self) -> Result<(), StoreError> {
        match self.inner {
            TxInner::Sqlite(t) => t.commit().await?,
            TxInner::Pg(t) => t.commit().await?,
        }
        Ok(())
    }

    /// Throws the transaction's writes away.
    pub async fn rollback(self) -> Result<(), StoreError> {
        match self.inner {
            TxInner::Sqlite(t) => t.rollback().await?,
            TxInner::Pg(t) => t.rollback().await?,
        }
        Ok(())
    }

    /// Which backend this transaction runs on.
    pub fn backend(&self) -> Backend {
        match self.inner {
            TxInner::Sqlite(_) => Backend::Sqlite,
            TxInner::Pg(_) => Backend::Postgres,
        }
    }
}

impl Db {
    /// Opens a pool for `sqlite://path` or `postgres://…`. SQLite is set up
    /// to serve concurrent requests: WAL, a busy timeout, foreign keys on,
    /// `synchronous=NORMAL` (durable in WAL mode except on power loss of the
    /// last transactions), and the file is created when missing.
    pub async fn connect(url: &str, options: &DbOptions) -> Result<Db, StoreError> {
        if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(options.sqlite_busy_timeout)
                .pragma("temp_store", "memory")
                // A 64 MiB page cache and memory-mapped reads: the default
                // 2 MiB cache sent hot index pages back to the OS on every
                // checkout.
                .pragma("cache_size", "-65536")
                .pragma("mmap_size", "268435456");
            let pool = SqlitePoolOptions::new()
                .max_connections(options.max_connections.max(2))
                .min_connections(1)
                .connect_with(opts)
                .await?;
            Ok(Db::Sqlite(SqliteDb {
                pool,
                writer: Default::default(),
                wait: options.sqlite_busy_timeout,
            }))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let opts = PgConnectOptions::from_str(url)?.application_name("mercato");
            let pool = PgPoolOptions::new()
                .max_connections(options.max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            Ok(Db::Pg(pool))
        } else {
            Err(StoreError::UnsupportedUrl(url.to_string()))
        }
    }

    /// Brings the schema up to date with the migrations embedded in the
    /// binary (one folder per backend, same version numbers).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(p) => {
                sqlx::migrate!("../../migrations/sqlite")
                    .run(&p.pool)
                    .await?
            }
            Db::Pg(p) => sqlx::migrate!("../../migrations/postgres").run(p).await?,
        }
        Ok(())
    }

    /// Migration versions embedded for each backend, for the parity test.
    pub fn embedded_migration_versions() -> (Vec<i64>, Vec<i64>) {
        let s = sqlx::migrate!("../../migrations/sqlite")
            .iter()
            .map(|m| m.version)
            .collect();
        let p = sqlx::migrate!("../../migrations/postgres")
            .iter()
            .map(|m| m.version)
            .collect();
        (s, p)
    }

    /// Starts a write transaction. On SQLite it begins IMMEDIATE, taking the
    /// write lock up front: a deferred transaction that reads and then writes
    /// fails with SQLITE_BUSY under concurrency instead of waiting.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Db::Sqlite(p) => {
                let gate = p.writer().await?;
                Tx {
                    inner: TxInner::Sqlite(p.pool.begin_with("BEGIN IMMEDIATE").await?),
                    _writer: Some(gate),
                }
            }
            Db::Pg(p) => Tx {
                inner: TxInner::Pg(p.begin().await?),
                _writer: None,
            },
        })
    }

    /// Which backend this pool talks to.
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Pg(_) => Backend::Postgres,
        }
    }

    /// A cheap round trip, for readiness checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        db_run!(self, |p| sqlx::query("SELECT 1")
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Closes every connection, waiting for checked-out ones to return.
    pub async fn close(&self) {
        db_run!(self, |p| p.close().await)
    }

    /// Table → columns `(name, type family, nullable)` of the live schema,
    /// for the schema-parity test. Type families: `text`, `integer`, `blob`.
    pub async fn describe_schema(&self) -> Result<Vec<(String, String, String, bool)>, StoreError> {
        let mut out: Vec<(String, String, String, bool)> = match self {
            Db::Sqlite(p) => {
                let p = &p.pool;
                let rows: Vec<(String, String, String, bool)> = sqlx::query_as(
                    "SELECT m.name, c.name, c.type, c.\"notnull\" = 0 AND c.pk = 0
                     FROM sqlite_master m JOIN pragma_table_info(m.name) c
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'",
                )
                .fetch_all(p)
                .await?;
                rows.into_iter()
                    .map(|(t, c, ty, n)| (t, c, ty.to_lowercase(), n))
                    .collect()
            }
            Db::Pg(p) => {
                let rows: Vec<(String, String, String, String)> = sqlx::query_as(
                    "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text
                     FROM information_schema.columns
                     WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%'",
                )
                .fetch_all(p)
                .await?;
                rows.into_iter()
                    .map(|(t, c, ty, n)| {
                        let family = match ty.as_str() {
                            "uuid" | "bytea" => "blob",
                            "bigint" | "integer" | "smallint" | "boolean" => "integer",
                            _ => "text", // text, jsonb, timestamp with time zone
                        };
                        (t, c, family.to_string(), n == "YES")
                    })
                    .collect()
            }
        };
        out.sort();
        Ok(out)
    }
}

/// `$from, $from+1, …` for `n` bound values: the `IN (…)` lists of
/// queries over a chunk of ids (the one place placeholders are numbered).
pub(crate) fn placeholders_from(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}
