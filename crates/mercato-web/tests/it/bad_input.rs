//! Bad input of every kind gets a 4xx problem with a code: never a 500, never a panic.

use super::{PASSWORD, TestApp, problem};
use axum::routing::get;
use mercato_testkit::db_test;
use mercato_web::WebOptions;
use reqwest::StatusCode;
use serde_json::json;

db_test!(async fn malformed_wrong_typed_unsupported_and_oversize_bodies(db) {
    let options = WebOptions { body_limit: 64 * 1024, ..Default::default() };
    let t = TestApp::start_with(db, options, |r| r).await;
    let login = t.url("/api/v1/auth/login");

    let res = t.client.post(&login).header("content-type", "application/json").body("{\"email\": ").send().await.unwrap();
    problem(res, StatusCode::BAD_REQUEST, "malformed_json").await;

    let res = t.client.post(&login).json(&json!({ "email": 42, "password": ["x"] })).send().await.unwrap();
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body").await;
    assert!(body["detail"].as_str().unwrap().contains("email"), "{body}");

    let res = t.client.post(&login).json(&json!({ "email": "a@b.co" })).send().await.unwrap();
    problem(res, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body").await;

    let res = t.client.post(&login).header("content-type", "text/plain").body("email=a").send().await.unwrap();
    problem(res, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type").await;

    let huge = format!("{{\"email\": \"{}\", \"password\": \"x\"}}", "a".repeat(200 * 1024));
    let res = t.client.post(&login).header("content-type", "application/json").body(huge).send().await.unwrap();
    problem(res, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
});

db_test!(async fn unknown_routes_and_methods(db) {
    let t = TestApp::start(db).await;
    let body = problem(t.client.get(t.url("/api/v1/no-such-thing")).send().await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;
    assert!(body["detail"].as_str().unwrap().contains("/api/v1/no-such-thing"));
    let res = t.client.delete(t.url("/healthz")).send().await.unwrap();
    assert!(res.headers().get("allow").is_some());
    problem(res, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
});

db_test!(async fn wrong_passwords_then_rate_limit(db) {
    let t = TestApp::start(db).await;
    t.staff("rate@example.com", "admin").await;
    let login = t.url("/api/v1/auth/login");
    let body = problem(
        t.client.post(&login).json(&json!({ "email": "rate@example.com", "password": "nope nope nope" })).send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    assert!(!body["detail"].as_str().unwrap().contains("password is wrong for"), "never says which part was wrong");
    problem(
        t.client.post(&login).json(&json!({ "email": "nobody@example.com", "password": PASSWORD })).send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    for _ in 0..4 {
        t.client.post(&login).json(&json!({ "email": "rate@example.com", "password": "nope nope nope" })).send().await.unwrap();
    }
    let res = t.client.post(&login).json(&json!({ "email": "rate@example.com", "password": PASSWORD })).send().await.unwrap();
    let retry_after: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry_after > 0);
    problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
});

db_test!(async fn bad_credentials_headers(db) {
    let t = TestApp::start(db).await;
    let me = t.url("/api/v1/me");
    problem(t.client.get(&me).header("authorization", "Basic YTpi").send().await.unwrap(), StatusCode::UNAUTHORIZED, "invalid_token").await;
    problem(t.client.get(&me).bearer_auth("mct_not-a-real-token").send().await.unwrap(), StatusCode::UNAUTHORIZED, "invalid_token").await;
    problem(t.client.get(&me).header("cookie", "mercato_session=forged").send().await.unwrap(), StatusCode::UNAUTHORIZED, "session_expired").await;
});

db_test!(async fn invalid_values_list_every_field(db) {
    let t = TestApp::start(db).await;
    t.staff("val@example.com", "admin").await;
    let token = t.login("val@example.com").await["token"].as_str().unwrap().to_string();
    let res = reqwest::Client::new()
        .post(t.url("/api/v1/admin/staff"))
        .bearer_auth(&token)
        .json(&json!({ "email": "not-an-email", "password": "short", "role": "emperor" }))
        .send()
        .await
        .unwrap();
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["email", "role", "password"]);
    let bad = reqwest::Client::new().get(t.url("/api/v1/admin/audit-log?cursor=garbage")).bearer_auth(&token).send().await.unwrap();
    problem(bad, StatusCode::BAD_REQUEST, "invalid_cursor").await;
    let bad = reqwest::Client::new().get(t.url("/api/v1/admin/audit-log?limit=100000")).bearer_auth(&token).send().await.unwrap();
    problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
});

async fn boom() -> &'static str {
    panic!("a bug in a handler")
}

async fn slow() -> &'static str {
    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    "late"
}

db_test!(async fn panics_and_timeouts_become_problems(db) {
    let options = WebOptions { request_timeout: std::time::Duration::from_millis(200), ..Default::default() };
    let t = TestApp::start_with(db, options, |r| r.route("/test/boom", get(boom)).route("/test/slow", get(slow))).await;
    let body = problem(t.client.get(t.url("/test/boom")).send().await.unwrap(), StatusCode::INTERNAL_SERVER_ERROR, "internal_error").await;
    assert!(!body.to_string().contains("a bug in a handler"), "panic messages stay in the log");
    problem(t.client.get(t.url("/test/slow")).send().await.unwrap(), StatusCode::SERVICE_UNAVAILABLE, "service_unavailable").await;
    // The server is still fine afterwards.
    assert_eq!(t.client.get(t.url("/healthz")).send().await.unwrap().status(), StatusCode::OK);
});
