// Runs the built `cse-eval` binary on a tiny dataset and mapping written by
// the test, and checks the figures against ones worked out by hand.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/cli/subprocess.h"
#include "tests/cli/tiny_mapping.h"
#include "tests/testing/temp_dir.h"

#ifndef CSE_EVAL_BINARY
#error "CSE_EVAL_BINARY must name the cse-eval binary"
#endif

namespace cse::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

// Three items against kTinyMappingYaml:
//  e1 tune/ticket: type contract -> buying by the field rule (right); no
//     events; suggestions P1 (1.0) then P2 (0.5): top-1 hit, overlap 1/1.
//  e2 tune/ticket: "broken ... down" -> using by text (right); outage (tp);
//     P2 = 1.0 x 3 first: top-1 hit, overlap 1/1.
//  e3 holdout/meeting: "quote ... down" -> buying by text, expected using
//     (wrong); outage (tp), complaint missed (fn); P2 = 0.5 x 3 = 1.5 beats
//     P1 = 1.0: top-1 miss (expected P1, P3), overlap 1/2.
// Overall: accuracy 2/3; events tp 2, fp 0, fn 1 -> P 1, R 0.667,
// F1 0.8; top-1 2/3; overlap@3 (1 + 1 + 0.5) / 3 = 0.833; decided by field
// rule 1, text 2.
constexpr char kTinyDataset[] =
    R"({"id": "e1", "split": "tune", "style": "terse", "event": {"ticket": {"kind": "TICKET_EVENT_KIND_CREATED", "type": "contract", "subject": "Our contract", "body": "Please send it over."}}, "expected": {"phase": "buying", "critical_events": [], "practices": ["P1"]}}
{"id": "e2", "split": "tune", "style": "terse", "event": {"ticket": {"kind": "TICKET_EVENT_KIND_CREATED", "body": "The export is broken and the site is down."}}, "expected": {"phase": "using", "critical_events": ["outage"], "practices": ["P2"]}}

{"id": "e3", "split": "holdout", "style": "notes", "event": {"meeting": {"title": "Call", "notes": "They want a quote although the system is down."}}, "expected": {"phase": "using", "critical_events": ["outage", "complaint"], "practices": ["P1", "P3"]}}
)";

ProcessResult CseEval(std::vector<std::string> args) {
  args.insert(args.begin(), CSE_EVAL_BINARY);
  return RunProcess(args);
}

class CseEvalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mapping_ = dir_.WriteFile("tiny.yaml", kTinyMappingYaml);
    data_ = dir_.WriteFile("tiny.jsonl", kTinyDataset);
  }

  TempDir dir_;
  std::string mapping_;
  std::string data_;
};

