// The statistics page: `/thong-ke` in Vietnamese, `/en/statistics` in English (both paths answer
// in both languages, the language following the `/en` prefix as everywhere). It renders the JSON
// of GET /api/v1/stats (api/stats_api.h) for the caller: totals, months, the most viewed and most
// downloaded datasets, agencies, sectors and formats, each as an HTML table that works without
// JavaScript. `web/static/stats.js` draws a Chart.js chart from each table marked `data-chart`
// (the numbers come from the cells' `data-value`), above the table. The page shows live figures:
// a cached copy is served for at most kLiveFiguresMaxAge.
#include <string>

#include "api/stats_api.h"
#include "web/page.h"

namespace odp::web {
namespace {

using http::Response;

// Adds the figures of `from` ("views", "downloads") as numbers and as text in `p`'s language.
json Figures(const Page& p, const json& from) {
  json x = from;
  for (const char* key : {"views", "downloads"}) {
    x[std::string(key) + "_text"] = FormatCount(from.value(key, int64_t{0}), p.lang);
  }
  return x;
}

json Named(const Page& p, const json& list, const std::string& url_prefix) {
  json out = json::array();
  for (const auto& item : list) {
    json x = Figures(p, item);
    std::string title =
        p.Pick(item.value("title", std::string()), item.value("title_en", std::string()));
    x["name"] = title.empty() ? item.value("slug", item.value("id", std::string())) : title;
    std::string slug = item.value("slug", std::string());
    if (!slug.empty() && !url_prefix.empty()) x["url"] = p.Url(url_prefix + slug);
    out.push_back(std::move(x));
  }
  return out;
}

Response StatsPage(Page& p, const api::PathParams&) {
  p.ShowsLiveFigures();
  json usage = api::UsageJson(p.api, p.who);
  json v = p.View(p.T("stats_title"));
  v["alt_lang_url"] = p.en() ? "/thong-ke" : "/en/statistics";
  v["total"] = Figures(p, usage["total"]);
  v["this_month"] = Figures(p, usage["this_month"]);
  v["this_month"]["label"] = FormatMonth(usage["this_month"].value("month", std::string()), p.lang);
  json months = json::array();
  for (const auto& m : usage["months"]) {
    json x = Figures(p, m);
    x["label"] = FormatMonth(m.value("month", std::string()), p.lang);
    months.push_back(std::move(x));
  }
  v["months"] = std::move(months);
  v["top_viewed"] = Named(p, usage["top_viewed"], "/datasets/");
  v["top_downloaded"] = Named(p, usage["top_downloaded"], "/datasets/");
  v["has_top_viewed"] = !v["top_viewed"].empty();
  v["has_top_downloaded"] = !v["top_downloaded"].empty();
  v["organizations"] = Named(p, usage["organizations"], "/organizations/");
  v["sectors"] = Named(p, usage["sectors"], "/sectors/");
  json formats = json::array();
  for (const auto& f : usage["formats"]) {
    std::string format = f.value("format", std::string());
    formats.push_back({{"name", format == "file" ? p.T("format_file") : format},
                       {"downloads", f.value("downloads", int64_t{0})},
                       {"downloads_text", FormatCount(f.value("downloads", int64_t{0}), p.lang)}});
  }
  v["formats"] = std::move(formats);
  v["has_counts"] = usage["total"].value("views", 0) + usage["total"].value("downloads", 0) > 0;
  v["csv_url"] = "/api/v1/stats?format=csv";
  v["api_url"] = p.api.config.site_url + "/api/v1/stats";
  return p.Render("stats", std::move(v));
}

}  // namespace

void RegisterStatsPages(api::Router& router, WebContext& web) {
  AddPage(router, web, "GET", "/thong-ke", StatsPage, Cacheable::kYes);
  AddPage(router, web, "GET", "/statistics", StatsPage, Cacheable::kYes);
}

}  // namespace odp::web
