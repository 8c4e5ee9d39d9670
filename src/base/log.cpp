#include "base/log.h"

#include <atomic>
#include <cstdio>

#include "base/time.h"

namespace odp {
namespace {
std::atomic<int> min_level{static_cast<int>(LogLevel::kInfo)};
}

void SetLogLevel(LogLevel level) { min_level = static_cast<int>(level); }

std::optional<LogLevel> ParseLogLevel(std::string_view name) {
  if (name == "debug") return LogLevel::kDebug;
  if (name == "info") return LogLevel::kInfo;
  if (name == "warn") return LogLevel::kWarn;
  if (name == "error") return LogLevel::kError;
  return std::nullopt;
}

void Log(LogLevel level, std::string_view message) {
  if (static_cast<int>(level) < min_level) return;
  static const char* kNames[] = {"debug", "info", "warn", "error"};
  std::string ts = FormatIsoSeconds(NowMicros());
  std::fprintf(stderr, "%s %s %.*s\n", ts.c_str(), kNames[static_cast<int>(level)],
               static_cast<int>(message.size()), message.data());
}

}  // namespace odp
