#include "sidecar/server/admin_service.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "sidecar/api/writeback_conversion.h"
#include "sidecar/config/mapping_loader.h"
#include "sidecar/engine/compiled_mapping.h"
#include "sidecar/server/grpc_status.h"
#include "sidecar/server/logging.h"
#include "sidecar/server/store_status.h"

namespace cse::server {
namespace {

// How many problems an ApplyMapping error message lists; ValidateMapping
// returns them all.
constexpr size_t kMaxErrorsInMessage = 5;

template <typename Request>
absl::StatusOr<config::LoadedMapping> LoadCandidate(
    const Request& request, std::vector<config::ConfigError>* errors) {
  switch (request.candidate_case()) {
    case Request::kYaml:
      return config::LoadMappingYaml(request.yaml(), "request", errors);
    case Request::kConfig:
      return config::LoadMappingProto(request.config(), errors);
    default:
      return absl::InvalidArgumentError(
          "candidate: one of yaml or config is required");
  }
}

void ToProto(const config::ConfigError& error, cse::v1::ConfigError* out) {
  out->set_location(error.location);
  out->set_field_path(error.field_path);
  out->set_message(error.message);
}

// The loader's findings; when it failed without listing any (it should not),
// its status stands in as the one error.
std::vector<config::ConfigError> ErrorsOf(
    const absl::Status& status, std::vector<config::ConfigError> errors) {
  if (errors.empty() && !status.ok()) {
    config::ConfigError e;
    e.message = std::string(status.message());
    errors.push_back(std::move(e));
  }
  return errors;
}

absl::Status InvalidMapping(const std::vector<config::ConfigError>& errors) {
  std::vector<std::string> lines;
  for (size_t i = 0; i < errors.size() && i < kMaxErrorsInMessage; ++i) {
    lines.push_back(errors[i].ToString());
  }
  std::string message =
      absl::StrCat("mapping is invalid: ", absl::StrJoin(lines, "; "));
  if (errors.size() > kMaxErrorsInMessage) {
    absl::StrAppend(&message, " (and ", errors.size() - kMaxErrorsInMessage,
                    " more)");
  }
  return absl::InvalidArgumentError(message);
}

}  // namespace

cse::v1::MappingOrigin ToProto(mapping::MappingOrigin origin) {
  switch (origin) {
    case mapping::MappingOrigin::kBuiltin:
      return cse::v1::MAPPING_ORIGIN_BUILTIN;
    case mapping::MappingOrigin::kFile:
      return cse::v1::MAPPING_ORIGIN_FILE;
    case mapping::MappingOrigin::kAdminRpc:
      return cse::v1::MAPPING_ORIGIN_ADMIN_RPC;
  }
  return cse::v1::MAPPING_ORIGIN_UNSPECIFIED;
}

absl::string_view OriginName(mapping::MappingOrigin origin) {
  switch (origin) {
    case mapping::MappingOrigin::kBuiltin:
      return "builtin";
    case mapping::MappingOrigin::kFile:
      return "file";
    case mapping::MappingOrigin::kAdminRpc:
      return "admin_rpc";
  }
  return "unknown";
}

void ToProto(const mapping::MappingVersionInfo& info, bool active,
             cse::v1::MappingVersion* out) {
  out->set_version(info.version);
  out->set_label(info.label);
  out->set_content_hash(info.content_hash);
  out->set_origin(ToProto(info.origin));
  out->set_origin_detail(info.origin_detail);
  const absl::Duration since_epoch = info.applied_at - absl::UnixEpoch();
  const int64_t seconds = absl::ToInt64Seconds(since_epoch);
  out->mutable_applied_at()->set_seconds(seconds);
  out->mutable_applied_at()->set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(since_epoch - absl::Seconds(seconds))));
  out->set_active(active);
}

AdminServiceImpl::AdminServiceImpl(mapping::ActiveMapping* mapping,
                                   store::WritebackOutbox* outbox)
    : mapping_(mapping), outbox_(outbox), log_(GetLogger(kAdminLogger)) {}

grpc::ServerUnaryReactor* AdminServiceImpl::GetActiveMapping(
    grpc::CallbackServerContext* context,
    const cse::v1::GetActiveMappingRequest* request,
    cse::v1::GetActiveMappingResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(HandleGetActiveMapping(response)));
  return reactor;
}

grpc::ServerUnaryReactor* AdminServiceImpl::ValidateMapping(
    grpc::CallbackServerContext* context,
    const cse::v1::ValidateMappingRequest* request,
    cse::v1::ValidateMappingResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(HandleValidateMapping(*request, response)));
  return reactor;
}

grpc::ServerUnaryReactor* AdminServiceImpl::ApplyMapping(
    grpc::CallbackServerContext* context,
    const cse::v1::ApplyMappingRequest* request,
    cse::v1::ApplyMappingResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(
      ToGrpcStatus(HandleApplyMapping(*request, context->peer(), response)));
  return reactor;
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListMappingVersions(
    grpc::CallbackServerContext* context,
    const cse::v1::ListMappingVersionsRequest* request,
    cse::v1::ListMappingVersionsResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(HandleListMappingVersions(response)));
  return reactor;
}

