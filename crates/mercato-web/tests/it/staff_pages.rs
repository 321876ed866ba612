//! The back office's staff users, audit log viewer and API tokens on both
//! databases: an administrator creates, re-roles, disables and re-enables
//! a staff user through the forms (and the guards refuse self-demotion and
//! losing the last administrator); the audit page shows those changes,
//! filters, pages and exports them; integration tokens are created (the
//! secret shown once), used as bearers and revoked; other roles, forged
//! forms and bad input get answers, never a 500.

use super::{PASSWORD, TestApp, problem};
use crate::admin_pages::hidden_token;
use crate::companies::{call, ok};
use mercato_core::{AuditId, StaffRole, UserId};
use mercato_store::Timestamp;
use mercato_store::audit::AuditEntry;
use mercato_testkit::db_test;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

/// A cookie-keeping client signed in as `email`.
async fn signed_in(t: &TestApp, email: &str) -> Client {
    let c = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let res = c
        .post(t.url("/api/v1/auth/login"))
        .json(&json!({ "email": email, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    c
}

async fn page(c: &Client, t: &TestApp, path: &str) -> (StatusCode, String) {
    let res = c.get(t.url(path)).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn post(c: &Client, t: &TestApp, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    c.post(t.url(path)).form(form).send().await.unwrap()
}

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_string()
}

/// The signed-in user's id, from `GET /me` with the session cookie.
async fn my_id(c: &Client, t: &TestApp) -> String {
    let me: Value = c
        .get(t.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    me["user"]["id"].as_str().unwrap().to_string()
}

/// How many entries of the audit page show `action`.
fn shown(html: &str, action: &str) -> usize {
    html.matches(&format!("<code>{action}</code>")).count()
}

db_test!(async fn admins_manage_staff_users_and_the_audit_log_shows_it(db) {
    let t = TestApp::start(db).await;
    t.staff("boss@x.example", "admin").await;
    let boss = signed_in(&t, "boss@x.example").await;
    let boss_id = my_id(&boss, &t).await;

    // The list, the menu's new sections and the role × permission matrix,
    // drawn from core's table (one tick per permission a role grants).
    let (status, html) = page(&boss, &t, "/admin/staff?lang=en").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    for entry in ["<a href=\"/admin/staff\">Staff</a>", "<a href=\"/admin/audit\">Audit log</a>", "<a href=\"/admin/tokens\">API tokens</a>"] {
        assert!(html.contains(entry), "{entry}: {html}");
    }
    assert!(html.contains("boss@x.example") && html.contains("What each role may do"), "{html}");
    let grants: usize = StaffRole::ALL.iter().map(|r| r.permissions().len()).sum();
    assert_eq!(html.matches("✓").count(), grants, "{html}");
    let csrf = hidden_token(&html);

    // Bad input comes back with a message per field and what was typed.
    let res = post(&boss, &t, "/admin/staff?lang=en", &[("csrf_token", &csrf), ("name", "Cat"), ("email", "nope"), ("role", "root"), ("password", "short")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    for said in ["Enter a valid e-mail address.", "Choose one of the roles.", "The password is not strong enough", "value=\"nope\"", "value=\"Cat\""] {
        assert!(html.contains(said), "{said}: {html}");
    }
    assert!(!html.contains("value=\"short\""), "a password is never sent back");

    // An administrator creates a catalog manager through the form.
    let res = post(&boss, &t, "/admin/staff?lang=en", &[("csrf_token", &csrf), ("name", "Cat Alog"), ("email", "Cat@X.example"), ("role", "catalog"), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = location(&res);
    assert!(to.starts_with("/admin/staff/") && to.ends_with("?saved=created"), "{to}");
    let cat_page = to.split('?').next().unwrap().to_string();
    let cat_id = cat_page.trim_start_matches("/admin/staff/").to_string();
    let (_, html) = page(&boss, &t, &format!("{to}&lang=en")).await;
    assert!(html.contains("Staff user created") && html.contains("cat@x.example") && html.contains("Catalog manager") && html.contains("never"), "{html}");
    // The same address again: refused, not a 500.
    let res = post(&boss, &t, "/admin/staff?lang=en", &[("csrf_token", &csrf), ("name", "Again"), ("email", "cat@x.example"), ("role", "finance"), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("A user with the e-mail cat@x.example already exists."));

    // The list filters by role.
    let (_, html) = page(&boss, &t, "/admin/staff?role=catalog&lang=en").await;
    assert!(html.contains("cat@x.example") && !html.contains("boss@x.example"), "{html}");
    let (_, html) = page(&boss, &t, "/admin/staff?role=finance&lang=en").await;
    assert!(html.contains("No staff user has this role."), "{html}");
    let (status, html) = page(&boss, &t, "/admin/staff?role=root&lang=en").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("“root” is not a role."), "{html}");

    // The catalog manager signs in: no staff, audit or token pages, no menu entries.
    let cat = signed_in(&t, "cat@x.example").await;
    let cat_bearer = t.login("cat@x.example").await["token"].as_str().unwrap().to_string();
    for path in ["/admin/staff", &cat_page, "/admin/audit", "/admin/audit.csv", "/admin/tokens"] {
        problem(cat.get(t.url(path)).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
    }
    let (_, html) = page(&cat, &t, "/admin?lang=en").await;
    assert!(!html.contains("/admin/staff") && !html.contains("/admin/audit") && !html.contains("/admin/tokens"), "{html}");
    let cat_csrf = hidden_token(&html);
    problem(post(&cat, &t, &format!("{cat_page}/role"), &[("csrf_token", &cat_csrf), ("role", "admin")]).await, StatusCode::FORBIDDEN, "forbidden").await;

    // Every form needs the session's CSRF token.
    for (path, form) in [
        ("/admin/staff".to_string(), vec![("name", "X"), ("email", "x@x.example"), ("role", "catalog"), ("password", PASSWORD)]),
        (format!("{cat_page}/role"), vec![("role", "warehouse")]),
        (format!("{cat_page}/status"), vec![("status", "disabled")]),
    ] {
        problem(post(&boss, &t, &path, &form).await, StatusCode::FORBIDDEN, "csrf_failed").await;
        let mut forged = form.clone();
        forged.push(("csrf_token", "forged"));
        problem(post(&boss, &t, &path, &forged).await, StatusCode::FORBIDDEN, "csrf_failed").await;
    }

    // A new role applies at the catalog manager's next request.
    let res = post(&boss, &t, &format!("{cat_page}/role"), &[("csrf_token", &csrf), ("role", "warehouse")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("{cat_page}?saved=role"));
    let (_, html) = page(&boss, &t, &format!("{cat_page}?saved=role&lang=en")).await;
    assert!(html.contains("Role changed.") && html.contains("Warehouse"), "{html}");
    assert_eq!(cat.get(t.url("/admin/stock")).send().await.unwrap().status(), StatusCode::OK);
    // Unknown roles and statuses are messages; unknown users are 404.
    let res = post(&boss, &t, &format!("{cat_page}/role?lang=en"), &[("csrf_token", &csrf), ("role", "root")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = post(&boss, &t, &format!("{cat_page}/status?lang=en"), &[("csrf_token", &csrf), ("status", "gone")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("“gone” is not a status"));
    problem(boss.get(t.url(&format!("/admin/staff/{}", UserId::new()))).send().await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;
    problem(boss.get(t.url("/admin/staff/not-an-id")).send().await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;
    problem(post(&boss, &t, &format!("/admin/staff/{}/role", UserId::new()), &[("csrf_token", &csrf), ("role", "catalog")]).await, StatusCode::NOT_FOUND, "not_found").await;

    // Disabled: the session and the bearer token stop working at once, and
    // signing in again is refused.
    let res = post(&boss, &t, &format!("{cat_page}/status"), &[("csrf_token", &csrf), ("status", "disabled")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("{cat_page}?saved=disabled"));
    let res = cat.get(t.url("/admin/stock")).send().await.unwrap();
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/admin/login".to_string()));
    problem(call(&t, Method::GET, "/api/v1/me", &cat_bearer, None).await, StatusCode::UNAUTHORIZED, "invalid_token").await;
    let res = t.client.post(t.url("/api/v1/auth/login")).json(&json!({ "email": "cat@x.example", "password": PASSWORD })).send().await.unwrap();
    problem(res, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let (_, html) = page(&boss, &t, "/admin/staff?lang=en").await;
    assert!(html.contains("<span class=\"status disabled\">disabled</span>"), "{html}");
    // Re-enabled: they sign in again (the old session stays ended).
    let res = post(&boss, &t, &format!("{cat_page}/status"), &[("csrf_token", &csrf), ("status", "active")]).await;
    assert_eq!(location(&res), format!("{cat_page}?saved=enabled"));
    assert_eq!(cat.get(t.url("/admin/stock")).send().await.unwrap().status(), StatusCode::SEE_OTHER);
    let cat = signed_in(&t, "cat@x.example").await;
    assert_eq!(cat.get(t.url("/admin/stock")).send().await.unwrap().status(), StatusCode::OK);

    // The guards: the only administrator can be neither demoted nor
    // disabled, not even by themselves; with a second administrator,
    // demoting oneself is still refused, demoting the other is not.
    let me = format!("/admin/staff/{boss_id}");
    let (_, html) = page(&boss, &t, &format!("{me}?lang=en")).await;
    assert!(html.contains("This is your own account") && !html.contains(&format!("action=\"{me}/role\"")), "{html}");
    for (path, form) in [(format!("{me}/role?lang=en"), ("role", "catalog")), (format!("{me}/status?lang=en"), ("status", "disabled"))] {
        let res = post(&boss, &t, &path, &[("csrf_token", &csrf), form]).await;
        assert_eq!(res.status(), StatusCode::CONFLICT);
        let html = res.text().await.unwrap();
        assert!(html.contains("Refused: this is the last active administrator."), "{html}");
    }
    let res = post(&boss, &t, &format!("{cat_page}/role"), &[("csrf_token", &csrf), ("role", "admin")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = post(&boss, &t, &format!("{me}/role?lang=en"), &[("csrf_token", &csrf), ("role", "finance")]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("Refused: you cannot change your own role or disable your own account."));
    let res = post(&boss, &t, &format!("{me}/status?lang=zh-CN"), &[("csrf_token", &csrf), ("status", "disabled")]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("您不能更改自己的角色或停用自己的账号"));
    let (_, html) = page(&boss, &t, "/admin/staff?role=admin").await;
    assert!(html.contains("boss@x.example") && html.contains("cat@x.example"), "{html}");
    let res = post(&boss, &t, &format!("{cat_page}/role"), &[("csrf_token", &csrf), ("role", "catalog")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // The audit log has every change, by whom, newest first, filtered by
    // action and by actor, linking the staff user's page.
    let (status, html) = page(&boss, &t, "/admin/audit?lang=en").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!(shown(&html, "user.change_role"), 3, "{html}");
    assert!(html.contains(&format!("<a href=\"{cat_page}\">")), "the subject links its page: {html}");
    let newest = html.find("<code>user.change_role</code>").unwrap();
    assert!(newest < html.find("<code>user.enable</code>").unwrap(), "newest first: {html}");
    let (_, html) = page(&boss, &t, "/admin/audit?action=user.disable&lang=en").await;
    assert_eq!((shown(&html, "user.disable"), shown(&html, "user.enable")), (1, 0), "{html}");
    assert!(html.contains("boss@x.example") && html.contains("cat@x.example"), "who and whom: {html}");
    let (_, html) = page(&boss, &t, "/admin/audit?action=user.&lang=en").await;
    assert_eq!(shown(&html, "user.create"), 2, "{html}");
    assert_eq!(shown(&html, "auth.login"), 0, "{html}");
    let (_, html) = page(&boss, &t, "/admin/audit?actor=cat%40x.example&lang=en").await;
    assert!(shown(&html, "auth.login") >= 2 && shown(&html, "user.change_role") == 0, "{html}");
    let (_, html) = page(&boss, &t, "/admin/audit?actor=BOSS%40x.example&action=user.change_role&lang=en").await;
    assert_eq!(shown(&html, "user.change_role"), 3, "{html}");
    let (_, html) = page(&boss, &t, &format!("/admin/audit?subject_type=user&subject_id={cat_id}&lang=en")).await;
    assert!(shown(&html, "user.disable") == 1 && shown(&html, "auth.login") == 0, "{html}");
    let (_, html) = page(&boss, &t, "/admin/audit?actor=nobody%40x.example&lang=en").await;
    assert!(html.contains("No entry matches these filters."), "{html}");
});

/// An audit entry at `at` (RFC 3339), written as a use case would.
fn entry(at: &str, action: &str, subject_type: &str, subject_id: &str) -> AuditEntry {
    let at =
        time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).unwrap();
    AuditEntry {
        id: AuditId::new(),
        occurred_at: Timestamp::from(at),
        actor: None,
        on_behalf_of: None,
        action: action.into(),
        subject_type: subject_type.into(),
        subject_id: Some(subject_id.into()),
        detail: json!({ "n": 1 }),
        ip: Some("10.1.2.3".into()),
        request_id: None,
    }
}

db_test!(async fn the_audit_log_pages_filters_by_day_and_exports_csv(db) {
    let t = TestApp::start(db).await;
    t.staff("boss@x.example", "admin").await;
    t.staff("rep@x.example", "sales_rep").await;
    let boss = signed_in(&t, "boss@x.example").await;
    let boss_id: UserId = my_id(&boss, &t).await.parse().unwrap();
    let rep = signed_in(&t, "rep@x.example").await;
    let rep_id: UserId = my_id(&rep, &t).await.parse().unwrap();
    let order = uuid::Uuid::now_v7();
    let mut tx = t.app.db().begin().await.unwrap();
    // 60 pings on 2025-03-01, one just before that day and one just after.
    for i in 0..60 {
        let at = format!("2025-03-01T10:{i:02}:00Z");
        mercato_store::audit::record(&mut tx, &entry(&at, "test.ping", "thing", &i.to_string())).await.unwrap();
    }
    mercato_store::audit::record(&mut tx, &entry("2025-02-28T23:59:59Z", "test.edge", "thing", "before")).await.unwrap();
    mercato_store::audit::record(&mut tx, &entry("2025-03-02T00:00:00Z", "test.edge", "thing", "after")).await.unwrap();
    // A rep acting for someone, on an order; a cell that would be a formula.
    let mut acting = entry("2025-03-03T08:00:00Z", "order.place", "order", &order.to_string());
    acting.actor = Some(rep_id);
    acting.on_behalf_of = Some(boss_id);
    mercato_store::audit::record(&mut tx, &acting).await.unwrap();
    mercato_store::audit::record(&mut tx, &entry("2025-03-03T09:00:00Z", "test.formula", "thing", "=HYPERLINK(\"x\")")).await.unwrap();
    tx.commit().await.unwrap();

    // Keyset pages of 50, newest first, with the filters kept.
    let (status, html) = page(&boss, &t, "/admin/audit?action=test.ping&lang=en").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!(shown(&html, "test.ping"), 50);
    assert!(html.contains("2025-03-01 10:59:00") && !html.contains("2025-03-01 10:09:00"), "{html}");
    let next = html.split("<a href=\"").find_map(|s| s.split_once("\" rel=\"next\"").map(|(h, _)| h.replace("&#38;", "&"))).expect("a next page");
    assert!(next.starts_with("/admin/audit?action=test.ping&cursor="), "{next}");
    let (_, html) = page(&boss, &t, &next).await;
    assert_eq!(shown(&html, "test.ping"), 10);
    assert!(html.contains("2025-03-01 10:00:00") && !html.contains("rel=\"next\""), "{html}");
    problem(boss.get(t.url("/admin/audit?cursor=garbage")).send().await.unwrap(), StatusCode::BAD_REQUEST, "invalid_cursor").await;

    // UTC days, both ends included.
    let (_, html) = page(&boss, &t, "/admin/audit?action=test.edge&from=2025-03-01&to=2025-03-01").await;
    assert_eq!(shown(&html, "test.edge"), 0, "{html}");
    let (_, html) = page(&boss, &t, "/admin/audit?action=test.edge&from=2025-02-28&to=2025-03-02").await;
    assert_eq!(shown(&html, "test.edge"), 2, "{html}");
    let (_, html) = page(&boss, &t, "/admin/audit?action=test.edge&to=2025-02-28").await;
    assert_eq!(shown(&html, "test.edge"), 1, "{html}");
    // Reversed, too long or not dates: messages on the page, not errors.
    for (query, said) in [
        ("from=2025-03-02&to=2025-03-01", "The range ends before it starts"),
        ("from=2023-01-01&to=2025-03-01", "choose at most 366 days"),
        ("from=yesterday", "“From (UTC day)” is not a day"),
        ("actor=nobody", "“By” must be an e-mail address."),
    ] {
        let (status, html) = page(&boss, &t, &format!("/admin/audit?{query}&lang=en")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(html.contains(said) && html.contains("role=\"alert\""), "{query}: {html}");
    }
    let (_, html) = page(&boss, &t, "/admin/audit?from=2025-03-02&to=2025-03-01&lang=zh-CN").await;
    assert!(html.contains("日期范围的结束早于开始"), "{html}");

    // Who on whose behalf, and the subject's page.
    let (_, html) = page(&boss, &t, "/admin/audit?action=order.place&lang=en").await;
    assert!(html.contains("rep@x.example") && html.contains("on behalf of") && html.contains("boss@x.example"), "{html}");
    assert!(html.contains(&format!("<a href=\"/admin/orders/{order}\">")), "{html}");
    let (_, html) = page(&boss, &t, "/admin/audit?action=test.ping&subject_type=thing&subject_id=7").await;
    assert_eq!(shown(&html, "test.ping"), 1, "{html}");
    assert!(!html.contains("<a href=\"/admin/orders/"), "{html}");

    // The export: the filtered entries under a header, every page of them.
    let res = boss.get(t.url("/admin/audit.csv?action=test.&from=2025-03-01&to=2025-03-03")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(res.headers().get("x-mercato-truncated").is_none());
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "occurred_at,actor_email,actor_name,on_behalf_of_email,action,subject_type,subject_id,detail,ip,request_id,audit_id");
    assert_eq!(lines.len(), 1 + 60 + 1 + 1, "{csv}");
    assert!(lines[1].contains("test.formula") && lines[1].contains("'=HYPERLINK"), "formulas stay text: {}", lines[1]);
    assert!(lines.iter().any(|l| l.starts_with("2025-03-01T10:00:00Z,,,,test.ping,thing,0,")), "{csv}");
    let csv = boss.get(t.url("/admin/audit.csv?action=order.place")).send().await.unwrap().text().await.unwrap();
    assert!(csv.contains("rep@x.example") && csv.contains("boss@x.example"), "{csv}");
    let res = boss.get(t.url("/admin/audit.csv?from=2025-03-02&to=2025-03-01")).send().await.unwrap();
    problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    // The API reads with the same filters.
    let token = t.login("boss@x.example").await["token"].as_str().unwrap().to_string();
    let v = ok(call(&t, Method::GET, "/api/v1/admin/audit-log?action=test.edge", &token, None).await, StatusCode::OK).await;
    assert_eq!(v["items"].as_array().unwrap().len(), 2, "{v}");
    let v = ok(call(&t, Method::GET, "/api/v1/admin/audit-log?action=test.&from=2025-03-02&to=2025-03-03", &token, None).await, StatusCode::OK).await;
    assert_eq!(v["items"].as_array().unwrap().len(), 2, "{v}");
    problem(call(&t, Method::GET, "/api/v1/admin/audit-log?from=2025-03-02&to=2025-03-01", &token, None).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
});

db_test!(async fn api_tokens_are_created_once_used_and_revoked(db) {
    let t = TestApp::start(db).await;
    t.staff("boss@x.example", "admin").await;
    t.staff("cat@x.example", "catalog").await;
    let boss = signed_in(&t, "boss@x.example").await;
    let (status, html) = page(&boss, &t, "/admin/tokens?lang=en").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("No API tokens yet."), "{html}");
    let csrf = hidden_token(&html);

    // Bad input: a message, nothing created, the ticks kept.
    let res = post(&boss, &t, "/admin/tokens?lang=en", &[("csrf_token", &csrf), ("name", "")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("give it a name") && html.contains("tick at least one scope"), "{html}");
    let res = post(&boss, &t, "/admin/tokens?lang=en", &[("csrf_token", &csrf), ("name", "ERP"), ("scopes", "orders_read"), ("expires_in_days", "soon")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("whole number of days") && html.contains("value=\"orders_read\" checked"), "{html}");
    let res = post(&boss, &t, "/admin/tokens?lang=en", &[("csrf_token", &csrf), ("name", "ERP"), ("scopes", "root")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    problem(post(&boss, &t, "/admin/tokens", &[("name", "ERP"), ("scopes", "full")]).await, StatusCode::FORBIDDEN, "csrf_failed").await;

    // Created: the secret is on this answer only.
    let res = post(&boss, &t, "/admin/tokens?lang=en", &[("csrf_token", &csrf), ("name", "ERP"), ("scopes", "full"), ("scopes", "orders_read")]).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let html = res.text().await.unwrap();
    assert!(html.contains("Token “ERP” created") && html.contains("shown this once"), "{html}");
    let start = html.find("value=\"mct_").expect("the secret") + "value=\"".len();
    let secret = html[start..].split('"').next().unwrap().to_string();
    let (_, html) = page(&boss, &t, "/admin/tokens?lang=en").await;
    assert!(!html.contains(&secret) && html.contains("ERP") && html.contains(&secret[..12]), "{html}");
    assert!(html.contains("Everything your role allows, Read orders") && html.contains("until revoked"), "{html}");

    // It works as a bearer, with its owner's role.
    ok(call(&t, Method::GET, "/api/v1/admin/audit-log", &secret, None).await, StatusCode::OK).await;
    // A narrow one is held to its scope, and an expiry shows.
    let res = post(&boss, &t, "/admin/tokens", &[("csrf_token", &csrf), ("name", "Stock feed"), ("scopes", "stock_write"), ("expires_in_days", "30")]).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let html = res.text().await.unwrap();
    let start = html.find("value=\"mct_").unwrap() + "value=\"".len();
    let narrow = html[start..].split('"').next().unwrap().to_string();
    problem(call(&t, Method::GET, "/api/v1/admin/audit-log", &narrow, None).await, StatusCode::FORBIDDEN, "forbidden").await;

    // Another staff member's token is listed with its owner.
    let cat_login = t.login("cat@x.example").await["token"].as_str().unwrap().to_string();
    let v = ok(call(&t, Method::POST, "/api/v1/auth/tokens", &cat_login, Some(json!({ "name": "PIM", "scopes": ["catalog_write"] }))).await, StatusCode::CREATED).await;
    let pim = v["token"].as_str().unwrap().to_string();
    let (_, html) = page(&boss, &t, "/admin/tokens?lang=en").await;
    assert!(html.contains("PIM") && html.contains("cat@x.example") && html.contains("Change the catalog"), "{html}");
    // The catalog manager cannot open the page.
    let cat = signed_in(&t, "cat@x.example").await;
    problem(cat.get(t.url("/admin/tokens")).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;

    // Revoked: it stops working at once; a second revoke says so.
    let revoke_path = |html: &str, name: &str| {
        let body = html.split("<tbody>").nth(1).unwrap();
        let row = body.split("<tr>").find(|r| r.contains(name)).unwrap();
        let start = row.find("action=\"").unwrap() + "action=\"".len();
        row[start..].split('"').next().unwrap().to_string()
    };
    let erp = revoke_path(&html, "ERP");
    problem(post(&boss, &t, &erp, &[]).await, StatusCode::FORBIDDEN, "csrf_failed").await;
    let res = post(&boss, &t, &erp, &[("csrf_token", &csrf)]).await;
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/admin/tokens?revoked=1".to_string()));
    problem(call(&t, Method::GET, "/api/v1/admin/audit-log", &secret, None).await, StatusCode::UNAUTHORIZED, "invalid_token").await;
    let res = post(&boss, &t, &format!("{erp}?lang=en"), &[("csrf_token", &csrf)]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.unwrap().contains("does not exist or was already revoked"));
    let res = post(&boss, &t, "/admin/tokens/not-a-token/revoke", &[("csrf_token", &csrf)]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // Someone else's, too (an administrator retires an integration).
    ok(call(&t, Method::GET, "/api/v1/me", &pim, None).await, StatusCode::OK).await;
    let (_, html) = page(&boss, &t, "/admin/tokens?revoked=1&lang=en").await;
    assert!(html.contains("Token revoked") && !html.contains(">ERP <"), "{html}");
    let res = post(&boss, &t, &revoke_path(&html, "PIM"), &[("csrf_token", &csrf)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    problem(call(&t, Method::GET, "/api/v1/me", &pim, None).await, StatusCode::UNAUTHORIZED, "invalid_token").await;

    // The log names both revocations.
    let (_, html) = page(&boss, &t, "/admin/audit?action=api_token.&lang=en").await;
    assert_eq!((shown(&html, "api_token.create"), shown(&html, "api_token.revoke")), (3, 2), "{html}");
});
