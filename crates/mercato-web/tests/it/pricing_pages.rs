//! The back office's price pages on both databases: price lists (list,
//! new list, entries with tier tables, CSV upload), promotions (list,
//! form, preview of a company's cart) and the price explainer. What the
//! forms save is what `POST /prices/quote` then charges; bad input comes
//! back on the form and saves nothing; other roles and forged forms are
//! kept out.

use super::orders::shop;
use super::{PASSWORD, TestApp, problem};
use crate::admin_pages::hidden_token;
use crate::companies::{call, ok};
use mercato_testkit::db_test;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

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

/// The shop (catalog, "List CN" at 1.20 / 2.00, 13 % VAT, company 甲公司
/// and its buyer) with its admin signed in to the back office: (admin's
/// cookie client, its CSRF token, staff bearer token, buyer token,
/// company).
async fn setup(t: &TestApp) -> (Client, String, String, String, Value) {
    let (staff, buyer, company) = shop(t).await;
    let admin = signed_in(t, "admin@seller.example").await;
    let (status, html) = page(&admin, t, "/admin/price-lists").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let csrf = hidden_token(&html);
    (admin, csrf, staff, buyer, company)
}

/// The app, and the media folder the test catalog's import stores its
/// images in (kept until the test ends).
async fn start(db: mercato_app::Db) -> (TestApp, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings {
        media_dir: Some(dir.path().to_path_buf()),
        ..crate::test_settings()
    };
    (
        TestApp::start_full(db, settings, Default::default(), |r| r).await,
        dir,
    )
}

