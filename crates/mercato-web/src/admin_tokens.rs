//! Back-office API tokens for the seller's integrations (ERP, PIM,
//! warehouse systems): every staff member's live integration tokens with
//! their owners, creating one (its secret is shown once, on the answer to
//! the form, never in a URL, a log or the database) and revoking one.
//! Creating is `auth::create_api_token`, as `POST /api/v1/auth/tokens`:
//! the token belongs to the signed-in staff member and never grants more
//! than their role. Company users' tokens are their company's and are not
//! listed here.

use crate::AppState;
use crate::admin::{ApiTokens, Staff, StaffBar, Ui, check_csrf, utc_time};
use crate::extract::Client;
use crate::problem::Problem;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use mercato_app::auth::{self, NewApiTokenInput, Principal};
use mercato_app::{AppError, FieldError, Timestamp};
use mercato_core::{ApiScope, ApiTokenId};
use serde::Deserialize;
use uuid::Uuid;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/tokens", get(list_page).post(create))
        .route("/admin/tokens/{id}/revoke", post(revoke))
}

/// A token as a row of the list.
struct Row {
    id: Uuid,
    name: String,
    prefix: String,
    owner_name: String,
    owner_email: String,
    owner_active: bool,
    mine: bool,
    scopes: String,
    created: String,
    last_used: String,
    expires: String,
    expired: bool,
}

/// A scope's words, spelled out key by key so the locale test sees them.
fn scope_word(ui: &Ui, s: ApiScope) -> String {
    match s {
        ApiScope::Full => ui.t("admin-tokens-scope-full"),
        ApiScope::CatalogRead => ui.t("admin-tokens-scope-catalog-read"),
        ApiScope::CatalogWrite => ui.t("admin-tokens-scope-catalog-write"),
        ApiScope::OrdersRead => ui.t("admin-tokens-scope-orders-read"),
        ApiScope::OrdersWrite => ui.t("admin-tokens-scope-orders-write"),
        ApiScope::StockWrite => ui.t("admin-tokens-scope-stock-write"),
    }
}

/// The created token, shown this once.
struct Created {
    name: String,
    secret: String,
}

/// The creation form as typed.
#[derive(Default)]
struct NewForm {
    name: String,
    /// `(code, words, ticked)` for every scope.
    scopes: Vec<(&'static str, String, bool)>,
    expires_in_days: String,
}

impl NewForm {
    fn new(ui: &Ui, ticked: &[String], name: String, expires_in_days: String) -> Self {
        NewForm {
            name,
            scopes: ApiScope::ALL
                .into_iter()
                .map(|s| {
                    (
                        s.code(),
                        scope_word(ui, s),
                        ticked.iter().any(|t| t == s.code()),
                    )
                })
                .collect(),
            expires_in_days,
        }
    }
}

#[derive(Template)]
#[template(path = "tokens.html")]
struct ListPage {
    ui: Ui,
    staff: StaffBar,
    csrf_token: String,
    rows: Vec<Row>,
    form: NewForm,
    created: Option<Created>,
    message: Option<String>,
    error: Option<String>,
}

/// What a list page says besides its rows.
#[derive(Default)]
struct Outcome {
    created: Option<Created>,
    message: Option<String>,
    error: Option<String>,
    form: Option<NewForm>,
}

async fn list(
    s: &AppState,
    ui: &Ui,
    p: &Principal,
    csrf: String,
    out: Outcome,
    status: StatusCode,
) -> Response {
    let tokens = match auth::list_staff_api_tokens(&s.app, p).await {
        Ok(t) => t,
        Err(e) => return Problem::from(e).into_response(),
    };
    let now = Timestamp::now().as_offset();
    let rows = tokens
        .into_iter()
        .map(|t| {
            let scopes: Vec<String> = t
                .token
                .scopes
                .iter()
                .map(|c| ApiScope::parse(c).map_or_else(|| c.clone(), |s| scope_word(ui, s)))
                .collect();
            Row {
                id: t.token.id.as_uuid(),
                mine: t.token.user_id == p.user.id,
                name: t.token.name,
                prefix: t.token.prefix,
                owner_name: t.owner_name,
                owner_email: t.owner_email,
                owner_active: t.owner_active,
                scopes: scopes.join(ui.t("admin-list-separator").as_str()),
                created: utc_time(t.token.created_at.as_offset()),
                last_used: t
                    .token
                    .last_used_at
                    .map(|at| utc_time(at.as_offset()))
                    .unwrap_or_default(),
                expires: t
                    .token
                    .expires_at
                    .map(|at| utc_time(at.as_offset()))
                    .unwrap_or_default(),
                expired: t.token.expires_at.is_some_and(|at| at.as_offset() <= now),
            }
        })
        .collect();
    let form = out
        .form
        .unwrap_or_else(|| NewForm::new(ui, &[], String::new(), String::new()));
    let t = ListPage {
        ui: ui.clone(),
        staff: StaffBar::of(p),
        csrf_token: csrf,
        rows,
        form,
        created: out.created,
        message: out.message,
        error: out.error,
    };
    ui.page(&t, status)
}

#[derive(Deserialize)]
struct Notice {
    #[serde(default)]
    revoked: String,
}

async fn list_page(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<ApiTokens>,
    ui: Ui,
    Query(q): Query<Notice>,
) -> Response {
    let out = Outcome {
        message: (q.revoked == "1").then(|| ui.t("admin-tokens-revoked")),
        ..Outcome::default()
    };
    list(&s, &ui, &p, csrf, out, StatusCode::OK).await
}

#[derive(Deserialize)]
struct CreateForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
    /// One `scopes` field per ticked box.
    #[serde(default)]
    scopes: Vec<String>,
    /// Empty: until revoked.
    #[serde(default)]
    expires_in_days: String,
}

