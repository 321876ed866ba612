//! Warehouses, stock levels and credit lines. Reservations change by
//! conditional updates only (`… WHERE on_hand - reserved >= $1`), inside
//! the caller's transaction, so concurrent checkouts cannot oversell and
//! concurrent orders cannot overdraw a credit line.

use crate::catalog::{from_units4, to_units4};
use crate::{Db, StoreError, Timestamp, Tx};
use mercato_core::CompanyId;
use mercato_core::money::{Currency, Money};
use mercato_core::stock::{StockLevel, SupplyPolicy};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// A place stock is kept.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Warehouse {
    #[sqlx(rename = "warehouse_code")]
    pub code: String,
    pub name: String,
    pub is_default: bool,
}

/// Who set a stock level last (for the measured-maturity share of levels
/// kept by integration).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StockSource {
    Staff,
    Api,
    Import,
}

impl StockSource {
    fn as_str(self) -> &'static str {
        match self {
            StockSource::Staff => "staff",
            StockSource::Api => "api",
            StockSource::Import => "import",
        }
    }
}

/// Every warehouse, the default first.
pub async fn warehouses(db: &Db) -> Result<Vec<Warehouse>, StoreError> {
    Ok(db_run!(db, |p| {
        sqlx::query_as(
            "SELECT warehouse_code, name, is_default FROM warehouse ORDER BY is_default DESC, warehouse_code",
        )
        .fetch_all(p)
        .await
    })?)
}

/// Adds or renames a warehouse.
pub async fn put_warehouse(
    tx: &mut Tx,
    code: &str,
    name: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query(
            "INSERT INTO warehouse (warehouse_code, name, is_default, created_at) VALUES ($1, $2, FALSE, $3)
             ON CONFLICT (warehouse_code) DO UPDATE SET name = excluded.name"
        )
        .bind(code)
        .bind(name)
        .bind(now)
    )?;
    Ok(())
}

/// Sets the counted quantity of a SKU in a warehouse; reservations stay.
pub async fn set_on_hand(
    tx: &mut Tx,
    sku: &str,
    warehouse: &str,
    on_hand: Decimal,
    source: StockSource,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query(
            "INSERT INTO stock_level (sku, warehouse_code, on_hand, reserved, source, updated_at)
             VALUES ($1, $2, $3, 0, $4, $5)
             ON CONFLICT (sku, warehouse_code) DO UPDATE
                SET on_hand = excluded.on_hand, source = excluded.source, updated_at = excluded.updated_at"
        )
        .bind(sku)
        .bind(warehouse)
        .bind(to_units4(on_hand)?)
        .bind(source.as_str())
        .bind(now)
    )?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct LevelRow {
    sku: String,
    warehouse_code: String,
    on_hand: i64,
    reserved: i64,
}

impl LevelRow {
    fn level(self) -> (String, StockLevel) {
        (
            self.sku,
            StockLevel {
                warehouse: self.warehouse_code,
                on_hand: from_units4(self.on_hand),
                reserved: from_units4(self.reserved),
            },
        )
    }
}

/// The levels query for `n` SKUs.
fn levels_sql(n: usize) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(format!(
        "SELECT sku, warehouse_code, on_hand, reserved FROM stock_level WHERE sku IN ({})
          ORDER BY sku, warehouse_code",
        crate::db::placeholders_from(1, n)
    ))
}

fn group(rows: Vec<LevelRow>, out: &mut BTreeMap<String, Vec<StockLevel>>) {
    for r in rows {
        let (sku, l) = r.level();
        out.entry(sku).or_default().push(l);
    }
}

