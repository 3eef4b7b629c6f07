// `cse circumplex` through RunCli: argument handling, and the call against
// a fake JourneyService on loopback that answers GetCircumplexReport with a
// hand-made report (the real server's RPC is tested with the server).
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "cse/v1/journey_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sidecar/cli/cli_app.h"
#include "sidecar/cli/commands.h"
#include "tests/cli/circumplex_samples.h"
#include "tests/cli/tiny_xml.h"

namespace cse::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

struct Result {
  int code = -1;
  std::string out;
  std::string err;
};

Result RunCse(std::vector<std::string> args) {
  args.insert(args.begin(), "cse");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::ostringstream out;
  std::ostringstream err;
  Result r;
  r.code = RunCli(static_cast<int>(argv.size()), argv.data(), out, err,
                  /*color=*/false);
  r.out = out.str();
  r.err = err.str();
  return r;
}

class FakeJourneyService final : public cse::v1::JourneyService::Service {
 public:
  grpc::Status GetCircumplexReport(
      grpc::ServerContext*, const cse::v1::GetCircumplexReportRequest* request,
      cse::v1::GetCircumplexReportResponse* response) override {
    absl::MutexLock lock(&mu_);
    requests_.push_back(*request);
    if (!error_.ok()) return error_;
    *response = report_;
    return grpc::Status::OK;
  }

  void Answer(cse::v1::GetCircumplexReportResponse report) {
    absl::MutexLock lock(&mu_);
    report_ = std::move(report);
  }
  void Fail(grpc::Status error) {
    absl::MutexLock lock(&mu_);
    error_ = std::move(error);
  }
  std::vector<cse::v1::GetCircumplexReportRequest> requests() {
    absl::MutexLock lock(&mu_);
    return requests_;
  }

 private:
  absl::Mutex mu_;
  cse::v1::GetCircumplexReportResponse report_ ABSL_GUARDED_BY(mu_);
  grpc::Status error_ ABSL_GUARDED_BY(mu_);
  std::vector<cse::v1::GetCircumplexReportRequest> requests_
      ABSL_GUARDED_BY(mu_);
};

class CircumplexCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    address_ = "127.0.0.1:" + std::to_string(port);
    char dir[] = "/tmp/cse-circumplex-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
  }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
    std::remove((dir_ + "/out.svg").c_str());
    std::remove(dir_.c_str());
  }

  FakeJourneyService service_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  std::string dir_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(CircumplexArgsTest, ServerIsRequired) {
  const Result r = RunCse({"circumplex", "--account", "acme"});
  EXPECT_EQ(r.code, kExitInvalid);
  EXPECT_THAT(r.err, HasSubstr("give --server HOST:PORT"));
  EXPECT_THAT(r.out, IsEmpty());
}

TEST(CircumplexArgsTest, BadFlagsAreUsageErrors) {
  EXPECT_EQ(
      RunCse({"circumplex", "--server", "x:1", "--basis", "guessed"}).code,
      kExitInvalid);
  EXPECT_EQ(
      RunCse({"circumplex", "--server", "x:1", "--svg", "a.svg", "--json"})
          .code,
      kExitInvalid);
  EXPECT_EQ(RunCse({"circumplex", "--server", "x:1", "--config", "m.yaml",
                    "--builtin", "default"})
                .code,
            kExitInvalid);
}

TEST(CircumplexArgsTest, HelpListsTheFlags) {
  const Result r = RunCse({"circumplex", "--help"});
  EXPECT_EQ(r.code, kExitOk);
  for (const char* flag :
       {"--server", "--account", "--basis", "--svg", "--json", "--builtin"}) {
    EXPECT_THAT(r.out, HasSubstr(flag));
  }
}

TEST_F(CircumplexCommandTest, PrintsTheTableWithTheMappingsNames) {
  service_.Answer(cse::testing::OneAccount());
  const Result r = RunCse(
      {"circumplex", "--server", address_, "--account", "acme-logistics"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("account “acme-logistics”"));
  // Names from the builtin default mapping.
  EXPECT_THAT(r.out, HasSubstr("Solve problems ad hoc (P4)"));
  EXPECT_THAT(r.out, HasSubstr("4 Implementation and usage"));
  EXPECT_THAT(r.out, HasSubstr("Restoring 6 (86%)"));
  const auto requests = service_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].account_id(), "acme-logistics");
  EXPECT_EQ(requests[0].basis(), cse::v1::CIRCUMPLEX_BASIS_APPLIED);
}

TEST_F(CircumplexCommandTest, WritesTheSvgFigure) {
  service_.Answer(cse::testing::BusyPortfolio());
  const std::string path = dir_ + "/out.svg";
  const Result r = RunCse({"circumplex", "--server", address_, "--basis",
                           "suggested", "--svg", path});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Wrote " + path));
  const std::string svg = ReadFile(path);
  auto doc = cse::testing::ParseXml(svg);
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(doc->root->name, "svg");
  EXPECT_THAT(svg, HasSubstr("Manage the relationship strategically"));
  EXPECT_THAT(svg, HasSubstr("Circumplex report — portfolio"));
  const auto requests = service_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].account_id(), "");
  EXPECT_EQ(requests[0].basis(), cse::v1::CIRCUMPLEX_BASIS_SUGGESTED);
}

TEST_F(CircumplexCommandTest, SvgToStdoutAndJson) {
  service_.Answer(cse::testing::OneAccount());
  const Result svg = RunCse({"circumplex", "--server", address_, "--svg", "-"});
  EXPECT_EQ(svg.code, kExitOk) << svg.err;
  EXPECT_TRUE(cse::testing::ParseXml(svg.out).ok());

  const Result json = RunCse({"circumplex", "--server", address_, "--json"});
  EXPECT_EQ(json.code, kExitOk) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"accountId\": \"acme-logistics\""));
  EXPECT_THAT(json.out, HasSubstr("\"restoringCount\": 6"));
}

TEST_F(CircumplexCommandTest, RpcErrorsAreReported) {
  service_.Fail(grpc::Status(grpc::StatusCode::NOT_FOUND, "no such account"));
  const Result r =
      RunCse({"circumplex", "--server", address_, "--account", "ghost"});
  EXPECT_EQ(r.code, kExitError);
  EXPECT_THAT(r.err, HasSubstr("error: NOT_FOUND: no such account"));
  EXPECT_THAT(r.out, IsEmpty());
}

TEST_F(CircumplexCommandTest, UnwritableSvgPathFails) {
  service_.Answer(cse::testing::OneAccount());
  const Result r = RunCse({"circumplex", "--server", address_, "--svg",
                           dir_ + "/missing/dir/out.svg"});
  EXPECT_EQ(r.code, kExitError);
  EXPECT_THAT(r.err, HasSubstr("cannot write the figure"));
  EXPECT_THAT(r.out, Not(HasSubstr("Wrote")));
}

TEST_F(CircumplexCommandTest, BadMappingFailsBeforeTheCall) {
  const Result r = RunCse({"circumplex", "--server", address_, "--config",
                           dir_ + "/no-such-mapping.yaml"});
  EXPECT_EQ(r.code, kExitError);
  EXPECT_THAT(r.err, HasSubstr("mapping"));
  EXPECT_TRUE(service_.requests().empty());
}

}  // namespace
}  // namespace cse::cli
