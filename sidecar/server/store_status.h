// What a journey-store error means to an RPC's caller, decided in one place.
//
// A store answers some requests with a verdict on the request itself
// (NOT_FOUND for an unknown job or account, FAILED_PRECONDITION for a stale
// lease token or a job that is not a dead letter, INVALID_ARGUMENT for a
// record it cannot hold, ALREADY_EXISTS, ABORTED): those reach the caller as
// they are. Anything else is the store failing (a lost connection, a full
// disk, a bug): the caller cannot fix it by changing the request, so it gets
// a retryable UNAVAILABLE naming the operation.
//
// Example:
//   auto jobs = outbox->LeaseWritebacks(*lease);
//   if (!jobs.ok()) return StoreError("lease", jobs.status());
#ifndef CSE_SIDECAR_SERVER_STORE_STATUS_H_
#define CSE_SIDECAR_SERVER_STORE_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace cse::server {

absl::Status StoreError(absl::string_view what, const absl::Status& status);

}  // namespace cse::server

#endif  // CSE_SIDECAR_SERVER_STORE_STATUS_H_
