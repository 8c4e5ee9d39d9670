// Usage statistics: the monthly counts of UsageCounter summed the ways the statistics page, the
// dataset page and /api/v1/stats show them. Pure functions over the counts; no I/O, no locks.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "catalog/usage_counter.h"
#include "store/records.h"

namespace odp::catalog {

// What a summary needs to know of a dataset; nullopt leaves its counts out (the caller may not
// see it, or it is not published).
struct UsageDatasetFacts {
  std::string organization_id;  // its agency now: counts stored without one go there
  std::vector<std::string> sector_ids;
};
using UsageFactsOf = std::function<std::optional<UsageDatasetFacts>(const std::string& dataset_id)>;

struct UsageSummary {
  UsageFigures total;
  UsageFigures this_month;
  // Every month from the first with a count (or `current_month` when there is none) to
  // `current_month`, oldest first; months without counts are zeros.
  std::vector<std::pair<std::string, UsageFigures>> months;
  std::map<std::string, UsageFigures> datasets;  // by dataset id
  // By (month, dataset id), every month with a count (the CSV of the statistics page).
  std::map<std::pair<std::string, std::string>, UsageFigures> dataset_months;
  std::map<std::string, UsageFigures> resources;      // by resource id (tables and files)
  std::map<std::string, UsageFigures> organizations;  // by the agency stored with each count
  // By sector id; a dataset in two sectors counts in both, one in none under "".
  std::map<std::string, UsageFigures> sectors;
  std::map<std::string, int64_t> downloads_by_format;  // "file", "csv", "xlsx", …
};

// Sums `months` (monthly counts, as UsageCounter::Months) of the datasets `facts_of` knows.
// `current_month` is "2026-12" (MonthOf(now)); later months are counted in the totals but not
// listed.
UsageSummary Summarize(const std::vector<UsageCount>& months, const UsageFactsOf& facts_of,
                       const std::string& current_month);

// The keys of `by` with the most views (or downloads), most first, ties by key; keys whose
// figure is 0 are left out. At most `n`.
std::vector<std::pair<std::string, int64_t>> Top(const std::map<std::string, UsageFigures>& by,
                                                 UsageKind kind, size_t n);

// "2027-01" after "2026-12"; "" when `month` is not YYYY-MM.
std::string NextMonth(const std::string& month);

}  // namespace odp::catalog
