// The one conversion between absl::Status and grpc::Status.
//
// Every internal boundary returns absl::Status; the gRPC services convert at
// the edge with ToGrpcStatus() and nowhere else, so the code mapping lives in
// one place. The canonical codes have the same numbers in both libraries;
// the message is kept as it is (payloads are dropped: the API promises only
// code and message).
//
// Example:
//   reactor->Finish(ToGrpcStatus(HandleIngest(request, response)));
#ifndef CSE_SIDECAR_SERVER_GRPC_STATUS_H_
#define CSE_SIDECAR_SERVER_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace cse::server {

grpc::Status ToGrpcStatus(const absl::Status& status);

// The reverse, for gRPC clients (the adapter process calling the sidecar).
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace cse::server

#endif  // CSE_SIDECAR_SERVER_GRPC_STATUS_H_
