#include "sidecar/engine/compiled_mapping.h"

#include <cmath>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "sidecar/engine/tag_vocabulary.h"
#include "sidecar/engine/text_normalizer.h"

namespace cse::engine {
namespace {

namespace cfg = ::cse::config::v1;

// Literal DFA memory for the one-pass set: a few hundred alternations need
// more than RE2's 8 MiB default, or RE2 falls back to slower matching.
constexpr int64_t kSetMaxMem = 64 << 20;

RE2::Options PatternOptions() {
  RE2::Options o;
  o.set_encoding(RE2::Options::EncodingUTF8);
  o.set_log_errors(false);
  o.set_case_sensitive(true);  // text is already lower-cased
  return o;
}

absl::Status Invalid(absl::string_view path, absl::string_view msg) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", msg));
}

// Field paths accepted by FieldMatch.field (see mapping.proto).
absl::StatusOr<FieldPath> ParseFieldPath(absl::string_view f,
                                         std::string* custom_key) {
  static const auto* kPaths = new absl::flat_hash_map<std::string, FieldPath>{
      {"source", FieldPath::kSource},
      {"event", FieldPath::kEvent},
      {"kind", FieldPath::kKind},
      {"status", FieldPath::kStatus},
      {"priority", FieldPath::kPriority},
      {"type", FieldPath::kType},
      {"channel", FieldPath::kChannel},
      {"tags", FieldPath::kTags},
      {"requester.role", FieldPath::kRequesterRole},
      {"meeting_type", FieldPath::kMeetingType},
      {"deal_stage", FieldPath::kDealStage},
      {"account.segment", FieldPath::kAccountSegment},
  };
  constexpr absl::string_view kCustom = "custom_fields.";
  if (f.substr(0, kCustom.size()) == kCustom && f.size() > kCustom.size()) {
    *custom_key = std::string(f.substr(kCustom.size()));
    return FieldPath::kCustomField;
  }
  auto it = kPaths->find(f);
  if (it == kPaths->end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown field \"", f, "\""));
  }
  return it->second;
}

}  // namespace

// Builds the compiled form step by step; friend of CompiledMapping.
class CompiledMappingBuilder {
 public:
  CompiledMappingBuilder(const cfg::MappingConfig& config, CompiledMapping* m)
      : config_(config), m_(m) {}

