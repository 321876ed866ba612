//! RFC 9457 problem responses, and the one mapping from `AppError` to HTTP.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use mercato_app::{AppError, FieldError};
use serde::Serialize;
use utoipa::ToSchema;

/// An `application/problem+json` body.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the problem kind (relative; stable per `code`).
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable snake_case code clients branch on.
    pub code: String,
    /// For validation problems: what is wrong with which field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
    #[serde(skip)]
    pub retry_after: Option<u64>,
    /// Extension members (RFC 9457 §3.2) a client needs to act: the
    /// SKUs out of stock, the repriced cart, the available credit.
    #[serde(flatten)]
    #[schema(ignore)]
    pub extensions: serde_json::Map<String, serde_json::Value>,
}

/// One invalid field of a request.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemField {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl From<FieldError> for ProblemField {
    fn from(f: FieldError) -> Self {
        Self {
            field: f.field,
            code: f.code,
            message: f.message,
        }
    }
}

impl Problem {
    /// A problem with `status`, a stable `code` and a human `detail`.
    pub fn new(status: StatusCode, code: &str, detail: impl Into<String>) -> Self {
        Self {
            type_uri: format!("/problems/{code}"),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            code: code.to_string(),
            errors: Vec::new(),
            retry_after: None,
            extensions: serde_json::Map::new(),
        }
    }

    /// Adds an extension member.
    pub fn with(mut self, key: &str, value: serde_json::Value) -> Self {
        self.extensions.insert(key.to_string(), value);
        self
    }

    /// The generic problem for a bare status (a layer or the router refused).
    pub fn for_status(status: StatusCode) -> Self {
        let (code, detail) = match status.as_u16() {
            400 => ("bad_request", "the request is malformed"),
            401 => ("unauthenticated", "sign in first"),
            403 => ("forbidden", "you are not allowed to do this"),
            404 => ("not_found", "there is nothing here"),
            405 => (
                "method_not_allowed",
                "this resource does not support that method",
            ),
            408 => ("request_timeout", "the request took too long to arrive"),
            413 => ("payload_too_large", "the request body is too large"),
            415 => (
                "unsupported_media_type",
                "send the body as application/json",
            ),
            429 => ("rate_limited", "too many requests; slow down"),
            503 => (
                "service_unavailable",
                "the request took too long or the service is unavailable; try again",
            ),
            s if s >= 500 => (
                "internal_error",
                "something went wrong on our side; it has been logged",
            ),
            _ => ("error", "the request failed"),
        };
        Self::new(status, code, detail)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut res = (status, body).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(secs) = self.retry_after {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        res
    }
}

impl From<AppError> for Problem {
    fn from(e: AppError) -> Self {
        let code = e.code();
        match e {
            AppError::Invalid(fields) => {
                let detail = fields
                    .iter()
                    .map(|f| format!("{}: {}", f.field, f.message))
                    .collect::<Vec<_>>()
                    .join("; ");
                let mut p = Problem::new(StatusCode::UNPROCESSABLE_ENTITY, code, detail);
                p.errors = fields.into_iter().map(ProblemField::from).collect();
                p
            }
            AppError::InvalidCredentials | AppError::Unauthenticated => {
                Problem::new(StatusCode::UNAUTHORIZED, code, e.to_string())
            }
            AppError::Forbidden(_) | AppError::Refused { .. } => {
                Problem::new(StatusCode::FORBIDDEN, code, e.to_string())
            }
            AppError::NotFound(_) => Problem::new(StatusCode::NOT_FOUND, code, e.to_string()),
            AppError::Conflict { .. } => Problem::new(StatusCode::CONFLICT, code, e.to_string()),
            AppError::Unprocessable { .. } => {
                Problem::new(StatusCode::UNPROCESSABLE_ENTITY, code, e.to_string())
            }
            AppError::RateLimited { retry_after_secs } => {
                let mut p = Problem::new(StatusCode::TOO_MANY_REQUESTS, code, e.to_string());
                p.retry_after = Some(retry_after_secs);
                p
            }
            AppError::Store(mercato_app::StoreError::Contention(_)) => {
                tracing::warn!(error = %e, "transaction lost to concurrent ones");
                let mut p = Problem::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    code,
                    "busy with concurrent changes; nothing was saved, try again",
                );
                p.retry_after = Some(1);
                p
            }
            AppError::Store(_) | AppError::Internal(_) => {
                // The cause goes to the log, never to the client.
                tracing::error!(error = %e, source = ?std::error::Error::source(&e), "request failed");
                Problem::for_status(StatusCode::INTERNAL_SERVER_ERROR)
            }
        }
    }
}

/// Handler result type: errors render as problems.
pub type ApiResult<T> = Result<T, Problem>;
