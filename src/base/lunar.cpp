#include "base/lunar.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <mutex>
#include <numbers>

namespace odp {
namespace {

// Julian day numbers: JDN of the civil date = days since 1970-01-01 + 2440588; the Julian date of
// that date's 00:00 UTC is JDN − 0.5.
constexpr int64_t kJdnOfEpoch = 2440588;
constexpr double kZoneDays = 7.0 / 24.0;  // UTC+7
constexpr double kSynodicMonth = 29.530588861;

double Radians(double degrees) { return degrees * std::numbers::pi / 180.0; }
double SinDeg(double degrees) { return std::sin(Radians(degrees)); }

// ΔT = TT − UT in seconds for a decimal year (Espenak and Meeus polynomial expressions).
double DeltaTSeconds(double y) {
  if (y < 1860) {
    double t = y - 1800;
    return 13.72 - 0.332447 * t + 0.0068612 * t * t + 0.0041116 * t * t * t -
           0.00037436 * std::pow(t, 4) + 0.0000121272 * std::pow(t, 5) -
           0.0000001699 * std::pow(t, 6) + 0.000000000875 * std::pow(t, 7);
  }
  if (y < 1900) {
    double t = y - 1860;
    return 7.62 + 0.5737 * t - 0.251754 * t * t + 0.01680668 * t * t * t -
           0.0004473624 * std::pow(t, 4) + std::pow(t, 5) / 233174;
  }
  if (y < 1920) {
    double t = y - 1900;
    return -2.79 + 1.494119 * t - 0.0598939 * t * t + 0.0061966 * t * t * t -
           0.000197 * std::pow(t, 4);
  }
  if (y < 1941) {
    double t = y - 1920;
    return 21.20 + 0.84493 * t - 0.076100 * t * t + 0.0020936 * t * t * t;
  }
  if (y < 1961) {
    double t = y - 1950;
    return 29.07 + 0.407 * t - t * t / 233 + t * t * t / 2547;
  }
  if (y < 1986) {
    double t = y - 1975;
    return 45.45 + 1.067 * t - t * t / 260 - t * t * t / 718;
  }
  if (y < 2005) {
    double t = y - 2000;
    return 63.86 + 0.3345 * t - 0.060374 * t * t + 0.0017275 * t * t * t +
           0.000651814 * std::pow(t, 4) + 0.00002373599 * std::pow(t, 5);
  }
  if (y < 2050) {
    double t = y - 2000;
    return 62.92 + 0.32217 * t + 0.005589 * t * t;
  }
  double u = (y - 1820) / 100;
  if (y < 2150) return -20 + 32 * u * u - 0.5628 * (2150 - y);
  return -20 + 32 * u * u;
}

double DeltaTDays(double julian_date) {
  double year = 2000.0 + (julian_date - 2451545.0) / 365.25;
  return DeltaTSeconds(year) / 86400.0;
}

// The instant (Julian Ephemeris Day, TT) of new moon number `k` (k = 0 is 2000-01-06), Meeus
// ch. 49.
double NewMoonJde(int k) {
  const double t = k / 1236.85;
  const double t2 = t * t, t3 = t2 * t, t4 = t3 * t;
  double jde =
      2451550.09766 + kSynodicMonth * k + 0.00015437 * t2 - 0.000000150 * t3 + 0.00000000073 * t4;
  const double e = 1 - 0.002516 * t - 0.0000074 * t2;
  const double m = 2.5534 + 29.10535670 * k - 0.0000014 * t2 - 0.00000011 * t3;
  const double mp =
      201.5643 + 385.81693528 * k + 0.0107582 * t2 + 0.00001238 * t3 - 0.000000058 * t4;
  const double f =
      160.7108 + 390.67050284 * k - 0.0016118 * t2 - 0.00000227 * t3 + 0.000000011 * t4;
  const double omega = 124.7746 - 1.56375588 * k + 0.0020672 * t2 + 0.00000215 * t3;

  jde += -0.40720 * SinDeg(mp) + 0.17241 * e * SinDeg(m) + 0.01608 * SinDeg(2 * mp) +
         0.01039 * SinDeg(2 * f) + 0.00739 * e * SinDeg(mp - m) - 0.00514 * e * SinDeg(mp + m) +
         0.00208 * e * e * SinDeg(2 * m) - 0.00111 * SinDeg(mp - 2 * f) -
         0.00057 * SinDeg(mp + 2 * f) + 0.00056 * e * SinDeg(2 * mp + m) -
         0.00042 * SinDeg(3 * mp) + 0.00042 * e * SinDeg(m + 2 * f) +
         0.00038 * e * SinDeg(m - 2 * f) - 0.00024 * e * SinDeg(2 * mp - m) -
         0.00017 * SinDeg(omega) - 0.00007 * SinDeg(mp + 2 * m) + 0.00004 * SinDeg(2 * mp - 2 * f) +
         0.00004 * SinDeg(3 * m) + 0.00003 * SinDeg(mp + m - 2 * f) +
         0.00003 * SinDeg(2 * mp + 2 * f) - 0.00003 * SinDeg(mp + m + 2 * f) +
         0.00003 * SinDeg(mp - m + 2 * f) - 0.00002 * SinDeg(mp - m - 2 * f) -
         0.00002 * SinDeg(3 * mp + m) + 0.00002 * SinDeg(4 * mp);

  // Planetary arguments.
  static constexpr std::array<std::array<double, 3>, 14> kPlanetary = {{
      {299.77, 0.107408, 0.000325},
      {251.88, 0.016321, 0.000165},
      {251.83, 26.651886, 0.000164},
      {349.42, 36.412478, 0.000126},
      {84.66, 18.206239, 0.000110},
      {141.74, 53.303771, 0.000062},
      {207.14, 2.453732, 0.000060},
      {154.84, 7.306860, 0.000056},
      {34.52, 27.261239, 0.000047},
      {207.19, 0.121824, 0.000042},
      {291.34, 1.844379, 0.000040},
      {161.72, 24.198154, 0.000037},
      {239.56, 25.513099, 0.000035},
      {331.55, 3.592518, 0.000023},
  }};
  for (size_t i = 0; i < kPlanetary.size(); ++i) {
    double arg = kPlanetary[i][0] + kPlanetary[i][1] * k;
    if (i == 0) arg -= 0.009173 * t2;
    jde += kPlanetary[i][2] * SinDeg(arg);
  }
  return jde;
}

// The Julian day number of the day in UTC+7 that contains new moon `k`.
int64_t NewMoonDay(int k) {
  double jde = NewMoonJde(k);
  double jd_ut = jde - DeltaTDays(jde);
  return static_cast<int64_t>(std::floor(jd_ut + 0.5 + kZoneDays));
}

// The Sun's apparent geocentric longitude in degrees, [0, 360), at `jde` (TT), Meeus ch. 25.
double SunLongitude(double jde) {
  const double t = (jde - 2451545.0) / 36525.0;
  const double l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t;
  const double m = 357.52911 + 35999.05029 * t - 0.0001537 * t * t;
  const double c = (1.914602 - 0.004817 * t - 0.000014 * t * t) * SinDeg(m) +
                   (0.019993 - 0.000101 * t) * SinDeg(2 * m) + 0.000289 * SinDeg(3 * m);
  const double omega = 125.04 - 1934.136 * t;
  double lambda = l0 + c - 0.00569 - 0.00478 * SinDeg(omega);
  lambda = std::fmod(lambda, 360.0);
  if (lambda < 0) lambda += 360.0;
  return lambda;
}

// The Sun's longitude at 00:00 UTC+7 of the day with Julian day number `jdn`.
double SunLongitudeAtStartOf(int64_t jdn) {
  double jd_ut = static_cast<double>(jdn) - 0.5 - kZoneDays;
  return SunLongitude(jd_ut + DeltaTDays(jd_ut));
}

// The major solar term (0..11, each 30° of longitude) in force at 00:00 UTC+7 of day `jdn`.
// A day range [a, b) contains the start of a major term exactly when the indexes at a and b differ
// (they can differ by at most one over a lunar month).
int MajorTermAt(int64_t jdn) { return static_cast<int>(SunLongitudeAtStartOf(jdn) / 30.0); }

int64_t JdnOf(CivilDate date) { return DaysSinceEpoch(date) + kJdnOfEpoch; }
CivilDate CivilOfJdn(int64_t jdn) { return CivilDateFromDays(jdn - kJdnOfEpoch); }

// The day (UTC+7) of the December solstice of civil year `year`: the day during which the Sun's
// longitude reaches 270°.
int64_t WinterSolsticeDay(int year) {
  int64_t day = JdnOf({year, 12, 15});
  while (!(SunLongitudeAtStartOf(day) < 270.0 && SunLongitudeAtStartOf(day + 1) >= 270.0)) ++day;
  return day;
}

// The number of the last new moon whose day is on or before day `jdn`.
int NewMoonOnOrBefore(int64_t jdn) {
  int k = static_cast<int>(std::floor((static_cast<double>(jdn) - 2451550.1) / kSynodicMonth));
  while (NewMoonDay(k + 1) <= jdn) ++k;
  while (NewMoonDay(k) > jdn) --k;
  return k;
}

// The months from month 11 of lunar year Y−1 (December Y−1) up to, not including, month 11 of
// lunar year Y (December Y): the block of "year Y" below.
struct MonthBlock {
  std::array<int64_t, 14> starts{};  // first day (JDN) of each month; starts[count] = next month 11
  int count = 12;                    // 12 or 13 months
  int leap = -1;                     // index of the leap month within the block, or -1
};

MonthBlock ComputeBlock(int year) {
  MonthBlock block;
  int k11 = NewMoonOnOrBefore(WinterSolsticeDay(year - 1));
  int next_k11 = NewMoonOnOrBefore(WinterSolsticeDay(year));
  block.count = next_k11 - k11;  // 12 or 13
  for (int i = 0; i <= block.count; ++i) block.starts[i] = NewMoonDay(k11 + i);
  if (block.count == 13) {
    // Thirteen months share twelve major terms (month 11 holds the solstice), so at least one
    // month after it has none; the first such month is the leap month.
    block.leap = 12;
    for (int i = 1; i < 13; ++i) {
      if (MajorTermAt(block.starts[i]) == MajorTermAt(block.starts[i + 1])) {
        block.leap = i;
        break;
      }
    }
  }
  return block;
}

const MonthBlock& BlockOf(int year) {
  static std::mutex mu;
  static std::map<int, MonthBlock> blocks;  // guarded by mu; entries never move or change
  {
    std::lock_guard lock(mu);
    auto it = blocks.find(year);
    if (it != blocks.end()) return it->second;
  }
  MonthBlock block = ComputeBlock(year);
  std::lock_guard lock(mu);
  return blocks.emplace(year, block).first->second;
}

// Month number and leap flag of the month at `index` in a block; `position` is that month's place
// in the plain sequence 11, 12, 1, ..., 10 (0 for month 11).
struct MonthName {
  int month;
  bool leap;
  int position;
};
MonthName NameOf(const MonthBlock& block, int index) {
  int position = (block.leap >= 0 && index >= block.leap) ? index - 1 : index;
  return {(position + 10) % 12 + 1, index == block.leap, position};
}

bool InRange(int year) { return year >= kLunarFirstYear && year <= kLunarLastYear; }

}  // namespace

std::optional<LunarDate> ToLunar(CivilDate date) {
  if (!IsValidCivilDate(date) || !InRange(date.year)) return std::nullopt;
  const int64_t jdn = JdnOf(date);
  int block_year = date.year;
  const MonthBlock* block = &BlockOf(block_year);
  if (jdn >= block->starts[block->count]) block = &BlockOf(++block_year);
  int index = block->count - 1;
  while (block->starts[index] > jdn) --index;
  MonthName name = NameOf(*block, index);
  // Months 11 and 12 (and a leap 11 or 12) at the head of a block end the previous lunar year.
  int year = name.position <= 1 ? block_year - 1 : block_year;
  return LunarDate{static_cast<int>(jdn - block->starts[index]) + 1, name.month, year, name.leap};
}

std::optional<CivilDate> FromLunar(LunarDate lunar) {
  if (lunar.month < 1 || lunar.month > 12 || lunar.day < 1 || lunar.day > 30) return std::nullopt;
  if (!InRange(lunar.year)) return std::nullopt;
  // Months 11 and 12 of lunar year Y sit at the head of block Y+1; months 1..10 in block Y.
  const int block_year = lunar.month >= 11 ? lunar.year + 1 : lunar.year;
  const int position = lunar.month >= 11 ? lunar.month - 11 : lunar.month + 1;
  const MonthBlock& block = BlockOf(block_year);
  int index;
  if (lunar.leap) {
    if (block.leap < 0 || block.leap - 1 != position) return std::nullopt;
    index = block.leap;
  } else {
    index = (block.leap >= 0 && position >= block.leap) ? position + 1 : position;
  }
  const int64_t length = block.starts[index + 1] - block.starts[index];
  if (lunar.day > length) return std::nullopt;
  return CivilOfJdn(block.starts[index] + lunar.day - 1);
}

CivilDate LunarNewYear(int year) { return *FromLunar({1, 1, year, false}); }

int LeapMonthOf(int year) {
  // A leap month of lunar year Y is in block Y (after month 1) or, as leap 11 or 12, in block Y+1.
  const MonthBlock& block = BlockOf(year);
  if (block.leap >= 0) {
    MonthName name = NameOf(block, block.leap);
    if (name.position >= 2) return name.month;
  }
  const MonthBlock& next = BlockOf(year + 1);
  if (next.leap >= 0) {
    MonthName name = NameOf(next, next.leap);
    if (name.position <= 1) return name.month;
  }
  return 0;
}

}  // namespace odp
