#include "base/workdays.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace odp {
namespace {

struct Expected {
  CivilDate date;
  HolidayKind kind;
  std::string name_vi;
  std::string name_en;
};

void ExpectHolidays(const std::vector<Holiday>& got, const std::vector<Expected>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].date, want[i].date) << i << ": " << FormatCivilDate(got[i].date);
    EXPECT_EQ(got[i].kind, want[i].kind) << FormatCivilDate(got[i].date);
    EXPECT_EQ(got[i].name_vi, want[i].name_vi) << FormatCivilDate(got[i].date);
    EXPECT_EQ(got[i].name_en, want[i].name_en) << FormatCivilDate(got[i].date);
  }
}

constexpr HolidayKind kPublic = HolidayKind::kPublicHoliday;
constexpr HolidayKind kComp = HolidayKind::kCompensatory;

// An instant given as Viet Nam local time.
Micros VietnamTimeOf(CivilDate date, int hour, int minute) {
  return StartOfVietnamDay(date) + (hour * 3600LL + minute * 60LL) * 1000000;
}

TEST(WorkingCalendar, StatutoryHolidaysOf2025) {
  // Tết Ất Tỵ is Wednesday 2025-01-29; the year before ended on Tuesday 28/1 (29 tháng Chạp), so
  // the five days are 28/1..1/2. Saturday 1/2 is made up on Monday 3/2 (Art. 111(3)). Hùng Kings
  // (10/3 âm) is Monday 7/4. National Day is 1/9 (default) and 2/9.
  WorkingCalendar calendar{HolidayRules{}};
  ExpectHolidays(
      calendar.Holidays(2025),
      {{{2025, 1, 1}, kPublic, "Tết Dương lịch", "New Year's Day"},
       {{2025, 1, 28}, kPublic, "Tết Nguyên Đán", "Lunar New Year"},
       {{2025, 1, 29}, kPublic, "Tết Nguyên Đán", "Lunar New Year"},
       {{2025, 1, 30}, kPublic, "Tết Nguyên Đán", "Lunar New Year"},
       {{2025, 1, 31}, kPublic, "Tết Nguyên Đán", "Lunar New Year"},
       {{2025, 2, 1}, kPublic, "Tết Nguyên Đán", "Lunar New Year"},
       {{2025, 2, 3}, kComp, "Nghỉ bù Tết Nguyên Đán", "Lunar New Year (compensatory day off)"},
       {{2025, 4, 7}, kPublic, "Giỗ Tổ Hùng Vương", "Hùng Kings' Commemoration"},
       {{2025, 4, 30}, kPublic, "Ngày Chiến thắng", "Reunification Day"},
       {{2025, 5, 1}, kPublic, "Quốc tế Lao động", "International Labour Day"},
       {{2025, 9, 1}, kPublic, "Quốc khánh", "National Day"},
       {{2025, 9, 2}, kPublic, "Quốc khánh", "National Day"}});
}

TEST(WorkingCalendar, StatutoryHolidaysOf2026) {
  // Tết Bính Ngọ is Tuesday 2026-02-17: the five days are Monday 16/2..Friday 20/2. Hùng Kings
  // falls on Sunday 26/4 and is made up on Monday 27/4.
  WorkingCalendar calendar{HolidayRules{}};
  ExpectHolidays(calendar.Holidays(2026),
                 {{{2026, 1, 1}, kPublic, "Tết Dương lịch", "New Year's Day"},
                  {{2026, 2, 16}, kPublic, "Tết Nguyên Đán", "Lunar New Year"},
                  {{2026, 2, 17}, kPublic, "Tết Nguyên Đán", "Lunar New Year"},
                  {{2026, 2, 18}, kPublic, "Tết Nguyên Đán", "Lunar New Year"},
                  {{2026, 2, 19}, kPublic, "Tết Nguyên Đán", "Lunar New Year"},
                  {{2026, 2, 20}, kPublic, "Tết Nguyên Đán", "Lunar New Year"},
                  {{2026, 4, 26}, kPublic, "Giỗ Tổ Hùng Vương", "Hùng Kings' Commemoration"},
                  {{2026, 4, 27},
                   kComp,
                   "Nghỉ bù Giỗ Tổ Hùng Vương",
                   "Hùng Kings' Commemoration (compensatory day off)"},
                  {{2026, 4, 30}, kPublic, "Ngày Chiến thắng", "Reunification Day"},
                  {{2026, 5, 1}, kPublic, "Quốc tế Lao động", "International Labour Day"},
                  {{2026, 9, 1}, kPublic, "Quốc khánh", "National Day"},
                  {{2026, 9, 2}, kPublic, "Quốc khánh", "National Day"}});
}

