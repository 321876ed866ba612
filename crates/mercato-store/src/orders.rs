//! Orders with their lines, stock reservations, status history,
//! shipments and payments; shipping methods; idempotency keys. An order
//! and everything it reserves are written in one transaction by the app.

use crate::catalog::{from_units4, to_units4};
use crate::companies::CompanyScope;
use crate::{Db, StoreError, Timestamp, Tx};
use mercato_core::money::{Currency, Money};
use mercato_core::order::{OrderStatus, PaymentMethod, PaymentStatus};
use mercato_core::shipping::ShippingTerms;
use mercato_core::{CompanyId, LocalizedText, PostalAddress, UserId};
use rust_decimal::Decimal;
use sqlx::types::Json;
use uuid::Uuid;

fn corrupt(what: &'static str, detail: impl ToString) -> StoreError {
    StoreError::Corrupt {
        what,
        detail: detail.to_string(),
    }
}

fn units(m: &Money) -> Result<i64, StoreError> {
    m.to_storage_units().map_err(|e| corrupt("money", e))
}

// ------------------------------------------------------- shipping methods

/// A way to ship, priced by its terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShippingMethod {
    pub code: String,
    pub name: LocalizedText,
    /// `None`: offered in every market of its currency.
    pub market: Option<String>,
    pub currency: Currency,
    pub terms: ShippingTerms,
    pub active: bool,
    pub position: i32,
}

#[derive(sqlx::FromRow)]
struct MethodRow {
    code: String,
    name: Json<LocalizedText>,
    market_code: Option<String>,
    currency: String,
    terms: Json<ShippingTerms>,
    active: bool,
    position: i32,
}

impl TryFrom<MethodRow> for ShippingMethod {
    type Error = StoreError;
    fn try_from(r: MethodRow) -> Result<Self, StoreError> {
        Ok(ShippingMethod {
            code: r.code,
            name: r.name.0,
            market: r.market_code,
            currency: Currency::parse(&r.currency).map_err(|e| corrupt("shipping_method", e))?,
            terms: r.terms.0,
            active: r.active,
            position: r.position,
        })
    }
}

/// Every shipping method, in display order.
pub async fn shipping_methods(db: &Db) -> Result<Vec<ShippingMethod>, StoreError> {
    let rows: Vec<MethodRow> = db_run!(db, |p| {
        sqlx::query_as(
            "SELECT code, name, market_code, currency, terms, active, position FROM shipping_method
              ORDER BY position, code",
        )
        .fetch_all(p)
        .await
    })?;
    rows.into_iter().map(ShippingMethod::try_from).collect()
}

/// Adds or replaces a shipping method.
pub async fn put_shipping_method(
    tx: &mut Tx,
    m: &ShippingMethod,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query(
            "INSERT INTO shipping_method (code, name, market_code, currency, terms, active, position, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, market_code = excluded.market_code,
                currency = excluded.currency, terms = excluded.terms, active = excluded.active,
                position = excluded.position, updated_at = excluded.updated_at"
        )
        .bind(&m.code)
        .bind(Json(&m.name))
        .bind(m.market.as_deref())
        .bind(m.currency.code())
        .bind(Json(&m.terms))
        .bind(m.active)
        .bind(m.position)
        .bind(now)
    )?;
    Ok(())
}

// ----------------------------------------------------------------- orders

/// An order's money, all in its currency.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct OrderTotals {
    /// Lines before discounts.
    pub subtotal: Money,
    pub discount: Money,
    pub shipping: Money,
    pub tax: Money,
    pub total: Money,
}

/// An order's header.
#[derive(Clone, Debug, PartialEq)]
pub struct Order {
    pub id: Uuid,
    pub number: String,
    pub company_id: CompanyId,
    pub placed_by: UserId,
    pub on_behalf_of: Option<UserId>,
    /// The cart it was placed from.
    pub cart_id: Option<Uuid>,
    pub market: String,
    pub currency: Currency,
    pub status: OrderStatus,
    pub payment_method: PaymentMethod,
    pub payment_status: PaymentStatus,
    pub po_number: Option<String>,
    pub note: Option<String>,
    pub requested_delivery_date: Option<String>,
    pub shipping_method: String,
    pub shipping_address: PostalAddress,
    pub billing_address: PostalAddress,
    pub totals: OrderTotals,
    /// Credit drawn on the company's line, given back on cancel or payment.
    pub credit_reserved: Money,
    /// Tax breakdown and promotions applied, as shown at checkout.
    pub details: serde_json::Value,
    pub placed_at: Timestamp,
    pub updated_at: Timestamp,
}

