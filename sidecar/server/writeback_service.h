// The WritebackService gRPC service: adapters lease writeback jobs from the
// outbox and acknowledge each with the CRM's answer (writeback_service.proto
// has the protocol). Thin: check the request, call the outbox, convert.
//
// Errors: INVALID_ARGUMENT naming the field; NOT_FOUND for an unknown (or
// erased) job; FAILED_PRECONDITION for an ack whose lease token is not the
// job's current lease; UNAVAILABLE when the store fails.
//
// Example:
//   WritebackServiceImpl writeback(&store);
//   builder.RegisterService(&writeback);
#ifndef CSE_SIDECAR_SERVER_WRITEBACK_SERVICE_H_
#define CSE_SIDECAR_SERVER_WRITEBACK_SERVICE_H_

#include <memory>

#include "absl/status/status.h"
#include "cse/v1/writeback_service.grpc.pb.h"
#include "sidecar/store/writeback_outbox.h"
#include "spdlog/logger.h"

namespace cse::server {

class WritebackServiceImpl final
    : public cse::v1::WritebackService::CallbackService {
 public:
  // `outbox` must outlive the service.
  explicit WritebackServiceImpl(store::WritebackOutbox* outbox);

  grpc::ServerUnaryReactor* LeaseWritebacks(
      grpc::CallbackServerContext* context,
      const cse::v1::LeaseWritebacksRequest* request,
      cse::v1::LeaseWritebacksResponse* response) override;
  grpc::ServerUnaryReactor* AckWriteback(
      grpc::CallbackServerContext* context,
      const cse::v1::AckWritebackRequest* request,
      cse::v1::AckWritebackResponse* response) override;

  // The handlers without the transport.
  absl::Status HandleLeaseWritebacks(
      const cse::v1::LeaseWritebacksRequest& request,
      cse::v1::LeaseWritebacksResponse* response);
  absl::Status HandleAckWriteback(const cse::v1::AckWritebackRequest& request,
                                  cse::v1::AckWritebackResponse* response);

 private:
  store::WritebackOutbox* const outbox_;
  const std::shared_ptr<spdlog::logger> log_;
};

}  // namespace cse::server

#endif  // CSE_SIDECAR_SERVER_WRITEBACK_SERVICE_H_
