// Evaluates the structured conditions of field rules, detectors and
// anti-patterns against an event.
#ifndef CSE_SIDECAR_ENGINE_FIELD_CONDITION_H_
#define CSE_SIDECAR_ENGINE_FIELD_CONDITION_H_

#include "sidecar/engine/compiled_mapping.h"
#include "sidecar/engine/event_view.h"

namespace cse::engine {

// How much of a condition held: all parts for it to hold; some parts make
// a near miss worth showing in explain output.
struct ConditionResult {
  int parts_total = 0;
  int parts_matched = 0;
  bool Holds() const { return parts_total > 0 && parts_matched == parts_total; }
  bool Partial() const { return parts_matched > 0 && !Holds(); }
};

ConditionResult EvaluateCondition(const CompiledCondition& condition,
                                  const EventView& event);

// True when one FieldMatch matches the event.
bool MatchesField(const CompiledFieldMatch& match, const EventView& event);

}  // namespace cse::engine

#endif  // CSE_SIDECAR_ENGINE_FIELD_CONDITION_H_
