//! The transactional outbox: domain events are written in the same
//! transaction as the business change, then delivered after commit by a
//! dispatcher that keeps one cursor per subscriber.
//!
//! Ordering: delivery follows `outbox_id`. On PostgreSQL, identity values are
//! handed out at insert but become visible at commit, so a later id could
//! commit first and a reader's cursor would skip the earlier one for good.
//! `append` therefore takes a transaction-scoped advisory lock on
//! PostgreSQL, which makes outbox writers commit in id order (SQLite already
//! has a single writer). This is one of the per-backend places listed in
//! ARCHITECTURE.md.

use crate::{Db, StoreError, Timestamp, Tx};
use sqlx::types::Json;

/// Advisory-lock key for outbox writers ("mrc" + 1).
const OUTBOX_LOCK_KEY: i64 = 0x6d72_6301;

/// A domain event to record.
#[derive(Clone, Debug)]
pub struct NewEvent {
    /// e.g. `user`, `order`.
    pub aggregate_type: String,
    /// The aggregate's id; delivery is in order per aggregate.
    pub aggregate_id: String,
    /// e.g. `user.created`.
    pub event_type: String,
    pub payload: serde_json::Value,
}

impl NewEvent {
    /// An event about `aggregate_type` `aggregate_id`.
    pub fn new(
        aggregate_type: &str,
        aggregate_id: impl Into<String>,
        event_type: impl Into<String>,
        payload: serde_json::Value,
    ) -> Self {
        Self {
            aggregate_type: aggregate_type.into(),
            aggregate_id: aggregate_id.into(),
            event_type: event_type.into(),
            payload,
        }
    }
}

/// A recorded event.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub id: i64,
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub event_type: String,
    pub payload: serde_json::Value,
    pub created_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    outbox_id: i64,
    aggregate_type: String,
    aggregate_id: String,
    event_type: String,
    payload: Json<serde_json::Value>,
    created_at: Timestamp,
}

/// Records an event in the caller's transaction; returns its id.
pub async fn append(tx: &mut Tx, e: &NewEvent, now: Timestamp) -> Result<i64, StoreError> {
    if let crate::db::TxInner::Pg(t) = tx.inner_mut() {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(OUTBOX_LOCK_KEY)
            .execute(&mut **t)
            .await?;
    }
    let id: i64 = tx_run!(tx, |c| sqlx::query_scalar(
        "INSERT INTO outbox (aggregate_type, aggregate_id, event_type, payload, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING outbox_id"
    )
    .bind(&e.aggregate_type)
    .bind(&e.aggregate_id)
    .bind(&e.event_type)
    .bind(Json(&e.payload))
    .bind(now)
    .fetch_one(&mut *c)
    .await)?;
    Ok(id)
}

/// Up to `limit` events after `after_id`, oldest first.
pub async fn fetch_after(db: &Db, after_id: i64, limit: i64) -> Result<Vec<Event>, StoreError> {
    let rows: Vec<EventRow> = db_run!(db, |p| sqlx::query_as(
        "SELECT outbox_id, aggregate_type, aggregate_id, event_type, payload, created_at
         FROM outbox WHERE outbox_id > $1 ORDER BY outbox_id LIMIT $2"
    )
    .bind(after_id)
    .bind(limit)
    .fetch_all(p)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|r| Event {
            id: r.outbox_id,
            aggregate_type: r.aggregate_type,
            aggregate_id: r.aggregate_id,
            event_type: r.event_type,
            payload: r.payload.0,
            created_at: r.created_at,
        })
        .collect())
}

/// The last event id delivered to `subscriber` (0 when none yet).
pub async fn cursor(db: &Db, subscriber: &str) -> Result<i64, StoreError> {
    let v: Option<i64> = db_run!(db, |p| sqlx::query_scalar(
        "SELECT last_outbox_id FROM outbox_cursor WHERE subscriber = $1"
    )
    .bind(subscriber)
    .fetch_optional(p)
    .await)?;
    Ok(v.unwrap_or(0))
}

/// Moves `subscriber`'s cursor to `last_id` (never backwards).
pub async fn advance(
    db: &Db,
    subscriber: &str,
    last_id: i64,
    now: Timestamp,
) -> Result<(), StoreError> {
    db_exec!(db, sqlx::query(
        "INSERT INTO outbox_cursor (subscriber, last_outbox_id, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (subscriber) DO UPDATE SET last_outbox_id = excluded.last_outbox_id, updated_at = excluded.updated_at
         WHERE outbox_cursor.last_outbox_id < excluded.last_outbox_id"
    )
    .bind(subscriber)
    .bind(last_id)
    .bind(now))?;
    Ok(())
}

/// The newest event id (0 when the outbox is empty).
pub async fn max_id(db: &Db) -> Result<i64, StoreError> {
    let v: Option<i64> = db_run!(db, |p| sqlx::query_scalar(
        "SELECT MAX(outbox_id) FROM outbox"
    )
    .fetch_one(p)
    .await)?;
    Ok(v.unwrap_or(0))
}
