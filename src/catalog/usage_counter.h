// UsageCounter: how often each dataset's pages were seen and its files and tables downloaded,
// counted in memory on the request path and written to the store in batches.
//
// Record() touches memory only (one mutex, no I/O), so counting never slows a page or a
// download, including pages answered from the page cache on the I/O thread. Flush() writes what
// was recorded since the last flush in one transaction of additive upserts (UsageStore::AddUsage),
// so several servers on one database all count; it then re-reads every server's monthly sums
// (a server with nothing to write re-reads every 12 intervals). `odp serve` flushes every few
// seconds (ODP_USAGE_FLUSH_MS, default 5 s) on the counter's own thread (Start) and once more at
// Stop(). Counts that could not be written (the database was down) stay pending for the next
// flush; counts recorded after Stop() stay in memory only.
//
// What readers see (Months, MonthsOf, InMonth): the stored sums as of the last Load() or
// Flush() (every server's) plus this server's counts not yet stored, so a download shows on this
// server's pages at once and on the others' after the next flush of both.
//
// Days and months are Viet Nam time (UTC+7). Safe to call from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "store/store.h"

namespace odp::catalog {

// "2026-11" for the month `t` falls in, Viet Nam time (UTC+7, no daylight saving).
std::string MonthOf(Micros t);

enum class UsageKind { kView, kDownload };
const char* ToString(UsageKind kind);  // "view", "download"

// Views and downloads, the two figures every count is split into.
struct UsageFigures {
  int64_t views = 0;
  int64_t downloads = 0;
  void Add(const std::string& kind, int64_t n) { (kind == "view" ? views : downloads) += n; }
  bool operator==(const UsageFigures&) const = default;
};

class UsageCounter {
 public:
  // The agency of a dataset when its counts are stored ("" when unknown). Called by Flush()
  // without the counter's locks held.
  using OrganizationOf = std::function<std::string(const std::string& dataset_id)>;

  // `store` must outlive the counter. Counts start empty: call Load().
  UsageCounter(store::UsageStore& store, OrganizationOf organization_of);
  UsageCounter(const UsageCounter&) = delete;
  UsageCounter& operator=(const UsageCounter&) = delete;
  ~UsageCounter();  // Stop()

  // Replaces the stored sums in memory with the store's (every server's). Pending counts stay.
  Status Load();

  // One view or download at `at`, in memory only. `format`: see UsageCount ("page",
  // "table", "file", "csv", "xlsx", …); `resource_id` "" for a dataset's own page.
  void Record(UsageKind kind, std::string_view format, std::string_view dataset_id,
              std::string_view resource_id, Micros at);

  // Writes the pending counts (one transaction), then re-reads every server's sums. On failure
  // the counts stay pending and the error is returned. With nothing pending it only re-reads,
  // and (once started) only every kIdleRereadIntervals intervals. Does nothing after Stop().
  Status Flush();

  // Flushes every `interval` on a thread of its own until Stop() (a failure is logged). Does
  // nothing when started already or stopped.
  void Start(std::chrono::milliseconds interval);
  // Stops the thread, flushes once more, and from then on counts in memory only: for shutdown
  // before the store stops. Idempotent.
  void Stop();

  // Every count summed per month (`day` is the month), stored and pending. Pending counts have
  // `organization_id` "".
  std::vector<UsageCount> Months() const;
  // The same, of one dataset only.
  std::vector<UsageCount> MonthsOf(const std::string& dataset_id) const;
  // Views and downloads of every dataset in the month `at` falls in.
  UsageFigures InMonth(Micros at) const;

 private:
  // A pending count: day as days since 1970-01-01 (Viet Nam time), so Record formats nothing.
  struct Key {
    int64_t day;
    UsageKind kind;
    std::string format;
    std::string dataset_id;
    std::string resource_id;
    auto operator<=>(const Key&) const = default;
  };
  using Pending = std::map<Key, int64_t>;
  static UsageCount MonthRow(const Key& k, int64_t n);
  // Installs the store's sums; REQUIRES mu_ held.
  void SetStoredLocked(std::vector<UsageCount> months);
  void Run(const std::stop_token& stop, std::chrono::milliseconds interval);

  store::UsageStore& store_;
  const OrganizationOf organization_of_;

  // A Flush with nothing to write re-reads the store only when the last read is this many
  // flush intervals old (each re-read sums the whole table).
  static constexpr int kIdleRereadIntervals = 12;

  std::mutex flush_mu_;   // serialises Flush, Load and Stop; taken before mu_
  bool stopped_ = false;  // guarded by flush_mu_
  std::chrono::steady_clock::time_point last_read_{};  // guarded by flush_mu_
  // 0 (Flush without Start): every idle Flush re-reads; guarded by flush_mu_
  std::chrono::steady_clock::duration idle_reread_{0};

  mutable std::mutex mu_;
  Pending pending_;    // recorded, not yet being written; guarded by mu_
  Pending in_flight_;  // being written by Flush; guarded by mu_ (Flush reads it unlocked)
  // The store's monthly sums by dataset id, as of the last Load or Flush; guarded by mu_.
  std::unordered_map<std::string, std::vector<UsageCount>> stored_;
  std::map<std::string, UsageFigures> by_month_;  // stored + in flight + pending; guarded by mu_
  int64_t month_day_ = -1;                        // the day of the last Record, guarded by mu_
  std::string month_of_day_;                      // its month ("2026-12"), guarded by mu_

  std::mutex thread_mu_;  // serialises Start and Stop
  std::condition_variable_any wake_;
  std::jthread thread_;  // guarded by thread_mu_
};

}  // namespace odp::catalog