/// One order line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderLine {
    pub line_no: i32,
    pub sku: String,
    pub name: String,
    pub quantity: Decimal,
    pub unit_price: Money,
    pub discount: Money,
    /// After discount.
    pub line_total: Money,
    pub shipped_quantity: Decimal,
    pub price_list_id: Option<Uuid>,
}

/// Stock held for an order line in one warehouse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reservation {
    pub line_no: i32,
    pub warehouse: String,
    pub sku: String,
    pub quantity: Decimal,
}

/// Writes a new order with its lines and reservations (the stock itself
/// was reserved by the caller in the same transaction).
pub async fn insert(
    tx: &mut Tx,
    o: &Order,
    lines: &[OrderLine],
    reservations: &[Reservation],
) -> Result<(), StoreError> {
    let t = &o.totals;
    tx_exec!(
        tx,
        sqlx::query(
            "INSERT INTO sales_order (order_id, order_number, company_id, placed_by, on_behalf_of, cart_id, market_code,
                currency, status, payment_method, payment_status, po_number, note, requested_delivery_date,
                shipping_method, shipping_address, billing_address, subtotal, discount_total, shipping_total,
                tax_total, total, credit_reserved, details, placed_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $25, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
                     $20, $21, $22, $23, $24, $24)"
        )
        .bind(o.id)
        .bind(&o.number)
        .bind(o.company_id.0)
        .bind(o.placed_by.0)
        .bind(o.on_behalf_of.map(|u| u.0))
        .bind(&o.market)
        .bind(o.currency.code())
        .bind(o.status.as_str())
        .bind(o.payment_method.as_str())
        .bind(o.payment_status.as_str())
        .bind(o.po_number.as_deref())
        .bind(o.note.as_deref())
        .bind(o.requested_delivery_date.as_deref())
        .bind(&o.shipping_method)
        .bind(Json(&o.shipping_address))
        .bind(Json(&o.billing_address))
        .bind(units(&t.subtotal)?)
        .bind(units(&t.discount)?)
        .bind(units(&t.shipping)?)
        .bind(units(&t.tax)?)
        .bind(units(&t.total)?)
        .bind(units(&o.credit_reserved)?)
        .bind(Json(&o.details))
        .bind(o.placed_at)
        .bind(o.cart_id)
    )?;
    // Multi-row inserts: one statement per 100 lines instead of one per
    // line (each statement is a round trip to SQLite's worker thread).
    for chunk in lines.chunks(100) {
        let values = (0..chunk.len())
            .map(|i| {
                let b = 2 + i * 8;
                format!(
                    "($1, ${}, ${}, ${}, ${}, ${}, ${}, ${}, 0, ${})",
                    b,
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = sqlx::AssertSqlSafe(format!(
            "INSERT INTO order_line (order_id, line_no, sku, name, quantity, unit_price, discount, line_total,
                shipped_quantity, price_list_id) VALUES {values}"
        ));
        let mut rows = Vec::with_capacity(chunk.len());
        for l in chunk {
            rows.push((
                to_units4(l.quantity)?,
                units(&l.unit_price)?,
                units(&l.discount)?,
                units(&l.line_total)?,
            ));
        }
        tx_exec!(tx, {
            let mut q = sqlx::query(sql).bind(o.id);
            for (l, (qty, price, discount, total)) in chunk.iter().zip(&rows) {
                q = q
                    .bind(l.line_no)
                    .bind(&l.sku)
                    .bind(&l.name)
                    .bind(*qty)
                    .bind(*price)
                    .bind(*discount)
                    .bind(*total)
                    .bind(l.price_list_id);
            }
            q
        })?;
    }
    for chunk in reservations.chunks(100) {
        let values = (0..chunk.len())
            .map(|i| {
                let b = 2 + i * 4;
                format!("($1, ${}, ${}, ${}, ${})", b, b + 1, b + 2, b + 3)
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = sqlx::AssertSqlSafe(format!(
            "INSERT INTO stock_reservation (order_id, line_no, warehouse_code, sku, quantity) VALUES {values}"
        ));
        let mut qtys = Vec::with_capacity(chunk.len());
        for r in chunk {
            qtys.push(to_units4(r.quantity)?);
        }
        tx_exec!(tx, {
            let mut q = sqlx::query(sql).bind(o.id);
            for (r, qty) in chunk.iter().zip(&qtys) {
                q = q.bind(r.line_no).bind(&r.warehouse).bind(&r.sku).bind(*qty);
            }
            q
        })?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct OrderRow {
    order_id: Uuid,
    order_number: String,
    company_id: Uuid,
    placed_by: Uuid,
    on_behalf_of: Option<Uuid>,
    cart_id: Option<Uuid>,
    market_code: String,
    currency: String,
    status: String,
    payment_method: String,
    payment_status: String,
    po_number: Option<String>,
    note: Option<String>,
    requested_delivery_date: Option<String>,
    shipping_method: String,
    shipping_address: Json<PostalAddress>,
    billing_address: Json<PostalAddress>,
    subtotal: i64,
    discount_total: i64,
    shipping_total: i64,
    tax_total: i64,
    total: i64,
    credit_reserved: i64,
    details: Json<serde_json::Value>,
    placed_at: Timestamp,
    updated_at: Timestamp,
}

impl TryFrom<OrderRow> for Order {
    type Error = StoreError;
    fn try_from(r: OrderRow) -> Result<Self, StoreError> {
        let c = Currency::parse(&r.currency).map_err(|e| corrupt("sales_order", e))?;
        let m = |u| Money::from_storage_units(u, c);
        Ok(Order {
            id: r.order_id,
            number: r.order_number,
            company_id: CompanyId(r.company_id),
            placed_by: UserId(r.placed_by),
            on_behalf_of: r.on_behalf_of.map(UserId),
            cart_id: r.cart_id,
            market: r.market_code,
            currency: c,
            status: OrderStatus::parse(&r.status)
                .ok_or_else(|| corrupt("sales_order", &r.status))?,
            payment_method: PaymentMethod::parse(&r.payment_method)
                .ok_or_else(|| corrupt("sales_order", &r.payment_method))?,
            payment_status: PaymentStatus::parse(&r.payment_status)
                .ok_or_else(|| corrupt("sales_order", &r.payment_status))?,
            po_number: r.po_number,
            note: r.note,
            requested_delivery_date: r.requested_delivery_date,
            shipping_method: r.shipping_method,
            shipping_address: r.shipping_address.0,
            billing_address: r.billing_address.0,
            totals: OrderTotals {
                subtotal: m(r.subtotal),
                discount: m(r.discount_total),
                shipping: m(r.shipping_total),
                tax: m(r.tax_total),
                total: m(r.total),
            },
            credit_reserved: m(r.credit_reserved),
            details: r.details.0,
            placed_at: r.placed_at,
            updated_at: r.updated_at,
        })
    }
}

const ORDER: &str = "SELECT order_id, order_number, company_id, placed_by, on_behalf_of, cart_id, market_code, currency, status,
        payment_method, payment_status, po_number, note, requested_delivery_date, shipping_method, shipping_address,
        billing_address, subtotal, discount_total, shipping_total, tax_total, total, credit_reserved, details,
        placed_at, updated_at
   FROM sales_order";

/// Who is asking for orders: one company (its users), or the seller's
/// staff (every company).
#[derive(Clone, Copy, Debug)]
pub enum OrderReader<'a> {
    Company(&'a CompanyScope),
    Staff,
}

impl OrderReader<'_> {
    fn company(&self) -> Option<Uuid> {
        match self {
            OrderReader::Company(s) => Some(s.company_id().0),
            OrderReader::Staff => None,
        }
    }
}

/// One order, if the reader may see it.
pub async fn get(db: &Db, who: OrderReader<'_>, id: Uuid) -> Result<Option<Order>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{ORDER} WHERE order_id = $1 AND ($2 IS NULL OR company_id = $2)"
    ));
    let row: Option<OrderRow> = db_run!(db, |p| {
        sqlx::query_as(sql)
            .bind(id)
            .bind(who.company())
            .fetch_optional(p)
            .await
    })?;
    row.map(Order::try_from).transpose()
}

/// The same, inside a transaction that will change it.
pub async fn get_in(
    tx: &mut Tx,
    who: OrderReader<'_>,
    id: Uuid,
) -> Result<Option<Order>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{ORDER} WHERE order_id = $1 AND ($2 IS NULL OR company_id = $2)"
    ));
    let row: Option<OrderRow> = tx_run!(tx, |c| {
        sqlx::query_as(sql)
            .bind(id)
            .bind(who.company())
            .fetch_optional(&mut *c)
            .await
    })?;
    row.map(Order::try_from).transpose()
}

