//! Company accounts: companies and customer groups (staff), a company's
//! users, business units and address book (company admins, and staff for
//! the companies they may access), self-registration with e-mail
//! verification and approval, invitations, password resets, sales-rep
//! assignments and acting on behalf of a buyer.
//!
//! Access is decided in two places only: [`Principal::require`] (may this
//! role do this at all) and [`scope`] / [`own_scope`] (which company): the
//! store accepts a [`CompanyScope`] and nothing else for company-owned data.

use crate::auth::{ClientInfo, Principal, audit_by, audit_entry, insert_user};
use crate::mail::{self, MailKind};
use crate::{App, AppError, FieldError, password, secret};
use mercato_core::company::{AddressInput, parse_code};
use mercato_core::{
    AddressId, BusinessUnitId, CompanyId, CompanyRole, CompanyRoles, CompanyStatus, CountryCode,
    CustomerGroupId, Email, PasswordPolicy, Permission, PostalAddress, StaffRole, UserId,
    VatNumber,
};
use mercato_store::companies::{self, CompanyFields};
use mercato_store::outbox::{self, NewEvent};
use mercato_store::users::{self, MemberChange, NewUser, User, UserKind};
use mercato_store::{Timestamp, Tx, audit, catalog, sessions};
use serde_json::json;

pub use mercato_store::companies::{
    Address, BusinessUnit, Company, CompanyFilter, CompanyScope, CustomerGroup, LinkPurpose,
};

// ---------------------------------------------------------------------------
// Access

/// Whether a staff user may see and act for `company`: admins for every
/// company, sales reps for the companies assigned to them, other staff
/// roles not at all.
pub async fn staff_may_access(
    app: &App,
    staff: &User,
    company: CompanyId,
) -> Result<bool, AppError> {
    Ok(match staff.staff_role {
        Some(StaffRole::Admin) => companies::exists(app.db(), company).await?,
        Some(StaffRole::SalesRep) if staff.active => {
            companies::is_assigned(app.db(), staff.id, company).await?
        }
        _ => false,
    })
}

/// The scope for `company` after checking the caller may reach it: its own
/// users (acting staff included) and staff who may access it. Anyone else
/// gets 404, so ids of other companies reveal nothing.
pub async fn scope(app: &App, p: &Principal, company: CompanyId) -> Result<CompanyScope, AppError> {
    let allowed = match (&p.user.membership, p.user.staff_role) {
        (Some(m), _) => m.company_id == company,
        (None, Some(_)) => {
            p.require(Permission::ManageCompanies, "manage companies")?;
            staff_may_access(app, &p.user, company).await?
        }
        (None, None) => false,
    };
    if allowed {
        Ok(CompanyScope::after_access_check(company))
    } else {
        Err(AppError::NotFound("company"))
    }
}

/// The caller's own company, for the `/company/...` endpoints.
pub fn own_scope(p: &Principal) -> Result<CompanyScope, AppError> {
    p.membership()
        .map(|m| CompanyScope::after_access_check(m.company_id))
        .ok_or(AppError::Forbidden(
            "use company endpoints without belonging to a company",
        ))
}

// ---------------------------------------------------------------------------
// Companies (staff)

/// A company to create or the fields of a change; `None` keeps (or, on
/// create, defaults) a field.
#[derive(Clone, Debug, Default)]
pub struct CompanyInput {
    pub name: Option<String>,
    /// `Some("")` clears it on a change.
    pub vat_number: Option<String>,
    pub registration_number: Option<String>,
    pub country: Option<String>,
    pub market: Option<String>,
    pub currency: Option<String>,
    /// A customer-group code; `Some("")` clears it.
    pub customer_group: Option<String>,
    /// `Some("")` clears it.
    pub tier: Option<String>,
    pub status: Option<String>,
    /// `Some(None)` makes it a top-level company.
    pub parent_company_id: Option<Option<CompanyId>>,
    /// Take the lowest applicable price rather than the most specific list's.
    pub best_of_prices: Option<bool>,
}

