//! HTTP tests against the real router on a real socket, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod account_pages;
mod admin_pages;
mod auth;
mod bad_input;
mod catalog;
mod companies;
mod dashboard;
mod feedback;
mod maturity;
mod ops;
mod order_list;
mod orders;
mod pricing;
mod pricing_pages;
mod promotions;
mod saved_views;
mod search;
mod staff_pages;
mod stock_pages;
mod storefront;
mod traffic;

use mercato_app::auth::{ClientInfo, NewStaffUser};
use mercato_app::password::HashParams;
use mercato_app::{App, AppSettings, Db};
use mercato_web::{AppState, WebOptions};
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

/// A running server plus a cookie-keeping client that does not follow redirects.
pub struct TestApp {
    pub base: String,
    pub client: Client,
    pub app: App,
    /// The server's traffic counts: `t.traffic.flush(&t.app)` stores them now.
    pub traffic: std::sync::Arc<mercato_app::traffic::TrafficRecorder>,
    /// Where the app's e-mail lands (`<id>.eml` + `<id>.json`).
    pub mail_dir: std::path::PathBuf,
    _mail_tmp: std::sync::Arc<tempfile::TempDir>,
}

pub const PASSWORD: &str = "correct horse battery";

pub fn test_settings() -> AppSettings {
    AppSettings {
        argon2: HashParams {
            memory_kib: 1024,
            iterations: 1,
            parallelism: 1,
        },
        ..Default::default()
    }
}

impl TestApp {
    pub async fn start(db: Db) -> TestApp {
        Self::start_with(db, WebOptions::default(), |r| r).await
    }

    /// Starts with options, letting the test add routes inside the middleware stack.
    pub async fn start_with(
        db: Db,
        options: WebOptions,
        extra: impl FnOnce(axum::Router<AppState>) -> axum::Router<AppState>,
    ) -> TestApp {
        Self::start_full(db, test_settings(), options, extra).await
    }

    /// Starts with app settings, web options and extra routes.
    pub async fn start_full(
        db: Db,
        settings: AppSettings,
        options: WebOptions,
        extra: impl FnOnce(axum::Router<AppState>) -> axum::Router<AppState>,
    ) -> TestApp {
        if std::env::var_os("MERCATO_TEST_LOG").is_some() {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
                .with_test_writer()
                .try_init();
        }
        let mut settings = settings;
        let mail_tmp = std::sync::Arc::new(tempfile::tempdir().unwrap());
        let mail_dir = mail_tmp.path().to_path_buf();
        settings.mail.transport = mercato_app::mail::MailTransport::Directory(mail_dir.clone());
        let app = App::new(db.clone(), settings);
        // As `serve` does: a job worker delivers e-mail.
        let worker = mercato_app::jobs::Worker::new(
            db,
            "default",
            "test-worker",
            vec![std::sync::Arc::new(mercato_app::mail::MailSender::new(
                app.clone(),
            ))],
        );
        tokio::spawn(worker.run(std::time::Duration::from_millis(50), std::future::pending()));
        if app.search().is_some() {
            // As `serve` does: the node's indexer follows the outbox.
            tokio::spawn(mercato_app::search::run_indexer(
                app.clone(),
                std::time::Duration::from_millis(200),
                std::future::pending(),
            ));
        }
        let state = AppState::new(app.clone(), options);
        let traffic = state.traffic.clone();
        let router = mercato_web::router_with(state, extra(axum::Router::new()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(mercato_web::serve(listener, router, std::future::pending()));
        let client = Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        TestApp {
            base: format!("http://{addr}"),
            client,
            app,
            traffic,
            mail_dir,
            _mail_tmp: mail_tmp,
        }
    }

    /// The newest e-mail of `kind` to `to` (waits up to 10 s for the worker).
    pub async fn mail(&self, to: &str, kind: &str) -> Value {
        for _ in 0..200 {
            if let Some(m) = self.mails(to).into_iter().rev().find(|m| m["kind"] == kind) {
                return m;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("no {kind} e-mail to {to} arrived");
    }

    /// Every e-mail delivered to `to`, oldest first.
    pub fn mails(&self, to: &str) -> Vec<Value> {
        let mut found: Vec<(std::path::PathBuf, Value)> = std::fs::read_dir(&self.mail_dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.path())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .filter_map(|p| {
                let v: Value = serde_json::from_slice(&std::fs::read(&p).ok()?).ok()?;
                Some((p, v))
            })
            .filter(|(_, v)| v["to"] == to)
            .collect();
        // File names are UUIDv7: they sort by creation.
        found.sort_by(|a, b| a.0.cmp(&b.0));
        found.into_iter().map(|(_, v)| v).collect()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Creates a staff user directly through the use case.
    pub async fn staff(&self, email: &str, role: &str) {
        mercato_app::auth::create_staff_user(
            &self.app,
            None,
            NewStaffUser {
                email: email.into(),
                name: "Staff".into(),
                password: PASSWORD.into(),
                role: role.into(),
            },
            &ClientInfo::default(),
        )
        .await
        .unwrap();
    }

    /// Signs in through the API; returns the login response body.
    pub async fn login(&self, email: &str) -> Value {
        let res = self
            .client
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({ "email": email, "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        res.json().await.unwrap()
    }
}

/// Asserts a problem response and returns its body.
pub async fn problem(res: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(res.status(), status, "status");
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(
        ct.starts_with("application/problem+json"),
        "content-type {ct:?}"
    );
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status.as_u16());
    assert!(
        body["type"].is_string() && body["title"].is_string() && body["detail"].is_string(),
        "{body}"
    );
    body
}
