-- Price lists (SQLite), kept in step with ../postgres/0006_pricing.sql.
-- Prices are resolved per request from the candidate lists of a SKU
-- (core::pricing::resolve); nothing is precomputed per company × SKU.
CREATE TABLE price_list (
    price_list_id  BLOB PRIMARY KEY,
    name           TEXT NOT NULL,
    currency       TEXT NOT NULL,
    market_code    TEXT REFERENCES market (market_code),
    audience       TEXT NOT NULL CHECK (audience IN ('everyone', 'group', 'tier', 'company')),
    audience_value TEXT,                           -- group or tier code, company id; NULL for everyone
    priority       INTEGER NOT NULL,
    valid_from     TEXT,
    valid_to       TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX price_list_by_audience ON price_list (audience, audience_value);

CREATE TABLE price_list_entry (
    price_list_id  BLOB NOT NULL REFERENCES price_list (price_list_id) ON DELETE CASCADE,
    sku            TEXT NOT NULL,
    tiers          TEXT NOT NULL,                  -- JSON [{"min_quantity": "1", "unit_price": "9.80"}]
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (price_list_id, sku)
) STRICT;
CREATE INDEX price_list_entry_by_sku ON price_list_entry (sku);

-- A company may take the lowest applicable price instead of the most specific.
ALTER TABLE company ADD COLUMN best_of_prices INTEGER NOT NULL DEFAULT 0;
