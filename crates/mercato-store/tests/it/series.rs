use mercato_core::DocumentSeries;
use mercato_store::series::next_number;
use mercato_testkit::db_test;

db_test!(async fn document_numbers_are_gapless_under_concurrency_and_rollback(db) {
    let mut handles = Vec::new();
    for i in 0..24 {
        let db = db.clone();
        handles.push(tokio::spawn(async move {
            let mut tx = db.begin().await.unwrap();
            let n = next_number(&mut tx, DocumentSeries::Invoice).await.unwrap();
            tokio::task::yield_now().await;
            if i % 3 == 0 {
                tx.rollback().await.unwrap();
                None
            } else {
                tx.commit().await.unwrap();
                Some(n.value)
            }
        }));
    }
    let mut committed: Vec<u64> = Vec::new();
    for h in handles {
        if let Some(v) = h.await.unwrap() {
            committed.push(v);
        }
    }
    committed.sort_unstable();
    assert_eq!(committed, (1..=16).collect::<Vec<_>>(), "committed numbers must be 1..=16 without gaps");

    let mut tx = db.begin().await.unwrap();
    let n = next_number(&mut tx, DocumentSeries::Invoice).await.unwrap();
    assert_eq!(n.to_string(), "INV-000017");
    let q = next_number(&mut tx, DocumentSeries::Quote).await.unwrap();
    assert_eq!(q.to_string(), "Q-000001", "each series counts on its own");
});
