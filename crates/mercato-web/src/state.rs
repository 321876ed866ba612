use mercato_app::App;
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
}

impl Default for WebOptions {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            trust_proxy: false,
            request_timeout: Duration::from_secs(30),
            body_limit: 2 * 1024 * 1024,
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub options: WebOptions,
    pub started: Instant,
}

impl AppState {
    /// State for `app` with `options`.
    pub fn new(app: App, options: WebOptions) -> Self {
        Self {
            app,
            options,
            started: Instant::now(),
        }
    }
}
