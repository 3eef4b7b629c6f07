// The AdminService gRPC service: inspect, validate, apply and list mapping
// versions; list and retry dead-lettered writeback jobs.
//
// Candidates arrive as YAML text (the file format, loaded as file "request"
// so errors read `request:12:5: field.path: message`) or as a MappingConfig
// message. Validation and apply use the same loader as the --config file,
// and apply goes through ActiveMapping, which compiles before it swaps: an
// invalid candidate never replaces the running mapping.
#ifndef CSE_SIDECAR_SERVER_ADMIN_SERVICE_H_
#define CSE_SIDECAR_SERVER_ADMIN_SERVICE_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "cse/v1/admin_service.grpc.pb.h"
#include "sidecar/mapping/active_mapping.h"
#include "sidecar/store/writeback_outbox.h"
#include "spdlog/logger.h"

namespace cse::server {

// The API's view of a mapping version.
void ToProto(const mapping::MappingVersionInfo& info, bool active,
             cse::v1::MappingVersion* out);
cse::v1::MappingOrigin ToProto(mapping::MappingOrigin origin);
// "builtin", "file", "admin_rpc": for logs.
absl::string_view OriginName(mapping::MappingOrigin origin);

class AdminServiceImpl final : public cse::v1::AdminService::CallbackService {
 public:
  // `mapping` and `outbox` must outlive the service.
  AdminServiceImpl(mapping::ActiveMapping* mapping,
                   store::WritebackOutbox* outbox);

  grpc::ServerUnaryReactor* GetActiveMapping(
      grpc::CallbackServerContext* context,
      const cse::v1::GetActiveMappingRequest* request,
      cse::v1::GetActiveMappingResponse* response) override;
  grpc::ServerUnaryReactor* ValidateMapping(
      grpc::CallbackServerContext* context,
      const cse::v1::ValidateMappingRequest* request,
      cse::v1::ValidateMappingResponse* response) override;
  grpc::ServerUnaryReactor* ApplyMapping(
      grpc::CallbackServerContext* context,
      const cse::v1::ApplyMappingRequest* request,
      cse::v1::ApplyMappingResponse* response) override;
  grpc::ServerUnaryReactor* ListMappingVersions(
      grpc::CallbackServerContext* context,
      const cse::v1::ListMappingVersionsRequest* request,
      cse::v1::ListMappingVersionsResponse* response) override;
  grpc::ServerUnaryReactor* ListDeadLetters(
      grpc::CallbackServerContext* context,
      const cse::v1::ListDeadLettersRequest* request,
      cse::v1::ListDeadLettersResponse* response) override;
  grpc::ServerUnaryReactor* RetryDeadLetter(
      grpc::CallbackServerContext* context,
      const cse::v1::RetryDeadLetterRequest* request,
      cse::v1::RetryDeadLetterResponse* response) override;

  // The handlers without the transport. `origin_detail` is recorded with
  // the applied version (the peer's address for RPCs).
  absl::Status HandleGetActiveMapping(
      cse::v1::GetActiveMappingResponse* response);
  absl::Status HandleValidateMapping(
      const cse::v1::ValidateMappingRequest& request,
      cse::v1::ValidateMappingResponse* response);
  absl::Status HandleApplyMapping(const cse::v1::ApplyMappingRequest& request,
                                  const std::string& origin_detail,
                                  cse::v1::ApplyMappingResponse* response);
  absl::Status HandleListMappingVersions(
      cse::v1::ListMappingVersionsResponse* response);
  // Errors: INVALID_ARGUMENT naming the field; RetryDeadLetter NOT_FOUND for
  // an unknown job, FAILED_PRECONDITION for one that is not a dead letter;
  // UNAVAILABLE when the store fails.
  absl::Status HandleListDeadLetters(
      const cse::v1::ListDeadLettersRequest& request,
      cse::v1::ListDeadLettersResponse* response);
  absl::Status HandleRetryDeadLetter(
      const cse::v1::RetryDeadLetterRequest& request,
      cse::v1::RetryDeadLetterResponse* response);

 private:
  mapping::ActiveMapping* const mapping_;
  store::WritebackOutbox* const outbox_;
  const std::shared_ptr<spdlog::logger> log_;
};

}  // namespace cse::server

#endif  // CSE_SIDECAR_SERVER_ADMIN_SERVICE_H_
