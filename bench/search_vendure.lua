-- wrk script: the Vendure peer's search scenario in Mercato terms: a term
-- and one brand facet, 20 items with the total.
local queries = {
  "/api/v1/products?q=bolt&brand=norsteel&limit=20",
  "/api/v1/products?q=screw&brand=hengli&limit=20",
  "/api/v1/products?q=cylinder&brand=airline&limit=20",
  "/api/v1/products?q=glove&brand=guardian-pro&limit=20",
  "/api/v1/products?q=cable&brand=cablecore&limit=20",
  "/api/v1/products?q=breaker&brand=ampero&limit=20",
  "/api/v1/products?q=wrench&brand=torqline&limit=20",
  "/api/v1/products?q=drill&brand=voltix&limit=20",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", queries[(i % #queries) + 1])
end
