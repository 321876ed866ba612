//! Durability (issue 8): the server process is killed with SIGKILL in the
//! middle of a stream of checkouts and started again on the same data.
//! Every order that got a 201 must be there and complete, no order may
//! exist without its lines, reserved stock and drawn credit must match the
//! orders exactly, and retrying a request whose outcome the client never
//! learnt must never make a second order for one cart. Runs the real
//! `mercato` executable on SQLite and, when reachable, PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use mercato_testkit::TestDb;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_mercato");
const STAFF: &str = "ops@durability.example";
const BUYER: &str = "buyer@durability.example";
const PASSWORD: &str = "correct horse battery";
const CARTS: usize = 200;
const CLIENTS: usize = 8;
/// Orders acknowledged before the kill, at least (see `stream_and_kill`).
const MIN_ACKED: usize = 20;
const ON_HAND: i128 = 100_000;
const CREDIT_LIMIT: &str = "1000000";
/// The SKUs and their CNY list prices.
const SKUS: [(&str, &str); 3] = [("DUR-A", "1.20"), ("DUR-B", "2.00"), ("DUR-C", "0.35")];
const CSV: &str = "sku,product,name.en,name.zh-CN\n\
DUR-A,dur-bolt,Bolt,螺栓\n\
DUR-B,dur-bolt,,\n\
DUR-C,dur-nut,Nut,螺母\n";

// ------------------------------------------------------------ the server

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running `mercato serve`; dropping it kills the process (SIGKILL), so
/// a failing test never leaves a server behind. On a panic the end of its
/// log is printed.
struct Server {
    child: Option<Child>,
    base: String,
    log: PathBuf,
}

