-- Promotions (PostgreSQL), kept in step with ../sqlite/0009_promotions.sql.
CREATE TABLE promotion (
    promotion_id      UUID PRIMARY KEY,
    name              TEXT NOT NULL,
    currency          TEXT NOT NULL,
    market_code       TEXT REFERENCES market (market_code),
    priority          INTEGER NOT NULL,
    stacking          TEXT NOT NULL CHECK (stacking IN ('stackable', 'exclusive')),
    coupon_code       TEXT CHECK (coupon_code = upper(coupon_code)),
    valid_from        TIMESTAMPTZ,
    valid_to          TIMESTAMPTZ,
    usage_limit       BIGINT CHECK (usage_limit > 0),
    per_company_limit BIGINT CHECK (per_company_limit > 0),
    conditions        JSONB NOT NULL,
    action            JSONB NOT NULL,
    active            BOOLEAN NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX promotion_coupon_code ON promotion (coupon_code);
CREATE INDEX promotion_by_currency ON promotion (currency, active);

CREATE TABLE promotion_usage (
    promotion_id      UUID NOT NULL REFERENCES promotion (promotion_id),
    order_id          UUID NOT NULL REFERENCES sales_order (order_id) ON DELETE CASCADE,
    company_id        UUID NOT NULL REFERENCES company (company_id),
    used_at           TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (promotion_id, order_id)
);
CREATE INDEX promotion_usage_by_company ON promotion_usage (promotion_id, company_id);
