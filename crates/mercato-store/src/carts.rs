//! Carts, kept server-side so the same cart follows a buyer between the
//! web, a phone and the API (O4). Every read and write takes the
//! [`CompanyScope`] the app made after its access check.

use crate::catalog::{from_units4, to_units4};
use crate::companies::CompanyScope;
use crate::{Db, StoreError, Timestamp, Tx};
use mercato_core::cart::OrderRules;
use mercato_core::catalog::SalesUnit;
use mercato_core::{CompanyId, LocalizedText, UserId};
use rust_decimal::Decimal;
use sqlx::types::Json;
use std::collections::BTreeMap;
use uuid::Uuid;

/// A cart's header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cart {
    pub id: Uuid,
    pub company_id: CompanyId,
    pub user_id: UserId,
    /// `None` for the buyer's active cart; a name for a saved cart.
    pub name: Option<String>,
    /// `open` or `ordered`.
    pub status: String,
    pub coupons: Vec<String>,
    pub updated_at: Timestamp,
}

/// One line of a cart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CartLine {
    pub id: Uuid,
    pub sku: String,
    pub quantity: Decimal,
    /// The unit price the buyer was last shown (storage units of the
    /// cart's currency), to flag a change.
    pub seen_unit_price: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct CartRow {
    cart_id: Uuid,
    company_id: Uuid,
    user_id: Uuid,
    name: Option<String>,
    status: String,
    coupons: Json<Vec<String>>,
    updated_at: Timestamp,
}

impl From<CartRow> for Cart {
    fn from(r: CartRow) -> Self {
        Cart {
            id: r.cart_id,
            company_id: CompanyId(r.company_id),
            user_id: UserId(r.user_id),
            name: r.name,
            status: r.status,
            coupons: r.coupons.0,
            updated_at: r.updated_at,
        }
    }
}

const CART: &str =
    "SELECT cart_id, company_id, user_id, name, status, coupons, updated_at FROM cart";

/// Creates an open cart.
pub async fn create(
    tx: &mut Tx,
    scope: &CompanyScope,
    user: UserId,
    name: Option<&str>,
    now: Timestamp,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    tx_exec!(
        tx,
        sqlx::query(
            "INSERT INTO cart (cart_id, company_id, user_id, name, status, coupons, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 'open', $5, $6, $6)"
        )
        .bind(id)
        .bind(scope.company_id().0)
        .bind(user.0)
        .bind(name)
        .bind(Json(Vec::<String>::new()))
        .bind(now)
    )?;
    Ok(id)
}

/// The user's active (unnamed, open) cart.
pub async fn active(
    db: &Db,
    scope: &CompanyScope,
    user: UserId,
) -> Result<Option<Cart>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{CART} WHERE company_id = $1 AND user_id = $2 AND name IS NULL AND status = 'open'"
    ));
    let row: Option<CartRow> = db_run!(db, |p| {
        sqlx::query_as(sql)
            .bind(scope.company_id().0)
            .bind(user.0)
            .fetch_optional(p)
            .await
    })?;
    Ok(row.map(Cart::from))
}

/// One cart of the company.
pub async fn get(db: &Db, scope: &CompanyScope, id: Uuid) -> Result<Option<Cart>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("{CART} WHERE cart_id = $1 AND company_id = $2"));
    let row: Option<CartRow> = db_run!(db, |p| {
        sqlx::query_as(sql)
            .bind(id)
            .bind(scope.company_id().0)
            .fetch_optional(p)
            .await
    })?;
    Ok(row.map(Cart::from))
}

/// The same, inside the order transaction (its status decides whether it
/// may still be ordered).
pub async fn get_in(
    tx: &mut Tx,
    scope: &CompanyScope,
    id: Uuid,
) -> Result<Option<Cart>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("{CART} WHERE cart_id = $1 AND company_id = $2"));
    let row: Option<CartRow> = tx_run!(tx, |c| {
        sqlx::query_as(sql)
            .bind(id)
            .bind(scope.company_id().0)
            .fetch_optional(&mut *c)
            .await
    })?;
    Ok(row.map(Cart::from))
}