  absl::Status Build() {
    const auto& model = config_.phase_model();
    m_->model_name_ = model.name().empty() ? model.id() : model.name();
    if (model.phases().empty()) {
      return Invalid("phase_model.phases", "the phase model has no phases");
    }
    for (int i = 0; i < config_.practices_size(); ++i) {
      const auto& p = config_.practices(i);
      if (!practice_index_.emplace(p.id(), i).second) {
        return Invalid(absl::StrCat("practices[", i, "].id"),
                       absl::StrCat("duplicate practice id \"", p.id(), "\""));
      }
      m_->practices_.push_back(
          {p.id(), p.name(), p.description(), p.action_hint()});
    }
    if (m_->practices_.empty()) {
      return Invalid("practices", "at least one practice is required");
    }
    for (int i = 0; i < model.phases_size(); ++i) {
      if (!phase_index_.emplace(model.phases(i).id(), i).second) {
        return Invalid(absl::StrCat("phase_model.phases[", i, "].id"),
                       "duplicate phase id");
      }
    }
    for (int i = 0; i < config_.critical_events_size(); ++i) {
      if (!detector_index_.emplace(config_.critical_events(i).id(), i).second) {
        return Invalid(absl::StrCat("critical_events[", i, "].id"),
                       "duplicate critical event id");
      }
    }
    const auto& sug = config_.suggestions();
    if (sug.default_prior() > 0) m_->default_prior_ = sug.default_prior();
    if (sug.routine_factor() > 0) m_->routine_factor_ = sug.routine_factor();
    if (sug.top_n() > 0) m_->default_top_n_ = sug.top_n();
    if (sug.max_note_bytes() > 0) m_->max_note_bytes_ = sug.max_note_bytes();
    if (absl::Status s = CompileOutcomeLearning(sug.outcome_learning());
        !s.ok()) {
      return s;
    }
    if (config_.limits().max_text_bytes() > 0) {
      m_->max_text_bytes_ = config_.limits().max_text_bytes();
    }
    if (!config_.tagging().prefix().empty()) {
      m_->tag_prefix_ = config_.tagging().prefix();
    }
    m_->tag_practices_ = config_.tagging().tag_practices();

    RE2::Options set_options = PatternOptions();
    set_options.set_max_mem(kSetMaxMem);
    m_->pattern_set_ = std::make_unique<RE2::Set>(set_options, RE2::UNANCHORED);

    m_->phase_signals_.resize(model.phases_size());
    for (int i = 0; i < model.phases_size(); ++i) {
      const auto& p = model.phases(i);
      const std::string path = absl::StrCat("phase_model.phases[", i, "]");
      CompiledPhase phase;
      phase.id = p.id();
      phase.name = p.name().empty() ? p.id() : p.name();
      phase.description = p.description();
      phase.number = static_cast<uint32_t>(i + 1);
      phase.priors.assign(m_->practices_.size(), m_->default_prior_);
      for (const auto& [practice, prior] : p.practice_priors()) {
        auto idx = Practice(practice, path + ".practice_priors");
        if (!idx.ok()) return idx.status();
        phase.priors[*idx] = prior;
      }
      phase.default_engagement =
          p.default_engagement() == cfg::ENGAGEMENT_PROACTIVE
              ? Engagement::kProactive
              : Engagement::kReactive;
      m_->phases_.push_back(std::move(phase));
      for (int k = 0; k < p.signals_size(); ++k) {
        auto idx = AddPattern(p.signals(k), PatternOwner::kPhaseSignal, i,
                              absl::StrCat(path, ".signals[", k, "]"));
        if (!idx.ok()) return idx.status();
        m_->phase_signals_[i].push_back(*idx);
      }
    }

    for (int i = 0; i < config_.field_rules_size(); ++i) {
      const auto& r = config_.field_rules(i);
      const std::string path = absl::StrCat("field_rules[", i, "]");
      CompiledFieldRule rule;
      rule.id = r.id();
      rule.description = r.description();
      rule.priority = r.priority();
      if (r.hint_weight() < 0) {
        return Invalid(path + ".hint_weight", "must be >= 0");
      }
      rule.hint_weight = r.hint_weight();
      auto phase = Phase(r.phase(), path + ".phase");
      if (!phase.ok()) return phase.status();
      rule.phase = *phase;
      auto cond = Condition(r.when(), path + ".when");
      if (!cond.ok()) return cond.status();
      rule.when = std::move(*cond);
      m_->field_rules_.push_back(std::move(rule));
    }

    for (int i = 0; i < config_.critical_events_size(); ++i) {
      const auto& d = config_.critical_events(i);
      const std::string path = absl::StrCat("critical_events[", i, "]");
      CompiledDetector det;
      det.id = d.id();
      det.name = d.name().empty() ? d.id() : d.name();
      det.description = d.description();
      if (d.polarity() == cfg::POLARITY_UNSPECIFIED) {
        return Invalid(path + ".polarity", "polarity is required");
      }
      det.polarity = d.polarity() == cfg::POLARITY_OPPORTUNITY
                         ? Polarity::kOpportunity
                         : Polarity::kNegative;
      det.require_text_and_condition = d.require_text_and_condition();
      for (int k = 0; k < d.phases_size(); ++k) {
        auto phase = Phase(d.phases(k), absl::StrCat(path, ".phases[", k, "]"));
        if (!phase.ok()) return phase.status();
        det.phases.push_back(*phase);
      }
      det.affinity.assign(m_->practices_.size(), 0.0);
      for (const auto& [practice, a] : d.practice_affinity()) {
        auto idx = Practice(practice, path + ".practice_affinity");
        if (!idx.ok()) return idx.status();
        det.affinity[*idx] = a;
      }
      for (int k = 0; k < d.conditions_size(); ++k) {
        auto cond = Condition(d.conditions(k),
                              absl::StrCat(path, ".conditions[", k, "]"));
        if (!cond.ok()) return cond.status();
        det.conditions.push_back(std::move(*cond));
      }
      m_->detectors_.push_back(std::move(det));
      for (int k = 0; k < d.patterns_size(); ++k) {
        auto idx = AddPattern(d.patterns(k), PatternOwner::kCriticalEvent, i,
                              absl::StrCat(path, ".patterns[", k, "]"));
        if (!idx.ok()) return idx.status();
        m_->detectors_.back().patterns.push_back(*idx);
      }
    }

    for (int i = 0; i < config_.playbooks_size(); ++i) {
      const auto& p = config_.playbooks(i);
      const std::string path = absl::StrCat("playbooks[", i, "]");
      CompiledPlaybook pb;
      pb.id = p.id();
      pb.name = p.name().empty() ? p.id() : p.name();
      pb.url = p.url();
      auto practice = Practice(p.practice(), path + ".practice");
      if (!practice.ok()) return practice.status();
      pb.practice = *practice;
      for (int k = 0; k < p.phases_size(); ++k) {
        auto phase = Phase(p.phases(k), absl::StrCat(path, ".phases[", k, "]"));
        if (!phase.ok()) return phase.status();
        pb.phases.push_back(*phase);
      }
      for (int k = 0; k < p.critical_events_size(); ++k) {
        auto det = Detector(p.critical_events(k),
                            absl::StrCat(path, ".critical_events[", k, "]"));
        if (!det.ok()) return det.status();
        pb.detectors.push_back(*det);
      }
      m_->playbooks_.push_back(std::move(pb));
    }

    for (int i = 0; i < config_.anti_patterns_size(); ++i) {
      const auto& a = config_.anti_patterns(i);
      const std::string path = absl::StrCat("anti_patterns[", i, "]");
      CompiledAntiPattern ap;
      ap.id = a.id();
      ap.name = a.name().empty() ? a.id() : a.name();
      ap.advice = a.advice();
      for (int k = 0; k < a.requires_events_size(); ++k) {
        auto det = Detector(a.requires_events(k),
                            absl::StrCat(path, ".requires_events[", k, "]"));
        if (!det.ok()) return det.status();
        ap.requires_detectors.push_back(*det);
      }
      for (int k = 0; k < a.phases_size(); ++k) {
        auto phase = Phase(a.phases(k), absl::StrCat(path, ".phases[", k, "]"));
        if (!phase.ok()) return phase.status();
        ap.phases.push_back(*phase);
      }
      for (int k = 0; k < a.conditions_size(); ++k) {
        auto cond = Condition(a.conditions(k),
                              absl::StrCat(path, ".conditions[", k, "]"));
        if (!cond.ok()) return cond.status();
        ap.conditions.push_back(std::move(*cond));
      }
      m_->anti_patterns_.push_back(std::move(ap));
      for (int k = 0; k < a.patterns_size(); ++k) {
        auto idx = AddPattern(a.patterns(k), PatternOwner::kAntiPattern, i,
                              absl::StrCat(path, ".patterns[", k, "]"));
        if (!idx.ok()) return idx.status();
        m_->anti_patterns_.back().patterns.push_back(*idx);
      }
    }

    DeriveStrings();
    if (!m_->patterns_.empty() && !m_->pattern_set_->Compile()) {
      return absl::ResourceExhaustedError(
          "the text patterns together are too large to compile into one "
          "matcher; remove or simplify patterns");
    }
    return absl::OkStatus();
  }

