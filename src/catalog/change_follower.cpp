#include "catalog/change_follower.h"

#include <utility>

#include "base/log.h"
#include "base/time.h"

namespace odp::catalog {
namespace {

constexpr Micros kPruneEvery = 3600LL * 1000000;        // an hour
constexpr Micros kKeepChanges = 24 * 3600LL * 1000000;  // a day: longer than any catch-up gap

}  // namespace

ChangeFollower::ChangeFollower(store::ChangeFeed& feed, CatchUpFn catch_up,
                               std::chrono::milliseconds poll)
    : feed_(feed), catch_up_(std::move(catch_up)), poll_(poll) {}

ChangeFollower::~ChangeFollower() { Stop(); }

void ChangeFollower::Start() {
  std::lock_guard lock(mu_);
  if (stopped_ || thread_.joinable()) return;
  thread_ = std::jthread([this](std::stop_token stop) { Run(stop); });
}

void ChangeFollower::Stop() {
  std::lock_guard lock(mu_);
  stopped_ = true;
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

bool ChangeFollower::running() const {
  std::lock_guard lock(mu_);
  return thread_.joinable();
}

void ChangeFollower::Run(const std::stop_token& stop) {
  Micros last_prune = 0;
  const int poll_ms = static_cast<int>(poll_.count());
  while (!stop.stop_requested()) {
    auto woke = feed_.WaitForCatalogChange(poll_ms);
    if (stop.stop_requested()) break;
    if (!woke.ok()) {
      LogWarn("catalogue feed: " + woke.status().message());
      continue;
    }
    auto n = catch_up_();
    if (!n.ok()) LogWarn("catalogue feed: " + n.status().message());
    Micros now = NowMicros();
    if (now - last_prune > kPruneEvery) {
      last_prune = now;
      (void)feed_.PruneCatalogChanges(now - kKeepChanges);
    }
  }
}

}  // namespace odp::catalog
