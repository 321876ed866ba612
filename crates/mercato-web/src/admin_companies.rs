//! Back-office company pages: the list (filter, approve, create), one
//! company (status, users, invitations) and the "act for this buyer"
//! button that opens the storefront as that buyer.

use crate::AppState;
use crate::admin::check_csrf;
use crate::admin_catalog::{messages, page};
use crate::extract::{Client, find_principal};
use crate::problem::Problem;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use mercato_app::AppError;
use mercato_app::auth::{AuthVia, Principal};
use mercato_app::companies::{self as co, Company, CompanyFilter, CompanyInput, MemberInput};
use mercato_core::{CompanyId, CompanyStatus, Permission, UserId};
use serde::Deserialize;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/companies", get(list_page).post(create))
        .route("/admin/companies/{id}", get(company_page))
        .route("/admin/companies/{id}/status", post(set_status))
        .route("/admin/companies/{id}/users", post(invite))
        .route("/admin/companies/{id}/act-as", post(act_as))
}

/// A signed-in staff member who manages companies, with the session's
/// CSRF token.
struct CompanyStaff(Principal, String);

impl axum::extract::FromRequestParts<AppState> for CompanyStaff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, s: &AppState) -> Result<Self, Response> {
        let p = match find_principal(parts, s).await {
            Ok(Some(p)) if p.membership().is_none() => p,
            Ok(Some(_)) => return Err(Redirect::to("/account").into_response()),
            _ => return Err(Redirect::to("/admin/login").into_response()),
        };
        if !p.allows(Permission::ManageCompanies) {
            return Err(Problem::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "your role cannot manage companies",
            )
            .into_response());
        }
        let csrf = match &p.via {
            AuthVia::Session { csrf_token, .. } => csrf_token.clone(),
            AuthVia::Token { .. } => String::new(),
        };
        Ok(CompanyStaff(p, csrf))
    }
}

#[derive(Template)]
#[template(path = "companies.html")]
struct ListPage {
    staff_name: String,
    csrf_token: String,
    message: Option<String>,
    q: String,
    status: String,
    companies: Vec<Company>,
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
}

async fn list(
    s: &AppState,
    p: &Principal,
    csrf: String,
    q: ListQuery,
    message: Option<String>,
) -> Response {
    let filter = CompanyFilter {
        status: CompanyStatus::parse(&q.status),
        text: Some(q.q.clone()).filter(|t| !t.trim().is_empty()),
        limit: 200,
        ..Default::default()
    };
    match co::list_companies(&s.app, p, filter).await {
        Ok(companies) => page(&ListPage {
            staff_name: p.user.name.clone(),
            csrf_token: csrf,
            message,
            q: q.q,
            status: q.status,
            companies,
        }),
        Err(e) => Problem::from(e).into_response(),
    }
}

async fn list_page(
    State(s): State<AppState>,
    CompanyStaff(p, csrf): CompanyStaff,
    Query(q): Query<ListQuery>,
) -> Response {
    list(&s, &p, csrf, q, None).await
}

#[derive(Deserialize)]
struct CreateForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    vat_number: String,
    #[serde(default)]
    market: String,
}

fn opt(s: String) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