impl Server {
    async fn start(dir: &Path, database_url: Option<&str>, run: u32) -> Server {
        let port = free_port();
        let log = dir.join(format!("server-{run}.log"));
        let out = File::create(&log).unwrap();
        let err = out.try_clone().unwrap();
        let mut cmd = Command::new(BIN);
        cmd.current_dir(dir)
            .env_remove("MERCATO_LISTEN")
            .env_remove("MERCATO_DATABASE_URL")
            .env_remove("MERCATO_DATA_DIR")
            .env_remove("MERCATO_CONFIG")
            .env("MERCATO_ADMIN_EMAIL", STAFF)
            .env("MERCATO_ADMIN_PASSWORD", PASSWORD)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .arg("--data-dir")
            .arg(dir.join("data"));
        if let Some(url) = database_url {
            cmd.args(["--database-url", url]);
        }
        let child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err))
            .spawn()
            .unwrap();
        let mut server = Server {
            child: Some(child),
            base: format!("http://127.0.0.1:{port}"),
            log,
        };
        server.wait_ready().await;
        server
    }

    async fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(r) = reqwest::get(format!("{}/readyz", self.base)).await
                && r.status() == 200
            {
                return;
            }
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("mercato exited early with {status}:\n{}", self.log_tail());
            }
            assert!(
                Instant::now() < deadline,
                "mercato did not become ready:\n{}",
                self.log_tail()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL (what `Child::kill` sends on Unix), then reap it.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The log lines at WARN or ERROR level.
    fn log_errors(&self) -> String {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains("ERROR") || l.contains("WARN"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.is_some() {
            if std::thread::panicking() {
                eprintln!(
                    "--- last lines of {} ---\n{}",
                    self.log.display(),
                    self.log_tail()
                );
            }
            self.kill();
        }
    }
}

// ------------------------------------------------------------ HTTP

#[derive(Clone)]
struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    fn new(base: &str) -> Api {
        Api {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
            base: base.to_string(),
        }
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .bearer_auth(token);
        if let Some(b) = body {
            req = req.json(b);
        }
        let res = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = res.status();
        let text = res
            .text()
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: reading the body: {e}"));
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// The call must answer `want`; returns the JSON body.
    async fn ok(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
        want: StatusCode,
    ) -> Value {
        let (status, v) = self.send(method.clone(), path, token, body.as_ref()).await;
        assert_eq!(status, want, "{method} {path} answered {status}: {v}");
        v
    }

    async fn login(&self, email: &str) -> String {
        let v = self
            .ok(
                Method::POST,
                "/api/v1/auth/login",
                "",
                Some(json!({ "email": email, "password": PASSWORD })),
                StatusCode::OK,
            )
            .await;
        v["token"].as_str().unwrap().to_string()
    }
}

// ------------------------------------------------------------ numbers

/// A decimal string ("36.1600", "3") in ten-thousandths.
fn units(s: &str) -> i128 {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    assert!(
        frac.len() <= 4 || frac[4..].chars().all(|c| c == '0'),
        "more than 4 decimals in {s:?}"
    );
    let mut frac = frac.chars().take(4).collect::<String>();
    while frac.len() < 4 {
        frac.push('0');
    }
    let v = int
        .parse::<i128>()
        .unwrap_or_else(|_| panic!("not a decimal: {s:?}"))
        * 10_000
        + frac
            .parse::<i128>()
            .unwrap_or_else(|_| panic!("not a decimal: {s:?}"));
    if neg { -v } else { v }
}

fn money(v: &Value) -> i128 {
    units(
        v["amount"]
            .as_str()
            .unwrap_or_else(|| panic!("not money: {v}")),
    )
}

fn dec(v: &Value) -> i128 {
    units(v.as_str().unwrap_or_else(|| panic!("not a decimal: {v}")))
}

fn show(u: i128) -> String {
    format!("{}.{:04}", u / 10_000, (u % 10_000).abs())
}

// ------------------------------------------------------------ the shop

struct Shop {
    staff: String,
    buyer: String,
}

async fn shop(api: &Api) -> Shop {
    let staff = api.login(STAFF).await;
    let put = |path: &'static str, body: Value| {
        let (api, staff) = (api.clone(), staff.clone());
        async move {
            api.ok(Method::PUT, path, &staff, Some(body), StatusCode::OK)
                .await
        }
    };
    put("/api/v1/admin/markets/cn", json!({ "name": {"en": "China", "zh-CN": "中国"}, "currency": "CNY", "languages": ["zh-CN", "en"], "countries": ["CN"], "time_zone": "Asia/Shanghai", "roadmap_step": 2, "is_default": true })).await;
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(CSV.as_bytes().to_vec()).file_name("products.csv"),
    );
    let r = api
        .http
        .post(format!("{}/api/v1/admin/imports", api.base))
        .bearer_auth(&staff)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["applied"], true, "{report}");
    let list = api
        .ok(
            Method::POST,
            "/api/v1/admin/price-lists",
            &staff,
            Some(json!({ "name": "List CN", "currency": "CNY", "market": "cn" })),
            StatusCode::CREATED,
        )
        .await;
    for (sku, price) in SKUS {
        let path = format!(
            "/api/v1/admin/price-lists/{}/entries/{sku}",
            list["id"].as_str().unwrap()
        );
        api.ok(
            Method::PUT,
            &path,
            &staff,
            Some(json!({ "tiers": [{ "min_quantity": "1", "unit_price": price }] })),
            StatusCode::OK,
        )
        .await;
    }
    api.ok(
        Method::PUT,
        "/api/v1/admin/tax-rates/CN/standard",
        &staff,
        Some(json!({ "rate": "0.13" })),
        StatusCode::NO_CONTENT,
    )
    .await;
    api.ok(
        Method::PUT,
        "/api/v1/admin/markets/cn/tax",
        &staff,
        Some(
            json!({ "price_entry": "net", "tax_rounding": "per_document", "seller_country": "CN" }),
        ),
        StatusCode::NO_CONTENT,
    )
    .await;
    put(
        "/api/v1/admin/shipping-methods/standard",
        json!({ "name": { "en": "Standard" }, "currency": "CNY", "market": "cn",
                "terms": { "rate": { "kind": "flat", "amount": "20" }, "free_above": "500" } }),
    )
    .await;
    let company = api
        .ok(
            Method::POST,
            "/api/v1/admin/companies",
            &staff,
            Some(json!({ "name": "持久公司", "market": "cn" })),
            StatusCode::CREATED,
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    api.ok(
        Method::PUT,
        &format!("/api/v1/admin/companies/{company}/credit"),
        &staff,
        Some(json!({ "limit": CREDIT_LIMIT, "payment_terms_days": 30 })),
        StatusCode::OK,
    )
    .await;
    api.ok(
        Method::POST,
        &format!("/api/v1/admin/companies/{company}/users"),
        &staff,
        Some(json!({ "email": BUYER, "role": "admin", "password": PASSWORD })),
        StatusCode::CREATED,
    )
    .await;
    for (sku, _) in SKUS {
        api.ok(
            Method::PUT,
            &format!("/api/v1/admin/stock/{sku}"),
            &staff,
            Some(json!({ "on_hand": ON_HAND.to_string() })),
            StatusCode::OK,
        )
        .await;
    }
    let buyer = api.login(BUYER).await;
    api.ok(Method::POST, "/api/v1/company/addresses", &buyer, Some(json!({
        "recipient": "王工", "line1": "张江路 100 号", "city": "上海", "postal_code": "201203", "country": "CN" })), StatusCode::CREATED).await;
    Shop { staff, buyer }
}

