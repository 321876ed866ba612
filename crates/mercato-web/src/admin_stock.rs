//! Back-office stock (S3): the list warehouse staff work from (SKU, level
//! per warehouse, supply policy, who changed it last), one SKU's page,
//! setting a counted quantity or a supply policy, uploading a stock file
//! and exporting the list as CSV. Every change goes through `app::stock`
//! (`set_levels`, `set_policy`, `import_levels`), so checks, the audit log
//! and the recorded source behave as over the API.

use crate::AppState;
use crate::admin::{Staff, Stock, Ui, check_csrf, utc_time};
use crate::problem::Problem;
use crate::shop::{encode, format_quantity};
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use mercato_app::AppError;
use mercato_app::auth::Principal;
use mercato_app::stock::{self, StockInput, StockRow, StockRowFilter};
use mercato_core::Lang;
use mercato_core::stock::SupplyPolicy;
use rust_decimal::Decimal;
use serde::Deserialize;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        // The upload posts to the list itself: a path under /admin/stock/
        // would shadow a SKU of the same name.
        .route("/admin/stock", get(list_page).post(upload))
        .route("/admin/stock.csv", get(export_csv))
        .route("/admin/stock/{sku}", get(item_page))
        .route("/admin/stock/{sku}/level", post(set_level))
        .route("/admin/stock/{sku}/policy", post(set_policy))
}

/// Rows per page of the list.
const PAGE: i64 = 50;

/// A SKU in a warehouse, as a row of the list or of a SKU's page.
struct Row {
    sku: String,
    /// The SKU as a path segment.
    sku_path: String,
    name: String,
    /// The warehouse code the set form sends (empty: the default one).
    warehouse: String,
    /// `false`: no level yet (0 on hand).
    has_level: bool,
    on_hand: String,
    reserved: String,
    available: String,
    /// Nothing left to promise.
    out: bool,
    policy: String,
    source: String,
    updated: String,
}

fn product_name(ui: &Ui, r: &StockRow) -> String {
    let fallbacks = [Lang::zh_cn(), Lang::en()];
    let lang = Lang::parse(ui.tr.code()).unwrap_or_else(|_| Lang::zh_cn());
    r.product_name
        .resolve(&lang, &fallbacks)
        .unwrap_or_default()
        .to_string()
}

fn policy_text(ui: &Ui, p: SupplyPolicy) -> String {
    match (p.backorders, p.lead_time_days) {
        (false, _) => ui.t("admin-stock-no-backorders"),
        (true, None) => ui.t("admin-stock-backorders"),
        (true, Some(d)) => ui.t_with(
            "admin-stock-backorders-lead",
            &[("days", d.to_string().as_str())],
        ),
    }
}

/// Who changed a level last, in the page's language. Spelled out key by
/// key (not `ui.word`), so the locale test sees every one of them.
fn source_word(ui: &Ui, code: &str) -> String {
    match code {
        "staff" => ui.t("admin-stock-source-staff"),
        "api" => ui.t("admin-stock-source-api"),
        "import" => ui.t("admin-stock-source-import"),
        "order" => ui.t("admin-stock-source-order"),
        other => other.to_string(),
    }
}

fn row_of(ui: &Ui, r: &StockRow) -> Row {
    let available = r.available();
    Row {
        sku: r.sku.clone(),
        sku_path: encode(&r.sku),
        name: product_name(ui, r),
        warehouse: r.warehouse.clone().unwrap_or_default(),
        has_level: r.source.is_some(),
        on_hand: format_quantity(r.on_hand),
        reserved: format_quantity(r.reserved),
        available: format_quantity(available),
        out: available <= Decimal::ZERO,
        policy: policy_text(ui, r.policy),
        source: r
            .source
            .as_deref()
            .map(|c| source_word(ui, c))
            .unwrap_or_default(),
        updated: r
            .updated_at
            .map(|t| utc_time(t.as_offset()))
            .unwrap_or_default(),
    }
}

/// The list's filters, as the query string carries them.
#[derive(Deserialize, Default, Clone)]
struct ListFilter {
    /// SKU or product text.
    #[serde(default)]
    q: String,
    /// `1`: low or out of stock only.
    #[serde(default)]
    low: String,
    /// Low means available at most this (default 0: out of stock).
    #[serde(default)]
    threshold: String,
    #[serde(default)]
    warehouse: String,
    /// Keyset: after this SKU and warehouse.
    #[serde(default)]
    after: String,
    #[serde(default)]
    after_wh: String,
    /// The SKU just saved, for the notice.
    #[serde(default)]
    saved: String,
    /// How many levels an upload set, for the notice.
    #[serde(default)]
    imported: String,
}

