// The classification tags written back to the CRM.
//
// Vocabulary (prefix configurable, default "cse"):
//   <prefix>-phase-<n>-<phase-id>   e.g. cse-phase-4-implementation-usage
//   <prefix>-phase-unknown          when no layer decided a phase
//   <prefix>-event-<event-id>       e.g. cse-event-breakdown
//   <prefix>-restore / -bolster     the effect of the top suggestion
//   <prefix>-warning-<anti-pattern> e.g. cse-warning-unanswered-requests
//   <prefix>-practice-<id>          when tagging.tag_practices is on
// Every tag is lower case ASCII letters, digits and '-', at most 80 bytes:
// valid as a Zendesk tag, a HubSpot multi-checkbox value, a Salesforce
// topic and an RT custom-field value.
#ifndef CSE_SIDECAR_ENGINE_TAG_VOCABULARY_H_
#define CSE_SIDECAR_ENGINE_TAG_VOCABULARY_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "sidecar/engine/assessment.h"
#include "sidecar/engine/compiled_mapping.h"

namespace cse::engine {

// Lower-cases and replaces every run of other characters with one '-'.
std::string TagSlug(absl::string_view text);

// Cuts `tag` to the 80-byte limit and drops trailing '-': what every tag
// goes through before it is added (the mapping precomputes its tags so).
void FinishTag(std::string* tag);

std::vector<std::string> BuildTags(const CompiledMapping& mapping,
                                   const Assessment& assessment);

}  // namespace cse::engine

#endif  // CSE_SIDECAR_ENGINE_TAG_VOCABULARY_H_
