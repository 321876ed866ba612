//! The back office's sign-in form, landing page and sign-out, with CSRF.

use super::{PASSWORD, TestApp, problem};
use mercato_testkit::db_test;
use reqwest::StatusCode;

pub fn hidden_token(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("csrf field") + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

db_test!(async fn sign_in_form_landing_and_sign_out(db) {
    let t = TestApp::start(db).await;
    t.staff("desk@example.com", "catalog").await;

    let res = t.client.get(t.url("/admin")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/admin/login");

    let res = t.client.get(t.url("/admin/login")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = res.text().await.unwrap();
    assert!(html.contains("<label for=\"email\">") && html.contains("<label for=\"password\">"), "inputs are labelled");
    let token = hidden_token(&html);

    // Wrong password: the form comes back with a message and the e-mail kept.
    let res = t.client.post(t.url("/admin/login")).form(&[("email", "desk@example.com"), ("password", "wrong one!"), ("csrf_token", &token)]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let html = res.text().await.unwrap();
    assert!(html.contains("role=\"alert\"") && html.contains("value=\"desk@example.com\""), "{html}");

    let res = t.client.post(t.url("/admin/login")).form(&[("email", "desk@example.com"), ("password", PASSWORD), ("csrf_token", &token)]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/admin");

    let res = t.client.get(t.url("/admin")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("desk@example.com") && html.contains("catalog"), "{html}");
    let session_token = hidden_token(&html);

    // Sign-out needs the session's token.
    problem(t.client.post(t.url("/admin/logout")).form(&[("csrf_token", "forged")]).send().await.unwrap(), StatusCode::FORBIDDEN, "csrf_failed").await;
    let res = t.client.post(t.url("/admin/logout")).form(&[("csrf_token", &session_token)]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(t.client.get(t.url("/admin")).send().await.unwrap().status(), StatusCode::SEE_OTHER);
});

db_test!(async fn sign_in_form_without_its_csrf_token_is_refused(db) {
    let t = TestApp::start(db).await;
    t.staff("csrf@example.com", "admin").await;
    // No token at all (a cross-site form post carries no cookie of ours either).
    let res = t.client.post(t.url("/admin/login")).form(&[("email", "csrf@example.com"), ("password", PASSWORD)]).send().await.unwrap();
    problem(res, StatusCode::FORBIDDEN, "csrf_failed").await;
    // A token that does not match the cookie.
    t.client.get(t.url("/admin/login")).send().await.unwrap();
    let res = t.client.post(t.url("/admin/login")).form(&[("email", "csrf@example.com"), ("password", PASSWORD), ("csrf_token", "guess")]).send().await.unwrap();
    problem(res, StatusCode::FORBIDDEN, "csrf_failed").await;
});

db_test!(async fn the_back_office_speaks_chinese_and_english(db) {
    let t = TestApp::start(db).await;
    t.staff("boss@example.com", "admin").await;
    let get = |path: &str| {
        let req = t.client.get(t.url(path));
        async move {
            let res = req.send().await.unwrap();
            assert_eq!(res.status(), StatusCode::OK);
            res.text().await.unwrap()
        }
    };

    // Chinese unless asked otherwise; the switch leads to the same page in English.
    let html = get("/admin/login").await;
    assert!(html.contains("<html lang=\"zh-CN\">") && html.contains("员工登录") && html.contains("<label for=\"email\">电子邮箱</label>"), "{html}");
    assert!(html.contains("href=\"/admin/login?lang=en\" hreflang=\"en\" lang=\"en\">English</a>"), "{html}");
    let res = t.client.get(t.url("/admin/login?lang=en")).send().await.unwrap();
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("mercato_lang=en") && cookie.contains("Path=/"), "{cookie}");
    let html = res.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\">") && html.contains("Staff sign-in") && html.contains("hreflang=\"zh-CN\""), "{html}");
    // The choice is remembered, messages built by the handlers included.
    let html = get("/admin/login").await;
    assert!(html.contains("<html lang=\"en\">"), "{html}");
    let token = hidden_token(&html);
    let res = t.client.post(t.url("/admin/login")).form(&[("email", "boss@example.com"), ("password", "wrong one!"), ("csrf_token", &token)]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(res.text().await.unwrap().contains("E-mail or password is wrong."));
    let res = t.client.post(t.url("/admin/login")).form(&[("email", "boss@example.com"), ("password", PASSWORD), ("csrf_token", &token)]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = get("/admin").await;
    assert!(html.contains("Administrator") && html.contains("Manage the catalog") && html.contains("Recent activity"), "{html}");

    // A catalog to show (a market, attributes, categories).
    let api_token = t.login("boss@example.com").await["token"].as_str().unwrap().to_string();
    crate::catalog::setup(&t, &api_token).await;

    // Back to Chinese: the page keeps its filters, the switch its query.
    let html = get("/admin/products?q=M8&lang=zh-CN").await;
    assert!(html.contains("<html lang=\"zh-CN\">") && html.contains("<label for=\"q\">零件号或 slug</label>") && html.contains(">草稿</option>"), "{html}");
    assert!(html.contains("href=\"/admin/products?q=M8&#38;lang=en\"") || html.contains("href=\"/admin/products?q=M8&amp;lang=en\""), "{html}");
    let html = get("/admin").await;
    assert!(html.contains("管理员") && html.contains("管理商品目录"), "{html}");
    let csrf = hidden_token(&html);

    // A form post answers in the language, and its switch leads to a page that answers GET.
    let attr = [("csrf_token", csrf.as_str()), ("code", "finish"), ("name_zh", "表面处理"), ("name_en", "Finish"), ("kind", "enum"), ("unit", ""), ("options", "zn | 镀锌 | Zinc plated"), ("filterable", "true")];
    let res = t.client.post(t.url("/admin/attributes")).form(&attr).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("已保存属性 finish。") && html.contains("1 个选项") && html.contains("href=\"/admin/categories?lang=en\""), "{html}");
    let bad = [("csrf_token", csrf.as_str()), ("code", "size"), ("name_zh", ""), ("name_en", "Size"), ("kind", "enum"), ("unit", ""), ("options", ""), ("filterable", "")];
    let html = t.client.post(t.url("/admin/attributes")).form(&bad).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("未保存：选项列表属性至少需要一个选项"), "{html}");
    // The import report, the product page and the completeness report.
    let form = crate::catalog::upload("sku,product,category,name.en,attr.length\nX-1,widget,bolts,Widget,5\nX-2,broken,bolts,Broken,\"5,5\"\n").text("csrf_token", csrf.clone());
    let html = t.client.post(t.url("/admin/import")).multipart(form).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("已导入有效行（模式 valid-rows）") && html.contains("共 2 行：1 行有效，1 行有错误") && html.contains("<th scope=\"col\">原因</th>"), "{html}");
    let html = get("/admin/products/widget").await;
    assert!(html.contains("<h2>规格型号</h2>") && html.contains("保存 zh-CN") && html.contains("<label for=\"name-en\">名称</label>"), "{html}");
    let html = get("/admin/completeness?market=cn&max_score=100").await;
    assert!(html.contains("名称（zh-CN）") && html.contains("图片"), "{html}");
    let html = get("/admin/companies").await;
    assert!(html.contains("<h1>企业客户</h1>") && html.contains(">待审核</option>") && html.contains("没有符合条件的企业。"), "{html}");

    // A browser asking for English gets English without a cookie.
    let fresh = reqwest::Client::new();
    let html = fresh.get(t.url("/admin/login")).header("accept-language", "en-GB,en;q=0.8").send().await.unwrap().text().await.unwrap();
    assert!(html.contains("<html lang=\"en\">") && html.contains("Staff sign-in"), "{html}");
});
