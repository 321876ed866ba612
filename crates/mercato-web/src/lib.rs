//! Mercato over HTTP: the JSON API under `/api/v1`, the server-rendered back
//! office under `/admin`, the storefront, operations endpoints, and the
//! OpenAPI document.
//!
//! Handlers are thin: they turn requests into use-case calls on
//! `mercato_app` and results into responses. The only place an `AppError`
//! becomes an HTTP status is [`problem`].
#![forbid(unsafe_code)]
// Handlers return `Result<_, Problem>`; a problem is only built on the
// error path, so its size (~150 bytes) is not worth a box per response.
#![allow(clippy::result_large_err)]

mod account;
mod admin;
mod admin_audit;
mod admin_catalog;
mod admin_companies;
mod admin_dashboard;
mod admin_inquiries;
mod admin_maturity;
mod admin_orders;
mod admin_pricing;
mod admin_promotions;
mod admin_search;
mod admin_staff;
mod admin_stock;
mod admin_tokens;
mod admin_views;
mod api;
mod chart;
mod extract;
mod feedback;
pub mod i18n;
mod layers;
mod media;
pub mod metrics;
mod ops;
mod order_pdf;
pub mod problem;
mod shop;
mod shop_orders;
mod state;
mod traffic;

pub use state::{AppState, WebOptions};

use axum::Router;
use std::net::SocketAddr;

/// Cookie holding the session secret.
pub const SESSION_COOKIE: &str = "mercato_session";
/// Cookie holding the pre-sign-in CSRF token of the login form.
pub const LOGIN_CSRF_COOKIE: &str = "mercato_login_csrf";
/// Header that cookie-authenticated API writes must carry.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The whole HTTP surface with its middleware.
pub fn router(state: AppState) -> Router {
    router_with(state, Router::new())
}

/// [`router`] plus `extra` routes inside the same middleware stack (for
/// embedding, and for tests that need a route which panics or hangs).
pub fn router_with(state: AppState, extra: Router<AppState>) -> Router {
    metrics::handle(); // install the recorder before the first request is counted
    let (api, _doc) = api::routes().split_for_parts();
    let routes = Router::new()
        .merge(ops::routes())
        .merge(account::routes())
        .merge(admin::routes())
        .merge(admin_catalog::routes())
        .merge(admin_companies::routes())
        .merge(admin_dashboard::routes())
        .merge(admin_inquiries::routes())
        .merge(admin_maturity::routes())
        .merge(feedback::routes())
        .merge(admin_orders::routes())
        .merge(admin_stock::routes())
        .merge(admin_views::routes())
        .merge(admin_pricing::routes())
        .merge(admin_promotions::routes())
        .merge(admin_search::routes())
        .merge(admin_staff::routes())
        .merge(admin_audit::routes())
        .merge(admin_tokens::routes())
        .merge(media::routes())
        .merge(shop::routes())
        .merge(shop_orders::routes())
        .nest("/api/v1", api)
        .merge(extra)
        .fallback(shop::fallback)
        .with_state(state.clone());
    layers::apply(routes, &state)
}

/// The OpenAPI 3.1 document of the JSON API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api::openapi()
}

/// Serves `router` on `listener` until `shutdown` resolves, then stops
/// accepting connections and lets in-flight requests finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
