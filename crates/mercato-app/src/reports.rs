//! The dashboard (D2): what happened in a date range and market — sales
//! per day/week/month, orders and average order value, top products,
//! categories and companies, inquiries by status, and the storefront's
//! traffic (visits, product views, searches that found nothing) — with
//! every bucket of the range present so charts show quiet days too.

use crate::auth::{Principal, require_staff};
use crate::{App, AppError};
use mercato_core::report::{Bucket, DateRange};
use mercato_core::{Currency, Lang, Money, Permission};
use mercato_store::Timestamp;
use mercato_store::reports::{self as store, ReportFilter, TopRow};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// What staff asked for, parsed.
#[derive(Clone, Debug)]
pub struct DashboardQuery {
    pub range: DateRange,
    pub bucket: Bucket,
    /// One market, or every market.
    pub market: Option<String>,
    /// The language product names are given in.
    pub lang: Option<Lang>,
}

/// One bucket's sales in one currency.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SalesPoint {
    pub bucket: String,
    pub orders: i64,
    pub revenue: Money,
    /// Revenue ÷ orders, rounded to the currency (none without orders).
    pub average_order_value: Option<Money>,
}

/// Sales over the range in one currency, every bucket present.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SalesSeries {
    pub currency: Currency,
    pub points: Vec<SalesPoint>,
    pub orders: i64,
    pub revenue: Money,
    pub average_order_value: Option<Money>,
}

/// A row of a top-N list.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Ranked {
    pub key: String,
    pub label: String,
    /// Orders (companies) or units sold (products, categories).
    pub count: Decimal,
    pub revenue: Money,
}

/// The dashboard's figures.
#[derive(Clone, Debug, Serialize)]
pub struct Dashboard {
    pub from: String,
    pub to: String,
    pub bucket: Bucket,
    pub market: Option<String>,
    /// Per currency (one unless the range spans markets with different ones).
    pub sales: Vec<SalesSeries>,
    pub top_products: Vec<Ranked>,
    /// Labels are category ids; the page names them in its language.
    pub top_categories: Vec<Ranked>,
    pub top_companies: Vec<Ranked>,
    /// Carts started in the range.
    pub carts_started: i64,
    /// `(kind, status, count)`.
    pub inquiries: Vec<(String, String, i64)>,
    /// The storefront's first-party traffic over the same days (D1).
    pub traffic: crate::traffic::TrafficSummary,
}

/// How many rows the top lists show.
pub const TOP: u32 = 10;

/// Computes the dashboard (staff with back-office access: sales figures
/// are internal, never a buyer's).
pub async fn dashboard(
    app: &App,
    p: Option<&Principal>,
    q: &DashboardQuery,
) -> Result<Dashboard, AppError> {
    require_staff(p, Permission::AccessBackOffice, "see the dashboards")?;
    // Counted for the measured maturity (decisions taken on the data);
    // a failure to count must not cost staff their figures.
    let today = time::OffsetDateTime::now_utc().date();
    if let Err(e) = store::note_view(app.db(), today, "dashboard").await {
        tracing::warn!(error = %e, "dashboard: could not count the view");
    }
    let rolled = refresh_rollups(app).await?;
    let (from, to) = q.range.bounds();
    let f = ReportFilter {
        from: Timestamp::from(from),
        to: Timestamp::from(to),
        market: q.market.clone(),
        rolled_up_before: Some(rolled.closed_before),
    };
    let db = app.db();
    let (sales, by_sku, skus, companies, carts, inquiries) = tokio::try_join!(
        store::daily_sales(db, &f),
        store::sales_by_sku(db, &f),
        store::sku_products(db),
        store::top_companies(db, &f, TOP),
        store::carts_started(db, &f),
        store::inquiries(db, &f),
    )?;
    let traffic =
        crate::traffic::summary(app, p, q.range.from, q.range.to, q.market.as_deref()).await?;
    let (top_products, top_categories) = products_and_categories(by_sku, skus, q.lang.as_ref());
    let (from, to) = q.range.labels();
    Ok(Dashboard {
        from,
        to,
        bucket: q.bucket,
        market: q.market.clone(),
        sales: series(&q.range.buckets(q.bucket), in_buckets(sales, q.bucket))?,
        top_products: ranked(top_products, true)?,
        top_categories: ranked(top_categories, true)?,
        top_companies: ranked(companies, false)?,
        carts_started: carts,
        inquiries,
        traffic,
    })
}

