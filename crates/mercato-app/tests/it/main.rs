//! Use-case tests, each on a real SQLite file and a real PostgreSQL database.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod auth;
mod catalog;
mod events;
mod jobs;
mod mail;
mod market_content;
mod real_data;
mod search;

use mercato_app::password::HashParams;
use mercato_app::{App, AppSettings, Db};

/// An app with cheap password hashing (the real parameters are measured in BENCHMARKS.md).
pub fn test_app(db: Db) -> App {
    App::new(db, test_app_settings())
}

/// Settings with cheap password hashing.
pub fn test_app_settings() -> AppSettings {
    AppSettings {
        argon2: HashParams {
            memory_kib: 1024,
            iterations: 1,
            parallelism: 1,
        },
        ..Default::default()
    }
}
