-- wrk script: Mercato GET /api/v1/products/{slug}; a random slug per request out of
-- SLUGS (env var, default /tmp/mercato-slugs.txt, one slug per line).
-- usage: wrk -s mercato_product.lua --latency http://127.0.0.1:18300
local path = os.getenv("SLUGS") or "/tmp/mercato-slugs.txt"
local reqs = {}
for slug in io.lines(path) do
  if #slug > 0 then
    reqs[#reqs + 1] = wrk.format("GET", "/api/v1/products/" .. slug, { ["Host"] = "127.0.0.1" })
  end
end
function init(args)
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8)) or 0))
end
function request()
  return reqs[math.random(#reqs)]
end
