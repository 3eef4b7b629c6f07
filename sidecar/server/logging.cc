#include "sidecar/server/logging.h"

#include <chrono>
#include <iterator>
#include <mutex>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "spdlog/pattern_formatter.h"
#include "spdlog/sinks/stdout_sinks.h"

namespace cse::server {
namespace {

// Guards get-or-create in GetLogger: spdlog's registry throws when the same
// name is registered twice.
std::mutex& RegistryMutex() {
  static std::mutex* mu = new std::mutex;
  return *mu;
}

void Append(absl::string_view text, spdlog::memory_buf_t* out) {
  out->append(text.data(), text.data() + text.size());
}

void AppendEscaped(absl::string_view text, spdlog::memory_buf_t* out) {
  for (const char c : text) {
    switch (c) {
      case '"':
        Append("\\\"", out);
        break;
      case '\\':
        Append("\\\\", out);
        break;
      case '\n':
        Append("\\n", out);
        break;
      case '\r':
        Append("\\r", out);
        break;
      case '\t':
        Append("\\t", out);
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          const std::string u = absl::StrFormat("\\u%04x", c);
          Append(u, out);
        } else {
          out->push_back(c);
        }
    }
  }
}

absl::string_view View(spdlog::string_view_t s) {
  return absl::string_view(s.data(), s.size());
}

// Builds the whole line itself rather than through a pattern, so the
// message and logger name are always escaped, whatever they contain.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg,
              spdlog::memory_buf_t& dest) override {
    const std::string ts =
        absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::FromChrono(msg.time),
                         absl::UTCTimeZone());
    Append("{\"ts\":\"", &dest);
    Append(ts, &dest);
    Append("\",\"level\":\"", &dest);
    AppendEscaped(View(spdlog::level::to_string_view(msg.level)), &dest);
    Append("\",\"logger\":\"", &dest);
    AppendEscaped(View(msg.logger_name), &dest);
    Append("\",\"msg\":\"", &dest);
    AppendEscaped(View(msg.payload), &dest);
    Append("\"}\n", &dest);
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

}  // namespace

absl::StatusOr<LogFormat> ParseLogFormat(absl::string_view name) {
  const std::string lower = absl::AsciiStrToLower(name);
  if (lower == "text") return LogFormat::kText;
  if (lower == "json") return LogFormat::kJson;
  return absl::InvalidArgumentError(
      absl::StrCat("log format \"", name, "\": expected text or json"));
}

absl::StatusOr<spdlog::level::level_enum> ParseLogLevel(
    absl::string_view name) {
  // spdlog::level::from_str() answers "off" for anything it does not know,
  // which would silently disable logging on a typo.
  const std::string lower = absl::AsciiStrToLower(name);
  if (lower == "trace") return spdlog::level::trace;
  if (lower == "debug") return spdlog::level::debug;
  if (lower == "info") return spdlog::level::info;
  if (lower == "warn" || lower == "warning") return spdlog::level::warn;
  if (lower == "error") return spdlog::level::err;
  if (lower == "critical") return spdlog::level::critical;
  if (lower == "off") return spdlog::level::off;
  return absl::InvalidArgumentError(absl::StrCat(
      "log level \"", name,
      "\": expected trace, debug, info, warn, error, critical or off"));
}

std::unique_ptr<spdlog::formatter> MakeJsonFormatter() {
  return std::make_unique<JsonFormatter>();
}

std::string JsonEscape(absl::string_view text) {
  spdlog::memory_buf_t buf;
  AppendEscaped(text, &buf);
  return std::string(buf.data(), buf.size());
}

void InitLogging(LogFormat format, spdlog::level::level_enum level) {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  if (format == LogFormat::kJson) {
    sink->set_formatter(MakeJsonFormatter());
  } else {
    sink->set_formatter(std::make_unique<spdlog::pattern_formatter>(
        "[%Y-%m-%d %H:%M:%S.%e] [%n] [%l] %v"));
  }
  std::lock_guard<std::mutex> lock(RegistryMutex());
  auto default_logger = std::make_shared<spdlog::logger>("", sink);
  default_logger->set_level(level);
  spdlog::set_default_logger(default_logger);
  spdlog::set_level(level);
  for (const char* name : {kServerLogger, kAdminLogger, kMappingLogger}) {
    if (spdlog::get(name) == nullptr) {
      spdlog::register_logger(std::make_shared<spdlog::logger>(name, sink));
    }
  }
  // Loggers fetched before this call keep working, now on the new sink.
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& logger) {
    logger->sinks().clear();
    logger->sinks().push_back(sink);
    logger->set_level(level);
  });
  spdlog::flush_on(spdlog::level::warn);
}

std::shared_ptr<spdlog::logger> GetLogger(const std::string& name) {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  if (auto logger = spdlog::get(name)) return logger;
  auto logger = spdlog::default_logger()->clone(name);
  spdlog::register_logger(logger);
  return logger;
}

}  // namespace cse::server