TEST(WorkingCalendar, AnnouncedTetDaysAndNationalDayReplaceTheDefaults) {
  // Tết 2024 (Giáp Thìn, Saturday 10/2) was announced as 29 tháng Chạp (Thursday 8/2) to mùng 4
  // (Monday 12/2); Saturday 10/2 and Sunday 11/2 are made up on 13/2 and 14/2: off 8/2..14/2.
  HolidayRules rules;
  rules.tet_first_day[2024] = {2024, 2, 8};
  rules.national_day_second_day[2024] = {2024, 9, 3};
  ASSERT_TRUE(rules.Validate().ok());
  WorkingCalendar calendar{rules};
  EXPECT_TRUE(calendar.IsWorkingDay({2024, 2, 7}));
  for (int day = 8; day <= 14; ++day) EXPECT_FALSE(calendar.IsWorkingDay({2024, 2, day})) << day;
  EXPECT_TRUE(calendar.IsWorkingDay({2024, 2, 15}));
  EXPECT_TRUE(calendar.IsWorkingDay({2024, 9, 2}) == false);
  EXPECT_FALSE(calendar.IsWorkingDay({2024, 9, 3}));
  // 2/9/2024 is a Monday; 1/9 is then a plain Sunday, not a holiday.
  std::vector<Holiday> holidays = calendar.Holidays(2024);
  int september = 0;
  for (const Holiday& h : holidays) september += h.date.month == 9;
  EXPECT_EQ(september, 2);
}

TEST(WorkingCalendar, WeekendsAreDaysOffAndWeekdaysWorkingDays) {
  WorkingCalendar calendar{HolidayRules{}};
  EXPECT_TRUE(calendar.IsWorkingDay({2026, 3, 6}));    // Friday
  EXPECT_FALSE(calendar.IsWorkingDay({2026, 3, 7}));   // Saturday
  EXPECT_FALSE(calendar.IsWorkingDay({2026, 3, 8}));   // Sunday
  EXPECT_TRUE(calendar.IsWorkingDay({2026, 3, 9}));    // Monday
  EXPECT_FALSE(calendar.IsWorkingDay({2026, 4, 27}));  // compensatory day
}

// The case of the issue: a request on Friday 2026-02-13 with two working days.
//   Sat 14/2, Sun 15/2   weekend
//   Mon 16/2..Fri 20/2   Tết (29 tháng Chạp Ất Tỵ .. mùng 4 Bính Ngọ)
//   Sat 21/2, Sun 22/2   weekend
//   Mon 23/2             working day 1
//   Tue 24/2             working day 2  -> due 2026-02-24 23:59:59 +07:00 = 16:59:59Z
// The reminder goes out on the working day before: Monday 23/2.
TEST(WorkingCalendar, DeadlineAcrossTet2026) {
  WorkingCalendar calendar{HolidayRules{}};
  Micros requested = VietnamTimeOf({2026, 2, 13}, 15, 30);
  Micros due = calendar.AddWorkingDays(requested, 2);
  EXPECT_EQ(FormatIsoSeconds(due), "2026-02-24T16:59:59Z");
  EXPECT_EQ(due, EndOfVietnamDay({2026, 2, 24}));
  EXPECT_EQ(calendar.NthWorkingDayAfter({2026, 2, 13}, 1), (CivilDate{2026, 2, 23}));
  EXPECT_EQ(calendar.PreviousWorkingDay({2026, 2, 24}), (CivilDate{2026, 2, 23}));
  EXPECT_EQ(calendar.PreviousWorkingDay({2026, 2, 23}), (CivilDate{2026, 2, 13}));
  EXPECT_EQ(calendar.WorkingDaysBetween({2026, 2, 13}, {2026, 2, 24}), 2);
}

