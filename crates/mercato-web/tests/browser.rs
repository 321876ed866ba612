//! The storefront in a real browser: Debian's headless Chromium driven
//! through chromedriver (WebDriver) on the demo catalog, on desktop and
//! phone widths, in both languages. Journeys: browse → filter → product →
//! compare; search by part number and by Chinese words; a step-1 market →
//! request a quote → staff see it in the back office; the language switch.
//! Every page is checked for console errors and, at phone width, for
//! horizontal overflow; screenshots of the key pages are saved under
//! `target/tmp/browser/`.
//!
//! Without Chromium the test is skipped with a message, except under
//! `CI=true`, where a missing browser fails the run (`.ci/run` installs it).
//! The storefront's database behaviour is covered on both backends by the
//! HTTP tests; this runs on SQLite.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)] // tests fail loudly

use fantoccini::{Client, ClientBuilder, Locator};
use mercato_app::auth::{ClientInfo, NewStaffUser};
use mercato_app::password::HashParams;
use mercato_app::{App, AppSettings};
use mercato_core::market::RoadmapStep;
use serde_json::{Value, json};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const STAFF_PASSWORD: &str = "correct horse battery";

/// The browser and its driver, when this machine has them.
fn browser_paths() -> Option<(String, String)> {
    let driver =
        std::env::var("MERCATO_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    let chrome = std::env::var("MERCATO_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if std::path::Path::new(&driver).exists() && std::path::Path::new(&chrome).exists() {
        return Some((driver, chrome));
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "CI=true but {chrome} or {driver} is missing: install Debian's chromium and chromium-driver (.ci/run does)"
        );
    }
    // Written straight to stderr: the test harness captures `eprintln!`
    // of passing tests, and a skip must be seen.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED browser tests: {chrome} or {driver} not found (apt-get install chromium chromium-driver)"
    );
    None
}

/// chromedriver on a free port, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_driver(path: &str) -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let started = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Driver { child, port }
}

/// A browser session at `width`×`height` speaking `lang`.
async fn session(driver: &Driver, chrome: &str, width: u32, height: u32) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chrome,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--disable-extensions", "--lang=zh-CN",
                     format!("--window-size={width},{height}")],
        }),
    );
    caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let c = ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("browser session");
    c.set_window_size(width, height).await.unwrap();
    c
}

/// The running storefront on the demo catalog.
struct Shop {
    base: String,
    app: App,
    _dir: tempfile::TempDir,
    _db: mercato_testkit::TestDb,
}

