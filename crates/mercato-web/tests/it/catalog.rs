//! The catalog over HTTP: setup, import, reads, media, export, pages, permissions.

use super::{PASSWORD, TestApp, problem};
use mercato_testkit::db_test;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

pub const CSV: &str = "sku,product,brand,category,name.en,name.zh-CN,short_description.en,attr.length,attr.material,images,documents\n\
HB-M8X20,hex-bolt-m8,Norsteel,bolts,Hex bolt M8,外六角螺栓 M8,DIN 933,20,a2,bolt.png,ds.pdf|en|Datasheet\n\
HB-M8X30,hex-bolt-m8,,,,,,30,a2,,\n";

pub async fn setup(t: &TestApp, token: &str) {
    let c = reqwest::Client::new();
    let put = |path: &str, body: Value| c.put(t.url(path)).bearer_auth(token).json(&body).send();
    let r = put("/api/v1/admin/markets/cn", json!({ "name": {"en": "China", "zh-CN": "中国"}, "currency": "CNY", "languages": ["zh-CN", "en"], "countries": ["CN"], "time_zone": "Asia/Shanghai", "roadmap_step": 2, "is_default": true })).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let r = put("/api/v1/admin/attributes/length", json!({ "name": {"en": "Length", "zh-CN": "长度"}, "kind": {"type": "number", "unit": "mm"}, "filterable": true })).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let r = put("/api/v1/admin/attributes/material", json!({ "name": {"en": "Material"}, "kind": {"type": "enum", "options": [{"code": "a2", "label": {"en": "Stainless A2", "zh-CN": "不锈钢 A2"}}]} })).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = put(
        "/api/v1/admin/categories/fasteners",
        json!({ "name": {"en": "Fasteners", "zh-CN": "紧固件"} }),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = put("/api/v1/admin/categories/bolts", json!({ "parent": "fasteners", "name": {"en": "Bolts"}, "attributes": [{"code": "length", "required": true}] })).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
}

pub fn upload(csv: &str) -> Form {
    let png = mercato_media::demo_picture(mercato_media::DemoShape::Hexagon, [30, 80, 150], 300);
    let pdf = mercato_media::demo_datasheet_pdf("Hex bolt", &["DIN 933".to_string()]);
    Form::new()
        .part(
            "file",
            Part::bytes(csv.as_bytes().to_vec()).file_name("products.csv"),
        )
        .part("media", Part::bytes(png).file_name("bolt.png"))
        .part("media", Part::bytes(pdf).file_name("ds.pdf"))
}

db_test!(async fn catalog_over_http(db) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings { media_dir: Some(dir.path().to_path_buf()), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    t.staff("cat@example.com", "catalog").await;
    t.staff("wh@example.com", "warehouse").await;
    let token = t.login("cat@example.com").await["token"].as_str().unwrap().to_string();
    setup(&t, &token).await;
    // No connection reuse: a refused upload leaves its body unread, and the
    // server then closes that connection, racing the client's next request.
    let c = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();

    // Import over the API, with its media.
    let r = c.post(t.url("/api/v1/admin/imports")).bearer_auth(&token).multipart(upload(CSV)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["applied"], true, "{report}");
    assert_eq!(report["products_created"], 1);

    // Buyers read it in their language.
    let r = c.get(t.url("/api/v1/products/hex-bolt-m8")).header("accept-language", "zh-CN,zh;q=0.9").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["name"], "外六角螺栓 M8");
    assert_eq!(p["variants"].as_array().unwrap().len(), 2);
    assert_eq!(p["variants"][0]["attributes"][0]["display"], "20 mm");
    let r = c.get(t.url("/api/v1/products/hex-bolt-m8")).header("accept-language", "zh-CN").header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
    let p_en: Value = c.get(t.url("/api/v1/products/hex-bolt-m8?lang=en")).send().await.unwrap().json().await.unwrap();
    assert_eq!(p_en["name"], "Hex bolt M8");

    // Media are served with long-lived cache headers.
    let list_url = p["media"][0]["renditions"]["list"]["url"].as_str().unwrap();
    let r = c.get(t.url(list_url)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("image/"));
    let doc = p["documents"][0]["url"].as_str().unwrap();
    assert_eq!(c.get(t.url(doc)).send().await.unwrap().headers()["content-type"], "application/pdf");
    problem(c.get(t.url("/media/../../etc/passwd")).send().await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;

    let sku: Value = c.get(t.url("/api/v1/skus/hb-m8x30")).send().await.unwrap().json().await.unwrap();
    assert_eq!(sku["variant"]["sku"], "HB-M8X30");
    let list: Value = c.get(t.url("/api/v1/products?category=fasteners")).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let cats: Value = c.get(t.url("/api/v1/categories?lang=zh-CN")).send().await.unwrap().json().await.unwrap();
    assert_eq!(cats["items"][0]["name"], "紧固件");
    assert_eq!(cats["items"][0]["children"][0]["slug"], "bolts");
    let brands: Value = c.get(t.url("/api/v1/brands")).send().await.unwrap().json().await.unwrap();
    assert_eq!(brands["items"][0]["name"], "Norsteel");
    problem(c.get(t.url("/api/v1/products/no-such-thing")).send().await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;
    problem(c.get(t.url("/api/v1/products?category=nope")).send().await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    // Export in both formats.
    let r = c.get(t.url("/api/v1/admin/exports/products.csv")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let csv = r.text().await.unwrap();
    assert!(csv.contains("HB-M8X30") && csv.contains("外六角螺栓 M8"));
    let r = c.get(t.url("/api/v1/admin/exports/products.xlsx")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(&r.bytes().await.unwrap()[..2], b"PK");
    let comp: Value = c.get(t.url("/api/v1/admin/completeness?max_score=99")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert!(!comp["items"].as_array().unwrap().is_empty());

    // Who may do what.
    let wh = t.login("wh@example.com").await["token"].as_str().unwrap().to_string();
    problem(c.post(t.url("/api/v1/admin/imports")).bearer_auth(&wh).multipart(upload(CSV)).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
    problem(c.get(t.url("/api/v1/admin/exports/products.csv")).send().await.unwrap(), StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let bad = c.post(t.url("/api/v1/admin/imports")).bearer_auth(&token).multipart(Form::new().text("nothing", "here")).send().await.unwrap();
    problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let bad = c.put(t.url("/api/v1/admin/attributes/Bad%20Code")).bearer_auth(&token).json(&json!({ "name": {"en": "x"}, "kind": {"type": "text"} })).send().await.unwrap();
    problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let bad = c.put(t.url("/api/v1/admin/markets/xx")).bearer_auth(&token).json(&json!({ "name": {"en": "x"}, "currency": "ABC", "languages": ["en"], "time_zone": "UTC", "roadmap_step": 9 })).send().await.unwrap();
    problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
});

db_test!(async fn back_office_catalog_pages(db) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings { media_dir: Some(dir.path().to_path_buf()), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    t.staff("desk@example.com", "catalog").await;
    let token = t.login("desk@example.com").await["token"].as_str().unwrap().to_string();
    setup(&t, &token).await;
    // The cookie session from login drives the pages.
    // In English (remembered in a cookie): the assertions below read English messages.
    let html = t.client.get(t.url("/admin/import?lang=en")).send().await.unwrap().text().await.unwrap();
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).unwrap() + marker.len();
    let csrf = html[start..].split('"').next().unwrap().to_string();
    let form = upload("sku,product,category,name.en,attr.length\nX-1,widget,bolts,Widget,5\nX-2,broken,bolts,Broken,\"5,5\"\n").text("csrf_token", csrf.clone());
    let r = t.client.post(t.url("/admin/import")).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("valid-rows") && html.contains("5,5"), "{html}");
    let r = t.client.post(t.url("/admin/import")).multipart(upload("sku\n").text("csrf_token", "forged")).send().await.unwrap();
    problem(r, StatusCode::FORBIDDEN, "csrf_failed").await;

    let html = t.client.get(t.url("/admin/products?q=X-1")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("/admin/products/widget"), "{html}");
    let html = t.client.get(t.url("/admin/products/widget")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("X-1") && html.contains("5 mm"), "{html}");
    // The editor: one form per language tab.
    let edit = [("csrf_token", csrf.as_str()), ("lang", "zh-CN"), ("name", "小部件"), ("short_description", "测试"), ("description", ""), ("status", "active")];
    let r = t.client.post(t.url("/admin/products/widget")).form(&edit).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let p: Value = reqwest::get(t.url("/api/v1/products/widget?lang=zh-CN")).await.unwrap().json().await.unwrap();
    assert_eq!(p["name"], "小部件", "the edit is visible at once (cache invalidated)");
    let clear = [("csrf_token", csrf.as_str()), ("lang", "en"), ("name", ""), ("short_description", ""), ("description", ""), ("status", "active")];
    t.client.post(t.url("/admin/products/widget")).form(&clear).send().await.unwrap();
    let clear_zh = [("csrf_token", csrf.as_str()), ("lang", "zh-CN"), ("name", ""), ("short_description", ""), ("description", ""), ("status", "active")];
    let r = t.client.post(t.url("/admin/products/widget")).form(&clear_zh).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "a product keeps a name in some language");
    assert!(r.text().await.unwrap().contains("needs a name"));
    let forged = [("csrf_token", "forged"), ("lang", "zh-CN"), ("name", "x"), ("short_description", ""), ("description", ""), ("status", "active")];
    problem(t.client.post(t.url("/admin/products/widget")).form(&forged).send().await.unwrap(), StatusCode::FORBIDDEN, "csrf_failed").await;

    // Media upload with preview on the product page.
    let png = mercato_media::demo_picture(mercato_media::DemoShape::Circle, [200, 80, 40], 240);
    let form = Form::new().text("csrf_token", csrf.clone()).part("files", Part::bytes(png).file_name("washer.png"));
    let r = t.client.post(t.url("/admin/products/widget/media")).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = t.client.get(t.url("/admin/products/widget")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("/media/r/") && html.contains("washer.png"), "{html}");
    let form = Form::new().text("csrf_token", csrf.clone()).part("files", Part::bytes(b"plain text".to_vec()).file_name("notes.png"));
    let r = t.client.post(t.url("/admin/products/widget/media")).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("notes.png"));

    // Category tree and attribute editor.
    let attr = [("csrf_token", csrf.as_str()), ("code", "finish"), ("name_zh", "表面处理"), ("name_en", "Finish"), ("kind", "enum"), ("unit", ""), ("options", "zn | 镀锌 | Zinc plated\nblk | 发黑 | Black oxide"), ("filterable", "true")];
    let r = t.client.post(t.url("/admin/attributes")).form(&attr).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("Saved attribute finish"));
    let cat = [("csrf_token", csrf.as_str()), ("slug", "hex-bolts"), ("parent", "bolts"), ("name_zh", "外六角螺栓"), ("name_en", "Hex bolts"), ("position", "1"), ("attributes", "length!, finish")];
    let r = t.client.post(t.url("/admin/categories")).form(&cat).send().await.unwrap();
    let html = r.text().await.unwrap();
    assert!(html.contains("Saved category hex-bolts") && html.contains("length!, finish"), "{html}");
    let bad = [("csrf_token", csrf.as_str()), ("slug", "x"), ("parent", "nope"), ("name_zh", ""), ("name_en", "X"), ("position", "0"), ("attributes", "")];
    let r = t.client.post(t.url("/admin/categories")).form(&bad).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let cats: Value = reqwest::get(t.url("/api/v1/categories")).await.unwrap().json().await.unwrap();
    assert_eq!(cats["items"][0]["children"][0]["children"][0]["slug"], "hex-bolts");

    let html = t.client.get(t.url("/admin/completeness?market=cn&max_score=100")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("widget"), "{html}");
    let _ = PASSWORD;
});

db_test!(async fn a_market_overrides_product_texts_over_http(db) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings { media_dir: Some(dir.path().to_path_buf()), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    t.staff("cat@example.com", "catalog").await;
    let token = t.login("cat@example.com").await["token"].as_str().unwrap().to_string();
    setup(&t, &token).await;
    let c = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let r = c.put(t.url("/api/v1/admin/markets/eu")).bearer_auth(&token).json(&json!({ "name": {"en": "Europe"}, "currency": "EUR", "languages": ["en"], "countries": ["DE"], "time_zone": "Europe/Berlin", "roadmap_step": 2 })).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = c.post(t.url("/api/v1/admin/imports")).bearer_auth(&token).multipart(upload(CSV)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    let body = json!({ "lang": "en", "market": "eu", "name": "Hexagon head screw M8 (CE)", "short_description": "EN ISO 4017" });
    let r = c.patch(t.url("/api/v1/admin/products/hex-bolt-m8")).bearer_auth(&token).json(&body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let get = |market: &'static str| {
        let c = c.clone();
        let url = t.url(&format!("/api/v1/products/hex-bolt-m8?market={market}&lang=en"));
        async move { c.get(url).send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let eu = get("eu").await;
    assert_eq!((eu["name"].as_str(), eu["short_description"].as_str()), (Some("Hexagon head screw M8 (CE)"), Some("EN ISO 4017")), "{eu}");
    let cn = get("cn").await;
    assert_eq!((cn["name"].as_str(), cn["short_description"].as_str()), (Some("Hex bolt M8"), Some("DIN 933")), "{cn}");
    let bad = json!({ "lang": "en", "market": "mars", "name": "x" });
    problem(c.patch(t.url("/api/v1/admin/products/hex-bolt-m8")).bearer_auth(&token).json(&bad).send().await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
});