/// A creation error in the page's language, by field and code.
fn create_error(ui: &Ui, f: &FieldError) -> String {
    match (f.field.as_str(), f.code.as_str()) {
        ("name", _) => ui.t("admin-tokens-error-name"),
        ("scopes", "required") => ui.t("admin-tokens-error-no-scope"),
        ("scopes", _) => ui.t("admin-tokens-error-scope"),
        ("expires_in_days", _) => ui.t("admin-tokens-error-days"),
        _ => ui.field_error(f),
    }
}

async fn create(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<ApiTokens>,
    Client(client): Client,
    ui: Ui,
    Form(f): Form<CreateForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let ui = ui.at("/admin/tokens");
    let days = f.expires_in_days.trim();
    let expires_in_days = match days {
        "" => Ok(None),
        d => d.parse::<u32>().map(Some).map_err(|_| {
            AppError::invalid(
                "expires_in_days",
                "out_of_range",
                "expires_in_days must be 1 to 3650",
            )
        }),
    };
    let result = match expires_in_days {
        Ok(expires_in_days) => {
            let input = NewApiTokenInput {
                name: f.name.clone(),
                scopes: f.scopes.clone(),
                expires_in_days,
            };
            auth::create_api_token(&s.app, &p, input, &client).await
        }
        Err(e) => Err(e),
    };
    match result {
        // The secret goes into this answer only (no redirect: it would
        // have to travel in a URL or be kept somewhere).
        Ok(created) => {
            let out = Outcome {
                created: Some(Created {
                    name: created.token.name,
                    secret: created.secret,
                }),
                ..Outcome::default()
            };
            list(&s, &ui, &p, csrf, out, StatusCode::CREATED).await
        }
        Err(AppError::Invalid(fields)) => {
            let error = fields
                .iter()
                .map(|x| create_error(&ui, x))
                .collect::<Vec<_>>()
                .join(ui.t("admin-message-separator").as_str());
            let out = Outcome {
                error: Some(ui.t_with("admin-tokens-not-created", &[("reason", error.as_str())])),
                form: Some(NewForm::new(&ui, &f.scopes, f.name, f.expires_in_days)),
                ..Outcome::default()
            };
            list(&s, &ui, &p, csrf, out, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

async fn revoke(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<ApiTokens>,
    Client(client): Client,
    ui: Ui,
    Path(id): Path<String>,
    Form(f): Form<crate::extract::CsrfForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let result = match id.parse::<Uuid>() {
        Ok(id) => auth::revoke_staff_api_token(&s.app, &p, ApiTokenId(id), &client).await,
        Err(_) => Err(AppError::NotFound("token")),
    };
    match result {
        Ok(()) => Redirect::to("/admin/tokens?revoked=1").into_response(),
        Err(AppError::NotFound(_)) => {
            let ui = ui.at("/admin/tokens");
            let out = Outcome {
                error: Some(ui.t("admin-tokens-gone")),
                ..Outcome::default()
            };
            list(&s, &ui, &p, csrf, out, StatusCode::NOT_FOUND).await
        }
        Err(e) => Problem::from(e).into_response(),
    }
}
