#include "adapters/common/outcome_tag.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tests/testing/status_matchers.h"

namespace cse::adapters {
namespace {

using ::cse::testing::IsOk;
using ::cse::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

TEST(OutcomeTagTest, PracticeAndReaction) {
  auto tag = ParseOutcomeTag("cse-outcome-p8-restored");
  ASSERT_THAT(tag, IsOk());
  EXPECT_EQ(tag->practice_id, "P8");
  EXPECT_EQ(tag->reaction, cse::v1::CUSTOMER_REACTION_RESTORED);
  EXPECT_EQ(tag->organization, cse::v1::MODE_OF_ORGANIZATION_UNSPECIFIED);
  EXPECT_EQ(tag->engagement, cse::v1::MODE_OF_ENGAGEMENT_UNSPECIFIED);
  EXPECT_EQ(tag->canonical, "cse-outcome-p8-restored");
}

TEST(OutcomeTagTest, EveryReactionAndMode) {
  struct Case {
    const char* label;
    cse::v1::CustomerReaction reaction;
    cse::v1::ModeOfOrganization organization;
    cse::v1::ModeOfEngagement engagement;
  };
  const Case cases[] = {
      {"cse-outcome-p2-bolstered-regular-proactive",
       cse::v1::CUSTOMER_REACTION_BOLSTERED,
       cse::v1::MODE_OF_ORGANIZATION_REGULAR,
       cse::v1::MODE_OF_ENGAGEMENT_PROACTIVE},
      {"cse-outcome-p10-worsened-ad-hoc", cse::v1::CUSTOMER_REACTION_WORSENED,
       cse::v1::MODE_OF_ORGANIZATION_AD_HOC,
       cse::v1::MODE_OF_ENGAGEMENT_UNSPECIFIED},
      {"cse-outcome-p3-no-change-reactive",
       cse::v1::CUSTOMER_REACTION_NO_CHANGE,
       cse::v1::MODE_OF_ORGANIZATION_UNSPECIFIED,
       cse::v1::MODE_OF_ENGAGEMENT_REACTIVE},
      // The mode in either order; "adhoc", "nochange" as one word.
      {"cse-outcome-p4-nochange-proactive-adhoc",
       cse::v1::CUSTOMER_REACTION_NO_CHANGE,
       cse::v1::MODE_OF_ORGANIZATION_AD_HOC,
       cse::v1::MODE_OF_ENGAGEMENT_PROACTIVE},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    auto tag = ParseOutcomeTag(c.label);
    ASSERT_THAT(tag, IsOk());
    EXPECT_EQ(tag->reaction, c.reaction);
    EXPECT_EQ(tag->organization, c.organization);
    EXPECT_EQ(tag->engagement, c.engagement);
  }
}

// CRMs rewrite labels: Zendesk lowercases tags and turns spaces into '_';
// a Salesforce Topic keeps spaces and case. One spelling comes out.
TEST(OutcomeTagTest, SpellingsACrmMayProduceHaveOneCanonicalForm) {
  for (const char* label :
       {"cse_outcome_p8_no_change_ad_hoc", "CSE-Outcome-P8-No-Change-Ad-Hoc",
        "cse outcome p8 no change ad hoc", "cse:outcome:p8:nochange:adhoc",
        "  cse--outcome-p8-no-change-ad-hoc-  "}) {
    SCOPED_TRACE(label);
    auto tag = ParseOutcomeTag(label);
    ASSERT_THAT(tag, IsOk());
    EXPECT_EQ(tag->canonical, "cse-outcome-p8-no-change-ad-hoc");
    EXPECT_EQ(tag->practice_id, "P8");
  }
}

TEST(OutcomeTagTest, AdminDefinedPracticeIdsPassAsWritten) {
  auto tag = ParseOutcomeTag("cse-outcome-qbrprep-bolstered");
  ASSERT_THAT(tag, IsOk());
  EXPECT_EQ(tag->practice_id, "qbrprep");
}

TEST(OutcomeTagTest, MistakesSayWhatIsWrongAndWhatWouldBeRight) {
  EXPECT_THAT(ParseOutcomeTag("cse-outcome-p8-happy"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("reaction \"happy\" is not one of restored, "
                                 "bolstered, no-change, worsened")));
  EXPECT_THAT(ParseOutcomeTag("cse-outcome-p8"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("names no reaction")));
  EXPECT_THAT(ParseOutcomeTag("cse-outcome"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("names no practice")));
  EXPECT_THAT(ParseOutcomeTag("cse-outcome-p8-restored-weekly"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("\"weekly\" is not a mode")));
  EXPECT_THAT(ParseOutcomeTag("cse-outcome-p8-restored-regular-ad-hoc"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("mode of organization twice")));
  EXPECT_THAT(ParseOutcomeTag("cse-outcome-p8-restored-reactive-proactive"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("mode of engagement twice")));
  EXPECT_THAT(ParseOutcomeTag("vip"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("does not start with \"cse-outcome-\"")));
  EXPECT_FALSE(LooksLikeOutcomeTag("cse-outcomes"));
  EXPECT_FALSE(LooksLikeOutcomeTag("cse-phase-implementation"));
  EXPECT_TRUE(LooksLikeOutcomeTag("CSE_OUTCOME_P1_RESTORED"));
}

OutcomeTagSource Ticket42() {
  OutcomeTagSource where;
  where.account_id = "acme";
  where.source = "zendesk";
  where.object_key = "ticket/42";
  where.occurred_at = absl::FromUnixSeconds(1764000000) + absl::Milliseconds(5);
  where.recorded_by = "agent 7";
  return where;
}

TEST(OutcomeTagTest, OutcomesFromTheLabelsOfOneObject) {
  std::vector<std::string> rejected;
  const auto outcomes = OutcomesFromTags(
      Ticket42(),
      {"vip", "cse-phase-implementation", "cse-outcome-p8-restored",
       "cse_outcome_p8_restored", "cse-outcome-p2-bolstered-regular-proactive",
       "cse-outcome-p9-sad"},
      &rejected);
  ASSERT_THAT(outcomes, SizeIs(2));
  const cse::v1::RecordOutcomeRequest& first = outcomes[0];
  EXPECT_EQ(first.outcome_id(), "zendesk:ticket/42:cse-outcome-p8-restored");
  EXPECT_EQ(first.account_id(), "acme");
  EXPECT_EQ(first.practice_id(), "P8");
  EXPECT_EQ(first.reaction(), cse::v1::CUSTOMER_REACTION_RESTORED);
  EXPECT_EQ(first.organization(), cse::v1::MODE_OF_ORGANIZATION_UNSPECIFIED);
  EXPECT_TRUE(first.follow_latest_suggestion());
  EXPECT_TRUE(first.source().empty());
  EXPECT_TRUE(first.event_id().empty());
  EXPECT_EQ(first.occurred_at().seconds(), 1764000000);
  EXPECT_EQ(first.occurred_at().nanos(), 5000000);
  EXPECT_EQ(first.recorded_by(), "agent 7");
  EXPECT_THAT(first.description(), HasSubstr("cse-outcome-p8-restored"));
  EXPECT_EQ(outcomes[1].engagement(), cse::v1::MODE_OF_ENGAGEMENT_PROACTIVE);
  EXPECT_THAT(rejected, ElementsAre(HasSubstr("ticket/42: outcome tag "
                                              "\"cse-outcome-p9-sad\"")));
}

TEST(OutcomeTagTest, TheIdDependsOnTheObjectAndStaysWithinTheApiLimit) {
  OutcomeTagSource other = Ticket42();
  other.object_key = "ticket/43";
  const auto a =
      OutcomesFromTags(Ticket42(), {"cse-outcome-p8-restored"}, nullptr);
  const auto b = OutcomesFromTags(other, {"cse-outcome-p8-restored"}, nullptr);
  ASSERT_THAT(a, SizeIs(1));
  ASSERT_THAT(b, SizeIs(1));
  EXPECT_NE(a[0].outcome_id(), b[0].outcome_id());

  OutcomeTagSource long_key = Ticket42();
  long_key.object_key = std::string(300, 'k');
  const auto c =
      OutcomesFromTags(long_key, {"cse-outcome-p8-restored"}, nullptr);
  ASSERT_THAT(c, SizeIs(1));
  EXPECT_LE(c[0].outcome_id().size(), 256u);
  long_key.object_key.back() = 'j';
  const auto d =
      OutcomesFromTags(long_key, {"cse-outcome-p8-restored"}, nullptr);
  EXPECT_NE(c[0].outcome_id(), d[0].outcome_id());
}

TEST(OutcomeTagTest, NoOutcomeTagsNoOutcomes) {
  std::vector<std::string> rejected;
  EXPECT_THAT(OutcomesFromTags(Ticket42(), {"vip", "billing"}, &rejected),
              IsEmpty());
  EXPECT_THAT(rejected, IsEmpty());
}

}  // namespace
}  // namespace cse::adapters
