#include "access/login_throttle.h"

#include <gtest/gtest.h>

namespace odp::access {
namespace {

constexpr Micros kSecond = 1'000'000;

TEST(LoginThrottleTest, DelaysGrowAfterTheFreeFailuresThenLock) {
  const Micros t = 1'000'000'000'000;
  struct Case {
    int64_t failures;
    Micros blocked_for;
  };
  const Case cases[] = {
      {0, 0},
      {1, 0},
      {5, 0},  // free
      {6, 1 * kSecond},
      {7, 2 * kSecond},
      {8, 4 * kSecond},
      {9, 8 * kSecond},
      {10, 3600 * kSecond},
      {30, 3600 * kSecond},  // locked for an hour
  };
  for (const auto& c : cases) {
    LoginFailures f{"account:x", c.failures, t};
    Micros until = BlockedUntil(f, kAccountRule);
    EXPECT_EQ(c.blocked_for == 0 ? until <= t : until == t + c.blocked_for, true) << c.failures;
  }
}

TEST(LoginThrottleTest, DelayIsCappedBelowTheLock) {
  ThrottleRule rule = kAddressRule;
  LoginFailures f{"address:192.0.2.1", rule.lock_after - 1, 0};
  EXPECT_EQ(BlockedUntil(f, rule), rule.max_delay);
}

TEST(LoginThrottleTest, LockEndsAfterItsDuration) {
  LoginFailures f{"account:x", kAccountRule.lock_after, 0};
  EXPECT_TRUE(IsLocked(f, kAccountRule, kAccountRule.lock_duration - 1));
  EXPECT_FALSE(IsLocked(f, kAccountRule, kAccountRule.lock_duration));
  LoginFailures delayed{"account:x", kAccountRule.lock_after - 1, 0};
  EXPECT_FALSE(IsLocked(delayed, kAccountRule, 0));  // a delay, not a lock
}

}  // namespace
}  // namespace odp::access
