-- Dashboard rollups (D2): sales summed per closed UTC day, and per ISO
-- week (labelled by its Monday) for SKUs and companies, so that a report
-- reads a few rows per SKU and week instead of every order line. Days from
-- report_rollup_state.closed_before on are read live from the orders; a
-- closed day is summed again whenever one of its orders changes
-- (sales_order.updated_at), so the rollups are never the truth, only a
-- cache of it that can be dropped and rebuilt. Cancelled orders are not sales.
-- WITHOUT ROWID keeps the rows in key order: a report's read of a range of
-- days or weeks is one contiguous run, not an index walk plus lookups.
CREATE TABLE report_day_sales (
    day         TEXT NOT NULL,                 -- YYYY-MM-DD, UTC
    market_code TEXT NOT NULL,
    currency    TEXT NOT NULL,
    orders      INTEGER NOT NULL,
    revenue     INTEGER NOT NULL,                   -- order totals, stored units
    PRIMARY KEY (day, market_code, currency)
) STRICT;

CREATE TABLE report_sku_sales (
    grain       TEXT NOT NULL,                 -- 'day' or 'week'
    period      TEXT NOT NULL,                 -- the day, or the week's Monday
    market_code TEXT NOT NULL,
    currency    TEXT NOT NULL,
    sku         TEXT NOT NULL,
    quantity    INTEGER NOT NULL,                   -- stored units
    revenue     INTEGER NOT NULL,                   -- line totals after discount
    PRIMARY KEY (grain, period, market_code, currency, sku)
) STRICT, WITHOUT ROWID;

CREATE TABLE report_company_sales (
    grain       TEXT NOT NULL,
    period      TEXT NOT NULL,
    market_code TEXT NOT NULL,
    currency    TEXT NOT NULL,
    company_id  BLOB NOT NULL,
    orders      INTEGER NOT NULL,
    revenue     INTEGER NOT NULL,
    PRIMARY KEY (grain, period, market_code, currency, company_id)
) STRICT, WITHOUT ROWID;

-- How far the rollups go: days before closed_before are summed; orders
-- changed at or after seen_until (less a margin for transactions still in
-- flight) have not been looked at yet.
CREATE TABLE report_rollup_state (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    closed_before TEXT NOT NULL,
    seen_until    TEXT NOT NULL
) STRICT;

-- Finding the days whose orders changed since the last refresh.
CREATE INDEX sales_order_by_update ON sales_order (updated_at);

-- Staff looking at the dashboards, counted per UTC day: whether decisions
-- are taken on the data (a measured maturity indicator, M3).
CREATE TABLE report_view_daily (
    day    TEXT NOT NULL,                      -- YYYY-MM-DD, UTC
    report TEXT NOT NULL,                      -- 'dashboard' or a chart's CSV
    views  INTEGER NOT NULL,
    PRIMARY KEY (day, report)
) STRICT;
