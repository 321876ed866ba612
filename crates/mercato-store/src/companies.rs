//! Companies, customer groups, business units, address books, sales-rep
//! assignments and one-time e-mail links.
//!
//! Every read and write of something a company owns takes a
//! [`CompanyScope`], and every such query filters by its company: a handler
//! cannot reach another company's rows by passing a foreign id, because the
//! id alone is never enough.

use crate::{Db, StoreError, Timestamp, Tx};
use mercato_core::{
    AddressId, BusinessUnitId, CompanyId, CompanyStatus, CountryCode, CustomerGroupId,
    PostalAddress, UserId, UserLinkId,
};
use uuid::Uuid;

/// Proof that the caller may act inside one company. The app layer makes
/// it after its access check (`mercato_app::companies::scope`); store
/// functions for company-owned data accept nothing less.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompanyScope {
    company_id: CompanyId,
}

impl CompanyScope {
    /// A scope for `company_id`. Only the app's access check should call
    /// this; the name says so in review.
    pub fn after_access_check(company_id: CompanyId) -> Self {
        Self { company_id }
    }

    /// The company.
    pub fn company_id(&self) -> CompanyId {
        self.company_id
    }
}

fn corrupt(what: &'static str, detail: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        what,
        detail: detail.into(),
    }
}

// ---------------------------------------------------------------------------
// Customer groups

/// A customer group (prices and offers by group).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CustomerGroup {
    #[sqlx(try_from = "Uuid")]
    pub customer_group_id: CustomerGroupId,
    pub code: String,
    pub name: String,
}

/// Stores a customer group; a taken code is a conflict on `code`.
pub async fn insert_group(
    tx: &mut Tx,
    g: &CustomerGroup,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx_exec!(tx, sqlx::query(
        "INSERT INTO customer_group (customer_group_id, code, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)"
    )
    .bind(g.customer_group_id.0)
    .bind(&g.code)
    .bind(&g.name)
    .bind(now))?;
    Ok(())
}

/// Every customer group, by code.
pub async fn list_groups(db: &Db) -> Result<Vec<CustomerGroup>, StoreError> {
    Ok(db_run!(db, |p| sqlx::query_as(
        "SELECT customer_group_id, code, name FROM customer_group ORDER BY code"
    )
    .fetch_all(p)
    .await)?)
}

/// The group with this code.
pub async fn find_group(db: &Db, code: &str) -> Result<Option<CustomerGroup>, StoreError> {
    Ok(db_run!(db, |p| sqlx::query_as(
        "SELECT customer_group_id, code, name FROM customer_group WHERE code = $1"
    )
    .bind(code)
    .fetch_optional(p)
    .await)?)
}

// ---------------------------------------------------------------------------
// Companies

