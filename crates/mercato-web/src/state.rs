use mercato_app::App;
use mercato_app::traffic::TrafficRecorder;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// HTTP settings.
#[derive(Clone, Debug)]
pub struct WebOptions {
    /// Mark cookies `Secure` (on behind HTTPS; off for plain-HTTP localhost).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy you run).
    pub trust_proxy: bool,
    /// Longest a request may take before it is answered 503.
    pub request_timeout: Duration,
    /// Largest request body accepted.
    pub body_limit: usize,
    /// Count storefront traffic (first-party, no personal data; on by
    /// default). Off, no page is counted and no visit cookie is set.
    pub traffic: bool,
}

impl Default for WebOptions {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            trust_proxy: false,
            request_timeout: Duration::from_secs(30),
            body_limit: 2 * 1024 * 1024,
            traffic: true,
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub options: WebOptions,
    pub started: Instant,
    /// Storefront page views counted since the last flush; `serve` runs
    /// `mercato_app::traffic::run_flusher` on it, tests call `flush`.
    pub traffic: Arc<TrafficRecorder>,
}

impl AppState {
    /// State for `app` with `options`.
    pub fn new(app: App, options: WebOptions) -> Self {
        Self {
            app,
            options,
            started: Instant::now(),
            traffic: Arc::new(TrafficRecorder::new()),
        }
    }
}