/// A filter over orders.
#[derive(Clone, Debug, Default)]
pub struct OrderFilter {
    pub status: Option<OrderStatus>,
    pub company: Option<CompanyId>,
    /// How the list is ordered.
    pub sort: OrderSort,
    /// Where the page starts when sorted by placement: after the order
    /// placed at this moment with this id (in the sort's direction).
    pub before: Option<(Timestamp, Uuid)>,
    /// Where the page starts when sorted by total: after the order with
    /// this total (stored units) and id.
    pub after_total: Option<(i64, Uuid)>,
    pub limit: i64,
}

/// The order of an order list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OrderSort {
    /// Newest first (the default everywhere).
    #[default]
    Newest,
    Oldest,
    /// The largest order totals first (amounts compared as stored, so a
    /// list spanning currencies mixes them; staff filter by market first).
    LargestTotal,
}

impl OrderSort {
    /// Every sort, in the order a picker shows them.
    pub const ALL: [OrderSort; 3] = [
        OrderSort::Newest,
        OrderSort::Oldest,
        OrderSort::LargestTotal,
    ];

    /// The stable code (`?sort=`).
    pub fn code(self) -> &'static str {
        match self {
            OrderSort::Newest => "newest",
            OrderSort::Oldest => "oldest",
            OrderSort::LargestTotal => "total",
        }
    }

    /// Parses a code (empty: the default).
    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "" => Some(OrderSort::Newest),
            c => Self::ALL.into_iter().find(|s| s.code() == c),
        }
    }
}