/// The levels of `skus` in every warehouse that stocks them.
pub async fn levels(
    db: &Db,
    skus: &[String],
) -> Result<BTreeMap<String, Vec<StockLevel>>, StoreError> {
    let mut out = BTreeMap::new();
    for chunk in skus.chunks(400) {
        let sql = levels_sql(chunk.len());
        let rows: Vec<LevelRow> = db_run!(db, |p| {
            let mut q = sqlx::query_as(sql);
            for s in chunk {
                q = q.bind(s);
            }
            q.fetch_all(p).await
        })?;
        group(rows, &mut out);
    }
    Ok(out)
}

/// The same, read inside a transaction (checkout plans its reservations
/// from it, then reserves conditionally).
pub async fn levels_in_many(
    tx: &mut Tx,
    skus: &[String],
) -> Result<BTreeMap<String, Vec<StockLevel>>, StoreError> {
    let mut out = BTreeMap::new();
    for chunk in skus.chunks(400) {
        let sql = levels_sql(chunk.len());
        let rows: Vec<LevelRow> = tx_run!(tx, |c| {
            let mut q = sqlx::query_as(sql);
            for s in chunk {
                q = q.bind(s);
            }
            q.fetch_all(&mut *c).await
        })?;
        group(rows, &mut out);
    }
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct PolicyRow {
    sku: String,
    backorders: bool,
    lead_time_days: Option<i32>,
}

fn policies_sql(n: usize) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(format!(
        "SELECT sku, backorders, lead_time_days FROM stock_policy WHERE sku IN ({})",
        crate::db::placeholders_from(1, n)
    ))
}

fn policy_of(r: PolicyRow) -> (String, SupplyPolicy) {
    (
        r.sku,
        SupplyPolicy {
            backorders: r.backorders,
            lead_time_days: r.lead_time_days.and_then(|d| u16::try_from(d).ok()),
        },
    )
}

/// The supply policies of `skus` that have one (others take no
/// backorders).
pub async fn policies(
    db: &Db,
    skus: &[String],
) -> Result<BTreeMap<String, SupplyPolicy>, StoreError> {
    let mut out = BTreeMap::new();
    for chunk in skus.chunks(400) {
        let sql = policies_sql(chunk.len());
        let rows: Vec<PolicyRow> = db_run!(db, |p| {
            let mut q = sqlx::query_as(sql);
            for s in chunk {
                q = q.bind(s);
            }
            q.fetch_all(p).await
        })?;
        out.extend(rows.into_iter().map(policy_of));
    }
    Ok(out)
}

/// The same, inside the checkout's transaction.
pub async fn policies_in(
    tx: &mut Tx,
    skus: &[String],
) -> Result<BTreeMap<String, SupplyPolicy>, StoreError> {
    let mut out = BTreeMap::new();
    for chunk in skus.chunks(400) {
        let sql = policies_sql(chunk.len());
        let rows: Vec<PolicyRow> = tx_run!(tx, |c| {
            let mut q = sqlx::query_as(sql);
            for s in chunk {
                q = q.bind(s);
            }
            q.fetch_all(&mut *c).await
        })?;
        out.extend(rows.into_iter().map(policy_of));
    }
    Ok(out)
}

/// Sets a SKU's supply policy.
pub async fn set_policy(
    tx: &mut Tx,
    sku: &str,
    policy: SupplyPolicy,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query(
            "INSERT INTO stock_policy (sku, backorders, lead_time_days, updated_at)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (sku) DO UPDATE SET backorders = excluded.backorders,
                lead_time_days = excluded.lead_time_days, updated_at = excluded.updated_at"
        )
        .bind(sku)
        .bind(policy.backorders)
        .bind(policy.lead_time_days.map(i32::from))
        .bind(now)
    )?;
    Ok(())
}

/// Reserves a backorder: `quantity` more than the warehouse has, for a
/// SKU that takes backorders. Reserved may then exceed on hand; available
/// stays 0 until goods arrive, and arriving goods serve backorders first.
pub async fn reserve_backorder(
    tx: &mut Tx,
    sku: &str,
    warehouse: &str,
    quantity: Decimal,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query(
            "INSERT INTO stock_level (sku, warehouse_code, on_hand, reserved, source, updated_at)
             VALUES ($1, $2, 0, $3, 'order', $4)
             ON CONFLICT (sku, warehouse_code) DO UPDATE
                SET reserved = stock_level.reserved + excluded.reserved"
        )
        .bind(sku)
        .bind(warehouse)
        .bind(to_units4(quantity)?)
        .bind(now)
    )?;
    Ok(())
}

