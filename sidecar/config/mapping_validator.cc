#include "sidecar/config/mapping_validator.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "re2/re2.h"

namespace cse::config {
namespace {

namespace cfg = ::cse::config::v1;

// The FieldMatch.field paths the engine knows (mapping.proto), besides
// `custom_fields.<key>`.
constexpr absl::string_view kFieldMatchPaths[] = {
    "source",         "event",        "kind",       "status",
    "priority",       "type",         "channel",    "tags",
    "requester.role", "meeting_type", "deal_stage", "account.segment"};
constexpr absl::string_view kCustomFieldPrefix = "custom_fields.";

// Longest id list quoted in an "expected one of" message.
constexpr size_t kMaxListedIds = 15;
// Longest version label.
constexpr size_t kMaxVersionLabelLength = 64;

// Same options as the engine (sidecar/engine/compiled_mapping.cc), so a
// pattern that passes here compiles there.
RE2::Options PatternOptions() {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_case_sensitive(true);
  options.set_log_errors(false);
  return options;
}

bool IsLowerSnakeCase(absl::string_view id) {
  if (id.empty() || !absl::ascii_islower(static_cast<unsigned char>(id[0]))) {
    return false;
  }
  char previous = 0;
  for (char c : id) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '_') {
      if (previous == '_') return false;
    } else if (!absl::ascii_islower(u) && !absl::ascii_isdigit(u)) {
      return false;
    }
    previous = c;
  }
  return previous != '_';
}

bool IsKnownFieldMatchPath(absl::string_view field) {
  if (absl::StartsWith(field, kCustomFieldPrefix)) {
    return field.size() > kCustomFieldPrefix.size();
  }
  return std::find(std::begin(kFieldMatchPaths), std::end(kFieldMatchPaths),
                   field) != std::end(kFieldMatchPaths);
}

// Map entries in key order: protobuf maps iterate in no stable order, and
// the error list should not change from run to run.
template <typename Map>
std::vector<std::pair<std::string, double>> SortedEntries(const Map& map) {
  std::vector<std::pair<std::string, double>> entries(map.begin(), map.end());
  std::sort(entries.begin(), entries.end());
  return entries;
}

// The ids of one kind, with the path where each was first defined.
class IdIndex {
 public:
  explicit IdIndex(std::string kind) : kind_(std::move(kind)) {}

  const std::string& kind() const { return kind_; }

  void Add(const std::string& id, std::string path) {
    if (id.empty()) return;
    if (first_.emplace(id, std::move(path)).second) order_.push_back(id);
  }

  bool Contains(const std::string& id) const { return first_.contains(id); }

  // Where `id` was first defined; empty when it was not.
  std::string FirstPath(const std::string& id) const {
    auto it = first_.find(id);
    return it == first_.end() ? std::string() : it->second;
  }

  // "a, b, c" for "expected one of" messages.
  std::string Listing() const {
    if (order_.size() <= kMaxListedIds) return absl::StrJoin(order_, ", ");
    return absl::StrCat(
        absl::StrJoin(order_.begin(), order_.begin() + kMaxListedIds, ", "),
        ", ...");
  }

  bool empty() const { return order_.empty(); }

 private:
  std::string kind_;
  absl::flat_hash_map<std::string, std::string> first_;
  std::vector<std::string> order_;
};

class MappingValidator {
 public:
  explicit MappingValidator(const cfg::MappingConfig& config)
      : config_(config) {}

  std::vector<ConfigError> Run() && {
    IndexIds();
    CheckVersion();
    CheckPhaseModel();
    CheckFieldRules();
    CheckCriticalEvents();
    CheckPractices();
    CheckPlaybooks();
    CheckAntiPatterns();
    CheckTagging();
    CheckSuggestions();
    return std::move(errors_);
  }