absl::Status AdminServiceImpl::HandleGetActiveMapping(
    cse::v1::GetActiveMappingResponse* response) {
  std::shared_ptr<const mapping::MappingSnapshot> current = mapping_->Current();
  if (current == nullptr) return absl::UnavailableError("no active mapping");
  ToProto(current->info, /*active=*/true, response->mutable_version());
  *response->mutable_config() = current->config;
  return absl::OkStatus();
}

absl::Status AdminServiceImpl::HandleValidateMapping(
    const cse::v1::ValidateMappingRequest& request,
    cse::v1::ValidateMappingResponse* response) {
  if (request.candidate_case() ==
      cse::v1::ValidateMappingRequest::CANDIDATE_NOT_SET) {
    return absl::InvalidArgumentError(
        "candidate: one of yaml or config is required");
  }
  std::vector<config::ConfigError> errors;
  auto loaded = LoadCandidate(request, &errors);
  if (loaded.ok()) {
    // The loader's validator should catch everything, but "valid" must
    // mean "ApplyMapping would accept it", and apply also compiles.
    auto compiled =
        engine::CompiledMapping::Compile(loaded->config, loaded->version);
    if (!compiled.ok()) {
      errors = ErrorsOf(compiled.status(), {});
    }
  } else {
    errors = ErrorsOf(loaded.status(), std::move(errors));
  }
  response->set_valid(errors.empty());
  for (const config::ConfigError& e : errors)
    ToProto(e, response->add_errors());
  if (loaded.ok()) response->set_version(loaded->version);
  return absl::OkStatus();
}

absl::Status AdminServiceImpl::HandleApplyMapping(
    const cse::v1::ApplyMappingRequest& request,
    const std::string& origin_detail, cse::v1::ApplyMappingResponse* response) {
  if (request.candidate_case() ==
      cse::v1::ApplyMappingRequest::CANDIDATE_NOT_SET) {
    return absl::InvalidArgumentError(
        "candidate: one of yaml or config is required");
  }
  std::vector<config::ConfigError> errors;
  auto loaded = LoadCandidate(request, &errors);
  if (!loaded.ok()) {
    return InvalidMapping(ErrorsOf(loaded.status(), std::move(errors)));
  }
  const std::string version = loaded->version;
  auto applied = mapping_->Apply(
      std::move(loaded->config), loaded->version,
      std::move(loaded->content_hash), mapping::MappingOrigin::kAdminRpc,
      origin_detail, request.expected_active_version());
  if (!applied.ok()) {
    log_->warn("apply of mapping version {} refused: {}", version,
               applied.status().ToString());
    return applied.status();
  }
  ToProto((*applied)->info, /*active=*/true, response->mutable_version());
  log_->info("applied mapping version {} (origin {}, {})",
             (*applied)->info.version, OriginName((*applied)->info.origin),
             (*applied)->info.origin_detail);
  return absl::OkStatus();
}

absl::Status AdminServiceImpl::HandleListMappingVersions(
    cse::v1::ListMappingVersionsResponse* response) {
  const std::vector<mapping::MappingVersionInfo> history = mapping_->History();
  for (size_t i = 0; i < history.size(); ++i) {
    // History() is newest first and its first entry is the current one.
    ToProto(history[i], /*active=*/i == 0, response->add_versions());
  }
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListDeadLetters(
    grpc::CallbackServerContext* context,
    const cse::v1::ListDeadLettersRequest* request,
    cse::v1::ListDeadLettersResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(HandleListDeadLetters(*request, response)));
  return reactor;
}

grpc::ServerUnaryReactor* AdminServiceImpl::RetryDeadLetter(
    grpc::CallbackServerContext* context,
    const cse::v1::RetryDeadLetterRequest* request,
    cse::v1::RetryDeadLetterResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(HandleRetryDeadLetter(*request, response)));
  return reactor;
}

absl::Status AdminServiceImpl::HandleListDeadLetters(
    const cse::v1::ListDeadLettersRequest& request,
    cse::v1::ListDeadLettersResponse* response) {
  api::Page page;
  auto query = api::DeadLetterQueryFromProto(request, &page);
  if (!query.ok()) return query.status();
  auto jobs = outbox_->ListDeadLetters(*query);
  if (!jobs.ok()) return StoreError("dead letters", jobs.status());
  const size_t shown = std::min(jobs->size(), static_cast<size_t>(page.limit));
  for (size_t i = 0; i < shown; ++i) {
    api::ToProto((*jobs)[i], api::JobSecret::kWithoutLeaseToken,
                 response->add_jobs());
  }
  if (jobs->size() > shown && shown > 0) {
    response->set_next_page_token(api::DeadLetterPageToken((*jobs)[shown - 1]));
  }
  return absl::OkStatus();
}

absl::Status AdminServiceImpl::HandleRetryDeadLetter(
    const cse::v1::RetryDeadLetterRequest& request,
    cse::v1::RetryDeadLetterResponse* response) {
  if (absl::Status s = api::CheckRetryDeadLetter(request); !s.ok()) return s;
  auto job = outbox_->RetryDeadLetter(request.job_id());
  if (!job.ok()) return StoreError("retry dead letter", job.status());
  api::ToProto(*job, api::JobSecret::kWithoutLeaseToken,
               response->mutable_job());
  log_->info("dead letter {} ({}) back in the outbox", job->id,
             job->idempotency_key);
  return absl::OkStatus();
}

}  // namespace cse::server
