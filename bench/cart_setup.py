#!/usr/bin/env python3
"""Prepares `GET /api/v1/carts/{id}` with 100 lines against a
`mercato serve --demo` server, as a demo buyer (distributor prices, tiers,
13 % tax, stock, promotions evaluated on every view).

usage: bench/cart_setup.py BASE_URL OUT_DIR
then:  wrk -t1 -c1 -d10s --latency -s OUT_DIR/cart.lua BASE_URL/api/v1/carts/<id>  (the URL is printed)
"""
import json, os, sys, urllib.request

BASE, OUT = sys.argv[1].rstrip("/"), sys.argv[2]
os.makedirs(OUT, exist_ok=True)

def call(method, path, token=None, body=None, ctype="application/json"):
    data = body if isinstance(body, bytes) else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(BASE + path, data=data, method=method)
    req.add_header("Content-Type", ctype)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req) as r:
        text = r.read().decode()
        return json.loads(text) if text else None

buyer = call("POST", "/api/v1/auth/login", body={"email": "li@jinggong.demo.mercato.test", "password": "mercato-demo-buyer"})["token"]
skus, cursor = [], None
while len(skus) < 100:
    page = call("GET", "/api/v1/products?market=cn&limit=50" + (f"&cursor={cursor}" if cursor else ""))
    for item in page["items"]:
        for v in call("GET", f"/api/v1/products/{item['slug']}?market=cn")["variants"]:
            if len(skus) < 100:
                skus.append(v["sku"])
    cursor = page.get("next_cursor")
    if not cursor:
        break
cart = call("POST", "/api/v1/carts", buyer, {"name": "bench 100 lines"})
res = call("POST", f"/api/v1/carts/{cart['id']}/lines/bulk", buyer, "\n".join(f"{s}, 10" for s in skus).encode(), "text/plain")
print(f"{len(res['cart']['lines'])} lines; total {res['cart']['total']}")
with open(os.path.join(OUT, "cart.lua"), "w") as f:
    f.write(f'wrk.method = "GET"\nwrk.headers["Authorization"] = "Bearer {buyer}"\n')
print(f"{BASE}/api/v1/carts/{cart['id']}")