/// Validates `input` over `base` (the stored company, or defaults).
async fn company_fields(
    app: &App,
    base: Option<&Company>,
    input: CompanyInput,
    default_status: CompanyStatus,
) -> Result<CompanyFields, AppError> {
    let mut errors = Vec::new();
    let markets = catalog::list_markets(app.db()).await?;
    let name = match (input.name, base) {
        (Some(n), _) => n.trim().to_string(),
        (None, Some(b)) => b.name.clone(),
        (None, None) => String::new(),
    };
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(FieldError::new(
            "name",
            "invalid_name",
            "the legal name is required (at most 200 characters)",
        ));
    }
    let market_code = input
        .market
        .map(|m| m.trim().to_string())
        .or_else(|| base.map(|b| b.market_code.clone()));
    let market = match &market_code {
        Some(code) => markets.iter().find(|m| &m.code == code),
        None => markets.iter().find(|m| m.is_default).or(markets.first()),
    };
    if market.is_none() {
        let known: Vec<&str> = markets.iter().map(|m| m.code.as_str()).collect();
        errors.push(FieldError::new(
            "market",
            "unknown_market",
            format!("market must be one of {}", known.join(", ")),
        ));
    }
    let country = match (input.country, base) {
        (Some(c), _) => match CountryCode::parse(&c) {
            Ok(c) => Some(c),
            Err(e) => {
                errors.push(FieldError::new("country", "invalid_country", e.to_string()));
                None
            }
        },
        (None, Some(b)) => Some(b.country),
        (None, None) => market
            .and_then(|m| m.countries.first())
            .and_then(|c| CountryCode::parse(c).ok()),
    };
    if country.is_none() && !errors.iter().any(|e| e.field == "country") {
        errors.push(FieldError::new(
            "country",
            "required",
            "country (ISO 3166 alpha-2) is required",
        ));
    }
    let vat_number = match input.vat_number {
        Some(v) if v.trim().is_empty() => None,
        Some(v) => match country {
            Some(c) => match VatNumber::parse(c, &v) {
                Ok(vat) => Some(vat.to_string()),
                Err(e) => {
                    errors.push(FieldError::new(
                        "vat_number",
                        "invalid_vat_number",
                        e.to_string(),
                    ));
                    None
                }
            },
            None => None,
        },
        None => base.and_then(|b| b.vat_number.clone()),
    };
    let registration_number = match input.registration_number {
        Some(r) => Some(r.trim().to_string()).filter(|r| !r.is_empty()),
        None => base.and_then(|b| b.registration_number.clone()),
    };
    if registration_number
        .as_ref()
        .is_some_and(|r| r.chars().count() > 60)
    {
        errors.push(FieldError::new(
            "registration_number",
            "too_long",
            "registration_number must be at most 60 characters",
        ));
    }
    let currency = match (input.currency, base) {
        (Some(c), _) => {
            let c = c.trim().to_uppercase();
            if c.parse::<mercato_core::Currency>().is_err() {
                errors.push(FieldError::new(
                    "currency",
                    "invalid_currency",
                    format!("{c:?} is not an ISO 4217 currency code"),
                ));
            }
            c
        }
        (None, Some(b)) if input_market_unchanged(&market_code, b) => b.currency.clone(),
        _ => market
            .map(|m| m.currency.code().to_string())
            .unwrap_or_default(),
    };
    let customer_group_id = match input.customer_group {
        Some(g) if g.trim().is_empty() => None,
        Some(g) => match companies::find_group(app.db(), g.trim()).await? {
            Some(group) => Some(group.customer_group_id),
            None => {
                errors.push(FieldError::new(
                    "customer_group",
                    "unknown_customer_group",
                    format!("there is no customer group {:?}", g.trim()),
                ));
                None
            }
        },
        None => match base.and_then(|b| b.customer_group.as_deref()) {
            Some(code) => companies::find_group(app.db(), code)
                .await?
                .map(|g| g.customer_group_id),
            None => None,
        },
    };
    let tier = match input.tier {
        Some(t) if t.trim().is_empty() => None,
        Some(t) => match parse_code(&t) {
            Some(t) => Some(t),
            None => {
                errors.push(FieldError::new(
                    "tier",
                    "invalid_tier",
                    "tier is a code of letters, digits, - and _ (at most 40)",
                ));
                None
            }
        },
        None => base.and_then(|b| b.tier.clone()),
    };
    let status = match input.status {
        Some(s) => match CompanyStatus::parse(&s) {
            Some(s) => s,
            None => {
                errors.push(FieldError::new(
                    "status",
                    "invalid_status",
                    "status must be pending, active or on_hold",
                ));
                default_status
            }
        },
        None => base.map_or(default_status, |b| b.status),
    };
    let parent_company_id = match input.parent_company_id {
        Some(Some(parent)) => {
            if base.is_some_and(|b| b.id == parent) || !companies::exists(app.db(), parent).await? {
                errors.push(FieldError::new(
                    "parent_company_id",
                    "invalid_parent",
                    "the parent must be another existing company",
                ));
            } else if let Some(b) = base
                && is_ancestor(app, b.id, parent).await?
            {
                errors.push(FieldError::new(
                    "parent_company_id",
                    "cycle",
                    "a company cannot be the parent of its own parent",
                ));
            }
            Some(parent)
        }
        Some(None) => None,
        None => base.and_then(|b| b.parent_company_id),
    };
    match (market, country, errors.is_empty()) {
        (Some(market), Some(country), true) => Ok(CompanyFields {
            name,
            vat_number,
            registration_number,
            country,
            market_code: market.code.clone(),
            currency,
            customer_group_id,
            tier,
            status,
            parent_company_id,
            best_of_prices: input
                .best_of_prices
                .unwrap_or(base.is_some_and(|b| b.best_of_prices)),
        }),
        _ => Err(AppError::Invalid(errors)),
    }
}

fn input_market_unchanged(market: &Option<String>, base: &Company) -> bool {
    market.as_deref().is_none_or(|m| m == base.market_code)
}

/// Whether `ancestor` is `of` itself or one of its descendants' parents,
/// i.e. making `candidate` the parent of `of` would close a loop.
async fn is_ancestor(app: &App, of: CompanyId, candidate: CompanyId) -> Result<bool, AppError> {
    // Walk up from the candidate parent: meeting `of` means a cycle.
    let mut at = Some(candidate);
    for _ in 0..64 {
        let Some(id) = at else { return Ok(false) };
        if id == of {
            return Ok(true);
        }
        at = companies::get(app.db(), &CompanyScope::after_access_check(id))
            .await?
            .and_then(|c| c.parent_company_id);
    }
    Ok(true)
}

async fn write_company_event(
    tx: &mut Tx,
    id: CompanyId,
    event: &str,
    detail: serde_json::Value,
    now: Timestamp,
) -> Result<(), AppError> {
    outbox::append(
        tx,
        &NewEvent::new("company", id.to_string(), event, detail),
        now,
    )
    .await?;
    Ok(())
}

