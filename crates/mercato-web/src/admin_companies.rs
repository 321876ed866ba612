//! Back-office company pages: the list (filter, approve, create), one
//! company (status, users, invitations) and the "act for this buyer"
//! button that opens the storefront as that buyer.

use crate::AppState;
use crate::admin::{Companies, Staff, TableFormat, Ui, check_csrf, download};
use crate::admin_catalog::messages;
use crate::extract::Client;
use crate::problem::Problem;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use mercato_app::AppError;
use mercato_app::auth::Principal;
use mercato_app::companies::{self as co, Company, CompanyFilter, CompanyInput, MemberInput};
use mercato_core::{CompanyId, CompanyRole, CompanyStatus, UserId};
use serde::Deserialize;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/companies", get(list_page).post(create))
        .route("/admin/companies.csv", get(export_csv))
        .route("/admin/companies.xlsx", get(export_xlsx))
        .route("/admin/companies/{id}", get(company_page))
        .route("/admin/companies/{id}/status", post(set_status))
        .route("/admin/companies/{id}/users", post(invite))
        .route("/admin/companies/{id}/act-as", post(act_as))
}

#[derive(Template)]
#[template(path = "companies.html")]
struct ListPage {
    ui: Ui,
    staff: crate::admin::StaffBar,
    csrf_token: String,
    message: Option<String>,
    q: String,
    /// (code, word, selected) for the status filter.
    statuses: Vec<(&'static str, String, bool)>,
    companies: Vec<Company>,
    views: crate::admin_views::SavedViews,
    /// The filtered list as CSV and XLSX.
    exports: (String, String),
}

/// (code, word, selected) for each company status.
fn status_options(ui: &Ui, selected: &str) -> Vec<(&'static str, String, bool)> {
    CompanyStatus::ALL
        .into_iter()
        .map(|st| {
            let code = st.code();
            (code, ui.word("admin-company-state", code), code == selected)
        })
        .collect()
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
    ui: &Ui,
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
    let query = format!(
        "q={}&status={}",
        crate::shop::encode(&q.q),
        crate::shop::encode(&q.status)
    );
    let views = crate::admin_views::bar(s, p, "/admin/companies", Some(&query)).await;
    let exports = (
        format!("/admin/companies.csv?{query}"),
        format!("/admin/companies.xlsx?{query}"),
    );
    match co::list_companies(&s.app, p, filter).await {
        Ok(companies) => {
            let t = ListPage {
                views,
                exports,
                ui: ui.clone(),
                staff: crate::admin::StaffBar::of(p),
                csrf_token: csrf,
                message,
                statuses: status_options(ui, &q.status),
                q: q.q,
                companies,
            };
            ui.page(&t, StatusCode::OK)
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

/// Every company matching the list's filters (a sales rep: theirs), by
/// name, as a table for CSV or XLSX.
async fn export_rows(
    s: &AppState,
    p: &Principal,
    q: &ListQuery,
) -> Result<(Vec<String>, Vec<Vec<String>>), Response> {
    let headers: Vec<String> = [
        "name",
        "company_id",
        "status",
        "country",
        "market",
        "currency",
        "vat_number",
        "registration_number",
        "customer_group",
        "tier",
        "best_of_prices",
        "created_at",
    ]
    .map(String::from)
    .to_vec();
    let mut rows = Vec::new();
    let mut after = None;
    loop {
        let filter = CompanyFilter {
            status: CompanyStatus::parse(&q.status),
            text: Some(q.q.clone()).filter(|t| !t.trim().is_empty()),
            after,
            limit: 200,
            ..Default::default()
        };
        let page = co::list_companies(&s.app, p, filter)
            .await
            .map_err(|e| Problem::from(e).into_response())?;
        for c in &page {
            rows.push(vec![
                c.name.clone(),
                c.id.to_string(),
                c.status.code().to_string(),
                c.country.to_string(),
                c.market_code.clone(),
                c.currency.clone(),
                c.vat_number.clone().unwrap_or_default(),
                c.registration_number.clone().unwrap_or_default(),
                c.customer_group.clone().unwrap_or_default(),
                c.tier.clone().unwrap_or_default(),
                c.best_of_prices.to_string(),
                c.created_at
                    .as_offset()
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default(),
            ]);
        }
        match page.last() {
            Some(c) if page.len() == 200 => after = Some((c.name.clone(), c.id)),
            _ => break,
        }
    }
    Ok((headers, rows))
}

async fn export_csv(
    State(s): State<AppState>,
    Staff(p, _, _): Staff<Companies>,
    Query(q): Query<ListQuery>,
) -> Response {
    match export_rows(&s, &p, &q).await {
        Ok((h, rows)) => download(TableFormat::Csv, "mercato-companies", &h, &rows),
        Err(r) => r,
    }
}

async fn export_xlsx(
    State(s): State<AppState>,
    Staff(p, _, _): Staff<Companies>,
    Query(q): Query<ListQuery>,
) -> Response {
    match export_rows(&s, &p, &q).await {
        Ok((h, rows)) => download(TableFormat::Xlsx, "mercato-companies", &h, &rows),
        Err(r) => r,
    }
}

async fn list_page(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Companies>,
    ui: Ui,
    Query(q): Query<ListQuery>,
) -> Response {
    list(&s, &ui, &p, csrf, q, None).await
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
    Staff(p, csrf, _): Staff<Companies>,
    Client(client): Client,
    ui: Ui,
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
            let reason = messages(&ui, &fields);
            let msg = ui.t_with(
                "admin-companies-not-created",
                &[("reason", reason.as_str())],
            );
            let mut res = list(&s, &ui, &p, csrf, ListQuery::default(), Some(msg)).await;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            res
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "company.html")]
struct CompanyPage {
    ui: Ui,
    staff: crate::admin::StaffBar,
    csrf_token: String,
    message: Option<String>,
    company: Company,
    /// (code, word, selected) for the status form.
    statuses: Vec<(&'static str, String, bool)>,
    /// (code, word) for the invitation form.
    roles: Vec<(&'static str, String)>,
    /// (id, name, e-mail, roles, note)
    users: Vec<(String, String, String, String, String)>,
    can_act: bool,
    /// The role may open the price explainer for this company.
    can_explain: bool,
}

fn company_id(raw: &str) -> Result<CompanyId, Response> {
    raw.parse::<uuid::Uuid>()
        .map(CompanyId)
        .map_err(|_| Problem::from(AppError::NotFound("company")).into_response())
}

async fn show(
    s: &AppState,
    ui: &Ui,
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
        Ok((company, users)) => {
            let t = CompanyPage {
                ui: ui.clone(),
                staff: crate::admin::StaffBar::of(p),
                can_act: !csrf.is_empty(),
                can_explain: p.allows(mercato_core::Permission::ManagePrices),
                csrf_token: csrf,
                message,
                statuses: status_options(ui, company.status.code()),
                roles: CompanyRole::ALL
                    .iter()
                    .map(|r| (r.code(), ui.word("admin-member-role", r.code())))
                    .collect(),
                company,
                users: users
                    .iter()
                    .map(|u| {
                        let roles = u
                            .membership
                            .as_ref()
                            .map(|m| {
                                m.roles
                                    .roles()
                                    .iter()
                                    .map(|r| ui.word("admin-member-role", r.code()))
                                    .collect::<Vec<_>>()
                                    .join(ui.t("admin-list-separator").as_str())
                            })
                            .unwrap_or_default();
                        let note = if !u.active {
                            ui.t("admin-company-user-disabled")
                        } else if !u.has_password() {
                            ui.t("admin-company-user-pending")
                        } else {
                            String::new()
                        };
                        (
                            u.id.to_string(),
                            u.name.clone(),
                            u.email.to_string(),
                            roles,
                            note,
                        )
                    })
                    .collect(),
            };
            ui.page(&t, StatusCode::OK)
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

async fn company_page(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Companies>,
    ui: Ui,
    Path(id): Path<String>,
) -> Response {
    match company_id(&id) {
        Ok(id) => show(&s, &ui, &p, csrf, id, None).await,
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
    Staff(p, csrf, _): Staff<Companies>,
    Client(client): Client,
    ui: Ui,
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
    let ui = ui.at(format!("/admin/companies/{id}"));
    let input = CompanyInput {
        status: Some(f.status),
        ..Default::default()
    };
    match co::update_company(&s.app, &p, id, input, &client).await {
        Ok(c) => {
            let status = ui.word("admin-company-state", c.status.code());
            let msg = ui.t_with(
                "admin-company-now",
                &[("company", c.name.as_str()), ("status", status.as_str())],
            );
            show(&s, &ui, &p, csrf, id, Some(msg)).await
        }
        Err(AppError::Invalid(fields)) => {
            let msg = messages(&ui, &fields);
            show(&s, &ui, &p, csrf, id, Some(msg)).await
        }
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
    Staff(p, csrf, _): Staff<Companies>,
    Client(client): Client,
    ui: Ui,
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
    let ui = ui.at(format!("/admin/companies/{id}"));
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
    let not_invited =
        |reason: String| ui.t_with("admin-company-not-invited", &[("reason", reason.as_str())]);
    let msg = match result {
        Ok(u) => ui.t_with("admin-company-invited", &[("email", u.email.as_str())]),
        Err(AppError::Invalid(fields)) => not_invited(messages(&ui, &fields)),
        Err(e @ AppError::Conflict { code, .. }) => {
            not_invited(ui.tr.t_or(&format!("error-{code}"), &e.to_string()))
        }
        Err(e) => return Problem::from(e).into_response(),
    };
    show(&s, &ui, &p, csrf, id, Some(msg)).await
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
    Staff(p, csrf, _): Staff<Companies>,
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
