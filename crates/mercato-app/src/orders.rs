//! Checkout and the order lifecycle (P6 P7 P8 P14 S3). Placing an order
//! is one transaction: re-price the cart, reserve stock and credit with
//! conditional updates, take the document number, write the order, its
//! lines, reservations, payment and first history entry, and the outbox
//! event. A card is authorised before the transaction (no network call
//! holds the write lock) and voided if the transaction does not commit.

use crate::auth::{ClientInfo, Principal};
use crate::carts::{self, CartView, Shopper};
use crate::mail::MailKind;
use crate::payments::Authorization;
use crate::{App, AppError, FieldError};
use mercato_core::company::AddressInput;
use mercato_core::money::{Currency, Money};
use mercato_core::order::{
    OrderAction, OrderActor, OrderStatus, PaymentMethod, PaymentStatus, transition,
};
use mercato_core::stock::{Allocation, allocate, allocate_with};
use mercato_core::{AddressId, CompanyId, DocumentSeries, Lang, Permission, PostalAddress};
use mercato_store::companies::CompanyScope;
use mercato_store::orders::{
    self as store, Order, OrderEvent, OrderLine, OrderReader, OrderTotals, Payment, Reservation,
    Shipment, ShippingMethod,
};
pub use mercato_store::orders::{OrderFilter, OrderSort};
use mercato_store::outbox::{self, NewEvent};
use mercato_store::{StoreError, Timestamp, Tx, audit, series, stock as stock_store};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// An address at checkout: one from the company's address book, or typed.
#[derive(Clone, Debug)]
pub enum AddressChoice {
    Book(AddressId),
    New(AddressInput),
}

/// How the buyer pays.
#[derive(Clone, Debug, Default)]
pub struct PaymentInput {
    pub method: String,
    pub po_number: Option<String>,
    /// The card provider's token (card numbers never reach Mercato).
    pub card_token: Option<String>,
}

/// A checkout.
#[derive(Clone, Debug)]
pub struct PlaceOrder {
    pub cart_id: Uuid,
    pub shipping_address: Option<AddressChoice>,
    pub billing_address: Option<AddressChoice>,
    pub shipping_method: String,
    pub payment: PaymentInput,
    pub note: Option<String>,
    /// `YYYY-MM-DD`, not in the past.
    pub requested_delivery_date: Option<String>,
    /// A fingerprint of the request body, so a reused Idempotency-Key
    /// with a different body is refused.
    pub request_hash: String,
}

/// A shipping method offered for a cart, with its price.
#[derive(Clone, Debug, Serialize)]
pub struct ShippingOption {
    pub code: String,
    pub name: String,
    pub price: Money,
}

fn lang_or_en(lang: Option<&Lang>) -> Lang {
    lang.cloned().unwrap_or_else(Lang::en)
}

fn weight_of(cart: &CartView) -> Decimal {
    cart.lines
        .iter()
        .map(|l| {
            l.facts
                .as_ref()
                .and_then(|f| f.weight_kg)
                .unwrap_or_default()
                * l.quantity
        })
        .sum()
}

/// The methods that apply to a priced cart, with their prices.
fn options_for(
    methods: &[ShippingMethod],
    s: &Shopper,
    cart: &CartView,
    lang: &Lang,
) -> Result<Vec<ShippingOption>, AppError> {
    let weight = weight_of(cart);
    let mut out = Vec::new();
    for m in methods {
        let here = m
            .market
            .as_ref()
            .is_none_or(|x| *x == s.company.market_code);
        if !m.active || !here || m.currency != cart.currency {
            continue;
        }
        let price = m
            .terms
            .price(
                cart.currency,
                cart.subtotal.amount() - cart.discount.amount(),
                weight,
                cart.free_shipping,
            )
            .map_err(|e| AppError::Internal(e.to_string()))?;
        if let Some(price) = price {
            out.push(ShippingOption {
                code: m.code.clone(),
                name: m
                    .name
                    .resolve(lang, &[])
                    .unwrap_or(m.code.as_str())
                    .to_string(),
                price,
            });
        }
    }
    Ok(out)
}

/// The shipping methods that apply to one of the caller's carts.
pub async fn shipping_options(
    app: &App,
    p: &Principal,
    cart: Uuid,
    lang: Option<&Lang>,
) -> Result<Vec<ShippingOption>, AppError> {
    let s = carts::shopper(app, p).await?;
    let view = priced_cart(app, &s, cart, lang).await?;
    let methods = store::shipping_methods(app.db()).await?;
    options_for(&methods, &s, &view, &lang_or_en(lang))
}

/// What an order from a cart would cost with a shipping method, computed
/// exactly as placing it does (the checkout's review step).
#[derive(Clone, Debug, Serialize)]
pub struct Review {
    pub cart: CartView,
    /// Every method that applies, with its price.
    pub options: Vec<ShippingOption>,
    /// The chosen one (the first when none or an unknown one was asked for).
    pub shipping: Option<ShippingOption>,
    pub totals: Option<mercato_store::orders::OrderTotals>,
}

/// The review of one of the caller's carts with `shipping_method`.
pub async fn review(
    app: &App,
    p: &Principal,
    cart: Uuid,
    shipping_method: Option<&str>,
    lang: Option<&Lang>,
) -> Result<Review, AppError> {
    let s = carts::shopper(app, p).await?;
    let cart = priced_cart(app, &s, cart, lang).await?;
    let methods = store::shipping_methods(app.db()).await?;
    let options = options_for(&methods, &s, &cart, &lang_or_en(lang))?;
    let shipping = shipping_method
        .and_then(|m| options.iter().find(|o| o.code == m.trim()))
        .or_else(|| options.first())
        .cloned();
    let totals = match &shipping {
        Some(sh) if !cart.lines.is_empty() => Some(totals(app, &s, &cart, sh).await?.0),
        _ => None,
    };
    Ok(Review {
        cart,
        options,
        shipping,
        totals,
    })
}

async fn priced_cart(
    app: &App,
    s: &Shopper,
    cart: Uuid,
    lang: Option<&Lang>,
) -> Result<CartView, AppError> {
    let c = carts::load(app, s, cart).await?;
    let lines = mercato_store::carts::lines(app.db(), c.id).await?;
    carts::evaluate(app, s, &c, lines, lang).await
}

