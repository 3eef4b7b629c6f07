// What the engine concludes about one event: the domain result, with the
// reasons for every part. The service layer turns it into cse.v1.Assessment.
#ifndef CSE_SIDECAR_ENGINE_ASSESSMENT_H_
#define CSE_SIDECAR_ENGINE_ASSESSMENT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "sidecar/engine/event_view.h"

namespace cse::engine {

// A span of the event's original text.
struct Evidence {
  TextField field = TextField::kBody;
  uint32_t start = 0;  // byte offsets into the original field, [start, end)
  uint32_t end = 0;
  std::string excerpt;
};

enum class ReasonKind { kFieldRule, kTextSignal, kAccountHistory, kCondition };

struct Reason {
  ReasonKind kind = ReasonKind::kTextSignal;
  std::string rule_id;
  std::string description;
  bool has_evidence = false;
  Evidence evidence;
  double weight = 0;
};

struct RuleConflict {
  std::vector<std::string> rule_ids;
  std::vector<std::string> phase_ids;
  std::string resolution;
};

struct PhaseDecision {
  std::string id;  // empty: unknown
  std::string name;
  uint32_t number = 0;  // 1-based; 0 unknown
  double confidence = 0;
  ReasonKind decided_by = ReasonKind::kTextSignal;
  bool decided = false;
  std::vector<Reason> because;
  std::vector<RuleConflict> conflicts;
  std::string previous_phase_id;
};

enum class Polarity { kNegative, kOpportunity };
enum class Organization { kAdHoc, kRegular };
enum class Engagement { kReactive, kProactive };
enum class Effect { kRestore, kBolster };

struct DetectedEvent {
  std::string type;
  std::string name;
  Polarity polarity = Polarity::kNegative;
  std::vector<Evidence> evidence;
  std::vector<Reason> because;
  int definition_index = -1;  // into the compiled mapping
};

struct PracticeSuggestion {
  std::string practice_id;
  std::string practice_name;
  Organization organization = Organization::kAdHoc;
  Engagement engagement = Engagement::kReactive;
  Effect effect = Effect::kRestore;
  double score = 0;
  double phase_prior = 0;
  double event_affinity = 1;
  double routine_factor = 1;
  // From recorded outcomes (see practice_outcomes.h); 1 when none applied.
  double learned_factor = 1;
  uint32_t outcomes_worked = 0;
  uint32_t outcomes_total = 0;
  std::string rationale;
  std::string playbook_name;
  std::string playbook_url;
  std::vector<std::string> addresses_events;
};

struct AntiPatternWarning {
  std::string id;
  std::string name;
  std::string advice;
  std::vector<Evidence> evidence;
  std::vector<Reason> because;
  int definition_index = -1;  // into the compiled mapping
};

enum class TraceOutcome { kFired, kNearMiss };

// One rule that fired or nearly fired (explain mode).
struct RuleTrace {
  std::string rule_type;  // field_rule, phase_signal, critical_event, ...
  std::string rule_id;
  TraceOutcome outcome = TraceOutcome::kFired;
  std::string detail;
  bool has_evidence = false;
  Evidence evidence;
};

struct Assessment {
  PhaseDecision phase;
  std::vector<DetectedEvent> critical_events;
  std::vector<PracticeSuggestion> suggestions;
  std::vector<AntiPatternWarning> anti_patterns;
  std::vector<std::string> tags;
  std::string note_markdown;
  std::string mapping_version;

  // Filled only when explain was requested.
  std::vector<RuleTrace> traces;
  std::vector<PracticeSuggestion> all_practices;
};

}  // namespace cse::engine

#endif  // CSE_SIDECAR_ENGINE_ASSESSMENT_H_
