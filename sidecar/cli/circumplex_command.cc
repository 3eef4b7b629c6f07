#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "cse/v1/journey_service.grpc.pb.h"
#include "sidecar/cli/circumplex_svg.h"
#include "sidecar/cli/commands.h"
#include "sidecar/cli/mapping_source.h"

namespace cse::cli {
namespace {

absl::StatusOr<cse::v1::CircumplexBasis> ParseBasis(const std::string& s) {
  if (s.empty() || s == "applied") return cse::v1::CIRCUMPLEX_BASIS_APPLIED;
  if (s == "suggested") return cse::v1::CIRCUMPLEX_BASIS_SUGGESTED;
  return absl::InvalidArgumentError(
      absl::StrCat("--basis: \"", s, "\" is not applied or suggested"));
}

// An RFC 3339 time, or a date meaning its UTC midnight.
absl::StatusOr<absl::Time> ParseBound(absl::string_view flag,
                                      const std::string& text) {
  absl::Time t;
  std::string why;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &why) ||
      absl::ParseTime("%Y-%m-%d", text, absl::UTCTimeZone(), &t, &why)) {
    return t;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      flag, ": \"", text, "\" is not a date (YYYY-MM-DD) or an RFC 3339 time"));
}

void SetTimestamp(absl::Time t, google::protobuf::Timestamp* out) {
  const int64_t nanos = absl::ToUnixNanos(t);
  out->set_seconds(nanos / 1000000000);
  out->set_nanos(static_cast<int32_t>(nanos % 1000000000));
}

absl::StatusOr<cse::v1::GetCircumplexReportResponse> CallReport(
    const std::string& target,
    const cse::v1::GetCircumplexReportRequest& request) {
  auto stub = cse::v1::JourneyService::NewStub(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       absl::ToChronoMilliseconds(kRpcDeadline));
  cse::v1::GetCircumplexReportResponse response;
  const grpc::Status status =
      stub->GetCircumplexReport(&context, request, &response);
  if (!status.ok()) {
    // gRPC and Abseil status codes are the same numbers.
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        status.error_message());
  }
  return response;
}

}  // namespace

int RunCircumplex(const CircumplexFlags& flags, std::ostream& out,
                  std::ostream& err) {
  if (flags.server.empty()) {
    // The report is computed from the journey store of a running sidecar;
    // there is nothing to count in process.
    err << "error: circumplex reports on a running sidecar's journey "
           "store: give --server HOST:PORT\n";
    return kExitInvalid;
  }
  absl::StatusOr<cse::v1::CircumplexBasis> basis = ParseBasis(flags.basis);
  if (!basis.ok()) return Fail(err, basis.status().message());

  // Names before the call, so a bad mapping file fails fast. The report
  // carries ids only; the mapping names them (ids it lacks stay ids).
  CircumplexSvgOptions options;
  if (!flags.json) {
    std::vector<config::ConfigError> errors;
    absl::StatusOr<ReadyMapping> ready = LoadAndCompile(
        MappingChoice{flags.config_path, flags.builtin_name}, &errors);
    if (!ready.ok()) {
      for (const config::ConfigError& e : errors) {
        err << FormatConfigError(e, flags.config_path) << "\n";
      }
      return Fail(err, absl::StrCat("mapping: ", ready.status().message()));
    }
    options = CircumplexOptionsFromMapping(*ready->compiled);
  }

  cse::v1::GetCircumplexReportRequest request;
  request.set_account_id(flags.account);
  request.set_basis(*basis);
  if (!flags.since.empty()) {
    absl::StatusOr<absl::Time> since = ParseBound("--since", flags.since);
    if (!since.ok()) return Fail(err, since.status().message());
    SetTimestamp(*since, request.mutable_since());
  }
  if (!flags.until.empty()) {
    absl::StatusOr<absl::Time> until = ParseBound("--until", flags.until);
    if (!until.ok()) return Fail(err, until.status().message());
    SetTimestamp(*until, request.mutable_until());
  }
  // The subtitle says which work is counted, as the user wrote it.
  if (!flags.since.empty() && !flags.until.empty()) {
    options.period = absl::StrCat(flags.since, " to ", flags.until);
  } else if (!flags.since.empty()) {
    options.period = absl::StrCat("since ", flags.since);
  } else if (!flags.until.empty()) {
    options.period = absl::StrCat("before ", flags.until);
  }
  absl::StatusOr<cse::v1::GetCircumplexReportResponse> report =
      CallReport(flags.server, request);
  if (!report.ok()) return FailStatus(err, report.status());

  if (flags.json) {
    out << RenderJson(*report);
    return kExitOk;
  }
  if (flags.svg.empty()) {
    out << RenderCircumplexTable(*report, options);
    return kExitOk;
  }
  const std::string svg = RenderCircumplexSvg(*report, options);
  if (flags.svg == "-") {
    out << svg;
    return kExitOk;
  }
  std::ofstream file(flags.svg, std::ios::binary | std::ios::trunc);
  file << svg;
  file.close();
  if (!file) {
    return Fail(err, absl::StrCat(flags.svg, ": cannot write the figure"));
  }
  out << "Wrote " << flags.svg << " (" << report->cells_size()
      << (report->cells_size() == 1 ? " cell" : " cells") << ")\n";
  return kExitOk;
}

}  // namespace cse::cli
