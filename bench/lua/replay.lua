-- Replays one request body per line of a file (BODIES), each line once:
-- thread i of n keeps lines i, i+n, i+2n, ... and sends them in order,
-- wrapping around (a replay, which the server refuses) only if the file
-- runs out. Optional HEADER_NAME and a file of HEADER_VALUES give each
-- request its own header (participant tokens). Prints the line
-- bench/contest.sh parses.
dofile(os.getenv("LUA_DIR") .. "/report.lua")

-- Only this thread's share of the lines, to keep memory at one copy.
local function load(path)
  local t = {}
  if path and path ~= "" then
    local n = 0
    for line in io.lines(path) do
      if n % step == tid then t[#t + 1] = line end
      n = n + 1
    end
  end
  return t
end

function init(args)
  step = tonumber(os.getenv("THREADS") or "2")
  bodies = load(os.getenv("BODIES"))
  -- SKIP lines already sent by an earlier run against the same server.
  local skip = math.floor(tonumber(os.getenv("SKIP") or "0") / step)
  if skip > 0 then
    local rest = {}
    for k = skip + 1, #bodies do rest[#rest + 1] = bodies[k] end
    bodies = rest
  end
  values = load(os.getenv("HEADER_VALUES"))
  header_name = os.getenv("HEADER_NAME")
  path = os.getenv("TARGET_PATH")
  i = 0
  base = {}
  base["Content-Type"] = "application/x-www-form-urlencoded"
  base["Accept"] = "application/json"
end

function request()
  i = i + 1
  local n = i
  local headers = {}
  for k, v in pairs(base) do headers[k] = v end
  if header_name and #values > 0 then
    headers[header_name] = values[((n - 1) % #values) + 1]
  end
  local body = ""
  if #bodies > 0 then
    body = bodies[((n - 1) % #bodies) + 1]
  end
  return wrk.format("POST", path, headers, body)
end
