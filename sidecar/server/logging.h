// Logging setup for the sidecar: one stderr sink, text or JSON lines, and
// the named spdlog loggers the components use ("server", "admin",
// "mapping").
//
// Library code fetches its logger once with GetLogger() and logs through
// spdlog's level-checking calls; nothing logs request bodies at info or
// above. main() calls InitLogging() before it builds anything, so every
// logger shares the configured sink, format and level. Without InitLogging()
// (tests), loggers clone spdlog's default logger.
//
// Example:
//   InitLogging(LogFormat::kJson, spdlog::level::info);
//   GetLogger("server")->info("listening on {}", address);
//   // {"ts":"2026-01-02T03:04:05.678Z","level":"info","logger":"server",
//   //  "msg":"listening on 127.0.0.1:50051"}
#ifndef CSE_SIDECAR_SERVER_LOGGING_H_
#define CSE_SIDECAR_SERVER_LOGGING_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "spdlog/formatter.h"
#include "spdlog/spdlog.h"

namespace cse::server {

enum class LogFormat {
  // spdlog's "[time] [logger] [level] message".
  kText,
  // One JSON object per line: ts (UTC, RFC 3339, ms), level, logger, msg.
  kJson,
};

// The loggers InitLogging() creates up front.
inline constexpr const char* kServerLogger = "server";
inline constexpr const char* kAdminLogger = "admin";
inline constexpr const char* kMappingLogger = "mapping";

// "text" or "json".
absl::StatusOr<LogFormat> ParseLogFormat(absl::string_view name);

// "trace", "debug", "info", "warn", "error", "critical" or "off".
absl::StatusOr<spdlog::level::level_enum> ParseLogLevel(absl::string_view name);

// Points every registered logger (and the default one) at one stderr sink
// with the given format and level, and registers the named loggers. Call
// once, early in main(), before other threads log.
void InitLogging(LogFormat format, spdlog::level::level_enum level);

// The registered logger with this name, created from the default logger's
// sinks and level when missing. Thread-safe.
std::shared_ptr<spdlog::logger> GetLogger(const std::string& name);

// A formatter that writes one JSON object per line.
std::unique_ptr<spdlog::formatter> MakeJsonFormatter();

// Escapes text for use inside a JSON string literal (quotes, backslashes
// and control characters).
std::string JsonEscape(absl::string_view text);

}  // namespace cse::server

// Lets spdlog/fmt format absl::string_view, which Debian's Abseil defines as
// its own class rather than an alias of std::string_view.
#if !defined(ABSL_USES_STD_STRING_VIEW)
template <>
struct fmt::formatter<absl::string_view> : fmt::formatter<fmt::string_view> {
  template <typename FormatContext>
  auto format(absl::string_view s, FormatContext& ctx) const {
    return fmt::formatter<fmt::string_view>::format(
        fmt::string_view(s.data(), s.size()), ctx);
  }
};
#endif

#endif  // CSE_SIDECAR_SERVER_LOGGING_H_