async fn address(
    app: &App,
    scope: &CompanyScope,
    choice: AddressChoice,
    field: &str,
    errors: &mut Vec<FieldError>,
) -> Result<Option<PostalAddress>, AppError> {
    match choice {
        AddressChoice::Book(id) => {
            match mercato_store::companies::find_address(app.db(), scope, id).await? {
                Some(a) => Ok(Some(a.address)),
                None => {
                    errors.push(FieldError::new(
                        field,
                        "unknown_address",
                        "there is no such address in your address book",
                    ));
                    Ok(None)
                }
            }
        }
        AddressChoice::New(input) => match PostalAddress::parse(input) {
            Ok(a) => Ok(Some(a)),
            Err(problems) => {
                for (f, code, msg) in problems {
                    errors.push(FieldError::new(&format!("{field}.{f}"), code, msg));
                }
                Ok(None)
            }
        },
    }
}

/// The order an earlier request with this Idempotency-Key created.
async fn replay(
    app: &App,
    s: &Shopper,
    owner: &str,
    key: &str,
    hash: &str,
) -> Result<Option<OrderView>, AppError> {
    let Some((stored_hash, id)) = store::idempotent_result(app.db(), owner, key).await? else {
        return Ok(None);
    };
    if stored_hash != hash {
        // ../shared/API.md: the same key with another body is 422.
        return Err(AppError::Unprocessable {
            code: "idempotency_key_reused",
            detail: "this Idempotency-Key was used for a different request".into(),
        });
    }
    let o = store::get(app.db(), OrderReader::Company(&s.scope), id)
        .await?
        .ok_or(AppError::NotFound("order"))?;
    Ok(Some(view(app, o).await?))
}

/// Why an order could not be placed, with what the buyer needs to fix it.
#[derive(Debug)]
pub enum Refusal {
    /// 409 `out_of_stock`: these SKUs lack stock.
    OutOfStock(Vec<String>),
    /// 409 `credit_limit_exceeded`.
    CreditLimitExceeded { available: Money, needed: Money },
    /// 409 `price_changed`: the cart as priced now.
    PriceChanged(Box<CartView>),
    /// 402 `payment_declined` with the provider's code.
    PaymentDeclined { code: String, message: String },
}

/// Either an error or a refusal that carries data for the client.
#[derive(Debug)]
pub enum CheckoutError {
    App(AppError),
    Refused(Refusal),
}

impl From<AppError> for CheckoutError {
    fn from(e: AppError) -> Self {
        CheckoutError::App(e)
    }
}

impl From<StoreError> for CheckoutError {
    fn from(e: StoreError) -> Self {
        CheckoutError::App(e.into())
    }
}

