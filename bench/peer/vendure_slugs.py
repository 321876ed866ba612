#!/usr/bin/env python3
"""Write ~500 real Vendure product slugs (5 random pages of 100 via the Shop API), one per line.
usage: vendure_slugs.py PORT OUT"""
import json, random, sys, urllib.request
port, out = int(sys.argv[1]), sys.argv[2]
def gql(q, v=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/shop-api", method="POST",
          data=json.dumps({"query": q, "variables": v or {}}).encode(),
          headers={"content-type": "application/json"})
    return json.loads(urllib.request.urlopen(req, timeout=60).read())["data"]
total = gql("{ products(options:{take:1}){ totalItems } }")["products"]["totalItems"]
rng = random.Random(7)
slugs = []
for _ in range(5):
    skip = rng.randrange(0, max(1, total - 100))
    items = gql("query($s:Int!){ products(options:{take:100, skip:$s}){ items{ slug } } }", {"s": skip})["products"]["items"]
    slugs += [p["slug"] for p in items]
slugs = sorted(set(slugs))
open(out, "w").write("\n".join(slugs) + "\n")
print(f"{total} products; wrote {len(slugs)} slugs to {out}")