TEST(WorkingCalendar, TheRequestDayIsTheVietnamDateOfTheRequest) {
  WorkingCalendar calendar{HolidayRules{}};
  // 23:30 on Thursday 2026-03-05 in Viet Nam (16:30 UTC): day 1 is Friday 6/3.
  EXPECT_EQ(calendar.AddWorkingDays(VietnamTimeOf({2026, 3, 5}, 23, 30), 1),
            EndOfVietnamDay({2026, 3, 6}));
  // 00:30 on Friday 6/3 in Viet Nam is still Thursday in UTC; the request's day is Friday, so
  // day 1 is Monday 9/3.
  EXPECT_EQ(calendar.AddWorkingDays(VietnamTimeOf({2026, 3, 6}, 0, 30), 1),
            EndOfVietnamDay({2026, 3, 9}));
  // A request on a Sunday counts from Monday.
  EXPECT_EQ(calendar.AddWorkingDays(VietnamTimeOf({2026, 3, 8}, 10, 0), 1),
            EndOfVietnamDay({2026, 3, 9}));
  // n == 0 is the end of the request's own day.
  EXPECT_EQ(calendar.AddWorkingDays(VietnamTimeOf({2026, 3, 8}, 10, 0), 0),
            EndOfVietnamDay({2026, 3, 8}));
}

TEST(WorkingCalendar, DeadlineAcrossReunificationAndLabourDay) {
  // Wednesday 2026-04-29 + 2: Thu 30/4 and Fri 1/5 are holidays, 2–3/5 the weekend, so day 1 is
  // Monday 4/5 and day 2 Tuesday 5/5.
  WorkingCalendar calendar{HolidayRules{}};
  EXPECT_EQ(calendar.AddWorkingDays(VietnamTimeOf({2026, 4, 29}, 9, 0), 2),
            EndOfVietnamDay({2026, 5, 5}));
  // 2022: 30/4 and 1/5 fell on Saturday and Sunday and were made up on Monday 2/5 and Tuesday 3/5.
  // A request on Friday 29/4/2022 with one working day is due on Wednesday 4/5.
  EXPECT_EQ(calendar.NthWorkingDayAfter({2022, 4, 29}, 1), (CivilDate{2022, 5, 4}));
}

TEST(WorkingCalendar, MakeUpSaturdayCountsAsAWorkingDay) {
  // A hypothetical announcement: Saturday 2026-03-07 is worked (in exchange for a bridging day).
  // A request on Friday 6/3 with one working day is due that Saturday instead of Monday 9/3.
  HolidayRules rules;
  rules.adjustments.push_back({{2026, 3, 7}, AdjustmentKind::kWorkingDay, "làm bù (ví dụ)"});
  ASSERT_TRUE(rules.Validate().ok());
  WorkingCalendar with{rules};
  WorkingCalendar without{HolidayRules{}};
  EXPECT_TRUE(with.IsWorkingDay({2026, 3, 7}));
  EXPECT_EQ(with.NthWorkingDayAfter({2026, 3, 6}, 1), (CivilDate{2026, 3, 7}));
  EXPECT_EQ(without.NthWorkingDayAfter({2026, 3, 6}, 1), (CivilDate{2026, 3, 9}));
  EXPECT_EQ(with.WorkingDaysBetween({2026, 3, 6}, {2026, 3, 9}), 2);
  EXPECT_EQ(without.WorkingDaysBetween({2026, 3, 6}, {2026, 3, 9}), 1);
  // A make-up working day is not a holiday.
  for (const Holiday& h : with.Holidays(2026)) EXPECT_NE(h.date, (CivilDate{2026, 3, 7}));
}

