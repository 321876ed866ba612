//! The dashboard over HTTP on both databases: figures checked against the
//! orders placed (cancelled ones are not sales), the charts drawn as SVG,
//! each chart's CSV, and bad filters answered with clear 4xx.

use super::companies::{call, ok};
use super::orders::{cart_with, order_body, place, shop, stock};
use super::{TestApp, problem};
use mercato_testkit::db_test;
use reqwest::{Method, StatusCode};
use rust_decimal::Decimal;
use serde_json::json;
use std::str::FromStr;

db_test!(async fn the_dashboard_shows_what_happened(db) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings { media_dir: Some(dir.path().to_path_buf()), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    let (staff, buyer, _company) = shop(&t).await;
    stock(&t, &staff, "HB-M8X20", "1000").await;
    stock(&t, &staff, "HB-M8X30", "1000").await;
    // Three orders; the third is cancelled and must not count.
    let mut totals = Vec::new();
    for lines in [vec![("HB-M8X20", "10")], vec![("HB-M8X20", "5"), ("HB-M8X30", "300")], vec![("HB-M8X30", "7")]] {
        let cart = cart_with(&t, &buyer, None, &lines).await;
        let order = ok(place(&t, &buyer, &order_body(&cart, json!({ "method": "bank_transfer" })), None).await, StatusCode::CREATED).await;
        totals.push((order["id"].as_str().unwrap().to_string(), Decimal::from_str(order["totals"]["total"]["amount"].as_str().unwrap()).unwrap()));
    }
    ok(call(&t, Method::POST, &format!("/api/v1/orders/{}/cancel", totals[2].0), &buyer, None).await, StatusCode::OK).await;
    let revenue = totals[0].1 + totals[1].1;
    let c = reqwest::Client::new();
    let r = c.post(t.url("/api/v1/inquiries")).header("idempotency-key", "rfq-1")
        .json(&json!({ "kind": "quote", "name": "Li Wei", "company": "Acme", "email": "li@acme.example", "items": [{ "sku": "HB-M8X20", "quantity": 500 }], "market": "cn" }))
        .send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);

    // A visitor searches for something the catalog lacks (counted first-party).
    let visitor = reqwest::Client::builder().user_agent("Mozilla/5.0 (X11; Linux x86_64) Chrome/120").build().unwrap();
    assert_eq!(visitor.get(t.url("/search?q=unobtainium&lang=en")).send().await.unwrap().status(), StatusCode::OK);
    t.traffic.flush(&t.app).await.unwrap();

    // Not for buyers or visitors.
    let anon = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    assert_eq!(anon.get(t.url("/admin/dashboard")).send().await.unwrap().headers()["location"], "/admin/login");

    t.login("admin@seller.example").await;
    let today = time::OffsetDateTime::now_utc().date();
    let html = t.client.get(t.url("/admin/dashboard?lang=en")).send().await.unwrap().text().await.unwrap();
    let cny = |d: Decimal| format!("{} CNY", d.round_dp(2));
    // Orders 2 (one cancelled), revenue and average as the orders said.
    assert!(html.contains("<dt>Orders</dt><dd>2</dd>"), "{html}");
    assert!(html.contains(&format!("<dt>Revenue (CNY)</dt><dd>{}</dd>", cny(revenue))), "{html}");
    assert!(html.contains(&format!("<dt>Average order value (CNY)</dt><dd>{}</dd>", cny((revenue / Decimal::from(2)).round_dp(2)))), "{html}");
    assert!(html.contains("<dt>Carts started</dt><dd>3</dd>") && html.contains("<dt>Inquiries</dt><dd>1</dd>"), "{html}");
    assert!(html.contains("<svg") && html.contains("class=\"bar\"") && html.contains("Sales in CNY"), "{html}");
    assert!(html.contains("HB-M8X30 · ") && html.contains("甲公司") && html.contains("Bolts"), "{html}");
    assert!(html.contains("<a href=\"/admin/dashboard\">"), "the menu links the dashboard: {html}");
    assert!(html.contains("<dt>Visits</dt><dd>1</dd>") && html.contains("Searches that found nothing") && html.contains("unobtainium"), "{html}");
    let html = t.client.get(t.url("/admin/dashboard?lang=zh-CN")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("仪表板") && html.contains("热销产品"), "{html}");

    // The CSV of each chart: the same figures, the day of the orders.
    let q = format!("from={}&to={}&market=cn", today - time::Duration::days(6), today);
    let res = t.client.get(t.url(&format!("/admin/dashboard/sales.csv?{q}"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "bucket,currency,orders,revenue,average_order_value");
    assert_eq!(lines.len(), 1 + 7, "every day of the week, quiet ones too: {csv}");
    let last: Vec<&str> = lines[7].split(',').collect();
    assert_eq!((last[0], last[1], last[2]), (today.to_string().as_str(), "CNY", "2"), "{csv}");
    assert_eq!(Decimal::from_str(last[3]).unwrap(), revenue);
    let csv = t.client.get(t.url(&format!("/admin/dashboard/products.csv?{q}"))).send().await.unwrap().text().await.unwrap();
    assert!(csv.contains("key,name,units,currency,revenue") && csv.contains("HB-M8X30,") && csv.contains(",300,CNY,"), "{csv}");
    let csv = t.client.get(t.url(&format!("/admin/dashboard/companies.csv?{q}"))).send().await.unwrap().text().await.unwrap();
    assert!(csv.contains("甲公司,2,CNY,"), "{csv}");
    let csv = t.client.get(t.url(&format!("/admin/dashboard/zero-results.csv?{q}"))).send().await.unwrap().text().await.unwrap();
    assert!(csv.contains("unobtainium,1"), "{csv}");
    let csv = t.client.get(t.url(&format!("/admin/dashboard/funnel.csv?{q}"))).send().await.unwrap().text().await.unwrap();
    assert!(csv.contains("visits,1") && csv.contains("carts_started,3") && csv.contains("orders,2"), "{csv}");
    let csv = t.client.get(t.url(&format!("/admin/dashboard/inquiries.csv?{q}"))).send().await.unwrap().text().await.unwrap();
    assert!(csv.contains("quote,new,1"), "{csv}");
    let csv = t.client.get(t.url(&format!("/admin/dashboard/sales.csv?{q}&bucket=week"))).send().await.unwrap().text().await.unwrap();
    let monday = today - time::Duration::days(i64::from(today.weekday().number_days_from_monday()));
    assert!(csv.contains(&format!("{monday},CNY,2,")), "weeks are labelled by their Monday: {csv}");

    // Bad filters: a clear 4xx, on the page and for the CSV.
    for (query, words) in [
        ("from=2026-12-07&to=2026-12-01", "ends before it starts"),
        ("from=2020-01-01&to=2026-01-01", "at most 731"),
        ("from=yesterday", "is not a date"),
        ("market=mars", "There is no market"),
        ("bucket=hour", "is not a grouping"),
    ] {
        let res = t.client.get(t.url(&format!("/admin/dashboard?{query}&lang=en"))).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        let html = res.text().await.unwrap();
        assert!(html.contains("role=\"alert\"") && html.contains(words), "{query}: {html}");
        let res = t.client.get(t.url(&format!("/admin/dashboard/sales.csv?{query}"))).send().await.unwrap();
        problem(res, StatusCode::UNPROCESSABLE_ENTITY, "invalid_filter").await;
    }
    problem(t.client.get(t.url("/admin/dashboard?colour=red")).send().await.unwrap(), StatusCode::BAD_REQUEST, "unknown_filter").await;
    problem(t.client.get(t.url("/admin/dashboard/secrets.csv")).send().await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;
});

/// Runs `sql` (binding `ts` then `id`) straight on the database: moving an
/// order into the past, or changing it behind the platform's back.
async fn raw(t: &TestApp, sql: &str, ts: mercato_store::Timestamp, id: uuid::Uuid) {
    match t.app.db() {
        mercato_store::Db::Sqlite(s) => {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(ts)
                .bind(id)
                .execute(s.pool())
                .await
                .unwrap();
        }
        mercato_store::Db::Pg(p) => {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(ts)
                .bind(id)
                .execute(p)
                .await
                .unwrap();
        }
    }
}

db_test!(async fn closed_days_come_from_rollups_that_follow_every_change(db) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings { media_dir: Some(dir.path().to_path_buf()), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    let (staff, buyer, _company) = shop(&t).await;
    stock(&t, &staff, "HB-M8X20", "1000").await;
    stock(&t, &staff, "HB-M8X30", "1000").await;
    let mut ids = Vec::new();
    for lines in [vec![("HB-M8X20", "10")], vec![("HB-M8X20", "5"), ("HB-M8X30", "300")], vec![("HB-M8X30", "7")]] {
        let cart = cart_with(&t, &buyer, None, &lines).await;
        let order = ok(place(&t, &buyer, &order_body(&cart, json!({ "method": "bank_transfer" })), None).await, StatusCode::CREATED).await;
        ids.push(uuid::Uuid::parse_str(order["id"].as_str().unwrap()).unwrap());
    }
    // A range from a Wednesday: the first order on that edge day (a day
    // row), the second inside a whole week (a week row), the third today (live).
    let today = time::OffsetDateTime::now_utc().date();
    let monday = today - time::Duration::days(i64::from(today.weekday().number_days_from_monday()));
    let from = monday - time::Duration::days(33);
    let in_a_week = monday - time::Duration::days(13);
    let at = |d: time::Date| mercato_store::Timestamp::from(d.with_hms(10, 0, 0).unwrap().assume_utc());
    raw(&t, "UPDATE sales_order SET placed_at = $1, updated_at = $1 WHERE order_id = $2", at(from), ids[0]).await;
    raw(&t, "UPDATE sales_order SET placed_at = $1, updated_at = $1 WHERE order_id = $2", at(in_a_week), ids[1]).await;

    t.login("admin@seller.example").await;
    let q = format!("from={from}&to={today}");
    let csv = |name: &'static str| {
        let (t, q) = (&t, q.clone());
        async move { t.client.get(t.url(&format!("/admin/dashboard/{name}.csv?{q}"))).send().await.unwrap().text().await.unwrap() }
    };
    let figures = || async {
        let sales = csv("sales").await;
        let day = |d: time::Date| sales.lines().find(|l| l.starts_with(&d.to_string())).map(|l| l.split(',').nth(2).unwrap().to_string()).unwrap_or_default();
        let products = csv("products").await;
        let units = |sku: &str| products.lines().find(|l| l.starts_with(&format!("{sku},"))).map(|l| l.rsplit(',').nth(2).unwrap().to_string()).unwrap_or_default();
        let companies = csv("companies").await;
        let orders = companies.lines().find(|l| l.contains("甲公司")).map(|l| l.rsplit(',').nth(2).unwrap().to_string()).unwrap_or_default();
        (day(from), day(in_a_week), day(today), units("HB-M8X20"), units("HB-M8X30"), orders)
    };
    let expected = |a: &str, b: &str, c: &str, m8x20: &str, m8x30: &str, orders: &str| {
        (a.to_string(), b.to_string(), c.to_string(), m8x20.to_string(), m8x30.to_string(), orders.to_string())
    };
    assert_eq!(figures().await, expected("1", "1", "1", "15", "307", "3"));
    let again = mercato_app::reports::refresh_rollups(&t.app).await.unwrap();
    assert_eq!((again.days, again.closed_before), (0, today), "nothing changed since the dashboard summed the days");

    // Changed behind the platform's back (no updated_at): the closed days
    // still read from the rollups, which proves they are the ones read.
    raw(&t, "UPDATE order_line SET quantity = quantity * 2 WHERE order_id = $2 AND $1 IS NOT NULL", at(today), ids[0]).await;
    raw(&t, "UPDATE order_line SET quantity = quantity * 2 WHERE order_id = $2 AND $1 IS NOT NULL", at(today), ids[1]).await;
    assert_eq!(figures().await, expected("1", "1", "1", "15", "307", "3"));

    // Cancelling the old orders through the platform stamps them changed:
    // their day and week are summed again, with the lines as they now are.
    ok(call(&t, Method::POST, &format!("/api/v1/orders/{}/cancel", ids[0]), &buyer, None).await, StatusCode::OK).await;
    // The second order's day was not: it still reads as it was summed.
    assert_eq!(figures().await, expected("0", "1", "1", "5", "307", "2"));
    ok(call(&t, Method::POST, &format!("/api/v1/orders/{}/cancel", ids[1]), &buyer, None).await, StatusCode::OK).await;
    assert_eq!(figures().await, expected("0", "0", "1", "", "7", "1"));
});
