// The JSON log format: one valid JSON object per line, whatever the message
// contains.
#include "sidecar/server/logging.h"

#include <memory>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "spdlog/sinks/ostream_sink.h"
#include "tests/testing/status_matchers.h"

namespace cse::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

TEST(JsonLogTest, EscapesQuotesBackslashesAndControlCharacters) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  sink->set_formatter(server::MakeJsonFormatter());
  spdlog::logger logger("test.json", sink);
  logger.warn("field \"{}\" at C:\\path\nline two\ttab\x01", "event.body");
  logger.flush();

  const std::string line = out.str();
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line per record";
  const nlohmann::json j = nlohmann::json::parse(line);
  EXPECT_EQ(j["level"], "warning");
  EXPECT_EQ(j["logger"], "test.json");
  EXPECT_EQ(j["msg"], "field \"event.body\" at C:\\path\nline two\ttab\x01");
  EXPECT_THAT(
      j["ts"].get<std::string>(),
      MatchesRegex(
          R"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z)"));
}

TEST(JsonLogTest, JsonEscape) {
  EXPECT_EQ(server::JsonEscape("a\"b\\c\n\x1f"), "a\\\"b\\\\c\\n\\u001f");
}

TEST(LogFlagsTest, ParsesFormatsAndLevels) {
  EXPECT_THAT(server::ParseLogFormat("json"),
              IsOkAndHolds(server::LogFormat::kJson));
  EXPECT_THAT(server::ParseLogFormat("xml"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("xml")));
  EXPECT_THAT(server::ParseLogLevel("debug"),
              IsOkAndHolds(spdlog::level::debug));
  // spdlog's own parser would turn a typo into "off".
  EXPECT_THAT(server::ParseLogLevel("dbug"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace cse::testing
