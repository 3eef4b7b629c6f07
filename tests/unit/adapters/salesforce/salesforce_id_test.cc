// 15- and 18-character Salesforce ids.
#include "adapters/salesforce/salesforce_id.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace cse::adapters::salesforce {
namespace {

using ::cse::testing::IsOkAndHolds;
using ::cse::testing::StatusIs;
using ::testing::Eq;
using ::testing::HasSubstr;

// Vectors published with community converters of the CASESAFEID
// algorithm (salesforce_id.h): the Ruby gem salesforce_id_formatter
// ("70130000001tcyI" -> "70130000001tcyIAAQ"), pypi salesforce_id_converter
// ("00558000001N0Ke" -> "00558000001N0KeAAK"), and marz619's gist
// ("a0BA0000000L2ZC" -> "a0BA0000000L2ZCMA0",
// "AAaAAbbBBBCcCCC" -> "AAaAAbbBBBCcCCC123").
TEST(SalesforceIdTest, FifteenToEighteenMatchesPublishedVectors) {
  EXPECT_THAT(CanonicalId18("70130000001tcyI"),
              IsOkAndHolds(Eq("70130000001tcyIAAQ")));
  EXPECT_THAT(CanonicalId18("00558000001N0Ke"),
              IsOkAndHolds(Eq("00558000001N0KeAAK")));
  EXPECT_THAT(CanonicalId18("a0BA0000000L2ZC"),
              IsOkAndHolds(Eq("a0BA0000000L2ZCMA0")));
  EXPECT_THAT(CanonicalId18("AAaAAbbBBBCcCCC"),
              IsOkAndHolds(Eq("AAaAAbbBBBCcCCC123")));
  EXPECT_THAT(CanonicalId18("ABCDEFGHIJKLMNO"),
              IsOkAndHolds(Eq("ABCDEFGHIJKLMNO555")));
}

TEST(SalesforceIdTest, EighteenIsKeptAndLostCaseIsRestored) {
  EXPECT_THAT(CanonicalId18("a0BA0000000L2ZCMA0"),
              IsOkAndHolds(Eq("a0BA0000000L2ZCMA0")));
  // Upper- or lower-cased by a case-insensitive system: same record.
  EXPECT_THAT(CanonicalId18("A0BA0000000L2ZCMA0"),
              IsOkAndHolds(Eq("a0BA0000000L2ZCMA0")));
  EXPECT_THAT(CanonicalId18("a0ba0000000l2zcma0"),
              IsOkAndHolds(Eq("a0BA0000000L2ZCMA0")));
}

TEST(SalesforceIdTest, CaseMattersInFifteenCharacterIds) {
  // Two different records: their 18-character forms differ.
  absl::StatusOr<std::string> lower = CanonicalId18("00D5g000004XyZa");
  absl::StatusOr<std::string> upper = CanonicalId18("00D5g000004XyZA");
  ASSERT_TRUE(lower.ok() && upper.ok());
  EXPECT_NE(*lower, *upper);
  EXPECT_EQ(*lower, "00D5g000004XyZaEAK");
  EXPECT_EQ(*upper, "00D5g000004XyZAEA0");
}

TEST(SalesforceIdTest, RejectsMalformedIds) {
  EXPECT_THAT(CanonicalId18(""), StatusIs(absl::StatusCode::kInvalidArgument,
                                          HasSubstr("not a Salesforce id")));
  EXPECT_THAT(CanonicalId18("00D5g000004XyZ"),  // 14
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(CanonicalId18("00D5g000004XyZ-a"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // '9' is not a suffix character (A-Z, 0-5).
  EXPECT_THAT(
      CanonicalId18("00D5g000004XyZaEA9"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("case suffix")));
  // The suffix says character 1 is upper case, but it is a digit.
  EXPECT_THAT(CanonicalId18("00D5g000004XyZaBAK"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("does not match")));
  EXPECT_FALSE(LooksLikeSalesforceId("00D5g000004XyZ a"));
  EXPECT_TRUE(LooksLikeSalesforceId("00D5g000004XyZa"));
}

}  // namespace
}  // namespace cse::adapters::salesforce
