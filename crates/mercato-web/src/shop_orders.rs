//! The buyer's cart, checkout and orders in the storefront (issue 8's
//! pages): the active cart priced on every view with price-change notices,
//! quick order by pasted lines, coupons; the checkout with its review of
//! exactly what the order costs, placed once (the form carries an
//! Idempotency-Key); order history and one order with its timeline,
//! shipments with tracking, cancel and reorder. Same use cases as the API.

use crate::AppState;
use crate::admin::check_csrf;
use crate::extract::Client;
use crate::shop::{StoreShell, Visitor, fail, format_money, format_quantity, page, visitor};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use mercato_app::auth::Principal;
use mercato_app::carts::{self, CartView, QuickLine, QuickResult};
use mercato_app::orders::{self, AddressChoice, CheckoutError, PaymentInput, PlaceOrder, Refusal};
use mercato_app::{AppError, secret};
use mercato_core::order::OrderAction;
use mercato_core::{AddressId, Permission};
use rust_decimal::Decimal;
use serde::Deserialize;
use uuid::Uuid;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/cart", get(cart_page))
        .route("/cart/add", post(cart_add))
        .route("/cart/lines/{id}", post(cart_line))
        .route("/cart/quick", post(cart_quick))
        .route("/cart/quick/upload", post(cart_upload))
        .route("/cart/coupons", post(cart_coupon))
        .route("/checkout", get(checkout_page).post(checkout_place))
        .route("/account/orders", get(orders_page))
        .route("/account/orders/{id}", get(order_page))
        .route(
            "/account/orders/{id}/confirmation.pdf",
            get(order_confirmation_pdf),
        )
        .route("/account/orders/{id}/cancel", post(order_cancel))
        .route("/account/orders/{id}/reorder", post(order_reorder))
}

/// The signed-in buyer (or staff acting for one) who may order; anyone
/// else is sent to sign in.
async fn shopper(parts: &Parts, s: &AppState) -> Result<Visitor, Response> {
    let v = visitor(parts, s).await?;
    match &v.p {
        Some(p) if p.membership().is_some() => Ok(v),
        Some(_) => Err(Redirect::to("/admin").into_response()),
        None => Err(Redirect::to("/account/login").into_response()),
    }
}

/// A buyer's form post: the visitor and the buyer, with the session's CSRF
/// token checked.
async fn buyer_post(
    parts: &Parts,
    s: &AppState,
    sent_csrf: &str,
) -> Result<(Visitor, Principal), Response> {
    let v = shopper(parts, s).await?;
    check_csrf(sent_csrf, &v.shell.csrf)?;
    let p =
        v.p.clone()
            .ok_or_else(|| Redirect::to("/account/login").into_response())?;
    Ok((v, p))
}