/// One cart prepared before the crash and what ordering it must produce.
#[derive(Clone, Debug)]
struct Plan {
    id: String,
    lines: Vec<(&'static str, i128)>,
    method: &'static str,
    key: String,
}

impl Plan {
    fn body(&self) -> Value {
        json!({ "cart_id": self.id, "shipping_method": "standard",
                "payment": { "method": self.method }, "note": format!("cart {}", self.id) })
    }
}

/// Cart `i`: 1–3 lines of different SKUs with small quantities, in a
/// rotating order, so concurrent checkouts take the same SKUs in opposite
/// orders (checkout must lock stock rows in one fixed order, or PostgreSQL
/// deadlocks).
fn lines_of(i: usize) -> Vec<(&'static str, i128)> {
    let skus: Vec<&'static str> = (0..1 + i % 3)
        .map(|j| SKUS[(i / 3 + j) % SKUS.len()].0)
        .collect();
    skus.into_iter()
        .enumerate()
        .map(|(j, sku)| (sku, 1 + ((i * 7 + j * 3) % 9) as i128))
        .collect()
}

async fn prepare_carts(api: &Api, buyer: &str) -> Vec<Plan> {
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..CLIENTS {
        let (api, buyer, next) = (api.clone(), buyer.to_string(), next.clone());
        tasks.spawn(async move {
            let mut made = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= CARTS {
                    return made;
                }
                let cart = api
                    .ok(
                        Method::POST,
                        "/api/v1/carts",
                        &buyer,
                        Some(json!({ "name": format!("durable {i}") })),
                        StatusCode::CREATED,
                    )
                    .await;
                let id = cart["id"].as_str().unwrap().to_string();
                let lines = lines_of(i);
                let bulk: Vec<Value> = lines
                    .iter()
                    .map(|(sku, q)| json!({ "sku": sku, "quantity": q.to_string() }))
                    .collect();
                let added = api
                    .ok(
                        Method::POST,
                        &format!("/api/v1/carts/{id}/lines/bulk"),
                        &buyer,
                        Some(json!({ "lines": bulk })),
                        StatusCode::OK,
                    )
                    .await;
                assert!(
                    added["results"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .all(|r| r["outcome"] == "added"),
                    "cart {i}: {added}"
                );
                let last = &added["cart"];
                assert_eq!(
                    last["orderable"], true,
                    "cart {i} cannot be ordered: {last}"
                );
                made.push((
                    i,
                    Plan {
                        key: format!("durability-{id}"),
                        id,
                        lines,
                        method: if i % 2 == 0 {
                            "on_account"
                        } else {
                            "cash_on_delivery"
                        },
                    },
                ));
            }
        });
    }
    let mut all = tasks
        .join_all()
        .await
        .into_iter()
        .flatten()
        .collect::<Vec<_>>();
    all.sort_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, p)| p).collect()
}

// ------------------------------------------------------------ the stream

#[derive(Debug)]
enum Outcome {
    /// 201 with the order.
    Created(Value),
    /// Any other answer (none is expected before the crash).
    Answered(StatusCode, String),
    /// The connection failed or the answer was cut off: the client cannot
    /// know whether the order exists.
    Unknown(String),
    /// Never sent: the server was already dead.
    NotAttempted,
}

