//! Carts, quick order, checkout and orders; stock, warehouses, credit
//! lines and shipping methods for staff and ERPs; the card gateway's
//! webhook.

use super::catalog::pick_lang;
use crate::AppState;
use crate::extract::{ApiJson, Auth, Client};
use crate::problem::{ApiResult, Problem};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use mercato_app::AppError;
use mercato_app::carts::{self, QuickLine};
use mercato_app::orders::OrderFilter;
use mercato_app::orders::{
    self, AddressChoice, CheckoutError, PaymentInput, PlaceOrder, Refusal, ShipmentInput,
};
use mercato_app::stock::{self, ShippingMethodInput, StockInput};
use mercato_core::company::AddressInput;
use mercato_core::order::{OrderAction, OrderStatus};
use mercato_core::shipping::ShippingTerms;
use mercato_core::{AddressId, CompanyId, LocalizedText};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(open_cart, list_carts))
        .routes(routes!(get_cart))
        .routes(routes!(add_line))
        .routes(routes!(update_line, delete_line))
        .routes(routes!(bulk_lines))
        .routes(routes!(cart_shipping_methods))
        .routes(routes!(add_coupon))
        .routes(routes!(remove_coupon))
        .routes(routes!(place_order, list_orders))
        .routes(routes!(get_order))
        .routes(routes!(cancel_order))
        .routes(routes!(reorder))
        .routes(routes!(admin_orders))
        .routes(routes!(admin_order_action))
        .routes(routes!(admin_ship))
        .routes(routes!(admin_mark_paid))
        .routes(routes!(payment_webhook))
        .routes(routes!(list_warehouses))
        .routes(routes!(put_warehouse))
        .routes(routes!(put_stock, get_stock))
        .routes(routes!(stock_batch))
        .routes(routes!(stock_import))
        .routes(routes!(put_stock_policy))
        .routes(routes!(put_credit))
        .routes(routes!(my_credit))
        .routes(routes!(frequently_bought))
        .routes(routes!(list_shipping_methods))
        .routes(routes!(put_shipping_method))
}

fn id(raw: &str, what: &'static str) -> Result<Uuid, Problem> {
    raw.parse()
        .map_err(|_| Problem::from(AppError::NotFound(what)))
}

#[derive(Deserialize, IntoParams)]
pub struct LangQuery {
    /// `zh-CN`, `en`, … for product names (else `Accept-Language`).
    pub lang: Option<String>,
}

// ------------------------------------------------------------------ carts

#[derive(Deserialize, ToSchema, Default)]
pub struct CartBody {
    /// A name makes a new saved cart; without one the caller's active cart
    /// is returned (created when there is none).
    pub name: Option<String>,
}

/// The caller's active cart (201 when it was just created), or a new named
/// saved cart. Carts live on the server, so the same cart follows the
/// buyer between web, phone and API.
#[utoipa::path(post, path = "/carts", tag = "orders", request_body = CartBody, params(LangQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Object), (status = 200, body = Object),
        (status = 403, body = Problem, content_type = "application/problem+json", description = "`forbidden`, `online_buying_off` (a step-1 market)")))]
async fn open_cart(
    State(s): State<AppState>,
    Auth(p): Auth,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let b: CartBody = if body.is_empty() {
        CartBody::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| Problem::new(StatusCode::BAD_REQUEST, "invalid_json", e.to_string()))?
    };
    let lang = pick_lang(q.lang.as_deref(), &headers);
    let (cart, created) = carts::open(&s.app, &p, b.name.as_deref(), lang.as_ref()).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(cart)).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct CartSummary {
    pub id: Uuid,
    pub name: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String)]
    pub updated_at: time::OffsetDateTime,
}

/// The caller's open carts: the active one first, then saved carts.
#[utoipa::path(get, path = "/carts", tag = "orders", security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<CartSummary>)))]
async fn list_carts(State(s): State<AppState>, Auth(p): Auth) -> ApiResult<Json<Vec<CartSummary>>> {
    let carts = carts::list(&s.app, &p).await?;
    Ok(Json(
        carts
            .into_iter()
            .map(|c| CartSummary {
                id: c.id,
                name: c.name,
                updated_at: c.updated_at.as_offset(),
            })
            .collect(),
    ))
}

