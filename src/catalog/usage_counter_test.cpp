#include "catalog/usage_counter.h"

#include <algorithm>
#include <tuple>

#include <gtest/gtest.h>

#include "testing/temp_portal.h"

namespace odp::catalog {
namespace {

// 30 November 2026 at 10:00 UTC is still November in Viet Nam (UTC+7); at 17:30 UTC it is
// already 1 December there.
const Micros kLastOfNovemberUtc = ParseHttpDate("Mon, 30 Nov 2026 10:00:00 GMT");
const Micros kFirstOfDecemberInVietnam = ParseHttpDate("Mon, 30 Nov 2026 17:30:00 GMT");

std::string OrgOf(const std::string& dataset_id) { return "org-of-" + dataset_id; }

// The counts as (month, kind, format, dataset, resource, count), sorted, to compare.
using Row = std::tuple<std::string, std::string, std::string, std::string, std::string, int64_t>;
std::vector<Row> Rows(const std::vector<UsageCount>& counts) {
  std::map<std::tuple<std::string, std::string, std::string, std::string, std::string>, int64_t>
      sum;
  for (const auto& c : counts)
    sum[{c.day, c.kind, c.format, c.dataset_id, c.resource_id}] += c.count;
  std::vector<Row> out;
  for (const auto& [k, n] : sum) {
    out.emplace_back(std::get<0>(k), std::get<1>(k), std::get<2>(k), std::get<3>(k), std::get<4>(k),
                     n);
  }
  return out;
}

TEST(UsageCounterTest, MonthsAreVietnamTime) {
  ASSERT_GT(kLastOfNovemberUtc, 0);
  EXPECT_EQ(MonthOf(kLastOfNovemberUtc), "2026-11");
  EXPECT_EQ(MonthOf(kFirstOfDecemberInVietnam), "2026-12");
}

TEST(UsageCounterTest, RecordWritesNothingUntilFlush) {
  testing::TempPortal portal;
  UsageCounter counter(*portal.store, OrgOf);
  ASSERT_TRUE(counter.Load().ok());
  counter.Record(UsageKind::kDownload, "csv", "a", "r1", kLastOfNovemberUtc);
  counter.Record(UsageKind::kDownload, "csv", "a", "r1", kLastOfNovemberUtc);
  counter.Record(UsageKind::kView, "page", "a", "", kFirstOfDecemberInVietnam);
  // Seen at once in memory...
  EXPECT_EQ(Rows(counter.Months()), (std::vector<Row>{{"2026-11", "download", "csv", "a", "r1", 2},
                                                      {"2026-12", "view", "page", "a", "", 1}}));
  EXPECT_EQ(counter.InMonth(kLastOfNovemberUtc), (UsageFigures{0, 2}));
  EXPECT_EQ(counter.InMonth(kFirstOfDecemberInVietnam), (UsageFigures{1, 0}));
  // ...but not in the store before a flush.
  EXPECT_TRUE(portal.store->ListUsageByMonth().value().empty());
  ASSERT_TRUE(counter.Flush().ok());
  std::vector<UsageCount> stored = portal.store->ListUsageByMonth().value();
  EXPECT_EQ(Rows(stored), Rows(counter.Months()));
  for (const auto& c : stored) EXPECT_EQ(c.organization_id, "org-of-a");
  // A flush clears what it wrote: the figures do not double.
  ASSERT_TRUE(counter.Flush().ok());
  EXPECT_EQ(counter.InMonth(kLastOfNovemberUtc), (UsageFigures{0, 2}));
  EXPECT_EQ(Rows(portal.store->ListUsageByMonth().value()), Rows(stored));
}

TEST(UsageCounterTest, CountsOfEveryServerAddUpInTheStore) {
  testing::TempPortal portal;
  UsageCounter one(*portal.store, OrgOf), two(*portal.store, OrgOf);
  one.Record(UsageKind::kDownload, "file", "a", "r", kLastOfNovemberUtc);
  two.Record(UsageKind::kDownload, "file", "a", "r", kLastOfNovemberUtc);
  two.Record(UsageKind::kDownload, "xlsx", "b", "s", kFirstOfDecemberInVietnam);
  ASSERT_TRUE(one.Flush().ok());
  ASSERT_TRUE(two.Flush().ok());
  // The second flush re-read the first server's counts.
  EXPECT_EQ(Rows(two.Months()), (std::vector<Row>{{"2026-11", "download", "file", "a", "r", 2},
                                                  {"2026-12", "download", "xlsx", "b", "s", 1}}));
  UsageCounter restarted(*portal.store, OrgOf);
  ASSERT_TRUE(restarted.Load().ok());
  EXPECT_EQ(Rows(restarted.Months()), Rows(two.Months()));
  EXPECT_EQ(Rows(restarted.MonthsOf("b")),
            (std::vector<Row>{{"2026-12", "download", "xlsx", "b", "s", 1}}));
}

TEST(UsageCounterTest, StopFlushesAndLaterCountsStayInMemory) {
  testing::TempPortal portal;
  UsageCounter counter(*portal.store, OrgOf);
  counter.Record(UsageKind::kView, "table", "a", "r", kLastOfNovemberUtc);
  counter.Stop();
  counter.Stop();  // idempotent
  counter.Record(UsageKind::kView, "table", "a", "r", kLastOfNovemberUtc);
  EXPECT_TRUE(counter.Flush().ok());
  EXPECT_EQ(counter.InMonth(kLastOfNovemberUtc), (UsageFigures{2, 0}));
  UsageCounter restarted(*portal.store, OrgOf);
  ASSERT_TRUE(restarted.Load().ok());
  EXPECT_EQ(restarted.InMonth(kLastOfNovemberUtc), (UsageFigures{1, 0}));
}

TEST(UsageCounterTest, TheFlushingThreadStoresCountsWithoutBeingAsked) {
  testing::TempPortal portal;
  UsageCounter counter(*portal.store, OrgOf);
  counter.Start(std::chrono::milliseconds(5));
  counter.Record(UsageKind::kDownload, "geojson", "a", "r", kLastOfNovemberUtc);
  // Polls the store (not a sleep that guesses): the thread must get there on its own.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (portal.store->ListUsageByMonth().value().empty() &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  EXPECT_EQ(Rows(portal.store->ListUsageByMonth().value()),
            (std::vector<Row>{{"2026-11", "download", "geojson", "a", "r", 1}}));
  counter.Stop();
}

}  // namespace
}  // namespace odp::catalog
