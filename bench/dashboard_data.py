#!/usr/bin/env python3
"""Fills a demo SQLite database with order history for the dashboard
benchmark (issue 9: "dashboard page with 1,000,000 order lines"): ORDERS
orders of LINES lines each, spread evenly over the DAYS days up to now,
across the demo companies, SKUs and markets, about 3 % cancelled.

Rows are written straight into the database (a server must not be running
on it): this measures reading a year of history, not placing it; order
placement has its own benchmark (bench/orders_setup.py).

usage: bench/dashboard_data.py DATA_DIR [ORDERS] [LINES] [DAYS]
  e.g. mercato --data-dir /tmp/dash demo; mercato --data-dir /tmp/dash migrate
       bench/dashboard_data.py /tmp/dash 100000 10 365
"""
import datetime, json, os, random, sqlite3, sys, uuid

data_dir = sys.argv[1]
orders = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
lines_per = int(sys.argv[3]) if len(sys.argv) > 3 else 10
days = int(sys.argv[4]) if len(sys.argv) > 4 else 365
db = sqlite3.connect(os.path.join(data_dir, "mercato.sqlite"))
rnd = random.Random(7)

companies = db.execute(
    "SELECT c.company_id, c.market_code, c.currency, u.user_id FROM company c "
    "JOIN app_user u ON u.company_id = c.company_id WHERE c.status = 'active'").fetchall()
skus = [r[0] for r in db.execute("SELECT sku FROM variant WHERE status = 'active'")]
# An order line keeps the product's name as the buyer saw it (one language).
names = {sku: json.loads(name).get("zh-CN") or sku
         for sku, name in db.execute("SELECT v.sku, p.name FROM variant v JOIN product p ON p.product_id = v.product_id")}
assert companies and skus, "load the demo first: mercato --data-dir DIR demo"
# More companies than the demo's few: each order picks one of 500
# synthetic ones sharing the demo companies' markets (the top-companies
# list then ranks many).
extra = []
for i in range(500):
    base = companies[i % len(companies)]
    cid = uuid.uuid4().bytes
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000000Z")
    db.execute("INSERT INTO company (company_id, name, country, market_code, currency, status, created_at, updated_at) "
               "VALUES (?, ?, 'CN', ?, ?, 'active', ?, ?)", (cid, f"Bench company {i:03}", base[1], base[2], now, now))
    extra.append((cid, base[1], base[2], base[3]))

start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days)
span = days * 86400
addr = json.dumps({"recipient": "Bench", "line1": "1 Road", "city": "Shanghai", "postal_code": "200000", "country": "CN"})
order_rows, line_rows = [], []
for n in range(orders):
    company, market, currency, user = extra[rnd.randrange(len(extra))]
    placed = start + datetime.timedelta(seconds=span * n / orders)
    ts = placed.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    oid = uuid.uuid4().bytes
    subtotal = 0
    for ln in range(lines_per):
        sku = skus[rnd.randrange(len(skus))]
        qty = rnd.randint(1, 50) * 10_000
        price = rnd.randint(100, 50_000) * 100  # 0.01–5.00, stored units
        total = qty // 10_000 * price
        subtotal += total
        line_rows.append((oid, ln + 1, sku, names.get(sku, sku), qty, price, 0, total, 0))
    tax = subtotal * 13 // 100
    status = "cancelled" if rnd.random() < 0.03 else rnd.choice(["placed", "confirmed", "shipped", "delivered", "completed"])
    order_rows.append((oid, f"BENCH-{n:07}", company, user, market, currency, status, "bank_transfer", "pending",
                       "standard", addr, addr, subtotal, 0, 0, tax, subtotal + tax, "{}", ts, ts))
    if len(line_rows) >= 50_000:
        db.executemany("INSERT INTO sales_order (order_id, order_number, company_id, placed_by, market_code, currency, status, "
                       "payment_method, payment_status, shipping_method, shipping_address, billing_address, subtotal, "
                       "discount_total, shipping_total, tax_total, total, details, placed_at, updated_at) "
                       "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", order_rows)
        db.executemany("INSERT INTO order_line (order_id, line_no, sku, name, quantity, unit_price, discount, line_total, "
                       "shipped_quantity) VALUES (?,?,?,?,?,?,?,?,?)", line_rows)
        order_rows, line_rows = [], []
if order_rows:
    db.executemany("INSERT INTO sales_order (order_id, order_number, company_id, placed_by, market_code, currency, status, "
                   "payment_method, payment_status, shipping_method, shipping_address, billing_address, subtotal, "
                   "discount_total, shipping_total, tax_total, total, details, placed_at, updated_at) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", order_rows)
    db.executemany("INSERT INTO order_line (order_id, line_no, sku, name, quantity, unit_price, discount, line_total, "
                   "shipped_quantity) VALUES (?,?,?,?,?,?,?,?,?)", line_rows)
db.commit()
db.execute("ANALYZE")
print(db.execute("SELECT COUNT(*) FROM sales_order").fetchone()[0], "orders,",
      db.execute("SELECT COUNT(*) FROM order_line").fetchone()[0], "order lines")
