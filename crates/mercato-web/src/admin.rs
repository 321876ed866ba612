//! The back office's first pages: sign-in, the landing page, sign-out.
//! Forms carry CSRF tokens: the sign-in form a double-submit token (there
//! is no session yet), every later form the session's own token.

use crate::api::session_cookie;
use crate::extract::{Client, find_principal};
use crate::problem::Problem;
use crate::{AppState, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use mercato_app::AppError;
use mercato_app::auth::{self, AuthVia, Principal};
use mercato_app::secret::{self, constant_time_eq};
use mercato_core::Permission;
use serde::Deserialize;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(home))
        .route("/admin/login", get(login_page).post(login_submit))
        .route("/admin/logout", post(logout))
        .route("/assets/mercato.css", get(css))
}

const CSS: &str = include_str!("../assets/mercato.css");

async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    csrf_token: String,
    email: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    name: String,
    email: String,
    role: String,
    csrf_token: String,
    permissions: Vec<String>,
    /// (when, action, subject, ip)
    audit: Vec<(String, String, String, String)>,
}

pub(crate) fn render(t: &impl Template, status: StatusCode) -> Response {
    match t.render() {
        Ok(html) => (status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            Problem::for_status(StatusCode::INTERNAL_SERVER_ERROR).into_response()
        }
    }
}

/// `Err(403 problem)` unless a form sent the expected CSRF token (an empty
/// expected token, as for bearer callers or a missing cookie, never matches).
pub(crate) fn check_csrf(sent: &str, expected: &str) -> Result<(), Response> {
    if expected.is_empty() || !constant_time_eq(sent, expected) {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "csrf_failed",
            "the form's security token is missing or stale; reload the page and try again",
        )
        .into_response());
    }
    Ok(())
}

/// The signed-in staff member of a page request, if any (an expired session counts as none).
async fn staff(parts: &Parts, state: &AppState) -> Option<Principal> {
    find_principal(parts, state).await.ok().flatten()
}

async fn login_page(State(s): State<AppState>, parts: Parts, jar: CookieJar) -> Response {
    if staff(&parts, &s).await.is_some() {
        return Redirect::to("/admin").into_response();
    }
    let token = secret::generate();
    let cookie = Cookie::build((LOGIN_CSRF_COOKIE, token.clone()))
        .path("/admin")
        .http_only(true)
        .secure(s.options.secure_cookies)
        .same_site(SameSite::Strict)
        .max_age(time::Duration::hours(2))
        .build();
    (
        jar.add(cookie),
        render(
            &LoginPage {
                csrf_token: token,
                email: String::new(),
                error: None,
            },
            StatusCode::OK,
        ),
    )
        .into_response()
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
}

async fn login_submit(
    State(s): State<AppState>,
    Client(client): Client,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Response {
    let expected = jar
        .get(LOGIN_CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .unwrap_or_default();
    if let Err(r) = check_csrf(&form.csrf_token, &expected) {
        return r;
    }
    let again = |error: String, status| {
        render(
            &LoginPage {
                csrf_token: expected.clone(),
                email: form.email.clone(),
                error: Some(error),
            },
            status,
        )
    };
    match auth::sign_in(&s.app, &form.email, &form.password, &client).await {
        Ok(signed) => {
            let jar = jar
                .remove(Cookie::build(LOGIN_CSRF_COOKIE).path("/admin"))
                .add(session_cookie(
                    &s,
                    signed.session_secret,
                    s.app.settings().session_idle,
                ));
            (jar, Redirect::to("/admin")).into_response()
        }
        Err(AppError::InvalidCredentials) => again(
            "E-mail or password is wrong.".into(),
            StatusCode::UNAUTHORIZED,
        ),
        Err(AppError::RateLimited { retry_after_secs }) => again(
            format!(
                "Too many attempts. Try again in {} minutes.",
                retry_after_secs.div_ceil(60)
            ),
            StatusCode::TOO_MANY_REQUESTS,
        ),
        Err(e) => Problem::from(e).into_response(),
    }
}

async fn home(State(s): State<AppState>, parts: Parts) -> Response {
    let Some(p) = staff(&parts, &s).await else {
        return Redirect::to("/admin/login").into_response();
    };
    if !p.allows(Permission::AccessBackOffice) {
        return Problem::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "your account has no access to the back office",
        )
        .into_response();
    }
    let AuthVia::Session { csrf_token, .. } = &p.via else {
        return Redirect::to("/admin/login").into_response();
    };
    let audit = match mercato_app::audit::list(&s.app, &p, None, 10).await {
        Ok(entries) => entries
            .into_iter()
            .map(|e| {
                let when = e
                    .occurred_at
                    .as_offset()
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default();
                (
                    when,
                    e.action,
                    format!("{} {}", e.subject_type, e.subject_id.unwrap_or_default()),
                    e.ip.unwrap_or_default(),
                )
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    let page = HomePage {
        name: p.user.name.clone(),
        email: p.user.email.to_string(),
        role: p
            .user
            .staff_role
            .map(|r| r.code().to_string())
            .unwrap_or_default(),
        csrf_token: csrf_token.clone(),
        permissions: p
            .permissions()
            .into_iter()
            .map(|x| format!("{x:?}"))
            .collect(),
        audit,
    };
    render(&page, StatusCode::OK)
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf_token: String,
}

async fn logout(
    State(s): State<AppState>,
    Client(client): Client,
    jar: CookieJar,
    parts: Parts,
    Form(form): Form<CsrfForm>,
) -> Response {
    let Some(p) = staff(&parts, &s).await else {
        return Redirect::to("/admin/login").into_response();
    };
    let expected = match &p.via {
        AuthVia::Session { csrf_token, .. } => csrf_token.as_str(),
        AuthVia::Token { .. } => "",
    };
    if let Err(r) = check_csrf(&form.csrf_token, expected) {
        return r;
    }
    if let Err(e) = auth::sign_out(&s.app, &p, &client).await {
        return Problem::from(e).into_response();
    }
    (
        jar.remove(Cookie::build(SESSION_COOKIE).path("/")),
        Redirect::to("/admin/login"),
    )
        .into_response()
}