/// Orders the reader may see, in the filter's order.
pub async fn list(
    db: &Db,
    who: OrderReader<'_>,
    f: &OrderFilter,
) -> Result<Vec<Order>, StoreError> {
    let company = who.company().or(f.company.map(|c| c.0));
    let (position, order_by) = match f.sort {
        OrderSort::Newest => (
            "($3 IS NULL OR placed_at < $3 OR (placed_at = $3 AND order_id < $4))",
            "placed_at DESC, order_id DESC",
        ),
        OrderSort::Oldest => (
            "($3 IS NULL OR placed_at > $3 OR (placed_at = $3 AND order_id > $4))",
            "placed_at ASC, order_id ASC",
        ),
        OrderSort::LargestTotal => (
            "($3 IS NULL OR total < $3 OR (total = $3 AND order_id < $4))",
            "total DESC, order_id DESC",
        ),
    };
    let sql = sqlx::AssertSqlSafe(format!(
        "{ORDER} WHERE ($1 IS NULL OR company_id = $1) AND ($2 IS NULL OR status = $2)
            AND {position} ORDER BY {order_by} LIMIT $5"
    ));
    let status = f.status.map(|s| s.as_str());
    let rows: Vec<OrderRow> = match f.sort {
        OrderSort::Newest | OrderSort::Oldest => {
            let (at, id) = f.before.map_or((None, None), |(t, i)| (Some(t), Some(i)));
            db_run!(db, |p| {
                sqlx::query_as(sql)
                    .bind(company)
                    .bind(status)
                    .bind(at)
                    .bind(id)
                    .bind(f.limit)
                    .fetch_all(p)
                    .await
            })?
        }
        OrderSort::LargestTotal => {
            let (total, id) = f
                .after_total
                .map_or((None, None), |(t, i)| (Some(t), Some(i)));
            db_run!(db, |p| {
                sqlx::query_as(sql)
                    .bind(company)
                    .bind(status)
                    .bind(total)
                    .bind(id)
                    .bind(f.limit)
                    .fetch_all(p)
                    .await
            })?
        }
    };
    rows.into_iter().map(Order::try_from).collect()
}