/// A stored company.
#[derive(Clone, Debug)]
pub struct Company {
    pub id: CompanyId,
    pub name: String,
    pub vat_number: Option<String>,
    pub registration_number: Option<String>,
    pub country: CountryCode,
    pub market_code: String,
    pub currency: String,
    pub customer_group: Option<String>,
    pub tier: Option<String>,
    pub status: CompanyStatus,
    pub parent_company_id: Option<CompanyId>,
    /// Takes the lowest applicable price instead of the most specific list's.
    pub best_of_prices: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct CompanyRow {
    company_id: Uuid,
    name: String,
    vat_number: Option<String>,
    registration_number: Option<String>,
    country: String,
    market_code: String,
    currency: String,
    group_code: Option<String>,
    tier: Option<String>,
    status: String,
    parent_company_id: Option<Uuid>,
    best_of_prices: bool,
    created_at: Timestamp,
    updated_at: Timestamp,
}

macro_rules! company_select {
    () => {
        "SELECT c.company_id, c.name, c.vat_number, c.registration_number, c.country, c.market_code,
                c.currency, g.code AS group_code, c.tier, c.status, c.parent_company_id, c.best_of_prices, c.created_at, c.updated_at
           FROM company c LEFT JOIN customer_group g ON g.customer_group_id = c.customer_group_id"
    };
}

impl TryFrom<CompanyRow> for Company {
    type Error = StoreError;
    fn try_from(r: CompanyRow) -> Result<Self, StoreError> {
        Ok(Company {
            id: CompanyId(r.company_id),
            name: r.name,
            vat_number: r.vat_number,
            registration_number: r.registration_number,
            country: CountryCode::parse(&r.country)
                .map_err(|e| corrupt("company.country", e.to_string()))?,
            market_code: r.market_code,
            currency: r.currency,
            customer_group: r.group_code,
            tier: r.tier,
            status: CompanyStatus::parse(&r.status)
                .ok_or_else(|| corrupt("company.status", r.status.clone()))?,
            parent_company_id: r.parent_company_id.map(CompanyId),
            best_of_prices: r.best_of_prices,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

/// The columns a company is written with.
#[derive(Clone, Debug)]
pub struct CompanyFields {
    pub name: String,
    pub vat_number: Option<String>,
    pub registration_number: Option<String>,
    pub country: CountryCode,
    pub market_code: String,
    pub currency: String,
    pub customer_group_id: Option<CustomerGroupId>,
    pub tier: Option<String>,
    pub status: CompanyStatus,
    pub parent_company_id: Option<CompanyId>,
    pub best_of_prices: bool,
}

/// Stores a new company.
pub async fn insert_company(
    tx: &mut Tx,
    id: CompanyId,
    c: &CompanyFields,
    now: Timestamp,
) -> Result<(), StoreError> {
    write_company(
        tx,
        "INSERT INTO company (company_id, name, vat_number, registration_number, country, market_code, currency,
                              customer_group_id, tier, status, parent_company_id, updated_at, best_of_prices, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $12)",
        id,
        c,
        now,
    )
    .await
    .map(|_| ())
}

/// Rewrites a company's fields; returns whether it exists.
pub async fn update_company(
    tx: &mut Tx,
    id: CompanyId,
    c: &CompanyFields,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let n = write_company(
        tx,
        "UPDATE company SET name = $2, vat_number = $3, registration_number = $4, country = $5, market_code = $6,
                currency = $7, customer_group_id = $8, tier = $9, status = $10, parent_company_id = $11, updated_at = $12,
                best_of_prices = $13
          WHERE company_id = $1",
        id,
        c,
        now,
    )
    .await?;
    Ok(n == 1)
}

/// Runs an insert or update whose `$1…$13` are the company's columns in
/// one order (id, fields, `updated_at`, `best_of_prices`).
async fn write_company(
    tx: &mut Tx,
    sql: &'static str,
    id: CompanyId,
    c: &CompanyFields,
    now: Timestamp,
) -> Result<u64, StoreError> {
    tx_exec!(
        tx,
        sqlx::query(sql)
            .bind(id.0)
            .bind(&c.name)
            .bind(c.vat_number.as_deref())
            .bind(c.registration_number.as_deref())
            .bind(c.country.as_str())
            .bind(&c.market_code)
            .bind(&c.currency)
            .bind(c.customer_group_id.map(|g| g.0))
            .bind(c.tier.as_deref())
            .bind(c.status.code())
            .bind(c.parent_company_id.map(|p| p.0))
            .bind(now)
            .bind(c.best_of_prices)
    )
    .map_err(StoreError::from)
}

/// The company in `scope`.
pub async fn get(db: &Db, scope: &CompanyScope) -> Result<Option<Company>, StoreError> {
    const SQL: &str = concat!(company_select!(), " WHERE c.company_id = $1");
    let row: Option<CompanyRow> = db_run!(db, |p| sqlx::query_as(SQL)
        .bind(scope.company_id().0)
        .fetch_optional(p)
        .await)?;
    row.map(Company::try_from).transpose()
}

/// The names of companies `ids` (unknown ones absent), in one query per
/// 400 ids: for lists of orders or price lists that name many companies.
pub async fn names(
    db: &Db,
    ids: &[CompanyId],
) -> Result<std::collections::HashMap<CompanyId, String>, StoreError> {
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(400) {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT company_id, name FROM company WHERE company_id IN ({})",
            crate::db::placeholders_from(1, chunk.len())
        ));
        let rows: Vec<(Uuid, String)> = db_run!(db, |p| {
            let mut q = sqlx::query_as(sql);
            for id in chunk {
                q = q.bind(id.0);
            }
            q.fetch_all(p).await
        })?;
        out.extend(rows.into_iter().map(|(id, name)| (CompanyId(id), name)));
    }
    Ok(out)
}

/// Whether a company exists (staff checks before making a scope).
pub async fn exists(db: &Db, id: CompanyId) -> Result<bool, StoreError> {
    let n: i64 = db_run!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM company WHERE company_id = $1"
    )
    .bind(id.0)
    .fetch_one(p)
    .await)?;
    Ok(n > 0)
}

