-- Stock, carts, orders, payments (PostgreSQL), kept in step with
-- ../sqlite/0008_orders.sql. Quantities and money are integers in units of
-- 10⁻⁴ (core::Money storage units); money columns sit beside a currency.
-- Stock and credit change only by conditional updates inside the order
-- transaction (`… WHERE on_hand - reserved >= $1`), so nothing oversells.

CREATE TABLE warehouse (
    warehouse_code TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    is_default     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     TIMESTAMPTZ NOT NULL
);
INSERT INTO warehouse (warehouse_code, name, is_default, created_at)
VALUES ('main', 'Main warehouse', TRUE, '2026-01-01T00:00:00Z');

CREATE TABLE stock_level (
    sku            TEXT NOT NULL,
    warehouse_code TEXT NOT NULL REFERENCES warehouse (warehouse_code),
    on_hand        BIGINT NOT NULL,
    reserved       BIGINT NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    source         TEXT NOT NULL CHECK (source IN ('staff', 'api', 'import', 'order')),
    updated_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (sku, warehouse_code)
);

-- A company's credit line: orders on account or PO draw on it until paid.
CREATE TABLE credit_line (
    company_id     UUID PRIMARY KEY REFERENCES company (company_id) ON DELETE CASCADE,
    currency       TEXT NOT NULL,
    credit_limit   BIGINT NOT NULL CHECK (credit_limit >= 0),
    balance        BIGINT NOT NULL DEFAULT 0 CHECK (balance >= 0),  -- open orders and unpaid invoices
    payment_terms_days INTEGER NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE shipping_method (
    code           TEXT PRIMARY KEY,
    name           JSONB NOT NULL,                 -- LocalizedText
    market_code    TEXT REFERENCES market (market_code) ON DELETE CASCADE,
    currency       TEXT NOT NULL,
    terms          JSONB NOT NULL,                  -- JSON core::shipping::ShippingTerms
    active         BOOLEAN NOT NULL,
    position       INTEGER NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE cart (
    cart_id        UUID PRIMARY KEY,
    company_id     UUID NOT NULL REFERENCES company (company_id) ON DELETE CASCADE,
    user_id        UUID NOT NULL REFERENCES app_user (user_id) ON DELETE CASCADE,
    name           TEXT,                           -- NULL: the buyer's active cart
    status         TEXT NOT NULL CHECK (status IN ('open', 'ordered')),
    coupons        JSONB NOT NULL DEFAULT '[]',
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX cart_one_active ON cart (user_id) WHERE name IS NULL AND status = 'open';
CREATE INDEX cart_by_company ON cart (company_id, user_id);

CREATE TABLE cart_line (
    cart_line_id   UUID PRIMARY KEY,
    cart_id        UUID NOT NULL REFERENCES cart (cart_id) ON DELETE CASCADE,
    sku            TEXT NOT NULL,
    quantity       BIGINT NOT NULL CHECK (quantity > 0),
    seen_unit_price BIGINT,                       -- last price shown, to flag changes
    position       INTEGER NOT NULL,
    added_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (cart_id, sku)
);

CREATE TABLE sales_order (
    order_id       UUID PRIMARY KEY,
    order_number   TEXT NOT NULL UNIQUE,
    company_id     UUID NOT NULL REFERENCES company (company_id),
    placed_by      UUID NOT NULL REFERENCES app_user (user_id),
    on_behalf_of   UUID REFERENCES app_user (user_id),
    cart_id        UUID,
    market_code    TEXT NOT NULL,
    currency       TEXT NOT NULL,
    status         TEXT NOT NULL,
    payment_method TEXT NOT NULL,
    payment_status TEXT NOT NULL,
    po_number      TEXT,
    note           TEXT,
    requested_delivery_date TEXT,
    shipping_method TEXT NOT NULL,
    shipping_address JSONB NOT NULL,               -- PostalAddress
    billing_address JSONB NOT NULL,
    subtotal       BIGINT NOT NULL,
    discount_total BIGINT NOT NULL,
    shipping_total BIGINT NOT NULL,
    tax_total      BIGINT NOT NULL,
    total          BIGINT NOT NULL,
    credit_reserved BIGINT NOT NULL DEFAULT 0,
    details        JSONB NOT NULL,                 -- tax breakdown, promotions applied
    placed_at      TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX sales_order_by_company ON sales_order (company_id, placed_at);
CREATE INDEX sales_order_by_status ON sales_order (status, placed_at);

CREATE TABLE order_line (
    order_id       UUID NOT NULL REFERENCES sales_order (order_id) ON DELETE CASCADE,
    line_no        INTEGER NOT NULL,
    sku            TEXT NOT NULL,
    name           TEXT NOT NULL,
    quantity       BIGINT NOT NULL,
    unit_price     BIGINT NOT NULL,
    discount       BIGINT NOT NULL,
    line_total     BIGINT NOT NULL,               -- after discount
    shipped_quantity BIGINT NOT NULL DEFAULT 0,
    price_list_id  UUID,
    PRIMARY KEY (order_id, line_no)
);
CREATE INDEX order_line_by_sku ON order_line (sku);

CREATE TABLE stock_reservation (
    order_id       UUID NOT NULL REFERENCES sales_order (order_id) ON DELETE CASCADE,
    line_no        INTEGER NOT NULL,
    warehouse_code TEXT NOT NULL REFERENCES warehouse (warehouse_code),
    sku            TEXT NOT NULL,
    quantity       BIGINT NOT NULL CHECK (quantity >= 0),  -- still reserved (not shipped)
    PRIMARY KEY (order_id, line_no, warehouse_code)
);

CREATE TABLE order_event (
    order_id       UUID NOT NULL REFERENCES sales_order (order_id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    action         TEXT NOT NULL,
    from_status    TEXT,
    to_status      TEXT NOT NULL,
    actor_id       UUID,
    on_behalf_of   UUID,
    note           TEXT,
    at             TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (order_id, seq)
);

CREATE TABLE shipment (
    shipment_id    UUID PRIMARY KEY,
    order_id       UUID NOT NULL REFERENCES sales_order (order_id) ON DELETE CASCADE,
    shipment_number TEXT NOT NULL UNIQUE,
    carrier        TEXT NOT NULL,
    tracking_number TEXT,
    tracking_url   TEXT,
    shipped_at     TIMESTAMPTZ NOT NULL,
    delivered_at   TIMESTAMPTZ
);
CREATE INDEX shipment_by_order ON shipment (order_id);

CREATE TABLE shipment_line (
    shipment_id    UUID NOT NULL REFERENCES shipment (shipment_id) ON DELETE CASCADE,
    line_no        INTEGER NOT NULL,
    quantity       BIGINT NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (shipment_id, line_no)
);

CREATE TABLE payment (
    payment_id     UUID PRIMARY KEY,
    order_id       UUID NOT NULL REFERENCES sales_order (order_id) ON DELETE CASCADE,
    method         TEXT NOT NULL,
    status         TEXT NOT NULL,
    amount         BIGINT NOT NULL,
    currency       TEXT NOT NULL,
    gateway        TEXT,
    gateway_ref    TEXT,
    reference      TEXT,                           -- bank-transfer reference the buyer quotes
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX payment_by_order ON payment (order_id);
CREATE UNIQUE INDEX payment_by_gateway_ref ON payment (gateway, gateway_ref);

-- A POST that creates something, keyed by its caller and Idempotency-Key.
CREATE TABLE idempotency_key (
    owner          TEXT NOT NULL,
    idem_key       TEXT NOT NULL,
    request_hash   TEXT NOT NULL,
    resource_id    UUID NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (owner, idem_key)
);
