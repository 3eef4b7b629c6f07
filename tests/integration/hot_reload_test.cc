// Mapping hot reload: from the --config file (poller and explicit reload)
// and through the admin RPC, including under concurrent load.
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sidecar/config/mapping_loader.h"
#include "sidecar/server/mapping_reloader.h"
#include "tests/integration/test_mappings.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/test_sidecar.h"

namespace cse::testing {
namespace {

using ::testing::Eq;
using ::testing::Gt;
using ::testing::Not;
using ::testing::StartsWith;

// A short poll interval keeps the tests fast; waits poll with a deadline.
constexpr absl::Duration kPollInterval = absl::Milliseconds(20);
constexpr absl::Duration kWaitLimit = absl::Seconds(20);

// The version a mapping gets when applied: label + content hash.
std::string VersionOf(const std::string& yaml) {
  auto loaded = config::LoadMappingYaml(yaml, "test");
  EXPECT_THAT(loaded, IsOk());
  return loaded.ok() ? loaded->version : "";
}

// Polls until the active version is `want` or the deadline passes.
bool WaitForVersion(const mapping::ActiveMapping& active,
                    const std::string& want) {
  const absl::Time deadline = absl::Now() + kWaitLimit;
  while (absl::Now() < deadline) {
    auto current = active.Current();
    if (current != nullptr && current->info.version == want) return true;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return false;
}

std::string ActiveVersion(const mapping::ActiveMapping& active) {
  auto current = active.Current();
  return current == nullptr ? "" : current->info.version;
}

TEST(MappingReloaderTest, ReloadsWhenTheFileChangesAndKeepsItWhenBroken) {
  TempDir dir;
  const std::string path =
      dir.WriteFile("mapping.yaml", TestMappingYaml("file-1"));
  mapping::ActiveMapping active;
  server::MappingReloader reloader(&active, path, kPollInterval);
  ASSERT_THAT(reloader.Load(nullptr), IsOk());
  const std::string v1 = ActiveVersion(active);
  EXPECT_THAT(v1, StartsWith("file-1@"));
  EXPECT_EQ(active.Current()->info.origin, mapping::MappingOrigin::kFile);
  EXPECT_EQ(active.Current()->info.origin_detail, path);
  reloader.Start();

  const std::string yaml2 = TestMappingYaml("file-2");
  dir.WriteFile("mapping.yaml", yaml2);
  ASSERT_TRUE(WaitForVersion(active, VersionOf(yaml2)))
      << "still " << ActiveVersion(active);

  // A broken file is refused and the running mapping stays.
  dir.WriteFile("mapping.yaml", "phase_model: [this is not a mapping\n");
  std::vector<config::ConfigError> errors;
  EXPECT_THAT(reloader.Load(&errors),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(errors, Not(::testing::IsEmpty()));
  EXPECT_EQ(ActiveVersion(active), VersionOf(yaml2));
  EXPECT_EQ(active.History().size(), 2u);

  // Fixing the file is picked up by the poller again.
  const std::string yaml3 = TestMappingYaml("file-3");
  dir.WriteFile("mapping.yaml", yaml3);
  ASSERT_TRUE(WaitForVersion(active, VersionOf(yaml3)));
  reloader.Stop();
}

TEST(MappingReloaderTest, FollowsASymlinkSwapLikeAConfigMap) {
  // Kubernetes mounts a ConfigMap as mapping.yaml -> ..data/mapping.yaml,
  // ..data -> ..<timestamp>, and updates it by swapping the ..data link.
  TempDir dir;
  ASSERT_EQ(::mkdir(dir.Path("..v1").c_str(), 0755), 0);
  ASSERT_EQ(::mkdir(dir.Path("..v2").c_str(), 0755), 0);
  dir.WriteFile("..v1/mapping.yaml", TestMappingYaml("cm-1"));
  const std::string yaml2 = TestMappingYaml("cm-2");
  dir.WriteFile("..v2/mapping.yaml", yaml2);
  ASSERT_EQ(::symlink("..v1", dir.Path("..data").c_str()), 0);
  ASSERT_EQ(::symlink("..data/mapping.yaml", dir.Path("mapping.yaml").c_str()),
            0);

  mapping::ActiveMapping active;
  server::MappingReloader reloader(&active, dir.Path("mapping.yaml"),
                                   kPollInterval);
  ASSERT_THAT(reloader.Load(nullptr), IsOk());
  EXPECT_THAT(ActiveVersion(active), StartsWith("cm-1@"));
  reloader.Start();

  ASSERT_EQ(::symlink("..v2", dir.Path("..data_tmp").c_str()), 0);
  ASSERT_EQ(
      ::rename(dir.Path("..data_tmp").c_str(), dir.Path("..data").c_str()), 0);
  EXPECT_TRUE(WaitForVersion(active, VersionOf(yaml2)));
}

TEST(MappingReloaderTest, ReloadNowAppliesAndReportsFailures) {
  TempDir dir;
  const std::string path = dir.WriteFile("mapping.yaml", TestMappingYaml("a"));
  mapping::ActiveMapping active;
  server::MappingReloader reloader(&active, path);  // not polling
  ASSERT_THAT(reloader.ReloadNow(), IsOk());
  const std::string yaml_b = TestMappingYaml("b");
  dir.WriteFile("mapping.yaml", yaml_b);
  ASSERT_THAT(reloader.ReloadNow(), IsOk());
  EXPECT_EQ(ActiveVersion(active), VersionOf(yaml_b));

  server::MappingReloader missing(&active, dir.Path("nope.yaml"));
  EXPECT_THAT(missing.ReloadNow(), Not(IsOk()));
  EXPECT_EQ(ActiveVersion(active), VersionOf(yaml_b));
}

// Four clients assess continuously while the mapping changes 20 times,
// alternately through the admin RPC and the file. No call may fail, and
// every answer must come from one of the applied versions, consistently:
// the phase name in the answer must be the one of the version it names.
TEST(HotReloadUnderLoadTest, NoFailedCallAndEveryAnswerFromOneVersion) {
  constexpr int kSwaps = 20;
  constexpr int kClients = 4;

  TempDir dir;
  // Every version's YAML and expected phase name, computed up front so that
  // an answer can never name a version the test does not know yet.
  std::vector<std::string> yamls;
  std::map<std::string, std::string> phase_name_by_version;
  for (int i = 0; i <= kSwaps; ++i) {
    const std::string name = absl::StrCat("Implementation v", i);
    yamls.push_back(TestMappingYaml(absl::StrCat("load-", i), name));
    phase_name_by_version[VersionOf(yamls.back())] = name;
  }
  ASSERT_EQ(phase_name_by_version.size(), yamls.size());

  auto started = TestSidecar::Start(yamls[0]);
  ASSERT_THAT(started, IsOk());
  std::unique_ptr<TestSidecar> sidecar = *std::move(started);
  const std::string path = dir.WriteFile("mapping.yaml", yamls[0]);
  server::MappingReloader reloader(&sidecar->active(), path, kPollInterval);
  // Already active: this only records the file as seen, so the poller does
  // not re-apply it over a later admin apply.
  ASSERT_THAT(reloader.Load(nullptr), IsOk());
  reloader.Start();

  std::atomic<bool> stop{false};
  std::atomic<int> calls{0};
  absl::Mutex mu;
  std::vector<std::string> failures;    // guarded by mu
  std::set<std::string> seen_versions;  // guarded by mu
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      // Each client has its own channel, as separate adapters would.
      auto channel = grpc::CreateChannel(sidecar->address(),
                                         grpc::InsecureChannelCredentials());
      auto stub = cse::v1::JourneyService::NewStub(channel);
      cse::v1::AssessRequest request;
      request.mutable_ticket()->set_source("load");
      request.mutable_ticket()->set_event_id(absl::StrCat("c", c));
      request.mutable_ticket()->set_body(
          "Since the go-live the export is down");
      while (!stop.load()) {
        cse::v1::AssessResponse response;
        const grpc::Status s =
            stub->Assess(ContextWithDeadline().get(), request, &response);
        calls.fetch_add(1);
        absl::MutexLock lock(&mu);
        if (!s.ok()) {
          failures.push_back(
              absl::StrCat("status ", s.error_code(), ": ", s.error_message()));
          continue;
        }
        const std::string& version = response.assessment().mapping_version();
        seen_versions.insert(version);
        auto it = phase_name_by_version.find(version);
        if (it == phase_name_by_version.end()) {
          failures.push_back(absl::StrCat("unknown version ", version));
        } else if (response.assessment().phase().name() != it->second) {
          failures.push_back(
              absl::StrCat("version ", version, " answered with phase name \"",
                           response.assessment().phase().name(), "\""));
        }
      }
    });
  }