#[derive(sqlx::FromRow)]
struct LineRow {
    line_no: i32,
    sku: String,
    name: String,
    quantity: i64,
    unit_price: i64,
    discount: i64,
    line_total: i64,
    shipped_quantity: i64,
    price_list_id: Option<Uuid>,
}

/// An order's lines.
pub async fn lines(db: &Db, order: &Order) -> Result<Vec<OrderLine>, StoreError> {
    let rows: Vec<LineRow> = db_run!(db, |p| {
        sqlx::query_as(
            "SELECT line_no, sku, name, quantity, unit_price, discount, line_total, shipped_quantity, price_list_id
               FROM order_line WHERE order_id = $1 ORDER BY line_no",
        )
        .bind(order.id)
        .fetch_all(p)
        .await
    })?;
    let c = order.currency;
    Ok(rows
        .into_iter()
        .map(|r| OrderLine {
            line_no: r.line_no,
            sku: r.sku,
            name: r.name,
            quantity: from_units4(r.quantity),
            unit_price: Money::from_storage_units(r.unit_price, c),
            discount: Money::from_storage_units(r.discount, c),
            line_total: Money::from_storage_units(r.line_total, c),
            shipped_quantity: from_units4(r.shipped_quantity),
            price_list_id: r.price_list_id,
        })
        .collect())
}

/// An order's stock still reserved, per line and warehouse.
pub async fn reservations_in(tx: &mut Tx, order: Uuid) -> Result<Vec<Reservation>, StoreError> {
    let rows: Vec<(i32, String, String, i64)> = tx_run!(tx, |c| {
        sqlx::query_as(
            "SELECT line_no, warehouse_code, sku, quantity FROM stock_reservation WHERE order_id = $1
              ORDER BY line_no, warehouse_code",
        )
        .bind(order)
        .fetch_all(&mut *c)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(line_no, warehouse, sku, q)| Reservation {
            line_no,
            warehouse,
            sku,
            quantity: from_units4(q),
        })
        .collect())
}

/// Sets what is still reserved of a line in a warehouse.
pub async fn set_reserved(
    tx: &mut Tx,
    order: Uuid,
    line_no: i32,
    warehouse: &str,
    quantity: Decimal,
) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query(
            "UPDATE stock_reservation SET quantity = $4 WHERE order_id = $1 AND line_no = $2 AND warehouse_code = $3"
        )
        .bind(order)
        .bind(line_no)
        .bind(warehouse)
        .bind(to_units4(quantity)?)
    )?;
    Ok(())
}

/// Adds to a line's shipped quantity.
pub async fn add_shipped(
    tx: &mut Tx,
    order: Uuid,
    line_no: i32,
    quantity: Decimal,
) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query(
            "UPDATE order_line SET shipped_quantity = shipped_quantity + $3 WHERE order_id = $1 AND line_no = $2"
        )
        .bind(order)
        .bind(line_no)
        .bind(to_units4(quantity)?)
    )?;
    Ok(())
}

/// Moves an order to `to` if it is still in `from` (a concurrent change
/// makes this return `false`), with its payment status and remaining
/// credit reservation.
#[allow(clippy::too_many_arguments)]
pub async fn set_status(
    tx: &mut Tx,
    order: Uuid,
    from: OrderStatus,
    to: OrderStatus,
    payment: PaymentStatus,
    credit_reserved: &Money,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let n = tx_exec!(
        tx,
        sqlx::query(
            "UPDATE sales_order SET status = $3, payment_status = $4, credit_reserved = $5, updated_at = $6
              WHERE order_id = $1 AND status = $2"
        )
        .bind(order)
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(payment.as_str())
        .bind(units(credit_reserved)?)
        .bind(now)
    )?;
    Ok(n == 1)
}

/// One entry of an order's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderEvent {
    pub action: String,
    pub from: Option<String>,
    pub to: String,
    pub actor: Option<UserId>,
    pub on_behalf_of: Option<UserId>,
    pub note: Option<String>,
    pub at: Timestamp,
}

