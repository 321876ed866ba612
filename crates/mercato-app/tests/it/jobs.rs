use futures::future::BoxFuture;
use mercato_app::jobs::{JobHandler, Worker};
use mercato_store::Timestamp;
use mercato_store::jobs::{self as store_jobs, Job, JobStatus, NewJob};
use mercato_testkit::db_test;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

struct FailTwice {
    calls: AtomicUsize,
}

impl JobHandler for FailTwice {
    fn kind(&self) -> &'static str {
        "fail_twice"
    }
    fn run<'a>(&'a self, _job: &'a Job) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            if self.calls.fetch_add(1, Ordering::SeqCst) < 2 {
                Err("not yet".into())
            } else {
                Ok(())
            }
        })
    }
}

fn job(kind: &str, max_attempts: i32) -> NewJob {
    NewJob {
        queue: "default".into(),
        kind: kind.into(),
        payload: serde_json::json!({}),
        priority: 0,
        run_at: Timestamp::now(),
        max_attempts,
        dedupe_key: None,
    }
}

db_test!(async fn worker_retries_with_backoff_and_dead_letters(db) {
    let mut tx = db.begin().await.unwrap();
    let ok_id = mercato_app::jobs::enqueue(&mut tx, &job("fail_twice", 5)).await.unwrap().unwrap();
    let dead_id = mercato_app::jobs::enqueue(&mut tx, &job("unknown_kind", 2)).await.unwrap().unwrap();
    tx.commit().await.unwrap();

    let handler = Arc::new(FailTwice { calls: AtomicUsize::new(0) });
    // Zero backoff so retries are due at once.
    let worker = Worker::new(db.clone(), "default", "test-worker", vec![handler.clone()]).with_backoff(time::Duration::ZERO);
    for _ in 0..5 {
        worker.run_once().await.unwrap();
    }
    let ok = store_jobs::get(&db, ok_id).await.unwrap().unwrap();
    assert_eq!(ok.status, JobStatus::Done);
    assert_eq!(ok.attempts, 3);
    let dead = store_jobs::get(&db, dead_id).await.unwrap().unwrap();
    assert_eq!(dead.status, JobStatus::Dead);
    assert!(dead.last_error.unwrap().contains("no handler"));

    let w = Worker::new(db.clone(), "default", "w", vec![]);
    assert_eq!(w.backoff(1), time::Duration::seconds(10));
    assert_eq!(w.backoff(3), time::Duration::seconds(40));
    assert_eq!(w.backoff(60), time::Duration::days(1));
});
