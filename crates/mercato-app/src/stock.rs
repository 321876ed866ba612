//! Stock levels (S3), warehouses, credit lines (P9) and shipping methods:
//! the staff and ERP side of what checkout draws on.

use crate::auth::{AuthVia, ClientInfo, Principal};
use crate::{App, AppError, FieldError};
use mercato_core::money::{Currency, Money};
use mercato_core::shipping::ShippingTerms;
use mercato_core::stock::{Availability, StockLevel, availability};
use mercato_core::{CompanyId, LocalizedText, Permission};
pub use mercato_store::orders::ShippingMethod;
use mercato_store::stock::{self as store, StockSource};
pub use mercato_store::stock::{CreditLine, Warehouse};
use mercato_store::{Timestamp, audit};
use rust_decimal::Decimal;
use serde_json::json;
use std::collections::BTreeMap;

fn require_staff(p: &Principal, perm: Permission, doing: &'static str) -> Result<(), AppError> {
    crate::auth::require_staff(Some(p), perm, doing)
}

/// Every warehouse, the default (`main`) first.
pub async fn warehouses(app: &App, p: &Principal) -> Result<Vec<Warehouse>, AppError> {
    require_staff(p, Permission::ManageStock, "see warehouses")?;
    Ok(store::warehouses(app.db()).await?)
}

