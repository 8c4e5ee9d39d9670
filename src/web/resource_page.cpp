// A resource's own page: its table paged, sorted and filtered through the datastore's query
// grammar (the same URL parameters as GET /api/v1/resources/{id}/rows, so every view has an
// API twin), downloads of that view, the schema, the validation report and a chart built
// from the aggregate query. Everything works without JavaScript: forms are GET forms and the
// chart is SVG drawn here.
//
// The resource page (`src/web/resource_page.cpp`, `web/templates/resource.mustache`,
// `/datasets/{slug}/resources/{id}`) is the table for people, built on the same pieces as the API
// rather than on JavaScript: its address takes the REST grammar itself (`api::ParseRestQuery` reads
// `so_dan[gte]=1000&sort=-dien_tich&q=…&cursor=…` from the page's URL), so every view of the page
// has an API twin, which the page prints. The filter form is a GET form with a column, an operator
// and a value; the handler answers it with a 303 to the same view in the grammar
// (`?so_dan%5Bgte%5D=1000`), and each filter in force is a link that drops it. Column headers are
// links that cycle the sort (ascending, descending, none; `aria-sort` set). Pages are keyset pages:
// "Trang sau" carries the `next` cursor of `Search` (`api::EncodeCursor`), so a deep page costs
// what the first does. The chart builder is a second GET form (`group_by`, `metrics`, `order`, the
// aggregate route's parameters) over the rows the filters select: `api::ParseAggregateQuery` and
// `Datastore::Aggregate`, at most 30 groups, drawn as an inline SVG of horizontal bars (no script,
// so the CSP stays strict) with the figures in a table for screen readers. Downloads of the view
// point at `/api/v1/resources/{id}/export` with the view's parameters. Bad parameters render the
// page with a Vietnamese error and status 400. The page is in the anonymous page cache like the
// dataset page (its key is the whole URL).
//
// A table with a geopoint (TableInfo::latitude/longitude) also gets a map above the table
// (`MapView`, web/static/map.js): Leaflet with clustered markers for the rows the page's filters
// and search select (the REST rows endpoint with the same parameters, at most kMapMaxPoints,
// with a note saying so when there are more), a popup per row built from text nodes, the tiles
// of the site setting `map_tile_url` (none when empty) and always the outline of the site's
// province from the bundled boundary file (web/maps/README.md). Such a page allows images from
// the tile server only (Page::RestrictImagesTo). Without JavaScript the map section is a link to
// the GeoJSON of the same rows, and the table below is unchanged.

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>

#include "api/datastore_api.h"
#include "api/grant_reads.h"
#include "web/page.h"
#include "web/view_models.h"

