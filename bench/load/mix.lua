-- wrk script for bench/load/run.py, which writes the `MIX`, `PICKS`, `RANGES`, `THREADS` and `START` values above
-- this text. Each request is one query of the mix, drawn by weight, with fresh variables; a
-- response that is not 200, or whose body has "errors" (a field's too), counts as an error.
-- `sequence` and `cursor` variables (the soak's fresh mix) never repeat: each thread counts,
-- by steps of THREADS from its own number, so that no two threads draw the same value.

local threads = {}
local count = 0

function setup(thread)
  count = count + 1
  thread:set("number", count)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 100 + number)
  drawn = START  -- past what an earlier run (the warm-up) drew
  errors = 0
  first_error = ""
  total_weight = 0
  for _, query in ipairs(MIX) do total_weight = total_weight + query.weight end
end

local function json_string(text)
  return '"' .. text:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
end

local BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

-- base64url without padding, as the API writes cursors
local function base64url(text)
  local out = {}
  for i = 1, #text, 3 do
    local a, b, c = text:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local chars = 2 + (b and 1 or 0) + (c and 1 or 0)
    for k = 1, chars do
      local index = math.floor(n / 64 ^ (4 - k)) % 64
      table.insert(out, BASE64:sub(index + 1, index + 1))
    end
  end
  return table.concat(out)
end

-- the next value of this thread's count, never drawn by another thread, within 1..range
local function next_in_sequence(range)
  drawn = drawn + 1
  return ((drawn - 1) * THREADS + number - 1) % range + 1
end

local function variables(query)
  local parts = {}
  for _, v in ipairs(query.variables) do
    local value
    if v.kind == "random" then
      value = tostring(math.random(RANGES[v.source]))
    elseif v.kind == "sequence" then
      value = tostring(next_in_sequence(RANGES[v.source]))
    elseif v.kind == "cursor" then
      local id = next_in_sequence(RANGES[v.source])
      value = json_string(base64url('[1,"Spacecraft","id:asc",[' .. id .. ']]'))
    else
      local list = PICKS[v.source]
      value = json_string(list[math.random(#list)])
    end
    table.insert(parts, json_string(v.name) .. ":" .. value)
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }

function request()
  local r = math.random(total_weight)
  local chosen = MIX[#MIX]
  for _, query in ipairs(MIX) do
    if r <= query.weight then chosen = query break end
    r = r - query.weight
  end
  local body = '{"query":' .. json_string(chosen.document) .. ',"operationName":'
    .. json_string(chosen.name) .. ',"variables":' .. variables(chosen) .. '}'
  return wrk.format("POST", wrk.path, headers, body)
end

function response(status, headers, body)
  if status ~= 200 or body:find('"errors":[', 1, true) then
    errors = errors + 1
    if first_error == "" then first_error = status .. " " .. body:sub(1, 300) end
  end
end

function done(summary, latency, requests)
  local graphql_errors, first = 0, ""
  for _, thread in ipairs(threads) do
    graphql_errors = graphql_errors + thread:get("errors")
    if first == "" then first = thread:get("first_error") end
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "errors": %d, "socket_errors": %d, '
      .. '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "first_error": %s}\n',
    summary.requests, summary.duration, graphql_errors,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    json_string(first)))
end