/// Appends to an order's history.
pub async fn add_event(tx: &mut Tx, order: Uuid, e: &OrderEvent) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query(
            "INSERT INTO order_event (order_id, seq, action, from_status, to_status, actor_id, on_behalf_of, note, at)
             VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM order_event WHERE order_id = $1),
                     $2, $3, $4, $5, $6, $7, $8)"
        )
        .bind(order)
        .bind(&e.action)
        .bind(e.from.as_deref())
        .bind(&e.to)
        .bind(e.actor.map(|u| u.0))
        .bind(e.on_behalf_of.map(|u| u.0))
        .bind(e.note.as_deref())
        .bind(e.at)
    )?;
    Ok(())
}

/// An order's history, oldest first.
pub async fn events(db: &Db, order: Uuid) -> Result<Vec<OrderEvent>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        action: String,
        from_status: Option<String>,
        to_status: String,
        actor_id: Option<Uuid>,
        on_behalf_of: Option<Uuid>,
        note: Option<String>,
        at: Timestamp,
    }
    let rows: Vec<Row> = db_run!(db, |p| {
        sqlx::query_as(
            "SELECT action, from_status, to_status, actor_id, on_behalf_of, note, at FROM order_event
              WHERE order_id = $1 ORDER BY seq",
        )
        .bind(order)
        .fetch_all(p)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| OrderEvent {
            action: r.action,
            from: r.from_status,
            to: r.to_status,
            actor: r.actor_id.map(UserId),
            on_behalf_of: r.on_behalf_of.map(UserId),
            note: r.note,
            at: r.at,
        })
        .collect())
}

// -------------------------------------------------------------- shipments

/// A parcel or freight leaving for the buyer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shipment {
    pub id: Uuid,
    pub number: String,
    pub carrier: String,
    pub tracking_number: Option<String>,
    pub tracking_url: Option<String>,
    pub shipped_at: Timestamp,
    pub delivered_at: Option<Timestamp>,
    /// `(line_no, quantity)`.
    pub lines: Vec<(i32, Decimal)>,
}

/// Records a shipment of an order.
pub async fn insert_shipment(tx: &mut Tx, order: Uuid, s: &Shipment) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query(
            "INSERT INTO shipment (shipment_id, order_id, shipment_number, carrier, tracking_number, tracking_url,
                                   shipped_at, delivered_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)"
        )
        .bind(s.id)
        .bind(order)
        .bind(&s.number)
        .bind(&s.carrier)
        .bind(s.tracking_number.as_deref())
        .bind(s.tracking_url.as_deref())
        .bind(s.shipped_at)
    )?;
    for (line_no, q) in &s.lines {
        tx_exec!(
            tx,
            sqlx::query(
                "INSERT INTO shipment_line (shipment_id, line_no, quantity) VALUES ($1, $2, $3)"
            )
            .bind(s.id)
            .bind(*line_no)
            .bind(to_units4(*q)?)
        )?;
    }
    Ok(())
}

/// Marks every shipment of the order delivered.
pub async fn deliver_shipments(tx: &mut Tx, order: Uuid, now: Timestamp) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query(
            "UPDATE shipment SET delivered_at = $2 WHERE order_id = $1 AND delivered_at IS NULL"
        )
        .bind(order)
        .bind(now)
    )?;
    Ok(())
}

/// An order's shipments, oldest first.
pub async fn shipments(db: &Db, order: Uuid) -> Result<Vec<Shipment>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        shipment_id: Uuid,
        shipment_number: String,
        carrier: String,
        tracking_number: Option<String>,
        tracking_url: Option<String>,
        shipped_at: Timestamp,
        delivered_at: Option<Timestamp>,
    }
    let rows: Vec<Row> = db_run!(db, |p| {
        sqlx::query_as(
            "SELECT shipment_id, shipment_number, carrier, tracking_number, tracking_url, shipped_at, delivered_at
               FROM shipment WHERE order_id = $1 ORDER BY shipped_at, shipment_number",
        )
        .bind(order)
        .fetch_all(p)
        .await
    })?;
    let lines: Vec<(Uuid, i32, i64)> = db_run!(db, |p| {
        sqlx::query_as(
            "SELECT l.shipment_id, l.line_no, l.quantity FROM shipment_line l
               JOIN shipment s ON s.shipment_id = l.shipment_id
              WHERE s.order_id = $1 ORDER BY l.line_no",
        )
        .bind(order)
        .fetch_all(p)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| Shipment {
            lines: lines
                .iter()
                .filter(|l| l.0 == r.shipment_id)
                .map(|l| (l.1, from_units4(l.2)))
                .collect(),
            id: r.shipment_id,
            number: r.shipment_number,
            carrier: r.carrier,
            tracking_number: r.tracking_number,
            tracking_url: r.tracking_url,
            shipped_at: r.shipped_at,
            delivered_at: r.delivered_at,
        })
        .collect())
}