/// The buyer's quote line for `sku` at `quantity`.
async fn quote(t: &TestApp, buyer: &str, sku: &str, quantity: &str) -> Value {
    let q = ok(
        call(
            t,
            Method::POST,
            "/api/v1/prices/quote",
            buyer,
            Some(json!({ "items": [{ "sku": sku, "quantity": quantity }] })),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    q["lines"][0].clone()
}

/// `path` with a query string of `params`, percent-encoded.
fn with_query(path: &str, params: &[(&str, &str)]) -> String {
    let encode = |s: &str| {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    let q: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    format!("{path}?{}", q.join("&"))
}

/// The id in a `/admin/price-lists/{id}?…` redirect.
fn list_id_of(location: &str) -> String {
    location
        .trim_start_matches("/admin/price-lists/")
        .split('?')
        .next()
        .unwrap()
        .to_string()
}

async fn create_list(t: &TestApp, c: &Client, form: &[(&str, &str)]) -> reqwest::Response {
    c.post(t.url("/admin/price-lists"))
        .form(form)
        .send()
        .await
        .unwrap()
}

/// Posts an entry with `rows` of (min quantity, unit price).
async fn put_entry(
    t: &TestApp,
    c: &Client,
    csrf: &str,
    list: &str,
    sku: &str,
    rows: &[(&str, &str)],
) -> reqwest::Response {
    let mut form = vec![("csrf_token", csrf), ("sku", sku)];
    for (q, p) in rows {
        form.push(("min_quantity", q));
        form.push(("unit_price", p));
    }
    c.post(t.url(&format!("/admin/price-lists/{list}/entry")))
        .form(&form)
        .send()
        .await
        .unwrap()
}

fn csv(csrf: &str, body: &[u8]) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new()
        .text("csrf_token", csrf.to_string())
        .part(
            "file",
            reqwest::multipart::Part::bytes(body.to_vec()).file_name("prices.csv"),
        )
}

db_test!(async fn price_pages_render_in_both_languages_for_price_staff_only(db) {
    let (t, _media) = start(db).await;
    let (admin, _csrf, _staff, _buyer, company) = setup(&t).await;
    let (_, html) = page(&admin, &t, "/admin/price-lists?lang=en").await;
    let list = html.split("/admin/price-lists/").nth(1).unwrap().split('"').next().unwrap().to_string();
    let company_id = company["id"].as_str().unwrap();
    let pages = [
        "/admin/price-lists".to_string(),
        format!("/admin/price-lists/{list}"),
        "/admin/promotions".to_string(),
        "/admin/promotions/new".to_string(),
        "/admin/promotions/preview".to_string(),
        "/admin/prices/explain".to_string(),
        format!("/admin/prices/explain?company={company_id}&sku=HB-M8X20&quantity=3"),
    ];
    for path in &pages {
        let sep = if path.contains('?') { '&' } else { '?' };
        let (status, en) = page(&admin, &t, &format!("{path}{sep}lang=en")).await;
        assert_eq!(status, StatusCode::OK, "{path}: {en}");
        let (status, zh) = page(&admin, &t, &format!("{path}{sep}lang=zh-CN")).await;
        assert_eq!(status, StatusCode::OK, "{path}: {zh}");
        // The menu has both sections, in the page's language.
        assert!(en.contains("<a href=\"/admin/price-lists\">Price lists</a>") && en.contains("<a href=\"/admin/promotions\">Promotions</a>"), "{path}: {en}");
        assert!(zh.contains("<a href=\"/admin/price-lists\">价目表</a>") && zh.contains("<a href=\"/admin/promotions\">促销</a>"), "{path}: {zh}");
        assert!(!en.contains("admin-") && !zh.contains("admin-"), "an untranslated key on {path}");
    }
    let (_, en) = page(&admin, &t, "/admin/price-lists?lang=en").await;
    assert!(en.contains("List CN") && en.contains("Everyone") && en.contains("In force"), "{en}");
    let (_, zh) = page(&admin, &t, &format!("/admin/price-lists/{list}?lang=zh-CN")).await;
    assert!(zh.contains("HB-M8X20") && zh.contains("CNY 1.20") && zh.contains("所有客户"), "{zh}");
    // The company page links to its prices' explanation.
    let (_, html) = page(&admin, &t, &format!("/admin/companies/{company_id}?lang=en")).await;
    assert!(html.contains(&format!("/admin/prices/explain?company={company_id}")), "{html}");

    // Warehouse staff (no manage_prices): refused, and no menu entries.
    t.staff("wh@x.example", "warehouse").await;
    let wh = signed_in(&t, "wh@x.example").await;
    for path in &pages {
        problem(wh.get(t.url(path)).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
    }
    let (status, html) = page(&wh, &t, "/admin/stock").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("href=\"/admin/price-lists\"") && !html.contains("href=\"/admin/promotions\""), "{html}");
    // Catalog staff do set prices: they see both.
    t.staff("cat@x.example", "catalog").await;
    let cat = signed_in(&t, "cat@x.example").await;
    let (status, html) = page(&cat, &t, "/admin/price-lists?lang=en").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("href=\"/admin/promotions\""), "{html}");
    // Buyers go to their account; visitors to the sign-in page.
    let buyer = signed_in(&t, "buyer@a.example").await;
    let res = buyer.get(t.url("/admin/price-lists")).send().await.unwrap();
    assert_eq!(res.headers()["location"], "/account");
    let anon = Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let res = anon.get(t.url("/admin/promotions")).send().await.unwrap();
    assert_eq!(res.headers()["location"], "/admin/login");
});

db_test!(async fn a_list_and_its_tiers_made_in_the_forms_set_the_quoted_price(db) {
    let (t, _media) = start(db).await;
    let (admin, csrf, staff, buyer, _company) = setup(&t).await;

    // A contract for 甲公司, named by its name.
    let res = create_list(&t, &admin, &[("csrf_token", &csrf), ("name", "甲 contract"), ("currency", "cny"), ("market", "cn"),
        ("audience", "company"), ("audience_value", "甲公司"), ("priority", "5"), ("valid_from", ""), ("valid_to", "")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.ends_with("?created=1"), "{location}");
    let list = list_id_of(&location);
    let (status, html) = page(&admin, &t, &format!("/admin/price-lists/{list}?created=1&lang=en")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Price list created.") && html.contains("Company (contract): 甲公司") && html.contains("No SKU in this list matches."), "{html}");

    // An entry with two tiers (and an empty row, dropped).
    let res = put_entry(&t, &admin, &csrf, &list, "HB-M8X20", &[("1", "1.10"), ("", ""), ("100", "0.9")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], format!("/admin/price-lists/{list}?saved=HB-M8X20"));
    let l = quote(&t, &buyer, "HB-M8X20", "150").await;
    assert_eq!((l["unit_price"]["amount"].as_str(), l["price_list"]["id"].as_str(), l["tier"]["min_quantity"].as_str()),
        (Some("0.9000"), Some(list.as_str()), Some("100")), "{l}");
    assert_eq!(quote(&t, &buyer, "HB-M8X20", "5").await["unit_price"]["amount"], "1.1000");
    let (_, html) = page(&admin, &t, &format!("/admin/price-lists/{list}?lang=en")).await;
    assert!(html.contains("CNY 1.10") && html.contains("CNY 0.90"), "{html}");
    // The editor opens with the stored tiers.
    let (_, html) = page(&admin, &t, &format!("/admin/price-lists/{list}?edit=HB-M8X20&lang=en")).await;
    assert!(html.contains("Prices of HB-M8X20") && html.contains("value=\"100\"") && html.contains("value=\"0.9\""), "{html}");

    // Bad tier tables come back on the form with the reason; nothing saved.
    for (rows, says) in [
        (vec![("10", "1"), ("10", "0.9")], "two tiers start at quantity 10"),
        (vec![("1", "1"), ("10", "1.5")], "never raise the unit price"),
        (vec![("1", "0")], "must be positive"),
        (vec![("1", "-2")], "must be positive"),
        (vec![("1", "0.12345")], "more than 4 decimals"),
        (vec![("1", "1,5")], "Row 1: &#34;1,5&#34; is not a price"),
        (vec![("1", "")], "Row 1: give both a quantity and a price"),
        (vec![], "give at least one tier"),
    ] {
        let res = put_entry(&t, &admin, &csrf, &list, "HB-M8X30", &rows).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{says}");
        let html = res.text().await.unwrap();
        assert!(html.contains("Nothing was saved") && html.contains(says), "{says}: {html}");
        // What was typed is still in the form.
        if let Some((q, p)) = rows.first() {
            assert!(html.contains(&format!("value=\"{q}\"")) && html.contains(&format!("value=\"{p}\"")), "{html}");
        }
    }
    let res = put_entry(&t, &admin, &csrf, &list, "NO-SUCH", &[("1", "1")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("There is no SKU"));
    let l = quote(&t, &buyer, "HB-M8X30", "10").await;
    assert_eq!((l["unit_price"]["amount"].as_str(), l["price_list"]["name"].as_str()), (Some("2.0000"), Some("List CN")), "{l}");
    let (_, html) = page(&admin, &t, &format!("/admin/price-lists/{list}?lang=en")).await;
    assert!(!html.contains("HB-M8X30"), "{html}");

    // A bad list: the market trades in CNY; nothing created.
    let res = create_list(&t, &admin, &[("csrf_token", &csrf), ("name", "Euro list"), ("currency", "EUR"), ("market", "cn"), ("audience", "everyone")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("market cn sells in CNY, not EUR") && html.contains("value=\"Euro list\""), "{html}");
    for (form, says) in [
        (vec![("audience", "company"), ("audience_value", "nobody")], "No company matches"),
        (vec![("audience", "group"), ("audience_value", "")], "Name the Customer group"),
        (vec![("valid_from", "next week")], "is not a date and time"),
        (vec![("priority", "high")], "is not a whole number"),
    ] {
        let mut f = vec![("csrf_token", csrf.as_str()), ("name", "Bad"), ("currency", "CNY")];
        f.extend(form);
        let res = create_list(&t, &admin, &f).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{says}");
        let html = res.text().await.unwrap();
        assert!(html.contains(says), "{says}: {html}");
    }
    let lists = ok(call(&t, Method::GET, "/api/v1/admin/price-lists", &staff, None).await, StatusCode::OK).await;
    assert_eq!(lists["items"].as_array().unwrap().len(), 2, "{lists}");

    // Filters: by audience, by state.
    let (_, html) = page(&admin, &t, "/admin/price-lists?audience=company&lang=en").await;
    assert!(html.contains("甲 contract") && !html.contains(">List CN<"), "{html}");
    let (_, html) = page(&admin, &t, "/admin/price-lists?state=expired&lang=en").await;
    assert!(html.contains("No price lists match"), "{html}");
    // Search within entries.
    put_entry(&t, &admin, &csrf, &list, "HB-M8X30", &[("1", "1.8")]).await;
    let (_, html) = page(&admin, &t, &format!("/admin/price-lists/{list}?q=m8x3&lang=en")).await;
    assert!(html.contains("HB-M8X30") && !html.contains(">HB-M8X20<"), "{html}");

    // Deleting the entry: the list price applies again.
    let res = admin.post(t.url(&format!("/admin/price-lists/{list}/entry/delete"))).form(&[("csrf_token", csrf.as_str()), ("sku", "HB-M8X20")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let l = quote(&t, &buyer, "HB-M8X20", "150").await;
    assert_eq!((l["unit_price"]["amount"].as_str(), l["price_list"]["name"].as_str()), (Some("1.2000"), Some("List CN")), "{l}");
    let res = admin.post(t.url(&format!("/admin/price-lists/{list}/entry/delete"))).form(&[("csrf_token", csrf.as_str()), ("sku", "HB-M8X20")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.unwrap().contains("is not in this list"));
    let res = admin.get(t.url("/admin/price-lists/not-an-id")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
});

db_test!(async fn a_price_upload_names_each_bad_row_and_saves_nothing(db) {
    let (t, _media) = start(db).await;
    let (admin, csrf, _staff, buyer, _company) = setup(&t).await;
    let res = create_list(&t, &admin, &[("csrf_token", &csrf), ("name", "Volume CN"), ("currency", "CNY"), ("market", "cn"), ("audience", "everyone"), ("priority", "1")]).await;
    let list = list_id_of(res.headers()["location"].to_str().unwrap());
    let upload = |body: &'static [u8]| {
        let (admin, url, csrf) = (&admin, t.url(&format!("/admin/price-lists/{list}/upload?lang=en")), csrf.clone());
        async move { admin.post(url).multipart(csv(&csrf, body)).send().await.unwrap() }
    };
    let res = upload(b"sku,min_quantity,unit_price\nHB-M8X20,1,1.10\nNOPE,1,1\nHB-M8X30,10,2\nHB-M8X30,10,1.9\nHB-M8X20,50,0.123456\n").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("The file was refused; nothing was saved."), "{html}");
    for says in [
        "line 3: sku: there is no SKU",
        "line 4: min_quantity: two tiers start at quantity 10",
        "line 5: min_quantity: two tiers start at quantity 10",
        "line 6: unit_price: tier 2: unit price 0.123456 has more than 4 decimals",
    ] {
        assert!(html.contains(says), "{says}: {html}");
    }
    let res = upload(b"sku;min_quantity;unit_price\nHB-M8X20;1;x\nHB-M8X30;1\n").await;
    let html = res.text().await.unwrap();
    assert!(html.contains("line 2: unit_price: &#34;x&#34; is not a decimal number") && html.contains("line 3: a row has 3 cells"), "{html}");
    let res = upload(b"code,price\nHB-M8X20,1\n").await;
    assert!(res.text().await.unwrap().contains("line 1: the first line must be sku,min_quantity,unit_price"));
    let res = upload(b"sku,min_quantity,unit_price\nHB-M8X20,1,1\xff\n").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("not UTF-8"));
    // Nothing was applied.
    assert_eq!(quote(&t, &buyer, "HB-M8X20", "100").await["price_list"]["name"], "List CN");
    let (_, html) = page(&admin, &t, &format!("/admin/price-lists/{list}?lang=en")).await;
    assert!(html.contains("No SKU in this list matches."), "{html}");

    // A good file (with a BOM, as Excel writes it) sets both SKUs.
    let res = upload("\u{feff}sku,min_quantity,unit_price\nHB-M8X20,1,1.15\nHB-M8X30,1,1.95\nHB-M8X20,100,0.95\n".as_bytes()).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], format!("/admin/price-lists/{list}?uploaded=2"));
    let l = quote(&t, &buyer, "HB-M8X20", "100").await;
    assert_eq!((l["unit_price"]["amount"].as_str(), l["price_list"]["name"].as_str()), (Some("0.9500"), Some("Volume CN")), "{l}");
    let (_, html) = page(&admin, &t, &format!("/admin/price-lists/{list}?uploaded=2&lang=en")).await;
    assert!(html.contains("Prices uploaded: 2 SKUs set.") && html.contains("CNY 1.95"), "{html}");
});

db_test!(async fn price_forms_without_the_session_token_change_nothing(db) {
    let (t, _media) = start(db).await;
    let (admin, _csrf, staff, _buyer, _company) = setup(&t).await;
    let lists = ok(call(&t, Method::GET, "/api/v1/admin/price-lists", &staff, None).await, StatusCode::OK).await;
    let list = lists["items"][0]["id"].as_str().unwrap().to_string();
    for token in ["", "forged"] {
        let res = create_list(&t, &admin, &[("csrf_token", token), ("name", "Sneaky"), ("currency", "CNY")]).await;
        problem(res, StatusCode::FORBIDDEN, "csrf_failed").await;
        let res = put_entry(&t, &admin, token, &list, "HB-M8X20", &[("1", "0.01")]).await;
        problem(res, StatusCode::FORBIDDEN, "csrf_failed").await;
        let res = admin.post(t.url(&format!("/admin/price-lists/{list}/entry/delete"))).form(&[("csrf_token", token), ("sku", "HB-M8X20")]).send().await.unwrap();
        problem(res, StatusCode::FORBIDDEN, "csrf_failed").await;
        let res = admin.post(t.url(&format!("/admin/price-lists/{list}/upload"))).multipart(csv(token, b"sku,min_quantity,unit_price\nHB-M8X20,1,0.01\n")).send().await.unwrap();
        problem(res, StatusCode::FORBIDDEN, "csrf_failed").await;
        let res = admin.post(t.url("/admin/promotions")).form(&[("csrf_token", token), ("name", "Free"), ("currency", "CNY"), ("action", "free_shipping")]).send().await.unwrap();
        problem(res, StatusCode::FORBIDDEN, "csrf_failed").await;
    }
    // A form without any token field at all.
    let res = admin.post(t.url("/admin/price-lists")).form(&[("name", "Sneaky"), ("currency", "CNY")]).send().await.unwrap();
    problem(res, StatusCode::FORBIDDEN, "csrf_failed").await;
    let lists = ok(call(&t, Method::GET, "/api/v1/admin/price-lists", &staff, None).await, StatusCode::OK).await;
    assert_eq!(lists["items"].as_array().unwrap().len(), 1, "{lists}");
    let (_, html) = page(&admin, &t, &format!("/admin/price-lists/{list}?lang=en")).await;
    assert!(html.contains("CNY 1.20") && !html.contains("0.01"), "{html}");
    let promos = ok(call(&t, Method::GET, "/api/v1/admin/promotions", &staff, None).await, StatusCode::OK).await;
    assert!(promos["items"].as_array().unwrap().is_empty());
});

db_test!(async fn promotions_made_in_the_form_show_in_the_company_preview(db) {
    let (t, _media) = start(db).await;
    let (admin, csrf, staff, _buyer, _company) = setup(&t).await;
    let (status, html) = page(&admin, &t, "/admin/promotions/new?lang=en").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let form = |name: &'static str, percent: &'static str| {
        vec![
            ("csrf_token", csrf.clone()), ("name", name.into()), ("currency", "CNY".into()), ("market", "cn".into()),
            ("priority", "0".into()), ("stacking", "stackable".into()), ("coupon_code", "".into()),
            ("valid_from", "".into()), ("valid_to", "".into()), ("usage_limit", "100".into()), ("per_company_limit", "".into()),
            ("active", "1".into()),
            ("cond_kind", "min_subtotal".into()), ("cond_value", "100".into()), ("cond_scope", "all".into()), ("cond_codes", "".into()),
            ("cond_kind", "".into()), ("cond_value", "".into()), ("cond_scope", "all".into()), ("cond_codes", "".into()),
            ("action", "percent_off_lines".into()), ("action_value", percent.into()), ("action_scope", "skus".into()),
            ("action_codes", "HB-M8X20, HB-M8X30".into()), ("buy", "".into()), ("get", "".into()),
            ("tier_min", "".into()), ("tier_percent", "".into()),
        ]
    };
    // A bad percentage: the form again, with the core's reason; nothing saved.
    let res = admin.post(t.url("/admin/promotions?lang=en")).form(&form("Too much", "150")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("The promotion was not saved") && html.contains("a percentage must be above 0 and at most 100") && html.contains("value=\"Too much\""), "{html}");
    let mut bad = form("Typo", "ten");
    bad.push(("tier_min", "x".into()));
    let res = admin.post(t.url("/admin/promotions")).form(&bad).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let promos = ok(call(&t, Method::GET, "/api/v1/admin/promotions", &staff, None).await, StatusCode::OK).await;
    assert!(promos["items"].as_array().unwrap().is_empty(), "{promos}");

    // A good one: 10 % off the bolts from a subtotal of 100.
    let res = admin.post(t.url("/admin/promotions")).form(&form("Spring bolts", "10")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/admin/promotions?done=created");
    let promos = ok(call(&t, Method::GET, "/api/v1/admin/promotions", &staff, None).await, StatusCode::OK).await;
    let p = &promos["items"][0];
    assert_eq!((p["action"]["kind"].as_str(), p["action"]["percent"].as_str(), p["action"]["scope"]["value"][1].as_str()), (Some("percent_off_lines"), Some("10"), Some("HB-M8X30")), "{p}");
    assert_eq!((p["conditions"][0]["kind"].as_str(), p["usage_limit"].as_u64()), (Some("min_subtotal"), Some(100)), "{p}");
    let id = p["id"].as_str().unwrap().to_string();
    let (_, html) = page(&admin, &t, "/admin/promotions?done=created&lang=en").await;
    assert!(html.contains("Promotion created.") && html.contains("Spring bolts") && html.contains("0 of 100 orders") && html.contains("Percentage off lines"), "{html}");
    let (_, html) = page(&admin, &t, &format!("/admin/promotions/{id}?lang=en")).await;
    assert!(html.contains("value=\"HB-M8X20, HB-M8X30\"") && html.contains("value=\"100\""), "{html}");

    // The preview: 100 bolts at 1.20 is 120, 10 % off is 12, 13 % VAT on 108.
    let preview = |quantity: &'static str, lang: &'static str| {
        let (admin, t) = (&admin, &t);
        async move {
            let url = t.url(&with_query("/admin/promotions/preview", &[("company", "甲公司"), ("sku", "HB-M8X20"), ("quantity", quantity), ("sku", ""), ("quantity", ""), ("lang", lang)]));
            let res = admin.get(url).send().await.unwrap();
            (res.status(), res.text().await.unwrap())
        }
    };
    let (status, html) = preview("100", "en").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("What 甲公司 would pay") && html.contains("Spring bolts: −¥12.00"), "{html}");
    for figure in ["¥120.00", "−¥12.00", "¥14.04", "¥122.04", "Tax at 13 %", "List CN"] {
        assert!(html.contains(figure), "{figure}: {html}");
    }
    // Below the minimum subtotal: not applied, and why.
    let (_, html) = preview("10", "en").await;
    assert!(html.contains("No promotion applies.") && html.contains("Spring bolts: Subtotal ¥12.00 is below 100."), "{html}");
    let (status, html) = preview("100", "zh-CN").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("将支付的金额") && html.contains("Spring bolts: −¥12.00"), "{html}");
    // A preview without a company, or with a bad quantity, says so.
    let res = admin.get(t.url(&with_query("/admin/promotions/preview", &[("sku", "HB-M8X20"), ("quantity", "2"), ("lang", "en")]))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Name the company"));
    let res = admin.get(t.url(&with_query("/admin/promotions/preview", &[("company", "甲公司"), ("sku", "HB-M8X20"), ("quantity", "lots"), ("lang", "en")]))).send().await.unwrap();
    assert!(res.text().await.unwrap().contains("Line 1: the quantity is not a number."));

    // Editing: deactivated, it no longer applies.
    let mut change = form("Spring bolts", "10");
    change.retain(|(k, _)| *k != "active");
    let res = admin.post(t.url(&format!("/admin/promotions/{id}"))).form(&change).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/admin/promotions?done=saved");
    let (_, html) = preview("100", "en").await;
    assert!(html.contains("No promotion applies.") && !html.contains("−¥12.00"), "{html}");
    // Deleting an unused promotion.
    let res = admin.post(t.url(&format!("/admin/promotions/{id}/delete"))).form(&[("csrf_token", csrf.as_str())]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let promos = ok(call(&t, Method::GET, "/api/v1/admin/promotions", &staff, None).await, StatusCode::OK).await;
    assert!(promos["items"].as_array().unwrap().is_empty());
});

db_test!(async fn the_explainer_names_the_winning_list_and_why_the_others_lost(db) {
    let (t, _media) = start(db).await;
    let (admin, _csrf, staff, _buyer, company) = setup(&t).await;
    let company_id = company["id"].as_str().unwrap();
    let list = |body: Value| { let t = &t; let staff = staff.clone(); async move { ok(call(t, Method::POST, "/api/v1/admin/price-lists", &staff, Some(body)).await, StatusCode::CREATED).await } };
    let entry = |id: Value, price: &'static str| {
        let path = format!("/api/v1/admin/price-lists/{}/entries/HB-M8X20", id.as_str().unwrap());
        let (t, staff) = (&t, staff.clone());
        async move { ok(call(t, Method::PUT, &path, &staff, Some(json!({ "tiers": [{ "min_quantity": "1", "unit_price": price }] }))).await, StatusCode::OK).await }
    };
    let contract = list(json!({ "name": "甲 contract 2026", "currency": "CNY", "company_id": company_id })).await;
    entry(contract["id"].clone(), "0.99").await;
    let old = list(json!({ "name": "Spring sale 2020", "currency": "CNY", "market": "cn", "valid_from": "2020-03-01T00:00:00Z", "valid_to": "2020-04-01T00:00:00Z" })).await;
    entry(old["id"].clone(), "0.50").await;

    let explain = |params: Vec<(&str, &str)>| {
        let (admin, url) = (&admin, t.url(&with_query("/admin/prices/explain", &params)));
        async move {
            let res = admin.get(url).send().await.unwrap();
            (res.status(), res.text().await.unwrap())
        }
    };
    let (status, html) = explain(vec![("company", "甲公司"), ("sku", "HB-M8X20"), ("quantity", "10"), ("lang", "en")]).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let winner = html.split("id=\"winner\"").nth(1).unwrap().split("</dl>").next().unwrap();
    assert!(winner.contains("甲 contract 2026") && winner.contains("CNY 0.99") && winner.contains("from 1"), "{winner}");
    let candidates = html.split("id=\"candidates\"").nth(1).unwrap().split("</table>").next().unwrap();
    assert!(candidates.contains("Wins"), "{candidates}");
    assert!(candidates.contains("List CN") && candidates.contains("Less specific than &#34;甲 contract 2026&#34;"), "{candidates}");
    assert!(candidates.contains("Spring sale 2020") && candidates.contains("Expired by this date"), "{candidates}");
    // Promotions and tax, as the company's cart would have them.
    assert!(html.contains("No promotion applies.") && html.contains("Tax at 13 %") && html.contains("¥11.19"), "{html}");

    // On a day of the sale the sale is in force, but the contract is still
    // more specific.
    let (_, html) = explain(vec![("company", company_id), ("sku", "HB-M8X20"), ("quantity", "10"), ("at", "2020-03-15T12:00"), ("lang", "en")]).await;
    let candidates = html.split("id=\"candidates\"").nth(1).unwrap().split("</table>").next().unwrap();
    assert!(candidates.contains("Spring sale 2020") && candidates.contains("Less specific than"), "{candidates}");
    assert!(!candidates.contains("Expired by this date"), "{candidates}");
    // In Chinese.
    let (status, html) = explain(vec![("company", "甲公司"), ("sku", "HB-M8X20"), ("quantity", "10"), ("lang", "zh-CN")]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("胜出") && html.contains("不如“甲 contract 2026”具体"), "{html}");
    // A SKU nobody prices, an unknown company, a bad quantity.
    let (_, html) = explain(vec![("company", "甲公司"), ("sku", "NO-SUCH"), ("lang", "en")]).await;
    assert!(html.contains("No price list gives this company a price"), "{html}");
    let (status, html) = explain(vec![("company", "乙公司"), ("sku", "HB-M8X20"), ("lang", "en")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("No company matches"), "{html}");
    let (status, html) = explain(vec![("company", "甲公司"), ("sku", "HB-M8X20"), ("quantity", "1,5"), ("lang", "en")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("is not a quantity"), "{html}");
    // Opened from the company page: the company is chosen, nothing asked yet.
    let (status, html) = explain(vec![("company", company_id), ("lang", "en")]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("甲公司 · cn · CNY") && !html.contains("id=\"explanation\""), "{html}");
});
