//! Operations endpoints: liveness, readiness, metrics, the API document.

use crate::AppState;
use crate::problem::Problem;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/api/openapi.json", get(openapi))
}

/// The process is up. Touches nothing else, so it measures the HTTP stack.
async fn healthz() -> impl IntoResponse {
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({ "status": "ok" })),
    )
}

/// The process can serve: the database answers.
async fn readyz(State(s): State<AppState>) -> Result<impl IntoResponse, Problem> {
    s.app.ready().await.map_err(|e| {
        tracing::warn!(error = %e, "not ready");
        Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "not_ready",
            "the database does not answer",
        )
    })?;
    let backend = match s.app.db().backend() {
        mercato_app::Backend::Sqlite => "sqlite",
        mercato_app::Backend::Postgres => "postgres",
    };
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        Json(
            json!({ "status": "ready", "database": backend, "uptime_s": s.started.elapsed().as_secs() }),
        ),
    ))
}

async fn metrics() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        crate::metrics::handle().render(),
    )
}

async fn openapi() -> impl IntoResponse {
    (
        [(header::CACHE_CONTROL, "public, max-age=300")],
        Json(crate::openapi()),
    )
}
