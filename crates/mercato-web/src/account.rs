//! The buyer's account pages in the storefront (`/account/*`), in Chinese
//! and English: sign-in and sign-out, applying for a business account, the
//! pages behind the e-mailed links (confirm address, accept invitation,
//! reset password), the profile, the company's users and address book, and
//! the orders page the orders capability fills. A staff member acting for a
//! buyer sees a banner on every page with a button to stop.
//!
//! Every form carries a CSRF token: the session's own once signed in, a
//! double-submit cookie before.

use crate::admin::{check_csrf, render};
use crate::api::session_cookie;
use crate::extract::{Client, find_principal};
use crate::i18n::Tr;
use crate::problem::Problem;
use crate::{AppState, SESSION_COOKIE};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use mercato_app::auth::{self, AuthVia, Principal};
use mercato_app::companies::{self as co, AddressPatch, LinkPurpose, MemberInput, Registration};
use mercato_app::{AppError, FieldError, secret};
use mercato_core::{CompanyRole, Permission};
use serde::Deserialize;

/// Cookie with the double-submit CSRF token of forms shown before sign-in.
const FORM_CSRF_COOKIE: &str = "mercato_form_csrf";

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/account", get(home))
        .route("/account/login", get(login_page).post(login_submit))
        .route("/account/logout", post(logout))
        .route("/account/stop-acting", post(stop_acting))
        .route("/account/users", get(users_page).post(invite_submit))
        .route(
            "/account/addresses",
            get(addresses_page).post(address_submit),
        )
        .route("/account/addresses/{id}/delete", post(address_delete))
        .route(
            "/account/register",
            get(register_page).post(register_submit),
        )
        .route(
            "/account/verify-email",
            get(verify_page).post(verify_submit),
        )
        .route(
            "/account/accept-invitation",
            get(invitation_page).post(invitation_submit),
        )
        .route(
            "/account/forgot-password",
            get(forgot_page).post(forgot_submit),
        )
        .route(
            "/account/reset-password",
            get(reset_page).post(reset_submit),
        )
}

// ---------------------------------------------------------------------------
// Page plumbing

/// What every page's frame needs.
pub(crate) struct Shell {
    pub tr: Tr,
    pub signed_in: bool,
    /// The session's CSRF token (empty before sign-in).
    pub csrf: String,
    /// The banner text while a staff member acts for the buyer.
    pub acting: Option<String>,
}

/// The frame of a page for the caller: language, session CSRF token, the
/// banner while staff act for a buyer (the storefront's frame builds on it).
pub(crate) fn shell(tr: &Tr, p: Option<&Principal>) -> Shell {
    let csrf = match p.map(|p| &p.via) {
        Some(AuthVia::Session { csrf_token, .. }) => csrf_token.clone(),
        _ => String::new(),
    };
    let acting = p.filter(|p| p.acting_staff.is_some()).map(|p| {
        let company = p
            .membership()
            .map(|m| m.company_name.as_str())
            .unwrap_or("");
        tr.t_with(
            "acting-banner",
            &[("buyer", p.user.name.as_str()), ("company", company)],
        )
    });
    Shell {
        tr: tr.clone(),
        signed_in: p.is_some(),
        csrf,
        acting,
    }
}

/// Field errors of a form, translated by code where the locale knows it.
pub(crate) struct Errors(Vec<(String, String)>);

impl Errors {
    /// `(field, message)` pairs already worded for the page.
    pub(crate) fn new(pairs: Vec<(String, String)>) -> Self {
        Errors(pairs)
    }

