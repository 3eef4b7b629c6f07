// The journey engine: assesses one CRM event against a compiled mapping.
//
// Pure domain logic: no gRPC, HTTP or SQL. Thread-safe: many threads may
// assess concurrently against the same (immutable) CompiledMapping.
//
// Example:
//   auto mapping = CompiledMapping::Compile(config, "v1");
//   EventView ev;  ev.text[int(TextField::kBody)] = "Export is down!";
//   absl::StatusOr<Assessment> a = Assess(**mapping, ev, {});
#ifndef CSE_SIDECAR_ENGINE_JOURNEY_ENGINE_H_
#define CSE_SIDECAR_ENGINE_JOURNEY_ENGINE_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sidecar/engine/assessment.h"
#include "sidecar/engine/compiled_mapping.h"
#include "sidecar/engine/event_view.h"
#include "sidecar/engine/practice_outcomes.h"

namespace cse::engine {

// The most suggestions one assessment returns.
inline constexpr uint32_t kMaxTopN = 10;

struct AssessOptions {
  // Suggestions to return; 0 = the mapping's default; clamped to kMaxTopN.
  uint32_t top_n = 0;
  // Fill Assessment::traces and Assessment::all_practices.
  bool explain = false;
  // The account's last known phase (layer c), possibly empty.
  absl::string_view last_known_phase_id;
  // The team's recorded outcomes, blended into the ranking (see
  // practice_outcomes.h); null or empty: the documented ranking alone.
  // Not owned; must outlive the call.
  const PracticeOutcomeStats* outcome_stats = nullptr;
};

// Errors: INVALID_ARGUMENT naming the text field for invalid UTF-8 or text
// over the mapping's size limit ("body: 70000 bytes exceeds the limit of
// 65536"); RESOURCE_EXHAUSTED if the matcher ran out of memory.
absl::StatusOr<Assessment> Assess(const CompiledMapping& mapping,
                                  const EventView& event,
                                  const AssessOptions& options);

}  // namespace cse::engine

#endif  // CSE_SIDECAR_ENGINE_JOURNEY_ENGINE_H_
