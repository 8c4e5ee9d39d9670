#include "access/quota.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace odp::access {

namespace {

constexpr Micros kSecond = 1000000;
constexpr Micros kVietnamOffset = 7 * 3600 * kSecond;

std::string GrantScope(const Grant& g) { return "g:" + g.id; }
std::string SystemScope(const Grant& g) { return "s:" + g.consumer_id; }

}  // namespace

std::string MinuteWindow(Micros now) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "m:%012lld", static_cast<long long>(now / (60 * kSecond)));
  return buf;
}

std::string DayWindow(Micros now) {
  std::tm tm = VietnamTime(now);
  char buf[32];
  std::snprintf(buf, sizeof buf, "d:%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return buf;
}

int64_t SecondsToNextMinute(Micros now) {
  const Micros minute = 60 * kSecond;
  return (minute - now % minute + kSecond - 1) / kSecond;
}

int64_t SecondsToNextDay(Micros now) {
  const Micros day = 86400 * kSecond;
  const Micros local = now + kVietnamOffset;
  return (day - local % day + kSecond - 1) / kSecond;
}

QuotaCounter::DayUse QuotaCounter::UsedToday(const Grant& g, Micros now) {
  std::lock_guard lock(mu_);
  auto it = counts_.find({GrantScope(g), DayWindow(now)});
  if (it == counts_.end()) return {};
  return {it->second.requests(), it->second.rows()};
}

QuotaDecision QuotaCounter::Admit(const Grant& g, Micros now) {
  const std::string minute = MinuteWindow(now), day = DayWindow(now);
  {
    // Windows seen for the first time are read by the sync below (when one is due).
    std::lock_guard lock(mu_);
    counts_.try_emplace({GrantScope(g), minute});
    counts_.try_emplace({GrantScope(g), day});
    counts_.try_emplace({SystemScope(g), minute});
  }
  MaybeSync(now);
  const int64_t to_minute = SecondsToNextMinute(now), to_day = SecondsToNextDay(now);
  QuotaDecision d;
  std::lock_guard lock(mu_);
  Count& per_minute = counts_[{GrantScope(g), minute}];
  Count& per_day = counts_[{GrantScope(g), day}];
  Count& system = counts_[{SystemScope(g), minute}];
  struct Limit {
    const char* name;
    int64_t quota;
    int64_t used;
    int64_t window;
    int64_t reset;
    bool rows;
  };
  const Limit limits[] = {
      {"minute", g.requests_per_minute, per_minute.requests(), 60, to_minute, false},
      {"day", g.requests_per_day, per_day.requests(), 86400, to_day, false},
      {"rows", g.rows_per_day, per_day.rows(), 86400, to_day, true},
      {"system", options_.system_requests_per_minute, system.requests(), 60, to_minute, false},
  };
  for (const Limit& l : limits) {
    if (l.quota <= 0) continue;
    if (l.used >= l.quota) {
      d.allowed = false;
      d.retry_after = std::max(d.retry_after, l.reset);
    }
  }
  for (const Limit& l : limits) {
    if (l.quota <= 0) continue;
    // What is left after this request (requests) or now (rows).
    const int64_t after = d.allowed && !l.rows ? l.used + 1 : l.used;
    const int64_t left = std::max<int64_t>(0, l.quota - after);
    if (!d.policy.empty()) {
      d.policy += ", ";
      d.remaining += ", ";
    }
    d.policy += "\"" + std::string(l.name) + "\";q=" + std::to_string(l.quota) +
                ";w=" + std::to_string(l.window) + (l.rows ? ";qu=\"rows\"" : "");
    d.remaining += "\"" + std::string(l.name) + "\";r=" + std::to_string(left) +
                   ";t=" + std::to_string(l.reset);
  }
  if (d.allowed) {
    ++per_minute.pending_requests;
    ++per_day.pending_requests;
    ++system.pending_requests;
  }
  return d;
}

int64_t QuotaCounter::RowsLeft(const Grant& g, Micros now) {
  if (g.rows_per_day <= 0) return -1;
  std::lock_guard lock(mu_);
  const Count& c = counts_[{GrantScope(g), DayWindow(now)}];
  return std::max<int64_t>(0, g.rows_per_day - c.rows());
}

void QuotaCounter::AddRows(const Grant& g, int64_t rows, Micros now) {
  if (rows <= 0) return;
  std::lock_guard lock(mu_);
  counts_[{GrantScope(g), DayWindow(now)}].pending_rows += rows;
}

void QuotaCounter::MaybeSync(Micros now) {
  {
    std::lock_guard lock(mu_);
    if (syncing_ || now - last_sync_ < options_.sync_interval) return;
  }
  (void)Sync(now);  // a failed sync keeps the counts pending; the limits use what is known
}

Status QuotaCounter::Sync(Micros now) {
  std::vector<QuotaCount> add;
  {
    std::lock_guard lock(mu_);
    if (syncing_) return Status::Ok();
    syncing_ = true;
    last_sync_ = now;
    const std::string minute = MinuteWindow(now), day = DayWindow(now);
    for (auto it = counts_.begin(); it != counts_.end();) {
      const std::string& window = it->first.second;
      const bool current = window == minute || window == day;
      Count& c = it->second;
      if (c.pending_requests != 0 || c.pending_rows != 0 || current) {
        add.push_back({it->first.first, window, c.pending_requests, c.pending_rows});
        c.pending_requests = 0;
        c.pending_rows = 0;
      }
      // A window that ended is forgotten once its counts are written.
      it = current ? std::next(it) : counts_.erase(it);
    }
  }
  Status s = Status::Ok();
  if (!add.empty()) {
    auto totals = store_.AddQuotaCounts(add);
    std::lock_guard lock(mu_);
    if (totals.ok()) {
      for (const auto& t : *totals) {
        auto it = counts_.find({t.scope, t.window});
        if (it == counts_.end()) continue;
        it->second.shared_requests = t.requests;
        it->second.shared_rows = t.rows;
      }
    } else {
      s = totals.status();
      for (const auto& a : add) {  // counted again at the next sync
        Count& c = counts_[{a.scope, a.window}];
        c.pending_requests += a.requests;
        c.pending_rows += a.rows;
      }
    }
  }
  bool prune = false;
  {
    std::lock_guard lock(mu_);
    if (now - last_prune_ > 3600 * kSecond) {
      last_prune_ = now;
      prune = true;
    }
  }
  if (prune && s.ok()) {
    // Minute windows of the last hour and day windows of the last two days stay.
    s = store_.PruneQuotaCounts(now / (60 * kSecond) - 60,
                                DayWindow(now - 2 * 86400 * kSecond).substr(2));
  }
  std::lock_guard lock(mu_);
  syncing_ = false;
  return s;
}

Status QuotaCounter::Stop() { return Sync(NowMicros()); }

}  // namespace odp::access