/// The cart page again, saying why `e` refused the change (422), or the
/// problem when it is not the buyer's to fix.
async fn cart_refused(
    s: &AppState,
    parts: &Parts,
    v: Visitor,
    e: AppError,
    prefix: &str,
    quick_text: String,
) -> Response {
    match (message_of(&v, &e), active_cart(s, &v).await) {
        (Some(msg), Ok(cart)) => cart_view_page(
            parts,
            v,
            &cart,
            Vec::new(),
            quick_text,
            format!("{prefix}{msg}"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        _ => fail(e),
    }
}

/// A cart line as shown.
pub(crate) struct LineRow {
    pub id: Uuid,
    pub url: String,
    pub sku: String,
    pub name: String,
    pub quantity: String,
    pub unit_price: String,
    pub total: String,
    pub discount: String,
    /// "was ¥1.20, now ¥1.10".
    pub price_note: String,
    pub problems: Vec<String>,
}

/// Money amounts of a cart or order summary, formatted.
pub(crate) struct Summary {
    pub subtotal: String,
    pub discount: String,
    pub shipping: String,
    pub tax: String,
    pub total: String,
}

fn line_rows(v: &Visitor, cart: &CartView) -> Vec<LineRow> {
    let tr = &v.tr;
    cart.lines
        .iter()
        .map(|l| LineRow {
            id: l.id,
            url: format!("/search?q={}", crate::shop::encode(&l.sku)),
            sku: l.sku.clone(),
            name: l.name.clone(),
            quantity: format_quantity(l.quantity),
            unit_price: l
                .unit_price
                .as_ref()
                .map(format_money)
                .unwrap_or_else(|| tr.t("price-on-request")),
            total: l.total.as_ref().map(format_money).unwrap_or_default(),
            discount: if l.discount.amount().is_zero() {
                String::new()
            } else {
                format!("−{}", format_money(&l.discount))
            },
            price_note: l
                .price_changed
                .as_ref()
                .map(|c| {
                    let now = c.now.as_ref().map(format_money).unwrap_or_default();
                    tr.t_with(
                        "cart-price-changed",
                        &[("was", &format_money(&c.was)), ("now", &now)],
                    )
                })
                .unwrap_or_default(),
            problems: l
                .problems
                .iter()
                .map(|p| tr.t_or(&format!("cart-problem-{}", p.code), &p.message))
                .collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "store_cart.html")]
struct CartPage {
    shell: StoreShell,
    lines: Vec<LineRow>,
    summary: Summary,
    coupons: Vec<String>,
    orderable: bool,
    prices_changed: bool,
    /// Quick order outcomes: `(line, sku, outcome text, ok)`.
    quick: Vec<(usize, String, String, bool)>,
    quick_text: String,
    message: String,
    /// The company's frequently bought SKUs: `(sku, name, usual quantity, orders)`.
    frequent: Vec<(String, String, String, i64)>,
}

fn cart_summary(cart: &CartView) -> Summary {
    Summary {
        subtotal: format_money(&cart.subtotal),
        discount: if cart.discount.amount().is_zero() {
            String::new()
        } else {
            format!("−{}", format_money(&cart.discount))
        },
        shipping: String::new(),
        tax: cart
            .tax
            .as_ref()
            .map(|t| format_money(&t.tax))
            .unwrap_or_default(),
        total: format_money(&cart.total),
    }
}

fn cart_view_page(
    parts: &Parts,
    v: Visitor,
    cart: &CartView,
    quick: Vec<(usize, String, String, bool)>,
    quick_text: String,
    message: String,
    status: StatusCode,
) -> Response {
    cart_page_with(
        parts,
        v,
        cart,
        quick,
        quick_text,
        message,
        Vec::new(),
        status,
    )
}

#[allow(clippy::too_many_arguments)]
fn cart_page_with(
    parts: &Parts,
    v: Visitor,
    cart: &CartView,
    quick: Vec<(usize, String, String, bool)>,
    quick_text: String,
    message: String,
    frequent: Vec<(String, String, String, i64)>,
    status: StatusCode,
) -> Response {
    let t = CartPage {
        frequent,
        lines: line_rows(&v, cart),
        summary: cart_summary(cart),
        coupons: cart.coupons.clone(),
        orderable: cart.orderable && !cart.lines.is_empty(),
        prices_changed: cart.prices_changed,
        quick,
        quick_text,
        message,
        shell: v.shell,
    };
    page(parts, &t, status)
}

/// The active cart (created on first use).
async fn active_cart(s: &AppState, v: &Visitor) -> Result<CartView, AppError> {
    let p = v.p.as_ref().ok_or(AppError::Unauthenticated)?;
    Ok(carts::open(&s.app, p, None, Some(&v.lang)).await?.0)
}

async fn cart_page(State(s): State<AppState>, parts: Parts) -> Response {
    let v = match shopper(&parts, &s).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    // Viewing records the prices shown: later changes are flagged against
    // what the buyer saw now.
    let cart = match active_cart(&s, &v).await {
        Ok(cart) => cart,
        Err(e) => return fail(e),
    };
    // A viewer-only user has no order history to draw on: no list.
    let frequent = match v.p.as_ref() {
        Some(p) => orders::frequently_bought(&s.app, p, 12)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|f| (f.sku, f.name, format_quantity(f.usual_quantity), f.orders))
            .collect(),
        None => Vec::new(),
    };
    cart_page_with(
        &parts,
        v,
        &cart,
        Vec::new(),
        String::new(),
        String::new(),
        frequent,
        StatusCode::OK,
    )
}

fn message_of(v: &Visitor, e: &AppError) -> Option<String> {
    match e {
        AppError::Invalid(fields) => Some(
            fields
                .iter()
                .map(|f| v.tr.field_error(f))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        AppError::Conflict { detail, code } | AppError::Refused { detail, code } => {
            Some(v.tr.t_or(&format!("error-{code}"), detail))
        }
        _ => None,
    }
}

#[derive(Deserialize)]
struct AddForm {
    #[serde(default)]
    csrf_token: String,
    sku: String,
    #[serde(default)]
    quantity: String,
}

async fn cart_add(State(s): State<AppState>, parts: Parts, Form(f): Form<AddForm>) -> Response {
    let (v, p) = match buyer_post(&parts, &s, &f.csrf_token).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let result = async {
        let cart = active_cart(&s, &v).await?;
        let quantity: Decimal = f.quantity.trim().parse().map_err(|_| {
            AppError::invalid(
                "quantity",
                "invalid_quantity",
                "quantity is a number above 0",
            )
        })?;
        carts::put_line(&s.app, &p, cart.id, &f.sku, quantity, Some(&v.lang)).await
    }
    .await;
    match result {
        Ok(_) => Redirect::to("/cart").into_response(),
        Err(e) => cart_refused(&s, &parts, v, e, &format!("{}: ", f.sku), String::new()).await,
    }
}

#[derive(Deserialize)]
struct LineForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    quantity: String,
    /// Present when the line is to be removed.
    #[serde(default)]
    remove: String,
}

async fn cart_line(
    State(s): State<AppState>,
    parts: Parts,
    Path(line): Path<Uuid>,
    Form(f): Form<LineForm>,
) -> Response {
    let (v, p) = match buyer_post(&parts, &s, &f.csrf_token).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let result = async {
        let cart = active_cart(&s, &v).await?;
        if !f.remove.is_empty() {
            return carts::delete_line(&s.app, &p, cart.id, line, Some(&v.lang)).await;
        }
        let quantity: Decimal = f.quantity.trim().parse().map_err(|_| {
            AppError::invalid(
                "quantity",
                "invalid_quantity",
                "quantity is a number above 0",
            )
        })?;
        carts::set_quantity(&s.app, &p, cart.id, line, quantity, Some(&v.lang)).await
    }
    .await;
    match result {
        Ok(_) => Redirect::to("/cart").into_response(),
        Err(e) => cart_refused(&s, &parts, v, e, "", String::new()).await,
    }
}

#[derive(Deserialize)]
struct QuickForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    text: String,
}

fn quick_outcome(v: &Visitor, r: &QuickResult) -> (usize, String, String, bool) {
    let tr = &v.tr;
    let text = match r.outcome {
        "added" => tr.t_with(
            "quick-added",
            &[(
                "quantity",
                &r.quantity.map(format_quantity).unwrap_or_default(),
            )],
        ),
        "adjusted" => tr.t_with(
            "quick-adjusted",
            &[(
                "quantity",
                &r.quantity.map(format_quantity).unwrap_or_default(),
            )],
        ),
        _ => {
            let why = r
                .code
                .map(|c| tr.t_or(&format!("error-{c}"), r.message.as_deref().unwrap_or(c)))
                .unwrap_or_default();
            if r.suggestions.is_empty() {
                why
            } else {
                format!(
                    "{why} {}",
                    tr.t_with("quick-suggest", &[("skus", &r.suggestions.join(", "))])
                )
            }
        }
    };
    (r.line, r.sku.clone(), text, r.outcome != "rejected")
}

async fn cart_quick(State(s): State<AppState>, parts: Parts, Form(f): Form<QuickForm>) -> Response {
    let (v, p) = match buyer_post(&parts, &s, &f.csrf_token).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let lines = carts::parse_quick_text(&f.text);
    quick_add(&s, &parts, v, &p, lines, &f.text).await
}

/// A quick-order file (CSV or XLSX with SKU and quantity columns) from the
/// cart page.
async fn cart_upload(State(s): State<AppState>, parts: Parts, mut form: Multipart) -> Response {
    let fields = match crate::admin_catalog::read_parts(&mut form).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let text_of = |name: &str| {
        fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| String::from_utf8_lossy(&f.data).into_owned())
            .unwrap_or_default()
    };
    let (v, p) = match buyer_post(&parts, &s, &text_of("csrf_token")).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let file = fields
        .iter()
        .find(|f| f.name == "file" && !f.data.is_empty());
    let lines = match file {
        None => Err(AppError::invalid(
            "file",
            "no_file",
            "choose a CSV or Excel file",
        )),
        Some(f) => carts::parse_quick_sheet(f.file_name.as_deref(), &f.data),
    };
    match lines {
        Ok(lines) => quick_add(&s, &parts, v, &p, lines, "").await,
        Err(e) => cart_refused(&s, &parts, v, e, "", String::new()).await,
    }
}

