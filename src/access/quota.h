// QuotaCounter: the quotas and rates of grants (access/grants.h), counted across every server
// that shares the database.
//
// Limits. Per grant: requests per minute, requests per day and rows per day (0 = no limit). Per
// consumer system: requests per minute over all its grants (`QuotaOptions::
// system_requests_per_minute`, 0 = no limit). A minute is a minute of the Unix clock; a day is
// a calendar day in Viet Nam time (UTC+7), so a daily quota starts again at local midnight.
//
// Counting. Each process keeps, per (scope, window), the totals it last read from the store and
// what it admitted since. At most every `sync_interval` (1 s), on the call that finds the last
// sync old enough (one at a time, the others go on without waiting), the pending counts are added
// to the store in one transaction (store::GrantStore::AddQuotaCounts), which returns the totals
// of every server; windows that ended are forgotten, and once an hour the store's old windows
// are deleted. So a request never waits for a database write of its own, and:
//
// Tolerance. Another server's requests are seen here at most `sync_interval` late (plus the
// time of one sync). With N servers sharing a limit, at most the requests the other N-1 servers
// admit in one interval may pass beyond it; on one server (SQLite or PostgreSQL) a limit is
// exact. Rows are counted after an answer is made (its rows are only known then): a request
// admitted under the rows quota may take it past its limit by its own rows, and the next request
// is refused. Exports count their rows before they start (the API counts the query first).
//
// Answers carry the limits as the IETF httpapi draft "RateLimit header fields for HTTP"
// (draft-ietf-httpapi-ratelimit-headers) writes them:
//   RateLimit-Policy: "minute";q=60;w=60, "day";q=1000;w=86400, "rows";q=50000;w=86400;qu="rows"
//   RateLimit: "minute";r=59;t=42, "day";r=998;t=36000, "rows";r=49980;t=36000
// (`q` the quota, `w` the window in seconds, `r` what is left, `t` seconds until the window
// starts again; "system" names the system's own rate). A refusal is 429 with `Retry-After`
// (seconds until the exhausted window starts again).
//
// Thread-safe. Stop() writes what is pending.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "store/store.h"

namespace odp::access {

struct QuotaOptions {
  Micros sync_interval = 1000000;
  int64_t system_requests_per_minute = 0;  // every grant of one system together; 0 = no limit
};

struct QuotaDecision {
  bool allowed = true;
  int64_t retry_after = 0;  // seconds, when refused
  std::string policy;       // the RateLimit-Policy field ("" when the grant has no limit)
  std::string remaining;    // the RateLimit field
};

class QuotaCounter {
 public:
  // `store` must outlive the counter.
  QuotaCounter(store::GrantStore& store, QuotaOptions options = {})  // NOLINT
      : store_(store), options_(options) {}
  QuotaCounter(const QuotaCounter&) = delete;
  QuotaCounter& operator=(const QuotaCounter&) = delete;

  // Admits one request under `g` (by its system) at `now`, and counts it, or refuses it (and
  // counts nothing): over the minute rate, the daily requests, the daily rows (already used up),
  // or the system's rate.
  QuotaDecision Admit(const Grant& g, Micros now);
  // What was used today under `g`: every server's counts as of the last sync, and this
  // server's since.
  struct DayUse {
    int64_t requests = 0;
    int64_t rows = 0;
  };
  DayUse UsedToday(const Grant& g, Micros now);
  // Rows still allowed today under `g` (-1: no limit).
  int64_t RowsLeft(const Grant& g, Micros now);
  // Counts `rows` rows read under `g`.
  void AddRows(const Grant& g, int64_t rows, Micros now);
  // Writes what is pending and reads every server's totals now (also what Admit does at most
  // every sync_interval).
  Status Sync(Micros now);
  // Writes what is pending. Call before the store closes.
  Status Stop();

 private:
  struct Count {
    int64_t shared_requests = 0;  // every server's, as of the last sync (ours included)
    int64_t shared_rows = 0;
    int64_t pending_requests = 0;  // ours since then
    int64_t pending_rows = 0;
    int64_t requests() const { return shared_requests + pending_requests; }
    int64_t rows() const { return shared_rows + pending_rows; }
  };
  using Key = std::pair<std::string, std::string>;  // scope, window
  void MaybeSync(Micros now);

  store::GrantStore& store_;
  const QuotaOptions options_;
  std::mutex mu_;
  std::map<Key, Count> counts_;  // guarded by mu_
  Micros last_sync_ = 0;         // guarded by mu_
  bool syncing_ = false;         // guarded by mu_
  Micros last_prune_ = 0;        // guarded by mu_
};

// The windows of `now`: "m:" and the minute since the epoch in 12 digits, "d:" and the Viet Nam
// date; and the seconds until each starts again.
std::string MinuteWindow(Micros now);
std::string DayWindow(Micros now);
int64_t SecondsToNextMinute(Micros now);
int64_t SecondsToNextDay(Micros now);

}  // namespace odp::access
