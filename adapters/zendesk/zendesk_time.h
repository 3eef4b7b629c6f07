// Times as Zendesk writes them.
#ifndef CSE_ADAPTERS_ZENDESK_ZENDESK_TIME_H_
#define CSE_ADAPTERS_ZENDESK_ZENDESK_TIME_H_

#include <optional>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cse::adapters::zendesk {

// Parses the ISO 8601 forms Zendesk sends: RFC 3339 with or without
// fractional seconds ("2025-01-08T10:12:07.672717030Z", the event
// subscriptions' `time`; "2021-03-25T05:09:27Z", the signature timestamp)
// and the minute-precision form of the *_with_timestamp placeholders
// ("2013-12-12T05:35Z"). nullopt otherwise.
std::optional<absl::Time> ParseZendeskTime(absl::string_view text);

}  // namespace cse::adapters::zendesk

#endif  // CSE_ADAPTERS_ZENDESK_ZENDESK_TIME_H_