/// Brings the dashboard rollups up to date: closed days whose orders
/// changed since the last refresh are summed again (none, usually; a
/// day's worth after midnight). One refresh at a time on this node; the
/// others wait for it rather than sum the same days.
pub async fn refresh_rollups(app: &App) -> Result<store::RollupRefresh, AppError> {
    let _one_at_a_time = app.rollup_gate().lock().await;
    Ok(store::refresh_rollups(app.db(), Timestamp::now()).await?)
}

/// Refreshes the rollups every `every` until `shutdown`, so that the first
/// dashboard after midnight or after a bulk change does not wait for them.
pub async fn run_rollups(
    app: App,
    every: std::time::Duration,
    shutdown: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = &mut shutdown => return,
        }
        match refresh_rollups(&app).await {
            Ok(r) if r.days > 0 => tracing::info!(days = r.days, "dashboard rollups refreshed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "dashboard rollups: refresh failed; will retry"),
        }
    }
}

/// Daily rows summed into `bucket`s (weeks by their Monday, months).
fn in_buckets(days: Vec<store::SalesRow>, bucket: Bucket) -> Vec<store::SalesRow> {
    let mut sums: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
    for r in days {
        let label = time::Date::parse(
            &r.bucket,
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .map(|d| bucket.label(d))
        .unwrap_or(r.bucket);
        let e = sums.entry((label, r.currency)).or_default();
        e.0 += r.orders;
        e.1 += r.revenue;
    }
    sums.into_iter()
        .map(|((bucket, currency), (orders, revenue))| store::SalesRow {
            bucket,
            currency,
            orders,
            revenue,
        })
        .collect()
}

/// The top products (named in `lang`) and the top categories (keyed by
/// category id, `""` for none) from the per-SKU sums.
fn products_and_categories(
    by_sku: Vec<TopRow>,
    skus: Vec<(String, mercato_core::LocalizedText, Option<uuid::Uuid>)>,
    lang: Option<&Lang>,
) -> (Vec<TopRow>, Vec<TopRow>) {
    let catalog: std::collections::HashMap<
        String,
        (mercato_core::LocalizedText, Option<uuid::Uuid>),
    > = skus.into_iter().map(|(s, n, c)| (s, (n, c))).collect();
    let mut categories: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
    for r in &by_sku {
        let category = catalog
            .get(&r.key)
            .and_then(|(_, c)| *c)
            .map(|c| c.to_string())
            .unwrap_or_default();
        let e = categories
            .entry((category, r.currency.clone()))
            .or_default();
        e.0 += r.count;
        e.1 += r.revenue;
    }
    let by_revenue =
        |a: &TopRow, b: &TopRow| b.revenue.cmp(&a.revenue).then_with(|| a.key.cmp(&b.key));
    let mut products = by_sku;
    products.sort_by(by_revenue);
    products.truncate(TOP as usize);
    for p in &mut products {
        p.label = catalog
            .get(&p.key)
            .and_then(|(name, _)| match lang {
                Some(l) => name.resolve(l, &[]),
                None => name.iter().next().map(|(_, t)| t),
            })
            .unwrap_or(&p.key)
            .to_string();
    }
    let mut categories: Vec<TopRow> = categories
        .into_iter()
        .map(|((key, currency), (count, revenue))| TopRow {
            key,
            label: String::new(),
            currency,
            count,
            revenue,
        })
        .collect();
    categories.sort_by(by_revenue);
    categories.truncate(TOP as usize);
    (products, categories)
}

fn currency(code: &str) -> Result<Currency, AppError> {
    Currency::parse(code).map_err(|e| AppError::Internal(format!("stored currency {code:?}: {e}")))
}

/// Rounds `revenue ÷ orders` to the currency's minor unit (halves away
/// from zero, as an invoice would).
fn average(revenue: &Money, orders: i64) -> Option<Money> {
    (orders > 0).then(|| {
        let avg = revenue.amount() / Decimal::from(orders);
        Money::new(
            avg.round_dp_with_strategy(
                revenue.currency().exponent(),
                rust_decimal::RoundingStrategy::MidpointAwayFromZero,
            ),
            revenue.currency(),
        )
        .unwrap_or_else(|_| Money::zero(revenue.currency()))
    })
}

/// One series per currency over every bucket label, zeros where nothing sold.
fn series(labels: &[String], rows: Vec<store::SalesRow>) -> Result<Vec<SalesSeries>, AppError> {
    let mut by_currency: BTreeMap<String, BTreeMap<String, (i64, i64)>> = BTreeMap::new();
    for r in rows {
        by_currency
            .entry(r.currency)
            .or_default()
            .insert(r.bucket, (r.orders, r.revenue));
    }
    by_currency
        .into_iter()
        .map(|(code, points)| {
            let c = currency(&code)?;
            let points: Vec<SalesPoint> = labels
                .iter()
                .map(|l| {
                    let (orders, units) = points.get(l).copied().unwrap_or((0, 0));
                    let revenue = Money::from_storage_units(units, c);
                    SalesPoint {
                        bucket: l.clone(),
                        orders,
                        average_order_value: average(&revenue, orders),
                        revenue,
                    }
                })
                .collect();
            let orders = points.iter().map(|p| p.orders).sum();
            let units: i64 = points
                .iter()
                .filter_map(|p| p.revenue.to_storage_units().ok())
                .sum();
            let revenue = Money::from_storage_units(units, c);
            Ok(SalesSeries {
                currency: c,
                average_order_value: average(&revenue, orders),
                orders,
                revenue,
                points,
            })
        })
        .collect()
}

fn ranked(rows: Vec<TopRow>, count_is_quantity: bool) -> Result<Vec<Ranked>, AppError> {
    rows.into_iter()
        .map(|r| {
            Ok(Ranked {
                count: if count_is_quantity {
                    Decimal::new(r.count, 4).normalize()
                } else {
                    Decimal::from(r.count)
                },
                revenue: Money::from_storage_units(r.revenue, currency(&r.currency)?),
                key: r.key,
                label: r.label,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_sum_into_weeks_and_months_per_currency() {
        let row = |day: &str, currency: &str, orders: i64| store::SalesRow {
            bucket: day.into(),
            currency: currency.into(),
            orders,
            revenue: orders * 100,
        };
        let days = vec![
            row("2026-11-29", "CNY", 1), // a Sunday
            row("2026-11-30", "CNY", 2),
            row("2026-12-01", "CNY", 3),
            row("2026-12-01", "EUR", 4),
        ];
        let weeks = in_buckets(days.clone(), Bucket::Week);
        let got: Vec<(&str, &str, i64)> = weeks
            .iter()
            .map(|r| (r.bucket.as_str(), r.currency.as_str(), r.orders))
            .collect();
        assert_eq!(
            got,
            [
                ("2026-11-23", "CNY", 1),
                ("2026-11-30", "CNY", 5),
                ("2026-11-30", "EUR", 4)
            ]
        );
        let months = in_buckets(days, Bucket::Month);
        assert_eq!(months[0].bucket, "2026-11");
        assert_eq!((months[0].orders, months[0].revenue), (3, 300));
        assert_eq!(months.len(), 3);
    }

    #[test]
    fn series_fill_every_bucket_and_average_per_currency() {
        let labels: Vec<String> = ["2026-12-01", "2026-12-02", "2026-12-03"]
            .map(String::from)
            .to_vec();
        let rows = vec![
            store::SalesRow {
                bucket: "2026-12-01".into(),
                currency: "CNY".into(),
                orders: 3,
                revenue: 1_000_000, // 100.00
            },
            store::SalesRow {
                bucket: "2026-12-03".into(),
                currency: "CNY".into(),
                orders: 1,
                revenue: 5_000,
            },
            store::SalesRow {
                bucket: "2026-12-02".into(),
                currency: "EUR".into(),
                orders: 2,
                revenue: 30_000,
            },
        ];
        let s = series(&labels, rows).unwrap();
        assert_eq!(s.len(), 2);
        let cny = &s[0];
        assert_eq!(cny.points.len(), 3);
        assert_eq!(cny.points[1].orders, 0);
        assert_eq!(cny.points[1].average_order_value, None);
        assert_eq!(
            cny.points[0]
                .average_order_value
                .as_ref()
                .unwrap()
                .to_string(),
            "33.33 CNY"
        );
        assert_eq!(
            (cny.orders, cny.revenue.to_string()),
            (4, "100.50 CNY".to_string())
        );
        assert_eq!(
            cny.average_order_value.as_ref().unwrap().to_string(),
            "25.13 CNY"
        ); // 25.125, halves away from zero
        assert_eq!(s[1].currency.code(), "EUR");
    }
}
