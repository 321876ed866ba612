-- Per-market product texts (PostgreSQL), kept in step with ../sqlite/0005.
CREATE TABLE product_market_content (
    product_id     UUID NOT NULL REFERENCES product (product_id) ON DELETE CASCADE,
    market_code    TEXT NOT NULL REFERENCES market (market_code) ON DELETE CASCADE,
    content        JSONB NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (product_id, market_code)
);
