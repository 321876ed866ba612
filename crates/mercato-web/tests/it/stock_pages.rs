//! The back office's stock screen (S3) on both databases: warehouse staff
//! list and filter stock, count a SKU, set its supply policy, upload a
//! stock file (all or nothing) and export the list; other roles, forged
//! forms and buyers are kept out.

use super::orders::{shop, stock};
use super::{PASSWORD, TestApp, problem};
use crate::admin_pages::hidden_token;
use crate::companies::{call, ok};
use mercato_testkit::db_test;
use reqwest::{Client, Method, StatusCode};
use serde_json::json;

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

fn stock_file(csrf: &str, body: &'static str) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new()
        .text("csrf_token", csrf.to_string())
        .part(
            "file",
            reqwest::multipart::Part::bytes(body.as_bytes().to_vec()).file_name("stock.csv"),
        )
}

db_test!(async fn warehouse_staff_run_stock_from_the_back_office(db) {
    // The test catalog's import stores its images: it needs a media folder.
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings {
        media_dir: Some(dir.path().to_path_buf()),
        ..crate::test_settings()
    };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    let (staff, _buyer, _company) = shop(&t).await;
    stock(&t, &staff, "HB-M8X20", "100").await;
    t.staff("wh@x.example", "warehouse").await;
    let wh = signed_in(&t, "wh@x.example").await;

    // The list: every active SKU, the uncounted one at 0; the menu has it.
    let (status, html) = page(&wh, &t, "/admin/stock?lang=en").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("<a href=\"/admin/stock\">Stock</a>"), "{html}");
    assert!(html.contains("HB-M8X20") && html.contains("HB-M8X30") && html.contains("Hex bolt M8"), "{html}");
    assert!(html.contains("API · ") && html.contains("Never counted"), "{html}");
    // Low or out of stock: the uncounted SKU only; a higher threshold takes both.
    let (_, html) = page(&wh, &t, "/admin/stock?low=1&lang=en").await;
    assert!(html.contains("HB-M8X30") && !html.contains("HB-M8X20"), "{html}");
    let (_, html) = page(&wh, &t, "/admin/stock?low=1&threshold=100&lang=en").await;
    assert!(html.contains("HB-M8X30") && html.contains("HB-M8X20"), "{html}");
    let (status, html) = page(&wh, &t, "/admin/stock?low=1&threshold=-1&lang=en").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("is not a quantity from 0"), "{html}");
    // Text: a folded part number or the product's name; a warehouse.
    let (_, html) = page(&wh, &t, "/admin/stock?q=m8x3").await;
    assert!(html.contains("HB-M8X30") && !html.contains("HB-M8X20"), "{html}");
    let (_, html) = page(&wh, &t, "/admin/stock?q=%E5%A4%96%E5%85%AD%E8%A7%92").await;
    assert!(html.contains("HB-M8X30") && html.contains("HB-M8X20"), "{html}");
    let (_, html) = page(&wh, &t, "/admin/stock?q=nothing-like-it&lang=en").await;
    assert!(html.contains("No stock matches"), "{html}");
    let (_, html) = page(&wh, &t, "/admin/stock?warehouse=main&low=1&lang=en").await;
    assert!(html.contains("HB-M8X30") && !html.contains("HB-M8X20"), "{html}");

    // A count from the list returns to it, recorded as set by staff.
    let csrf = hidden_token(&html);
    let res = wh
        .post(t.url("/admin/stock/HB-M8X30/level"))
        .form(&[("csrf_token", csrf.as_str()), ("warehouse", "main"), ("on_hand", "7"), ("back", "/admin/stock?low=1")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/admin/stock?low=1&saved=HB-M8X30");
    let v = ok(call(&t, Method::GET, "/api/v1/admin/stock/HB-M8X30", &staff, None).await, StatusCode::OK).await;
    assert_eq!((v["levels"][0]["warehouse"].as_str(), v["levels"][0]["on_hand"].as_str()), (Some("main"), Some("7")), "{v}");
    let (_, html) = page(&wh, &t, "/admin/stock?q=HB-M8X30&lang=en").await;
    assert!(html.contains("Staff · "), "{html}");

    // Bad quantities re-render with the reason and change nothing.
    for bad in ["1,5", "-3", "abc", ""] {
        let res = wh
            .post(t.url("/admin/stock/HB-M8X30/level"))
            .form(&[("csrf_token", csrf.as_str()), ("warehouse", "main"), ("on_hand", bad)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
        let html = res.text().await.unwrap();
        assert!(html.contains("HB-M8X30 not saved"), "{bad:?}: {html}");
    }
    let v = ok(call(&t, Method::GET, "/api/v1/admin/stock/HB-M8X30", &staff, None).await, StatusCode::OK).await;
    assert_eq!(v["levels"][0]["on_hand"], "7", "{v}");

    // A supply policy with a lead time, from the SKU's page.
    let res = wh
        .post(t.url("/admin/stock/HB-M8X30/policy"))
        .form(&[("csrf_token", csrf.as_str()), ("backorders", "1"), ("lead_time_days", "14")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/admin/stock/HB-M8X30?saved=policy");
    let v = ok(call(&t, Method::GET, "/api/v1/admin/stock/HB-M8X30", &staff, None).await, StatusCode::OK).await;
    assert_eq!((v["backorders"].as_bool(), v["lead_time_days"].as_i64()), (Some(true), Some(14)), "{v}");
    let (status, html) = page(&wh, &t, "/admin/stock/HB-M8X30?saved=policy&lang=en").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Supply policy saved.") && html.contains("Backorders, 14 days lead time"), "{html}");
    for bad in ["two weeks", "400"] {
        let res = wh
            .post(t.url("/admin/stock/HB-M8X30/policy"))
            .form(&[("csrf_token", csrf.as_str()), ("backorders", "1"), ("lead_time_days", bad)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
    }
    let (status, _) = page(&wh, &t, "/admin/stock/NOPE").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A stock file with one bad row: nothing applied, the row named.
    let res = wh
        .post(t.url("/admin/stock"))
        .multipart(stock_file(&csrf, "sku,on_hand\nHB-M8X20,5\nNOPE,3\n"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("stock.csv line 3: sku: there is no SKU &#34;NOPE&#34;") || html.contains("stock.csv line 3: sku: there is no SKU &quot;NOPE&quot;"), "{html}");
    let v = ok(call(&t, Method::GET, "/api/v1/admin/stock/HB-M8X20", &staff, None).await, StatusCode::OK).await;
    assert_eq!(v["levels"][0]["on_hand"], "100", "nothing applied: {v}");
    let res = wh
        .post(t.url("/admin/stock"))
        .multipart(stock_file(&csrf, "sku,on_hand\nHB-M8X20,5\n"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/admin/stock?imported=1");
    let v = ok(call(&t, Method::GET, "/api/v1/admin/stock/HB-M8X20", &staff, None).await, StatusCode::OK).await;
    assert_eq!(v["levels"][0]["on_hand"], "5", "{v}");

    // The export: the same filters, the import's columns.
    let res = wh.get(t.url("/admin/stock.csv?lang=en")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "sku,product,warehouse,on_hand,reserved,available,backorders,lead_time_days,source,updated_at");
    assert!(lines[1].starts_with("HB-M8X20,Hex bolt M8,main,5,0,5,no,,staff,"), "{csv}");
    assert!(lines[2].starts_with("HB-M8X30,Hex bolt M8,main,7,0,7,yes,14,staff,"), "{csv}");
    assert_eq!(lines.len(), 3, "{csv}");
    let res = wh.get(t.url("/admin/stock.csv?low=1&threshold=6")).send().await.unwrap();
    let csv = res.text().await.unwrap();
    assert!(csv.contains("HB-M8X20") && !csv.contains("HB-M8X30"), "{csv}");

    // The shop admin's cookie session works the screen too.
    t.login("admin@seller.example").await;
    let (status, _) = page(&t.client, &t, "/admin/stock").await;
    assert_eq!(status, StatusCode::OK);
});

db_test!(async fn the_stock_screen_keeps_out_other_roles_and_forged_forms(db) {
    // The test catalog's import stores its images: it needs a media folder.
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings {
        media_dir: Some(dir.path().to_path_buf()),
        ..crate::test_settings()
    };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    let (_staff, _buyer, _company) = shop(&t).await;
    // Not signed in: to the sign-in page.
    let anon = Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let res = anon.get(t.url("/admin/stock")).send().await.unwrap();
    assert_eq!(res.headers()["location"], "/admin/login");
    // A buyer (t.client's session after `shop`): to their account.
    t.login("buyer@a.example").await;
    let res = t.client.get(t.url("/admin/stock")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/account");
    // Catalog staff: refused, and no menu entry.
    t.staff("cat@x.example", "catalog").await;
    let cat = signed_in(&t, "cat@x.example").await;
    problem(cat.get(t.url("/admin/stock")).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
    problem(cat.get(t.url("/admin/stock.csv")).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
    let (_, html) = page(&cat, &t, "/admin/products").await;
    assert!(!html.contains("href=\"/admin/stock\""), "{html}");
    // A forged token changes nothing.
    t.staff("wh@x.example", "warehouse").await;
    let wh = signed_in(&t, "wh@x.example").await;
    let res = wh
        .post(t.url("/admin/stock/HB-M8X20/level"))
        .form(&[("csrf_token", "forged"), ("warehouse", "main"), ("on_hand", "9")])
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::FORBIDDEN, "csrf_failed").await;
    let res = wh
        .post(t.url("/admin/stock/HB-M8X20/policy"))
        .form(&[("csrf_token", "forged"), ("backorders", "1")])
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::FORBIDDEN, "csrf_failed").await;
    let res = wh
        .post(t.url("/admin/stock"))
        .multipart(stock_file("forged", "sku,on_hand\nHB-M8X20,9\n"))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::FORBIDDEN, "csrf_failed").await;
    let (_, html) = page(&wh, &t, "/admin/stock?q=HB-M8X20&lang=en").await;
    assert!(html.contains("Never counted") && !html.contains("Staff · "), "{html}");
});
