-- wrk script for bench/load/run.py, which writes the `MIX`, `PICKS` and `RANGES` tables above
-- this text. Each request is one query of the mix, drawn by weight, with fresh variables; a
-- response that is not 200, or whose body starts with "errors", counts as an error.

local threads = {}
local count = 0

function setup(thread)
  count = count + 1
  thread:set("number", count)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 100 + number)
  errors = 0
  first_error = ""
  total_weight = 0
  for _, query in ipairs(MIX) do total_weight = total_weight + query.weight end
end

local function json_string(text)
  return '"' .. text:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
end

local function variables(query)
  local parts = {}
  for _, v in ipairs(query.variables) do
    local value
    if v.kind == "random" then
      value = tostring(math.random(RANGES[v.source]))
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
  if status ~= 200 or body:sub(1, 10) == '{"errors":' then
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
