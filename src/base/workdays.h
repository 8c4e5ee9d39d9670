// Working days in Viet Nam, and deadlines counted in them.
//
// A day is a working day unless it is a Saturday or Sunday, a public holiday, or a compensatory or
// announced day off; an announced make-up working day (ngày làm bù) is a working day whatever else
// it is. Sources:
//  - Bộ luật Lao động 2019 (Labour Code, Law 45/2019/QH14), Điều 112(1): the public holidays —
//    Tết Dương lịch 1/1 (1 day); Tết Âm lịch (5 days); Ngày Chiến thắng 30/4 (1 day); Quốc tế Lao
//    động 1/5 (1 day); Quốc khánh 2/9 plus the day before or after it (2 days); Giỗ Tổ Hùng Vương
//    10/3 âm lịch (1 day). Điều 112(3): the Prime Minister fixes the exact Tết days and the second
//    National Day day each year. Here Tết defaults to the last day of the lunar year and days 1–4
//    of the new one, and the second National Day day to 1/9; HolidayRules carries the announced
//    choice.
//  - Điều 111(3): a public holiday that falls on the weekly day off is made up by a day off on the
//    next working day (nghỉ bù). HolidayRules::compensate_weekend_holidays turns that on (default).
//  - Each year the government also announces swaps for state employees: bridging days off and the
//    Saturdays worked in exchange. They are data (CalendarAdjustment), kept by the data unit.
// Context: the two-working-day clock of inter-agency data sharing comes from Nghị định
// 47/2020/NĐ-CP as amended by Nghị định 194/2025/NĐ-CP, Điều 35(3); this file only counts the days.
//
// Lunar dates are converted with lunar.h, so the supported years are
// kLunarFirstYear..kLunarLastYear.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "base/civil_date.h"
#include "base/status.h"
#include "base/time.h"

namespace odp {

enum class AdjustmentKind {
  kDayOff,      // an announced day off on what would be a working day (e.g. a bridging day)
  kWorkingDay,  // an announced working day on what would be a day off (e.g. a make-up Saturday)
};

// One announced change to the calendar, as the data unit records it.
struct CalendarAdjustment {
  CivilDate date;
  AdjustmentKind kind = AdjustmentKind::kDayOff;
  std::string note;  // e.g. the announcement's number and reason; shown with the day

  friend bool operator==(const CalendarAdjustment&, const CalendarAdjustment&) = default;
};

struct HolidayRules {
  // The first of the five Tết days, by lunar year, where the government announced one other than
  // the default (the last day of the previous lunar year). The five days are consecutive.
  std::map<int, CivilDate> tet_first_day;
  // The second National Day day (1/9 or 3/9), by year, where announced; default 1/9.
  std::map<int, CivilDate> national_day_second_day;
  // Labour Code Art. 111(3): a holiday on a Saturday or Sunday gives a day off on the next working
  // day.
  bool compensate_weekend_holidays = true;
  // Announced days off and make-up working days, any years, any order; at most one per date.
  std::vector<CalendarAdjustment> adjustments;

  // Checks the data an editor may have changed: every date valid and in the supported years, a Tết
  // first day within the five days before Tết of its lunar year, a second National Day day on 1/9
  // or 3/9 of its year, no date adjusted twice. Messages are English with a Vietnamese one for
  // people.
  Status Validate() const;
};

enum class HolidayKind {
  kPublicHoliday,  // Labour Code Art. 112(1)
  kCompensatory,   // Art. 111(3): a public holiday fell on a weekend
  kAnnounced,      // an adjustment of kind kDayOff
};

struct Holiday {
  CivilDate date;
  HolidayKind kind = HolidayKind::kPublicHoliday;
  std::string name_vi;  // "Tết Nguyên Đán", "Nghỉ bù Quốc khánh", ...
  std::string name_en;  // "Lunar New Year", "National Day (compensatory day off)", ...

  friend bool operator==(const Holiday&, const Holiday&) = default;
};

// The working-day calendar for a set of rules. Immutable after construction except for a cache of
// computed years; safe to use from any thread.
class WorkingCalendar {
 public:
  // REQUIRES: rules.Validate().ok().
  explicit WorkingCalendar(HolidayRules rules);

  const HolidayRules& rules() const { return rules_; }

  // The days off of civil year `year` other than plain weekends, in date order: public holidays,
  // compensatory days and announced days off. A public holiday that an adjustment makes a working
  // day is left out. REQUIRES: year in kLunarFirstYear..kLunarLastYear − 1.
  std::vector<Holiday> Holidays(int year) const;

  // Monday to Friday and not a day off, or an announced make-up working day.
  bool IsWorkingDay(CivilDate date) const;

  // The n-th working day strictly after `date` (n ≥ 1); `date` itself for n == 0.
  CivilDate NthWorkingDayAfter(CivilDate date, int n) const;

  // THE DEADLINE RULE. A request made at instant `requested_at` (any time of any day, working or
  // not) with `n` working days is due at the end — 23:59:59 Viet Nam time — of the n-th working day
  // after the date (in Viet Nam) of `requested_at`. The day of the request never counts, even when
  // it is a working day and the request came at 00:01. Example: a request on Friday 2026-02-13 with
  // n = 2 skips the weekend 14–15/2 and Tết 16–20/2 and the weekend 21–22/2, and is due at
  // 2026-02-24 23:59:59 +07:00. n == 0 gives the end of the request's own day.
  Micros AddWorkingDays(Micros requested_at, int n) const;

  // The number of working days d with from < d ≤ to (0 when to ≤ from), so that
  // WorkingDaysBetween(d, NthWorkingDayAfter(d, n)) == n.
  int WorkingDaysBetween(CivilDate from, CivilDate to) const;

  // The last working day strictly before `date`: the day a reminder goes out for a deadline on
  // `date` ("one working day before").
  CivilDate PreviousWorkingDay(CivilDate date) const;

 private:
  struct YearDays {
    std::vector<Holiday> holidays;
    std::set<CivilDate> days_off;      // every date in `holidays`
    std::set<CivilDate> working_days;  // make-up working days of the year
  };
  const YearDays& DaysOf(int year) const;
  YearDays ComputeYear(int year) const;

  const HolidayRules rules_;
  mutable std::mutex mu_;
  mutable std::map<int, YearDays> years_;  // guarded by mu_; entries never change once added
};

}  // namespace odp
