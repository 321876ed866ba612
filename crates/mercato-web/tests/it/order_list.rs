//! The back office's order list over HTTP, on both databases: one step
//! taken on several ticked orders at once (each refusal named), and the
//! filtered list downloaded as CSV and XLSX (and the companies list too).

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

    // Sorted as staff choose: newest first by default, oldest first, or
    // the largest total first (the second order is twice the first).
    let position = |html: &str, n: &str| html.find(&format!(">{n}</a>")).unwrap();
    let html = t.client.get(t.url("/admin/orders?lang=en")).send().await.unwrap().text().await.unwrap();
    assert!(position(&html, &orders[1].1) < position(&html, &orders[0].1), "newest first");
    let html = t.client.get(t.url("/admin/orders?sort=oldest&lang=en")).send().await.unwrap().text().await.unwrap();
    assert!(position(&html, &orders[0].1) < position(&html, &orders[1].1), "oldest first");
    assert!(html.contains("<option value=\"oldest\" selected>Oldest first</option>"), "{html}");
    assert!(html.contains("name=\"query\" value=\"sort=oldest\""), "a view keeps the sort: {html}");
    let html = t.client.get(t.url("/admin/orders?sort=total&lang=en")).send().await.unwrap().text().await.unwrap();
    assert!(position(&html, &orders[1].1) < position(&html, &orders[0].1), "largest first");
    let csv = t.client.get(t.url("/admin/orders.csv?sort=oldest")).send().await.unwrap().text().await.unwrap();
    assert!(csv.find(&orders[0].1).unwrap() < csv.find(&orders[1].1).unwrap(), "the export follows the sort: {csv}");
    let body = problem(t.client.get(t.url("/admin/orders?sort=cheapest")).send().await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["code"], "unknown_sort");
    problem(t.client.get(t.url("/admin/orders?sort=total&cursor=nonsense")).send().await.unwrap(), StatusCode::BAD_REQUEST, "invalid_cursor").await;

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

    // The companies list downloads the same way, filtered as on screen.
    let csv = t.client.get(t.url("/admin/companies.csv?q=%E7%94%B2")).send().await.unwrap();
    assert!(csv.headers()["content-disposition"].to_str().unwrap().contains("mercato-companies.csv"));
    let csv = csv.text().await.unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "name,company_id,status,country,market,currency,vat_number,registration_number,customer_group,tier,best_of_prices,created_at");
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[1].starts_with("甲公司,") && lines[1].contains(",active,CN,cn,CNY,"), "{csv}");
    let html = t.client.get(t.url("/admin/companies?lang=en")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("href=\"/admin/companies.xlsx?q="), "{html}");
    let xlsx = t.client.get(t.url("/admin/companies.xlsx")).send().await.unwrap().bytes().await.unwrap();
    assert!(xlsx.starts_with(b"PK"));

    // Buyers have neither.
    let anon = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    assert_eq!(anon.get(t.url("/admin/orders.csv")).send().await.unwrap().headers()["location"], "/admin/login");
});

db_test!(async fn sales_staff_assign_and_move_on_many_inquiries_at_once(db) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings { media_dir: Some(dir.path().to_path_buf()), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    shop(&t).await; // the cn market and its catalog
    t.staff("rep@seller.example", "sales_rep").await;
    let anon = reqwest::Client::new();
    let mut numbers = Vec::new();
    for (i, kind) in ["quote", "sample", "quote"].into_iter().enumerate() {
        let r = anon.post(t.url("/api/v1/inquiries")).header("idempotency-key", format!("inq-{i}"))
            .json(&json!({ "kind": kind, "name": "Li Wei", "company": "Acme", "email": "li@acme.example", "items": [{ "sku": "HB-M8X20", "quantity": 10 }], "market": "cn" }))
            .send().await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let body: serde_json::Value = r.json().await.unwrap();
        numbers.push((body["id"].as_str().unwrap().to_string(), body["number"].as_str().unwrap().to_string()));
    }
    t.login("rep@seller.example").await;
    let html = t.client.get(t.url("/admin/inquiries?lang=en")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("action=\"/admin/inquiries/bulk\"") && html.contains("Assign to me") && html.contains("Set to “Closed”"), "{html}");
    let csrf = crate::admin_pages::hidden_token(&html);
    let bulk = |form: Vec<(&str, String)>| t.client.post(t.url("/admin/inquiries/bulk?lang=en")).form(&form).send();

    // Two of them assigned to me at once: they move to "in progress" and
    // show under "assigned to me".
    let res = bulk(vec![("csrf_token", csrf.clone()), ("step", "assign_me".into()), ("id", numbers[0].0.clone()), ("id", numbers[1].0.clone())]).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("2 inquiries updated."));
    let mine = t.client.get(t.url("/admin/inquiries?mine=1&lang=en")).send().await.unwrap().text().await.unwrap();
    assert!(mine.contains(&numbers[0].1) && mine.contains(&numbers[1].1) && !mine.contains(&numbers[2].1), "{mine}");
    assert_eq!(mine.matches("class=\"status in_progress\"").count(), 2, "{mine}");
    // Closed together, filters kept.
    let res = bulk(vec![("csrf_token", csrf.clone()), ("step", "status_closed".into()), ("mine", "1".into()), ("id", numbers[0].0.clone()), ("id", numbers[1].0.clone())]).await.unwrap();
    let html = res.text().await.unwrap();
    assert!(html.contains("2 inquiries updated.") && html.matches("class=\"status closed\"").count() == 2, "{html}");
    // Nothing ticked, an unknown step, a forged token: refused, nothing changed.
    let res = bulk(vec![("csrf_token", csrf.clone()), ("step", "unassign".into())]).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = bulk(vec![("csrf_token", csrf.clone()), ("step", "status_lost".into()), ("id", numbers[2].0.clone())]).await.unwrap();
    assert!(res.text().await.unwrap().contains("Choose what to do"));
    let res = bulk(vec![("csrf_token", "forged".into()), ("step", "unassign".into()), ("id", numbers[0].0.clone())]).await.unwrap();
    problem(res, StatusCode::FORBIDDEN, "csrf_failed").await;
    let html = t.client.get(t.url("/admin/inquiries?status=new&lang=en")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(&numbers[2].1), "the third is still new: {html}");
});
