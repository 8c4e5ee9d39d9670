// Wall-clock time for records. Times are stored as microseconds since the Unix epoch (UTC).
#pragma once

#include <cstdint>
#include <ctime>
#include <functional>
#include <string>

namespace odp {

using Micros = int64_t;

// The clock every service reads; tests replace it with SetClockForTest().
Micros NowMicros();
void SetClockForTest(std::function<Micros()> clock);

// "2024-01-02T03:04:05.000006" (CKAN's naive UTC form, no zone suffix).
std::string FormatIsoMicros(Micros t);
// "2024-01-02T03:04:05Z".
std::string FormatIsoSeconds(Micros t);
// The calendar fields of `t` in Viet Nam time (UTC+7 all year, no daylight saving).
std::tm VietnamTime(Micros t);
// RFC 7231 IMF-fixdate: "Tue, 02 Jan 2024 03:04:05 GMT".
std::string FormatHttpDate(Micros t);
// Parses FormatHttpDate's form; returns -1 when the text is not such a date.
Micros ParseHttpDate(const std::string& text);

}  // namespace odp