 private:
  // Strings an assessment would otherwise rebuild from the mapping every
  // time (tags, rationale parts), built once here exactly as the
  // assessment code built them.
  void DeriveStrings() {
    const std::string& prefix = m_->tag_prefix_;
    auto tag = [](std::string t) {
      FinishTag(&t);
      return t;
    };
    m_->phase_unknown_tag_ = tag(absl::StrCat(prefix, "-phase-unknown"));
    m_->restore_tag_ = tag(absl::StrCat(prefix, "-restore"));
    m_->bolster_tag_ = tag(absl::StrCat(prefix, "-bolster"));
    for (CompiledPhase& p : m_->phases_) {
      p.tag =
          tag(absl::StrCat(prefix, "-phase-", p.number, "-", TagSlug(p.id)));
      p.in_lower_name = absl::StrCat(" in ", absl::AsciiStrToLower(p.name));
    }
    for (CompiledDetector& d : m_->detectors_) {
      d.tag = tag(absl::StrCat(prefix, "-event-", TagSlug(d.id)));
      d.lower_name = absl::AsciiStrToLower(d.name);
    }
    for (CompiledAntiPattern& a : m_->anti_patterns_) {
      a.tag = tag(absl::StrCat(prefix, "-warning-", TagSlug(a.id)));
    }
    for (CompiledPlaybook& pb : m_->playbooks_) {
      pb.routine = absl::StrCat("; follow the \"", pb.name, "\" playbook");
    }
  }

