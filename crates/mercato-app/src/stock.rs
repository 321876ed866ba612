//! Stock levels (S3), warehouses, credit lines (P9) and shipping methods:
//! the staff and ERP side of what checkout draws on.

use crate::auth::{AuthVia, ClientInfo, Principal};
use crate::{App, AppError, FieldError};
use mercato_core::money::{Currency, Money};
use mercato_core::shipping::ShippingTerms;
use mercato_core::stock::{
    Availability, MAX_LEAD_TIME_DAYS, StockLevel, SupplyPolicy, availability,
};
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
    /// Whether orders beyond stock are taken, and the lead time told.
    pub backorders: bool,
    pub lead_time_days: Option<u16>,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct LevelView {
    pub warehouse: String,
    pub on_hand: Decimal,
    pub reserved: Decimal,
    pub available: Decimal,
}

fn view(sku: &str, levels: &[StockLevel], policy: SupplyPolicy) -> StockView {
    StockView {
        sku: sku.to_string(),
        backorders: policy.backorders,
        lead_time_days: policy.lead_time_days,
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
    let rows = checked_rows(app, &items).await?;
    apply_levels(app, p, rows, &[], client).await
}

/// A level to write: canonical SKU, warehouse, on hand.
type LevelRow = (String, String, Decimal);

/// Checks levels to set, naming every bad one (`items[3].sku`).
async fn checked_rows(app: &App, items: &[StockInput]) -> Result<Vec<LevelRow>, AppError> {
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
    Ok(rows)
}

/// Writes checked levels in one transaction, audited.
/// `policies[i]`, where given, is row `i`'s new supply policy.
async fn apply_levels(
    app: &App,
    p: Option<&Principal>,
    rows: Vec<LevelRow>,
    policies: &[Option<SupplyPolicy>],
    client: &ClientInfo,
) -> Result<Vec<StockView>, AppError> {
    let source = match p.map(|p| &p.via) {
        Some(AuthVia::Token { .. }) => StockSource::Api,
        Some(_) => StockSource::Staff,
        None => StockSource::Import,
    };
    let now = Timestamp::now();
    let mut tx = app.db().begin().await?;
    for (i, (sku, warehouse, on_hand)) in rows.iter().enumerate() {
        store::set_on_hand(&mut tx, sku, warehouse, *on_hand, source, now).await?;
        if let Some(Some(policy)) = policies.get(i) {
            store::set_policy(&mut tx, sku, *policy, now).await?;
        }
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
    views(app, skus).await
}

/// The staff views of `skus` (each once, in the order given).
async fn views(app: &App, mut skus: Vec<String>) -> Result<Vec<StockView>, AppError> {
    let mut seen = std::collections::BTreeSet::new();
    skus.retain(|s| seen.insert(s.clone()));
    let levels = store::levels(app.db(), &skus).await?;
    let policies = store::policies(app.db(), &skus).await?;
    Ok(skus
        .iter()
        .map(|s| {
            view(
                s,
                levels.get(s).map(Vec::as_slice).unwrap_or_default(),
                policies.get(s).copied().unwrap_or_default(),
            )
        })
        .collect())
}

/// Sets whether a SKU takes backorders and the lead time buyers are told
/// (staff with `manage_stock`).
pub async fn set_policy(
    app: &App,
    p: Option<&Principal>,
    sku: &str,
    policy: SupplyPolicy,
    client: &ClientInfo,
) -> Result<StockView, AppError> {
    crate::auth::require_staff(p, Permission::ManageStock, "set supply policies")?;
    let typed = vec![sku.trim().to_string()];
    let Some(Some(sku)) = crate::catalog::canonical_skus(app, &typed).await?.pop() else {
        return Err(AppError::NotFound("sku"));
    };
    if policy
        .lead_time_days
        .is_some_and(|d| d > MAX_LEAD_TIME_DAYS)
    {
        return Err(AppError::invalid(
            "lead_time_days",
            "out_of_range",
            format!("a lead time is 0 to {MAX_LEAD_TIME_DAYS} days"),
        ));
    }
    let mut tx = app.db().begin().await?;
    store::set_policy(&mut tx, &sku, policy, Timestamp::now()).await?;
    audit::record(
        &mut tx,
        &crate::auth::audit_by(
            p,
            "stock.policy",
            "stock",
            sku.clone(),
            json!({ "backorders": policy.backorders, "lead_time_days": policy.lead_time_days }),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(views(app, vec![sku]).await?.remove(0))
}

/// Stock levels from a spreadsheet an ERP or warehouse system exported
/// (CSV in UTF-8 or GBK, or XLSX): columns `sku`, `on_hand` (or
/// `quantity`/`qty`/`库存`), optionally `warehouse` (else the default
/// warehouse) and the supply policy `backorders` (yes/no) and
/// `lead_time_days`. All or nothing, like [`set_levels`]: any bad row applies
/// nothing, and every bad row is named by its line in the file and its
/// column (`line 7: sku: there is no SKU "X"`).
pub async fn import_levels(
    app: &App,
    p: Option<&Principal>,
    file_name: &str,
    bytes: &[u8],
    client: &ClientInfo,
) -> Result<Vec<StockView>, AppError> {
    use mercato_docs::{SheetLimits, detect_format, read_sheet};
    crate::auth::require_staff(p, Permission::ManageStock, "import stock levels")?;
    let limits = SheetLimits {
        max_bytes: 32 * 1024 * 1024,
        max_rows: 10_000,
    };
    let sheet = read_sheet(bytes, detect_format(Some(file_name), bytes), &limits)
        .map_err(|e| AppError::invalid("file", "unreadable_file", format!("{file_name}: {e}")))?;
    let sku_col = sheet.column_any(&["sku", "part number", "物料号", "料号"]);
    let qty_col = sheet.column_any(&[
        "on_hand", "on hand", "quantity", "qty", "stock", "库存", "数量",
    ]);
    let wh_col = sheet.column_any(&["warehouse", "warehouse_code", "仓库"]);
    let backorder_col = sheet.column_any(&["backorders", "backorder", "允许缺货下单"]);
    let lead_col = sheet.column_any(&["lead_time_days", "lead time", "交货期"]);
    let mut errors = Vec::new();
    if sku_col.is_none() {
        errors.push(FieldError::new(
            "file",
            "missing_column",
            format!("{file_name}: no sku column"),
        ));
    }
    if qty_col.is_none() {
        errors.push(FieldError::new(
            "file",
            "missing_column",
            format!("{file_name}: no on_hand (or quantity) column"),
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut items = Vec::with_capacity(sheet.rows.len());
    let mut policies = Vec::with_capacity(sheet.rows.len());
    let mut lines = Vec::with_capacity(sheet.rows.len());
    for r in &sheet.rows {
        let raw = r.get(qty_col).trim();
        // No separators: "1,500" and "1,5" mean different things in
        // different countries, so a comma is refused rather than guessed.
        let on_hand = match raw.parse::<Decimal>() {
            Ok(q) => q,
            Err(_) => {
                errors.push(FieldError::new(
                    &format!("line {}: on_hand", r.line),
                    "invalid_quantity",
                    format!(
                        "{file_name} line {}: on_hand {raw:?} is not a number (digits and a decimal point, no separators)",
                        r.line
                    ),
                ));
                continue;
            }
        };
        let warehouse = Some(r.get(wh_col).trim().to_string()).filter(|w| !w.is_empty());
        match supply_policy(r.get(backorder_col), r.get(lead_col)) {
            Ok(policy) => policies.push(policy),
            Err((field, message)) => {
                errors.push(FieldError::new(
                    &format!("line {}: {field}", r.line),
                    "invalid_value",
                    format!("{file_name} line {}: {field}: {message}", r.line),
                ));
                continue;
            }
        }
        items.push(StockInput {
            sku: r.get(sku_col).to_string(),
            warehouse,
            on_hand,
        });
        lines.push(r.line);
    }
    if items.is_empty() && errors.is_empty() {
        return Err(AppError::invalid(
            "file",
            "empty_file",
            format!("{file_name}: no rows"),
        ));
    }
    // Check every row even when some numbers were bad, so one pass names them all.
    let checked = if items.is_empty() {
        Ok(Vec::new())
    } else {
        checked_rows(app, &items).await
    };
    let rows = match checked {
        Ok(rows) => rows,
        Err(AppError::Invalid(found)) => {
            errors.extend(found.into_iter().map(|f| {
                // `items[3].sku` → `line 5: sku` (the file's own numbering).
                let (index, field) = f
                    .field
                    .strip_prefix("items[")
                    .and_then(|x| x.split_once("]."))
                    .and_then(|(i, field)| Some((i.parse::<usize>().ok()?, field.to_string())))
                    .unwrap_or((0, f.field.clone()));
                let line = lines.get(index).copied().unwrap_or(0);
                FieldError::new(
                    &format!("line {line}: {field}"),
                    &f.code,
                    format!("{file_name} line {line}: {field}: {}", f.message),
                )
            }));
            Vec::new()
        }
        Err(e) => return Err(e),
    };
    if !errors.is_empty() {
        errors.sort_by_key(|e| line_of(&e.field));
        return Err(AppError::Invalid(errors));
    }
    apply_levels(app, p, rows, &policies, client).await
}

/// A row's supply policy from its optional `backorders` (yes/no) and
/// `lead_time_days` cells; `None` when both are blank (keep the SKU's).
fn supply_policy(
    backorders: &str,
    lead_time: &str,
) -> Result<Option<SupplyPolicy>, (&'static str, String)> {
    let (backorders, lead_time) = (backorders.trim(), lead_time.trim());
    if backorders.is_empty() && lead_time.is_empty() {
        return Ok(None);
    }
    let allowed = match backorders.to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "是" => true,
        "" | "no" | "n" | "false" | "0" | "否" => false,
        other => return Err(("backorders", format!("{other:?} is not yes or no"))),
    };
    let lead_time_days = match lead_time {
        "" => None,
        d => match d.parse::<u16>() {
            Ok(n) if n <= MAX_LEAD_TIME_DAYS => Some(n),
            _ => {
                return Err((
                    "lead_time_days",
                    format!("{d:?} is not a whole number of days from 0 to {MAX_LEAD_TIME_DAYS}"),
                ));
            }
        },
    };
    Ok(Some(SupplyPolicy {
        backorders: allowed,
        lead_time_days,
    }))
}

/// The line number in an import error's field (`line 7: sku`).
fn line_of(field: &str) -> usize {
    field
        .strip_prefix("line ")
        .and_then(|x| x.split(':').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// One SKU's stock in every warehouse (staff).
pub async fn levels(app: &App, p: &Principal, sku: &str) -> Result<StockView, AppError> {
    require_staff(p, Permission::ManageStock, "see stock levels")?;
    let mut v = views(app, vec![sku.trim().to_string()]).await?;
    Ok(v.remove(0))
}

/// What buyers of a market are told about `skus`: exact figures when the
/// market shows stock, else in stock / low / out; SKUs with none left
/// that take backorders say so with their lead time.
pub async fn availability_of(
    app: &App,
    skus: &[String],
    show_exact: bool,
) -> Result<BTreeMap<String, Availability>, AppError> {
    let levels = store::levels(app.db(), skus).await?;
    let available: Vec<(&String, Decimal)> = skus
        .iter()
        .map(|s| {
            let a = levels
                .get(s)
                .map(|l| l.iter().map(StockLevel::available).sum())
                .unwrap_or_default();
            (s, a)
        })
        .collect();
    // Policies matter only for what has run out: most pages read none.
    let out: Vec<String> = available
        .iter()
        .filter(|(_, a)| *a <= Decimal::ZERO)
        .map(|(s, _)| (*s).clone())
        .collect();
    let policies = if out.is_empty() {
        BTreeMap::new()
    } else {
        store::policies(app.db(), &out).await?
    };
    Ok(available
        .into_iter()
        .map(|(s, a)| {
            let policy = policies.get(s).copied().unwrap_or_default();
            (s.clone(), availability(a, show_exact, policy))
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

// ------------------------------------------------------------ stock list

pub use mercato_store::stock::{StockRow, StockRowFilter};

/// The back office's stock list (staff with `manage_stock`): SKUs with
/// their level per warehouse, supply policy and last change, filtered and
/// keyset-paged as [`StockRowFilter`] says (at most 1,000 rows a call).
/// Active SKUs without any level are listed with 0 on hand, so a first
/// count can be entered from the list.
pub async fn list_levels(
    app: &App,
    p: &Principal,
    filter: &StockRowFilter,
) -> Result<Vec<StockRow>, AppError> {
    require_staff(p, Permission::ManageStock, "see stock levels")?;
    let mut errors = Vec::new();
    if !(1..=1_000).contains(&filter.limit) {
        errors.push(FieldError::new(
            "limit",
            "out_of_range",
            "limit is 1 to 1,000",
        ));
    }
    if filter
        .text
        .as_ref()
        .is_some_and(|t| t.chars().count() > 200)
    {
        errors.push(FieldError::new(
            "text",
            "too_long",
            "search text is at most 200 characters",
        ));
    }
    if filter.max_available.is_some_and(|d| d.is_sign_negative()) {
        errors.push(FieldError::new(
            "max_available",
            "invalid_quantity",
            "the low-stock threshold is a quantity from 0",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok(store::stock_rows(app.db(), filter).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn supply_policies_read_from_import_cells() {
        assert_eq!(supply_policy("", ""), Ok(None));
        assert_eq!(
            supply_policy("yes", "21"),
            Ok(Some(SupplyPolicy {
                backorders: true,
                lead_time_days: Some(21)
            }))
        );
        assert_eq!(supply_policy("否", ""), Ok(Some(SupplyPolicy::default())));
        assert_eq!(
            supply_policy("maybe", "").map_err(|e| e.0),
            Err("backorders")
        );
        for bad in ["-1", "366", "2.5", "soon"] {
            assert_eq!(
                supply_policy("yes", bad).map_err(|e| e.0),
                Err("lead_time_days")
            );
        }
    }

    #[test]
    fn import_errors_sort_by_their_line() {
        assert_eq!(line_of("line 12: sku"), 12);
        assert_eq!(line_of("file"), 0);
    }
}
