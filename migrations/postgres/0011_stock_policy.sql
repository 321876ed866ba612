-- What may be promised when a SKU runs out (S3), kept in step with
-- ../sqlite/0011_stock_policy.sql: whether it may be ordered beyond stock
-- (a backorder, reserved ahead of the goods arriving) and the lead time
-- buyers are told. A SKU without a row takes no backorders.
CREATE TABLE stock_policy (
    sku            TEXT PRIMARY KEY,
    backorders     BOOLEAN NOT NULL,
    lead_time_days INTEGER CHECK (lead_time_days BETWEEN 0 AND 365),
    updated_at     TIMESTAMPTZ NOT NULL
);
