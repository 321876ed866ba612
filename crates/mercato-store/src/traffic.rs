//! Daily traffic counts per market (`traffic_daily`, D1): added in batches
//! from the web layer's in-memory counts, read by the back office's
//! statistics and dashboards. `mercato_core::traffic` says what is counted.
//! Key `''` is a metric's total; the reads below keep totals and keys apart.

use crate::{Db, StoreError};
use mercato_core::traffic::{Metric, day_code, parse_day};
use std::collections::BTreeMap;
use time::Date;

/// One count to add.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrafficCount {
    /// The UTC day it happened on.
    pub day: Date,
    pub market: String,
    pub metric: Metric,
    /// `""` for the metric's total.
    pub key: String,
    pub count: i64,
}

/// Rows per statement: 5 parameters each, far below both backends' limits.
const CHUNK: usize = 200;

/// Adds `counts` to the stored ones in one transaction (a row that exists
/// grows, a new one is inserted). Counts for the same row are merged first:
/// PostgreSQL refuses to upsert one row twice in a statement.
pub async fn add(db: &Db, counts: &[TrafficCount]) -> Result<(), StoreError> {
    let mut merged: BTreeMap<(Metric, String, &str, &str), i64> = BTreeMap::new();
    for c in counts.iter().filter(|c| c.count > 0) {
        *merged
            .entry((c.metric, day_code(c.day), c.market.as_str(), c.key.as_str()))
            .or_default() += c.count;
    }
    if merged.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = merged.into_iter().collect();
    let mut tx = db.begin().await?;
    for chunk in rows.chunks(CHUNK) {
        let values = (0..chunk.len())
            .map(|i| {
                let b = 1 + i * 5;
                format!("(${}, ${}, ${}, ${}, ${})", b, b + 1, b + 2, b + 3, b + 4)
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = sqlx::AssertSqlSafe(format!(
            "INSERT INTO traffic_daily (metric, day, market_code, key, count) VALUES {values}
             ON CONFLICT (metric, day, market_code, key)
             DO UPDATE SET count = traffic_daily.count + excluded.count"
        ));
        tx_exec!(tx, {
            let mut q = sqlx::query(sql);
            for ((metric, day, market, key), count) in chunk {
                q = q
                    .bind(metric.code())
                    .bind(day.as_str())
                    .bind(*market)
                    .bind(*key)
                    .bind(*count);
            }
            q
        })?;
    }
    tx.commit().await?;
    Ok(())
}

/// Each metric's total over days `from` to `to` (both included) in
/// `market`, or in all markets (metrics without counts are left out).
pub async fn totals(
    db: &Db,
    from: Date,
    to: Date,
    market: Option<&str>,
) -> Result<Vec<(Metric, i64)>, StoreError> {
    // `metric IN (…)` lets both backends seek the primary key once per
    // metric instead of scanning every key of every day.
    let list = Metric::ALL
        .iter()
        .map(|m| format!("'{}'", m.code()))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT metric, CAST(SUM(count) AS BIGINT) FROM traffic_daily
         WHERE metric IN ({list}) AND day >= $1 AND day <= $2 AND key = ''
           AND ($3 IS NULL OR market_code = $3)
         GROUP BY metric"
    ));
    let rows: Vec<(String, i64)> = db_run!(db, |p| sqlx::query_as(sql)
        .bind(day_code(from))
        .bind(day_code(to))
        .bind(market)
        .fetch_all(p)
        .await)?;
    rows.into_iter()
        .map(|(m, n)| Ok((metric(&m)?, n)))
        .collect()
}

/// The `limit` keys of `metric` with the highest counts over days `from`
/// to `to` in `market` (or all markets), highest first (ties by key, so the order is stable).
pub async fn top(
    db: &Db,
    metric: Metric,
    from: Date,
    to: Date,
    market: Option<&str>,
    limit: i64,
) -> Result<Vec<(String, i64)>, StoreError> {
    let rows: Vec<(String, i64)> = db_run!(db, |p| sqlx::query_as(
        "SELECT key, CAST(SUM(count) AS BIGINT) AS n FROM traffic_daily
         WHERE metric = $1 AND day >= $2 AND day <= $3 AND key <> ''
           AND ($4 IS NULL OR market_code = $4)
         GROUP BY key ORDER BY n DESC, key LIMIT $5"
    )
    .bind(metric.code())
    .bind(day_code(from))
    .bind(day_code(to))
    .bind(market)
    .bind(limit)
    .fetch_all(p)
    .await)?;
    Ok(rows)
}

/// `metric`'s total per day from `from` to `to` in `market` (or all
/// markets), oldest first; days without counts are left out.
pub async fn by_day(
    db: &Db,
    metric: Metric,
    from: Date,
    to: Date,
    market: Option<&str>,
) -> Result<Vec<(Date, i64)>, StoreError> {
    let rows: Vec<(String, i64)> = db_run!(db, |p| sqlx::query_as(
        "SELECT day, CAST(SUM(count) AS BIGINT) FROM traffic_daily
         WHERE metric = $1 AND day >= $2 AND day <= $3 AND key = ''
           AND ($4 IS NULL OR market_code = $4)
         GROUP BY day ORDER BY day"
    )
    .bind(metric.code())
    .bind(day_code(from))
    .bind(day_code(to))
    .bind(market)
    .fetch_all(p)
    .await)?;
    rows.into_iter()
        .map(|(d, n)| {
            let day = parse_day(&d).ok_or_else(|| StoreError::Corrupt {
                what: "traffic_daily",
                detail: format!("day {d:?}"),
            })?;
            Ok((day, n))
        })
        .collect()
}

fn metric(code: &str) -> Result<Metric, StoreError> {
    Metric::parse(code).ok_or_else(|| StoreError::Corrupt {
        what: "traffic_daily",
        detail: format!("metric {code:?}"),
    })
}
