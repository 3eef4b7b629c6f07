// Outcome tags on Zendesk tickets: the tags an agent sets (typed, by
// macro, or as the option tag of a drop-down field) become RecordOutcome
// requests, from both payload shapes; malformed ones become warnings and
// the delivery still parses.
#include <functional>
#include <string>

#include "adapters/zendesk/zendesk_adapter.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/outcome_matchers.h"
#include "tests/testing/status_matchers.h"
#include "tests/unit/adapters/zendesk/zendesk_test_util.h"

namespace cse::adapters::zendesk {
namespace {

using ::cse::adapters::zendesk::testing::FixedNow;
using ::cse::adapters::zendesk::testing::kCommentAddedEvent;
using ::cse::adapters::zendesk::testing::kTicketCreatedEvent;
using ::cse::adapters::zendesk::testing::kTriggerCommentAdded;
using ::cse::adapters::zendesk::testing::SignedDelivery;
using ::cse::adapters::zendesk::testing::TestOptions;
using ::cse::testing::IsOk;
using ::cse::v1::RecordOutcomeRequest;
using ::google::protobuf::util::TimeUtil;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using Json = nlohmann::json;

// kCommentAddedEvent (ticket 5158, organization 8447346622462, envelope
// time 2025-01-08T11:02:30.118223051Z) turned into the event Zendesk sends
// when an agent changes the tags: ticket.tags_changed, with the ticket's
// tags after the change in detail.tags and the agent in detail.actor_id.
std::string TagsChanged(const Json& tags) {
  Json json = Json::parse(kCommentAddedEvent);
  json["type"] = "zen:event-type:ticket.tags_changed";
  json["id"] = "7c3e2a10-4b1d-4c61-9a55-2f0e4d8b9a01";
  json["event"] = Json::object();
  json["detail"]["tags"] = tags;
  json["detail"]["actor_id"] = "8447388090111";
  return json.dump();
}

class ZendeskOutcomeTagsTest : public ::testing::Test {
 protected:
  ZendeskOutcomeTagsTest()
      : adapter_(TestOptions(), /*http=*/nullptr, &FixedNow) {}

  CanonicalEvents Receive(const std::string& body) {
    absl::StatusOr<CanonicalEvents> events =
        adapter_.ReceiveWebhook(SignedDelivery(body));
    EXPECT_THAT(events, IsOk());
    return events.ok() ? *std::move(events) : CanonicalEvents();
  }

  static std::string Edited(const char* fixture,
                            const std::function<void(Json&)>& edit) {
    Json json = Json::parse(fixture);
    edit(json);
    return json.dump();
  }