/// Reserves `quantity` of a SKU in a warehouse if that much is available;
/// `false` (and nothing changed) when it is not.
pub async fn reserve(
    tx: &mut Tx,
    sku: &str,
    warehouse: &str,
    quantity: Decimal,
) -> Result<bool, StoreError> {
    let q = to_units4(quantity)?;
    let n = tx_exec!(
        tx,
        sqlx::query(
            "UPDATE stock_level SET reserved = reserved + $3
              WHERE sku = $1 AND warehouse_code = $2 AND on_hand - reserved >= $3"
        )
        .bind(sku)
        .bind(warehouse)
        .bind(q)
    )?;
    Ok(n == 1)
}

/// Gives back a reservation (cancelled order).
pub async fn release(
    tx: &mut Tx,
    sku: &str,
    warehouse: &str,
    quantity: Decimal,
) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query(
            "UPDATE stock_level SET reserved = CASE WHEN reserved > $3 THEN reserved - $3 ELSE 0 END
              WHERE sku = $1 AND warehouse_code = $2"
        )
        .bind(sku)
        .bind(warehouse)
        .bind(to_units4(quantity)?)
    )?;
    Ok(())
}

/// Takes shipped goods out of the warehouse: on hand and reserved both
/// fall by `quantity`. `false` (nothing changed) when fewer are on hand,
/// as with a backorder whose goods have not arrived.
pub async fn ship_out(
    tx: &mut Tx,
    sku: &str,
    warehouse: &str,
    quantity: Decimal,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let n = tx_exec!(
        tx,
        sqlx::query(
            "UPDATE stock_level SET on_hand = on_hand - $3,
                    reserved = CASE WHEN reserved > $3 THEN reserved - $3 ELSE 0 END, updated_at = $4
              WHERE sku = $1 AND warehouse_code = $2 AND on_hand >= $3"
        )
        .bind(sku)
        .bind(warehouse)
        .bind(to_units4(quantity)?)
        .bind(now)
    )?;
    Ok(n == 1)
}

// ---------------------------------------------------------------- credit

/// A company's credit line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreditLine {
    pub limit: Money,
    /// Drawn by open orders and unpaid invoices.
    pub balance: Money,
    pub payment_terms_days: i32,
}

impl CreditLine {
    /// What may still be ordered on account.
    pub fn available(&self) -> Money {
        let left = self.limit.amount() - self.balance.amount();
        Money::new(left.max(Decimal::ZERO), self.limit.currency())
            .unwrap_or_else(|_| Money::zero(self.limit.currency()))
    }
}

#[derive(sqlx::FromRow)]
struct CreditRow {
    currency: String,
    credit_limit: i64,
    balance: i64,
    payment_terms_days: i32,
}

/// The company's credit line, if it has one.
pub async fn credit_line(db: &Db, company: CompanyId) -> Result<Option<CreditLine>, StoreError> {
    let row: Option<CreditRow> = db_run!(db, |p| {
        sqlx::query_as(
            "SELECT currency, credit_limit, balance, payment_terms_days FROM credit_line WHERE company_id = $1",
        )
        .bind(company.0)
        .fetch_optional(p)
        .await
    })?;
    row.map(|r| {
        let c = Currency::parse(&r.currency).map_err(|e| StoreError::Corrupt {
            what: "credit_line",
            detail: e.to_string(),
        })?;
        Ok(CreditLine {
            limit: Money::from_storage_units(r.credit_limit, c),
            balance: Money::from_storage_units(r.balance, c),
            payment_terms_days: r.payment_terms_days,
        })
    })
    .transpose()
}