/// The user's open carts, the active one first, then saved ones by name.
pub async fn list(db: &Db, scope: &CompanyScope, user: UserId) -> Result<Vec<Cart>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{CART} WHERE company_id = $1 AND user_id = $2 AND status = 'open'
          ORDER BY CASE WHEN name IS NULL THEN 0 ELSE 1 END, name, cart_id"
    ));
    let rows: Vec<CartRow> = db_run!(db, |p| {
        sqlx::query_as(sql)
            .bind(scope.company_id().0)
            .bind(user.0)
            .fetch_all(p)
            .await
    })?;
    Ok(rows.into_iter().map(Cart::from).collect())
}

#[derive(sqlx::FromRow)]
struct LineRow {
    cart_line_id: Uuid,
    sku: String,
    quantity: i64,
    seen_unit_price: Option<i64>,
}

/// A cart's lines in the order they were added.
pub async fn lines(db: &Db, cart: Uuid) -> Result<Vec<CartLine>, StoreError> {
    let rows: Vec<LineRow> = db_run!(db, |p| {
        sqlx::query_as(
            "SELECT cart_line_id, sku, quantity, seen_unit_price FROM cart_line WHERE cart_id = $1
              ORDER BY position, cart_line_id",
        )
        .bind(cart)
        .fetch_all(p)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| CartLine {
            id: r.cart_line_id,
            sku: r.sku,
            quantity: from_units4(r.quantity),
            seen_unit_price: r.seen_unit_price,
        })
        .collect())
}

/// Sets a SKU's quantity in a cart (adding the line when it is new) and
/// returns the line's id.
pub async fn put_line(
    tx: &mut Tx,
    cart: Uuid,
    sku: &str,
    quantity: Decimal,
    now: Timestamp,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    let q = to_units4(quantity)?;
    let line: Uuid = tx_run!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO cart_line (cart_line_id, cart_id, sku, quantity, position, added_at)
             VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(position), 0) + 1 FROM cart_line WHERE cart_id = $2), $5)
             ON CONFLICT (cart_id, sku) DO UPDATE SET quantity = excluded.quantity
             RETURNING cart_line_id",
        )
        .bind(id)
        .bind(cart)
        .bind(sku)
        .bind(q)
        .bind(now)
        .fetch_one(&mut *c)
        .await
    })?;
    touch(tx, cart, now).await?;
    Ok(line)
}

/// Changes a line's quantity; `false` when the line is not in the cart.
pub async fn set_quantity(
    tx: &mut Tx,
    cart: Uuid,
    line: Uuid,
    quantity: Decimal,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let n = tx_exec!(
        tx,
        sqlx::query("UPDATE cart_line SET quantity = $3 WHERE cart_id = $1 AND cart_line_id = $2")
            .bind(cart)
            .bind(line)
            .bind(to_units4(quantity)?)
    )?;
    touch(tx, cart, now).await?;
    Ok(n == 1)
}

/// Removes a line; `false` when it is not in the cart.
pub async fn delete_line(
    tx: &mut Tx,
    cart: Uuid,
    line: Uuid,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let n = tx_exec!(
        tx,
        sqlx::query("DELETE FROM cart_line WHERE cart_id = $1 AND cart_line_id = $2")
            .bind(cart)
            .bind(line)
    )?;
    touch(tx, cart, now).await?;
    Ok(n == 1)
}

/// Remembers the unit prices the buyer has now been shown.
pub async fn set_seen_prices(
    tx: &mut Tx,
    cart: Uuid,
    prices: &[(Uuid, Option<i64>)],
) -> Result<(), StoreError> {
    for (line, price) in prices {
        tx_exec!(
            tx,
            sqlx::query(
                "UPDATE cart_line SET seen_unit_price = $3 WHERE cart_id = $1 AND cart_line_id = $2"
            )
            .bind(cart)
            .bind(*line)
            .bind(*price)
        )?;
    }
    Ok(())
}

