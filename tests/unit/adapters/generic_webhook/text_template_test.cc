// TextTemplate: the one template syntax of the generic webhook config.
#include "adapters/generic_webhook/text_template.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace cse::adapters::generic_webhook {
namespace {

using ::cse::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::optional<std::string> Upper(absl::string_view name) {
  std::string out(name);
  for (char& c : out) c = static_cast<char>(std::toupper(c));
  return out;
}

TEST(TextTemplateTest, RendersPlaceholdersAndLeavesJsonBracesAlone) {
  absl::StatusOr<TextTemplate> t = TextTemplate::Parse(
      R"({"a": "{x}", "b": {y}, "c": {}, "d": { "e": [{z}] }}-{/id})");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_THAT(t->Placeholders(), ElementsAre("x", "y", "z", "/id"));
  EXPECT_EQ(t->Render(Upper),
            R"({"a": "X", "b": Y, "c": {}, "d": { "e": [Z] }}-/ID)");
  EXPECT_TRUE(t->Uses("y"));
  EXPECT_FALSE(t->Uses("q"));
  // Names may hold JSON Pointer and header characters.
  t = TextTemplate::Parse("{/a~1b/0}{header:X-Id}{secret.api_token}");
  ASSERT_TRUE(t.ok());
  EXPECT_THAT(t->Placeholders(),
              ElementsAre("/a~1b/0", "header:X-Id", "secret.api_token"));
}

TEST(TextTemplateTest, MissingValueMakesTheRenderingMissing) {
  absl::StatusOr<TextTemplate> t = TextTemplate::Parse("a-{b}-{c}");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->Render([](absl::string_view name) -> std::optional<std::string> {
    if (name == "c") return std::nullopt;
    return "v";
  }),
            std::nullopt);
}

TEST(TextTemplateTest, UnclosedPlaceholderIsAnError) {
  EXPECT_THAT(TextTemplate::Parse("abc{def"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'{' at offset 3 starts placeholder {def but "
                                 "is not closed by '}'")));
  EXPECT_THAT(TextTemplate::Parse("{note_markdown is here"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("offset 0 starts placeholder "
                                 "{note_markdown")));
  // Lone braces are text.
  absl::StatusOr<TextTemplate> t = TextTemplate::Parse("a } b { c {}");
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->Placeholders().empty());
}

TEST(TextTemplateTest, PlainTextHasNoPlaceholders) {
  absl::StatusOr<TextTemplate> t = TextTemplate::Parse("plain");
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->Placeholders().empty());
  EXPECT_EQ(t->Render(Upper), "plain");
}

}  // namespace
}  // namespace cse::adapters::generic_webhook
