// The mapping config compiled for matching: ids resolved to indices, every
// text pattern in one RE2::Set so an event's text is scanned once, field
// values pre-normalised.
//
// A CompiledMapping is immutable and shared (std::shared_ptr<const>): a hot
// reload builds a new one and swaps the pointer, while in-flight assessments
// finish on the one they started with.
#ifndef CSE_SIDECAR_ENGINE_COMPILED_MAPPING_H_
#define CSE_SIDECAR_ENGINE_COMPILED_MAPPING_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cse/config/v1/mapping.pb.h"
#include "re2/re2.h"
#include "re2/set.h"
#include "sidecar/engine/assessment.h"
#include "sidecar/engine/event_view.h"

namespace cse::engine {

class CompiledMappingBuilder;

// Where a text pattern belongs.
enum class PatternOwner { kPhaseSignal, kCriticalEvent, kAntiPattern };

struct CompiledPattern {
  std::string id;
  std::string source;  // the RE2 text, for explain output
  std::unique_ptr<RE2> re;
  double weight = 1;
  uint8_t field_mask = 0xFF;  // bit i = TextField i allowed
  PatternOwner owner = PatternOwner::kPhaseSignal;
  int owner_index = -1;
  // The pattern may use ^, $, \A or \z, whose meaning depends on the text
  // around a field: the scan then confirms a field's match against the
  // whole document (see text_scan.cc).
  bool uses_text_anchors = false;
};

// The structured fields a FieldMatch can name.
enum class FieldPath {
  kSource,
  kEvent,
  kKind,
  kStatus,
  kPriority,
  kType,
  kChannel,
  kTags,
  kCustomField,
  kRequesterRole,
  kMeetingType,
  kDealStage,
  kAccountSegment,
};

struct CompiledFieldMatch {
  FieldPath path = FieldPath::kSource;
  std::string custom_key;           // for kCustomField
  std::string display;              // "custom_fields.dealstage"
  std::vector<std::string> any_of;  // normalised
  std::unique_ptr<RE2> pattern;     // or this
};

struct CompiledCondition {
  std::vector<CompiledFieldMatch> fields;
  uint32_t min_reopen_count = 0;
  bool require_sla_breached = false;
  double max_satisfaction_ratio = 0;
  double min_satisfaction_ratio = 0;
  bool require_key_attendee_absent = false;
  std::vector<std::string> priorities;  // normalised
  std::string display;                  // human summary
};

struct CompiledPhase {
  std::string id;
  std::string name;
  std::string description;
  uint32_t number = 0;         // 1-based
  std::vector<double> priors;  // by practice index
  Engagement default_engagement = Engagement::kReactive;
  // Derived from the above once, so an assessment does not rebuild them:
  std::string tag;            // "<prefix>-phase-<n>-<id slug>", final
  std::string in_lower_name;  // " in <name lower-cased>" (rationales)
};

struct CompiledFieldRule {
  std::string id;
  std::string description;
  int phase = -1;
  int priority = 0;
  // > 0: a hint that adds to the phase's text score instead of deciding.
  double hint_weight = 0;
  CompiledCondition when;
};

struct CompiledDetector {
  std::string id;
  std::string name;
  std::string description;
  Polarity polarity = Polarity::kNegative;
  std::vector<int> patterns;  // into patterns()
  std::vector<CompiledCondition> conditions;
  bool require_text_and_condition = false;
  std::vector<int> phases;       // empty: any
  std::vector<double> affinity;  // by practice index
  std::string tag;               // "<prefix>-event-<id slug>", final
  std::string lower_name;        // name lower-cased (rationales)
};

struct CompiledPractice {
  std::string id;
  std::string name;
  std::string description;
  std::string action_hint;
};

struct CompiledPlaybook {
  std::string id;
  int practice = -1;
  std::string name;
  std::string url;
  std::vector<int> phases;     // empty: any
  std::vector<int> detectors;  // empty: any
  std::string routine;         // "; follow the \"<name>\" playbook"
};

struct CompiledAntiPattern {
  std::string id;
  std::string name;
  std::string advice;
  std::vector<int> requires_detectors;
  std::vector<int> phases;
  std::vector<int> patterns;
  std::vector<CompiledCondition> conditions;
  std::string tag;  // "<prefix>-warning-<id slug>", final
};

// suggestions.outcome_learning with its defaults filled in (mapping.proto
// documents each).
struct OutcomeLearningParams {
  double prior_strength = 10;
  double neutral_success_rate = 0.5;
  uint32_t min_outcomes = 5;
  double max_factor = 2;
};

class CompiledMapping {
 public:
  // Compiles a config. The config should have passed the config module's
  // validator; Compile still refuses what it cannot resolve (unknown ids,
  // invalid RE2) with INVALID_ARGUMENT naming the field path.
  static absl::StatusOr<std::shared_ptr<const CompiledMapping>> Compile(
      const cse::config::v1::MappingConfig& config, std::string version);