async fn create(
    State(s): State<AppState>,
    CompanyStaff(p, csrf): CompanyStaff,
    Client(client): Client,
    Form(f): Form<CreateForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let input = CompanyInput {
        name: Some(f.name),
        country: opt(f.country),
        vat_number: opt(f.vat_number),
        market: opt(f.market),
        ..Default::default()
    };
    match co::create_company(&s.app, Some(&p), input, &client).await {
        Ok(c) => Redirect::to(&format!("/admin/companies/{}", c.id)).into_response(),
        Err(AppError::Invalid(fields)) => {
            let msg = format!("Not created: {}", messages(fields));
            let mut res = list(&s, &p, csrf, ListQuery::default(), Some(msg)).await;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            res
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "company.html")]
struct CompanyPage {
    staff_name: String,
    csrf_token: String,
    message: Option<String>,
    company: Company,
    /// (id, name, e-mail, roles, note)
    users: Vec<(String, String, String, String, String)>,
    can_act: bool,
}

fn company_id(raw: &str) -> Result<CompanyId, Response> {
    raw.parse::<uuid::Uuid>()
        .map(CompanyId)
        .map_err(|_| Problem::from(AppError::NotFound("company")).into_response())
}

async fn show(
    s: &AppState,
    p: &Principal,
    csrf: String,
    id: CompanyId,
    message: Option<String>,
) -> Response {
    let loaded = async {
        let company = co::get_company(&s.app, p, id).await?;
        let scope = co::scope(&s.app, p, id).await?;
        let users = co::list_members(&s.app, p, &scope).await?;
        Ok::<_, AppError>((company, users))
    }
    .await;
    match loaded {
        Ok((company, users)) => page(&CompanyPage {
            staff_name: p.user.name.clone(),
            can_act: !csrf.is_empty(),
            csrf_token: csrf,
            message,
            company,
            users: users
                .iter()
                .map(|u| {
                    let roles = u
                        .membership
                        .as_ref()
                        .map(|m| m.roles.to_codes())
                        .unwrap_or_default();
                    let note = if !u.active {
                        "disabled"
                    } else if !u.has_password() {
                        "invitation pending"
                    } else {
                        ""
                    };
                    (
                        u.id.to_string(),
                        u.name.clone(),
                        u.email.to_string(),
                        roles,
                        note.to_string(),
                    )
                })
                .collect(),
        }),
        Err(e) => Problem::from(e).into_response(),
    }
}

async fn company_page(
    State(s): State<AppState>,
    CompanyStaff(p, csrf): CompanyStaff,
    Path(id): Path<String>,
) -> Response {
    match company_id(&id) {
        Ok(id) => show(&s, &p, csrf, id, None).await,
        Err(r) => r,
    }
}

#[derive(Deserialize)]
struct StatusForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    status: String,
}

async fn set_status(
    State(s): State<AppState>,
    CompanyStaff(p, csrf): CompanyStaff,
    Client(client): Client,
    Path(id): Path<String>,
    Form(f): Form<StatusForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let id = match company_id(&id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let input = CompanyInput {
        status: Some(f.status),
        ..Default::default()
    };
    match co::update_company(&s.app, &p, id, input, &client).await {
        Ok(c) => {
            let msg = format!("{} is now {}.", c.name, c.status.code());
            show(&s, &p, csrf, id, Some(msg)).await
        }
        Err(AppError::Invalid(fields)) => show(&s, &p, csrf, id, Some(messages(fields))).await,
        Err(e) => Problem::from(e).into_response(),
    }
}

#[derive(Deserialize)]
struct InviteForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

async fn invite(
    State(s): State<AppState>,
    CompanyStaff(p, csrf): CompanyStaff,
    Client(client): Client,
    Path(id): Path<String>,
    Form(f): Form<InviteForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let id = match company_id(&id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let result = async {
        let scope = co::scope(&s.app, &p, id).await?;
        let input = MemberInput {
            email: f.email,
            name: f.name,
            roles: vec![f.role],
            business_unit_id: None,
            password: None,
        };
        co::add_member(&s.app, Some(&p), &scope, input, &client).await
    }
    .await;
    let msg = match result {
        Ok(u) => format!("Invitation sent to {}.", u.email),
        Err(AppError::Invalid(fields)) => format!("Not invited: {}", messages(fields)),
        Err(e @ AppError::Conflict { .. }) => format!("Not invited: {e}"),
        Err(e) => return Problem::from(e).into_response(),
    };
    show(&s, &p, csrf, id, Some(msg)).await
}

#[derive(Deserialize)]
struct ActForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    user_id: String,
}

async fn act_as(
    State(s): State<AppState>,
    CompanyStaff(p, csrf): CompanyStaff,
    Client(client): Client,
    Form(f): Form<ActForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let Ok(user) = f.user_id.parse::<uuid::Uuid>() else {
        return Problem::from(AppError::NotFound("user")).into_response();
    };
    match co::act_as(&s.app, &p, UserId(user), &client).await {
        Ok(_) => Redirect::to("/account").into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}
