//! Report queries for the dashboards (D2), computed with SQL on the primary
//! database. Date bucketing is the one per-backend difference (DESIGN.md
//! allows it here); every money sum stays in stored units (10⁻⁴) per
//! currency. Cancelled orders are not sales.

use crate::{Db, StoreError, Timestamp};
use mercato_core::LocalizedText;
use mercato_core::report::Bucket;
use sqlx::types::Json;
use uuid::Uuid;

/// What a report covers: `[from, to)` and optionally one market.
#[derive(Clone, Debug)]
pub struct ReportFilter {
    pub from: Timestamp,
    pub to: Timestamp,
    pub market: Option<String>,
}

/// Sales in one time bucket and currency.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct SalesRow {
    pub bucket: String,
    pub currency: String,
    pub orders: i64,
    /// Order totals, stored units.
    pub revenue: i64,
}

/// A top-N row: what, in which currency, how many orders or units, how much.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct TopRow {
    /// SKU, category id or company id as text.
    pub key: String,
    pub label: String,
    pub currency: String,
    /// Orders (companies) or quantity in stored units (products, categories).
    pub count: i64,
    pub revenue: i64,
}

fn bucket_sql(db: &Db, bucket: Bucket, column: &str) -> String {
    match (db, bucket) {
        (Db::Sqlite(_), Bucket::Day) => format!("substr({column}, 1, 10)"),
        (Db::Sqlite(_), Bucket::Month) => format!("substr({column}, 1, 7)"),
        (Db::Sqlite(_), Bucket::Week) => format!(
            "date(substr({column}, 1, 10), '-' || ((CAST(strftime('%w', substr({column}, 1, 10)) AS INTEGER) + 6) % 7) || ' days')"
        ),
        (Db::Pg(_), Bucket::Day) => format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD')"),
        (Db::Pg(_), Bucket::Month) => format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM')"),
        (Db::Pg(_), Bucket::Week) => {
            format!("to_char(date_trunc('week', {column} AT TIME ZONE 'UTC'), 'YYYY-MM-DD')")
        }
    }
}

/// The orders in range: `o` is sales_order; binds $1 from, $2 to, $3 market.
const ORDERS_IN_RANGE: &str = "o.placed_at >= $1 AND o.placed_at < $2 AND o.status <> 'cancelled'
    AND ($3 IS NULL OR o.market_code = $3)";

/// Orders and revenue per bucket and currency, oldest first.
pub async fn sales(db: &Db, f: &ReportFilter, bucket: Bucket) -> Result<Vec<SalesRow>, StoreError> {
    let b = bucket_sql(db, bucket, "o.placed_at");
    let sql = format!(
        "SELECT {b} AS bucket, o.currency, COUNT(*) AS orders, CAST(SUM(o.total) AS BIGINT) AS revenue
         FROM sales_order o WHERE {ORDERS_IN_RANGE}
         GROUP BY 1, o.currency ORDER BY 1, o.currency"
    );
    Ok(db_run!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(f.from)
            .bind(f.to)
            .bind(f.market.as_deref())
            .fetch_all(p)
            .await
    })?)
}

/// Units sold and revenue per SKU and currency over the range, every SKU
/// sold (a few thousand rows at most: one per SKU). The top products and
/// the category totals are both summed from this one pass over the lines,
/// which reads the `order_line_for_reports` index alone.
pub async fn sales_by_sku(db: &Db, f: &ReportFilter) -> Result<Vec<TopRow>, StoreError> {
    let sql = format!(
        "SELECT l.sku AS key, '' AS label, o.currency, CAST(SUM(l.quantity) AS BIGINT) AS count,
                CAST(SUM(l.line_total) AS BIGINT) AS revenue
         FROM sales_order o JOIN order_line l ON l.order_id = o.order_id
         WHERE {ORDERS_IN_RANGE} GROUP BY l.sku, o.currency"
    );
    Ok(db_run!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(f.from)
            .bind(f.to)
            .bind(f.market.as_deref())
            .fetch_all(p)
            .await
    })?)
}

/// Every SKU's product name and category (for naming and grouping report rows).
pub async fn sku_products(
    db: &Db,
) -> Result<Vec<(String, LocalizedText, Option<Uuid>)>, StoreError> {
    let rows: Vec<(String, Json<LocalizedText>, Option<Uuid>)> = db_run!(db, |p| {
        sqlx::query_as(
            "SELECT v.sku, p.name, p.category_id FROM variant v JOIN product p ON p.product_id = v.product_id",
        )
        .fetch_all(p)
        .await
    })?;
    Ok(rows.into_iter().map(|(s, n, c)| (s, n.0, c)).collect())
}

/// The `limit` companies with the most revenue (count: orders).
pub async fn top_companies(
    db: &Db,
    f: &ReportFilter,
    limit: u32,
) -> Result<Vec<TopRow>, StoreError> {
    let sql = format!(
        "SELECT o.company_id, MIN(c.name), o.currency, COUNT(*), CAST(SUM(o.total) AS BIGINT) AS revenue
         FROM sales_order o JOIN company c ON c.company_id = o.company_id
         WHERE {ORDERS_IN_RANGE} GROUP BY o.company_id, o.currency
         ORDER BY revenue DESC, o.company_id LIMIT $4"
    );
    let rows: Vec<(Uuid, String, String, i64, i64)> = db_run!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(f.from)
            .bind(f.to)
            .bind(f.market.as_deref())
            .bind(i64::from(limit))
            .fetch_all(p)
            .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(id, label, currency, count, revenue)| TopRow {
            key: id.to_string(),
            label,
            currency,
            count,
            revenue,
        })
        .collect())
}

/// Carts started in range (by their company's market): the funnel's middle.
pub async fn carts_started(db: &Db, f: &ReportFilter) -> Result<i64, StoreError> {
    Ok(db_run!(db, |p| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM cart c JOIN company co ON co.company_id = c.company_id
             WHERE c.created_at >= $1 AND c.created_at < $2 AND ($3 IS NULL OR co.market_code = $3)",
        )
        .bind(f.from)
        .bind(f.to)
        .bind(f.market.as_deref())
        .fetch_one(p)
        .await
    })?)
}

/// Inquiries received in range, per kind and status.
pub async fn inquiries(
    db: &Db,
    f: &ReportFilter,
) -> Result<Vec<(String, String, i64)>, StoreError> {
    Ok(db_run!(db, |p| {
        sqlx::query_as(
            "SELECT kind, status, COUNT(*) FROM inquiry
             WHERE created_at >= $1 AND created_at < $2 AND ($3 IS NULL OR market_code = $3)
             GROUP BY kind, status ORDER BY kind, status",
        )
        .bind(f.from)
        .bind(f.to)
        .bind(f.market.as_deref())
        .fetch_all(p)
        .await
    })?)
}