async fn start_shop() -> Shop {
    let db = mercato_testkit::TestDb::sqlite().await;
    let dir = tempfile::tempdir().unwrap();
    let settings = AppSettings {
        argon2: HashParams {
            memory_kib: 1024,
            iterations: 1,
            parallelism: 1,
        },
        media_dir: Some(dir.path().join("media")),
        search_dir: Some(dir.path().join("search")),
        ..Default::default()
    };
    let app = App::new(db.db.clone(), settings);
    mercato_demo::load::load(&app).await.expect("demo data");
    tokio::spawn(mercato_app::search::run_indexer(
        app.clone(),
        Duration::from_millis(200),
        std::future::pending(),
    ));
    let state = mercato_web::AppState::new(app.clone(), mercato_web::WebOptions::default());
    let router = mercato_web::router(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(mercato_web::serve(listener, router, std::future::pending()));
    // The index is built in the background: wait until search answers.
    let http = reqwest::Client::new();
    let started = Instant::now();
    loop {
        let v: Value = http
            .get(format!("{base}/api/v1/products?q=M8"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if v["total"].as_u64().unwrap_or(0) > 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "search index not ready: {v}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Shop {
        base,
        app,
        _dir: dir,
        _db: db,
    }
}

/// What a journey checks on every page it visits.
struct Page<'a> {
    c: &'a Client,
    driver_port: u16,
    shots: PathBuf,
    phone: bool,
}

impl Page<'_> {
    /// No console errors since the last check; at phone width no
    /// horizontal scrolling; a screenshot named `name`.
    async fn check(&self, name: &str) {
        self.check_page(name, false).await;
    }

    /// [`Page::check`] for a page served with a 4xx status on purpose (not
    /// found, a refused form): the browser logs the page's own status as an
    /// error, and only that is allowed.
    async fn check_refused(&self, name: &str) {
        self.check_page(name, true).await;
    }

    async fn check_page(&self, name: &str, own_status: bool) {
        let url = self.c.current_url().await.unwrap();
        let sid = self.c.session_id().await.unwrap().unwrap();
        let logs: Value = reqwest::Client::new()
            .post(format!(
                "http://127.0.0.1:{}/session/{sid}/se/log",
                self.driver_port
            ))
            .json(&json!({ "type": "browser" }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let errors: Vec<&Value> = logs["value"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|e| e["level"] == "SEVERE")
                    .filter(|e| {
                        let m = e["message"].as_str().unwrap_or("");
                        !(own_status && m.starts_with(url.as_str()) && m.contains("status of 4"))
                    })
                    .collect()
            })
            .unwrap_or_default();
        assert!(errors.is_empty(), "console errors on {url}: {errors:?}");
        if self.phone {
            let overflow = self
                .c
                .execute(
                    "return document.documentElement.scrollWidth - window.innerWidth;",
                    vec![],
                )
                .await
                .unwrap();
            if overflow.as_i64().unwrap_or(1) > 0 {
                // Name the culprits: elements reaching past the viewport.
                let culprits = self
                    .c
                    .execute(
                        "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !(e.parentElement && e.parentElement.closest('.scroll'))).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));",
                        vec![],
                    )
                    .await
                    .unwrap();
                panic!("{url} scrolls sideways by {overflow} px at phone width: {culprits}");
            }
        }
        let png = self.c.screenshot().await.unwrap();
        std::fs::write(self.shots.join(format!("{name}.png")), png).unwrap();
    }

    async fn text(&self, css: &str) -> String {
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .text()
            .await
            .unwrap()
    }

    async fn count(&self, css: &str) -> usize {
        self.c.find_all(Locator::Css(css)).await.unwrap().len()
    }

    async fn click(&self, css: &str) {
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    async fn href(&self, css: &str) -> String {
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap()
            .attr("href")
            .await
            .unwrap()
            .unwrap()
    }

    /// Waits for `css` to appear (after a navigation started by a script).
    async fn wait_for(&self, css: &str) {
        self.c
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} never appeared: {e}"));
    }

    async fn lang(&self) -> String {
        self.c
            .execute("return document.documentElement.lang;", vec![])
            .await
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    }
}

/// Browse, filter, open a product, compare two; search by part number, in
/// Chinese, and with a hostile query.
async fn shopping_journey(p: &Page<'_>, base: &str, prefix: &str) {
    let c = p.c;
    c.goto(&format!("{base}/?lang=en")).await.unwrap();
    assert_eq!(p.lang().await, "en");
    assert!(
        p.count(".tiles .tile").await >= 5,
        "categories on the home page"
    );
    p.check(&format!("{prefix}-home")).await;

    // A category, then a filter ticked (the page reloads with it applied).
    p.click(".tiles .tile > a[href='/c/fasteners']").await;
    p.wait_for("#total").await;
    let before = p.text("#total").await;
    if p.phone {
        // Filters sit in a folded drawer on a phone.
        p.click("details.drawer summary").await;
    }
    p.click("#filters fieldset input[type=checkbox][name^='attr.']")
        .await;
    p.wait_for(".active-filters").await;
    let after = p.text("#total").await;
    assert_ne!(before, after, "a filter narrows the list");
    p.check(&format!("{prefix}-category-filtered")).await;
    let second = p.href(".product-card:nth-child(2) a").await;

    // A product: variants with prices and stock, tier prices, specifications.
    p.click(".product-card a").await;
    p.wait_for("table.variants").await;
    assert!(
        p.text("table.variants").await.contains('¥'),
        "prices in the market's currency"
    );
    assert!(p.count("dl.specs dt").await > 0);
    p.check(&format!("{prefix}-product")).await;
    p.click("form[action='/compare/add'] button").await;
    p.wait_for("table.compare").await;
    c.goto(&format!("{base}{second}")).await.unwrap();
    p.click("form[action='/compare/add'] button").await;
    p.wait_for("table.compare").await;
    assert_eq!(
        p.count("table.compare thead th").await,
        3,
        "two products side by side"
    );
    assert!(
        p.count("table.compare tr.differs").await > 0,
        "differences marked"
    );
    p.check(&format!("{prefix}-compare")).await;

    // Search by part number, typed into the header's search box.
    c.goto(&format!("{base}/?lang=en")).await.unwrap();
    c.find(Locator::Css("#q"))
        .await
        .unwrap()
        .send_keys("hb931-m8x35-a2")
        .await
        .unwrap();
    p.click("form.search button").await;
    // The home page shows product cards too: wait for the results page
    // itself, or the card read below may belong to the page being left.
    for _ in 0..100 {
        if p.c.current_url().await.unwrap().path() == "/search" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    p.wait_for(".product-card").await;
    assert_eq!(
        p.href(".product-card a").await,
        "/p/hex-bolt-din-931-m8-a2",
        "the part number first"
    );
    p.check(&format!("{prefix}-search-part-number")).await;

    // In Chinese.
    c.goto(&format!("{base}/?lang=zh-CN")).await.unwrap();
    c.find(Locator::Css("#q"))
        .await
        .unwrap()
        .send_keys("不锈钢 螺栓")
        .await
        .unwrap();
    p.click("form.search button").await;
    p.wait_for("#total").await;
    assert_eq!(p.lang().await, "zh-CN");
    assert!(
        p.count(".product-card").await > 0,
        "Chinese words find products"
    );
    assert!(p.text("h1").await.contains("不锈钢 螺栓"));
    p.check(&format!("{prefix}-search-zh")).await;

    // A hostile query is shown as text and runs nothing.
    let payload = "<img src=x onerror=\"window.__xss=1\">";
    c.goto(&format!("{base}/search?lang=en&q={}", urlencode(payload)))
        .await
        .unwrap();
    assert!(p.text("h1").await.contains(payload));
    let ran = c
        .execute("return window.__xss === 1;", vec![])
        .await
        .unwrap();
    assert_eq!(ran, json!(false));
}

/// A demo company's admin signs in, adds a delivery address, puts a SKU in
/// the cart from its product page, adds more by quick order (one line
/// refused with the reason), reviews the order and places it by bank
/// transfer; the order shows in the history.
async fn buying_journey(p: &Page<'_>, base: &str, app: &App) {
    let c = p.c;
    buyer_sign_in(p, base).await;
    c.goto(&format!("{base}/account/addresses")).await.unwrap();
    let form = c
        .form(Locator::Css("form[action='/account/addresses']"))
        .await
        .unwrap();
    for (name, value) in [
        ("recipient", "王经理"),
        ("line1", "浦东新区张江路 88 号"),
        ("city", "上海"),
        ("postal_code", "201203"),
        ("country", "CN"),
    ] {
        form.set_by_name(name, value).await.unwrap();
    }
    form.submit().await.unwrap();
    p.wait_for(".grid2 .card address").await;

    // From the product page into the cart.
    c.goto(&format!("{base}/p/hex-bolt-din-931-m8-a2"))
        .await
        .unwrap();
    let qty = c
        .find(Locator::Css(
            "form.add input[name=quantity][id='add-HB931-M8X50-A2']",
        ))
        .await
        .unwrap();
    qty.clear().await.unwrap();
    qty.send_keys("100").await.unwrap();
    p.click("form.add:has(input[value='HB931-M8X50-A2']) button")
        .await;
    p.wait_for("table.cart").await;
    assert!(p.text("table.cart").await.contains("HB931-M8X50-A2"));
    // Quick order: one good line, one unknown part number.
    c.find(Locator::Css("#quick-text"))
        .await
        .unwrap()
        .send_keys("HB931-M8X50-A2, 20\nNOPE-404 5")
        .await
        .unwrap();
    p.click("form.quick button").await;
    p.wait_for(".quick-results").await;
    let results = p.text(".quick-results").await;
    assert!(
        results.contains("added") && results.contains("NOPE-404"),
        "{results}"
    );
    assert_eq!(p.count(".quick-results li.ok").await, 1);
    p.check("buyer-cart").await;

    // Review and place, on the company's account (its credit line).
    p.click("#to-checkout").await;
    p.wait_for("#place-order").await;
    p.click("input[name=payment][value=on_account]").await;
    let total = p.text("#total").await;
    assert!(total.starts_with('¥'), "{total}");
    p.check("buyer-checkout").await;
    p.click("#place-order").await;
    p.wait_for("#order-status").await;
    let heading = p.text("h1").await;
    let number = heading
        .split_whitespace()
        .find(|w| w.starts_with("SO-"))
        .expect("an order number")
        .to_string();
    assert_eq!(
        p.text("#total").await,
        total,
        "the order costs what the review said"
    );
    p.check("buyer-order").await;
    let order_url = c.current_url().await.unwrap();
    c.goto(&format!("{base}/account/orders")).await.unwrap();
    assert!(p.text("table.orders").await.contains(&number));

    // The warehouse confirms and ships it from the back office.
    c.delete_all_cookies().await.unwrap();
    staff_sign_in(p, base, app, "warehouse@example.com", "warehouse").await;
    c.goto(&format!("{base}/admin/orders?status=placed"))
        .await
        .unwrap();
    c.find(Locator::XPath(&format!("//a[text()='{number}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    p.wait_for("button[value=confirm]").await;
    p.check("staff-order").await;
    p.click("button[value=confirm]").await;
    p.wait_for("form#ship").await;
    let form = c.form(Locator::Css("form#ship")).await.unwrap();
    for (name, value) in [
        ("carrier", "SF Express"),
        ("tracking_number", "SF1234567890"),
        (
            "tracking_url",
            "https://www.sf-express.com/track?no=SF1234567890",
        ),
    ] {
        form.set_by_name(name, value).await.unwrap();
    }
    form.submit().await.unwrap();
    p.wait_for("#order-status").await;
    assert_eq!(p.text("#order-status").await, "Shipped");
    p.check("staff-order-shipped").await;

    // The buyer finds the tracking on the order.
    c.delete_all_cookies().await.unwrap();
    buyer_sign_in(p, base).await;
    c.goto(order_url.as_str()).await.unwrap();
    p.wait_for("#order-status").await;
    assert_eq!(p.text("#order-status").await, "Shipped");
    assert_eq!(
        p.href("a[href*='sf-express']").await,
        "https://www.sf-express.com/track?no=SF1234567890"
    );
    p.check("buyer-order-tracking").await;
    // Sign out, so later journeys browse anonymously.
    c.delete_all_cookies().await.unwrap();
}

/// Signs the demo buyer of 上海精工 in.
async fn buyer_sign_in(p: &Page<'_>, base: &str) {
    p.c.goto(&format!("{base}/account/login?lang=en"))
        .await
        .unwrap();
    let form = p.c.form(Locator::Css("form")).await.unwrap();
    form.set_by_name("email", "wang@jinggong.demo.mercato.test")
        .await
        .unwrap();
    form.set_by_name("password", mercato_demo::companies::DEMO_BUYER_PASSWORD)
        .await
        .unwrap();
    form.submit().await.unwrap();
    p.wait_for("a[href='/account/addresses']").await;
}

/// Creates a staff user with `role` and signs them in to the back office.
async fn staff_sign_in(p: &Page<'_>, base: &str, app: &App, email: &str, role: &str) {
    mercato_app::auth::create_staff_user(
        app,
        None,
        NewStaffUser {
            email: email.into(),
            name: role.into(),
            password: STAFF_PASSWORD.into(),
            role: role.into(),
        },
        &ClientInfo::default(),
    )
    .await
    .unwrap();
    p.c.goto(&format!("{base}/admin/login?lang=en"))
        .await
        .unwrap();
    let form = p.c.form(Locator::Css("form")).await.unwrap();
    form.set_by_name("email", email).await.unwrap();
    form.set_by_name("password", STAFF_PASSWORD).await.unwrap();
    form.submit().await.unwrap();
    p.wait_for("header.bar").await;
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storefront_in_a_real_browser() {
    let Some((driver_path, chrome)) = browser_paths() else {
        return;
    };
    let shop = start_shop().await;
    let base = shop.base.clone();
    let driver = start_driver(&driver_path).await;
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&shots).unwrap();
    eprintln!("screenshots in {}", shots.display());

    // Desktop.
    let c = session(&driver, &chrome, 1280, 900).await;
    let p = Page {
        c: &c,
        driver_port: driver.port,
        shots: shots.clone(),
        phone: false,
    };
    shopping_journey(&p, &base, "desktop").await;

    // The language switch keeps the page and remembers the choice.
    c.goto(&format!("{base}/p/hex-bolt-din-931-m8-a2?lang=en"))
        .await
        .unwrap();
    p.click("a.lang-switch").await;
    p.wait_for("html[lang='zh-CN']").await;
    assert!(
        c.current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/p/hex-bolt-din-931-m8-a2")
    );
    assert!(
        p.text("h1").await.contains("外六角螺栓"),
        "the product in Chinese"
    );
    c.goto(&format!("{base}/brands")).await.unwrap();
    assert_eq!(p.lang().await, "zh-CN", "the choice is remembered");
    p.check("desktop-product-zh").await;
    // An unknown page: 404 in the visitor's language, with search.
    c.goto(&format!("{base}/p/no-such-product")).await.unwrap();
    assert_eq!(p.text("h1").await, "页面不存在");
    assert_eq!(p.count("#q404").await, 1);
    p.check_refused("desktop-404-zh").await;
    buying_journey(&p, &base, &shop.app).await;
    c.close().await.unwrap();

    // Phone: the same journey at 375×812, filters in a drawer.
    let c = session(&driver, &chrome, 375, 812).await;
    let p = Page {
        c: &c,
        driver_port: driver.port,
        shots: shots.clone(),
        phone: true,
    };
    c.goto(&format!("{base}/c/fasteners?lang=en"))
        .await
        .unwrap();
    let open = c
        .execute(
            "return document.querySelector('details.drawer').open;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(open, json!(false), "filters start folded on a phone");
    p.click("details.drawer summary").await;
    p.check("phone-filters-open").await;
    shopping_journey(&p, &base, "phone").await;
    c.goto(&format!("{base}/inquiry?lang=en")).await.unwrap();
    p.check("phone-inquiry").await;
    c.close().await.unwrap();

    // Step 1: the market becomes a digital catalog. At once no prices and
    // no stock; the buyer asks for a quote instead, and staff see it.
    let mut cn = mercato_app::catalog::market(&shop.app, Some("cn"))
        .await
        .unwrap();
    cn.roadmap_step = RoadmapStep::DigitalCatalog;
    mercato_app::catalog::save_market(&shop.app, None, cn)
        .await
        .unwrap();
    let c = session(&driver, &chrome, 1280, 900).await;
    let p = Page {
        c: &c,
        driver_port: driver.port,
        shots: shots.clone(),
        phone: false,
    };
    c.goto(&format!("{base}/p/hex-bolt-din-931-m8-a2?lang=en"))
        .await
        .unwrap();
    assert!(
        !p.text("table.variants").await.contains('¥'),
        "no prices on step 1"
    );
    assert_eq!(p.count("span.stock").await, 0, "no stock on step 1");
    assert!(p.text(".notice").await.contains("Prices on request"));
    p.check("step1-product").await;
    p.click(".actions a[href^='/inquiry?kind=quote']").await;
    p.wait_for("form.inquiry").await;
    assert_eq!(
        c.find(Locator::Css("#sku-0"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("HB931-M8X35-A2")
    );
    // Sent without a name: refused, and what was typed is still there.
    let form = c.form(Locator::Css("form.inquiry")).await.unwrap();
    form.set_by_name("company", "Acme Machinery").await.unwrap();
    form.set_by_name("email", "buyer@acme.example")
        .await
        .unwrap();
    c.find(Locator::Css("#qty-0"))
        .await
        .unwrap()
        .send_keys("500")
        .await
        .unwrap();
    p.click("form.inquiry button[type=submit]").await;
    p.wait_for("#name-error").await;
    assert_eq!(
        c.find(Locator::Css("#email"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("buyer@acme.example")
    );
    assert_eq!(
        c.find(Locator::Css("#qty-0"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("500")
    );
    p.check_refused("step1-inquiry-refused").await;
    c.find(Locator::Css("#name"))
        .await
        .unwrap()
        .send_keys("Li Wei")
        .await
        .unwrap();
    p.click("form.inquiry button[type=submit]").await;
    p.wait_for("p.pre").await;
    let thanks = p.text("p.pre").await;
    let number = thanks
        .split_whitespace()
        .find(|w| w.starts_with("INQ-"))
        .expect("an inquiry number")
        .trim_end_matches('.')
        .to_string();
    p.check("step1-inquiry-sent").await;

    // A sales rep signs in to the back office and finds it.
    staff_sign_in(&p, &base, &shop.app, "rep@example.com", "sales_rep").await;
    c.goto(&format!("{base}/admin/inquiries?status=new"))
        .await
        .unwrap();
    let table = p.text("table").await;
    assert!(
        table.contains(&number) && table.contains("buyer@acme.example"),
        "{number} in {table}"
    );
    p.check("staff-inquiries").await;
    c.close().await.unwrap();

    // An administrator reads the dashboard and takes the maturity
    // assessment, in both languages.
    let c = session(&driver, &chrome, 1280, 900).await;
    let p = Page {
        c: &c,
        driver_port: driver.port,
        shots: shots.clone(),
        phone: false,
    };
    staff_management(&p, &base, &shop.app).await;
    c.close().await.unwrap();
}

/// The dashboard (charts drawn on the server) and the maturity assessment
/// (questionnaire, result, radar beside the measured maturity).
async fn staff_management(p: &Page<'_>, base: &str, app: &App) {
    staff_sign_in(p, base, app, "boss@example.com", "admin").await;
    p.c.goto(&format!("{base}/admin/dashboard?lang=en"))
        .await
        .unwrap();
    assert!(
        p.count("section.chart svg rect.bar").await > 0,
        "bars drawn"
    );
    assert!(p.text("dl.kpis").await.contains("Orders"));
    p.check("admin-dashboard-en").await;
    p.click("a.lang-switch").await;
    p.wait_for("html[lang='zh-CN']").await;
    assert!(p.text("h1").await.contains("仪表板"));
    p.check("admin-dashboard-zh").await;

    p.c.goto(&format!("{base}/admin/maturity?lang=en"))
        .await
        .unwrap();
    assert_eq!(p.count("figure.radar polygon.series.measured").await, 1);
    p.check("admin-maturity-measured-en").await;
    p.click("a.button[href='/admin/maturity/assessments']")
        .await;
    p.wait_for("form.assessment").await;
    for q in mercato_core::maturity::QUESTIONS {
        p.click(&format!("input[name='q_{}'][value='2']", q.code))
            .await;
    }
    p.click("button[value='finish']").await;
    p.wait_for("#overall").await;
    assert!(
        p.text("#overall").await.starts_with("2.0"),
        "all answers at stage 2"
    );
    p.check("admin-maturity-result-en").await;
    p.c.goto(&format!("{base}/admin/maturity?lang=zh-CN"))
        .await
        .unwrap();
    assert_eq!(p.count("figure.radar polygon.series.self").await, 1);
    assert!(p.text("#dimensions").await.contains("用户体验"));
    p.check("admin-maturity-zh").await;
}
