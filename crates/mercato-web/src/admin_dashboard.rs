//! The back-office dashboard (D2, "what happened?"): sales by day, week or
//! month, orders and average order value, top products, categories and
//! companies, the funnel from carts to orders, inquiries by status — for a
//! date range and market, charts drawn on the server as SVG, each chart's
//! data downloadable as CSV.

use crate::AppState;
use crate::admin::{BackOffice, Staff, StaffBar, Ui};
use crate::chart::{Columns, Ranking};
use crate::problem::Problem;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use mercato_app::reports::{self, Dashboard, DashboardQuery, Ranked};
use mercato_core::report::{Bucket, DateRange};
use rust_decimal::prelude::ToPrimitive;
use serde::Deserialize;
use std::collections::HashMap;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/dashboard", get(page))
        .route("/admin/dashboard/{file}", get(csv))
}

/// The filters as typed (`lang` is the page language, not a filter).
#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
struct Filters {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    market: String,
    #[serde(default)]
    bucket: String,
    #[serde(default)]
    #[allow(dead_code)] // read by Ui from the raw query
    lang: String,
}

/// Parses the filters against the known markets; `Err` words what is wrong.
fn parse(f: &Filters, markets: &[String], ui: &Ui) -> Result<DashboardQuery, String> {
    let today = time::OffsetDateTime::now_utc().date();
    let range = DateRange::parse(&f.from, &f.to, today).map_err(|e| {
        use mercato_core::report::RangeError::*;
        match e {
            NotADate { field, value } => ui.t_with(
                "admin-dashboard-bad-date",
                &[("field", field), ("value", value.as_str())],
            ),
            Reversed { .. } => ui.t("admin-dashboard-reversed"),
            TooLong { days, max } => ui.t_with(
                "admin-dashboard-too-long",
                &[
                    ("days", days.to_string().as_str()),
                    ("max", max.to_string().as_str()),
                ],
            ),
        }
    })?;
    let bucket = match f.bucket.as_str() {
        "" => Bucket::fitting(range.days()),
        b => Bucket::parse(b)
            .ok_or_else(|| ui.t_with("admin-dashboard-bad-bucket", &[("value", b)]))?,
    };
    let market = match f.market.as_str() {
        "" => None,
        m if markets.iter().any(|x| x == m) => Some(m.to_string()),
        m => return Err(ui.t_with("admin-dashboard-bad-market", &[("value", m)])),
    };
    Ok(DashboardQuery {
        range,
        bucket,
        market,
        lang: mercato_core::Lang::parse(ui.tr.code()).ok(),
    })
}

/// A chart with its data as a table.
struct ColumnChart {
    id: &'static str,
    title: String,
    chart: Columns,
    /// `(bucket, value text)`.
    table: Vec<(String, String)>,
}

