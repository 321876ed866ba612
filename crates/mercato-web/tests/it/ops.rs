use super::TestApp;
use mercato_testkit::db_test;
use reqwest::StatusCode;

db_test!(async fn health_readiness_metrics_and_request_ids(db) {
    let t = TestApp::start(db).await;
    let res = t.client.get(t.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get("x-request-id").is_some(), "every response carries a request id");
    let res = t.client.get(t.url("/readyz")).header("x-request-id", "trace-me").send().await.unwrap();
    assert_eq!(res.headers()["x-request-id"], "trace-me", "a caller's request id is kept");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ready");

    let metrics = t.client.get(t.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("http_requests_total"), "{metrics}");
    assert!(metrics.contains("route=\"/healthz\""), "{metrics}");
});

db_test!(async fn readiness_fails_when_the_database_is_gone(db) {
    let t = TestApp::start(db.clone()).await;
    db.close().await;
    let res = t.client.get(t.url("/readyz")).send().await.unwrap();
    crate::problem(res, StatusCode::SERVICE_UNAVAILABLE, "not_ready").await;
    // Liveness does not depend on the database.
    assert_eq!(t.client.get(t.url("/healthz")).send().await.unwrap().status(), StatusCode::OK);
});

#[test]
fn openapi_document_is_3_1_and_matches_the_snapshot() {
    let doc = serde_json::to_value(mercato_web::openapi()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/auth/login",
        "/auth/logout",
        "/auth/tokens",
        "/me",
        "/admin/staff",
        "/admin/audit-log",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from the OpenAPI document"
        );
    }
    insta::assert_json_snapshot!("openapi", doc);
}
