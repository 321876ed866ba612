//! Saved views on the back office's lists over HTTP, on both databases:
//! saved from the filters on screen, private unless shared, deleted only by
//! their owner, and bad input refused with a problem naming the field.

use super::{PASSWORD, TestApp, problem};
use mercato_testkit::db_test;
use reqwest::StatusCode;
use serde_json::json;

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

async fn sign_in(t: &TestApp, email: &str) -> reqwest::Client {
    let c = browser();
    let res = c
        .post(t.url("/api/v1/auth/login"))
        .json(&json!({ "email": email, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    c
}

async fn page(c: &reqwest::Client, t: &TestApp, path: &str) -> String {
    let res = c.get(t.url(path)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.text().await.unwrap()
}

db_test!(async fn staff_save_share_and_delete_views_of_their_lists(db) {
    let t = TestApp::start(db).await;
    t.staff("admin@seller.example", "admin").await;
    t.staff("other@seller.example", "admin").await;
    let me = sign_in(&t, "admin@seller.example").await;
    let other = sign_in(&t, "other@seller.example").await;

    // The bar offers to save the filters on screen (paging and language left out).
    let html = page(&me, &t, "/admin/orders?status=on_hold&company=&lang=en").await;
    assert!(html.contains("Saved views") && html.contains("none yet"), "{html}");
    assert!(html.contains("name=\"query\" value=\"status=on_hold\""), "{html}");
    let csrf = crate::admin_pages::hidden_token(&html);

    let save = |c: &reqwest::Client, form: Vec<(&'static str, String)>| c.post(t.url("/admin/views")).form(&form).send();
    let res = save(&me, vec![("csrf_token", csrf.clone()), ("page", "/admin/orders".into()), ("name", "On hold".into()), ("query", "status=on_hold&cursor=abc".into())]).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/admin/orders?status=on_hold");
    let res = save(&me, vec![("csrf_token", csrf.clone()), ("page", "/admin/inquiries".into()), ("name", "New quotes".into()), ("query", "status=new&kind=quote".into()), ("shared", "1".into())]).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // Listed on their own list, marked when it is the one on screen.
    let html = page(&me, &t, "/admin/orders?status=on_hold&lang=en").await;
    assert!(html.contains("<a href=\"/admin/orders?status=on_hold\" aria-current=\"true\">On hold</a>"), "{html}");
    let html = page(&me, &t, "/admin/orders?lang=en").await;
    assert!(html.contains(">On hold</a>") && !html.contains("aria-current=\"true\">On hold"), "{html}");
    assert!(!html.contains("New quotes"), "a view belongs to its list: {html}");

    // Private views stay private; shared ones show, marked, without a delete button.
    let html = page(&other, &t, "/admin/orders?lang=en").await;
    assert!(!html.contains("On hold</a>"), "{html}");
    let html = page(&other, &t, "/admin/inquiries?lang=en").await;
    assert!(html.contains(">New quotes</a> <small class=\"note\">(shared)</small>"), "{html}");
    assert!(!html.contains("/delete\" class=\"inline\""), "not theirs to delete: {html}");
    let zh = page(&other, &t, "/admin/inquiries?lang=zh-CN").await;
    assert!(zh.contains("已保存的视图") && zh.contains("(共享)"), "{zh}");

    // Only the owner deletes a view; for anyone else it does not exist.
    let html = page(&me, &t, "/admin/inquiries?lang=en").await;
    let id = html.split("action=\"/admin/views/").nth(1).and_then(|s| s.split('/').next()).unwrap().to_string();
    let other_csrf = crate::admin_pages::hidden_token(&page(&other, &t, "/admin/orders").await);
    let res = other.post(t.url(&format!("/admin/views/{id}/delete"))).form(&[("csrf_token", other_csrf.as_str())]).send().await.unwrap();
    problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = me.post(t.url(&format!("/admin/views/{id}/delete"))).form(&[("csrf_token", "forged")]).send().await.unwrap();
    problem(res, StatusCode::FORBIDDEN, "csrf_failed").await;
    let res = me.post(t.url(&format!("/admin/views/{id}/delete"))).form(&[("csrf_token", csrf.as_str())]).send().await.unwrap();
    assert_eq!((res.status(), res.headers()["location"].to_str().unwrap()), (StatusCode::SEE_OTHER, "/admin/inquiries"));
    assert!(!page(&other, &t, "/admin/inquiries?lang=en").await.contains("New quotes"));

    // Bad input: a problem naming the field, nothing saved.
    for (list, name, query, code) in [
        ("/admin/secrets", "x", "", "unknown_list"),
        ("/admin/orders", "  ", "", "name_missing"),
        ("/admin/orders", &"名".repeat(61), "", "name_too_long"),
        ("/admin/orders", "x", "status=on hold", "invalid_filters"),
    ] {
        let res = save(&me, vec![("csrf_token", csrf.clone()), ("page", list.into()), ("name", name.to_string()), ("query", query.into())]).await.unwrap();
        let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(body["errors"][0]["code"], code, "{body}");
    }
    let res = save(&me, vec![("csrf_token", "forged".into()), ("page", "/admin/orders".into()), ("name", "x".into())]).await.unwrap();
    problem(res, StatusCode::FORBIDDEN, "csrf_failed").await;
    let html = page(&me, &t, "/admin/orders?lang=en").await;
    assert_eq!(html.matches("action=\"/admin/views/").count(), 1, "only the first view remains: {html}");

    // Views are for staff: anyone else is sent to sign in.
    let res = browser().post(t.url("/admin/views")).form(&[("page", "/admin/orders"), ("name", "x")]).send().await.unwrap();
    assert_eq!(res.headers()["location"], "/admin/login");
});
