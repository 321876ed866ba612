use super::{PASSWORD, TestApp, problem};
use mercato_testkit::db_test;
use reqwest::StatusCode;
use serde_json::json;

db_test!(async fn login_me_tokens_and_logout(db) {
    let t = TestApp::start(db).await;
    t.staff("admin@example.com", "admin").await;

    // Unauthenticated.
    problem(t.client.get(t.url("/api/v1/me")).send().await.unwrap(), StatusCode::UNAUTHORIZED, "unauthenticated").await;

    let login = t.login("Admin@Example.com").await;
    assert_eq!(login["user"]["email"], "admin@example.com");
    let token = login["token"].as_str().unwrap().to_string();
    let csrf = login["csrf_token"].as_str().unwrap().to_string();
    assert!(token.starts_with("mct_"));

    // Cookie session.
    let me: serde_json::Value = t.client.get(t.url("/api/v1/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["roles"], json!(["admin"]));
    assert!(me["permissions"].as_array().unwrap().contains(&json!("manage_staff")));

    // Bearer token from a client without cookies.
    let bare = reqwest::Client::new();
    let me: serde_json::Value = bare.get(t.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["user"]["email"], "admin@example.com");

    // Cookie-authenticated writes need the CSRF header; bearer ones don't.
    let body = json!({ "name": "ERP sync", "scopes": ["stock_write"] });
    problem(t.client.post(t.url("/api/v1/auth/tokens")).json(&body).send().await.unwrap(), StatusCode::FORBIDDEN, "csrf_failed").await;
    let res = t.client.post(t.url("/api/v1/auth/tokens")).header("x-csrf-token", &csrf).json(&body).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: serde_json::Value = res.json().await.unwrap();
    let erp = created["token"].as_str().unwrap().to_string();
    assert_eq!(created["scopes"], json!(["stock_write"]));

    // The scoped token cannot create staff, although its user could.
    let new_staff = json!({ "email": "cat@example.com", "password": PASSWORD, "role": "catalog" });
    problem(bare.post(t.url("/api/v1/admin/staff")).bearer_auth(&erp).json(&new_staff).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
    let res = bare.post(t.url("/api/v1/admin/staff")).bearer_auth(&token).json(&new_staff).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    problem(bare.post(t.url("/api/v1/admin/staff")).bearer_auth(&token).json(&new_staff).send().await.unwrap(), StatusCode::CONFLICT, "email_taken").await;

    // The audit log saw it, paginated with an opaque cursor.
    let page: serde_json::Value = bare.get(t.url("/api/v1/admin/audit-log?limit=2")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    let cursor = page["next_cursor"].as_str().unwrap();
    let next: serde_json::Value = bare.get(t.url(&format!("/api/v1/admin/audit-log?limit=2&cursor={cursor}"))).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_ne!(page["items"][0]["id"], next["items"][0]["id"]);

    // Logout ends the cookie session.
    let res = t.client.post(t.url("/api/v1/auth/logout")).header("x-csrf-token", &csrf).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    problem(t.client.get(t.url("/api/v1/me")).send().await.unwrap(), StatusCode::UNAUTHORIZED, "unauthenticated").await;
    // Logging out with the bearer token revokes it.
    assert_eq!(bare.post(t.url("/api/v1/auth/logout")).bearer_auth(&token).send().await.unwrap().status(), StatusCode::NO_CONTENT);
    problem(bare.get(t.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap(), StatusCode::UNAUTHORIZED, "invalid_token").await;
});

db_test!(async fn login_rotates_the_session_id(db) {
    let t = TestApp::start(db).await;
    t.staff("fix@example.com", "admin").await;
    // An attacker plants a session id before the victim signs in.
    let planted = "planted-session-id";
    let client = reqwest::Client::new();
    let res = client
        .post(t.url("/api/v1/auth/login"))
        .header("cookie", format!("mercato_session={planted}"))
        .json(&json!({ "email": "fix@example.com", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    let set_cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(set_cookie.starts_with("mercato_session=") && !set_cookie.contains(planted), "{set_cookie}");
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    let res = client.get(t.url("/api/v1/me")).header("cookie", format!("mercato_session={planted}")).send().await.unwrap();
    problem(res, StatusCode::UNAUTHORIZED, "session_expired").await;
});

db_test!(async fn expired_sessions_are_refused(db) {
    let settings = mercato_app::AppSettings { session_idle: time::Duration::seconds(1), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    t.staff("exp@example.com", "admin").await;
    let res = reqwest::Client::new()
        .post(t.url("/api/v1/auth/login"))
        .json(&json!({ "email": "exp@example.com", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    let cookie = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    // A client that keeps sending the cookie after it should have expired.
    let stubborn = reqwest::Client::new();
    assert_eq!(stubborn.get(t.url("/api/v1/me")).header("cookie", &cookie).send().await.unwrap().status(), StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    problem(stubborn.get(t.url("/api/v1/me")).header("cookie", &cookie).send().await.unwrap(), StatusCode::UNAUTHORIZED, "session_expired").await;
});