/// A hash of what matters in a checkout body (for Idempotency-Key reuse).
pub fn request_fingerprint(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

enum Placed {
    Order(Box<Order>),
    /// Lost a race on the idempotency key: the other request's order.
    Duplicate,
}

/// Places an order from a cart. Returns the order and whether it was
/// created now (`false`: a retry with the same Idempotency-Key).
pub async fn place(
    app: &App,
    p: &Principal,
    input: PlaceOrder,
    idempotency_key: Option<&str>,
    client: &ClientInfo,
) -> Result<(OrderView, bool), CheckoutError> {
    let s = carts::shopper(app, p).await?;
    let owner = p.user.id.to_string();
    if let Some(key) = idempotency_key {
        if key.is_empty() || key.len() > 200 {
            return Err(AppError::invalid(
                "Idempotency-Key",
                "invalid_idempotency_key",
                "an Idempotency-Key is 1 to 200 characters",
            )
            .into());
        }
        if let Some(o) = replay(app, &s, &owner, key, &input.request_hash).await? {
            return Ok((o, false));
        }
    }
    // What the buyer asked for, checked all at once.
    let mut errors = Vec::new();
    let method = PaymentMethod::parse(input.payment.method.trim());
    if method.is_none() {
        errors.push(FieldError::new(
            "payment.method",
            "invalid_payment_method",
            "payment method is card, bank_transfer, purchase_order, on_account or cash_on_delivery",
        ));
    }
    let po_number = input
        .payment
        .po_number
        .as_deref()
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string);
    if method == Some(PaymentMethod::PurchaseOrder) && po_number.is_none() {
        errors.push(FieldError::new(
            "payment.po_number",
            "required",
            "paying by purchase order needs the PO number",
        ));
    }
    if po_number.as_ref().is_some_and(|x| x.chars().count() > 64) {
        errors.push(FieldError::new(
            "payment.po_number",
            "too_long",
            "a PO number is at most 64 characters",
        ));
    }
    let card_token = input.payment.card_token.as_deref().map(str::trim);
    if method == Some(PaymentMethod::Card) && card_token.is_none_or(str::is_empty) {
        errors.push(FieldError::new(
            "payment.card_token",
            "required",
            "paying by card needs the card token from the payment form",
        ));
    }
    let note = input
        .note
        .as_deref()
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string);
    if note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
        errors.push(FieldError::new(
            "note",
            "too_long",
            "a note is at most 2,000 characters",
        ));
    }
    let delivery = match input.requested_delivery_date.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(d) => {
            let fmt = time::macros::format_description!("[year]-[month]-[day]");
            match time::Date::parse(d, fmt) {
                Ok(date) if date >= time::OffsetDateTime::now_utc().date() => Some(d.to_string()),
                Ok(_) => {
                    errors.push(FieldError::new(
                        "requested_delivery_date",
                        "in_the_past",
                        "the delivery date must not be in the past",
                    ));
                    None
                }
                Err(_) => {
                    errors.push(FieldError::new(
                        "requested_delivery_date",
                        "invalid_date",
                        "a date is written YYYY-MM-DD",
                    ));
                    None
                }
            }
        }
    };
    let book = mercato_store::companies::list_addresses(app.db(), &s.scope).await?;
    let ship_choice = input.shipping_address.or_else(|| {
        book.iter()
            .find(|a| a.is_default_shipping)
            .map(|a| AddressChoice::Book(a.id))
    });
    let shipping_address = match ship_choice {
        Some(c) => address(app, &s.scope, c, "shipping_address", &mut errors).await?,
        None => {
            errors.push(FieldError::new(
                "shipping_address",
                "required",
                "give a shipping address",
            ));
            None
        }
    };
    let bill_choice = input.billing_address.or_else(|| {
        book.iter()
            .find(|a| a.is_default_billing)
            .map(|a| AddressChoice::Book(a.id))
    });
    let billing_address = match bill_choice {
        Some(c) => address(app, &s.scope, c, "billing_address", &mut errors).await?,
        None => shipping_address.clone(),
    };
    let cart = priced_cart(app, &s, input.cart_id, None).await?;
    if cart.status != "open" {
        // A retry whose twin committed meanwhile: answer with that order.
        if let Some(key) = idempotency_key
            && let Some(o) = replay(app, &s, &owner, key, &input.request_hash).await?
        {
            return Ok((o, false));
        }
        return Err(AppError::Conflict {
            code: "cart_ordered",
            detail: "this cart has already been ordered".into(),
        }
        .into());
    }
    if cart.lines.is_empty() {
        errors.push(FieldError::new(
            "cart_id",
            "empty_cart",
            "the cart is empty",
        ));
    }
    for (i, l) in cart.lines.iter().enumerate() {
        for problem in &l.problems {
            errors.push(FieldError::new(
                &format!("lines[{i}]"),
                problem.code,
                format!("{}: {}", l.sku, problem.message),
            ));
        }
    }
    let methods = store::shipping_methods(app.db()).await?;
    let options = options_for(&methods, &s, &cart, &lang_or_en(None))?;
    let shipping = options
        .iter()
        .find(|o| o.code == input.shipping_method.trim())
        .cloned();
    if shipping.is_none() {
        errors.push(FieldError::new(
            "shipping_method",
            "unknown_shipping_method",
            format!(
                "choose one of: {}",
                options
                    .iter()
                    .map(|o| o.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    let (Some(method), Some(shipping), Some(shipping_address), Some(billing_address), true) = (
        method,
        shipping,
        shipping_address,
        billing_address,
        errors.is_empty(),
    ) else {
        return Err(AppError::Invalid(errors).into());
    };
    if cart.prices_changed {
        // The buyer has now been shown the new prices; ordering again
        // accepts them.
        carts::mark_seen(app, &cart).await?;
        return Err(CheckoutError::Refused(Refusal::PriceChanged(Box::new(
            cart,
        ))));
    }
    let totals = totals(app, &s, &cart, &shipping).await?;
    let number_hint = format!("cart {}", cart.id);
    // Card: hold the money first, outside the write transaction.
    let auth = match (method, card_token) {
        (PaymentMethod::Card, Some(token)) => {
            let a = app
                .gateway()
                .authorize(totals.0.total, token, &number_hint)
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?;
            if let Authorization::Declined { code, message } = a {
                return Err(CheckoutError::Refused(Refusal::PaymentDeclined {
                    code,
                    message,
                }));
            }
            Some(a)
        }
        _ => None,
    };
    let now = Timestamp::now();
    let order = Order {
        id: Uuid::now_v7(),
        number: String::new(),
        company_id: s.company.id,
        placed_by: p.user.id,
        on_behalf_of: p.acting_staff.as_ref().map(|u| u.id),
        cart_id: Some(cart.id),
        market: s.company.market_code.clone(),
        currency: cart.currency,
        status: OrderStatus::Placed,
        payment_method: method,
        payment_status: PaymentStatus::initial(
            method,
            matches!(auth, Some(Authorization::Approved { .. })),
        ),
        po_number,
        note,
        requested_delivery_date: delivery,
        shipping_method: shipping.code.clone(),
        shipping_address,
        billing_address,
        credit_reserved: Money::zero(cart.currency),
        totals: totals.0,
        details: totals.1,
        placed_at: now,
        updated_at: now,
    };
    let result = write_order(
        app,
        p,
        &s,
        &cart,
        order,
        auth.as_ref(),
        idempotency_key.map(|k| (owner.as_str(), k, input.request_hash.as_str())),
        client,
    )
    .await;
    let release_hold = || async {
        if let Some(
            Authorization::Approved { gateway_ref } | Authorization::Pending { gateway_ref },
        ) = &auth
            && let Err(e) = app.gateway().void(gateway_ref).await
        {
            tracing::error!(error = %e, "could not void a card hold of an order that was not placed");
        }
    };
    match result {
        Ok(Placed::Order(o)) => Ok((view(app, *o).await?, true)),
        Ok(Placed::Duplicate) => {
            release_hold().await;
            let key = idempotency_key.unwrap_or_default();
            match replay(app, &s, &owner, key, &input.request_hash).await? {
                Some(o) => Ok((o, false)),
                None => Err(AppError::Internal("idempotent order vanished".into()).into()),
            }
        }
        Err(e) => {
            release_hold().await;
            Err(e)
        }
    }
}

/// Lines after promotions, shipping, tax and total, and the details kept
/// with the order (tax breakdown).
async fn totals(
    app: &App,
    s: &Shopper,
    cart: &CartView,
    shipping: &ShippingOption,
) -> Result<(OrderTotals, serde_json::Value), AppError> {
    let currency = cart.currency;
    let err = |e: mercato_core::MoneyError| AppError::Internal(e.to_string());
    let mut amounts: Vec<Money> = cart.lines.iter().filter_map(|l| l.total).collect();
    if !shipping.price.amount().is_zero() {
        amounts.push(shipping.price);
    }
    let tax = crate::pricing::tax_for(app, &s.company, currency, &amounts).await?;
    let (tax_amount, total) = match &tax {
        Some(t) => (t.tax, t.gross),
        None => (
            Money::zero(currency),
            cart.subtotal
                .checked_sub(&cart.discount)
                .and_then(|n| n.checked_add(&shipping.price))
                .map_err(err)?,
        ),
    };
    Ok((
        OrderTotals {
            subtotal: cart.subtotal,
            discount: cart.discount,
            shipping: shipping.price,
            tax: tax_amount,
            total,
        },
        json!({
            "tax": tax,
            "shipping": { "code": shipping.code, "name": shipping.name },
            "promotions": cart.promotions,
            "coupons": cart.coupons,
        }),
    ))
}

/// The placement transaction. Any refusal rolls everything back.
#[allow(clippy::too_many_arguments)]
async fn write_order(
    app: &App,
    p: &Principal,
    s: &Shopper,
    cart: &CartView,
    mut order: Order,
    auth: Option<&Authorization>,
    idempotency: Option<(&str, &str, &str)>,
    client: &ClientInfo,
) -> Result<Placed, CheckoutError> {
    // Read what is needed before the transaction: a read on another pool
    // connection while holding the write transaction starves the pool
    // under load.
    let warehouses = stock_store::warehouses(app.db()).await?;
    let preferred = warehouses
        .iter()
        .find(|w| w.is_default)
        .map_or("main", |w| w.code.as_str());
    let credit_line = if order.payment_method.uses_credit() {
        stock_store::credit_line(app.db(), s.company.id).await?
    } else {
        None
    };
    let mut tx = app.db().begin().await?;
    if let Some((owner, key, hash)) = idempotency {
        match store::claim_key(&mut tx, owner, key, hash, order.id, order.placed_at).await {
            Ok(()) => {}
            Err(e) if e.is_conflict_on("idempotency_key") => return Ok(Placed::Duplicate),
            Err(e) => return Err(e.into()),
        }
    }
    if !mercato_store::carts::mark_ordered(&mut tx, cart.id, order.placed_at).await? {
        return Err(AppError::Conflict {
            code: "cart_ordered",
            detail: "this cart has already been ordered".into(),
        }
        .into());
    }
    // Stock: plan every line from the levels read in this transaction,
    // then reserve each part conditionally, in one fixed order (SKU, then
    // warehouse) for every checkout, so two checkouts of the same SKUs
    // never lock their rows in opposite orders (a deadlock on PostgreSQL).
    // A concurrent order that got there first makes an update match
    // nothing, and this order refuses.
    let mut reservations: Vec<Reservation> = Vec::new();
    // What to hold: (SKU, warehouse, quantity, backorder).
    let mut holds: Vec<(String, String, Decimal, bool)> = Vec::new();
    let mut short = Vec::new();
    let mut lines = Vec::with_capacity(cart.lines.len());
    let skus: Vec<String> = cart.lines.iter().map(|l| l.sku.clone()).collect();
    let levels = stock_store::levels_in_many(&mut tx, &skus).await?;
    // Supply policies matter only when stock is short: read them then.
    let mut policies = None;
    for (i, l) in cart.lines.iter().enumerate() {
        let line_no = i32::try_from(i + 1).unwrap_or(i32::MAX);
        let levels = levels.get(&l.sku).map(Vec::as_slice).unwrap_or_default();
        let allocation = match allocate(levels, preferred, l.quantity) {
            Some(parts) => Some(Allocation {
                parts,
                backordered: Decimal::ZERO,
            }),
            None => {
                if policies.is_none() {
                    policies = Some(stock_store::policies_in(&mut tx, &skus).await?);
                }
                let policy = policies
                    .as_ref()
                    .and_then(|p| p.get(&l.sku))
                    .copied()
                    .unwrap_or_default();
                allocate_with(levels, preferred, l.quantity, policy)
            }
        };
        match allocation {
            None => short.push(l.sku.clone()),
            Some(a) => {
                let backorder = (a.backordered > Decimal::ZERO)
                    .then(|| (preferred.to_string(), a.backordered, true));
                let parts = a.parts.into_iter().map(|(w, q)| (w, q, false));
                for (warehouse, quantity, is_backorder) in parts.chain(backorder) {
                    holds.push((l.sku.clone(), warehouse.clone(), quantity, is_backorder));
                    // One reservation row per line and warehouse.
                    match reservations
                        .iter_mut()
                        .find(|r| r.line_no == line_no && r.warehouse == warehouse)
                    {
                        Some(r) => r.quantity += quantity,
                        None => reservations.push(Reservation {
                            line_no,
                            warehouse,
                            sku: l.sku.clone(),
                            quantity,
                        }),
                    }
                }
            }
        }
        let (Some(unit_price), Some(line_total)) = (l.unit_price, l.total) else {
            return Err(AppError::Internal(format!("{} lost its price", l.sku)).into());
        };
        lines.push(OrderLine {
            line_no,
            sku: l.sku.clone(),
            name: l.name.clone(),
            quantity: l.quantity,
            unit_price,
            discount: l.discount,
            line_total,
            shipped_quantity: Decimal::ZERO,
            price_list_id: l.price_list.as_ref().map(|r| r.id),
        });
    }
    if short.is_empty() {
        holds.sort_by(|a, b| (&a.0, &a.1, a.3).cmp(&(&b.0, &b.1, b.3)));
        let now = Timestamp::now();
        for (sku, warehouse, quantity, is_backorder) in &holds {
            if *is_backorder {
                stock_store::reserve_backorder(&mut tx, sku, warehouse, *quantity, now).await?;
            } else if !stock_store::reserve(&mut tx, sku, warehouse, *quantity).await? {
                short.push(sku.clone());
                break;
            }
        }
    }
    if !short.is_empty() {
        short.dedup();
        return Err(CheckoutError::Refused(Refusal::OutOfStock(short)));
    }
    if order.payment_method.uses_credit() {
        let line = credit_line;
        let needs_line = order.payment_method == PaymentMethod::OnAccount;
        match line {
            None if needs_line => {
                return Err(AppError::Refused {
                    code: "no_credit_line",
                    detail: "your company has no credit line; choose another payment method".into(),
                }
                .into());
            }
            None => {}
            Some(line) => {
                if !stock_store::draw_credit(&mut tx, s.company.id, &order.totals.total).await? {
                    return Err(CheckoutError::Refused(Refusal::CreditLimitExceeded {
                        available: line.available(),
                        needed: order.totals.total,
                    }));
                }
                order.credit_reserved = order.totals.total;
            }
        }
    }
    order.number = series::next_number(&mut tx, DocumentSeries::SalesOrder)
        .await?
        .to_string();
    store::insert(&mut tx, &order, &lines, &reservations).await?;
    // Promotions with usage limits: re-checked under a row lock, in id
    // order (no deadlocks), then counted against this order.
    let mut used: Vec<&crate::carts::AppliedView> = cart.promotions.iter().collect();
    used.sort_by_key(|a| a.id);
    for a in used {
        let (limit, per_company) = a.limits;
        let u = mercato_store::promotions::usage_in(&mut tx, a.id, s.company.id).await?;
        let over =
            limit.is_some_and(|l| u.total >= l) || per_company.is_some_and(|l| u.by_company >= l);
        if over {
            return Err(AppError::Conflict {
                code: "promotion_used_up",
                detail: format!(
                    "the promotion {:?} has just been used up; review the cart",
                    a.name
                ),
            }
            .into());
        }
        mercato_store::promotions::record_usage(
            &mut tx,
            a.id,
            order.id,
            s.company.id,
            order.placed_at,
        )
        .await?;
    }
    let payment = Payment {
        id: Uuid::now_v7(),
        order_id: order.id,
        method: order.payment_method,
        status: order.payment_status,
        amount: order.totals.total,
        gateway: auth.map(|_| app.gateway().name().to_string()),
        gateway_ref: match auth {
            Some(
                Authorization::Approved { gateway_ref } | Authorization::Pending { gateway_ref },
            ) => Some(gateway_ref.clone()),
            _ => None,
        },
        reference: (order.payment_method == PaymentMethod::BankTransfer)
            .then(|| order.number.clone()),
    };
    store::insert_payment(&mut tx, &payment, order.placed_at).await?;
    let (actor, on_behalf_of) = p.audit_ids();
    store::add_event(
        &mut tx,
        order.id,
        &OrderEvent {
            action: "place".into(),
            from: None,
            to: order.status.as_str().into(),
            actor,
            on_behalf_of,
            note: None,
            at: order.placed_at,
        },
    )
    .await?;
    outbox::append(
        &mut tx,
        &NewEvent::new(
            "order",
            order.id.to_string(),
            "order.placed",
            json!({ "number": order.number, "company_id": order.company_id, "total": order.totals.total.amount_string() }),
        ),
        order.placed_at,
    )
    .await?;
    crate::mail::enqueue_order(&mut tx, order.placed_by, MailKind::OrderPlaced, order.id).await?;
    audit::record(
        &mut tx,
        &p.audit(
            "order.place",
            "order",
            order.id.to_string(),
            json!({ "number": order.number }),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Placed::Order(Box::new(order)))
}

// -------------------------------------------------------------- reading

/// An order line as shown.
#[derive(Clone, Debug, Serialize)]
pub struct OrderLineView {
    pub line_no: i32,
    pub sku: String,
    pub name: String,
    pub quantity: Decimal,
    pub unit_price: Money,
    /// Quantity × unit price, before promotions.
    pub line_total: Money,
    pub discount: Money,
    /// After promotions.
    pub total: Money,
    pub shipped_quantity: Decimal,
}

/// A shipment as shown, with its tracking link.
#[derive(Clone, Debug, Serialize)]
pub struct ShipmentView {
    pub number: String,
    pub carrier: String,
    pub tracking_number: Option<String>,
    pub tracking_url: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub shipped_at: time::OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub delivered_at: Option<time::OffsetDateTime>,
    /// `{line_no, quantity}`.
    pub lines: Vec<serde_json::Value>,
}

/// One step of the order's history.
#[derive(Clone, Debug, Serialize)]
pub struct HistoryView {
    pub action: String,
    pub from: Option<String>,
    pub to: String,
    pub by: Option<mercato_core::UserId>,
    pub on_behalf_of: Option<mercato_core::UserId>,
    pub note: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub at: time::OffsetDateTime,
}

/// How to pay, for the buyer.
#[derive(Clone, Debug, Serialize)]
pub struct PaymentView {
    pub method: PaymentMethod,
    pub status: PaymentStatus,
    pub amount: Money,
    /// Bank transfer: quote this reference.
    pub reference: Option<String>,
    /// Bank transfer: where to pay.
    pub bank_details: Option<String>,
    /// On account: pay within this many days of the invoice.
    pub payment_terms_days: Option<i32>,
    /// Card: the provider's reference for the authorisation.
    pub provider_ref: Option<String>,
}

/// An order as the buyer and staff see it.
#[derive(Clone, Debug, Serialize)]
pub struct OrderView {
    pub id: Uuid,
    pub number: String,
    pub company_id: CompanyId,
    pub status: OrderStatus,
    pub payment_method: PaymentMethod,
    pub payment_status: PaymentStatus,
    pub currency: Currency,
    pub lines: Vec<OrderLineView>,
    pub totals: OrderTotals,
    pub shipping_method: String,
    pub shipping_address: PostalAddress,
    pub billing_address: PostalAddress,
    pub po_number: Option<String>,
    pub note: Option<String>,
    pub requested_delivery_date: Option<String>,
    pub payment: Option<PaymentView>,
    pub shipments: Vec<ShipmentView>,
    pub history: Vec<HistoryView>,
    pub tax: serde_json::Value,
    /// The promotions that applied at checkout, with what each took off.
    pub promotions: serde_json::Value,
    #[serde(with = "time::serde::rfc3339")]
    pub placed_at: time::OffsetDateTime,
}

/// The full view of an order.
pub async fn view(app: &App, o: Order) -> Result<OrderView, AppError> {
    let lines = store::lines(app.db(), &o).await?;
    let shipments = store::shipments(app.db(), o.id).await?;
    let events = store::events(app.db(), o.id).await?;
    let payments = store::payments(app.db(), o.id).await?;
    let terms = if o.payment_method.uses_credit() {
        stock_store::credit_line(app.db(), o.company_id)
            .await?
            .map(|c| c.payment_terms_days)
    } else {
        None
    };
    let payment = payments.last().map(|pay| PaymentView {
        method: pay.method,
        status: o.payment_status,
        amount: pay.amount,
        reference: pay.reference.clone(),
        bank_details: (pay.method == PaymentMethod::BankTransfer)
            .then(|| app.settings().payments.bank_details.clone()),
        payment_terms_days: terms,
        provider_ref: pay.gateway_ref.clone(),
    });
    Ok(OrderView {
        id: o.id,
        number: o.number,
        company_id: o.company_id,
        status: o.status,
        payment_method: o.payment_method,
        payment_status: o.payment_status,
        currency: o.currency,
        lines: lines
            .into_iter()
            .map(|l| OrderLineView {
                line_no: l.line_no,
                sku: l.sku,
                name: l.name,
                quantity: l.quantity,
                unit_price: l.unit_price,
                line_total: l
                    .line_total
                    .checked_add(&l.discount)
                    .unwrap_or(l.line_total),
                discount: l.discount,
                total: l.line_total,
                shipped_quantity: l.shipped_quantity,
            })
            .collect(),
        totals: o.totals,
        shipping_method: o.shipping_method,
        shipping_address: o.shipping_address,
        billing_address: o.billing_address,
        po_number: o.po_number,
        note: o.note,
        requested_delivery_date: o.requested_delivery_date,
        payment,
        shipments: shipments
            .into_iter()
            .map(|sh| ShipmentView {
                number: sh.number,
                carrier: sh.carrier,
                tracking_number: sh.tracking_number,
                tracking_url: sh.tracking_url,
                shipped_at: sh.shipped_at.as_offset(),
                delivered_at: sh.delivered_at.map(|t| t.as_offset()),
                lines: sh
                    .lines
                    .iter()
                    .map(|(n, q)| json!({ "line_no": n, "quantity": q }))
                    .collect(),
            })
            .collect(),
        history: events
            .into_iter()
            .map(|e| HistoryView {
                action: e.action,
                from: e.from,
                to: e.to,
                by: e.actor,
                on_behalf_of: e.on_behalf_of,
                note: e.note,
                at: e.at.as_offset(),
            })
            .collect(),
        tax: o
            .details
            .get("tax")
            .cloned()
            .unwrap_or(serde_json::Value::Null),
        promotions: o
            .details
            .get("promotions")
            .cloned()
            .unwrap_or(serde_json::Value::Array(Vec::new())),
        placed_at: o.placed_at.as_offset(),
    })
}

/// Who reads orders: the caller's company (`view_orders`), or staff with
/// `manage_orders` (all companies).
fn reader(p: &Principal) -> Result<Reader, AppError> {
    match p.membership() {
        Some(m) => {
            p.require(Permission::ViewOrders, "see orders")?;
            Ok(Reader::Company(CompanyScope::after_access_check(
                m.company_id,
            )))
        }
        None => {
            p.require(Permission::ManageOrders, "see orders")?;
            Ok(Reader::Staff)
        }
    }
}

enum Reader {
    Company(CompanyScope),
    Staff,
}

impl Reader {
    fn as_store(&self) -> OrderReader<'_> {
        match self {
            Reader::Company(s) => OrderReader::Company(s),
            Reader::Staff => OrderReader::Staff,
        }
    }
}

/// One order the caller may see.
pub async fn get(app: &App, p: &Principal, id: Uuid) -> Result<OrderView, AppError> {
    view(app, find(app, p, id).await?).await
}

/// The order row, if the caller may see it (else 404).
async fn find(app: &App, p: &Principal, id: Uuid) -> Result<Order, AppError> {
    let r = reader(p)?;
    store::get(app.db(), r.as_store(), id)
        .await?
        .ok_or(AppError::NotFound("order"))
}

/// Orders the caller may see, newest first.
pub async fn list(app: &App, p: &Principal, filter: OrderFilter) -> Result<Vec<Order>, AppError> {
    let r = reader(p)?;
    if !(1..=200).contains(&filter.limit) {
        return Err(AppError::invalid(
            "limit",
            "out_of_range",
            "limit must be 1 to 200",
        ));
    }
    Ok(store::list(app.db(), r.as_store(), &filter).await?)
}

/// The names of the companies behind some orders, for staff order lists
/// (warehouse and finance staff see orders but not the company records).
pub async fn company_names(
    app: &App,
    p: &Principal,
    ids: impl IntoIterator<Item = CompanyId>,
) -> Result<std::collections::HashMap<CompanyId, String>, AppError> {
    if p.membership().is_some() {
        return Err(AppError::Forbidden("see other companies"));
    }
    p.require(Permission::ManageOrders, "see orders")?;
    let ids: std::collections::BTreeSet<CompanyId> = ids.into_iter().collect();
    let ids: Vec<CompanyId> = ids.into_iter().collect();
    Ok(mercato_store::companies::names(app.db(), &ids).await?)
}

// ------------------------------------------------------------ lifecycle

fn actor_of(p: &Principal, action: OrderAction) -> Result<OrderActor, AppError> {
    match p.membership() {
        None => {
            p.require(Permission::ManageOrders, "manage orders")?;
            Ok(OrderActor::Staff)
        }
        Some(_) if action == OrderAction::Approve => {
            p.require(Permission::ApproveOrders, "approve orders")?;
            Ok(OrderActor::Approver)
        }
        Some(_) => {
            p.require(Permission::PlaceOrders, "change orders")?;
            Ok(OrderActor::Buyer)
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn apply_transition(
    tx: &mut Tx,
    p: &Principal,
    o: &Order,
    action: OrderAction,
    actor: OrderActor,
    note: Option<String>,
    payment: PaymentStatus,
    credit_reserved: &Money,
) -> Result<OrderStatus, AppError> {
    let next = transition(o.status, action, actor).map_err(|e| match e {
        mercato_core::order::TransitionError::NotYourAction { .. } => {
            AppError::Forbidden("take this step on an order")
        }
        other => AppError::Conflict {
            code: "invalid_transition",
            detail: other.to_string(),
        },
    })?;
    let now = Timestamp::now();
    if !store::set_status(tx, o.id, o.status, next, payment, credit_reserved, now).await? {
        return Err(AppError::Conflict {
            code: "order_changed",
            detail: "the order changed meanwhile; reload it".into(),
        });
    }
    let (actor_id, on_behalf_of) = p.audit_ids();
    store::add_event(
        tx,
        o.id,
        &OrderEvent {
            action: action.as_str().into(),
            from: Some(o.status.as_str().into()),
            to: next.as_str().into(),
            actor: actor_id,
            on_behalf_of,
            note,
            at: now,
        },
    )
    .await?;
    outbox::append(
        tx,
        &NewEvent::new(
            "order",
            o.id.to_string(),
            format!("order.{}", next.as_str()),
            json!({ "number": o.number, "from": o.status, "to": next }),
        ),
        now,
    )
    .await?;
    Ok(next)
}

/// Gives back what an order holds: its stock reservations and credit.
async fn release_all(tx: &mut Tx, o: &Order) -> Result<(), AppError> {
    let mut held = store::reservations_in(tx, o.id).await?;
    // The same lock order as checkout: SKU, then warehouse.
    held.sort_by(|a, b| (&a.sku, &a.warehouse).cmp(&(&b.sku, &b.warehouse)));
    for r in held {
        if r.quantity > Decimal::ZERO {
            stock_store::release(tx, &r.sku, &r.warehouse, r.quantity).await?;
            store::set_reserved(tx, o.id, r.line_no, &r.warehouse, Decimal::ZERO).await?;
        }
    }
    if !o.credit_reserved.amount().is_zero() {
        stock_store::repay_credit(tx, o.company_id, &o.credit_reserved).await?;
    }
    mercato_store::promotions::release_usage(tx, o.id).await?;
    Ok(())
}

/// Confirm, deliver, complete, hold, release, approve or cancel an
/// order, as the table in `core::order` allows for the caller. A cancel
/// gives back stock and credit and voids a card hold.
pub async fn act(
    app: &App,
    p: &Principal,
    id: Uuid,
    action: OrderAction,
    note: Option<String>,
    client: &ClientInfo,
) -> Result<OrderView, AppError> {
    if matches!(action, OrderAction::Ship { .. }) {
        return Err(AppError::invalid(
            "action",
            "use_shipments",
            "ship with a shipment (carrier, tracking, lines)",
        ));
    }
    let actor = actor_of(p, action)?;
    let o = find(app, p, id).await?;
    let mut payment = o.payment_status;
    let mut credit = o.credit_reserved;
    let card = store::payments(app.db(), o.id)
        .await?
        .into_iter()
        .rev()
        .find(|x| x.gateway.is_some());
    let mut tx = app.db().begin().await?;
    let fresh = store::get_in(&mut tx, OrderReader::Staff, o.id)
        .await?
        .ok_or(AppError::NotFound("order"))?;
    if action == OrderAction::Cancel {
        release_all(&mut tx, &fresh).await?;
        credit = Money::zero(o.currency);
        if matches!(payment, PaymentStatus::Authorized | PaymentStatus::Pending) {
            payment = PaymentStatus::Voided;
        }
    }
    if action == OrderAction::Deliver {
        store::deliver_shipments(&mut tx, o.id, Timestamp::now()).await?;
        if o.payment_method == PaymentMethod::CashOnDelivery {
            payment = PaymentStatus::Paid;
        }
    }
    let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    apply_transition(&mut tx, p, &fresh, action, actor, note, payment, &credit).await?;
    if action == OrderAction::Confirm {
        crate::mail::enqueue_order(&mut tx, o.placed_by, MailKind::OrderConfirmed, o.id).await?;
    }
    if let (Some(card), true) = (
        &card,
        payment == PaymentStatus::Voided && payment != o.payment_status,
    ) {
        store::set_payment_status(&mut tx, card, PaymentStatus::Voided, Timestamp::now()).await?;
    }
    audit::record(
        &mut tx,
        &p.audit(
            &format!("order.{}", action.as_str()),
            "order",
            o.id.to_string(),
            json!({ "number": o.number }),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    if let (Some(card), PaymentStatus::Voided) = (&card, payment)
        && o.payment_status != PaymentStatus::Voided
        && let Some(r) = &card.gateway_ref
        && let Err(e) = app.gateway().void(r).await
    {
        tracing::error!(error = %e, order = %o.number, "card hold not voided; void it at the provider");
    }
    get(app, p, id).await
}

/// A shipment to record.
#[derive(Clone, Debug)]
pub struct ShipmentInput {
    pub carrier: String,
    pub tracking_number: Option<String>,
    pub tracking_url: Option<String>,
    /// `(line_no, quantity)`; empty: everything not yet shipped.
    pub lines: Vec<(i32, Decimal)>,
}

/// Ships (part of) a confirmed order: takes the goods out of stock,
/// records the carrier and tracking, captures a card hold on the first
/// shipment, and moves the order to partially shipped or shipped.
pub async fn ship(
    app: &App,
    p: &Principal,
    id: Uuid,
    input: ShipmentInput,
    client: &ClientInfo,
) -> Result<OrderView, AppError> {
    let action_probe = OrderAction::Ship { complete: false };
    let actor = actor_of(p, action_probe)?;
    if actor != OrderActor::Staff {
        return Err(AppError::Forbidden("ship orders"));
    }
    let o = find(app, p, id).await?;
    let mut errors = Vec::new();
    let carrier = input.carrier.trim().to_string();
    if carrier.is_empty() || carrier.chars().count() > 100 {
        errors.push(FieldError::new(
            "carrier",
            "invalid_carrier",
            "name the carrier (1 to 100 characters)",
        ));
    }
    if let Some(u) = &input.tracking_url
        && !(u.starts_with("https://") || u.starts_with("http://"))
    {
        errors.push(FieldError::new(
            "tracking_url",
            "invalid_url",
            "a tracking link starts with https://",
        ));
    }
    let lines = store::lines(app.db(), &o).await?;
    let wanted: Vec<(i32, Decimal)> = if input.lines.is_empty() {
        lines
            .iter()
            .map(|l| (l.line_no, l.quantity - l.shipped_quantity))
            .filter(|(_, q)| *q > Decimal::ZERO)
            .collect()
    } else {
        input.lines.clone()
    };
    for (i, (line_no, q)) in wanted.iter().enumerate() {
        match lines.iter().find(|l| l.line_no == *line_no) {
            None => errors.push(FieldError::new(
                &format!("lines[{i}].line_no"),
                "unknown_line",
                format!("the order has no line {line_no}"),
            )),
            Some(l) if *q <= Decimal::ZERO || *q > l.quantity - l.shipped_quantity => {
                errors.push(FieldError::new(
                    &format!("lines[{i}].quantity"),
                    "invalid_quantity",
                    format!(
                        "line {line_no} has {} left to ship",
                        l.quantity - l.shipped_quantity
                    ),
                ))
            }
            Some(_) => {}
        }
    }
    if wanted.is_empty() {
        errors.push(FieldError::new(
            "lines",
            "nothing_to_ship",
            "everything has shipped",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let complete = lines.iter().all(|l| {
        let now: Decimal = wanted
            .iter()
            .filter(|w| w.0 == l.line_no)
            .map(|w| w.1)
            .sum();
        l.shipped_quantity + now >= l.quantity
    });
    let action = OrderAction::Ship { complete };
    let card = store::payments(app.db(), o.id)
        .await?
        .into_iter()
        .rev()
        .find(|x| x.gateway.is_some() && x.status == PaymentStatus::Authorized);
    let now = Timestamp::now();
    let mut tx = app.db().begin().await?;
    let fresh = store::get_in(&mut tx, OrderReader::Staff, o.id)
        .await?
        .ok_or(AppError::NotFound("order"))?;
    let mut reservations = store::reservations_in(&mut tx, o.id).await?;
    let mut takes = Vec::new();
    for (line_no, q) in &wanted {
        let mut left = *q;
        for r in reservations.iter_mut().filter(|r| r.line_no == *line_no) {
            let take = left.min(r.quantity);
            if take > Decimal::ZERO {
                r.quantity -= take;
                left -= take;
                takes.push((
                    r.sku.clone(),
                    r.warehouse.clone(),
                    r.line_no,
                    take,
                    r.quantity,
                ));
            }
        }
        store::add_shipped(&mut tx, o.id, *line_no, *q).await?;
    }
    // The same lock order as checkout: SKU, then warehouse.
    takes.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    for (sku, warehouse, line_no, take, still_reserved) in &takes {
        if !stock_store::ship_out(&mut tx, sku, warehouse, *take, now).await? {
            return Err(AppError::Conflict {
                code: "not_on_hand",
                detail: format!(
                    "{sku}: fewer than {} on hand in warehouse {warehouse} (a backorder whose goods have not arrived); update the stock level first",
                    take.normalize()
                ),
            });
        }
        store::set_reserved(&mut tx, o.id, *line_no, warehouse, *still_reserved).await?;
    }
    let number = series::next_number(&mut tx, DocumentSeries::Shipment)
        .await?
        .to_string();
    store::insert_shipment(
        &mut tx,
        o.id,
        &Shipment {
            id: Uuid::now_v7(),
            number,
            carrier,
            tracking_number: input
                .tracking_number
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty()),
            tracking_url: input.tracking_url,
            shipped_at: now,
            delivered_at: None,
            lines: wanted,
        },
    )
    .await?;
    let payment = if card.is_some() {
        PaymentStatus::Paid
    } else {
        fresh.payment_status
    };
    apply_transition(
        &mut tx,
        p,
        &fresh,
        action,
        actor,
        None,
        payment,
        &fresh.credit_reserved,
    )
    .await?;
    if let Some(card) = &card {
        // Capture before commit: if the provider refuses, nothing ships.
        let r = card.gateway_ref.as_deref().unwrap_or_default();
        app.gateway()
            .capture(r, card.amount)
            .await
            .map_err(|e| AppError::Conflict {
                code: "capture_failed",
                detail: e.to_string(),
            })?;
        store::set_payment_status(&mut tx, card, PaymentStatus::Paid, now).await?;
    }
    crate::mail::enqueue_order(&mut tx, o.placed_by, MailKind::OrderShipped, o.id).await?;
    audit::record(
        &mut tx,
        &p.audit(
            "order.ship",
            "order",
            o.id.to_string(),
            json!({ "number": o.number }),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    get(app, p, id).await
}

/// Staff record a payment received (bank transfer reconciled, invoice on
/// account paid): the payment is marked paid and the credit drawn by the
/// order is given back.
pub async fn mark_paid(
    app: &App,
    p: &Principal,
    id: Uuid,
    client: &ClientInfo,
) -> Result<OrderView, AppError> {
    if p.membership().is_some() {
        return Err(AppError::Forbidden("record payments"));
    }
    p.require(Permission::ManageFinance, "record payments")?;
    let o = store::get(app.db(), OrderReader::Staff, id)
        .await?
        .ok_or(AppError::NotFound("order"))?;
    if matches!(
        o.payment_status,
        PaymentStatus::Paid | PaymentStatus::Refunded
    ) {
        return Err(AppError::Conflict {
            code: "already_paid",
            detail: format!("order {} is already paid", o.number),
        });
    }
    if o.status == OrderStatus::Cancelled || o.payment_status == PaymentStatus::Voided {
        return Err(AppError::Conflict {
            code: "order_cancelled",
            detail: format!("order {} is cancelled", o.number),
        });
    }
    let pay = store::payments(app.db(), o.id)
        .await?
        .pop()
        .ok_or(AppError::NotFound("payment"))?;
    let now = Timestamp::now();
    let mut tx = app.db().begin().await?;
    store::set_payment_status(&mut tx, &pay, PaymentStatus::Paid, now).await?;
    if !o.credit_reserved.amount().is_zero() {
        stock_store::repay_credit(&mut tx, o.company_id, &o.credit_reserved).await?;
        store::set_status(
            &mut tx,
            o.id,
            o.status,
            o.status,
            PaymentStatus::Paid,
            &Money::zero(o.currency),
            now,
        )
        .await?;
    }
    audit::record(
        &mut tx,
        &p.audit(
            "order.paid",
            "order",
            o.id.to_string(),
            json!({ "number": o.number }),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    get(app, p, id).await
}

/// A card provider's webhook: an asynchronous authorisation succeeded
/// (the order's payment becomes authorised) or failed (the order is
/// cancelled and its stock and credit released). Replays are harmless.
pub async fn payment_webhook(app: &App, body: &[u8], signature: &str) -> Result<(), AppError> {
    let event = app
        .gateway()
        .parse_webhook(body, signature)
        .map_err(|_| AppError::Unauthenticated)?;
    let gateway = app.gateway().name();
    let mut tx = app.db().begin().await?;
    let Some(pay) = store::payment_by_ref_in(&mut tx, gateway, &event.gateway_ref).await? else {
        return Err(AppError::NotFound("payment"));
    };
    if pay.status != PaymentStatus::Pending {
        return Ok(());
    }
    let o = store::get_in(&mut tx, OrderReader::Staff, pay.order_id)
        .await?
        .ok_or(AppError::NotFound("order"))?;
    let now = Timestamp::now();
    match event.kind.as_str() {
        "authorization.succeeded" => {
            store::set_payment_status(&mut tx, &pay, PaymentStatus::Authorized, now).await?;
        }
        "authorization.failed" => {
            release_all(&mut tx, &o).await?;
            let credit = Money::zero(o.currency);
            if o.status.holds_reservations() {
                let next = OrderStatus::Cancelled;
                store::set_status(
                    &mut tx,
                    o.id,
                    o.status,
                    next,
                    PaymentStatus::Voided,
                    &credit,
                    now,
                )
                .await?;
                store::add_event(
                    &mut tx,
                    o.id,
                    &OrderEvent {
                        action: "cancel".into(),
                        from: Some(o.status.as_str().into()),
                        to: next.as_str().into(),
                        actor: None,
                        on_behalf_of: None,
                        note: Some(format!(
                            "card not confirmed ({})",
                            event.decline_code.as_deref().unwrap_or("declined")
                        )),
                        at: now,
                    },
                )
                .await?;
            }
            store::set_payment_status(&mut tx, &pay, PaymentStatus::Voided, now).await?;
        }
        other => {
            return Err(AppError::invalid(
                "type",
                "unknown_event",
                format!("unknown event {other:?}"),
            ));
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Reorder: a new saved cart with the order's lines at today's prices.
pub async fn reorder(
    app: &App,
    p: &Principal,
    id: Uuid,
    lang: Option<&Lang>,
) -> Result<CartView, AppError> {
    let o = match p.membership() {
        Some(_) => find(app, p, id).await?,
        None => return Err(AppError::Forbidden("reorder: buyers reorder")),
    };
    let lines = store::lines(app.db(), &o).await?;
    let (cart, _) = carts::open(app, p, Some(&format!("Reorder {}", o.number)), lang).await?;
    let input = lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            (
                i + 1,
                carts::QuickLine {
                    sku: l.sku,
                    quantity: l.quantity.to_string(),
                },
            )
        })
        .collect();
    let (_, view) = carts::add_bulk(app, p, cart.id, input, lang).await?;
    Ok(view)
}

/// A SKU the caller's company buys often (the "frequently bought" list).
#[derive(Clone, Debug, Serialize)]
pub struct FrequentItem {
    pub sku: String,
    pub name: String,
    /// Orders it was on.
    pub orders: i64,
    /// Quantity over those orders.
    pub quantity: Decimal,
    /// Quantity per order, rounded up to a whole unit: a one-click reorder amount.
    pub usual_quantity: Decimal,
    #[serde(with = "time::serde::rfc3339")]
    pub last_ordered: time::OffsetDateTime,
}

/// What the caller's company orders most (buyers who may see orders), at
/// most `limit` (1–100) SKUs, from its order history (cancelled orders
/// do not count).
pub async fn frequently_bought(
    app: &App,
    p: &Principal,
    limit: i64,
) -> Result<Vec<FrequentItem>, AppError> {
    let Some(m) = p.membership() else {
        return Err(AppError::Forbidden(
            "see a company's frequently bought list: buyers only",
        ));
    };
    p.require(Permission::ViewOrders, "see orders")?;
    if !(1..=100).contains(&limit) {
        return Err(AppError::invalid(
            "limit",
            "out_of_range",
            "limit must be 1 to 100",
        ));
    }
    let rows = store::frequently_bought(app.db(), m.company_id, limit).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let usual = if r.orders > 0 {
                (r.quantity / Decimal::from(r.orders)).ceil()
            } else {
                r.quantity
            };
            FrequentItem {
                sku: r.sku,
                name: r.name,
                orders: r.orders,
                quantity: r.quantity,
                usual_quantity: usual.max(Decimal::ONE),
                last_ordered: r.last_ordered.as_offset(),
            }
        })
        .collect())
}
