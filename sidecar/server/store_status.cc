#include "sidecar/server/store_status.h"

#include "absl/strings/str_cat.h"

namespace cse::server {

absl::Status StoreError(absl::string_view what, const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
      return status;
    default:
      return absl::UnavailableError(
          absl::StrCat("journey store: ", what, ": ", status.message()));
  }
}

}  // namespace cse::server