/// Creates a company; staff-created companies are active at once. A sales
/// rep who creates one is assigned to it. `p` is `None` for the operator
/// (CLI, demo loader).
pub async fn create_company(
    app: &App,
    p: Option<&Principal>,
    input: CompanyInput,
    client: &ClientInfo,
) -> Result<Company, AppError> {
    if let Some(p) = p {
        p.require(Permission::ManageCompanies, "create companies")?;
        if p.user.membership.is_some() {
            return Err(AppError::Forbidden("create companies"));
        }
    }
    let fields = company_fields(app, None, input, CompanyStatus::Active).await?;
    let id = CompanyId::new();
    let now = Timestamp::now();
    let mut tx = app.db().begin().await?;
    companies::insert_company(&mut tx, id, &fields, now).await?;
    if let Some(p) = p
        && p.user.staff_role == Some(StaffRole::SalesRep)
    {
        companies::assign_rep(&mut tx, p.user.id, id, now).await?;
    }
    let detail = json!({ "name": fields.name, "status": fields.status.code() });
    audit::record(
        &mut tx,
        &audit_by(
            p,
            "company.create",
            "company",
            id.to_string(),
            detail.clone(),
            client,
        ),
    )
    .await?;
    write_company_event(&mut tx, id, "company.created", detail, now).await?;
    tx.commit().await?;
    app.events().notify();
    companies::get(app.db(), &CompanyScope::after_access_check(id))
        .await?
        .ok_or(AppError::NotFound("company"))
}

/// A company the caller may access.
pub async fn get_company(app: &App, p: &Principal, id: CompanyId) -> Result<Company, AppError> {
    let scope = scope(app, p, id).await?;
    require_view(p)?;
    companies::get(app.db(), &scope)
        .await?
        .ok_or(AppError::NotFound("company"))
}

/// Changes a company (staff). Approving a pending company tells its
/// admins by e-mail.
pub async fn update_company(
    app: &App,
    p: &Principal,
    id: CompanyId,
    input: CompanyInput,
    client: &ClientInfo,
) -> Result<Company, AppError> {
    if p.user.membership.is_some() {
        return Err(AppError::Forbidden("change company master data"));
    }
    let scope = scope(app, p, id).await?;
    let before = companies::get(app.db(), &scope)
        .await?
        .ok_or(AppError::NotFound("company"))?;
    let fields = company_fields(app, Some(&before), input, before.status).await?;
    let now = Timestamp::now();
    let mut tx = app.db().begin().await?;
    companies::update_company(&mut tx, id, &fields, now).await?;
    let approved =
        before.status == CompanyStatus::Pending && fields.status == CompanyStatus::Active;
    if approved {
        for u in users::list_in_company(app.db(), &scope).await? {
            if u.active
                && u.membership
                    .as_ref()
                    .is_some_and(|m| m.roles.contains(CompanyRole::Admin))
            {
                mail::enqueue(&mut tx, u.id, MailKind::Approved).await?;
            }
        }
    }
    let detail = json!({
        "name": fields.name,
        "status": fields.status.code(),
        "previous_status": before.status.code(),
    });
    audit::record(
        &mut tx,
        &p.audit(
            "company.update",
            "company",
            id.to_string(),
            detail.clone(),
            client,
        ),
    )
    .await?;
    write_company_event(&mut tx, id, "company.updated", detail, now).await?;
    tx.commit().await?;
    app.events().notify();
    // Access was checked above; read the result through the same scope.
    companies::get(app.db(), &scope)
        .await?
        .ok_or(AppError::NotFound("company"))
}

/// Companies the caller may see, by name: all for admins, the assigned
/// ones for sales reps.
pub async fn list_companies(
    app: &App,
    p: &Principal,
    mut filter: CompanyFilter,
) -> Result<Vec<Company>, AppError> {
    p.require(Permission::ManageCompanies, "list companies")?;
    match p.user.staff_role {
        Some(StaffRole::Admin) => {}
        Some(StaffRole::SalesRep) => filter.assigned_to = Some(p.user.id),
        _ => return Err(AppError::Forbidden("list companies")),
    }
    if !(1..=200).contains(&filter.limit) {
        return Err(AppError::invalid(
            "limit",
            "out_of_range",
            "limit must be 1 to 200",
        ));
    }
    Ok(companies::list(app.db(), &filter).await?)
}

