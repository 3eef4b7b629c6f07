#include "adapters/common/signatures.h"

#include <string>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace cse::adapters {
namespace {

using ::cse::testing::StatusIs;
using ::testing::HasSubstr;

// Test vectors from RFC 4231 section 4 (HMAC-SHA-256).
TEST(HmacSha256Test, Rfc4231TestCase1) {
  EXPECT_EQ(HexEncode(HmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(HmacSha256Test, Rfc4231TestCase2) {
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256Test, Rfc4231TestCase6KeyLongerThanBlock) {
  EXPECT_EQ(
      HexEncode(HmacSha256(std::string(131, '\xaa'),
                           "Test Using Larger Than Block-Size Key - Hash Key "
                           "First")),
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(ConstantTimeEqualsTest, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

TEST(CheckFreshnessTest, AcceptsWithinWindowEitherSide) {
  const absl::Time now = absl::FromUnixSeconds(1'700'000'000);
  EXPECT_TRUE(
      CheckFreshness(now - absl::Seconds(299), now, absl::Minutes(5)).ok());
  EXPECT_TRUE(
      CheckFreshness(now + absl::Seconds(60), now, absl::Minutes(5)).ok());
}

TEST(CheckFreshnessTest, RefusesReplayedDelivery) {
  const absl::Time now = absl::FromUnixSeconds(1'700'000'000);
  EXPECT_THAT(
      CheckFreshness(now - absl::Minutes(6), now, absl::Minutes(5)),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("6m old")));
  EXPECT_THAT(
      CheckFreshness(now + absl::Hours(1), now, absl::Minutes(5)),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("in the future")));
}

}  // namespace
}  // namespace cse::adapters
