#include "catalog/usage_stats.h"

#include <algorithm>
#include <cstdio>
#include <unordered_map>

namespace odp::catalog {

std::string NextMonth(const std::string& month) {
  int y = 0, m = 0;
  if (month.size() != 7 || std::sscanf(month.c_str(), "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12)
    return "";
  if (++m > 12) {
    m = 1;
    ++y;
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
  return buf;
}

UsageSummary Summarize(const std::vector<UsageCount>& months, const UsageFactsOf& facts_of,
                       const std::string& current_month) {
  UsageSummary s;
  std::unordered_map<std::string, std::optional<UsageDatasetFacts>> facts;
  std::map<std::string, UsageFigures> by_month;
  for (const auto& c : months) {
    auto f = facts.find(c.dataset_id);
    if (f == facts.end()) f = facts.emplace(c.dataset_id, facts_of(c.dataset_id)).first;
    if (!f->second) continue;
    s.total.Add(c.kind, c.count);
    by_month[c.day].Add(c.kind, c.count);
    s.datasets[c.dataset_id].Add(c.kind, c.count);
    s.dataset_months[{c.day, c.dataset_id}].Add(c.kind, c.count);
    if (!c.resource_id.empty()) s.resources[c.resource_id].Add(c.kind, c.count);
    s.organizations[c.organization_id.empty() ? f->second->organization_id : c.organization_id].Add(
        c.kind, c.count);
    if (f->second->sector_ids.empty()) s.sectors[""].Add(c.kind, c.count);
    for (const auto& sector : f->second->sector_ids) s.sectors[sector].Add(c.kind, c.count);
    if (c.kind == "download") s.downloads_by_format[c.format] += c.count;
  }
  if (auto it = by_month.find(current_month); it != by_month.end()) s.this_month = it->second;
  std::string month =
      by_month.empty() ? current_month : std::min(by_month.begin()->first, current_month);
  // A month that is not YYYY-MM ends the list rather than looping.
  for (; !month.empty() && month <= current_month; month = NextMonth(month)) {
    auto it = by_month.find(month);
    s.months.emplace_back(month, it == by_month.end() ? UsageFigures{} : it->second);
  }
  return s;
}

std::vector<std::pair<std::string, int64_t>> Top(const std::map<std::string, UsageFigures>& by,
                                                 UsageKind kind, size_t n) {
  std::vector<std::pair<std::string, int64_t>> out;
  for (const auto& [key, f] : by) {
    int64_t v = kind == UsageKind::kView ? f.views : f.downloads;
    if (v > 0) out.emplace_back(key, v);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (out.size() > n) out.resize(n);
  return out;
}

}  // namespace odp::catalog
