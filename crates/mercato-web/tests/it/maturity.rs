//! The digital-maturity assessment over HTTP on both databases: figures
//! measured from a fixed data set and checked against hand-computed values,
//! the questionnaire (drafts, refusals, completion), the gap and the roadmap
//! advice, the markets screen, and who may see and do what.

use super::companies::{call, ok};
use super::orders::{cart_with, order_body, place, shop, stock};
use super::{TestApp, problem};
use mercato_testkit::db_test;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn report(t: &TestApp, token: &str) -> Value {
    ok(
        call(t, Method::GET, "/api/v1/admin/maturity", token, None).await,
        StatusCode::OK,
    )
    .await
}

fn levels(v: &Value) -> Vec<u64> {
    v["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["level"].as_u64().unwrap())
        .collect()
}

fn stage_of(v: &Value, indicator: &str) -> u64 {
    v["measured"]["readings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["indicator"] == indicator)
        .unwrap()["stage"]
        .as_u64()
        .unwrap()
}

db_test!(async fn maturity_is_measured_from_the_platforms_data_and_assessed_by_staff(db) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings { media_dir: Some(dir.path().to_path_buf()), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    // The fixed data set: one active product (two SKUs, priced, with a
    // picture, a datasheet and typed attributes) in one market; one company
    // without group or tier; stock set by API; one order placed online by
    // the buyer; an integration token in use; an admin who signed in and a
    // warehouse user who never did.
    let (staff, buyer, _company) = shop(&t).await;
    stock(&t, &staff, "HB-M8X20", "100").await;
    let cart = cart_with(&t, &buyer, None, &[("HB-M8X20", "10")]).await;
    ok(place(&t, &buyer, &order_body(&cart, json!({ "method": "bank_transfer" })), None).await, StatusCode::CREATED).await;
    t.staff("wh@seller.example", "warehouse").await;
    let erp = ok(call(&t, Method::POST, "/api/v1/auth/tokens", &staff, Some(json!({ "name": "ERP", "scopes": ["catalog_read"] }))).await, StatusCode::CREATED).await;
    let erp = erp["token"].as_str().unwrap();
    ok(call(&t, Method::GET, "/api/v1/me", erp, None).await, StatusCode::OK).await;

    // The markets screen: show prices and stock in cn (staff session).
    t.login("admin@seller.example").await;
    let html = t.client.get(t.url("/admin/markets?lang=en")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("id=\"market-cn\"") && html.contains("2 · Online buying"), "{html}");
    let csrf = crate::admin_pages::hidden_token(&html);
    let r = t.client.post(t.url("/admin/markets/cn")).form(&[("csrf_token", "forged"), ("roadmap_step", "2")]).send().await.unwrap();
    problem(r, StatusCode::FORBIDDEN, "csrf_failed").await;
    let r = t.client.post(t.url("/admin/markets/cn")).form(&[("csrf_token", csrf.as_str()), ("roadmap_step", "9")]).send().await.unwrap();
    problem(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_roadmap_step").await;
    let r = t.client.post(t.url("/admin/markets/xx")).form(&[("csrf_token", csrf.as_str()), ("roadmap_step", "2")]).send().await.unwrap();
    problem(r, StatusCode::NOT_FOUND, "not_found").await;
    let r = t.client.post(t.url("/admin/markets/cn")).form(&[("csrf_token", csrf.as_str()), ("roadmap_step", "2"), ("show_prices", "1"), ("show_stock", "1")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/admin/markets?saved=cn");
    let markets: Value = reqwest::get(t.url("/api/v1/markets")).await.unwrap().json().await.unwrap();
    assert_eq!(markets["items"][0]["roadmap_step"], 2, "{markets}");

    // Measured, by hand: experience 3 (priced 1/1), 3 (images), 3
    // (documents), 1 (no B2B price kinds), 3 (1/1 market shows prices and
    // stock) → 2.6; operations 3 (1/1 online), 3 (1/1 stock by API), 2 (one
    // integration), 1 (no shipments), 1 (no feedback) → 2.0; data 3 (specs),
    // 1 (0/1 segmented), 1 (no months of history), 1 (no assessment), 1 (no
    // dashboard opened) → 1.4;
    // talent 2 (1/2 staff with a role), 2 (1/2 signed in) → 2.0;
    // overall 80/4 = 20 → 2.0.
    let r = report(&t, &staff).await;
    let f = &r["figures"];
    for (field, want) in [
        ("active_products", 1), ("products_with_price", 1), ("products_with_image", 1),
        ("products_with_document", 1), ("products_with_specs", 1), ("b2b_price_kinds", 0),
        ("markets", 1), ("markets_showing_prices_and_stock", 1), ("recent_orders", 1),
        ("recent_orders_online", 1), ("stock_levels", 1), ("stock_levels_automated", 1),
        ("integrations_in_use", 1), ("recent_shipments", 0), ("recent_feedback", 0),
        ("companies", 1), ("companies_segmented", 0), ("order_history_months", 0),
        ("assessments_completed", 0), ("active_staff", 2), ("staff_with_roles", 1),
        ("staff_signed_in_recently", 1), ("report_days_recent", 0),
    ] {
        assert_eq!(f[field], want, "{field}: {f}");
    }
    assert_eq!(levels(&r["measured"]), [26, 20, 14, 20], "{r}");
    assert_eq!(r["measured"]["overall"], 20);
    assert_eq!(stage_of(&r, "integrations_in_use"), 2);
    assert!(r["latest_assessment"].is_null());
    // cn is on step 2 and the data supports it; personalisation needs B2B
    // prices and segmented customers (weakest first).
    let cn = &r["markets"][0];
    assert_eq!((cn["market"].as_str(), cn["current"].as_u64(), cn["ready_for"].as_u64(), cn["next"].as_u64()), (Some("cn"), Some(2), Some(2), Some(3)), "{cn}");
    let lacking: Vec<&str> = cn["shortfalls"].as_array().unwrap().iter().map(|s| s["indicator"].as_str().unwrap()).collect();
    assert_eq!(lacking, ["b2b_prices", "customers_segmented"]);

    // The overview page, in both languages, with the radar drawn on the server.
    let html = t.client.get(t.url("/admin/maturity?lang=en")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("<a href=\"/admin/markets\">") && html.contains("<a href=\"/admin/products\">"), "an admin sees every section");
    assert!(html.contains("href=\"/feedback?page=/admin/maturity\""), "feedback on any back-office page: {html}");
    assert!(html.contains("<svg") && html.contains("class=\"series measured\"") && !html.contains("class=\"series self\""), "{html}");
    assert!(html.contains("2.0 · Stage 2 · set standards") && html.contains("Not assessed yet"), "{html}");
    assert!(html.contains("Kinds of B2B price in use") && html.contains("href=\"/admin/maturity/assessments\""), "{html}");
    assert!(html.contains("Companies in a customer group or tier: 0 % (0/1), needs Stage 2 · set standards"), "{html}");
    let html = t.client.get(t.url("/admin/maturity?lang=zh-CN")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("数字化成熟度") && html.contains("用户体验") && html.contains("中期 · 设立标准"), "{html}");

    // A half-filled questionnaire is kept as a draft and says what is open.
    let html = t.client.get(t.url("/admin/maturity/assessments?lang=en")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("name=\"q_catalog\"") && html.contains("As SKUs with part numbers"), "{html}");
    let csrf = crate::admin_pages::hidden_token(&html);
    let r = t.client.post(t.url("/admin/maturity/assessments")).form(&[("csrf_token", "forged"), ("q_catalog", "3")]).send().await.unwrap();
    problem(r, StatusCode::FORBIDDEN, "csrf_failed").await;
    let r = t.client.post(t.url("/admin/maturity/assessments?lang=en")).form(&[("csrf_token", csrf.as_str()), ("q_catalog", "7"), ("q_nope", "1")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("role=\"alert\""));
    assert!(mercato_app::maturity::assessments(&t.app, None, 10).await.unwrap().is_empty(), "nothing saved");
    let r = t.client.post(t.url("/admin/maturity/assessments?lang=en")).form(&[("csrf_token", csrf.as_str()), ("q_catalog", "3"), ("q_pricing", "3"), ("q_team", ""), ("action", "finish")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("Saved as a draft: 10 questions are still open") && html.contains("aria-invalid=\"true\""), "{html}");
    let drafts = mercato_app::maturity::assessments(&t.app, None, 10).await.unwrap();
    assert_eq!(drafts.len(), 1);
    let id = drafts[0].id;
    assert_eq!(drafts[0].answers.len(), 2);
    assert!(html.contains(&format!("action=\"/admin/maturity/assessments/{id}\"")), "{html}");
    let html = t.client.get(t.url("/admin/maturity?lang=en")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(&format!("href=\"/admin/maturity/assessments/{id}\">Continue the draft")), "{html}");

    // Completing it: experience all 3, operations all 3, data all 1,
    // talent 2 and 2 → 3.0, 3.0, 1.0, 2.0, overall 22.5 → 2.2 (halves down).
    let mut form: Vec<(String, String)> = vec![("csrf_token".into(), csrf.clone()), ("action".into(), "finish".into())];
    for (q, a) in [("catalog", "3"), ("pricing", "3"), ("ordering", "3"), ("channels", "3"), ("integration", "3"), ("fulfilment", "3"), ("process", "3"), ("collection", "1"), ("analysis", "1"), ("decisions", "1"), ("team", "2"), ("culture", "2")] {
        form.push((format!("q_{q}"), a.to_string()));
    }
    let page = format!("/admin/maturity/assessments/{id}");
    let r = t.client.post(t.url(&page)).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], page.as_str());
    let html = t.client.get(t.url(&format!("{page}?lang=en"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("2.2 · Stage 2 · set standards") && html.contains("class=\"series self\"") && html.contains(" disabled"), "{html}");
    // A completed assessment is history.
    let r = t.client.post(t.url(&page)).form(&form).send().await.unwrap();
    problem(r, StatusCode::CONFLICT, "assessment_complete").await;

    // Opening the dashboard counts as a day the data was looked at.
    assert_eq!(t.client.get(t.url("/admin/dashboard")).send().await.unwrap().status(), StatusCode::OK);

    // Beside the data: operations rated 3.0 against 2.0 measured, explained
    // by the weakest readings; data rated 1.0 while the data shows 1.6 (the
    // assessment itself now counts: 3, 1, 1, 2, and one day of dashboards
    // is still stage 1 → 1.6); overall 82/4 = 20.5 → 2.0 (halves down).
    let r = report(&t, &staff).await;
    assert_eq!(r["figures"]["assessments_completed"], 1);
    assert_eq!(r["figures"]["report_days_recent"], 1);
    assert_eq!(levels(&r["measured"]), [26, 20, 16, 20], "{r}");
    assert_eq!(r["measured"]["overall"], 20);
    let a = &r["latest_assessment"];
    assert_eq!(levels(&a["result"]), [30, 30, 10, 20]);
    assert_eq!(a["result"]["overall"], 22);
    let gaps = a["gaps"].as_array().unwrap();
    assert_eq!(gaps[0]["verdict"], "agree"); // 3.0 against 2.6: within half a stage
    assert_eq!(gaps[1]["verdict"], "self_ahead");
    assert_eq!(gaps[1]["explained_by"], json!(["shipments_tracked", "feedback_triaged", "integrations_in_use"]));
    assert_eq!(gaps[2]["verdict"], "measured_ahead");
    assert_eq!(gaps[2]["explained_by"], json!(["maturity_tracked", "products_with_specs"]));
    assert_eq!(gaps[3]["verdict"], "agree");
    let html = t.client.get(t.url("/admin/maturity?lang=en")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("class=\"series self\"") && html.contains("Rated higher than the data shows") && html.contains("Shipments with tracking (90 days) — 0 % (0/0)"), "{html}");
    // The history lists it, and its snapshot of the data at the time stays.
    let stored = mercato_app::maturity::assessment(&t.app, None, id).await.unwrap();
    assert_eq!(stored.measured.unwrap().dimensions[2].level.0, 14);

    // Warehouse staff see the report but neither fill it in nor switch markets.
    let wh = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().unwrap();
    let res = wh.post(t.url("/api/v1/auth/login")).json(&json!({ "email": "wh@seller.example", "password": crate::PASSWORD })).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = wh.get(t.url("/admin/maturity?lang=en")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Digital maturity") && !html.contains("Start a self-assessment") && !html.contains("switch it on"), "{html}");
    // The menu follows the role: orders and feedback, not catalog or markets.
    assert!(html.contains("<a href=\"/admin/orders\">") && html.contains("<a href=\"/admin/feedback\">"), "{html}");
    assert!(!html.contains("<a href=\"/admin/products\">") && !html.contains("<a href=\"/admin/markets\">"), "{html}");
    problem(wh.get(t.url("/admin/maturity/assessments")).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
    problem(wh.post(t.url("/admin/markets/cn")).form(&[("csrf_token", "x"), ("roadmap_step", "1")]).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
    // Buyers get nothing of it.
    problem(call(&t, Method::GET, "/api/v1/admin/maturity", &buyer, None).await, StatusCode::FORBIDDEN, "forbidden").await;
    let res = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap().get(t.url("/admin/maturity")).send().await.unwrap();
    assert_eq!(res.headers()["location"], "/admin/login");
});

/// The assessment's words exist in both languages, for every question,
/// answer, indicator, stage, step and verdict the rules know.
#[test]
fn every_maturity_message_exists_in_both_languages() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let keys = |lang: &str| -> std::collections::BTreeSet<String> {
        std::fs::read_to_string(root.join(format!("locales/{lang}/maturity.ftl")))
            .unwrap()
            .lines()
            .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_string()))
            .filter(|k| !k.starts_with('#') && !k.is_empty())
            .collect()
    };
    let (en, zh) = (keys("en"), keys("zh-CN"));
    assert_eq!(en, zh, "en and zh-CN define different maturity messages");
    assert!(en.iter().all(|k| k.starts_with("maturity-")));
    use mercato_core::maturity::{Dimension, Indicator, QUESTIONS};
    let mut needed: Vec<String> = Vec::new();
    for q in QUESTIONS {
        needed.push(format!("maturity-q-{}", q.code));
        for n in 1..=3 {
            needed.push(format!("maturity-q-{}-{n}", q.code));
        }
    }
    for d in Dimension::ALL {
        needed.push(format!("maturity-dim-{}", d.code()));
    }
    for i in Indicator::ALL {
        needed.push(format!("maturity-ind-{}", i.code()));
        needed.push(format!("maturity-advice-{}", i.code()));
    }
    for n in 1..=3 {
        needed.push(format!("maturity-stage-{n}"));
    }
    for n in 1..=4 {
        needed.push(format!("maturity-step-{n}"));
    }
    for v in ["agree", "self_ahead", "measured_ahead"] {
        needed.push(format!("maturity-verdict-{v}"));
    }
    for s in ["draft", "complete"] {
        needed.push(format!("maturity-status-{s}"));
    }
    // And every literal key the pages and the CLI ask for.
    for name in [
        "src/admin_maturity.rs",
        "templates/maturity.html",
        "templates/maturity_assessment.html",
        "templates/markets.html",
        "templates/radar.html",
        "../mercato/src/assess.rs",
    ] {
        let src = std::fs::read_to_string(root.join(name)).unwrap();
        for marker in [".t(\"", ".t_with(\""] {
            let mut rest = src.as_str();
            while let Some(i) = rest.find(marker) {
                rest = &rest[i + marker.len()..];
                let key = rest.split('"').next().unwrap();
                if key.starts_with("maturity-") {
                    needed.push(key.to_string());
                }
            }
        }
    }
    let missing: Vec<_> = needed.iter().filter(|k| !en.contains(*k)).collect();
    assert!(missing.is_empty(), "maturity messages missing: {missing:?}");
}
