// Login throttling: how long a run of failed sign-ins blocks further attempts.
//
// Failures are counted per account and per client address in the store (LoginFailures),
// so every server on a shared database sees the same counters. An attempt refused while blocked
// counts as a failure too. These functions are the rule; AccountService::Login applies it.
// Pure and thread-safe.
#pragma once

#include "base/time.h"
#include "store/records.h"

namespace odp::access {

struct ThrottleRule {
  int free_failures;   // failures allowed before any delay
  int lock_after;      // from this many failures on, the key is locked for `lock_duration`
  Micros first_delay;  // the delay after failure free_failures + 1; doubles with each failure
  Micros max_delay;    // cap on the growing delay
  Micros lock_duration;
  Micros forget_after;  // a counter whose last failure is older than this starts again from 0
};

// Per account: 5 free failures, then 1 s, 2 s, 4 s … (at most 15 min); locked for an hour after
// 10 failures until it passes or a sysadmin unlocks the account.
inline constexpr ThrottleRule kAccountRule{
    5, 10, 1'000'000, 15 * 60'000'000LL, 3600'000'000LL, 24 * 3600'000'000LL};
// Per client address, across every login name it tries: 20 free failures, then growing delays;
// locked for an hour after 50.
inline constexpr ThrottleRule kAddressRule{
    20, 50, 1'000'000, 15 * 60'000'000LL, 3600'000'000LL, 24 * 3600'000'000LL};

// The time before which a key with counter `f` is refused without checking the password
// (0 or a past time when it is not blocked).
Micros BlockedUntil(const LoginFailures& f, const ThrottleRule& rule);

// True when `f` has reached the lock (rather than a short delay) at `now`.
bool IsLocked(const LoginFailures& f, const ThrottleRule& rule, Micros now);

}  // namespace odp::access
