-- Tax settings (SQLite), kept in step with ../postgres/0007_tax.sql.
-- Rates by country and tax category; how each market enters and rounds.
CREATE TABLE tax_rate (
    country        TEXT NOT NULL,                  -- ISO 3166 alpha-2
    category       TEXT NOT NULL,                  -- 'standard', 'reduced', …
    rate           TEXT NOT NULL,                  -- decimal, 0.13 for 13 %
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (country, category)
) STRICT;

CREATE TABLE market_tax (
    market_code    TEXT PRIMARY KEY REFERENCES market (market_code) ON DELETE CASCADE,
    price_entry    TEXT NOT NULL CHECK (price_entry IN ('net', 'gross')),
    tax_rounding   TEXT NOT NULL CHECK (tax_rounding IN ('per_line', 'per_document')),
    seller_country TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;
