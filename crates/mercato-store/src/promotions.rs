//! Promotions (cart rules and coupons) and the orders that used them. The
//! store keeps definitions and counts uses; what a cart gets is
//! `mercato_core::promotion::apply`.

use crate::{Db, StoreError, Timestamp, Tx};
use mercato_core::CompanyId;
use mercato_core::money::Currency;
use mercato_core::promotion::{Action, Condition, Promotion, Stacking, Usage};
use sqlx::types::Json;
use std::collections::BTreeMap;
use uuid::Uuid;

/// Where and whether a stored promotion runs, next to its rule
/// ([`Promotion`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredPromotion {
    pub id: Uuid,
    /// Its amounts are in this currency; only carts in it see it.
    pub currency: Currency,
    /// `None`: every market trading in `currency`.
    pub market: Option<String>,
    /// Inactive promotions are kept (with their usage) but never offered.
    pub active: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

fn corrupt(detail: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        what: "promotion",
        detail: detail.into(),
    }
}

fn stacking_column(s: Stacking) -> &'static str {
    match s {
        Stacking::Stackable => "stackable",
        Stacking::Exclusive => "exclusive",
    }
}

fn limit_column(limit: Option<u32>) -> Option<i64> {
    limit.map(i64::from)
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

const COLUMNS: &str = "promotion_id, name, currency, market_code, priority, stacking, coupon_code, valid_from, valid_to,
        usage_limit, per_company_limit, conditions, action, active, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct Row {
    promotion_id: Uuid,
    name: String,
    currency: String,
    market_code: Option<String>,
    priority: i32,
    stacking: String,
    coupon_code: Option<String>,
    valid_from: Option<Timestamp>,
    valid_to: Option<Timestamp>,
    usage_limit: Option<i64>,
    per_company_limit: Option<i64>,
    // Read as plain JSON and converted here, so a definition this code
    // cannot read is reported as corrupt, naming the promotion.
    conditions: Json<serde_json::Value>,
    action: Json<serde_json::Value>,
    active: bool,
    created_at: Timestamp,
    updated_at: Timestamp,
}

impl TryFrom<Row> for (StoredPromotion, Promotion) {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<Self, StoreError> {
        let id = r.promotion_id;
        let bad = |what: &str, e: &dyn std::fmt::Display| corrupt(format!("{id} {what}: {e}"));
        let stacking = match r.stacking.as_str() {
            "stackable" => Stacking::Stackable,
            "exclusive" => Stacking::Exclusive,
            other => return Err(bad("stacking", &other)),
        };
        let limit = |n: Option<i64>, what: &str| {
            n.map(|n| u32::try_from(n).map_err(|e| bad(what, &e)))
                .transpose()
        };
        let conditions: Vec<Condition> =
            serde_json::from_value(r.conditions.0).map_err(|e| bad("conditions", &e))?;
        let action: Action = serde_json::from_value(r.action.0).map_err(|e| bad("action", &e))?;
        let meta = StoredPromotion {
            id,
            currency: Currency::parse(&r.currency).map_err(|e| bad("currency", &e))?,
            market: r.market_code,
            active: r.active,
            created_at: r.created_at,
            updated_at: r.updated_at,
        };
        let promotion = Promotion {
            id,
            name: r.name,
            priority: r.priority,
            stacking,
            coupon: r.coupon_code,
            valid_from: r.valid_from.map(|t| t.as_offset()),
            valid_to: r.valid_to.map(|t| t.as_offset()),
            usage_limit: limit(r.usage_limit, "usage_limit")?,
            per_company_limit: limit(r.per_company_limit, "per_company_limit")?,
            conditions,
            action,
        };
        Ok((meta, promotion))
    }
}

fn rows(rows: Vec<Row>) -> Result<Vec<(StoredPromotion, Promotion)>, StoreError> {
    rows.into_iter().map(TryFrom::try_from).collect()
}

/// Stores a new promotion. `p.id` is `meta.id`; its coupon code must
/// already be upper-cased (the unique index compares codes as stored, so
/// a code in another case would slip past it).
pub async fn insert(tx: &mut Tx, meta: &StoredPromotion, p: &Promotion) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query(
            "INSERT INTO promotion (promotion_id, name, currency, market_code, priority, stacking, coupon_code,
                                    valid_from, valid_to, usage_limit, per_company_limit, conditions, action,
                                    active, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
        )
        .bind(meta.id)
        .bind(&p.name)
        .bind(meta.currency.code())
        .bind(meta.market.as_deref())
        .bind(p.priority)
        .bind(stacking_column(p.stacking))
        .bind(p.coupon.as_deref())
        .bind(p.valid_from.map(Timestamp::from))
        .bind(p.valid_to.map(Timestamp::from))
        .bind(limit_column(p.usage_limit))
        .bind(limit_column(p.per_company_limit))
        .bind(Json(&p.conditions))
        .bind(Json(&p.action))
        .bind(meta.active)
        .bind(meta.created_at)
        .bind(meta.updated_at)
    )?;
    Ok(())
}