/// A cart priced now: each line's price (with the list and tier), stock
/// availability, problems that stop checkout, and `price_changed` where
/// the price differs from the one last shown.
#[utoipa::path(get, path = "/carts/{id}", tag = "orders", params(("id" = String, Path), LangQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_cart(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(cart): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> ApiResult<Json<carts::CartView>> {
    let lang = pick_lang(q.lang.as_deref(), &headers);
    Ok(Json(
        carts::get(&s.app, &p, id(&cart, "cart")?, lang.as_ref()).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct LineBody {
    pub sku: String,
    #[schema(value_type = String)]
    pub quantity: Decimal,
}

/// Puts a SKU in the cart (a SKU already there gets the new quantity).
/// Unknown or inactive SKUs and quantities the SKU cannot be ordered in
/// (0, negative, fractional pieces, below the minimum, off the step) are
/// refused with the reason.
#[utoipa::path(post, path = "/carts/{id}/lines", tag = "orders", request_body = LineBody, params(("id" = String, Path), LangQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn add_line(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(cart): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    ApiJson(b): ApiJson<LineBody>,
) -> ApiResult<Json<carts::CartView>> {
    let lang = pick_lang(q.lang.as_deref(), &headers);
    let cart = id(&cart, "cart")?;
    Ok(Json(
        carts::put_line(&s.app, &p, cart, &b.sku, b.quantity, lang.as_ref()).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct QuantityBody {
    #[schema(value_type = String)]
    pub quantity: Decimal,
}

/// Changes a line's quantity.
#[utoipa::path(patch, path = "/carts/{id}/lines/{line_id}", tag = "orders", request_body = QuantityBody,
    params(("id" = String, Path), ("line_id" = String, Path), LangQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn update_line(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path((cart, line)): Path<(String, String)>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    ApiJson(b): ApiJson<QuantityBody>,
) -> ApiResult<Json<carts::CartView>> {
    let lang = pick_lang(q.lang.as_deref(), &headers);
    let (cart, line) = (id(&cart, "cart")?, id(&line, "cart line")?);
    Ok(Json(
        carts::set_quantity(&s.app, &p, cart, line, b.quantity, lang.as_ref()).await?,
    ))
}

/// Removes a line.
#[utoipa::path(delete, path = "/carts/{id}/lines/{line_id}", tag = "orders",
    params(("id" = String, Path), ("line_id" = String, Path), LangQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn delete_line(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path((cart, line)): Path<(String, String)>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> ApiResult<Json<carts::CartView>> {
    let lang = pick_lang(q.lang.as_deref(), &headers);
    let (cart, line) = (id(&cart, "cart")?, id(&line, "cart line")?);
    Ok(Json(
        carts::delete_line(&s.app, &p, cart, line, lang.as_ref()).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct BulkLine {
    pub sku: String,
    /// A number or decimal string.
    #[schema(value_type = String)]
    pub quantity: serde_json::Value,
}

#[derive(Deserialize, ToSchema)]
pub struct BulkBody {
    #[serde(default)]
    pub lines: Vec<BulkLine>,
    /// Or pasted text: one `SKU, quantity` per line.
    pub text: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct BulkResult {
    /// Per input line: `added`, `adjusted` (rounded up to the minimum or
    /// step, with the message) or `rejected` (with `code`, and suggestions
    /// for an unknown SKU).
    #[schema(value_type = Vec<Object>)]
    pub results: Vec<carts::QuickResult>,
    #[schema(value_type = Object)]
    pub cart: carts::CartView,
}

/// Quick order: many lines at once, as JSON `{lines}`, JSON `{text}`, or a
/// `text/csv` / `text/plain` body of `SKU, quantity` lines, or an XLSX
/// workbook with SKU and quantity columns. Valid lines
/// are added even when others are rejected; each line says what happened.
#[utoipa::path(post, path = "/carts/{id}/lines/bulk", tag = "orders", request_body = BulkBody,
    params(("id" = String, Path), LangQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = BulkResult), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn bulk_lines(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(cart): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<BulkResult>> {
    let lang = pick_lang(q.lang.as_deref(), &headers);
    let cart = id(&cart, "cart")?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json");
    let input = if is_xlsx(&headers) {
        carts::parse_quick_sheet(Some("lines.xlsx"), &body)?
    } else if content_type.starts_with("text/") {
        let text = std::str::from_utf8(&body).map_err(|_| {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "invalid_text",
                "the body is not UTF-8 text",
            )
        })?;
        carts::parse_quick_text(text)
    } else {
        let b: BulkBody = serde_json::from_slice(&body)
            .map_err(|e| Problem::new(StatusCode::BAD_REQUEST, "invalid_json", e.to_string()))?;
        match b.text {
            Some(t) if b.lines.is_empty() => carts::parse_quick_text(&t),
            _ => b
                .lines
                .into_iter()
                .enumerate()
                .map(|(i, l)| {
                    let quantity = match l.quantity {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    };
                    (
                        i + 1,
                        QuickLine {
                            sku: l.sku,
                            quantity,
                        },
                    )
                })
                .collect(),
        }
    };
    let (results, cart) = carts::add_bulk(&s.app, &p, cart, input, lang.as_ref()).await?;
    Ok(Json(BulkResult { results, cart }))
}

/// The shipping methods that apply to a cart, each with its `code`, name
/// and price for this cart (weight bands, order value, free-above).
#[utoipa::path(get, path = "/carts/{id}/shipping-methods", tag = "orders", params(("id" = String, Path), LangQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object)))]
async fn cart_shipping_methods(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(cart): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> ApiResult<Json<serde_json::Value>> {
    let lang = pick_lang(q.lang.as_deref(), &headers);
    let options = orders::shipping_options(&s.app, &p, id(&cart, "cart")?, lang.as_ref()).await?;
    Ok(Json(json!({ "items": options })))
}

#[derive(Deserialize, ToSchema)]
pub struct CouponBody {
    pub code: String,
}

/// Enters a coupon code; refused with why (`coupon_unknown`,
/// `coupon_expired`, `coupon_not_yet_valid`, `coupon_exhausted`,
/// `coupon_company_limit_reached`, `coupon_conditions_not_met`,
/// `coupon_nothing_to_discount`).
#[utoipa::path(post, path = "/carts/{id}/coupons", tag = "orders", request_body = CouponBody, params(("id" = String, Path), LangQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn add_coupon(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(cart): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    ApiJson(b): ApiJson<CouponBody>,
) -> ApiResult<Json<carts::CartView>> {
    let lang = pick_lang(q.lang.as_deref(), &headers);
    Ok(Json(
        carts::add_coupon(&s.app, &p, id(&cart, "cart")?, &b.code, lang.as_ref()).await?,
    ))
}

/// Takes a coupon code off the cart.
#[utoipa::path(delete, path = "/carts/{id}/coupons/{code}", tag = "orders", params(("id" = String, Path), ("code" = String, Path), LangQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn remove_coupon(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path((cart, code)): Path<(String, String)>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> ApiResult<Json<carts::CartView>> {
    let lang = pick_lang(q.lang.as_deref(), &headers);
    Ok(Json(
        carts::remove_coupon(&s.app, &p, id(&cart, "cart")?, &code, lang.as_ref()).await?,
    ))
}

// ----------------------------------------------------------------- orders

#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
pub enum AddressBody {
    /// An address-book id.
    Id(String),
    /// A new address.
    New {
        label: Option<String>,
        recipient: String,
        line1: String,
        line2: Option<String>,
        city: String,
        region: Option<String>,
        postal_code: String,
        country: String,
        phone: Option<String>,
    },
}

impl AddressBody {
    fn choice(self, field: &str) -> Result<AddressChoice, Problem> {
        Ok(match self {
            AddressBody::Id(raw) => AddressChoice::Book(AddressId(raw.parse().map_err(|_| {
                Problem::from(AppError::invalid(
                    field,
                    "unknown_address",
                    "there is no such address in your address book",
                ))
            })?)),
            AddressBody::New {
                label,
                recipient,
                line1,
                line2,
                city,
                region,
                postal_code,
                country,
                phone,
            } => AddressChoice::New(AddressInput {
                label,
                recipient,
                line1,
                line2,
                city,
                region,
                postal_code,
                country,
                phone,
            }),
        })
    }
}

#[derive(Deserialize, ToSchema)]
pub struct PaymentBody {
    /// `card`, `bank_transfer`, `purchase_order`, `on_account` or `cash_on_delivery`.
    pub method: String,
    /// Required for `purchase_order`.
    pub po_number: Option<String>,
    /// For `card`: the token from the provider's card form (test gateway:
    /// `tok_visa`, `tok_declined`, `tok_insufficient_funds`, `tok_3ds`).
    pub card_token: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct OrderBody {
    pub cart_id: Uuid,
    /// An address-book id or a new address; default: the company's
    /// default shipping address.
    pub shipping_address: Option<AddressBody>,
    /// Default: the default billing address, else the shipping address.
    pub billing_address: Option<AddressBody>,
    pub shipping_method: String,
    pub payment: PaymentBody,
    pub note: Option<String>,
    /// `YYYY-MM-DD`.
    pub requested_delivery_date: Option<String>,
}

fn refusal(r: Refusal) -> Problem {
    match r {
        Refusal::OutOfStock(skus) => Problem::new(
            StatusCode::CONFLICT,
            "out_of_stock",
            format!("not enough stock for {}", skus.join(", ")),
        )
        .with("skus", json!(skus)),
        Refusal::CreditLimitExceeded { available, needed } => Problem::new(
            StatusCode::CONFLICT,
            "credit_limit_exceeded",
            format!("the order needs {needed} of credit; {available} is available"),
        )
        .with("available_credit", json!(available))
        .with("order_total", json!(needed)),
        Refusal::PriceChanged(cart) => Problem::new(
            StatusCode::CONFLICT,
            "price_changed",
            "prices changed since you last saw the cart; check the new totals and order again",
        )
        .with("cart", json!(cart)),
        Refusal::PaymentDeclined { code, message } => Problem::new(
            StatusCode::PAYMENT_REQUIRED,
            "payment_declined",
            format!("the card was not accepted: {message}"),
        )
        .with("decline_code", json!(code)),
    }
}

/// Places an order from a cart in one transaction: re-prices it, reserves
/// stock and credit, numbers it and records the payment. Send an
/// `Idempotency-Key` so a retry returns the first order instead of a
/// second one.
#[utoipa::path(post, path = "/orders", tag = "orders", request_body = OrderBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Object), (status = 200, body = Object, description = "A retry with the same Idempotency-Key"),
        (status = 402, body = Problem, content_type = "application/problem+json", description = "`payment_declined`"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "`out_of_stock`, `credit_limit_exceeded`, `price_changed`, `cart_ordered`"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn place_order(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let b: OrderBody = serde_json::from_slice(&body).map_err(|e| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            e.to_string(),
        )
    })?;
    let key = headers
        .get("idempotency-key")
        .map(|v| v.to_str().unwrap_or_default().trim().to_string());
    let input = PlaceOrder {
        cart_id: b.cart_id,
        shipping_address: b
            .shipping_address
            .map(|a| a.choice("shipping_address"))
            .transpose()?,
        billing_address: b
            .billing_address
            .map(|a| a.choice("billing_address"))
            .transpose()?,
        shipping_method: b.shipping_method,
        payment: PaymentInput {
            method: b.payment.method,
            po_number: b.payment.po_number,
            card_token: b.payment.card_token,
        },
        note: b.note,
        requested_delivery_date: b.requested_delivery_date,
        request_hash: orders::request_fingerprint(&body),
    };
    match orders::place(&s.app, &p, input, key.as_deref(), &client).await {
        Ok((order, created)) => {
            let status = if created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Ok((status, Json(order)).into_response())
        }
        Err(CheckoutError::App(e)) => Err(e.into()),
        Err(CheckoutError::Refused(r)) => Err(refusal(r)),
    }
}

#[derive(Deserialize, IntoParams)]
pub struct OrderQuery {
    /// Only orders in this status.
    pub status: Option<String>,
    /// Staff: only this company's orders.
    pub company_id: Option<Uuid>,
    pub cursor: Option<String>,
    /// 1–200, default 50.
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct OrderSummary {
    pub id: Uuid,
    pub number: String,
    pub company_id: Uuid,
    pub status: String,
    pub payment_method: String,
    pub payment_status: String,
    #[schema(value_type = Object)]
    pub total: mercato_core::Money,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String)]
    pub placed_at: time::OffsetDateTime,
}

#[derive(Serialize, ToSchema)]
pub struct OrderPage {
    pub items: Vec<OrderSummary>,
    pub next_cursor: Option<String>,
}

async fn order_page(
    s: &AppState,
    p: &mercato_app::auth::Principal,
    q: OrderQuery,
) -> ApiResult<Json<OrderPage>> {
    let limit = q.limit.unwrap_or(50);
    let status = order_status(q.status.as_deref().unwrap_or_default())?;
    let before = q.cursor.as_deref().map(parse_order_cursor).transpose()?;
    let filter = OrderFilter {
        status,
        company: q.company_id.map(CompanyId),
        before,
        limit,
        ..Default::default()
    };
    let rows = orders::list(&s.app, p, filter).await?;
    let next_cursor = (rows.len() as i64 == limit)
        .then(|| rows.last())
        .flatten()
        .and_then(|o| order_cursor(o.placed_at, o.id));
    Ok(Json(OrderPage {
        items: rows
            .into_iter()
            .map(|o| OrderSummary {
                id: o.id,
                number: o.number,
                company_id: o.company_id.as_uuid(),
                status: o.status.as_str().into(),
                payment_method: o.payment_method.as_str().into(),
                payment_status: o.payment_status.as_str().into(),
                total: o.totals.total,
                placed_at: o.placed_at.as_offset(),
            })
            .collect(),
        next_cursor,
    }))
}

/// A status filter: empty is none, else a known status (422 otherwise).
pub(crate) fn order_status(raw: &str) -> Result<Option<OrderStatus>, Problem> {
    match raw {
        "" => Ok(None),
        x => OrderStatus::parse(x).map(Some).ok_or_else(|| {
            Problem::from(AppError::invalid(
                "status",
                "unknown_status",
                format!("there is no order status {x:?}"),
            ))
        }),
    }
}

/// The cursor of the page after the order placed at `placed_at` with `id`
/// (newest-first order lists).
pub(crate) fn order_cursor(placed_at: mercato_app::Timestamp, id: Uuid) -> Option<String> {
    placed_at
        .as_offset()
        .format(&time::format_description::well_known::Rfc3339)
        .ok()
        .map(|at| super::encode_cursor(&at, &id.to_string()))
}

/// The position an [`order_cursor`] stands for, or 400 `invalid_cursor`.
pub(crate) fn parse_order_cursor(c: &str) -> Result<(mercato_app::Timestamp, Uuid), Problem> {
    let (at, id) = super::decode_cursor(c)?;
    let at = time::OffsetDateTime::parse(&at, &time::format_description::well_known::Rfc3339)
        .map_err(|_| super::invalid_cursor())?;
    let id: Uuid = id.parse().map_err(|_| super::invalid_cursor())?;
    Ok((mercato_app::Timestamp::from(at), id))
}

/// The caller's company's orders, newest first.
#[utoipa::path(get, path = "/orders", tag = "orders", params(OrderQuery), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = OrderPage)))]
async fn list_orders(
    State(s): State<AppState>,
    Auth(p): Auth,
    Query(q): Query<OrderQuery>,
) -> ApiResult<Json<OrderPage>> {
    if p.membership().is_none() {
        return Err(AppError::Forbidden("see orders here; staff use /admin/orders").into());
    }
    order_page(&s, &p, q).await
}

/// All orders (staff with `manage_orders`), newest first.
#[utoipa::path(get, path = "/admin/orders", tag = "orders", params(OrderQuery), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = OrderPage)))]
async fn admin_orders(
    State(s): State<AppState>,
    Auth(p): Auth,
    Query(q): Query<OrderQuery>,
) -> ApiResult<Json<OrderPage>> {
    if p.membership().is_some() {
        return Err(AppError::Forbidden("see every company's orders").into());
    }
    order_page(&s, &p, q).await
}

/// An order with its lines, totals, payment, shipments with tracking, and
/// history.
#[utoipa::path(get, path = "/orders/{id}", tag = "orders", params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_order(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(order): Path<String>,
) -> ApiResult<Json<orders::OrderView>> {
    Ok(Json(orders::get(&s.app, &p, id(&order, "order")?).await?))
}

#[derive(Deserialize, ToSchema, Default)]
pub struct NoteBody {
    pub note: Option<String>,
}

fn note_of(body: &Bytes) -> Result<Option<String>, Problem> {
    if body.is_empty() {
        return Ok(None);
    }
    let b: NoteBody = serde_json::from_slice(body)
        .map_err(|e| Problem::new(StatusCode::BAD_REQUEST, "invalid_json", e.to_string()))?;
    Ok(b.note)
}

/// Cancels the caller's order while the seller has not confirmed it;
/// its stock and credit are released.
#[utoipa::path(post, path = "/orders/{id}/cancel", tag = "orders", params(("id" = String, Path)), request_body = NoteBody,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object), (status = 409, body = Problem, content_type = "application/problem+json")))]
async fn cancel_order(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    Path(order): Path<String>,
    body: Bytes,
) -> ApiResult<Json<orders::OrderView>> {
    let note = note_of(&body)?;
    Ok(Json(
        orders::act(
            &s.app,
            &p,
            id(&order, "order")?,
            OrderAction::Cancel,
            note,
            &client,
        )
        .await?,
    ))
}

/// A new saved cart with the order's lines at today's prices.
#[utoipa::path(post, path = "/orders/{id}/reorder", tag = "orders", params(("id" = String, Path), LangQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Object)))]
async fn reorder(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(order): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let lang = pick_lang(q.lang.as_deref(), &headers);
    let cart = orders::reorder(&s.app, &p, id(&order, "order")?, lang.as_ref()).await?;
    Ok((StatusCode::CREATED, Json(cart)).into_response())
}

/// Moves an order on: `confirm`, `deliver`, `complete`, `hold`,
/// `release`, `cancel` (releases stock and credit, voids a card hold) or
/// `approve`; refused with `invalid_transition` where the lifecycle does
/// not allow it.
#[utoipa::path(post, path = "/admin/orders/{id}/{action}", tag = "orders",
    params(("id" = String, Path), ("action" = String, Path)), request_body = NoteBody,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object), (status = 409, body = Problem, content_type = "application/problem+json")))]
async fn admin_order_action(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    Path((order, action)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<Json<orders::OrderView>> {
    let action = match action.as_str() {
        "confirm" => OrderAction::Confirm,
        "deliver" => OrderAction::Deliver,
        "complete" => OrderAction::Complete,
        "hold" => OrderAction::Hold,
        "release" => OrderAction::Release,
        "cancel" => OrderAction::Cancel,
        "approve" => OrderAction::Approve,
        _ => return Err(AppError::NotFound("order action").into()),
    };
    if p.membership().is_some() {
        return Err(AppError::Forbidden("manage orders").into());
    }
    let note = note_of(&body)?;
    Ok(Json(
        orders::act(&s.app, &p, id(&order, "order")?, action, note, &client).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct ShipLine {
    pub line_no: i32,
    #[schema(value_type = String)]
    pub quantity: Decimal,
}

#[derive(Deserialize, ToSchema)]
pub struct ShipBody {
    pub carrier: String,
    pub tracking_number: Option<String>,
    pub tracking_url: Option<String>,
    /// Omit to ship everything not yet shipped.
    #[serde(default)]
    pub lines: Vec<ShipLine>,
}

/// Records a shipment (carrier, tracking) of some or all remaining lines:
/// the goods leave stock, a card hold is captured, and the order becomes
/// partially shipped or shipped.
#[utoipa::path(post, path = "/admin/orders/{id}/shipments", tag = "orders", params(("id" = String, Path)), request_body = ShipBody,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn admin_ship(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    Path(order): Path<String>,
    ApiJson(b): ApiJson<ShipBody>,
) -> ApiResult<Json<orders::OrderView>> {
    let input = ShipmentInput {
        carrier: b.carrier,
        tracking_number: b.tracking_number,
        tracking_url: b.tracking_url,
        lines: b
            .lines
            .into_iter()
            .map(|l| (l.line_no, l.quantity))
            .collect(),
    };
    Ok(Json(
        orders::ship(&s.app, &p, id(&order, "order")?, input, &client).await?,
    ))
}

/// Records the order's payment as received (bank transfer reconciled,
/// invoice paid); credit drawn by it is given back.
#[utoipa::path(post, path = "/admin/orders/{id}/payment-received", tag = "orders", params(("id" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object), (status = 409, body = Problem, content_type = "application/problem+json", description = "`already_paid`")))]
async fn admin_mark_paid(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    Path(order): Path<String>,
) -> ApiResult<Json<orders::OrderView>> {
    Ok(Json(
        orders::mark_paid(&s.app, &p, id(&order, "order")?, &client).await?,
    ))
}

/// The card gateway's webhook (signed with HMAC-SHA256 in
/// `Mercato-Signature`): confirms or fails an authorisation that needed
/// the buyer's confirmation.
#[utoipa::path(post, path = "/payments/webhooks/test", tag = "orders", request_body = Object,
    params(("Mercato-Signature" = String, Header)),
    responses((status = 204), (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn payment_webhook(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let sig = headers
        .get("mercato-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    orders::payment_webhook(&s.app, &body, sig).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ------------------------------------------------------------------ stock

#[derive(Serialize, ToSchema)]
pub struct WarehouseView {
    pub code: String,
    pub name: String,
    pub is_default: bool,
}

/// Warehouses (a default one with code `main` always exists).
#[utoipa::path(get, path = "/admin/warehouses", tag = "stock", security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<WarehouseView>)))]
async fn list_warehouses(
    State(s): State<AppState>,
    Auth(p): Auth,
) -> ApiResult<Json<Vec<WarehouseView>>> {
    Ok(Json(
        stock::warehouses(&s.app, &p)
            .await?
            .into_iter()
            .map(|w| WarehouseView {
                code: w.code,
                name: w.name,
                is_default: w.is_default,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct WarehouseBody {
    pub name: String,
}

/// Adds or renames a warehouse.
#[utoipa::path(put, path = "/admin/warehouses/{code}", tag = "stock", params(("code" = String, Path)), request_body = WarehouseBody,
    security(("bearer" = []), ("session" = [])), responses((status = 204)))]
async fn put_warehouse(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<WarehouseBody>,
) -> ApiResult<StatusCode> {
    stock::put_warehouse(&s.app, Some(&p), &code, &b.name, &client).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct StockBody {
    /// Default: `main`.
    pub warehouse: Option<String>,
    #[schema(value_type = String)]
    pub on_hand: Decimal,
}

/// Sets a SKU's counted stock in a warehouse (reservations stay).
#[utoipa::path(put, path = "/admin/stock/{sku}", tag = "stock", params(("sku" = String, Path)), request_body = StockBody,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_stock(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    Path(sku): Path<String>,
    ApiJson(b): ApiJson<StockBody>,
) -> ApiResult<Json<stock::StockView>> {
    let mut v = stock::set_levels(
        &s.app,
        Some(&p),
        vec![StockInput {
            sku,
            warehouse: b.warehouse,
            on_hand: b.on_hand,
        }],
        &client,
    )
    .await?;
    v.pop()
        .map(Json)
        .ok_or_else(|| AppError::NotFound("SKU").into())
}

#[derive(Deserialize, ToSchema)]
pub struct StockPolicyBody {
    /// Take orders beyond stock (backorders), reserved ahead of the goods.
    pub backorders: bool,
    /// Days until goods not in stock can ship, told to buyers (0–365).
    pub lead_time_days: Option<u16>,
}

/// Sets whether a SKU takes backorders and the lead time buyers see when
/// it has run out.
#[utoipa::path(put, path = "/admin/stock/{sku}/policy", tag = "stock", params(("sku" = String, Path)), request_body = StockPolicyBody,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_stock_policy(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    Path(sku): Path<String>,
    ApiJson(b): ApiJson<StockPolicyBody>,
) -> ApiResult<Json<stock::StockView>> {
    let policy = mercato_core::stock::SupplyPolicy {
        backorders: b.backorders,
        lead_time_days: b.lead_time_days,
    };
    Ok(Json(
        stock::set_policy(&s.app, Some(&p), &sku, policy, &client).await?,
    ))
}

/// A SKU's stock per warehouse: on hand, reserved, available.
#[utoipa::path(get, path = "/admin/stock/{sku}", tag = "stock", params(("sku" = String, Path)),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Object)))]
async fn get_stock(
    State(s): State<AppState>,
    Auth(p): Auth,
    Path(sku): Path<String>,
) -> ApiResult<Json<stock::StockView>> {
    Ok(Json(stock::levels(&s.app, &p, &sku).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct StockBatchItem {
    pub sku: String,
    pub warehouse: Option<String>,
    #[schema(value_type = String)]
    pub on_hand: Decimal,
}

#[derive(Deserialize, ToSchema)]
pub struct StockBatchBody {
    pub items: Vec<StockBatchItem>,
}

/// Sets many levels at once, all or nothing: one bad row (named as
/// `items[i].field`) refuses the batch and nothing is applied.
#[utoipa::path(post, path = "/admin/stock/batch", tag = "stock", request_body = StockBatchBody,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn stock_batch(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    ApiJson(b): ApiJson<StockBatchBody>,
) -> ApiResult<Json<serde_json::Value>> {
    let items = b
        .items
        .into_iter()
        .map(|i| StockInput {
            sku: i.sku,
            warehouse: i.warehouse,
            on_hand: i.on_hand,
        })
        .collect();
    let views = stock::set_levels(&s.app, Some(&p), items, &client).await?;
    Ok(Json(json!({ "applied": views.len(), "items": views })))
}

/// Sets levels from a spreadsheet an ERP exported: the body is the file
/// (`text/csv`, UTF-8 or GBK, or an XLSX workbook) with columns `sku`,
/// `on_hand` and optionally `warehouse`. All or nothing: each bad row is
/// named by its line in the file (`line 7: sku`) and nothing is applied.
#[utoipa::path(post, path = "/admin/stock/import", tag = "stock",
    request_body(content = String, content_type = "text/csv", description = "CSV or XLSX (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)"),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn stock_import(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<serde_json::Value>> {
    let name = if is_xlsx(&headers) {
        "stock.xlsx"
    } else {
        "stock.csv"
    };
    let views = stock::import_levels(&s.app, Some(&p), name, &body, &client).await?;
    Ok(Json(json!({ "applied": views.len(), "items": views })))
}

/// Whether the body is declared an Excel workbook.
fn is_xlsx(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| {
            c.starts_with("application/vnd.openxmlformats-officedocument.spreadsheetml")
        })
}

#[derive(Deserialize, ToSchema)]
pub struct CreditBody {
    /// Decimal string in the company's currency.
    pub limit: String,
    pub payment_terms_days: i32,
}

#[derive(Serialize, ToSchema)]
pub struct CreditView {
    #[schema(value_type = Object)]
    pub limit: mercato_core::Money,
    #[schema(value_type = Object)]
    pub balance: mercato_core::Money,
    #[schema(value_type = Object)]
    pub available: mercato_core::Money,
    pub payment_terms_days: i32,
}

impl From<mercato_app::stock::CreditLine> for CreditView {
    fn from(c: mercato_app::stock::CreditLine) -> Self {
        Self {
            available: c.available(),
            limit: c.limit,
            balance: c.balance,
            payment_terms_days: c.payment_terms_days,
        }
    }
}

/// Sets a company's credit line (finance): orders on account draw on it
/// and are refused with `credit_limit_exceeded` beyond it.
#[utoipa::path(put, path = "/admin/companies/{id}/credit", tag = "companies", params(("id" = String, Path)), request_body = CreditBody,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CreditView), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_credit(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    Path(company): Path<String>,
    ApiJson(b): ApiJson<CreditBody>,
) -> ApiResult<Json<CreditView>> {
    let c = CompanyId(id(&company, "company")?);
    let line = stock::set_credit_line(&s.app, Some(&p), c, &b.limit, b.payment_terms_days, &client)
        .await?;
    Ok(Json(line.into()))
}

/// The caller's company's credit line: limit, balance, available credit
/// and payment terms (404 when it has none).
#[utoipa::path(get, path = "/company/credit", tag = "companies", security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CreditView), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn my_credit(State(s): State<AppState>, Auth(p): Auth) -> ApiResult<Json<CreditView>> {
    let line = stock::credit_line(&s.app, &p, None)
        .await?
        .ok_or(AppError::NotFound("credit line"))?;
    Ok(Json(line.into()))
}

#[derive(Deserialize, IntoParams)]
pub struct FrequentQuery {
    /// 1–100, default 20.
    pub limit: Option<i64>,
}

/// What the caller's company orders most, from its order history (most
/// orders first, then quantity; cancelled orders do not count), with a
/// usual quantity per order for a one-click reorder.
#[utoipa::path(get, path = "/company/frequently-bought", tag = "orders", params(FrequentQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Object, description = "`{items: [{sku, name, orders, quantity, usual_quantity, last_ordered}]}`"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn frequently_bought(
    State(s): State<AppState>,
    Auth(p): Auth,
    Query(q): Query<FrequentQuery>,
) -> ApiResult<impl IntoResponse> {
    let items = orders::frequently_bought(&s.app, &p, q.limit.unwrap_or(20)).await?;
    Ok(Json(serde_json::json!({ "items": items })))
}

#[derive(Serialize, ToSchema)]
pub struct ShippingMethodView {
    pub code: String,
    #[schema(value_type = Object)]
    pub name: LocalizedText,
    pub market: Option<String>,
    pub currency: String,
    #[schema(value_type = Object)]
    pub terms: ShippingTerms,
    pub active: bool,
    pub position: i32,
}

/// Every shipping method.
#[utoipa::path(get, path = "/admin/shipping-methods", tag = "orders", security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<ShippingMethodView>)))]
async fn list_shipping_methods(
    State(s): State<AppState>,
    Auth(p): Auth,
) -> ApiResult<Json<Vec<ShippingMethodView>>> {
    let methods = stock::shipping_methods(&s.app, &p).await?;
    Ok(Json(methods.into_iter().map(method_view).collect()))
}

fn method_view(m: mercato_app::stock::ShippingMethod) -> ShippingMethodView {
    ShippingMethodView {
        code: m.code,
        name: m.name,
        market: m.market,
        currency: m.currency.code().into(),
        terms: m.terms,
        active: m.active,
        position: m.position,
    }
}

#[derive(Deserialize, ToSchema)]
pub struct ShippingMethodBody {
    /// `{"en": "Standard", "zh-CN": "标准快递"}`.
    #[schema(value_type = Object)]
    pub name: LocalizedText,
    pub market: Option<String>,
    pub currency: String,
    /// `{"rate": {"kind": "flat", "amount": "20"}, "free_above": "500"}`;
    /// kinds: `flat`, `weight_bands` (`bands: [{max_kg, amount}]`),
    /// `order_value` (`bands: [{min_subtotal, amount}]`), `pickup`.
    #[schema(value_type = Object)]
    pub terms: ShippingTerms,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default)]
    pub position: i32,
}

fn yes() -> bool {
    true
}

/// Adds or replaces a shipping method.
#[utoipa::path(put, path = "/admin/shipping-methods/{code}", tag = "orders", params(("code" = String, Path)), request_body = ShippingMethodBody,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ShippingMethodView), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_shipping_method(
    State(s): State<AppState>,
    Auth(p): Auth,
    Client(client): Client,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<ShippingMethodBody>,
) -> ApiResult<Json<ShippingMethodView>> {
    let m = stock::put_shipping_method(
        &s.app,
        Some(&p),
        &code,
        ShippingMethodInput {
            name: b.name,
            market: b.market,
            currency: b.currency,
            terms: b.terms,
            active: b.active,
            position: b.position,
        },
        &client,
    )
    .await?;
    Ok(Json(method_view(m)))
}

#[cfg(test)]
mod cursor_tests {
    use super::*;

    #[test]
    fn order_cursors_round_trip_and_refuse_junk() {
        let at = mercato_app::Timestamp::from(
            time::macros::datetime!(2026-12-07 10:11:12.123456789 UTC),
        );
        let id = Uuid::now_v7();
        let c = order_cursor(at, id).unwrap();
        assert_eq!(parse_order_cursor(&c).unwrap(), (at, id));
        for junk in ["", "x", "junk", "MTJ8", "MTJ8bm90LWEtdXVpZA"] {
            assert!(parse_order_cursor(junk).is_err(), "{junk}");
        }
    }
}
