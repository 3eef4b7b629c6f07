// The AdminService gRPC service: inspect, validate, apply and list mapping
// versions.
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
  // `mapping` must outlive the service.
  explicit AdminServiceImpl(mapping::ActiveMapping* mapping);

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

 private:
  mapping::ActiveMapping* const mapping_;
  const std::shared_ptr<spdlog::logger> log_;
};

}  // namespace cse::server

#endif  // CSE_SIDECAR_SERVER_ADMIN_SERVICE_H_
