// The quota counter: limits per grant and per system, windows, headers, and counting shared by
// several counters (servers) on one store.
#include "access/quota.h"

#include <gtest/gtest.h>

#include "testing/temp_portal.h"

namespace odp::access {
namespace {

constexpr Micros kSecond = 1000000;
// 2026-12-07 10:00:30 Viet Nam time (03:00:30 UTC).
constexpr Micros kNow = 1796612430LL * kSecond;

Grant Limited(int64_t per_minute, int64_t per_day, int64_t rows) {
  Grant g;
  g.id = "g1";
  g.consumer_id = "sys";
  g.requests_per_minute = per_minute;
  g.requests_per_day = per_day;
  g.rows_per_day = rows;
  return g;
}

TEST(QuotaWindows, MinutesAndVietnamDays) {
  EXPECT_EQ(DayWindow(kNow), "d:2026-12-07");
  // 23:59:59 Viet Nam time is still the same day; a second later is the next.
  const Micros midnight = kNow + (14 * 3600 - 30) * kSecond;
  EXPECT_EQ(DayWindow(midnight - kSecond), "d:2026-12-07");
  EXPECT_EQ(DayWindow(midnight), "d:2026-12-08");
  EXPECT_EQ(SecondsToNextDay(kNow), 14 * 3600 - 30);
  EXPECT_EQ(SecondsToNextMinute(kNow), 30);
  EXPECT_EQ(MinuteWindow(kNow), "m:0000" + std::to_string(kNow / kSecond / 60));
  EXPECT_EQ(MinuteWindow(kNow).size(), 14u);
}

TEST(QuotaCounterTest, MinuteRateRefusesWithRetryAfterAndHeaders) {
  testing::TempPortal portal;
  QuotaCounter q(*portal.store);
  const Grant g = Limited(3, 0, 0);
  for (int i = 0; i < 3; ++i) {
    QuotaDecision d = q.Admit(g, kNow);
    EXPECT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.policy, "\"minute\";q=3;w=60");
    EXPECT_EQ(d.remaining, "\"minute\";r=" + std::to_string(2 - i) + ";t=30");
  }
  QuotaDecision refused = q.Admit(g, kNow);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, 30);
  EXPECT_EQ(refused.remaining, "\"minute\";r=0;t=30");
  // The next minute starts again.
  EXPECT_TRUE(q.Admit(g, kNow + 30 * kSecond).allowed);
}

TEST(QuotaCounterTest, DailyRequestsAndRows) {
  testing::TempPortal portal;
  QuotaCounter q(*portal.store);
  const Grant g = Limited(0, 0, 100);
  EXPECT_EQ(q.RowsLeft(g, kNow), 100);
  EXPECT_TRUE(q.Admit(g, kNow).allowed);
  q.AddRows(g, 60, kNow);
  EXPECT_EQ(q.RowsLeft(g, kNow), 40);
  EXPECT_TRUE(q.Admit(g, kNow).allowed);  // rows left: admitted, may pass the limit
  q.AddRows(g, 60, kNow);
  QuotaDecision d = q.Admit(g, kNow);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after, SecondsToNextDay(kNow));
  EXPECT_EQ(d.policy, "\"rows\";q=100;w=86400;qu=\"rows\"");
  Grant daily = Limited(0, 2, 0);
  daily.id = "g-daily";  // a grant of its own: g1's two requests above count against g1
  EXPECT_TRUE(q.Admit(daily, kNow).allowed);
  EXPECT_TRUE(q.Admit(daily, kNow).allowed);
  EXPECT_FALSE(q.Admit(daily, kNow + 3600 * kSecond).allowed);
  EXPECT_TRUE(q.Admit(daily, kNow + 86400 * kSecond).allowed);  // the next day
  EXPECT_EQ(q.RowsLeft(Limited(0, 0, 0), kNow), -1);
}

TEST(QuotaCounterTest, SystemRateCoversEveryGrantOfTheSystem) {
  testing::TempPortal portal;
  QuotaCounter q(*portal.store, {.system_requests_per_minute = 2});
  Grant a = Limited(0, 0, 0), b = Limited(0, 0, 0);
  b.id = "g2";
  EXPECT_TRUE(q.Admit(a, kNow).allowed);
  EXPECT_TRUE(q.Admit(b, kNow).allowed);
  QuotaDecision d = q.Admit(a, kNow);
  EXPECT_FALSE(d.allowed);
  EXPECT_NE(d.policy.find("\"system\";q=2;w=60"), std::string::npos);
  Grant other = Limited(0, 0, 0);
  other.consumer_id = "another-system";
  EXPECT_TRUE(q.Admit(other, kNow).allowed);
}

TEST(QuotaCounterTest, ServersSharingAStoreSeeEachOthersCountsAfterASync) {
  testing::TempPortal portal;
  QuotaCounter one(*portal.store), two(*portal.store);
  const Grant g = Limited(0, 10, 0);
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(one.Admit(g, kNow).allowed);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(two.Admit(g, kNow).allowed);
  // Within the tolerance each server knows only its own counts...
  EXPECT_TRUE(two.Admit(g, kNow).allowed);  // 11 in all: the tolerance of one interval
  // ...and after both synced, both know all of them.
  ASSERT_TRUE(one.Sync(kNow + 2 * kSecond).ok());
  ASSERT_TRUE(two.Sync(kNow + 2 * kSecond).ok());
  ASSERT_TRUE(one.Sync(kNow + 3 * kSecond).ok());
  EXPECT_FALSE(one.Admit(g, kNow + 3 * kSecond).allowed);
  EXPECT_FALSE(two.Admit(g, kNow + 3 * kSecond).allowed);
  // The store holds every request counted.
  auto totals = portal.store->AddQuotaCounts({{"g:g1", DayWindow(kNow), 0, 0}}).value();
  EXPECT_EQ(totals[0].requests, 11);
}

TEST(QuotaCounterTest, AdmitSyncsOnItsOwnAtMostEveryInterval) {
  testing::TempPortal portal;
  QuotaCounter one(*portal.store), two(*portal.store);
  const Grant g = Limited(0, 3, 0);
  ASSERT_TRUE(one.Admit(g, kNow).allowed);  // first call syncs (nothing yet), then counts
  ASSERT_TRUE(one.Admit(g, kNow).allowed);
  ASSERT_TRUE(one.Admit(g, kNow).allowed);
  // One second later `one` writes its three on its next call; `two`, a second after that, reads
  // them on its own next call.
  EXPECT_FALSE(one.Admit(g, kNow + 2 * kSecond).allowed);
  EXPECT_FALSE(two.Admit(g, kNow + 4 * kSecond).allowed);
}

TEST(QuotaCounterTest, OldWindowsArePruned) {
  testing::TempPortal portal;
  QuotaCounter q(*portal.store);
  const Grant g = Limited(5, 5, 0);
  ASSERT_TRUE(q.Admit(g, kNow).allowed);
  ASSERT_TRUE(q.Sync(kNow + 2 * kSecond).ok());
  // Three days later the prune (hourly) deletes both windows of that day.
  ASSERT_TRUE(q.Sync(kNow + 3 * 86400 * kSecond).ok());
  auto totals =
      portal.store
          ->AddQuotaCounts({{"g:g1", DayWindow(kNow), 0, 0}, {"g:g1", MinuteWindow(kNow), 0, 0}})
          .value();
  EXPECT_EQ(totals[0].requests, 0);
  EXPECT_EQ(totals[1].requests, 0);
}

}  // namespace
}  // namespace odp::access
