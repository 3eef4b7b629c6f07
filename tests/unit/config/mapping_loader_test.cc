// The public entry points: files, versions, content hashes, error lists.
#include "sidecar/config/mapping_loader.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace cse::config {
namespace {

using ::cse::testing::StatusIs;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::SizeIs;

constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;

constexpr char kMinimal[] = R"(version: test-1
phase_model:
  id: demo
  phases:
    - id: onboarding
      signals:
        - {id: sig_onboard, pattern: 'onboard'}
    - id: usage
practices:
  - id: P1
    name: Listen
)";

// The same mapping: other key order, flow style, comments, full enum names.
constexpr char kMinimalRearranged[] = R"(# the same mapping, written differently
practices: [{name: Listen, id: P1}]
phase_model:
  phases:
    - signals:
        - pattern: onboard   # quoting does not matter for strings
          id: sig_onboard
      id: onboarding
    - {id: usage}
  id: demo
version: "test-1"
)";

std::string WriteTempFile(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(MappingLoaderTest, MinimalValidFileLoads) {
  std::vector<ConfigError> errors = {{"stale", "", ""}};
  absl::StatusOr<LoadedMapping> loaded =
      LoadMappingYaml(kMinimal, "test.yaml", &errors);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_THAT(errors, IsEmpty());
  EXPECT_EQ(loaded->config.phase_model().phases_size(), 2);
  EXPECT_EQ(loaded->config.practices(0).name(), "Listen");
}

TEST(MappingLoaderTest, VersionIsLabelAtTwelveHexDigitsOfTheHash) {
  absl::StatusOr<LoadedMapping> loaded = LoadMappingYaml(kMinimal, "t.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_THAT(loaded->version, MatchesRegex("test-1@[0-9a-f]{12}"));
  EXPECT_THAT(loaded->content_hash, MatchesRegex("[0-9a-f]{64}"));
  EXPECT_EQ(loaded->version.substr(7), loaded->content_hash.substr(0, 12));
  EXPECT_EQ(loaded->content_hash, ContentHash(loaded->config));
}

TEST(MappingLoaderTest, UnlabelledMappingsSaySo) {
  std::string yaml = kMinimal;
  yaml.erase(0, yaml.find('\n') + 1);  // drop "version: test-1"
  absl::StatusOr<LoadedMapping> loaded = LoadMappingYaml(yaml, "t.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_THAT(loaded->version, MatchesRegex("unlabelled@[0-9a-f]{12}"));
}

TEST(MappingLoaderTest, VersionIsStableAcrossKeyOrderAndWhitespace) {
  absl::StatusOr<LoadedMapping> a = LoadMappingYaml(kMinimal, "a.yaml");
  absl::StatusOr<LoadedMapping> b =
      LoadMappingYaml(kMinimalRearranged, "b.yaml");
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(a->version, b->version);
  EXPECT_EQ(a->content_hash, b->content_hash);
  // And across repeated parses.
  EXPECT_EQ(LoadMappingYaml(kMinimal, "a.yaml")->version, a->version);
}

TEST(MappingLoaderTest, MapEntryOrderDoesNotChangeTheHash) {
  const std::string head =
      "phase_model:\n  phases:\n    - id: a\n      practice_priors: ";
  const std::string tail = "\npractices: [{id: P1}, {id: P2}, {id: P3}]\n";
  auto a = LoadMappingYaml(head + "{P1: 1, P2: 2, P3: 3}" + tail, "a");
  auto b = LoadMappingYaml(head + "{P3: 3, P1: 1, P2: 2}" + tail, "b");
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(a->content_hash, b->content_hash);
}

TEST(MappingLoaderTest, DifferentContentGivesADifferentHash) {
  std::string changed = kMinimal;
  changed.replace(changed.find("'onboard'"), 9, "'onboarding'");
  absl::StatusOr<LoadedMapping> a = LoadMappingYaml(kMinimal, "a.yaml");
  absl::StatusOr<LoadedMapping> b = LoadMappingYaml(changed, "b.yaml");
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_NE(a->content_hash, b->content_hash);
  EXPECT_NE(a->version, b->version);
  EXPECT_THAT(b->version, MatchesRegex("test-1@[0-9a-f]{12}"));
}

TEST(MappingLoaderTest, ProtoAndYamlOfTheSameMappingHashAlike) {
  absl::StatusOr<LoadedMapping> from_yaml = LoadMappingYaml(kMinimal, "a");
  ASSERT_TRUE(from_yaml.ok()) << from_yaml.status();
  absl::StatusOr<LoadedMapping> from_proto =
      LoadMappingProto(from_yaml->config);
  ASSERT_TRUE(from_proto.ok()) << from_proto.status();
  EXPECT_EQ(from_proto->version, from_yaml->version);
}

TEST(MappingLoaderTest, MissingFileIsNotFound) {
  std::vector<ConfigError> errors;
  EXPECT_THAT(LoadMappingFile("/nonexistent/dir/mapping.yaml", &errors),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("/nonexistent/dir/mapping.yaml")));
  EXPECT_THAT(errors, IsEmpty());
}

TEST(MappingLoaderTest, DirectoryIsAnErrorNamingThePath) {
  const std::string dir = ::testing::TempDir();
  absl::StatusOr<LoadedMapping> loaded = LoadMappingFile(dir);
  EXPECT_FALSE(loaded.ok());
  EXPECT_THAT(loaded.status().message(), HasSubstr(dir));
}

TEST(MappingLoaderTest, UnreadableFileIsPermissionDenied) {
  const std::string path = WriteTempFile("unreadable.yaml", kMinimal);
  ASSERT_EQ(::chmod(path.c_str(), 0), 0);
  // Root reads any file, and CI runs as root: load in a forked child that
  // first drops to an unprivileged user (nobody), where the mode applies.
  EXPECT_EXIT(
      {
        if (::geteuid() == 0 && ::setresgid(65534, 65534, 65534) != 0) {
          std::_Exit(3);
        }
        if (::geteuid() == 0 && ::setresuid(65534, 65534, 65534) != 0) {
          std::_Exit(3);
        }
        const absl::Status s = LoadMappingFile(path).status();
        const bool ok = s.code() == absl::StatusCode::kPermissionDenied &&
                        absl::StrContains(s.message(), path);
        if (!ok) std::fprintf(stderr, "got: %s\n", s.ToString().c_str());
        std::_Exit(ok ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(MappingLoaderTest, FileLoadsAndErrorsNameThePath) {
  const std::string good = WriteTempFile("good.yaml", kMinimal);
  absl::StatusOr<LoadedMapping> loaded = LoadMappingFile(good);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_THAT(loaded->version, MatchesRegex("test-1@[0-9a-f]{12}"));

  std::string broken = kMinimal;
  broken.replace(broken.find("id: usage"), 9, "id: usage\n      nme: x");
  const std::string bad = WriteTempFile("bad.yaml", broken);
  std::vector<ConfigError> errors;
  EXPECT_THAT(LoadMappingFile(bad, &errors),
              StatusIs(kInvalid, HasSubstr(bad + ":9:7: phase_model.phases[1]."
                                                 "nme: unknown key 'nme'")));
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_EQ(errors[0].location, bad + ":9:7");
}

TEST(MappingLoaderTest, MessageListsAtMostTwentyErrors) {
  std::string yaml =
      "phase_model:\n  phases:\n    - id: a\n"
      "practices: [{id: P1}]\nfield_rules:\n";
  for (int i = 0; i < 25; ++i) {
    yaml += "  - {id: r" + std::to_string(i) +
            ", phase: nope, when: "
            "{require_sla_breached: true}}\n";
  }
  std::vector<ConfigError> errors;
  absl::StatusOr<LoadedMapping> loaded =
      LoadMappingYaml(yaml, "test.yaml", &errors);
  EXPECT_THAT(loaded, StatusIs(kInvalid, EndsWith("\n... and 5 more")));
  EXPECT_THAT(errors, SizeIs(25));
  const std::string message(loaded.status().message());
  EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 20);
  EXPECT_THAT(message, HasSubstr("test.yaml:6:14: field_rules[0].phase: "
                                 "unknown phase id 'nope'"));
}

TEST(MappingLoaderTest, ConfigErrorToStringLeavesOutEmptyParts) {
  EXPECT_EQ((ConfigError{"f.yaml:3:4", "a.b", "bad"}).ToString(),
            "f.yaml:3:4: a.b: bad");
  EXPECT_EQ((ConfigError{"", "a.b", "bad"}).ToString(), "a.b: bad");
  EXPECT_EQ((ConfigError{"f.yaml:1:1", "", "bad"}).ToString(),
            "f.yaml:1:1: bad");
}

}  // namespace
}  // namespace cse::config
