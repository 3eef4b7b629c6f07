// Scans an event's text once against every pattern of the mapping.
//
// The text fields are normalised into one document (fields separated by a
// newline, which no pattern's `.` crosses). The mapping's RE2::Set then
// finds, field by field, every pattern that matches: one pass over the text
// gives each hit and its field. Where a hit matched (the evidence) costs a
// second run of that pattern alone, so it is found only for the hits that
// are cited (Locate).
#ifndef CSE_SIDECAR_ENGINE_TEXT_SCAN_H_
#define CSE_SIDECAR_ENGINE_TEXT_SCAN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "sidecar/engine/assessment.h"
#include "sidecar/engine/compiled_mapping.h"
#include "sidecar/engine/event_view.h"

namespace cse::engine {

// Where one pattern matched first (in an allowed field).
struct PatternHit {
  int pattern = -1;
  TextField field = TextField::kBody;
  uint32_t segment = 0;  // index into ScannedText::segments
  // The span of the match in ScannedText::text, valid once `located`: most
  // hits are never cited, so the span is found on first use (Locate).
  mutable bool located = false;
  mutable uint32_t norm_begin = 0;
  mutable uint32_t norm_end = 0;
};

// The normalised document of one event. Reused across calls (per thread)
// so steady-state scanning does not allocate.
struct ScannedText {
  struct Segment {
    TextField field;
    uint32_t begin;  // [begin, end) in text
    uint32_t end;
  };
  // The mapping scanned with, for Locate().
  const CompiledMapping* mapping = nullptr;
  std::string text;
  std::vector<uint32_t> origin;  // per byte of text: offset in its field
  std::vector<Segment> segments;
  std::vector<int> set_matches;
  std::vector<PatternHit> hits;
  // hit index per pattern, -1 when the pattern did not match.
  std::vector<int> hit_of_pattern;

  void Clear();
};

// Normalises the event's text fields and finds every matching pattern.
// INVALID_ARGUMENT names the field on invalid UTF-8
// ("body: invalid UTF-8 at byte 17").
absl::Status ScanText(const CompiledMapping& mapping, const EventView& event,
                      ScannedText* out);

// Finds the hit's span (norm_begin, norm_end) if not found yet. The scan
// must still be the one that produced the hit.
void Locate(const ScannedText& scan, const PatternHit& hit);

// The normalised text the hit matched (locating it first).
absl::string_view MatchedText(const ScannedText& scan, const PatternHit& hit);

// Appends the hits among `patterns` (indices into the mapping's patterns),
// in the order given, to *out (inline storage: callers keep it on the
// stack, so this does not allocate for the usual handful of hits).
void HitsOf(const ScannedText& scan, const std::vector<int>& patterns,
            absl::InlinedVector<const PatternHit*, 8>* out);

// The evidence for a hit: span in the original field plus an excerpt with
// a little context.
Evidence MakeEvidence(const ScannedText& scan, const EventView& event,
                      const PatternHit& hit);

}  // namespace cse::engine

#endif  // CSE_SIDECAR_ENGINE_TEXT_SCAN_H_