namespace odp::web {

namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

// Parameters of the page that are not filters.
const std::set<std::string>& ViewParams() {
  static const std::set<std::string> k = {"q",       "fields", "sort",          "limit",
                                          "offset",  "cursor", "version",       "group_by",
                                          "metrics", "order",  "include_total", "include_id"};
  return k;
}

Params Without(const Params& in, std::initializer_list<const char*> keys) {
  Params out;
  for (const auto& kv : in) {
    if (std::none_of(keys.begin(), keys.end(), [&](const char* k) { return kv.first == k; }))
      out.push_back(kv);
  }
  return out;
}

Params With(Params in, const std::string& key, const std::string& value) {
  std::erase_if(in, [&](const auto& kv) { return kv.first == key; });
  if (!value.empty()) in.emplace_back(key, value);
  return in;
}

// The filters of the view ("so_dan[gt]" → 1000): every parameter that is not a view setting.
Params Filters(const Params& in) {
  Params out;
  for (const auto& kv : in) {
    if (!ViewParams().count(kv.first)) out.push_back(kv);
  }
  return out;
}

std::string OpLabel(const Page& p, const std::string& op) { return p.T("op_" + op); }

json Options(const std::vector<datastore::Field>& fields, const std::string& selected) {
  json out = json::array();
  for (const auto& f : fields)
    out.push_back({{"value", f.id}, {"label", f.label}, {"selected", f.id == selected}});
  return out;
}

bool Numeric(datastore::ColumnType t) {
  return t == datastore::ColumnType::kInteger || t == datastore::ColumnType::kNumber;
}

// The chart of an aggregate: horizontal bars, largest first, as SVG coordinates for the template.
json ChartView(Page& p, const datastore::Datastore& ds, const datastore::TableInfo& t,
               const datastore::Query& filter, const Params& params, const std::string& api_base) {
  std::string group = p.req.Param("group_by");
  std::string metric = p.req.Param("metrics");
  if (metric.empty()) metric = "count";
  json c = {{"group_options", Options(t.fields, group)}};
  json metrics = json::array(
      {{{"value", "count"}, {"label", p.T("chart_count")}, {"selected", metric == "count"}}});
  for (const auto& f : t.fields) {
    if (!Numeric(f.type)) continue;
    for (const char* fn : {"sum", "avg", "min", "max"}) {
      std::string value = std::string(fn) + ":" + f.id;
      metrics.push_back({{"value", value},
                         {"label", p.T(std::string("chart_") + fn) + " " + f.label},
                         {"selected", metric == value}});
    }
  }
  c["metric_options"] = std::move(metrics);
  c["by_group"] = p.req.Param("order") == "group";
  c["hidden"] = json::array();
  for (const auto& [k, v] : Filters(params)) c["hidden"].push_back({{"name", k}, {"value", v}});
  if (!p.req.Param("q").empty())
    c["hidden"].push_back({{"name", "q"}, {"value", p.req.Param("q")}});
  if (group.empty()) return c;

  datastore::Query rows = filter;
  rows.sort.clear();
  rows.after.reset();
  auto a = api::ParseAggregateQuery(p.req, rows);
  if (!a.ok()) {
    c["error"] = p.Message(a.status());
    return c;
  }
  a->order_by_value = p.req.Param("order") != "group";
  a->limit = 30;
  auto result = ds.Aggregate(t, *a);
  if (!result.ok()) {
    c["error"] = p.Message(result.status());
    return c;
  }
  const size_t groups = a->group_by.size();
  double largest = 0;
  for (const auto& r : result->rows) {
    if (r.size() > groups && r[groups].is_number())
      largest = std::max(largest, std::abs(r[groups].get<double>()));
  }
  constexpr int kRow = 28, kLabel = 230, kBar = 330;
  // Group values read as in the table (dates, digit groups, province names); the metric's value
  // with the language's digit groups and decimal mark.
  std::vector<datastore::Field> group_fields;
  for (const auto& id : a->group_by) {
    datastore::Field gf;
    gf.id = id;
    gf.label = id;
    for (const auto& f : t.fields) {
      if (f.id == id) gf = f;
    }
    group_fields.push_back(std::move(gf));
  }
  const std::vector<ColumnDisplay> group_shown_as = ColumnDisplays(group_fields, result->rows);
  json bars = json::array();
  int y = 0;
  for (const auto& r : result->rows) {
    std::string label;
    for (size_t i = 0; i < groups && i < r.size(); ++i) {
      std::string part = CellText(p, r[i], group_shown_as[i]);
      label += (i ? " / " : "") + (part.empty() ? p.T("chart_empty") : part);
    }
    double value = r.size() > groups && r[groups].is_number() ? r[groups].get<double>() : 0;
    int width = largest > 0 ? static_cast<int>(std::abs(value) / largest * kBar + 0.5) : 0;
    std::string shown = label.size() > 36 ? label.substr(0, 33) + "…" : label;
    // Never cut a UTF-8 sequence in the middle.
    if (label.size() > 36) {
      size_t cut = 33;
      while (cut > 0 && (static_cast<unsigned char>(label[cut]) & 0xC0) == 0x80) --cut;
      shown = label.substr(0, cut) + "…";
    }
    bars.push_back({{"label", label},
                    {"short_label", shown},
                    {"value", r.size() > groups ? CellText(p, r[groups]) : ""},
                    {"y", y},
                    {"text_y", y + 18},
                    {"width", std::max(width, 1)},
                    {"value_x", kLabel + std::max(width, 1) + 6}});
    y += kRow;
  }
  c["bars"] = std::move(bars);
  c["has_bars"] = !result->rows.empty();
  c["height"] = std::max(y, kRow);
  c["bar_x"] = kLabel;
  std::string metric_label;
  for (const auto& m : c["metric_options"]) {
    if (m["selected"].get<bool>()) metric_label = m["label"];
  }
  std::string group_label = group;
  for (const auto& f : t.fields) {
    if (f.id == group) group_label = f.label;
  }
  c["title"] = metric_label + " " + p.T("chart_by") + " " + group_label;
  c["group_label"] = group_label;
  c["metric_label"] = metric_label;
  Params api = Without(params, {"cursor", "limit", "sort", "fields", "offset"});
  c["api_url"] = api_base + "/aggregate" + QueryString(api);
  return c;
}

// The map view of a table with a geopoint: the page says where the points, the outline and the
// tiles are; web/static/map.js draws them. The points are the rows the table's filters select,
// asked from the same REST rows endpoint with the same parameters, at most kMapMaxPoints of them.
constexpr int64_t kMapMaxPoints = 5000;

// "https://hue.gov.vn/img/logo.png" → "https://hue.gov.vn"; "" for a local path, no URL, or a
// host with anything but letters, digits, dots, dashes and a port (never a policy's separator).
std::string OriginOf(const std::string& url) {
  constexpr std::string_view kHttps = "https://";
  if (url.rfind(kHttps, 0) != 0) return "";
  std::string origin = url.substr(0, url.find('/', kHttps.size()));
  if (origin.size() == kHttps.size()) return "";
  for (size_t i = kHttps.size(); i < origin.size(); ++i) {
    char c = origin[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != ':') return "";
  }
  return origin;
}

json MapView(Page& p, const datastore::TableInfo& t, const std::string& api_base,
             const Params& query) {
  catalog::SiteSettings s = p.api.settings.Get();
  Params points = Filters(query);
  if (!p.req.Param("q").empty()) points.emplace_back("q", p.req.Param("q"));
  Params rows = points;
  rows.emplace_back("limit", std::to_string(kMapMaxPoints));
  rows.emplace_back("include_total", "true");
  json m = {{"rows_url", api_base + "/rows" + QueryString(rows)},
            {"geojson_url", api_base + "/export" + QueryString(With(points, "format", "geojson"))},
            {"lat", t.latitude},
            {"lon", t.longitude},
            {"max_points", kMapMaxPoints},
            {"tile_url", s.map_tile_url},
            {"tile_attribution", s.map_tile_attribution},
            {"province", s.province_vi}};
  // The page's images: its own, the tile server's and an emblem hosted elsewhere, nothing more.
  std::vector<std::string> sources;
  if (std::string tiles = catalog::TileCspSource(s); !tiles.empty()) sources.push_back(tiles);
  if (std::string logo = OriginOf(catalog::LogoPath(s)); !logo.empty()) sources.push_back(logo);
  p.RestrictImagesTo(std::move(sources));
  return m;
}

// The map of a resource whose file is GeoJSON: web/static/map.js fetches the file from the
// download route (the same access checks as a download) and draws its features, at most
// kGeoMapMaxFeatures of them from a file of at most kGeoMapMaxBytes; past either the page says
// so and offers the download instead.
constexpr int64_t kGeoMapMaxBytes = 20LL * 1024 * 1024;
constexpr int64_t kGeoMapMaxFeatures = 50000;
// How much of a .json file is read to tell a FeatureCollection.
constexpr size_t kGeoSniffBytes = 4096;

bool EndsWithNoCase(const std::string& s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[s.size() - suffix.size() + i])) != suffix[i])
      return false;
  }
  return true;
}

