//! Back-office orders (P7): the list staff work from (by status and
//! company, newest first) and one order with the steps its status allows
//! them: confirm, hold, release, ship (carrier, tracking, the quantities of
//! each line), mark delivered, complete, cancel, and record a payment.
//! Every step goes through `app::orders`, so the lifecycle table, stock,
//! credit, card holds, e-mails and the audit log behave as over the API.

use crate::AppState;
use crate::admin::{Orders, Staff, TableFormat, Ui, check_csrf, download, utc_time};
use crate::api::orders::{order_cursor, order_status, parse_order_cursor};
use crate::problem::Problem;
use crate::shop::{format_money, format_quantity};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use mercato_app::AppError;
use mercato_app::auth::Principal;
use mercato_app::orders::{self, OrderFilter, OrderSort, OrderView, ShipmentInput};
use mercato_core::order::{OrderAction, OrderActor, OrderStatus, PaymentStatus, transition};
use mercato_core::{CompanyId, Permission};
use rust_decimal::Decimal;
use serde::Deserialize;
use uuid::Uuid;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/orders", get(list_page))
        .route("/admin/orders/bulk", post(bulk))
        .route("/admin/orders.csv", get(export_csv))
        .route("/admin/orders.xlsx", get(export_xlsx))
        .route("/admin/orders/{id}", get(detail_page))
        .route("/admin/orders/{id}/act", post(act))
        .route("/admin/orders/{id}/ship", post(ship))
        .route("/admin/orders/{id}/paid", post(paid))
        .route("/admin/orders/{id}/confirmation.pdf", get(confirmation_pdf))
}

/// An order as a list row.
struct Row {
    id: Uuid,
    number: String,
    placed: String,
    company: String,
    company_id: Uuid,
    status: String,
    status_code: &'static str,
    payment: String,
    total: String,
    po_number: String,
}

