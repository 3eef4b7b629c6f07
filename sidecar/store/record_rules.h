// Checks and small derivations every backend applies the same way, so that
// the three stores cannot drift apart on them.
#ifndef CSE_SIDECAR_STORE_RECORD_RULES_H_
#define CSE_SIDECAR_STORE_RECORD_RULES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "sidecar/store/journey_records.h"
#include "sidecar/store/outcome_store.h"

namespace cse::store {

// The CRM's unsigned sequence as the stores keep it (signed 64-bit).
int64_t ClampSequence(uint64_t sequence);

// INVALID_ARGUMENT naming the field for an outcome no backend should store.
absl::Status CheckOutcome(const OutcomeRecord& outcome);

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
