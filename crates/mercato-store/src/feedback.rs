//! Feedback left on any page by buyers, staff or visitors, and its triage
//! (`core::feedback` says what is accepted and which moves staff may make).

use crate::{Db, StoreError, Timestamp, Tx};
use mercato_core::feedback::{
    FeedbackContext, FeedbackCounts, FeedbackKind, FeedbackSource, FeedbackStatus,
};
use sqlx::types::Json;
use uuid::Uuid;

/// A stored piece of feedback.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredFeedback {
    pub id: Uuid,
    pub source: FeedbackSource,
    pub kind: FeedbackKind,
    pub status: FeedbackStatus,
    pub message: String,
    /// The path it was left on.
    pub page: String,
    pub context: FeedbackContext,
    /// The signed-in sender, and their company when a buyer.
    pub user_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub staff_note: String,
    /// Who last triaged it.
    pub triaged_by: Option<Uuid>,
    /// Keyed hash of the sender's address (rate limits); never the address.
    pub client_key: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const COLUMNS: &str =
    "feedback_id, source, kind, status, message, page, context, user_id, company_id,
    staff_note, triaged_by, client_key, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct Row {
    feedback_id: Uuid,
    source: String,
    kind: String,
    status: String,
    message: String,
    page: String,
    context: Json<FeedbackContext>,
    user_id: Option<Uuid>,
    company_id: Option<Uuid>,
    staff_note: String,
    triaged_by: Option<Uuid>,
    client_key: Option<String>,
    created_at: Timestamp,
    updated_at: Timestamp,
}

impl TryFrom<Row> for StoredFeedback {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<Self, StoreError> {
        let corrupt = |what: &str, v: &str| StoreError::Corrupt {
            what: "feedback",
            detail: format!("{} {what} {v:?}", r.feedback_id),
        };
        Ok(StoredFeedback {
            source: FeedbackSource::parse(&r.source).ok_or_else(|| corrupt("source", &r.source))?,
            kind: FeedbackKind::parse(&r.kind).ok_or_else(|| corrupt("kind", &r.kind))?,
            status: FeedbackStatus::parse(&r.status).ok_or_else(|| corrupt("status", &r.status))?,
            id: r.feedback_id,
            message: r.message,
            page: r.page,
            context: r.context.0,
            user_id: r.user_id,
            company_id: r.company_id,
            staff_note: r.staff_note,
            triaged_by: r.triaged_by,
            client_key: r.client_key,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

/// Stores new feedback.
pub async fn insert(tx: &mut Tx, f: &StoredFeedback) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query(
            "INSERT INTO feedback (feedback_id, source, kind, status, message, page, context, user_id,
                                   company_id, staff_note, triaged_by, client_key, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        )
        .bind(f.id)
        .bind(f.source.code())
        .bind(f.kind.code())
        .bind(f.status.code())
        .bind(&f.message)
        .bind(&f.page)
        .bind(Json(&f.context))
        .bind(f.user_id)
        .bind(f.company_id)
        .bind(&f.staff_note)
        .bind(f.triaged_by)
        .bind(f.client_key.as_deref())
        .bind(f.created_at)
        .bind(f.updated_at)
    )?;
    Ok(())
}

/// How much feedback came from `client_key` since `since` (spam limits;
/// served by the `feedback_by_client` index).
pub async fn count_from(db: &Db, client_key: &str, since: Timestamp) -> Result<i64, StoreError> {
    let n: i64 = db_run!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM feedback WHERE client_key = $1 AND created_at > $2"
    )
    .bind(client_key)
    .bind(since)
    .fetch_one(p)
    .await)?;
    Ok(n)
}

/// Which feedback a list shows.
#[derive(Clone, Debug, Default)]
pub struct FeedbackFilter {
    pub status: Option<FeedbackStatus>,
    /// Only ids below this one (UUIDv7: older), for cursor pages.
    pub before: Option<Uuid>,
}

/// Feedback, newest first, at most `limit`.
pub async fn list(
    db: &Db,
    f: &FeedbackFilter,
    limit: i64,
) -> Result<Vec<StoredFeedback>, StoreError> {
    // Optional filters as `($n IS NULL OR col = $n)`: one statement, plan
    // cached, no string building from input.
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM feedback
         WHERE ($1 IS NULL OR status = $1) AND ($2 IS NULL OR feedback_id < $2)
         ORDER BY feedback_id DESC LIMIT $3"
    ));
    let rows: Vec<Row> = db_run!(db, |p| sqlx::query_as(sql)
        .bind(f.status.map(FeedbackStatus::code))
        .bind(f.before)
        .bind(limit)
        .fetch_all(p)
        .await)?;
    rows.into_iter().map(TryFrom::try_from).collect()
}

/// One piece of feedback.
pub async fn get(db: &Db, id: Uuid) -> Result<Option<StoredFeedback>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM feedback WHERE feedback_id = $1"
    ));
    let row: Option<Row> = db_run!(db, |p| sqlx::query_as(sql).bind(id).fetch_optional(p).await)?;
    row.map(TryFrom::try_from).transpose()
}

/// Saves staff's triage of a piece of feedback (status, note, who, when);
/// false when it is gone.
pub async fn update_triage(tx: &mut Tx, f: &StoredFeedback) -> Result<bool, StoreError> {
    let n = tx_exec!(
        tx,
        sqlx::query(
            "UPDATE feedback SET status = $2, staff_note = $3, triaged_by = $4, updated_at = $5
             WHERE feedback_id = $1"
        )
        .bind(f.id)
        .bind(f.status.code())
        .bind(&f.staff_note)
        .bind(f.triaged_by)
        .bind(f.updated_at)
    )?;
    Ok(n == 1)
}

/// How much feedback was left since `since`, by status and by source.
pub async fn counts(db: &Db, since: Timestamp) -> Result<FeedbackCounts, StoreError> {
    let rows: Vec<(String, String, i64)> = db_run!(db, |p| sqlx::query_as(
        "SELECT status, source, COUNT(*) FROM feedback WHERE created_at >= $1
         GROUP BY status, source"
    )
    .bind(since)
    .fetch_all(p)
    .await)?;
    let mut counts = FeedbackCounts::default();
    for (status, source, n) in rows {
        let corrupt = |what: &str, v: &str| StoreError::Corrupt {
            what: "feedback",
            detail: format!("{what} {v:?}"),
        };
        let status = FeedbackStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?;
        let source = FeedbackSource::parse(&source).ok_or_else(|| corrupt("source", &source))?;
        counts.add(status, source, u64::try_from(n).unwrap_or(0));
    }
    Ok(counts)
}
