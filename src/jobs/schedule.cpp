#include "jobs/schedule.h"

#include <cstdio>
#include <cstdlib>

namespace odp::jobs {
namespace {

constexpr Micros kSecond = 1000000;
constexpr Micros kDay = 86400 * kSecond;

Status Invalid(const std::string& spec) {
  return Status::InvalidArgument(
      "schedule \"" + spec + "\" is not once, every:SECONDS or daily:HH:MM",
      "Lịch \"" + spec + "\" không hợp lệ (once, every:GIÂY hoặc daily:GG:PP)");
}

// Digits only, no sign, no spaces; -1 otherwise.
int64_t Digits(const std::string& s) {
  if (s.empty() || s.size() > 12) return -1;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

// floor(a / b) for b > 0.
Micros FloorDiv(Micros a, Micros b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

}  // namespace

Result<Schedule> ParseSchedule(const std::string& spec) {
  Schedule s;
  if (spec == "once") return s;
  if (spec.rfind("every:", 0) == 0) {
    int64_t n = Digits(spec.substr(6));
    if (n < 1) return Invalid(spec);
    s.kind = Schedule::Kind::kEvery;
    s.every_seconds = n;
    return s;
  }
  if (spec.rfind("daily:", 0) == 0 && spec.size() == 11 && spec[8] == ':') {
    int64_t h = Digits(spec.substr(6, 2)), m = Digits(spec.substr(9, 2));
    if (h < 0 || h > 23 || m < 0 || m > 59) return Invalid(spec);
    s.kind = Schedule::Kind::kDaily;
    s.minute_of_day = static_cast<int>(h * 60 + m);
    return s;
  }
  return Invalid(spec);
}

std::string ToSpec(const Schedule& s) {
  switch (s.kind) {
    case Schedule::Kind::kOnce: return "once";
    case Schedule::Kind::kEvery: return "every:" + std::to_string(s.every_seconds);
    case Schedule::Kind::kDaily: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "daily:%02d:%02d", s.minute_of_day / 60, s.minute_of_day % 60);
      return buf;
    }
  }
  return "once";
}

Micros NextOccurrence(const Schedule& s, Micros anchor, Micros now, int utc_offset_seconds) {
  switch (s.kind) {
    case Schedule::Kind::kOnce: return 0;
    case Schedule::Kind::kEvery: {
      const Micros step = s.every_seconds * kSecond;
      if (anchor > now) return anchor;
      return anchor + (FloorDiv(now - anchor, step) + 1) * step;
    }
    case Schedule::Kind::kDaily: {
      const Micros offset = Micros{utc_offset_seconds} * kSecond;
      const Micros local_midnight = FloorDiv(now + offset, kDay) * kDay;
      Micros at = local_midnight + Micros{s.minute_of_day} * 60 * kSecond - offset;
      if (at <= now) at += kDay;
      return at;
    }
  }
  return 0;
}

}  // namespace odp::jobs
