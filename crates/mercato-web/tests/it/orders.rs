//! Carts, checkout and orders over HTTP on both databases: the journey
//! from cart to delivery with every payment method, the refusals that must
//! leave nothing half-done, and concurrency that must never oversell stock
//! or overdraw a credit line.

use super::catalog::{CSV, setup, upload};
use super::companies::{call, ok};
use super::{PASSWORD, TestApp, problem};
use mercato_testkit::db_test;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A seller with the test catalog, CNY list prices, 13 % VAT, a flat
/// `standard` shipping method (20, free from 500) and a `pickup` one; a
/// buyer company with an address. Returns (staff token, buyer token,
/// company).
pub(crate) async fn shop(t: &TestApp) -> (String, String, Value) {
    t.staff("admin@seller.example", "admin").await;
    let staff = t.login("admin@seller.example").await["token"]
        .as_str()
        .unwrap()
        .to_string();
    setup(t, &staff).await;
    let r = reqwest::Client::new()
        .post(t.url("/api/v1/admin/imports"))
        .bearer_auth(&staff)
        .multipart(upload(CSV))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let list = ok(
        call(
            t,
            Method::POST,
            "/api/v1/admin/price-lists",
            &staff,
            Some(json!({ "name": "List CN", "currency": "CNY", "market": "cn" })),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    for (sku, price) in [("HB-M8X20", "1.20"), ("HB-M8X30", "2.00")] {
        let path = format!(
            "/api/v1/admin/price-lists/{}/entries/{sku}",
            list["id"].as_str().unwrap()
        );
        ok(
            call(
                t,
                Method::PUT,
                &path,
                &staff,
                Some(json!({ "tiers": [{ "min_quantity": "1", "unit_price": price }] })),
            )
            .await,
            StatusCode::OK,
        )
        .await;
    }
    ok(
        call(
            t,
            Method::PUT,
            "/api/v1/admin/tax-rates/CN/standard",
            &staff,
            Some(json!({ "rate": "0.13" })),
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    ok(call(t, Method::PUT, "/api/v1/admin/markets/cn/tax", &staff, Some(json!({ "price_entry": "net", "tax_rounding": "per_document", "seller_country": "CN" }))).await, StatusCode::NO_CONTENT).await;
    ok(
        call(
            t,
            Method::PUT,
            "/api/v1/admin/shipping-methods/standard",
            &staff,
            Some(json!({
        "name": { "en": "Standard", "zh-CN": "标准快递" }, "currency": "CNY", "market": "cn",
        "terms": { "rate": { "kind": "flat", "amount": "20" }, "free_above": "500" } })),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    ok(call(t, Method::PUT, "/api/v1/admin/shipping-methods/pickup", &staff, Some(json!({
        "name": { "en": "Pickup" }, "currency": "CNY", "terms": { "rate": { "kind": "pickup" } }, "position": 1 }))).await, StatusCode::OK).await;
    let company = ok(
        call(
            t,
            Method::POST,
            "/api/v1/admin/companies",
            &staff,
            Some(json!({ "name": "甲公司", "market": "cn" })),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let buyer = user_of(t, &staff, &company, "buyer@a.example", "admin").await;
    ok(call(t, Method::POST, "/api/v1/company/addresses", &buyer, Some(json!({
        "recipient": "王工", "line1": "张江路 100 号", "city": "上海", "postal_code": "201203", "country": "CN" }))).await, StatusCode::CREATED).await;
    (staff, buyer, company)
}

async fn user_of(t: &TestApp, staff: &str, company: &Value, email: &str, role: &str) -> String {
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
            Some(json!({ "email": email, "role": role, "password": PASSWORD })),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    t.login(email).await["token"].as_str().unwrap().to_string()
}

pub(crate) async fn stock(t: &TestApp, staff: &str, sku: &str, on_hand: &str) -> Value {
    ok(
        call(
            t,
            Method::PUT,
            &format!("/api/v1/admin/stock/{sku}"),
            staff,
            Some(json!({ "on_hand": on_hand })),
        )
        .await,
        StatusCode::OK,
    )
    .await
}

pub(crate) async fn cart_with(
    t: &TestApp,
    buyer: &str,
    name: Option<&str>,
    lines: &[(&str, &str)],
) -> Value {
    let body = name.map(|n| json!({ "name": n })).unwrap_or(json!({}));
    let res = call(t, Method::POST, "/api/v1/carts", buyer, Some(body)).await;
    assert!(res.status().is_success());
    let mut cart: Value = res.json().await.unwrap();
    for (sku, q) in lines {
        let path = format!("/api/v1/carts/{}/lines", cart["id"].as_str().unwrap());
        cart = ok(
            call(
                t,
                Method::POST,
                &path,
                buyer,
                Some(json!({ "sku": sku, "quantity": q })),
            )
            .await,
            StatusCode::OK,
        )
        .await;
    }
    cart
}

pub(crate) fn order_body(cart: &Value, payment: Value) -> Value {
    json!({ "cart_id": cart["id"], "shipping_method": "standard", "payment": payment })
}

pub(crate) async fn place(
    t: &TestApp,
    buyer: &str,
    body: &Value,
    key: Option<&str>,
) -> reqwest::Response {
    let mut req = reqwest::Client::new()
        .post(t.url("/api/v1/orders"))
        .bearer_auth(buyer)
        .json(body);
    if let Some(k) = key {
        req = req.header("Idempotency-Key", k);
    }
    req.send().await.unwrap()
}

fn money(v: &Value) -> &str {
    v["amount"].as_str().unwrap()
}

db_test!(async fn a_buyer_orders_on_account_and_follows_the_order_to_delivery(db) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings { media_dir: Some(dir.path().to_path_buf()), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    let (staff, buyer, company) = shop(&t).await;
    let levels = stock(&t, &staff, "HB-M8X20", "100").await;
    assert_eq!(levels["available"], "100");
    ok(call(&t, Method::PUT, &format!("/api/v1/admin/companies/{}/credit", company["id"].as_str().unwrap()), &staff,
        Some(json!({ "limit": "1000.00", "payment_terms_days": 30 }))).await, StatusCode::OK).await;
    let credit = ok(call(&t, Method::GET, "/api/v1/company/credit", &buyer, None).await, StatusCode::OK).await;
    assert_eq!(money(&credit["available"]), "1000.0000");
    assert_eq!(credit["payment_terms_days"], 30);

    // One active cart per buyer: asking again returns it.
    let first = call(&t, Method::POST, "/api/v1/carts", &buyer, None).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let again = ok(call(&t, Method::POST, "/api/v1/carts", &buyer, None).await, StatusCode::OK).await;
    assert_eq!(first["id"], again["id"]);
    let cart_id = first["id"].as_str().unwrap().to_string();
    let lines = format!("/api/v1/carts/{cart_id}/lines");

    // Bad quantities and SKUs are refused with the reason, and nothing is added.
    for (sku, q, code) in [("HB-M8X20", "0", "invalid_quantity"), ("HB-M8X20", "-3", "invalid_quantity"), ("HB-M8X20", "2.5", "fractional_quantity"), ("NO-SUCH", "1", "unknown_sku")] {
        let p = problem(call(&t, Method::POST, &lines, &buyer, Some(json!({ "sku": sku, "quantity": q }))).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(p["errors"][0]["code"], code, "{p}");
    }
    // A folded part number finds the SKU.
    let cart = ok(call(&t, Method::POST, &lines, &buyer, Some(json!({ "sku": "hb-m8x20", "quantity": "10" }))).await, StatusCode::OK).await;
    assert_eq!(cart["lines"][0]["sku"], "HB-M8X20");
    assert_eq!(money(&cart["lines"][0]["unit_price"]), "1.2000");
    assert_eq!(money(&cart["lines"][0]["line_total"]), "12.0000");
    assert_eq!(cart["lines"][0]["availability"], json!({ "status": "exact", "available": "100" }));
    assert_eq!(cart["orderable"], true);

    // Quick order: pasted text, one result per line.
    let r = reqwest::Client::new().post(t.url(&format!("{lines}/bulk"))).bearer_auth(&buyer)
        .header("content-type", "text/plain").body("sku,quantity\nHB-M8X30, 5\nNOPE-1, 3\nHB-M8X20; x\n").send().await.unwrap();
    let bulk = ok(r, StatusCode::OK).await;
    let outcomes: Vec<(&str, &str)> = bulk["results"].as_array().unwrap().iter().map(|r| (r["sku"].as_str().unwrap(), r["outcome"].as_str().unwrap())).collect();
    assert_eq!(outcomes, [("HB-M8X30", "added"), ("NOPE-1", "rejected"), ("HB-M8X20", "rejected")], "{bulk}");
    assert_eq!(bulk["results"][1]["code"], "unknown_sku");
    assert_eq!(bulk["results"][1]["line"], 3);
    assert_eq!(bulk["cart"]["lines"].as_array().unwrap().len(), 2);

    let methods = ok(call(&t, Method::GET, &format!("/api/v1/carts/{cart_id}/shipping-methods"), &buyer, None).await, StatusCode::OK).await;
    let codes: Vec<&str> = methods["items"].as_array().unwrap().iter().map(|m| m["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["standard", "pickup"]);
    assert_eq!(money(&methods["items"][0]["price"]), "20.0000");

    // HB-M8X30 has no stock: nothing is reserved, the cart stays open.
    let body = order_body(&bulk["cart"], json!({ "method": "on_account" }));
    let p = problem(place(&t, &buyer, &body, None).await, StatusCode::CONFLICT, "out_of_stock").await;
    assert_eq!(p["skus"], json!(["HB-M8X30"]));
    assert_eq!(stock(&t, &staff, "HB-M8X20", "100").await["levels"][0]["reserved"], "0");
    let m8x30 = bulk["cart"]["lines"][1]["id"].as_str().unwrap();
    ok(call(&t, Method::DELETE, &format!("{lines}/{m8x30}"), &buyer, None).await, StatusCode::OK).await;

    // A purchase order needs its number; an unknown method says which exist.
    let p = problem(place(&t, &buyer, &order_body(&first, json!({ "method": "purchase_order" })), None).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "payment.po_number", "{p}");
    let bad = json!({ "cart_id": first["id"], "shipping_method": "drone", "payment": { "method": "on_account" } });
    let p = problem(place(&t, &buyer, &bad, None).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("standard"), "{p}");

    // On account: 12.00 + 20.00 shipping + 13 % = 36.16, drawn on the credit line.
    let body = order_body(&first, json!({ "method": "on_account" }));
    let res = place(&t, &buyer, &body, Some("checkout-1")).await;
    let order = ok(res, StatusCode::CREATED).await;
    assert!(order["number"].as_str().unwrap().starts_with("SO-"), "{order}");
    assert_eq!(order["status"], "placed");
    assert_eq!(order["payment_status"], "invoiced");
    assert_eq!(money(&order["totals"]["subtotal"]), "12.0000");
    assert_eq!(money(&order["totals"]["shipping"]), "20.0000");
    assert_eq!(money(&order["totals"]["tax"]), "4.1600");
    assert_eq!(money(&order["totals"]["total"]), "36.1600");
    assert_eq!(order["payment"]["payment_terms_days"], 30);
    assert_eq!(order["shipping_address"]["city"], "上海");
    assert_eq!(order["history"][0]["action"], "place");
    // The buyer hears about it, in the market's language.
    let mail = t.mail("buyer@a.example", "order_placed").await;
    assert!(mail["subject"].as_str().unwrap().contains(order["number"].as_str().unwrap()), "{mail}");
    assert!(mail["text"].as_str().unwrap().contains("36.16"), "{mail}");
    let levels = stock(&t, &staff, "HB-M8X20", "100").await;
    assert_eq!(levels["levels"][0]["reserved"], "10");
    assert_eq!(levels["available"], "90");
    let credit = ok(call(&t, Method::GET, "/api/v1/company/credit", &buyer, None).await, StatusCode::OK).await;
    assert_eq!(money(&credit["balance"]), "36.1600");

    // A retry with the same key returns the same order; a different body under it is refused.
    let again = ok(place(&t, &buyer, &body, Some("checkout-1")).await, StatusCode::OK).await;
    assert_eq!(again["id"], order["id"]);
    let other = order_body(&first, json!({ "method": "cash_on_delivery" }));
    problem(place(&t, &buyer, &other, Some("checkout-1")).await, StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused").await;
    // The cart is spent.
    problem(place(&t, &buyer, &other, None).await, StatusCode::CONFLICT, "cart_ordered").await;

    // Another company sees none of it.
    let b = ok(call(&t, Method::POST, "/api/v1/admin/companies", &staff, Some(json!({ "name": "乙公司", "market": "cn" }))).await, StatusCode::CREATED).await;
    let other_buyer = user_of(&t, &staff, &b, "buyer@b.example", "buyer").await;
    let order_path = format!("/api/v1/orders/{}", order["id"].as_str().unwrap());
    problem(call(&t, Method::GET, &order_path, &other_buyer, None).await, StatusCode::NOT_FOUND, "not_found").await;
    problem(call(&t, Method::GET, &format!("/api/v1/carts/{cart_id}"), &other_buyer, None).await, StatusCode::NOT_FOUND, "not_found").await;
    problem(call(&t, Method::POST, &format!("{order_path}/cancel"), &other_buyer, None).await, StatusCode::NOT_FOUND, "not_found").await;
    let theirs = ok(call(&t, Method::GET, "/api/v1/orders", &other_buyer, None).await, StatusCode::OK).await;
    assert_eq!(theirs["items"], json!([]));
    let mine = ok(call(&t, Method::GET, "/api/v1/orders", &buyer, None).await, StatusCode::OK).await;
    assert_eq!(mine["items"][0]["id"], order["id"]);

    // Staff confirm, ship in two parts with tracking, deliver; the buyer sees it all.
    let admin = |action: &str| format!("/api/v1/admin/orders/{}/{action}", order["id"].as_str().unwrap());
    problem(call(&t, Method::POST, &admin("deliver"), &staff, None).await, StatusCode::CONFLICT, "invalid_transition").await;
    ok(call(&t, Method::POST, &admin("confirm"), &staff, None).await, StatusCode::OK).await;
    // Buyers may no longer cancel a confirmed order.
    problem(call(&t, Method::POST, &format!("{order_path}/cancel"), &buyer, None).await, StatusCode::FORBIDDEN, "forbidden").await;
    let part = ok(call(&t, Method::POST, &admin("shipments"), &staff, Some(json!({ "carrier": "SF Express", "tracking_number": "SF123", "tracking_url": "https://www.sf-express.com/track?no=SF123", "lines": [{ "line_no": 1, "quantity": "4" }] }))).await, StatusCode::OK).await;
    assert_eq!(part["status"], "partially_shipped");
    let p = problem(call(&t, Method::POST, &admin("shipments"), &staff, Some(json!({ "carrier": "SF", "lines": [{ "line_no": 1, "quantity": "7" }] }))).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("6 left"), "{p}");
    let shipped = ok(call(&t, Method::POST, &admin("shipments"), &staff, Some(json!({ "carrier": "SF Express", "tracking_number": "SF124" }))).await, StatusCode::OK).await;
    assert_eq!(shipped["status"], "shipped");
    let mail = t.mail("buyer@a.example", "order_shipped").await;
    assert!(mail["text"].as_str().unwrap().contains("SF12"), "{mail}");
    let levels = stock(&t, &staff, "HB-M8X20", "90").await;
    assert_eq!(levels["levels"][0]["reserved"], "0");
    ok(call(&t, Method::POST, &admin("deliver"), &staff, None).await, StatusCode::OK).await;
    let seen = ok(call(&t, Method::GET, &order_path, &buyer, None).await, StatusCode::OK).await;
    assert_eq!(seen["status"], "delivered");
    assert_eq!(seen["shipments"][0]["tracking_url"], "https://www.sf-express.com/track?no=SF123");
    assert!(seen["shipments"][0]["delivered_at"].is_string());
    let steps: Vec<&str> = seen["history"].as_array().unwrap().iter().map(|h| h["to"].as_str().unwrap()).collect();
    assert_eq!(steps, ["placed", "confirmed", "partially_shipped", "shipped", "delivered"]);
    // Finance records the invoice paid: the credit comes back.
    let paid = ok(call(&t, Method::POST, &admin("payment-received"), &staff, None).await, StatusCode::OK).await;
    assert_eq!(paid["payment_status"], "paid");
    problem(call(&t, Method::POST, &admin("payment-received"), &staff, None).await, StatusCode::CONFLICT, "already_paid").await;
    let credit = ok(call(&t, Method::GET, "/api/v1/company/credit", &buyer, None).await, StatusCode::OK).await;
    assert_eq!(money(&credit["balance"]), "0.0000");

    // Reorder: a new cart with the same lines at today's prices.
    let reordered = ok(call(&t, Method::POST, &format!("{order_path}/reorder"), &buyer, None).await, StatusCode::CREATED).await;
    assert_eq!(reordered["lines"][0]["sku"], "HB-M8X20");
    assert_eq!(reordered["lines"][0]["quantity"], "10");
});

db_test!(async fn cards_bank_transfer_and_price_changes(db) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings { media_dir: Some(dir.path().to_path_buf()), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    let (staff, buyer, _) = shop(&t).await;
    stock(&t, &staff, "HB-M8X20", "100").await;

    // A declined card: no order, nothing reserved, the cart still open.
    let cart = cart_with(&t, &buyer, Some("card"), &[("HB-M8X20", "10")]).await;
    let p = problem(place(&t, &buyer, &order_body(&cart, json!({ "method": "card", "card_token": "tok_insufficient_funds" })), None).await, StatusCode::PAYMENT_REQUIRED, "payment_declined").await;
    assert_eq!(p["decline_code"], "insufficient_funds");
    assert_eq!(stock(&t, &staff, "HB-M8X20", "100").await["levels"][0]["reserved"], "0");
    problem(place(&t, &buyer, &order_body(&cart, json!({ "method": "card" })), None).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    // An approved card: authorised now, captured when it ships.
    let order = ok(place(&t, &buyer, &order_body(&cart, json!({ "method": "card", "card_token": "tok_visa" })), None).await, StatusCode::CREATED).await;
    assert_eq!(order["payment_status"], "authorized");
    let admin = |o: &Value, action: &str| format!("/api/v1/admin/orders/{}/{action}", o["id"].as_str().unwrap());
    ok(call(&t, Method::POST, &admin(&order, "confirm"), &staff, None).await, StatusCode::OK).await;
    let shipped = ok(call(&t, Method::POST, &admin(&order, "shipments"), &staff, Some(json!({ "carrier": "DHL" }))).await, StatusCode::OK).await;
    assert_eq!(shipped["payment_status"], "paid");
    problem(call(&t, Method::POST, &admin(&order, "payment-received"), &staff, None).await, StatusCode::CONFLICT, "already_paid").await;

    // A card that needs confirmation: pending until the provider's signed webhook.
    let cart = cart_with(&t, &buyer, Some("3ds"), &[("HB-M8X20", "5")]).await;
    let pending = ok(place(&t, &buyer, &order_body(&cart, json!({ "method": "card", "card_token": "tok_3ds" })), None).await, StatusCode::CREATED).await;
    assert_eq!(pending["payment_status"], "pending");
    assert_eq!(stock(&t, &staff, "HB-M8X20", "90").await["levels"][0]["reserved"], "5");
    let gateway = mercato_app::payments::TestGateway::new(crate::test_settings().payments.webhook_secret);
    let order_id = pending["id"].as_str().unwrap();
    let refs = pending["payment"]["provider_ref"].clone();
    let body = serde_json::to_vec(&json!({ "type": "authorization.failed", "gateway_ref": refs, "decline_code": "authentication_failed" })).unwrap();
    let hook = |sig: String, body: Vec<u8>| reqwest::Client::new().post(t.url("/api/v1/payments/webhooks/test")).header("Mercato-Signature", sig).body(body).send();
    assert_eq!(hook("forged".into(), body.clone()).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(hook(gateway.sign(&body), body.clone()).await.unwrap().status(), StatusCode::NO_CONTENT);
    // Replayed: harmless.
    assert_eq!(hook(gateway.sign(&body), body.clone()).await.unwrap().status(), StatusCode::NO_CONTENT);
    let failed = ok(call(&t, Method::GET, &format!("/api/v1/orders/{order_id}"), &buyer, None).await, StatusCode::OK).await;
    assert_eq!(failed["status"], "cancelled");
    assert_eq!(failed["payment_status"], "voided");
    assert_eq!(stock(&t, &staff, "HB-M8X20", "90").await["levels"][0]["reserved"], "0");

    // Bank transfer: the order waits for the money, with the reference to quote.
    let cart = cart_with(&t, &buyer, Some("bank"), &[("HB-M8X20", "1")]).await;
    let order = ok(place(&t, &buyer, &order_body(&cart, json!({ "method": "bank_transfer" })), None).await, StatusCode::CREATED).await;
    assert_eq!(order["payment_status"], "pending");
    assert_eq!(order["payment"]["reference"], order["number"]);
    assert!(order["payment"]["bank_details"].as_str().unwrap().contains("IBAN"));
    let paid = ok(call(&t, Method::POST, &admin(&order, "payment-received"), &staff, None).await, StatusCode::OK).await;
    assert_eq!(paid["payment_status"], "paid");
    // Cash on delivery is settled when it is delivered.
    let cart = cart_with(&t, &buyer, Some("cod"), &[("HB-M8X20", "1")]).await;
    let order = ok(place(&t, &buyer, &order_body(&cart, json!({ "method": "cash_on_delivery" })), None).await, StatusCode::CREATED).await;
    assert_eq!(order["payment_status"], "due_on_delivery");
    // Buyers cancel before confirmation; the stock comes back.
    let cancelled = ok(call(&t, Method::POST, &format!("/api/v1/orders/{}/cancel", order["id"].as_str().unwrap()), &buyer, Some(json!({ "note": "ordered twice" }))).await, StatusCode::OK).await;
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["history"][1]["note"], "ordered twice");

    // The price changes after the buyer saw the cart: 409 with the new
    // totals; ordering again accepts them.
    let cart = cart_with(&t, &buyer, Some("stale"), &[("HB-M8X20", "10")]).await;
    assert_eq!(money(&cart["subtotal"]), "12.0000");
    let lists = ok(call(&t, Method::GET, "/api/v1/admin/price-lists", &staff, None).await, StatusCode::OK).await;
    let path = format!("/api/v1/admin/price-lists/{}/entries/HB-M8X20", lists["items"][0]["id"].as_str().unwrap());
    ok(call(&t, Method::PUT, &path, &staff, Some(json!({ "tiers": [{ "min_quantity": "1", "unit_price": "1.30" }] }))).await, StatusCode::OK).await;
    let body = order_body(&cart, json!({ "method": "cash_on_delivery" }));
    let p = problem(place(&t, &buyer, &body, None).await, StatusCode::CONFLICT, "price_changed").await;
    assert_eq!(money(&p["cart"]["subtotal"]), "13.0000");
    assert_eq!(money(&p["cart"]["lines"][0]["price_changed"]["was"]), "1.2000");
    let order = ok(place(&t, &buyer, &body, None).await, StatusCode::CREATED).await;
    assert_eq!(money(&order["totals"]["subtotal"]), "13.0000");
});

db_test!(async fn concurrent_checkouts_never_oversell(db) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings { media_dir: Some(dir.path().to_path_buf()), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    let (staff, buyer, _) = shop(&t).await;
    stock(&t, &staff, "HB-M8X20", "50").await;
    let mut carts = Vec::new();
    for i in 0..200 {
        carts.push(cart_with(&t, &buyer, Some(&format!("c{i}")), &[("HB-M8X20", "1")]).await);
    }
    let results = futures::future::join_all(carts.iter().map(|c| {
        let body = order_body(c, json!({ "method": "cash_on_delivery" }));
        let (t, buyer) = (&t, buyer.clone());
        async move { place(t, &buyer, &body, None).await.status() }
    }))
    .await;
    let created = results.iter().filter(|s| **s == StatusCode::CREATED).count();
    let refused = results.iter().filter(|s| **s == StatusCode::CONFLICT).count();
    assert_eq!((created, refused), (50, 150), "{results:?}");
    let levels = stock(&t, &staff, "HB-M8X20", "50").await;
    assert_eq!(levels["levels"][0]["reserved"], "50");
    assert_eq!(levels["available"], "0");
    let orders = ok(call(&t, Method::GET, "/api/v1/orders?limit=200", &buyer, None).await, StatusCode::OK).await;
    assert_eq!(orders["items"].as_array().unwrap().len(), 50);
});

db_test!(async fn concurrent_orders_never_overdraw_a_credit_line(db) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings { media_dir: Some(dir.path().to_path_buf()), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    let (staff, buyer, company) = shop(&t).await;
    stock(&t, &staff, "HB-M8X20", "1000").await;
    // Each order: 10 × 1.20 + 20 shipping + 13 % = 36.16; 100 covers two.
    ok(call(&t, Method::PUT, &format!("/api/v1/admin/companies/{}/credit", company["id"].as_str().unwrap()), &staff,
        Some(json!({ "limit": "100", "payment_terms_days": 30 }))).await, StatusCode::OK).await;
    let mut carts = Vec::new();
    for i in 0..12 {
        carts.push(cart_with(&t, &buyer, Some(&format!("c{i}")), &[("HB-M8X20", "10")]).await);
    }
    let results = futures::future::join_all(carts.iter().map(|c| {
        let body = order_body(c, json!({ "method": "on_account" }));
        let (t, buyer) = (&t, buyer.clone());
        async move {
            let r = place(t, &buyer, &body, None).await;
            let status = r.status();
            let v: Value = r.json().await.unwrap();
            (status, v["code"].as_str().unwrap_or_default().to_string())
        }
    }))
    .await;
    let created = results.iter().filter(|r| r.0 == StatusCode::CREATED).count();
    assert_eq!(created, 2, "{results:?}");
    assert!(results.iter().filter(|r| r.0 != StatusCode::CREATED).all(|r| r.1 == "credit_limit_exceeded"), "{results:?}");
    let credit = ok(call(&t, Method::GET, "/api/v1/company/credit", &buyer, None).await, StatusCode::OK).await;
    assert_eq!(money(&credit["balance"]), "72.3200");
    // Stock reserved only for the two orders placed.
    assert_eq!(stock(&t, &staff, "HB-M8X20", "1000").await["levels"][0]["reserved"], "20");
});

db_test!(async fn a_retried_checkout_creates_one_order(db) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings { media_dir: Some(dir.path().to_path_buf()), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    let (staff, buyer, _) = shop(&t).await;
    stock(&t, &staff, "HB-M8X20", "100").await;
    let cart = cart_with(&t, &buyer, None, &[("HB-M8X20", "3")]).await;
    let body = order_body(&cart, json!({ "method": "cash_on_delivery" }));
    let results = futures::future::join_all((0..8).map(|_| {
        let (t, buyer, body) = (&t, buyer.clone(), body.clone());
        async move {
            let r = place(t, &buyer, &body, Some("same-key")).await;
            (r.status(), r.json::<Value>().await.unwrap())
        }
    }))
    .await;
    let ids: std::collections::BTreeSet<String> = results.iter().map(|(s, v)| {
        assert!(s.is_success(), "{s} {v}");
        v["id"].as_str().unwrap().to_string()
    }).collect();
    assert_eq!(ids.len(), 1, "{results:?}");
    assert_eq!(results.iter().filter(|r| r.0 == StatusCode::CREATED).count(), 1);
    assert_eq!(stock(&t, &staff, "HB-M8X20", "100").await["levels"][0]["reserved"], "3");
});

db_test!(async fn step_one_markets_and_viewers_cannot_order(db) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings { media_dir: Some(dir.path().to_path_buf()), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    let (staff, buyer, company) = shop(&t).await;
    let path = format!("/api/v1/admin/companies/{}/users", company["id"].as_str().unwrap());
    ok(call(&t, Method::POST, &path, &staff, Some(json!({ "email": "viewer@a.example", "role": "viewer", "password": PASSWORD }))).await, StatusCode::CREATED).await;
    let viewer = t.login("viewer@a.example").await["token"].as_str().unwrap().to_string();
    problem(call(&t, Method::POST, "/api/v1/carts", &viewer, None).await, StatusCode::FORBIDDEN, "forbidden").await;
    // Viewers still read their company's orders.
    ok(call(&t, Method::GET, "/api/v1/orders", &viewer, None).await, StatusCode::OK).await;
    // Staff have no cart; buyers no back office.
    problem(call(&t, Method::POST, "/api/v1/carts", &staff, None).await, StatusCode::FORBIDDEN, "forbidden").await;
    problem(call(&t, Method::GET, "/api/v1/admin/orders", &buyer, None).await, StatusCode::FORBIDDEN, "forbidden").await;
    problem(call(&t, Method::PUT, "/api/v1/admin/stock/HB-M8X20", &buyer, Some(json!({ "on_hand": "5" }))).await, StatusCode::FORBIDDEN, "forbidden").await;
    // A batch with bad rows applies nothing and names each row.
    let p = problem(call(&t, Method::POST, "/api/v1/admin/stock/batch", &staff, Some(json!({ "items": [
        { "sku": "HB-M8X20", "on_hand": "5" }, { "sku": "NOPE", "on_hand": "1" }, { "sku": "HB-M8X30", "warehouse": "mars", "on_hand": "-1" } ] }))).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["items[1].sku", "items[2].warehouse", "items[2].on_hand"]);
    assert_eq!(ok(call(&t, Method::GET, "/api/v1/admin/stock/HB-M8X20", &staff, None).await, StatusCode::OK).await["levels"], json!([]));
    // Switching the market to step 1 (catalog + RFQ) closes the cart at once.
    let r = reqwest::Client::new().put(t.url("/api/v1/admin/markets/cn")).bearer_auth(&staff).json(&json!({ "name": {"en": "China"}, "currency": "CNY", "languages": ["zh-CN", "en"], "countries": ["CN"], "time_zone": "Asia/Shanghai", "roadmap_step": 1, "is_default": true })).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    problem(call(&t, Method::POST, "/api/v1/carts", &buyer, None).await, StatusCode::FORBIDDEN, "online_buying_off").await;
});

db_test!(async fn promotions_and_coupons_carry_through_to_the_order(db) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings { media_dir: Some(dir.path().to_path_buf()), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    let (staff, buyer, _) = shop(&t).await;
    stock(&t, &staff, "HB-M8X20", "100").await;
    let promo = |body: Value| { let (t, staff) = (&t, staff.clone()); async move { ok(call(t, Method::POST, "/api/v1/admin/promotions", &staff, Some(body)).await, StatusCode::CREATED).await } };
    promo(json!({ "name": "10 % off fasteners", "currency": "CNY", "market": "cn", "priority": 10, "stacking": "stackable",
        "coupon_code": "bolt10", "per_company_limit": 1,
        "action": { "kind": "percent_off_lines", "scope": { "kind": "categories", "value": ["fasteners"] }, "percent": "10" } })).await;
    promo(json!({ "name": "Free shipping from 10", "currency": "CNY", "stacking": "stackable",
        "conditions": [{ "kind": "min_subtotal", "amount": "10" }], "action": { "kind": "free_shipping" } })).await;
    promo(json!({ "name": "Old coupon", "currency": "CNY", "stacking": "stackable", "coupon_code": "OLD",
        "valid_from": "2020-01-01T00:00:00Z", "valid_to": "2021-01-01T00:00:00Z",
        "action": { "kind": "percent_off_order", "percent": "50" } })).await;

    let cart = cart_with(&t, &buyer, None, &[("HB-M8X20", "10")]).await;
    assert_eq!(cart["free_shipping"], true, "{cart}");
    assert_eq!(money(&cart["discount"]), "0.0000");
    let coupons = format!("/api/v1/carts/{}/coupons", cart["id"].as_str().unwrap());
    let p = problem(call(&t, Method::POST, &coupons, &buyer, Some(json!({ "code": "old" }))).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(p["errors"][0]["code"], "coupon_expired", "{p}");
    let p = problem(call(&t, Method::POST, &coupons, &buyer, Some(json!({ "code": "NOPE" }))).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(p["errors"][0]["code"], "coupon_unknown");
    // Codes are case-insensitive; the discount shows on the line and in total.
    let with = ok(call(&t, Method::POST, &coupons, &buyer, Some(json!({ "code": "Bolt10" }))).await, StatusCode::OK).await;
    assert_eq!(money(&with["lines"][0]["discount"]), "1.2000", "{with}");
    assert_eq!(money(&with["lines"][0]["total"]), "10.8000");
    assert_eq!(money(&with["discount"]), "1.2000");
    let names: Vec<&str> = with["promotions"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["10 % off fasteners", "Free shipping from 10"]);
    let methods = ok(call(&t, Method::GET, &format!("/api/v1/carts/{}/shipping-methods", cart["id"].as_str().unwrap()), &buyer, None).await, StatusCode::OK).await;
    assert_eq!(money(&methods["items"][0]["price"]), "0.0000");

    // 10.80 after the coupon, free shipping, 13 % tax: 1.40, total 12.20.
    let order = ok(place(&t, &buyer, &order_body(&with, json!({ "method": "cash_on_delivery" })), None).await, StatusCode::CREATED).await;
    assert_eq!(money(&order["totals"]["subtotal"]), "12.0000");
    assert_eq!(money(&order["totals"]["discount"]), "1.2000");
    assert_eq!(money(&order["totals"]["shipping"]), "0.0000");
    assert_eq!(money(&order["totals"]["tax"]), "1.4000");
    assert_eq!(money(&order["totals"]["total"]), "12.2000");
    assert_eq!(money(&order["lines"][0]["discount"]), "1.2000");
    assert_eq!(money(&order["lines"][0]["total"]), "10.8000");
    assert_eq!(order["promotions"].as_array().unwrap().len(), 2);

    // Once per company: the next cart is told so.
    let next = cart_with(&t, &buyer, Some("next"), &[("HB-M8X20", "10")]).await;
    let p = problem(call(&t, Method::POST, &format!("/api/v1/carts/{}/coupons", next["id"].as_str().unwrap()), &buyer, Some(json!({ "code": "BOLT10" }))).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(p["errors"][0]["code"], "coupon_company_limit_reached", "{p}");
    // Cancelling the order gives the use back.
    ok(call(&t, Method::POST, &format!("/api/v1/orders/{}/cancel", order["id"].as_str().unwrap()), &buyer, None).await, StatusCode::OK).await;
    ok(call(&t, Method::POST, &format!("/api/v1/carts/{}/coupons", next["id"].as_str().unwrap()), &buyer, Some(json!({ "code": "BOLT10" }))).await, StatusCode::OK).await;
});

/// The value of the first `name="<field>" value="…"` in a page.
fn field_value(html: &str, field: &str) -> String {
    let marker = format!("name=\"{field}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {field} in {html}"))
        + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

db_test!(async fn cart_checkout_and_orders_pages(db) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings { media_dir: Some(dir.path().to_path_buf()), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    let (staff, _buyer, _company) = shop(&t).await;
    for sku in ["HB-M8X20", "HB-M8X30"] {
        stock(&t, &staff, sku, "100").await;
    }
    // Anonymous visitors are sent to sign in.
    let anon = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = anon.get(t.url("/cart")).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/account/login");
    t.login("buyer@a.example").await; // the page client's session
    let html = t.client.get(t.url("/cart?lang=en")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Your cart is empty"), "{html}");
    let csrf = crate::admin_pages::hidden_token(&html);

    // Add from a product page's form; a forged form is refused.
    let r = t.client.post(t.url("/cart/add")).form(&[("csrf_token", "forged"), ("sku", "HB-M8X20"), ("quantity", "10")]).send().await.unwrap();
    problem(r, StatusCode::FORBIDDEN, "csrf_failed").await;
    let r = t.client.post(t.url("/cart/add")).form(&[("csrf_token", csrf.as_str()), ("sku", "HB-M8X20"), ("quantity", "10")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = t.client.post(t.url("/cart/add")).form(&[("csrf_token", csrf.as_str()), ("sku", "HB-M8X20"), ("quantity", "lots")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Quick order: per-line results, the refused line kept to fix.
    let r = t.client.post(t.url("/cart/quick?lang=en")).form(&[("csrf_token", csrf.as_str()), ("text", "HB-M8X30, 5\nNOPE-1 2")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("added (5)") && html.contains(">NOPE-1 2</textarea>"), "{html}");

    // The review: exactly what the order will cost (12 + 10 net, 20 shipping
    // below 500, 13 % VAT on all = 47.46), placed once however often sent.
    let html = t.client.get(t.url("/checkout?lang=en&shipping_method=standard")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("¥22.00") && html.contains("¥20.00") && html.contains("¥47.46"), "{html}");
    let form = [
        ("csrf_token", csrf.clone()), ("key", field_value(&html, "key")), ("shipping_method", "standard".into()),
        ("address", field_value(&html, "address")), ("payment", "purchase_order".into()), ("po_number", "".into()),
        ("delivery_date", "".into()), ("note", "".into()),
    ];
    let r = t.client.post(t.url("/checkout?lang=en")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "a purchase order needs its number");
    let html = r.text().await.unwrap();
    let mut form = form;
    form[1].1 = field_value(&html, "key");
    form[5].1 = "PO-7".into();
    let r = t.client.post(t.url("/checkout")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/account/orders/") && location.ends_with("?placed=1"), "{location}");
    let again = t.client.post(t.url("/checkout")).form(&form).send().await.unwrap();
    assert_eq!(again.headers()["location"].to_str().unwrap(), location, "a second click is the same order");
    let html = t.client.get(t.url(&format!("{location}&lang=en"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("SO-000001") && html.contains("PO-7") && html.contains("¥47.46") && html.contains("Placed"), "{html}");
    assert!(html.contains(" CST</"), "times in the market's zone (Asia/Shanghai): {html}");
    let list = t.client.get(t.url("/account/orders")).send().await.unwrap().text().await.unwrap();
    assert!(list.contains("SO-000001"));
    // What the company orders often, with a usual quantity, on the cart page too.
    let buyer = t.login("buyer@a.example").await["token"].as_str().unwrap().to_string();
    let often = ok(call(&t, Method::GET, "/api/v1/company/frequently-bought", &buyer, None).await, StatusCode::OK).await;
    assert_eq!(often["items"][0]["sku"], "HB-M8X20", "{often}");
    assert_eq!((often["items"][0]["orders"].as_i64(), often["items"][0]["usual_quantity"].as_str()), (Some(1), Some("10")));
    problem(call(&t, Method::GET, "/api/v1/company/frequently-bought", &staff, None).await, StatusCode::FORBIDDEN, "forbidden").await;
    problem(call(&t, Method::GET, "/api/v1/company/frequently-bought?limit=0", &buyer, None).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    // The home page lists what the market orders.
    let html = t.client.get(t.url("/?lang=en")).send().await.unwrap().text().await.unwrap();
    let popular = html.split("Popular with buyers").nth(1).expect("a popular list");
    assert!(popular.split("</section>").next().unwrap().contains("/p/hex-bolt-m8"), "{html}");
    let html = t.client.get(t.url("/cart?lang=en")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Frequently bought") && html.contains("value=\"HB-M8X20, 10\""), "{html}");

    // Another company's buyer cannot see it.
    let other = ok(call(&t, Method::POST, "/api/v1/admin/companies", &staff, Some(json!({ "name": "乙公司", "market": "cn" }))).await, StatusCode::CREATED).await;
    user_of(&t, &staff, &other, "buyer@b.example", "admin").await;
    let path = location.trim_end_matches("?placed=1").to_string();
    let r = t.client.get(t.url(&path)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "the page client is now buyer@b");
    // Back as the first buyer: cancel, which frees the stock.
    t.login("buyer@a.example").await;
    let html = t.client.get(t.url(&path)).send().await.unwrap().text().await.unwrap();
    let csrf = crate::admin_pages::hidden_token(&html);
    let r = t.client.post(t.url(&format!("{path}/cancel"))).form(&[("csrf_token", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = t.client.get(t.url(&format!("{path}?lang=en"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Cancelled") && !html.contains("/cancel\""), "{html}");
    let often = ok(call(&t, Method::GET, "/api/v1/company/frequently-bought", &buyer, None).await, StatusCode::OK).await;
    assert_eq!(often["items"], json!([]), "cancelled orders do not count");
    let levels = ok(call(&t, Method::GET, "/api/v1/admin/stock/HB-M8X20", &staff, None).await, StatusCode::OK).await;
    assert!(levels.to_string().contains("\"reserved\":\"0"), "{levels}");
    // Reorder puts the lines back in the cart.
    let r = t.client.post(t.url(&format!("{path}/reorder"))).form(&[("csrf_token", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/cart");
    let html = t.client.get(t.url("/cart")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("HB-M8X20") && html.contains("HB-M8X30"));
});

db_test!(async fn carts_refuse_quantities_out_of_bounds_and_products_no_longer_sold(db) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings { media_dir: Some(dir.path().to_path_buf()), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    let (staff, buyer, _company) = shop(&t).await;
    stock(&t, &staff, "HB-M8X20", "100").await;
    let cart = cart_with(&t, &buyer, None, &[("HB-M8X20", "5")]).await;
    let lines = format!("/api/v1/carts/{}/lines", cart["id"].as_str().unwrap());
    // Each quantity the SKU cannot be ordered in is named with its code.
    for (quantity, code) in [("1000001", "too_many"), ("0", "invalid_quantity"), ("-2", "invalid_quantity"), ("1.5", "fractional_quantity"), ("0.00001", "invalid_quantity")] {
        let r = call(&t, Method::POST, &lines, &buyer, Some(json!({ "sku": "HB-M8X30", "quantity": quantity }))).await;
        let p = problem(r, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!((p["errors"][0]["field"].as_str(), p["errors"][0]["code"].as_str()), (Some("quantity"), Some(code)), "{quantity}: {p}");
    }
    let r = call(&t, Method::POST, &lines, &buyer, Some(json!({ "sku": "NOPE-1", "quantity": "1" }))).await;
    let p = problem(r, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(p["errors"][0]["code"], "unknown_sku");

    // The product stops being sold: it cannot be added, the line already in
    // the cart says why, and checkout is refused naming the line.
    let r = call(&t, Method::PATCH, "/api/v1/admin/products/hex-bolt-m8", &staff, Some(json!({ "lang": "en", "name": "Hex bolt M8", "status": "discontinued" }))).await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let r = call(&t, Method::POST, &lines, &buyer, Some(json!({ "sku": "HB-M8X30", "quantity": "1" }))).await;
    let p = problem(r, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(p["errors"][0]["code"], "inactive_sku");
    let view = ok(call(&t, Method::GET, &format!("/api/v1/carts/{}", cart["id"].as_str().unwrap()), &buyer, None).await, StatusCode::OK).await;
    assert_eq!(view["orderable"], false);
    assert_eq!(view["lines"][0]["problems"][0]["code"], "inactive_sku", "{view}");
    let body = order_body(&cart, json!({ "method": "bank_transfer" }));
    let p = problem(place(&t, &buyer, &body, None).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(p["errors"].as_array().unwrap().iter().any(|e| e["field"] == "lines[0]" && e["code"] == "inactive_sku"), "{p}");
    let levels = ok(call(&t, Method::GET, "/api/v1/admin/stock/HB-M8X20", &staff, None).await, StatusCode::OK).await;
    assert!(levels.to_string().contains("\"reserved\":\"0"), "nothing reserved by a refused checkout: {levels}");
});

db_test!(async fn staff_run_orders_from_the_back_office_pages(db) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings { media_dir: Some(dir.path().to_path_buf()), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    let (staff, buyer, _company) = shop(&t).await;
    stock(&t, &staff, "HB-M8X20", "100").await;
    let cart = cart_with(&t, &buyer, None, &[("HB-M8X20", "10")]).await;
    let order = ok(place(&t, &buyer, &order_body(&cart, json!({ "method": "bank_transfer" })), None).await, StatusCode::CREATED).await;
    let id = order["id"].as_str().unwrap().to_string();
    let number = order["number"].as_str().unwrap().to_string();

    // A buyer is sent to their account, not into the back office.
    t.login("buyer@a.example").await;
    let r = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().unwrap();
    r.post(t.url("/api/v1/auth/login")).json(&json!({ "email": "buyer@a.example", "password": PASSWORD })).send().await.unwrap();
    let res = r.get(t.url("/admin/orders")).send().await.unwrap();
    assert_eq!(res.headers()["location"], "/account");

    t.login("admin@seller.example").await;
    let html = t.client.get(t.url("/admin/orders?lang=en")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(&number) && html.contains("甲公司") && html.contains("Bank transfer") && html.contains("¥"), "{html}");
    let html = t.client.get(t.url("/admin/orders?status=confirmed&lang=en")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("No orders match") && !html.contains(&number), "{html}");
    problem(t.client.get(t.url("/admin/orders?status=lost")).send().await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    problem(t.client.get(t.url("/admin/orders?cursor=junk")).send().await.unwrap(), StatusCode::BAD_REQUEST, "invalid_cursor").await;

    let page = format!("/admin/orders/{id}");
    let html = t.client.get(t.url(&format!("{page}?lang=en"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("value=\"confirm\"") && html.contains("value=\"cancel\"") && !html.contains("id=\"ship\""), "placed: confirm or cancel, not ship yet: {html}");
    let csrf = crate::admin_pages::hidden_token(&html);
    let r = t.client.post(t.url(&format!("{page}/act"))).form(&[("csrf_token", "forged"), ("action", "confirm")]).send().await.unwrap();
    problem(r, StatusCode::FORBIDDEN, "csrf_failed").await;
    // Each step redirects back to the order, saying what was done.
    let step = |form: Vec<(&'static str, String)>, path: String| {
        let t = &t;
        async move {
            let r = t.client.post(t.url(&path)).form(&form).send().await.unwrap();
            if r.status() != StatusCode::SEE_OTHER {
                return (r.status(), r.text().await.unwrap());
            }
            let to = r.headers()["location"].to_str().unwrap().to_string();
            let r = t.client.get(t.url(&format!("{to}&lang=en"))).send().await.unwrap();
            (r.status(), r.text().await.unwrap())
        }
    };
    let (code, html) = step(vec![("csrf_token", csrf.clone()), ("action", "confirm".into()), ("note", "stock checked".into())], format!("{page}/act?lang=en")).await;
    assert_eq!(code, StatusCode::OK);
    assert!(html.contains("Order confirmed") && html.contains("stock checked") && html.contains("id=\"ship\""), "{html}");
    // A step the status no longer allows says why, on the page.
    let r = t.client.post(t.url(&format!("{page}/act?lang=en"))).form(&[("csrf_token", csrf.as_str()), ("action", "confirm")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("role=\"alert\""));

    // Ship part of the line, then the rest; bad fields are named.
    let r = t.client.post(t.url(&format!("{page}/ship?lang=en"))).form(&[("csrf_token", csrf.as_str()), ("carrier", ""), ("line_no", "1"), ("quantity", "4")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("carrier"));
    let r = t.client.post(t.url(&format!("{page}/ship?lang=en"))).form(&[("csrf_token", csrf.as_str()), ("carrier", "SF Express"), ("line_no", "1"), ("quantity", "11")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "more than is left");
    let (_, html) = step(vec![("csrf_token", csrf.clone()), ("carrier", "SF Express".into()), ("tracking_number", "SF123".into()), ("tracking_url", "https://track.example/SF123".into()), ("line_no", "1".into()), ("quantity", "4".into())], format!("{page}/ship")).await;
    assert!(html.contains("Partially shipped") && html.contains("https://track.example/SF123") && html.contains("value=\"6\""), "{html}");
    let (_, html) = step(vec![("csrf_token", csrf.clone()), ("carrier", "SF Express".into()), ("tracking_number", "SF124".into()), ("line_no", "1".into()), ("quantity", "6".into())], format!("{page}/ship")).await;
    assert!(html.contains("<span id=\"order-status\">Shipped") && !html.contains("id=\"ship\""), "{html}");
    // The order confirmation as a PDF, in the page's language.
    let pdf = t.client.get(t.url(&format!("{page}/confirmation.pdf?lang=zh-CN"))).send().await.unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let bytes = pdf.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    if let Some(text) = pdf_text(&bytes) {
        for want in [number.as_str(), "订单确认书", "甲公司", "HB-M8X20", "张江路 100 号"] {
            assert!(text.contains(want), "{want} missing from {text}");
        }
    }
    // The buyer sees the tracking.
    let seen = ok(call(&t, Method::GET, &format!("/api/v1/orders/{id}"), &buyer, None).await, StatusCode::OK).await;
    assert_eq!(seen["status"], "shipped");
    assert_eq!(seen["shipments"][0]["tracking_number"], "SF123");
    // Finance records the transfer; then the order is delivered and completed.
    let (_, html) = step(vec![("csrf_token", csrf.clone())], format!("{page}/paid")).await;
    assert!(html.contains("Payment recorded") && html.contains("paid") && !html.contains("/paid\""), "{html}");
    for action in ["deliver", "complete"] {
        let (code, _) = step(vec![("csrf_token", csrf.clone()), ("action", action.into())], format!("{page}/act")).await;
        assert_eq!(code, StatusCode::OK);
    }
    let html = t.client.get(t.url(&format!("{page}?lang=zh-CN"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("此订单无需再处理") && html.contains("已完成"), "{html}");
    problem(t.client.get(t.url("/admin/orders/00000000-0000-0000-0000-000000000000")).send().await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;
    // A catalog clerk has no order screens.
    t.staff("clerk@seller.example", "catalog").await;
    t.login("clerk@seller.example").await;
    problem(t.client.get(t.url("/admin/orders")).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
});

db_test!(async fn stock_imports_backorders_and_lead_times(db) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings { media_dir: Some(dir.path().to_path_buf()), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    let (staff, buyer, _company) = shop(&t).await;
    let import = |body: &'static str| {
        reqwest::Client::new()
            .post(t.url("/api/v1/admin/stock/import"))
            .bearer_auth(&staff)
            .header("content-type", "text/csv")
            .body(body)
    };
    // One bad row applies nothing; every bad row is named by its line.
    let r = import("sku,on_hand,warehouse,backorders\nHB-M8X20,5,,\nNOPE,3,,\nHB-M8X30,x,,\nHB-M8X30,1,north,\nHB-M8X30,1,,perhaps\n").send().await.unwrap();
    let p = problem(r, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["line 3: sku", "line 4: on_hand", "line 5: warehouse", "line 6: backorders"], "{p}");
    let levels = ok(call(&t, Method::GET, "/api/v1/admin/stock/HB-M8X20", &staff, None).await, StatusCode::OK).await;
    assert_eq!(levels["levels"], json!([]), "nothing applied: {levels}");
    problem(import("part,count\nHB-M8X20,5\n").send().await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    let r = import("sku,on_hand,backorders,lead_time_days\nhb-m8x20,5,yes,14\nHB-M8X30,3,,\n").send().await.unwrap();
    let applied = ok(r, StatusCode::OK).await;
    assert_eq!(applied["applied"], 2);
    assert_eq!((applied["items"][0]["sku"].as_str(), applied["items"][0]["backorders"].as_bool(), applied["items"][0]["lead_time_days"].as_i64()), (Some("HB-M8X20"), Some(true), Some(14)));

    // 8 of a SKU with 5 in stock that takes backorders: ordered, 3 on backorder.
    let cart = cart_with(&t, &buyer, None, &[("HB-M8X20", "8")]).await;
    let order = ok(place(&t, &buyer, &order_body(&cart, json!({ "method": "bank_transfer" })), None).await, StatusCode::CREATED).await;
    let levels = ok(call(&t, Method::GET, "/api/v1/admin/stock/HB-M8X20", &staff, None).await, StatusCode::OK).await;
    assert_eq!((levels["levels"][0]["on_hand"].as_str(), levels["levels"][0]["reserved"].as_str(), levels["available"].as_str()), (Some("5"), Some("8"), Some("0")), "{levels}");
    let product = ok(call(&t, Method::GET, "/api/v1/products/hex-bolt-m8?market=cn", &buyer, None).await, StatusCode::OK).await;
    let v = product["variants"].as_array().unwrap().iter().find(|v| v["sku"] == "HB-M8X20").unwrap().clone();
    assert_eq!(v["stock"], json!({ "status": "backorder", "lead_time_days": 14 }), "{v}");
    // Without backorders, stock is a hard limit.
    let cart = cart_with(&t, &buyer, None, &[("HB-M8X30", "4")]).await;
    problem(place(&t, &buyer, &order_body(&cart, json!({ "method": "bank_transfer" })), None).await, StatusCode::CONFLICT, "out_of_stock").await;

    // The backordered goods cannot ship before they arrive.
    let id = order["id"].as_str().unwrap();
    ok(call(&t, Method::POST, &format!("/api/v1/admin/orders/{id}/confirm"), &staff, None).await, StatusCode::OK).await;
    let ship = json!({ "carrier": "DHL" });
    problem(call(&t, Method::POST, &format!("/api/v1/admin/orders/{id}/shipments"), &staff, Some(ship.clone())).await, StatusCode::CONFLICT, "not_on_hand").await;
    let levels = ok(call(&t, Method::GET, "/api/v1/admin/stock/HB-M8X20", &staff, None).await, StatusCode::OK).await;
    assert_eq!(levels["levels"][0]["on_hand"], "5", "nothing left the warehouse");
    stock(&t, &staff, "HB-M8X20", "20").await;
    let shipped = ok(call(&t, Method::POST, &format!("/api/v1/admin/orders/{id}/shipments"), &staff, Some(ship)).await, StatusCode::OK).await;
    assert_eq!(shipped["status"], "shipped");
    let levels = ok(call(&t, Method::GET, "/api/v1/admin/stock/HB-M8X20", &staff, None).await, StatusCode::OK).await;
    assert_eq!((levels["levels"][0]["on_hand"].as_str(), levels["available"].as_str()), (Some("12"), Some("12")), "{levels}");

    // The policy alone, and its bounds.
    let v = ok(call(&t, Method::PUT, "/api/v1/admin/stock/HB-M8X20/policy", &staff, Some(json!({ "backorders": false }))).await, StatusCode::OK).await;
    assert_eq!((v["backorders"].as_bool(), v["lead_time_days"].is_null()), (Some(false), true));
    problem(call(&t, Method::PUT, "/api/v1/admin/stock/HB-M8X20/policy", &staff, Some(json!({ "backorders": true, "lead_time_days": 400 }))).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    problem(call(&t, Method::PUT, "/api/v1/admin/stock/NOPE/policy", &staff, Some(json!({ "backorders": true }))).await, StatusCode::NOT_FOUND, "not_found").await;
    problem(call(&t, Method::PUT, "/api/v1/admin/stock/HB-M8X20/policy", &buyer, Some(json!({ "backorders": true }))).await, StatusCode::FORBIDDEN, "forbidden").await;
});

db_test!(async fn buyers_pay_by_card_and_order_from_a_file_on_the_storefront(db) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings { media_dir: Some(dir.path().to_path_buf()), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    let (staff, _buyer, _company) = shop(&t).await;
    stock(&t, &staff, "HB-M8X20", "100").await;
    stock(&t, &staff, "HB-M8X30", "100").await;
    t.login("buyer@a.example").await;
    let html = t.client.get(t.url("/cart?lang=en")).send().await.unwrap().text().await.unwrap();
    let csrf = crate::admin_pages::hidden_token(&html);
    let upload = |csrf: &str, name: &'static str, body: &'static [u8]| {
        reqwest::multipart::Form::new()
            .text("csrf_token", csrf.to_string())
            .part("file", reqwest::multipart::Part::bytes(body).file_name(name))
    };
    let r = t.client.post(t.url("/cart/quick/upload?lang=en")).multipart(upload(csrf.as_str(), "order.csv", b"Part Number;Qty\nHB-M8X20;10\nNOPE-9;1\nhb-m8x30;\n")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("added (10)") && html.contains("NOPE-9") && html.contains("added (1)"), "{html}");
    let r = t.client.post(t.url("/cart/quick/upload?lang=en")).multipart(upload(csrf.as_str(), "order.xlsx", b"PK\x03\x04broken")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = t.client.post(t.url("/cart/quick/upload")).multipart(upload("forged", "order.csv", b"HB-M8X20,1\n")).send().await.unwrap();
    problem(r, StatusCode::FORBIDDEN, "csrf_failed").await;

    let html = t.client.get(t.url("/checkout?lang=en&shipping_method=standard")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("value=\"card\"") && html.contains("4242 4242 4242 4242"), "{html}");
    let mut form = vec![
        ("csrf_token", csrf.clone()), ("key", field_value(&html, "key")), ("shipping_method", "standard".to_string()),
        ("address", field_value(&html, "address")), ("payment", "card".to_string()), ("card_token", "4000 0000 0000 0002".to_string()),
        ("po_number", String::new()), ("delivery_date", String::new()), ("note", String::new()),
    ];
    let r = t.client.post(t.url("/checkout?lang=en")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT, "declined");
    let html = r.text().await.unwrap();
    assert!(html.contains("role=\"alert\"") && !html.contains("value=\"4000 0000 0000 0002\""), "the card number is not echoed: {html}");
    let levels = ok(call(&t, Method::GET, "/api/v1/admin/stock/HB-M8X20", &staff, None).await, StatusCode::OK).await;
    assert!(levels.to_string().contains("\"reserved\":\"0"), "nothing held after a decline: {levels}");
    form[1].1 = field_value(&html, "key");
    form[5].1 = "4242 4242 4242 4242".to_string();
    let r = t.client.post(t.url("/checkout")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let html = t.client.get(t.url(&format!("{location}&lang=en"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Card") && html.contains("Placed") && html.contains("confirmation.pdf"), "{html}");
    let path = location.trim_end_matches("?placed=1");
    let pdf = t.client.get(t.url(&format!("{path}/confirmation.pdf?lang=en"))).send().await.unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    let bytes = pdf.bytes().await.unwrap();
    if let Some(text) = pdf_text(&bytes) {
        assert!(text.contains("Order confirmation") && text.contains("Card") && text.contains("HB-M8X30"), "{text}");
    }
    // Another company's buyer gets no PDF of it.
    let other = ok(call(&t, Method::POST, "/api/v1/admin/companies", &staff, Some(json!({ "name": "乙公司", "market": "cn" }))).await, StatusCode::CREATED).await;
    user_of(&t, &staff, &other, "buyer@b.example", "admin").await;
    let r = t.client.get(t.url(&format!("{path}/confirmation.pdf"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
});

/// The text of a PDF by Debian's `pdftotext` (poppler-utils), or `None`
/// (with SKIPPED on stderr) where it is missing; CI installs it and fails
/// without it.
fn pdf_text(bytes: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.pdf");
    std::fs::write(&file, bytes).unwrap();
    match std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
    {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        _ if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("pdftotext is missing (poppler-utils)")
        }
        _ => {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: pdftotext is missing; the PDF's text is not checked"
            );
            None
        }
    }
}