/// Which companies a back-office list shows.
#[derive(Clone, Debug, Default)]
pub struct CompanyFilter {
    pub status: Option<CompanyStatus>,
    /// Part of the name or VAT number, case-insensitive.
    pub text: Option<String>,
    /// Only the companies this sales rep is assigned to.
    pub assigned_to: Option<UserId>,
    /// Keyset: names after this (name, id).
    pub after: Option<(String, CompanyId)>,
    pub limit: i64,
}

/// Companies by name, filtered.
pub async fn list(db: &Db, f: &CompanyFilter) -> Result<Vec<Company>, StoreError> {
    const SQL: &str = concat!(
        company_select!(),
        " WHERE ($1 IS NULL OR c.status = $1)
            AND ($2 IS NULL OR LOWER(c.name) LIKE $2 OR LOWER(COALESCE(c.vat_number, '')) LIKE $2)
            AND ($3 IS NULL OR EXISTS (SELECT 1 FROM sales_rep_assignment a WHERE a.company_id = c.company_id AND a.user_id = $3))
            AND ($4 IS NULL OR c.name > $4 OR (c.name = $4 AND c.company_id > $5))
          ORDER BY c.name, c.company_id LIMIT $6"
    );
    let text = f
        .text
        .as_deref()
        .map(|t| format!("%{}%", t.to_lowercase().replace(['%', '_'], "")));
    let (after_name, after_id) = match &f.after {
        Some((n, id)) => (Some(n.as_str()), Some(id.0)),
        None => (None, None),
    };
    let rows: Vec<CompanyRow> = db_run!(db, |p| sqlx::query_as(SQL)
        .bind(f.status.map(CompanyStatus::code))
        .bind(text.as_deref())
        .bind(f.assigned_to.map(|u| u.0))
        .bind(after_name)
        .bind(after_id)
        .bind(f.limit)
        .fetch_all(p)
        .await)?;
    rows.into_iter().map(Company::try_from).collect()
}

// ---------------------------------------------------------------------------
// Sales-rep assignments

/// Assigns a sales rep to a company (idempotent).
pub async fn assign_rep(
    tx: &mut Tx,
    rep: UserId,
    company: CompanyId,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx_exec!(tx, sqlx::query(
        "INSERT INTO sales_rep_assignment (user_id, company_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
    )
    .bind(rep.0)
    .bind(company.0)
    .bind(now))?;
    Ok(())
}

/// Ends an assignment; returns whether there was one.
pub async fn unassign_rep(
    tx: &mut Tx,
    rep: UserId,
    company: CompanyId,
) -> Result<bool, StoreError> {
    let n = tx_exec!(
        tx,
        sqlx::query("DELETE FROM sales_rep_assignment WHERE user_id = $1 AND company_id = $2")
            .bind(rep.0)
            .bind(company.0)
    )?;
    Ok(n == 1)
}

