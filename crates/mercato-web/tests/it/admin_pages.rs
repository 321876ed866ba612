//! The back office's sign-in form, landing page and sign-out, with CSRF.

use super::{PASSWORD, TestApp, problem};
use mercato_testkit::db_test;
use reqwest::StatusCode;

pub fn hidden_token(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("csrf field") + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

db_test!(async fn sign_in_form_landing_and_sign_out(db) {
    let t = TestApp::start(db).await;
    t.staff("desk@example.com", "catalog").await;

    let res = t.client.get(t.url("/admin")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/admin/login");

    let res = t.client.get(t.url("/admin/login")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = res.text().await.unwrap();
    assert!(html.contains("<label for=\"email\">") && html.contains("<label for=\"password\">"), "inputs are labelled");
    let token = hidden_token(&html);

    // Wrong password: the form comes back with a message and the e-mail kept.
    let res = t.client.post(t.url("/admin/login")).form(&[("email", "desk@example.com"), ("password", "wrong one!"), ("csrf_token", &token)]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let html = res.text().await.unwrap();
    assert!(html.contains("role=\"alert\"") && html.contains("value=\"desk@example.com\""), "{html}");

    let res = t.client.post(t.url("/admin/login")).form(&[("email", "desk@example.com"), ("password", PASSWORD), ("csrf_token", &token)]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/admin");

    let res = t.client.get(t.url("/admin")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("desk@example.com") && html.contains("catalog"), "{html}");
    let session_token = hidden_token(&html);

    // Sign-out needs the session's token.
    problem(t.client.post(t.url("/admin/logout")).form(&[("csrf_token", "forged")]).send().await.unwrap(), StatusCode::FORBIDDEN, "csrf_failed").await;
    let res = t.client.post(t.url("/admin/logout")).form(&[("csrf_token", &session_token)]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(t.client.get(t.url("/admin")).send().await.unwrap().status(), StatusCode::SEE_OTHER);
});

db_test!(async fn sign_in_form_without_its_csrf_token_is_refused(db) {
    let t = TestApp::start(db).await;
    t.staff("csrf@example.com", "admin").await;
    // No token at all (a cross-site form post carries no cookie of ours either).
    let res = t.client.post(t.url("/admin/login")).form(&[("email", "csrf@example.com"), ("password", PASSWORD)]).send().await.unwrap();
    problem(res, StatusCode::FORBIDDEN, "csrf_failed").await;
    // A token that does not match the cookie.
    t.client.get(t.url("/admin/login")).send().await.unwrap();
    let res = t.client.post(t.url("/admin/login")).form(&[("email", "csrf@example.com"), ("password", PASSWORD), ("csrf_token", "guess")]).send().await.unwrap();
    problem(res, StatusCode::FORBIDDEN, "csrf_failed").await;
});
