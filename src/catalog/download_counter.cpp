#include "catalog/download_counter.h"

#include <algorithm>
#include <cstdio>
#include <mutex>

#include "base/log.h"

namespace odp::catalog {

std::string MonthOf(Micros t) {
  std::tm tm = VietnamTime(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
  return buf;
}

DownloadCounter::DownloadCounter(store::DownloadCountStore& store) : store_(store) {}

Status DownloadCounter::Load() {
  ODP_ASSIGN_OR_RETURN(auto counts, store_.ListDownloadCounts());
  std::unique_lock lock(counts_mu_);
  total_.clear();
  by_month_.clear();
  for (const auto& c : counts) {
    total_[c.dataset_id] += c.count;
    by_month_[c.month] += c.count;
  }
  return Status::Ok();
}

void DownloadCounter::Record(const std::string& dataset_id, Micros at) {
  std::string month = MonthOf(at);
  {
    std::unique_lock lock(counts_mu_);
    ++total_[dataset_id];
    ++by_month_[month];
  }
  std::shared_lock writing(writers_mu_);
  if (stopped_) return;
  Status s = store_.AddDownloads(dataset_id, month, 1);
  if (!s.ok()) LogWarn("download count not stored: " + s.message());
}

std::vector<std::pair<std::string, int64_t>> DownloadCounter::Ranked() const {
  std::vector<std::pair<std::string, int64_t>> ranked;
  {
    std::shared_lock lock(counts_mu_);
    ranked.assign(total_.begin(), total_.end());
  }
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return ranked;
}

int64_t DownloadCounter::InMonth(Micros at) const {
  std::shared_lock lock(counts_mu_);
  auto it = by_month_.find(MonthOf(at));
  return it == by_month_.end() ? 0 : it->second;
}

void DownloadCounter::Stop() {
  std::unique_lock lock(writers_mu_);
  stopped_ = true;
}

}  // namespace odp::catalog
