#include "adapters/zendesk/parse_context.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/common/outcome_tag.h"

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

void AppendOutcomeTags(const cse::v1::TicketEvent& event,
                       absl::string_view recorded_by, CanonicalEvents* out) {
  if (event.tags().empty()) return;
  OutcomeTagSource where;
  where.account_id = event.account().id();
  where.source = event.source();
  where.object_key = absl::StrCat("ticket/", event.ticket_id());
  if (event.has_occurred_at()) {
    // The update's time, as the event of the same update has it, so the
    // suggestion made for that update can be followed.
    where.occurred_at = absl::FromUnixSeconds(event.occurred_at().seconds()) +
                        absl::Nanoseconds(event.occurred_at().nanos());
  }
  where.recorded_by = std::string(recorded_by);
  const std::vector<std::string> tags(event.tags().begin(), event.tags().end());
  for (cse::v1::RecordOutcomeRequest& outcome :
       OutcomesFromTags(where, tags, &out->warnings)) {
    out->outcomes.push_back(std::move(outcome));
  }
}

}  // namespace cse::adapters::zendesk
