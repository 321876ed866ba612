//! The storefront over HTTP (pages, 404s, escaping, the market's roadmap
//! step, sitemaps) and inquiries (the public API, the form with its CSRF
//! token and honeypot, staff follow-up, limits). The same journeys run in
//! a real browser in `tests/browser.rs`.

use super::admin_pages::hidden_token;
use super::catalog::{CSV, setup, upload};
use super::{TestApp, problem};
use mercato_testkit::db_test;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A catalog with one product (two SKUs) and a list price for one of them.
async fn shop(
    db: mercato_app::Db,
    settings: mercato_app::AppSettings,
) -> (TestApp, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings {
        media_dir: Some(dir.path().join("media")),
        ..settings
    };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    t.staff("admin@example.com", "admin").await;
    let token = t.login("admin@example.com").await["token"]
        .as_str()
        .unwrap()
        .to_string();
    setup(&t, &token).await;
    let c = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let r = c
        .post(t.url("/api/v1/admin/imports"))
        .bearer_auth(&token)
        .multipart(upload(CSV))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = c
        .post(t.url("/api/v1/admin/price-lists"))
        .bearer_auth(&token)
        .json(&json!({ "name": "List price", "currency": "CNY", "market": "cn" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = c.put(t.url(&format!("/api/v1/admin/price-lists/{id}/entries/HB-M8X20"))).bearer_auth(&token)
        .json(&json!({ "tiers": [{ "min_quantity": "1", "unit_price": "1234.50" }, { "min_quantity": "100", "unit_price": "1000" }] }))
        .send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    (t, token, dir)
}

async fn html(c: &reqwest::Client, url: String, status: StatusCode) -> String {
    let r = c
        .get(url.clone())
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), status, "{url}");
    let ct = r.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("text/html"), "{url}: {ct}");
    r.text().await.unwrap()
}

