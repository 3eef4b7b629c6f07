#include "sidecar/api/assessment_conversion.h"

#include <string>

namespace cse::api {
namespace {

void ToProto(const engine::Evidence& in, cse::v1::Evidence* out) {
  out->set_field(std::string(engine::TextFieldName(in.field)));
  out->set_start(in.start);
  out->set_end(in.end);
  out->set_excerpt(in.excerpt);
}

cse::v1::ReasonKind ToProto(engine::ReasonKind k) {
  switch (k) {
    case engine::ReasonKind::kFieldRule:
      return cse::v1::REASON_KIND_FIELD_RULE;
    case engine::ReasonKind::kTextSignal:
      return cse::v1::REASON_KIND_TEXT_SIGNAL;
    case engine::ReasonKind::kAccountHistory:
      return cse::v1::REASON_KIND_ACCOUNT_HISTORY;
    case engine::ReasonKind::kCondition:
      return cse::v1::REASON_KIND_CONDITION;
  }
  return cse::v1::REASON_KIND_UNSPECIFIED;
}

void ToProto(const engine::Reason& in, cse::v1::Reason* out) {
  out->set_kind(ToProto(in.kind));
  out->set_rule_id(in.rule_id);
  out->set_description(in.description);
  out->set_weight(in.weight);
  if (in.has_evidence) ToProto(in.evidence, out->mutable_evidence());
}

void ToProto(const engine::PracticeSuggestion& in,
             cse::v1::PracticeSuggestion* out) {
  out->set_practice_id(in.practice_id);
  out->set_practice_name(in.practice_name);
  out->set_organization(in.organization == engine::Organization::kRegular
                            ? cse::v1::MODE_OF_ORGANIZATION_REGULAR
                            : cse::v1::MODE_OF_ORGANIZATION_AD_HOC);
  out->set_engagement(in.engagement == engine::Engagement::kProactive
                          ? cse::v1::MODE_OF_ENGAGEMENT_PROACTIVE
                          : cse::v1::MODE_OF_ENGAGEMENT_REACTIVE);
  out->set_effect(in.effect == engine::Effect::kBolster
                      ? cse::v1::EFFECT_BOLSTER
                      : cse::v1::EFFECT_RESTORE);
  out->set_score(in.score);
  auto* b = out->mutable_breakdown();
  b->set_phase_prior(in.phase_prior);
  b->set_event_affinity(in.event_affinity);
  b->set_routine_factor(in.routine_factor);
  b->set_learned_factor(in.learned_factor);
  b->set_outcomes_worked(in.outcomes_worked);
  b->set_outcomes_total(in.outcomes_total);
  out->set_rationale(in.rationale);
  out->set_playbook_name(in.playbook_name);
  out->set_playbook_url(in.playbook_url);
  for (const auto& e : in.addresses_events) out->add_addresses_events(e);
}

}  // namespace

void ToProto(const engine::Assessment& in, const engine::EventView& event,
             cse::v1::Assessment* out) {
  out->Clear();
  out->set_source(std::string(event.source));
  out->set_event_id(std::string(event.event_id));
  out->set_account_id(std::string(event.account_id));

  auto* phase = out->mutable_phase();
  phase->set_id(in.phase.id);
  phase->set_name(in.phase.name);
  phase->set_number(in.phase.number);
  phase->set_confidence(in.phase.confidence);
  if (in.phase.decided) phase->set_decided_by(ToProto(in.phase.decided_by));
  for (const auto& r : in.phase.because) ToProto(r, phase->add_because());
  for (const auto& c : in.phase.conflicts) {
    auto* pc = phase->add_conflicts();
    for (const auto& id : c.rule_ids) pc->add_rule_ids(id);
    for (const auto& id : c.phase_ids) pc->add_phase_ids(id);
    pc->set_resolution(c.resolution);
  }
  phase->set_previous_phase_id(in.phase.previous_phase_id);

  for (const auto& e : in.critical_events) {
    auto* pe = out->add_critical_events();
    pe->set_type(e.type);
    pe->set_name(e.name);
    pe->set_polarity(e.polarity == engine::Polarity::kOpportunity
                         ? cse::v1::POLARITY_OPPORTUNITY
                         : cse::v1::POLARITY_NEGATIVE);
    for (const auto& ev : e.evidence) ToProto(ev, pe->add_evidence());
    for (const auto& r : e.because) ToProto(r, pe->add_because());
  }
  for (const auto& s : in.suggestions) ToProto(s, out->add_suggestions());
  for (const auto& w : in.anti_patterns) {
    auto* pw = out->add_anti_patterns();
    pw->set_id(w.id);
    pw->set_name(w.name);
    pw->set_advice(w.advice);
    for (const auto& ev : w.evidence) ToProto(ev, pw->add_evidence());
    for (const auto& r : w.because) ToProto(r, pw->add_because());
  }
  for (const auto& t : in.tags) out->add_tags(t);
  out->set_note_markdown(in.note_markdown);
  out->set_mapping_version(in.mapping_version);
}

void ToProto(const engine::Assessment& in, cse::v1::Explanation* out) {
  out->Clear();
  for (const auto& t : in.traces) {
    auto* pt = out->add_traces();
    pt->set_rule_type(t.rule_type);
    pt->set_rule_id(t.rule_id);
    pt->set_outcome(t.outcome == engine::TraceOutcome::kFired
                        ? cse::v1::RuleTrace::OUTCOME_FIRED
                        : cse::v1::RuleTrace::OUTCOME_NEAR_MISS);
    pt->set_detail(t.detail);
    if (t.has_evidence) ToProto(t.evidence, pt->mutable_evidence());
  }
  for (const auto& s : in.all_practices) ToProto(s, out->add_all_practices());
}

}  // namespace cse::api
