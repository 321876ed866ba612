-- Stock, carts, orders, payments (SQLite), kept in step with
-- ../postgres/0008_orders.sql. Quantities and money are integers in units of
-- 10⁻⁴ (core::Money storage units); money columns sit beside a currency.
-- Stock and credit change only by conditional updates inside the order
-- transaction (`… WHERE on_hand - reserved >= $1`), so nothing oversells.

CREATE TABLE warehouse (
    warehouse_code TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    is_default     INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL
) STRICT;
INSERT INTO warehouse (warehouse_code, name, is_default, created_at)
VALUES ('main', 'Main warehouse', 1, '2026-01-01T00:00:00.000000Z');

CREATE TABLE stock_level (
    sku            TEXT NOT NULL,
    warehouse_code TEXT NOT NULL REFERENCES warehouse (warehouse_code),
    on_hand        INTEGER NOT NULL,
    reserved       INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    source         TEXT NOT NULL CHECK (source IN ('staff', 'api', 'import', 'order')),
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (sku, warehouse_code)
) STRICT;

-- A company's credit line: orders on account or PO draw on it until paid.
CREATE TABLE credit_line (
    company_id     BLOB PRIMARY KEY REFERENCES company (company_id) ON DELETE CASCADE,
    currency       TEXT NOT NULL,
    credit_limit   INTEGER NOT NULL CHECK (credit_limit >= 0),
    balance        INTEGER NOT NULL DEFAULT 0 CHECK (balance >= 0),  -- open orders and unpaid invoices
    payment_terms_days INTEGER NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;

CREATE TABLE shipping_method (
    code           TEXT PRIMARY KEY,
    name           TEXT NOT NULL,                  -- JSON LocalizedText
    market_code    TEXT REFERENCES market (market_code) ON DELETE CASCADE,
    currency       TEXT NOT NULL,
    terms          TEXT NOT NULL,                  -- JSON core::shipping::ShippingTerms
    active         INTEGER NOT NULL,
    position       INTEGER NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;

CREATE TABLE cart (
    cart_id        BLOB PRIMARY KEY,
    company_id     BLOB NOT NULL REFERENCES company (company_id) ON DELETE CASCADE,
    user_id        BLOB NOT NULL REFERENCES app_user (user_id) ON DELETE CASCADE,
    name           TEXT,                           -- NULL: the buyer's active cart
    status         TEXT NOT NULL CHECK (status IN ('open', 'ordered')),
    coupons        TEXT NOT NULL DEFAULT '[]',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX cart_one_active ON cart (user_id) WHERE name IS NULL AND status = 'open';
CREATE INDEX cart_by_company ON cart (company_id, user_id);

CREATE TABLE cart_line (
    cart_line_id   BLOB PRIMARY KEY,
    cart_id        BLOB NOT NULL REFERENCES cart (cart_id) ON DELETE CASCADE,
    sku            TEXT NOT NULL,
    quantity       INTEGER NOT NULL CHECK (quantity > 0),
    seen_unit_price INTEGER,                       -- last price shown, to flag changes
    position       INTEGER NOT NULL,
    added_at       TEXT NOT NULL,
    UNIQUE (cart_id, sku)
) STRICT;

CREATE TABLE sales_order (
    order_id       BLOB PRIMARY KEY,
    order_number   TEXT NOT NULL UNIQUE,
    company_id     BLOB NOT NULL REFERENCES company (company_id),
    placed_by      BLOB NOT NULL REFERENCES app_user (user_id),
    on_behalf_of   BLOB REFERENCES app_user (user_id),
    cart_id        BLOB,
    market_code    TEXT NOT NULL,
    currency       TEXT NOT NULL,
    status         TEXT NOT NULL,
    payment_method TEXT NOT NULL,
    payment_status TEXT NOT NULL,
    po_number      TEXT,
    note           TEXT,
    requested_delivery_date TEXT,
    shipping_method TEXT NOT NULL,
    shipping_address TEXT NOT NULL,                -- JSON PostalAddress
    billing_address TEXT NOT NULL,
    subtotal       INTEGER NOT NULL,
    discount_total INTEGER NOT NULL,
    shipping_total INTEGER NOT NULL,
    tax_total      INTEGER NOT NULL,
    total          INTEGER NOT NULL,
    credit_reserved INTEGER NOT NULL DEFAULT 0,
    details        TEXT NOT NULL,                  -- JSON: tax breakdown, promotions applied
    placed_at      TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX sales_order_by_company ON sales_order (company_id, placed_at);
CREATE INDEX sales_order_by_status ON sales_order (status, placed_at);

CREATE TABLE order_line (
    order_id       BLOB NOT NULL REFERENCES sales_order (order_id) ON DELETE CASCADE,
    line_no        INTEGER NOT NULL,
    sku            TEXT NOT NULL,
    name           TEXT NOT NULL,
    quantity       INTEGER NOT NULL,
    unit_price     INTEGER NOT NULL,
    discount       INTEGER NOT NULL,
    line_total     INTEGER NOT NULL,               -- after discount
    shipped_quantity INTEGER NOT NULL DEFAULT 0,
    price_list_id  BLOB,
    PRIMARY KEY (order_id, line_no)
) STRICT;
CREATE INDEX order_line_by_sku ON order_line (sku);

CREATE TABLE stock_reservation (
    order_id       BLOB NOT NULL REFERENCES sales_order (order_id) ON DELETE CASCADE,
    line_no        INTEGER NOT NULL,
    warehouse_code TEXT NOT NULL REFERENCES warehouse (warehouse_code),
    sku            TEXT NOT NULL,
    quantity       INTEGER NOT NULL CHECK (quantity >= 0),  -- still reserved (not shipped)
    PRIMARY KEY (order_id, line_no, warehouse_code)
) STRICT;

CREATE TABLE order_event (
    order_id       BLOB NOT NULL REFERENCES sales_order (order_id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    action         TEXT NOT NULL,
    from_status    TEXT,
    to_status      TEXT NOT NULL,
    actor_id       BLOB,
    on_behalf_of   BLOB,
    note           TEXT,
    at             TEXT NOT NULL,
    PRIMARY KEY (order_id, seq)
) STRICT;

CREATE TABLE shipment (
    shipment_id    BLOB PRIMARY KEY,
    order_id       BLOB NOT NULL REFERENCES sales_order (order_id) ON DELETE CASCADE,
    shipment_number TEXT NOT NULL UNIQUE,
    carrier        TEXT NOT NULL,
    tracking_number TEXT,
    tracking_url   TEXT,
    shipped_at     TEXT NOT NULL,
    delivered_at   TEXT
) STRICT;
CREATE INDEX shipment_by_order ON shipment (order_id);

CREATE TABLE shipment_line (
    shipment_id    BLOB NOT NULL REFERENCES shipment (shipment_id) ON DELETE CASCADE,
    line_no        INTEGER NOT NULL,
    quantity       INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (shipment_id, line_no)
) STRICT;

CREATE TABLE payment (
    payment_id     BLOB PRIMARY KEY,
    order_id       BLOB NOT NULL REFERENCES sales_order (order_id) ON DELETE CASCADE,
    method         TEXT NOT NULL,
    status         TEXT NOT NULL,
    amount         INTEGER NOT NULL,
    currency       TEXT NOT NULL,
    gateway        TEXT,
    gateway_ref    TEXT,
    reference      TEXT,                           -- bank-transfer reference the buyer quotes
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX payment_by_order ON payment (order_id);
CREATE UNIQUE INDEX payment_by_gateway_ref ON payment (gateway, gateway_ref);

-- A POST that creates something, keyed by its caller and Idempotency-Key.
CREATE TABLE idempotency_key (
    owner          TEXT NOT NULL,
    idem_key       TEXT NOT NULL,
    request_hash   TEXT NOT NULL,
    resource_id    BLOB NOT NULL,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (owner, idem_key)
) STRICT;
