// ChangeFollower: keeps one server's catalogue in step with the others on the same database.
//
// Every committed catalogue write is recorded in the store's change feed (kind, key, origin;
// CatalogService::Bumped). A follower runs one thread that waits for a change to be announced
// (PostgreSQL LISTEN/NOTIFY; on SQLite, which has no announcements, it simply waits) for at most
// `poll` and then calls `catch_up` (CatalogService::CatchUp in `odp serve`), whether or not
// anything was announced, so a lost notification costs at most one interval. Once an hour it
// prunes changes older than a day from the feed.
//
// Start() and Stop() may be called from any thread; `catch_up` runs on the follower's thread
// only, never on two threads at once.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <thread>

#include "base/status.h"
#include "store/store.h"

namespace odp::catalog {

class ChangeFollower {
 public:
  // Applies the changes recorded since the last call; returns how many it applied.
  using CatchUpFn = std::function<Result<int>()>;

  // `feed` must outlive the follower; nothing runs before Start().
  ChangeFollower(store::ChangeFeed& feed, CatchUpFn catch_up,
                 std::chrono::milliseconds poll = std::chrono::milliseconds(500));
  ChangeFollower(const ChangeFollower&) = delete;
  ChangeFollower& operator=(const ChangeFollower&) = delete;
  // Stops (see Stop()).
  ~ChangeFollower();

  // Starts the thread. Does nothing when it runs already or the follower was stopped (a
  // stopped follower does not start again).
  void Start();
  // Asks the thread to stop and joins it: once Stop() returns, `catch_up` is not running and
  // will not be called again. Returns within one `poll` interval plus one catch-up. Idempotent;
  // safe without Start().
  void Stop();
  bool running() const;

 private:
  void Run(const std::stop_token& stop);

  store::ChangeFeed& feed_;
  const CatchUpFn catch_up_;
  const std::chrono::milliseconds poll_;
  mutable std::mutex mu_;  // serialises Start and Stop
  bool stopped_ = false;   // guarded by mu_
  std::jthread thread_;    // guarded by mu_
};

}  // namespace odp::catalog
