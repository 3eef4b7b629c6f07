#include "adapters/common/secret_reader.h"

#include <stdlib.h>

#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace cse::adapters {
namespace {

using ::cse::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(SecretReaderTest, ReadsEnvironmentVariable) {
  setenv("CSE_TEST_SECRET_A", "s3cret", 1);
  cse::adapters::v1::Secret secret;
  secret.set_env("CSE_TEST_SECRET_A");
  EXPECT_EQ(*EnvAndFileSecretReader().Read(secret, "crms[0].x"), "s3cret");
}

TEST(SecretReaderTest, MissingVariableNamesFieldNotValue) {
  unsetenv("CSE_TEST_SECRET_MISSING");
  cse::adapters::v1::Secret secret;
  secret.set_env("CSE_TEST_SECRET_MISSING");
  EXPECT_THAT(EnvAndFileSecretReader().Read(secret, "crms[0].zendesk.token"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("crms[0].zendesk.token.env: environment "
                                 "variable CSE_TEST_SECRET_MISSING")));
}

TEST(SecretReaderTest, ReadsFileStrippingTrailingNewline) {
  const std::string path =
      ::testing::TempDir() + "/secret_reader_test_secret.txt";
  std::ofstream(path) << "from-file\n";
  cse::adapters::v1::Secret secret;
  secret.set_file(path);
  EXPECT_EQ(*EnvAndFileSecretReader().Read(secret, "p"), "from-file");
}

TEST(SecretReaderTest, UnreadableFileAndUnsetSource) {
  cse::adapters::v1::Secret secret;
  EXPECT_THAT(
      EnvAndFileSecretReader().Read(secret, "p.q"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("p.q: required")));
  secret.set_file("/nonexistent/secret");
  EXPECT_THAT(EnvAndFileSecretReader().Read(secret, "p.q"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("p.q.file: cannot read /nonexistent/secret")));
}

}  // namespace
}  // namespace cse::adapters
