// The --store flag's parsing and the redaction that keeps passwords out of
// logs and error messages (the binary tests check the logs themselves).
#include "sidecar/server/store_spec.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace cse::server {
namespace {

using ::cse::testing::IsOk;
using ::cse::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(StoreSpecTest, ParsesEveryForm) {
  auto memory = ParseStoreSpec("memory");
  ASSERT_THAT(memory, IsOk());
  EXPECT_EQ(memory->kind, StoreSpec::Kind::kMemory);

  auto sqlite = ParseStoreSpec("sqlite:/var/lib/cse/j.db");
  ASSERT_THAT(sqlite, IsOk());
  EXPECT_EQ(sqlite->kind, StoreSpec::Kind::kSqlite);
  EXPECT_EQ(sqlite->target, "/var/lib/cse/j.db");

  auto prefixed = ParseStoreSpec("postgres:host=db dbname=cse");
  ASSERT_THAT(prefixed, IsOk());
  EXPECT_EQ(prefixed->kind, StoreSpec::Kind::kPostgres);
  EXPECT_EQ(prefixed->target, "host=db dbname=cse");

  for (const char* uri : {"postgresql://cse@db/cse", "postgres://cse@db/cse"}) {
    auto direct = ParseStoreSpec(uri);
    ASSERT_THAT(direct, IsOk());
    EXPECT_EQ(direct->kind, StoreSpec::Kind::kPostgres);
    EXPECT_EQ(direct->target, uri);
  }
}

TEST(StoreSpecTest, RejectsWithoutRepeatingTheValue) {
  EXPECT_THAT(
      ParseStoreSpec("mysql://root:pw@db"),
      StatusIs(absl::StatusCode::kInvalidArgument, Not(HasSubstr("pw"))));
  EXPECT_THAT(ParseStoreSpec("sqlite:"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseStoreSpec("postgres:"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseStoreSpec(""), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(StoreSpecTest, RedactsPasswords) {
  EXPECT_EQ(
      RedactedStoreSpec("postgresql://cse:pw@db:5432/cse?sslmode=require"),
      "postgresql://cse:***@db:5432/cse?sslmode=require");
  EXPECT_EQ(RedactedStoreSpec("postgres:postgres://cse:p@ss@db/cse"),
            "postgres:postgres://cse:***@db/cse");
  EXPECT_EQ(RedactedStoreSpec("postgres://cse:pw@db/cse"),
            "postgres://cse:***@db/cse");
  EXPECT_EQ(RedactedStoreSpec("postgresql://cse@db/cse?password=pw&x=1"),
            "postgresql://cse@db/cse?password=***&x=1");
  EXPECT_EQ(RedactedStoreSpec("postgres:host=db password=pw dbname=cse"),
            "postgres:host=db password=*** dbname=cse");
  EXPECT_EQ(RedactedStoreSpec("postgres:host=db password = 'p w\\'x' dbname=c"),
            "postgres:host=db password = *** dbname=c");
  EXPECT_EQ(RedactedStoreSpec("postgres:host=db PASSWORD=pw"),
            "postgres:host=db PASSWORD=***");
  // Nothing secret to hide.
  EXPECT_EQ(RedactedStoreSpec("postgresql://cse@db/cse"),
            "postgresql://cse@db/cse");
  EXPECT_EQ(RedactedStoreSpec("postgres:host=db passwordfile=x"),
            "postgres:host=db passwordfile=x");
  EXPECT_EQ(RedactedStoreSpec("sqlite:password=x.db"), "sqlite:password=x.db");
  EXPECT_EQ(RedactedStoreSpec("memory"), "memory");
}

}  // namespace
}  // namespace cse::server