/// Replaces a promotion's definition (everything but `created_at`), with
/// `meta.updated_at`; returns whether it exists.
pub async fn update(
    tx: &mut Tx,
    meta: &StoredPromotion,
    p: &Promotion,
) -> Result<bool, StoreError> {
    let n = tx_exec!(
        tx,
        sqlx::query(
            "UPDATE promotion SET name = $2, currency = $3, market_code = $4, priority = $5, stacking = $6,
                    coupon_code = $7, valid_from = $8, valid_to = $9, usage_limit = $10, per_company_limit = $11,
                    conditions = $12, action = $13, active = $14, updated_at = $15
              WHERE promotion_id = $1"
        )
        .bind(meta.id)
        .bind(&p.name)
        .bind(meta.currency.code())
        .bind(meta.market.as_deref())
        .bind(p.priority)
        .bind(stacking_column(p.stacking))
        .bind(p.coupon.as_deref())
        .bind(p.valid_from.map(Timestamp::from))
        .bind(p.valid_to.map(Timestamp::from))
        .bind(limit_column(p.usage_limit))
        .bind(limit_column(p.per_company_limit))
        .bind(Json(&p.conditions))
        .bind(Json(&p.action))
        .bind(meta.active)
        .bind(meta.updated_at)
    )?;
    Ok(n == 1)
}

/// One promotion.
pub async fn get(db: &Db, id: Uuid) -> Result<Option<(StoredPromotion, Promotion)>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM promotion WHERE promotion_id = $1"
    ));
    let row: Option<Row> = db_run!(db, |p| {
        sqlx::query_as(sql).bind(id).fetch_optional(p).await
    })?;
    row.map(TryFrom::try_from).transpose()
}

/// Every promotion, in the order carts consider them: higher priority
/// first, then by id.
pub async fn list(db: &Db) -> Result<Vec<(StoredPromotion, Promotion)>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM promotion ORDER BY priority DESC, promotion_id"
    ));
    let found: Vec<Row> = db_run!(db, |p| sqlx::query_as(sql).fetch_all(p).await)?;
    rows(found)
}

/// The promotion holding coupon `code` (as stored: upper case), if any.
pub async fn find_by_coupon(db: &Db, code: &str) -> Result<Option<Uuid>, StoreError> {
    Ok(db_run!(db, |p| {
        sqlx::query_scalar("SELECT promotion_id FROM promotion WHERE coupon_code = $1")
            .bind(code)
            .fetch_optional(p)
            .await
    })?)
}

/// Deletes a promotion; returns whether it existed. A promotion that an
/// order used is refused with [`StoreError::Conflict`] (its usage rows
/// keep the limits honest and the history true): deactivate it instead.
pub async fn delete(tx: &mut Tx, id: Uuid) -> Result<bool, StoreError> {
    let n = tx_exec!(
        tx,
        sqlx::query("DELETE FROM promotion WHERE promotion_id = $1").bind(id)
    )?;
    Ok(n == 1)
}

