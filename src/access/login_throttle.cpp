#include "access/login_throttle.h"

#include <algorithm>

namespace odp::access {

Micros BlockedUntil(const LoginFailures& f, const ThrottleRule& rule) {
  if (f.failures <= rule.free_failures) return 0;
  if (f.failures >= rule.lock_after) return f.last_failure + rule.lock_duration;
  int doublings = static_cast<int>(f.failures - rule.free_failures - 1);
  Micros delay = rule.first_delay;
  for (int i = 0; i < doublings && delay < rule.max_delay; ++i) delay *= 2;
  return f.last_failure + std::min(delay, rule.max_delay);
}

bool IsLocked(const LoginFailures& f, const ThrottleRule& rule, Micros now) {
  return f.failures >= rule.lock_after && BlockedUntil(f, rule) > now;
}

}  // namespace odp::access
