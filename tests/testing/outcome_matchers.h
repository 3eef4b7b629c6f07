// Matches the RecordOutcomeRequest an adapter makes of an agent's outcome
// label (adapters/common/outcome_tag.h): every field an adapter fills, and
// the ones it must leave to the sidecar (source, event_id: the sidecar
// follows the latest suggestion). One definition for the five adapters'
// tests, so they cannot drift on what an outcome from a label is.
#ifndef CSE_TESTS_TESTING_OUTCOME_MATCHERS_H_
#define CSE_TESTS_TESTING_OUTCOME_MATCHERS_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cse/v1/outcomes.pb.h"
#include "gmock/gmock.h"

namespace cse::testing {

struct TagOutcome {
  std::string outcome_id;
  std::string account_id;
  std::string practice_id;
  cse::v1::CustomerReaction reaction = cse::v1::CUSTOMER_REACTION_UNSPECIFIED;
  // The label's mode; UNSPECIFIED when it says none.
  cse::v1::ModeOfOrganization organization =
      cse::v1::MODE_OF_ORGANIZATION_UNSPECIFIED;
  cse::v1::ModeOfEngagement engagement =
      cse::v1::MODE_OF_ENGAGEMENT_UNSPECIFIED;
  int64_t occurred_at_seconds = 0;  // 0: unset
  std::string recorded_by;
};

class TagOutcomeMatcher {
 public:
  using is_gtest_matcher = void;

  explicit TagOutcomeMatcher(TagOutcome expected)
      : expected_(std::move(expected)) {}

  bool MatchAndExplain(const cse::v1::RecordOutcomeRequest& r,
                       std::ostream* os) const {
    std::vector<std::string> wrong;
    auto check = [&](bool ok, const char* field, const auto& got) {
      if (!ok) wrong.push_back(absl::StrCat(field, " is ", got));
    };
    const TagOutcome& e = expected_;
    check(r.outcome_id() == e.outcome_id, "outcome_id", r.outcome_id());
    check(r.account_id() == e.account_id, "account_id", r.account_id());
    check(r.practice_id() == e.practice_id, "practice_id", r.practice_id());
    check(r.reaction() == e.reaction, "reaction",
          cse::v1::CustomerReaction_Name(r.reaction()));
    check(r.organization() == e.organization, "organization",
          cse::v1::ModeOfOrganization_Name(r.organization()));
    check(r.engagement() == e.engagement, "engagement",
          cse::v1::ModeOfEngagement_Name(r.engagement()));
    check(r.follow_latest_suggestion(), "follow_latest_suggestion", "false");
    check(r.source().empty(), "source", r.source());
    check(r.event_id().empty(), "event_id", r.event_id());
    check(r.occurred_at().seconds() == e.occurred_at_seconds,
          "occurred_at.seconds", r.occurred_at().seconds());
    check(r.recorded_by() == e.recorded_by, "recorded_by", r.recorded_by());
    if (!wrong.empty() && os != nullptr) *os << absl::StrJoin(wrong, "; ");
    return wrong.empty();
  }

  void DescribeTo(std::ostream* os) const {
    *os << "is the outcome of a label: id " << expected_.outcome_id
        << ", account " << expected_.account_id << ", practice "
        << expected_.practice_id << ", "
        << cse::v1::CustomerReaction_Name(expected_.reaction)
        << ", following the latest suggestion";
  }
  void DescribeNegationTo(std::ostream* os) const {
    *os << "is not that outcome";
  }

 private:
  TagOutcome expected_;
};

inline ::testing::Matcher<const cse::v1::RecordOutcomeRequest&> IsTagOutcome(
    TagOutcome expected) {
  return TagOutcomeMatcher(std::move(expected));
}

}  // namespace cse::testing

#endif  // CSE_TESTS_TESTING_OUTCOME_MATCHERS_H_
