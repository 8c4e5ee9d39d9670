#include "catalog/download_counter.h"

#include <gtest/gtest.h>

#include "testing/temp_portal.h"

namespace odp::catalog {
namespace {

using Ranking = std::vector<std::pair<std::string, int64_t>>;

// 30 November 2026 at 10:00 UTC is still November in Viet Nam (UTC+7); at 17:30 UTC it is
// already 1 December there.
const Micros kLastOfNovemberUtc = ParseHttpDate("Mon, 30 Nov 2026 10:00:00 GMT");
const Micros kFirstOfDecemberInVietnam = ParseHttpDate("Mon, 30 Nov 2026 17:30:00 GMT");

TEST(DownloadCounterTest, MonthsAreVietnamTime) {
  ASSERT_GT(kLastOfNovemberUtc, 0);
  EXPECT_EQ(MonthOf(kLastOfNovemberUtc), "2026-11");
  EXPECT_EQ(MonthOf(kFirstOfDecemberInVietnam), "2026-12");
}

TEST(DownloadCounterTest, CountsPerDatasetMostDownloadedFirstAndPerMonth) {
  testing::TempPortal portal;
  DownloadCounter counter(*portal.store);
  ASSERT_TRUE(counter.Load().ok());
  counter.Record("b", kLastOfNovemberUtc);
  counter.Record("a", kLastOfNovemberUtc);
  counter.Record("c", kFirstOfDecemberInVietnam);
  counter.Record("c", kFirstOfDecemberInVietnam);
  // Ties go by id.
  EXPECT_EQ(counter.Ranked(), (Ranking{{"c", 2}, {"a", 1}, {"b", 1}}));
  EXPECT_EQ(counter.InMonth(kLastOfNovemberUtc), 2);
  EXPECT_EQ(counter.InMonth(kFirstOfDecemberInVietnam), 2);
  EXPECT_EQ(counter.InMonth(kLastOfNovemberUtc - 40LL * 24 * 3600 * 1000000), 0);
}

TEST(DownloadCounterTest, CountsOfEveryServerAddUpInTheStore) {
  testing::TempPortal portal;
  DownloadCounter one(*portal.store), two(*portal.store);
  one.Record("a", kLastOfNovemberUtc);
  two.Record("a", kLastOfNovemberUtc);
  two.Record("b", kFirstOfDecemberInVietnam);
  DownloadCounter restarted(*portal.store);
  ASSERT_TRUE(restarted.Load().ok());
  EXPECT_EQ(restarted.Ranked(), (Ranking{{"a", 2}, {"b", 1}}));
  EXPECT_EQ(restarted.InMonth(kFirstOfDecemberInVietnam), 1);
}

TEST(DownloadCounterTest, AfterStopDownloadsAreCountedInMemoryOnly) {
  testing::TempPortal portal;
  DownloadCounter counter(*portal.store);
  counter.Record("a", kLastOfNovemberUtc);
  counter.Stop();
  counter.Stop();  // idempotent
  counter.Record("a", kLastOfNovemberUtc);
  EXPECT_EQ(counter.Ranked(), (Ranking{{"a", 2}}));
  DownloadCounter restarted(*portal.store);
  ASSERT_TRUE(restarted.Load().ok());
  EXPECT_EQ(restarted.Ranked(), (Ranking{{"a", 1}}));
}

}  // namespace
}  // namespace odp::catalog
