//! Traffic statistics over HTTP (D1): visitors browse the storefront, the
//! counts are flushed, and the summary staff read has exactly the page
//! views, visits, entry pages, searches (and zero-result searches),
//! product views, channels, referrers and devices they produced. Bots,
//! the API, the back office, files, errors, prefetches and staff are not
//! counted; Do Not Track gets no cookie and no visit.

use super::orders::shop;
use super::{PASSWORD, TestApp};
use mercato_app::AppError;
use mercato_app::traffic::{KeyCount, TrafficSummary, TrafficTotals, summary};
use mercato_testkit::db_test;
use reqwest::{Client, StatusCode};
use serde_json::json;
use time::{Duration, OffsetDateTime};

const MOBILE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
const DESKTOP: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
const GOOGLEBOT: &str = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

/// A browser with its own cookies and user agent; does not follow redirects.
fn browser(ua: &str) -> Client {
    Client::builder()
        .cookie_store(true)
        .user_agent(ua)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// GETs `path` as a page; gives the status and whether the visit cookie was set.
async fn get(t: &TestApp, c: &Client, path: &str, headers: &[(&str, &str)]) -> (StatusCode, bool) {
    let mut req = c.get(t.url(path)).header("accept", "text/html");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let r = req.send().await.unwrap();
    let visit = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|v| v.to_str().unwrap().starts_with("mercato_visit=1;"));
    (r.status(), visit)
}

fn kc(list: &[(&str, i64)]) -> Vec<KeyCount> {
    list.iter()
        .map(|(k, n)| KeyCount {
            key: k.to_string(),
            count: *n,
        })
        .collect()
}

/// Yesterday to tomorrow (UTC): a run across midnight still sees every count.
fn around_today() -> (time::Date, time::Date) {
    let today = OffsetDateTime::now_utc().date();
    (today - Duration::days(1), today + Duration::days(1))
}

async fn read(t: &TestApp, market: Option<&str>) -> TrafficSummary {
    let (from, to) = around_today();
    summary(&t.app, None, from, to, market).await.unwrap()
}

