-- Promotions (SQLite), kept in step with ../postgres/0009_promotions.sql.
-- A promotion's rule (conditions and action) is JSON in the shapes of
-- core::promotion; its amounts are decimal strings in the promotion's
-- currency, and only carts in that currency (and market, when one is set)
-- see it. What applies to a cart is core::promotion::apply.
CREATE TABLE promotion (
    promotion_id      BLOB PRIMARY KEY,
    name              TEXT NOT NULL,
    currency          TEXT NOT NULL,
    market_code       TEXT REFERENCES market (market_code),  -- NULL: every market of the currency
    priority          INTEGER NOT NULL,
    stacking          TEXT NOT NULL CHECK (stacking IN ('stackable', 'exclusive')),
    -- Stored upper-cased, so the unique index makes codes unique case-insensitively.
    coupon_code       TEXT CHECK (coupon_code = upper(coupon_code)),
    valid_from        TEXT,
    valid_to          TEXT,
    usage_limit       INTEGER CHECK (usage_limit > 0),
    per_company_limit INTEGER CHECK (per_company_limit > 0),
    conditions        TEXT NOT NULL,                -- JSON [core::promotion::Condition]
    action            TEXT NOT NULL,                -- JSON core::promotion::Action
    active            INTEGER NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX promotion_coupon_code ON promotion (coupon_code);
CREATE INDEX promotion_by_currency ON promotion (currency, active);

-- One row per order that used a promotion: the usage limits count these.
-- A used promotion cannot be deleted (deactivate it instead).
CREATE TABLE promotion_usage (
    promotion_id      BLOB NOT NULL REFERENCES promotion (promotion_id),
    order_id          BLOB NOT NULL REFERENCES sales_order (order_id) ON DELETE CASCADE,
    company_id        BLOB NOT NULL REFERENCES company (company_id),
    used_at           TEXT NOT NULL,
    PRIMARY KEY (promotion_id, order_id)
) STRICT;
CREATE INDEX promotion_usage_by_company ON promotion_usage (promotion_id, company_id);
