//! Request extractors: JSON bodies whose rejections are problems, the
//! authenticated caller, and where the request came from.

use crate::problem::Problem;
use crate::{AppState, CSRF_HEADER, SESSION_COOKIE};
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use axum_extra::extract::CookieJar;
use mercato_app::auth::{self, AuthVia, ClientInfo, Principal};
use mercato_app::secret::constant_time_eq;
use serde::de::DeserializeOwned;
use std::net::SocketAddr;

/// A JSON body. Unlike `axum::Json`, every rejection is a problem response
/// with a stable code: 400 `malformed_json`, 422 `invalid_body`,
/// 415 `unsupported_media_type`, 413 `payload_too_large`.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rej) => Err(json_problem(&rej)),
        }
    }
}

fn json_problem(rej: &JsonRejection) -> Problem {
    match rej {
        JsonRejection::JsonSyntaxError(_) => {
            Problem::new(StatusCode::BAD_REQUEST, "malformed_json", rej.body_text())
        }
        JsonRejection::JsonDataError(_) => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            rej.body_text(),
        ),
        JsonRejection::MissingJsonContentType(_) => Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the body as application/json",
        ),
        _ if rej.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            Problem::for_status(StatusCode::PAYLOAD_TOO_LARGE)
        }
        _ => Problem::new(rej.status(), "bad_request", rej.body_text()),
    }
}

/// Where the request came from.
pub struct Client(pub ClientInfo);

impl FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Client(client_info(parts, state)))
    }
}

pub(crate) fn client_info(parts: &Parts, state: &AppState) -> ClientInfo {
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let forwarded = if state.options.trust_proxy {
        header("x-forwarded-for").and_then(|v| v.split(',').next().map(|s| s.trim().to_string()))
    } else {
        None
    };
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    ClientInfo {
        ip: forwarded.or(peer),
        user_agent: header(header::USER_AGENT.as_str()).map(|ua| ua.chars().take(300).collect()),
        request_id: header("x-request-id"),
    }
}

/// Finds the caller: a bearer token first, then the session cookie.
/// `Ok(None)` when the request carries neither; a credential that is
/// present but invalid or expired is a 401 with a code saying which.
pub(crate) async fn find_principal(
    parts: &Parts,
    state: &AppState,
) -> Result<Option<Principal>, Problem> {
    if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(|| {
                Problem::new(
                    StatusCode::UNAUTHORIZED,
                    "invalid_token",
                    "use Authorization: Bearer <token>",
                )
            })?;
        return match auth::authenticate_bearer(&state.app, token.trim()).await? {
            Some(p) => Ok(Some(p)),
            None => Err(Problem::new(
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                "the token is unknown, expired or revoked",
            )),
        };
    }
    let jar = CookieJar::from_headers(&parts.headers);
    if let Some(cookie) = jar.get(SESSION_COOKIE) {
        return match auth::authenticate_session(&state.app, cookie.value()).await? {
            Some(p) => Ok(Some(p)),
            None => Err(Problem::new(
                StatusCode::UNAUTHORIZED,
                "session_expired",
                "your session has ended; sign in again",
            )),
        };
    }
    Ok(None)
}

/// The signed-in caller of a JSON API route. Requests authenticated by the
/// session cookie that change state must also send the session's CSRF
/// token in `X-CSRF-Token` (bearer requests cannot be forged cross-site).
pub struct Auth(pub Principal);

impl FromRequestParts<AppState> for Auth {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let principal = find_principal(parts, state).await?.ok_or_else(|| {
            Problem::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "sign in or send a bearer token",
            )
        })?;
        if let AuthVia::Session { csrf_token, .. } = &principal.via
            && !is_safe(&parts.method)
        {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !constant_time_eq(sent, csrf_token) {
                return Err(Problem::new(
                    StatusCode::FORBIDDEN,
                    "csrf_failed",
                    "cookie-authenticated writes need the session's CSRF token in X-CSRF-Token",
                ));
            }
        }
        Ok(Auth(principal))
    }
}

/// Whether a method only reads.
pub(crate) fn is_safe(m: &Method) -> bool {
    matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The caller when signed in, else `None`, for routes open to everyone
/// (storefront inquiries). A cookie-authenticated write without the
/// session's CSRF token counts as anonymous rather than as the user: a
/// forged cross-site request may still arrive, but never in the user's name.
pub struct MaybeAuth(pub Option<Principal>);

impl FromRequestParts<AppState> for MaybeAuth {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let principal = match find_principal(parts, state).await {
            Ok(p) => p,
            // An expired session on a public route: carry on anonymously.
            Err(_) if parts.headers.get(header::AUTHORIZATION).is_none() => None,
            Err(e) => return Err(e),
        };
        let principal = principal.filter(|p| match &p.via {
            AuthVia::Session { csrf_token, .. } if !is_safe(&parts.method) => {
                let sent = parts
                    .headers
                    .get(CSRF_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                constant_time_eq(sent, csrf_token)
            }
            _ => true,
        });
        Ok(MaybeAuth(principal))
    }
}

/// A form that carries nothing but its CSRF token (sign out, delete,
/// revoke, record a payment: the path says what).
#[derive(serde::Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    pub csrf_token: String,
}
