// Renders assessments for people: the text `cse assess` and `cse explain`
// print. Pure functions over cse.v1 messages, so they are tested without a
// terminal; colour is a flag the caller decides (TTY and NO_COLOR).
//
// Example:
//   TextStyle style{/*color=*/false};
//   std::cout << RenderAssessment(response.assessment(), style);
#ifndef CSE_SIDECAR_CLI_RENDER_H_
#define CSE_SIDECAR_CLI_RENDER_H_

#include <string>

#include "absl/strings/string_view.h"
#include "cse/v1/assessment.pb.h"
#include "cse/v1/journey_service.pb.h"

namespace cse::cli {

// ANSI styling, or none.
class TextStyle {
 public:
  explicit TextStyle(bool color) : color_(color) {}

  std::string Bold(absl::string_view s) const { return Wrap("1", s); }
  std::string Dim(absl::string_view s) const { return Wrap("2", s); }
  std::string Red(absl::string_view s) const { return Wrap("31", s); }
  std::string Green(absl::string_view s) const { return Wrap("32", s); }
  std::string Yellow(absl::string_view s) const { return Wrap("33", s); }
  std::string Cyan(absl::string_view s) const { return Wrap("36", s); }

 private:
  std::string Wrap(absl::string_view code, absl::string_view s) const;
  bool color_;
};

// Whether standard output should get colour: a TTY and NO_COLOR unset or
// empty (https://no-color.org).
bool ShouldColorStdout();

// "ad hoc · reactive → restores CSE".
std::string CircumplexLabel(const cse::v1::PracticeSuggestion& s);

// `body[12..40] "…the export is down…"`, whitespace collapsed.
std::string EvidenceLabel(const cse::v1::Evidence& e);

// The phase line: `Phase: Implementation and usage (4, implementation_usage)
// — confidence 0.82, decided by text signals`.
std::string RenderPhaseLine(const cse::v1::PhaseAssessment& phase,
                            const TextStyle& style);

// Everything `cse assess` prints: phase and why, critical events,
// suggestions on the circumplex, warnings, tags, note, mapping version.
std::string RenderAssessment(const cse::v1::Assessment& a,
                             const TextStyle& style);

// Everything `cse ingest` prints: whether the event was recorded now or
// was a duplicate delivery answered from the journey store, then the
// assessment exactly as RenderAssessment() shows it.
std::string RenderIngest(const cse::v1::IngestResponse& response,
                         const TextStyle& style);

// Everything `cse explain` prints: the phase line, every trace grouped by
// rule type (with per-phase signal totals) and the full practice ranking
// with the score breakdown.
std::string RenderExplanation(const cse::v1::AssessResponse& response,
                              const TextStyle& style);

// The response as protobuf JSON with lowerCamelCase names (the same
// convention as the input files), indented, ending in a newline.
std::string RenderJson(const google::protobuf::Message& message);

}  // namespace cse::cli

#endif  // CSE_SIDECAR_CLI_RENDER_H_
