#include "catalog/usage_counter.h"

#include <cstdio>
#include <utility>

#include "base/civil_date.h"
#include "base/log.h"

namespace odp::catalog {

std::string MonthOf(Micros t) { return FormatCivilDate(VietnamDateOf(t)).substr(0, 7); }

const char* ToString(UsageKind kind) { return kind == UsageKind::kView ? "view" : "download"; }

UsageCounter::UsageCounter(store::UsageStore& store, OrganizationOf organization_of)
    : store_(store), organization_of_(std::move(organization_of)) {}

UsageCounter::~UsageCounter() { Stop(); }

UsageCount UsageCounter::MonthRow(const Key& k, int64_t n) {
  return UsageCount{FormatCivilDate(CivilDateFromDays(k.day)).substr(0, 7),
                    ToString(k.kind),
                    k.format,
                    k.dataset_id,
                    k.resource_id,
                    "",
                    n};
}

void UsageCounter::SetStoredLocked(std::vector<UsageCount> months) {
  stored_.clear();
  by_month_.clear();
  for (auto& c : months) {
    by_month_[c.day].Add(c.kind, c.count);
    stored_[c.dataset_id].push_back(std::move(c));
  }
  for (const Pending* p : {&in_flight_, &pending_}) {
    for (const auto& [k, n] : *p) {
      by_month_[FormatCivilDate(CivilDateFromDays(k.day)).substr(0, 7)].Add(ToString(k.kind), n);
    }
  }
}

Status UsageCounter::Load() {
  std::lock_guard flushing(flush_mu_);
  ODP_ASSIGN_OR_RETURN(auto months, store_.ListUsageByMonth());
  last_read_ = std::chrono::steady_clock::now();
  std::lock_guard lock(mu_);
  SetStoredLocked(std::move(months));
  return Status::Ok();
}

void UsageCounter::Record(UsageKind kind, std::string_view format, std::string_view dataset_id,
                          std::string_view resource_id, Micros at) {
  Key k{DaysSinceEpoch(VietnamDateOf(at)), kind, std::string(format), std::string(dataset_id),
        std::string(resource_id)};
  std::lock_guard lock(mu_);
  if (k.day != month_day_) {
    month_day_ = k.day;
    month_of_day_ = FormatCivilDate(CivilDateFromDays(k.day)).substr(0, 7);
  }
  by_month_[month_of_day_].Add(ToString(kind), 1);
  ++pending_[std::move(k)];
}

Status UsageCounter::Flush() {
  std::lock_guard flushing(flush_mu_);
  if (stopped_) return Status::Ok();
  bool idle;
  {
    std::lock_guard lock(mu_);
    idle = pending_.empty();
    if (!idle) in_flight_.swap(pending_);
  }
  if (idle) {
    // Nothing of ours to write: the other servers' counts are re-read now and then only, as
    // the re-read sums the whole table.
    auto now = std::chrono::steady_clock::now();
    if (now - last_read_ < idle_reread_) return Status::Ok();
    last_read_ = now;
    ODP_ASSIGN_OR_RETURN(auto months, store_.ListUsageByMonth());
    std::lock_guard lock(mu_);
    SetStoredLocked(std::move(months));
    return Status::Ok();
  }
  // Only Flush changes in_flight_, and flush_mu_ is held: reading it unlocked is safe.
  std::vector<UsageCount> rows;
  rows.reserve(in_flight_.size());
  std::unordered_map<std::string, std::string> orgs;
  for (const auto& [k, n] : in_flight_) {
    auto org = orgs.find(k.dataset_id);
    if (org == orgs.end()) org = orgs.emplace(k.dataset_id, organization_of_(k.dataset_id)).first;
    // In key order: servers writing the same keys at once take their row locks in one order.
    rows.push_back({FormatCivilDate(CivilDateFromDays(k.day)), ToString(k.kind), k.format,
                    k.dataset_id, k.resource_id, org->second, n});
  }
  Status written = store_.AddUsage(rows);
  if (!written.ok()) {
    std::lock_guard lock(mu_);
    for (auto& [k, n] : in_flight_) pending_[k] += n;
    in_flight_.clear();
    return written;
  }
  auto months = store_.ListUsageByMonth();
  last_read_ = std::chrono::steady_clock::now();
  std::lock_guard lock(mu_);
  if (months.ok()) {
    in_flight_.clear();
    SetStoredLocked(std::move(*months));
    return Status::Ok();
  }
  // Stored, but not re-read: keep them as stored sums until the next flush reads everything.
  for (auto& [k, n] : in_flight_) {
    UsageCount row = MonthRow(k, n);
    row.organization_id = orgs[k.dataset_id];
    stored_[k.dataset_id].push_back(std::move(row));
  }
  in_flight_.clear();
  LogWarn("usage counts stored but not re-read: " + months.status().message());
  return Status::Ok();
}

void UsageCounter::Run(const std::stop_token& stop, std::chrono::milliseconds interval) {
  std::mutex m;
  std::unique_lock lock(m);
  while (!stop.stop_requested()) {
    wake_.wait_for(lock, stop, interval, [] { return false; });
    if (stop.stop_requested()) break;
    if (Status s = Flush(); !s.ok()) LogWarn("usage counts not stored yet: " + s.message());
  }
}

void UsageCounter::Start(std::chrono::milliseconds interval) {
  std::lock_guard lock(thread_mu_);
  {
    std::lock_guard flushing(flush_mu_);
    if (stopped_) return;
  }
  if (thread_.joinable()) return;
  {
    std::lock_guard flushing(flush_mu_);
    idle_reread_ = interval * kIdleRereadIntervals;
  }
  thread_ = std::jthread([this, interval](std::stop_token stop) { Run(stop, interval); });
}

void UsageCounter::Stop() {
  {
    std::lock_guard lock(thread_mu_);
    if (thread_.joinable()) {
      thread_.request_stop();
      thread_.join();
    }
  }
  if (Status s = Flush(); !s.ok()) LogWarn("usage counts lost at shutdown: " + s.message());
  std::lock_guard flushing(flush_mu_);
  stopped_ = true;
}

std::vector<UsageCount> UsageCounter::Months() const {
  std::vector<UsageCount> out;
  std::lock_guard lock(mu_);
  for (const auto& [id, rows] : stored_) out.insert(out.end(), rows.begin(), rows.end());
  for (const Pending* p : {&in_flight_, &pending_}) {
    for (const auto& [k, n] : *p) out.push_back(MonthRow(k, n));
  }
  return out;
}

std::vector<UsageCount> UsageCounter::MonthsOf(const std::string& dataset_id) const {
  std::vector<UsageCount> out;
  std::lock_guard lock(mu_);
  if (auto it = stored_.find(dataset_id); it != stored_.end()) out = it->second;
  for (const Pending* p : {&in_flight_, &pending_}) {
    for (const auto& [k, n] : *p) {
      if (k.dataset_id == dataset_id) out.push_back(MonthRow(k, n));
    }
  }
  return out;
}

UsageFigures UsageCounter::InMonth(Micros at) const {
  std::string month = MonthOf(at);
  std::lock_guard lock(mu_);
  auto it = by_month_.find(month);
  return it == by_month_.end() ? UsageFigures{} : it->second;
}

}  // namespace odp::catalog
