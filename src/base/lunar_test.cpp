#include "base/lunar.h"

#include <map>

#include <gtest/gtest.h>

namespace odp {
namespace {

TEST(Lunar, TetFallsOnThePublishedDates) {
  const std::map<int, CivilDate> tet = {
      {2020, {2020, 1, 25}}, {2021, {2021, 2, 12}}, {2022, {2022, 2, 1}},  {2023, {2023, 1, 22}},
      {2024, {2024, 2, 10}}, {2025, {2025, 1, 29}}, {2026, {2026, 2, 17}}, {2027, {2027, 2, 6}},
      {2028, {2028, 1, 26}}, {2029, {2029, 2, 13}}};
  for (const auto& [year, date] : tet) {
    EXPECT_EQ(LunarNewYear(year), date) << year;
    EXPECT_EQ(ToLunar(date), (LunarDate{1, 1, year, false})) << year;
    // The day before Tết is the last day of the previous lunar year's twelfth month.
    std::optional<LunarDate> eve = ToLunar(AddDays(date, -1));
    ASSERT_TRUE(eve.has_value());
    EXPECT_EQ(eve->month, 12);
    EXPECT_EQ(eve->year, year - 1);
    EXPECT_TRUE(eve->day == 29 || eve->day == 30);
  }
}

TEST(Lunar, HungKingsDayIsTheTenthOfTheThirdMonth) {
  EXPECT_EQ(FromLunar({10, 3, 2024, false}), (CivilDate{2024, 4, 18}));
  EXPECT_EQ(FromLunar({10, 3, 2025, false}), (CivilDate{2025, 4, 7}));
  EXPECT_EQ(FromLunar({10, 3, 2026, false}), (CivilDate{2026, 4, 26}));
  EXPECT_EQ(ToLunar({2026, 4, 26}), (LunarDate{10, 3, 2026, false}));
}

// Days are counted in UTC+7. When a new moon falls between 23:00 and 24:00 Beijing time (UTC+8),
// it is still the previous day in Viet Nam, and the Vietnamese month starts a day earlier.
TEST(Lunar, UsesVietnamTimeWhereChinaStartsTheMonthADayLater) {
  // 1985: Viet Nam 1985-01-21, China 1985-02-20: the months of
  // 1984–85 were numbered differently (the leap month fell elsewhere), a whole month apart.
  EXPECT_EQ(LunarNewYear(1985), (CivilDate{1985, 1, 21}));
  // 2007: the new moon of 2007-02-17 16:14 UTC was 23:14 in Viet Nam and 00:14 on the 18th in
  // China.
  EXPECT_EQ(LunarNewYear(2007), (CivilDate{2007, 2, 17}));
  // 2030: the new moon of 2030-02-02 about 16:07 UTC is 23:07 on the 2nd in Viet Nam and 00:07 on
  // the 3rd in Beijing, so Tết Canh Tuất is 2030-02-02 here (China's Spring Festival is 02-03).
  EXPECT_EQ(LunarNewYear(2030), (CivilDate{2030, 2, 2}));
  EXPECT_EQ(ToLunar({2030, 2, 3}), (LunarDate{2, 1, 2030, false}));
}

TEST(Lunar, NamesLeapMonthsAfterTheMonthTheyFollow) {
  EXPECT_EQ(LeapMonthOf(2020), 4);
  EXPECT_EQ(LeapMonthOf(2023), 2);
  EXPECT_EQ(LeapMonthOf(2025), 6);
  EXPECT_EQ(LeapMonthOf(2024), 0);
  EXPECT_EQ(LeapMonthOf(2026), 0);
  // Tháng 6 nhuận of 2025 follows month 6 and precedes month 7.
  std::optional<CivilDate> leap6 = FromLunar({1, 6, 2025, true});
  ASSERT_TRUE(leap6.has_value());
  EXPECT_EQ(ToLunar(AddDays(*leap6, -1))->month, 6);
  EXPECT_FALSE(ToLunar(AddDays(*leap6, -1))->leap);
  EXPECT_GT(*FromLunar({1, 7, 2025, false}), *leap6);
}

TEST(Lunar, RefusesLunarDatesThatDoNotExist) {
  EXPECT_FALSE(FromLunar({1, 5, 2025, true}).has_value());  // 2025's leap month is the sixth
  EXPECT_FALSE(FromLunar({1, 1, 2026, true}).has_value());  // 2026 has no leap month
  EXPECT_FALSE(FromLunar({0, 1, 2026, false}).has_value());
  EXPECT_FALSE(FromLunar({31, 1, 2026, false}).has_value());
  EXPECT_FALSE(FromLunar({1, 13, 2026, false}).has_value());
  EXPECT_FALSE(FromLunar({1, 1, kLunarLastYear + 1, false}).has_value());
  EXPECT_FALSE(ToLunar({kLunarFirstYear - 1, 6, 1}).has_value());
  EXPECT_FALSE(ToLunar({2025, 2, 29}).has_value());
  // The twelfth month before Tết 2026 has 30 or 29 days; day 30 exists exactly when it has 30.
  CivilDate first_of_12 = *FromLunar({1, 12, 2025, false});
  int64_t length = DaysSinceEpoch({2026, 2, 17}) - DaysSinceEpoch(first_of_12);
  EXPECT_EQ(FromLunar({30, 12, 2025, false}).has_value(), length == 30);
}

// Every day of 1900–2100 converts to a lunar date and back to itself; consecutive days advance the
// lunar day by one or start a new month after day 29 or 30; a lunar year has 12 or 13 months and
// there are 7 leap months in every 19 years (the Metonic cycle, give or take one at the edges).
TEST(Lunar, RoundTripsEveryDayFrom1900To2100) {
  const int64_t first = DaysSinceEpoch({1900, 1, 1});
  const int64_t last = DaysSinceEpoch({2100, 12, 31});
  std::optional<LunarDate> previous;
  int months = 0, leap_months = 0, checked = 0;
  for (int64_t d = first; d <= last; ++d) {
    CivilDate date = CivilDateFromDays(d);
    std::optional<LunarDate> lunar = ToLunar(date);
    ASSERT_TRUE(lunar.has_value()) << FormatCivilDate(date);
    ASSERT_EQ(FromLunar(*lunar), date) << FormatCivilDate(date);
    if (previous) {
      if (lunar->day == 1) {
        ASSERT_TRUE(previous->day == 29 || previous->day == 30) << FormatCivilDate(date);
        ++months;
        if (lunar->leap) {
          ++leap_months;
          ASSERT_EQ(lunar->month, previous->month) << FormatCivilDate(date);
        } else {
          ASSERT_EQ(lunar->month, previous->month % 12 + 1) << FormatCivilDate(date);
          ASSERT_EQ(lunar->year, lunar->month == 1 ? previous->year + 1 : previous->year);
        }
      } else {
        ASSERT_EQ(lunar->day, previous->day + 1) << FormatCivilDate(date);
        ASSERT_EQ(lunar->month, previous->month);
        ASSERT_EQ(lunar->leap, previous->leap);
      }
    }
    previous = lunar;
    ++checked;
  }
  EXPECT_EQ(checked, last - first + 1);
  // 201 years × 365.2422 days / 29.5306 days ≈ 2486 lunations; about 201 × 7 / 19 ≈ 74 leaps.
  EXPECT_NEAR(months, 2486, 2);
  EXPECT_NEAR(leap_months, 74, 1);
}

TEST(Lunar, EveryLunarYearHasTwelveOrThirteenMonthsAndATetInJanuaryOrFebruary) {
  for (int year = 1900; year <= 2100; ++year) {
    CivilDate tet = LunarNewYear(year);
    EXPECT_EQ(tet.year, year);
    EXPECT_GE(tet, (CivilDate{year, 1, 19})) << year;
    EXPECT_LE(tet, (CivilDate{year, 2, 21})) << year;
    int64_t length = DaysSinceEpoch(LunarNewYear(year + 1)) - DaysSinceEpoch(tet);
    if (LeapMonthOf(year) == 0) {
      EXPECT_TRUE(length >= 353 && length <= 355) << year << ": " << length;
    } else {
      EXPECT_TRUE(length >= 383 && length <= 385) << year << ": " << length;
    }
  }
}

}  // namespace
}  // namespace odp