/// Adds quick-order lines and shows the cart with a result per line;
/// pasted `text` keeps only the refused lines, to fix and send again.
async fn quick_add(
    s: &AppState,
    parts: &Parts,
    v: Visitor,
    p: &Principal,
    lines: Vec<(usize, QuickLine)>,
    text: &str,
) -> Response {
    let result = async {
        let cart = active_cart(s, &v).await?;
        carts::add_bulk(&s.app, p, cart.id, lines, Some(&v.lang)).await
    }
    .await;
    match result {
        Ok((results, cart)) => {
            let quick: Vec<_> = results.iter().map(|r| quick_outcome(&v, r)).collect();
            let keep: Vec<&str> = text
                .lines()
                .enumerate()
                .filter(|(i, _)| {
                    results
                        .iter()
                        .any(|r| r.line == i + 1 && r.outcome == "rejected")
                })
                .map(|(_, l)| l)
                .collect();
            cart_view_page(
                parts,
                v,
                &cart,
                quick,
                keep.join("\n"),
                String::new(),
                StatusCode::OK,
            )
        }
        Err(e) => cart_refused(s, parts, v, e, "", text.to_string()).await,
    }
}

#[derive(Deserialize)]
struct CouponForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    remove: String,
}

async fn cart_coupon(
    State(s): State<AppState>,
    parts: Parts,
    Form(f): Form<CouponForm>,
) -> Response {
    let (v, p) = match buyer_post(&parts, &s, &f.csrf_token).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let result = async {
        let cart = active_cart(&s, &v).await?;
        if f.remove.is_empty() {
            carts::add_coupon(&s.app, &p, cart.id, &f.code, Some(&v.lang)).await
        } else {
            carts::remove_coupon(&s.app, &p, cart.id, &f.code, Some(&v.lang)).await
        }
    }
    .await;
    match result {
        Ok(_) => Redirect::to("/cart").into_response(),
        Err(e) => cart_refused(&s, &parts, v, e, "", String::new()).await,
    }
}

