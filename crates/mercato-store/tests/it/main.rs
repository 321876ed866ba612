//! Store integration tests: every test runs on a real SQLite file and a
//! real PostgreSQL database (see `mercato_testkit::db_test!`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod jobs;
mod outbox;
mod schema;
mod series;
mod users;