  const std::string& version() const { return version_; }
  const std::string& model_name() const { return model_name_; }
  const std::vector<CompiledPhase>& phases() const { return phases_; }
  const std::vector<CompiledPattern>& patterns() const { return patterns_; }
  const std::vector<CompiledFieldRule>& field_rules() const {
    return field_rules_;
  }
  const std::vector<CompiledDetector>& detectors() const { return detectors_; }
  const std::vector<CompiledPractice>& practices() const { return practices_; }
  const std::vector<CompiledPlaybook>& playbooks() const { return playbooks_; }
  const std::vector<CompiledAntiPattern>& anti_patterns() const {
    return anti_patterns_;
  }
  // Signal pattern indices per phase.
  const std::vector<std::vector<int>>& phase_signals() const {
    return phase_signals_;
  }
  const RE2::Set& pattern_set() const { return *pattern_set_; }

  const std::string& tag_prefix() const { return tag_prefix_; }
  bool tag_practices() const { return tag_practices_; }
  uint32_t default_top_n() const { return default_top_n_; }
  double default_prior() const { return default_prior_; }
  double routine_factor() const { return routine_factor_; }
  const OutcomeLearningParams& outcome_learning() const {
    return outcome_learning_;
  }
  uint32_t max_note_bytes() const { return max_note_bytes_; }
  uint32_t max_text_bytes() const { return max_text_bytes_; }
  // Tags that depend only on the prefix, final (see tag_vocabulary.h).
  const std::string& phase_unknown_tag() const { return phase_unknown_tag_; }
  const std::string& restore_tag() const { return restore_tag_; }
  const std::string& bolster_tag() const { return bolster_tag_; }

  // Index of the phase with this id, or -1.
  int FindPhase(absl::string_view id) const;

 private:
  friend class CompiledMappingBuilder;
  CompiledMapping() = default;

  std::string version_;
  std::string model_name_;
  std::vector<CompiledPhase> phases_;
  std::vector<CompiledPattern> patterns_;
  std::vector<std::vector<int>> phase_signals_;
  std::vector<CompiledFieldRule> field_rules_;
  std::vector<CompiledDetector> detectors_;
  std::vector<CompiledPractice> practices_;
  std::vector<CompiledPlaybook> playbooks_;
  std::vector<CompiledAntiPattern> anti_patterns_;
  std::unique_ptr<RE2::Set> pattern_set_;
  std::string tag_prefix_ = "cse";
  bool tag_practices_ = false;
  uint32_t default_top_n_ = 3;
  double default_prior_ = 0.5;
  double routine_factor_ = 1.2;
  OutcomeLearningParams outcome_learning_;
  uint32_t max_note_bytes_ = 1500;
  uint32_t max_text_bytes_ = 65536;
  std::string phase_unknown_tag_;
  std::string restore_tag_;
  std::string bolster_tag_;
};

}  // namespace cse::engine

#endif  // CSE_SIDECAR_ENGINE_COMPILED_MAPPING_H_
