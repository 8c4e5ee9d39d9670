#include "api/stats_api.h"

#include "api/handler.h"
#include "api/response.h"
#include "api/upload.h"
#include "catalog/usage_stats.h"
#include "formats/text_writers.h"

namespace odp::api {
namespace {

using json = nlohmann::json;
using catalog::UsageFigures;
using catalog::UsageKind;
using http::Request;
using http::Response;

void PutFigures(json& j, const UsageFigures& f) {
  j["views"] = f.views;
  j["downloads"] = f.downloads;
}

json MonthsJson(const catalog::UsageSummary& s) {
  json months = json::array();
  for (const auto& [month, f] : s.months) {
    json m = {{"month", month}};
    PutFigures(m, f);
    months.push_back(std::move(m));
  }
  return months;
}

json FormatsJson(const catalog::UsageSummary& s) {
  json formats = json::array();
  for (const auto& [format, n] : s.downloads_by_format)
    formats.push_back({{"format", format}, {"downloads", n}});
  return formats;
}

// Agencies or sectors, most downloaded first (then most viewed, then by key).
template <typename Describe>
json RankedJson(const std::map<std::string, UsageFigures>& by, Describe describe) {
  std::vector<std::pair<std::string, UsageFigures>> ranked(by.begin(), by.end());
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return std::tie(a.second.downloads, a.second.views) >
           std::tie(b.second.downloads, b.second.views);
  });
  json out = json::array();
  for (const auto& [key, f] : ranked) {
    json x = describe(key);
    PutFigures(x, f);
    out.push_back(std::move(x));
  }
  return out;
}

json DatasetRef(ApiContext& ctx, const access::Principal& who, const std::string& id) {
  json x = {{"id", id}};
  if (auto e = ctx.catalog.GetDataset(who, id); e.ok()) {
    const Dataset& d = (*e)->dataset;
    x["slug"] = d.slug;
    x["title"] = d.title_vi;
    x["title_en"] = d.title_en;
    x["url"] = ctx.config.site_url + "/datasets/" + d.slug;
  }
  return x;
}

json OrganizationRef(ApiContext& ctx, const std::string& id) {
  json x = {{"id", id}, {"slug", ""}, {"title", ""}, {"title_en", ""}};
  if (auto o = ctx.catalog.GetOrganization(id); o.ok()) {
    x["slug"] = o->slug;
    x["title"] = o->title_vi;
    x["title_en"] = o->title_en;
  }
  return x;
}

json SectorRef(ApiContext& ctx, const std::string& id) {
  // Datasets in no sector are counted under the id "".
  json x = {{"id", id}, {"slug", ""}, {"title", "Chưa xếp lĩnh vực"}, {"title_en", "No sector"}};
  if (id.empty()) return x;
  if (auto g = ctx.catalog.GetGroup(id); g.ok()) {
    x["slug"] = g->slug;
    x["title"] = g->title_vi;
    x["title_en"] = g->title_en;
  }
  return x;
}

json TopJson(ApiContext& ctx, const access::Principal& who, const catalog::UsageSummary& s,
             UsageKind kind) {
  json out = json::array();
  for (const auto& [id, n] : catalog::Top(s.datasets, kind, kStatsTopDatasets)) {
    json x = DatasetRef(ctx, who, id);
    PutFigures(x, s.datasets.at(id));
    out.push_back(std::move(x));
  }
  return out;
}

Result<Response> GetStats(ApiContext& ctx, Request& req, const PathParams&,
                          const access::Principal& who) {
  std::string format = req.HasParam("format") ? req.Param("format") : "json";
  Response r;
  if (format == "csv") {
    r.status = 200;
    r.body = UsageCsv(ctx, who);
    r.Set("Content-Type", "text/csv; charset=utf-8");
    r.Set("Content-Disposition", ContentDisposition("thong-ke-su-dung.csv"));
  } else if (format == "json") {
    r = JsonResponse(200, UsageJson(ctx, who));
  } else {
    return Status::InvalidArgument("format must be json or csv", "Định dạng phải là json hoặc csv")
        .WithField("format", "json, csv");
  }
  r.Set("Cache-Control", "no-cache");
  return r;
}

