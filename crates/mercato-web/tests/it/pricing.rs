//! Prices over HTTP: two companies see different, explainable prices for
//! the same SKUs; bad tier tables are refused at entry.

use super::catalog::{CSV, setup, upload};
use super::companies::{call, ok};
use super::{PASSWORD, TestApp, problem};
use mercato_testkit::db_test;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn buyer(t: &TestApp, staff: &str, company: &Value, email: &str) -> String {
    let id = company["id"].as_str().unwrap();
    ok(
        call(
            t,
            Method::POST,
            &format!("/api/v1/admin/companies/{id}/users"),
            staff,
            Some(json!({ "email": email, "role": "buyer", "password": PASSWORD })),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    t.login(email).await["token"].as_str().unwrap().to_string()
}

fn line<'a>(q: &'a Value, sku: &str) -> &'a Value {
    q["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["sku"] == sku)
        .unwrap()
}

db_test!(async fn two_companies_see_different_explained_prices(db) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings { media_dir: Some(dir.path().to_path_buf()), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    t.staff("admin@seller.example", "admin").await;
    let staff = t.login("admin@seller.example").await["token"].as_str().unwrap().to_string();
    setup(&t, &staff).await;
    let r = reqwest::Client::new().post(t.url("/api/v1/admin/imports")).bearer_auth(&staff).multipart(upload(CSV)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    ok(call(&t, Method::POST, "/api/v1/admin/customer-groups", &staff, Some(json!({ "code": "oem", "name": "OEM" }))).await, StatusCode::CREATED).await;
    let a = ok(call(&t, Method::POST, "/api/v1/admin/companies", &staff, Some(json!({ "name": "甲公司", "market": "cn", "customer_group": "oem", "tier": "gold" }))).await, StatusCode::CREATED).await;
    let b = ok(call(&t, Method::POST, "/api/v1/admin/companies", &staff, Some(json!({ "name": "乙公司", "market": "cn" }))).await, StatusCode::CREATED).await;
    let buyer_a = buyer(&t, &staff, &a, "a@buyer.example").await;
    let buyer_b = buyer(&t, &staff, &b, "b@buyer.example").await;

    let list = |body: Value| { let t = &t; let staff = staff.clone(); async move { ok(call(t, Method::POST, "/api/v1/admin/price-lists", &staff, Some(body)).await, StatusCode::CREATED).await } };
    let entry = |id: &Value, sku: &str, tiers: Value| {
        let path = format!("/api/v1/admin/price-lists/{}/entries/{sku}", id.as_str().unwrap());
        let (t, staff) = (&t, staff.clone());
        async move { call(t, Method::PUT, &path, &staff, Some(json!({ "tiers": tiers }))).await }
    };
    let list_price = list(json!({ "name": "List price CN", "currency": "CNY", "market": "cn" })).await;
    ok(entry(&list_price["id"], "HB-M8X20", json!([{ "min_quantity": "1", "unit_price": "1.20" }, { "min_quantity": "100", "unit_price": "0.95" }])).await, StatusCode::OK).await;
    let oem = list(json!({ "name": "OEM", "currency": "CNY", "market": "cn", "customer_group": "oem" })).await;
    assert_eq!(oem["audience"], "group oem");
    ok(entry(&oem["id"], "HB-M8X20", json!([{ "min_quantity": "1", "unit_price": "1.10" }])).await, StatusCode::OK).await;
    let contract = list(json!({ "name": "甲 contract 2026", "currency": "CNY", "company_id": a["id"] })).await;
    ok(entry(&contract["id"], "HB-M8X20", json!([{ "min_quantity": "1", "unit_price": "0.99" }])).await, StatusCode::OK).await;
    let contract_b = list(json!({ "name": "乙 contract", "currency": "CNY", "company_id": b["id"] })).await;
    ok(entry(&contract_b["id"], "HB-M8X30", json!([{ "min_quantity": "1", "unit_price": "2.00" }])).await, StatusCode::OK).await;

    // Bad input is refused when it is entered, with the reason.
    let p = problem(call(&t, Method::POST, "/api/v1/admin/price-lists", &staff, Some(json!({ "name": "x", "currency": "EUR", "market": "cn" }))).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(p["errors"][0]["code"], "currency_mismatch", "{p}");
    for (tiers, says) in [
        (json!([{ "min_quantity": "10", "unit_price": "1" }, { "min_quantity": "10", "unit_price": "0.9" }]), "overlap"),
        (json!([{ "min_quantity": "1", "unit_price": "1" }, { "min_quantity": "10", "unit_price": "1.5" }]), "never raise"),
        (json!([{ "min_quantity": "1", "unit_price": "0" }]), "positive"),
        (json!([{ "min_quantity": "1", "unit_price": "0.12345" }]), "4 decimals"),
    ] {
        let p = problem(entry(&list_price["id"], "HB-M8X30", tiers).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert!(p["errors"][0]["message"].as_str().unwrap().contains(says), "{says}: {p}");
    }
    problem(entry(&list_price["id"], "NO-SUCH-SKU", json!([{ "min_quantity": "1", "unit_price": "1" }])).await, StatusCode::NOT_FOUND, "not_found").await;
    // Buyers cannot manage price lists.
    problem(call(&t, Method::POST, "/api/v1/admin/price-lists", &buyer_a, Some(json!({ "name": "mine", "currency": "CNY" }))).await, StatusCode::FORBIDDEN, "forbidden").await;

    let quote = |token: String, body: Value| { let t = &t; async move { ok(call(t, Method::POST, "/api/v1/prices/quote", &token, Some(body)).await, StatusCode::OK).await } };
    let items = json!({ "items": [{ "sku": "HB-M8X20", "quantity": "200" }, { "sku": "HB-M8X30", "quantity": "5" }, { "sku": "UNKNOWN", "quantity": "1" }] });

    // Company A: its contract, though the list price's volume tier is lower.
    let qa = quote(buyer_a.clone(), items.clone()).await;
    let l = line(&qa, "HB-M8X20");
    assert_eq!((l["unit_price"]["amount"].as_str(), l["line_total"]["amount"].as_str()), (Some("0.9900"), Some("198.0000")), "{qa}");
    assert_eq!(l["price_list"]["id"], contract["id"]);
    let why: Vec<(String, String)> = l["candidates"].as_array().unwrap().iter().map(|c| (c["list_name"].as_str().unwrap().to_string(), c["lost"]["reason"].as_str().unwrap_or("won").to_string())).collect();
    assert_eq!(why[0], ("甲 contract 2026".to_string(), "won".to_string()));
    assert!(why.contains(&("List price CN".to_string(), "less_specific".to_string())) && why.contains(&("OEM".to_string(), "less_specific".to_string())), "{why:?}");
    assert!(!qa.to_string().contains(contract_b["id"].as_str().unwrap()), "another company's contract never shows");
    assert!(line(&qa, "HB-M8X30")["unit_price"].is_null(), "no list prices this SKU for A");
    assert!(line(&qa, "UNKNOWN")["unit_price"].is_null());
    assert_eq!(qa["subtotal"]["amount"], "198.0000");
    assert_eq!(qa["currency"], "CNY");
    assert!(qa["tax"].is_null(), "no tax rules yet: no tax rather than a wrong one");
    assert_eq!(qa["total"]["amount"], "198.0000");

    // With the market's tax rules: China's 13 % on net prices, per document.
    assert_eq!(call(&t, Method::PUT, "/api/v1/admin/tax-rates/CN/standard", &staff, Some(json!({ "rate": "0.13" }))).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(call(&t, Method::PUT, "/api/v1/admin/markets/cn/tax", &staff, Some(json!({ "price_entry": "net", "tax_rounding": "per_document", "seller_country": "CN" }))).await.status(), StatusCode::NO_CONTENT);
    problem(call(&t, Method::PUT, "/api/v1/admin/tax-rates/CN/standard", &staff, Some(json!({ "rate": "13" }))).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let qa = quote(buyer_a.clone(), items.clone()).await;
    assert_eq!((qa["tax"]["net"]["amount"].as_str(), qa["tax"]["tax"]["amount"].as_str(), qa["total"]["amount"].as_str()), (Some("198.0000"), Some("25.7400"), Some("223.7400")), "{qa}");
    assert_eq!(qa["tax"]["reverse_charge"], false);

    // Company B: the list price with its volume tier, and its own contract.
    let qb = quote(buyer_b.clone(), items.clone()).await;
    let l = line(&qb, "HB-M8X20");
    assert_eq!((l["unit_price"]["amount"].as_str(), l["tier"]["min_quantity"].as_str()), (Some("0.9500"), Some("100")), "{qb}");
    assert_eq!(line(&qb, "HB-M8X30")["unit_price"]["amount"], "2.0000");
    assert_eq!(qb["subtotal"]["amount"], "200.0000");

    // "Best of" for A: the lowest applicable price wins instead.
    ok(call(&t, Method::PATCH, &format!("/api/v1/admin/companies/{}", a["id"].as_str().unwrap()), &staff, Some(json!({ "best_of_prices": true }))).await, StatusCode::OK).await;
    let qa = quote(buyer_a.clone(), items.clone()).await;
    assert_eq!(line(&qa, "HB-M8X20")["price_list"]["id"], list_price["id"]);
    // A price-list change is in effect at the next request: no reindex.
    ok(entry(&oem["id"], "HB-M8X20", json!([{ "min_quantity": "1", "unit_price": "0.90" }])).await, StatusCode::OK).await;
    let qa = quote(buyer_a.clone(), items.clone()).await;
    assert_eq!(line(&qa, "HB-M8X20")["unit_price"]["amount"], "0.9000");

    // Staff explain a company's prices; buyers only ever see their own.
    let qs = quote(staff.clone(), json!({ "company_id": b["id"], "items": [{ "sku": "HB-M8X20", "quantity": "10" }] })).await;
    assert_eq!(line(&qs, "HB-M8X20")["unit_price"]["amount"], "1.2000");
    problem(call(&t, Method::POST, "/api/v1/prices/quote", &buyer_b, Some(json!({ "company_id": a["id"], "items": [{ "sku": "HB-M8X20", "quantity": "1" }] }))).await, StatusCode::NOT_FOUND, "not_found").await;
    problem(call(&t, Method::POST, "/api/v1/prices/quote", &buyer_b, Some(json!({ "items": [{ "sku": "HB-M8X20", "quantity": "0" }] }))).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
});

db_test!(async fn eu_reverse_charge_for_a_buyer_with_a_vat_number_in_another_state(db) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings { media_dir: Some(dir.path().to_path_buf()), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    t.staff("admin@seller.example", "admin").await;
    let staff = t.login("admin@seller.example").await["token"].as_str().unwrap().to_string();
    setup(&t, &staff).await;
    let r = reqwest::Client::new().post(t.url("/api/v1/admin/imports")).bearer_auth(&staff).multipart(upload(CSV)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    ok(call(&t, Method::PUT, "/api/v1/admin/markets/eu", &staff, Some(json!({ "name": {"en": "Europe"}, "currency": "EUR", "languages": ["en"], "countries": ["DE", "FR"], "time_zone": "Europe/Berlin", "roadmap_step": 3 }))).await, StatusCode::OK).await;
    assert_eq!(call(&t, Method::PUT, "/api/v1/admin/tax-rates/DE/standard", &staff, Some(json!({ "rate": "0.19" }))).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(call(&t, Method::PUT, "/api/v1/admin/markets/eu/tax", &staff, Some(json!({ "price_entry": "net", "tax_rounding": "per_line", "seller_country": "DE" }))).await.status(), StatusCode::NO_CONTENT);
    let list = ok(call(&t, Method::POST, "/api/v1/admin/price-lists", &staff, Some(json!({ "name": "List price EU", "currency": "EUR", "market": "eu" }))).await, StatusCode::CREATED).await;
    let path = format!("/api/v1/admin/price-lists/{}/entries/HB-M8X20", list["id"].as_str().unwrap());
    ok(call(&t, Method::PUT, &path, &staff, Some(json!({ "tiers": [{ "min_quantity": "1", "unit_price": "0.35" }] }))).await, StatusCode::OK).await;
    let fr = ok(call(&t, Method::POST, "/api/v1/admin/companies", &staff, Some(json!({ "name": "Atelier SARL", "market": "eu", "country": "FR", "vat_number": "FR40303265045" }))).await, StatusCode::CREATED).await;
    let de = ok(call(&t, Method::POST, "/api/v1/admin/companies", &staff, Some(json!({ "name": "Werk GmbH", "market": "eu", "country": "DE", "vat_number": "DE136695976" }))).await, StatusCode::CREATED).await;
    let fr_buyer = buyer(&t, &staff, &fr, "fr@buyer.example").await;
    let de_buyer = buyer(&t, &staff, &de, "de@buyer.example").await;
    let items = json!({ "items": [{ "sku": "HB-M8X20", "quantity": "100" }] });
    let q = ok(call(&t, Method::POST, "/api/v1/prices/quote", &fr_buyer, Some(items.clone())).await, StatusCode::OK).await;
    assert_eq!((q["tax"]["reverse_charge"].as_bool(), q["tax"]["tax"]["amount"].as_str(), q["total"]["amount"].as_str()), (Some(true), Some("0.0000"), Some("35.0000")), "{q}");
    let q = ok(call(&t, Method::POST, "/api/v1/prices/quote", &de_buyer, Some(items)).await, StatusCode::OK).await;
    assert_eq!((q["tax"]["reverse_charge"].as_bool(), q["tax"]["tax"]["amount"].as_str(), q["total"]["amount"].as_str()), (Some(false), Some("6.6500"), Some("41.6500")), "{q}");
});

db_test!(async fn price_lists_upload_in_bulk_all_or_nothing(db) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings { media_dir: Some(dir.path().to_path_buf()), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    t.staff("admin@seller.example", "admin").await;
    let staff = t.login("admin@seller.example").await["token"].as_str().unwrap().to_string();
    setup(&t, &staff).await;
    let r = reqwest::Client::new().post(t.url("/api/v1/admin/imports")).bearer_auth(&staff).multipart(upload(CSV)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let list = ok(call(&t, Method::POST, "/api/v1/admin/price-lists", &staff, Some(json!({ "name": "List CN", "currency": "CNY", "market": "cn" }))).await, StatusCode::CREATED).await;
    let path = format!("/api/v1/admin/price-lists/{}/entries", list["id"].as_str().unwrap());
    let send = |body: &'static str| reqwest::Client::new().post(t.url(&path)).bearer_auth(&staff).header("content-type", "text/csv").body(body).send();
    // Bad rows and SKUs are each named; nothing is written.
    let p = problem(send("sku,min_quantity,unit_price\nHB-M8X20,1,1.20\nHB-M8X20,100,x\nNOPE,1,1\nHB-M8X30,1,2,9\n").await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["line 3", "line 5"], "{p}");
    let p = problem(send("sku,min_quantity,unit_price\nHB-M8X20,1,1.20\nNOPE,1,1\nHB-M8X30,10,2\nHB-M8X30,10,1.9\n").await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["entries[1].sku", "entries[2].tiers"], "{p}");
    problem(send("code;price\n").await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    // A good file writes every SKU's tier table.
    let done = ok(send("sku;min_quantity;unit_price\nHB-M8X20;1;1.20\nHB-M8X30;1;2.00\nHB-M8X20;100;0.95\n").await.unwrap(), StatusCode::OK).await;
    assert_eq!(done["applied"], 2);
    let company = ok(call(&t, Method::POST, "/api/v1/admin/companies", &staff, Some(json!({ "name": "甲公司", "market": "cn" }))).await, StatusCode::CREATED).await;
    let b = buyer(&t, &staff, &company, "a@buyer.example").await;
    let q = ok(call(&t, Method::POST, "/api/v1/prices/quote", &b, Some(json!({ "items": [{ "sku": "HB-M8X20", "quantity": "150" }, { "sku": "HB-M8X30", "quantity": "1" }] }))).await, StatusCode::OK).await;
    assert_eq!(line(&q, "HB-M8X20")["unit_price"]["amount"], "0.9500");
    assert_eq!(line(&q, "HB-M8X30")["unit_price"]["amount"], "2.0000");
    // Buyers cannot upload.
    let r = reqwest::Client::new().post(t.url(&path)).bearer_auth(&b).header("content-type", "text/csv").body("sku,min_quantity,unit_price\nHB-M8X20,1,0.01\n").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
});
