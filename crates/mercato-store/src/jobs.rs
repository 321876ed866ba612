//! The `job` table: background work enqueued in the business transaction
//! and claimed by workers with a lease. A worker that dies leaves a lease
//! that runs out, and another worker takes the job over; failures retry with
//! backoff until `max_attempts`, then the job is dead-lettered.
//!
//! Claiming is one of the per-backend places: PostgreSQL uses
//! `FOR UPDATE SKIP LOCKED` so concurrent workers never wait on each other;
//! SQLite has a single writer, so an IMMEDIATE transaction does the same.

use crate::{Db, StoreError, Timestamp, Tx};
use mercato_core::JobId;
use sqlx::types::Json;
use uuid::Uuid;

/// A job to enqueue.
#[derive(Clone, Debug)]
pub struct NewJob {
    pub queue: String,
    pub kind: String,
    pub payload: serde_json::Value,
    /// Higher runs first among jobs that are due.
    pub priority: i32,
    pub run_at: Timestamp,
    pub max_attempts: i32,
    /// At most one queued or running job per key.
    pub dedupe_key: Option<String>,
}

/// The state of a job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobStatus {
    Queued,
    Running,
    Done,
    Dead,
}

/// A stored job.
#[derive(Clone, Debug)]
pub struct Job {
    pub id: JobId,
    pub queue: String,
    pub kind: String,
    pub payload: serde_json::Value,
    pub status: JobStatus,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: Timestamp,
    pub locked_until: Option<Timestamp>,
    pub last_error: Option<String>,
}

#[derive(sqlx::FromRow)]
struct JobRow {
    job_id: Uuid,
    queue: String,
    kind: String,
    payload: Json<serde_json::Value>,
    status: String,
    attempts: i32,
    max_attempts: i32,
    run_at: Timestamp,
    locked_until: Option<Timestamp>,
    last_error: Option<String>,
}

impl TryFrom<JobRow> for Job {
    type Error = StoreError;
    fn try_from(r: JobRow) -> Result<Self, StoreError> {
        let status = match r.status.as_str() {
            "queued" => JobStatus::Queued,
            "running" => JobStatus::Running,
            "done" => JobStatus::Done,
            "dead" => JobStatus::Dead,
            other => {
                return Err(StoreError::Corrupt {
                    what: "job",
                    detail: format!("status {other:?}"),
                });
            }
        };
        Ok(Job {
            id: JobId(r.job_id),
            queue: r.queue,
            kind: r.kind,
            payload: r.payload.0,
            status,
            attempts: r.attempts,
            max_attempts: r.max_attempts,
            run_at: r.run_at,
            locked_until: r.locked_until,
            last_error: r.last_error,
        })
    }
}

const JOB_COLUMNS: &str = "job_id, queue, kind, payload, status, attempts, max_attempts, run_at, locked_until, last_error";

/// Enqueues a job in the caller's transaction. Returns `None` when a job
/// with the same dedupe key is already queued or running.
pub async fn enqueue(tx: &mut Tx, j: &NewJob, now: Timestamp) -> Result<Option<JobId>, StoreError> {
    let id = JobId::new();
    let n = tx_exec!(tx, sqlx::query(
        "INSERT INTO job (job_id, queue, kind, payload, status, priority, run_at, attempts, max_attempts, dedupe_key, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'queued', $5, $6, 0, $7, $8, $9, $9)
         ON CONFLICT (dedupe_key) WHERE status IN ('queued', 'running') DO NOTHING"
    )
    .bind(id.0)
    .bind(&j.queue)
    .bind(&j.kind)
    .bind(Json(&j.payload))
    .bind(j.priority)
    .bind(j.run_at)
    .bind(j.max_attempts.max(1))
    .bind(j.dedupe_key.as_deref())
    .bind(now))?;
    Ok((n == 1).then_some(id))
}

