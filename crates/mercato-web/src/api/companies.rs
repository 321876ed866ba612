//! Company accounts: `/company/*` for a buyer's own company, `/admin/companies`
//! and `/admin/customer-groups` for staff, `/register` and the e-mailed
//! links (`/auth/verify-email`, `/auth/invitations/accept`,
//! `/auth/password-reset`), and acting on behalf of a buyer.

use super::auth::UserView;
use super::double_option;
use crate::AppState;
use crate::extract::{ApiJson, Auth, Client};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use mercato_app::auth::Principal;
use mercato_app::companies::{
    self as co, Address, AddressPatch, BusinessUnit, Company, CompanyFilter, CompanyInput,
    CompanyScope, LinkPurpose, MemberInput, MemberPatch, Registration, UnitInput,
};
use mercato_app::{App, AppError};
use mercato_core::{AddressId, BusinessUnitId, CompanyId, UserId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_own_company))
        .routes(routes!(list_own_users, add_own_user))
        .routes(routes!(get_own_user, patch_own_user))
        .routes(routes!(reinvite_own_user))
        .routes(routes!(list_units, create_unit))
        .routes(routes!(get_unit, patch_unit))
        .routes(routes!(list_addresses, create_address))
        .routes(routes!(get_address, patch_address, delete_address))
        .routes(routes!(list_companies, create_company))
        .routes(routes!(get_company, patch_company))
        .routes(routes!(list_company_users, add_company_user))
        .routes(routes!(patch_company_user))
        .routes(routes!(list_reps, assign_rep))
        .routes(routes!(unassign_rep))
        .routes(routes!(list_groups, create_group))
        .routes(routes!(act_as, stop_acting))
        .routes(routes!(register))
        .routes(routes!(verify_email))
        .routes(routes!(accept_invitation))
        .routes(routes!(request_reset))
        .routes(routes!(confirm_reset))
}

/// Ids in paths: anything that is not one of ours is simply not found.
fn path_id<T: From<Uuid>>(raw: &str, what: &'static str) -> Result<T, Problem> {
    raw.parse::<Uuid>()
        .map(T::from)
        .map_err(|_| AppError::NotFound(what).into())
}

// ---------------------------------------------------------------------------
// Views

