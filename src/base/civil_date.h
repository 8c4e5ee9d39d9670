// A plain civil date (proleptic Gregorian year, month, day) with days-since-epoch arithmetic, and
// the bridge between instants (Micros, UTC) and dates in Viet Nam time (UTC+7 all year, no daylight
// saving). The lunar calendar (lunar.h) and the working-day calendar (workdays.h) are built on it.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/time.h"

namespace odp {

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31

  friend auto operator<=>(const CivilDate&, const CivilDate&) = default;
};

enum class Weekday { kSunday = 0, kMonday, kTuesday, kWednesday, kThursday, kFriday, kSaturday };

// True when `date` names a real day (2025-02-29 does not).
bool IsValidCivilDate(CivilDate date);
// Days since 1970-01-01 (negative before it). REQUIRES: IsValidCivilDate(date).
int64_t DaysSinceEpoch(CivilDate date);
CivilDate CivilDateFromDays(int64_t days_since_epoch);
CivilDate AddDays(CivilDate date, int64_t days);
Weekday WeekdayOf(CivilDate date);

// "2026-02-13".
std::string FormatCivilDate(CivilDate date);
// Reads exactly "YYYY-MM-DD" (four-digit year); nullopt for anything else or a day that does not
// exist.
std::optional<CivilDate> ParseCivilDate(std::string_view text);

// The date in Viet Nam of the instant `t`.
CivilDate VietnamDateOf(Micros t);
// The instant 00:00:00 Viet Nam time on `date`.
Micros StartOfVietnamDay(CivilDate date);
// The instant 23:59:59 Viet Nam time on `date` (the last whole second of that day).
Micros EndOfVietnamDay(CivilDate date);

}  // namespace odp