  ZendeskAdapter adapter_;
};

TEST_F(ZendeskOutcomeTagsTest, AnAgentsTagBecomesOneOutcome) {
  const CanonicalEvents events =
      Receive(TagsChanged({"export", "cse-outcome-p8-restored"}));
  // The ticket event still goes to the sidecar, before the outcome.
  ASSERT_THAT(events.tickets, SizeIs(1));
  EXPECT_EQ(events.tickets[0].kind(), cse::v1::TICKET_EVENT_KIND_UPDATED);
  EXPECT_THAT(events.warnings, IsEmpty());
  ASSERT_THAT(events.outcomes, SizeIs(1));
  const RecordOutcomeRequest& o = events.outcomes[0];
  // No mode in the tag: the sidecar takes the suggestion's.
  EXPECT_THAT(o,
              cse::testing::IsTagOutcome(
                  {.outcome_id = "zendesk:ticket/5158:cse-outcome-p8-restored",
                   .account_id = "8447346622462",
                   .practice_id = "P8",
                   .reaction = cse::v1::CUSTOMER_REACTION_RESTORED,
                   .occurred_at_seconds = 1736334150,
                   .recorded_by = "8447388090111"}));
  // The update's time (the envelope's), the same as the ticket event's.
  EXPECT_EQ(TimeUtil::ToString(o.occurred_at()),
            "2025-01-08T11:02:30.118223051Z");
}

TEST_F(ZendeskOutcomeTagsTest, TheModeInTheTagIsSent) {
  const CanonicalEvents events =
      Receive(TagsChanged({"cse-outcome-p2-bolstered-regular-proactive"}));
  ASSERT_THAT(events.outcomes, SizeIs(1));
  const RecordOutcomeRequest& o = events.outcomes[0];
  EXPECT_EQ(o.outcome_id(),
            "zendesk:ticket/5158:cse-outcome-p2-bolstered-regular-proactive");
  EXPECT_EQ(o.practice_id(), "P2");
  EXPECT_EQ(o.reaction(), cse::v1::CUSTOMER_REACTION_BOLSTERED);
  EXPECT_EQ(o.organization(), cse::v1::MODE_OF_ORGANIZATION_REGULAR);
  EXPECT_EQ(o.engagement(), cse::v1::MODE_OF_ENGAGEMENT_PROACTIVE);
}

TEST_F(ZendeskOutcomeTagsTest, DropDownOptionTagSpellings) {
  // An admin may give a drop-down field's options tag values written with
  // '_' (cse_outcome_p8_restored); both spellings of one tag are one
  // outcome.
  const CanonicalEvents events = Receive(
      TagsChanged({"cse_outcome_p10_no_change", "cse_outcome_p8_restored",
                   "cse-outcome-p8-restored"}));
  EXPECT_THAT(events.warnings, IsEmpty());
  ASSERT_THAT(events.outcomes, SizeIs(2));
  EXPECT_EQ(events.outcomes[0].outcome_id(),
            "zendesk:ticket/5158:cse-outcome-p10-no-change");
  EXPECT_EQ(events.outcomes[0].practice_id(), "P10");
  EXPECT_EQ(events.outcomes[0].reaction(),
            cse::v1::CUSTOMER_REACTION_NO_CHANGE);
  EXPECT_EQ(events.outcomes[1].outcome_id(),
            "zendesk:ticket/5158:cse-outcome-p8-restored");
}

TEST_F(ZendeskOutcomeTagsTest, AMalformedTagIsAWarningAndTheDeliveryParses) {
  const CanonicalEvents events = Receive(
      TagsChanged({"cse-outcome-p8-happy", "vip", "cse-outcome-p3-worsened"}));
  ASSERT_THAT(events.tickets, SizeIs(1));
  EXPECT_EQ(events.tickets[0].ticket_id(), "5158");
  EXPECT_THAT(events.warnings,
              ElementsAre(AllOf(HasSubstr("ticket/5158"),
                                HasSubstr("\"cse-outcome-p8-happy\""),
                                HasSubstr("reaction \"happy\""))));
  ASSERT_THAT(events.outcomes, SizeIs(1));
  EXPECT_EQ(events.outcomes[0].practice_id(), "P3");
  EXPECT_EQ(events.outcomes[0].reaction(), cse::v1::CUSTOMER_REACTION_WORSENED);
}

TEST_F(ZendeskOutcomeTagsTest, ATagTypedWithSpacesIsSplitAndWarned) {
  // Zendesk ends a tag at a space: "cse-outcome p8 restored" typed into
  // the tags box arrives as three tags.
  const CanonicalEvents events =
      Receive(TagsChanged({"cse-outcome", "p8", "restored"}));
  EXPECT_THAT(events.outcomes, IsEmpty());
  EXPECT_THAT(events.warnings,
              ElementsAre(AllOf(HasSubstr("ticket/5158"),
                                HasSubstr("names no practice"))));
  EXPECT_THAT(events.tickets, SizeIs(1));
}

TEST_F(ZendeskOutcomeTagsTest, NoOutcomeTagNoOutcome) {
  // Zendesk's own ticket.created example: one ordinary tag.
  const CanonicalEvents events = Receive(kTicketCreatedEvent);
  EXPECT_THAT(events.tickets, SizeIs(1));
  EXPECT_THAT(events.outcomes, IsEmpty());
  EXPECT_THAT(events.warnings, IsEmpty());
  const CanonicalEvents no_tags = Receive(TagsChanged(Json::array()));
  EXPECT_THAT(no_tags.outcomes, IsEmpty());
}

TEST_F(ZendeskOutcomeTagsTest, ATagStillOnTheTicketLaterIsTheSameOutcome) {
  // The tag stays on the ticket: the customer's next comment re-sends it.
  const CanonicalEvents tagged =
      Receive(TagsChanged({"cse-outcome-p8-restored"}));
  const CanonicalEvents commented =
      Receive(Edited(kCommentAddedEvent, [](Json& j) {
        j["detail"]["tags"] = {"export", "cse-outcome-p8-restored"};
      }));
  ASSERT_THAT(tagged.outcomes, SizeIs(1));
  ASSERT_THAT(commented.outcomes, SizeIs(1));
  EXPECT_EQ(commented.outcomes[0].outcome_id(),
            "zendesk:ticket/5158:cse-outcome-p8-restored");
  EXPECT_EQ(tagged.outcomes[0].outcome_id(),
            commented.outcomes[0].outcome_id());
  // That later update was the customer's.
  EXPECT_EQ(commented.outcomes[0].recorded_by(), "8447388090494");
}

TEST_F(ZendeskOutcomeTagsTest, ATicketWithoutOrganizationUsesTheRequester) {
  const CanonicalEvents events =
      Receive(Edited(kTicketCreatedEvent, [](Json& j) {
        j["detail"]["organization_id"] = nullptr;
        j["detail"]["tags"] = {"cse-outcome-p1-restored"};
      }));
  ASSERT_THAT(events.outcomes, SizeIs(1));
  EXPECT_EQ(events.outcomes[0].account_id(), "zendesk-user-8447388090494");
}

TEST_F(ZendeskOutcomeTagsTest, IgnoredDeliveriesRecordNothing) {
  // A ticket event type the adapter does not follow: its detail is not
  // read at all.
  CanonicalEvents events = Receive(Edited(kTicketCreatedEvent, [](Json& j) {
    j["type"] = "zen:event-type:ticket.agent_assignment_changed";
    j["detail"]["tags"] = {"cse-outcome-p8-restored"};
  }));
  EXPECT_THAT(events.tickets, IsEmpty());
  EXPECT_THAT(events.outcomes, IsEmpty());
  // The adapter's own note (its marker line): its update is the adapter's,
  // not an agent's.
  events = Receive(Edited(kCommentAddedEvent, [](Json& j) {
    j["detail"]["tags"] = {"cse-outcome-p8-restored"};
    j["event"]["comment"]["is_public"] = false;
    j["event"]["comment"]["body"] = "Suggested: P8\n\ncse-marker: cse:x:1";
  }));
  EXPECT_THAT(events.tickets, IsEmpty());
  EXPECT_THAT(events.outcomes, IsEmpty());
}

// The trigger template (README.md): "tags": "{{ticket.tags}}", space
// separated, and "current_user".

TEST_F(ZendeskOutcomeTagsTest, TriggerTagsBecomeOutcomes) {
  const CanonicalEvents events =
      Receive(Edited(kTriggerCommentAdded, [](Json& j) {
        j["event"] = "updated";
        j["ticket"]["tags"] =
            "enterprise cse_outcome_p8_restored export cse-outcome-p9-bad";
        j["current_user"] = {{"id", "360001"},
                             {"name", "Sam Agent"},
                             {"email", "sam@provider.example"}};
      }));
  ASSERT_THAT(events.tickets, SizeIs(1));
  ASSERT_THAT(events.outcomes, SizeIs(1));
  const RecordOutcomeRequest& o = events.outcomes[0];
  EXPECT_EQ(o.outcome_id(), "zendesk:ticket/35436:cse-outcome-p8-restored");
  EXPECT_EQ(o.account_id(), "10002");
  EXPECT_EQ(o.practice_id(), "P8");
  EXPECT_EQ(o.reaction(), cse::v1::CUSTOMER_REACTION_RESTORED);
  EXPECT_TRUE(o.follow_latest_suggestion());
  // updated_at is 11:02 to the minute; the signature time 11:02:31 falls
  // in it, as for the ticket event.
  EXPECT_EQ(TimeUtil::ToString(o.occurred_at()), "2025-01-08T11:02:31Z");
  EXPECT_EQ(o.recorded_by(), "360001");
  EXPECT_THAT(events.warnings,
              ElementsAre(AllOf(HasSubstr("ticket/35436"),
                                HasSubstr("reaction \"bad\""))));
}

TEST_F(ZendeskOutcomeTagsTest, TriggerWithoutCurrentUserOrOutcomeTags) {
  const CanonicalEvents anonymous =
      Receive(Edited(kTriggerCommentAdded, [](Json& j) {
        j["event"] = "solved";
        j["ticket"]["tags"] = "cse-outcome-p4-bolstered-ad-hoc";
        j.erase("current_user");
      }));
  ASSERT_THAT(anonymous.outcomes, SizeIs(1));
  EXPECT_EQ(anonymous.outcomes[0].recorded_by(), "");
  EXPECT_EQ(anonymous.outcomes[0].organization(),
            cse::v1::MODE_OF_ORGANIZATION_AD_HOC);
  // The template as documented, tags "enterprise export": none.
  const CanonicalEvents plain = Receive(kTriggerCommentAdded);
  EXPECT_THAT(plain.tickets, SizeIs(1));
  EXPECT_THAT(plain.outcomes, IsEmpty());
  EXPECT_THAT(plain.warnings, IsEmpty());
}

TEST_F(ZendeskOutcomeTagsTest, TriggerUnknownEventRecordsNothing) {
  const CanonicalEvents events =
      Receive(Edited(kTriggerCommentAdded, [](Json& j) {
        j["event"] = "assigned";
        j["ticket"]["tags"] = "cse-outcome-p8-restored";
      }));
  EXPECT_THAT(events.ignored, SizeIs(1));
  EXPECT_THAT(events.outcomes, IsEmpty());
}

}  // namespace
}  // namespace cse::adapters::zendesk