  // Zero means the default, as elsewhere in the block. The validator owns
  // the documented ranges; this only refuses what would break the formula
  // (a neutral rate of 0 divides by zero, one of 1 lets no outcome raise a
  // score, a cap below 1 inverts the clamp).
  absl::Status CompileOutcomeLearning(const cfg::OutcomeLearning& c) {
    constexpr absl::string_view kPath = "suggestions.outcome_learning";
    OutcomeLearningParams& p = m_->outcome_learning_;
    if (c.prior_strength() != 0) {
      if (!(c.prior_strength() > 0 && std::isfinite(c.prior_strength()))) {
        return Invalid(absl::StrCat(kPath, ".prior_strength"),
                       "must be a finite number > 0");
      }
      p.prior_strength = c.prior_strength();
    }
    if (c.neutral_success_rate() != 0) {
      if (!(c.neutral_success_rate() > 0 && c.neutral_success_rate() < 1)) {
        return Invalid(absl::StrCat(kPath, ".neutral_success_rate"),
                       "must be in (0, 1)");
      }
      p.neutral_success_rate = c.neutral_success_rate();
    }
    if (c.min_outcomes() != 0) p.min_outcomes = c.min_outcomes();
    if (c.max_factor() != 0) {
      if (!(c.max_factor() >= 1 && std::isfinite(c.max_factor()))) {
        return Invalid(absl::StrCat(kPath, ".max_factor"),
                       "must be a finite number >= 1");
      }
      p.max_factor = c.max_factor();
    }
    return absl::OkStatus();
  }

  absl::StatusOr<int> Practice(const std::string& id, const std::string& path) {
    auto it = practice_index_.find(id);
    if (it == practice_index_.end()) {
      return Invalid(path, absl::StrCat("unknown practice id \"", id, "\""));
    }
    return it->second;
  }
  absl::StatusOr<int> Phase(const std::string& id, const std::string& path) {
    auto it = phase_index_.find(id);
    if (it == phase_index_.end()) {
      return Invalid(path, absl::StrCat("unknown phase id \"", id, "\""));
    }
    return it->second;
  }
  absl::StatusOr<int> Detector(const std::string& id, const std::string& path) {
    auto it = detector_index_.find(id);
    if (it == detector_index_.end()) {
      return Invalid(path,
                     absl::StrCat("unknown critical event id \"", id, "\""));
    }
    return it->second;
  }

  absl::StatusOr<int> AddPattern(const cfg::TextPattern& p, PatternOwner owner,
                                 int owner_index, const std::string& path) {
    CompiledPattern cp;
    cp.id = p.id();
    cp.source = p.pattern();
    cp.weight = p.weight() > 0 ? p.weight() : 1.0;
    cp.owner = owner;
    cp.owner_index = owner_index;
    if (!p.fields().empty()) {
      cp.field_mask = 0;
      for (int f : p.fields()) {
        if (f <= cfg::TEXT_FIELD_UNSPECIFIED || f > kTextFieldCount) {
          return Invalid(path + ".fields", "unknown text field");
        }
        cp.field_mask |= static_cast<uint8_t>(1u << (f - 1));
      }
    }
    // Conservative: a '^' in a class such as [^a-z] counts too.
    cp.uses_text_anchors =
        p.pattern().find_first_of("^$") != std::string::npos ||
        p.pattern().find("\\A") != std::string::npos ||
        p.pattern().find("\\z") != std::string::npos;
    cp.re = std::make_unique<RE2>(p.pattern(), PatternOptions());
    if (!cp.re->ok()) {
      return Invalid(path + ".pattern",
                     absl::StrCat("invalid RE2 pattern: ", cp.re->error()));
    }
    std::string error;
    const int idx = m_->pattern_set_->Add(p.pattern(), &error);
    if (idx < 0) {
      return Invalid(path + ".pattern",
                     absl::StrCat("invalid RE2 pattern: ", error));
    }
    m_->patterns_.push_back(std::move(cp));
    return idx;
  }

