//! `/auth/*` and `/me`.

use crate::extract::{ApiJson, Auth, Client};
use crate::problem::{ApiResult, Problem};
use crate::{AppState, SESSION_COOKIE};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use mercato_app::auth::{self, NewApiTokenInput, User};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(create_token, list_tokens))
        .routes(routes!(revoke_token))
        .routes(routes!(me))
}

/// A user as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct UserView {
    pub id: uuid::Uuid,
    pub email: String,
    pub name: String,
    /// `staff` or `buyer`.
    pub kind: String,
    #[schema(value_type = Option<String>)]
    pub staff_role: Option<mercato_core::StaffRole>,
    /// A buyer's company.
    pub company_id: Option<uuid::Uuid>,
    /// A buyer's company roles: `admin`, `buyer`, `approver`, `viewer`.
    pub roles: Vec<String>,
    pub business_unit_id: Option<uuid::Uuid>,
    /// `false` once disabled.
    pub active: bool,
    pub email_verified: bool,
    /// Invited and not yet accepted (no password set).
    pub invitation_pending: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_login_at: Option<OffsetDateTime>,
}

impl From<&User> for UserView {
    fn from(u: &User) -> Self {
        Self {
            id: u.id.as_uuid(),
            email: u.email.to_string(),
            name: u.name.clone(),
            kind: match u.kind {
                auth::UserKind::Staff => "staff".into(),
                auth::UserKind::Buyer => "buyer".into(),
            },
            staff_role: u.staff_role,
            company_id: u.membership.as_ref().map(|m| m.company_id.as_uuid()),
            roles: u
                .membership
                .as_ref()
                .map(|m| {
                    m.roles
                        .roles()
                        .iter()
                        .map(|r| r.code().to_string())
                        .collect()
                })
                .unwrap_or_default(),
            business_unit_id: u
                .membership
                .as_ref()
                .and_then(|m| m.business_unit_id.map(|b| b.as_uuid())),
            active: u.active,
            email_verified: u.email_verified_at.is_some(),
            invitation_pending: !u.has_password(),
            last_login_at: u.last_login_at.map(|t| t.as_offset()),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    pub user: UserView,
    /// Short-lived bearer token for API calls.
    pub token: String,
    #[serde(with = "time::serde::rfc3339")]
    pub token_expires_at: OffsetDateTime,
    /// Send in `X-CSRF-Token` on writes authenticated by the session cookie.
    pub csrf_token: String,
}

pub(crate) fn session_cookie(
    state: &AppState,
    value: String,
    max_age: time::Duration,
) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, value))
        .path("/")
        .http_only(true)
        .secure(state.options.secure_cookies)
        .same_site(SameSite::Lax)
        .max_age(max_age)
        .build()
}

/// Signs in with e-mail and password: sets the session cookie and returns a short-lived bearer token.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, body = LoginResponse, description = "Signed in; `Set-Cookie` carries the session"),
        (status = 401, body = Problem, content_type = "application/problem+json", description = "`invalid_credentials`"),
        (status = 429, body = Problem, content_type = "application/problem+json", description = "`rate_limited`, with `Retry-After`"),
    ))]