fn units(m: &Money) -> Result<i64, StoreError> {
    m.to_storage_units().map_err(|e| StoreError::Corrupt {
        what: "money",
        detail: e.to_string(),
    })
}

/// Sets a company's limit and terms; the balance stays.
pub async fn put_credit_line(
    tx: &mut Tx,
    company: CompanyId,
    limit: &Money,
    payment_terms_days: i32,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query(
            "INSERT INTO credit_line (company_id, currency, credit_limit, balance, payment_terms_days, updated_at)
             VALUES ($1, $2, $3, 0, $4, $5)
             ON CONFLICT (company_id) DO UPDATE SET currency = excluded.currency,
                credit_limit = excluded.credit_limit, payment_terms_days = excluded.payment_terms_days,
                updated_at = excluded.updated_at"
        )
        .bind(company.0)
        .bind(limit.currency().code())
        .bind(units(limit)?)
        .bind(payment_terms_days)
        .bind(now)
    )?;
    Ok(())
}

/// Draws `amount` on the company's credit line if that much is available;
/// `false` (nothing changed) when the line lacks it or does not exist.
pub async fn draw_credit(
    tx: &mut Tx,
    company: CompanyId,
    amount: &Money,
) -> Result<bool, StoreError> {
    let n = tx_exec!(
        tx,
        sqlx::query(
            "UPDATE credit_line SET balance = balance + $3
              WHERE company_id = $1 AND currency = $2 AND credit_limit - balance >= $3"
        )
        .bind(company.0)
        .bind(amount.currency().code())
        .bind(units(amount)?)
    )?;
    Ok(n == 1)
}

/// Gives credit back (order cancelled, invoice paid).
pub async fn repay_credit(
    tx: &mut Tx,
    company: CompanyId,
    amount: &Money,
) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query(
            "UPDATE credit_line SET balance = CASE WHEN balance > $2 THEN balance - $2 ELSE 0 END
              WHERE company_id = $1"
        )
        .bind(company.0)
        .bind(units(amount)?)
    )?;
    Ok(())
}

// ------------------------------------------------------------ stock list

/// Which rows the back office's stock list shows.
#[derive(Clone, Debug, Default)]
pub struct StockRowFilter {
    /// Part of the SKU (folded, so `hbm8` finds `HB-M8X20`) or of the
    /// product's name in any language, case-insensitive.
    pub text: Option<String>,
    /// Exactly this SKU (one SKU's page).
    pub sku: Option<String>,
    /// Only rows whose available quantity (on hand − reserved) is at most
    /// this: "low or out of stock".
    pub max_available: Option<Decimal>,
    /// Only this warehouse; a SKU without a level there shows as 0 in it.
    pub warehouse: Option<String>,
    /// Keyset: the rows after this (SKU, warehouse code; `""` for a SKU
    /// without any level).
    pub after: Option<(String, String)>,
    pub limit: i64,
}

/// One row of the stock list: a SKU in a warehouse, or a SKU with no level
/// at all (`warehouse: None`, 0 on hand).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StockRow {
    pub sku: String,
    pub product_name: mercato_core::LocalizedText,
    /// The variant's status (`active`, `draft`, `discontinued`).
    pub variant_status: String,
    /// `None`: no level (in the filtered warehouse, or anywhere).
    pub warehouse: Option<String>,
    pub on_hand: Decimal,
    pub reserved: Decimal,
    pub policy: SupplyPolicy,
    /// Who set the level last (`staff`, `api`, `import`, `order`) and when.
    pub source: Option<String>,
    pub updated_at: Option<Timestamp>,
}

impl StockRow {
    /// What may still be promised from this row (never below 0).
    pub fn available(&self) -> Decimal {
        (self.on_hand - self.reserved).max(Decimal::ZERO)
    }
}

