use mercato_store::Timestamp;
use mercato_store::jobs::{self, JobStatus, NewJob};
use mercato_testkit::db_test;
use std::collections::HashSet;
use time::Duration;

fn job(n: usize, dedupe: Option<&str>) -> NewJob {
    NewJob {
        queue: "default".into(),
        kind: "test".into(),
        payload: serde_json::json!({ "n": n }),
        priority: 0,
        run_at: Timestamp::now(),
        max_attempts: 2,
        dedupe_key: dedupe.map(str::to_string),
    }
}

db_test!(async fn concurrent_workers_never_claim_a_job_twice(db) {
    let mut tx = db.begin().await.unwrap();
    for n in 0..60 {
        jobs::enqueue(&mut tx, &job(n, None), Timestamp::now()).await.unwrap();
    }
    tx.commit().await.unwrap();

    let mut workers = Vec::new();
    for w in 0..4 {
        let db = db.clone();
        workers.push(tokio::spawn(async move {
            let name = format!("w{w}");
            let mut mine = Vec::new();
            loop {
                let got = jobs::claim(&db, "default", &name, Timestamp::now(), Duration::minutes(5), 3).await.unwrap();
                if got.is_empty() {
                    break;
                }
                for j in got {
                    assert!(jobs::complete(&db, j.id, &name, Timestamp::now()).await.unwrap());
                    mine.push(j.id);
                }
            }
            mine
        }));
    }
    let mut all = HashSet::new();
    for w in workers {
        for id in w.await.unwrap() {
            assert!(all.insert(id), "job {id} claimed twice");
        }
    }
    assert_eq!(all.len(), 60);
});

db_test!(async fn dedupe_retry_dead_letter_and_lease_expiry(db) {
    let mut tx = db.begin().await.unwrap();
    let id = jobs::enqueue(&mut tx, &job(1, Some("k")), Timestamp::now()).await.unwrap().unwrap();
    assert!(jobs::enqueue(&mut tx, &job(2, Some("k")), Timestamp::now()).await.unwrap().is_none(), "same key while queued");
    tx.commit().await.unwrap();

    let now = Timestamp::now();
    let claimed = jobs::claim(&db, "default", "a", now, Duration::seconds(30), 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].attempts, 1);
    // Another worker cannot complete what it does not hold.
    assert!(!jobs::complete(&db, id, "b", now).await.unwrap());

    // First failure: back to the queue, due later.
    let retry_at = now.plus(Duration::seconds(60));
    assert_eq!(jobs::fail(&db, id, "a", "boom", now, retry_at).await.unwrap(), Some(JobStatus::Queued));
    assert!(jobs::claim(&db, "default", "a", now, Duration::seconds(30), 10).await.unwrap().is_empty(), "not due yet");

    // Due again: claimed by a worker that then dies; its lease runs out.
    let later = retry_at.plus(Duration::seconds(1));
    assert_eq!(jobs::claim(&db, "default", "dies", later, Duration::seconds(30), 10).await.unwrap().len(), 1);
    let after_lease = later.plus(Duration::seconds(31));
    let taken_over = jobs::claim(&db, "default", "b", after_lease, Duration::seconds(30), 10).await.unwrap();
    assert_eq!(taken_over.len(), 1);
    assert_eq!(taken_over[0].attempts, 3);

    // Attempts used up: dead-lettered with the error kept.
    assert_eq!(jobs::fail(&db, id, "b", "boom again", after_lease, after_lease).await.unwrap(), Some(JobStatus::Dead));
    let dead = jobs::get(&db, id).await.unwrap().unwrap();
    assert_eq!(dead.status, JobStatus::Dead);
    assert_eq!(dead.last_error.as_deref(), Some("boom again"));
    assert!(jobs::claim(&db, "default", "b", after_lease.plus(Duration::hours(1)), Duration::seconds(30), 10).await.unwrap().is_empty());

    // The key is free again once the job left the queue.
    let mut tx = db.begin().await.unwrap();
    assert!(jobs::enqueue(&mut tx, &job(3, Some("k")), Timestamp::now()).await.unwrap().is_some());
    tx.commit().await.unwrap();
});
