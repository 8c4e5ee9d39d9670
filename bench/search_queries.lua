-- wrk script: package_search with five facets over varied queries (tone-marked and folded
-- words, organization filters, paging), so that no single cached URL is measured.
local words = {"giao duc", "giáo dục", "y te", "y tế", "dat dai", "đất đai", "du lich", "ngân sách",
  "truong mam non", "trường tiểu học", "luong mua", "lượng mưa", "benh vien", "xe buyt",
  "doanh nghiep", "di tich", "le hoi", "dan so", "nong nghiep", "khong khi", "phong dien", "huế",
  "huong thuy", "2019", "2024", "chi ngan sach", "gia dat", "camera", "wifi", "ho ngheo", ""}
local orgs = {"", "", "", "so-giao-duc", "so-y-te", "so-tai-chinh", "cuc-thong-ke", "so-du-lich"}
local facets = '%5B%22organization%22%2C%22groups%22%2C%22tags%22%2C%22res_format%22%2C%22license_id%22%5D'
local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local n = 0
request = function()
  n = n + 1
  local w = words[(n * 7) % #words + 1]
  local o = orgs[(n * 3) % #orgs + 1]
  local path = "/api/3/action/package_search?rows=10&facet.field=" .. facets ..
    "&start=" .. tostring((n % 3) * 10)
  if w ~= "" then path = path .. "&q=" .. urlencode(w) end
  if o ~= "" then path = path .. "&fq=organization:" .. o end
  return wrk.format("GET", path)
end
