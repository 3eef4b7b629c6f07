// The circumplex report for people: an SVG figure in the style of the
// research's circumplex (Sahhar, Loohuis & Henseler 2021), and the text
// table `cse circumplex` prints by default. Pure functions over a
// cse.v1.GetCircumplexReportResponse, so they are tested without a server.
//
// The figure: mode of organization across (ad hoc left, regular right),
// mode of engagement up and down (proactive above, reactive below), so the
// bolstering half is on top and the restoring half below. Each quadrant
// lists the practices that occurred in it; per practice one mark per phase
// column, its size the recurrence class (occasionally, sometimes,
// frequently), its colour and column the phase. Then the legends and the
// restoring vs bolstering share. The output depends only on the inputs
// (no clock, stable order), so tests compare its structure.
//
// Example:
//   CircumplexSvgOptions options;
//   options.phases = {{"trigger_problem", "Trigger and problem analysis"}};
//   options.practice_names = {{"P4", "Solve problems ad hoc"}};
//   std::string svg = RenderCircumplexSvg(report, options);
#ifndef CSE_SIDECAR_CLI_CIRCUMPLEX_SVG_H_
#define CSE_SIDECAR_CLI_CIRCUMPLEX_SVG_H_

#include <map>
#include <string>
#include <vector>

#include "cse/v1/outcomes.pb.h"

namespace cse::engine {
class CompiledMapping;
}  // namespace cse::engine

namespace cse::cli {

struct CircumplexPhase {
  std::string id;
  std::string name;  // empty: the id is shown
};

struct CircumplexSvgOptions {
  // The phase model, in order: phases are numbered 1..n in this order.
  // Phases of the report missing here are appended in the order they
  // first appear, named by their id.
  std::vector<CircumplexPhase> phases;
  // Practice display names by id; a missing id is shown as the id.
  std::map<std::string, std::string> practice_names;
  // The period the report covers, shown in the subtitle; empty: "all
  // recorded work".
  std::string period;
};

// Phase and practice names from a mapping (the one the CLI loads to name
// what the server's report holds by id).
CircumplexSvgOptions CircumplexOptionsFromMapping(
    const engine::CompiledMapping& mapping);

// A standalone SVG 1.1 document, 900 px wide, its height following the
// content. Every text from the report is XML-escaped (account and practice
// ids come from CRMs and admins); invalid UTF-8 and control characters are
// replaced. Cells without a count, or without a circumplex position, draw
// no mark (the latter are counted in a note). A report without cells draws
// the empty circumplex with "No practices recorded".
std::string RenderCircumplexSvg(
    const cse::v1::GetCircumplexReportResponse& report,
    const CircumplexSvgOptions& options);

// The same report as a text table: per quadrant, one line per practice
// with its count in each phase column, then the share of restoring vs
// bolstering work.
std::string RenderCircumplexTable(
    const cse::v1::GetCircumplexReportResponse& report,
    const CircumplexSvgOptions& options);

}  // namespace cse::cli

#endif  // CSE_SIDECAR_CLI_CIRCUMPLEX_SVG_H_
