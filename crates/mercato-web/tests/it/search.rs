//! Search over HTTP: the product list with facets, suggestions, synonyms
//! administration, and how soon a back-office change is found.

use super::catalog::{CSV, setup, upload};
use super::{TestApp, problem};
use mercato_testkit::db_test;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

async fn get(c: &reqwest::Client, url: String) -> Value {
    let r = c.get(url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

/// Polls until `ok` holds for the product list at `url` (the indexer runs
/// in the background); returns how long it took.
async fn until(c: &reqwest::Client, url: String, ok: impl Fn(&Value) -> bool) -> Duration {
    let started = Instant::now();
    loop {
        let v = get(c, url.clone()).await;
        if ok(&v) {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "not found in time: {v}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

db_test!(async fn search_over_http(db) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings {
        media_dir: Some(dir.path().join("media")),
        search_dir: Some(dir.path().join("search")),
        ..crate::test_settings()
    };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    t.staff("cat@example.com", "catalog").await;
    t.staff("wh@example.com", "warehouse").await;
    let token = t.login("cat@example.com").await["token"].as_str().unwrap().to_string();
    setup(&t, &token).await;
    let c = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let r = c.post(t.url("/api/v1/admin/imports")).bearer_auth(&token).multipart(upload(CSV)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // Found by part number in any spelling, with the matching SKU.
    let took = until(&c, t.url("/api/v1/products?q=hb%20m8-30"), |v| v["total"] == 1).await;
    eprintln!("import visible in search after {took:?}");
    let v = get(&c, t.url("/api/v1/products?q=HB-M8x30")).await;
    assert_eq!(v["items"][0]["slug"], "hex-bolt-m8");
    assert_eq!(v["items"][0]["matched_sku"], "HB-M8X30");
    // In Chinese, with facets and a total.
    let v = get(&c, t.url("/api/v1/products?q=螺栓&lang=zh-CN")).await;
    assert_eq!(v["total"], 1);
    assert_eq!(v["items"][0]["name"], "外六角螺栓 M8");
    let cats = v["facets"]["category"].as_array().unwrap();
    assert!(cats.iter().any(|c| c["value"] == "bolts" && c["count"] == 1 && c["label"] == "Bolts"), "{v}");
    assert_eq!(v["ranges"]["attr.length"], json!({"min": 20.0, "max": 30.0, "unit": "mm"}));
    assert!(v["facets"].get("attr.material").is_none(), "material is not filterable: {v}");
    // Filters as API.md spells them.
    let v = get(&c, t.url("/api/v1/products?attr.length=25..40&category=fasteners")).await;
    assert_eq!(v["total"], 1);
    let v = get(&c, t.url("/api/v1/products?attr.length=..10")).await;
    assert_eq!(v["total"], 0);
    let v = get(&c, t.url("/api/v1/products?attr.length=20&sort=name&limit=1")).await;
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
    problem(c.get(t.url("/api/v1/products?attr.material=a2")).send().await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    // Bad input: 422 with a code, and query syntax is just text.
    problem(c.get(t.url("/api/v1/products?attr.colour=red")).send().await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    problem(c.get(t.url("/api/v1/products?attr.length=9..1")).send().await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    problem(c.get(t.url("/api/v1/products?sort=random")).send().await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    problem(c.get(t.url("/api/v1/products?limit=500")).send().await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    problem(c.get(t.url("/api/v1/products?cursor=%%%")).send().await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    problem(c.get(t.url("/api/v1/products?in_stock=maybe")).send().await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    for q in ["%22", "(((", "a%20AND%20OR%20NOT", "name:x", "*", "%5C", "~2^3"] {
        let r = c.get(t.url(&format!("/api/v1/products?q={q}"))).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{q}");
    }
    let long = "m8".repeat(3000);
    let r = c.get(t.url(&format!("/api/v1/products?q={long}"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // Suggestions.
    let v = get(&c, t.url("/api/v1/search/suggest?q=HB-M8&lang=en")).await;
    assert!(v["items"].as_array().unwrap().iter().any(|s| s["kind"] == "part_number"), "{v}");

    // Synonyms: staff manage them, buyers find by them within a second.
    let r = c.post(t.url("/api/v1/admin/search/synonyms")).json(&json!({"terms": ["schraube", "bolt"]})).send().await.unwrap();
    problem(r, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let wh = t.login("wh@example.com").await["token"].as_str().unwrap().to_string();
    let r = c.post(t.url("/api/v1/admin/search/synonyms")).bearer_auth(&wh).json(&json!({"terms": ["schraube", "bolt"]})).send().await.unwrap();
    problem(r, StatusCode::FORBIDDEN, "forbidden").await;
    let r = c.post(t.url("/api/v1/admin/search/synonyms")).bearer_auth(&token).json(&json!({"terms": ["schraube"]})).send().await.unwrap();
    problem(r, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let r = c.post(t.url("/api/v1/admin/search/synonyms")).bearer_auth(&token).json(&json!({"terms": ["schraube", "bolt"]})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let took = until(&c, t.url("/api/v1/products?q=schraube"), |v| v["total"] == 1).await;
    eprintln!("synonym effective after {took:?}");
    let list: Value = c.get(t.url("/api/v1/admin/search/synonyms")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["items"][0]["terms"], json!(["schraube", "bolt"]));
    let r = c.delete(t.url(&format!("/api/v1/admin/search/synonyms/{id}"))).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = c.delete(t.url(&format!("/api/v1/admin/search/synonyms/{id}"))).bearer_auth(&token).send().await.unwrap();
    problem(r, StatusCode::NOT_FOUND, "not_found").await;

    // A back-office edit (a renamed category) is found at once.
    let r = c.put(t.url("/api/v1/admin/categories/bolts")).bearer_auth(&token)
        .json(&json!({ "parent": "fasteners", "name": {"en": "Machine bolts", "zh-CN": "机械螺栓"} })).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let took = until(&c, t.url("/api/v1/products?q=machine&lang=en"), |v| v["total"] == 1).await;
    eprintln!("category rename visible in search after {took:?}");

    // Index status for staff; a rebuild on request.
    let s: Value = c.get(t.url("/api/v1/admin/search/status")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(s["documents"], 1);
    let r = c.post(t.url("/api/v1/admin/search/reindex")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    until(&c, t.url("/api/v1/products?q=hb-m8"), |v| v["total"] == 1).await;

    // The back-office page: index status, synonyms added and deleted with the
    // session's CSRF token; the warehouse role may not see it.
    let r = t.client.get(t.url("/admin/search")).send().await.unwrap();
    problem(r, StatusCode::FORBIDDEN, "forbidden").await;
    t.login("cat@example.com").await;
    let html = t.client.get(t.url("/admin/search?lang=en")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("1 products indexed"), "{html}");
    let csrf = crate::admin_pages::hidden_token(&html);
    let form = [("csrf_token", "forged"), ("terms", "écrou, nut")];
    problem(t.client.post(t.url("/admin/search/synonyms")).form(&form).send().await.unwrap(), StatusCode::FORBIDDEN, "csrf_failed").await;
    let r = t.client.post(t.url("/admin/search/synonyms")).form(&[("csrf_token", csrf.as_str()), ("terms", "écrou")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "one term is not a group");
    let r = t.client.post(t.url("/admin/search/synonyms")).form(&[("csrf_token", csrf.as_str()), ("terms", "écrou，nut")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("écrou · nut"), "{html}");
    let groups: Value = c.get(t.url("/api/v1/admin/search/synonyms")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    let id = groups["items"][0]["id"].as_str().unwrap().to_string();
    let r = t.client.post(t.url(&format!("/admin/search/synonyms/{id}/delete"))).form(&[("csrf_token", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let groups: Value = c.get(t.url("/api/v1/admin/search/synonyms")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(groups["items"], json!([]));
    let r = t.client.post(t.url("/admin/search/reindex")).form(&[("csrf_token", csrf.as_str())]).send().await.unwrap();
    assert!(r.text().await.unwrap().contains("Rebuild started"));
});