 private:
  // First pass: every id with where it is defined, so references may point
  // forward and duplicates can name the first definition.
  void IndexIds() {
    const auto& phases = config_.phase_model().phases();
    for (int i = 0; i < phases.size(); ++i) {
      const std::string path = absl::StrCat("phase_model.phases[", i, "]");
      phases_.Add(phases[i].id(), path);
      for (int k = 0; k < phases[i].signals_size(); ++k) {
        patterns_.Add(phases[i].signals(k).id(),
                      absl::StrCat(path, ".signals[", k, "]"));
      }
    }
    for (int i = 0; i < config_.field_rules_size(); ++i) {
      field_rules_.Add(config_.field_rules(i).id(),
                       absl::StrCat("field_rules[", i, "]"));
    }
    for (int i = 0; i < config_.critical_events_size(); ++i) {
      const auto& event = config_.critical_events(i);
      const std::string path = absl::StrCat("critical_events[", i, "]");
      critical_events_.Add(event.id(), path);
      for (int k = 0; k < event.patterns_size(); ++k) {
        patterns_.Add(event.patterns(k).id(),
                      absl::StrCat(path, ".patterns[", k, "]"));
      }
    }
    for (int i = 0; i < config_.practices_size(); ++i) {
      practices_.Add(config_.practices(i).id(),
                     absl::StrCat("practices[", i, "]"));
    }
    for (int i = 0; i < config_.playbooks_size(); ++i) {
      playbooks_.Add(config_.playbooks(i).id(),
                     absl::StrCat("playbooks[", i, "]"));
    }
    for (int i = 0; i < config_.anti_patterns_size(); ++i) {
      const auto& anti = config_.anti_patterns(i);
      const std::string path = absl::StrCat("anti_patterns[", i, "]");
      anti_patterns_.Add(anti.id(), path);
      for (int k = 0; k < anti.patterns_size(); ++k) {
        patterns_.Add(anti.patterns(k).id(),
                      absl::StrCat(path, ".patterns[", k, "]"));
      }
    }
  }

  void CheckVersion() {
    const std::string& label = config_.version();
    if (label.size() > kMaxVersionLabelLength) {
      Error("version", absl::StrCat("the version label is longer than ",
                                    kMaxVersionLabelLength, " characters"));
    }
    for (char c : label) {
      const auto u = static_cast<unsigned char>(c);
      if (c == '@' || absl::ascii_isspace(u) || absl::ascii_iscntrl(u)) {
        Error("version",
              "the version label may not contain '@', white space or control "
              "characters (the sidecar reports it as <label>@<hash>)");
        break;
      }
    }
  }

  void CheckPhaseModel() {
    if (!config_.has_phase_model()) {
      Error("phase_model", "a phase model with at least one phase is required");
      return;
    }
    const auto& phases = config_.phase_model().phases();
    if (phases.empty()) {
      Error("phase_model.phases",
            "the phase model has no phases; at least one is required");
    }
    for (int i = 0; i < phases.size(); ++i) {
      const cfg::Phase& phase = phases[i];
      const std::string path = absl::StrCat("phase_model.phases[", i, "]");
      if (CheckId(phases_, phase.id(), path) && !IsLowerSnakeCase(phase.id())) {
        Error(path + ".id", LowerSnakeCaseMessage("phase", phase.id()));
      }
      for (int k = 0; k < phase.signals_size(); ++k) {
        CheckTextPattern(phase.signals(k),
                         absl::StrCat(path, ".signals[", k, "]"));
      }
      for (const auto& [practice, prior] :
           SortedEntries(phase.practice_priors())) {
        const std::string entry =
            absl::StrCat(path, ".practice_priors.", practice);
        CheckReference(practices_, practice, entry);
        if (!std::isfinite(prior) || prior < 0) {
          Error(entry, absl::StrCat("a prior must be >= 0, got ", prior));
        }
      }
      if (!cfg::Engagement_IsValid(phase.default_engagement())) {
        Error(path + ".default_engagement",
              absl::StrCat("unknown engagement ", phase.default_engagement()));
      }
    }
  }

  void CheckFieldRules() {
    for (int i = 0; i < config_.field_rules_size(); ++i) {
      const cfg::FieldRule& rule = config_.field_rules(i);
      const std::string path = absl::StrCat("field_rules[", i, "]");
      CheckId(field_rules_, rule.id(), path);
      if (rule.phase().empty()) {
        Error(path + ".phase", "phase is required");
      } else {
        CheckReference(phases_, rule.phase(), path + ".phase");
      }
      if (CountConditionParts(rule.when()) == 0) {
        Error(path + ".when",
              "a field rule needs at least one condition part (fields, "
              "min_reopen_count, require_sla_breached, "
              "max_satisfaction_ratio, min_satisfaction_ratio, "
              "require_key_attendee_absent or priorities)");
      } else {
        CheckCondition(rule.when(), path + ".when");
      }
      if (!std::isfinite(rule.hint_weight()) || rule.hint_weight() < 0) {
        Error(path + ".hint_weight", "must be a finite number >= 0");
      }
    }
  }

