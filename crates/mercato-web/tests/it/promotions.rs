//! Promotions over HTTP on both databases: staff create every kind of
//! action, bad definitions are refused at entry with every reason, buyers
//! are kept out, and a promotion an order used is kept with its count.

use super::catalog::{CSV, setup, upload};
use super::companies::{call, ok};
use super::{PASSWORD, TestApp, problem};
use mercato_testkit::db_test;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const PATH: &str = "/api/v1/admin/promotions";

fn at(id: &Value) -> String {
    format!("{PATH}/{}", id.as_str().unwrap())
}

async fn staff_token(t: &TestApp, email: &str, role: &str) -> String {
    t.staff(email, role).await;
    t.login(email).await["token"].as_str().unwrap().to_string()
}

async fn buyer_of(t: &TestApp, staff: &str, company: &Value, email: &str) -> String {
    let path = format!(
        "/api/v1/admin/companies/{}/users",
        company["id"].as_str().unwrap()
    );
    ok(
        call(
            t,
            Method::POST,
            &path,
            staff,
            Some(json!({ "email": email, "role": "admin", "password": PASSWORD })),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    t.login(email).await["token"].as_str().unwrap().to_string()
}

/// A valid body to vary: 10 % off every line, for the `cn` market.
fn body(name: &str, action: Value) -> Value {
    json!({ "name": name, "currency": "CNY", "market": "cn", "stacking": "stackable", "action": action })
}

fn with(mut b: Value, key: &str, value: Value) -> Value {
    b[key] = value;
    b
}

/// The `(field, code)` of every error of a 422.
async fn refused(
    t: &TestApp,
    staff: &str,
    method: Method,
    path: &str,
    b: Value,
) -> Vec<(String, String)> {
    let p = problem(
        call(t, method, path, staff, Some(b)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_string(),
                e["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pair(field: &str, code: &str) -> (String, String) {
    (field.to_string(), code.to_string())
}

db_test!(async fn staff_create_update_list_and_delete_promotions_of_every_kind(db) {
    let t = TestApp::start(db).await;
    let staff = staff_token(&t, "admin@seller.example", "admin").await;
    setup(&t, &staff).await;
    let all = json!({ "kind": "all" });
    let kinds = [
        json!({ "kind": "percent_off_lines", "scope": { "kind": "categories", "value": ["bolts"] }, "percent": "12.5" }),
        json!({ "kind": "fixed_off_each_unit", "scope": { "kind": "brands", "value": ["Norsteel"] }, "amount": "0.1234" }),
        json!({ "kind": "percent_off_order", "percent": "5" }),
        json!({ "kind": "fixed_off_order", "amount": "50" }),
        json!({ "kind": "tiered_percent", "scope": all, "tiers": [{ "min_quantity": "10", "percent": "5" }, { "min_quantity": "100", "percent": "8" }] }),
        json!({ "kind": "buy_x_get_y", "scope": { "kind": "skus", "value": ["HB-M8X20"] }, "buy": "3", "get": "1" }),
        json!({ "kind": "free_shipping" }),
    ];
    let mut created = Vec::new();
    for (i, action) in kinds.iter().enumerate() {
        let b = with(body(&format!("Promo {i}"), action.clone()), "priority", json!(i));
        let p = ok(call(&t, Method::POST, PATH, &staff, Some(b)).await, StatusCode::CREATED).await;
        assert_eq!(&p["action"], action, "the action comes back as entered: {p}");
        assert_eq!((p["currency"].as_str(), p["market"].as_str(), p["stacking"].as_str(), p["active"].as_bool()), (Some("CNY"), Some("cn"), Some("stackable"), Some(true)), "{p}");
        assert_eq!(p["conditions"], json!([]));
        assert!(p["coupon_code"].is_null() && p["valid_from"].is_null() && p["usage_limit"].is_null());
        created.push(p);
    }
    // Everything optional, filled in: a first-order coupon for OEM buyers,
    // in every market trading in CNY.
    let full = json!({
        "name": "Welcome", "currency": "cny", "priority": 100, "stacking": "exclusive", "coupon_code": " welcome-10 ",
        "valid_from": "2026-12-01T00:00:00Z", "valid_to": "2027-01-01T00:00:00+08:00", "usage_limit": 500, "per_company_limit": 1,
        "conditions": [
            { "kind": "min_subtotal", "amount": "500" },
            { "kind": "min_quantity", "scope": { "kind": "categories", "value": ["fasteners"] }, "quantity": "10" },
            { "kind": "customer_group", "groups": ["oem"] },
            { "kind": "first_order" },
        ],
        "action": { "kind": "percent_off_order", "percent": "10" }, "active": false,
    });
    let welcome = ok(call(&t, Method::POST, PATH, &staff, Some(full.clone())).await, StatusCode::CREATED).await;
    assert_eq!((welcome["coupon_code"].as_str(), welcome["currency"].as_str(), welcome["stacking"].as_str()), (Some("WELCOME-10"), Some("CNY"), Some("exclusive")), "{welcome}");
    assert!(welcome["market"].is_null());
    assert_eq!((welcome["valid_from"].as_str(), welcome["valid_to"].as_str()), (Some("2026-12-01T00:00:00Z"), Some("2026-12-31T16:00:00Z")));
    assert_eq!((welcome["usage_limit"].as_u64(), welcome["per_company_limit"].as_u64(), welcome["active"].as_bool()), (Some(500), Some(1), Some(false)));
    assert_eq!(welcome["conditions"], full["conditions"]);

    // The list, in the order carts consider them: higher priority first.
    let list = ok(call(&t, Method::GET, PATH, &staff, None).await, StatusCode::OK).await;
    let names: Vec<&str> = list["items"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Welcome", "Promo 6", "Promo 5", "Promo 4", "Promo 3", "Promo 2", "Promo 1", "Promo 0"]);
    let got = ok(call(&t, Method::GET, &at(&welcome["id"]), &staff, None).await, StatusCode::OK).await;
    assert_eq!(got, welcome);

    // Update replaces the definition; the coupon may stay its own, in any case.
    let changed = with(with(with(full.clone(), "name", json!("Welcome back")), "coupon_code", json!("Welcome-10")), "active", json!(true));
    let updated = ok(call(&t, Method::PUT, &at(&welcome["id"]), &staff, Some(changed)).await, StatusCode::OK).await;
    assert_eq!((updated["name"].as_str(), updated["coupon_code"].as_str(), updated["active"].as_bool()), (Some("Welcome back"), Some("WELCOME-10"), Some(true)), "{updated}");
    assert_eq!(updated["created_at"], welcome["created_at"]);
    assert_ne!(updated["updated_at"], welcome["updated_at"]);
    assert_eq!(ok(call(&t, Method::GET, &at(&welcome["id"]), &staff, None).await, StatusCode::OK).await, updated);
    // The whole definition is replaced: left-out optionals are cleared.
    let bare = body("Bare", json!({ "kind": "free_shipping" }));
    let cleared = ok(call(&t, Method::PUT, &at(&welcome["id"]), &staff, Some(bare.clone())).await, StatusCode::OK).await;
    assert!(cleared["coupon_code"].is_null() && cleared["usage_limit"].is_null() && cleared["valid_to"].is_null(), "{cleared}");
    assert_eq!((cleared["priority"].as_i64(), cleared["conditions"].clone()), (Some(0), json!([])));

    // Delete; then it is gone.
    assert_eq!(call(&t, Method::DELETE, &at(&created[0]["id"]), &staff, None).await.status(), StatusCode::NO_CONTENT);
    problem(call(&t, Method::GET, &at(&created[0]["id"]), &staff, None).await, StatusCode::NOT_FOUND, "not_found").await;
    problem(call(&t, Method::DELETE, &at(&created[0]["id"]), &staff, None).await, StatusCode::NOT_FOUND, "not_found").await;
    problem(call(&t, Method::PUT, &at(&created[0]["id"]), &staff, Some(bare.clone())).await, StatusCode::NOT_FOUND, "not_found").await;
    problem(call(&t, Method::GET, &format!("{PATH}/not-a-uuid"), &staff, None).await, StatusCode::NOT_FOUND, "not_found").await;
    let list = ok(call(&t, Method::GET, PATH, &staff, None).await, StatusCode::OK).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 7);

    // Each change is in the audit log.
    let audit = ok(call(&t, Method::GET, "/api/v1/admin/audit-log?limit=20", &staff, None).await, StatusCode::OK).await;
    let actions: Vec<&str> = audit["items"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).filter(|a| a.starts_with("promotion.")).collect();
    assert_eq!(&actions[..3], ["promotion.delete", "promotion.update", "promotion.update"], "{actions:?}");
    assert_eq!(actions.iter().filter(|a| **a == "promotion.create").count(), 8);

    // Buyers, and staff without `manage_prices`, are refused.
    let company = ok(call(&t, Method::POST, "/api/v1/admin/companies", &staff, Some(json!({ "name": "甲公司", "market": "cn" }))).await, StatusCode::CREATED).await;
    let buyer = buyer_of(&t, &staff, &company, "buyer@a.example").await;
    let warehouse = staff_token(&t, "stock@seller.example", "warehouse").await;
    for token in [&buyer, &warehouse] {
        problem(call(&t, Method::POST, PATH, token, Some(bare.clone())).await, StatusCode::FORBIDDEN, "forbidden").await;
        problem(call(&t, Method::GET, PATH, token, None).await, StatusCode::FORBIDDEN, "forbidden").await;
        problem(call(&t, Method::GET, &at(&welcome["id"]), token, None).await, StatusCode::FORBIDDEN, "forbidden").await;
        problem(call(&t, Method::PUT, &at(&welcome["id"]), token, Some(bare.clone())).await, StatusCode::FORBIDDEN, "forbidden").await;
        problem(call(&t, Method::DELETE, &at(&welcome["id"]), token, None).await, StatusCode::FORBIDDEN, "forbidden").await;
    }
});

db_test!(async fn bad_promotions_are_refused_at_entry_with_every_reason(db) {
    let t = TestApp::start(db).await;
    let staff = staff_token(&t, "admin@seller.example", "admin").await;
    setup(&t, &staff).await;
    ok(call(&t, Method::PUT, "/api/v1/admin/markets/eu", &staff, Some(json!({ "name": {"en": "Europe"}, "currency": "EUR", "languages": ["en"], "countries": ["DE"], "time_zone": "Europe/Berlin", "roadmap_step": 3 }))).await, StatusCode::OK).await;
    let pct = |p: &str| body("Bad", json!({ "kind": "percent_off_lines", "scope": { "kind": "all" }, "percent": p }));
    let off = |a: &str| body("Bad", json!({ "kind": "fixed_off_order", "amount": a }));
    let post = |b: Value| refused(&t, &staff, Method::POST, PATH, b);

    assert_eq!(post(pct("0")).await, [pair("action.percent", "invalid_percent")]);
    assert_eq!(post(pct("150")).await, [pair("action.percent", "invalid_percent")]);
    assert_eq!(post(off("-5")).await, [pair("action.amount", "non_positive_amount")]);
    assert_eq!(post(off("1.12345")).await, [pair("action.amount", "too_many_decimals")]);
    // An order discount must be payable: whole fen.
    assert_eq!(post(off("0.005")).await, [pair("action.amount", "not_whole_minor_units")]);
    let tiers = body("Bad", json!({ "kind": "tiered_percent", "scope": { "kind": "all" }, "tiers": [{ "min_quantity": "10", "percent": "5" }, { "min_quantity": "10", "percent": "8" }] }));
    assert_eq!(post(tiers).await, [pair("action.tiers[1].min_quantity", "overlapping_tiers")]);
    let window = with(with(pct("10"), "valid_from", json!("2027-01-01T00:00:00Z")), "valid_to", json!("2027-01-01T00:00:00Z"));
    assert_eq!(post(window).await, [pair("valid_to", "empty_window")]);
    assert_eq!(post(with(pct("10"), "market", json!("mars"))).await, [pair("market", "unknown_market")]);
    assert_eq!(post(with(pct("10"), "market", json!("eu"))).await, [pair("currency", "currency_mismatch")]);
    assert_eq!(post(with(pct("10"), "currency", json!("XYZ"))).await, [pair("currency", "invalid_currency")]);
    let scoped = body("Bad", json!({ "kind": "buy_x_get_y", "scope": { "kind": "skus", "value": [] }, "buy": "2.5", "get": "1" }));
    assert_eq!(post(scoped).await, [pair("action.scope", "empty_list"), pair("action.buy", "not_a_whole_count")]);
    let condition = with(pct("10"), "conditions", json!([{ "kind": "first_order" }, { "kind": "min_subtotal", "amount": "0" }]));
    assert_eq!(post(condition).await, [pair("conditions[1].amount", "non_positive_amount")]);

    // Coupon codes are unique whatever the case.
    let first = ok(call(&t, Method::POST, PATH, &staff, Some(with(pct("10"), "coupon_code", json!("Spring-26")))).await, StatusCode::CREATED).await;
    assert_eq!(first["coupon_code"], "SPRING-26");
    assert_eq!(post(with(pct("5"), "coupon_code", json!("spring-26"))).await, [pair("coupon_code", "coupon_taken")]);
    let other = ok(call(&t, Method::POST, PATH, &staff, Some(with(pct("5"), "coupon_code", json!("SUMMER")))).await, StatusCode::CREATED).await;
    assert_eq!(refused(&t, &staff, Method::PUT, &at(&other["id"]), with(pct("5"), "coupon_code", json!("SPRING-26"))).await, [pair("coupon_code", "coupon_taken")]);
    // A refused change leaves the promotion as it was.
    let kept = ok(call(&t, Method::GET, &at(&other["id"]), &staff, None).await, StatusCode::OK).await;
    assert_eq!(kept["coupon_code"], "SUMMER");
    assert_eq!(post(with(pct("5"), "coupon_code", json!("no spaces"))).await, [pair("coupon_code", "invalid_coupon_code")]);

    // Everything at once, so a form can show it all.
    let mut many = with(with(pct("0"), "name", json!("  ")), "currency", json!("EUR"));
    many["usage_limit"] = json!(0);
    many["coupon_code"] = json!("spring-26");
    many["valid_from"] = json!("2027-01-02T00:00:00Z");
    many["valid_to"] = json!("2027-01-01T00:00:00Z");
    let all = post(many).await;
    for expected in [pair("name", "invalid_name"), pair("currency", "currency_mismatch"), pair("valid_to", "empty_window"), pair("usage_limit", "zero_limit"), pair("action.percent", "invalid_percent"), pair("coupon_code", "coupon_taken")] {
        assert!(all.contains(&expected), "{expected:?} missing from {all:?}");
    }
    assert_eq!(all.len(), 6, "{all:?}");

    // Shapes the core cannot read are refused before any rule: a float
    // percentage, an unknown action, a negative limit, an unknown stacking.
    for b in [
        body("Bad", json!({ "kind": "percent_off_order", "percent": 10.5 })),
        body("Bad", json!({ "kind": "half_price" })),
        with(pct("10"), "usage_limit", json!(-1)),
        with(pct("10"), "stacking", json!("sometimes")),
    ] {
        problem(call(&t, Method::POST, PATH, &staff, Some(b)).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body").await;
    }
    let list = ok(call(&t, Method::GET, PATH, &staff, None).await, StatusCode::OK).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 2, "nothing refused was stored");
});

db_test!(async fn unit_discounts_above_a_list_price_are_refused_and_used_promotions_are_kept(db) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings { media_dir: Some(dir.path().to_path_buf()), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    let staff = staff_token(&t, "admin@seller.example", "admin").await;
    setup(&t, &staff).await;
    let r = reqwest::Client::new().post(t.url("/api/v1/admin/imports")).bearer_auth(&staff).multipart(upload(CSV)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let list = ok(call(&t, Method::POST, "/api/v1/admin/price-lists", &staff, Some(json!({ "name": "List CN", "currency": "CNY", "market": "cn" }))).await, StatusCode::CREATED).await;
    let entry = format!("/api/v1/admin/price-lists/{}/entries/HB-M8X20", list["id"].as_str().unwrap());
    ok(call(&t, Method::PUT, &entry, &staff, Some(json!({ "tiers": [{ "min_quantity": "1", "unit_price": "1.20" }, { "min_quantity": "100", "unit_price": "0.95" }] }))).await, StatusCode::OK).await;
    // A list for another currency does not count.
    let usd = ok(call(&t, Method::POST, "/api/v1/admin/price-lists", &staff, Some(json!({ "name": "USD", "currency": "USD" }))).await, StatusCode::CREATED).await;
    ok(call(&t, Method::PUT, &format!("/api/v1/admin/price-lists/{}/entries/HB-M8X20", usd["id"].as_str().unwrap()), &staff, Some(json!({ "tiers": [{ "min_quantity": "1", "unit_price": "0.10" }] }))).await, StatusCode::OK).await;
    // An order placed before any promotion exists (so checkout counts no use).
    let company = ok(call(&t, Method::POST, "/api/v1/admin/companies", &staff, Some(json!({ "name": "甲公司", "market": "cn" }))).await, StatusCode::CREATED).await;
    let company_id = mercato_core::CompanyId(company["id"].as_str().unwrap().parse().unwrap());
    let buyer = buyer_of(&t, &staff, &company, "buyer@a.example").await;
    let order = place_order(&t, &staff, &buyer).await;
    let order_id: uuid::Uuid = order["id"].as_str().unwrap().parse().unwrap();

    // 1.00 off each unit is more than the volume price of 0.95.
    let unit = |amount: &str, scope: Value| body("Per unit", json!({ "kind": "fixed_off_each_unit", "scope": scope, "amount": amount }));
    let skus = json!({ "kind": "skus", "value": ["HB-M8X20", "HB-M8X30"] });
    let p = problem(call(&t, Method::POST, PATH, &staff, Some(unit("1.00", skus.clone()))).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!((p["errors"][0]["field"].as_str(), p["errors"][0]["code"].as_str()), (Some("action.amount"), Some("would_make_line_negative")), "{p}");
    let says = p["errors"][0]["message"].as_str().unwrap();
    assert!(says.contains("HB-M8X20") && says.contains("0.95"), "{says}");
    assert_eq!(p["errors"].as_array().unwrap().len(), 1, "HB-M8X30 has no list price: nothing to compare");
    // Down to the list price is fine (the unit becomes free), and so are
    // scopes the check cannot price cheaply.
    let fine = ok(call(&t, Method::POST, PATH, &staff, Some(unit("0.95", skus.clone()))).await, StatusCode::CREATED).await;
    ok(call(&t, Method::POST, PATH, &staff, Some(unit("5", json!({ "kind": "categories", "value": ["bolts"] })))).await, StatusCode::CREATED).await;
    // Raising it later is checked too.
    let p = problem(call(&t, Method::PUT, &at(&fine["id"]), &staff, Some(unit("1.50", skus))).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(p["errors"][0]["code"], "would_make_line_negative");

    // What a cart loads: active promotions of its currency and market,
    // automatic ones inside their window, coupon ones whatever their
    // window (so a code is refused with its reason).
    ok(call(&t, Method::PUT, "/api/v1/admin/markets/hk", &staff, Some(json!({ "name": {"en": "Hong Kong"}, "currency": "CNY", "languages": ["en"], "countries": ["HK"], "time_zone": "Asia/Hong_Kong", "roadmap_step": 3 }))).await, StatusCode::OK).await;
    let free = |name: &str| body(name, json!({ "kind": "free_shipping" }));
    let mut ids = std::collections::BTreeMap::new();
    for (name, b) in [
        ("open", free("open")),
        ("every market", with(free("every market"), "market", Value::Null)),
        ("other market", with(free("other market"), "market", json!("hk"))),
        ("inactive", with(free("inactive"), "active", json!(false))),
        ("ended", with(free("ended"), "valid_to", json!("2020-01-01T00:00:00Z"))),
        ("not yet", with(free("not yet"), "valid_from", json!("2999-01-01T00:00:00Z"))),
        ("ended coupon", with(with(free("ended coupon"), "valid_to", json!("2020-01-01T00:00:00Z")), "coupon_code", json!("OLD"))),
        ("euro", with(with(free("euro"), "market", Value::Null), "currency", json!("EUR"))),
    ] {
        let p = ok(call(&t, Method::POST, PATH, &staff, Some(b)).await, StatusCode::CREATED).await;
        ids.insert(name, p["id"].as_str().unwrap().parse::<uuid::Uuid>().unwrap());
    }
    let cny = mercato_core::money::Currency::parse("CNY").unwrap();
    let now = time::OffsetDateTime::now_utc();
    let (promos, usage) = mercato_app::promotions::for_cart(&t.app, cny, "cn", company_id, now).await.unwrap();
    let seen: Vec<&str> = promos.iter().filter_map(|p| ids.iter().find(|(_, id)| **id == p.id).map(|(n, _)| *n)).collect();
    let mut sorted = seen.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, ["ended coupon", "every market", "open"], "{seen:?}");
    assert_eq!(promos.len(), 5, "with the two per-unit promotions");
    assert!(usage.is_empty());

    // Counting a use of "open" for that order: in all and for its company, kept on delete.
    let open = ids["open"];
    let mut tx = t.app.db().begin().await.unwrap();
    let before = mercato_store::promotions::usage_in(&mut tx, open, company_id).await.unwrap();
    assert_eq!((before.total, before.by_company), (0, 0));
    mercato_store::promotions::record_usage(&mut tx, open, order_id, company_id, mercato_store::Timestamp::now()).await.unwrap();
    let after = mercato_store::promotions::usage_in(&mut tx, open, company_id).await.unwrap();
    assert_eq!((after.total, after.by_company), (1, 1));
    let twice = mercato_store::promotions::record_usage(&mut tx, open, order_id, company_id, mercato_store::Timestamp::now()).await;
    assert!(matches!(twice, Err(mercato_store::StoreError::Conflict { .. })), "{twice:?}");
    tx.rollback().await.unwrap();
    let mut tx = t.app.db().begin().await.unwrap();
    mercato_store::promotions::record_usage(&mut tx, open, order_id, company_id, mercato_store::Timestamp::now()).await.unwrap();
    tx.commit().await.unwrap();
    let (_, usage) = mercato_app::promotions::for_cart(&t.app, cny, "cn", company_id, now).await.unwrap();
    assert_eq!((usage.len(), usage[&open].total, usage[&open].by_company), (1, 1, 1));
    let other = mercato_core::CompanyId(uuid::Uuid::now_v7());
    let (_, usage) = mercato_app::promotions::for_cart(&t.app, cny, "cn", other, now).await.unwrap();
    assert_eq!((usage[&open].total, usage[&open].by_company), (1, 0));

    // Two orders cannot both take the last use: the second one's re-check
    // waits until the first commits, then sees its use.
    let every = ids["every market"];
    let mut first = t.app.db().begin().await.unwrap();
    assert_eq!(mercato_store::promotions::usage_in(&mut first, every, company_id).await.unwrap().total, 0);
    let db = t.app.db().clone();
    let second = tokio::spawn(async move {
        let mut tx = db.begin().await.unwrap();
        let seen = mercato_store::promotions::usage_in(&mut tx, every, company_id).await.unwrap();
        tx.rollback().await.unwrap();
        seen
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!second.is_finished(), "the second re-check waits for the first order");
    mercato_store::promotions::record_usage(&mut first, every, order_id, company_id, mercato_store::Timestamp::now()).await.unwrap();
    first.commit().await.unwrap();
    let seen = second.await.unwrap();
    assert_eq!((seen.total, seen.by_company), (1, 1));

    let path = format!("{PATH}/{open}");
    problem(call(&t, Method::DELETE, &path, &staff, None).await, StatusCode::CONFLICT, "promotion_in_use").await;
    let kept = ok(call(&t, Method::PUT, &path, &staff, Some(with(free("open"), "active", json!(false)))).await, StatusCode::OK).await;
    assert_eq!(kept["active"], false, "deactivating is the way out");
    let (promos, _) = mercato_app::promotions::for_cart(&t.app, cny, "cn", company_id, now).await.unwrap();
    assert!(promos.iter().all(|p| p.id != open));
});

/// One order by `buyer` (a company admin), paid on delivery and picked
/// up: what usage needs to point at.
async fn place_order(t: &TestApp, staff: &str, buyer: &str) -> Value {
    ok(
        call(
            t,
            Method::PUT,
            "/api/v1/admin/stock/HB-M8X20",
            staff,
            Some(json!({ "on_hand": "100" })),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    ok(call(t, Method::PUT, "/api/v1/admin/shipping-methods/pickup", staff, Some(json!({ "name": { "en": "Pickup" }, "currency": "CNY", "terms": { "rate": { "kind": "pickup" } } }))).await, StatusCode::OK).await;
    ok(call(t, Method::POST, "/api/v1/company/addresses", buyer, Some(json!({ "recipient": "王工", "line1": "张江路 100 号", "city": "上海", "postal_code": "201203", "country": "CN" }))).await, StatusCode::CREATED).await;
    let res = call(t, Method::POST, "/api/v1/carts", buyer, Some(json!({}))).await;
    assert!(res.status().is_success());
    let cart: Value = res.json().await.unwrap();
    ok(
        call(
            t,
            Method::POST,
            &format!("/api/v1/carts/{}/lines", cart["id"].as_str().unwrap()),
            buyer,
            Some(json!({ "sku": "HB-M8X20", "quantity": "2" })),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let order = json!({ "cart_id": cart["id"], "shipping_method": "pickup", "payment": { "method": "cash_on_delivery" } });
    ok(
        call(t, Method::POST, "/api/v1/orders", buyer, Some(order)).await,
        StatusCode::CREATED,
    )
    .await
}