impl ListFilter {
    /// The list's URL with these filters (and page), without notices.
    fn url(&self, path: &str, page: bool) -> String {
        let mut q = Vec::new();
        for (k, v) in [
            ("q", &self.q),
            ("low", &self.low),
            ("threshold", &self.threshold),
            ("warehouse", &self.warehouse),
        ] {
            if !v.is_empty() {
                q.push(format!("{k}={}", encode(v)));
            }
        }
        if page && !self.after.is_empty() {
            q.push(format!("after={}", encode(&self.after)));
            q.push(format!("after_wh={}", encode(&self.after_wh)));
        }
        if q.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{}", q.join("&"))
        }
    }

    /// The store filter, or why the typed threshold is not one.
    fn store_filter(&self, ui: &Ui, limit: i64) -> Result<StockRowFilter, String> {
        let max_available = if self.low == "1" {
            let raw = self.threshold.trim();
            match raw {
                "" => Some(Decimal::ZERO),
                raw => match raw.parse::<Decimal>() {
                    Ok(d) if !d.is_sign_negative() => Some(d),
                    _ => return Err(ui.t_with("admin-stock-bad-threshold", &[("value", raw)])),
                },
            }
        } else {
            None
        };
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Ok(StockRowFilter {
            text: text(&self.q),
            sku: None,
            max_available,
            warehouse: text(&self.warehouse),
            after: text(&self.after).map(|a| (a, self.after_wh.clone())),
            limit,
        })
    }
}

#[derive(Template)]
#[template(path = "stock.html")]
struct ListPage {
    ui: Ui,
    staff: crate::admin::StaffBar,
    csrf_token: String,
    rows: Vec<Row>,
    f: ListFilter,
    /// `(code, name, selected)`.
    warehouses: Vec<(String, String, bool)>,
    /// This page of the list (filters and place), where set forms return.
    back: String,
    csv: String,
    next: Option<String>,
    message: Option<String>,
    error: Option<String>,
    /// An upload's refusals, one per bad row, as the import words them.
    errors: Vec<String>,
    views: crate::admin_views::SavedViews,
}

/// What a list page says besides its rows.
#[derive(Default)]
struct Outcome {
    message: Option<String>,
    error: Option<String>,
    errors: Vec<String>,
}

