//! Report queries for the dashboards (D2), computed with SQL on the primary
//! database. Date bucketing is the one per-backend difference (DESIGN.md
//! allows it here); every money sum stays in stored units (10⁻⁴) per
//! currency. Cancelled orders are not sales.

use crate::{Db, StoreError, Timestamp};
use mercato_core::LocalizedText;
use mercato_core::report::{self, Bucket};
use sqlx::types::Json;
use std::collections::BTreeSet;
use time::{Date, Duration};
use uuid::Uuid;

/// What a report covers: `[from, to)` and optionally one market.
#[derive(Clone, Debug)]
pub struct ReportFilter {
    pub from: Timestamp,
    pub to: Timestamp,
    pub market: Option<String>,
    /// Days before this one are read from the rollups ([`refresh_rollups`]
    /// says how far they go); none: every day is read from the orders.
    pub rolled_up_before: Option<Date>,
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

/// How a report's range splits between the rollups and the live orders:
/// closed days `[from, rolled)` are read from the `report_*` tables (edge
/// days by day, whole weeks by week), the rest `[rolled, to)` from the orders.
struct Split {
    from: String,
    weeks_from: String,
    weeks_to: String,
    rolled: String,
    live_from: Timestamp,
    live_to: Timestamp,
}

impl Split {
    fn of(f: &ReportFilter) -> Self {
        let from = f.from.as_offset().date();
        let to = f.to.as_offset().date();
        let rolled = f.rolled_up_before.unwrap_or(from).clamp(from, to);
        let (weeks_from, weeks_to) = report::whole_weeks(from, rolled);
        Split {
            from: report::iso(from),
            weeks_from: report::iso(weeks_from),
            weeks_to: report::iso(weeks_to),
            rolled: report::iso(rolled),
            live_from: Timestamp::from(rolled.midnight().assume_utc()),
            live_to: f.to,
        }
    }
}

/// The rolled-up rows of `table` for a [`Split`]: whole weeks, then the
/// edge days. Binds $1 from, $2 weeks_from, $3 weeks_to, $4 rolled, $5 market.
fn rolled_up(table: &str, columns: &str) -> String {
    format!(
        "SELECT {columns} FROM {table} WHERE grain = 'week' AND period >= $2 AND period < $3
             AND ($5 IS NULL OR market_code = $5)
         UNION ALL SELECT {columns} FROM {table} WHERE grain = 'day' AND period >= $1 AND period < $2
             AND ($5 IS NULL OR market_code = $5)
         UNION ALL SELECT {columns} FROM {table} WHERE grain = 'day' AND period >= $3 AND period < $4
             AND ($5 IS NULL OR market_code = $5)"
    )
}

/// The live orders of a [`Split`] (`o` is sales_order): those placed in
/// `[$from, $to)`, not cancelled, in market `$market` if it is not null.
fn live_orders(market: u8, from: u8, to: u8) -> String {
    format!(
        "o.placed_at >= ${from} AND o.placed_at < ${to} AND o.status <> 'cancelled'
         AND (${market} IS NULL OR o.market_code = ${market})"
    )
}

/// Orders and revenue per UTC day and currency, oldest first; the caller
/// groups days into weeks or months ([`Bucket::label`]).
pub async fn daily_sales(db: &Db, f: &ReportFilter) -> Result<Vec<SalesRow>, StoreError> {
    let day = bucket_sql(db, Bucket::Day, "o.placed_at");
    let live = live_orders(3, 4, 5);
    let sql = format!(
        "SELECT day AS bucket, currency, CAST(SUM(orders) AS BIGINT) AS orders,
                CAST(SUM(revenue) AS BIGINT) AS revenue
         FROM report_day_sales WHERE day >= $1 AND day < $2 AND ($3 IS NULL OR market_code = $3)
         GROUP BY day, currency
         UNION ALL
         SELECT {day} AS bucket, o.currency, COUNT(*) AS orders, CAST(SUM(o.total) AS BIGINT) AS revenue
         FROM sales_order o WHERE {live}
         GROUP BY 1, o.currency ORDER BY 1, 2"
    );
    let s = Split::of(f);
    Ok(db_run!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(&s.from)
            .bind(&s.rolled)
            .bind(f.market.as_deref())
            .bind(s.live_from)
            .bind(s.live_to)
            .fetch_all(p)
            .await
    })?)
}

