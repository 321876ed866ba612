#!/usr/bin/env python3
"""How soon a back-office edit is found by search: renames a product over
the API (PATCH /admin/products/{slug}) and polls GET /products until the
new word finds it.
usage: search_freshness.py BASE_URL TOKEN [ROUNDS]"""
import json, statistics, sys, time, urllib.request

base, token = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 20

def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")

SLUG = "wing-nut-din-315-a2"
product = call("GET", f"/api/v1/products/{SLUG}?lang=en")
times = []
for n in range(rounds):
    word = f"freshness{n}x{int(time.time())}"
    started = time.perf_counter()
    call("PATCH", f"/api/v1/admin/products/{SLUG}",
         {"lang": "en", "name": f"Wing nut DIN 315 A2 {word}",
          "short_description": product.get("short_description") or "",
          "description": product.get("description") or ""})
    while True:
        found = call("GET", f"/api/v1/products?q={word}&limit=1")
        if found["total"]:
            break
        if time.perf_counter() - started > 30:
            sys.exit(f"{word} not found after 30 s")
        time.sleep(0.005)
    times.append((time.perf_counter() - started) * 1000)
times.sort()
print(f"edit visible in search: median {statistics.median(times):.0f} ms, "
      f"max {times[-1]:.0f} ms over {rounds} renames (write + index commit + poll)")
