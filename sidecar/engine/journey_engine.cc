#include "sidecar/engine/journey_engine.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "sidecar/engine/anti_pattern_detector.h"
#include "sidecar/engine/critical_event_detector.h"
#include "sidecar/engine/phase_mapper.h"
#include "sidecar/engine/practice_ranker.h"
#include "sidecar/engine/recommendation_note.h"
#include "sidecar/engine/tag_vocabulary.h"
#include "sidecar/engine/text_scan.h"

namespace cse::engine {

absl::StatusOr<Assessment> Assess(const CompiledMapping& m,
                                  const EventView& event,
                                  const AssessOptions& options) {
  for (int f = 0; f < kTextFieldCount; ++f) {
    const size_t size = event.text[f].size();
    if (size > m.max_text_bytes()) {
      return absl::InvalidArgumentError(absl::StrCat(
          TextFieldName(static_cast<TextField>(f)), ": ", size,
          " bytes exceeds the limit of ", m.max_text_bytes(), " bytes"));
    }
  }
  // Scratch space reused by this thread: steady state allocates nothing
  // for normalisation and matching.
  thread_local ScannedText scan;
  if (absl::Status s = ScanText(m, event, &scan); !s.ok()) return s;

  Assessment a;
  a.mapping_version = m.version();
  std::vector<RuleTrace>* traces = options.explain ? &a.traces : nullptr;

  a.phase = MapPhase(m, event, scan, options.last_known_phase_id, traces);
  const int phase = a.phase.decided ? m.FindPhase(a.phase.id) : -1;
  a.critical_events = DetectCriticalEvents(m, event, scan, phase, traces);
  a.anti_patterns =
      DetectAntiPatterns(m, event, scan, phase, a.critical_events, traces);

  const uint32_t top_n = std::min<uint32_t>(
      options.top_n > 0 ? options.top_n : m.default_top_n(), kMaxTopN);
  // Explain mode lists every practice; otherwise only the top N get their
  // text built.
  std::vector<PracticeSuggestion> ranked =
      RankPractices(m, phase, a.critical_events, options.outcome_stats,
                    options.explain ? m.practices().size() : size_t{top_n});
  if (options.explain) a.all_practices = ranked;
  if (ranked.size() > top_n) ranked.resize(top_n);
  a.suggestions = std::move(ranked);

  a.tags = BuildTags(m, a);
  a.note_markdown = RenderRecommendationNote(m, a);
  return a;
}

}  // namespace cse::engine