/// Assigns (or, with `assign == false`, unassigns) a sales rep to a company
/// (staff admins).
pub async fn set_rep(
    app: &App,
    p: &Principal,
    company: CompanyId,
    rep: UserId,
    assign: bool,
    client: &ClientInfo,
) -> Result<(), AppError> {
    p.require(Permission::ManageStaff, "assign sales reps")?;
    let _ = scope(app, p, company).await?;
    let rep_user = users::find(app.db(), rep)
        .await?
        .filter(|u| u.staff_role == Some(StaffRole::SalesRep))
        .ok_or_else(|| {
            AppError::invalid("user_id", "not_a_sales_rep", "user_id must be a sales rep")
        })?;
    let now = Timestamp::now();
    let mut tx = app.db().begin().await?;
    if assign {
        companies::assign_rep(&mut tx, rep_user.id, company, now).await?;
    } else {
        companies::unassign_rep(&mut tx, rep_user.id, company).await?;
    }
    audit::record(
        &mut tx,
        &p.audit(
            if assign {
                "company.assign_rep"
            } else {
                "company.unassign_rep"
            },
            "company",
            company.to_string(),
            json!({ "sales_rep": rep_user.id.to_string() }),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The sales reps of a company.
pub async fn reps_of(
    app: &App,
    p: &Principal,
    company: CompanyId,
) -> Result<Vec<UserId>, AppError> {
    let scope = scope(app, p, company).await?;
    Ok(companies::reps_of(app.db(), &scope).await?)
}

// ---------------------------------------------------------------------------
// Customer groups

/// Creates a customer group (staff; `None` for the operator).
pub async fn create_group(
    app: &App,
    p: Option<&Principal>,
    code: &str,
    name: &str,
    client: &ClientInfo,
) -> Result<CustomerGroup, AppError> {
    if let Some(p) = p {
        p.require(Permission::ManageCompanies, "manage customer groups")?;
        if p.user.membership.is_some() {
            return Err(AppError::Forbidden("manage customer groups"));
        }
    }
    let mut errors = Vec::new();
    let code = parse_code(code).unwrap_or_else(|| {
        errors.push(FieldError::new(
            "code",
            "invalid_code",
            "code is letters, digits, - and _ (at most 40)",
        ));
        String::new()
    });
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        errors.push(FieldError::new(
            "name",
            "invalid_name",
            "name must be 1 to 100 characters",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let group = CustomerGroup {
        customer_group_id: CustomerGroupId::new(),
        code,
        name,
    };
    let mut tx = app.db().begin().await?;
    if let Err(e) = companies::insert_group(&mut tx, &group, Timestamp::now()).await {
        return Err(if e.is_conflict_on("code") {
            AppError::Conflict {
                code: "code_taken",
                detail: format!("customer group {} exists", group.code),
            }
        } else {
            e.into()
        });
    }
    audit::record(
        &mut tx,
        &audit_by(
            p,
            "customer_group.create",
            "customer_group",
            group.customer_group_id.to_string(),
            json!({ "code": group.code }),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(group)
}

/// Whether a company exists (for references from other capabilities).
pub async fn company_exists(app: &App, id: CompanyId) -> Result<bool, AppError> {
    Ok(companies::exists(app.db(), id).await?)
}

/// The customer group with this code.
pub async fn find_group(app: &App, code: &str) -> Result<Option<CustomerGroup>, AppError> {
    Ok(companies::find_group(app.db(), code.trim()).await?)
}

/// Every customer group (staff).
pub async fn list_groups(app: &App, p: &Principal) -> Result<Vec<CustomerGroup>, AppError> {
    p.require(Permission::ManageCompanies, "see customer groups")?;
    if p.user.membership.is_some() {
        return Err(AppError::Forbidden("see customer groups"));
    }
    Ok(companies::list_groups(app.db()).await?)
}

// ---------------------------------------------------------------------------
// Company users

/// A user to add to a company.
#[derive(Clone, Debug, Default)]
pub struct MemberInput {
    pub email: String,
    pub name: String,
    pub roles: Vec<String>,
    pub business_unit_id: Option<BusinessUnitId>,
    /// Only staff may set one; without it an invitation is e-mailed.
    pub password: Option<String>,
}

fn parse_roles(codes: &[String], errors: &mut Vec<FieldError>) -> Option<CompanyRoles> {
    match CompanyRoles::parse(codes) {
        Ok(r) => Some(r),
        Err(e) => {
            errors.push(FieldError::new("roles", "invalid_role", e.to_string()));
            None
        }
    }
}

/// Who may manage the users of the company in `scope`: its admins, and
/// staff who may access it.
fn require_manage_users(p: &Principal) -> Result<(), AppError> {
    if p.user.membership.is_some() {
        p.require(
            Permission::ManageCompanyUsers,
            "manage your company's users",
        )
    } else {
        p.require(Permission::ManageCompanies, "manage company users")
    }
}

fn require_manage_account(p: &Principal) -> Result<(), AppError> {
    if p.user.membership.is_some() {
        p.require(
            Permission::ManageCompanyAccount,
            "change your company's account",
        )
    } else {
        p.require(Permission::ManageCompanies, "change company accounts")
    }
}

fn require_view(p: &Principal) -> Result<(), AppError> {
    if p.user.membership.is_some() {
        p.require(Permission::ViewCompany, "see your company")
    } else {
        p.require(Permission::ManageCompanies, "see companies")
    }
}

/// Adds a user to the company in `scope`. With a password (staff and the
/// operator only) the user can sign in at once; otherwise an invitation
/// goes out. `p` is `None` for the operator (CLI, demo loader).
pub async fn add_member(
    app: &App,
    p: Option<&Principal>,
    scope: &CompanyScope,
    input: MemberInput,
    client: &ClientInfo,
) -> Result<User, AppError> {
    if let Some(p) = p {
        require_manage_users(p)?;
    }
    let mut errors = Vec::new();
    let email = Email::parse(&input.email)
        .map_err(|e| errors.push(FieldError::new("email", "invalid_email", e.to_string())))
        .ok();
    let roles = parse_roles(&input.roles, &mut errors);
    let name = input.name.trim().to_string();
    if name.chars().count() > 200 {
        errors.push(FieldError::new(
            "name",
            "too_long",
            "name must be at most 200 characters",
        ));
    }
    if input.password.is_some() && p.is_some_and(|p| p.user.membership.is_some()) {
        errors.push(FieldError::new(
            "password",
            "not_allowed",
            "company admins invite users; each sets their own password",
        ));
    }
    if let Some(pw) = &input.password
        && let Err(e) = PasswordPolicy::default().check(pw, input.email.trim())
    {
        errors.push(FieldError::new("password", "weak_password", e.to_string()));
    }
    if let Some(unit) = input.business_unit_id
        && companies::find_unit(app.db(), scope, unit).await?.is_none()
    {
        errors.push(FieldError::new(
            "business_unit_id",
            "unknown_unit",
            "no such business unit in this company",
        ));
    }
    let (Some(email), Some(roles), true) = (email, roles, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let name = crate::auth::display_name(name, &email);
    let password_hash = match input.password {
        Some(pw) => password::hash(pw, app.settings().argon2).await?,
        None => String::new(),
    };
    let invited = password_hash.is_empty();
    let new = NewUser {
        id: UserId::new(),
        email: email.clone(),
        name,
        password_hash,
        kind: UserKind::Buyer,
        staff_role: None,
        company: Some((scope.company_id(), roles.clone(), input.business_unit_id)),
        email_verified: false,
    };
    let now = Timestamp::now();
    let mut tx = app.db().begin().await?;
    insert_user(&mut tx, &new, now).await?;
    if invited {
        mail::enqueue(&mut tx, new.id, MailKind::Invitation).await?;
    }
    let detail = json!({
        "email": email.as_str(),
        "company_id": scope.company_id().to_string(),
        "roles": roles.to_codes(),
        "invited": invited,
    });
    audit::record(
        &mut tx,
        &audit_by(
            p,
            "user.create",
            "user",
            new.id.to_string(),
            detail.clone(),
            client,
        ),
    )
    .await?;
    outbox::append(
        &mut tx,
        &NewEvent::new("user", new.id.to_string(), "user.created", detail),
        now,
    )
    .await?;
    tx.commit().await?;
    app.events().notify();
    users::find_in_company(app.db(), scope, new.id)
        .await?
        .ok_or(AppError::NotFound("user"))
}

/// The users of the company in `scope`.
pub async fn list_members(
    app: &App,
    p: &Principal,
    scope: &CompanyScope,
) -> Result<Vec<User>, AppError> {
    require_view(p)?;
    Ok(users::list_in_company(app.db(), scope).await?)
}

/// One user of the company in `scope`.
pub async fn get_member(
    app: &App,
    p: &Principal,
    scope: &CompanyScope,
    id: UserId,
) -> Result<User, AppError> {
    require_view(p)?;
    users::find_in_company(app.db(), scope, id)
        .await?
        .ok_or(AppError::NotFound("user"))
}

/// A change to a company user.
#[derive(Clone, Debug, Default)]
pub struct MemberPatch {
    pub name: Option<String>,
    pub roles: Option<Vec<String>>,
    pub business_unit_id: Option<Option<BusinessUnitId>>,
    pub active: Option<bool>,
}

/// Changes a user of the company in `scope`. The company always keeps at
/// least one active admin.
pub async fn update_member(
    app: &App,
    p: &Principal,
    scope: &CompanyScope,
    id: UserId,
    patch: MemberPatch,
    client: &ClientInfo,
) -> Result<User, AppError> {
    // Foreign ids are not found before anything else is said about them.
    let before = users::find_in_company(app.db(), scope, id)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    require_manage_users(p)?;
    let mut errors = Vec::new();
    let roles = patch
        .roles
        .as_ref()
        .and_then(|r| parse_roles(r, &mut errors));
    let name = patch.name.map(|n| n.trim().to_string());
    if name
        .as_ref()
        .is_some_and(|n| n.is_empty() || n.chars().count() > 200)
    {
        errors.push(FieldError::new(
            "name",
            "invalid_name",
            "name must be 1 to 200 characters",
        ));
    }
    if let Some(Some(unit)) = patch.business_unit_id
        && companies::find_unit(app.db(), scope, unit).await?.is_none()
    {
        errors.push(FieldError::new(
            "business_unit_id",
            "unknown_unit",
            "no such business unit in this company",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let change = MemberChange {
        name,
        roles: roles.clone(),
        business_unit_id: patch.business_unit_id,
        active: patch.active,
    };
    let now = Timestamp::now();
    let mut tx = app.db().begin().await?;
    // First, so a concurrent demotion of another admin waits for this one
    // and then counts what it left (else both see an admin left over).
    users::lock_company_members(&mut tx, scope).await?;
    users::update_member(&mut tx, scope, id, &change, now).await?;
    let was_admin = before.active
        && before
            .membership
            .as_ref()
            .is_some_and(|m| m.roles.contains(CompanyRole::Admin));
    let stays_admin = patch.active.unwrap_or(before.active)
        && roles
            .as_ref()
            .map_or(was_admin, |r| r.contains(CompanyRole::Admin));
    if was_admin && !stays_admin && users::count_company_admins(&mut tx, scope).await? == 0 {
        return Err(AppError::Conflict {
            code: "last_admin",
            detail: "the company needs at least one active admin; make someone else admin first"
                .into(),
        });
    }
    audit::record(
        &mut tx,
        &p.audit(
            "user.update",
            "user",
            id.to_string(),
            json!({
                "roles": roles.map(|r| r.to_codes()),
                "active": patch.active,
            }),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    users::find_in_company(app.db(), scope, id)
        .await?
        .ok_or(AppError::NotFound("user"))
}

// ---------------------------------------------------------------------------
// Business units

/// A unit to create, or the new name / parent of one.
#[derive(Clone, Debug, Default)]
pub struct UnitInput {
    pub name: Option<String>,
    pub parent_unit_id: Option<Option<BusinessUnitId>>,
}

/// Creates (`id == None`) or changes a business unit.
pub async fn save_unit(
    app: &App,
    p: &Principal,
    scope: &CompanyScope,
    id: Option<BusinessUnitId>,
    input: UnitInput,
    client: &ClientInfo,
) -> Result<BusinessUnit, AppError> {
    let before = match id {
        Some(id) => Some(
            companies::find_unit(app.db(), scope, id)
                .await?
                .ok_or(AppError::NotFound("business unit"))?,
        ),
        None => None,
    };
    require_manage_account(p)?;
    let name = input
        .name
        .map(|n| n.trim().to_string())
        .or_else(|| before.as_ref().map(|b| b.name.clone()))
        .unwrap_or_default();
    let mut errors = Vec::new();
    if name.is_empty() || name.chars().count() > 100 {
        errors.push(FieldError::new(
            "name",
            "invalid_name",
            "name must be 1 to 100 characters",
        ));
    }
    let parent = match input.parent_unit_id {
        Some(p) => p,
        None => before.as_ref().and_then(|b| b.parent_unit_id),
    };
    if let Some(parent) = parent {
        let units = companies::list_units(app.db(), scope).await?;
        if !units.iter().any(|u| u.id == parent) {
            errors.push(FieldError::new(
                "parent_unit_id",
                "unknown_unit",
                "no such business unit in this company",
            ));
        } else if let Some(me) = id {
            // Walk up from the new parent; meeting this unit is a loop.
            let mut at = Some(parent);
            while let Some(u) = at {
                if u == me {
                    errors.push(FieldError::new(
                        "parent_unit_id",
                        "cycle",
                        "a unit cannot sit inside itself",
                    ));
                    break;
                }
                at = units
                    .iter()
                    .find(|x| x.id == u)
                    .and_then(|x| x.parent_unit_id);
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let unit = BusinessUnit {
        id: id.unwrap_or_default(),
        name,
        parent_unit_id: parent,
    };
    let now = Timestamp::now();
    let mut tx = app.db().begin().await?;
    let written = if before.is_some() {
        companies::update_unit(&mut tx, scope, &unit, now).await
    } else {
        companies::insert_unit(&mut tx, scope, &unit, now)
            .await
            .map(|()| true)
    };
    match written {
        Err(e) if e.is_conflict_on("name") => {
            return Err(AppError::Conflict {
                code: "name_taken",
                detail: format!("the company already has a unit named {:?}", unit.name),
            });
        }
        other => {
            other?;
        }
    }
    audit::record(
        &mut tx,
        &p.audit(
            if before.is_some() {
                "business_unit.update"
            } else {
                "business_unit.create"
            },
            "business_unit",
            unit.id.to_string(),
            json!({ "name": unit.name, "company_id": scope.company_id().to_string() }),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(unit)
}

/// The units of the company in `scope`.
pub async fn list_units(
    app: &App,
    p: &Principal,
    scope: &CompanyScope,
) -> Result<Vec<BusinessUnit>, AppError> {
    require_view(p)?;
    Ok(companies::list_units(app.db(), scope).await?)
}

/// One unit of the company in `scope`.
pub async fn get_unit(
    app: &App,
    p: &Principal,
    scope: &CompanyScope,
    id: BusinessUnitId,
) -> Result<BusinessUnit, AppError> {
    require_view(p)?;
    companies::find_unit(app.db(), scope, id)
        .await?
        .ok_or(AppError::NotFound("business unit"))
}

// ---------------------------------------------------------------------------
// Address book

/// An address to save: the fields plus default flags. On a change, absent
/// fields keep their value.
#[derive(Clone, Debug, Default)]
pub struct AddressPatch {
    pub label: Option<String>,
    pub recipient: Option<String>,
    pub line1: Option<String>,
    pub line2: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    pub phone: Option<String>,
    pub is_default_billing: Option<bool>,
    pub is_default_shipping: Option<bool>,
}

fn into_invalid(problems: Vec<mercato_core::company::FieldProblem>) -> AppError {
    AppError::Invalid(
        problems
            .into_iter()
            .map(|(f, c, m)| FieldError::new(f, c, m))
            .collect(),
    )
}

/// Creates (`id == None`) or changes an address of the company in `scope`
/// (`p == None`: the system, e.g. the demo loader).
pub async fn save_address(
    app: &App,
    p: Option<&Principal>,
    scope: &CompanyScope,
    id: Option<AddressId>,
    patch: AddressPatch,
    client: &ClientInfo,
) -> Result<Address, AppError> {
    let before = match id {
        Some(id) => Some(
            companies::find_address(app.db(), scope, id)
                .await?
                .ok_or(AppError::NotFound("address"))?,
        ),
        None => None,
    };
    if let Some(p) = p {
        require_manage_account(p)?;
    }
    let b = before.as_ref().map(|b| &b.address);
    let keep = |new: Option<String>, old: Option<&String>| new.or_else(|| old.cloned());
    let input = AddressInput {
        label: keep(patch.label, b.and_then(|b| b.label.as_ref())),
        recipient: keep(patch.recipient, b.map(|b| &b.recipient)).unwrap_or_default(),
        line1: keep(patch.line1, b.map(|b| &b.line1)).unwrap_or_default(),
        line2: keep(patch.line2, b.and_then(|b| b.line2.as_ref())),
        city: keep(patch.city, b.map(|b| &b.city)).unwrap_or_default(),
        region: keep(patch.region, b.and_then(|b| b.region.as_ref())),
        postal_code: keep(patch.postal_code, b.map(|b| &b.postal_code)).unwrap_or_default(),
        country: patch
            .country
            .or_else(|| b.map(|b| b.country.as_str().to_string()))
            .unwrap_or_default(),
        phone: keep(patch.phone, b.and_then(|b| b.phone.as_ref())),
    };
    let address = PostalAddress::parse(input).map_err(into_invalid)?;
    let existing = companies::list_addresses(app.db(), scope).await?;
    // The first address is the default for both until another is chosen.
    let first = existing.is_empty();
    let saved = Address {
        id: id.unwrap_or_default(),
        address,
        is_default_billing: patch
            .is_default_billing
            .unwrap_or(before.as_ref().map_or(first, |b| b.is_default_billing)),
        is_default_shipping: patch
            .is_default_shipping
            .unwrap_or(before.as_ref().map_or(first, |b| b.is_default_shipping)),
    };
    if existing.len() >= 500 && before.is_none() {
        return Err(AppError::Conflict {
            code: "too_many_addresses",
            detail: "an address book holds at most 500 addresses".into(),
        });
    }
    let now = Timestamp::now();
    let mut tx = app.db().begin().await?;
    companies::save_address(&mut tx, scope, &saved, before.is_none(), now).await?;
    audit::record(
        &mut tx,
        &crate::auth::audit_by(
            p,
            if before.is_some() {
                "address.update"
            } else {
                "address.create"
            },
            "address",
            saved.id.to_string(),
            json!({ "company_id": scope.company_id().to_string() }),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    companies::find_address(app.db(), scope, saved.id)
        .await?
        .ok_or(AppError::NotFound("address"))
}

/// The address book of the company in `scope`.
pub async fn list_addresses(
    app: &App,
    p: &Principal,
    scope: &CompanyScope,
) -> Result<Vec<Address>, AppError> {
    require_view(p)?;
    Ok(companies::list_addresses(app.db(), scope).await?)
}

/// One address of the company in `scope`.
pub async fn get_address(
    app: &App,
    p: &Principal,
    scope: &CompanyScope,
    id: AddressId,
) -> Result<Address, AppError> {
    require_view(p)?;
    companies::find_address(app.db(), scope, id)
        .await?
        .ok_or(AppError::NotFound("address"))
}

/// Deletes an address of the company in `scope`.
pub async fn delete_address(
    app: &App,
    p: &Principal,
    scope: &CompanyScope,
    id: AddressId,
    client: &ClientInfo,
) -> Result<(), AppError> {
    if companies::find_address(app.db(), scope, id)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound("address"));
    }
    require_manage_account(p)?;
    let mut tx = app.db().begin().await?;
    if !companies::delete_address(&mut tx, scope, id).await? {
        return Err(AppError::NotFound("address"));
    }
    audit::record(
        &mut tx,
        &p.audit(
            "address.delete",
            "address",
            id.to_string(),
            json!({ "company_id": scope.company_id().to_string() }),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Self-registration, verification, invitations, password resets

/// A company applying from the storefront, with its first admin.
#[derive(Clone, Debug, Default)]
pub struct Registration {
    pub company: CompanyInput,
    pub email: String,
    pub name: String,
    pub password: String,
}

/// Registers a company (pending until staff approve it) and its first
/// admin, who is e-mailed a verification link.
pub async fn register(
    app: &App,
    input: Registration,
    client: &ClientInfo,
) -> Result<(Company, User), AppError> {
    let mut company_input = input.company;
    // Applicants choose neither their status, group, tier nor parent.
    company_input.status = None;
    company_input.customer_group = None;
    company_input.tier = None;
    company_input.parent_company_id = None;
    company_input.best_of_prices = None;
    let fields = company_fields(app, None, company_input, CompanyStatus::Pending).await;
    // The applicant's own name is `name`; the company's is `company_name`.
    let mut errors: Vec<FieldError> = match &fields {
        Err(AppError::Invalid(e)) => e
            .iter()
            .cloned()
            .map(|mut f| {
                if f.field == "name" {
                    f.field = "company_name".into();
                }
                f
            })
            .collect(),
        _ => Vec::new(),
    };
    let fields = match fields {
        Ok(f) => Some(f),
        Err(AppError::Invalid(_)) => None,
        Err(e) => return Err(e),
    };
    let email = Email::parse(&input.email)
        .map_err(|e| errors.push(FieldError::new("email", "invalid_email", e.to_string())))
        .ok();
    if let Err(e) = PasswordPolicy::default().check(&input.password, input.email.trim()) {
        errors.push(FieldError::new("password", "weak_password", e.to_string()));
    }
    let name = input.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(FieldError::new(
            "name",
            "invalid_name",
            "your name is required (at most 200 characters)",
        ));
    }
    let (Some(fields), Some(email), true) = (fields, email, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let password_hash = password::hash(input.password, app.settings().argon2).await?;
    let company_id = CompanyId::new();
    let user = NewUser {
        id: UserId::new(),
        email,
        name,
        password_hash,
        kind: UserKind::Buyer,
        staff_role: None,
        company: Some((company_id, CompanyRoles::one(CompanyRole::Admin), None)),
        email_verified: false,
    };
    let now = Timestamp::now();
    let mut tx = app.db().begin().await?;
    companies::insert_company(&mut tx, company_id, &fields, now).await?;
    insert_user(&mut tx, &user, now).await?;
    mail::enqueue(&mut tx, user.id, MailKind::VerifyEmail).await?;
    let detail = json!({ "name": fields.name, "admin": user.email.as_str() });
    audit::record(
        &mut tx,
        &audit_entry(
            Some(user.id),
            "company.register",
            "company",
            company_id.to_string(),
            detail.clone(),
            client,
        ),
    )
    .await?;
    write_company_event(&mut tx, company_id, "company.registered", detail, now).await?;
    tx.commit().await?;
    app.events().notify();
    let scope = CompanyScope::after_access_check(company_id);
    let company = companies::get(app.db(), &scope)
        .await?
        .ok_or(AppError::NotFound("company"))?;
    let user = users::find(app.db(), user.id)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    Ok((company, user))
}

/// Checks and consumes a one-time link inside `tx`; says clearly whether
/// it is unknown, used or expired.
async fn consume_link(
    app: &App,
    tx: &mut Tx,
    purpose: LinkPurpose,
    token: &str,
) -> Result<User, AppError> {
    let link = companies::find_link(app.db(), purpose, &secret::digest(token.trim()))
        .await?
        .ok_or(AppError::NotFound("link"))?;
    let now = Timestamp::now();
    if link.used_at.is_some() {
        return Err(AppError::Conflict {
            code: "link_used",
            detail: "this link was already used; sign in, or ask for a new one".into(),
        });
    }
    if link.expires_at.as_offset() <= now.as_offset() {
        return Err(AppError::Conflict {
            code: "link_expired",
            detail: "this link has expired; ask for a new one".into(),
        });
    }
    if !companies::use_link(tx, link.id, now).await? {
        return Err(AppError::Conflict {
            code: "link_used",
            detail: "this link was already used; sign in, or ask for a new one".into(),
        });
    }
    let user = users::find(app.db(), link.user_id)
        .await?
        .filter(|u| u.active)
        .ok_or(AppError::NotFound("link"))?;
    Ok(user)
}

/// Confirms an e-mail address from the link in the verification message.
pub async fn verify_email(app: &App, token: &str, client: &ClientInfo) -> Result<User, AppError> {
    let mut tx = app.db().begin().await?;
    let user = consume_link(app, &mut tx, LinkPurpose::VerifyEmail, token).await?;
    let now = Timestamp::now();
    users::mark_email_verified(&mut tx, user.id, now).await?;
    audit::record(
        &mut tx,
        &audit_entry(
            Some(user.id),
            "user.verify_email",
            "user",
            user.id.to_string(),
            json!({}),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(user)
}

/// Sets the password from an invitation or a reset link.
pub async fn set_password_from_link(
    app: &App,
    purpose: LinkPurpose,
    token: &str,
    new_password: &str,
    client: &ClientInfo,
) -> Result<User, AppError> {
    // Check the link before the (slow) hash, without consuming it.
    let link = companies::find_link(app.db(), purpose, &secret::digest(token.trim()))
        .await?
        .ok_or(AppError::NotFound("link"))?;
    let owner = users::find(app.db(), link.user_id)
        .await?
        .ok_or(AppError::NotFound("link"))?;
    PasswordPolicy::default()
        .check(new_password, owner.email.as_str())
        .map_err(|e| AppError::invalid("password", "weak_password", e.to_string()))?;
    let hash = password::hash(new_password.to_string(), app.settings().argon2).await?;
    let mut tx = app.db().begin().await?;
    let user = consume_link(app, &mut tx, purpose, token).await?;
    let now = Timestamp::now();
    users::set_password(&mut tx, user.id, &hash, true, now).await?;
    if purpose == LinkPurpose::PasswordReset {
        // A reset ends every session and sign-in token: whoever knew the
        // old password is out.
        sessions::delete_for_user(&mut tx, user.id).await?;
        mercato_store::tokens::revoke_logins_of(&mut tx, user.id, now).await?;
    }
    audit::record(
        &mut tx,
        &audit_entry(
            Some(user.id),
            match purpose {
                LinkPurpose::Invitation => "user.accept_invitation",
                _ => "user.reset_password",
            },
            "user",
            user.id.to_string(),
            json!({}),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(user)
}

/// Sends a reset link when an active user has this e-mail. Answers the
/// same either way, so the endpoint does not reveal who has an account.
pub async fn request_password_reset(app: &App, email: &str) -> Result<(), AppError> {
    let Ok(email) = Email::parse(email) else {
        return Ok(());
    };
    if let Some(u) = users::find_by_email(app.db(), &email).await?
        && u.active
    {
        let mut tx = app.db().begin().await?;
        mail::enqueue(&mut tx, u.id, MailKind::PasswordReset).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Sends a fresh invitation to a user who has not accepted one yet.
pub async fn reinvite(
    app: &App,
    p: &Principal,
    scope: &CompanyScope,
    id: UserId,
) -> Result<(), AppError> {
    let user = users::find_in_company(app.db(), scope, id)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    require_manage_users(p)?;
    if user.has_password() {
        return Err(AppError::Conflict {
            code: "already_accepted",
            detail: "this user has already set a password".into(),
        });
    }
    let mut tx = app.db().begin().await?;
    mail::enqueue(&mut tx, user.id, MailKind::Invitation).await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Acting on behalf of a buyer (S9)

/// Starts acting for `buyer` in the caller's browser session: from now on
/// the session has the buyer's rights, the UI shows a banner, and every
/// action is audited with both identities.
pub async fn act_as(
    app: &App,
    p: &Principal,
    buyer: UserId,
    client: &ClientInfo,
) -> Result<User, AppError> {
    let crate::auth::AuthVia::Session { id: session, .. } = &p.via else {
        return Err(AppError::Forbidden("act for a customer with an API token"));
    };
    if p.acting_staff.is_some() {
        return Err(AppError::Conflict {
            code: "already_acting",
            detail: "stop acting for the current customer first".into(),
        });
    }
    p.require(Permission::ManageCompanies, "act for customers")?;
    let target = users::find(app.db(), buyer)
        .await?
        .filter(|u| u.active)
        .ok_or(AppError::NotFound("user"))?;
    let Some(m) = &target.membership else {
        return Err(AppError::NotFound("user"));
    };
    if !staff_may_access(app, &p.user, m.company_id).await? {
        return Err(AppError::NotFound("user"));
    }
    let mut tx = app.db().begin().await?;
    sessions::set_acting_for(&mut tx, *session, Some(target.id)).await?;
    let mut entry = audit_entry(
        Some(p.user.id),
        "session.act_as",
        "user",
        target.id.to_string(),
        json!({ "company_id": m.company_id.to_string() }),
        client,
    );
    entry.on_behalf_of = Some(target.id);
    audit::record(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(target)
}

/// Ends acting for a buyer.
pub async fn stop_acting(app: &App, p: &Principal, client: &ClientInfo) -> Result<(), AppError> {
    let crate::auth::AuthVia::Session { id: session, .. } = &p.via else {
        return Ok(());
    };
    if p.acting_staff.is_none() {
        return Ok(());
    }
    let mut tx = app.db().begin().await?;
    sessions::set_acting_for(&mut tx, *session, None).await?;
    audit::record(
        &mut tx,
        &p.audit(
            "session.stop_acting",
            "user",
            p.user.id.to_string(),
            json!({}),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