  absl::StatusOr<CompiledCondition> Condition(const cfg::EventCondition& c,
                                              const std::string& path) {
    CompiledCondition out;
    std::vector<std::string> parts;
    for (int k = 0; k < c.fields_size(); ++k) {
      const auto& f = c.fields(k);
      const std::string fpath = absl::StrCat(path, ".fields[", k, "]");
      CompiledFieldMatch fm;
      auto fp = ParseFieldPath(f.field(), &fm.custom_key);
      if (!fp.ok()) return Invalid(fpath + ".field", fp.status().message());
      fm.path = *fp;
      fm.display = f.field();
      for (const auto& v : f.any_of()) fm.any_of.push_back(NormalizeValue(v));
      if (!f.pattern().empty()) {
        fm.pattern = std::make_unique<RE2>(f.pattern(), PatternOptions());
        if (!fm.pattern->ok()) {
          return Invalid(
              fpath + ".pattern",
              absl::StrCat("invalid RE2 pattern: ", fm.pattern->error()));
        }
        parts.push_back(absl::StrCat(f.field(), " ~ /", f.pattern(), "/"));
      } else {
        parts.push_back(absl::StrCat(f.field(), " in [",
                                     absl::StrJoin(f.any_of(), ", "), "]"));
      }
      out.fields.push_back(std::move(fm));
    }
    out.min_reopen_count = c.min_reopen_count();
    if (out.min_reopen_count > 0) {
      parts.push_back(absl::StrCat("reopened >= ", out.min_reopen_count));
    }
    out.require_sla_breached = c.require_sla_breached();
    if (out.require_sla_breached) parts.push_back("SLA breached");
    out.max_satisfaction_ratio = c.max_satisfaction_ratio();
    if (out.max_satisfaction_ratio > 0) {
      parts.push_back(
          absl::StrCat("satisfaction <= ", out.max_satisfaction_ratio));
    }
    out.min_satisfaction_ratio = c.min_satisfaction_ratio();
    if (out.min_satisfaction_ratio > 0) {
      parts.push_back(
          absl::StrCat("satisfaction >= ", out.min_satisfaction_ratio));
    }
    out.require_key_attendee_absent = c.require_key_attendee_absent();
    if (out.require_key_attendee_absent) {
      parts.push_back("a planned key attendee was absent");
    }
    for (const auto& p : c.priorities()) {
      out.priorities.push_back(NormalizeValue(p));
    }
    if (!c.priorities().empty()) {
      parts.push_back(absl::StrCat("priority in [",
                                   absl::StrJoin(c.priorities(), ", "), "]"));
    }
    if (parts.empty()) {
      return Invalid(path, "a condition needs at least one part");
    }
    out.display = absl::StrJoin(parts, " and ");
    return out;
  }

  const cfg::MappingConfig& config_;
  CompiledMapping* m_;
  absl::flat_hash_map<std::string, int> practice_index_;
  absl::flat_hash_map<std::string, int> phase_index_;
  absl::flat_hash_map<std::string, int> detector_index_;
};

absl::StatusOr<std::shared_ptr<const CompiledMapping>> CompiledMapping::Compile(
    const cfg::MappingConfig& config, std::string version) {
  std::shared_ptr<CompiledMapping> m(new CompiledMapping());
  m->version_ = std::move(version);
  CompiledMappingBuilder builder(config, m.get());
  if (absl::Status s = builder.Build(); !s.ok()) return s;
  return std::shared_ptr<const CompiledMapping>(std::move(m));
}

int CompiledMapping::FindPhase(absl::string_view id) const {
  for (size_t i = 0; i < phases_.size(); ++i) {
    if (phases_[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace cse::engine