/// Whether `rep` looks after `company`.
pub async fn is_assigned(db: &Db, rep: UserId, company: CompanyId) -> Result<bool, StoreError> {
    let n: i64 = db_run!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM sales_rep_assignment WHERE user_id = $1 AND company_id = $2"
    )
    .bind(rep.0)
    .bind(company.0)
    .fetch_one(p)
    .await)?;
    Ok(n > 0)
}

/// The sales reps assigned to the company in `scope`.
pub async fn reps_of(db: &Db, scope: &CompanyScope) -> Result<Vec<UserId>, StoreError> {
    let ids: Vec<Uuid> = db_run!(db, |p| sqlx::query_scalar(
        "SELECT user_id FROM sales_rep_assignment WHERE company_id = $1 ORDER BY created_at"
    )
    .bind(scope.company_id().0)
    .fetch_all(p)
    .await)?;
    Ok(ids.into_iter().map(UserId).collect())
}

// ---------------------------------------------------------------------------
// Business units

/// A department or site inside a company.
#[derive(Clone, Debug)]
pub struct BusinessUnit {
    pub id: BusinessUnitId,
    pub name: String,
    pub parent_unit_id: Option<BusinessUnitId>,
}

#[derive(sqlx::FromRow)]
struct UnitRow {
    business_unit_id: Uuid,
    name: String,
    parent_unit_id: Option<Uuid>,
}

impl From<UnitRow> for BusinessUnit {
    fn from(r: UnitRow) -> Self {
        BusinessUnit {
            id: BusinessUnitId(r.business_unit_id),
            name: r.name,
            parent_unit_id: r.parent_unit_id.map(BusinessUnitId),
        }
    }
}

/// Stores a unit in the company of `scope`; a taken name is a conflict on
/// `name`.
pub async fn insert_unit(
    tx: &mut Tx,
    scope: &CompanyScope,
    u: &BusinessUnit,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx_exec!(tx, sqlx::query(
        "INSERT INTO business_unit (business_unit_id, company_id, parent_unit_id, name, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5)"
    )
    .bind(u.id.0)
    .bind(scope.company_id().0)
    .bind(u.parent_unit_id.map(|p| p.0))
    .bind(&u.name)
    .bind(now))?;
    Ok(())
}

/// Renames or moves a unit of the company in `scope`.
pub async fn update_unit(
    tx: &mut Tx,
    scope: &CompanyScope,
    u: &BusinessUnit,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let n = tx_exec!(
        tx,
        sqlx::query(
            "UPDATE business_unit SET name = $3, parent_unit_id = $4, updated_at = $5
          WHERE business_unit_id = $1 AND company_id = $2"
        )
        .bind(u.id.0)
        .bind(scope.company_id().0)
        .bind(&u.name)
        .bind(u.parent_unit_id.map(|p| p.0))
        .bind(now)
    )?;
    Ok(n == 1)
}

/// The units of the company in `scope`, by name.
pub async fn list_units(db: &Db, scope: &CompanyScope) -> Result<Vec<BusinessUnit>, StoreError> {
    let rows: Vec<UnitRow> = db_run!(db, |p| {
        sqlx::query_as(
        "SELECT business_unit_id, name, parent_unit_id FROM business_unit WHERE company_id = $1 ORDER BY name"
    )
    .bind(scope.company_id().0)
    .fetch_all(p)
    .await
    })?;
    Ok(rows.into_iter().map(BusinessUnit::from).collect())
}

/// A unit of the company in `scope`.
pub async fn find_unit(
    db: &Db,
    scope: &CompanyScope,
    id: BusinessUnitId,
) -> Result<Option<BusinessUnit>, StoreError> {
    let row: Option<UnitRow> = db_run!(db, |p| {
        sqlx::query_as(
        "SELECT business_unit_id, name, parent_unit_id FROM business_unit WHERE business_unit_id = $1 AND company_id = $2"
    )
    .bind(id.0)
    .bind(scope.company_id().0)
    .fetch_optional(p)
    .await
    })?;
    Ok(row.map(BusinessUnit::from))
}

// ---------------------------------------------------------------------------
// Address book

