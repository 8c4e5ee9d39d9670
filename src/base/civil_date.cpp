#include "base/civil_date.h"

#include <chrono>
#include <cstdio>

namespace odp {
namespace {

constexpr Micros kMicrosPerSecond = 1000000;
constexpr Micros kMicrosPerDay = 86400 * kMicrosPerSecond;
constexpr Micros kVietnamOffset = 7 * 3600 * kMicrosPerSecond;

std::chrono::year_month_day ToYmd(CivilDate date) {
  return std::chrono::year_month_day{std::chrono::year{date.year},
                                     std::chrono::month{static_cast<unsigned>(date.month)},
                                     std::chrono::day{static_cast<unsigned>(date.day)}};
}

// Floor division: the day of an instant before 1970 is still the day that contains it.
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

bool IsValidCivilDate(CivilDate date) {
  if (date.month < 1 || date.month > 12 || date.day < 1 || date.day > 31) return false;
  return ToYmd(date).ok();
}

int64_t DaysSinceEpoch(CivilDate date) {
  return std::chrono::sys_days{ToYmd(date)}.time_since_epoch().count();
}

CivilDate CivilDateFromDays(int64_t days_since_epoch) {
  std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days_since_epoch}}};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

CivilDate AddDays(CivilDate date, int64_t days) {
  return CivilDateFromDays(DaysSinceEpoch(date) + days);
}

Weekday WeekdayOf(CivilDate date) {
  // 1970-01-01 was a Thursday.
  int64_t w = (DaysSinceEpoch(date) + 4) % 7;
  if (w < 0) w += 7;
  return static_cast<Weekday>(w);
}

std::string FormatCivilDate(CivilDate date) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", date.year, date.month, date.day);
  return buf;
}

std::optional<CivilDate> ParseCivilDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto digits = [&](size_t from, size_t count) -> std::optional<int> {
    int value = 0;
    for (size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  auto y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  if (!y || !m || !d) return std::nullopt;
  CivilDate date{*y, *m, *d};
  if (!IsValidCivilDate(date)) return std::nullopt;
  return date;
}

CivilDate VietnamDateOf(Micros t) {
  return CivilDateFromDays(FloorDiv(t + kVietnamOffset, kMicrosPerDay));
}

Micros StartOfVietnamDay(CivilDate date) {
  return DaysSinceEpoch(date) * kMicrosPerDay - kVietnamOffset;
}

Micros EndOfVietnamDay(CivilDate date) {
  return StartOfVietnamDay(date) + kMicrosPerDay - kMicrosPerSecond;
}

}  // namespace odp
