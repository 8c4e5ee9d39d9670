#include "base/workdays.h"

#include <algorithm>
#include <utility>

#include "base/lunar.h"

namespace odp {
namespace {

bool IsWeekend(CivilDate date) {
  Weekday w = WeekdayOf(date);
  return w == Weekday::kSaturday || w == Weekday::kSunday;
}

bool InSupportedYears(int year) { return year >= kLunarFirstYear && year < kLunarLastYear; }

struct Name {
  const char* vi;
  const char* en;
};
constexpr Name kNewYear{"Tết Dương lịch", "New Year's Day"};
constexpr Name kTet{"Tết Nguyên Đán", "Lunar New Year"};
constexpr Name kHungKings{"Giỗ Tổ Hùng Vương", "Hùng Kings' Commemoration"};
constexpr Name kReunification{"Ngày Chiến thắng", "Reunification Day"};
constexpr Name kLabour{"Quốc tế Lao động", "International Labour Day"};
constexpr Name kNational{"Quốc khánh", "National Day"};

// The first of the five Tết days of lunar year `year`, or nullopt outside the supported years.
std::optional<CivilDate> TetFirstDay(const HolidayRules& rules, int year) {
  auto it = rules.tet_first_day.find(year);
  if (it != rules.tet_first_day.end()) return it->second;
  std::optional<CivilDate> new_year = FromLunar({1, 1, year, false});
  if (!new_year) return std::nullopt;
  return AddDays(*new_year, -1);  // the last day of the previous lunar year (29 or 30 tháng Chạp)
}

std::string DateText(CivilDate date) { return FormatCivilDate(date); }

}  // namespace

Status HolidayRules::Validate() const {
  auto bad_date = [](CivilDate date, const std::string& what_en, const std::string& what_vi) {
    return Status::InvalidArgument(
        what_en + ": " + DateText(date) + " is not a date of the supported years (" +
            std::to_string(kLunarFirstYear) + "–" + std::to_string(kLunarLastYear - 1) + ")",
        what_vi + ": " + DateText(date) + " không phải là ngày hợp lệ trong các năm được hỗ trợ (" +
            std::to_string(kLunarFirstYear) + "–" + std::to_string(kLunarLastYear - 1) + ")");
  };
  for (const auto& [year, first] : tet_first_day) {
    if (!IsValidCivilDate(first) || !InSupportedYears(year) || !InSupportedYears(first.year)) {
      return bad_date(first, "Tết first day", "Ngày nghỉ Tết đầu tiên");
    }
    CivilDate tet = LunarNewYear(year);
    if (first < AddDays(tet, -4) || first > tet) {
      return Status::InvalidArgument(
          "Tết first day of " + std::to_string(year) + " must be between " +
              DateText(AddDays(tet, -4)) + " and " + DateText(tet) + ", got " + DateText(first),
          "Ngày nghỉ Tết đầu tiên của năm " + std::to_string(year) + " phải trong khoảng " +
              DateText(AddDays(tet, -4)) + " đến " + DateText(tet) + ", nhận được " +
              DateText(first));
    }
  }
  for (const auto& [year, day] : national_day_second_day) {
    if (!InSupportedYears(year) || (day != CivilDate{year, 9, 1} && day != CivilDate{year, 9, 3})) {
      return Status::InvalidArgument("the second National Day day of " + std::to_string(year) +
                                         " must be " + std::to_string(year) + "-09-01 or " +
                                         std::to_string(year) + "-09-03, got " + DateText(day),
                                     "Ngày nghỉ Quốc khánh thứ hai của năm " +
                                         std::to_string(year) + " phải là 01/09 hoặc " + "03/09/" +
                                         std::to_string(year) + ", nhận được " + DateText(day));
    }
  }
  std::set<CivilDate> seen;
  for (const CalendarAdjustment& a : adjustments) {
    if (!IsValidCivilDate(a.date) || !InSupportedYears(a.date.year)) {
      return bad_date(a.date, "calendar adjustment", "Điều chỉnh lịch");
    }
    if (!seen.insert(a.date).second) {
      return Status::InvalidArgument("the date " + DateText(a.date) + " is adjusted twice",
                                     "Ngày " + DateText(a.date) + " được điều chỉnh hai lần");
    }
  }
  return Status::Ok();
}

WorkingCalendar::WorkingCalendar(HolidayRules rules) : rules_(std::move(rules)) {}

WorkingCalendar::YearDays WorkingCalendar::ComputeYear(int year) const {
  // The adjustments of this year, by date.
  std::map<CivilDate, const CalendarAdjustment*> adjusted;
  for (const CalendarAdjustment& a : rules_.adjustments) {
    if (a.date.year == year) adjusted[a.date] = &a;
  }
  auto made_working = [&](CivilDate date) {
    auto it = adjusted.find(date);
    return it != adjusted.end() && it->second->kind == AdjustmentKind::kWorkingDay;
  };

  // Labour Code Art. 112(1).
  std::vector<std::pair<CivilDate, Name>> statutory = {{{year, 1, 1}, kNewYear},
                                                       {{year, 4, 30}, kReunification},
                                                       {{year, 5, 1}, kLabour},
                                                       {{year, 9, 2}, kNational}};
  auto second = rules_.national_day_second_day.find(year);
  statutory.push_back(
      {second != rules_.national_day_second_day.end() ? second->second : CivilDate{year, 9, 1},
       kNational});
  if (std::optional<CivilDate> first = TetFirstDay(rules_, year)) {
    for (int i = 0; i < 5; ++i) statutory.push_back({AddDays(*first, i), kTet});
  }
  if (std::optional<CivilDate> hung = FromLunar({10, 3, year, false})) {
    statutory.push_back({*hung, kHungKings});
  }
  std::sort(statutory.begin(), statutory.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });

  YearDays days;
  for (const auto& [date, name] : statutory) {
    if (made_working(date) || days.days_off.contains(date)) continue;
    days.holidays.push_back({date, HolidayKind::kPublicHoliday, name.vi, name.en});
    days.days_off.insert(date);
  }
  auto announced_off = [&](CivilDate date) {
    auto it = adjusted.find(date);
    return it != adjusted.end() && it->second->kind == AdjustmentKind::kDayOff;
  };

  // Art. 111(3): each public holiday on a weekend gives the next weekday that is not already off.
  if (rules_.compensate_weekend_holidays) {
    std::vector<Holiday> compensatory;
    for (const auto& [date, name] : statutory) {
      if (!IsWeekend(date) || made_working(date)) continue;
      CivilDate day = AddDays(date, 1);
      while (IsWeekend(day) || days.days_off.contains(day) || announced_off(day) ||
             made_working(day)) {
        day = AddDays(day, 1);
      }
      compensatory.push_back({day, HolidayKind::kCompensatory, std::string("Nghỉ bù ") + name.vi,
                              std::string(name.en) + " (compensatory day off)"});
      days.days_off.insert(day);
    }
    days.holidays.insert(days.holidays.end(), compensatory.begin(), compensatory.end());
  }

  for (const auto& [date, a] : adjusted) {
    if (a->kind == AdjustmentKind::kWorkingDay) {
      days.working_days.insert(date);
    } else if (!days.days_off.contains(date)) {
      days.holidays.push_back(
          {date, HolidayKind::kAnnounced,
           a->note.empty() ? "Ngày nghỉ theo thông báo" : "Ngày nghỉ theo thông báo: " + a->note,
           a->note.empty() ? "Announced day off" : "Announced day off: " + a->note});
      days.days_off.insert(date);
    }
  }
  std::stable_sort(days.holidays.begin(), days.holidays.end(),
                   [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
  return days;
}

const WorkingCalendar::YearDays& WorkingCalendar::DaysOf(int year) const {
  {
    std::lock_guard lock(mu_);
    auto it = years_.find(year);
    if (it != years_.end()) return it->second;
  }
  YearDays days = ComputeYear(year);
  std::lock_guard lock(mu_);
  return years_.emplace(year, std::move(days)).first->second;
}

std::vector<Holiday> WorkingCalendar::Holidays(int year) const { return DaysOf(year).holidays; }

bool WorkingCalendar::IsWorkingDay(CivilDate date) const {
  const YearDays& days = DaysOf(date.year);
  if (days.working_days.contains(date)) return true;
  return !IsWeekend(date) && !days.days_off.contains(date);
}

CivilDate WorkingCalendar::NthWorkingDayAfter(CivilDate date, int n) const {
  CivilDate day = date;
  for (int counted = 0; counted < n;) {
    day = AddDays(day, 1);
    if (IsWorkingDay(day)) ++counted;
  }
  return day;
}

Micros WorkingCalendar::AddWorkingDays(Micros requested_at, int n) const {
  return EndOfVietnamDay(NthWorkingDayAfter(VietnamDateOf(requested_at), n));
}

int WorkingCalendar::WorkingDaysBetween(CivilDate from, CivilDate to) const {
  int count = 0;
  for (CivilDate day = AddDays(from, 1); day <= to; day = AddDays(day, 1)) {
    if (IsWorkingDay(day)) ++count;
  }
  return count;
}

CivilDate WorkingCalendar::PreviousWorkingDay(CivilDate date) const {
  CivilDate day = AddDays(date, -1);
  while (!IsWorkingDay(day)) day = AddDays(day, -1);
  return day;
}

}  // namespace odp