db_test!(async fn storefront_pages(db) {
    let (t, token, _dir) = shop(db, crate::test_settings()).await;
    let c = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();

    // Home and the product page in both languages, with the list price and
    // its quantity break (no search index on this node: the database lists).
    let page = html(&c, t.url("/?lang=en"), StatusCode::OK).await;
    assert!(page.contains("<html lang=\"en\">") && page.contains("href=\"/c/fasteners\""), "{page}");
    let page = html(&c, t.url("/p/hex-bolt-m8?lang=en"), StatusCode::OK).await;
    assert!(page.contains("Hex bolt M8") && page.contains("HB-M8X20") && page.contains("HB-M8X30"));
    assert!(page.contains("¥1,234.50") && page.contains("¥1,000.00"), "price and tier: {page}");
    assert!(page.contains("Price on request"), "HB-M8X30 has no price");
    assert!(page.contains("\"@type\":\"Offer\"") && page.contains("hreflang=\"zh-CN\""));
    assert!(page.contains("<link rel=\"canonical\" href=\"/p/hex-bolt-m8\">"));
    let page = html(&c, t.url("/p/hex-bolt-m8?lang=zh-CN"), StatusCode::OK).await;
    assert!(page.contains("外六角螺栓 M8") && page.contains("申请报价"));
    let page = html(&c, t.url("/c/bolts?lang=en"), StatusCode::OK).await;
    assert!(page.contains("/p/hex-bolt-m8") && page.contains("¥1,234.50"), "{page}");
    let page = html(&c, t.url("/brands?lang=en"), StatusCode::OK).await;
    assert!(page.contains("/brands/norsteel"), "{page}");
    html(&c, t.url("/brands/norsteel"), StatusCode::OK).await;

    // Unknown slugs and paths: a 404 page in the visitor's language with a
    // search box; the API keeps answering problems.
    let page = html(&c, t.url("/p/no-such-thing?lang=en"), StatusCode::NOT_FOUND).await;
    assert!(page.contains("Page not found") && page.contains("name=\"q\""));
    let page = html(&c, t.url("/c/nope?lang=zh-CN"), StatusCode::NOT_FOUND).await;
    assert!(page.contains("页面不存在"));
    html(&c, t.url("/no/such/page"), StatusCode::NOT_FOUND).await;
    let r = c.get(t.url("/api/v1/nope")).header("accept", "text/html").send().await.unwrap();
    problem(r, StatusCode::NOT_FOUND, "not_found").await;

    // Hostile input comes back as text, never as markup.
    let page = html(&c, t.url("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&lang=en"), StatusCode::OK).await;
    assert!(!page.contains("<script>alert(1)</script>"), "{page}");
    assert!(page.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "{page}");
    for q in ["%22", "(((", "a%20AND%20OR", "*", "~2^3", &"m8".repeat(500)] {
        html(&c, t.url(&format!("/search?q={q}")), StatusCode::OK).await;
    }
    html(&c, t.url("/search?sort=cheapest"), StatusCode::UNPROCESSABLE_ENTITY).await;
    // Product text from an import is text too.
    let hostile = "sku,product,category,name.en,short_description.en,attr.length\n\
        XSS-1,xss-bolt,bolts,<script>alert(1)</script> bolt,\"<img src=x onerror=alert(2)>\",20\n";
    let r = c.post(t.url("/api/v1/admin/imports")).bearer_auth(&token).multipart(upload(hostile)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let page = html(&c, t.url("/p/xss-bolt?lang=en"), StatusCode::OK).await;
    assert!(!page.contains("<script>alert(1)") && !page.contains("<img src=x"), "{page}");
    assert!(page.contains("&#60;script&#62;alert(1)&#60;/script&#62; bolt"), "{page}");
    let ld = page.split("application/ld+json\">").nth(1).unwrap().split("</script>").next().unwrap();
    assert!(ld.contains("\\u003cscript\\u003e") && !ld.contains('<'), "JSON-LD cannot end its element early: {ld}");
    let parsed: Value = serde_json::from_str(ld).unwrap();
    assert_eq!(parsed["name"], "<script>alert(1)</script> bolt");

    // Comparison: kept in a cookie, at most four, differences marked.
    let jar = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = jar.post(t.url("/compare/add")).form(&[("product", "hex-bolt-m8")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = html(&jar, t.url("/compare?lang=en"), StatusCode::OK).await;
    assert!(page.contains("href=\"/p/hex-bolt-m8\"") && page.contains("Stainless A2"), "{page}");

    // Sitemaps: an index, then one per market and language with alternates.
    let xml = c.get(t.url("/sitemap.xml")).send().await.unwrap().text().await.unwrap();
    assert!(xml.contains("/sitemaps/cn/zh-CN.xml") && xml.contains("/sitemaps/cn/en.xml"), "{xml}");
    let xml = c.get(t.url("/sitemaps/cn/en.xml")).send().await.unwrap().text().await.unwrap();
    assert!(xml.contains("/p/hex-bolt-m8?market=cn&amp;lang=en") && xml.contains("hreflang=\"zh-CN\""), "{xml}");
    assert!(xml.contains("/c/bolts"));
    let r = c.get(t.url("/sitemaps/cn/fr.xml")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let robots = c.get(t.url("/robots.txt")).send().await.unwrap().text().await.unwrap();
    assert!(robots.contains("Sitemap:") && robots.contains("Disallow: /admin"));

    // Compressed when the client accepts it.
    let r = c.get(t.url("/p/hex-bolt-m8")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(r.headers()["content-encoding"], "gzip");

    // Step 1 (digital catalog) hides prices and stock at once; quotes stay.
    let r = c.put(t.url("/api/v1/admin/markets/cn")).bearer_auth(&token)
        .json(&json!({ "name": {"en": "China", "zh-CN": "中国"}, "currency": "CNY", "languages": ["zh-CN", "en"], "countries": ["CN"], "time_zone": "Asia/Shanghai", "roadmap_step": 1, "is_default": true }))
        .send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let page = html(&c, t.url("/p/hex-bolt-m8?lang=en"), StatusCode::OK).await;
    assert!(!page.contains("¥") && !page.contains("\"@type\":\"Offer\""), "{page}");
    assert!(page.contains("Prices on request") && page.contains("/inquiry?kind=quote&amp;sku=HB-M8X20"));
    let page = html(&c, t.url("/c/bolts?lang=en"), StatusCode::OK).await;
    assert!(!page.contains("¥1,234.50"));
});

db_test!(async fn inquiries_from_the_storefront(db) {
    let settings = mercato_app::AppSettings { inquiries_per_hour: 4, ..crate::test_settings() };
    let (t, token, _dir) = shop(db, settings).await;
    t.staff("rep@example.com", "sales_rep").await;
    t.staff("cat@example.com", "catalog").await;
    let c = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let body = json!({ "kind": "quote", "name": "Li Wei", "company": "Acme", "email": "Li@Acme.example",
        "items": [{ "sku": "hb-m8x20", "quantity": 500 }, { "sku": "HB-M8X30", "quantity": "20" }], "market": "cn" });

    // Anyone may ask, with every bad field named at once.
    let r = c.post(t.url("/api/v1/inquiries")).header("idempotency-key", "rfq-1").json(&body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let first: Value = r.json().await.unwrap();
    assert_eq!(first["number"], "INQ-000001");
    assert_eq!(first["status"], "new");
    assert_eq!(first["email"], "li@acme.example");
    assert_eq!(first["items"][0]["sku"], "HB-M8X20", "stored in the canonical spelling");
    // A retry with the same key is the same inquiry; another body is refused.
    let r = c.post(t.url("/api/v1/inquiries")).header("idempotency-key", "rfq-1").json(&body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["id"], first["id"]);
    let mut other = body.clone();
    other["name"] = json!("Someone else");
    let r = c.post(t.url("/api/v1/inquiries")).header("idempotency-key", "rfq-1").json(&other).send().await.unwrap();
    problem(r, StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused").await;
    let bad = json!({ "kind": "sample", "name": "", "company": "Acme", "email": "nope",
        "items": [{ "sku": "NOPE-1", "quantity": 1 }, { "sku": "HB-M8X20", "quantity": "-3" }] });
    let p = problem(c.post(t.url("/api/v1/inquiries")).json(&bad).send().await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["name", "email", "items[1].quantity"], "{p}");
    let bad = json!({ "kind": "quote", "name": "A", "company": "B", "email": "a@b.example", "items": [{ "sku": "NOPE-1", "quantity": 1 }] });
    let p = problem(c.post(t.url("/api/v1/inquiries")).json(&bad).send().await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "items[0].sku");
    assert_eq!(p["errors"][0]["code"], "unknown_sku");
    let r = c.post(t.url("/api/v1/inquiries")).header("content-type", "application/json").body("{not json").send().await.unwrap();
    problem(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body").await;

    // Staff who handle inquiries see them; others do not.
    let r = c.get(t.url("/api/v1/admin/inquiries")).send().await.unwrap();
    problem(r, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let cat = t.login("cat@example.com").await["token"].as_str().unwrap().to_string();
    let r = c.get(t.url("/api/v1/admin/inquiries")).bearer_auth(&cat).send().await.unwrap();
    problem(r, StatusCode::FORBIDDEN, "forbidden").await;
    let rep_login = t.login("rep@example.com").await;
    let rep = rep_login["token"].as_str().unwrap().to_string();
    let rep_id = rep_login["user"]["id"].as_str().unwrap().to_string();
    let list: Value = c.get(t.url("/api/v1/admin/inquiries?status=new")).bearer_auth(&rep).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
    let r = c.get(t.url("/api/v1/admin/inquiries?status=nonsense")).bearer_auth(&rep).send().await.unwrap();
    problem(r, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let r = c.get(t.url("/api/v1/admin/inquiries?cursor=garbage")).bearer_auth(&rep).send().await.unwrap();
    problem(r, StatusCode::BAD_REQUEST, "invalid_cursor").await;

    // Follow-up: assign (to someone who may handle it), schedule, move on.
    let id = first["id"].as_str().unwrap();
    let url = t.url(&format!("/api/v1/admin/inquiries/{id}"));
    let r = c.patch(&url).bearer_auth(&rep).json(&json!({ "assigned_to": rep_id, "follow_up_on": "2026-12-01", "staff_note": "call back" })).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["status"], "in_progress");
    assert_eq!(v["follow_up_on"], "2026-12-01");
    let mine: Value = c.get(t.url("/api/v1/admin/inquiries?assigned_to=me")).bearer_auth(&rep).send().await.unwrap().json().await.unwrap();
    assert_eq!(mine["items"][0]["id"], first["id"]);
    let cat_id = t.login("cat@example.com").await["user"]["id"].as_str().unwrap().to_string();
    let r = c.patch(&url).bearer_auth(&rep).json(&json!({ "assigned_to": cat_id, "follow_up_on": "tomorrow" })).send().await.unwrap();
    let p = problem(r, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(p["errors"].as_array().unwrap().len(), 2, "{p}");
    let r = c.patch(&url).bearer_auth(&rep).json(&json!({ "status": "answered", "follow_up_on": null })).send().await.unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!((v["status"].as_str(), v["follow_up_on"].is_null()), (Some("answered"), true));
    let r = c.get(t.url("/api/v1/admin/inquiries/0190a0a0-0000-7000-8000-000000000000")).bearer_auth(&rep).send().await.unwrap();
    problem(r, StatusCode::NOT_FOUND, "not_found").await;
    let audit: Value = c.get(t.url("/api/v1/admin/audit-log")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert!(audit.to_string().contains("inquiry.follow_up"));

    // The form: CSRF-protected, keeps what was typed when it refuses, and a
    // filled honeypot gets a thank-you but stores nothing.
    let page = html(&t.client, t.url("/inquiry?kind=sample&sku=HB-M8X20&lang=en"), StatusCode::OK).await;
    assert!(page.contains("value=\"HB-M8X20\""), "prefilled: {page}");
    let csrf = hidden_token(&page);
    let r = t.client.post(t.url("/inquiry")).form(&[("csrf_token", "forged"), ("kind", "quote")]).send().await.unwrap();
    problem(r, StatusCode::FORBIDDEN, "csrf_failed").await;
    let typed = [("csrf_token", csrf.as_str()), ("kind", "sample"), ("name", ""), ("company", "Acme"),
        ("email", "li@acme.example"), ("phone", ""), ("sku", "HB-M8X20"), ("quantity", "abc"), ("sku", ""), ("quantity", ""), ("message", "<b>hi</b>"), ("website", "")];
    let r = t.client.post(t.url("/inquiry?lang=en")).form(&typed).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("value=\"li@acme.example\"") && page.contains("value=\"abc\"") && page.contains("&#60;b&#62;hi"), "{page}");
    assert!(page.contains("This field is required.") && page.contains("Enter a quantity above 0."), "{page}");
    let mut bot = typed;
    bot[2] = ("name", "Bot");
    bot[7] = ("quantity", "5");
    bot[11] = ("website", "http://spam.example");
    let r = t.client.post(t.url("/inquiry?lang=en")).form(&bot).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("We received your request."));
    let mut good = bot;
    good[11] = ("website", "");
    let r = t.client.post(t.url("/inquiry?lang=en")).form(&good).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("INQ-000002"));
    let all: Value = c.get(t.url("/api/v1/admin/inquiries")).bearer_auth(&rep).send().await.unwrap().json().await.unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 2, "the honeypot stored nothing");
    assert_eq!(all["items"][0]["kind"], "sample");
    assert_eq!(all["items"][0]["lang"], "en");

    // A sender's address gets a few per hour (4 here), then 429 with Retry-After.
    let contact = json!({ "kind": "contact", "name": "A", "company": "B", "email": "a@b.example", "message": "Hello" });
    for _ in 0..2 {
        let r = c.post(t.url("/api/v1/inquiries")).json(&contact).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let r = c.post(t.url("/api/v1/inquiries")).json(&contact).send().await.unwrap();
    assert!(r.headers().contains_key("retry-after"));
    problem(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;

    // The back office: the list and one inquiry with its follow-up form,
    // for staff who handle inquiries only.
    let r = t.client.get(t.url("/admin/inquiries")).send().await.unwrap();
    problem(r, StatusCode::FORBIDDEN, "forbidden").await; // the catalog role's session
    t.login("rep@example.com").await;
    let page = html(&t.client, t.url("/admin/inquiries?lang=en&kind=sample"), StatusCode::OK).await;
    assert!(page.contains("INQ-000002") && !page.contains("INQ-000001") && page.contains("Sample request"), "{page}");
    let id = all["items"][0]["id"].as_str().unwrap();
    let page = html(&t.client, t.url(&format!("/admin/inquiries/{id}?lang=en")), StatusCode::OK).await;
    assert!(page.contains("li@acme.example") && page.contains("HB-M8X20"), "{page}");
    let csrf = hidden_token(&page);
    let url = t.url(&format!("/admin/inquiries/{id}"));
    let form = [("csrf_token", csrf.as_str()), ("status", "answered"), ("assign", "me"), ("follow_up_on", "31.12."), ("staff_note", "")];
    let r = t.client.post(&url).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let form = [("csrf_token", csrf.as_str()), ("status", "answered"), ("assign", "me"), ("follow_up_on", "2026-12-24"), ("staff_note", "samples sent")];
    let r = t.client.post(&url).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let v: Value = c.get(t.url(&format!("/api/v1/admin/inquiries/{id}"))).bearer_auth(&rep).send().await.unwrap().json().await.unwrap();
    assert_eq!((v["status"].as_str(), v["follow_up_on"].as_str(), v["assigned_to"].as_str()), (Some("answered"), Some("2026-12-24"), Some(rep_id.as_str())));
    let r = t.client.post(&url).form(&[("csrf_token", "forged"), ("status", "closed")]).send().await.unwrap();
    problem(r, StatusCode::FORBIDDEN, "csrf_failed").await;
});
