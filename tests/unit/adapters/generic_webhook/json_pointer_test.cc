// JsonPointer: RFC 6901 parsing and resolution, without exceptions.
#include "adapters/generic_webhook/json_pointer.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace cse::adapters::generic_webhook {
namespace {

using ::cse::testing::StatusIs;
using ::testing::Eq;
using ::testing::HasSubstr;

// The example document of RFC 6901 section 5.
const nlohmann::json& Rfc6901Document() {
  static const auto* doc = new nlohmann::json(nlohmann::json::parse(R"({
    "foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3,
    "g|h": 4, "i\\j": 5, "k\"l": 6, " ": 7, "m~n": 8})"));
  return *doc;
}

const nlohmann::json* Resolve(absl::string_view pointer,
                              const nlohmann::json& doc) {
  absl::StatusOr<JsonPointer> p = JsonPointer::Parse(pointer);
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? p->Resolve(doc) : nullptr;
}

TEST(JsonPointerTest, ResolvesTheRfc6901Examples) {
  const nlohmann::json& doc = Rfc6901Document();
  EXPECT_EQ(*Resolve("/foo", doc), nlohmann::json({"bar", "baz"}));
  EXPECT_EQ(*Resolve("/foo/0", doc), "bar");
  EXPECT_EQ(*Resolve("/", doc), 0);
  EXPECT_EQ(*Resolve("/a~1b", doc), 1);
  EXPECT_EQ(*Resolve("/c%d", doc), 2);
  EXPECT_EQ(*Resolve("/i\\j", doc), 5);
  EXPECT_EQ(*Resolve("/k\"l", doc), 6);
  EXPECT_EQ(*Resolve("/ ", doc), 7);
  EXPECT_EQ(*Resolve("/m~0n", doc), 8);
}

TEST(JsonPointerTest, AbsentWhenNothingIsThere) {
  const nlohmann::json& doc = Rfc6901Document();
  EXPECT_EQ(Resolve("/missing", doc), nullptr);
  EXPECT_EQ(Resolve("/foo/2", doc), nullptr);    // past the end
  EXPECT_EQ(Resolve("/foo/-", doc), nullptr);    // "-" names no element
  EXPECT_EQ(Resolve("/foo/01", doc), nullptr);   // leading zero
  EXPECT_EQ(Resolve("/foo/x", doc), nullptr);    // not an index
  EXPECT_EQ(Resolve("/foo/0/x", doc), nullptr);  // through a string
  EXPECT_EQ(Resolve("/foo/99999999999999999999", doc), nullptr);
}

TEST(JsonPointerTest, RefusesPointersWithoutLeadingSlash) {
  EXPECT_THAT(JsonPointer::Parse("subject"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       Eq("invalid JSON Pointer \"subject\" (must start with "
                          "'/')")));
  EXPECT_THAT(JsonPointer::Parse(""),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("must start with '/'")));
}

TEST(JsonPointerTest, RefusesBadEscapes) {
  EXPECT_THAT(JsonPointer::Parse("/a~2b"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'~' at offset 2 must be followed by 0 or "
                                 "1")));
  EXPECT_THAT(JsonPointer::Parse("/a~"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'~' at offset 2")));
}

TEST(JsonPointerTest, ScalarTextOfEachType) {
  EXPECT_EQ(ScalarText(nlohmann::json("x")), "x");
  EXPECT_EQ(ScalarText(nlohmann::json(10)), "10");
  EXPECT_EQ(ScalarText(nlohmann::json(-3)), "-3");
  EXPECT_EQ(ScalarText(nlohmann::json(18446744073709551615u)),
            "18446744073709551615");
  EXPECT_EQ(ScalarText(nlohmann::json(2.5)), "2.5");
  EXPECT_EQ(ScalarText(nlohmann::json(true)), "true");
  EXPECT_EQ(ScalarText(nlohmann::json(nullptr)), std::nullopt);
  EXPECT_EQ(ScalarText(nlohmann::json::object()), std::nullopt);
  EXPECT_EQ(ScalarText(nlohmann::json::array()), std::nullopt);
}

TEST(JsonPointerTest, AbbreviateKeepsUtf8Whole) {
  EXPECT_EQ(Abbreviate("short"), "short");
  // "é" is two bytes; cutting at 2 must not split it.
  EXPECT_EQ(Abbreviate("aébc", 2), "a...");
}

}  // namespace
}  // namespace cse::adapters::generic_webhook
