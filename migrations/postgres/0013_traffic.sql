-- First-party traffic statistics (D1), kept in step with
-- ../sqlite/0013_traffic.sql.
--
-- Daily counts per market, nothing per visitor: the web layer counts page
-- views in memory and adds them here every few seconds
-- (mercato_core::traffic says what is counted). Key '' holds a metric's
-- total; other keys are the path, search term, product slug, referrer
-- source or host, channel or device class.
--
-- The primary key starts with the metric because every read names one
-- metric (or a short list) and a range of days. The day is text as on
-- SQLite: a calendar day, not a moment, and it sorts as text.
CREATE TABLE traffic_daily (
    metric       TEXT NOT NULL CHECK (metric IN ('page_view', 'session', 'entry_page', 'channel',
                                                 'referrer', 'device', 'search',
                                                 'zero_result_search', 'product_view')),
    day          TEXT NOT NULL,                   -- YYYY-MM-DD, UTC
    market_code  TEXT NOT NULL,                   -- no foreign key: counts outlive a market
    key          TEXT NOT NULL,
    count        BIGINT NOT NULL CHECK (count >= 0),
    PRIMARY KEY (metric, day, market_code, key)
);
