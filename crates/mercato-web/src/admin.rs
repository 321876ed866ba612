//! The back office's first pages: sign-in, the landing page, sign-out,
//! and what every back-office page shares: [`Ui`], the page's language
//! (zh-CN or English, from `locales/<lang>/admin.ftl`) with its switch link.
//! Forms carry CSRF tokens: the sign-in form a double-submit token (there
//! is no session yet), every later form the session's own token.

use crate::api::session_cookie;
use crate::extract::{Client, find_principal};
use crate::i18n::Tr;
use crate::problem::Problem;
use crate::{AppState, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use askama::Template;
use axum::Router;
use axum::extract::{Form, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
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

/// The language of a back-office page: its messages, `<html lang>`, and
/// the link to the same page in the other language. A `?lang=` choice is
/// remembered in the `mercato_lang` cookie, as on the storefront.
#[derive(Clone, Debug)]
pub(crate) struct Ui {
    pub tr: Tr,
    /// The language this request chose with `?lang=`, to remember.
    chosen: Option<&'static str>,
    /// A page that answers GET (this one, without `lang`), for the switch.
    here: String,
}

impl Ui {
    fn from_parts(parts: &Parts) -> Self {
        let query = parts.uri.query().unwrap_or("");
        let is_lang = |kv: &&str| *kv == "lang" || kv.starts_with("lang=");
        let chosen = crate::i18n::query_lang(parts);
        let rest: Vec<&str> = query
            .split('&')
            .filter(|kv| !kv.is_empty() && !is_lang(kv))
            .collect();
        let path = parts.uri.path();
        // A form post's URL may not answer GET; its handler names the page.
        let here = if parts.method == Method::GET && !rest.is_empty() {
            format!("{path}?{}", rest.join("&"))
        } else {
            path.to_string()
        };
        Ui {
            tr: Tr::from_parts(parts),
            chosen,
            here,
        }
    }

    /// The same language, switching to `page` (for form posts whose URL
    /// only answers POST).
    pub fn at(mut self, page: impl Into<String>) -> Self {
        self.here = page.into();
        self
    }

    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }

    /// The message `key` with named arguments.
    pub fn t_with(&self, key: &str, args: &[(&'static str, &str)]) -> String {
        self.tr.t_with(key, args)
    }

    /// The word for a stable code (`<family>-<code>`, e.g. a status), or the
    /// code itself when the locale has none.
    pub fn word(&self, family: &str, code: &str) -> String {
        self.tr.t_or(&format!("{family}-{code}"), code)
    }

    /// A validation error's message, translated by its code where the
    /// locale knows it (the app layer words them in English).
    pub fn field_error(&self, f: &mercato_app::FieldError) -> String {
        self.tr.field_error(f)
    }

    /// This page's path and query (without `lang`), e.g. for the feedback link.
    pub fn here(&self) -> &str {
        &self.here
    }

    /// The link to this page in the other language.
    pub fn switch_href(&self) -> String {
        let sep = if self.here.contains('?') { '&' } else { '?' };
        format!("{}{sep}lang={}", self.here, self.tr.other())
    }

    /// Renders a page (not cached) and remembers a `?lang=` choice.
    pub fn page(&self, t: &impl Template, status: StatusCode) -> Response {
        let mut res = render(t, status);
        if let Some(code) = self.chosen {
            crate::i18n::remember(&mut res, &Tr::new(code));
        }
        res
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ui {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Ui::from_parts(parts))
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    ui: Ui,
    csrf_token: String,
    email: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ui: Ui,
    staff: StaffBar,
    name: String,
    email: String,
    /// (code, name in the page's language)
    role: Option<(&'static str, String)>,
    csrf_token: String,
    permissions: Vec<String>,
    /// (when, action, subject, ip)
    audit: Vec<(String, String, String, String)>,
}

/// The back office's bar: who is signed in and the sections their role
/// opens (DESIGN.md §7: a warehouse user sees orders and stock, not the
/// catalog editors). Every back-office page carries one.
#[derive(Clone, Debug)]
pub(crate) struct StaffBar {
    pub name: String,
    /// `(href, message key)` of each section the role may open.
    pub links: Vec<(&'static str, &'static str)>,
}

/// The back office's sections, in menu order, and what opens each.
const SECTIONS: [(&str, &str, Permission); 18] = [
    (
        "/admin/dashboard",
        "admin-nav-dashboard",
        Permission::AccessBackOffice,
    ),
    (
        "/admin/products",
        "admin-nav-products",
        Permission::ManageCatalog,
    ),
    (
        "/admin/categories",
        "admin-nav-categories",
        Permission::ManageCatalog,
    ),
    (
        "/admin/completeness",
        "admin-nav-completeness",
        Permission::ManageCatalog,
    ),
    (
        "/admin/import",
        "admin-nav-import",
        Permission::ManageCatalog,
    ),
    (
        "/admin/search",
        "admin-nav-search",
        Permission::ManageCatalog,
    ),
    (
        "/admin/price-lists",
        "admin-nav-price-lists",
        Permission::ManagePrices,
    ),
    (
        "/admin/promotions",
        "admin-nav-promotions",
        Permission::ManagePrices,
    ),
    (
        "/admin/companies",
        "admin-nav-companies",
        Permission::ManageCompanies,
    ),
    (
        "/admin/orders",
        "admin-nav-orders",
        Permission::ManageOrders,
    ),
    ("/admin/stock", "admin-nav-stock", Permission::ManageStock),
    (
        "/admin/inquiries",
        "admin-nav-inquiries",
        Permission::ManageInquiries,
    ),
    (
        "/admin/feedback",
        "admin-nav-feedback",
        Permission::AccessBackOffice,
    ),
    (
        "/admin/markets",
        "admin-nav-markets",
        Permission::ManageSettings,
    ),
    (
        "/admin/maturity",
        "admin-nav-maturity",
        Permission::AccessBackOffice,
    ),
    ("/admin/staff", "admin-nav-staff", Permission::ManageStaff),
    ("/admin/audit", "admin-nav-audit", Permission::ReadAuditLog),
    (
        "/admin/tokens",
        "admin-nav-tokens",
        Permission::ManageApiTokens,
    ),
];

impl StaffBar {
    /// The bar for `p`.
    pub fn of(p: &Principal) -> Self {
        StaffBar {
            name: p.user.name.clone(),
            links: SECTIONS
                .iter()
                .filter(|(_, _, perm)| p.allows(*perm))
                .map(|(href, key, _)| (*href, *key))
                .collect(),
        }
    }
}

/// A decimal staff typed: digits, one point and a sign only. A thousands
/// separator is refused rather than guessed ("1,500" and "1,5" mean
/// different things in different countries), whether a stock level or a price.
pub(crate) fn parse_number(raw: &str) -> Option<rust_decimal::Decimal> {
    let raw = raw.trim();
    let plain = !raw.is_empty()
        && raw
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'));
    if !plain {
        return None;
    }
    raw.parse().ok()
}

/// A moment as staff see it: minutes, in UTC (staff work across markets).
pub(crate) fn utc_time(t: time::OffsetDateTime) -> String {
    let f = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    t.to_offset(time::UtcOffset::UTC)
        .format(&f)
        .unwrap_or_default()
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

/// The formats staff download a list in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TableFormat {
    /// UTF-8 with a byte-order mark (spreadsheets then read Chinese right).
    Csv,
    Xlsx,
}

/// A table as a download named `name` (without extension); cells that
/// would start a spreadsheet formula are quoted by the writers.
pub(crate) fn download(
    format: TableFormat,
    name: &str,
    headers: &[String],
    rows: &[Vec<String>],
) -> Response {
    let (content_type, ext, body) = match format {
        TableFormat::Csv => (
            "text/csv; charset=utf-8",
            "csv",
            mercato_docs::write_csv(headers, rows),
        ),
        TableFormat::Xlsx => match mercato_docs::write_xlsx(headers, rows) {
            Ok(bytes) => (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx",
                bytes,
            ),
            Err(e) => {
                tracing::error!(error = %e, "xlsx export failed");
                return Problem::for_status(StatusCode::INTERNAL_SERVER_ERROR).into_response();
            }
        },
    };
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.{ext}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// A signed-in staff member holding `perm`, with the session's CSRF token
/// (empty for bearer callers). Buyers are sent to their account, anyone
/// not signed in to the sign-in page, staff without `perm` refused (403).
pub(crate) async fn staff_with(
    parts: &Parts,
    s: &AppState,
    perm: Permission,
    refusal: &'static str,
) -> Result<(Principal, String), Response> {
    let p = match find_principal(parts, s).await {
        Ok(Some(p)) if p.membership().is_none() => p,
        Ok(Some(_)) => return Err(Redirect::to("/account").into_response()),
        _ => return Err(Redirect::to("/admin/login").into_response()),
    };
    if !p.allows(perm) {
        return Err(Problem::new(StatusCode::FORBIDDEN, "forbidden", refusal).into_response());
    }
    let csrf = match &p.via {
        AuthVia::Session { csrf_token, .. } => csrf_token.clone(),
        AuthVia::Token { .. } => String::new(),
    };
    Ok((p, csrf))
}

/// What a back-office page asks of the staff member opening it.
pub(crate) trait Requirement {
    const PERMISSION: Permission;
    /// The refusal's words when the role lacks it.
    const REFUSAL: &'static str;
}

/// Any staff member with back-office access (reports, the assessment).
pub(crate) struct BackOffice;
impl Requirement for BackOffice {
    const PERMISSION: Permission = Permission::AccessBackOffice;
    const REFUSAL: &'static str = "your account has no access to the back office";
}

/// Staff who run the platform's settings (markets, the self-assessment).
pub(crate) struct Settings;
impl Requirement for Settings {
    const PERMISSION: Permission = Permission::ManageSettings;
    const REFUSAL: &'static str =
        "your role cannot change markets or fill in the maturity assessment";
}

/// Staff who manage company accounts.
pub(crate) struct Companies;
impl Requirement for Companies {
    const PERMISSION: Permission = Permission::ManageCompanies;
    const REFUSAL: &'static str = "your role cannot manage companies";
}

/// Staff who follow up inquiries.
pub(crate) struct Inquiries;
impl Requirement for Inquiries {
    const PERMISSION: Permission = Permission::ManageInquiries;
    const REFUSAL: &'static str = "your role cannot handle inquiries";
}

/// Staff who handle orders.
pub(crate) struct Orders;
impl Requirement for Orders {
    const PERMISSION: Permission = Permission::ManageOrders;
    const REFUSAL: &'static str = "your role cannot handle orders";
}

/// Staff who keep stock.
pub(crate) struct Stock;
impl Requirement for Stock {
    const PERMISSION: Permission = Permission::ManageStock;
    const REFUSAL: &'static str = "your role cannot manage stock";
}

/// Staff who manage staff users and their roles.
pub(crate) struct StaffUsers;
impl Requirement for StaffUsers {
    const PERMISSION: Permission = Permission::ManageStaff;
    const REFUSAL: &'static str = "your role cannot manage staff users";
}

/// Staff who read the audit log.
pub(crate) struct AuditLog;
impl Requirement for AuditLog {
    const PERMISSION: Permission = Permission::ReadAuditLog;
    const REFUSAL: &'static str = "your role cannot read the audit log";
}

/// Staff who manage API tokens for integrations.
pub(crate) struct ApiTokens;
impl Requirement for ApiTokens {
    const PERMISSION: Permission = Permission::ManageApiTokens;
    const REFUSAL: &'static str = "your role cannot manage API tokens";
}

/// Staff who set prices: price lists, promotions, the price explainer.
pub(crate) struct Prices;
impl Requirement for Prices {
    const PERMISSION: Permission = Permission::ManagePrices;
    const REFUSAL: &'static str = "your role cannot manage prices or promotions";
}

/// A signed-in staff member meeting `R`, with the session's CSRF token;
/// rejected as [`staff_with`] rejects.
pub(crate) struct Staff<R>(pub Principal, pub String, pub std::marker::PhantomData<R>);

impl<R: Requirement, S: Send + Sync> FromRequestParts<S> for Staff<R>
where
    crate::AppState: axum::extract::FromRef<S>,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let s = <crate::AppState as axum::extract::FromRef<S>>::from_ref(state);
        let (p, csrf) = staff_with(parts, &s, R::PERMISSION, R::REFUSAL).await?;
        Ok(Staff(p, csrf, std::marker::PhantomData))
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

async fn login_page(State(s): State<AppState>, ui: Ui, parts: Parts, jar: CookieJar) -> Response {
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
    let page = LoginPage {
        ui: ui.clone(),
        csrf_token: token,
        email: String::new(),
        error: None,
    };
    (jar.add(cookie), ui.page(&page, StatusCode::OK)).into_response()
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
    ui: Ui,
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
        let page = LoginPage {
            ui: ui.clone(),
            csrf_token: expected.clone(),
            email: form.email.clone(),
            error: Some(error),
        };
        ui.page(&page, status)
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
        Err(AppError::InvalidCredentials) => {
            again(ui.t("admin-login-wrong"), StatusCode::UNAUTHORIZED)
        }
        Err(AppError::RateLimited { retry_after_secs }) => {
            let minutes = retry_after_secs.div_ceil(60).to_string();
            again(
                ui.t_with("admin-login-locked", &[("minutes", minutes.as_str())]),
                StatusCode::TOO_MANY_REQUESTS,
            )
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

async fn home(State(s): State<AppState>, ui: Ui, parts: Parts) -> Response {
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
    let filter = mercato_app::audit::AuditFilter::default();
    let audit = match mercato_app::audit::list(&s.app, &p, &filter, None, 10).await {
        Ok(entries) => entries
            .into_iter()
            .map(|l| l.entry)
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
        staff: StaffBar::of(&p),
        name: p.user.name.clone(),
        email: p.user.email.to_string(),
        role: p
            .user
            .staff_role
            .map(|r| (r.code(), ui.word("admin-staff-role", r.code()))),
        csrf_token: csrf_token.clone(),
        permissions: p
            .permissions()
            .into_iter()
            .map(|x| ui.word("admin-permission", &permission_code(x)))
            .collect(),
        audit,
        ui: ui.clone(),
    };
    ui.page(&page, StatusCode::OK)
}

/// A permission's snake_case code, as the API spells it.
pub(crate) fn permission_code(p: Permission) -> String {
    match serde_json::to_value(p) {
        Ok(serde_json::Value::String(code)) => code,
        _ => format!("{p:?}"),
    }
}

async fn logout(
    State(s): State<AppState>,
    Client(client): Client,
    jar: CookieJar,
    parts: Parts,
    Form(form): Form<crate::extract::CsrfForm>,
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
