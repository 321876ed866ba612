//! Company accounts over HTTP: registration → verification → approval →
//! invitations; the isolation matrix over every company-owned endpoint;
//! sales reps and acting on behalf; bad input.

use super::{PASSWORD, TestApp, problem};
use mercato_testkit::db_test;
use reqwest::{Client, Method, Response, StatusCode};
use serde_json::{Value, json};

pub async fn call(
    t: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> Response {
    let mut req = Client::new()
        .request(method, t.url(path))
        .bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.unwrap()
}

pub async fn ok(res: Response, status: StatusCode) -> Value {
    let got = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(got, status, "{text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// A market, a staff admin; returns the admin's token.
pub async fn staff_admin(t: &TestApp) -> String {
    t.staff("admin@seller.example", "admin").await;
    let token = t.login("admin@seller.example").await["token"]
        .as_str()
        .unwrap()
        .to_string();
    let market = json!({ "name": {"en": "Europe"}, "currency": "EUR", "languages": ["en"], "countries": ["DE", "FR"], "time_zone": "Europe/Berlin", "roadmap_step": 3, "is_default": true });
    ok(
        call(
            t,
            Method::PUT,
            "/api/v1/admin/markets/eu",
            &token,
            Some(market),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    token
}

/// One company with an admin, a buyer and a viewer (all able to sign in),
/// an address, a unit and an integration token of its admin.
pub struct Co {
    pub id: String,
    pub admin: String,
    pub buyer: String,
    pub viewer: String,
    pub buyer_id: String,
    pub address: String,
    pub unit: String,
    pub token_id: String,
}

pub async fn company(t: &TestApp, staff: &str, tag: &str, vat: &str) -> Co {
    let c = ok(call(t, Method::POST, "/api/v1/admin/companies", staff, Some(json!({ "name": format!("{tag} GmbH"), "vat_number": vat, "country": &vat[..2], "market": "eu" }))).await, StatusCode::CREATED).await;
    let id = c["id"].as_str().unwrap().to_string();
    assert_eq!(c["status"], "active");
    assert_eq!(c["currency"], "EUR");
    let mut tokens = Vec::new();
    let mut buyer_id = String::new();
    for role in ["admin", "buyer", "viewer"] {
        let email = format!("{role}@{tag}.example");
        let u = ok(
            call(
                t,
                Method::POST,
                &format!("/api/v1/admin/companies/{id}/users"),
                staff,
                Some(json!({ "email": email, "name": role, "role": role, "password": PASSWORD })),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
        assert_eq!(u["roles"], json!([role]));
        if role == "buyer" {
            buyer_id = u["id"].as_str().unwrap().to_string();
        }
        tokens.push(t.login(&email).await["token"].as_str().unwrap().to_string());
    }
    let admin = tokens[0].clone();
    let address = ok(call(t, Method::POST, "/api/v1/company/addresses", &admin, Some(json!({ "recipient": "Goods in", "line1": "Hafenstr. 1", "city": "Hamburg", "postal_code": "20457", "country": "DE" }))).await, StatusCode::CREATED).await;
    assert_eq!(address["is_default_shipping"], true);
    let unit = ok(
        call(
            t,
            Method::POST,
            "/api/v1/company/units",
            &admin,
            Some(json!({ "name": "Maintenance" })),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let tok = ok(
        call(
            t,
            Method::POST,
            "/api/v1/auth/tokens",
            &admin,
            Some(json!({ "name": "ERP", "scopes": ["orders_read"] })),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    Co {
        id,
        admin,
        buyer: tokens[1].clone(),
        viewer: tokens[2].clone(),
        buyer_id,
        address: address["id"].as_str().unwrap().to_string(),
        unit: unit["id"].as_str().unwrap().to_string(),
        token_id: tok["id"].as_str().unwrap().to_string(),
    }
}

/// Every company-owned endpoint: method, path (`{company}`, `{user}`,
/// `{unit}`, `{address}`, `{token}` are filled with the target company's
/// ids), body, and whether it is a company write (role- and status-checked).
/// A new company-owned resource adds its lines here.
const OWNED: &[(&str, &str, Option<&str>, bool)] = &[
    ("GET", "/api/v1/company/users/{user}", None, false),
    (
        "PATCH",
        "/api/v1/company/users/{user}",
        Some(r#"{"roles":["viewer"]}"#),
        true,
    ),
    ("POST", "/api/v1/company/users/{user}/reinvite", None, true),
    ("GET", "/api/v1/company/units/{unit}", None, false),
    (
        "PATCH",
        "/api/v1/company/units/{unit}",
        Some(r#"{"name":"Taken over"}"#),
        true,
    ),
    ("GET", "/api/v1/company/addresses/{address}", None, false),
    (
        "PATCH",
        "/api/v1/company/addresses/{address}",
        Some(r#"{"city":"Elsewhere"}"#),
        true,
    ),
    ("DELETE", "/api/v1/company/addresses/{address}", None, true),
    ("DELETE", "/api/v1/auth/tokens/{token}", None, false),
    ("GET", "/api/v1/admin/companies/{company}", None, false),
    (
        "GET",
        "/api/v1/admin/companies/{company}/users",
        None,
        false,
    ),
    (
        "POST",
        "/api/v1/admin/companies/{company}/users",
        Some(r#"{"email":"intruder@evil.example","role":"admin"}"#),
        false,
    ),
    (
        "PATCH",
        "/api/v1/admin/companies/{company}/users/{user}",
        Some(r#"{"active":false}"#),
        false,
    ),
];

fn fill(path: &str, co: &Co) -> String {
    path.replace("{company}", &co.id)
        .replace("{user}", &co.buyer_id)
        .replace("{unit}", &co.unit)
        .replace("{address}", &co.address)
        .replace("{token}", &co.token_id)
}

fn parse(m: &str) -> Method {
    Method::from_bytes(m.as_bytes()).unwrap()
}

db_test!(async fn company_users_never_reach_another_company(db) {
    let t = TestApp::start(db).await;
    let staff = staff_admin(&t).await;
    let a = company(&t, &staff, "alpha", "DE136695976").await;
    let b = company(&t, &staff, "bravo", "FR40303265045").await;

    // Lists show only the caller's company.
    let users = ok(call(&t, Method::GET, "/api/v1/company/users", &a.admin, None).await, StatusCode::OK).await;
    assert_eq!(users["items"].as_array().unwrap().len(), 3);
    assert!(users["items"].as_array().unwrap().iter().all(|u| u["company_id"] == a.id.as_str()), "{users}");
    let addresses = ok(call(&t, Method::GET, "/api/v1/company/addresses", &a.viewer, None).await, StatusCode::OK).await;
    assert_eq!(addresses["items"].as_array().unwrap().len(), 1);
    assert_eq!(addresses["items"][0]["id"], a.address.as_str());
    let me = ok(call(&t, Method::GET, "/api/v1/company", &a.buyer, None).await, StatusCode::OK).await;
    assert_eq!(me["id"], a.id.as_str());

    // 1. Every user of A, on every one of B's ids: 404, whatever the role.
    for who in [&a.admin, &a.buyer, &a.viewer] {
        for (m, path, body, _) in OWNED {
            let body = body.map(|b| serde_json::from_str(b).unwrap());
            let res = call(&t, parse(m), &fill(path, &b), who, body).await;
            problem(res, StatusCode::NOT_FOUND, "not_found").await;
        }
    }
    // B's things are unchanged.
    let addr = ok(call(&t, Method::GET, &format!("/api/v1/company/addresses/{}", b.address), &b.viewer, None).await, StatusCode::OK).await;
    assert_eq!(addr["city"], "Hamburg");
    let unit = ok(call(&t, Method::GET, &format!("/api/v1/company/units/{}", b.unit), &b.viewer, None).await, StatusCode::OK).await;
    assert_eq!(unit["name"], "Maintenance");

    // 2. A viewer (and a buyer) may read their own company but not write it.
    for who in [&a.viewer, &a.buyer] {
        for (m, path, body, write) in OWNED.iter().filter(|r| r.1.starts_with("/api/v1/company/")) {
            let body = body.map(|b| serde_json::from_str(b).unwrap());
            let res = call(&t, parse(m), &fill(path, &a), who, body).await;
            if *write {
                problem(res, StatusCode::FORBIDDEN, "forbidden").await;
            } else {
                assert_eq!(res.status(), StatusCode::OK, "{m} {path}");
            }
        }
        problem(call(&t, Method::POST, "/api/v1/company/addresses", who, Some(json!({ "recipient": "x", "line1": "x", "city": "x", "postal_code": "1", "country": "DE" }))).await, StatusCode::FORBIDDEN, "forbidden").await;
        problem(call(&t, Method::POST, "/api/v1/auth/tokens", who, Some(json!({ "name": "mine", "scopes": ["orders_read"] }))).await, StatusCode::FORBIDDEN, "forbidden").await;
    }
    // ...and no company user reaches staff lists.
    problem(call(&t, Method::GET, "/api/v1/admin/companies", &a.admin, None).await, StatusCode::FORBIDDEN, "forbidden").await;

    // 3. A company on hold reads but does not write.
    ok(call(&t, Method::PATCH, &format!("/api/v1/admin/companies/{}", a.id), &staff, Some(json!({ "status": "on_hold" }))).await, StatusCode::OK).await;
    for (m, path, body, write) in OWNED.iter().filter(|r| r.1.starts_with("/api/v1/company/")) {
        let body = body.map(|b| serde_json::from_str(b).unwrap());
        let res = call(&t, parse(m), &fill(path, &a), &a.admin, body).await;
        if *write {
            let p = problem(res, StatusCode::FORBIDDEN, "company_on_hold").await;
            assert!(p["detail"].as_str().unwrap().contains("on hold"), "{p}");
        } else {
            assert_eq!(res.status(), StatusCode::OK, "{m} {path}");
        }
    }
    let me = ok(call(&t, Method::GET, "/api/v1/me", &a.admin, None).await, StatusCode::OK).await;
    assert_eq!(me["company"]["status"], "on_hold");
    assert!(!me["permissions"].as_array().unwrap().contains(&json!("manage_company_account")), "{me}");
    ok(call(&t, Method::PATCH, &format!("/api/v1/admin/companies/{}", a.id), &staff, Some(json!({ "status": "active" }))).await, StatusCode::OK).await;
    ok(call(&t, Method::PATCH, &format!("/api/v1/company/units/{}", a.unit), &a.admin, Some(json!({ "name": "Plant 2" }))).await, StatusCode::OK).await;

    // 4. Revoked and expired tokens: 401.
    let erp = ok(call(&t, Method::POST, "/api/v1/auth/tokens", &a.admin, Some(json!({ "name": "ERP 2", "scopes": ["orders_read"] }))).await, StatusCode::CREATED).await;
    let secret = erp["token"].as_str().unwrap();
    ok(call(&t, Method::GET, "/api/v1/company/addresses", secret, None).await, StatusCode::OK).await;
    let listed = ok(call(&t, Method::GET, "/api/v1/auth/tokens", &a.admin, None).await, StatusCode::OK).await;
    assert!(listed["items"].as_array().unwrap().iter().any(|x| x["id"] == erp["id"] && x["last_used_at"].is_string()), "{listed}");
    assert!(listed.to_string().find(secret).is_none(), "a listed token shows its secret");
    assert_eq!(call(&t, Method::DELETE, &format!("/api/v1/auth/tokens/{}", erp["id"].as_str().unwrap()), &a.admin, None).await.status(), StatusCode::NO_CONTENT);
    problem(call(&t, Method::GET, "/api/v1/company/addresses", secret, None).await, StatusCode::UNAUTHORIZED, "invalid_token").await;
    // An orders_read token reads the company but cannot change it.
    let reader = ok(call(&t, Method::POST, "/api/v1/auth/tokens", &a.admin, Some(json!({ "name": "BI", "scopes": ["orders_read"] }))).await, StatusCode::CREATED).await;
    let reader = reader["token"].as_str().unwrap();
    problem(call(&t, Method::PATCH, &format!("/api/v1/company/units/{}", a.unit), reader, Some(json!({ "name": "x" }))).await, StatusCode::FORBIDDEN, "forbidden").await;
    // A sign-in token past its lifetime.
    let mut short = crate::test_settings();
    short.login_token_ttl = time::Duration::seconds(-1);
    let t2 = TestApp::start_full(t.app.db().clone(), short, Default::default(), |r| r).await;
    let expired = t2.login("buyer@alpha.example").await["token"].as_str().unwrap().to_string();
    problem(call(&t2, Method::GET, "/api/v1/company", &expired, None).await, StatusCode::UNAUTHORIZED, "invalid_token").await;
    // A disabled user's token stops working at once.
    ok(call(&t, Method::PATCH, &format!("/api/v1/company/users/{}", a.buyer_id), &a.admin, Some(json!({ "active": false }))).await, StatusCode::OK).await;
    problem(call(&t, Method::GET, "/api/v1/company", &a.buyer, None).await, StatusCode::UNAUTHORIZED, "invalid_token").await;
});

db_test!(async fn a_company_registers_is_approved_and_invites_its_buyers(db) {
    let t = TestApp::start(db).await;
    let staff = staff_admin(&t).await;

    let reg = json!({ "company_name": "Müller Antriebstechnik GmbH", "vat_number": "de 136 695 976", "country": "DE", "email": "Anna@Mueller.example", "name": "Anna Müller", "password": PASSWORD });
    let res = ok(Client::new().post(t.url("/api/v1/register")).json(&reg).send().await.unwrap(), StatusCode::CREATED).await;
    assert_eq!(res["company"]["status"], "pending");
    assert_eq!(res["company"]["vat_number"], "DE136695976");
    assert_eq!(res["user"]["roles"], json!(["admin"]));
    assert_eq!(res["user"]["email_verified"], false);
    let company_id = res["company"]["id"].as_str().unwrap().to_string();

    // The verification e-mail; its link works once.
    let mail = t.mail("anna@mueller.example", "verify_email").await;
    let link = mail["link"].as_str().unwrap();
    assert!(link.contains("/account/verify-email?token="), "{link}");
    let token = link.split("token=").nth(1).unwrap();
    let verify = |tok: &str| Client::new().post(t.url("/api/v1/auth/verify-email")).json(&json!({ "token": tok })).send();
    assert_eq!(verify(token).await.unwrap().status(), StatusCode::NO_CONTENT);
    problem(verify(token).await.unwrap(), StatusCode::CONFLICT, "link_used").await;
    problem(verify("made-up").await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;

    // Pending: the admin signs in and sets up the account, but cannot order yet.
    let anna = t.login("anna@mueller.example").await["token"].as_str().unwrap().to_string();
    let me = ok(call(&t, Method::GET, "/api/v1/me", &anna, None).await, StatusCode::OK).await;
    assert_eq!(me["company"]["status"], "pending");
    assert_eq!(me["user"]["email_verified"], true);
    assert!(!me["permissions"].as_array().unwrap().contains(&json!("place_orders")), "{me}");
    ok(call(&t, Method::POST, "/api/v1/company/addresses", &anna, Some(json!({ "label": "Werk 1", "recipient": "Wareneingang", "line1": "Industriestr. 5", "city": "Stuttgart", "postal_code": "70565", "country": "DE" }))).await, StatusCode::CREATED).await;

    // Staff see it among pending companies and approve it; its admin is told.
    let pending = ok(call(&t, Method::GET, "/api/v1/admin/companies?status=pending", &staff, None).await, StatusCode::OK).await;
    assert_eq!(pending["items"].as_array().unwrap().len(), 1);
    assert_eq!(pending["items"][0]["id"], company_id.as_str());
    ok(call(&t, Method::PATCH, &format!("/api/v1/admin/companies/{company_id}"), &staff, Some(json!({ "status": "active", "tier": "Gold" }))).await, StatusCode::OK).await;
    let approved = t.mail("anna@mueller.example", "approved").await;
    assert!(approved["subject"].as_str().unwrap().contains("Müller Antriebstechnik"), "{approved}");
    let me = ok(call(&t, Method::GET, "/api/v1/me", &anna, None).await, StatusCode::OK).await;
    assert!(me["permissions"].as_array().unwrap().contains(&json!("place_orders")), "{me}");

    // The admin invites a buyer, who chooses a password from the e-mail.
    let unit = ok(call(&t, Method::POST, "/api/v1/company/units", &anna, Some(json!({ "name": "Einkauf" }))).await, StatusCode::CREATED).await;
    let invited = ok(call(&t, Method::POST, "/api/v1/company/users", &anna, Some(json!({ "email": "ben@mueller.example", "name": "Ben", "roles": ["buyer", "approver"], "business_unit_id": unit["id"] }))).await, StatusCode::CREATED).await;
    assert_eq!(invited["invitation_pending"], true);
    assert_eq!(invited["roles"], json!(["buyer", "approver"]));
    // A company admin cannot set someone else's password.
    let p = problem(call(&t, Method::POST, "/api/v1/company/users", &anna, Some(json!({ "email": "carl@mueller.example", "role": "buyer", "password": PASSWORD }))).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(p["errors"][0]["code"], "not_allowed");
    // Not before accepting.
    problem(Client::new().post(t.url("/api/v1/auth/login")).json(&json!({ "email": "ben@mueller.example", "password": "" })).send().await.unwrap(), StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let mail = t.mail("ben@mueller.example", "invitation").await;
    assert!(mail["text"].as_str().unwrap().contains("Müller Antriebstechnik"), "{mail}");
    let token = mail["link"].as_str().unwrap().split("token=").nth(1).unwrap().to_string();
    let accept = |pw: &str| Client::new().post(t.url("/api/v1/auth/invitations/accept")).json(&json!({ "token": token, "password": pw })).send();
    let weak = problem(accept("short").await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(weak["errors"][0]["code"], "weak_password");
    assert!(weak["errors"][0]["message"].as_str().unwrap().contains("10"), "{weak}");
    ok(accept(PASSWORD).await.unwrap(), StatusCode::OK).await;
    problem(accept(PASSWORD).await.unwrap(), StatusCode::CONFLICT, "link_used").await;
    let ben = t.login("ben@mueller.example").await;
    assert_eq!(ben["user"]["business_unit_id"], unit["id"]);
    assert_eq!(ben["user"]["email_verified"], true);

    // The last admin cannot be demoted or disabled.
    let anna_id = me["user"]["id"].as_str().unwrap();
    problem(call(&t, Method::PATCH, &format!("/api/v1/company/users/{anna_id}"), &anna, Some(json!({ "roles": ["buyer"] }))).await, StatusCode::CONFLICT, "last_admin").await;
    problem(call(&t, Method::PATCH, &format!("/api/v1/company/users/{anna_id}"), &anna, Some(json!({ "active": false }))).await, StatusCode::CONFLICT, "last_admin").await;
});

db_test!(async fn an_expired_invitation_says_so(db) {
    let mut short = crate::test_settings();
    short.mail.invitation_ttl = time::Duration::seconds(-1);
    let t = TestApp::start_full(db, short, Default::default(), |r| r).await;
    let staff = staff_admin(&t).await;
    let a = company(&t, &staff, "alpha", "DE136695976").await;
    ok(call(&t, Method::POST, "/api/v1/company/users", &a.admin, Some(json!({ "email": "dora@alpha.example", "role": "viewer" }))).await, StatusCode::CREATED).await;
    let mail = t.mail("dora@alpha.example", "invitation").await;
    let token = mail["link"].as_str().unwrap().split("token=").nth(1).unwrap();
    let p = problem(Client::new().post(t.url("/api/v1/auth/invitations/accept")).json(&json!({ "token": token, "password": PASSWORD })).send().await.unwrap(), StatusCode::CONFLICT, "link_expired").await;
    assert!(p["detail"].as_str().unwrap().contains("expired"), "{p}");
});

db_test!(async fn password_reset_ends_old_sessions(db) {
    let t = TestApp::start(db).await;
    let staff = staff_admin(&t).await;
    let a = company(&t, &staff, "alpha", "DE136695976").await;
    // Unknown addresses get the same answer and no mail.
    let ask = |email: &str| Client::new().post(t.url("/api/v1/auth/password-reset")).json(&json!({ "email": email })).send();
    assert_eq!(ask("nobody@nowhere.example").await.unwrap().status(), StatusCode::ACCEPTED);
    assert_eq!(ask("Buyer@Alpha.example").await.unwrap().status(), StatusCode::ACCEPTED);
    let mail = t.mail("buyer@alpha.example", "password_reset").await;
    assert!(t.mails("nobody@nowhere.example").is_empty());
    let token = mail["link"].as_str().unwrap().split("token=").nth(1).unwrap();
    let new_password = "a much longer new passphrase";
    ok(Client::new().post(t.url("/api/v1/auth/password-reset/confirm")).json(&json!({ "token": token, "password": new_password })).send().await.unwrap(), StatusCode::OK).await;
    // The sign-in token from before the reset is dead; the new password works.
    problem(call(&t, Method::GET, "/api/v1/me", &a.buyer, None).await, StatusCode::UNAUTHORIZED, "invalid_token").await;
    let res = Client::new().post(t.url("/api/v1/auth/login")).json(&json!({ "email": "buyer@alpha.example", "password": new_password })).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
});

db_test!(async fn sales_reps_see_their_companies_and_act_for_buyers(db) {
    let t = TestApp::start(db).await;
    let staff = staff_admin(&t).await;
    let a = company(&t, &staff, "alpha", "DE136695976").await;
    let b = company(&t, &staff, "bravo", "FR40303265045").await;
    t.staff("rep@seller.example", "sales_rep").await;
    t.staff("catalog@seller.example", "catalog").await;
    let rep_login = t.login("rep@seller.example").await;
    let rep = rep_login["token"].as_str().unwrap().to_string();
    let rep_id = rep_login["user"]["id"].as_str().unwrap().to_string();
    let cat = t.login("catalog@seller.example").await["token"].as_str().unwrap().to_string();

    // Unassigned: nothing to see.
    let list = ok(call(&t, Method::GET, "/api/v1/admin/companies", &rep, None).await, StatusCode::OK).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
    problem(call(&t, Method::GET, &format!("/api/v1/admin/companies/{}", a.id), &rep, None).await, StatusCode::NOT_FOUND, "not_found").await;
    problem(call(&t, Method::GET, "/api/v1/admin/companies", &cat, None).await, StatusCode::FORBIDDEN, "forbidden").await;
    // Only staff admins assign.
    problem(call(&t, Method::POST, &format!("/api/v1/admin/companies/{}/sales-reps", a.id), &rep, Some(json!({ "user_id": rep_id }))).await, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(call(&t, Method::POST, &format!("/api/v1/admin/companies/{}/sales-reps", a.id), &staff, Some(json!({ "user_id": rep_id }))).await.status(), StatusCode::NO_CONTENT);
    let list = ok(call(&t, Method::GET, "/api/v1/admin/companies", &rep, None).await, StatusCode::OK).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["id"], a.id.as_str());
    ok(call(&t, Method::GET, &format!("/api/v1/admin/companies/{}/users", a.id), &rep, None).await, StatusCode::OK).await;
    problem(call(&t, Method::GET, &format!("/api/v1/admin/companies/{}/users", b.id), &rep, None).await, StatusCode::NOT_FOUND, "not_found").await;
    // A rep's new company is theirs.
    let c = ok(call(&t, Method::POST, "/api/v1/admin/companies", &rep, Some(json!({ "name": "Charlie SARL", "country": "FR" }))).await, StatusCode::CREATED).await;
    assert_eq!(ok(call(&t, Method::GET, "/api/v1/admin/companies", &rep, None).await, StatusCode::OK).await["items"].as_array().unwrap().len(), 2);
    assert_eq!(c["country"], "FR");

    // Acting for a buyer of an assigned company, in a browser session.
    let browser = Client::builder().cookie_store(true).build().unwrap();
    let login: Value = browser.post(t.url("/api/v1/auth/login")).json(&json!({ "email": "rep@seller.example", "password": PASSWORD })).send().await.unwrap().json().await.unwrap();
    let csrf = login["csrf_token"].as_str().unwrap().to_string();
    let b_buyer = b.buyer_id.clone();
    problem(browser.post(t.url("/api/v1/admin/act-as")).header("x-csrf-token", &csrf).json(&json!({ "user_id": b_buyer })).send().await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;
    let res = browser.post(t.url("/api/v1/admin/act-as")).header("x-csrf-token", &csrf).json(&json!({ "user_id": a.buyer_id })).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let me: Value = browser.get(t.url("/api/v1/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["user"]["id"], a.buyer_id.as_str());
    assert_eq!(me["acting_staff"]["email"], "rep@seller.example");
    assert_eq!(me["company"]["id"], a.id.as_str());
    // With the buyer's rights: reads their company, not B's, and cannot reach the back office.
    assert_eq!(browser.get(t.url("/api/v1/company")).send().await.unwrap().status(), StatusCode::OK);
    problem(browser.get(t.url(&format!("/api/v1/company/addresses/{}", b.address))).send().await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;
    problem(browser.get(t.url("/api/v1/admin/companies")).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
    // The buyer may not write addresses; an admin of A may. Act for A's admin instead.
    let admin_id = ok(call(&t, Method::GET, "/api/v1/me", &a.admin, None).await, StatusCode::OK).await["user"]["id"].as_str().unwrap().to_string();
    assert_eq!(browser.delete(t.url("/api/v1/admin/act-as")).header("x-csrf-token", &csrf).send().await.unwrap().status(), StatusCode::NO_CONTENT);
    assert_eq!(browser.post(t.url("/api/v1/admin/act-as")).header("x-csrf-token", &csrf).json(&json!({ "user_id": admin_id })).send().await.unwrap().status(), StatusCode::OK);
    let res = browser.post(t.url("/api/v1/company/addresses")).header("x-csrf-token", &csrf).json(&json!({ "recipient": "Site B", "line1": "Rue 1", "city": "Lyon", "postal_code": "69001", "country": "FR" })).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let address: Value = res.json().await.unwrap();
    // The audit log names both.
    let log = ok(call(&t, Method::GET, "/api/v1/admin/audit-log?limit=20", &staff, None).await, StatusCode::OK).await;
    let entry = log["items"].as_array().unwrap().iter().find(|e| e["action"] == "address.create" && e["subject_id"] == address["id"]).unwrap().clone();
    assert_eq!(entry["actor_user_id"], rep_id.as_str());
    assert_eq!(entry["on_behalf_of_user_id"], admin_id.as_str());
    // Unassigned, the acting ends at once.
    assert_eq!(call(&t, Method::DELETE, &format!("/api/v1/admin/companies/{}/sales-reps/{rep_id}", a.id), &staff, None).await.status(), StatusCode::NO_CONTENT);
    let me: Value = browser.get(t.url("/api/v1/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["user"]["id"], rep_id.as_str());
    assert!(me["acting_staff"].is_null());
});

db_test!(async fn company_input_is_checked_with_clear_messages(db) {
    let t = TestApp::start(db).await;
    let staff = staff_admin(&t).await;
    let a = company(&t, &staff, "alpha", "DE136695976").await;

    // Malformed VAT numbers, by country.
    let p = problem(call(&t, Method::POST, "/api/v1/admin/companies", &staff, Some(json!({ "name": "X", "vat_number": "DE12345", "country": "DE" }))).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "vat_number");
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("9 digits"), "{p}");
    let p = problem(call(&t, Method::POST, "/api/v1/admin/companies", &staff, Some(json!({ "name": "X", "vat_number": "DE136695977", "country": "DE" }))).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("check digit"), "{p}");
    let p = problem(call(&t, Method::POST, "/api/v1/admin/companies", &staff, Some(json!({ "name": "", "country": "XX", "market": "mars", "tier": "a b" }))).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    for f in ["name", "market", "country", "tier"] {
        assert!(fields.contains(&f), "{f} in {p}");
    }
    // A company cannot be its own grandparent.
    let child = ok(call(&t, Method::POST, "/api/v1/admin/companies", &staff, Some(json!({ "name": "Alpha Süd", "parent_company_id": a.id }))).await, StatusCode::CREATED).await;
    let p = problem(call(&t, Method::PATCH, &format!("/api/v1/admin/companies/{}", a.id), &staff, Some(json!({ "parent_company_id": child["id"] }))).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(p["errors"][0]["code"], "cycle");

    // Duplicate e-mails, whatever the case.
    problem(call(&t, Method::POST, "/api/v1/company/users", &a.admin, Some(json!({ "email": "BUYER@alpha.example", "role": "buyer" }))).await, StatusCode::CONFLICT, "email_taken").await;
    let reg = json!({ "company_name": "Copy", "email": "Admin@Alpha.Example", "name": "A", "password": PASSWORD, "country": "DE" });
    problem(Client::new().post(t.url("/api/v1/register")).json(&reg).send().await.unwrap(), StatusCode::CONFLICT, "email_taken").await;
    // Unknown roles name the known ones.
    let p = problem(call(&t, Method::POST, "/api/v1/company/users", &a.admin, Some(json!({ "email": "x@alpha.example", "role": "owner" }))).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("approver"), "{p}");
    // Addresses report every wrong field.
    let p = problem(call(&t, Method::POST, "/api/v1/company/addresses", &a.admin, Some(json!({ "recipient": "", "line1": "x", "city": "x", "postal_code": "1", "country": "UK" }))).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["recipient", "country"]);
    assert!(p["errors"][1]["message"].as_str().unwrap().contains("GB"), "{p}");
    // A weak password at registration says why.
    let reg = json!({ "company_name": "New AG", "email": "new@new.example", "name": "N", "password": "New@New.example", "country": "DE" });
    let p = problem(Client::new().post(t.url("/api/v1/register")).json(&reg).send().await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(p["errors"][0]["code"], "weak_password");
    // Ids that are not ids are simply not found.
    problem(call(&t, Method::GET, "/api/v1/company/addresses/not-a-uuid", &a.admin, None).await, StatusCode::NOT_FOUND, "not_found").await;

    // Too many wrong passwords: 429, and the owner is told once.
    for _ in 0..5 {
        let res = Client::new().post(t.url("/api/v1/auth/login")).json(&json!({ "email": "viewer@alpha.example", "password": "wrong wrong wrong" })).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let res = Client::new().post(t.url("/api/v1/auth/login")).json(&json!({ "email": "viewer@alpha.example", "password": PASSWORD })).send().await.unwrap();
    problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    let notice = t.mail("viewer@alpha.example", "lockout").await;
    assert!(notice["text"].as_str().unwrap().contains("15 minutes"), "{notice}");
    assert_eq!(t.mails("viewer@alpha.example").len(), 1);
});

db_test!(async fn two_company_admins_demoted_at_once_leave_one(db) {
    // Each request sees the other admin left over; the lock on the
    // company's members makes the second wait for the first and count
    // what it left, so one of them is refused.
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings { media_dir: Some(dir.path().to_path_buf()), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    let (staff, _buyer, company) = crate::orders::shop(&t).await;
    let cid = company["id"].as_str().unwrap().to_string();
    let users = format!("/api/v1/admin/companies/{cid}/users");
    let mut admins = Vec::new();
    for email in ["a1@jia.example", "a2@jia.example"] {
        let u = ok(call(&t, Method::POST, &users, &staff, Some(json!({ "email": email, "name": "Admin", "roles": ["admin"], "password": PASSWORD }))).await, StatusCode::CREATED).await;
        admins.push(u["id"].as_str().unwrap().to_string());
    }
    // Only those two are admins.
    let list = ok(call(&t, Method::GET, &users, &staff, None).await, StatusCode::OK).await;
    let list = list.as_array().or_else(|| list["items"].as_array()).unwrap().clone();
    for u in list {
        let id = u["id"].as_str().unwrap();
        if !admins.iter().any(|a| a == id) && u["roles"].as_array().unwrap().contains(&json!("admin")) {
            ok(call(&t, Method::PATCH, &format!("{users}/{id}"), &staff, Some(json!({ "roles": ["buyer"] }))).await, StatusCode::OK).await;
        }
    }
    for round in 0..5 {
        let (pa, pb) = (format!("{users}/{}", admins[0]), format!("{users}/{}", admins[1]));
        let body = || Some(json!({ "roles": ["buyer"] }));
        let (ra, rb) = tokio::join!(call(&t, Method::PATCH, &pa, &staff, body()), call(&t, Method::PATCH, &pb, &staff, body()));
        let statuses = [ra.status(), rb.status()];
        assert!(statuses.contains(&StatusCode::OK) && statuses.contains(&StatusCode::CONFLICT), "round {round}: exactly one wins: {statuses:?}");
        let (refused, demoted) = if ra.status() == StatusCode::OK { (rb, &admins[0]) } else { (ra, &admins[1]) };
        problem(refused, StatusCode::CONFLICT, "last_admin").await;
        // The demoted one is made admin again for the next round.
        ok(call(&t, Method::PATCH, &format!("{users}/{demoted}"), &staff, Some(json!({ "roles": ["admin"] }))).await, StatusCode::OK).await;
    }
});
