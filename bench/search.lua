-- wrk script: product search with a text term and three facet filters
-- (category, brand, one attribute) over the demo/bench catalog, rotating
-- through queries that all have hits. Prints nothing; wrk reports latency.
local queries = {
  "/api/v1/products?q=bolt&category=fasteners&brand=norsteel&attr.material=a2",
  "/api/v1/products?q=%E8%9E%BA%E6%A0%93&category=fasteners&brand=hengli&attr.thread_size=m8",
  "/api/v1/products?q=screw&category=fasteners&brand=norsteel&attr.material=a4",
  "/api/v1/products?q=cylinder&category=pneumatics&brand=airline&attr.bore=30..70",
  "/api/v1/products?q=glove&category=safety&brand=guardian-pro&attr.size=m",
  "/api/v1/products?q=breaker&category=electrical&brand=ampero&attr.poles=1p,3p",
  "/api/v1/products?q=%E8%9E%BA%E9%92%89&category=fasteners&brand=hengli&attr.material=steel_black",
  "/api/v1/products?q=nut&category=fasteners&brand=norsteel&attr.thread_size=m10",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", queries[(i % #queries) + 1])
end
