// Minimal structured logging to standard error: one line per event, with a level and UTC time.
#pragma once

#include <optional>
#include <string_view>

namespace odp {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// Events below `level` are dropped (default kInfo). Safe to call from any thread.
void SetLogLevel(LogLevel level);
// "debug", "info", "warn" or "error" (as `odp serve --log-level` and ODP_LOG_LEVEL take them);
// nullopt for anything else.
std::optional<LogLevel> ParseLogLevel(std::string_view name);
void Log(LogLevel level, std::string_view message);
inline void LogInfo(std::string_view m) { Log(LogLevel::kInfo, m); }
inline void LogWarn(std::string_view m) { Log(LogLevel::kWarn, m); }
inline void LogError(std::string_view m) { Log(LogLevel::kError, m); }

}  // namespace odp
