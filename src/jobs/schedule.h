// When a recurring job runs next. Pure computation: no clock, no I/O.
//
// A schedule is written as text (kept in the database, shown to sysadmins):
//   "once"          one run at the time it was registered for, then none
//   "every:N"       every N seconds (N >= 1), counted from the previous occurrence
//   "daily:HH:MM"   every day at HH:MM in the portal's time zone (a fixed offset from UTC;
//                   Viet Nam's is +7 all year, without daylight saving)
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"
#include "base/time.h"

namespace odp::jobs {

// The portal's time zone: Asia/Ho_Chi_Minh, UTC+7 with no daylight saving (base/time.h).
inline constexpr int kPortalUtcOffsetSeconds = 7 * 3600;

struct Schedule {
  enum class Kind { kOnce, kEvery, kDaily };
  Kind kind = Kind::kOnce;
  int64_t every_seconds = 0;  // kEvery
  int minute_of_day = 0;      // kDaily: 0..1439, local time
};

// Parses the text form; InvalidArgument (with a Vietnamese message) when it is not one.
Result<Schedule> ParseSchedule(const std::string& spec);
// The text form ParseSchedule reads back.
std::string ToSpec(const Schedule& s);

// The first occurrence strictly after `now`. For kEvery, occurrences are `anchor` + k·N, so a
// schedule keeps its rhythm and a server that was down does not run the missed ones one by one
// (they collapse into the next). kOnce has no further occurrence: 0.
Micros NextOccurrence(const Schedule& s, Micros anchor, Micros now,
                      int utc_offset_seconds = kPortalUtcOffsetSeconds);

}  // namespace odp::jobs