struct RankChart {
    id: &'static str,
    title: String,
    chart: Ranking,
    /// Full rows: `(label, count text, value text)`.
    table: Vec<(String, String, String)>,
    count_header: String,
    value_header: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    ui: Ui,
    staff: StaffBar,
    csrf_token: String,
    from: String,
    to: String,
    bucket: String,
    /// `(code, selected)`.
    markets: Vec<(String, bool)>,
    /// `(code, words, selected)`.
    buckets: Vec<(&'static str, String, bool)>,
    error: Option<String>,
    /// `(words, value)`.
    kpis: Vec<(String, String)>,
    columns: Vec<ColumnChart>,
    rankings: Vec<RankChart>,
    /// The query string of these filters, for the CSV links.
    query: String,
}

async fn market_codes(s: &AppState) -> Result<Vec<String>, Response> {
    mercato_app::catalog::markets(&s.app)
        .await
        .map(|ms| ms.into_iter().map(|m| m.code).collect())
        .map_err(|e| Problem::from(e).into_response())
}

fn money_text(m: &mercato_core::Money) -> String {
    m.to_string()
}

fn f(m: &mercato_core::Money) -> f64 {
    m.amount().to_f64().unwrap_or(0.0)
}

async fn page(
    State(s): State<AppState>,
    ui: Ui,
    Staff(p, csrf, _): Staff<BackOffice>,
    q: Result<Query<Filters>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(filters)) = q else {
        return Problem::new(
            StatusCode::BAD_REQUEST,
            "unknown_filter",
            "the dashboard filters are from, to (YYYY-MM-DD), market and bucket (day, week, month)",
        )
        .into_response();
    };
    let markets = match market_codes(&s).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let mut page = DashboardPage {
        staff: StaffBar::of(&p),
        csrf_token: csrf,
        from: filters.from.clone(),
        to: filters.to.clone(),
        bucket: filters.bucket.clone(),
        markets: markets
            .iter()
            .map(|m| (m.clone(), *m == filters.market))
            .collect(),
        buckets: Bucket::ALL
            .iter()
            .map(|b| {
                (
                    b.code(),
                    ui.word("admin-dashboard-bucket", b.code()),
                    b.code() == filters.bucket,
                )
            })
            .collect(),
        error: None,
        kpis: Vec::new(),
        columns: Vec::new(),
        rankings: Vec::new(),
        query: String::new(),
        ui: ui.clone(),
    };
    let query = match parse(&filters, &markets, &ui) {
        Ok(q) => q,
        Err(message) => {
            page.error = Some(message);
            return ui.page(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let d = match reports::dashboard(&s.app, Some(&p), &query).await {
        Ok(d) => d,
        Err(e) => return Problem::from(e).into_response(),
    };
    let names = category_names(&s, &ui).await;
    page.from = d.from.clone();
    page.to = d.to.clone();
    page.bucket = d.bucket.code().to_string();
    page.buckets = Bucket::ALL
        .iter()
        .map(|b| {
            (
                b.code(),
                ui.word("admin-dashboard-bucket", b.code()),
                *b == d.bucket,
            )
        })
        .collect();
    page.query = format!(
        "from={}&to={}&market={}&bucket={}",
        d.from,
        d.to,
        d.market.as_deref().unwrap_or(""),
        d.bucket.code()
    );
    fill(&mut page, &d, &names, &ui);
    ui.page(&page, StatusCode::OK)
}

/// Category id → name in the page's language.
async fn category_names(s: &AppState, ui: &Ui) -> HashMap<String, String> {
    let lang = mercato_core::Lang::parse(ui.tr.code()).ok();
    let tree = mercato_app::catalog::category_tree(&s.app, None, lang.as_ref())
        .await
        .unwrap_or_default();
    let mut out = HashMap::new();
    let mut stack: Vec<&mercato_app::catalog::CategoryNode> = tree.iter().collect();
    while let Some(n) = stack.pop() {
        out.insert(n.id.clone(), n.name.clone());
        stack.extend(n.children.iter());
    }
    out
}

fn ranked_label(r: &Ranked, names: &HashMap<String, String>, ui: &Ui, kind: &str) -> String {
    match kind {
        "products" => format!("{} · {}", r.key, r.label),
        "categories" => names
            .get(&r.key)
            .cloned()
            .unwrap_or_else(|| ui.t("admin-dashboard-uncategorised")),
        _ => r.label.clone(),
    }
}

fn fill(page: &mut DashboardPage, d: &Dashboard, names: &HashMap<String, String>, ui: &Ui) {
    let orders: i64 = d.sales.iter().map(|s| s.orders).sum();
    page.kpis
        .push((ui.t("admin-dashboard-orders"), orders.to_string()));
    for s in &d.sales {
        page.kpis.push((
            ui.t_with(
                "admin-dashboard-revenue-in",
                &[("currency", s.currency.code())],
            ),
            money_text(&s.revenue),
        ));
        page.kpis.push((
            ui.t_with("admin-dashboard-aov-in", &[("currency", s.currency.code())]),
            s.average_order_value
                .as_ref()
                .map(money_text)
                .unwrap_or_else(|| "—".into()),
        ));
    }
    let t = &d.traffic.totals;
    page.kpis
        .push((ui.t("admin-dashboard-visits"), t.sessions.to_string()));
    page.kpis
        .push((ui.t("admin-dashboard-page-views"), t.page_views.to_string()));
    page.kpis
        .push((ui.t("admin-dashboard-carts"), d.carts_started.to_string()));
    let inquiries: i64 = d.inquiries.iter().map(|i| i.2).sum();
    page.kpis
        .push((ui.t("admin-dashboard-inquiries"), inquiries.to_string()));

    for s in &d.sales {
        let pts: Vec<(String, f64, String)> = s
            .points
            .iter()
            .map(|p| {
                (
                    p.bucket.clone(),
                    f(&p.revenue),
                    format!("{}: {}", p.bucket, money_text(&p.revenue)),
                )
            })
            .collect();
        page.columns.push(ColumnChart {
            id: "sales",
            title: ui.t_with(
                "admin-dashboard-sales-in",
                &[("currency", s.currency.code())],
            ),
            chart: Columns::new(&pts),
            table: s
                .points
                .iter()
                .map(|p| (p.bucket.clone(), money_text(&p.revenue)))
                .collect(),
        });
    }
    // Orders per bucket over every currency, and the average order value.
    if let Some(first) = d.sales.first() {
        let counts: Vec<(String, f64, String)> = first
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let n: i64 = d
                    .sales
                    .iter()
                    .filter_map(|s| s.points.get(i))
                    .map(|x| x.orders)
                    .sum();
                (p.bucket.clone(), n as f64, format!("{}: {n}", p.bucket))
            })
            .collect();
        page.columns.push(ColumnChart {
            id: "orders",
            title: ui.t("admin-dashboard-orders-per"),
            table: counts
                .iter()
                .map(|c| (c.0.clone(), format!("{}", c.1 as i64)))
                .collect(),
            chart: Columns::new(&counts),
        });
    }
    let rank = |id: &'static str, title: String, rows: &[Ranked], count_header: String| {
        let pts: Vec<(String, f64, String)> = rows
            .iter()
            .map(|r| {
                (
                    ranked_label(r, names, ui, id),
                    f(&r.revenue),
                    money_text(&r.revenue),
                )
            })
            .collect();
        RankChart {
            id,
            title,
            chart: Ranking::new(&pts),
            table: rows
                .iter()
                .map(|r| {
                    (
                        ranked_label(r, names, ui, id),
                        r.count.to_string(),
                        money_text(&r.revenue),
                    )
                })
                .collect(),
            count_header,
            value_header: ui.t("admin-dashboard-revenue"),
        }
    };
    page.rankings.push(rank(
        "products",
        ui.t("admin-dashboard-top-products"),
        &d.top_products,
        ui.t("admin-dashboard-units"),
    ));
    page.rankings.push(rank(
        "categories",
        ui.t("admin-dashboard-top-categories"),
        &d.top_categories,
        ui.t("admin-dashboard-units"),
    ));
    page.rankings.push(rank(
        "companies",
        ui.t("admin-dashboard-top-companies"),
        &d.top_companies,
        ui.t("admin-dashboard-orders"),
    ));
    // The funnel: visits → product views → carts started → orders placed.
    let funnel = [
        (ui.t("admin-dashboard-visits"), t.sessions),
        (ui.t("admin-dashboard-product-views"), t.product_views),
        (ui.t("admin-dashboard-carts"), d.carts_started),
        (ui.t("admin-dashboard-orders"), orders),
    ];
    page.rankings.push(RankChart {
        id: "funnel",
        title: ui.t("admin-dashboard-funnel"),
        chart: Ranking::new(
            &funnel
                .iter()
                .map(|(l, n)| (l.clone(), *n as f64, n.to_string()))
                .collect::<Vec<_>>(),
        ),
        table: funnel
            .iter()
            .map(|(l, n)| (l.clone(), n.to_string(), String::new()))
            .collect(),
        count_header: ui.t("admin-dashboard-count"),
        value_header: String::new(),
    });
    // What visitors searched for, what found nothing, where visits came from.
    let counts = |id: &'static str,
                  title: String,
                  rows: &[mercato_app::traffic::KeyCount],
                  word: Option<&dyn Fn(&str) -> String>| {
        let label = |k: &str| match word {
            Some(words) => words(k),
            None => k.to_string(),
        };
        RankChart {
            id,
            title,
            chart: Ranking::new(
                &rows
                    .iter()
                    .map(|r| (label(&r.key), r.count as f64, r.count.to_string()))
                    .collect::<Vec<_>>(),
            ),
            table: rows
                .iter()
                .map(|r| (label(&r.key), r.count.to_string(), String::new()))
                .collect(),
            count_header: ui.t("admin-dashboard-count"),
            value_header: String::new(),
        }
    };
    let tr = &d.traffic;
    page.rankings.push(counts(
        "zero-results",
        ui.t("admin-dashboard-zero-results"),
        &tr.zero_result_terms,
        None,
    ));
    page.rankings.push(counts(
        "searches",
        ui.t("admin-dashboard-searches"),
        &tr.search_terms,
        None,
    ));
    page.rankings.push(counts(
        "entry-pages",
        ui.t("admin-dashboard-entry-pages"),
        &tr.entry_pages,
        None,
    ));
    page.rankings.push(counts(
        "channels",
        ui.t("admin-dashboard-channels"),
        &tr.channels,
        Some(&|k: &str| ui.word("admin-dashboard-channel", k)),
    ));
    page.rankings.push(counts(
        "devices",
        ui.t("admin-dashboard-devices"),
        &tr.devices,
        Some(&|k: &str| ui.word("admin-dashboard-device", k)),
    ));
    // Inquiries by status (every kind together), in workflow order.
    let by_status: Vec<(String, f64, String)> = mercato_core::inquiry::InquiryStatus::ALL
        .iter()
        .map(|st| {
            let n: i64 = d
                .inquiries
                .iter()
                .filter(|i| i.1 == st.as_str())
                .map(|i| i.2)
                .sum();
            (
                ui.word("admin-inquiry-status", st.as_str()),
                n as f64,
                n.to_string(),
            )
        })
        .collect();
    page.rankings.push(RankChart {
        id: "inquiries",
        title: ui.t("admin-dashboard-inquiries-by-status"),
        chart: Ranking::new(&by_status),
        table: d
            .inquiries
            .iter()
            .map(|(kind, status, n)| {
                (
                    format!(
                        "{} · {}",
                        ui.word("admin-inquiry-kind", kind),
                        ui.word("admin-inquiry-status", status)
                    ),
                    n.to_string(),
                    String::new(),
                )
            })
            .collect(),
        count_header: ui.t("admin-dashboard-count"),
        value_header: String::new(),
    });
}