#[derive(sqlx::FromRow)]
struct StockListRow {
    sku: String,
    name: sqlx::types::Json<mercato_core::LocalizedText>,
    variant_status: String,
    warehouse_code: Option<String>,
    on_hand: i64,
    reserved: i64,
    source: Option<String>,
    updated_at: Option<Timestamp>,
    backorders: Option<bool>,
    lead_time_days: Option<i32>,
}

/// `%text%` for LIKE … ESCAPE '\', so a typed `%` or `_` matches itself.
pub(crate) fn contains_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// The stock list, sorted by SKU then warehouse. It starts from `variant`
/// (LEFT JOIN `stock_level`), so an active SKU nobody has counted yet is
/// findable with 0 on hand, and an inactive one still shows while it has a
/// level; a level whose SKU is no longer in the catalog is not listed.
/// Without a warehouse filter a SKU has one row per warehouse holding a
/// level; the low-stock filter applies to each row (a SKU may be short in
/// one warehouse and not in another).
pub async fn stock_rows(db: &Db, f: &StockRowFilter) -> Result<Vec<StockRow>, StoreError> {
    const SQL: &str = "SELECT v.sku, p.name, v.status AS variant_status, l.warehouse_code,
            COALESCE(l.on_hand, 0) AS on_hand, COALESCE(l.reserved, 0) AS reserved,
            l.source, l.updated_at, sp.backorders, sp.lead_time_days
       FROM variant v
       JOIN product p ON p.product_id = v.product_id
       LEFT JOIN stock_level l ON l.sku = v.sku AND ($1 IS NULL OR l.warehouse_code = $1)
       LEFT JOIN stock_policy sp ON sp.sku = v.sku
      WHERE (v.status = 'active' OR l.sku IS NOT NULL)
        AND ($2 IS NULL OR v.sku_folded LIKE $2 ESCAPE '\\' OR LOWER(v.sku) LIKE $3 ESCAPE '\\'
             OR LOWER(CAST(p.name AS TEXT)) LIKE $3 ESCAPE '\\')
        AND ($4 IS NULL OR v.sku = $4)
        AND ($5 IS NULL OR COALESCE(l.on_hand, 0) - COALESCE(l.reserved, 0) <= $5)
        AND ($6 IS NULL OR v.sku > $6 OR (v.sku = $6 AND COALESCE(l.warehouse_code, '') > $7))
      ORDER BY v.sku, COALESCE(l.warehouse_code, '')
      LIMIT $8";
    let text = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let folded = text.map(|t| contains_pattern(&mercato_core::catalog::fold_part_number(t)));
    let lowered = text.map(|t| contains_pattern(&t.to_lowercase()));
    let max_available = f.max_available.map(to_units4).transpose()?;
    let (after_sku, after_wh) = match &f.after {
        Some((s, w)) => (Some(s.as_str()), Some(w.as_str())),
        None => (None, None),
    };
    let rows: Vec<StockListRow> = db_run!(db, |p| sqlx::query_as(SQL)
        .bind(f.warehouse.as_deref())
        .bind(folded.as_deref())
        .bind(lowered.as_deref())
        .bind(f.sku.as_deref())
        .bind(max_available)
        .bind(after_sku)
        .bind(after_wh)
        .bind(f.limit)
        .fetch_all(p)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|r| StockRow {
            sku: r.sku,
            product_name: r.name.0,
            variant_status: r.variant_status,
            // With a warehouse filter, a SKU without a level there is shown in it.
            warehouse: r.warehouse_code.or_else(|| f.warehouse.clone()),
            on_hand: from_units4(r.on_hand),
            reserved: from_units4(r.reserved),
            policy: SupplyPolicy {
                backorders: r.backorders.unwrap_or(false),
                lead_time_days: r.lead_time_days.and_then(|d| u16::try_from(d).ok()),
            },
            source: r.source,
            updated_at: r.updated_at,
        })
        .collect())
}
