// The built cse-sidecar binary as a subprocess: exit codes, the error
// format for a broken --config, health over the real port, SIGTERM.
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "cse/v1/journey_service.grpc.pb.h"
#include "cse/v1/writeback_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sidecar/config/builtin_mappings.h"
#include "sidecar/store/sqlite_journey_store.h"
#include "tests/integration/test_mappings.h"
#include "tests/testing/free_port.h"
#include "tests/testing/postgres_server.h"
#include "tests/testing/sidecar_process.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/test_sidecar.h"

namespace cse::testing {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// cse-sidecar started in `dir` with `args` (and --listen on a free port
// unless they have one), or null after failing the test.
std::unique_ptr<SidecarProcess> Spawn(const TempDir& dir,
                                      std::vector<std::string> args) {
  absl::StatusOr<std::unique_ptr<SidecarProcess>> process =
      SidecarProcess::Start(dir.path(), std::move(args));
  EXPECT_THAT(process, IsOk());
  return process.ok() ? *std::move(process) : nullptr;
}

// A mapping whose line 13 is broken (an RE2 pattern that does not compile).
constexpr char kBrokenYaml[] = R"yaml(version: broken-1
phase_model:
  id: x
  name: X
  phases:
    - id: one
      name: One
critical_events:
  - id: ce
    name: CE
    polarity: POLARITY_NEGATIVE
    patterns:
      - {id: p.bad, pattern: "(unclosed"}
practices:
  - id: P1
    name: One
)yaml";

TEST(SidecarBinaryTest, BrokenConfigExitsWithCode2AndNamesFileAndLine) {
  TempDir dir;
  const std::string config = dir.WriteFile("broken.yaml", kBrokenYaml);
  auto process = Spawn(dir, {"--config", config});
  ASSERT_NE(process, nullptr);
  EXPECT_EQ(process->WaitForExit(), 2);
  // file:line:col: field.path: message
  EXPECT_THAT(process->Stderr(), HasSubstr(absl::StrCat(config, ":13:")));
  EXPECT_THAT(process->Stderr(),
              HasSubstr("critical_events[0].patterns[0].pattern: "));
}

TEST(SidecarBinaryTest, ValidateConfigExitsWithoutServing) {
  TempDir dir;
  const std::string good = dir.WriteFile("good.yaml", TestMappingYaml("v-1"));
  const std::string bad = dir.WriteFile("bad.yaml", kBrokenYaml);
  {
    auto process = Spawn(dir, {"--validate-config", good});
    ASSERT_NE(process, nullptr);
    EXPECT_EQ(process->WaitForExit(), 0);
    EXPECT_THAT(process->Stdout(), HasSubstr("valid (version v-1@"));
  }
  {
    auto process = Spawn(dir, {"--validate-config", bad});
    ASSERT_NE(process, nullptr);
    EXPECT_EQ(process->WaitForExit(), 2);
    EXPECT_THAT(process->Stderr(), HasSubstr(absl::StrCat(bad, ":13:")));
  }
}

