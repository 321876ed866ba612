//! Mercato's storage: the only crate that knows SQL.
//!
//! One portable query body serves SQLite and PostgreSQL: [`Db`] and [`Tx`]
//! are enums over the two native sqlx pools/transactions, and the
//! [`db_run!`]/[`tx_run!`] macros expand a body into both match arms, so each
//! backend keeps its native types (uuid, timestamptz, jsonb on PostgreSQL).
//! Where SQL must differ, a function matches on the enum itself; every such
//! place is listed in ARCHITECTURE.md.
//!
//! Error strategy: every function returns [`StoreError`]; unique-constraint
//! violations arrive as [`StoreError::Conflict`] naming the constraint so the
//! app layer can turn them into domain errors.
#![forbid(unsafe_code)]

#[macro_use]
mod macros;
pub mod audit;
pub mod carts;
pub mod catalog;
pub mod companies;
mod db;
mod error;
pub mod feedback;
pub mod inquiries;
pub mod jobs;
pub mod login_attempts;
pub mod maturity;
pub mod orders;
pub mod outbox;
pub mod pricing;
pub mod promotions;
pub mod reports;
pub mod search;
pub mod series;
pub mod sessions;
pub mod stock;
pub mod tax;
mod timestamp;
pub mod tokens;
pub mod traffic;
pub mod users;
pub mod views;

pub use db::{Backend, Db, DbOptions, SqliteDb, Tx};
pub use error::StoreError;
pub use timestamp::Timestamp;
