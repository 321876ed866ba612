#!/usr/bin/env python3
"""Write every Mercato product slug (GET /api/v1/products?limit=200, following next_cursor),
one per line. usage: mercato_slugs.py BASE_URL OUT"""
import json, sys, urllib.parse, urllib.request
base, out = sys.argv[1].rstrip("/"), sys.argv[2]
slugs, cursor, pages = [], None, 0
while True:
    url = base + "/api/v1/products?limit=200" + ("&cursor=" + urllib.parse.quote(cursor) if cursor else "")
    d = json.loads(urllib.request.urlopen(url, timeout=60).read())
    pages += 1
    slugs += [p["slug"] for p in d["items"]]
    cursor = d.get("next_cursor")
    if not cursor or not d["items"]:
        break
assert len(slugs) == len(set(slugs)), "duplicate slugs across pages"
open(out, "w").write("\n".join(slugs) + "\n")
print(f"{len(slugs)} products in {pages} pages; wrote {out}")