/// A spreadsheet cell that would start a formula is quoted, so a company
/// named `=HYPERLINK(…)` stays text in Excel.
fn cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

async fn csv(
    State(s): State<AppState>,
    ui: Ui,
    Path(file): Path<String>,
    Staff(p, _, _): Staff<BackOffice>,
    q: Result<Query<Filters>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Some(chart) = file.strip_suffix(".csv") else {
        return Problem::for_status(StatusCode::NOT_FOUND).into_response();
    };
    let Ok(Query(filters)) = q else {
        return Problem::new(
            StatusCode::BAD_REQUEST,
            "unknown_filter",
            "the dashboard filters are from, to, market and bucket",
        )
        .into_response();
    };
    let markets = match market_codes(&s).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let query = match parse(&filters, &markets, &ui) {
        Ok(q) => q,
        Err(message) => {
            return Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_filter", message)
                .into_response();
        }
    };
    let d = match reports::dashboard(&s.app, Some(&p), &query).await {
        Ok(d) => d,
        Err(e) => return Problem::from(e).into_response(),
    };
    let names = category_names(&s, &ui).await;
    let h = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let (headers, rows): (Vec<String>, Vec<Vec<String>>) = match chart {
        "sales" => (
            h(&[
                "bucket",
                "currency",
                "orders",
                "revenue",
                "average_order_value",
            ]),
            d.sales
                .iter()
                .flat_map(|s| {
                    s.points.iter().map(|p| {
                        vec![
                            p.bucket.clone(),
                            s.currency.code().to_string(),
                            p.orders.to_string(),
                            p.revenue.amount().to_string(),
                            p.average_order_value
                                .as_ref()
                                .map(|m| m.amount().to_string())
                                .unwrap_or_default(),
                        ]
                    })
                })
                .collect(),
        ),
        "products" | "categories" | "companies" => {
            let list = match chart {
                "products" => &d.top_products,
                "categories" => &d.top_categories,
                _ => &d.top_companies,
            };
            let count = if chart == "companies" {
                "orders"
            } else {
                "units"
            };
            (
                h(&["key", "name", count, "currency", "revenue"]),
                list.iter()
                    .map(|r| {
                        let name = match chart {
                            "categories" => names.get(&r.key).cloned().unwrap_or_default(),
                            _ => r.label.clone(),
                        };
                        vec![
                            cell(&r.key),
                            cell(&name),
                            r.count.to_string(),
                            r.revenue.currency().code().to_string(),
                            r.revenue.amount().to_string(),
                        ]
                    })
                    .collect(),
            )
        }
        "funnel" => (
            h(&["step", "count"]),
            vec![
                vec!["visits".into(), d.traffic.totals.sessions.to_string()],
                vec![
                    "product_views".into(),
                    d.traffic.totals.product_views.to_string(),
                ],
                vec!["carts_started".into(), d.carts_started.to_string()],
                vec![
                    "orders".into(),
                    d.sales.iter().map(|s| s.orders).sum::<i64>().to_string(),
                ],
            ],
        ),
        "zero-results" | "searches" | "entry-pages" | "channels" | "devices" => {
            let list = match chart {
                "zero-results" => &d.traffic.zero_result_terms,
                "searches" => &d.traffic.search_terms,
                "entry-pages" => &d.traffic.entry_pages,
                "channels" => &d.traffic.channels,
                _ => &d.traffic.devices,
            };
            (
                h(&["key", "count"]),
                list.iter()
                    .map(|r| vec![cell(&r.key), r.count.to_string()])
                    .collect(),
            )
        }
        "traffic" => (
            h(&[
                "day",
                "page_views",
                "visits",
                "searches",
                "zero_result_searches",
                "product_views",
            ]),
            d.traffic
                .days
                .iter()
                .map(|x| {
                    vec![
                        x.day.clone(),
                        x.page_views.to_string(),
                        x.sessions.to_string(),
                        x.searches.to_string(),
                        x.zero_result_searches.to_string(),
                        x.product_views.to_string(),
                    ]
                })
                .collect(),
        ),
        "inquiries" => (
            h(&["kind", "status", "count"]),
            d.inquiries
                .iter()
                .map(|(k, st, n)| vec![k.clone(), st.clone(), n.to_string()])
                .collect(),
        ),
        _ => return Problem::for_status(StatusCode::NOT_FOUND).into_response(),
    };
    let name = format!("mercato-{chart}-{}-{}.csv", d.from, d.to);
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        mercato_docs::write_csv(&headers, &rows),
    )
        .into_response()
}