db_test!(async fn storefront_traffic_is_counted_first_party(db) {
    let dir = tempfile::tempdir().unwrap();
    let settings = mercato_app::AppSettings { media_dir: Some(dir.path().to_path_buf()), ..crate::test_settings() };
    let t = TestApp::start_full(db, settings, Default::default(), |r| r).await;
    let (staff, buyer, _) = shop(&t).await;
    // Setting the shop up went through the API only: nothing counted.
    assert_eq!(t.traffic.pending(), 0);
    let internal = t.url("/");

    // A phone arriving from Baidu: one visit, seven pages.
    let a = browser(MOBILE);
    let baidu = [("referer", "https://www.baidu.com/link?url=x&wd=%E8%9E%BA%E6%A0%93")];
    assert_eq!(get(&t, &a, "/", &baidu).await, (StatusCode::OK, true), "a visit starts and gets the cookie");
    let inside = [("referer", internal.as_str())];
    assert_eq!(get(&t, &a, "/c/bolts", &inside).await, (StatusCode::OK, true), "the cookie is refreshed");
    assert_eq!(get(&t, &a, "/search?q=%20%20Hex-BOLT%20", &inside).await.0, StatusCode::OK);
    assert_eq!(get(&t, &a, "/search?q=zzz%20%20Unobtainium", &inside).await.0, StatusCode::OK);
    // A filtered view of a search is a page, not another search.
    assert_eq!(get(&t, &a, "/search?q=hex-bolt&in_stock=1", &inside).await.0, StatusCode::OK);
    assert_eq!(get(&t, &a, "/p/hex-bolt-m8", &inside).await.0, StatusCode::OK);
    assert_eq!(get(&t, &a, "/p/hex-bolt-m8?lang=en", &inside).await.0, StatusCode::OK);
    // Not pages: the API, the back office, files, errors, a prefetch.
    for path in ["/api/v1/products", "/admin", "/admin/login", "/assets/shop.js", "/robots.txt", "/sitemap.xml"] {
        assert!(!get(&t, &a, path, &[]).await.1, "{path}");
    }
    assert_eq!(get(&t, &a, "/p/no-such-thing", &[]).await, (StatusCode::NOT_FOUND, false));
    assert_eq!(get(&t, &a, "/c/bolts", &[("sec-purpose", "prefetch")]).await, (StatusCode::OK, false));

    // A desktop typing the address: a second visit, three pages (the
    // sign-in page lies outside the storefront frame: the default market).
    let b = browser(DESKTOP);
    assert_eq!(get(&t, &b, "/p/hex-bolt-m8", &[]).await, (StatusCode::OK, true));
    assert_eq!(get(&t, &b, "/search?q=ZZZ%E3%80%80unobtainium", &[]).await.0, StatusCode::OK);
    assert_eq!(get(&t, &b, "/account/login", &[]).await, (StatusCode::OK, true));

    // Do Not Track / Global Privacy Control: pages count, no cookie, no visit.
    let c = browser(DESKTOP);
    let linkedin = ("referer", "https://www.linkedin.com/feed/");
    assert_eq!(get(&t, &c, "/", &[("dnt", "1"), linkedin]).await, (StatusCode::OK, false));
    assert_eq!(get(&t, &c, "/p/hex-bolt-m8", &[("sec-gpc", "1")]).await, (StatusCode::OK, false));

    // Bots (a crawler, a client without a user agent) count nothing.
    let bot = browser(GOOGLEBOT);
    assert_eq!(get(&t, &bot, "/", &[]).await, (StatusCode::OK, false));
    assert_eq!(get(&t, &bot, "/p/hex-bolt-m8", &[]).await, (StatusCode::OK, false));
    let script = Client::new();
    let r = script.get(t.url("/")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().get("set-cookie").is_none());

    // Staff looking at their own shop are not customers.
    let s = browser(DESKTOP);
    let r = s.post(t.url("/api/v1/auth/login"))
        .json(&json!({ "email": "admin@seller.example", "password": PASSWORD }))
        .send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(get(&t, &s, "/", &[]).await, (StatusCode::OK, false));
    assert_eq!(get(&t, &s, "/p/hex-bolt-m8", &[]).await, (StatusCode::OK, false));

    // Nothing is stored until a flush, which writes everything once.
    let before = read(&t, None).await;
    assert_eq!(before.totals, TrafficTotals::default());
    assert!(t.traffic.pending() > 0);
    assert!(t.traffic.flush(&t.app).await.unwrap() > 0);
    assert_eq!(t.traffic.pending(), 0);
    assert_eq!(t.traffic.flush(&t.app).await.unwrap(), 0);

    let s = read(&t, None).await;
    assert_eq!(
        s.totals,
        TrafficTotals {
            page_views: 12,
            sessions: 2,
            searches: 3,
            zero_result_searches: 2,
            product_views: 4,
            referred_sessions: 1,
        }
    );
    assert_eq!(
        s.top_pages,
        kc(&[("/p/hex-bolt-m8", 4), ("/search", 4), ("/", 2), ("/account/login", 1), ("/c/bolts", 1)])
    );
    assert_eq!(s.entry_pages, kc(&[("/", 1), ("/p/hex-bolt-m8", 1)]));
    assert_eq!(s.search_terms, kc(&[("zzz unobtainium", 2), ("hex-bolt", 1)]));
    assert_eq!(s.zero_result_terms, kc(&[("zzz unobtainium", 2)]));
    assert_eq!(s.product_views, kc(&[("hex-bolt-m8", 4)]));
    assert_eq!(s.channels, kc(&[("direct", 1), ("search", 1)]));
    assert_eq!(s.referrers, kc(&[("baidu", 1)]));
    assert_eq!(s.devices, kc(&[("desktop", 1), ("mobile", 1)]));
    // Every day of the range, quiet ones as zeros.
    let (from, to) = around_today();
    assert_eq!(s.days.len(), 3);
    assert_eq!(s.days[0].day, mercato_core::traffic::day_code(from));
    assert_eq!(s.days[2].day, mercato_core::traffic::day_code(to));
    let sum = |f: fn(&mercato_app::traffic::TrafficDay) -> i64| s.days.iter().map(f).sum::<i64>();
    assert_eq!(
        (sum(|d| d.page_views), sum(|d| d.sessions), sum(|d| d.searches), sum(|d| d.zero_result_searches), sum(|d| d.product_views)),
        (12, 2, 3, 2, 4)
    );

    // Per market: everything happened in the default market `cn`.
    let cn = read(&t, Some("cn")).await;
    assert_eq!((cn.totals.clone(), cn.market.as_deref()), (s.totals.clone(), Some("cn")));
    let other = read(&t, Some("eu")).await;
    assert_eq!(other.totals, TrafficTotals::default());
    assert!(other.top_pages.is_empty() && other.days.iter().all(|d| d.page_views == 0));

    // Later counts add to the stored ones; a returning visitor is no new visit.
    assert_eq!(get(&t, &a, "/p/hex-bolt-m8", &inside).await, (StatusCode::OK, true));
    t.traffic.flush(&t.app).await.unwrap();
    let s = read(&t, None).await;
    assert_eq!((s.totals.page_views, s.totals.sessions, s.totals.product_views), (13, 2, 5));
    assert_eq!(s.product_views, kc(&[("hex-bolt-m8", 5)]));

    // Staff read the figures; buyers do not.
    let p = mercato_app::auth::authenticate_bearer(&t.app, &staff).await.unwrap().unwrap();
    let (from, to) = around_today();
    assert_eq!(summary(&t.app, Some(&p), from, to, None).await.unwrap().totals, s.totals);
    let p = mercato_app::auth::authenticate_bearer(&t.app, &buyer).await.unwrap().unwrap();
    assert!(matches!(summary(&t.app, Some(&p), from, to, None).await, Err(AppError::Forbidden(_))));
});

