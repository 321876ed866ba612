-- Price lists (PostgreSQL), kept in step with ../sqlite/0006_pricing.sql.
CREATE TABLE price_list (
    price_list_id  UUID PRIMARY KEY,
    name           TEXT NOT NULL,
    currency       TEXT NOT NULL,
    market_code    TEXT REFERENCES market (market_code),
    audience       TEXT NOT NULL CHECK (audience IN ('everyone', 'group', 'tier', 'company')),
    audience_value TEXT,
    priority       INTEGER NOT NULL,
    valid_from     TIMESTAMPTZ,
    valid_to       TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX price_list_by_audience ON price_list (audience, audience_value);

CREATE TABLE price_list_entry (
    price_list_id  UUID NOT NULL REFERENCES price_list (price_list_id) ON DELETE CASCADE,
    sku            TEXT NOT NULL,
    tiers          JSONB NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (price_list_id, sku)
);
CREATE INDEX price_list_entry_by_sku ON price_list_entry (sku);

ALTER TABLE company ADD COLUMN best_of_prices BOOLEAN NOT NULL DEFAULT FALSE;