Result<Response> GetDatasetStats(ApiContext& ctx, Request&, const PathParams& p,
                                 const access::Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto entry, ctx.catalog.GetDataset(who, p.at("id")));
  ODP_ASSIGN_OR_RETURN(catalog::UsageSummary s, ctx.catalog.DatasetUsage(who, entry->dataset.id));
  json body = {{"dataset", DatasetRef(ctx, who, entry->dataset.id)}};
  PutFigures(body["total"], s.total);
  body["this_month"] = {{"month", s.months.empty() ? "" : s.months.back().first}};
  PutFigures(body["this_month"], s.this_month);
  body["months"] = MonthsJson(s);
  json resources = json::array();
  for (const auto& r : entry->resources) {
    json x = {{"id", r.id}, {"name", r.name.empty() ? r.filename : r.name}};
    auto it = s.resources.find(r.id);
    PutFigures(x, it == s.resources.end() ? UsageFigures{} : it->second);
    resources.push_back(std::move(x));
  }
  body["resources"] = std::move(resources);
  body["formats"] = FormatsJson(s);
  Response r = JsonResponse(200, body);
  r.Set("Cache-Control", "no-cache");
  return r;
}

}  // namespace

json UsageJson(ApiContext& ctx, const access::Principal& who) {
  catalog::UsageSummary s = ctx.catalog.Usage(who);
  json body;
  PutFigures(body["total"], s.total);
  body["this_month"] = {{"month", s.months.empty() ? "" : s.months.back().first}};
  PutFigures(body["this_month"], s.this_month);
  body["months"] = MonthsJson(s);
  body["top_viewed"] = TopJson(ctx, who, s, UsageKind::kView);
  body["top_downloaded"] = TopJson(ctx, who, s, UsageKind::kDownload);
  body["organizations"] =
      RankedJson(s.organizations, [&](const std::string& id) { return OrganizationRef(ctx, id); });
  body["sectors"] =
      RankedJson(s.sectors, [&](const std::string& id) { return SectorRef(ctx, id); });
  body["formats"] = FormatsJson(s);
  return body;
}

namespace {

// A text cell as a spreadsheet will show it, never run it: titles are written by publishers,
// and this report is opened in Excel, where a cell starting with = + - @ (or a tab or CR before
// one) is a formula. A leading apostrophe makes it text (OWASP's advice for CSV injection).
std::string SpreadsheetText(const std::string& cell) {
  if (cell.empty() || std::string_view("=+-@\t\r").find(cell[0]) == std::string_view::npos)
    return cell;
  return "'" + cell;
}

}  // namespace

std::string UsageCsv(ApiContext& ctx, const access::Principal& who) {
  catalog::UsageSummary s = ctx.catalog.Usage(who);
  std::string out = "\xEF\xBB\xBF";  // a BOM, so that Excel reads UTF-8
  out += "month,dataset,title,title_en,organization,views,downloads\r\n";
  struct Described {
    json dataset;
    std::string organization;  // slug
  };
  std::map<std::string, Described> datasets;  // by id, looked up once
  for (const auto& [key, f] : s.dataset_months) {
    auto it = datasets.find(key.second);
    if (it == datasets.end()) {
      Described d{DatasetRef(ctx, who, key.second), ""};
      if (auto e = ctx.catalog.GetDataset(who, key.second); e.ok()) {
        if (auto o = ctx.catalog.GetOrganization((*e)->dataset.organization_id); o.ok())
          d.organization = o->slug;
      }
      it = datasets.emplace(key.second, std::move(d)).first;
    }
    const json& d = it->second.dataset;
    for (const std::string& cell :
         {key.first, d.value("slug", key.second), d.value("title", std::string()),
          d.value("title_en", std::string()), it->second.organization}) {
      formats::AppendDelimitedCell(out, SpreadsheetText(cell), ',');
      out += ',';
    }
    out += std::to_string(f.views) + "," + std::to_string(f.downloads) + "\r\n";
  }
  return out;
}

void RegisterStats(Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "GET", "/api/v1/stats", GetStats);
  AddRoute(router, ctx, "GET", "/api/v1/stats/datasets/{id}", GetDatasetStats);
}

}  // namespace odp::api