/// Units sold and revenue per SKU and currency over the range, every SKU
/// sold (a few thousand rows at most: one per SKU). The top products and
/// the category totals are both summed from this one list.
pub async fn sales_by_sku(db: &Db, f: &ReportFilter) -> Result<Vec<TopRow>, StoreError> {
    let rolled = rolled_up("report_sku_sales", "sku, currency, quantity, revenue");
    let live = live_orders(5, 6, 7);
    let sql = format!(
        "SELECT sku AS key, '' AS label, currency, CAST(SUM(quantity) AS BIGINT) AS count,
                CAST(SUM(revenue) AS BIGINT) AS revenue
         FROM ({rolled}
             UNION ALL SELECT l.sku, o.currency, l.quantity, l.line_total
             FROM sales_order o JOIN order_line l ON l.order_id = o.order_id WHERE {live}) t
         GROUP BY sku, currency"
    );
    let s = Split::of(f);
    Ok(db_run!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(&s.from)
            .bind(&s.weeks_from)
            .bind(&s.weeks_to)
            .bind(&s.rolled)
            .bind(f.market.as_deref())
            .bind(s.live_from)
            .bind(s.live_to)
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
    let rolled = rolled_up(
        "report_company_sales",
        "company_id, currency, orders, revenue",
    );
    let live = live_orders(5, 6, 7);
    let sql = format!(
        "SELECT t.company_id, MIN(c.name), t.currency, CAST(SUM(t.orders) AS BIGINT),
                CAST(SUM(t.revenue) AS BIGINT) AS revenue
         FROM ({rolled}
             UNION ALL SELECT o.company_id, o.currency, 1, o.total FROM sales_order o WHERE {live}) t
         JOIN company c ON c.company_id = t.company_id
         GROUP BY t.company_id, t.currency
         ORDER BY revenue DESC, t.company_id LIMIT $8"
    );
    let s = Split::of(f);
    let rows: Vec<(Uuid, String, String, i64, i64)> = db_run!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(&s.from)
            .bind(&s.weeks_from)
            .bind(&s.weeks_to)
            .bind(&s.rolled)
            .bind(f.market.as_deref())
            .bind(s.live_from)
            .bind(s.live_to)
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

/// Counts one look at `report` (the dashboard, a chart's CSV) on `day`.
pub async fn note_view(db: &Db, day: Date, report: &str) -> Result<(), StoreError> {
    db_exec!(
        db,
        sqlx::query(
            "INSERT INTO report_view_daily (day, report, views) VALUES ($1, $2, 1)
             ON CONFLICT (day, report) DO UPDATE SET views = report_view_daily.views + 1"
        )
        .bind(report::iso(day))
        .bind(report)
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Rollups

/// How long after its `updated_at` an order change may still be committing
/// (a transaction stamps the time before it commits): orders changed this
/// long before the last refresh are looked at again. Summing a day twice
/// gives the same rows, so the overlap costs a little and loses nothing.
const IN_FLIGHT: Duration = Duration::minutes(5);

/// What a refresh did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RollupRefresh {
    /// Days summed again (closed days whose orders changed, and days that
    /// closed since the last refresh).
    pub days: usize,
    /// Days before this one are summed: pass it as
    /// [`ReportFilter::rolled_up_before`].
    pub closed_before: Date,
}

/// Brings the rollups up to `now`: sums again every closed UTC day (before
/// `now`'s day) that has an order changed since the last refresh, and every
/// day that closed since then, then the weeks holding them. The first
/// refresh sums every day. Today is never rolled up: reports read it live,
/// so a refresh costs nothing while orders keep coming in today.
///
/// Two refreshes at once give the same rows (each day is deleted and
/// written again in one transaction, upserting), so callers on several
/// nodes need no lock; one node should still run one at a time.
pub async fn refresh_rollups(db: &Db, now: Timestamp) -> Result<RollupRefresh, StoreError> {
    let today = now.as_offset().date();
    let today_start = Timestamp::from(today.midnight().assume_utc());
    let state: Option<(String, Timestamp)> = db_run!(db, |p| {
        sqlx::query_as("SELECT closed_before, seen_until FROM report_rollup_state WHERE id = 1")
            .fetch_optional(p)
            .await
    })?;
    let day = bucket_sql(db, Bucket::Day, "placed_at");
    let changed: Vec<String> = match &state {
        None => {
            let sql = format!("SELECT DISTINCT {day} FROM sales_order WHERE placed_at < $1");
            db_run!(db, |p| {
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(today_start)
                    .fetch_all(p)
                    .await
            })?
        }
        Some((_, seen_until)) => {
            let sql = format!(
                "SELECT DISTINCT {day} FROM sales_order WHERE updated_at >= $1 AND placed_at < $2"
            );
            db_run!(db, |p| {
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(seen_until.plus(-IN_FLIGHT))
                    .bind(today_start)
                    .fetch_all(p)
                    .await
            })?
        }
    };
    let mut days: BTreeSet<Date> = changed.iter().filter_map(|d| parse_day(d)).collect();
    if let Some(mut d) = state.as_ref().and_then(|(closed, _)| parse_day(closed)) {
        // Days that were today (read live) at the last refresh and closed since.
        while d < today {
            days.insert(d);
            d += Duration::days(1);
        }
    }
    let days: Vec<Date> = days.into_iter().collect();
    // Short transactions: SQLite has one writer, and orders keep coming.
    for chunk in days.chunks(8) {
        let mut tx = db.begin().await?;
        for d in chunk {
            sum_day(&mut tx, *d).await?;
        }
        tx.commit().await?;
    }
    let weeks: BTreeSet<Date> = days.iter().map(|d| monday(*d)).collect();
    let weeks: Vec<Date> = weeks.into_iter().collect();
    for chunk in weeks.chunks(8) {
        let mut tx = db.begin().await?;
        for w in chunk {
            sum_week(&mut tx, *w).await?;
        }
        tx.commit().await?;
    }
    let closed = report::iso(today);
    db_exec!(
        db,
        sqlx::query(
            "INSERT INTO report_rollup_state (id, closed_before, seen_until) VALUES (1, $1, $2)
             ON CONFLICT (id) DO UPDATE SET closed_before = excluded.closed_before,
                 seen_until = excluded.seen_until"
        )
        .bind(&closed)
        .bind(now)
    )?;
    Ok(RollupRefresh {
        days: days.len(),
        closed_before: today,
    })
}

fn parse_day(s: &str) -> Option<Date> {
    Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

fn monday(d: Date) -> Date {
    d - Duration::days(i64::from(d.weekday().number_days_from_monday()))
}

/// Sums one day's orders into its day rows, replacing what was there.
async fn sum_day(tx: &mut crate::Tx, d: Date) -> Result<(), StoreError> {
    let label = report::iso(d);
    let from = Timestamp::from(d.midnight().assume_utc());
    let to = Timestamp::from((d + Duration::days(1)).midnight().assume_utc());
    let orders = "o.placed_at >= $2 AND o.placed_at < $3 AND o.status <> 'cancelled'";
    for table in [
        "report_day_sales",
        "report_sku_sales",
        "report_company_sales",
    ] {
        let key = if table == "report_day_sales" {
            "day = $1"
        } else {
            "grain = 'day' AND period = $1"
        };
        let sql = format!("DELETE FROM {table} WHERE {key}");
        tx_exec!(
            tx,
            sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(&label)
        )?;
    }
    let inserts = [
        format!(
            "INSERT INTO report_day_sales (day, market_code, currency, orders, revenue)
             SELECT CAST($1 AS TEXT), o.market_code, o.currency, COUNT(*), CAST(SUM(o.total) AS BIGINT)
             FROM sales_order o WHERE {orders} GROUP BY o.market_code, o.currency
             ON CONFLICT (day, market_code, currency)
             DO UPDATE SET orders = excluded.orders, revenue = excluded.revenue"
        ),
        format!(
            "INSERT INTO report_sku_sales (grain, period, market_code, currency, sku, quantity, revenue)
             SELECT 'day', CAST($1 AS TEXT), o.market_code, o.currency, l.sku,
                    CAST(SUM(l.quantity) AS BIGINT), CAST(SUM(l.line_total) AS BIGINT)
             FROM sales_order o JOIN order_line l ON l.order_id = o.order_id
             WHERE {orders} GROUP BY o.market_code, o.currency, l.sku
             ON CONFLICT (grain, period, market_code, currency, sku)
             DO UPDATE SET quantity = excluded.quantity, revenue = excluded.revenue"
        ),
        format!(
            "INSERT INTO report_company_sales (grain, period, market_code, currency, company_id, orders, revenue)
             SELECT 'day', CAST($1 AS TEXT), o.market_code, o.currency, o.company_id,
                    COUNT(*), CAST(SUM(o.total) AS BIGINT)
             FROM sales_order o WHERE {orders} GROUP BY o.market_code, o.currency, o.company_id
             ON CONFLICT (grain, period, market_code, currency, company_id)
             DO UPDATE SET orders = excluded.orders, revenue = excluded.revenue"
        ),
    ];
    for sql in &inserts {
        tx_exec!(
            tx,
            sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(&label)
                .bind(from)
                .bind(to)
        )?;
    }
    Ok(())
}

/// Sums the day rows of the week starting on Monday `w` into its week rows.
async fn sum_week(tx: &mut crate::Tx, w: Date) -> Result<(), StoreError> {
    let (from, to) = (report::iso(w), report::iso(w + Duration::days(7)));
    for table in ["report_sku_sales", "report_company_sales"] {
        let sql = format!("DELETE FROM {table} WHERE grain = 'week' AND period = $1");
        tx_exec!(
            tx,
            sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(&from)
        )?;
    }
    let inserts = [
        "INSERT INTO report_sku_sales (grain, period, market_code, currency, sku, quantity, revenue)
         SELECT 'week', CAST($1 AS TEXT), market_code, currency, sku,
                CAST(SUM(quantity) AS BIGINT), CAST(SUM(revenue) AS BIGINT)
         FROM report_sku_sales WHERE grain = 'day' AND period >= $1 AND period < $2
         GROUP BY market_code, currency, sku
         ON CONFLICT (grain, period, market_code, currency, sku)
         DO UPDATE SET quantity = excluded.quantity, revenue = excluded.revenue",
        "INSERT INTO report_company_sales (grain, period, market_code, currency, company_id, orders, revenue)
         SELECT 'week', CAST($1 AS TEXT), market_code, currency, company_id,
                CAST(SUM(orders) AS BIGINT), CAST(SUM(revenue) AS BIGINT)
         FROM report_company_sales WHERE grain = 'day' AND period >= $1 AND period < $2
         GROUP BY market_code, currency, company_id
         ON CONFLICT (grain, period, market_code, currency, company_id)
         DO UPDATE SET orders = excluded.orders, revenue = excluded.revenue",
    ];
    for sql in inserts {
        tx_exec!(tx, sqlx::query(sql).bind(&from).bind(&to))?;
    }
    Ok(())
}