  void CheckCriticalEvents() {
    for (int i = 0; i < config_.critical_events_size(); ++i) {
      const cfg::CriticalEventDefinition& event = config_.critical_events(i);
      const std::string path = absl::StrCat("critical_events[", i, "]");
      if (CheckId(critical_events_, event.id(), path) &&
          !IsLowerSnakeCase(event.id())) {
        Error(path + ".id",
              LowerSnakeCaseMessage("critical event", event.id()));
      }
      if (event.polarity() == cfg::POLARITY_UNSPECIFIED) {
        Error(path + ".polarity",
              "polarity is required: negative or opportunity");
      } else if (!cfg::Polarity_IsValid(event.polarity())) {
        Error(path + ".polarity",
              absl::StrCat("unknown polarity ", event.polarity()));
      }
      for (int k = 0; k < event.patterns_size(); ++k) {
        CheckTextPattern(event.patterns(k),
                         absl::StrCat(path, ".patterns[", k, "]"));
      }
      CheckConditions(event.conditions(), path + ".conditions");
      if (event.patterns().empty() && event.conditions().empty()) {
        Error(path, "a critical event needs at least one pattern or condition");
      } else if (event.require_text_and_condition() &&
                 (event.patterns().empty() || event.conditions().empty())) {
        Error(path + ".require_text_and_condition",
              "requires a text pattern and a condition, but the event has "
              "only one kind; it could never be detected");
      }
      CheckPhaseList(event.phases(), path + ".phases");
      for (const auto& [practice, affinity] :
           SortedEntries(event.practice_affinity())) {
        const std::string entry =
            absl::StrCat(path, ".practice_affinity.", practice);
        CheckReference(practices_, practice, entry);
        if (!std::isfinite(affinity) || affinity < 0) {
          Error(entry,
                absl::StrCat("an affinity must be >= 0, got ", affinity));
        }
      }
    }
  }

  void CheckPractices() {
    if (config_.practices().empty()) {
      Error("practices", "at least one practice is required");
    }
    for (int i = 0; i < config_.practices_size(); ++i) {
      CheckId(practices_, config_.practices(i).id(),
              absl::StrCat("practices[", i, "]"));
    }
  }

  void CheckPlaybooks() {
    for (int i = 0; i < config_.playbooks_size(); ++i) {
      const cfg::Playbook& playbook = config_.playbooks(i);
      const std::string path = absl::StrCat("playbooks[", i, "]");
      CheckId(playbooks_, playbook.id(), path);
      if (playbook.practice().empty()) {
        Error(path + ".practice", "practice is required");
      } else {
        CheckReference(practices_, playbook.practice(), path + ".practice");
      }
      CheckPhaseList(playbook.phases(), path + ".phases");
      CheckEventList(playbook.critical_events(), path + ".critical_events");
    }
  }

  void CheckAntiPatterns() {
    for (int i = 0; i < config_.anti_patterns_size(); ++i) {
      const cfg::AntiPattern& anti = config_.anti_patterns(i);
      const std::string path = absl::StrCat("anti_patterns[", i, "]");
      CheckId(anti_patterns_, anti.id(), path);
      CheckEventList(anti.requires_events(), path + ".requires_events");
      CheckPhaseList(anti.phases(), path + ".phases");
      for (int k = 0; k < anti.patterns_size(); ++k) {
        CheckTextPattern(anti.patterns(k),
                         absl::StrCat(path, ".patterns[", k, "]"));
      }
      CheckConditions(anti.conditions(), path + ".conditions");
      if (anti.requires_events().empty() && anti.patterns().empty() &&
          anti.conditions().empty()) {
        Error(path,
              "an anti-pattern needs requires_events, patterns or "
              "conditions; as written it would warn on every event");
      }
    }
  }

  void CheckTagging() {
    const std::string& prefix = config_.tagging().prefix();
    if (prefix.size() > kMaxTagPrefixLength) {
      Error("tagging.prefix",
            absl::StrCat("the tag prefix is ", prefix.size(),
                         " characters; at most ", kMaxTagPrefixLength));
    }
    for (char c : prefix) {
      const auto u = static_cast<unsigned char>(c);
      if (!absl::ascii_islower(u) && !absl::ascii_isdigit(u) && c != '-') {
        Error("tagging.prefix",
              absl::StrCat("the tag prefix '", prefix,
                           "' may hold only lower-case letters, digits and "
                           "'-'"));
        break;
      }
    }
  }

  void CheckSuggestions() {
    const cfg::Suggestions& s = config_.suggestions();
    if (s.top_n() > kMaxTopN) {
      Error("suggestions.top_n", absl::StrCat("top_n must be at most ",
                                              kMaxTopN, ", got ", s.top_n()));
    }
    if (!std::isfinite(s.default_prior()) || s.default_prior() < 0) {
      Error(
          "suggestions.default_prior",
          absl::StrCat("default_prior must be >= 0, got ", s.default_prior()));
    }
    if (!std::isfinite(s.routine_factor()) || s.routine_factor() < 0) {
      Error("suggestions.routine_factor",
            absl::StrCat("routine_factor must be > 0 (0 or unset means the "
                         "default), got ",
                         s.routine_factor()));
    }
    CheckOutcomeLearning(s.outcome_learning());
  }

