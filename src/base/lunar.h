// The Vietnamese lunisolar calendar (âm lịch), computed astronomically for the meridian of UTC+7.
//
// The rules, as the Vietnamese calendar has applied them since 1968 (and as this file applies them
// to every year it accepts):
//  - A lunar month begins on the civil day (in UTC+7) that contains the instant of a new moon.
//  - Month 11 is the month that contains the winter solstice (the Sun's apparent longitude
//    reaching 270°, again with its day taken in UTC+7).
//  - From one month 11 to the next there are 12 or 13 months. When there are 13, the first month
//    after month 11 that contains no major solar term (no multiple of 30° of solar longitude) is a
//    leap month and takes the number of the month before it ("tháng 4 nhuận" follows month 4).
//  - The lunar year (named in data, e.g. for Tết) is the civil year in which its month 1 begins.
// Because days are counted in UTC+7 rather than China's UTC+8, a new moon or solstice between
// 23:00 and 24:00 Beijing time falls on different days in the two countries: Tết 1985 was
// 1985-01-21 in Viet Nam and 1985-02-20 in China, Tết 2007 was 2007-02-17 against 2007-02-18.
//
// Method: instants of new moon from Jean Meeus, "Astronomical Algorithms" (2nd ed., ch. 49, with
// the periodic and planetary terms), the Sun's apparent longitude from ch. 25 (low-accuracy
// series, about 0.01°), and ΔT (TT − UT) from the Espenak–Meeus polynomials. The time of a solar
// term is then right to a few minutes, which decides the date except in a rare year when a term
// falls within minutes of midnight.
//
// Supported years: kLunarFirstYear..kLunarLastYear. The tests check published Tết and Hùng Kings
// dates of 1985–2030 and the calendar's consistency (round trips, month and year lengths)
// 1900–2100. All functions are safe to call from any thread; each year's months are computed once
// and kept.
#pragma once

#include <optional>

#include "base/civil_date.h"

namespace odp {

inline constexpr int kLunarFirstYear = 1800;
inline constexpr int kLunarLastYear = 2199;

struct LunarDate {
  int day = 1;        // 1..30
  int month = 1;      // 1..12
  int year = 0;       // the civil year in which this lunar year's month 1 begins
  bool leap = false;  // a leap month (tháng nhuận), numbered like the month before it

  friend bool operator==(const LunarDate&, const LunarDate&) = default;
};

// The lunar date of the civil day `date`; nullopt when `date` is invalid or its year is outside
// kLunarFirstYear..kLunarLastYear.
std::optional<LunarDate> ToLunar(CivilDate date);

// The civil day of `lunar`; nullopt when there is no such day: a month or day out of range, day 30
// of a 29-day month, a leap month in a year whose leap month is another, or a year out of range.
std::optional<CivilDate> FromLunar(LunarDate lunar);

// Day 1 of month 1 of lunar year `year` (Tết Nguyên Đán). REQUIRES: year in the supported range.
CivilDate LunarNewYear(int year);

// The leap month of lunar year `year` (1..12), or 0 when that year has none.
// REQUIRES: year in the supported range.
int LeapMonthOf(int year);

}  // namespace odp
