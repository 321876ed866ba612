//! Back-office staff users: the list (by role), what each role may do (a
//! role × permission matrix drawn from core's table, so page and rule
//! cannot drift apart), creating a staff user, and one user's page to
//! change the role or disable and re-enable the account. Creating goes
//! through `auth::create_staff_user` (as the API and the CLI do), changes
//! through `app::staff::update`, whose guards (administrators do not
//! demote or disable themselves, the last active administrator stays)
//! live in `core::role::check_staff_change`.

use crate::AppState;
use crate::admin::{Staff, StaffBar, StaffUsers, Ui, check_csrf, permission_code, utc_time};
use crate::extract::Client;
use crate::problem::Problem;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use mercato_app::auth::{self, NewStaffUser, Principal, User};
use mercato_app::staff::{self, StaffPatch};
use mercato_app::{AppError, FieldError};
use mercato_core::{Permission, StaffRole, UserId};
use serde::Deserialize;
use uuid::Uuid;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/staff", get(list_page).post(create))
        .route("/admin/staff/{id}", get(user_page))
        .route("/admin/staff/{id}/role", post(set_role))
        .route("/admin/staff/{id}/status", post(set_status))
}

/// What every answer of these pages needs: the state, the page's
/// language, the administrator and their session's CSRF token.
struct Ctx<'a> {
    s: &'a AppState,
    ui: Ui,
    p: &'a Principal,
    csrf: String,
}

/// A staff member as the pages show them.
struct Member {
    id: Uuid,
    name: String,
    email: String,
    role: String,
    role_code: &'static str,
    active: bool,
    /// Never signed in: empty.
    last_login: String,
    created: String,
    /// The signed-in administrator themselves.
    me: bool,
}

fn member(ui: &Ui, p: &Principal, u: &User) -> Member {
    let role_code = u.staff_role.map(StaffRole::code).unwrap_or_default();
    Member {
        id: u.id.as_uuid(),
        name: u.name.clone(),
        email: u.email.to_string(),
        role: ui.word("admin-staff-role", role_code),
        role_code,
        active: u.active,
        last_login: u
            .last_login_at
            .map(|t| utc_time(t.as_offset()))
            .unwrap_or_default(),
        created: utc_time(u.created_at.as_offset()),
        me: u.id == p.user.id,
    }
}

/// `(code, word, selected)` for every role.
fn role_options(ui: &Ui, selected: &str) -> Vec<(&'static str, String, bool)> {
    StaffRole::ALL
        .into_iter()
        .map(|r| {
            (
                r.code(),
                ui.word("admin-staff-role", r.code()),
                r.code() == selected,
            )
        })
        .collect()
}

/// What each role may do: the permissions any staff role grants as
/// columns (in the administrator's order, whose list holds them all), a
/// row per role.
struct Matrix {
    permissions: Vec<String>,
    /// `(role, grants, one per column)`.
    rows: Vec<(String, Vec<bool>)>,
}

fn matrix(ui: &Ui) -> Matrix {
    let mut columns: Vec<Permission> = Vec::new();
    for r in StaffRole::ALL {
        for p in r.permissions() {
            if !columns.contains(p) {
                columns.push(*p);
            }
        }
    }
    Matrix {
        permissions: columns
            .iter()
            .map(|p| ui.word("admin-permission", &permission_code(*p)))
            .collect(),
        rows: StaffRole::ALL
            .into_iter()
            .map(|r| {
                (
                    ui.word("admin-staff-role", r.code()),
                    columns.iter().map(|p| r.allows(*p)).collect(),
                )
            })
            .collect(),
    }
}

/// The creation form as typed, with a message per bad field.
#[derive(Default)]
struct NewForm {
    name: String,
    email: String,
    role: String,
    name_error: Option<String>,
    email_error: Option<String>,
    role_error: Option<String>,
    password_error: Option<String>,
}