  // 0 (unset) means the default for every field (mapping.proto).
  void CheckOutcomeLearning(const cfg::OutcomeLearning& l) {
    const std::string path = "suggestions.outcome_learning";
    const double k = l.prior_strength();
    if (!std::isfinite(k) || k < 0 || k > kMaxOutcomePriorStrength) {
      Error(path + ".prior_strength",
            absl::StrCat("prior_strength must be > 0 and at most ",
                         kMaxOutcomePriorStrength,
                         " (0 or unset means the default), got ", k));
    }
    const double p0 = l.neutral_success_rate();
    if (!std::isfinite(p0) || p0 < 0 || p0 >= 1) {
      Error(path + ".neutral_success_rate",
            absl::StrCat("neutral_success_rate must be in (0, 1) (0 or unset "
                         "means the default), got ",
                         p0));
    }
    const double cap = l.max_factor();
    if (!std::isfinite(cap) || (cap != 0 && cap < 1) ||
        cap > kMaxOutcomeFactor) {
      Error(path + ".max_factor",
            absl::StrCat("max_factor must be in [1, ", kMaxOutcomeFactor,
                         "] (0 or unset means the default), got ", cap));
    }
  }

  void CheckTextPattern(const cfg::TextPattern& pattern,
                        const std::string& path) {
    CheckId(patterns_, pattern.id(), path);
    if (pattern.pattern().empty()) {
      Error(path + ".pattern", "pattern is required");
    } else {
      CheckRegex(pattern.pattern(), path + ".pattern");
    }
    if (!std::isfinite(pattern.weight()) || pattern.weight() < 0) {
      Error(path + ".weight",
            absl::StrCat("weight must be > 0 (0 or unset means 1), got ",
                         pattern.weight()));
    }
    for (int k = 0; k < pattern.fields_size(); ++k) {
      const int field = pattern.fields(k);
      if (field == cfg::TEXT_FIELD_UNSPECIFIED ||
          !cfg::TextField_IsValid(field)) {
        Error(absl::StrCat(path, ".fields[", k, "]"),
              "a text field must be one of: subject, body, title, notes, "
              "satisfaction_comment");
      }
    }
  }

  void CheckConditions(
      const google::protobuf::RepeatedPtrField<cfg::EventCondition>& conditions,
      const std::string& path) {
    for (int k = 0; k < conditions.size(); ++k) {
      const std::string item = absl::StrCat(path, "[", k, "]");
      if (CountConditionParts(conditions[k]) == 0) {
        Error(item, "a condition needs at least one part");
      } else {
        CheckCondition(conditions[k], item);
      }
    }
  }

  static int CountConditionParts(const cfg::EventCondition& c) {
    return c.fields_size() + (c.min_reopen_count() > 0 ? 1 : 0) +
           (c.require_sla_breached() ? 1 : 0) +
           (c.max_satisfaction_ratio() != 0 ? 1 : 0) +
           (c.min_satisfaction_ratio() != 0 ? 1 : 0) +
           (c.require_key_attendee_absent() ? 1 : 0) +
           (c.priorities().empty() ? 0 : 1);
  }

  void CheckCondition(const cfg::EventCondition& condition,
                      const std::string& path) {
    for (int k = 0; k < condition.fields_size(); ++k) {
      CheckFieldMatch(condition.fields(k),
                      absl::StrCat(path, ".fields[", k, "]"));
    }
    const double max = condition.max_satisfaction_ratio();
    const double min = condition.min_satisfaction_ratio();
    const bool max_ok = CheckRatio(max, path + ".max_satisfaction_ratio");
    const bool min_ok = CheckRatio(min, path + ".min_satisfaction_ratio");
    if (max_ok && min_ok && max > 0 && min > max) {
      Error(path + ".min_satisfaction_ratio",
            absl::StrCat("min_satisfaction_ratio ", min,
                         " is above max_satisfaction_ratio ", max,
                         "; the condition could never hold"));
    }
    for (int k = 0; k < condition.priorities_size(); ++k) {
      if (condition.priorities(k).empty()) {
        Error(absl::StrCat(path, ".priorities[", k, "]"),
              "an empty priority never matches");
      }
    }
  }

