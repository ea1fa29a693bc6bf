-- Shared by the load scripts: counts answered (2xx) and refused requests
-- per thread and prints the RESULT line bench/contest.sh parses. A script
-- loads it with dofile(LUA_DIR .. "/report.lua") and sets `tid` per thread.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

ok = 0
refused = 0

function response(status, headers, body)
  if status == 200 or status == 204 then ok = ok + 1 else refused = refused + 1 end
end

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local good = 0
  local bad = 0
  for _, t in ipairs(threads) do
    good = good + t:get("ok")
    bad = bad + t:get("refused")
  end
  io.write(string.format("RESULT ok_rps=%.0f all_rps=%.0f p50_ms=%.2f p99_ms=%.2f ok=%d refused=%d socket_errors=%d\n",
    good / secs, summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    good, bad, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