// ---------------------------------------------------------------------------
// Checkout

#[derive(Template)]
#[template(path = "store_checkout.html")]
struct CheckoutPage {
    shell: StoreShell,
    lines: Vec<LineRow>,
    summary: Summary,
    /// `(code, name, price, selected)`.
    shipping: Vec<(String, String, String, bool)>,
    /// `(id, text, selected)`.
    addresses: Vec<(String, String, bool)>,
    /// `(code, label, selected)`.
    payments: Vec<(String, String, bool)>,
    po_number: String,
    delivery_date: String,
    note: String,
    /// A fresh Idempotency-Key: submitting twice places one order.
    key: String,
    message: String,
    can_place: bool,
}

#[derive(Deserialize, Default)]
struct CheckoutForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    shipping_method: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    payment: String,
    #[serde(default)]
    po_number: String,
    #[serde(default)]
    delivery_date: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    key: String,
    /// What the card provider's form gives: a token (the built-in test
    /// gateway also takes its test card numbers). Never stored or echoed.
    #[serde(default)]
    card_token: String,
}

const PAYMENT_METHODS: [&str; 5] = [
    "bank_transfer",
    "purchase_order",
    "on_account",
    "card",
    "cash_on_delivery",
];

async fn checkout_view(
    s: &AppState,
    parts: &Parts,
    v: Visitor,
    f: &CheckoutForm,
    message: String,
    status: StatusCode,
) -> Response {
    let Some(p) = v.p.clone() else {
        return Redirect::to("/account/login").into_response();
    };
    let loaded = async {
        let cart = active_cart(s, &v).await?;
        let shipping = Some(f.shipping_method.as_str()).filter(|m| !m.is_empty());
        let review = orders::review(&s.app, &p, cart.id, shipping, Some(&v.lang)).await?;
        let scope = mercato_app::companies::own_scope(&p)?;
        let book = mercato_app::companies::list_addresses(&s.app, &p, &scope).await?;
        Ok::<_, AppError>((review, book))
    }
    .await;
    let (review, book) = match loaded {
        Ok(x) => x,
        Err(e) => return fail(e),
    };
    if review.cart.lines.is_empty() {
        return Redirect::to("/cart").into_response();
    }
    let chosen = review
        .shipping
        .as_ref()
        .map(|o| o.code.clone())
        .unwrap_or_default();
    let mut summary = cart_summary(&review.cart);
    if let Some(t) = &review.totals {
        summary.shipping = format_money(&t.shipping);
        summary.tax = format_money(&t.tax);
        summary.total = format_money(&t.total);
    }
    let address = if f.address.is_empty() {
        book.iter()
            .find(|a| a.is_default_shipping)
            .or(book.first())
            .map(|a| a.id.to_string())
            .unwrap_or_default()
    } else {
        f.address.clone()
    };
    let payment = if f.payment.is_empty() {
        "bank_transfer"
    } else {
        f.payment.as_str()
    };
    let t = CheckoutPage {
        lines: line_rows(&v, &review.cart),
        summary,
        shipping: review
            .options
            .iter()
            .map(|o| {
                (
                    o.code.clone(),
                    o.name.clone(),
                    format_money(&o.price),
                    o.code == chosen,
                )
            })
            .collect(),
        addresses: book
            .iter()
            .map(|a| {
                (
                    a.id.to_string(),
                    crate::account::address_text(&a.address).replace('\n', ", "),
                    a.id.to_string() == address,
                )
            })
            .collect(),
        payments: PAYMENT_METHODS
            .iter()
            .map(|m| {
                (
                    m.to_string(),
                    v.tr.t(&format!("payment-{m}")),
                    *m == payment,
                )
            })
            .collect(),
        po_number: f.po_number.clone(),
        delivery_date: f.delivery_date.clone(),
        note: f.note.clone(),
        key: if f.key.is_empty() {
            secret::generate()
        } else {
            f.key.clone()
        },
        message,
        can_place: review.cart.orderable && !book.is_empty() && p.allows(Permission::PlaceOrders),
        shell: v.shell,
    };
    page(parts, &t, status)
}

