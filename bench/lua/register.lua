-- Registers a new participant per request: thread t sends phone numbers
-- 09{t}{seq}, all distinct across threads and runs (RUN_PREFIX).
dofile(os.getenv("LUA_DIR") .. "/report.lua")

function init(args)
  path = os.getenv("TARGET_PATH")
  prefix = os.getenv("RUN_PREFIX") or "0"
  seq = 0
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