// Whether the start of a JSON text says it is a GeoJSON FeatureCollection: a member "type" with
// the value "FeatureCollection" within the first kGeoSniffBytes. A hint only: map.js parses and
// checks the whole file.
bool LooksLikeFeatureCollection(std::string_view head) {
  size_t i = head.find_first_not_of(" \t\r\n");
  if (i == std::string_view::npos || head[i] != '{') return false;
  constexpr std::string_view kType = "\"type\"";
  for (size_t at = head.find(kType); at != std::string_view::npos; at = head.find(kType, at + 1)) {
    size_t v = head.find_first_not_of(" \t\r\n", at + kType.size());
    if (v == std::string_view::npos || head[v] != ':') continue;
    v = head.find_first_not_of(" \t\r\n", v + 1);
    if (v != std::string_view::npos && head.substr(v).rfind("\"FeatureCollection\"", 0) == 0)
      return true;
  }
  return false;
}

// Whether the uploaded file of `r` is GeoJSON: by its format, name or media type, or, for a
// .json file, by the start of its content.
bool IsGeoJsonFile(Page& p, const Resource& r) {
  if (!r.upload || r.sha256.empty()) return false;
  if (r.format == "GeoJSON" || r.format == "GEOJSON" || EndsWithNoCase(r.filename, ".geojson") ||
      r.mimetype == "application/geo+json") {
    return true;
  }
  if (r.format != "JSON" && !EndsWithNoCase(r.filename, ".json")) return false;
  std::ifstream in(p.api.blobs.PathOf(r.sha256), std::ios::binary);
  std::string head(kGeoSniffBytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(std::max<std::streamsize>(0, in.gcount())));
  return LooksLikeFeatureCollection(head);
}

