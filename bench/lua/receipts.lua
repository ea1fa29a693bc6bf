-- Like replay.lua for submissions, and every receipt the server gives back
-- is appended (and flushed) to RECEIPTS.<thread> before the next request:
-- what a participant would have on their screen.
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

function init(args)
  step = tonumber(os.getenv("THREADS") or "2")
  bodies = {}
  local n = 0
  for line in io.lines(os.getenv("BODIES")) do
    if n % step == tid then bodies[#bodies + 1] = line end
    n = n + 1
  end
  out = io.open(os.getenv("RECEIPTS") .. "." .. tid, "w")
  i = 0
end

function request()
  i = i + 1
  local n = i
  return wrk.format("POST", "/thi/bai/nop", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
  }, bodies[((n - 1) % #bodies) + 1])
end

function response(status, headers, body)
  if status == 200 then
    local receipt = body:match('"receipt":"([^"]+)"')
    if receipt then
      out:write(receipt, "\n")
      out:flush()
    end
  end
end
