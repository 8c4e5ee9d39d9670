#include "catalog/usage_stats.h"

#include <gtest/gtest.h>

namespace odp::catalog {
namespace {

UsageCount Count(std::string month, std::string kind, std::string format, std::string dataset,
                 std::string resource, std::string org, int64_t n) {
  return {std::move(month),
          std::move(kind),
          std::move(format),
          std::move(dataset),
          std::move(resource),
          std::move(org),
          n};
}

// "pub-health" in two sectors, "pub-roads" in none, "hidden" not visible to the caller.
std::optional<UsageDatasetFacts> Facts(const std::string& id) {
  if (id == "pub-health") return UsageDatasetFacts{"so-y-te", {"y-te", "xa-hoi"}};
  if (id == "pub-roads") return UsageDatasetFacts{"so-gtvt", {}};
  return std::nullopt;
}

TEST(UsageStatsTest, SumsByMonthDatasetResourceAgencySectorAndFormat) {
  std::vector<UsageCount> months = {
      Count("2026-10", "view", "page", "pub-health", "", "so-y-te", 10),
      Count("2026-10", "download", "csv", "pub-health", "r1", "so-y-te", 3),
      Count("2026-12", "download", "xlsx", "pub-health", "r1", "so-y-te", 2),
      Count("2026-12", "download", "file", "pub-roads", "r2", "",
            5),  // pending: agency from the dataset
      Count("2026-12", "view", "page", "hidden", "", "so-kin", 100),
  };
  UsageSummary s = Summarize(months, Facts, "2026-12");
  EXPECT_EQ(s.total, (UsageFigures{10, 10}));
  EXPECT_EQ(s.this_month, (UsageFigures{0, 7}));
  ASSERT_EQ(s.months.size(), 3u);  // November had nothing and is listed as zeros
  EXPECT_EQ(s.months[0], (std::pair<std::string, UsageFigures>{"2026-10", {10, 3}}));
  EXPECT_EQ(s.months[1], (std::pair<std::string, UsageFigures>{"2026-11", {0, 0}}));
  EXPECT_EQ(s.months[2], (std::pair<std::string, UsageFigures>{"2026-12", {0, 7}}));
  EXPECT_EQ(s.datasets.at("pub-health"), (UsageFigures{10, 5}));
  EXPECT_EQ(s.datasets.count("hidden"), 0u);
  EXPECT_EQ(s.dataset_months.size(), 3u);
  EXPECT_EQ(s.dataset_months.at({"2026-10", "pub-health"}), (UsageFigures{10, 3}));
  EXPECT_EQ(s.resources.at("r1"), (UsageFigures{0, 5}));
  EXPECT_EQ(s.organizations.at("so-y-te"), (UsageFigures{10, 5}));
  EXPECT_EQ(s.organizations.at("so-gtvt"), (UsageFigures{0, 5}));
  EXPECT_EQ(s.organizations.count("so-kin"), 0u);
  EXPECT_EQ(s.sectors.at("y-te"), (UsageFigures{10, 5}));
  EXPECT_EQ(s.sectors.at("xa-hoi"), (UsageFigures{10, 5}));
  EXPECT_EQ(s.sectors.at(""), (UsageFigures{0, 5}));
  EXPECT_EQ(s.downloads_by_format,
            (std::map<std::string, int64_t>{{"csv", 3}, {"file", 5}, {"xlsx", 2}}));
}

TEST(UsageStatsTest, WithoutCountsTheCurrentMonthIsListedAsZero) {
  UsageSummary s = Summarize({}, Facts, "2026-12");
  ASSERT_EQ(s.months.size(), 1u);
  EXPECT_EQ(s.months[0].first, "2026-12");
  EXPECT_EQ(s.total, UsageFigures{});
}

TEST(UsageStatsTest, TopIsMostFirstTiesByKeyWithoutZeros) {
  std::map<std::string, UsageFigures> by = {
      {"a", {1, 0}}, {"b", {3, 2}}, {"c", {1, 9}}, {"d", {0, 0}}};
  using Ranking = std::vector<std::pair<std::string, int64_t>>;
  EXPECT_EQ(Top(by, UsageKind::kView, 10), (Ranking{{"b", 3}, {"a", 1}, {"c", 1}}));
  EXPECT_EQ(Top(by, UsageKind::kDownload, 1), (Ranking{{"c", 9}}));
}

TEST(UsageStatsTest, NextMonthRollsOverTheYear) {
  EXPECT_EQ(NextMonth("2026-12"), "2027-01");
  EXPECT_EQ(NextMonth("2026-09"), "2026-10");
  EXPECT_EQ(NextMonth("nonsense"), "");
}

}  // namespace
}  // namespace odp::catalog
