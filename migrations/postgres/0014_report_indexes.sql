-- Reports scan orders by placement time (dashboards, D2): without this
-- index a date range reads every order.
CREATE INDEX sales_order_by_time ON sales_order (placed_at);
CREATE INDEX cart_by_time ON cart (created_at);
CREATE INDEX inquiry_by_time ON inquiry (created_at);
-- What a report reads of an order line, so that summing a month of lines
-- per SKU reads the index alone (about half the time on SQLite).
CREATE INDEX order_line_for_reports ON order_line (order_id, sku, quantity, line_total);