async fn checkout_page(
    State(s): State<AppState>,
    parts: Parts,
    Query(f): Query<CheckoutForm>,
) -> Response {
    let v = match shopper(&parts, &s).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    checkout_view(&s, &parts, v, &f, String::new(), StatusCode::OK).await
}

async fn checkout_place(
    State(s): State<AppState>,
    parts: Parts,
    Client(client): Client,
    Form(f): Form<CheckoutForm>,
) -> Response {
    let (v, p) = match buyer_post(&parts, &s, &f.csrf_token).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let cart = match active_cart(&s, &v).await {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let address = f
        .address
        .parse::<Uuid>()
        .ok()
        .map(|u| AddressChoice::Book(AddressId::from(u)));
    let input = PlaceOrder {
        cart_id: cart.id,
        shipping_address: address,
        billing_address: None,
        shipping_method: f.shipping_method.clone(),
        payment: PaymentInput {
            method: f.payment.clone(),
            po_number: Some(f.po_number.clone()).filter(|x| !x.trim().is_empty()),
            card_token: Some(f.card_token.split_whitespace().collect::<String>())
                .filter(|t| !t.is_empty()),
        },
        note: Some(f.note.clone()).filter(|x| !x.trim().is_empty()),
        requested_delivery_date: Some(f.delivery_date.clone()).filter(|x| !x.trim().is_empty()),
        // The form's fields, not the cart: a second click after the order
        // was placed finds a new (empty) active cart, yet is the same request.
        request_hash: orders::request_fingerprint(
            format!(
                "{}|{}|{}|{}|{}|{}",
                f.address, f.shipping_method, f.payment, f.po_number, f.delivery_date, f.note
            )
            .as_bytes(),
        ),
    };
    let key = Some(f.key.as_str()).filter(|k| !k.is_empty());
    match orders::place(&s.app, &p, input, key, &client).await {
        Ok((order, _)) => {
            Redirect::to(&format!("/account/orders/{}?placed=1", order.id)).into_response()
        }
        Err(CheckoutError::App(AppError::Conflict {
            code: "cart_ordered",
            ..
        })) => Redirect::to("/account/orders").into_response(),
        Err(CheckoutError::App(e)) => match message_of(&v, &e) {
            Some(msg) => {
                let mut f = f;
                // A refused attempt may be corrected and sent again as a new request.
                f.key = String::new();
                checkout_view(&s, &parts, v, &f, msg, StatusCode::UNPROCESSABLE_ENTITY).await
            }
            None => fail(e),
        },
        Err(CheckoutError::Refused(r)) => {
            let msg = match &r {
                Refusal::OutOfStock(skus) => {
                    v.tr.t_with("checkout-out-of-stock", &[("skus", &skus.join(", "))])
                }
                Refusal::CreditLimitExceeded { available, .. } => v.tr.t_with(
                    "checkout-credit-exceeded",
                    &[("available", &format_money(available))],
                ),
                Refusal::PriceChanged(_) => v.tr.t("checkout-price-changed"),
                Refusal::PaymentDeclined { message, .. } => message.clone(),
            };
            let mut f = f;
            f.key = String::new();
            checkout_view(&s, &parts, v, &f, msg, StatusCode::CONFLICT).await
        }
    }
}

// ---------------------------------------------------------------------------
// Orders

/// An order in the history list.
pub(crate) struct OrderRow {
    pub id: Uuid,
    pub number: String,
    pub placed: String,
    pub status: String,
    pub total: String,
    pub po_number: String,
}

#[derive(Template)]
#[template(path = "store_orders.html")]
struct OrdersPage {
    shell: StoreShell,
    orders: Vec<OrderRow>,
}

/// A moment as shown on order pages: in the market's time zone (IANA name)
/// with its abbreviation, or in UTC when the zone is unknown.
fn day(t: time::OffsetDateTime, tz: &str) -> String {
    jiff::Timestamp::from_second(t.unix_timestamp())
        .and_then(|ts| ts.in_tz(tz))
        .map(|z| z.strftime("%Y-%m-%d %H:%M %Z").to_string())
        .unwrap_or_else(|_| {
            let f = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
            t.format(&f).unwrap_or_default()
        })
}

async fn orders_page(State(s): State<AppState>, parts: Parts) -> Response {
    let v = match shopper(&parts, &s).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some(p) = v.p.clone() else {
        return Redirect::to("/account/login").into_response();
    };
    let filter = orders::OrderFilter {
        limit: 100,
        ..Default::default()
    };
    let list = match orders::list(&s.app, &p, filter).await {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    let orders = list
        .iter()
        .map(|o| OrderRow {
            id: o.id,
            number: o.number.clone(),
            placed: day(o.placed_at.as_offset(), &v.market.time_zone),
            status: v.tr.t_or(
                &format!("order-status-{}", o.status.as_str()),
                o.status.as_str(),
            ),
            total: format_money(&o.totals.total),
            po_number: o.po_number.clone().unwrap_or_default(),
        })
        .collect();
    page(
        &parts,
        &OrdersPage {
            shell: v.shell,
            orders,
        },
        StatusCode::OK,
    )
}

#[derive(Template)]
#[template(path = "store_order.html")]
struct OrderPage {
    shell: StoreShell,
    o: orders::OrderView,
    status: String,
    placed: String,
    /// `(sku, name, quantity, unit price, total, shipped)`.
    lines: Vec<(String, String, String, String, String, String)>,
    summary: Summary,
    payment: String,
    /// `(when, what, note)`.
    timeline: Vec<(String, String, String)>,
    /// `(number, carrier, tracking number, tracking url, shipped, delivered)`.
    shipments: Vec<(String, String, String, String, String, String)>,
    shipping_address: String,
    can_cancel: bool,
    just_placed: bool,
    message: String,
}

#[derive(Deserialize, Default)]
struct Placed {
    #[serde(default)]
    placed: String,
}

async fn order_view(
    s: &AppState,
    parts: &Parts,
    v: Visitor,
    id: Uuid,
    just_placed: bool,
    message: String,
    status: StatusCode,
) -> Response {
    let Some(p) = v.p.clone() else {
        return Redirect::to("/account/login").into_response();
    };
    let o = match orders::get(&s.app, &p, id).await {
        Ok(o) => o,
        Err(e) => return fail(e),
    };
    let tr = &v.tr;
    let tz = v.market.time_zone.clone();
    let word = |family: &str, code: &str| tr.t_or(&format!("{family}-{code}"), code);
    let summary = Summary {
        subtotal: format_money(&o.totals.subtotal),
        discount: if o.totals.discount.amount().is_zero() {
            String::new()
        } else {
            format!("−{}", format_money(&o.totals.discount))
        },
        shipping: format_money(&o.totals.shipping),
        tax: format_money(&o.totals.tax),
        total: format_money(&o.totals.total),
    };
    let mut payment = word("payment", o.payment_method.as_str());
    if let Some(pv) = &o.payment {
        if let Some(r) = &pv.reference {
            payment.push_str(&format!(" · {} {r}", tr.t("order-reference")));
        }
        if let Some(b) = &pv.bank_details {
            payment.push_str(&format!(" · {b}"));
        }
        if let Some(d) = pv.payment_terms_days {
            payment.push_str(&format!(
                " · {}",
                tr.t_with("order-terms", &[("days", &d.to_string())])
            ));
        }
    }
    let t = OrderPage {
        status: word("order-status", o.status.as_str()),
        placed: day(o.placed_at, &tz),
        lines: o
            .lines
            .iter()
            .map(|l| {
                (
                    l.sku.clone(),
                    l.name.clone(),
                    format_quantity(l.quantity),
                    format_money(&l.unit_price),
                    format_money(&l.total),
                    format_quantity(l.shipped_quantity),
                )
            })
            .collect(),
        summary,
        payment,
        timeline: o
            .history
            .iter()
            .map(|h| {
                (
                    day(h.at, &tz),
                    word("order-status", &h.to),
                    h.note.clone().unwrap_or_default(),
                )
            })
            .collect(),
        shipments: o
            .shipments
            .iter()
            .map(|sh| {
                (
                    sh.number.clone(),
                    sh.carrier.clone(),
                    sh.tracking_number.clone().unwrap_or_default(),
                    sh.tracking_url.clone().unwrap_or_default(),
                    day(sh.shipped_at, &tz),
                    sh.delivered_at.map(|d| day(d, &tz)).unwrap_or_default(),
                )
            })
            .collect(),
        shipping_address: crate::account::address_text(&o.shipping_address),
        can_cancel: mercato_core::order::transition(
            o.status,
            OrderAction::Cancel,
            mercato_core::order::OrderActor::Buyer,
        )
        .is_ok(),
        just_placed,
        message,
        o,
        shell: v.shell,
    };
    page(parts, &t, status)
}

async fn order_page(
    State(s): State<AppState>,
    parts: Parts,
    Path(id): Path<Uuid>,
    Query(q): Query<Placed>,
) -> Response {
    let v = match shopper(&parts, &s).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    order_view(
        &s,
        &parts,
        v,
        id,
        q.placed == "1",
        String::new(),
        StatusCode::OK,
    )
    .await
}

/// The order confirmation PDF, in the buyer's language and market time.
async fn order_confirmation_pdf(
    State(s): State<AppState>,
    parts: Parts,
    Path(id): Path<Uuid>,
) -> Response {
    let v = match shopper(&parts, &s).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some(p) = v.p.clone() else {
        return Redirect::to("/account/login").into_response();
    };
    let o = match orders::get(&s.app, &p, id).await {
        Ok(o) => o,
        Err(e) => return fail(e),
    };
    let company = p
        .membership()
        .map(|m| m.company_name.clone())
        .unwrap_or_default();
    let placed = day(o.placed_at, &v.market.time_zone);
    let seller = s.app.settings().documents.seller.clone();
    let doc = crate::order_pdf::confirmation(&v.tr, &seller, &o, &company, &placed);
    crate::order_pdf::respond(&s, doc).await
}

async fn order_cancel(
    State(s): State<AppState>,
    parts: Parts,
    Client(client): Client,
    Path(id): Path<Uuid>,
    Form(f): Form<crate::extract::CsrfForm>,
) -> Response {
    let (v, p) = match buyer_post(&parts, &s, &f.csrf_token).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    match orders::act(&s.app, &p, id, OrderAction::Cancel, None, &client).await {
        Ok(_) => Redirect::to(&format!("/account/orders/{id}")).into_response(),
        Err(e) => match message_of(&v, &e) {
            Some(msg) => order_view(&s, &parts, v, id, false, msg, StatusCode::CONFLICT).await,
            None => fail(e),
        },
    }
}

async fn order_reorder(
    State(s): State<AppState>,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(f): Form<crate::extract::CsrfForm>,
) -> Response {
    let (v, p) = match buyer_post(&parts, &s, &f.csrf_token).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    // Reorder makes a saved cart; its lines go into the active cart here.
    let result = async {
        let saved = orders::reorder(&s.app, &p, id, Some(&v.lang)).await?;
        let cart = active_cart(&s, &v).await?;
        let lines: Vec<(usize, QuickLine)> = saved
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                (
                    i + 1,
                    QuickLine {
                        sku: l.sku.clone(),
                        quantity: l.quantity.to_string(),
                    },
                )
            })
            .collect();
        carts::add_bulk(&s.app, &p, cart.id, lines, Some(&v.lang)).await
    }
    .await;
    match result {
        Ok(_) => Redirect::to("/cart").into_response(),
        Err(e) => fail(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_show_in_the_market_time_zone() {
        let t = time::macros::datetime!(2026-11-29 16:30 UTC);
        assert_eq!(day(t, "Asia/Shanghai"), "2026-11-30 00:30 CST");
        assert_eq!(day(t, "Europe/Berlin"), "2026-11-29 17:30 CET");
        assert_eq!(day(t, "Nowhere/Atlantis"), "2026-11-29 16:30 UTC");
    }
}