    /// Every message of fields starting with `prefix` (`items[2].`), joined.
    pub fn starting_with(&self, prefix: &str) -> String {
        self.0
            .iter()
            .filter(|(f, _)| f.starts_with(prefix))
            .map(|(_, m)| m.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn none() -> Self {
        Errors(Vec::new())
    }

    fn from(tr: &Tr, fields: &[FieldError]) -> Self {
        Errors(
            fields
                .iter()
                .map(|f| (f.field.clone(), tr.field_error(f)))
                .collect(),
        )
    }

    fn one(field: &str, message: String) -> Self {
        Errors(vec![(field.to_string(), message)])
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|(f, _)| f == field)
    }

    pub fn get(&self, field: &str) -> String {
        self.0
            .iter()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Renders a page; a `?lang=` choice is remembered in a cookie.
fn page(parts: &Parts, t: &impl Template, status: StatusCode) -> Response {
    let mut res = render(t, status);
    if let Some(code) = crate::i18n::query_lang(parts) {
        crate::i18n::remember(&mut res, &Tr::new(code));
    }
    res
}

async fn caller(parts: &Parts, s: &AppState) -> Option<Principal> {
    find_principal(parts, s).await.ok().flatten()
}

/// The signed-in buyer (or a staff member acting for one); staff alone are
/// sent to the back office, anyone else to sign-in.
async fn buyer(parts: &Parts, s: &AppState) -> Result<Principal, Response> {
    match caller(parts, s).await {
        Some(p) if p.membership().is_some() => Ok(p),
        Some(_) => Err(Redirect::to("/admin").into_response()),
        None => Err(Redirect::to("/account/login").into_response()),
    }
}

/// A form post by a signed-in buyer: the caller, their company's scope,
/// and the session's CSRF token checked.
async fn buyer_form(
    parts: &Parts,
    s: &AppState,
    sent_csrf: &str,
) -> Result<(Principal, co::CompanyScope), Response> {
    let p = buyer(parts, s).await?;
    check_csrf(sent_csrf, session_csrf(&p))?;
    let scope = co::own_scope(&p).map_err(|e| Problem::from(e).into_response())?;
    Ok((p, scope))
}

fn session_csrf(p: &Principal) -> &str {
    match &p.via {
        AuthVia::Session { csrf_token, .. } => csrf_token,
        AuthVia::Token { .. } => "",
    }
}

/// The double-submit token for forms before sign-in: the cookie's, or a
/// new one set now.
fn form_token(jar: CookieJar, s: &AppState) -> (CookieJar, String) {
    double_submit_token(
        jar,
        s,
        FORM_CSRF_COOKIE,
        "/account",
        time::Duration::hours(2),
    )
}

/// A double-submit CSRF token for forms shown before sign-in: the value of
/// cookie `name` (HttpOnly, `SameSite=Strict`, scoped to `path`), or a
/// fresh one set now. The form echoes it; the post compares the two.
pub(crate) fn double_submit_token(
    jar: CookieJar,
    s: &AppState,
    name: &'static str,
    path: &'static str,
    ttl: time::Duration,
) -> (CookieJar, String) {
    if let Some(c) = jar.get(name) {
        let v = c.value().to_string();
        return (jar, v);
    }
    let token = secret::generate();
    let cookie = Cookie::build((name, token.clone()))
        .path(path)
        .http_only(true)
        .secure(s.options.secure_cookies)
        .same_site(SameSite::Strict)
        .max_age(ttl)
        .build();
    (jar.add(cookie), token)
}

fn form_cookie(jar: &CookieJar) -> String {
    jar.get(FORM_CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .unwrap_or_default()
}

#[derive(Deserialize)]
struct TokenQuery {
    #[serde(default)]
    token: String,
}

// ---------------------------------------------------------------------------
// Sign-in, sign-out, stop acting

#[derive(Template)]
#[template(path = "account_login.html")]
struct LoginPage {
    shell: Shell,
    csrf_token: String,
    email: String,
    error: Option<String>,
}

async fn login_page(State(s): State<AppState>, parts: Parts, jar: CookieJar) -> Response {
    if caller(&parts, &s).await.is_some() {
        return Redirect::to("/account").into_response();
    }
    let tr = Tr::from_parts(&parts);
    let (jar, token) = form_token(jar, &s);
    let t = LoginPage {
        shell: shell(&tr, None),
        csrf_token: token,
        email: String::new(),
        error: None,
    };
    (jar, page(&parts, &t, StatusCode::OK)).into_response()
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
    parts: Parts,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Response {
    let expected = form_cookie(&jar);
    if let Err(r) = check_csrf(&form.csrf_token, &expected) {
        return r;
    }
    let tr = Tr::from_parts(&parts);
    let again = |error: String, status| {
        let t = LoginPage {
            shell: shell(&tr, None),
            csrf_token: expected.clone(),
            email: form.email.clone(),
            error: Some(error),
        };
        page(&parts, &t, status)
    };
    match auth::sign_in(&s.app, &form.email, &form.password, &client).await {
        Ok(signed) => {
            let to = if signed.user.membership.is_some() {
                "/account"
            } else {
                "/admin"
            };
            let jar = jar.add(session_cookie(
                &s,
                signed.session_secret,
                s.app.settings().session_idle,
            ));
            (jar, Redirect::to(to)).into_response()
        }
        Err(AppError::InvalidCredentials) => again(tr.t("login-wrong"), StatusCode::UNAUTHORIZED),
        Err(AppError::RateLimited { retry_after_secs }) => {
            let minutes = retry_after_secs.div_ceil(60).to_string();
            again(
                tr.t_with("login-locked", &[("minutes", minutes.as_str())]),
                StatusCode::TOO_MANY_REQUESTS,
            )
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

async fn logout(
    State(s): State<AppState>,
    Client(client): Client,
    parts: Parts,
    jar: CookieJar,
    Form(form): Form<crate::extract::CsrfForm>,
) -> Response {
    let Some(p) = caller(&parts, &s).await else {
        return Redirect::to("/account/login").into_response();
    };
    if let Err(r) = check_csrf(&form.csrf_token, session_csrf(&p)) {
        return r;
    }
    if let Err(e) = auth::sign_out(&s.app, &p, &client).await {
        return Problem::from(e).into_response();
    }
    (
        jar.remove(Cookie::build(SESSION_COOKIE).path("/")),
        Redirect::to("/account/login"),
    )
        .into_response()
}

async fn stop_acting(
    State(s): State<AppState>,
    Client(client): Client,
    parts: Parts,
    Form(form): Form<crate::extract::CsrfForm>,
) -> Response {
    let Some(p) = caller(&parts, &s).await else {
        return Redirect::to("/account/login").into_response();
    };
    if let Err(r) = check_csrf(&form.csrf_token, session_csrf(&p)) {
        return r;
    }
    let company = p.membership().map(|m| m.company_id);
    if let Err(e) = co::stop_acting(&s.app, &p, &client).await {
        return Problem::from(e).into_response();
    }
    match company {
        Some(id) => Redirect::to(&format!("/admin/companies/{id}")).into_response(),
        None => Redirect::to("/admin").into_response(),
    }
}

// ---------------------------------------------------------------------------
// Profile, users, addresses, orders

#[derive(Template)]
#[template(path = "account_home.html")]
struct HomePage {
    shell: Shell,
    name: String,
    email: String,
    email_verified: bool,
    company: String,
    status_code: String,
    status: String,
    roles: String,
}

fn role_names(tr: &Tr, roles: &[CompanyRole]) -> String {
    roles
        .iter()
        .map(|r| tr.t(&format!("role-{}", r.code())))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn home(State(s): State<AppState>, parts: Parts) -> Response {
    let p = match buyer(&parts, &s).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let tr = Tr::from_parts(&parts);
    let Some(m) = p.membership() else {
        return Redirect::to("/admin").into_response();
    };
    let status_code = m.company_status.code().to_string();
    let t = HomePage {
        shell: shell(&tr, Some(&p)),
        name: p.user.name.clone(),
        email: p.user.email.to_string(),
        email_verified: p.user.email_verified_at.is_some(),
        company: m.company_name.clone(),
        status: tr.t(&format!("status-{status_code}")),
        status_code,
        roles: role_names(&tr, m.roles.roles()),
    };
    page(&parts, &t, StatusCode::OK)
}

#[derive(Template)]
#[template(path = "account_users.html")]
struct UsersPage {
    shell: Shell,
    /// (name, e-mail, roles, note)
    users: Vec<(String, String, String, String)>,
    can_invite: bool,
    roles: Vec<(&'static str, String)>,
    errors: Errors,
    notice: Option<String>,
    form_name: String,
    form_email: String,
    form_role: String,
}

async fn users_view(
    s: &AppState,
    p: &Principal,
    tr: &Tr,
    errors: Errors,
    notice: Option<String>,
    form: Option<InviteForm>,
) -> Result<UsersPage, Response> {
    let scope = co::own_scope(p).map_err(|e| Problem::from(e).into_response())?;
    let members = co::list_members(&s.app, p, &scope)
        .await
        .map_err(|e| Problem::from(e).into_response())?;
    let users = members
        .iter()
        .map(|u| {
            let roles = u
                .membership
                .as_ref()
                .map(|m| role_names(tr, m.roles.roles()))
                .unwrap_or_default();
            let note = if !u.active {
                tr.t("users-disabled")
            } else if !u.has_password() {
                tr.t("users-pending")
            } else {
                String::new()
            };
            (u.name.clone(), u.email.to_string(), roles, note)
        })
        .collect();
    let form = form.unwrap_or_default();
    Ok(UsersPage {
        shell: shell(tr, Some(p)),
        users,
        can_invite: p.allows(Permission::ManageCompanyUsers),
        roles: CompanyRole::ALL
            .iter()
            .map(|r| (r.code(), tr.t(&format!("role-{}", r.code()))))
            .collect(),
        errors,
        notice,
        form_name: form.name,
        form_email: form.email,
        form_role: if form.role.is_empty() {
            "buyer".into()
        } else {
            form.role
        },
    })
}

async fn users_page(State(s): State<AppState>, parts: Parts) -> Response {
    let p = match buyer(&parts, &s).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let tr = Tr::from_parts(&parts);
    match users_view(&s, &p, &tr, Errors::none(), None, None).await {
        Ok(t) => page(&parts, &t, StatusCode::OK),
        Err(r) => r,
    }
}

#[derive(Deserialize, Default, Clone)]
struct InviteForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    csrf_token: String,
}

async fn invite_submit(
    State(s): State<AppState>,
    Client(client): Client,
    parts: Parts,
    Form(form): Form<InviteForm>,
) -> Response {
    let (p, scope) = match buyer_form(&parts, &s, &form.csrf_token).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let tr = Tr::from_parts(&parts);
    let input = MemberInput {
        email: form.email.clone(),
        name: form.name.clone(),
        roles: vec![form.role.clone()],
        business_unit_id: None,
        password: None,
    };
    let (errors, notice, keep, status) =
        match co::add_member(&s.app, Some(&p), &scope, input, &client).await {
            Ok(u) => (
                Errors::none(),
                Some(tr.t_with("users-invited", &[("email", u.email.as_str())])),
                None,
                StatusCode::OK,
            ),
            Err(AppError::Invalid(fields)) => (
                Errors::from(&tr, &fields),
                None,
                Some(form),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            Err(e @ AppError::Conflict { .. }) => (
                Errors::one("email", e.to_string()),
                None,
                Some(form),
                StatusCode::CONFLICT,
            ),
            Err(e) => return Problem::from(e).into_response(),
        };
    match users_view(&s, &p, &tr, errors, notice, keep).await {
        Ok(t) => page(&parts, &t, status),
        Err(r) => r,
    }
}

/// A postal address as lines of text (for `white-space: pre-wrap`).
pub(crate) fn address_text(x: &mercato_core::PostalAddress) -> String {
    let city = format!("{} {}", x.postal_code, x.city);
    [
        Some(x.recipient.as_str()),
        Some(x.line1.as_str()),
        x.line2.as_deref(),
        Some(city.as_str()),
        x.region.as_deref(),
        Some(x.country.as_str()),
        x.phone.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("\n")
}

/// An address as the page shows it.
struct AddressCard {
    id: String,
    label: Option<String>,
    text: String,
    is_default_billing: bool,
    is_default_shipping: bool,
}

#[derive(Template)]
#[template(path = "account_addresses.html")]
struct AddressesPage {
    shell: Shell,
    addresses: Vec<AddressCard>,
    can_edit: bool,
    errors: Errors,
    /// (name, label, value)
    fields: Vec<(&'static str, String, String)>,
}

#[derive(Deserialize, Default, Clone)]
struct AddressForm {
    #[serde(default)]
    label: String,
    #[serde(default)]
    recipient: String,
    #[serde(default)]
    line1: String,
    #[serde(default)]
    line2: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    postal_code: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    csrf_token: String,
}

impl AddressForm {
    fn values(&self) -> [(&'static str, &str); 9] {
        [
            ("label", &self.label),
            ("recipient", &self.recipient),
            ("line1", &self.line1),
            ("line2", &self.line2),
            ("city", &self.city),
            ("region", &self.region),
            ("postal_code", &self.postal_code),
            ("country", &self.country),
            ("phone", &self.phone),
        ]
    }
}

async fn addresses_view(
    s: &AppState,
    p: &Principal,
    tr: &Tr,
    errors: Errors,
    form: AddressForm,
) -> Result<AddressesPage, Response> {
    let scope = co::own_scope(p).map_err(|e| Problem::from(e).into_response())?;
    let list = co::list_addresses(&s.app, p, &scope)
        .await
        .map_err(|e| Problem::from(e).into_response())?;
    let addresses = list
        .into_iter()
        .map(|a| {
            let x = &a.address;
            let text = address_text(x);
            AddressCard {
                id: a.id.to_string(),
                label: x.label.clone(),
                text,
                is_default_billing: a.is_default_billing,
                is_default_shipping: a.is_default_shipping,
            }
        })
        .collect();
    let fields = form
        .values()
        .iter()
        .map(|(name, value)| {
            let key = format!("addresses-{}", name.replace('_', "-"));
            (*name, tr.t(&key), value.to_string())
        })
        .collect();
    Ok(AddressesPage {
        shell: shell(tr, Some(p)),
        addresses,
        can_edit: p.allows(Permission::ManageCompanyAccount),
        errors,
        fields,
    })
}

async fn addresses_page(State(s): State<AppState>, parts: Parts) -> Response {
    let p = match buyer(&parts, &s).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let tr = Tr::from_parts(&parts);
    match addresses_view(&s, &p, &tr, Errors::none(), AddressForm::default()).await {
        Ok(t) => page(&parts, &t, StatusCode::OK),
        Err(r) => r,
    }
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

async fn address_submit(
    State(s): State<AppState>,
    Client(client): Client,
    parts: Parts,
    Form(form): Form<AddressForm>,
) -> Response {
    let (p, scope) = match buyer_form(&parts, &s, &form.csrf_token).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let tr = Tr::from_parts(&parts);
    let patch = AddressPatch {
        label: opt(&form.label),
        recipient: Some(form.recipient.clone()),
        line1: Some(form.line1.clone()),
        line2: opt(&form.line2),
        city: Some(form.city.clone()),
        region: opt(&form.region),
        postal_code: Some(form.postal_code.clone()),
        country: Some(form.country.clone()),
        phone: opt(&form.phone),
        is_default_billing: None,
        is_default_shipping: None,
    };
    match co::save_address(&s.app, Some(&p), &scope, None, patch, &client).await {
        Ok(_) => Redirect::to("/account/addresses").into_response(),
        Err(AppError::Invalid(fields)) => {
            // Keep what the user typed and say what is wrong, field by field.
            match addresses_view(&s, &p, &tr, Errors::from(&tr, &fields), form).await {
                Ok(t) => page(&parts, &t, StatusCode::UNPROCESSABLE_ENTITY),
                Err(r) => r,
            }
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

async fn address_delete(
    State(s): State<AppState>,
    Client(client): Client,
    Path(id): Path<String>,
    parts: Parts,
    Form(form): Form<crate::extract::CsrfForm>,
) -> Response {
    let (p, scope) = match buyer_form(&parts, &s, &form.csrf_token).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Ok(id) = id.parse::<uuid::Uuid>() else {
        return Problem::from(AppError::NotFound("address")).into_response();
    };
    match co::delete_address(&s.app, &p, &scope, id.into(), &client).await {
        Ok(()) => Redirect::to("/account/addresses").into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "account_message.html")]
struct MessagePage {
    shell: Shell,
    title: String,
    message: String,
    is_error: bool,
    form_action: Option<String>,
    csrf_token: String,
    token: String,
    button: String,
    show_login: bool,
}

impl MessagePage {
    fn new(shell: Shell, title: String, message: String) -> Self {
        MessagePage {
            shell,
            title,
            message,
            is_error: false,
            form_action: None,
            csrf_token: String::new(),
            token: String::new(),
            button: String::new(),
            show_login: false,
        }
    }
}

// ---------------------------------------------------------------------------
// Registration and e-mailed links

#[derive(Template)]
#[template(path = "account_form.html")]
struct FormPage {
    shell: Shell,
    title: String,
    intro: String,
    action: String,
    csrf_token: String,
    token: String,
    /// (name, label, value, input type)
    fields: Vec<(&'static str, String, String, &'static str)>,
    button: String,
    errors: Errors,
}

#[derive(Deserialize, Default, Clone)]
struct RegisterForm {
    #[serde(default)]
    company_name: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    vat_number: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
}

fn register_form(tr: &Tr, csrf: String, f: &RegisterForm, errors: Errors) -> FormPage {
    FormPage {
        shell: shell(tr, None),
        title: tr.t("register-title"),
        intro: tr.t("register-intro"),
        action: "/account/register".into(),
        csrf_token: csrf,
        token: String::new(),
        fields: vec![
            (
                "company_name",
                tr.t("register-company"),
                f.company_name.clone(),
                "text",
            ),
            (
                "country",
                tr.t("register-country"),
                f.country.clone(),
                "text",
            ),
            (
                "vat_number",
                tr.t("register-vat"),
                f.vat_number.clone(),
                "text",
            ),
            ("name", tr.t("register-your-name"), f.name.clone(), "text"),
            ("email", tr.t("login-email"), f.email.clone(), "email"),
            // A rejected password is never sent back into the page.
            ("password", tr.t("password-new"), String::new(), "password"),
        ],
        button: tr.t("register-submit"),
        errors,
    }
}

async fn register_page(State(s): State<AppState>, parts: Parts, jar: CookieJar) -> Response {
    let tr = Tr::from_parts(&parts);
    let (jar, token) = form_token(jar, &s);
    let t = register_form(&tr, token, &RegisterForm::default(), Errors::none());
    (jar, page(&parts, &t, StatusCode::OK)).into_response()
}

async fn register_submit(
    State(s): State<AppState>,
    Client(client): Client,
    parts: Parts,
    jar: CookieJar,
    Form(form): Form<RegisterForm>,
) -> Response {
    let expected = form_cookie(&jar);
    if let Err(r) = check_csrf(&form.csrf_token, &expected) {
        return r;
    }
    let tr = Tr::from_parts(&parts);
    let input = Registration {
        company: co::CompanyInput {
            name: Some(form.company_name.clone()),
            country: opt(&form.country),
            vat_number: opt(&form.vat_number),
            ..Default::default()
        },
        email: form.email.clone(),
        name: form.name.clone(),
        password: form.password.clone(),
    };
    let fix = |errors: Errors, status| {
        page(
            &parts,
            &register_form(&tr, expected.clone(), &form, errors),
            status,
        )
    };
    match co::register(&s.app, input, &client).await {
        Ok((_, user)) => {
            let t = MessagePage::new(
                shell(&tr, None),
                tr.t("register-title"),
                tr.t_with("register-done", &[("email", user.email.as_str())]),
            );
            page(&parts, &t, StatusCode::CREATED)
        }
        Err(AppError::Invalid(fields)) => {
            fix(Errors::from(&tr, &fields), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e @ AppError::Conflict { .. }) => {
            fix(Errors::one("email", e.to_string()), StatusCode::CONFLICT)
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

/// The page for a link that cannot be used, saying why.
fn link_problem(tr: &Tr, title: String, e: &AppError) -> Option<MessagePage> {
    let key = match e {
        AppError::NotFound(_) => "link-unknown",
        AppError::Conflict {
            code: "link_used", ..
        } => "link-used",
        AppError::Conflict {
            code: "link_expired",
            ..
        } => "link-expired",
        _ => return None,
    };
    let mut t = MessagePage::new(shell(tr, None), title, tr.t(key));
    t.is_error = true;
    t.show_login = key == "link-used";
    Some(t)
}

async fn verify_page(
    State(s): State<AppState>,
    parts: Parts,
    jar: CookieJar,
    Query(q): Query<TokenQuery>,
) -> Response {
    // A GET never consumes the link (mail scanners open links); the button does.
    let tr = Tr::from_parts(&parts);
    let (jar, csrf) = form_token(jar, &s);
    let mut t = MessagePage::new(shell(&tr, None), tr.t("verify-title"), String::new());
    t.form_action = Some("/account/verify-email".into());
    t.csrf_token = csrf;
    t.token = q.token;
    t.button = tr.t("verify-submit");
    (jar, page(&parts, &t, StatusCode::OK)).into_response()
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
}

async fn verify_submit(
    State(s): State<AppState>,
    Client(client): Client,
    parts: Parts,
    jar: CookieJar,
    Form(form): Form<TokenForm>,
) -> Response {
    if let Err(r) = check_csrf(&form.csrf_token, &form_cookie(&jar)) {
        return r;
    }
    let tr = Tr::from_parts(&parts);
    match co::verify_email(&s.app, &form.token, &client).await {
        Ok(_) => {
            let mut t =
                MessagePage::new(shell(&tr, None), tr.t("verify-title"), tr.t("verify-done"));
            t.show_login = true;
            page(&parts, &t, StatusCode::OK)
        }
        Err(e) => match link_problem(&tr, tr.t("verify-title"), &e) {
            Some(t) => page(&parts, &t, StatusCode::CONFLICT),
            None => Problem::from(e).into_response(),
        },
    }
}

fn password_form(
    tr: &Tr,
    purpose: LinkPurpose,
    csrf: String,
    token: String,
    errors: Errors,
) -> FormPage {
    let (title, intro, action, button) = match purpose {
        LinkPurpose::Invitation => (
            tr.t("invite-title"),
            tr.t("invite-intro"),
            "/account/accept-invitation",
            tr.t("invite-submit"),
        ),
        _ => (
            tr.t("reset-title"),
            String::new(),
            "/account/reset-password",
            tr.t("reset-submit"),
        ),
    };
    FormPage {
        shell: shell(tr, None),
        title,
        intro,
        action: action.into(),
        csrf_token: csrf,
        token,
        fields: vec![("password", tr.t("password-new"), String::new(), "password")],
        button,
        errors,
    }
}

async fn password_link_page(
    s: &AppState,
    parts: &Parts,
    jar: CookieJar,
    purpose: LinkPurpose,
    token: String,
) -> Response {
    let tr = Tr::from_parts(parts);
    let (jar, csrf) = form_token(jar, s);
    let t = password_form(&tr, purpose, csrf, token, Errors::none());
    (jar, page(parts, &t, StatusCode::OK)).into_response()
}

async fn password_link_submit(
    s: &AppState,
    client: &auth::ClientInfo,
    parts: &Parts,
    jar: &CookieJar,
    purpose: LinkPurpose,
    form: TokenForm,
) -> Response {
    let expected = form_cookie(jar);
    if let Err(r) = check_csrf(&form.csrf_token, &expected) {
        return r;
    }
    let tr = Tr::from_parts(parts);
    match co::set_password_from_link(&s.app, purpose, &form.token, &form.password, client).await {
        Ok(_) => {
            let (title, done) = match purpose {
                LinkPurpose::Invitation => ("invite-title", "invite-done"),
                _ => ("reset-title", "reset-done"),
            };
            let mut t = MessagePage::new(shell(&tr, None), tr.t(title), tr.t(done));
            t.show_login = true;
            page(parts, &t, StatusCode::OK)
        }
        Err(AppError::Invalid(fields)) => {
            let t = password_form(
                &tr,
                purpose,
                expected,
                form.token,
                Errors::from(&tr, &fields),
            );
            page(parts, &t, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => {
            let title =
                password_form(&tr, purpose, String::new(), String::new(), Errors::none()).title;
            match link_problem(&tr, title, &e) {
                Some(t) => page(parts, &t, StatusCode::CONFLICT),
                None => Problem::from(e).into_response(),
            }
        }
    }
}

async fn invitation_page(
    State(s): State<AppState>,
    parts: Parts,
    jar: CookieJar,
    Query(q): Query<TokenQuery>,
) -> Response {
    password_link_page(&s, &parts, jar, LinkPurpose::Invitation, q.token).await
}

async fn invitation_submit(
    State(s): State<AppState>,
    Client(client): Client,
    parts: Parts,
    jar: CookieJar,
    Form(form): Form<TokenForm>,
) -> Response {
    password_link_submit(&s, &client, &parts, &jar, LinkPurpose::Invitation, form).await
}

async fn reset_page(
    State(s): State<AppState>,
    parts: Parts,
    jar: CookieJar,
    Query(q): Query<TokenQuery>,
) -> Response {
    password_link_page(&s, &parts, jar, LinkPurpose::PasswordReset, q.token).await
}

async fn reset_submit(
    State(s): State<AppState>,
    Client(client): Client,
    parts: Parts,
    jar: CookieJar,
    Form(form): Form<TokenForm>,
) -> Response {
    password_link_submit(&s, &client, &parts, &jar, LinkPurpose::PasswordReset, form).await
}

#[derive(Deserialize)]
struct ForgotForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    csrf_token: String,
}

async fn forgot_page(State(s): State<AppState>, parts: Parts, jar: CookieJar) -> Response {
    let tr = Tr::from_parts(&parts);
    let (jar, csrf) = form_token(jar, &s);
    let t = FormPage {
        shell: shell(&tr, None),
        title: tr.t("forgot-title"),
        intro: tr.t("forgot-intro"),
        action: "/account/forgot-password".into(),
        csrf_token: csrf,
        token: String::new(),
        fields: vec![("email", tr.t("login-email"), String::new(), "email")],
        button: tr.t("forgot-submit"),
        errors: Errors::none(),
    };
    (jar, page(&parts, &t, StatusCode::OK)).into_response()
}

async fn forgot_submit(
    State(s): State<AppState>,
    parts: Parts,
    jar: CookieJar,
    Form(form): Form<ForgotForm>,
) -> Response {
    if let Err(r) = check_csrf(&form.csrf_token, &form_cookie(&jar)) {
        return r;
    }
    let tr = Tr::from_parts(&parts);
    if let Err(e) = co::request_password_reset(&s.app, &form.email).await {
        return Problem::from(e).into_response();
    }
    let t = MessagePage::new(shell(&tr, None), tr.t("forgot-title"), tr.t("forgot-done"));
    page(&parts, &t, StatusCode::OK)
}