TEST(SidecarBinaryTest, ServesHealthReloadsOnSighupAndExitsZeroOnSigterm) {
  TempDir dir;
  const std::string config =
      dir.WriteFile("mapping.yaml", TestMappingYaml("bin-1"));
  auto process = Spawn(
      dir, {"--config", config, "--log-format=json", "--log-level=debug"});
  ASSERT_NE(process, nullptr);
  ASSERT_THAT(process->WaitUntilServing(), IsOk());
  const std::string& address = process->address();

  {
    // One request, logged at debug level without its text.
    auto channel =
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
    auto journey = cse::v1::JourneyService::NewStub(channel);
    cse::v1::AssessRequest request;
    request.mutable_ticket()->set_source("zendesk");
    request.mutable_ticket()->set_event_id("e-secret");
    request.mutable_ticket()->set_body("the go-live secret-body-text");
    cse::v1::AssessResponse response;
    ASSERT_THAT(
        journey->Assess(ContextWithDeadline().get(), request, &response),
        GrpcIsOk());
    EXPECT_EQ(response.assessment().phase().id(), "implementation");
  }

  // SIGHUP reloads the file and keeps serving.
  process->Signal(SIGHUP);
  const absl::Time deadline = absl::Now() + kSidecarProcessLimit;
  while (process->Stderr().find("SIGHUP: reloading") == std::string::npos &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_THAT(process->Stderr(), HasSubstr("SIGHUP: reloading"));
  EXPECT_FALSE(process->Exited());

  EXPECT_EQ(process->Stop(), 0) << process->Stderr();
  const std::string log = process->Stderr();
  EXPECT_THAT(log, HasSubstr(absl::StrCat("listening on ", address)));
  EXPECT_THAT(log, HasSubstr("bin-1@"));
  EXPECT_THAT(log, HasSubstr("\"logger\":\"server\""));
  EXPECT_THAT(log, HasSubstr("SIGTERM received: shutting down"));
  // In the JSON log the quotes around the phase are escaped.
  EXPECT_THAT(log, ContainsRegex(R"(assess zendesk/e-secret: phase )"
                                 R"(\\"implementation\\", )"
                                 R"(version bin-1@[0-9a-f]+, [0-9.]+ ms)"));
  EXPECT_THAT(log, Not(HasSubstr("secret-body-text")));
}

TEST(SidecarBinaryTest, RunsOnTheBuiltinDefaultWithoutConfig) {
  TempDir dir;
  auto process = Spawn(dir, {});
  ASSERT_NE(process, nullptr);
  ASSERT_THAT(process->WaitUntilServing(), IsOk());
  process->Signal(SIGINT);
  EXPECT_EQ(process->WaitForExit(), 0) << process->Stderr();
  auto builtin = config::LoadBuiltinMapping("default");
  ASSERT_THAT(builtin, IsOk());
  EXPECT_THAT(
      process->Stderr(),
      HasSubstr(absl::StrCat("listening on ", process->address(),
                             " (mapping version ", builtin->version, ")")));
}

TEST(SidecarBinaryTest, UnknownBuiltinIsAUsageError) {
  TempDir dir;
  auto process = Spawn(dir, {"--builtin", "nope"});
  ASSERT_NE(process, nullptr);
  const std::optional<int> code = process->WaitForExit();
  ASSERT_TRUE(code.has_value());
  EXPECT_NE(*code, 0);
  EXPECT_THAT(process->Stderr(), HasSubstr("nope"));
}

TEST(SidecarBinaryTest, VersionFlag) {
  TempDir dir;
  auto process = Spawn(dir, {"--version"});
  ASSERT_NE(process, nullptr);
  EXPECT_EQ(process->WaitForExit(), 0);
  EXPECT_THAT(process->Stdout(), HasSubstr("cse-sidecar "));
}

// An ingestable ticket: "go-live" decides phase implementation in the
// test mapping.
cse::v1::IngestTicketRequest GoLiveTicket(const std::string& event_id) {
  cse::v1::IngestTicketRequest request;
  cse::v1::TicketEvent* t = request.mutable_event();
  t->set_source("zendesk");
  t->set_event_id(event_id);
  t->set_ticket_id("4711");
  t->set_kind(cse::v1::TICKET_EVENT_KIND_CREATED);
  t->mutable_account()->set_id("acme");
  t->set_body("The export is down since the go-live");
  return request;
}

cse::v1::IngestResponse IngestOver(
    const std::string& address, const cse::v1::IngestTicketRequest& request) {
  auto journey = cse::v1::JourneyService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  cse::v1::IngestResponse response;
  EXPECT_THAT(
      journey->IngestTicket(ContextWithDeadline().get(), request, &response),
      GrpcIsOk());
  return response;
}

TEST(SidecarBinaryTest, SqliteStoreRemembersIngestsAcrossRestarts) {
  TempDir data;
  const std::string db = data.Path("j.db");
  const std::string config =
      data.WriteFile("mapping.yaml", TestMappingYaml("bin-1"));
  const std::vector<std::string> args = {"--config", config,
                                         absl::StrCat("--store=sqlite:", db)};

  cse::v1::IngestResponse first;
  {
    TempDir logs;
    auto process = Spawn(logs, args);
    ASSERT_NE(process, nullptr);
    ASSERT_THAT(process->WaitUntilServing(), IsOk());
    const std::string& address = process->address();
    first = IngestOver(address, GoLiveTicket("e-1"));
    EXPECT_FALSE(first.duplicate());
    EXPECT_EQ(first.assessment().phase().id(), "implementation");
    EXPECT_EQ(process->Stop(), 0) << process->Stderr();
    EXPECT_THAT(process->Stderr(),
                HasSubstr(absl::StrCat("journey store: SQLite file ", db)));
  }
  {
    TempDir logs;
    auto process = Spawn(logs, args);
    ASSERT_NE(process, nullptr);
    ASSERT_THAT(process->WaitUntilServing(), IsOk());
    const std::string& address = process->address();
    // The same (source, event_id): answered from the file, not re-assessed.
    const cse::v1::IngestResponse again =
        IngestOver(address, GoLiveTicket("e-1"));
    EXPECT_TRUE(again.duplicate());
    EXPECT_EQ(again.assessment().SerializeAsString(),
              first.assessment().SerializeAsString())
        << again.assessment().DebugString();
    // A new event of the account that says nothing: the phase recorded
    // before the restart decides.
    cse::v1::IngestTicketRequest quiet = GoLiveTicket("e-2");
    quiet.mutable_event()->set_body("Thanks, noted.");
    const cse::v1::IngestResponse second = IngestOver(address, quiet);
    EXPECT_FALSE(second.duplicate());
    EXPECT_EQ(second.assessment().phase().id(), "implementation");
    EXPECT_EQ(second.assessment().phase().decided_by(),
              cse::v1::REASON_KIND_ACCOUNT_HISTORY);
    EXPECT_EQ(process->Stop(), 0) << process->Stderr();
  }
}

TEST(SidecarBinaryTest, DefaultStoreIsSqliteUnderTheWorkingDirectory) {
  TempDir dir;
  auto process = Spawn(dir, {});
  ASSERT_NE(process, nullptr);
  ASSERT_THAT(process->WaitUntilServing(), IsOk());
  EXPECT_EQ(process->Stop(), 0) << process->Stderr();
  EXPECT_THAT(process->Stderr(),
              HasSubstr("journey store: SQLite file cse-data/journey.db"));
  struct stat st;
  EXPECT_EQ(::stat(dir.Path("cse-data/journey.db").c_str(), &st), 0)
      << "no database in the working directory";
}

TEST(SidecarBinaryTest, MemoryStoreSaysItForgets) {
  TempDir dir;
  auto process = Spawn(dir, {"--store=memory"});
  ASSERT_NE(process, nullptr);
  ASSERT_THAT(process->WaitUntilServing(), IsOk());
  EXPECT_EQ(process->Stop(), 0) << process->Stderr();
  EXPECT_THAT(process->Stderr(), HasSubstr("journey store: in memory"));
  struct stat st;
  EXPECT_NE(::stat(dir.Path("cse-data").c_str(), &st), 0);
}

// The outbox policy flags reach the store: with one attempt allowed, the
// first retryable failure dead-letters the job; a CRM's Retry-After above
// the cap waits only the cap.
TEST(SidecarBinaryTest, WritebackPolicyFlagsReachTheOutbox) {
  TempDir dir;
  auto process = Spawn(dir, {"--store=memory", "--writeback-max-attempts=2",
                             "--writeback-max-retry-after-s=30"});
  ASSERT_NE(process, nullptr);
  ASSERT_THAT(process->WaitUntilServing(), IsOk());
  IngestOver(process->address(), GoLiveTicket("e-policy"));
  auto writeback = cse::v1::WritebackService::NewStub(process->NewChannel());

  auto lease = [&] {
    cse::v1::LeaseWritebacksRequest request;
    request.set_lessee_id("policy-test");
    request.set_max_jobs(10);
    cse::v1::LeaseWritebacksResponse leased;
    EXPECT_THAT(writeback->LeaseWritebacks(ContextWithDeadline().get(), request,
                                           &leased),
                GrpcIsOk());
    return std::vector<cse::v1::WritebackJob>(leased.jobs().begin(),
                                              leased.jobs().end());
  };
  auto fail = [&](const cse::v1::WritebackJob& job, int64_t retry_after_s) {
    cse::v1::AckWritebackRequest ack;
    ack.set_job_id(job.job_id());
    ack.set_lease_token(job.lease_token());
    ack.set_result(cse::v1::WRITEBACK_RESULT_FAILED_RETRYABLE);
    ack.mutable_retry_after()->set_seconds(retry_after_s);
    cse::v1::AckWritebackResponse acked;
    EXPECT_THAT(
        writeback->AckWriteback(ContextWithDeadline().get(), ack, &acked),
        GrpcIsOk());
    return acked.job();
  };

  // The event's jobs (tags, note, phase): at least two.
  const std::vector<cse::v1::WritebackJob> jobs = lease();
  ASSERT_GE(jobs.size(), 2u);
  const absl::Time acked_at = absl::Now();
  const cse::v1::WritebackJob pending = fail(jobs[0], 3600);
  EXPECT_EQ(pending.state(), cse::v1::WRITEBACK_STATE_PENDING);
  // Retry-After 1 h asked, 30 s allowed.
  EXPECT_LE(pending.not_before().seconds(), absl::ToUnixSeconds(acked_at) + 31);
  EXPECT_GE(pending.not_before().seconds(), absl::ToUnixSeconds(acked_at) + 29);
  for (size_t i = 1; i < jobs.size(); ++i) {
    EXPECT_EQ(fail(jobs[i], 0).state(), cse::v1::WRITEBACK_STATE_PENDING);
  }
  absl::SleepFor(absl::Seconds(4));  // past the 2 s first backoff window
  // The second attempt of every job but the first (still waiting out its
  // Retry-After) is the last one allowed.
  const std::vector<cse::v1::WritebackJob> again = lease();
  ASSERT_EQ(again.size(), jobs.size() - 1);
  for (const cse::v1::WritebackJob& job : again) {
    EXPECT_NE(job.job_id(), jobs[0].job_id());
    EXPECT_EQ(job.attempts(), 2u);
    const cse::v1::WritebackJob dead = fail(job, 0);
    EXPECT_EQ(dead.state(), cse::v1::WRITEBACK_STATE_DEAD_LETTER);
    EXPECT_THAT(dead.dead_letter_reason(), HasSubstr("2 attempts"));
  }
  EXPECT_EQ(process->Stop(), 0) << process->Stderr();
}

TEST(SidecarBinaryTest, BadWritebackPolicyFlagIsAUsageError) {
  TempDir dir;
  auto process = Spawn(dir, {"--store=memory", "--writeback-max-attempts=0"});
  ASSERT_NE(process, nullptr);
  EXPECT_NE(process->WaitForExit(), 0);
  EXPECT_THAT(process->Stderr(), HasSubstr("--writeback-max-attempts"));
}

TEST(SidecarBinaryTest, UnopenableStoreExitsOneNamingThePath) {
  TempDir dir;
  const std::string db = dir.Path("no-such-dir/j.db");
  auto process = Spawn(dir, {absl::StrCat("--store=sqlite:", db)});
  ASSERT_NE(process, nullptr);
  EXPECT_EQ(process->WaitForExit(), 1) << process->Stderr();
  EXPECT_THAT(process->Stderr(), HasSubstr(absl::StrCat("cannot open ", db)));
  EXPECT_THAT(process->Stderr(), Not(HasSubstr("listening on")));
}

TEST(SidecarBinaryTest, PostgresStoreServesAndNeverShowsThePassword) {
  auto server = PostgresServer::Shared();
  ASSERT_THAT(server, IsOk());
  auto url = (*server)->CreateDatabase();
  ASSERT_THAT(url, IsOk());
  // The test server trusts loopback, so any password is accepted; it must
  // still never be printed.
  const std::string with_password = absl::StrReplaceAll(
      *url, {{"postgresql://postgres@", "postgresql://postgres:s3cret-pw@"}});
  ASSERT_NE(with_password, *url);
  TempDir dir;
  auto process = Spawn(
      dir, {absl::StrCat("--store=", with_password), "--log-level=debug"});
  ASSERT_NE(process, nullptr);
  ASSERT_THAT(process->WaitUntilServing(), IsOk());
  const std::string& address = process->address();
  EXPECT_FALSE(IngestOver(address, GoLiveTicket("e-1")).duplicate());
  EXPECT_TRUE(IngestOver(address, GoLiveTicket("e-1")).duplicate());
  EXPECT_EQ(process->Stop(), 0) << process->Stderr();
  EXPECT_THAT(
      process->Stderr(),
      HasSubstr("journey store: PostgreSQL postgresql://postgres:***@"));
  EXPECT_THAT(process->Stderr(), Not(HasSubstr("s3cret-pw")));
}

TEST(SidecarBinaryTest, UnreachablePostgresExitsOneWithoutThePassword) {
  TempDir dir;
  const int port = FreePort();  // nothing listens there
  for (const std::string& store :
       {absl::StrCat("--store=postgres:postgresql://cse:s3cret-pw@127.0.0.1:",
                     port, "/cse?connect_timeout=2&password=s3cret-pw"),
        absl::StrCat("--store=postgres:host=127.0.0.1 port=", port,
                     " password=s3cret-pw dbname=cse connect_timeout=2")}) {
    auto process = Spawn(dir, {store});
    ASSERT_NE(process, nullptr);
    EXPECT_EQ(process->WaitForExit(), 1) << process->Stderr();
    EXPECT_THAT(process->Stderr(),
                HasSubstr("journey store --store=postgres:"));
    EXPECT_THAT(process->Stderr(), HasSubstr("***"));
    EXPECT_THAT(process->Stderr(), Not(HasSubstr("s3cret-pw")));
    EXPECT_THAT(process->Stderr(), Not(HasSubstr("listening on")));
  }
}

TEST(SidecarBinaryTest, UnknownStoreKindIsAUsageErrorWithoutTheValue) {
  TempDir dir;
  auto process = Spawn(dir, {"--store=mysql://root:s3cret-pw@db/cse"});
  ASSERT_NE(process, nullptr);
  EXPECT_NE(process->WaitForExit(), 0);
  EXPECT_THAT(process->Stderr(), HasSubstr("postgres:CONNINFO"));
  EXPECT_THAT(process->Stderr(), Not(HasSubstr("s3cret-pw")));
}

TEST(SidecarBinaryTest, StoreWithANewerSchemaExitsOneAndIsLeftAlone) {
  TempDir dir;
  const std::string db = dir.Path("j.db");
  {
    // A valid file, then its schema version (the header's user_version,
    // 4 bytes big-endian at offset 60) set to one this binary cannot know.
    ASSERT_THAT(store::SqliteJourneyStore::Open(db), IsOk());
    std::fstream file(db, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(60);
    const char version[4] = {0, 0, 0, 99};
    file.write(version, sizeof(version));
    ASSERT_TRUE(file.good());
  }
  const std::string before = ReadFile(db);
  auto process = Spawn(dir, {absl::StrCat("--store=sqlite:", db)});
  ASSERT_NE(process, nullptr);
  EXPECT_EQ(process->WaitForExit(), 1) << process->Stderr();
  EXPECT_THAT(process->Stderr(),
              HasSubstr(absl::StrCat(db, " has schema version 99")));
  EXPECT_TRUE(ReadFile(db) == before) << "the newer file was changed";
}

TEST(SidecarBinaryTest, MalformedStoreFlagIsAUsageError) {
  TempDir dir;
  for (const auto& [flag, message] :
       std::vector<std::pair<std::string, std::string>>{
           {"--store=redis",
            "--store: must be memory, sqlite:PATH, "
            "postgres:CONNINFO or a postgresql:// URL"},
           {"--store=sqlite:", "--store: sqlite:PATH needs a path"},
           {"--store=postgres:",
            "--store: postgres:CONNINFO needs a "
            "connection string"}}) {
    auto process = Spawn(dir, {flag});
    ASSERT_NE(process, nullptr);
    const std::optional<int> code = process->WaitForExit();
    ASSERT_TRUE(code.has_value()) << flag;
    EXPECT_NE(*code, 0) << flag;
    EXPECT_THAT(process->Stderr(), HasSubstr(message)) << flag;
  }
}

}  // namespace
}  // namespace cse::testing