  bool CheckRatio(double ratio, const std::string& path) {
    if (std::isfinite(ratio) && ratio >= 0 && ratio <= 1) return true;
    Error(path, absl::StrCat("a ratio must be in 0..1, got ", ratio));
    return false;
  }

  void CheckFieldMatch(const cfg::FieldMatch& match, const std::string& path) {
    if (match.field().empty()) {
      Error(path + ".field",
            absl::StrCat("field is required; one of: ", FieldMatchChoices()));
    } else if (!IsKnownFieldMatchPath(match.field())) {
      Error(path + ".field",
            absl::StrCat("unknown field '", match.field(),
                         "'; expected one of: ", FieldMatchChoices()));
    }
    const bool has_any_of = !match.any_of().empty();
    const bool has_pattern = !match.pattern().empty();
    if (has_any_of && has_pattern) {
      Error(path, "set exactly one of any_of and pattern, not both");
    } else if (!has_any_of && !has_pattern) {
      Error(path, "set exactly one of any_of and pattern");
    }
    if (has_pattern) CheckRegex(match.pattern(), path + ".pattern");
  }

  static std::string FieldMatchChoices() {
    return absl::StrCat(absl::StrJoin(kFieldMatchPaths, ", "), ", ",
                        kCustomFieldPrefix, "<key>");
  }

  void CheckRegex(const std::string& pattern, const std::string& path) {
    const RE2 re(pattern, PatternOptions());
    if (!re.ok()) {
      Error(path, absl::StrCat("invalid RE2 pattern: ", re.error()));
    }
  }

  void CheckPhaseList(
      const google::protobuf::RepeatedPtrField<std::string>& ids,
      const std::string& path) {
    for (int k = 0; k < ids.size(); ++k) {
      CheckReference(phases_, ids[k], absl::StrCat(path, "[", k, "]"));
    }
  }

  void CheckEventList(
      const google::protobuf::RepeatedPtrField<std::string>& ids,
      const std::string& path) {
    for (int k = 0; k < ids.size(); ++k) {
      CheckReference(critical_events_, ids[k], absl::StrCat(path, "[", k, "]"));
    }
  }

  // Reports a missing or repeated id of the item at `item_path`; true when
  // the id is present and this is its first definition.
  bool CheckId(const IdIndex& index, const std::string& id,
               const std::string& item_path) {
    if (id.empty()) {
      Error(item_path + ".id", absl::StrCat(index.kind(), " id is required"));
      return false;
    }
    const std::string first = index.FirstPath(id);
    if (first != item_path) {
      Error(item_path + ".id", absl::StrCat("duplicate ", index.kind(), " id '",
                                            id, "'; first defined at ", first));
      return false;
    }
    return true;
  }

  void CheckReference(const IdIndex& index, const std::string& id,
                      const std::string& path) {
    if (index.Contains(id)) return;
    if (index.empty()) {
      Error(path, absl::StrCat("unknown ", index.kind(), " id '", id,
                               "'; none are defined"));
      return;
    }
    Error(path, absl::StrCat("unknown ", index.kind(), " id '", id,
                             "'; expected one of: ", index.Listing()));
  }

  static std::string LowerSnakeCaseMessage(absl::string_view kind,
                                           absl::string_view id) {
    return absl::StrCat("the ", kind, " id '", id,
                        "' must be lower snake case (a-z, 0-9 and single "
                        "'_', starting with a letter); tags use it");
  }

  void Error(std::string path, std::string message) {
    errors_.push_back({"", std::move(path), std::move(message)});
  }

  const cfg::MappingConfig& config_;
  IdIndex phases_{"phase"};
  IdIndex field_rules_{"field rule"};
  IdIndex critical_events_{"critical event"};
  IdIndex practices_{"practice"};
  IdIndex playbooks_{"playbook"};
  IdIndex anti_patterns_{"anti-pattern"};
  IdIndex patterns_{"text pattern"};
  std::vector<ConfigError> errors_;
};

}  // namespace

std::vector<ConfigError> ValidateMapping(const cfg::MappingConfig& config) {
  return MappingValidator(config).Run();
}

void LocateErrors(std::vector<ConfigError>* errors, const SourceMap& source_map,
                  absl::string_view filename) {
  if (filename.empty()) return;
  for (ConfigError& error : *errors) {
    if (!error.location.empty()) continue;
    if (auto position = source_map.FindNearest(error.field_path)) {
      error.location =
          absl::StrCat(filename, ":", position->line, ":", position->column);
    } else {
      error.location = std::string(filename);
    }
  }
}

}  // namespace cse::config
