-- wrk script: Vendure Shop API product(slug:) with exactly the fields measure.py's
-- product phase (Q_PRODUCT) asks for; a random slug per request out of SLUGS
-- (env var, default /tmp/vendure-slugs.txt, one slug per line).
-- usage: wrk -s vendure_product.lua --latency http://127.0.0.1:3000
local path = os.getenv("SLUGS") or "/tmp/vendure-slugs.txt"
local q = "query($slug:String!){ product(slug:$slug){ id name slug description\\n" ..
          " facetValues{ code name facet{ code } } optionGroups{ code options{ code name } }\\n" ..
          " variants{ id sku name price priceWithTax currencyCode stockLevel options{ code name } } } }"
local reqs = {}
for slug in io.lines(path) do
  if #slug > 0 then
    local body = '{"query": "' .. q .. '", "variables": {"slug": "' .. slug .. '"}}'
    reqs[#reqs + 1] = wrk.format("POST", "/shop-api",
      { ["Content-Type"] = "application/json", ["Host"] = "127.0.0.1" }, body)
  end
end
function init(args)
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8)) or 0))
end
function request()
  return reqs[math.random(#reqs)]
end
