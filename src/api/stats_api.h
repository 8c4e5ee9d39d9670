// Usage statistics over HTTP: views and downloads of the published datasets the caller may read
// (catalog/usage_stats.h), as JSON and as CSV. The statistics page (web/stats_page.cpp) renders
// the same JSON, so the page, its CSV and the API never disagree.
//
//   GET /api/v1/stats                    totals, months, most viewed and most downloaded
//                                        datasets, agencies, sectors, formats
//   GET /api/v1/stats?format=csv         one line per month and dataset (UTF-8 with a BOM)
//   GET /api/v1/stats/datasets/{id}      one dataset: totals, months, resources, formats
//
// Counts are current on the server that answers, and include the other servers' as of their
// last flush (a few seconds). Answers are `Cache-Control: no-cache` and never in the page cache.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "access/policy.h"
#include "api/context.h"
#include "api/router.h"

namespace odp::api {

// How many datasets the "most viewed" and "most downloaded" lists hold.
inline constexpr size_t kStatsTopDatasets = 10;

// The body of GET /api/v1/stats for `who`.
nlohmann::json UsageJson(ApiContext& ctx, const access::Principal& who);
// The CSV of GET /api/v1/stats?format=csv: month, dataset (slug, titles), agency, views,
// downloads; oldest month first.
std::string UsageCsv(ApiContext& ctx, const access::Principal& who);

void RegisterStats(Router& router, ApiContext& ctx);

}  // namespace odp::api