/// Adds or renames a warehouse.
pub async fn put_warehouse(
    app: &App,
    p: Option<&Principal>,
    code: &str,
    name: &str,
    client: &ClientInfo,
) -> Result<(), AppError> {
    crate::auth::require_staff(p, Permission::ManageStock, "manage warehouses")?;
    let mut errors = Vec::new();
    let code = mercato_core::company::parse_code(code).unwrap_or_else(|| {
        errors.push(FieldError::new(
            "code",
            "invalid_code",
            "a warehouse code is letters, digits, - and _",
        ));
        String::new()
    });
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(FieldError::new(
            "name",
            "invalid_name",
            "name must be 1 to 200 characters",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut tx = app.db().begin().await?;
    store::put_warehouse(&mut tx, &code, name, Timestamp::now()).await?;
    audit::record(
        &mut tx,
        &crate::auth::audit_by(
            p,
            "warehouse.put",
            "warehouse",
            code.clone(),
            json!({ "name": name }),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One stock level to set.
#[derive(Clone, Debug)]
pub struct StockInput {
    pub sku: String,
    /// `None`: the default warehouse.
    pub warehouse: Option<String>,
    pub on_hand: Decimal,
}

/// A level as buyers and staff see it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct StockView {
    pub sku: String,
    pub levels: Vec<LevelView>,
    pub available: Decimal,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct LevelView {
    pub warehouse: String,
    pub on_hand: Decimal,
    pub reserved: Decimal,
    pub available: Decimal,
}

fn view(sku: &str, levels: &[StockLevel]) -> StockView {
    StockView {
        sku: sku.to_string(),
        available: levels.iter().map(StockLevel::available).sum(),
        levels: levels
            .iter()
            .map(|l| LevelView {
                warehouse: l.warehouse.clone(),
                on_hand: l.on_hand,
                reserved: l.reserved,
                available: l.available(),
            })
            .collect(),
    }
}

/// Sets stock levels, all or nothing: every row is checked first (unknown
/// SKU or warehouse, negative or over-precise quantity) and any bad row
/// refuses the whole batch, naming each (`items[3].sku`). A level set
/// through an API token is recorded as set by integration.
pub async fn set_levels(
    app: &App,
    p: Option<&Principal>,
    items: Vec<StockInput>,
    client: &ClientInfo,
) -> Result<Vec<StockView>, AppError> {
    crate::auth::require_staff(p, Permission::ManageStock, "set stock levels")?;
    if items.is_empty() || items.len() > 10_000 {
        return Err(AppError::invalid(
            "items",
            "out_of_range",
            "give 1 to 10,000 levels",
        ));
    }
    let warehouses = store::warehouses(app.db()).await?;
    let default = warehouses
        .iter()
        .find(|w| w.is_default)
        .map(|w| w.code.clone())
        .unwrap_or_else(|| "main".to_string());
    let mut errors = Vec::new();
    let mut rows = Vec::with_capacity(items.len());
    let one = items.len() == 1;
    let typed: Vec<String> = items.iter().map(|i| i.sku.trim().to_string()).collect();
    let canonical = crate::catalog::canonical_skus(app, &typed).await?;
    for (i, (item, canonical)) in items.iter().zip(canonical).enumerate() {
        let at = |f: &str| {
            if one {
                f.to_string()
            } else {
                format!("items[{i}].{f}")
            }
        };
        let sku = item.sku.trim();
        let sku = canonical.unwrap_or_else(|| {
            errors.push(FieldError::new(
                &at("sku"),
                "unknown_sku",
                format!("there is no SKU {sku:?}"),
            ));
            sku.to_string()
        });
        let warehouse = item.warehouse.clone().unwrap_or_else(|| default.clone());
        if !warehouses.iter().any(|w| w.code == warehouse) {
            errors.push(FieldError::new(
                &at("warehouse"),
                "unknown_warehouse",
                format!("there is no warehouse {warehouse:?}"),
            ));
        }
        if item.on_hand.is_sign_negative()
            || item.on_hand.normalize().scale() > 4
            || item.on_hand > Decimal::from(1_000_000_000)
        {
            errors.push(FieldError::new(
                &at("on_hand"),
                "invalid_quantity",
                "on_hand is a quantity from 0 with at most 4 decimals",
            ));
        }
        rows.push((sku, warehouse, item.on_hand));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let source = match p.map(|p| &p.via) {
        Some(AuthVia::Token { .. }) => StockSource::Api,
        Some(_) => StockSource::Staff,
        None => StockSource::Import,
    };
    let now = Timestamp::now();
    let mut tx = app.db().begin().await?;
    for (sku, warehouse, on_hand) in &rows {
        store::set_on_hand(&mut tx, sku, warehouse, *on_hand, source, now).await?;
    }
    audit::record(
        &mut tx,
        &crate::auth::audit_by(
            p,
            "stock.set",
            "stock",
            rows.first().map(|r| r.0.clone()).unwrap_or_default(),
            json!({ "levels": rows.len() }),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    let skus: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let levels = store::levels(app.db(), &skus).await?;
    let mut seen = std::collections::BTreeSet::new();
    Ok(skus
        .iter()
        .filter(|s| seen.insert((*s).clone()))
        .map(|s| view(s, levels.get(s).map(Vec::as_slice).unwrap_or_default()))
        .collect())
}

/// One SKU's stock in every warehouse (staff).
pub async fn levels(app: &App, p: &Principal, sku: &str) -> Result<StockView, AppError> {
    require_staff(p, Permission::ManageStock, "see stock levels")?;
    let skus = vec![sku.trim().to_string()];
    let levels = store::levels(app.db(), &skus).await?;
    Ok(view(
        sku.trim(),
        levels
            .get(sku.trim())
            .map(Vec::as_slice)
            .unwrap_or_default(),
    ))
}

/// What buyers of a market are told about `skus`: exact figures when the
/// market shows stock, else in stock / low / out.
pub async fn availability_of(
    app: &App,
    skus: &[String],
    show_exact: bool,
) -> Result<BTreeMap<String, Availability>, AppError> {
    let levels = store::levels(app.db(), skus).await?;
    Ok(skus
        .iter()
        .map(|s| {
            let available: Decimal = levels
                .get(s)
                .map(|l| l.iter().map(StockLevel::available).sum())
                .unwrap_or_default();
            (s.clone(), availability(available, show_exact))
        })
        .collect())
}

// ---------------------------------------------------------------- credit

/// Sets a company's credit line (finance staff): limit in the company's
/// currency and payment terms in days.
pub async fn set_credit_line(
    app: &App,
    p: Option<&Principal>,
    company: CompanyId,
    limit: &str,
    payment_terms_days: i32,
    client: &ClientInfo,
) -> Result<CreditLine, AppError> {
    crate::auth::require_staff(p, Permission::ManageFinance, "set credit lines")?;
    let scope = mercato_store::companies::CompanyScope::after_access_check(company);
    let c = mercato_store::companies::get(app.db(), &scope)
        .await?
        .ok_or(AppError::NotFound("company"))?;
    let currency = Currency::parse(&c.currency).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut errors = Vec::new();
    let limit = match Money::parse(limit, currency) {
        Ok(m) if !m.is_negative() && m.is_rounded() => Some(m),
        _ => {
            errors.push(FieldError::new(
                "limit",
                "invalid_amount",
                format!("limit is an amount of {currency} from 0, in whole minor units"),
            ));
            None
        }
    };
    if !(0..=365).contains(&payment_terms_days) {
        errors.push(FieldError::new(
            "payment_terms_days",
            "out_of_range",
            "payment terms are 0 to 365 days",
        ));
    }
    let (Some(limit), true) = (limit, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let mut tx = app.db().begin().await?;
    store::put_credit_line(
        &mut tx,
        company,
        &limit,
        payment_terms_days,
        Timestamp::now(),
    )
    .await?;
    audit::record(
        &mut tx,
        &crate::auth::audit_by(
            p,
            "company.set_credit",
            "company",
            company.to_string(),
            json!({ "limit": limit.amount_string(), "payment_terms_days": payment_terms_days }),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    store::credit_line(app.db(), company)
        .await?
        .ok_or_else(|| AppError::Internal("credit line vanished".into()))
}

/// A company's credit line, for its own users (`view_company`) and staff.
pub async fn credit_line(
    app: &App,
    p: &Principal,
    company: Option<CompanyId>,
) -> Result<Option<CreditLine>, AppError> {
    let id = match (p.membership(), company) {
        (Some(m), None) => {
            p.require(Permission::ViewCompany, "see the credit line")?;
            m.company_id
        }
        (Some(m), Some(c)) if m.company_id == c => c,
        (Some(_), Some(_)) => return Err(AppError::NotFound("company")),
        (None, Some(c)) => {
            p.require(Permission::ManageCompanies, "see credit lines")?;
            c
        }
        (None, None) => return Err(AppError::NotFound("company")),
    };
    Ok(store::credit_line(app.db(), id).await?)
}

// ------------------------------------------------------ shipping methods

/// A shipping method to save.
#[derive(Clone, Debug)]
pub struct ShippingMethodInput {
    pub name: LocalizedText,
    pub market: Option<String>,
    pub currency: String,
    pub terms: ShippingTerms,
    pub active: bool,
    pub position: i32,
}

/// Every shipping method (staff with `manage_orders`).
pub async fn shipping_methods(app: &App, p: &Principal) -> Result<Vec<ShippingMethod>, AppError> {
    require_staff(p, Permission::ManageOrders, "manage shipping methods")?;
    Ok(mercato_store::orders::shipping_methods(app.db()).await?)
}

/// Adds or replaces a shipping method (staff with `manage_orders`).
pub async fn put_shipping_method(
    app: &App,
    p: Option<&Principal>,
    code: &str,
    input: ShippingMethodInput,
    client: &ClientInfo,
) -> Result<ShippingMethod, AppError> {
    crate::auth::require_staff(p, Permission::ManageOrders, "manage shipping methods")?;
    let mut errors = Vec::new();
    let code = mercato_core::company::parse_code(code).unwrap_or_else(|| {
        errors.push(FieldError::new(
            "code",
            "invalid_code",
            "a method code is letters, digits, - and _",
        ));
        String::new()
    });
    let currency = Currency::parse(&input.currency)
        .map_err(|e| {
            errors.push(FieldError::new(
                "currency",
                "invalid_currency",
                e.to_string(),
            ))
        })
        .ok();
    if let Err(e) = input.terms.validate() {
        errors.push(FieldError::new("terms", "invalid_terms", e.to_string()));
    }
    if input.name.is_empty() {
        errors.push(FieldError::new(
            "name",
            "invalid_name",
            "give the method a name",
        ));
    }
    if let Some(m) = &input.market {
        crate::pricing::check_market_currency(app, m, currency, &mut errors).await?;
    }
    let (Some(currency), true) = (currency, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let method = ShippingMethod {
        code,
        name: input.name,
        market: input.market,
        currency,
        terms: input.terms,
        active: input.active,
        position: input.position,
    };
    let mut tx = app.db().begin().await?;
    mercato_store::orders::put_shipping_method(&mut tx, &method, Timestamp::now()).await?;
    audit::record(
        &mut tx,
        &crate::auth::audit_by(
            p,
            "shipping_method.put",
            "shipping_method",
            method.code.clone(),
            json!({}),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(method)
}