TEST(WorkingCalendar, AnnouncedDayOffIsSkippedAndListed) {
  // A hypothetical bridging day: Friday 2026-01-02 off. A request on Wednesday 2025-12-31 with one
  // working day skips 1/1 (holiday), 2/1 (announced) and the weekend: due Monday 2026-01-05.
  HolidayRules rules;
  rules.adjustments.push_back({{2026, 1, 2}, AdjustmentKind::kDayOff, "nghỉ cầu nối (ví dụ)"});
  ASSERT_TRUE(rules.Validate().ok());
  WorkingCalendar with{rules};
  WorkingCalendar without{HolidayRules{}};
  EXPECT_EQ(with.AddWorkingDays(VietnamTimeOf({2025, 12, 31}, 16, 0), 1),
            EndOfVietnamDay({2026, 1, 5}));
  EXPECT_EQ(without.AddWorkingDays(VietnamTimeOf({2025, 12, 31}, 16, 0), 1),
            EndOfVietnamDay({2026, 1, 2}));
  std::vector<Holiday> holidays = with.Holidays(2026);
  ASSERT_GE(holidays.size(), 2u);
  EXPECT_EQ(holidays[1].date, (CivilDate{2026, 1, 2}));
  EXPECT_EQ(holidays[1].kind, HolidayKind::kAnnounced);
  EXPECT_EQ(holidays[1].name_vi, "Ngày nghỉ theo thông báo: nghỉ cầu nối (ví dụ)");
  EXPECT_EQ(holidays[1].name_en, "Announced day off: nghỉ cầu nối (ví dụ)");
}

TEST(WorkingCalendar, CompensationCanBeTurnedOff) {
  HolidayRules rules;
  rules.compensate_weekend_holidays = false;
  WorkingCalendar calendar{rules};
  EXPECT_TRUE(calendar.IsWorkingDay({2026, 4, 27}));
  EXPECT_EQ(calendar.Holidays(2026).size(), 11u);
}

TEST(WorkingCalendar, WorkingDaysBetweenInvertsNthWorkingDayAfter) {
  WorkingCalendar calendar{HolidayRules{}};
  int checked = 0;
  for (CivilDate d{2025, 12, 1}; d < CivilDate{2027, 1, 1}; d = AddDays(d, 3)) {
    for (int n : {0, 1, 2, 5, 20}) {
      CivilDate due = calendar.NthWorkingDayAfter(d, n);
      ASSERT_EQ(calendar.WorkingDaysBetween(d, due), n) << FormatCivilDate(d) << " + " << n;
      if (n > 0) {
        ASSERT_TRUE(calendar.IsWorkingDay(due));
        ASSERT_EQ(calendar.WorkingDaysBetween(d, AddDays(due, -1)), n - 1);
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 5 * 132);
  EXPECT_EQ(calendar.WorkingDaysBetween({2026, 3, 9}, {2026, 3, 2}), 0);
  // 2026 has 261 weekdays, of which 11 are days off: 1/1, Tết 16–20/2, 27/4 (for Hùng Kings on
  // Sunday 26/4), 30/4, 1/5, 1/9 and 2/9.
  EXPECT_EQ(calendar.WorkingDaysBetween({2025, 12, 31}, {2026, 12, 31}), 250);
}

TEST(HolidayRules, ValidateRefusesBadData) {
  HolidayRules ok;
  EXPECT_TRUE(ok.Validate().ok());

  HolidayRules tet_too_early;
  tet_too_early.tet_first_day[2026] = {2026, 2, 12};  // five days before 17/2
  Status s = tet_too_early.Validate();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("2026-02-13"), std::string::npos) << s.message();
  EXPECT_NE(s.message_vi(), s.message());

  HolidayRules tet_after;
  tet_after.tet_first_day[2026] = {2026, 2, 18};
  EXPECT_FALSE(tet_after.Validate().ok());
  HolidayRules tet_ok;
  tet_ok.tet_first_day[2026] = {2026, 2, 13};
  EXPECT_TRUE(tet_ok.Validate().ok());

  HolidayRules national;
  national.national_day_second_day[2026] = {2026, 9, 4};
  EXPECT_FALSE(national.Validate().ok());
  national.national_day_second_day[2026] = {2025, 9, 3};
  EXPECT_FALSE(national.Validate().ok());

  HolidayRules twice;
  twice.adjustments = {{{2026, 3, 7}, AdjustmentKind::kWorkingDay, ""},
                       {{2026, 3, 7}, AdjustmentKind::kDayOff, ""}};
  EXPECT_FALSE(twice.Validate().ok());

  HolidayRules invalid_date;
  invalid_date.adjustments = {{{2026, 2, 30}, AdjustmentKind::kDayOff, ""}};
  EXPECT_FALSE(invalid_date.Validate().ok());
}

}  // namespace
}  // namespace odp
