// VisitFilter: which views and downloads count. A figure on the statistics page means "visitors
// who looked at (or downloaded) this", not "requests": each visitor counts once per hour for the
// same thing, and robots do not count.
//
// - A visitor is a client address as the portal believes it (http::ClientAddress with the
//   trusted proxies), an IPv6 address taken as its /64 network (one subscriber's prefix, which a
//   single client can walk through at will). The User-Agent is not part of it: changing it
//   would make a new visitor at no cost.
// - The same thing: the kind (view or download), the format ("page", "table", "file", "csv", …),
//   the dataset and the resource. So a page view and a CSV download by one visitor are two
//   counts, two CSV downloads of one table within the hour one count.
// - Robots: a User-Agent naming a crawler, a spider or a link-preview fetcher (IsRobot).
// - Memory is bounded (`max_entries` keys of the current hour, 8 bytes each plus the set's
//   overhead). When the hour fills it, further visits of that hour are not counted: a flood of
//   distinct addresses can hide visits for the rest of an hour, never inflate a count.
//
// Thread-safe; no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string_view>
#include <unordered_set>

#include "base/time.h"
#include "catalog/usage_counter.h"

namespace odp::catalog {

// Who asked: the client's address (already resolved through trusted proxies) and User-Agent.
struct Visitor {
  std::string_view address;
  std::string_view user_agent;
};

// True when `user_agent` names a crawler, spider or link-preview fetcher ("Googlebot",
// "bingbot", "facebookexternalhit", "Slurp", …), case-insensitively.
bool IsRobot(std::string_view user_agent);

// The part of an address that names one visitor: an IPv4 address as it is, an IPv6 address's
// first 64 bits (as 16 hex digits); anything else as given.
std::string VisitorOf(std::string_view address);

class VisitFilter {
 public:
  explicit VisitFilter(size_t max_entries = 250000) : max_entries_(max_entries) {}

  // True when this visit counts: not a robot, and the first by this visitor of this kind,
  // format, dataset and resource in the hour `at` falls in (which it then remembers).
  bool Admit(const Visitor& visitor, UsageKind kind, std::string_view format,
             std::string_view dataset_id, std::string_view resource_id, Micros at);

 private:
  const size_t max_entries_;
  std::mutex mu_;
  int64_t hour_ = -1;                  // hours since 1970 of the keys held; guarded by mu_
  std::unordered_set<uint64_t> seen_;  // hashes of the keys of that hour; guarded by mu_
};

}  // namespace odp::catalog
