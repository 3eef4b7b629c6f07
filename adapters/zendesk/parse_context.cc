#include "adapters/zendesk/parse_context.h"

#include <cstdint>

#include "absl/strings/str_cat.h"

namespace cse::adapters::zendesk {

std::string AccountIdForRequester(absl::string_view requester_id) {
  return absl::StrCat("zendesk-user-", requester_id);
}

void SetTimestamp(absl::Time at, google::protobuf::Timestamp* out) {
  const int64_t seconds = absl::ToUnixSeconds(at);
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>((at - absl::FromUnixSeconds(seconds)) /
                                      absl::Nanoseconds(1)));
}

}  // namespace cse::adapters::zendesk
