// The circumplex renderers without a server: the SVG parses as XML, report
// text is escaped, marks follow recurrence and the quadrants follow the
// axes, and the empty report says so; the text table.
#include "sidecar/cli/circumplex_svg.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli/circumplex_samples.h"
#include "tests/cli/tiny_xml.h"

namespace cse::cli {
namespace {

using ::cse::testing::AddCell;
using ::cse::testing::Eng;
using ::cse::testing::Org;
using ::cse::testing::XmlDocument;
using ::cse::testing::XmlNode;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

XmlDocument Parse(const std::string& svg) {
  absl::StatusOr<XmlDocument> doc = cse::testing::ParseXml(svg);
  EXPECT_TRUE(doc.ok()) << doc.status() << "\n" << svg;
  if (!doc.ok()) return XmlDocument{std::make_unique<XmlNode>()};
  return *std::move(doc);
}

double NumAttr(const XmlNode& node, const char* attribute) {
  double v = 0;
  EXPECT_TRUE(absl::SimpleAtod(node.Attr(attribute), &v))
      << node.name << " " << attribute << "=\"" << node.Attr(attribute) << "\"";
  return v;
}

std::vector<const XmlNode*> Marks(const XmlNode& root) {
  std::vector<const XmlNode*> marks;
  for (const XmlNode* c : root.FindAll("circle")) {
    if (c->HasClass("mark")) marks.push_back(c);
  }
  return marks;
}

// The mark whose tooltip starts with `label` and names phase `phase`.
const XmlNode* MarkOf(const XmlNode& root, const std::string& label,
                      int phase) {
  const std::string needle = " · phase " + std::to_string(phase) + ",";
  for (const XmlNode* m : Marks(root)) {
    const XmlNode* title = m->Child("title");
    if (title != nullptr && absl::StartsWith(title->text, label) &&
        absl::StrContains(title->text, needle)) {
      return m;
    }
  }
  return nullptr;
}

std::vector<std::string> Texts(const XmlNode& root) {
  std::vector<std::string> texts;
  for (const XmlNode* t : root.FindAll("text")) texts.push_back(t->AllText());
  return texts;
}

bool HasText(const XmlNode& root, absl::string_view needle) {
  for (const std::string& t : Texts(root)) {
    if (absl::StrContains(t, needle)) return true;
  }
  return false;
}

// Set CSE_CIRCUMPLEX_SAMPLES_DIR to keep the sample figures (to look at
// them, or to refresh docs/circumplex-example.svg).
void MaybeKeep(const std::string& name, const std::string& svg) {
  const char* dir = std::getenv("CSE_CIRCUMPLEX_SAMPLES_DIR");
  if (dir == nullptr || *dir == '\0') return;
  std::ofstream(std::string(dir) + "/" + name) << svg;
}

TEST(CircumplexSvgTest, SamplesAreWellFormedSvg11) {
  struct Sample {
    const char* file;
    cse::v1::GetCircumplexReportResponse report;
    CircumplexSvgOptions options = cse::testing::FivePhaseOptions();
  };
  std::vector<Sample> samples = {
      {"circumplex-empty.svg", cse::testing::EmptyPortfolio()},
      {"circumplex-account.svg", cse::testing::OneAccount()},
      {"circumplex-busy.svg", cse::testing::BusyPortfolio()},
      {"circumplex-stress.svg", {}}};
  samples.back().report = cse::testing::StressReport(&samples.back().options);
  for (const Sample& sample : samples) {
    SCOPED_TRACE(sample.file);
    const std::string svg = RenderCircumplexSvg(sample.report, sample.options);
    MaybeKeep(sample.file, svg);
    EXPECT_TRUE(absl::StartsWith(svg, "<?xml version=\"1.0\""));
    const XmlDocument doc = Parse(svg);
    ASSERT_NE(doc.root, nullptr);
    EXPECT_EQ(doc.root->name, "svg");
    EXPECT_EQ(doc.root->Attr("xmlns"), "http://www.w3.org/2000/svg");
    EXPECT_EQ(doc.root->Attr("version"), "1.1");
    EXPECT_EQ(doc.root->Attr("width"), "900");
    EXPECT_GT(NumAttr(*doc.root, "height"), 600);
    // Everything drawn lies inside the canvas.
    const double height = NumAttr(*doc.root, "height");
    for (const XmlNode* t : doc.root->FindAll("text")) {
      EXPECT_GE(NumAttr(*t, "x"), 0);
      EXPECT_LE(NumAttr(*t, "x"), 900);
      EXPECT_GT(NumAttr(*t, "y"), 0);
      EXPECT_LT(NumAttr(*t, "y"), height) << t->AllText();
    }
  }
}

TEST(CircumplexSvgTest, AxesQuadrantsAndHalvesAreLabelled) {
  const XmlDocument doc = Parse(RenderCircumplexSvg(
      cse::testing::OneAccount(), cse::testing::FivePhaseOptions()));
  for (const char* label : {"ad hoc", "regular", "proactive", "reactive",
                            "mode of organization", "mode of engagement"}) {
    EXPECT_TRUE(HasText(*doc.root, label)) << label;
  }
  std::vector<std::string> quadrants;
  for (const XmlNode* t : doc.root->FindAll("text")) {
    if (t->HasClass("quadrant-label")) quadrants.push_back(t->AllText());
  }
  EXPECT_THAT(quadrants,
              ElementsAre("ad hoc · proactive", "regular · proactive",
                          "ad hoc · reactive", "regular · reactive"));
  EXPECT_TRUE(HasText(*doc.root, "Bolstering CSE"));
  EXPECT_TRUE(HasText(*doc.root, "Restoring CSE"));
  EXPECT_TRUE(HasText(*doc.root, "account “acme-logistics”"));
  EXPECT_TRUE(HasText(*doc.root, "all recorded work"));
  // Legends: the three recurrence classes, the five phases by name.
  for (const char* word :
       {"occasionally", "sometimes", "frequently",
        "Trigger and problem analysis", "Evaluation and follow-up"}) {
    EXPECT_TRUE(HasText(*doc.root, word)) << word;
  }
  // The share: 6 restoring, 1 bolstering.
  EXPECT_TRUE(HasText(*doc.root, "restoring 86% (6)"));
  EXPECT_TRUE(HasText(*doc.root, "bolstering 14% (1)"));
}

TEST(CircumplexSvgTest, PeriodOptionIsShown) {
  CircumplexSvgOptions options = cse::testing::FivePhaseOptions();
  options.period = "since 2024-01-01";
  const XmlDocument doc =
      Parse(RenderCircumplexSvg(cse::testing::OneAccount(), options));
  EXPECT_TRUE(HasText(*doc.root, "since 2024-01-01"));
  EXPECT_FALSE(HasText(*doc.root, "all recorded work"));
}

TEST(CircumplexSvgTest, ReportTextIsEscaped) {
  cse::v1::GetCircumplexReportResponse report;
  report.set_account_id("<script>alert(\"x\")</script> & Sons 'Ltd'");
  AddCell(&report, "phase&<1>", Org::kAdHoc, Eng::kReactive, "<b>P&1</b>", 1);
  CircumplexSvgOptions options;
  options.practice_names["<b>P&1</b>"] = "Fix </text><script>x</script>";
  const std::string svg = RenderCircumplexSvg(report, options);
  EXPECT_THAT(svg, Not(HasSubstr("<script")));
  EXPECT_THAT(svg, Not(HasSubstr("<b>")));
  EXPECT_THAT(svg, HasSubstr("&lt;script&gt;"));
  const XmlDocument doc = Parse(svg);
  EXPECT_TRUE(doc.root->FindAll("script").empty());
  // Decoded, the text is what the CRM sent.
  EXPECT_TRUE(HasText(*doc.root, "<script>alert(\"x\")</script> & Sons 'Ltd'"));
  EXPECT_TRUE(HasText(*doc.root, "Fix </text><script>x</script>"));
  EXPECT_TRUE(HasText(*doc.root, "phase&<1>"));
  ASSERT_NE(MarkOf(*doc.root, "Fix </text><script>x</script> (<b>P&1</b>)", 1),
            nullptr);
}

TEST(CircumplexSvgTest, InvalidUtf8AndControlCharactersAreReplaced) {
  cse::v1::GetCircumplexReportResponse report;
  // A lone continuation byte, an overlong "/", ESC, NUL, a C1 control.
  report.set_account_id(std::string("acme\x80\xC0\xAF\x1B[31m\0x\xC2\x9B", 15));
  AddCell(&report, "p", Org::kAdHoc, Eng::kReactive, "P\x01", 1);
  const std::string svg = RenderCircumplexSvg(report, {});
  const XmlDocument doc = Parse(svg);  // the parser checks UTF-8 and chars
  EXPECT_THAT(svg, Not(HasSubstr("\x1B")));
  EXPECT_TRUE(
      HasText(*doc.root, "acme\uFFFD\uFFFD\uFFFD\uFFFD[31m\uFFFDx\uFFFD"));

  const std::string table = RenderCircumplexTable(report, {});
  EXPECT_THAT(table, Not(HasSubstr("\x1B")));
  EXPECT_THAT(table, Not(HasSubstr(std::string(1, '\0'))));
  EXPECT_THAT(table, HasSubstr("acme\uFFFD"));
}

TEST(CircumplexSvgTest, MarksScaleWithRecurrenceClass) {
  cse::v1::GetCircumplexReportResponse report;
  AddCell(&report, "p", Org::kRegular, Eng::kReactive, "P1", 1);
  AddCell(&report, "p", Org::kRegular, Eng::kReactive, "P2", 2);
  AddCell(&report, "p", Org::kRegular, Eng::kReactive, "P3", 3);
  AddCell(&report, "p", Org::kRegular, Eng::kReactive, "P4", 9);
  // No recurrence from the server: classified from the count.
  AddCell(&report, "p", Org::kRegular, Eng::kReactive, "P5", 2);
  report.mutable_cells(4)->clear_recurrence();
  const XmlDocument doc = Parse(RenderCircumplexSvg(report, {}));
  auto radius = [&](const char* practice) {
    const XmlNode* m = MarkOf(*doc.root, practice, 1);
    EXPECT_NE(m, nullptr) << practice;
    return m == nullptr ? 0.0 : NumAttr(*m, "r");
  };
  const double once = radius("P1");
  const double twice = radius("P2");
  const double thrice = radius("P3");
  EXPECT_GT(once, 0);
  EXPECT_LT(once, twice);
  EXPECT_LT(twice, thrice);
  EXPECT_EQ(radius("P4"), thrice);  // "frequently" is 3 or more
  EXPECT_EQ(radius("P5"), twice);
  EXPECT_TRUE(MarkOf(*doc.root, "P1", 1)->HasClass("recurrence-occasionally"));
  EXPECT_TRUE(MarkOf(*doc.root, "P2", 1)->HasClass("recurrence-sometimes"));
  EXPECT_TRUE(MarkOf(*doc.root, "P4", 1)->HasClass("recurrence-frequently"));
  // The legend's marks are the same three sizes.
  std::vector<double> legend;
  for (const XmlNode* c : doc.root->FindAll("circle")) {
    if (c->HasClass("legend-mark")) legend.push_back(NumAttr(*c, "r"));
  }
  EXPECT_THAT(legend, ElementsAre(once, twice, thrice));
}

TEST(CircumplexSvgTest, QuadrantPlacementFollowsTheAxes) {
  cse::v1::GetCircumplexReportResponse report;
  AddCell(&report, "p", Org::kAdHoc, Eng::kProactive, "P1", 1);
  AddCell(&report, "p", Org::kRegular, Eng::kProactive, "P2", 1);
  AddCell(&report, "p", Org::kAdHoc, Eng::kReactive, "P3", 1);
  AddCell(&report, "p", Org::kRegular, Eng::kReactive, "P4", 1);
  const XmlDocument doc = Parse(RenderCircumplexSvg(report, {}));

  const XmlNode* organization = doc.root->FindById("axis-organization");
  const XmlNode* engagement = doc.root->FindById("axis-engagement");
  ASSERT_NE(organization, nullptr);
  ASSERT_NE(engagement, nullptr);
  // Organization runs across, engagement up and down; they cross.
  const double axis_y = NumAttr(*organization, "y1");
  EXPECT_EQ(NumAttr(*organization, "y2"), axis_y);
  const double axis_x = NumAttr(*engagement, "x1");
  EXPECT_EQ(NumAttr(*engagement, "x2"), axis_x);
  EXPECT_LT(NumAttr(*organization, "x1"), axis_x);
  EXPECT_GT(NumAttr(*organization, "x2"), axis_x);
  EXPECT_LT(NumAttr(*engagement, "y1"), axis_y);
  EXPECT_GT(NumAttr(*engagement, "y2"), axis_y);

  struct Expect {
    const char* practice;
    int x_sign;  // regular: right of the engagement axis
    int y_sign;  // proactive: above the organization axis (SVG y down)
    const char* quadrant;
  };
  for (const Expect& e : {Expect{"P1", -1, -1, "quadrant-adhoc-proactive"},
                          Expect{"P2", +1, -1, "quadrant-regular-proactive"},
                          Expect{"P3", -1, +1, "quadrant-adhoc-reactive"},
                          Expect{"P4", +1, +1, "quadrant-regular-reactive"}}) {
    SCOPED_TRACE(e.practice);
    const XmlNode* mark = MarkOf(*doc.root, e.practice, 1);
    ASSERT_NE(mark, nullptr);
    EXPECT_EQ(NumAttr(*mark, "cx") > axis_x ? 1 : -1, e.x_sign);
    EXPECT_EQ(NumAttr(*mark, "cy") > axis_y ? 1 : -1, e.y_sign);
    const XmlNode* group = mark;
    while (group != nullptr && !group->HasClass("quadrant")) {
      group = group->parent;
    }
    ASSERT_NE(group, nullptr);
    EXPECT_EQ(group->Attr("id"), e.quadrant);
  }

  // The bolstering half lies above the organization axis, the restoring
  // half below it.
  const XmlNode* bolstering = doc.root->FindById("half-bolstering");
  const XmlNode* restoring = doc.root->FindById("half-restoring");
  ASSERT_NE(bolstering, nullptr);
  ASSERT_NE(restoring, nullptr);
  EXPECT_LE(NumAttr(*bolstering, "y") + NumAttr(*bolstering, "height"), axis_y);
  EXPECT_GE(NumAttr(*restoring, "y"), axis_y);
}

TEST(CircumplexSvgTest, PhaseColumnsFollowTheModelOrder) {
  cse::v1::GetCircumplexReportResponse report;
  AddCell(&report, "evaluation_follow_up", Org::kAdHoc, Eng::kReactive, "P4",
          1);
  AddCell(&report, "trigger_problem_analysis", Org::kAdHoc, Eng::kReactive,
          "P4", 1);
  AddCell(&report, "unknown_phase", Org::kAdHoc, Eng::kReactive, "P4", 1);
  const XmlDocument doc =
      Parse(RenderCircumplexSvg(report, cse::testing::FivePhaseOptions()));
  const XmlNode* first = MarkOf(*doc.root, "Solve problems ad hoc (P4)", 1);
  const XmlNode* fifth = MarkOf(*doc.root, "Solve problems ad hoc (P4)", 5);
  // A phase the model lacks comes sixth, named by its id.
  const XmlNode* sixth = MarkOf(*doc.root, "Solve problems ad hoc (P4)", 6);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(fifth, nullptr);
  ASSERT_NE(sixth, nullptr);
  EXPECT_LT(NumAttr(*first, "cx"), NumAttr(*fifth, "cx"));
  EXPECT_LT(NumAttr(*fifth, "cx"), NumAttr(*sixth, "cx"));
  EXPECT_THAT(sixth->Child("title")->text, HasSubstr("phase 6, unknown_phase"));
  EXPECT_NE(first->Attr("fill"), fifth->Attr("fill"));
  EXPECT_EQ(Marks(*doc.root).size(), 3u);
}

TEST(CircumplexSvgTest, EmptyReportSaysNoPracticesRecorded) {
  const XmlDocument doc = Parse(RenderCircumplexSvg(
      cse::testing::EmptyPortfolio(), cse::testing::FivePhaseOptions()));
  const XmlNode* none = doc.root->FindById("no-practices");
  ASSERT_NE(none, nullptr);
  EXPECT_THAT(none->AllText(), HasSubstr("No practices recorded"));
  EXPECT_THAT(none->AllText(), HasSubstr("in the portfolio"));
  EXPECT_TRUE(Marks(*doc.root).empty());
  // Still the whole circumplex around it.
  EXPECT_NE(doc.root->FindById("axis-organization"), nullptr);
  EXPECT_NE(doc.root->FindById("quadrant-regular-reactive"), nullptr);
  EXPECT_TRUE(HasText(*doc.root, "no practices counted"));

  const XmlDocument busy = Parse(RenderCircumplexSvg(
      cse::testing::BusyPortfolio(), cse::testing::FivePhaseOptions()));
  EXPECT_EQ(busy.root->FindById("no-practices"), nullptr);
}

TEST(CircumplexSvgTest, ZeroCountsAndUnplacedCellsDrawNoMark) {
  cse::v1::GetCircumplexReportResponse report;
  AddCell(&report, "p", Org::kAdHoc, Eng::kReactive, "P1", 0);
  AddCell(&report, "p", Org::kAdHoc, Eng::kReactive, "P2", 2);
  report.mutable_cells(1)->clear_organization();
  const XmlDocument doc = Parse(RenderCircumplexSvg(report, {}));
  EXPECT_TRUE(Marks(*doc.root).empty());
  const XmlNode* note = doc.root->FindById("unplaced");
  ASSERT_NE(note, nullptr);
  EXPECT_THAT(note->AllText(), HasSubstr("2 occurrences without a circumplex"));
  EXPECT_NE(doc.root->FindById("no-practices"), nullptr);
}

TEST(CircumplexSvgTest, BusyPortfolioDrawsEveryCellOnce) {
  const auto report = cse::testing::BusyPortfolio();
  const XmlDocument doc =
      Parse(RenderCircumplexSvg(report, cse::testing::FivePhaseOptions()));
  EXPECT_EQ(Marks(*doc.root).size(), static_cast<size_t>(report.cells_size()));
  for (const char* name :
       {"Provide constructive advice", "Stabilise the situation",
        "Manage the relationship strategically", "Take decisive action"}) {
    EXPECT_TRUE(HasText(*doc.root, name)) << name;
  }
}

TEST(CircumplexSvgTest, OutputIsDeterministicWhateverTheCellOrder) {
  const auto options = cse::testing::FivePhaseOptions();
  const auto report = cse::testing::BusyPortfolio();
  auto reversed = report;
  std::reverse(reversed.mutable_cells()->begin(),
               reversed.mutable_cells()->end());
  const std::string svg = RenderCircumplexSvg(report, options);
  EXPECT_EQ(svg, RenderCircumplexSvg(report, options));
  EXPECT_EQ(svg, RenderCircumplexSvg(reversed, options));
  // Practices in catalog order: P2 before P10 in the ad hoc · reactive box.
  const XmlDocument doc = Parse(svg);
  const XmlNode* box = doc.root->FindById("quadrant-adhoc-reactive");
  ASSERT_NE(box, nullptr);
  std::vector<std::string> names;
  for (const XmlNode* t : box->FindAll("text")) {
    if (t->HasClass("practice-name")) names.push_back(t->text);
  }
  EXPECT_THAT(
      names,
      ElementsAre("Analyse the problem thoroughly", "Solve problems ad hoc",
                  "Manage the relationship strategically",
                  "Take decisive action", "Manage expectations",
                  "Empathise with the customer", "Stabilise the situation"));
}

TEST(CircumplexSvgTest, LongNamesAreShortenedToTheirBox) {
  cse::v1::GetCircumplexReportResponse report;
  report.set_account_id(std::string(300, 'W'));
  AddCell(&report, "p", Org::kAdHoc, Eng::kReactive, "X1", 1);
  CircumplexSvgOptions options;
  options.practice_names["X1"] = std::string(200, 'm');
  const XmlDocument doc = Parse(RenderCircumplexSvg(report, options));
  const XmlNode* title = doc.root->FindById("title");
  ASSERT_NE(title, nullptr);
  EXPECT_TRUE(absl::EndsWith(title->text, "…"));
  EXPECT_LT(title->text.size(), 120u);
  bool shortened = false;
  for (const XmlNode* t : doc.root->FindAll("text")) {
    if (t->HasClass("practice-name")) {
      shortened = absl::EndsWith(t->text, "…");
      EXPECT_LT(t->text.size(), 60u);
      // The whole name stays available as the tooltip.
      ASSERT_NE(t->Child("title"), nullptr);
      EXPECT_EQ(t->Child("title")->text, std::string(200, 'm') + " (X1)");
    }
  }
  EXPECT_TRUE(shortened);
}

TEST(CircumplexTableTest, CountsByQuadrantAndPhase) {
  const std::string table = RenderCircumplexTable(
      cse::testing::OneAccount(), cse::testing::FivePhaseOptions());
  EXPECT_THAT(table, HasSubstr("Circumplex report: account “acme-logistics”"));
  EXPECT_THAT(table, HasSubstr("Phases: 1 Trigger and problem analysis · 2 "));
  EXPECT_THAT(table, HasSubstr("ad hoc · proactive → bolsters CSE: 1 practice, "
                               "once\n"));
  EXPECT_THAT(table, HasSubstr("regular · proactive → bolsters CSE: none "
                               "recorded\n"));
  EXPECT_THAT(table, HasSubstr("ad hoc · reactive → restores CSE: 2 "
                               "practices, 4 times\n"));
  // P4 three times in phase 4; its row ends with the total.
  EXPECT_THAT(table, HasSubstr("  Solve problems ad hoc (P4)                 "
                               "  .   .   .   3   .      3\n"));
  EXPECT_THAT(table, HasSubstr("Restoring 6 (86%) · bolstering 1 (14%)\n"));
}

TEST(CircumplexTableTest, EmptyReport) {
  EXPECT_EQ(RenderCircumplexTable(cse::testing::EmptyPortfolio(), {}),
            "Circumplex report: portfolio · all recorded work · practices "
            "the team applied (recorded outcomes)\nNo practices recorded.\n");
}

}  // namespace
}  // namespace cse::cli