async fn login(
    State(s): State<AppState>,
    Client(client): Client,
    jar: CookieJar,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<impl IntoResponse> {
    let signed = auth::sign_in(&s.app, &req.email, &req.password, &client).await?;
    let jar = jar.add(session_cookie(
        &s,
        signed.session_secret,
        s.app.settings().session_idle,
    ));
    Ok((
        jar,
        Json(LoginResponse {
            user: UserView::from(&signed.user),
            token: signed.token,
            token_expires_at: signed.token_expires_at.as_offset(),
            csrf_token: signed.csrf_token,
        }),
    ))
}

/// Ends the session (or revokes the bearer token used).
#[utoipa::path(post, path = "/auth/logout", tag = "auth",
    security(("bearer" = []), ("session" = [])),
    responses((status = 204, description = "Signed out"), (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn logout(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    jar: CookieJar,
) -> ApiResult<impl IntoResponse> {
    auth::sign_out(&s.app, &p, &client).await?;
    Ok((
        jar.remove(Cookie::build(SESSION_COOKIE).path("/")),
        StatusCode::NO_CONTENT,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct CreateTokenRequest {
    pub name: String,
    /// Scope codes: `full`, `catalog_read`, `catalog_write`, `orders_read`, `orders_write`, `stock_write`.
    pub scopes: Vec<String>,
    /// Omit for a token that lives until revoked.
    pub expires_in_days: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedTokenResponse {
    pub id: uuid::Uuid,
    pub name: String,
    pub scopes: Vec<String>,
    /// The secret: shown this once, stored only as a hash.
    pub token: String,
    pub prefix: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires_at: Option<OffsetDateTime>,
}

/// Creates a long-lived, scoped API token for integrations. The secret is shown once.
#[utoipa::path(post, path = "/auth/tokens", tag = "auth", request_body = CreateTokenRequest,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, body = CreatedTokenResponse),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "`validation_failed` with `errors`"),
    ))]
async fn create_token(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    ApiJson(req): ApiJson<CreateTokenRequest>,
) -> ApiResult<impl IntoResponse> {
    let created = auth::create_api_token(
        &s.app,
        &p,
        NewApiTokenInput {
            name: req.name,
            scopes: req.scopes,
            expires_in_days: req.expires_in_days,
        },
        &client,
    )
    .await?;
    let t = created.token;
    Ok((
        StatusCode::CREATED,
        Json(CreatedTokenResponse {
            id: t.id.as_uuid(),
            name: t.name,
            scopes: t.scopes,
            token: created.secret,
            prefix: t.prefix,
            created_at: t.created_at.as_offset(),
            expires_at: t.expires_at.map(|e| e.as_offset()),
        }),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct MeCompany {
    pub id: uuid::Uuid,
    pub name: String,
    /// `pending`, `active` or `on_hold`.
    pub status: String,
}

#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    pub user: UserView,
    /// The buyer's company; `null` for staff.
    pub company: Option<MeCompany>,
    /// Staff role or company roles.
    pub roles: Vec<String>,
    pub permissions: Vec<String>,
    /// The staff member acting for this buyer, when one is (show a banner).
    pub acting_staff: Option<UserView>,
}

/// The caller: user, company, roles and permissions.
#[utoipa::path(get, path = "/me", tag = "auth", security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = MeResponse), (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn me(Auth(p): Auth) -> Json<MeResponse> {
    let permissions = p
        .permissions()
        .into_iter()
        .filter_map(|perm| {
            serde_json::to_value(perm)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
        })
        .collect();
    let user = UserView::from(&p.user);
    let roles = match p.user.staff_role {
        Some(r) => vec![r.code().to_string()],
        None => user.roles.clone(),
    };
    Json(MeResponse {
        user,
        company: p.membership().map(|m| MeCompany {
            id: m.company_id.as_uuid(),
            name: m.company_name.clone(),
            status: m.company_status.code().to_string(),
        }),
        roles,
        permissions,
        acting_staff: p.acting_staff.as_ref().map(UserView::from),
    })
}

#[derive(Serialize, ToSchema)]
pub struct TokenView {
    pub id: uuid::Uuid,
    pub name: String,
    pub prefix: String,
    pub scopes: Vec<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_used_at: Option<OffsetDateTime>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenList {
    pub items: Vec<TokenView>,
}

/// The caller's integration tokens (never their secrets), with when each was last used.
#[utoipa::path(get, path = "/auth/tokens", tag = "auth", security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = TokenList), (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn list_tokens(State(s): State<AppState>, Auth(p): Auth) -> ApiResult<Json<TokenList>> {
    let list = auth::list_api_tokens(&s.app, &p).await?;
    Ok(Json(TokenList {
        items: list
            .into_iter()
            .map(|t| TokenView {
                id: t.id.as_uuid(),
                name: t.name,
                prefix: t.prefix,
                scopes: t.scopes,
                created_at: t.created_at.as_offset(),
                expires_at: t.expires_at.map(|e| e.as_offset()),
                last_used_at: t.last_used_at.map(|e| e.as_offset()),
            })
            .collect(),
    }))
}

/// Revokes one of the caller's tokens; it stops working at once.
#[utoipa::path(delete, path = "/auth/tokens/{id}", tag = "auth", params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn revoke_token(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> ApiResult<StatusCode> {
    let id = id
        .parse::<uuid::Uuid>()
        .map_err(|_| mercato_app::AppError::NotFound("token"))?;
    auth::revoke_api_token(&s.app, &p, mercato_core::ApiTokenId(id), &client).await?;
    Ok(StatusCode::NO_CONTENT)
}