/// A stored address of a company.
#[derive(Clone, Debug)]
pub struct Address {
    pub id: AddressId,
    pub address: PostalAddress,
    pub is_default_billing: bool,
    pub is_default_shipping: bool,
}

#[derive(sqlx::FromRow)]
struct AddressRow {
    address_id: Uuid,
    label: Option<String>,
    recipient: String,
    line1: String,
    line2: Option<String>,
    city: String,
    region: Option<String>,
    postal_code: String,
    country: String,
    phone: Option<String>,
    is_default_billing: bool,
    is_default_shipping: bool,
}

impl TryFrom<AddressRow> for Address {
    type Error = StoreError;
    fn try_from(r: AddressRow) -> Result<Self, StoreError> {
        Ok(Address {
            id: AddressId(r.address_id),
            address: PostalAddress {
                label: r.label,
                recipient: r.recipient,
                line1: r.line1,
                line2: r.line2,
                city: r.city,
                region: r.region,
                postal_code: r.postal_code,
                country: CountryCode::parse(&r.country)
                    .map_err(|e| corrupt("company_address.country", e.to_string()))?,
                phone: r.phone,
            },
            is_default_billing: r.is_default_billing,
            is_default_shipping: r.is_default_shipping,
        })
    }
}

macro_rules! address_columns {
    () => {
        "address_id, label, recipient, line1, line2, city, region, postal_code, country, phone, is_default_billing, is_default_shipping"
    };
}

/// Writes an address of the company in `scope` (insert or replace). Making
/// it a default clears the flag on the company's other addresses first.
/// Returns `false` when `a.id` belongs to no address of this company.
pub async fn save_address(
    tx: &mut Tx,
    scope: &CompanyScope,
    a: &Address,
    insert: bool,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let company = scope.company_id().0;
    if a.is_default_billing {
        tx_exec!(tx, sqlx::query(
            "UPDATE company_address SET is_default_billing = FALSE WHERE company_id = $1 AND address_id <> $2"
        )
        .bind(company)
        .bind(a.id.0))?;
    }
    if a.is_default_shipping {
        tx_exec!(tx, sqlx::query(
            "UPDATE company_address SET is_default_shipping = FALSE WHERE company_id = $1 AND address_id <> $2"
        )
        .bind(company)
        .bind(a.id.0))?;
    }
    let p = &a.address;
    let sql = if insert {
        "INSERT INTO company_address (address_id, company_id, label, recipient, line1, line2, city, region, postal_code,
                                      country, phone, is_default_billing, is_default_shipping, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)"
    } else {
        "UPDATE company_address SET label = $3, recipient = $4, line1 = $5, line2 = $6, city = $7, region = $8,
                postal_code = $9, country = $10, phone = $11, is_default_billing = $12, is_default_shipping = $13,
                updated_at = $14
          WHERE address_id = $1 AND company_id = $2"
    };
    let n = tx_exec!(
        tx,
        sqlx::query(sql)
            .bind(a.id.0)
            .bind(company)
            .bind(p.label.as_deref())
            .bind(&p.recipient)
            .bind(&p.line1)
            .bind(p.line2.as_deref())
            .bind(&p.city)
            .bind(p.region.as_deref())
            .bind(&p.postal_code)
            .bind(p.country.as_str())
            .bind(p.phone.as_deref())
            .bind(a.is_default_billing)
            .bind(a.is_default_shipping)
            .bind(now)
    )?;
    Ok(n == 1)
}

/// The addresses of the company in `scope`, defaults first.
pub async fn list_addresses(db: &Db, scope: &CompanyScope) -> Result<Vec<Address>, StoreError> {
    const SQL: &str = concat!(
        "SELECT ",
        address_columns!(),
        " FROM company_address WHERE company_id = $1
          ORDER BY is_default_shipping DESC, is_default_billing DESC, created_at"
    );
    let rows: Vec<AddressRow> = db_run!(db, |p| sqlx::query_as(SQL)
        .bind(scope.company_id().0)
        .fetch_all(p)
        .await)?;
    rows.into_iter().map(Address::try_from).collect()
}

