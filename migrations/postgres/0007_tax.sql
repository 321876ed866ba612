-- Tax settings (PostgreSQL), kept in step with ../sqlite/0007_tax.sql.
CREATE TABLE tax_rate (
    country        TEXT NOT NULL,
    category       TEXT NOT NULL,
    rate           TEXT NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (country, category)
);

CREATE TABLE market_tax (
    market_code    TEXT PRIMARY KEY REFERENCES market (market_code) ON DELETE CASCADE,
    price_entry    TEXT NOT NULL CHECK (price_entry IN ('net', 'gross')),
    tax_rounding   TEXT NOT NULL CHECK (tax_rounding IN ('per_line', 'per_document')),
    seller_country TEXT NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