/// The active promotions a cart in `currency` and `market` may see at
/// `at`, in the order carts consider them, in one query. Automatic
/// promotions outside their validity window are left out (a cart need not
/// list every promotion that ended last year); coupon promotions are
/// loaded whatever their window, so a typed code is refused with its
/// reason ("expired on …", "can be used from …") rather than as unknown.
/// The window itself is decided by `mercato_core::promotion::apply`.
pub async fn active_for(
    db: &Db,
    currency: Currency,
    market: &str,
    at: Timestamp,
) -> Result<Vec<(StoredPromotion, Promotion)>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM promotion
          WHERE active = TRUE AND currency = $1 AND (market_code IS NULL OR market_code = $2)
            AND (coupon_code IS NOT NULL
                 OR ((valid_from IS NULL OR valid_from <= $3) AND (valid_to IS NULL OR valid_to > $3)))
          ORDER BY priority DESC, promotion_id"
    ));
    let found: Vec<Row> = db_run!(db, |p| {
        sqlx::query_as(sql)
            .bind(currency.code())
            .bind(market)
            .bind(at)
            .fetch_all(p)
            .await
    })?;
    rows(found)
}

#[derive(sqlx::FromRow)]
struct UsageRow {
    promotion_id: Uuid,
    total: i64,
    by_company: i64,
}

impl UsageRow {
    fn usage(&self) -> Usage {
        Usage {
            total: count(self.total),
            by_company: count(self.by_company),
        }
    }
}

/// Uses in all and by the company bound to `$1`.
const USAGE_COUNTS: &str = "COUNT(*) AS total, COALESCE(SUM(CASE WHEN company_id = $1 THEN 1 ELSE 0 END), 0) AS by_company";

/// How often orders used each of `promotion_ids`, in all and by
/// `company`. Promotions never used are left out (the core reads a
/// missing entry as never used).
pub async fn usage(
    db: &Db,
    promotion_ids: &[Uuid],
    company: CompanyId,
) -> Result<BTreeMap<Uuid, Usage>, StoreError> {
    let mut out = BTreeMap::new();
    for chunk in promotion_ids.chunks(400) {
        let ph = crate::db::placeholders_from(2, chunk.len());
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT promotion_id, {USAGE_COUNTS} FROM promotion_usage
              WHERE promotion_id IN ({ph}) GROUP BY promotion_id"
        ));
        let found: Vec<UsageRow> = db_run!(db, |p| {
            let mut q = sqlx::query_as(sql).bind(company.0);
            for id in chunk {
                q = q.bind(*id);
            }
            q.fetch_all(p).await
        })?;
        out.extend(found.iter().map(|r| (r.promotion_id, r.usage())));
    }
    Ok(out)
}

/// How often orders used `promotion_id`, in all and by `company`, read
/// inside the order transaction to re-check the limits just before
/// [`record_usage`]. It first locks the promotion's row (a no-op update:
/// PostgreSQL holds the row lock until the transaction ends; SQLite
/// transactions already write one at a time), so two orders cannot both
/// take the last use. Call it in promotion-id order when an order uses
/// several, so that two orders never end up waiting for each other.
pub async fn usage_in(
    tx: &mut Tx,
    promotion_id: Uuid,
    company: CompanyId,
) -> Result<Usage, StoreError> {
    tx_exec!(
        tx,
        sqlx::query("UPDATE promotion SET updated_at = updated_at WHERE promotion_id = $1")
            .bind(promotion_id)
    )?;
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {USAGE_COUNTS} FROM promotion_usage WHERE promotion_id = $2"
    ));
    let (total, by_company): (i64, i64) = tx_run!(tx, |c| {
        sqlx::query_as(sql)
            .bind(company.0)
            .bind(promotion_id)
            .fetch_one(&mut *c)
            .await
    })?;
    Ok(Usage {
        total: count(total),
        by_company: count(by_company),
    })
}

/// Records that order `order_id` of `company_id` used `promotion_id`.
/// Recording the same order twice is a [`StoreError::Conflict`].
pub async fn record_usage(
    tx: &mut Tx,
    promotion_id: Uuid,
    order_id: Uuid,
    company_id: CompanyId,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query(
            "INSERT INTO promotion_usage (promotion_id, order_id, company_id, used_at) VALUES ($1, $2, $3, $4)"
        )
        .bind(promotion_id)
        .bind(order_id)
        .bind(company_id.0)
        .bind(now)
    )?;
    Ok(())
}

/// Gives back the promotion uses of a cancelled order, so a coupon limited
/// to one use per company can be used again on the next order.
pub async fn release_usage(tx: &mut Tx, order_id: Uuid) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query("DELETE FROM promotion_usage WHERE order_id = $1").bind(order_id)
    )?;
    Ok(())
}