db_test!(async fn traffic_ranges_are_checked(db) {
    let t = TestApp::start(db).await;
    let today = OffsetDateTime::now_utc().date();
    let refused = |r: Result<TrafficSummary, AppError>| match r {
        Err(AppError::Invalid(fields)) => fields.into_iter().map(|f| (f.field, f.code)).collect::<Vec<_>>(),
        other => panic!("not refused: {other:?}"),
    };
    let reversed = summary(&t.app, None, today, today - Duration::days(1), None).await;
    assert_eq!(refused(reversed), vec![("to".to_string(), "before_from".to_string())]);
    let huge = summary(&t.app, None, today - Duration::days(731), today, None).await;
    assert_eq!(refused(huge), vec![("from".to_string(), "range_too_long".to_string())]);
    let longest = summary(&t.app, None, today - Duration::days(730), today, None).await.unwrap();
    assert_eq!(longest.days.len(), 731);
    assert_eq!(longest.totals, TrafficTotals::default());
    // One day, no traffic: zeros, not an error.
    let one = summary(&t.app, None, today, today, Some("")).await.unwrap();
    assert_eq!((one.days.len(), one.market), (1, None));
});

db_test!(async fn traffic_can_be_switched_off(db) {
    let options = mercato_web::WebOptions { traffic: false, ..Default::default() };
    let t = TestApp::start_with(db, options, |r| r).await;
    t.staff("admin@example.com", "admin").await;
    let token = t.login("admin@example.com").await["token"].as_str().unwrap().to_string();
    crate::catalog::setup(&t, &token).await;
    let a = browser(MOBILE);
    assert_eq!(get(&t, &a, "/", &[]).await, (StatusCode::OK, false));
    assert_eq!(get(&t, &a, "/c/bolts", &[]).await, (StatusCode::OK, false));
    assert_eq!(t.traffic.pending(), 0);
});
