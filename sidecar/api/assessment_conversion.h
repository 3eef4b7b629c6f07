// Turns the engine's Assessment into the API's cse.v1.Assessment (and
// Explanation, in explain mode).
#ifndef CSE_SIDECAR_API_ASSESSMENT_CONVERSION_H_
#define CSE_SIDECAR_API_ASSESSMENT_CONVERSION_H_

#include "cse/v1/assessment.pb.h"
#include "sidecar/engine/assessment.h"
#include "sidecar/engine/event_view.h"

namespace cse::api {

// Fills *out (cleared first) from the engine's result; identity fields come
// from the event.
void ToProto(const engine::Assessment& in, const engine::EventView& event,
             cse::v1::Assessment* out);

// Fills *out with the traces and the full practice ranking.
void ToProto(const engine::Assessment& in, cse::v1::Explanation* out);

}  // namespace cse::api

#endif  // CSE_SIDECAR_API_ASSESSMENT_CONVERSION_H_