async fn list(
    s: &AppState,
    ui: &Ui,
    p: &Principal,
    csrf: String,
    f: ListFilter,
    mut out: Outcome,
    mut status: StatusCode,
) -> Response {
    let warehouses = match stock::warehouses(&s.app, p).await {
        Ok(w) => w,
        Err(e) => return Problem::from(e).into_response(),
    };
    let mut rows = Vec::new();
    let mut next = None;
    match f.store_filter(ui, PAGE) {
        Ok(filter) => match stock::list_levels(&s.app, p, &filter).await {
            Ok(found) => {
                if let Some(last) = found.last().filter(|_| found.len() as i64 == PAGE) {
                    let page = ListFilter {
                        after: last.sku.clone(),
                        after_wh: last.warehouse.clone().unwrap_or_default(),
                        ..f.clone()
                    };
                    next = Some(page.url("/admin/stock", true));
                }
                rows = found.iter().map(|r| row_of(ui, r)).collect();
            }
            Err(AppError::Invalid(fields)) => {
                out.error = Some(crate::admin_catalog::messages(ui, &fields));
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            Err(e) => return Problem::from(e).into_response(),
        },
        Err(why) => {
            out.error = Some(why);
            status = StatusCode::UNPROCESSABLE_ENTITY;
        }
    }
    let here = f.url("/admin/stock", false);
    let views =
        crate::admin_views::bar(s, p, "/admin/stock", here.split_once('?').map(|(_, q)| q)).await;
    let t = ListPage {
        ui: ui.clone(),
        staff: crate::admin::StaffBar::of(p),
        csrf_token: csrf,
        views,
        rows,
        warehouses: warehouses
            .into_iter()
            .map(|w| {
                let selected = w.code == f.warehouse;
                (w.code, w.name, selected)
            })
            .collect(),
        back: f.url("/admin/stock", true),
        csv: f.url("/admin/stock.csv", false),
        f,
        next,
        message: out.message,
        error: out.error,
        errors: out.errors,
    };
    ui.page(&t, status)
}

async fn list_page(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Stock>,
    ui: Ui,
    Query(f): Query<ListFilter>,
) -> Response {
    let mut out = Outcome::default();
    if !f.saved.is_empty() {
        out.message = Some(ui.t_with("admin-stock-saved", &[("sku", f.saved.as_str())]));
    } else if !f.imported.is_empty() {
        out.message = Some(ui.t_with("admin-stock-imported", &[("count", f.imported.as_str())]));
    }
    list(&s, &ui, &p, csrf, f, out, StatusCode::OK).await
}

#[derive(Template)]
#[template(path = "stock_item.html")]
struct ItemPage {
    ui: Ui,
    staff: crate::admin::StaffBar,
    csrf_token: String,
    sku: String,
    sku_path: String,
    name: String,
    /// One row per warehouse, those without a level at 0.
    rows: Vec<Row>,
    available: String,
    backorders: bool,
    lead_time_days: String,
    policy: String,
    message: Option<String>,
    error: Option<String>,
}

async fn item(
    s: &AppState,
    ui: &Ui,
    p: &Principal,
    csrf: String,
    sku: &str,
    out: Outcome,
    status: StatusCode,
) -> Response {
    let filter = StockRowFilter {
        sku: Some(sku.to_string()),
        limit: 1_000,
        ..StockRowFilter::default()
    };
    let found = match stock::list_levels(&s.app, p, &filter).await {
        Ok(x) => x,
        Err(e) => return Problem::from(e).into_response(),
    };
    let warehouses = match stock::warehouses(&s.app, p).await {
        Ok(w) => w,
        Err(e) => return Problem::from(e).into_response(),
    };
    // Only catalog SKUs have a page (an unknown one is a typo or a stale link).
    let Some(first) = found.first().cloned() else {
        return Problem::from(AppError::NotFound("sku")).into_response();
    };
    // Every warehouse gets a row, so a first count can go anywhere.
    let rows: Vec<Row> = warehouses
        .iter()
        .map(|w| {
            let r = found
                .iter()
                .find(|r| r.warehouse.as_deref() == Some(w.code.as_str()))
                .cloned()
                .unwrap_or_else(|| StockRow {
                    warehouse: Some(w.code.clone()),
                    on_hand: Decimal::ZERO,
                    reserved: Decimal::ZERO,
                    source: None,
                    updated_at: None,
                    ..first.clone()
                });
            row_of(ui, &r)
        })
        .collect();
    let available: Decimal = found.iter().map(StockRow::available).sum();
    let t = ItemPage {
        ui: ui.clone(),
        staff: crate::admin::StaffBar::of(p),
        csrf_token: csrf,
        sku: first.sku.clone(),
        sku_path: encode(&first.sku),
        name: product_name(ui, &first),
        rows,
        available: format_quantity(available),
        backorders: first.policy.backorders,
        lead_time_days: first
            .policy
            .lead_time_days
            .map(|d| d.to_string())
            .unwrap_or_default(),
        policy: policy_text(ui, first.policy),
        message: out.message,
        error: out.error,
    };
    ui.page(&t, status)
}

#[derive(Deserialize)]
struct Saved {
    #[serde(default)]
    saved: String,
}

async fn item_page(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Stock>,
    ui: Ui,
    Path(sku): Path<String>,
    Query(q): Query<Saved>,
) -> Response {
    let message = match q.saved.as_str() {
        "" => None,
        "policy" => Some(ui.t("admin-stock-policy-saved")),
        _ => Some(ui.t_with("admin-stock-saved", &[("sku", sku.as_str())])),
    };
    let out = Outcome {
        message,
        ..Outcome::default()
    };
    item(&s, &ui, &p, csrf, &sku, out, StatusCode::OK).await
}

/// Whether `back` is this list's own URL (never elsewhere: it comes from a
/// form, and a redirect must not become an open one).
fn list_url(back: &str) -> Option<Uri> {
    let ok = (back == "/admin/stock" || back.starts_with("/admin/stock?"))
        && !back.contains(['\\', '#'])
        && !back.chars().any(char::is_control);
    ok.then(|| back.parse::<Uri>().ok()).flatten()
}

#[derive(Deserialize)]
struct LevelForm {
    #[serde(default)]
    csrf_token: String,
    /// Empty: the default warehouse.
    #[serde(default)]
    warehouse: String,
    #[serde(default)]
    on_hand: String,
    /// The list to return to; empty: the SKU's page.
    #[serde(default)]
    back: String,
}

async fn set_level(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Stock>,
    ui: Ui,
    client: crate::extract::Client,
    Path(sku): Path<String>,
    Form(f): Form<LevelForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let raw = f.on_hand.trim();
    let back = list_url(&f.back);
    // A sign reaches `set_levels`, which words the refusal of a negative
    // count; a thousands separator is refused (as the stock import does).
    let reason = match crate::admin::parse_number(raw) {
        Some(on_hand) => {
            let input = StockInput {
                sku: sku.clone(),
                warehouse: Some(f.warehouse.trim().to_string()).filter(|w| !w.is_empty()),
                on_hand,
            };
            match stock::set_levels(&s.app, Some(&p), vec![input], &client.0).await {
                Ok(_) => {
                    let to = match &back {
                        Some(uri) => {
                            let sep = if uri.query().is_some() { '&' } else { '?' };
                            format!("{uri}{sep}saved={}", encode(&sku))
                        }
                        None => format!("/admin/stock/{}?saved=level", encode(&sku)),
                    };
                    return Redirect::to(&to).into_response();
                }
                Err(AppError::Invalid(fields)) => crate::admin_catalog::messages(&ui, &fields),
                Err(e) => return Problem::from(e).into_response(),
            }
        }
        None => ui.t_with("admin-stock-bad-quantity", &[("value", raw)]),
    };
    let error = ui.t_with(
        "admin-stock-not-saved",
        &[("sku", sku.as_str()), ("reason", reason.as_str())],
    );
    match back {
        Some(uri) => {
            let f = Query::<ListFilter>::try_from_uri(&uri)
                .map(|q| q.0)
                .unwrap_or_default();
            let ui = ui.at(f.url("/admin/stock", true));
            let out = Outcome {
                error: Some(error),
                ..Outcome::default()
            };
            list(&s, &ui, &p, csrf, f, out, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        None => {
            let ui = ui.at(format!("/admin/stock/{}", encode(&sku)));
            item(
                &s,
                &ui,
                &p,
                csrf,
                &sku,
                Outcome {
                    error: Some(error),
                    ..Outcome::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[derive(Deserialize)]
struct PolicyForm {
    #[serde(default)]
    csrf_token: String,
    /// `1` when the box is ticked (an unticked box sends nothing).
    #[serde(default)]
    backorders: String,
    #[serde(default)]
    lead_time_days: String,
}

async fn set_policy(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Stock>,
    ui: Ui,
    client: crate::extract::Client,
    Path(sku): Path<String>,
    Form(f): Form<PolicyForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let raw = f.lead_time_days.trim();
    let lead_time_days = match raw {
        "" => Ok(None),
        d => d
            .parse::<u16>()
            .map(Some)
            .map_err(|_| ui.t_with("admin-stock-bad-lead-time", &[("value", raw)])),
    };
    let reason = match lead_time_days {
        Err(why) => why,
        Ok(lead_time_days) => {
            let policy = SupplyPolicy {
                backorders: f.backorders == "1",
                lead_time_days,
            };
            match stock::set_policy(&s.app, Some(&p), &sku, policy, &client.0).await {
                Ok(_) => {
                    let to = format!("/admin/stock/{}?saved=policy", encode(&sku));
                    return Redirect::to(&to).into_response();
                }
                Err(AppError::Invalid(fields)) => crate::admin_catalog::messages(&ui, &fields),
                Err(e) => return Problem::from(e).into_response(),
            }
        }
    };
    let ui = ui.at(format!("/admin/stock/{}", encode(&sku)));
    item(
        &s,
        &ui,
        &p,
        csrf,
        &sku,
        Outcome {
            error: Some(reason),
            ..Outcome::default()
        },
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// A stock file (CSV or XLSX) from the list page, all or nothing.
async fn upload(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Stock>,
    ui: Ui,
    client: crate::extract::Client,
    mut multipart: Multipart,
) -> Response {
    let parts = match crate::admin_catalog::read_checked_parts(&mut multipart, &csrf).await {
        Ok(parts) => parts,
        Err(r) => return r,
    };
    let result = match parts
        .iter()
        .find(|x| x.name == "file" && !x.data.is_empty())
    {
        None => Err(AppError::invalid(
            "file",
            "no_file",
            ui.t("admin-stock-no-file"),
        )),
        Some(file) => {
            let name = file.file_name.as_deref().unwrap_or("stock.csv");
            stock::import_levels(&s.app, Some(&p), name, &file.data, &client.0).await
        }
    };
    let ui = ui.at("/admin/stock");
    match result {
        Ok(views) => {
            Redirect::to(&format!("/admin/stock?imported={}", views.len())).into_response()
        }
        Err(AppError::Invalid(fields)) => {
            // Each bad row as the import names it (file, line, column, why):
            // what staff need to find it in their spreadsheet.
            let out = Outcome {
                error: Some(ui.t("admin-stock-import-refused")),
                errors: fields.into_iter().map(|x| x.message).collect(),
                ..Outcome::default()
            };
            list(
                &s,
                &ui,
                &p,
                csrf,
                ListFilter::default(),
                out,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

/// A text cell for a CSV that Excel opens: a cell starting with `=`, `+`,
/// `-`, `@` (or a tab or carriage return) gets a leading apostrophe, so
/// Excel keeps it as text instead of running it as a formula.
pub(crate) fn text_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// The most rows one export reads (a runaway guard; catalogs are far smaller).
const EXPORT_MAX: usize = 200_000;

/// The list as CSV, with the same filters, every page. Its columns are the
/// stock import's (`sku`, `warehouse`, `on_hand`, `backorders`,
/// `lead_time_days`), so an edited export can be uploaded again.
async fn export_csv(
    State(s): State<AppState>,
    Staff(p, _, _): Staff<Stock>,
    ui: Ui,
    Query(f): Query<ListFilter>,
) -> Response {
    const BATCH: i64 = 1_000;
    let mut filter = match f.store_filter(&ui, BATCH) {
        Ok(filter) => filter,
        Err(why) => {
            return Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", why)
                .into_response();
        }
    };
    filter.after = None;
    let mut rows: Vec<Vec<String>> = Vec::new();
    loop {
        let found = match stock::list_levels(&s.app, &p, &filter).await {
            Ok(found) => found,
            Err(e) => return Problem::from(e).into_response(),
        };
        let full = found.len() as i64 == BATCH;
        filter.after = found
            .last()
            .map(|r| (r.sku.clone(), r.warehouse.clone().unwrap_or_default()));
        rows.extend(found.iter().map(|r| {
            vec![
                text_cell(&r.sku),
                text_cell(&product_name(&ui, r)),
                text_cell(r.warehouse.as_deref().unwrap_or_default()),
                format_quantity(r.on_hand),
                format_quantity(r.reserved),
                format_quantity(r.available()),
                if r.policy.backorders { "yes" } else { "no" }.to_string(),
                r.policy
                    .lead_time_days
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                text_cell(r.source.as_deref().unwrap_or_default()),
                r.updated_at
                    .map(|t| utc_time(t.as_offset()))
                    .unwrap_or_default(),
            ]
        }));
        if !full || rows.len() >= EXPORT_MAX {
            break;
        }
    }
    let headers: Vec<String> = [
        "sku",
        "product",
        "warehouse",
        "on_hand",
        "reserved",
        "available",
        "backorders",
        "lead_time_days",
        "source",
        "updated_at",
    ]
    .map(String::from)
    .to_vec();
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"mercato-stock.csv\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        mercato_docs::write_csv(&headers, &rows),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_stay_text() {
        assert_eq!(text_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(text_cell("@x"), "'@x");
        assert_eq!(text_cell("-1+1"), "'-1+1");
        assert_eq!(text_cell("HB-M8X20"), "HB-M8X20");
    }

    #[test]
    fn only_the_list_is_a_way_back() {
        assert!(list_url("/admin/stock").is_some());
        assert!(list_url("/admin/stock?q=HB&low=1").is_some());
        for bad in [
            "",
            "//evil.example/admin/stock",
            "https://evil.example/admin/stock?",
            "/admin/stockx",
            "/admin/stock/HB",
            "/admin/stock?\r\nSet-Cookie: x",
        ] {
            assert!(list_url(bad).is_none(), "{bad:?}");
        }
    }
}