#[derive(Serialize, ToSchema)]
pub struct CompanyView {
    pub id: Uuid,
    pub name: String,
    pub vat_number: Option<String>,
    pub registration_number: Option<String>,
    /// ISO 3166 alpha-2.
    pub country: String,
    pub market: String,
    pub currency: String,
    pub customer_group: Option<String>,
    pub tier: Option<String>,
    /// `pending`, `active` or `on_hold`.
    pub status: String,
    pub parent_company_id: Option<Uuid>,
    /// Takes the lowest applicable price instead of the most specific list's.
    pub best_of_prices: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl From<&Company> for CompanyView {
    fn from(c: &Company) -> Self {
        Self {
            id: c.id.as_uuid(),
            name: c.name.clone(),
            vat_number: c.vat_number.clone(),
            registration_number: c.registration_number.clone(),
            country: c.country.as_str().to_string(),
            market: c.market_code.clone(),
            currency: c.currency.clone(),
            customer_group: c.customer_group.clone(),
            tier: c.tier.clone(),
            status: c.status.code().to_string(),
            parent_company_id: c.parent_company_id.map(|p| p.as_uuid()),
            best_of_prices: c.best_of_prices,
            created_at: c.created_at.as_offset(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UnitView {
    pub id: Uuid,
    pub name: String,
    pub parent_unit_id: Option<Uuid>,
}

impl From<&BusinessUnit> for UnitView {
    fn from(u: &BusinessUnit) -> Self {
        Self {
            id: u.id.as_uuid(),
            name: u.name.clone(),
            parent_unit_id: u.parent_unit_id.map(|p| p.as_uuid()),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AddressView {
    pub id: Uuid,
    pub label: Option<String>,
    pub recipient: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: String,
    pub country: String,
    pub phone: Option<String>,
    pub is_default_billing: bool,
    pub is_default_shipping: bool,
}

impl From<&Address> for AddressView {
    fn from(a: &Address) -> Self {
        let p = &a.address;
        Self {
            id: a.id.as_uuid(),
            label: p.label.clone(),
            recipient: p.recipient.clone(),
            line1: p.line1.clone(),
            line2: p.line2.clone(),
            city: p.city.clone(),
            region: p.region.clone(),
            postal_code: p.postal_code.clone(),
            country: p.country.as_str().to_string(),
            phone: p.phone.clone(),
            is_default_billing: a.is_default_billing,
            is_default_shipping: a.is_default_shipping,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Items<T> {
    pub items: Vec<T>,
}

// ---------------------------------------------------------------------------
// The caller's own company

/// The caller's company.
#[utoipa::path(get, path = "/company", tag = "companies", security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CompanyView), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn get_own_company(State(s): State<AppState>, Auth(p): Auth) -> ApiResult<Json<CompanyView>> {
    let scope = co::own_scope(&p)?;
    let c = co::get_company(&s.app, &p, scope.company_id()).await?;
    Ok(Json(CompanyView::from(&c)))
}

#[derive(Deserialize, ToSchema)]
pub struct NewMemberBody {
    pub email: String,
    #[serde(default)]
    pub name: String,
    /// One role: `admin`, `buyer`, `approver` or `viewer`.
    pub role: Option<String>,
    /// Several roles (they add up).
    pub roles: Option<Vec<String>>,
    pub business_unit_id: Option<Uuid>,
    /// Staff only; without it an invitation is e-mailed.
    pub password: Option<String>,
}

impl NewMemberBody {
    fn into_input(self) -> MemberInput {
        MemberInput {
            email: self.email,
            name: self.name,
            roles: roles_of(self.role, self.roles).unwrap_or_default(),
            business_unit_id: self.business_unit_id.map(BusinessUnitId),
            password: self.password,
        }
    }
}

fn roles_of(role: Option<String>, roles: Option<Vec<String>>) -> Option<Vec<String>> {
    match (role, roles) {
        (None, None) => None,
        (role, roles) => Some(role.into_iter().chain(roles.unwrap_or_default()).collect()),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct MemberPatchBody {
    pub name: Option<String>,
    pub role: Option<String>,
    pub roles: Option<Vec<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub business_unit_id: Option<Option<Uuid>>,
    /// `false` disables the user (they can no longer sign in).
    pub active: Option<bool>,
}

impl MemberPatchBody {
    fn into_patch(self) -> MemberPatch {
        MemberPatch {
            name: self.name,
            roles: roles_of(self.role, self.roles),
            business_unit_id: self.business_unit_id.map(|u| u.map(BusinessUnitId)),
            active: self.active,
        }
    }
}

async fn member_views(
    app: &App,
    p: &Principal,
    scope: &CompanyScope,
) -> ApiResult<Json<Items<UserView>>> {
    let users = co::list_members(app, p, scope).await?;
    Ok(Json(Items {
        items: users.iter().map(UserView::from).collect(),
    }))
}

/// The users of the caller's company.
#[utoipa::path(get, path = "/company/users", tag = "companies", security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Items<UserView>), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn list_own_users(
    State(s): State<AppState>,
    Auth(p): Auth,
) -> ApiResult<Json<Items<UserView>>> {
    member_views(&s.app, &p, &co::own_scope(&p)?).await
}

/// Invites a user to the caller's company (company admins): they get an
/// e-mail with a link to set their password.
#[utoipa::path(post, path = "/company/users", tag = "companies", request_body = NewMemberBody,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = UserView), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "`email_taken`"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn add_own_user(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    ApiJson(b): ApiJson<NewMemberBody>,
) -> ApiResult<impl IntoResponse> {
    let scope = co::own_scope(&p)?;
    let u = co::add_member(&s.app, Some(&p), &scope, b.into_input(), &client).await?;
    Ok((StatusCode::CREATED, Json(UserView::from(&u))))
}

/// A user of the caller's company.
#[utoipa::path(get, path = "/company/users/{id}", tag = "companies", params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = UserView), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_own_user(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<UserView>> {
    let scope = co::own_scope(&p)?;
    let u = co::get_member(&s.app, &p, &scope, path_id(&id, "user")?).await?;
    Ok(Json(UserView::from(&u)))
}

/// Changes a user of the caller's company: roles, unit, name, active
/// (company admins). The company always keeps one active admin.
#[utoipa::path(patch, path = "/company/users/{id}", tag = "companies", request_body = MemberPatchBody, params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = UserView), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "`last_admin`")))]
async fn patch_own_user(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<MemberPatchBody>,
) -> ApiResult<Json<UserView>> {
    let scope = co::own_scope(&p)?;
    let id: UserId = path_id(&id, "user")?;
    let u = co::update_member(&s.app, &p, &scope, id, b.into_patch(), &client).await?;
    Ok(Json(UserView::from(&u)))
}

/// Sends a fresh invitation to a user who has not set a password yet.
#[utoipa::path(post, path = "/company/users/{id}/reinvite", tag = "companies", params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 202, description = "Invitation queued"), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "`already_accepted`")))]
async fn reinvite_own_user(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let scope = co::own_scope(&p)?;
    co::reinvite(&s.app, &p, &scope, path_id(&id, "user")?).await?;
    Ok(StatusCode::ACCEPTED)
}

#[derive(Deserialize, ToSchema)]
pub struct UnitBody {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub parent_unit_id: Option<Option<Uuid>>,
}

impl UnitBody {
    fn into_input(self) -> UnitInput {
        UnitInput {
            name: self.name,
            parent_unit_id: self.parent_unit_id.map(|u| u.map(BusinessUnitId)),
        }
    }
}

/// The business units (departments, sites) of the caller's company.
#[utoipa::path(get, path = "/company/units", tag = "companies", security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Items<UnitView>)))]
async fn list_units(State(s): State<AppState>, Auth(p): Auth) -> ApiResult<Json<Items<UnitView>>> {
    let scope = co::own_scope(&p)?;
    let units = co::list_units(&s.app, &p, &scope).await?;
    Ok(Json(Items {
        items: units.iter().map(UnitView::from).collect(),
    }))
}

/// Creates a business unit (company admins).
#[utoipa::path(post, path = "/company/units", tag = "companies", request_body = UnitBody,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = UnitView), (status = 409, body = Problem, content_type = "application/problem+json", description = "`name_taken`"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn create_unit(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    ApiJson(b): ApiJson<UnitBody>,
) -> ApiResult<impl IntoResponse> {
    let scope = co::own_scope(&p)?;
    let u = co::save_unit(&s.app, &p, &scope, None, b.into_input(), &client).await?;
    Ok((StatusCode::CREATED, Json(UnitView::from(&u))))
}

/// A business unit of the caller's company.
#[utoipa::path(get, path = "/company/units/{id}", tag = "companies", params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = UnitView), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_unit(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<UnitView>> {
    let scope = co::own_scope(&p)?;
    let u = co::get_unit(&s.app, &p, &scope, path_id(&id, "business unit")?).await?;
    Ok(Json(UnitView::from(&u)))
}

/// Renames or moves a business unit (company admins).
#[utoipa::path(patch, path = "/company/units/{id}", tag = "companies", request_body = UnitBody, params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = UnitView), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn patch_unit(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<UnitBody>,
) -> ApiResult<Json<UnitView>> {
    let scope = co::own_scope(&p)?;
    let id: BusinessUnitId = path_id(&id, "business unit")?;
    let u = co::save_unit(&s.app, &p, &scope, Some(id), b.into_input(), &client).await?;
    Ok(Json(UnitView::from(&u)))
}

#[derive(Deserialize, ToSchema, Default)]
pub struct AddressBody {
    pub label: Option<String>,
    pub recipient: Option<String>,
    pub line1: Option<String>,
    pub line2: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    /// ISO 3166 alpha-2.
    pub country: Option<String>,
    pub phone: Option<String>,
    pub is_default_billing: Option<bool>,
    pub is_default_shipping: Option<bool>,
}

impl AddressBody {
    fn into_patch(self) -> AddressPatch {
        AddressPatch {
            label: self.label,
            recipient: self.recipient,
            line1: self.line1,
            line2: self.line2,
            city: self.city,
            region: self.region,
            postal_code: self.postal_code,
            country: self.country,
            phone: self.phone,
            is_default_billing: self.is_default_billing,
            is_default_shipping: self.is_default_shipping,
        }
    }
}

/// The caller's company's address book.
#[utoipa::path(get, path = "/company/addresses", tag = "companies", security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Items<AddressView>)))]
async fn list_addresses(
    State(s): State<AppState>,
    Auth(p): Auth,
) -> ApiResult<Json<Items<AddressView>>> {
    let scope = co::own_scope(&p)?;
    let list = co::list_addresses(&s.app, &p, &scope).await?;
    Ok(Json(Items {
        items: list.iter().map(AddressView::from).collect(),
    }))
}

/// Adds an address (company admins). The first one becomes the default
/// billing and shipping address.
#[utoipa::path(post, path = "/company/addresses", tag = "companies", request_body = AddressBody,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = AddressView), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn create_address(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    ApiJson(b): ApiJson<AddressBody>,
) -> ApiResult<impl IntoResponse> {
    let scope = co::own_scope(&p)?;
    let a = co::save_address(&s.app, Some(&p), &scope, None, b.into_patch(), &client).await?;
    Ok((StatusCode::CREATED, Json(AddressView::from(&a))))
}

/// An address of the caller's company.
#[utoipa::path(get, path = "/company/addresses/{id}", tag = "companies", params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = AddressView), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_address(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<AddressView>> {
    let scope = co::own_scope(&p)?;
    let a = co::get_address(&s.app, &p, &scope, path_id(&id, "address")?).await?;
    Ok(Json(AddressView::from(&a)))
}

/// Changes an address; absent fields keep their value (company admins).
#[utoipa::path(patch, path = "/company/addresses/{id}", tag = "companies", request_body = AddressBody, params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = AddressView), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn patch_address(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<AddressBody>,
) -> ApiResult<Json<AddressView>> {
    let scope = co::own_scope(&p)?;
    let id: AddressId = path_id(&id, "address")?;
    let a = co::save_address(&s.app, Some(&p), &scope, Some(id), b.into_patch(), &client).await?;
    Ok(Json(AddressView::from(&a)))
}

/// Deletes an address (company admins).
#[utoipa::path(delete, path = "/company/addresses/{id}", tag = "companies", params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn delete_address(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let scope = co::own_scope(&p)?;
    co::delete_address(&s.app, &p, &scope, path_id(&id, "address")?, &client).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------------------
// Staff: companies and customer groups

#[derive(Deserialize, ToSchema, Default)]
pub struct CompanyBody {
    pub name: Option<String>,
    pub vat_number: Option<String>,
    pub registration_number: Option<String>,
    /// ISO 3166 alpha-2 of the seat (default: the market's first country).
    pub country: Option<String>,
    /// Market code (default: the default market).
    pub market: Option<String>,
    /// ISO 4217 (default: the market's currency).
    pub currency: Option<String>,
    /// A customer-group code; `""` clears it.
    pub customer_group: Option<String>,
    pub tier: Option<String>,
    /// `pending`, `active` (approve) or `on_hold` (suspend).
    pub status: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub parent_company_id: Option<Option<Uuid>>,
    /// Take the lowest applicable price instead of the most specific list's.
    pub best_of_prices: Option<bool>,
}

impl CompanyBody {
    fn into_input(self) -> CompanyInput {
        CompanyInput {
            name: self.name,
            vat_number: self.vat_number,
            registration_number: self.registration_number,
            country: self.country,
            market: self.market,
            currency: self.currency,
            customer_group: self.customer_group,
            tier: self.tier,
            status: self.status,
            parent_company_id: self.parent_company_id.map(|p| p.map(CompanyId)),
            best_of_prices: self.best_of_prices,
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct CompanyQuery {
    /// `pending`, `active` or `on_hold`.
    pub status: Option<String>,
    /// Part of the name or VAT number.
    pub q: Option<String>,
    /// 1–200, default 50.
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CompanyPage {
    pub items: Vec<CompanyView>,
    pub next_cursor: Option<String>,
}

/// Companies (staff): every company for admins, the assigned ones for
/// sales reps.
#[utoipa::path(get, path = "/admin/companies", tag = "companies", params(CompanyQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CompanyPage), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn list_companies(
    State(s): State<AppState>,
    Auth(p): Auth,
    Query(q): Query<CompanyQuery>,
) -> ApiResult<Json<CompanyPage>> {
    let limit = q.limit.unwrap_or(50);
    let status = match q.status.as_deref() {
        Some(code) => Some(mercato_core::CompanyStatus::parse(code).ok_or_else(|| {
            Problem::from(AppError::invalid(
                "status",
                "invalid_status",
                "status must be pending, active or on_hold",
            ))
        })?),
        None => None,
    };
    let after = q.cursor.as_deref().map(parse_cursor).transpose()?;
    let filter = CompanyFilter {
        status,
        text: q.q.filter(|t| !t.trim().is_empty()),
        assigned_to: None,
        after,
        limit,
    };
    let list = co::list_companies(&s.app, &p, filter).await?;
    let next_cursor = (list.len() as i64 == limit)
        .then(|| list.last())
        .flatten()
        .map(|c| super::encode_cursor(&c.id.to_string(), &c.name));
    Ok(Json(CompanyPage {
        items: list.iter().map(CompanyView::from).collect(),
        next_cursor,
    }))
}

fn parse_cursor(c: &str) -> Result<(String, CompanyId), Problem> {
    let (id, name) = super::decode_cursor(c)?;
    let id = id.parse::<Uuid>().map_err(|_| super::invalid_cursor())?;
    Ok((name, CompanyId(id)))
}

/// Creates a company (staff); active at once.
#[utoipa::path(post, path = "/admin/companies", tag = "companies", request_body = CompanyBody,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = CompanyView), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn create_company(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    ApiJson(b): ApiJson<CompanyBody>,
) -> ApiResult<impl IntoResponse> {
    let c = co::create_company(&s.app, Some(&p), b.into_input(), &client).await?;
    Ok((StatusCode::CREATED, Json(CompanyView::from(&c))))
}

/// A company (staff who may access it).
#[utoipa::path(get, path = "/admin/companies/{id}", tag = "companies", params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CompanyView), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_company(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<CompanyView>> {
    if p.membership().is_some() {
        return Err(AppError::NotFound("company").into());
    }
    let c = co::get_company(&s.app, &p, path_id(&id, "company")?).await?;
    Ok(Json(CompanyView::from(&c)))
}

/// Changes a company (staff): master data, group, tier, parent, and status
/// (`active` approves a pending company and e-mails its admins; `on_hold`
/// suspends it).
#[utoipa::path(patch, path = "/admin/companies/{id}", tag = "companies", request_body = CompanyBody, params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CompanyView), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn patch_company(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<CompanyBody>,
) -> ApiResult<Json<CompanyView>> {
    let c = co::update_company(
        &s.app,
        &p,
        path_id(&id, "company")?,
        b.into_input(),
        &client,
    )
    .await?;
    Ok(Json(CompanyView::from(&c)))
}

async fn staff_scope(app: &App, p: &Principal, id: &str) -> Result<CompanyScope, Problem> {
    if p.membership().is_some() {
        return Err(AppError::NotFound("company").into());
    }
    Ok(co::scope(app, p, path_id(id, "company")?).await?)
}

/// The users of a company (staff).
#[utoipa::path(get, path = "/admin/companies/{id}/users", tag = "companies", params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Items<UserView>), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn list_company_users(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Items<UserView>>> {
    let scope = staff_scope(&s.app, &p, &id).await?;
    member_views(&s.app, &p, &scope).await
}

/// Adds a user to a company (staff). With `password` they can sign in at
/// once; without, an invitation is e-mailed.
#[utoipa::path(post, path = "/admin/companies/{id}/users", tag = "companies", request_body = NewMemberBody, params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = UserView), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "`email_taken`"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn add_company_user(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<NewMemberBody>,
) -> ApiResult<impl IntoResponse> {
    let scope = staff_scope(&s.app, &p, &id).await?;
    let u = co::add_member(&s.app, Some(&p), &scope, b.into_input(), &client).await?;
    Ok((StatusCode::CREATED, Json(UserView::from(&u))))
}

/// Changes a user of a company (staff).
#[utoipa::path(patch, path = "/admin/companies/{id}/users/{user_id}", tag = "companies", request_body = MemberPatchBody,
    params(("id" = String, Path), ("user_id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = UserView), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn patch_company_user(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    Path((id, user_id)): Path<(String, String)>,
    ApiJson(b): ApiJson<MemberPatchBody>,
) -> ApiResult<Json<UserView>> {
    let scope = staff_scope(&s.app, &p, &id).await?;
    let user_id: UserId = path_id(&user_id, "user")?;
    let u = co::update_member(&s.app, &p, &scope, user_id, b.into_patch(), &client).await?;
    Ok(Json(UserView::from(&u)))
}

#[derive(Deserialize, ToSchema)]
pub struct RepBody {
    pub user_id: Uuid,
}

/// The sales reps assigned to a company.
#[utoipa::path(get, path = "/admin/companies/{id}/sales-reps", tag = "companies", params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Items<Uuid>)))]
async fn list_reps(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Items<Uuid>>> {
    let ids = co::reps_of(&s.app, &p, path_id(&id, "company")?).await?;
    Ok(Json(Items {
        items: ids.iter().map(|u| u.as_uuid()).collect(),
    }))
}

/// Assigns a sales rep to a company (needs `manage_staff`).
#[utoipa::path(post, path = "/admin/companies/{id}/sales-reps", tag = "companies", request_body = RepBody, params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 204), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn assign_rep(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<RepBody>,
) -> ApiResult<StatusCode> {
    let company = path_id(&id, "company")?;
    co::set_rep(&s.app, &p, company, UserId(b.user_id), true, &client).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends a sales rep's assignment.
#[utoipa::path(delete, path = "/admin/companies/{id}/sales-reps/{user_id}", tag = "companies",
    params(("id" = String, Path), ("user_id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 204)))]
async fn unassign_rep(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    Path((id, user_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let company = path_id(&id, "company")?;
    let rep: UserId = path_id(&user_id, "user")?;
    co::set_rep(&s.app, &p, company, rep, false, &client).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct GroupBody {
    pub code: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct GroupView {
    pub id: Uuid,
    pub code: String,
    pub name: String,
}

/// Customer groups (staff).
#[utoipa::path(get, path = "/admin/customer-groups", tag = "companies",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Items<GroupView>)))]
async fn list_groups(
    State(s): State<AppState>,
    Auth(p): Auth,
) -> ApiResult<Json<Items<GroupView>>> {
    let groups = co::list_groups(&s.app, &p).await?;
    Ok(Json(Items {
        items: groups
            .into_iter()
            .map(|g| GroupView {
                id: g.customer_group_id.as_uuid(),
                code: g.code,
                name: g.name,
            })
            .collect(),
    }))
}

/// Creates a customer group (staff).
#[utoipa::path(post, path = "/admin/customer-groups", tag = "companies", request_body = GroupBody,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = GroupView), (status = 409, body = Problem, content_type = "application/problem+json", description = "`code_taken`")))]
async fn create_group(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    ApiJson(b): ApiJson<GroupBody>,
) -> ApiResult<impl IntoResponse> {
    let g = co::create_group(&s.app, Some(&p), &b.code, &b.name, &client).await?;
    Ok((
        StatusCode::CREATED,
        Json(GroupView {
            id: g.customer_group_id.as_uuid(),
            code: g.code,
            name: g.name,
        }),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct ActAsBody {
    /// The buyer to act for.
    pub user_id: Uuid,
}

/// Starts acting for a buyer in this browser session (admins, and sales
/// reps for their companies). Every action is audited with both identities.
#[utoipa::path(post, path = "/admin/act-as", tag = "companies", request_body = ActAsBody,
    security(("session" = [])),
    responses((status = 200, body = UserView), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn act_as(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    ApiJson(b): ApiJson<ActAsBody>,
) -> ApiResult<Json<UserView>> {
    let buyer = co::act_as(&s.app, &p, UserId(b.user_id), &client).await?;
    Ok(Json(UserView::from(&buyer)))
}

/// Stops acting for a buyer.
#[utoipa::path(delete, path = "/admin/act-as", tag = "companies", security(("session" = [])),
    responses((status = 204)))]
async fn stop_acting(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
) -> ApiResult<StatusCode> {
    co::stop_acting(&s.app, &p, &client).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------------------
// Public: registration and e-mailed links

#[derive(Deserialize, ToSchema)]
pub struct RegisterBody {
    /// The legal name of the company.
    pub company_name: String,
    pub vat_number: Option<String>,
    pub registration_number: Option<String>,
    /// ISO 3166 alpha-2.
    pub country: Option<String>,
    pub market: Option<String>,
    /// The first admin.
    pub email: String,
    pub name: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct RegisteredView {
    pub company: CompanyView,
    pub user: UserView,
}

/// A company applies for an account. It stays `pending` until staff
/// approve it; its admin is e-mailed a verification link.
#[utoipa::path(post, path = "/register", tag = "companies", request_body = RegisterBody,
    responses((status = 201, body = RegisteredView), (status = 409, body = Problem, content_type = "application/problem+json", description = "`email_taken`"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn register(
    State(s): State<AppState>,
    Client(client): Client,
    ApiJson(b): ApiJson<RegisterBody>,
) -> ApiResult<impl IntoResponse> {
    let input = Registration {
        company: CompanyInput {
            name: Some(b.company_name),
            vat_number: b.vat_number,
            registration_number: b.registration_number,
            country: b.country,
            market: b.market,
            ..Default::default()
        },
        email: b.email,
        name: b.name,
        password: b.password,
    };
    let (company, user) = co::register(&s.app, input, &client).await?;
    Ok((
        StatusCode::CREATED,
        Json(RegisteredView {
            company: CompanyView::from(&company),
            user: UserView::from(&user),
        }),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct TokenBody {
    /// The `token` from the link in the e-mail.
    pub token: String,
}

/// Confirms an e-mail address.
#[utoipa::path(post, path = "/auth/verify-email", tag = "auth", request_body = TokenBody,
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "`link_used` or `link_expired`")))]
async fn verify_email(
    State(s): State<AppState>,
    Client(client): Client,
    ApiJson(b): ApiJson<TokenBody>,
) -> ApiResult<StatusCode> {
    co::verify_email(&s.app, &b.token, &client).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordLinkBody {
    pub token: String,
    pub password: String,
}

/// Accepts an invitation by choosing a password; sign in afterwards.
#[utoipa::path(post, path = "/auth/invitations/accept", tag = "auth", request_body = PasswordLinkBody,
    responses((status = 200, body = UserView), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "`link_used` or `link_expired`"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "`weak_password`")))]
async fn accept_invitation(
    State(s): State<AppState>,
    Client(client): Client,
    ApiJson(b): ApiJson<PasswordLinkBody>,
) -> ApiResult<Json<UserView>> {
    let u = co::set_password_from_link(
        &s.app,
        LinkPurpose::Invitation,
        &b.token,
        &b.password,
        &client,
    )
    .await?;
    Ok(Json(UserView::from(&u)))
}

#[derive(Deserialize, ToSchema)]
pub struct ResetRequestBody {
    pub email: String,
}

/// Asks for a password-reset e-mail. Always 202, so the answer does not
/// reveal who has an account.
#[utoipa::path(post, path = "/auth/password-reset", tag = "auth", request_body = ResetRequestBody,
    responses((status = 202)))]
async fn request_reset(
    State(s): State<AppState>,
    ApiJson(b): ApiJson<ResetRequestBody>,
) -> ApiResult<StatusCode> {
    co::request_password_reset(&s.app, &b.email).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Sets a new password from a reset link; ends every session of the user.
#[utoipa::path(post, path = "/auth/password-reset/confirm", tag = "auth", request_body = PasswordLinkBody,
    responses((status = 200, body = UserView), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "`link_used` or `link_expired`"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "`weak_password`")))]
async fn confirm_reset(
    State(s): State<AppState>,
    Client(client): Client,
    ApiJson(b): ApiJson<PasswordLinkBody>,
) -> ApiResult<Json<UserView>> {
    let u = co::set_password_from_link(
        &s.app,
        LinkPurpose::PasswordReset,
        &b.token,
        &b.password,
        &client,
    )
    .await?;
    Ok(Json(UserView::from(&u)))
}
