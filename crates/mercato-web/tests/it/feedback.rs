//! Feedback on any page over HTTP (M4): the storefront form (double-submit
//! CSRF, refusals that store nothing, honeypot, the visitors' hourly
//! limit), who the sender was (visitor, buyer with company, staff), the
//! back office's list and triage (who may read, who may triage, audit),
//! and the counts the maturity assessment reads.

use super::admin_pages::hidden_token;
use super::companies::{company, staff_admin};
use super::{PASSWORD, TestApp, problem};
use mercato_app::Timestamp;
use mercato_app::feedback::{self, FeedbackQuery, VISITOR_FEEDBACK_PER_HOUR};
use mercato_core::feedback::{FeedbackKind, FeedbackSource, FeedbackStatus};
use mercato_testkit::db_test;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

/// A browser: keeps cookies, does not follow redirects.
fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A browser signed in as `email` (the sign-in API sets the session cookie).
async fn signed_in(t: &TestApp, email: &str) -> Client {
    let c = browser();
    let r = c
        .post(t.url("/api/v1/auth/login"))
        .json(&json!({ "email": email, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    c
}

async fn html(c: &Client, url: String, status: StatusCode) -> String {
    let r = c
        .get(url.clone())
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), status, "{url}");
    r.text().await.unwrap()
}

/// Opens the form about `page` and sends it; returns the response.
async fn send(t: &TestApp, c: &Client, page: &str, kind: &str, message: &str) -> reqwest::Response {
    let form = html(c, t.url("/feedback?lang=en"), StatusCode::OK).await;
    let csrf = hidden_token(&form);
    c.post(t.url("/feedback?lang=en"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("page", page),
            ("kind", kind),
            ("message", message),
            ("website", ""),
        ])
        .send()
        .await
        .unwrap()
}

/// Every piece of feedback, newest first (as the operator reads it).
async fn all(t: &TestApp) -> Vec<feedback::FeedbackView> {
    feedback::list(
        &t.app,
        None,
        &FeedbackQuery {
            limit: Some(200),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .items
}

db_test!(async fn feedback_from_visitors(db) {
    let t = TestApp::start(db).await;
    staff_admin(&t).await;
    let v = browser();

    // Every storefront page links to the form about itself.
    let page = html(&v, t.url("/brands?lang=en"), StatusCode::OK).await;
    assert!(page.contains("href=\"/feedback?page=/brands\"") && page.contains("Feedback on this page"), "{page}");
    let page = html(&v, t.url("/search?q=bolt&lang=en"), StatusCode::OK).await;
    assert!(page.contains("href=\"/feedback?page=/search%3Fq%3Dbolt\""), "the query is kept, encoded: {page}");

    // The form names the page; a page elsewhere becomes the home page.
    let form = html(&v, t.url("/feedback?page=%2Fp%2Fbolt%3Fx%3D1&lang=en"), StatusCode::OK).await;
    assert!(form.contains("name=\"page\" value=\"/p/bolt?x=1\""), "{form}");
    let evil = html(&v, t.url("/feedback?page=//evil.example&lang=en"), StatusCode::OK).await;
    assert!(evil.contains("name=\"page\" value=\"/\"") && !evil.contains("href=\"//evil"), "{evil}");
    let csrf = hidden_token(&form);

    // Refused: no or a forged token (403), a page elsewhere, an empty
    // message, no kind (422, the form again with what was typed).
    let good = |page: &'static str, kind: &'static str, message: &'static str| {
        vec![("csrf_token", csrf.clone()), ("page", page.into()), ("kind", kind.into()), ("message", message.into())]
    };
    let r = v.post(t.url("/feedback")).form(&[("page", "/"), ("kind", "idea"), ("message", "hi")]).send().await.unwrap();
    problem(r, StatusCode::FORBIDDEN, "csrf_failed").await;
    let r = browser().post(t.url("/feedback")).form(&good("/", "idea", "hi")).send().await.unwrap();
    problem(r, StatusCode::FORBIDDEN, "csrf_failed").await; // the token without its cookie
    let r = v.post(t.url("/feedback?lang=en")).form(&good("//evil.example/x", "problem", "Broken")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("only take feedback on pages of this site") && body.contains(">Broken</textarea>"), "{body}");
    let r = v.post(t.url("/feedback?lang=en")).form(&good("/cart", "problem", "  \n ")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("This field is required."));
    let r = v.post(t.url("/feedback?lang=en")).form(&good("/cart", "", "No kind")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let long = "x".repeat(4001);
    let r = v.post(t.url("/feedback?lang=en")).form(&[("csrf_token", csrf.as_str()), ("page", "/"), ("kind", "idea"), ("message", long.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A filled honeypot gets the thank-you page, but nothing is stored.
    let mut bot = good("/", "idea", "Buy pills");
    bot.push(("website", "http://spam.example".into()));
    let r = v.post(t.url("/feedback?lang=en")).form(&bot).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("Thank you for your feedback."));
    assert!(all(&t).await.is_empty(), "nothing refused was stored");

    // Sent: thanks, with the way back; stored with its page and context,
    // as a visitor's, and without the sender's address.
    let r = v.post(t.url("/feedback?lang=en")).form(&good("/p/bolt?x=1", "problem", "  The size filter forgets my choice.\n")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body = r.text().await.unwrap();
    assert!(body.contains("Thank you for your feedback.") && body.contains("href=\"/p/bolt?x=1\""), "{body}");
    let stored = all(&t).await;
    assert_eq!(stored.len(), 1);
    let f = &stored[0];
    assert_eq!((f.source, f.kind, f.status), (FeedbackSource::Visitor, FeedbackKind::Problem, FeedbackStatus::New));
    assert_eq!(f.message, "The size filter forgets my choice.");
    assert_eq!(f.page, "/p/bolt?x=1");
    assert_eq!((f.context.lang.as_str(), f.context.market.as_deref(), f.context.signed_in), ("en", Some("eu"), false));
    assert_eq!((f.user_id, f.company_id), (None, None));
    let row = mercato_store::feedback::get(t.app.db(), f.id).await.unwrap().unwrap();
    let key = row.client_key.unwrap();
    assert!(key.len() == 64 && !key.contains("127.0.0.1"), "a hash, not the address: {key}");
    assert!(!serde_json::to_string(&row.context).unwrap().contains("127.0.0.1"));

    // Visitors get a few per hour from one address, then 429.
    for i in 1..VISITOR_FEEDBACK_PER_HOUR {
        let r = send(&t, &v, "/", "idea", &format!("Idea {i}")).await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    let r = send(&t, &v, "/", "idea", "One too many").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let body = r.text().await.unwrap();
    assert!(body.contains("a lot of feedback in the last hour") && body.contains(">One too many</textarea>"), "{body}");
    let r = send(&t, &browser(), "/", "idea", "Another visitor, same address").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(all(&t).await.len(), usize::try_from(VISITOR_FEEDBACK_PER_HOUR).unwrap());
});

db_test!(async fn feedback_from_buyers_and_staff_and_its_triage(db) {
    let t = TestApp::start(db).await;
    let admin = staff_admin(&t).await;
    let co = company(&t, &admin, "alpha", "DE136695976").await;
    t.staff("rep@seller.example", "sales_rep").await;
    t.staff("wh@seller.example", "warehouse").await;
    t.staff("cat@seller.example", "catalog").await;

    // A buyer's feedback records the buyer and their company; signed-in
    // senders are not held to the visitors' limit.
    let buyer = signed_in(&t, "buyer@alpha.example").await;
    for i in 0..=VISITOR_FEEDBACK_PER_HOUR {
        let r = send(&t, &buyer, "/cart", "question", &format!("Where is the PO field? {i}")).await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    let f = all(&t).await.into_iter().next().unwrap();
    assert_eq!(f.source, FeedbackSource::Buyer);
    assert_eq!(f.company_id.map(|c| c.to_string()), Some(co.id.clone()));
    assert_eq!(f.user_id.map(|u| u.to_string()), Some(co.buyer_id.clone()));
    assert!(f.context.signed_in);
    // Buyers never see feedback, not even their own.
    let r = buyer.get(t.url("/admin/feedback")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/account");
    let r = buyer.get(t.url(&format!("/admin/feedback/{}", f.id))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(feedback::list(&t.app, None, &FeedbackQuery::default()).await.is_ok());

    // Staff leave feedback too (from a back-office page).
    let rep = signed_in(&t, "rep@seller.example").await;
    let r = send(&t, &rep, "/admin/orders", "idea", "Bulk-confirm paid orders").await;
    assert_eq!(r.status(), StatusCode::OK);
    let staff_fb = all(&t).await.into_iter().next().unwrap();
    assert_eq!(staff_fb.source, FeedbackSource::Staff);
    assert_eq!(staff_fb.company_id, None);

    // The list: newest first, filtered by status.
    let page = html(&rep, t.url("/admin/feedback?lang=en"), StatusCode::OK).await;
    assert!(page.contains("Bulk-confirm paid orders") && page.contains("Where is the PO field? 5"), "{page}");
    assert!(page.find("Bulk-confirm").unwrap() < page.find("Where is the PO field").unwrap(), "newest first");
    assert!(page.contains("href=\"/admin/orders\"") && page.contains(">Staff<") && page.contains(">Buyer<"), "{page}");
    let page = html(&rep, t.url("/admin/feedback?status=done&lang=en"), StatusCode::OK).await;
    assert!(page.contains("No feedback yet."), "{page}");
    let r = rep.get(t.url("/admin/feedback?status=open")).send().await.unwrap();
    problem(r, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let r = rep.get(t.url("/admin/feedback?cursor=garbage")).send().await.unwrap();
    problem(r, StatusCode::BAD_REQUEST, "invalid_cursor").await;

    // Triage: status and note, recorded with who did it, audited.
    let url = t.url(&format!("/admin/feedback/{}", f.id));
    let page = html(&rep, format!("{url}?lang=en"), StatusCode::OK).await;
    assert!(page.contains("Where is the PO field? 5") && page.contains(&format!("/admin/companies/{}", co.id)), "{page}");
    assert!(page.contains("name=\"staff_note\"") && !page.contains("value=\"new\""), "a triage form without `new`: {page}");
    let csrf = hidden_token(&page);
    let r = rep.post(&url).form(&[("csrf_token", "forged"), ("status", "planned")]).send().await.unwrap();
    problem(r, StatusCode::FORBIDDEN, "csrf_failed").await;
    let r = rep.post(&url).form(&[("csrf_token", csrf.as_str()), ("status", "new"), ("staff_note", "")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "never back to new");
    let r = rep.post(&url).form(&[("csrf_token", csrf.as_str()), ("status", "planned"), ("staff_note", "  Show the PO field earlier. ")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], format!("/admin/feedback/{}?saved=1", f.id));
    let triaged = feedback::get(&t.app, None, f.id).await.unwrap();
    assert_eq!((triaged.status, triaged.staff_note.as_str()), (FeedbackStatus::Planned, "Show the PO field earlier."));
    let rep_id = t.login("rep@seller.example").await["user"]["id"].as_str().unwrap().to_string();
    assert_eq!(triaged.triaged_by.map(|u| u.to_string()), Some(rep_id));
    let audit: Value = Client::new().get(t.url("/api/v1/admin/audit-log")).bearer_auth(&admin).send().await.unwrap().json().await.unwrap();
    let entry = audit["items"].as_array().unwrap().iter().find(|e| e["action"] == "feedback.triage").expect("audited");
    assert_eq!(entry["subject_id"], f.id.to_string(), "{entry}");
    let r = rep.post(t.url("/admin/feedback/0190a0a0-0000-7000-8000-000000000000")).form(&[("csrf_token", csrf.as_str()), ("status", "done")]).send().await.unwrap();
    problem(r, StatusCode::NOT_FOUND, "not_found").await;

    // Warehouse and catalog staff may read feedback but not triage it.
    for who in ["wh@seller.example", "cat@seller.example"] {
        let c = signed_in(&t, who).await;
        let page = html(&c, format!("{url}?lang=en"), StatusCode::OK).await;
        assert!(page.contains("Show the PO field earlier.") && !page.contains("name=\"staff_note\""), "{who}: {page}");
        let csrf = hidden_token(&page); // the sign-out form's session token
        let r = c.post(&url).form(&[("csrf_token", csrf.as_str()), ("status", "dismissed"), ("staff_note", "")]).send().await.unwrap();
        problem(r, StatusCode::FORBIDDEN, "forbidden").await;
    }
    assert_eq!(feedback::get(&t.app, None, f.id).await.unwrap().status, FeedbackStatus::Planned);

    // The counts the maturity assessment reads: by status and by source.
    let since = Timestamp::now().plus(-time::Duration::days(90));
    let c = feedback::counts(&t.app, since).await.unwrap();
    let buyers = u64::try_from(VISITOR_FEEDBACK_PER_HOUR).unwrap() + 1;
    assert_eq!(c.total(), buyers + 1);
    assert_eq!((c.source(FeedbackSource::Buyer), c.source(FeedbackSource::Staff), c.source(FeedbackSource::Visitor)), (buyers, 1, 0));
    assert_eq!((c.status(FeedbackStatus::New), c.status(FeedbackStatus::Planned)), (buyers, 1));
    assert_eq!(c.triaged(), 1);
    assert_eq!(c.triaged_share(), Some(1.0 / (buyers + 1) as f64));
    let later = feedback::counts(&t.app, Timestamp::now().plus(time::Duration::minutes(1))).await.unwrap();
    assert_eq!((later.total(), later.triaged_share()), (0, None));
});

/// Every message the feedback pages use exists in both languages (the
/// shared check in `account_pages.rs` does not read these files).
#[test]
fn feedback_messages_exist_in_both_languages() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let keys = |lang: &str| -> std::collections::BTreeSet<String> {
        ["store.ftl", "admin.ftl"]
            .iter()
            .flat_map(|file| {
                std::fs::read_to_string(root.join(format!("locales/{lang}/{file}")))
                    .unwrap()
                    .lines()
                    .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_string()))
                    .filter(|k| !k.starts_with('#') && !k.is_empty())
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let (en, zh) = (keys("en"), keys("zh-CN"));
    let mut used = std::collections::BTreeSet::new();
    for name in [
        "src/feedback.rs",
        "templates/store_feedback.html",
        "templates/admin_feedback.html",
        "templates/admin_feedback_list.html",
        "templates/store_base.html",
    ] {
        let src = std::fs::read_to_string(root.join(name)).unwrap();
        // Every quoted name of ours, except families completed at run time
        // (`word("admin-feedback-kind", code)`, `format!("feedback-kind-{}")`).
        for prefix in ["\"feedback-", "\"admin-feedback-"] {
            let mut from = 0;
            while let Some(i) = src[from..].find(prefix) {
                let start = from + i + 1;
                let name: String = src[start..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect();
                let family = name.ends_with('-') || src[..start - 1].trim_end().ends_with("word(");
                if !family {
                    used.insert(name);
                }
                from = start;
            }
        }
    }
    for k in FeedbackKind::ALL {
        used.insert(format!("feedback-kind-{}", k.code()));
        used.insert(format!("admin-feedback-kind-{}", k.code()));
    }
    for s in FeedbackStatus::ALL {
        used.insert(format!("admin-feedback-status-{}", s.code()));
    }
    for s in FeedbackSource::ALL {
        used.insert(format!("admin-feedback-source-{}", s.code()));
    }
    for code in [
        "required",
        "too_long",
        "bad_character",
        "unknown_kind",
        "invalid_page",
    ] {
        used.insert(format!("feedback-error-{code}"));
    }
    for k in &used {
        assert!(en.contains(k), "{k} missing in en");
        assert!(zh.contains(k), "{k} missing in zh-CN");
    }
    let ours = |set: &std::collections::BTreeSet<String>| -> Vec<String> {
        set.iter()
            .filter(|k| k.starts_with("feedback-") || k.starts_with("admin-feedback-"))
            .cloned()
            .collect()
    };
    assert_eq!(
        ours(&en),
        ours(&zh),
        "en and zh-CN define different feedback messages"
    );
}
