// Renders the recommendation note written back to the CRM: Markdown, short
// enough for a side panel (the mapping's max_note_bytes), every suggestion
// with its circumplex placement and its reason.
#ifndef CSE_SIDECAR_ENGINE_RECOMMENDATION_NOTE_H_
#define CSE_SIDECAR_ENGINE_RECOMMENDATION_NOTE_H_

#include <string>

#include "sidecar/engine/assessment.h"
#include "sidecar/engine/compiled_mapping.h"

namespace cse::engine {

std::string RenderRecommendationNote(const CompiledMapping& mapping,
                                     const Assessment& assessment);

}  // namespace cse::engine

#endif  // CSE_SIDECAR_ENGINE_RECOMMENDATION_NOTE_H_
