#include "base/time.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace odp {
namespace {
std::mutex clock_mu;
std::function<Micros()> clock_override;  // guarded by clock_mu
}  // namespace

Micros NowMicros() {
  {
    std::lock_guard lock(clock_mu);
    if (clock_override) return clock_override();
  }
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void SetClockForTest(std::function<Micros()> clock) {
  std::lock_guard lock(clock_mu);
  clock_override = std::move(clock);
}

static std::tm ToTm(Micros t) {
  time_t secs = static_cast<time_t>(t / 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return tm;
}

std::tm VietnamTime(Micros t) { return ToTm(t + 7LL * 3600 * 1000000); }

std::string FormatIsoMicros(Micros t) {
  std::tm tm = ToTm(t);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06d", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(t % 1000000));
  return buf;
}

std::string FormatIsoSeconds(Micros t) {
  std::tm tm = ToTm(t);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string FormatHttpDate(Micros t) {
  std::tm tm = ToTm(t);
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

Micros ParseHttpDate(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return -1;
  return static_cast<Micros>(timegm(&tm)) * 1000000;
}

}  // namespace odp