async fn place(api: &Api, buyer: &str, plan: &Plan) -> Outcome {
    let res = api
        .http
        .post(format!("{}/api/v1/orders", api.base))
        .bearer_auth(buyer)
        .header("Idempotency-Key", &plan.key)
        .json(&plan.body())
        .send()
        .await;
    let res = match res {
        Ok(r) => r,
        Err(e) if e.is_connect() => return Outcome::Unknown(format!("not connected: {e:?}")),
        Err(e) => return Outcome::Unknown(format!("{e:?}")),
    };
    let status = res.status();
    match res.text().await {
        Err(e) => Outcome::Unknown(format!("{status}, then the body was lost: {e}")),
        Ok(text) if status == StatusCode::CREATED => match serde_json::from_str(&text) {
            Ok(v) => Outcome::Created(v),
            Err(e) => Outcome::Unknown(format!("201 with a cut body ({e}): {text}")),
        },
        Ok(text) => Outcome::Answered(status, text),
    }
}

/// Posts the carts' orders from `CLIENTS` tasks and SIGKILLs the server
/// while requests are in flight: once `acked_limit` orders are
/// acknowledged, or after `after` provided `MIN_ACKED` are (a slow machine
/// gets up to 10 s to reach that), whichever comes first.
async fn stream_and_kill(
    api: &Api,
    buyer: &str,
    plans: &Arc<Vec<Plan>>,
    server: &mut Server,
    after: Duration,
    acked_limit: usize,
) -> (Vec<Outcome>, Duration, usize) {
    let next = Arc::new(AtomicUsize::new(0));
    let acked = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let in_flight = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..CLIENTS {
        let (api, buyer, plans) = (api.clone(), buyer.to_string(), plans.clone());
        let (next, acked, stop, in_flight) =
            (next.clone(), acked.clone(), stop.clone(), in_flight.clone());
        tasks.spawn(async move {
            let mut seen = Vec::new();
            while !stop.load(Ordering::SeqCst) {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= plans.len() {
                    break;
                }
                in_flight.fetch_add(1, Ordering::SeqCst);
                let outcome = place(&api, &buyer, &plans[i]).await;
                in_flight.fetch_sub(1, Ordering::SeqCst);
                if matches!(outcome, Outcome::Created(_)) {
                    acked.fetch_add(1, Ordering::SeqCst);
                }
                seen.push((i, outcome));
            }
            seen
        });
    }
    let started = Instant::now();
    loop {
        let (n, t) = (acked.load(Ordering::SeqCst), started.elapsed());
        if n >= acked_limit || (t >= after && n >= MIN_ACKED) || t >= Duration::from_secs(10) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // No new request after this; those in flight meet the kill.
    stop.store(true, Ordering::SeqCst);
    let flying = in_flight.load(Ordering::SeqCst);
    let at = started.elapsed();
    server.kill();
    let mut outcomes: Vec<Outcome> = (0..plans.len()).map(|_| Outcome::NotAttempted).collect();
    for (i, o) in tasks.join_all().await.into_iter().flatten() {
        outcomes[i] = o;
    }
    (outcomes, at, flying)
}

// ------------------------------------------------------------ checking

/// Every order in the database, in full (staff list, then each order as
/// its buyer sees it).
async fn all_orders(api: &Api, shop: &Shop) -> Vec<Value> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            None => "/api/v1/admin/orders?limit=25".to_string(),
            Some(c) => format!("/api/v1/admin/orders?limit=25&cursor={c}"),
        };
        let page = api
            .ok(Method::GET, &path, &shop.staff, None, StatusCode::OK)
            .await;
        for o in page["items"].as_array().unwrap() {
            ids.push(o["id"].as_str().unwrap().to_string());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(
        unique.len(),
        ids.len(),
        "the staff order list repeats orders across pages"
    );
    let mut orders = Vec::new();
    for id in &ids {
        orders.push(
            api.ok(
                Method::GET,
                &format!("/api/v1/orders/{id}"),
                &shop.buyer,
                None,
                StatusCode::OK,
            )
            .await,
        );
    }
    orders
}