#[derive(Template)]
#[template(path = "staff.html")]
struct ListPage {
    ui: Ui,
    staff: StaffBar,
    csrf_token: String,
    members: Vec<Member>,
    /// The role filter's options.
    roles: Vec<(&'static str, String, bool)>,
    /// The creation form's role options.
    new_roles: Vec<(&'static str, String, bool)>,
    form: NewForm,
    error: Option<String>,
    matrix: Matrix,
}

#[derive(Deserialize, Default)]
struct ListFilter {
    #[serde(default)]
    role: String,
}

async fn list(
    c: Ctx<'_>,
    filter: &ListFilter,
    form: NewForm,
    mut error: Option<String>,
    mut status: StatusCode,
) -> Response {
    let Ctx { s, ui, p, csrf } = c;
    let ui = &ui;
    let members = match staff::list(&s.app, p, Some(&filter.role)).await {
        Ok(users) => users.iter().map(|u| member(ui, p, u)).collect(),
        Err(AppError::Invalid(_)) => {
            error = Some(ui.t_with("admin-staff-bad-role", &[("value", filter.role.trim())]));
            status = StatusCode::UNPROCESSABLE_ENTITY;
            Vec::new()
        }
        Err(e) => return Problem::from(e).into_response(),
    };
    let new_role = if form.role.is_empty() {
        StaffRole::Catalog.code()
    } else {
        form.role.as_str()
    };
    let t = ListPage {
        ui: ui.clone(),
        staff: StaffBar::of(p),
        csrf_token: csrf,
        members,
        roles: role_options(ui, filter.role.trim()),
        new_roles: role_options(ui, new_role),
        form,
        error,
        matrix: matrix(ui),
    };
    ui.page(&t, status)
}

async fn list_page(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<StaffUsers>,
    ui: Ui,
    Query(f): Query<ListFilter>,
) -> Response {
    let c = Ctx {
        s: &s,
        ui,
        p: &p,
        csrf,
    };
    list(c, &f, NewForm::default(), None, StatusCode::OK).await
}

#[derive(Deserialize)]
struct CreateForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

/// A creation error in the page's language, by field and code (spelled out
/// key by key, so the locale test sees every one).
fn place_error(ui: &Ui, form: &mut NewForm, f: &FieldError) {
    let text = match (f.field.as_str(), f.code.as_str()) {
        ("email", "invalid_email") => ui.t("admin-staff-error-email"),
        ("role", "unknown_role") => ui.t("admin-staff-error-role"),
        ("name", "too_long") => ui.t("admin-staff-error-name"),
        // The policy's own words name what is missing (length, e-mail in it).
        ("password", _) => ui.t_with(
            "admin-staff-error-password",
            &[("reason", f.message.as_str())],
        ),
        _ => ui.field_error(f),
    };
    let slot = match f.field.as_str() {
        "name" => &mut form.name_error,
        "role" => &mut form.role_error,
        "password" => &mut form.password_error,
        _ => &mut form.email_error,
    };
    *slot = Some(text);
}

async fn create(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<StaffUsers>,
    Client(client): Client,
    ui: Ui,
    Form(f): Form<CreateForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let input = NewStaffUser {
        email: f.email.clone(),
        name: f.name.clone(),
        password: f.password,
        role: f.role.clone(),
    };
    let mut form = NewForm {
        name: f.name,
        email: f.email,
        role: f.role,
        ..NewForm::default()
    };
    let status = match auth::create_staff_user(&s.app, Some(&p), input, &client).await {
        Ok(u) => {
            return Redirect::to(&format!("/admin/staff/{}?saved=created", u.id)).into_response();
        }
        Err(AppError::Invalid(fields)) => {
            for x in &fields {
                place_error(&ui, &mut form, x);
            }
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(AppError::Conflict {
            code: "email_taken",
            ..
        }) => {
            form.email_error =
                Some(ui.t_with("admin-staff-email-taken", &[("email", form.email.trim())]));
            StatusCode::CONFLICT
        }
        Err(e) => return Problem::from(e).into_response(),
    };
    let ui = ui.at("/admin/staff");
    let error = Some(ui.t("admin-staff-not-created"));
    let c = Ctx {
        s: &s,
        ui,
        p: &p,
        csrf,
    };
    list(c, &ListFilter::default(), form, error, status).await
}

#[derive(Template)]
#[template(path = "staff_user.html")]
struct UserPage {
    ui: Ui,
    staff: StaffBar,
    csrf_token: String,
    m: Member,
    roles: Vec<(&'static str, String, bool)>,
    message: Option<String>,
    error: Option<String>,
}

fn parse_id(raw: &str) -> Result<UserId, Response> {
    raw.parse::<Uuid>()
        .map(UserId)
        .map_err(|_| Problem::from(AppError::NotFound("staff user")).into_response())
}

async fn user(
    c: Ctx<'_>,
    id: UserId,
    message: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let Ctx { s, ui, p, csrf } = c;
    let ui = &ui;
    let u = match staff::get(&s.app, p, id).await {
        Ok(u) => u,
        Err(e) => return Problem::from(e).into_response(),
    };
    let m = member(ui, p, &u);
    let t = UserPage {
        ui: ui.clone(),
        staff: StaffBar::of(p),
        csrf_token: csrf,
        roles: role_options(ui, m.role_code),
        m,
        message,
        error,
    };
    ui.page(&t, status)
}

#[derive(Deserialize)]
struct Saved {
    #[serde(default)]
    saved: String,
}

async fn user_page(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<StaffUsers>,
    ui: Ui,
    Path(id): Path<String>,
    Query(q): Query<Saved>,
) -> Response {
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let message = match q.saved.as_str() {
        "created" => Some(ui.t("admin-staff-created")),
        "role" => Some(ui.t("admin-staff-saved-role")),
        "disabled" => Some(ui.t("admin-staff-disabled-now")),
        "enabled" => Some(ui.t("admin-staff-enabled-now")),
        _ => None,
    };
    let c = Ctx {
        s: &s,
        ui,
        p: &p,
        csrf,
    };
    user(c, id, message, None, StatusCode::OK).await
}

/// Applies a change and answers: back to the user's page with a notice, or
/// the page again with why it was refused.
async fn change(
    c: Ctx<'_>,
    client: &auth::ClientInfo,
    id: UserId,
    patch: StaffPatch,
    saved: &str,
) -> Response {
    let c = Ctx {
        ui: c.ui.at(format!("/admin/staff/{}", id.as_uuid())),
        ..c
    };
    let ui = &c.ui;
    let (error, status) = match staff::update(&c.s.app, c.p, id, patch, client).await {
        Ok(_) => {
            let to = format!("/admin/staff/{}?saved={saved}", id.as_uuid());
            return Redirect::to(&to).into_response();
        }
        Err(AppError::Conflict {
            code: "last_admin", ..
        }) => (ui.t("admin-staff-last-admin"), StatusCode::CONFLICT),
        Err(AppError::Conflict {
            code: "own_account",
            ..
        }) => (ui.t("admin-staff-own-account"), StatusCode::CONFLICT),
        Err(AppError::Invalid(_)) => (
            ui.t("admin-staff-error-role"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => return Problem::from(e).into_response(),
    };
    user(c, id, None, Some(error), status).await
}

#[derive(Deserialize)]
struct RoleForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    role: String,
}

async fn set_role(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<StaffUsers>,
    Client(client): Client,
    ui: Ui,
    Path(id): Path<String>,
    Form(f): Form<RoleForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let patch = StaffPatch {
        role: Some(f.role),
        active: None,
    };
    let c = Ctx {
        s: &s,
        ui,
        p: &p,
        csrf,
    };
    change(c, &client, id, patch, "role").await
}

#[derive(Deserialize)]
struct StatusForm {
    #[serde(default)]
    csrf_token: String,
    /// `active` or `disabled`.
    #[serde(default)]
    status: String,
}

async fn set_status(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<StaffUsers>,
    Client(client): Client,
    ui: Ui,
    Path(id): Path<String>,
    Form(f): Form<StatusForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let (active, saved) = match f.status.as_str() {
        "active" => (true, "enabled"),
        "disabled" => (false, "disabled"),
        other => {
            let ui = ui.at(format!("/admin/staff/{}", id.as_uuid()));
            let error = ui.t_with("admin-staff-bad-status", &[("value", other)]);
            let c = Ctx {
                s: &s,
                ui,
                p: &p,
                csrf,
            };
            return user(c, id, None, Some(error), StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let patch = StaffPatch {
        role: None,
        active: Some(active),
    };
    let c = Ctx {
        s: &s,
        ui,
        p: &p,
        csrf,
    };
    change(c, &client, id, patch, saved).await
}
