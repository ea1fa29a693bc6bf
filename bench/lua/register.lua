-- Registers a new participant per request: thread t sends phone numbers
-- 09{t}{seq}, all distinct across threads and runs (RUN_PREFIX).
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  path = os.getenv("TARGET_PATH")
  prefix = os.getenv("RUN_PREFIX") or "0"
  seq = 0
  ok = 0
  refused = 0
end

function request()
  seq = seq + 1
  local phone = string.format("09%s%d%06d", prefix, tid, seq)
  local body = "full_name=Ng%C6%B0%E1%BB%9Di+d%E1%BB%B1+thi&phone=" .. phone .. "&consent=yes"
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
  }, body)
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 else refused = refused + 1 end
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
