//! The back office's order list over HTTP, on both databases: one step
//! taken on several ticked orders at once (each refusal named), and the
//! filtered list downloaded as CSV and XLSX.

use super::companies::ok;
use super::orders::{cart_with, order_body, place, shop, stock};
use super::{TestApp, problem};
use mercato_testkit::db_test;
use reqwest::StatusCode;
use serde_json::json;

db_test!(async fn staff_take_one_step_on_many_orders_and_download_the_list(db) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings { media_dir: Some(dir.path().to_path_buf()), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    let (staff, buyer, _company) = shop(&t).await;
    stock(&t, &staff, "HB-M8X20", "1000").await;
    let mut orders = Vec::new();
    for qty in ["10", "20"] {
        let cart = cart_with(&t, &buyer, None, &[("HB-M8X20", qty)]).await;
        let o = ok(place(&t, &buyer, &order_body(&cart, json!({ "method": "bank_transfer" })), None).await, StatusCode::CREATED).await;
        orders.push((o["id"].as_str().unwrap().to_string(), o["number"].as_str().unwrap().to_string()));
    }
    t.login("admin@seller.example").await;
    let html = t.client.get(t.url("/admin/orders?lang=en")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("action=\"/admin/orders/bulk\"") && html.contains(&format!("name=\"id\" value=\"{}\"", orders[0].0)), "{html}");
    assert!(html.contains("href=\"/admin/orders.csv?status=") && html.contains("href=\"/admin/orders.xlsx?status="), "{html}");
    let csrf = crate::admin_pages::hidden_token(&html);
    let bulk = |form: Vec<(&str, String)>| t.client.post(t.url("/admin/orders/bulk?lang=en")).form(&form).send();

    // Confirm both at once.
    let res = bulk(vec![("csrf_token", csrf.clone()), ("action", "confirm".into()), ("id", orders[0].0.clone()), ("id", orders[1].0.clone())]).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Confirm: 2 orders done."), "{html}");
    // A step the state machine refuses: each order named with the reason,
    // nothing changed.
    let res = bulk(vec![("csrf_token", csrf.clone()), ("action", "release".into()), ("id", orders[0].0.clone()), ("id", orders[1].0.clone())]).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Release hold: 0 orders done.") && html.contains(&format!("<li>{}: an order that is confirmed cannot be released from hold</li>", orders[0].1)) && html.contains(&format!("<li>{}: ", orders[1].1)), "{html}");
    // Then one of them on hold, only that one.
    let res = bulk(vec![("csrf_token", csrf.clone()), ("action", "hold".into()), ("id", orders[1].0.clone())]).await.unwrap();
    assert!(res.text().await.unwrap().contains("1 orders done."));
    // Nothing ticked, no step chosen, a forged token: refused, nothing done.
    let res = bulk(vec![("csrf_token", csrf.clone()), ("action", "cancel".into())]).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Select at least one order."));
    let res = bulk(vec![("csrf_token", csrf.clone()), ("action", "".into()), ("id", orders[0].0.clone())]).await.unwrap();
    assert!(res.text().await.unwrap().contains("Choose the step"));
    let res = bulk(vec![("csrf_token", "forged".into()), ("action", "cancel".into()), ("id", orders[0].0.clone())]).await.unwrap();
    problem(res, StatusCode::FORBIDDEN, "csrf_failed").await;

    // The list as CSV, filtered as on screen, and as XLSX.
    let csv = t.client.get(t.url("/admin/orders.csv?status=on_hold")).send().await.unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-disposition"].to_str().unwrap().contains("mercato-orders.csv"));
    let csv = csv.text().await.unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].starts_with("number,placed_at,company,company_id,market,status,"), "{csv}");
    assert_eq!(lines.len(), 2, "one order on hold: {csv}");
    assert!(lines[1].starts_with(&format!("{},", orders[1].1)) && lines[1].contains(",on_hold,bank_transfer,") && lines[1].contains(",CNY,"), "{csv}");
    let all = t.client.get(t.url("/admin/orders.csv")).send().await.unwrap().text().await.unwrap();
    assert_eq!(all.lines().count(), 3, "{all}");
    let xlsx = t.client.get(t.url("/admin/orders.xlsx")).send().await.unwrap();
    assert_eq!(xlsx.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
    let body = problem(t.client.get(t.url("/admin/orders.csv?status=lost")).send().await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["code"], "unknown_status");

    // Buyers have neither.
    let anon = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    assert_eq!(anon.get(t.url("/admin/orders.csv")).send().await.unwrap().headers()["location"], "/admin/login");
});
