#include "base/civil_date.h"

#include <gtest/gtest.h>

namespace odp {
namespace {

TEST(CivilDate, CountsDaysFromTheEpochBothWays) {
  EXPECT_EQ(DaysSinceEpoch({1970, 1, 1}), 0);
  EXPECT_EQ(DaysSinceEpoch({1969, 12, 31}), -1);
  EXPECT_EQ(DaysSinceEpoch({2000, 3, 1}), 11017);
  EXPECT_EQ(CivilDateFromDays(11017), (CivilDate{2000, 3, 1}));
  EXPECT_EQ(AddDays({2024, 2, 28}, 1), (CivilDate{2024, 2, 29}));
  EXPECT_EQ(AddDays({2025, 2, 28}, 1), (CivilDate{2025, 3, 1}));
  EXPECT_EQ(AddDays({2026, 1, 1}, -1), (CivilDate{2025, 12, 31}));
}

TEST(CivilDate, KnowsTheWeekday) {
  EXPECT_EQ(WeekdayOf({1970, 1, 1}), Weekday::kThursday);
  EXPECT_EQ(WeekdayOf({2026, 2, 13}), Weekday::kFriday);
  EXPECT_EQ(WeekdayOf({2026, 2, 14}), Weekday::kSaturday);
  EXPECT_EQ(WeekdayOf({1900, 1, 1}), Weekday::kMonday);
}

TEST(CivilDate, ParsesAndFormatsIsoDatesOnly) {
  EXPECT_EQ(FormatCivilDate({2026, 2, 3}), "2026-02-03");
  EXPECT_EQ(ParseCivilDate("2024-02-29"), (CivilDate{2024, 2, 29}));
  for (const char* bad : {"", "2025-02-29", "2025-2-01", "2025-13-01", "2025-00-10", "20250101",
                          "2025-01-01T00", "abcd-01-01", "2025-01-32"}) {
    EXPECT_FALSE(ParseCivilDate(bad).has_value()) << bad;
  }
}

TEST(CivilDate, VietnamDaysRunFromSeventeenHundredUtcToSeventeenHundredUtc) {
  // 2026-02-13T16:59:59Z is 23:59:59 in Viet Nam; one second later it is the 14th there.
  Micros end_of_13th = EndOfVietnamDay({2026, 2, 13});
  EXPECT_EQ(FormatIsoSeconds(end_of_13th), "2026-02-13T16:59:59Z");
  EXPECT_EQ(VietnamDateOf(end_of_13th), (CivilDate{2026, 2, 13}));
  EXPECT_EQ(VietnamDateOf(end_of_13th + 1000000), (CivilDate{2026, 2, 14}));
  EXPECT_EQ(StartOfVietnamDay({2026, 2, 14}), end_of_13th + 1000000);
  // Before 1970 the division still rounds down to the right day.
  EXPECT_EQ(VietnamDateOf(StartOfVietnamDay({1960, 5, 6})), (CivilDate{1960, 5, 6}));
  EXPECT_EQ(VietnamDateOf(StartOfVietnamDay({1960, 5, 6}) - 1), (CivilDate{1960, 5, 5}));
}

}  // namespace
}  // namespace odp