TEST_F(CseEvalTest, TextFiguresMatchTheHandCount) {
  ProcessResult r = CseEval({"--config", mapping_, data_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string& out = r.out;
  EXPECT_THAT(out, HasSubstr("must not be used for tuning"));
  EXPECT_THAT(out, HasSubstr("== overall (3 items) ==\n"
                             "phase accuracy: 0.667 (2/3)\n"
                             "phase decided by: field rule 0.333 (1), text "
                             "signals 0.667 (2), account history 0.000 (0), "
                             "undecided 0.000 (0)\n"
                             "critical events: micro precision 1.000 recall "
                             "0.667 F1 0.800 (tp 2, fp 0, fn 1)\n"));
  EXPECT_THAT(out, HasSubstr("  complaint        n/a   0.000        1\n"));
  EXPECT_THAT(out, HasSubstr("  outage         1.000   1.000        2\n"));
  EXPECT_THAT(out, HasSubstr("practices: top-1 0.667 (2/3), overlap@3 0.833 (3 "
                             "items)\n"));
  EXPECT_THAT(out, HasSubstr("== tune (2 items) ==\n"
                             "phase accuracy: 1.000 (2/2)\n"));
  EXPECT_THAT(out, HasSubstr("== holdout (1 item) ==\n"
                             "phase accuracy: 0.000 (0/1)\n"));
  EXPECT_THAT(out, HasSubstr("== ticket (2 items) ==\n"));
  EXPECT_THAT(out, HasSubstr("== meeting (1 item) ==\n"));
  // Confusion: using expected, buying got once (overall block first).
  EXPECT_THAT(out, HasSubstr("     2 using        1    1    .\n"));
}

TEST_F(CseEvalTest, JsonFiguresMatchTheHandCount) {
  ProcessResult r = CseEval({"--config", mapping_, "--json", data_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  const nlohmann::json& all = j["groups"]["overall"];
  EXPECT_EQ(all["items"], 3);
  EXPECT_NEAR(all["phase"]["accuracy"].get<double>(), 2.0 / 3, 1e-9);
  EXPECT_EQ(all["phase"]["confusion"]["using"]["buying"], 1);
  EXPECT_EQ(all["phase"]["decided_by"]["field_rule"]["count"], 1);
  EXPECT_NEAR(all["critical_events"]["precision"].get<double>(), 1.0, 1e-9);
  EXPECT_NEAR(all["critical_events"]["recall"].get<double>(), 2.0 / 3, 1e-9);
  EXPECT_NEAR(all["critical_events"]["f1"].get<double>(), 0.8, 1e-9);
  EXPECT_TRUE(
      all["critical_events"]["per_type"]["complaint"]["precision"].is_null());
  EXPECT_EQ(all["critical_events"]["per_type"]["complaint"]["support"], 1);
  EXPECT_NEAR(all["practices"]["top1"].get<double>(), 2.0 / 3, 1e-9);
  EXPECT_NEAR(all["practices"]["overlap_at_3"].get<double>(), 2.5 / 3, 1e-9);
  EXPECT_NEAR(j["groups"]["holdout"]["practices"]["overlap_at_3"].get<double>(),
              0.5, 1e-9);
  EXPECT_NEAR(j["groups"]["meeting"]["phase"]["accuracy"].get<double>(), 0.0,
              1e-9);
}

TEST_F(CseEvalTest, MissesListOnlyTheTuneSplit) {
  // Make e1 wrong too (expected using), so the tune split has a miss.
  std::string data = kTinyDataset;
  data.replace(data.find("\"phase\": \"buying\""), 17, "\"phase\": \"using\"");
  const std::string path = dir_.WriteFile("misses.jsonl", data);
  ProcessResult r = CseEval({"--config", mapping_, "--misses", path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("e1 (ticket, terse)"));
  EXPECT_THAT(r.out, HasSubstr("phase: expected using, got buying "
                               "(field_rule"));
  EXPECT_THAT(r.out, HasSubstr("rule_contract"));
  EXPECT_THAT(r.out, Not(HasSubstr("e3 (")));  // holdout: never listed
  EXPECT_THAT(r.out, HasSubstr("holdout split must not be used for tuning"));
}

TEST_F(CseEvalTest, BadLineIsAnErrorWithFileAndLine) {
  const std::string bad = dir_.WriteFile(
      "bad.jsonl",
      absl::StrCat(std::string(kTinyDataset)
                       .substr(0, std::string(kTinyDataset).find('\n') + 1),
                   "{\"id\": \"x\", \"split\": \"tune\"\n"));
  ProcessResult r = CseEval({"--config", mapping_, bad});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(absl::StrCat(
                         bad, ":2: invalid JSON: parse error at column 28")));
}

TEST_F(CseEvalTest, UnknownEventFieldAndBadSplitAreErrors) {
  const std::string unknown = dir_.WriteFile(
      "unknown.jsonl",
      R"({"id": "u1", "split": "tune", "event": {"ticket": {"bodyy": "x"}}, "expected": {"phase": "using"}})"
      "\n");
  ProcessResult r = CseEval({"--config", mapping_, unknown});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, AllOf(HasSubstr(absl::StrCat(unknown, ":1: event: ")),
                           HasSubstr("bodyy")));

  const std::string split = dir_.WriteFile(
      "split.jsonl",
      R"({"id": "s1", "split": "train", "event": {"ticket": {}}, "expected": {"phase": "using"}})"
      "\n");
  r = CseEval({"--config", mapping_, split});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(absl::StrCat(split, ":1: split: must be")));
}

TEST_F(CseEvalTest, RepeatedIdIsAnError) {
  const std::string first_line =
      std::string(kTinyDataset)
          .substr(0, std::string(kTinyDataset).find('\n') + 1);
  const std::string dup =
      dir_.WriteFile("dup.jsonl", absl::StrCat(first_line, first_line));
  ProcessResult r = CseEval({"--config", mapping_, dup});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(absl::StrCat(dup, ":2: id \"e1\" repeats ")));
}

}  // namespace
}  // namespace cse::testing
