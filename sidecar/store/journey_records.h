// Plain domain records the journey-memory interfaces share: what an
// assessment recognised (critical events, suggestions) and how a practice
// was performed. No proto or SQL types: the service layer converts.
//
// The enum values equal the cse.v1 enums' numbers (assessment.proto,
// outcomes.proto), so converting is a cast; the stores persist the numbers.
#ifndef CSE_SIDECAR_STORE_JOURNEY_RECORDS_H_
#define CSE_SIDECAR_STORE_JOURNEY_RECORDS_H_

#include <string>

#include "absl/time/time.h"

namespace cse::store {

// cse.v1.Polarity.
enum class Polarity { kUnspecified = 0, kNegative = 1, kOpportunity = 2 };

// cse.v1.ModeOfOrganization.
enum class Organization { kUnspecified = 0, kAdHoc = 1, kRegular = 2 };

// cse.v1.ModeOfEngagement.
enum class Engagement { kUnspecified = 0, kReactive = 1, kProactive = 2 };

// cse.v1.Effect.
enum class Effect { kUnspecified = 0, kRestore = 1, kBolster = 2 };

// cse.v1.ReasonKind: which layer decided an event's phase.
enum class PhaseDecidedBy {
  kUnspecified = 0,
  kFieldRule = 1,
  kTextSignal = 2,
  kAccountHistory = 3,
  kCondition = 4,
};

// cse.v1.CustomerReaction.
enum class CustomerReaction {
  kUnspecified = 0,
  kRestored = 1,
  kBolstered = 2,
  kNoChange = 3,
  kWorsened = 4,
};

// A critical event an assessment recognised.
struct CriticalEventRecord {
  // Detector id, e.g. "breakdown".
  std::string type;
  Polarity polarity = Polarity::kUnspecified;
};

// One ranked practice suggestion of an assessment.
struct SuggestionRecord {
  std::string practice_id;
  Organization organization = Organization::kUnspecified;
  Engagement engagement = Engagement::kUnspecified;
  Effect effect = Effect::kUnspecified;
  double score = 0;
};

}  // namespace cse::store

#endif  // CSE_SIDECAR_STORE_JOURNEY_RECORDS_H_
