use mercato_store::Timestamp;
use mercato_store::outbox::{self, NewEvent};
use mercato_testkit::db_test;
use std::collections::BTreeSet;

fn event(agg: &str, n: usize) -> NewEvent {
    NewEvent {
        aggregate_type: "test".into(),
        aggregate_id: agg.into(),
        event_type: "test.happened".into(),
        payload: serde_json::json!({ "n": n }),
    }
}

db_test!(async fn events_commit_and_roll_back_with_the_business_write(db) {
    let mut tx = db.begin().await.unwrap();
    outbox::append(&mut tx, &event("a", 1), Timestamp::now()).await.unwrap();
    tx.rollback().await.unwrap();
    assert!(outbox::fetch_after(&db, 0, 10).await.unwrap().is_empty());

    let mut tx = db.begin().await.unwrap();
    let id1 = outbox::append(&mut tx, &event("a", 1), Timestamp::now()).await.unwrap();
    let id2 = outbox::append(&mut tx, &event("a", 2), Timestamp::now()).await.unwrap();
    tx.commit().await.unwrap();
    assert!(id2 > id1);
    let got = outbox::fetch_after(&db, 0, 10).await.unwrap();
    assert_eq!(got.iter().map(|e| e.payload["n"].as_i64().unwrap()).collect::<Vec<_>>(), vec![1, 2]);
    assert_eq!(outbox::max_id(&db).await.unwrap(), id2);

    assert_eq!(outbox::cursor(&db, "sub").await.unwrap(), 0);
    outbox::advance(&db, "sub", id2, Timestamp::now()).await.unwrap();
    outbox::advance(&db, "sub", id1, Timestamp::now()).await.unwrap();
    assert_eq!(outbox::cursor(&db, "sub").await.unwrap(), id2, "a cursor never moves backwards");
});

db_test!(async fn a_live_reader_never_skips_an_event_of_concurrent_writers(db) {
    const WRITERS: usize = 8;
    const EACH: usize = 15;
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let db = db.clone();
        writers.push(tokio::spawn(async move {
            for i in 0..EACH {
                let mut tx = db.begin().await.unwrap();
                outbox::append(&mut tx, &event(&format!("w{w}"), w * 1000 + i), Timestamp::now()).await.unwrap();
                // Commit after some more work, so commit order is up to the scheduler.
                tokio::task::yield_now().await;
                tx.commit().await.unwrap();
            }
        }));
    }
    let reader = {
        let db = db.clone();
        tokio::spawn(async move {
            let mut cursor = 0;
            let mut seen = BTreeSet::new();
            while seen.len() < WRITERS * EACH {
                for e in outbox::fetch_after(&db, cursor, 50).await.unwrap() {
                    assert!(seen.insert(e.payload["n"].as_i64().unwrap()), "event delivered twice");
                    cursor = e.id;
                }
                tokio::task::yield_now().await;
            }
            seen
        })
    };
    for w in writers {
        w.await.unwrap();
    }
    let seen = tokio::time::timeout(std::time::Duration::from_secs(30), reader).await.expect("reader saw every event").unwrap();
    assert_eq!(seen.len(), WRITERS * EACH);
});
