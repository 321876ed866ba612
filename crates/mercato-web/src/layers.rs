//! Middleware around every route: request ids, tracing, timeouts, body
//! limits, panic catching, security headers, metrics, and turning bare
//! error statuses from layers and the router into problem responses.

use crate::problem::Problem;
use crate::{AppState, metrics};
use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use std::any::Any;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Wraps `routes` in the standard middleware stack (outermost last).
pub(crate) fn apply(routes: Router, state: &AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    routes
        .route_layer(middleware::from_fn(metrics::track))
        .layer(CatchPanicLayer::custom(on_panic))
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, state.options.request_timeout))
        .layer(RequestBodyLimitLayer::new(state.options.body_limit))
        .layer(axum::extract::DefaultBodyLimit::max(state.options.body_limit))
        .layer(middleware::from_fn(problemify))
        .layer(middleware::from_fn_with_state(state.clone(), crate::traffic::count))
        // gzip for clients that accept it (pages, JSON, CSS); media files
        // are served as stored.
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

fn on_panic(err: Box<dyn Any + Send + 'static>) -> Response {
    let msg = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("non-string panic");
    tracing::error!(panic = msg, "handler panicked");
    Problem::for_status(StatusCode::INTERNAL_SERVER_ERROR).into_response()
}

/// Error statuses produced without a body (405 from the router, 413 from
/// the body limit, 503 from the timeout) become problem responses too.
async fn problemify(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let ct = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if ct.starts_with("application/problem+json") || ct.starts_with("text/html") {
        return res;
    }
    let mut problem = Problem::for_status(status);
    if let Some(ra) = res
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
    {
        problem.retry_after = Some(ra);
    }
    let mut out = problem.into_response();
    if let Some(allow) = res.headers().get(header::ALLOW) {
        out.headers_mut().insert(header::ALLOW, allow.clone());
    }
    out
}
