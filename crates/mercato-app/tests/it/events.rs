use futures::future::BoxFuture;
use mercato_app::events::{Dispatcher, Subscriber};
use mercato_store::Timestamp;
use mercato_store::outbox::{self, Event, NewEvent};
use mercato_testkit::db_test;
use std::sync::{Arc, Mutex};

/// Records what it receives; optionally hangs forever on the n-th event
/// (a process that dies in the middle of a delivery).
struct Recorder {
    name: &'static str,
    seen: Mutex<Vec<(String, i64)>>,
    hang_on: Option<usize>,
}

impl Recorder {
    fn new(hang_on: Option<usize>) -> Arc<Self> {
        Arc::new(Self {
            name: "recorder",
            seen: Mutex::new(Vec::new()),
            hang_on,
        })
    }
    fn seen(&self) -> Vec<(String, i64)> {
        self.seen.lock().unwrap().clone()
    }
}

impl Subscriber for Recorder {
    fn name(&self) -> &str {
        self.name
    }
    fn handle<'a>(&'a self, e: &'a Event) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let n = {
                let mut seen = self.seen.lock().unwrap();
                seen.push((e.aggregate_id.clone(), e.payload["n"].as_i64().unwrap()));
                seen.len()
            };
            if self.hang_on == Some(n) {
                std::future::pending::<()>().await;
            }
            Ok(())
        })
    }
}

async fn commit_events(db: &mercato_store::Db, events: &[(&str, i64)]) {
    let mut tx = db.begin().await.unwrap();
    for (agg, n) in events {
        let e = NewEvent {
            aggregate_type: "order".into(),
            aggregate_id: (*agg).into(),
            event_type: "order.changed".into(),
            payload: serde_json::json!({ "n": n }),
        };
        outbox::append(&mut tx, &e, Timestamp::now()).await.unwrap();
    }
    tx.commit().await.unwrap();
}

db_test!(async fn events_survive_a_crash_between_commit_and_delivery(db) {
    // The process commits and dies before any dispatcher runs.
    commit_events(&db, &[("a", 1), ("b", 1), ("a", 2), ("a", 3), ("b", 2)]).await;

    // After restart, a dispatcher delivers everything, in order.
    let rec = Recorder::new(None);
    let d = Dispatcher::new(db.clone(), vec![rec.clone()]);
    assert_eq!(d.run_once().await.unwrap(), 5);
    assert_eq!(rec.seen(), vec![("a".into(), 1), ("b".into(), 1), ("a".into(), 2), ("a".into(), 3), ("b".into(), 2)]);
    assert_eq!(d.lag().await.unwrap(), 0);
    assert_eq!(d.run_once().await.unwrap(), 0, "nothing is delivered twice without a crash");
});

db_test!(async fn a_crash_during_delivery_redelivers_from_the_unacknowledged_event(db) {
    commit_events(&db, &[("a", 1), ("a", 2), ("a", 3), ("a", 4)]).await;

    // This process dies while handling the third event.
    let dying = Recorder::new(Some(3));
    let d = Dispatcher::new(db.clone(), vec![dying.clone()]);
    let task = tokio::spawn(async move { d.run_once().await });
    while dying.seen().len() < 3 {
        tokio::task::yield_now().await;
    }
    task.abort();
    let _ = task.await;

    // The restarted process gets event 3 again (at least once) and then 4.
    let rec = Recorder::new(None);
    let d = Dispatcher::new(db.clone(), vec![rec.clone()]);
    assert_eq!(d.run_once().await.unwrap(), 2);
    assert_eq!(rec.seen(), vec![("a".into(), 3), ("a".into(), 4)]);
});

/// A subscriber that fails until told otherwise: delivery stops at the
/// failing event and resumes there, so order per aggregate holds.
struct Flaky {
    ok: std::sync::atomic::AtomicBool,
    seen: Mutex<Vec<i64>>,
}

impl Subscriber for Flaky {
    fn name(&self) -> &str {
        "flaky"
    }
    fn handle<'a>(&'a self, e: &'a Event) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let n = e.payload["n"].as_i64().unwrap();
            if n == 2 && !self.ok.load(std::sync::atomic::Ordering::SeqCst) {
                return Err("downstream unavailable".into());
            }
            self.seen.lock().unwrap().push(n);
            Ok(())
        })
    }
}

db_test!(async fn a_failing_subscriber_holds_its_place(db) {
    commit_events(&db, &[("a", 1), ("a", 2), ("a", 3)]).await;
    let flaky = Arc::new(Flaky { ok: false.into(), seen: Mutex::new(vec![]) });
    let d = Dispatcher::new(db.clone(), vec![flaky.clone()]);
    assert_eq!(d.run_once().await.unwrap(), 1);
    assert_eq!(d.lag().await.unwrap(), 2);
    flaky.ok.store(true, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(d.run_once().await.unwrap(), 2);
    assert_eq!(*flaky.seen.lock().unwrap(), vec![1, 2, 3]);
});
