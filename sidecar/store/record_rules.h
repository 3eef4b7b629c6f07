// Checks and small derivations every backend applies the same way, so that
// the three stores cannot drift apart on them.
#ifndef CSE_SIDECAR_STORE_RECORD_RULES_H_
#define CSE_SIDECAR_STORE_RECORD_RULES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "sidecar/store/journey_records.h"
#include "sidecar/store/outcome_store.h"

namespace cse::store {

// The CRM's unsigned sequence as the stores keep it (signed 64-bit).
int64_t ClampSequence(uint64_t sequence);

// INVALID_ARGUMENT naming the field for an outcome no backend should store.
absl::Status CheckOutcome(const OutcomeRecord& outcome);

// Where the followed event suggested the outcome's practice, if it did.
struct SuggestedMode {
  Organization organization = Organization::kUnspecified;
  Engagement engagement = Engagement::kUnspecified;
};

// The position `practice_id` has among `suggestions`, if it is there.
std::optional<SuggestedMode> FindSuggestedMode(
    const std::vector<SuggestionRecord>& suggestions,
    absl::string_view practice_id);

// Fills an unspecified organization / engagement of `o` from `suggested`;
// INVALID_ARGUMENT naming the field when one stays unspecified.
absl::Status FillSuggestedMode(const std::optional<SuggestedMode>& suggested,
                               OutcomeRecord* o);

// "out-" and 128 random bits in hex.
std::string NewOutcomeId();

// The critical event an outcome for that event answers by default: the
// first negative one, else the first, else none ("").
std::string DefaultCriticalEventType(
    const std::vector<CriticalEventRecord>& events);

// Distinct values, most frequent first, ties by value.
std::vector<std::string> ByFrequency(const std::vector<std::string>& values);

}  // namespace cse::store

#endif  // CSE_SIDECAR_STORE_RECORD_RULES_H_
