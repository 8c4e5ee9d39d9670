-- wrk script for bench/soak.sh: a mix of pages, searches, datastore_search, downloads, cheap SQL
-- and logins, optionally paced. Settings come from the environment:
--   MIX_SLUGS (comma-separated public dataset slugs), MIX_RID (a resource with a datastore
--   table), MIX_RURL (a download path), MIX_SQL (URL-encoded SELECT), MIX_USER, MIX_PW (a login),
--   MIX_LOGIN_EVERY (one login per N requests of a thread; 0 = none),
--   MIX_DELAY_MS (mean pause of a connection before each request, fractional; 0 = unpaced).
-- done() prints "status CODE COUNT" lines and up to 5 bodies of unexpected (not 2xx, 429, 503)
-- answers.
local function split(s)
  local t = {}
  for w in string.gmatch(s or "", "[^,]+") do t[#t + 1] = w end
  return t
end
local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local slugs = split(os.getenv("MIX_SLUGS"))
local rid = os.getenv("MIX_RID") or ""
local rurl = os.getenv("MIX_RURL") or "/"
local sql = os.getenv("MIX_SQL") or ""
local login_body = '{"username":"' .. (os.getenv("MIX_USER") or "admin") .. '","password":"' ..
  (os.getenv("MIX_PW") or "") .. '"}'
local login_every = tonumber(os.getenv("MIX_LOGIN_EVERY") or "0")
local delay_ms = tonumber(os.getenv("MIX_DELAY_MS") or "0")
local words = {"giao duc", "giáo dục", "y te", "dan so", "du lich", "ngân sách", "luong mua", "xe buyt",
  "di tich", "khong khi", "2024", "huế", "truong", "benh vien", "mon an", ""}
-- 20 slots: pages 35 %, searches 30 %, datastore_search 15 %, downloads 10 %, SQL 5 %, /en/ 5 %
local kinds = {"home", "dataset", "rest", "pkg", "ds", "download", "dataset", "rest", "pkg", "ds",
  "home", "dataset", "rest", "pkg", "ds", "download", "dataset", "sql", "en", "pkg"}
local n = 0
counts = {}
samples = {}

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "1", 16) % 100000)
end

request = function()
  n = n + 1
  if login_every > 0 and n % login_every == 0 then
    return wrk.format("POST", "/api/v1/auth/login", {["Content-Type"] = "application/json"}, login_body)
  end
  local k = kinds[n % #kinds + 1]
  local w = words[(n * 7) % #words + 1]
  local slug = slugs[(n * 3) % #slugs + 1]
  local path
  if k == "home" then path = "/"
  elseif k == "en" then path = "/en/"
  elseif k == "dataset" then path = "/datasets/" .. slug
  elseif k == "rest" then path = "/api/v1/datasets?q=" .. urlencode(w)
  elseif k == "pkg" then path = "/api/3/action/package_search?rows=10&q=" .. urlencode(w)
  elseif k == "ds" then path = "/api/3/action/datastore_search?resource_id=" .. rid .. "&limit=20&offset=" .. tostring(n % 3 * 5)
  elseif k == "download" then path = rurl
  else path = "/api/3/action/datastore_search_sql?sql=" .. sql
  end
  return wrk.format("GET", path)
end

if delay_ms > 0 then
  delay = function()
    local d = math.floor(delay_ms)
    if math.random() < delay_ms - d then d = d + 1 end  -- wrk takes whole milliseconds
    return d
  end
end

response = function(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  if (status < 200 or status > 299) and status ~= 429 and status ~= 503 and #samples < 5 then
    samples[#samples + 1] = tostring(status) .. " " .. string.sub(body or "", 1, 160)
  end
end

local threads = {}
function setup(thread) threads[#threads + 1] = thread end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for code, c in pairs(t:get("counts")) do total[code] = (total[code] or 0) + c end
    for _, s in ipairs(t:get("samples")) do io.write("sample ", s, "\n") end
  end
  for code, c in pairs(total) do io.write("status ", code, " ", c, "\n") end
end
