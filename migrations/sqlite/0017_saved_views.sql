-- Saved views of the back office's lists: a staff member's named filter
-- (the list's query string), kept for them alone or shared with the team;
-- and the index that sorts the order list by total.
CREATE TABLE saved_view (
    view_id    BLOB PRIMARY KEY,
    user_id    BLOB NOT NULL REFERENCES app_user (user_id) ON DELETE CASCADE,
    page       TEXT NOT NULL,                -- the list's path, e.g. /admin/orders
    name       TEXT NOT NULL,
    query      TEXT NOT NULL,                -- without the leading '?'
    shared     INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX saved_view_by_page ON saved_view (page, user_id);

-- The back office's order list sorted by total, largest first.
CREATE INDEX sales_order_by_total ON sales_order (total, order_id);
