//! The buyer's account pages and the back-office company pages, driven as a
//! browser would: forms with CSRF tokens, cookies, redirects, both languages.

use super::admin_pages::hidden_token;
use super::companies::{company, staff_admin};
use super::{PASSWORD, TestApp, problem};
use mercato_testkit::db_test;
use reqwest::{Client, StatusCode};

fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn get_html(c: &Client, url: &str) -> (StatusCode, String) {
    let res = c.get(url).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

/// Signs in through the storefront form; returns the session's form token.
async fn sign_in(t: &TestApp, c: &Client, email: &str) -> String {
    let (_, html) = get_html(c, &t.url("/account/login")).await;
    let token = hidden_token(&html);
    let res = c
        .post(t.url("/account/login"))
        .form(&[
            ("email", email),
            ("password", PASSWORD),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, html) = get_html(c, &t.url(res.headers()["location"].to_str().unwrap())).await;
    assert_eq!(status, StatusCode::OK);
    hidden_token(&html)
}

db_test!(async fn buyers_manage_their_account_in_both_languages(db) {
    let t = TestApp::start(db).await;
    let staff = staff_admin(&t).await;
    let _a = company(&t, &staff, "alpha", "DE136695976").await;

    // Not signed in: sent to the sign-in page, in Chinese unless asked otherwise.
    let c = browser();
    let res = c.get(t.url("/account")).send().await.unwrap();
    assert_eq!(res.headers()["location"], "/account/login");
    let (_, html) = get_html(&c, &t.url("/account/login")).await;
    assert!(html.contains("<html lang=\"zh-CN\">") && html.contains("登录"), "{html}");
    let token = hidden_token(&html);
    let res = c.post(t.url("/account/login")).form(&[("email", "admin@alpha.example"), ("password", "wrong password!"), ("csrf_token", &token)]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let html = res.text().await.unwrap();
    assert!(html.contains("电子邮箱或密码错误") && html.contains("value=\"admin@alpha.example\""), "{html}");
    // A forged form token is refused.
    problem(c.post(t.url("/account/login")).form(&[("email", "admin@alpha.example"), ("password", PASSWORD), ("csrf_token", "forged")]).send().await.unwrap(), StatusCode::FORBIDDEN, "csrf_failed").await;

    let csrf = sign_in(&t, &c, "admin@alpha.example").await;
    let (_, html) = get_html(&c, &t.url("/account")).await;
    assert!(html.contains("alpha GmbH") && html.contains("管理员") && html.contains("我的账户"), "{html}");
    // Switching to English is remembered.
    let (_, html) = get_html(&c, &t.url("/account?lang=en")).await;
    assert!(html.contains("<html lang=\"en\">") && html.contains("Administrator") && html.contains("hreflang=\"zh-CN\""), "{html}");
    let (_, html) = get_html(&c, &t.url("/account/addresses")).await;
    assert!(html.contains("Address book"), "{html}");

    // A wrong address comes back with what was typed and what is wrong.
    let form = [("recipient", "Dock 4"), ("line1", "Kai 7"), ("city", "Bremen"), ("postal_code", "28195"), ("country", "UK"), ("csrf_token", csrf.as_str())];
    let res = c.post(t.url("/account/addresses")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("value=\"Bremen\"") && html.contains("id=\"country-error\"") && html.contains("GB"), "{html}");
    let mut form = form;
    form[4] = ("country", "DE");
    let res = c.post(t.url("/account/addresses")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = get_html(&c, &t.url("/account/addresses")).await;
    assert!(html.contains("Dock 4") && html.contains("28195 Bremen"), "{html}");
    // Without the session's token nothing is written.
    problem(c.post(t.url("/account/addresses")).form(&[("recipient", "x")]).send().await.unwrap(), StatusCode::FORBIDDEN, "csrf_failed").await;

    // The admin invites a colleague from the users page; the invitation link works in the browser.
    let res = c.post(t.url("/account/users")).form(&[("name", "Eva"), ("email", "eva@alpha.example"), ("role", "buyer"), ("csrf_token", &csrf)]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Invitation sent to eva@alpha.example") && html.contains("invitation pending"), "{html}");
    let mail = t.mail("eva@alpha.example", "invitation").await;
    let link = mail["link"].as_str().unwrap();
    let path = &link[link.find("/account/").unwrap()..];
    let eva = browser();
    let (status, html) = get_html(&eva, &t.url(path)).await;
    assert_eq!(status, StatusCode::OK);
    let form_token = hidden_token(&html);
    let secret = path.split("token=").nth(1).unwrap();
    let res = eva.post(t.url("/account/accept-invitation")).form(&[("token", secret), ("password", "short"), ("csrf_token", &form_token)]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = eva.post(t.url("/account/accept-invitation")).form(&[("token", secret), ("password", PASSWORD), ("csrf_token", &form_token)]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = eva.post(t.url("/account/accept-invitation")).form(&[("token", secret), ("password", PASSWORD), ("csrf_token", &form_token)]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("此链接已被使用"));

    // A viewer sees the users but gets no invitation form, and cannot post one.
    let v = browser();
    let vcsrf = sign_in(&t, &v, "viewer@alpha.example").await;
    let (_, html) = get_html(&v, &t.url("/account/users")).await;
    assert!(html.contains("eva@alpha.example") && !html.contains("action=\"/account/users\""), "{html}");
    problem(v.post(t.url("/account/users")).form(&[("email", "x@alpha.example"), ("role", "admin"), ("csrf_token", &vcsrf)]).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
    let (_, html) = get_html(&v, &t.url("/account/orders")).await;
    assert!(html.contains("订单"), "{html}");

    // Signing out needs the token, and ends the session.
    let res = c.post(t.url("/account/logout")).form(&[("csrf_token", &csrf)]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(c.get(t.url("/account")).send().await.unwrap().status(), StatusCode::SEE_OTHER);
});

db_test!(async fn a_company_applies_from_the_storefront_and_staff_act_for_its_buyer(db) {
    let t = TestApp::start(db).await;
    let _staff = staff_admin(&t).await;

    // Apply: a mistake keeps what was typed (but never the password).
    let c = browser();
    let (_, html) = get_html(&c, &t.url("/account/register?lang=en")).await;
    let token = hidden_token(&html);
    let mut form = vec![("company_name", "<script>alert(1)</script> Werkzeug AG"), ("country", "DE"), ("vat_number", "DE 123"), ("name", "Jan"), ("email", "jan@werkzeug.example"), ("password", PASSWORD), ("csrf_token", token.as_str())];
    let res = c.post(t.url("/account/register")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"vat_number-error\"") && html.contains("value=\"jan@werkzeug.example\"") && !html.contains(PASSWORD), "{html}");
    assert!(!html.contains("<script>alert(1)</script>") && html.contains("&#60;script&#62;"), "escaped");
    form[2] = ("vat_number", "DE136695976");
    let res = c.post(t.url("/account/register")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    assert!(res.text().await.unwrap().contains("jan@werkzeug.example"));

    // The verification link: opening it does not use it; the button does.
    let mail = t.mail("jan@werkzeug.example", "verify_email").await;
    let link = mail["link"].as_str().unwrap();
    let path = &link[link.find("/account/").unwrap()..];
    for _ in 0..2 {
        let (status, _) = get_html(&c, &t.url(path)).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (_, html) = get_html(&c, &t.url(path)).await;
    let form_token = hidden_token(&html);
    let secret = path.split("token=").nth(1).unwrap();
    let res = c.post(t.url("/account/verify-email")).form(&[("token", secret), ("csrf_token", &form_token)]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // Staff approve it in the back office and act for its admin.
    let s = browser();
    let (_, html) = get_html(&s, &t.url("/admin/login")).await;
    let token = hidden_token(&html);
    let res = s.post(t.url("/admin/login")).form(&[("email", "admin@seller.example"), ("password", PASSWORD), ("csrf_token", &token)]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, html) = get_html(&s, &t.url("/admin/companies?status=pending&lang=en")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62; Werkzeug AG") && !html.contains("<script>alert"), "{html}");
    let csrf = hidden_token(&html);
    let start = html.find("/admin/companies/").unwrap() + "/admin/companies/".len();
    let id = html[start..start + 36].to_string();
    let res = s.post(t.url(&format!("/admin/companies/{id}/status"))).form(&[("status", "active"), ("csrf_token", csrf.as_str())]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("is now active") && html.contains("jan@werkzeug.example"), "{html}");
    let start = html.find("name=\"user_id\" value=\"").unwrap() + "name=\"user_id\" value=\"".len();
    let user_id = html[start..start + 36].to_string();
    let res = s.post(t.url(&format!("/admin/companies/{id}/act-as"))).form(&[("user_id", user_id.as_str()), ("csrf_token", csrf.as_str())]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/account");
    let (_, html) = get_html(&s, &t.url("/account?lang=en")).await;
    assert!(html.contains("class=\"acting\"") && html.contains("You are acting for Jan"), "{html}");
    let res = s.post(t.url("/account/stop-acting")).form(&[("csrf_token", csrf.as_str())]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], format!("/admin/companies/{id}"));
    let (_, html) = get_html(&s, &t.url(&format!("/admin/companies/{id}"))).await;
    assert!(!html.contains("class=\"acting\""), "{html}");
});

/// Every message the pages use exists in both languages, and both files
/// define the same messages: the buyer's pages (`account.ftl`) and the back
/// office (`admin.ftl`).
#[test]
fn every_ui_message_exists_in_both_languages() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let keys = |lang: &str, file: &str| -> std::collections::BTreeSet<String> {
        std::fs::read_to_string(root.join(format!("locales/{lang}/{file}")))
            .unwrap()
            .lines()
            .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_string()))
            .filter(|k| !k.starts_with('#') && !k.is_empty())
            .collect()
    };
    let (en, zh) = (keys("en", "account.ftl"), keys("zh-CN", "account.ftl"));
    assert_eq!(en, zh, "en and zh-CN define different messages");
    let (admin_en, admin_zh) = (keys("en", "admin.ftl"), keys("zh-CN", "admin.ftl"));
    assert_eq!(
        admin_en, admin_zh,
        "en and zh-CN define different back-office messages"
    );
    assert!(
        admin_en.iter().all(|k| k.starts_with("admin-")),
        "back-office keys start with admin-"
    );
    assert!(
        en.is_disjoint(&admin_en),
        "a key is defined in both account.ftl and admin.ftl"
    );
    let (store_en, store_zh) = (keys("en", "store.ftl"), keys("zh-CN", "store.ftl"));
    assert_eq!(
        store_en, store_zh,
        "en and zh-CN define different storefront messages"
    );
    assert!(
        store_en.is_disjoint(&en) && store_en.is_disjoint(&admin_en),
        "a key is defined in store.ftl and another file"
    );
    // `error-<code>` words a field error everywhere (back office included):
    // the storefront words its own forms under its own prefix.
    assert!(
        store_en.iter().all(|k| !k.starts_with("error-")),
        "store.ftl must not define app-wide error-<code> messages"
    );
    let mut used = std::collections::BTreeSet::new();
    let mut sources = vec![std::fs::read_to_string(root.join("src/account.rs")).unwrap()];
    // The storefront: its handlers and templates.
    for name in [
        "src/shop.rs",
        "src/shop_orders.rs",
        "templates/acting_banner.html",
    ] {
        sources.push(std::fs::read_to_string(root.join(name)).unwrap());
    }
    // The back office: its handlers and templates.
    let mut admin_sources = Vec::new();
    for entry in std::fs::read_dir(root.join("src")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with("admin") && name.ends_with(".rs") {
            admin_sources.push(std::fs::read_to_string(path).unwrap());
        }
    }
    const ADMIN_TEMPLATES: [&str; 32] = [
        "admin_base.html",
        "base.html",
        "login.html",
        "home.html",
        "products.html",
        "product.html",
        "categories.html",
        "completeness.html",
        "import.html",
        "search.html",
        "companies.html",
        "company.html",
        "orders.html",
        "order.html",
        "dashboard.html",
        "markets.html",
        "stock.html",
        "stock_item.html",
        "admin_feedback.html",
        "admin_feedback_list.html",
        "saved_views.html",
        "staff.html",
        "staff_user.html",
        "audit.html",
        "tokens.html",
        "price_lists.html",
        "price_list.html",
        "price_explain.html",
        "priced_cart.html",
        "promotions.html",
        "promotion.html",
        "promotion_preview.html",
    ];
    assert!(
        admin_sources.len() >= 4,
        "admin.rs, admin_catalog.rs, admin_companies.rs, admin_search.rs"
    );
    for name in ADMIN_TEMPLATES {
        admin_sources.push(std::fs::read_to_string(root.join("templates").join(name)).unwrap());
    }
    for entry in std::fs::read_dir(root.join("templates")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with("account_") || name.starts_with("store_") || name == "shop_base.html" {
            sources.push(std::fs::read_to_string(path).unwrap());
        }
    }
    for src in sources.iter().chain(&admin_sources) {
        for marker in [".t(\"", ".t_with(\""] {
            let mut rest = src.as_str();
            while let Some(i) = rest.find(marker) {
                rest = &rest[i + marker.len()..];
                let key = rest.split('"').next().unwrap();
                used.insert(key.to_string());
            }
        }
    }
    // In the back office every quoted `admin-…` name is a message (however
    // the call is wrapped), except the families `word("admin-…", code)`
    // completes with a code at run time.
    let mut families = std::collections::BTreeSet::new();
    for src in &admin_sources {
        let mut from = 0;
        while let Some(i) = src[from..].find("\"admin-") {
            let start = from + i + 1;
            let name: String = src[start..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            if src[..start - 1].trim_end().ends_with("word(") {
                families.insert(name);
            } else {
                used.insert(name);
            }
            from = start;
        }
    }
    // The maturity pages' own words (checked in full in maturity.rs).
    let maturity_en = keys("en", "maturity.ftl");
    assert!(
        maturity_en.is_disjoint(&admin_en) && maturity_en.is_disjoint(&store_en),
        "a key is defined in maturity.ftl and another file"
    );
    let defined: std::collections::BTreeSet<String> = en
        .iter()
        .chain(&admin_en)
        .chain(&store_en)
        .chain(&maturity_en)
        .cloned()
        .collect();
    let missing: Vec<_> = used.iter().filter(|k| !defined.contains(*k)).collect();
    assert!(
        missing.is_empty(),
        "messages used but not defined: {missing:?}"
    );
    // Keys built at run time: every role and company status.
    for r in mercato_core::CompanyRole::ALL {
        assert!(en.contains(&format!("role-{}", r.code())));
    }
    for s in mercato_core::CompanyStatus::ALL {
        assert!(en.contains(&format!("status-{}", s.code())));
    }
    // The back office's words for codes, family by family.
    let mut codes: Vec<(&str, String)> = Vec::new();
    for r in mercato_core::CompanyRole::ALL {
        codes.push(("admin-member-role", r.code().to_string()));
    }
    for s in mercato_core::CompanyStatus::ALL {
        codes.push(("admin-company-state", s.code().to_string()));
    }
    for r in mercato_core::StaffRole::ALL {
        codes.push(("admin-staff-role", r.code().to_string()));
        for p in r.permissions() {
            codes.push((
                "admin-permission",
                serde_json::to_value(p)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string(),
            ));
        }
    }
    for s in ["draft", "active", "discontinued"] {
        mercato_core::catalog::ProductStatus::parse(s).unwrap();
        codes.push(("admin-product-state", s.to_string()));
    }
    for k in ["image", "document", "video"] {
        codes.push(("admin-media-kind", k.to_string()));
    }
    for k in ["quote", "sample", "contact"] {
        mercato_core::inquiry::InquiryKind::parse(k).unwrap();
        codes.push(("admin-inquiry-kind", k.to_string()));
    }
    for st in mercato_core::inquiry::InquiryStatus::ALL {
        codes.push(("admin-inquiry-status", st.as_str().to_string()));
    }
    for st in mercato_core::order::PaymentStatus::ALL {
        codes.push(("admin-payment-status", st.as_str().to_string()));
    }
    for b in mercato_core::report::Bucket::ALL {
        codes.push(("admin-dashboard-bucket", b.code().to_string()));
    }
    for c in ["direct", "search", "social", "email", "referral"] {
        codes.push(("admin-dashboard-channel", c.to_string()));
    }
    for d in ["mobile", "tablet", "desktop"] {
        codes.push(("admin-dashboard-device", d.to_string()));
    }
    // Every step the history records (place, approve, confirm, ship, …),
    // and what the order page says after each step staff take.
    for a in [
        "place", "approve", "confirm", "ship", "deliver", "complete", "hold", "release", "cancel",
    ] {
        codes.push(("admin-order-action", a.to_string()));
    }
    for a in [
        "confirm", "release", "deliver", "complete", "hold", "cancel", "ship", "paid",
    ] {
        codes.push(("admin-order-done", a.to_string()));
    }
    // The storefront's words for order statuses and payment methods.
    for st in mercato_core::order::OrderStatus::ALL {
        let key = format!("order-status-{}", st.as_str());
        assert!(store_en.contains(&key), "{key} is not defined");
    }
    for m in mercato_core::order::PaymentMethod::ALL {
        let key = format!("payment-{}", m.as_str());
        assert!(store_en.contains(&key), "{key} is not defined");
    }
    let checked: std::collections::BTreeSet<&str> = codes.iter().map(|(f, _)| *f).collect();
    assert_eq!(
        checked,
        families.iter().map(String::as_str).collect(),
        "every family of words is checked"
    );
    for (family, code) in &codes {
        let key = format!("{family}-{code}");
        assert!(admin_en.contains(&key), "{key} is not defined");
    }
}
