//! One test story, two databases (atuin's pattern): [`db_test!`] turns one
//! async test body into a `sqlite` test on a fresh SQLite file and a
//! `postgres` test on a fresh PostgreSQL database, each migrated and
//! isolated, and thrown away afterwards.
//!
//! PostgreSQL comes from `DATABASE_URL_POSTGRES`, or the local server at
//! `postgres://postgres@127.0.0.1:5432/test`. When it cannot be reached the
//! PostgreSQL half is skipped with a message, except under `CI=true` (or
//! `MERCATO_REQUIRE_POSTGRES=1`), where it fails: CI must never go green
//! on one database by accident.
#![forbid(unsafe_code)]
#![allow(clippy::expect_used, clippy::unwrap_used)] // test support: failing loudly is the point

use mercato_store::{Db, DbOptions};
use std::sync::Arc;

pub use tokio;

/// The default local PostgreSQL used when `DATABASE_URL_POSTGRES` is unset.
pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A migrated, private database for one test. Dropping it deletes it.
pub struct TestDb {
    pub db: Db,
    /// The URL the database can be reached at (for tests that start a server process).
    pub url: String,
    _guard: Arc<Guard>,
}

enum Guard {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Guard::Postgres { admin_url, name } = self {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs inside the test's runtime, which cannot block on
            // itself: drop the database from a helper thread.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                rt.block_on(async move {
                    let admin = Db::connect(
                        &admin_url,
                        &DbOptions {
                            max_connections: 1,
                            ..Default::default()
                        },
                    )
                    .await
                    .ok()?;
                    if let Db::Pg(p) = &admin {
                        let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                        let _ = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(p).await;
                    }
                    admin.close().await;
                    Some(())
                })
            })
            .join();
        }
    }
}

/// Whether a missing PostgreSQL must fail the run instead of skipping.
pub fn postgres_required() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
        || std::env::var("MERCATO_REQUIRE_POSTGRES").is_ok_and(|v| v == "1")
}

/// The PostgreSQL server tests use.
pub fn postgres_admin_url() -> String {
    std::env::var("DATABASE_URL_POSTGRES").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_string())
}

/// `url` with its database name replaced.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_part = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{host_part}/{name}?{q}"),
        None => format!("{host_part}/{name}"),
    }
}

impl TestDb {
    /// A fresh SQLite file in a temporary folder.
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("test.sqlite").display());
        let db = Db::connect(&url, &DbOptions::default())
            .await
            .expect("open sqlite");
        db.migrate().await.expect("migrate sqlite");
        TestDb {
            db,
            url,
            _guard: Arc::new(Guard::Sqlite(dir)),
        }
    }

    /// A fresh PostgreSQL database, or `None` (with a message) when the
    /// server is unreachable and not required.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url = postgres_admin_url();
        let admin = match Db::connect(
            &admin_url,
            &DbOptions {
                max_connections: 1,
                ..Default::default()
            },
        )
        .await
        {
            Ok(db) => db,
            Err(e) => {
                if postgres_required() {
                    panic!("PostgreSQL at {admin_url} is unreachable and CI requires it: {e}");
                }
                eprintln!("SKIPPED (PostgreSQL half): {admin_url} unreachable: {e}");
                return None;
            }
        };
        let name = format!("mercato_t_{}", uuid::Uuid::now_v7().simple());
        if let Db::Pg(p) = &admin {
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
                .execute(p)
                .await
                .expect("create test database");
        }
        admin.close().await;
        let guard = Arc::new(Guard::Postgres {
            admin_url: admin_url.clone(),
            name: name.clone(),
        });
        let url = with_database(&admin_url, &name);
        let db = Db::connect(&url, &DbOptions::default())
            .await
            .expect("connect test database");
        db.migrate().await.expect("migrate postgres");
        Some(TestDb {
            db,
            url,
            _guard: guard,
        })
    }
}

/// Declares one async test body that runs on both databases:
///
/// ```ignore
/// db_test!(async fn users_round_trip(db) { ... });
/// ```
///
/// expands to `mod users_round_trip { async fn sqlite() … async fn postgres() … }`.
/// The body sees `db: Db` (and `test_db: &TestDb` for the URL).
#[macro_export]
macro_rules! db_test {
    (async fn $name:ident($db:ident) $body:block) => {
        $crate::db_test!(async fn $name($db, _test_db) $body);
    };
    (async fn $name:ident($db:ident, $tdb:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let test_db = $crate::TestDb::sqlite().await;
                #[allow(unused_variables)]
                let $tdb = &test_db;
                let $db = test_db.db.clone();
                $body
            }

            #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(test_db) = $crate::TestDb::postgres().await else { return };
                #[allow(unused_variables)]
                let $tdb = &test_db;
                let $db = test_db.db.clone();
                $body
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_database_name() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database("postgres://u:p@h/test?sslmode=disable", "x"),
            "postgres://u:p@h/x?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://h:5432", "x"),
            "postgres://h:5432/x"
        );
    }
}