/// Claims up to `limit` due jobs of `queue` for `worker` until `now + lease`:
/// queued jobs whose time has come, and running jobs whose lease ran out
/// (their worker died).
pub async fn claim(
    db: &Db,
    queue: &str,
    worker: &str,
    now: Timestamp,
    lease: time::Duration,
    limit: i64,
) -> Result<Vec<Job>, StoreError> {
    let until = now.plus(lease);
    let rows: Vec<JobRow> = match db {
        Db::Pg(p) => {
            let sql = sqlx::AssertSqlSafe(format!(
                "UPDATE job SET status = 'running', attempts = attempts + 1, locked_until = $3, locked_by = $4, updated_at = $2
                 WHERE job_id IN (
                    SELECT job_id FROM job
                    WHERE queue = $1 AND ((status = 'queued' AND run_at <= $2) OR (status = 'running' AND locked_until < $2))
                    ORDER BY priority DESC, run_at, job_id LIMIT $5
                    FOR UPDATE SKIP LOCKED)
                 RETURNING {JOB_COLUMNS}"
            ));
            sqlx::query_as(sql)
                .bind(queue)
                .bind(now)
                .bind(until)
                .bind(worker)
                .bind(limit)
                .fetch_all(p)
                .await?
        }
        Db::Sqlite(p) => {
            let sql = sqlx::AssertSqlSafe(format!(
                "UPDATE job SET status = 'running', attempts = attempts + 1, locked_until = $3, locked_by = $4, updated_at = $2
                 WHERE job_id IN (
                    SELECT job_id FROM job
                    WHERE queue = $1 AND ((status = 'queued' AND run_at <= $2) OR (status = 'running' AND locked_until < $2))
                    ORDER BY priority DESC, run_at, job_id LIMIT $5)
                 RETURNING {JOB_COLUMNS}"
            ));
            let _gate = p.writer().await?;
            let mut tx = p.pool().begin_with("BEGIN IMMEDIATE").await?;
            let rows = sqlx::query_as(sql)
                .bind(queue)
                .bind(now)
                .bind(until)
                .bind(worker)
                .bind(limit)
                .fetch_all(&mut *tx)
                .await?;
            tx.commit().await?;
            rows
        }
    };
    rows.into_iter().map(Job::try_from).collect()
}

/// Marks a job done. Only the worker holding the lease may; returns whether it did.
pub async fn complete(
    db: &Db,
    id: JobId,
    worker: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let n = db_exec!(
        db,
        sqlx::query(
            "UPDATE job SET status = 'done', locked_until = NULL, updated_at = $3
         WHERE job_id = $1 AND locked_by = $2 AND status = 'running'"
        )
        .bind(id.0)
        .bind(worker)
        .bind(now)
    )?;
    Ok(n == 1)
}

/// Records a failed attempt: the job runs again at `retry_at`, or is dead
/// when its attempts are used up. Returns the resulting status.
pub async fn fail(
    db: &Db,
    id: JobId,
    worker: &str,
    error: &str,
    now: Timestamp,
    retry_at: Timestamp,
) -> Result<Option<JobStatus>, StoreError> {
    let status: Option<String> = db_run!(db, |p| sqlx::query_scalar(
        "UPDATE job SET
            status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
            run_at = $5, locked_until = NULL, last_error = $3, updated_at = $4
         WHERE job_id = $1 AND locked_by = $2 AND status = 'running'
         RETURNING status"
    )
    .bind(id.0)
    .bind(worker)
    .bind(error)
    .bind(now)
    .bind(retry_at)
    .fetch_optional(p)
    .await)?;
    Ok(status.map(|s| {
        if s == "dead" {
            JobStatus::Dead
        } else {
            JobStatus::Queued
        }
    }))
}

/// Extends the lease of a long-running job.
pub async fn heartbeat(
    db: &Db,
    id: JobId,
    worker: &str,
    until: Timestamp,
) -> Result<bool, StoreError> {
    let n = db_exec!(db, sqlx::query(
        "UPDATE job SET locked_until = $3 WHERE job_id = $1 AND locked_by = $2 AND status = 'running'"
    )
    .bind(id.0)
    .bind(worker)
    .bind(until))?;
    Ok(n == 1)
}

/// A job by id.
pub async fn get(db: &Db, id: JobId) -> Result<Option<Job>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {JOB_COLUMNS} FROM job WHERE job_id = $1"));
    let row: Option<JobRow> = db_run!(db, |p| sqlx::query_as(sql)
        .bind(id.0)
        .fetch_optional(p)
        .await)?;
    row.map(Job::try_from).transpose()
}