/// Replaces the cart's coupon codes.
pub async fn set_coupons(
    tx: &mut Tx,
    cart: Uuid,
    coupons: &[String],
    now: Timestamp,
) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query("UPDATE cart SET coupons = $2, updated_at = $3 WHERE cart_id = $1")
            .bind(cart)
            .bind(Json(coupons))
            .bind(now)
    )?;
    Ok(())
}

/// Marks a cart as ordered, if it is still open; `false` when another
/// request ordered it first.
pub async fn mark_ordered(tx: &mut Tx, cart: Uuid, now: Timestamp) -> Result<bool, StoreError> {
    let n = tx_exec!(
        tx,
        sqlx::query("UPDATE cart SET status = 'ordered', updated_at = $2 WHERE cart_id = $1 AND status = 'open'")
            .bind(cart)
            .bind(now)
    )?;
    Ok(n == 1)
}

async fn touch(tx: &mut Tx, cart: Uuid, now: Timestamp) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query("UPDATE cart SET updated_at = $2 WHERE cart_id = $1")
            .bind(cart)
            .bind(now)
    )?;
    Ok(())
}

/// What checkout needs to know about a SKU.
#[derive(Clone, Debug, PartialEq)]
pub struct SkuFacts {
    pub sku: String,
    pub name: LocalizedText,
    /// Both the product and the variant are active.
    pub active: bool,
    /// Markets the product is sold in; empty = all.
    pub markets: Vec<String>,
    pub rules: OrderRules,
    pub weight_kg: Option<Decimal>,
    pub category_id: Option<Uuid>,
    pub brand_id: Option<Uuid>,
}

#[derive(sqlx::FromRow)]
struct FactsRow {
    sku: String,
    name: Json<LocalizedText>,
    product_status: String,
    variant_status: String,
    markets: Json<Vec<String>>,
    unit: String,
    min_quantity: i64,
    quantity_step: i64,
    weight_kg: Option<i64>,
    category_id: Option<Uuid>,
    brand_id: Option<Uuid>,
}

/// Facts for `skus` (exact part numbers); unknown ones are absent.
pub async fn sku_facts(db: &Db, skus: &[String]) -> Result<BTreeMap<String, SkuFacts>, StoreError> {
    let mut out = BTreeMap::new();
    for chunk in skus.chunks(400) {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT v.sku, p.name, p.status AS product_status, v.status AS variant_status, p.markets, v.unit,
                    v.min_quantity, v.quantity_step, v.weight_kg, p.category_id, p.brand_id
               FROM variant v JOIN product p ON p.product_id = v.product_id
              WHERE v.sku IN ({})",
            crate::db::placeholders_from(1, chunk.len())
        ));
        let rows: Vec<FactsRow> = db_run!(db, |p| {
            let mut q = sqlx::query_as(sql);
            for s in chunk {
                q = q.bind(s);
            }
            q.fetch_all(p).await
        })?;
        for r in rows {
            let unit = SalesUnit::parse(&r.unit).map_err(|e| StoreError::Corrupt {
                what: "variant",
                detail: e.to_string(),
            })?;
            out.insert(
                r.sku.clone(),
                SkuFacts {
                    sku: r.sku,
                    name: r.name.0,
                    active: r.product_status == "active" && r.variant_status == "active",
                    markets: r.markets.0,
                    rules: OrderRules {
                        unit,
                        min_quantity: from_units4(r.min_quantity),
                        quantity_step: from_units4(r.quantity_step),
                    },
                    weight_kg: r.weight_kg.map(from_units4),
                    category_id: r.category_id,
                    brand_id: r.brand_id,
                },
            );
        }
    }
    Ok(out)
}