json GeoMapView(Page& p, const Resource& r, const std::string& download_url) {
  catalog::SiteSettings s = p.api.settings.Get();
  json m = {{"geojson_url", download_url},  {"fetch_url", download_url + "?view=map"},
            {"max_bytes", kGeoMapMaxBytes}, {"max_features", kGeoMapMaxFeatures},
            {"tile_url", s.map_tile_url},   {"tile_attribution", s.map_tile_attribution},
            {"province", s.province_vi}};
  if (r.size > kGeoMapMaxBytes) {
    m["too_big"] = FillMessage(p.T("map_geo_too_big"),
                               {{"max", std::to_string(kGeoMapMaxBytes >> 20) + " MB"}});
  }
  std::vector<std::string> sources;
  if (std::string tiles = catalog::TileCspSource(s); !tiles.empty()) sources.push_back(tiles);
  if (std::string logo = OriginOf(catalog::LogoPath(s)); !logo.empty()) sources.push_back(logo);
  p.RestrictImagesTo(std::move(sources));
  return m;
}

}  // namespace

http::Response ResourcePage(Page& p, const api::PathParams& params) {
  auto got = p.api.catalog.GetResource(p.who, params.at("id"));
  if (!got.ok()) return p.Error(got.status());
  const catalog::DatasetEntry& e = *got->first;
  const Resource& r = got->second;
  const Dataset& d = e.dataset;
  if (params.at("slug") != d.slug && params.at("slug") != d.id) {
    return p.Error(Status::NotFound("resource", r.id));
  }
  const std::string self = "/datasets/" + d.slug + "/resources/" + r.id;
  const Params& query = p.req.query;

  // The filter form sends a column, an operator and a value; the page's address says the same
  // in the query grammar (`so_dan[gt]=1000`), which is also the API's.
  if (p.req.HasParam("filter_field")) {
    Params next = Without(query, {"filter_field", "filter_op", "filter_value", "cursor"});
    std::string field = p.req.Param("filter_field"), op = p.req.Param("filter_op");
    if (!field.empty() && datastore::ParseOp(op)) {
      std::string value = p.req.Param("filter_value");
      if (op == "null" || op == "notnull") value = "1";
      if (!value.empty()) next.emplace_back(op == "eq" ? field : field + "[" + op + "]", value);
    }
    return p.Redirect(self + QueryString(next));
  }

  p.CountView(d.id, r.id);
  json v = p.View(r.name.empty() ? r.filename : r.name);
  json res = {{"id", r.id},
              {"name", r.name.empty() ? r.filename : r.name},
              {"format", r.format},
              {"description", r.description},
              {"dataset_title", p.Pick(d.title_vi, d.title_en)},
              {"dataset_url", p.Url("/datasets/" + d.slug)},
              {"modified", p.Date(r.modified, true)},
              {"version", r.version},
              {"upload", r.upload}};
  if (r.upload) {
    res["download_url"] =
        "/dataset/" + d.id + "/resource/" + r.id + "/download/" + http::UrlEncode(r.filename);
    res["size"] = FormatBytes(r.size, p.lang);
    if (IsGeoJsonFile(p, r)) v["geomap"] = GeoMapView(p, r, res["download_url"]);
  } else {
    res["url"] = r.url;
  }
  v["res"] = res;
  int status = 200;
  if (!p.api.datastore) return p.Render("resource", std::move(v));
  const datastore::Datastore& ds = *p.api.datastore;
  if (auto job = ds.Job(r.id); job.ok() && job->state != datastore::JobState::kDone) {
    json j = {{"state", p.T(std::string("job_") + ToString(job->state))}, {"rows", job->rows_done}};
    if (!job->error_en.empty()) j["error"] = p.en() ? job->error_en : job->error_vi;
    v["job"] = std::move(j);
  }
  // The pages' reader is never a consumer system (page.cpp): never a grant's view here.
  auto found = api::TableFor(p.api, p.who, r.id, "");
  Result<datastore::TableInfo> t = Status::NotFound("datastore table of resource", r.id);
  if (found.ok() && !found->grant) t = std::move(found->table);
  if (!t.ok()) return p.Render("resource", std::move(v));

  const std::string api_base = "/api/v1/resources/" + r.id;
  json tv;
  auto parsed = api::ParseRestQuery(p.req);
  datastore::Query q;
  if (parsed.ok()) {
    q = *parsed;
  } else {
    tv["error"] = p.Message(parsed.status());
    status = 400;
  }
  if (!p.req.HasParam("limit")) q.limit = 25;
  q.limit = std::clamp<int64_t>(q.limit, 1, 200);
  q.include_total = true;
  auto rows = ds.Search(*t, q);
  if (!rows.ok()) {
    tv["error"] = p.Message(rows.status());
    status = 400;
    q = datastore::Query{};
    q.limit = 25;
    rows = ds.Search(*t, q);
    if (!rows.ok()) return p.Error(rows.status());
  }

  // Columns with links that sort by them: ascending, then descending, then unsorted.
  std::string sorted_by;
  bool descending = false;
  if (!q.sort.empty()) {
    sorted_by = q.sort.front().first;
    descending = q.sort.front().second;
  }
  Params base = Without(query, {"cursor"});
  json columns = json::array();
  for (size_t i = 1; i < rows->fields.size(); ++i) {
    const auto& f = rows->fields[i];
    std::string next_sort = f.id != sorted_by ? f.id : !descending ? "-" + f.id : "";
    std::string state = f.id != sorted_by ? "" : descending ? "descending" : "ascending";
    columns.push_back({{"id", f.id},
                       {"label", f.label},
                       {"type", p.T(std::string("type_") + datastore::ToString(f.type))},
                       {"numeric", Numeric(f.type)},
                       {"sort_url", p.Url(self + QueryString(With(base, "sort", next_sort)))},
                       {"aria_sort", state.empty() ? "none" : state},
                       {"sort_mark", state.empty() ? ""
                                     : descending  ? "▼"
                                                   : "▲"}});
  }
  json body = json::array();
  const std::vector<ColumnDisplay> shown_as = ColumnDisplays(rows->fields, rows->rows);
  for (const auto& row : rows->rows) {
    json cells = json::array();
    for (size_t c = 1; c < row.size() && c < rows->fields.size(); ++c) {
      cells.push_back({{"text", CellText(p, row[c], shown_as[c])},
                       {"numeric", Numeric(rows->fields[c].type) && !shown_as[c].province_names}});
    }
    body.push_back({{"cells", cells}});
  }
  tv["columns"] = std::move(columns);
  tv["body"] = std::move(body);
  tv["rows"] = t->rows;
  tv["matching"] = rows->total;
  tv["shown"] = static_cast<int64_t>(rows->rows.size());
  tv["filtered"] = rows->total != t->rows;
  if (rows->next)
    tv["next_url"] =
        p.Url(self + QueryString(With(base, "cursor", api::EncodeCursor(*rows->next))));
  if (p.req.HasParam("cursor")) tv["first_url"] = p.Url(self + QueryString(base));

  // The filters in force, each with a link that drops it.
  json chips = json::array();
  for (const auto& [k, value] : Filters(query)) {
    std::string field = k, op = "eq";
    if (auto open = k.find('['); open != std::string::npos && k.back() == ']') {
      field = k.substr(0, open);
      op = k.substr(open + 1, k.size() - open - 2);
    }
    std::string label = field;
    for (const auto& f : t->fields) {
      if (f.id == field) label = f.label;
    }
    Params rest;
    for (const auto& kv : Without(query, {"cursor"})) {
      if (!(kv.first == k && kv.second == value)) rest.push_back(kv);
    }
    chips.push_back({{"label", label},
                     {"op", OpLabel(p, op)},
                     {"value", op == "null" || op == "notnull" ? "" : value},
                     {"remove_url", p.Url(self + QueryString(rest))}});
  }
  tv["chips"] = chips;
  tv["has_chips"] = !chips.empty();
  tv["q"] = p.req.Param("q");
  tv["field_options"] = Options(t->fields, "");
  json ops = json::array();
  for (const char* op :
       {"eq", "ne", "contains", "startswith", "gt", "gte", "lt", "lte", "in", "null", "notnull"}) {
    ops.push_back({{"value", op}, {"label", OpLabel(p, op)}});
  }
  tv["op_options"] = std::move(ops);
  tv["keep"] = json::array();
  for (const auto& [k, value] : Without(query, {"cursor", "q"}))
    tv["keep"].push_back({{"name", k}, {"value", value}});
  tv["keep_filters"] = json::array();
  for (const auto& [k, value] : Without(query, {"cursor"}))
    tv["keep_filters"].push_back({{"name", k}, {"value", value}});

  // Downloads of this view: the same filters and sort, every matching row.
  Params view = Without(query, {"cursor", "limit", "offset", "group_by", "metrics", "order"});
  json downloads = json::array();
  std::vector<std::pair<std::string, std::string>> formats = {
      {"csv", "CSV"}, {"xlsx", "Excel (XLSX)"}, {"json", "JSON"}, {"ndjson", "NDJSON"}};
  if (!t->latitude.empty()) formats.emplace_back("geojson", "GeoJSON");
  formats.emplace_back("datapackage", "Data Package (ZIP)");
  for (const auto& [fmt, label] : formats) {
    downloads.push_back(
        {{"label", label}, {"url", api_base + "/export" + QueryString(With(view, "format", fmt))}});
    if (fmt == "csv") {
      // For Excel on a machine set to Vietnamese: `;` between cells, decimal comma, a BOM.
      downloads.push_back(
          {{"label", p.T("download_csv_excel_vi")},
           {"url", api_base + "/export" +
                       QueryString(With(With(view, "format", "csv"), "dialect", "excel-vi"))}});
    }
  }
  tv["downloads"] = std::move(downloads);
  // The downloads with or without the row number `_id` (the page's `include_id=false`).
  const bool without_id = p.req.Param("include_id") == "false";
  tv["without_id"] = without_id;
  tv["id_toggle_url"] =
      p.Url(self + QueryString(With(base, "include_id", without_id ? "" : "false")));
  tv["api_url"] = api_base + "/rows" +
                  QueryString(With(Without(query, {"group_by", "metrics", "order"}), "limit",
                                   std::to_string(q.limit)));
  tv["api_id"] = "api-rows-" + r.id;

  // The schema and the validation report.
  json schema = json::array();
  for (const auto& f : t->fields) {
    bool key =
        std::find(t->primary_key.begin(), t->primary_key.end(), f.id) != t->primary_key.end();
    schema.push_back({{"id", f.id},
                      {"label", f.label},
                      {"type", p.T(std::string("type_") + datastore::ToString(f.type))},
                      {"description", f.description},
                      {"key", key}});
  }
  tv["schema"] = std::move(schema);
  if (!t->latitude.empty()) tv["geopoint"] = t->latitude + ", " + t->longitude;
  tv["source"] = t->source;
  tv["encoding"] = t->encoding;
  tv["caption"] = t->caption;
  tv["has_caption"] = !t->caption.empty();
  tv["notes"] = t->notes;
  tv["has_notes"] = !t->notes.empty();
  json kinds = json::array();
  int64_t issue_total = 0;
  for (const auto& [kind_enum, n] : t->issue_counts) {
    const std::string kind = ToString(kind_enum);
    issue_total += n;
    const std::string& label = p.T("issue_" + kind);
    kinds.push_back({{"kind", label.rfind("issue_", 0) == 0 ? kind : label}, {"count", n}});
  }
  json issues = json::array();
  for (const auto& i : t->issues) {
    issues.push_back({{"line", i.line > 0 ? json(i.line) : json(false)},
                      {"column", i.column > 0 ? json(i.column) : json(false)},
                      {"message", p.en() ? i.message_en : i.message_vi}});
  }
  tv["issue_kinds"] = std::move(kinds);
  tv["issues"] = std::move(issues);
  tv["issue_total"] = issue_total;
  tv["has_issues"] = issue_total > 0;
  tv["issues_kept"] = static_cast<int64_t>(t->issues.size());
  tv["personal"] = PersonalDataView(p, *t);
  if (!p.api.catalog.CheckCanEdit(p.who, r.dataset_id).ok()) {
    for (auto& c : tv["personal"]) c["examples"] = "";  // the publisher's editors only
  }
  tv["has_personal"] = !t->personal_data.empty();
  tv["chart"] = ChartView(p, ds, *t, q, query, api_base);
  if (!t->latitude.empty() && !v.contains("geomap")) v["map"] = MapView(p, *t, api_base, query);
  v["table"] = std::move(tv);
  return p.Render("resource", std::move(v), status);
}

}  // namespace odp::web
