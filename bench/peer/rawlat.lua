-- wrk add-on: raw (uncorrected) per-request latency. wrk 4.1 adds synthetic samples to its
-- latency histogram before printing it (stats_correct, a coordinated-omission correction with
-- interval = runtime / (requests / connections)), which inflates its percentiles when a fast
-- server has occasional slow answers. This script times each request itself (CLOCK_MONOTONIC
-- via LuaJIT ffi) from request() to response() and prints raw percentiles. Valid only with ONE
-- connection per thread (-tN -cN), where request() and response() strictly alternate.
-- usage: BASE_SCRIPT=mercato_product.lua wrk -t8 -c8 -d15s -s rawlat.lua URL
dofile(os.getenv("BASE_SCRIPT"))
local ffi = require("ffi")
ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } rl_timespec; int clock_gettime(int, rl_timespec *); ]]
local ts = ffi.new("rl_timespec")
local function now_us() ffi.C.clock_gettime(1, ts); return tonumber(ts.tv_sec) * 1e6 + tonumber(ts.tv_nsec) / 1e3 end
local threads = {}
function setup(thread) table.insert(threads, thread) end
local base_request = request
local t0 = nil
hist = {}   -- latency in whole microseconds -> count (per thread)
bad = 0
function request()
  t0 = now_us()
  return base_request()
end
function response(status, headers, body)
  local us = math.floor(now_us() - t0)
  hist[us] = (hist[us] or 0) + 1
  if status ~= 200 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local all, n, b = {}, 0, 0
  for _, t in ipairs(threads) do
    for us, c in pairs(t:get("hist")) do all[us] = (all[us] or 0) + c; n = n + c end
    b = b + t:get("bad")
  end
  local keys = {}
  for us in pairs(all) do keys[#keys + 1] = us end
  table.sort(keys)
  local function pct(p)
    local want, acc = math.max(1, math.ceil(p / 100 * n)), 0
    for _, us in ipairs(keys) do acc = acc + all[us]; if acc >= want then return us / 1000 end end
  end
  local sum = 0
  for us, c in pairs(all) do sum = sum + us * c end
  io.write(string.format("raw latency: n %d  non-200 %d  mean %.3f ms  p50 %.3f  p90 %.3f  p99 %.3f  max %.3f ms\n",
    n, b, sum / n / 1000, pct(50), pct(90), pct(99), keys[#keys] / 1000))
end