// --------------------------------------------------------------- payments

/// A payment attempt or obligation for an order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payment {
    pub id: Uuid,
    pub order_id: Uuid,
    pub method: PaymentMethod,
    pub status: PaymentStatus,
    pub amount: Money,
    /// The provider that holds it (`test` for the built-in card gateway).
    pub gateway: Option<String>,
    pub gateway_ref: Option<String>,
    /// What the buyer quotes on a bank transfer.
    pub reference: Option<String>,
}

/// Records a payment.
pub async fn insert_payment(tx: &mut Tx, p: &Payment, now: Timestamp) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query(
            "INSERT INTO payment (payment_id, order_id, method, status, amount, currency, gateway, gateway_ref,
                                  reference, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)"
        )
        .bind(p.id)
        .bind(p.order_id)
        .bind(p.method.as_str())
        .bind(p.status.as_str())
        .bind(units(&p.amount)?)
        .bind(p.amount.currency().code())
        .bind(p.gateway.as_deref())
        .bind(p.gateway_ref.as_deref())
        .bind(p.reference.as_deref())
        .bind(now)
    )?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct PaymentRow {
    payment_id: Uuid,
    order_id: Uuid,
    method: String,
    status: String,
    amount: i64,
    currency: String,
    gateway: Option<String>,
    gateway_ref: Option<String>,
    reference: Option<String>,
}

impl TryFrom<PaymentRow> for Payment {
    type Error = StoreError;
    fn try_from(r: PaymentRow) -> Result<Self, StoreError> {
        let c = Currency::parse(&r.currency).map_err(|e| corrupt("payment", e))?;
        Ok(Payment {
            id: r.payment_id,
            order_id: r.order_id,
            method: PaymentMethod::parse(&r.method).ok_or_else(|| corrupt("payment", &r.method))?,
            status: PaymentStatus::parse(&r.status).ok_or_else(|| corrupt("payment", &r.status))?,
            amount: Money::from_storage_units(r.amount, c),
            gateway: r.gateway,
            gateway_ref: r.gateway_ref,
            reference: r.reference,
        })
    }
}

const PAYMENT: &str =
    "SELECT payment_id, order_id, method, status, amount, currency, gateway, gateway_ref, reference
   FROM payment";

/// An order's payments, oldest first.
pub async fn payments(db: &Db, order: Uuid) -> Result<Vec<Payment>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{PAYMENT} WHERE order_id = $1 ORDER BY created_at, payment_id"
    ));
    let rows: Vec<PaymentRow> =
        db_run!(db, |p| sqlx::query_as(sql).bind(order).fetch_all(p).await)?;
    rows.into_iter().map(Payment::try_from).collect()
}

/// The payment a provider knows by `gateway_ref`.
pub async fn payment_by_ref_in(
    tx: &mut Tx,
    gateway: &str,
    gateway_ref: &str,
) -> Result<Option<Payment>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("{PAYMENT} WHERE gateway = $1 AND gateway_ref = $2"));
    let row: Option<PaymentRow> = tx_run!(tx, |c| {
        sqlx::query_as(sql)
            .bind(gateway)
            .bind(gateway_ref)
            .fetch_optional(&mut *c)
            .await
    })?;
    row.map(Payment::try_from).transpose()
}

/// Sets a payment's status, and the order's payment status with it.
pub async fn set_payment_status(
    tx: &mut Tx,
    payment: &Payment,
    status: PaymentStatus,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query("UPDATE payment SET status = $2, updated_at = $3 WHERE payment_id = $1")
            .bind(payment.id)
            .bind(status.as_str())
            .bind(now)
    )?;
    tx_exec!(
        tx,
        sqlx::query(
            "UPDATE sales_order SET payment_status = $2, updated_at = $3 WHERE order_id = $1"
        )
        .bind(payment.order_id)
        .bind(status.as_str())
        .bind(now)
    )?;
    Ok(())
}

