// DownloadCounter: how often each dataset's files were downloaded, in total and per month
// (Viet Nam time), kept in memory for the home page and in the store so the counts survive a
// restart and add up across servers (each server adds its own; Load() reads everyone's).
//
// A download is not a catalogue change: counting one moves no generation and records nothing
// in the change feed.
// Safe to call from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "store/store.h"

namespace odp::catalog {

// "2026-11" for the month `t` falls in, Viet Nam time (UTC+7, no daylight saving).
std::string MonthOf(Micros t);

class DownloadCounter {
 public:
  // `store` must outlive the counter. Counts start empty: call Load().
  explicit DownloadCounter(store::DownloadCountStore& store);

  // Replaces the counts in memory with the store's (every server's downloads).
  Status Load();
  // One more download of a file of `dataset_id` at `at`: counted in memory, then added in the
  // store (a failure to store it is logged, not returned: the download itself succeeded). After
  // Stop(), counted in memory only.
  void Record(const std::string& dataset_id, Micros at);
  // Every dataset with its total, most downloaded first (ties by id).
  std::vector<std::pair<std::string, int64_t>> Ranked() const;
  // Downloads of every file in the month `at` falls in.
  int64_t InMonth(Micros at) const;

  // Stops writing to the store, for shutdown before the store stops: waits for writes in
  // flight, and later downloads are counted in memory only. Idempotent.
  void Stop();

 private:
  store::DownloadCountStore& store_;
  // Shared by Record while it writes to the store; exclusive in Stop. Taken before counts_mu_.
  std::shared_mutex writers_mu_;
  bool stopped_ = false;  // guarded by writers_mu_
  mutable std::shared_mutex counts_mu_;
  std::unordered_map<std::string, int64_t> total_;  // by dataset id, guarded by counts_mu_
  std::map<std::string, int64_t> by_month_;         // by MonthOf, guarded by counts_mu_
};

}  // namespace odp::catalog
