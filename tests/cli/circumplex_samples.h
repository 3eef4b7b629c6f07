// Hand-made circumplex reports for the renderer's tests and the example
// figure in docs/: an empty portfolio, one account with a few practices,
// and a busy portfolio with all ten practices in several phases, all four
// quadrants and all three recurrence classes. Names as in the default
// mapping, written out so the tests do not depend on it.
#ifndef CSE_TESTS_CLI_CIRCUMPLEX_SAMPLES_H_
#define CSE_TESTS_CLI_CIRCUMPLEX_SAMPLES_H_

#include <cstdint>
#include <string>

#include "cse/v1/outcomes.pb.h"
#include "sidecar/cli/circumplex_svg.h"

namespace cse::testing {

inline cli::CircumplexSvgOptions FivePhaseOptions() {
  cli::CircumplexSvgOptions options;
  options.phases = {
      {"trigger_problem_analysis", "Trigger and problem analysis"},
      {"orientation_negotiation", "Orientation and negotiation"},
      {"choice_purchase", "Choice and purchase"},
      {"implementation_usage", "Implementation and usage"},
      {"evaluation_follow_up", "Evaluation and follow-up"},
  };
  options.practice_names = {
      {"P1", "Provide constructive advice"},
      {"P2", "Tailor the value promise"},
      {"P3", "Analyse the problem thoroughly"},
      {"P4", "Solve problems ad hoc"},
      {"P5", "Steer toward solutions"},
      {"P6", "Manage the relationship strategically"},
      {"P7", "Take decisive action"},
      {"P8", "Manage expectations"},
      {"P9", "Empathise with the customer"},
      {"P10", "Stabilise the situation"},
  };
  return options;
}

enum class Org { kAdHoc, kRegular };
enum class Eng { kReactive, kProactive };

// Appends a cell; effect and recurrence follow engagement and count, as
// the server fills them.
inline void AddCell(cse::v1::GetCircumplexReportResponse* report,
                    const std::string& phase, Org org, Eng eng,
                    const std::string& practice, uint32_t count) {
  cse::v1::CircumplexCell* cell = report->add_cells();
  cell->set_phase_id(phase);
  cell->set_organization(org == Org::kRegular
                             ? cse::v1::MODE_OF_ORGANIZATION_REGULAR
                             : cse::v1::MODE_OF_ORGANIZATION_AD_HOC);
  cell->set_engagement(eng == Eng::kProactive
                           ? cse::v1::MODE_OF_ENGAGEMENT_PROACTIVE
                           : cse::v1::MODE_OF_ENGAGEMENT_REACTIVE);
  cell->set_effect(eng == Eng::kProactive ? cse::v1::EFFECT_BOLSTER
                                          : cse::v1::EFFECT_RESTORE);
  cell->set_practice_id(practice);
  cell->set_count(count);
  cell->set_recurrence(count >= 3   ? cse::v1::RECURRENCE_FREQUENTLY
                       : count == 2 ? cse::v1::RECURRENCE_SOMETIMES
                                    : cse::v1::RECURRENCE_OCCASIONALLY);
  if (eng == Eng::kProactive) {
    report->set_bolstering_count(report->bolstering_count() + count);
  } else {
    report->set_restoring_count(report->restoring_count() + count);
  }
  const uint32_t total = report->restoring_count() + report->bolstering_count();
  report->set_restoring_share(
      total == 0 ? 0 : static_cast<double>(report->restoring_count()) / total);
}

inline cse::v1::GetCircumplexReportResponse EmptyPortfolio() {
  cse::v1::GetCircumplexReportResponse report;
  report.set_basis(cse::v1::CIRCUMPLEX_BASIS_APPLIED);
  return report;
}

inline cse::v1::GetCircumplexReportResponse OneAccount() {
  cse::v1::GetCircumplexReportResponse report;
  report.set_account_id("acme-logistics");
  report.set_basis(cse::v1::CIRCUMPLEX_BASIS_APPLIED);
  AddCell(&report, "implementation_usage", Org::kAdHoc, Eng::kReactive, "P4",
          3);
  AddCell(&report, "implementation_usage", Org::kRegular, Eng::kReactive, "P10",
          2);
  AddCell(&report, "implementation_usage", Org::kAdHoc, Eng::kReactive, "P9",
          1);
  AddCell(&report, "evaluation_follow_up", Org::kAdHoc, Eng::kProactive, "P6",
          1);
  return report;
}

// Shaped like the research's observations: mostly reactive work spread
// over the phases, proactive work mostly routinised early and ad hoc late.
inline cse::v1::GetCircumplexReportResponse BusyPortfolio() {
  cse::v1::GetCircumplexReportResponse report;
  report.set_basis(cse::v1::CIRCUMPLEX_BASIS_APPLIED);
  const std::string t = "trigger_problem_analysis";
  const std::string o = "orientation_negotiation";
  const std::string c = "choice_purchase";
  const std::string i = "implementation_usage";
  const std::string e = "evaluation_follow_up";
  // Ordered by phase, quadrant, practice, as the server sends them.
  AddCell(&report, t, Org::kAdHoc, Eng::kReactive, "P3", 2);
  AddCell(&report, t, Org::kAdHoc, Eng::kReactive, "P9", 1);
  AddCell(&report, t, Org::kRegular, Eng::kReactive, "P1", 4);
  AddCell(&report, t, Org::kRegular, Eng::kReactive, "P3", 3);
  AddCell(&report, o, Org::kAdHoc, Eng::kProactive, "P6", 2);
  AddCell(&report, o, Org::kRegular, Eng::kProactive, "P2", 6);
  AddCell(&report, o, Org::kRegular, Eng::kProactive, "P5", 3);
  AddCell(&report, o, Org::kRegular, Eng::kProactive, "P9", 2);
  AddCell(&report, o, Org::kAdHoc, Eng::kReactive, "P8", 1);
  AddCell(&report, o, Org::kRegular, Eng::kReactive, "P1", 2);
  AddCell(&report, o, Org::kRegular, Eng::kReactive, "P8", 3);
  AddCell(&report, c, Org::kAdHoc, Eng::kProactive, "P7", 1);
  AddCell(&report, c, Org::kRegular, Eng::kProactive, "P2", 2);
  AddCell(&report, c, Org::kRegular, Eng::kProactive, "P8", 1);
  AddCell(&report, c, Org::kAdHoc, Eng::kReactive, "P7", 2);
  AddCell(&report, c, Org::kRegular, Eng::kReactive, "P8", 2);
  AddCell(&report, i, Org::kAdHoc, Eng::kProactive, "P1", 1);
  AddCell(&report, i, Org::kAdHoc, Eng::kProactive, "P5", 2);
  AddCell(&report, i, Org::kAdHoc, Eng::kReactive, "P4", 7);
  AddCell(&report, i, Org::kAdHoc, Eng::kReactive, "P9", 3);
  AddCell(&report, i, Org::kAdHoc, Eng::kReactive, "P10", 4);
  AddCell(&report, i, Org::kRegular, Eng::kReactive, "P3", 2);
  AddCell(&report, i, Org::kRegular, Eng::kReactive, "P5", 3);
  AddCell(&report, i, Org::kRegular, Eng::kReactive, "P10", 5);
  AddCell(&report, e, Org::kAdHoc, Eng::kProactive, "P2", 1);
  AddCell(&report, e, Org::kAdHoc, Eng::kProactive, "P6", 3);
  AddCell(&report, e, Org::kRegular, Eng::kProactive, "P6", 2);
  AddCell(&report, e, Org::kAdHoc, Eng::kReactive, "P6", 2);
  AddCell(&report, e, Org::kAdHoc, Eng::kReactive, "P7", 1);
  AddCell(&report, e, Org::kRegular, Eng::kReactive, "P1", 1);
  AddCell(&report, e, Org::kRegular, Eng::kReactive, "P9", 2);
  return report;
}

// Limits: eight phases, a long account name, practices without names,
// long admin-defined ones, and a cell without a circumplex position.
inline cse::v1::GetCircumplexReportResponse StressReport(
    cli::CircumplexSvgOptions* options) {
  *options = FivePhaseOptions();
  options->phases.push_back({"safeguarding", "Safeguarding the solution"});
  options->phases.push_back({"renewal", ""});
  options->practice_names["X-LONG"] =
      "Coordinate the hand-over from sales to delivery with every actor of "
      "the decision-making unit";
  options->period = "since 2024-01-01";
  cse::v1::GetCircumplexReportResponse report;
  report.set_account_id(
      "Internationale Nederlanden Groep Facilitaire Dienstverlening "
      "Noord-Holland B.V. <Haarlem & Amsterdam>");
  report.set_basis(cse::v1::CIRCUMPLEX_BASIS_SUGGESTED);
  AddCell(&report, "trigger_problem_analysis", Org::kAdHoc, Eng::kReactive,
          "X-LONG", 1);
  AddCell(&report, "renewal", Org::kAdHoc, Eng::kReactive, "X-LONG", 4);
  AddCell(&report, "safeguarding", Org::kRegular, Eng::kProactive,
          "custom_practice_without_a_name", 2);
  AddCell(&report, "not_in_the_model", Org::kRegular, Eng::kProactive, "P6", 3);
  AddCell(&report, "choice_purchase", Org::kAdHoc, Eng::kProactive, "P6", 1);
  report.mutable_cells(4)->clear_engagement();
  return report;
}

}  // namespace cse::testing

#endif  // CSE_TESTS_CLI_CIRCUMPLEX_SAMPLES_H_