  // No ASSERT in this loop: the client threads must be joined whatever
  // happens.
  for (int i = 1; i <= kSwaps; ++i) {
    const std::string want = VersionOf(yamls[i]);
    if (i % 2 == 1) {
      cse::v1::ApplyMappingRequest request;
      request.set_yaml(yamls[i]);
      cse::v1::ApplyMappingResponse response;
      const grpc::Status s = sidecar->admin().ApplyMapping(
          ContextWithDeadline().get(), request, &response);
      EXPECT_THAT(s, GrpcIsOk()) << "swap " << i;
      EXPECT_EQ(response.version().version(), want);
      if (!s.ok()) break;
    } else {
      dir.WriteFile("mapping.yaml", yamls[i]);
      if (!WaitForVersion(sidecar->active(), want)) {
        ADD_FAILURE() << "swap " << i << ": file reload not seen";
        break;
      }
    }
    // Let some calls run on this version before the next swap.
    const int before = calls.load();
    const absl::Time deadline = absl::Now() + kWaitLimit;
    while (calls.load() < before + kClients && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(1));
    }
  }
  stop.store(true);
  for (std::thread& t : clients) t.join();
  reloader.Stop();

  absl::MutexLock lock(&mu);
  EXPECT_THAT(failures, ::testing::IsEmpty());
  EXPECT_THAT(calls.load(), Gt(kSwaps * kClients));
  EXPECT_THAT(seen_versions.size(), Gt(1u));
  EXPECT_EQ(ActiveVersion(sidecar->active()), VersionOf(yamls[kSwaps]));
}

}  // namespace
}  // namespace cse::testing
