#include "catalog/visit_filter.h"

#include <string>

#include <gtest/gtest.h>

namespace odp::catalog {
namespace {

constexpr Micros kHour = 3600LL * 1000 * 1000;
constexpr Micros kNoon = 1796904000LL * 1000 * 1000;  // 2026-12-10 12:00 UTC, on the hour
constexpr char kBrowser[] =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36";

TEST(VisitFilterTest, OneVisitorCountsOncePerHourForTheSameThing) {
  VisitFilter f;
  Visitor a{"203.0.113.7", kBrowser};
  EXPECT_TRUE(f.Admit(a, UsageKind::kView, "page", "d1", "", kNoon));
  EXPECT_FALSE(f.Admit(a, UsageKind::kView, "page", "d1", "", kNoon + 1));
  EXPECT_FALSE(f.Admit(a, UsageKind::kView, "page", "d1", "", kNoon + kHour - 1));
  // Another User-Agent from the same address is the same visitor.
  EXPECT_FALSE(f.Admit({"203.0.113.7", "curl/7.88.1"}, UsageKind::kView, "page", "d1", "", kNoon));
  // The next hour counts again.
  EXPECT_TRUE(f.Admit(a, UsageKind::kView, "page", "d1", "", kNoon + kHour));
}

TEST(VisitFilterTest, OtherVisitorsAndOtherThingsCountSeparately) {
  VisitFilter f;
  Visitor a{"203.0.113.7", kBrowser};
  EXPECT_TRUE(f.Admit(a, UsageKind::kView, "page", "d1", "", kNoon));
  EXPECT_TRUE(f.Admit({"203.0.113.8", kBrowser}, UsageKind::kView, "page", "d1", "", kNoon));
  EXPECT_TRUE(f.Admit(a, UsageKind::kView, "page", "d2", "", kNoon));
  EXPECT_TRUE(f.Admit(a, UsageKind::kView, "table", "d1", "r1", kNoon));
  EXPECT_TRUE(f.Admit(a, UsageKind::kView, "table", "d1", "r2", kNoon));
  EXPECT_TRUE(f.Admit(a, UsageKind::kDownload, "csv", "d1", "r1", kNoon));
  EXPECT_TRUE(f.Admit(a, UsageKind::kDownload, "xlsx", "d1", "r1", kNoon));
  EXPECT_FALSE(f.Admit(a, UsageKind::kDownload, "csv", "d1", "r1", kNoon));
  // Parts do not run together: ("ab", "c") is not ("a", "bc").
  EXPECT_TRUE(f.Admit(a, UsageKind::kDownload, "ab", "c", "", kNoon));
  EXPECT_TRUE(f.Admit(a, UsageKind::kDownload, "a", "bc", "", kNoon));
}

TEST(VisitFilterTest, AnIpv6NetworkIsOneVisitor) {
  VisitFilter f;
  EXPECT_TRUE(f.Admit({"2001:db8:1:2::1", kBrowser}, UsageKind::kView, "page", "d", "", kNoon));
  EXPECT_FALSE(
      f.Admit({"2001:db8:1:2:ffff::9", kBrowser}, UsageKind::kView, "page", "d", "", kNoon));
  EXPECT_TRUE(f.Admit({"2001:db8:1:3::1", kBrowser}, UsageKind::kView, "page", "d", "", kNoon));
  EXPECT_EQ(VisitorOf("2001:db8:1:2::1"), "20010db800010002");
  EXPECT_EQ(VisitorOf("198.51.100.4"), "198.51.100.4");
  EXPECT_EQ(VisitorOf("not an address"), "not an address");
}

TEST(VisitFilterTest, RobotsNeverCount) {
  for (const char* agent :
       {"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
        "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
        "SomeCrawler/3.0", "a SPIDER"}) {
    VisitFilter f;
    EXPECT_TRUE(IsRobot(agent)) << agent;
    EXPECT_FALSE(f.Admit({"203.0.113.7", agent}, UsageKind::kView, "page", "d", "", kNoon))
        << agent;
  }
  for (const char* agent : {kBrowser, "curl/7.88.1", "Wget/1.21.3", "", "Zalo iOS"}) {
    EXPECT_FALSE(IsRobot(agent)) << agent;
  }
}

TEST(VisitFilterTest, AFullHourCountsNoMoreInsteadOfCountingEverything) {
  VisitFilter f(3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(f.Admit({"203.0.113." + std::to_string(i), kBrowser}, UsageKind::kView, "page", "d",
                        "", kNoon));
  }
  EXPECT_FALSE(f.Admit({"203.0.113.99", kBrowser}, UsageKind::kView, "page", "d", "", kNoon));
  // A new hour starts empty.
  EXPECT_TRUE(
      f.Admit({"203.0.113.99", kBrowser}, UsageKind::kView, "page", "d", "", kNoon + kHour));
}

}  // namespace
}  // namespace odp::catalog
