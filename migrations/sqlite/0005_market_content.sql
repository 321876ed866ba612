-- Per-market product texts (SQLite), kept in step with ../postgres/0005.
-- A market's override lies over the product's own texts, language by
-- language; its own table so that imports of the product's texts leave it be.
CREATE TABLE product_market_content (
    product_id     BLOB NOT NULL REFERENCES product (product_id) ON DELETE CASCADE,
    market_code    TEXT NOT NULL REFERENCES market (market_code) ON DELETE CASCADE,
    content        TEXT NOT NULL,                  -- JSON core::catalog::MarketContent
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (product_id, market_code)
) STRICT;