/// An address of the company in `scope`.
pub async fn find_address(
    db: &Db,
    scope: &CompanyScope,
    id: AddressId,
) -> Result<Option<Address>, StoreError> {
    const SQL: &str = concat!(
        "SELECT ",
        address_columns!(),
        " FROM company_address WHERE address_id = $1 AND company_id = $2"
    );
    let row: Option<AddressRow> = db_run!(db, |p| sqlx::query_as(SQL)
        .bind(id.0)
        .bind(scope.company_id().0)
        .fetch_optional(p)
        .await)?;
    row.map(Address::try_from).transpose()
}

/// Deletes an address of the company in `scope`; returns whether it existed.
pub async fn delete_address(
    tx: &mut Tx,
    scope: &CompanyScope,
    id: AddressId,
) -> Result<bool, StoreError> {
    let n = tx_exec!(
        tx,
        sqlx::query("DELETE FROM company_address WHERE address_id = $1 AND company_id = $2")
            .bind(id.0)
            .bind(scope.company_id().0)
    )?;
    Ok(n == 1)
}

// ---------------------------------------------------------------------------
// One-time links

/// What a one-time link is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkPurpose {
    Invitation,
    VerifyEmail,
    PasswordReset,
}

impl LinkPurpose {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            LinkPurpose::Invitation => "invitation",
            LinkPurpose::VerifyEmail => "verify_email",
            LinkPurpose::PasswordReset => "password_reset",
        }
    }
}

/// A stored link (its secret is never stored).
#[derive(Clone, Debug)]
pub struct UserLink {
    pub id: UserLinkId,
    pub user_id: UserId,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
}

/// Stores a link; earlier unused links of the same user and purpose stop
/// working, so only the newest e-mail counts.
pub async fn insert_link(
    tx: &mut Tx,
    id: UserLinkId,
    user: UserId,
    purpose: LinkPurpose,
    secret_hash: &str,
    expires_at: Timestamp,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx_exec!(tx, sqlx::query(
        "UPDATE user_link SET expires_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3"
    )
    .bind(user.0)
    .bind(purpose.code())
    .bind(now))?;
    tx_exec!(tx, sqlx::query(
        "INSERT INTO user_link (user_link_id, user_id, purpose, secret_hash, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)"
    )
    .bind(id.0)
    .bind(user.0)
    .bind(purpose.code())
    .bind(secret_hash)
    .bind(now)
    .bind(expires_at))?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    user_link_id: Uuid,
    user_id: Uuid,
    expires_at: Timestamp,
    used_at: Option<Timestamp>,
}

/// The link with this secret hash and purpose, used or not (the caller says
/// which of "unknown", "used" and "expired" applies).
pub async fn find_link(
    db: &Db,
    purpose: LinkPurpose,
    secret_hash: &str,
) -> Result<Option<UserLink>, StoreError> {
    let row: Option<LinkRow> = db_run!(db, |p| {
        sqlx::query_as(
        "SELECT user_link_id, user_id, expires_at, used_at FROM user_link WHERE secret_hash = $1 AND purpose = $2"
    )
    .bind(secret_hash)
    .bind(purpose.code())
    .fetch_optional(p)
    .await
    })?;
    Ok(row.map(|r| UserLink {
        id: UserLinkId(r.user_link_id),
        user_id: UserId(r.user_id),
        expires_at: r.expires_at,
        used_at: r.used_at,
    }))
}

/// Marks a link used; `false` when it was already used or has expired
/// (two clicks racing: exactly one wins).
pub async fn use_link(tx: &mut Tx, id: UserLinkId, now: Timestamp) -> Result<bool, StoreError> {
    let n = tx_exec!(tx, sqlx::query(
        "UPDATE user_link SET used_at = $2 WHERE user_link_id = $1 AND used_at IS NULL AND expires_at > $2"
    )
    .bind(id.0)
    .bind(now))?;
    Ok(n == 1)
}