fn order_lines(o: &Value) -> Vec<(String, i128)> {
    o["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["sku"].as_str().unwrap().to_string(), dec(&l["quantity"])))
        .collect()
}

fn plan_lines(p: &Plan) -> Vec<(String, i128)> {
    p.lines
        .iter()
        .map(|(s, q)| (s.to_string(), *q * 10_000))
        .collect()
}

/// Checks the invariants over the whole database; returns the orders by
/// cart id.
async fn check_database(
    api: &Api,
    shop: &Shop,
    plans: &[Plan],
    stage: &str,
) -> HashMap<String, Value> {
    let orders = all_orders(api, shop).await;
    let plan_of: HashMap<&str, &Plan> = plans.iter().map(|p| (p.id.as_str(), p)).collect();
    let mut by_cart: HashMap<String, Vec<Value>> = HashMap::new();
    let mut numbers = BTreeMap::<String, String>::new();
    let mut reserved = BTreeMap::<String, i128>::new();
    let mut credit = 0i128;
    for o in &orders {
        let number = o["number"].as_str().unwrap().to_string();
        let id = o["id"].as_str().unwrap().to_string();
        if let Some(other) = numbers.insert(number.clone(), id.clone()) {
            panic!("{stage}: orders {other} and {id} share the number {number}");
        }
        assert_eq!(o["status"], "placed", "{stage}: {o}");
        // Complete: lines that add up, totals, payment, history.
        let lines = o["lines"].as_array().unwrap();
        assert!(
            !lines.is_empty(),
            "{stage}: order {number} has no lines: {o}"
        );
        let mut sum = 0;
        for l in lines {
            assert_eq!(
                money(&l["line_total"]),
                money(&l["unit_price"]) * dec(&l["quantity"]) / 10_000 - money(&l["discount"]),
                "{stage}: order {number}: line {l}"
            );
            sum += money(&l["line_total"]);
            *reserved
                .entry(l["sku"].as_str().unwrap().to_string())
                .or_default() += dec(&l["quantity"]);
        }
        let t = &o["totals"];
        assert_eq!(
            sum,
            money(&t["subtotal"]),
            "{stage}: order {number}: lines do not add up to the subtotal: {o}"
        );
        assert_eq!(
            money(&t["total"]),
            money(&t["subtotal"]) - money(&t["discount"])
                + money(&t["shipping"])
                + money(&t["tax"]),
            "{stage}: order {number}: totals {t}"
        );
        assert_eq!(
            money(&o["payment"]["amount"]),
            money(&t["total"]),
            "{stage}: order {number} lacks its payment: {o}"
        );
        assert_eq!(
            o["history"][0]["action"], "place",
            "{stage}: order {number} lacks its history: {o}"
        );
        let method = o["payment_method"].as_str().unwrap();
        if method == "on_account" {
            credit += money(&t["total"]);
        }
        // Whose cart: the note says, and the lines must be that cart's.
        let cart = o["note"]
            .as_str()
            .and_then(|n| n.strip_prefix("cart "))
            .unwrap_or_else(|| panic!("{stage}: order {number} has no cart note: {o}"));
        let plan = plan_of
            .get(cart)
            .unwrap_or_else(|| panic!("{stage}: order {number} is for an unknown cart {cart}"));
        assert_eq!(method, plan.method, "{stage}: order {number}");
        assert_eq!(
            order_lines(o),
            plan_lines(plan),
            "{stage}: order {number} does not have its cart's lines"
        );
        by_cart.entry(cart.to_string()).or_default().push(o.clone());
    }
    for (cart, os) in &by_cart {
        let numbers: Vec<&str> = os.iter().map(|o| o["number"].as_str().unwrap()).collect();
        assert_eq!(
            os.len(),
            1,
            "{stage}: cart {cart} was ordered {} times: {numbers:?}",
            os.len()
        );
    }
    // Reservations and credit match the orders exactly.
    for (sku, _) in SKUS {
        let levels = api
            .ok(
                Method::GET,
                &format!("/api/v1/admin/stock/{sku}"),
                &shop.staff,
                None,
                StatusCode::OK,
            )
            .await;
        let held: i128 = levels["levels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| dec(&l["reserved"]))
            .sum();
        let want = reserved.get(sku).copied().unwrap_or(0);
        assert_eq!(
            show(held),
            show(want),
            "{stage}: {sku} reserved in stock vs. in the orders: {levels}"
        );
        assert_eq!(
            dec(&levels["available"]),
            ON_HAND * 10_000 - held,
            "{stage}: {sku}: {levels}"
        );
    }
    let line = api
        .ok(
            Method::GET,
            "/api/v1/company/credit",
            &shop.buyer,
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(
        show(money(&line["balance"])),
        show(credit),
        "{stage}: credit drawn vs. on-account orders: {line}"
    );
    assert_eq!(
        money(&line["available"]),
        units(CREDIT_LIMIT) - credit,
        "{stage}: {line}"
    );
    // A cart is spent exactly when it has an order.
    for p in plans {
        let cart = api
            .ok(
                Method::GET,
                &format!("/api/v1/carts/{}", p.id),
                &shop.buyer,
                None,
                StatusCode::OK,
            )
            .await;
        let want = if by_cart.contains_key(&p.id) {
            "ordered"
        } else {
            "open"
        };
        assert_eq!(cart["status"], want, "{stage}: cart {}: {cart}", p.id);
    }
    by_cart
        .into_iter()
        .map(|(cart, mut os)| (cart, os.remove(0)))
        .collect()
}

fn same_order(stage: &str, acked: &Value, found: &Value) {
    let number = acked["number"].as_str().unwrap();
    for field in ["id", "number", "status", "payment_method", "payment_status"] {
        assert_eq!(
            acked[field], found[field],
            "{stage}: order {number}: {field}"
        );
    }
    for t in ["subtotal", "shipping", "tax", "discount", "total"] {
        assert_eq!(
            money(&acked["totals"][t]),
            money(&found["totals"][t]),
            "{stage}: order {number}: {t}"
        );
    }
    let lines = |o: &Value| -> Vec<(String, i32, i128, i128)> {
        o["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["sku"].as_str().unwrap().to_string(),
                    l["line_no"].as_i64().unwrap() as i32,
                    dec(&l["quantity"]),
                    money(&l["line_total"]),
                )
            })
            .collect()
    };
    assert_eq!(lines(acked), lines(found), "{stage}: order {number}: lines");
}

// ------------------------------------------------------------ the story

async fn sigkill_during_checkouts(database_url: Option<&str>, backend: &str) {
    let began = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path(), database_url, 1).await;
    let api = Api::new(&server.base);
    let shop = shop(&api).await;
    let plans = Arc::new(prepare_carts(&api, &shop.buyer).await);
    let prepared = began.elapsed();

    let (outcomes, killed_at, flying) = stream_and_kill(
        &api,
        &shop.buyer,
        &plans,
        &mut server,
        Duration::from_millis(1500),
        CARTS * 2 / 5,
    )
    .await;
    let count = |f: fn(&Outcome) -> bool| outcomes.iter().filter(|o| f(o)).count();
    let acked = count(|o| matches!(o, Outcome::Created(_)));
    let unknown = count(|o| matches!(o, Outcome::Unknown(_)));
    let not_sent = count(|o| matches!(o, Outcome::NotAttempted));
    let unconnected = count(|o| matches!(o, Outcome::Unknown(w) if w.starts_with("not connected")));
    let answered: Vec<String> = outcomes
        .iter()
        .zip(plans.iter())
        .filter_map(|(o, p)| match o {
            Outcome::Answered(s, t) => Some(format!("cart {}: {s} {t}", p.id)),
            _ => None,
        })
        .collect();
    assert!(
        answered.is_empty(),
        "checkouts before the crash were refused: {answered:#?}\nserver errors:\n{}",
        server.log_errors()
    );
    assert!(acked > 0, "no order was acknowledged before the crash");
    assert!(
        not_sent > 0,
        "every cart was ordered before the kill: the crash did not land in the stream"
    );

    // Same data, new process.
    let mut server = Server::start(dir.path(), database_url, 2).await;
    let api = Api::new(&server.base);
    let shop = Shop {
        staff: api.login(STAFF).await,
        buyer: api.login(BUYER).await,
    };
    let stage = "after restart";
    let found = check_database(&api, &shop, &plans, stage).await;
    let mut unknown_found = 0;
    for (p, o) in plans.iter().zip(&outcomes) {
        match o {
            Outcome::Created(v) => {
                let Some(f) = found.get(&p.id) else {
                    let id = v["id"].as_str().unwrap();
                    let (status, direct) = api
                        .send(
                            Method::GET,
                            &format!("/api/v1/orders/{id}"),
                            &shop.buyer,
                            None,
                        )
                        .await;
                    panic!(
                        "{stage}: order {} (cart {}) got a 201 but is not in the order list; GET /orders/{id} answers {status}: {direct}",
                        v["number"], p.id
                    );
                };
                same_order(stage, v, f);
            }
            Outcome::Unknown(_) => unknown_found += usize::from(found.contains_key(&p.id)),
            Outcome::NotAttempted | Outcome::Answered(..) => assert!(
                !found.contains_key(&p.id),
                "{stage}: cart {} was never ordered but has order {}",
                p.id,
                found[&p.id]["number"]
            ),
        }
    }

    // Retrying an unknown outcome with its key: the existing order (200)
    // or the order now (201), never a second one.
    let (mut replayed, mut created_now) = (0, 0);
    for (p, o) in plans.iter().zip(&outcomes) {
        let Outcome::Unknown(why) = o else { continue };
        let (status, v) = send_order(&api, &shop.buyer, p).await;
        match (found.get(&p.id), status) {
            (Some(existing), StatusCode::OK) => {
                replayed += 1;
                same_order("retry", existing, &v);
            }
            (None, StatusCode::CREATED) => created_now += 1,
            (existing, status) => panic!(
                "retrying cart {} (first try: {why}) with its Idempotency-Key answered {status} {v}; the order before the retry: {}",
                p.id,
                existing.map_or("none".to_string(), |e| e["number"].to_string())
            ),
        }
    }
    // A few carts never sent are ordered now: numbering carries on after
    // the crash without reusing a number (checked below).
    let mut fresh = 0;
    for (p, o) in plans.iter().zip(&outcomes) {
        if fresh == 5 {
            break;
        }
        if matches!(o, Outcome::NotAttempted) {
            let (status, v) = send_order(&api, &shop.buyer, p).await;
            assert_eq!(
                status,
                StatusCode::CREATED,
                "a new order after restart: {v}"
            );
            fresh += 1;
        }
    }
    let after = check_database(&api, &shop, &plans, "after retries").await;
    for (p, o) in plans.iter().zip(&outcomes) {
        if matches!(o, Outcome::Created(_) | Outcome::Unknown(_)) {
            assert!(
                after.contains_key(&p.id),
                "cart {} has no order after its retry",
                p.id
            );
        }
    }
    assert_eq!(after.len(), acked + unknown + fresh);
    server.kill();
    eprintln!(
        "durability on {backend}: {} carts prepared in {:.1}s; SIGKILL after {:.2}s with {flying} requests in flight: \
         {acked} acknowledged (201) and all found, {unknown} unknown ({unconnected} never connected, {unknown_found} had committed; \
         on retry {replayed} replayed with 200, {created_now} created with 201), {not_sent} never sent; \
         {} orders after restart, {} after retries, {fresh} placed fresh; total {:.1}s",
        plans.len(),
        prepared.as_secs_f64(),
        killed_at.as_secs_f64(),
        found.len(),
        after.len(),
        began.elapsed().as_secs_f64()
    );
}

async fn send_order(api: &Api, buyer: &str, p: &Plan) -> (StatusCode, Value) {
    let res = api
        .http
        .post(format!("{}/api/v1/orders", api.base))
        .bearer_auth(buyer)
        .header("Idempotency-Key", &p.key)
        .json(&p.body())
        .send()
        .await
        .unwrap_or_else(|e| panic!("ordering cart {}: {e}", p.id));
    let status = res.status();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_checkouts_loses_nothing_on_sqlite() {
    sigkill_during_checkouts(None, "SQLite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_checkouts_loses_nothing_on_postgresql() {
    let Some(pg) = TestDb::postgres().await else {
        return;
    };
    // The server is the only user of the database.
    pg.db.close().await;
    sigkill_during_checkouts(Some(&pg.url), "PostgreSQL").await;
}