// ------------------------------------------------------------ idempotency

/// The order an earlier request with the same key created, and a hash of
/// that request (a different body under the same key is an error).
pub async fn idempotent_result(
    db: &Db,
    owner: &str,
    key: &str,
) -> Result<Option<(String, Uuid)>, StoreError> {
    Ok(db_run!(db, |p| {
        sqlx::query_as(
            "SELECT request_hash, resource_id FROM idempotency_key WHERE owner = $1 AND idem_key = $2",
        )
        .bind(owner)
        .bind(key)
        .fetch_optional(p)
        .await
    })?)
}

/// Claims a key for the resource being created in this transaction; a
/// concurrent request with the same key fails on the primary key.
pub async fn claim_key(
    tx: &mut Tx,
    owner: &str,
    key: &str,
    request_hash: &str,
    resource: Uuid,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx_exec!(
        tx,
        sqlx::query(
            "INSERT INTO idempotency_key (owner, idem_key, request_hash, resource_id, created_at)
             VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(owner)
        .bind(key)
        .bind(request_hash)
        .bind(resource)
        .bind(now)
    )?;
    Ok(())
}

/// Whether the company has placed any order (first-order promotions).
pub async fn has_orders(db: &Db, company: CompanyId) -> Result<bool, StoreError> {
    Ok(db_run!(db, |p| {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM sales_order WHERE company_id = $1)")
            .bind(company.0)
            .fetch_one(p)
            .await
    })?)
}

/// A SKU a company orders again and again.
#[derive(Clone, Debug, PartialEq)]
pub struct FrequentSku {
    pub sku: String,
    /// The name on its latest order line.
    pub name: String,
    /// Orders it was on.
    pub orders: i64,
    /// Quantity over those orders.
    pub quantity: Decimal,
    pub last_ordered: Timestamp,
}

/// What `company` orders most: by the number of its orders with the SKU,
/// then by quantity; cancelled orders do not count.
pub async fn frequently_bought(
    db: &Db,
    company: CompanyId,
    limit: i64,
) -> Result<Vec<FrequentSku>, StoreError> {
    let rows: Vec<(String, String, i64, i64, Timestamp)> = db_run!(db, |p| {
        sqlx::query_as(
        "SELECT l.sku, MAX(l.name), COUNT(DISTINCT o.order_id), CAST(SUM(l.quantity) AS BIGINT), MAX(o.placed_at)
           FROM sales_order o JOIN order_line l ON l.order_id = o.order_id
          WHERE o.company_id = $1 AND o.status <> 'cancelled'
          GROUP BY l.sku
          ORDER BY 3 DESC, 4 DESC, l.sku
          LIMIT $2"
    )
    .bind(company.0)
    .bind(limit)
    .fetch_all(p)
    .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(sku, name, orders, quantity, last_ordered)| FrequentSku {
            sku,
            name,
            orders,
            quantity: from_units4(quantity),
            last_ordered,
        })
        .collect())
}

/// The products ordered by the most orders in `market` since `since`
/// (cancelled orders do not count), by slug: the storefront's "popular"
/// list. Only active products.
pub async fn popular_products(
    db: &Db,
    market: &str,
    since: Timestamp,
    limit: i64,
) -> Result<Vec<String>, StoreError> {
    let rows: Vec<(String, i64)> = db_run!(db, |p| {
        sqlx::query_as(
        "SELECT p.slug, COUNT(DISTINCT o.order_id)
           FROM sales_order o
           JOIN order_line l ON l.order_id = o.order_id
           JOIN variant v ON v.sku = l.sku
           JOIN product p ON p.product_id = v.product_id
          WHERE o.market_code = $1 AND o.placed_at > $2 AND o.status <> 'cancelled' AND p.status = 'active'
          GROUP BY p.slug
          ORDER BY 2 DESC, p.slug
          LIMIT $3"
    )
    .bind(market)
    .bind(since)
    .bind(limit)
    .fetch_all(p)
    .await
    })?;
    Ok(rows.into_iter().map(|(slug, _)| slug).collect())
}