#[derive(Template)]
#[template(path = "orders.html")]
struct ListPage {
    ui: Ui,
    staff: crate::admin::StaffBar,
    csrf_token: String,
    rows: Vec<Row>,
    /// `(code, label, selected)`.
    statuses: Vec<(String, String, bool)>,
    /// The company filtered on: `(id, name)`.
    company: Option<(Uuid, String)>,
    next: Option<String>,
    views: crate::admin_views::SavedViews,
    /// The filtered list as CSV and XLSX.
    exports: (String, String),
    /// The filters as typed, carried by the bulk form.
    filter_status: String,
    filter_company: String,
    /// `(code, word, selected)` of each sort.
    sorts: Vec<(&'static str, String, bool)>,
    /// `(code, word)` of each step the bulk form offers.
    actions: Vec<(&'static str, String)>,
    message: Option<String>,
    errors: Vec<String>,
}

#[derive(Deserialize, Default)]
struct ListFilter {
    #[serde(default)]
    status: String,
    #[serde(default)]
    company: String,
    /// `newest` (default), `oldest` or `total`.
    #[serde(default)]
    sort: String,
    #[serde(default)]
    cursor: String,
}

fn status_word(ui: &Ui, s: OrderStatus) -> String {
    ui.word("order-status", s.as_str())
}

fn payment_word(ui: &Ui, method: &str, status: PaymentStatus) -> String {
    format!(
        "{} · {}",
        ui.word("payment", method),
        ui.word("admin-payment-status", status.as_str())
    )
}

async fn list_page(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Orders>,
    ui: Ui,
    Query(f): Query<ListFilter>,
) -> Response {
    list(&s, &ui, &p, csrf, f, Outcome::default()).await
}

/// What a bulk action did, shown above the list.
#[derive(Default)]
struct Outcome {
    message: Option<String>,
    /// One line per order the step was refused for.
    errors: Vec<String>,
}

/// The list's filters and sort, parsed (a bad one is a 4xx problem).
fn parse_filter(
    f: &ListFilter,
) -> Result<(Option<OrderStatus>, Option<CompanyId>, OrderSort), Response> {
    let sort = OrderSort::parse(&f.sort).ok_or_else(|| {
        Problem::from(AppError::invalid(
            "sort",
            "unknown_sort",
            format!("{:?} is not a sort: newest, oldest or total", f.sort),
        ))
        .into_response()
    })?;
    let status = order_status(&f.status).map_err(IntoResponse::into_response)?;
    let company = match f.company.as_str() {
        "" => None,
        c => match c.parse::<Uuid>() {
            Ok(u) => Some(CompanyId(u)),
            Err(_) => {
                return Err(Problem::from(AppError::invalid(
                    "company",
                    "invalid_id",
                    format!("{c:?} is not a company id"),
                ))
                .into_response());
            }
        },
    };
    Ok((status, company, sort))
}

/// The cursor of the page after the order `id` placed at `placed_at` for
/// `total`, in `sort`'s order.
fn list_cursor(
    placed_at: mercato_app::Timestamp,
    total: &mercato_core::Money,
    id: Uuid,
    sort: OrderSort,
) -> Option<String> {
    match sort {
        OrderSort::Newest | OrderSort::Oldest => order_cursor(placed_at, id),
        OrderSort::LargestTotal => total
            .to_storage_units()
            .ok()
            .map(|t| crate::api::encode_cursor(&t.to_string(), &id.to_string())),
    }
}

/// Where a page starts in the store's terms: after this placement (when
/// sorted by time) or after this total (when sorted by total).
type Position = (Option<(mercato_app::Timestamp, Uuid)>, Option<(i64, Uuid)>);

/// Where a page starts: `(before, after_total)` for the store's filter.
fn parse_list_cursor(c: &str, sort: OrderSort) -> Result<Position, Response> {
    if c.is_empty() {
        return Ok((None, None));
    }
    match sort {
        OrderSort::Newest | OrderSort::Oldest => parse_order_cursor(c)
            .map(|b| (Some(b), None))
            .map_err(IntoResponse::into_response),
        OrderSort::LargestTotal => {
            let bad = || crate::api::invalid_cursor().into_response();
            let (total, id) = crate::api::decode_cursor(c).map_err(IntoResponse::into_response)?;
            let total: i64 = total.parse().map_err(|_| bad())?;
            let id: Uuid = id.parse().map_err(|_| bad())?;
            Ok((None, Some((total, id))))
        }
    }
}

async fn list(
    s: &AppState,
    ui: &Ui,
    p: &Principal,
    csrf: String,
    f: ListFilter,
    out: Outcome,
) -> Response {
    let (status, company, sort) = match parse_filter(&f) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let (before, after_total) = match parse_list_cursor(&f.cursor, sort) {
        Ok(x) => x,
        Err(r) => return r,
    };
    const PAGE: i64 = 50;
    let filter = OrderFilter {
        status,
        company,
        sort,
        before,
        after_total,
        limit: PAGE,
    };
    let list = match orders::list(&s.app, p, filter).await {
        Ok(l) => l,
        Err(e) => return Problem::from(e).into_response(),
    };
    let ids: Vec<CompanyId> = list.iter().map(|o| o.company_id).chain(company).collect();
    let names = match orders::company_names(&s.app, p, ids).await {
        Ok(n) => n,
        Err(e) => return Problem::from(e).into_response(),
    };
    let name_of = |id: CompanyId| names.get(&id).cloned().unwrap_or_else(|| id.to_string());
    let filters = format!(
        "status={}&company={}&sort={}",
        f.status,
        f.company,
        if sort == OrderSort::Newest {
            ""
        } else {
            sort.code()
        }
    );
    let next = (list.len() as i64 == PAGE)
        .then(|| list.last())
        .flatten()
        .map(|o| {
            format!(
                "/admin/orders?{filters}&cursor={}",
                list_cursor(o.placed_at, &o.totals.total, o.id, sort).unwrap_or_default()
            )
        });
    let sorts = OrderSort::ALL
        .iter()
        .map(|st| {
            (
                st.code(),
                ui.t(match st {
                    OrderSort::Newest => "admin-orders-sort-newest",
                    OrderSort::Oldest => "admin-orders-sort-oldest",
                    OrderSort::LargestTotal => "admin-orders-sort-total",
                }),
                *st == sort,
            )
        })
        .collect();
    let rows = list
        .iter()
        .map(|o| Row {
            id: o.id,
            number: o.number.clone(),
            placed: utc_time(o.placed_at.as_offset()),
            company: name_of(o.company_id),
            company_id: o.company_id.as_uuid(),
            status: status_word(ui, o.status),
            status_code: o.status.as_str(),
            payment: payment_word(ui, o.payment_method.as_str(), o.payment_status),
            total: format_money(&o.totals.total),
            po_number: o.po_number.clone().unwrap_or_default(),
        })
        .collect();
    let statuses = OrderStatus::ALL
        .iter()
        .map(|st| {
            (
                st.as_str().to_string(),
                status_word(ui, *st),
                Some(*st) == status,
            )
        })
        .collect();
    let actions = STAFF_ACTIONS
        .iter()
        .map(|a| (a.as_str(), ui.word("admin-order-action", a.as_str())))
        .collect();
    let t = ListPage {
        ui: ui.clone(),
        staff: crate::admin::StaffBar::of(p),
        views: crate::admin_views::bar(s, p, "/admin/orders", Some(&filters)).await,
        csrf_token: csrf,
        rows,
        statuses,
        company: company.map(|c| (c.as_uuid(), name_of(c))),
        next,
        exports: (
            format!("/admin/orders.csv?{filters}"),
            format!("/admin/orders.xlsx?{filters}"),
        ),
        filter_status: f.status,
        filter_company: f.company,
        sorts,
        actions,
        message: out.message,
        errors: out.errors,
    };
    let status = if t.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    ui.page(&t, status)
}

#[derive(Deserialize)]
struct BulkForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    action: String,
    /// The orders ticked.
    #[serde(default)]
    id: Vec<Uuid>,
    /// The list's filters, to show it again.
    #[serde(default)]
    status: String,
    #[serde(default)]
    company: String,
    #[serde(default)]
    sort: String,
}

/// The most orders one bulk step takes (a page of the list is 50).
const BULK_MAX: usize = 200;

/// One step (confirm, hold, release, deliver, complete, cancel) on every
/// order ticked in the list, each through `app::orders::act` as if taken
/// on the order itself; the list comes back saying how many were done and
/// why each refused one was refused. Orders are independent: a refusal
/// does not undo the others (each step is its own transaction).
async fn bulk(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Orders>,
    ui: Ui,
    client: crate::extract::Client,
    Form(f): Form<BulkForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let filter = ListFilter {
        status: f.status,
        company: f.company,
        sort: f.sort,
        cursor: String::new(),
    };
    let mut out = Outcome::default();
    let Some(action) = parse_action(&f.action) else {
        out.errors.push(ui.t("admin-orders-bulk-no-action"));
        return list(&s, &ui, &p, csrf, filter, out).await;
    };
    if f.id.is_empty() {
        out.errors.push(ui.t("admin-orders-bulk-none"));
        return list(&s, &ui, &p, csrf, filter, out).await;
    }
    if f.id.len() > BULK_MAX {
        out.errors.push(ui.t_with(
            "admin-orders-bulk-too-many",
            &[("max", &BULK_MAX.to_string())],
        ));
        return list(&s, &ui, &p, csrf, filter, out).await;
    }
    let mut done = 0usize;
    for id in f.id {
        match orders::act(&s.app, &p, id, action, None, &client.0).await {
            Ok(_) => done += 1,
            Err(e) => {
                let number = orders::get(&s.app, &p, id)
                    .await
                    .map(|o| o.number)
                    .unwrap_or_else(|_| id.to_string());
                let why = refusal(&ui, e).unwrap_or_else(|e| e.to_string());
                out.errors.push(format!("{number}: {why}"));
            }
        }
    }
    out.message = Some(ui.t_with(
        "admin-orders-bulk-done",
        &[
            ("action", &ui.word("admin-order-action", action.as_str())),
            ("count", &done.to_string()),
        ],
    ));
    list(&s, &ui, &p, csrf, filter, out).await
}

/// The most rows an export holds; a larger list is cut with a last row
/// saying so (filter it further).
const EXPORT_MAX: usize = 100_000;

/// The filtered list (every page of it) as a table for CSV or XLSX.
async fn export_rows(
    s: &AppState,
    p: &Principal,
    ui: &Ui,
    f: &ListFilter,
) -> Result<(Vec<String>, Vec<Vec<String>>), Response> {
    let (status, company, sort) = parse_filter(f)?;
    let headers: Vec<String> = [
        "number",
        "placed_at",
        "company",
        "company_id",
        "market",
        "status",
        "payment_method",
        "payment_status",
        "po_number",
        "currency",
        "subtotal",
        "discount",
        "shipping",
        "tax",
        "total",
    ]
    .map(String::from)
    .to_vec();
    let mut rows = Vec::new();
    let (mut before, mut after_total) = (None, None);
    loop {
        let filter = OrderFilter {
            status,
            company,
            sort,
            before,
            after_total,
            limit: 200,
        };
        let page = orders::list(&s.app, p, filter)
            .await
            .map_err(|e| Problem::from(e).into_response())?;
        let ids: Vec<CompanyId> = page.iter().map(|o| o.company_id).collect();
        let names = orders::company_names(&s.app, p, ids)
            .await
            .map_err(|e| Problem::from(e).into_response())?;
        for o in &page {
            let amount = |m: &mercato_core::Money| m.amount().to_string();
            rows.push(vec![
                o.number.clone(),
                o.placed_at
                    .as_offset()
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default(),
                names.get(&o.company_id).cloned().unwrap_or_default(),
                o.company_id.to_string(),
                o.market.clone(),
                o.status.as_str().to_string(),
                o.payment_method.as_str().to_string(),
                o.payment_status.as_str().to_string(),
                o.po_number.clone().unwrap_or_default(),
                o.currency.code().to_string(),
                amount(&o.totals.subtotal),
                amount(&o.totals.discount),
                amount(&o.totals.shipping),
                amount(&o.totals.tax),
                amount(&o.totals.total),
            ]);
        }
        if rows.len() >= EXPORT_MAX {
            rows.truncate(EXPORT_MAX);
            rows.push(vec![
                ui.t_with("admin-export-cut", &[("max", &EXPORT_MAX.to_string())]),
            ]);
            break;
        }
        match page.last() {
            Some(o) if page.len() == 200 => {
                before = Some((o.placed_at, o.id));
                after_total = o.totals.total.to_storage_units().ok().map(|t| (t, o.id));
            }
            _ => break,
        }
    }
    Ok((headers, rows))
}

async fn export_csv(
    State(s): State<AppState>,
    Staff(p, _, _): Staff<Orders>,
    ui: Ui,
    Query(f): Query<ListFilter>,
) -> Response {
    match export_rows(&s, &p, &ui, &f).await {
        Ok((headers, rows)) => download(TableFormat::Csv, "mercato-orders", &headers, &rows),
        Err(r) => r,
    }
}

async fn export_xlsx(
    State(s): State<AppState>,
    Staff(p, _, _): Staff<Orders>,
    ui: Ui,
    Query(f): Query<ListFilter>,
) -> Response {
    match export_rows(&s, &p, &ui, &f).await {
        Ok((headers, rows)) => download(TableFormat::Xlsx, "mercato-orders", &headers, &rows),
        Err(r) => r,
    }
}

/// A line of the order with what is left to ship.
struct LineRow {
    line_no: i32,
    sku: String,
    name: String,
    quantity: String,
    unit_price: String,
    discount: String,
    total: String,
    shipped: String,
    /// Left to ship, as the ship form's default.
    open: String,
    fully_shipped: bool,
}

/// A step of the history.
struct Step {
    at: String,
    action: String,
    to: String,
    note: String,
}

/// A shipment as shown.
struct ShipmentRow {
    number: String,
    carrier: String,
    tracking_number: String,
    tracking_url: String,
    shipped: String,
    delivered: String,
    lines: String,
}

#[derive(Template)]
#[template(path = "order.html")]
struct DetailPage {
    ui: Ui,
    staff: crate::admin::StaffBar,
    csrf_token: String,
    o: OrderView,
    company: String,
    status: String,
    placed: String,
    payment: String,
    lines: Vec<LineRow>,
    subtotal: String,
    discount: String,
    shipping: String,
    tax: String,
    total: String,
    shipments: Vec<ShipmentRow>,
    history: Vec<Step>,
    shipping_address: String,
    billing_address: String,
    /// Lifecycle steps staff may take now: `(action, label, dangerous)`.
    actions: Vec<(&'static str, String, bool)>,
    can_ship: bool,
    can_mark_paid: bool,
    /// Whether the company's own page opens for this member of staff.
    can_open_company: bool,
    message: Option<String>,
    error: Option<String>,
}

/// The steps in the order the buttons show them.
const STAFF_ACTIONS: [OrderAction; 6] = [
    OrderAction::Confirm,
    OrderAction::Release,
    OrderAction::Deliver,
    OrderAction::Complete,
    OrderAction::Hold,
    OrderAction::Cancel,
];

fn parse_action(code: &str) -> Option<OrderAction> {
    STAFF_ACTIONS.into_iter().find(|a| a.as_str() == code)
}

/// The order and its company's name (its id where the company is gone).
async fn order_with_company(
    s: &AppState,
    p: &Principal,
    id: Uuid,
) -> Result<(OrderView, String), Response> {
    let o = orders::get(&s.app, p, id)
        .await
        .map_err(|e| Problem::from(e).into_response())?;
    let names = orders::company_names(&s.app, p, [o.company_id])
        .await
        .map_err(|e| Problem::from(e).into_response())?;
    let company = names
        .get(&o.company_id)
        .cloned()
        .unwrap_or_else(|| o.company_id.to_string());
    Ok((o, company))
}

#[allow(clippy::too_many_arguments)]
async fn detail(
    s: &AppState,
    ui: &Ui,
    p: &Principal,
    csrf: String,
    id: Uuid,
    message: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let (o, company) = match order_with_company(s, p, id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let lines = o
        .lines
        .iter()
        .map(|l| {
            let open = (l.quantity - l.shipped_quantity).max(Decimal::ZERO);
            LineRow {
                line_no: l.line_no,
                sku: l.sku.clone(),
                name: l.name.clone(),
                quantity: format_quantity(l.quantity),
                unit_price: format_money(&l.unit_price),
                discount: if l.discount.amount().is_zero() {
                    String::new()
                } else {
                    format!("−{}", format_money(&l.discount))
                },
                total: format_money(&l.total),
                shipped: format_quantity(l.shipped_quantity),
                open: format_quantity(open),
                fully_shipped: open.is_zero(),
            }
        })
        .collect();
    let mut payment = payment_word(ui, o.payment_method.as_str(), o.payment_status);
    if let Some(pv) = &o.payment {
        if let Some(r) = &pv.reference {
            payment.push_str(&format!(" · {} {r}", ui.t("order-reference")));
        }
        if let Some(r) = &pv.provider_ref {
            payment.push_str(&format!(" · {r}"));
        }
        if let Some(d) = pv.payment_terms_days {
            payment.push_str(&format!(
                " · {}",
                ui.t_with("order-terms", &[("days", &d.to_string())])
            ));
        }
    }
    let actions = STAFF_ACTIONS
        .into_iter()
        .filter(|a| transition(o.status, *a, OrderActor::Staff).is_ok())
        .map(|a| {
            (
                a.as_str(),
                ui.word("admin-order-action", a.as_str()),
                matches!(a, OrderAction::Cancel | OrderAction::Hold),
            )
        })
        .collect();
    let can_ship = transition(
        o.status,
        OrderAction::Ship { complete: false },
        OrderActor::Staff,
    )
    .is_ok();
    let can_mark_paid = p.allows(Permission::ManageFinance)
        && o.status != OrderStatus::Cancelled
        && !matches!(
            o.payment_status,
            PaymentStatus::Paid | PaymentStatus::Refunded | PaymentStatus::Voided
        );
    let discount = if o.totals.discount.amount().is_zero() {
        String::new()
    } else {
        format!("−{}", format_money(&o.totals.discount))
    };
    let t = DetailPage {
        ui: ui.clone(),
        staff: crate::admin::StaffBar::of(p),
        csrf_token: csrf,
        company,
        status: status_word(ui, o.status),
        placed: utc_time(o.placed_at),
        payment,
        lines,
        subtotal: format_money(&o.totals.subtotal),
        discount,
        shipping: format_money(&o.totals.shipping),
        tax: format_money(&o.totals.tax),
        total: format_money(&o.totals.total),
        shipments: o
            .shipments
            .iter()
            .map(|sh| ShipmentRow {
                number: sh.number.clone(),
                carrier: sh.carrier.clone(),
                tracking_number: sh.tracking_number.clone().unwrap_or_default(),
                tracking_url: sh.tracking_url.clone().unwrap_or_default(),
                shipped: utc_time(sh.shipped_at),
                delivered: sh.delivered_at.map(utc_time).unwrap_or_default(),
                lines: sh
                    .lines
                    .iter()
                    .filter_map(|l| {
                        Some(format!(
                            "#{} × {}",
                            l.get("line_no")?,
                            l.get("quantity")?.as_str().unwrap_or_default()
                        ))
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect(),
        history: o
            .history
            .iter()
            .map(|h| Step {
                at: utc_time(h.at),
                action: ui.word("admin-order-action", &h.action),
                to: ui.word("order-status", &h.to),
                note: h.note.clone().unwrap_or_default(),
            })
            .collect(),
        shipping_address: crate::account::address_text(&o.shipping_address),
        billing_address: crate::account::address_text(&o.billing_address),
        actions,
        can_ship,
        can_mark_paid,
        can_open_company: p.allows(Permission::ManageCompanies),
        message,
        error,
        o,
    };
    ui.page(&t, status)
}

#[derive(Deserialize, Default)]
struct Done {
    #[serde(default)]
    done: String,
}

async fn detail_page(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Orders>,
    ui: Ui,
    Path(id): Path<String>,
    Query(q): Query<Done>,
) -> Response {
    let Ok(id) = id.parse::<Uuid>() else {
        return Problem::from(AppError::NotFound("order")).into_response();
    };
    let message = match q.done.as_str() {
        "" => None,
        step => Some(ui.word("admin-order-done", step)),
    };
    detail(&s, &ui, &p, csrf, id, message, None, StatusCode::OK).await
}

/// After a step: back to the order with what happened, or the order with
/// why not (a step the status does not allow, a bad field).
async fn after(
    s: &AppState,
    ui: Ui,
    p: &Principal,
    csrf: String,
    id: Uuid,
    step: &str,
    result: Result<OrderView, AppError>,
) -> Response {
    let ui = ui.at(format!("/admin/orders/{id}"));
    let reason = match result {
        Ok(_) => return Redirect::to(&format!("/admin/orders/{id}?done={step}")).into_response(),
        Err(e) => match refusal(&ui, e) {
            Ok(reason) => reason,
            Err(e) => return Problem::from(e).into_response(),
        },
    };
    detail(
        s,
        &ui,
        p,
        csrf,
        id,
        None,
        Some(reason),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// Why a step was refused, in words for the page; errors that are not a
/// refusal of the step (not found, forbidden, a failure) are given back.
fn refusal(ui: &Ui, e: AppError) -> Result<String, AppError> {
    match e {
        AppError::Invalid(fields) => Ok(crate::admin_catalog::messages(ui, &fields)),
        AppError::Conflict { detail, .. }
        | AppError::Refused { detail, .. }
        | AppError::Unprocessable { detail, .. } => Ok(detail),
        e => Err(e),
    }
}

#[derive(Deserialize)]
struct ActForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    note: String,
}

async fn act(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Orders>,
    ui: Ui,
    client: crate::extract::Client,
    Path(id): Path<Uuid>,
    Form(f): Form<ActForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let Some(action) = parse_action(&f.action) else {
        return Problem::from(AppError::invalid(
            "action",
            "unknown_action",
            format!("there is no order step {:?}", f.action),
        ))
        .into_response();
    };
    let note = Some(f.note).filter(|n| !n.trim().is_empty());
    let result = orders::act(&s.app, &p, id, action, note, &client.0).await;
    after(&s, ui, &p, csrf, id, action.as_str(), result).await
}

#[derive(Deserialize)]
struct ShipForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    carrier: String,
    #[serde(default)]
    tracking_number: String,
    #[serde(default)]
    tracking_url: String,
    /// Parallel lists: each line number and the quantity shipped now.
    #[serde(default)]
    line_no: Vec<i32>,
    #[serde(default)]
    quantity: Vec<String>,
}

async fn ship(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Orders>,
    ui: Ui,
    client: crate::extract::Client,
    Path(id): Path<Uuid>,
    Form(f): Form<ShipForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    for (i, (line_no, raw)) in f.line_no.iter().zip(&f.quantity).enumerate() {
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        match raw.parse::<Decimal>() {
            // Zero means "not in this shipment".
            Ok(q) if q.is_zero() => {}
            Ok(q) => lines.push((*line_no, q)),
            Err(_) => errors.push(mercato_app::FieldError::new(
                &format!("lines[{i}].quantity"),
                "invalid_quantity",
                format!("line {line_no}: {raw:?} is not a quantity"),
            )),
        }
    }
    let result = if !errors.is_empty() {
        Err(AppError::Invalid(errors))
    } else if lines.is_empty() {
        Err(AppError::invalid(
            "lines",
            "nothing_to_ship",
            "enter the quantity of at least one line",
        ))
    } else {
        let text = |x: String| Some(x.trim().to_string()).filter(|x| !x.is_empty());
        let input = ShipmentInput {
            carrier: f.carrier,
            tracking_number: text(f.tracking_number),
            tracking_url: text(f.tracking_url),
            lines,
        };
        orders::ship(&s.app, &p, id, input, &client.0).await
    };
    after(&s, ui, &p, csrf, id, "ship", result).await
}

async fn paid(
    State(s): State<AppState>,
    Staff(p, csrf, _): Staff<Orders>,
    ui: Ui,
    client: crate::extract::Client,
    Path(id): Path<Uuid>,
    Form(f): Form<crate::extract::CsrfForm>,
) -> Response {
    if let Err(r) = check_csrf(&f.csrf_token, &csrf) {
        return r;
    }
    let result = orders::mark_paid(&s.app, &p, id, &client.0).await;
    after(&s, ui, &p, csrf, id, "paid", result).await
}

/// The order confirmation PDF, in the page's language.
async fn confirmation_pdf(
    State(s): State<AppState>,
    Staff(p, _, _): Staff<Orders>,
    ui: Ui,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<Uuid>() else {
        return Problem::from(AppError::NotFound("order")).into_response();
    };
    let (o, company) = match order_with_company(&s, &p, id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let placed = utc_time(o.placed_at);
    let seller = s.app.settings().documents.seller.clone();
    let doc = crate::order_pdf::confirmation(&ui.tr, &seller, &o, &company, &placed);
    crate::order_pdf::respond(&s, doc).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_staff_steps_parse() {
        assert_eq!(parse_action("confirm"), Some(OrderAction::Confirm));
        assert_eq!(parse_action("cancel"), Some(OrderAction::Cancel));
        assert_eq!(parse_action("approve"), None);
        assert_eq!(parse_action("ship"), None);
    }
}
