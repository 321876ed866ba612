-- wrk validation script (not used for the measured runs): wraps another script (CHECK_SCRIPT)
-- and counts answers that are not HTTP 200 or (with CHECK_NEEDLE) do not contain the needle.
dofile(os.getenv("CHECK_SCRIPT"))
local needle = os.getenv("CHECK_NEEDLE")
local threads = {}
function setup(thread) table.insert(threads, thread) end
bad, good = 0, 0
function response(status, headers, body)
  if status == 200 and (needle == nil or body:find(needle, 1, true)) then good = good + 1 else bad = bad + 1 end
end
function done(summary, latency, requests)
  local g, b = 0, 0
  for _, t in ipairs(threads) do g = g + t:get("good"); b = b + t:get("bad") end
  io.write(string.format("check: %d good, %d bad answers\n", g, b))
end
