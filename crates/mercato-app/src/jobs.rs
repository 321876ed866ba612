//! The job runner: claims due jobs from the `job` table with a lease, runs
//! the handler for each job's kind, and records success, a retry with
//! exponential backoff, or a dead letter. Handlers must be idempotent: a
//! worker that dies mid-job leaves a lease that runs out, and the job runs
//! again elsewhere.

use crate::AppError;
use futures::future::BoxFuture;
use mercato_store::jobs::{self, Job, JobStatus, NewJob};
use mercato_store::{Db, Timestamp, Tx};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// Runs jobs of one kind.
pub trait JobHandler: Send + Sync {
    /// The `kind` this handler runs.
    fn kind(&self) -> &'static str;
    /// Does the work. `Err` retries later (or dead-letters).
    fn run<'a>(&'a self, job: &'a Job) -> BoxFuture<'a, Result<(), String>>;
}

/// Enqueues a job inside the business transaction `tx`.
pub async fn enqueue(tx: &mut Tx, job: &NewJob) -> Result<Option<mercato_core::JobId>, AppError> {
    Ok(jobs::enqueue(tx, job, Timestamp::now()).await?)
}

/// Claims and runs jobs of one queue.
pub struct Worker {
    db: Db,
    queue: String,
    name: String,
    handlers: HashMap<&'static str, Arc<dyn JobHandler>>,
    lease: time::Duration,
    backoff_base: time::Duration,
    batch: i64,
}

impl Worker {
    /// A worker on `queue`; `name` identifies it in leases (host + pid + n).
    pub fn new(db: Db, queue: &str, name: &str, handlers: Vec<Arc<dyn JobHandler>>) -> Self {
        Self {
            db,
            queue: queue.into(),
            name: name.into(),
            handlers: handlers.into_iter().map(|h| (h.kind(), h)).collect(),
            lease: time::Duration::minutes(5),
            backoff_base: time::Duration::seconds(10),
            batch: 8,
        }
    }

    /// Sets the backoff base (the first retry waits this long, then doubling).
    pub fn with_backoff(mut self, base: time::Duration) -> Self {
        self.backoff_base = base;
        self
    }

    /// Retry delay after `attempts` failed attempts: base × 2^(attempts-1), at most a day.
    pub fn backoff(&self, attempts: i32) -> time::Duration {
        let exp = u32::try_from(attempts.saturating_sub(1))
            .unwrap_or(0)
            .min(16);
        (self.backoff_base * 2i32.pow(exp)).min(time::Duration::days(1))
    }

    /// Claims one batch and runs it; returns how many jobs ran.
    pub async fn run_once(&self) -> Result<usize, AppError> {
        let claimed = jobs::claim(
            &self.db,
            &self.queue,
            &self.name,
            Timestamp::now(),
            self.lease,
            self.batch,
        )
        .await?;
        let n = claimed.len();
        for job in claimed {
            let outcome = match self.handlers.get(job.kind.as_str()) {
                Some(h) => h.run(&job).await,
                None => Err(format!("no handler for job kind {:?}", job.kind)),
            };
            let now = Timestamp::now();
            match outcome {
                Ok(()) => {
                    jobs::complete(&self.db, job.id, &self.name, now).await?;
                    metrics::counter!("jobs_completed_total", "kind" => job.kind.clone())
                        .increment(1);
                }
                Err(err) => {
                    let status = jobs::fail(
                        &self.db,
                        job.id,
                        &self.name,
                        &err,
                        now,
                        now.plus(self.backoff(job.attempts)),
                    )
                    .await?;
                    if status == Some(JobStatus::Dead) {
                        tracing::error!(job_id = %job.id, kind = %job.kind, error = %err, "job dead-lettered");
                        metrics::counter!("jobs_dead_total", "kind" => job.kind.clone())
                            .increment(1);
                    } else {
                        tracing::warn!(job_id = %job.id, kind = %job.kind, error = %err, "job failed; will retry");
                    }
                }
            }
        }
        Ok(n)
    }

    /// Runs until `shutdown` resolves, polling every `poll` when idle.
    pub async fn run(self, poll: Duration, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            let ran = match self.run_once().await {
                Ok(n) => n,
                Err(e) => {
                    tracing::error!(error = %e, "job claim failed");
                    0
                }
            };
            if ran > 0 {
                continue;
            }
            tokio::select! {
                _ = &mut shutdown => return,
                _ = tokio::time::sleep(poll) => {}
            }
        }
    }
}

/// Housekeeping: deletes expired sessions and old sign-in attempts.
pub struct Housekeeping {
    pub db: Db,
}

impl Housekeeping {
    /// The job kind.
    pub const KIND: &'static str = "housekeeping";

    /// The job to enqueue (deduplicated: one pending at a time).
    pub fn job() -> NewJob {
        NewJob {
            queue: "default".into(),
            kind: Self::KIND.into(),
            payload: serde_json::json!({}),
            priority: -10,
            run_at: Timestamp::now(),
            max_attempts: 3,
            dedupe_key: Some(Self::KIND.into()),
        }
    }
}

impl JobHandler for Housekeeping {
    fn kind(&self) -> &'static str {
        Self::KIND
    }

    fn run<'a>(&'a self, _job: &'a Job) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let now = Timestamp::now();
            let sessions = mercato_store::sessions::delete_expired(&self.db, now)
                .await
                .map_err(|e| e.to_string())?;
            let attempts =
                mercato_store::login_attempts::prune(&self.db, now.plus(-time::Duration::days(30)))
                    .await
                    .map_err(|e| e.to_string())?;
            tracing::info!(sessions, attempts, "housekeeping done");
            Ok(())
        })
    }
}
