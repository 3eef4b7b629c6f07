// ZendeskAdapter::ReceiveWebhook: documented payloads to canonical events,
// unknown types ignored, duplicates, malformed input.
#include <functional>
#include <string>

#include "absl/strings/str_cat.h"
#include "adapters/zendesk/zendesk_adapter.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/status_matchers.h"
#include "tests/unit/adapters/zendesk/zendesk_test_util.h"

namespace cse::adapters::zendesk {
namespace {

using ::cse::adapters::zendesk::testing::FixedNow;
using ::cse::adapters::zendesk::testing::kCommentAddedEvent;
using ::cse::adapters::zendesk::testing::kStatusChangedEvent;
using ::cse::adapters::zendesk::testing::kTicketCreatedEvent;
using ::cse::adapters::zendesk::testing::kTriggerCommentAdded;
using ::cse::adapters::zendesk::testing::SignedDelivery;
using ::cse::adapters::zendesk::testing::TestOptions;
using ::cse::testing::IsOk;
using ::cse::testing::StatusIs;
using ::cse::v1::TicketEvent;
using ::google::protobuf::util::MessageDifferencer;
using ::google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::SizeIs;
using ::testing::StartsWith;
using ::testing::UnorderedElementsAre;
using Json = nlohmann::json;

class ZendeskWebhookTest : public ::testing::Test {
 protected:
  ZendeskWebhookTest() : adapter_(TestOptions(), /*http=*/nullptr, &FixedNow) {}

  // Receives `body`, signed; expects exactly one ticket event.
  TicketEvent ReceiveOne(const std::string& body, const std::string& timestamp =
                                                      "2025-01-08T11:02:31Z") {
    absl::StatusOr<CanonicalEvents> events =
        adapter_.ReceiveWebhook(SignedDelivery(body, timestamp));
    EXPECT_THAT(events, IsOk());
    if (!events.ok() || events->tickets.size() != 1) {
      ADD_FAILURE() << "expected one ticket event";
      return TicketEvent();
    }
    EXPECT_THAT(events->ignored, IsEmpty());
    return events->tickets[0];
  }

  absl::StatusOr<CanonicalEvents> Receive(const std::string& body) {
    return adapter_.ReceiveWebhook(SignedDelivery(body));
  }

  // The fixture with `edit` applied.
  static std::string Edited(const char* fixture,
                            const std::function<void(Json&)>& edit) {
    Json json = Json::parse(fixture);
    edit(json);
    return json.dump();
  }

  ZendeskAdapter adapter_;
};

TEST_F(ZendeskWebhookTest, DocumentedTicketCreatedExample) {
  const TicketEvent event = ReceiveOne(kTicketCreatedEvent);
  EXPECT_EQ(event.source(), "zendesk");
  EXPECT_EQ(event.event_id(), "cbe4028c-7239-495d-b020-f22348516046");
  EXPECT_EQ(event.ticket_id(), "5158");
  EXPECT_EQ(event.account().id(), "8447346622462");
  EXPECT_EQ(event.kind(), cse::v1::TICKET_EVENT_KIND_CREATED);
  EXPECT_EQ(event.subject(), "ticketinfo_2294a6e9ece2");
  EXPECT_EQ(event.body(), "ticket_info_desc_2294a6e9ece2");
  EXPECT_EQ(event.status(), "open");
  EXPECT_EQ(event.priority(), "low");
  EXPECT_EQ(event.type(), "task");
  EXPECT_EQ(event.channel(), "api");
  EXPECT_THAT(event.tags(), ElementsAre("ticket-info-test-tag"));
  EXPECT_EQ(event.requester().id(), "8447388090494");
  EXPECT_THAT(event.custom_fields(),
              UnorderedElementsAre(Pair("form_id", "8646151517822"),
                                   Pair("group_id", "8447320466430"),
                                   Pair("brand_id", "8447346621310")));
  EXPECT_EQ(TimeUtil::ToString(event.occurred_at()),
            "2025-01-08T10:12:07.672717030Z");
  EXPECT_EQ(event.sequence(), 0u);
}

TEST_F(ZendeskWebhookTest, PublicCommentFromTheCustomer) {
  const TicketEvent event = ReceiveOne(kCommentAddedEvent);
  EXPECT_EQ(event.kind(), cse::v1::TICKET_EVENT_KIND_COMMENTED);
  EXPECT_EQ(event.event_id(), "0a6fd4b0-5ef8-4a4e-9d8e-3b7f6f3e2c11");
  EXPECT_EQ(event.body(),
            "The export failed again tonight. We are stuck with the month-end "
            "close.");
  EXPECT_EQ(event.custom_fields().at("comment.is_public"), "true");
  EXPECT_EQ(event.requester().id(), "8447388090494");
  EXPECT_EQ(event.requester().name(), "Jane Requester");
  EXPECT_EQ(event.requester().role(), "end-user");
  EXPECT_EQ(event.priority(), "high");
  EXPECT_EQ(event.type(), "incident");
  EXPECT_EQ(event.channel(), "email");
  EXPECT_THAT(event.tags(), ElementsAre("export", "enterprise"));
}

TEST_F(ZendeskWebhookTest, PrivateAgentNoteIsMarkedPrivate) {
  const TicketEvent event = ReceiveOne(Edited(kCommentAddedEvent, [](Json& j) {
    j["event"]["comment"]["is_public"] = false;
    j["event"]["comment"]["author"]["is_staff"] = true;
    j["event"]["comment"]["author"]["name"] = "Sam Agent";
    j["event"]["comment"]["body"] = "Called the customer, rollback planned.";
  }));
  EXPECT_EQ(event.custom_fields().at("comment.is_public"), "false");
  EXPECT_EQ(event.requester().name(), "Sam Agent");
  EXPECT_EQ(event.requester().role(), "agent");
  EXPECT_EQ(event.body(), "Called the customer, rollback planned.");
}

TEST_F(ZendeskWebhookTest, TheAdaptersOwnNoteDoesNotComeBack) {
  absl::StatusOr<CanonicalEvents> events =
      Receive(Edited(kCommentAddedEvent, [](Json& j) {
        j["event"]["comment"]["is_public"] = false;
        j["event"]["comment"]["body"] =
            "Suggested practice: stabilise the situation.\n\n"
            "cse-marker: cse:zendesk:evt-1";
      }));
  ASSERT_THAT(events, IsOk());
  EXPECT_THAT(events->tickets, IsEmpty());
  ASSERT_THAT(events->ignored, SizeIs(1));
  EXPECT_THAT(events->ignored[0], HasSubstr("own note"));
}

TEST_F(ZendeskWebhookTest, LeavingSolvedIsAReopen) {
  const TicketEvent reopened = ReceiveOne(kStatusChangedEvent);
  EXPECT_EQ(reopened.kind(), cse::v1::TICKET_EVENT_KIND_REOPENED);
  EXPECT_EQ(reopened.status(), "open");

  const TicketEvent solved =
      ReceiveOne(Edited(kStatusChangedEvent, [](Json& j) {
        j["id"] = "5d1f0b55-0000-0000-0000-000000000002";
        j["event"] = {{"current", "SOLVED"}, {"previous", "OPEN"}};
        j["detail"]["status"] = "SOLVED";
      }));
  EXPECT_EQ(solved.kind(), cse::v1::TICKET_EVENT_KIND_STATUS_CHANGED);
  EXPECT_EQ(solved.status(), "solved");
}

TEST_F(ZendeskWebhookTest, FieldChangesAreUpdates) {
  for (const char* type : {"zen:event-type:ticket.priority_changed",
                           "zen:event-type:ticket.tags_changed",
                           "zen:event-type:ticket.subject_changed"}) {
    const TicketEvent event =
        ReceiveOne(Edited(kStatusChangedEvent, [type](Json& j) {
          j["type"] = type;
          j["event"] = {{"current", "URGENT"}, {"previous", "HIGH"}};
        }));
    EXPECT_EQ(event.kind(), cse::v1::TICKET_EVENT_KIND_UPDATED) << type;
    EXPECT_EQ(event.status(), "open") << type;
  }
}

TEST_F(ZendeskWebhookTest, UnfollowedAndNonTicketEventTypesAreIgnored) {
  for (const char* type :
       {"zen:event-type:ticket.agent_assignment_changed",
        "zen:event-type:ticket.custom_field_changed",
        "zen:event-type:user.created", "zen:event-type:organization.created"}) {
    absl::StatusOr<CanonicalEvents> events =
        Receive(Edited(kTicketCreatedEvent, [type](Json& j) {
          j["type"] = type;
          // Their detail is not a ticket; it must not be read.
          j["detail"] = {{"id", "not-a-ticket"}};
        }));
    ASSERT_THAT(events, IsOk()) << type;
    EXPECT_THAT(events->tickets, IsEmpty()) << type;
    ASSERT_THAT(events->ignored, SizeIs(1)) << type;
    EXPECT_THAT(events->ignored[0], StartsWith(type));
  }
}

TEST_F(ZendeskWebhookTest, ARedeliveryHasTheSameEventId) {
  // Zendesk retries a delivery with a new signature timestamp; the
  // sidecar's exactly-once ingest drops it by (source, event_id).
  const TicketEvent first = ReceiveOne(kCommentAddedEvent);
  const TicketEvent again =
      ReceiveOne(kCommentAddedEvent, "2025-01-08T11:02:33Z");
  EXPECT_EQ(first.event_id(), again.event_id());
  EXPECT_TRUE(MessageDifferencer::Equals(first, again));
}

TEST_F(ZendeskWebhookTest, NoOrganizationMeansTheRequesterIsTheAccount) {
  const TicketEvent event = ReceiveOne(Edited(kTicketCreatedEvent, [](Json& j) {
    j["detail"]["organization_id"] = nullptr;
  }));
  EXPECT_EQ(event.account().id(), "zendesk-user-8447388090494");
}

TEST_F(ZendeskWebhookTest, TicketIdFallsBackToTheSubject) {
  const TicketEvent event = ReceiveOne(
      Edited(kTicketCreatedEvent, [](Json& j) { j["detail"].erase("id"); }));
  EXPECT_EQ(event.ticket_id(), "5158");
}

TEST_F(ZendeskWebhookTest, MalformedJsonNamesTheByte) {
  EXPECT_THAT(Receive(R"({"type": "zen:event-type:ticket.created",)"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("/: malformed JSON (syntax error at byte")));
  EXPECT_THAT(Receive("[1, 2]"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("/: expected a JSON object")));
}

TEST_F(ZendeskWebhookTest, InvalidUtf8IsRefusedClearly) {
  std::string body = kCommentAddedEvent;
  const size_t at = body.find("stuck");
  body[at] = '\xC3';  // a lead byte followed by ASCII
  EXPECT_THAT(Receive(body),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(absl::StrCat(
                           "/: body is not valid UTF-8 (byte ", at, ")"))));
}

TEST_F(ZendeskWebhookTest, MalformedFieldsNameTheirPointer) {
  EXPECT_THAT(Receive(Edited(kTicketCreatedEvent,
                             [](Json& j) {
                               j["detail"]["tags"] = {"a", 7};
                             })),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("/detail/tags/1: expected a string, got "
                                 "integer")));
  EXPECT_THAT(Receive(Edited(kTicketCreatedEvent,
                             [](Json& j) { j["detail"]["id"] = "51x8"; })),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("/detail/id: expected a Zendesk id")));
  EXPECT_THAT(
      Receive(Edited(kTicketCreatedEvent, [](Json& j) { j.erase("id"); })),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("/id: required")));
  EXPECT_THAT(Receive(Edited(kTicketCreatedEvent,
                             [](Json& j) { j["detail"] = "5158"; })),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("/detail: expected an object, got string")));
  EXPECT_THAT(Receive(Edited(kCommentAddedEvent,
                             [](Json& j) { j["event"] = Json::object(); })),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("/event/comment: required")));
  EXPECT_THAT(Receive(Edited(kTicketCreatedEvent,
                             [](Json& j) { j["time"] = "yesterday"; })),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("/time: not an ISO 8601 time")));
}

TEST_F(ZendeskWebhookTest, AnUnknownShapeIsRefused) {
  // What an admin gets when a trigger sends some other body.
  EXPECT_THAT(Receive(R"({"say": "hello"})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("neither a Zendesk event")));
}

TEST_F(ZendeskWebhookTest, LongCommentsAreCutAtACharacterBoundary) {
  const std::string long_body = std::string(64 * 1024 - 1, 'a') + "\xC3\xA9z";
  const TicketEvent event = ReceiveOne(Edited(kCommentAddedEvent, [&](Json& j) {
    j["event"]["comment"]["body"] = long_body;
  }));
  EXPECT_EQ(event.body(), std::string(64 * 1024 - 1, 'a'));
}

TEST_F(ZendeskWebhookTest, UnsignedDeliveryIsNotParsed) {
  WebhookDelivery delivery = SignedDelivery(kTicketCreatedEvent);
  delivery.headers.Set(
      "X-Zendesk-Webhook-Signature",
      ZendeskSignature("wrong", "2025-01-08T11:02:31Z", delivery.body));
  EXPECT_THAT(adapter_.ReceiveWebhook(delivery),
              StatusIs(absl::StatusCode::kUnauthenticated));
  // Even a malformed body is refused for its signature first.
  WebhookDelivery garbage = SignedDelivery("not json");
  garbage.body = "still not json";
  EXPECT_THAT(adapter_.ReceiveWebhook(garbage),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

// The trigger template (README.md).

TEST_F(ZendeskWebhookTest, TriggerCommentAdded) {
  const TicketEvent event = ReceiveOne(kTriggerCommentAdded);
  EXPECT_EQ(event.kind(), cse::v1::TICKET_EVENT_KIND_COMMENTED);
  EXPECT_EQ(event.ticket_id(), "35436");
  EXPECT_THAT(event.event_id(), StartsWith("zendesk-trigger-35436-"));
  EXPECT_EQ(event.event_id().size(),
            std::string("zendesk-trigger-35436-").size() + 32);
  EXPECT_EQ(event.account().id(), "10002");
  EXPECT_EQ(event.account().name(), "Acme Logistics");
  EXPECT_EQ(event.subject(), "Export fails after upgrade");
  EXPECT_EQ(event.body(), "Still failing, this blocks our month-end close.");
  EXPECT_EQ(event.status(), "open");
  EXPECT_EQ(event.priority(), "high");
  EXPECT_EQ(event.type(), "incident");
  EXPECT_EQ(event.channel(), "email");
  EXPECT_THAT(event.tags(), ElementsAre("enterprise", "export"));
  EXPECT_THAT(event.custom_fields(),
              UnorderedElementsAre(Pair("360012345678", "enterprise_plan"),
                                   Pair("comment.is_public", "true")));
  EXPECT_EQ(event.requester().id(), "20978392");
  EXPECT_EQ(event.requester().email(), "jane@acme.example");
  // updated_at is to the minute; the signature time (11:02:31) falls in
  // that minute and is the more precise.
  EXPECT_EQ(TimeUtil::ToString(event.occurred_at()), "2025-01-08T11:02:31Z");
}

TEST_F(ZendeskWebhookTest, TriggerCreatedCarriesTheRequesterAndDescription) {
  const TicketEvent event =
      ReceiveOne(Edited(kTriggerCommentAdded, [](Json& j) {
        j["event"] = "created";
        j.erase("current_user");
      }));
  EXPECT_EQ(event.kind(), cse::v1::TICKET_EVENT_KIND_CREATED);
  EXPECT_EQ(event.body(), "Since the upgrade our nightly export fails.");
  EXPECT_EQ(event.requester().name(), "Jane Requester");
  EXPECT_EQ(event.requester().role(), "IT manager");
}

TEST_F(ZendeskWebhookTest, TriggerRetriesKeepTheirIdDifferentUpdatesDoNot) {
  const TicketEvent first = ReceiveOne(kTriggerCommentAdded);
  const TicketEvent retried =
      ReceiveOne(kTriggerCommentAdded, "2025-01-08T11:02:33Z");
  EXPECT_EQ(first.event_id(), retried.event_id());
  const TicketEvent next_comment =
      ReceiveOne(Edited(kTriggerCommentAdded, [](Json& j) {
        j["ticket"]["latest_comment"]["body"] = "And now the import too.";
      }));
  EXPECT_NE(first.event_id(), next_comment.event_id());
}

TEST_F(ZendeskWebhookTest, TriggerStatusEventsAndPlaceholderSpellings) {
  const TicketEvent solved =
      ReceiveOne(Edited(kTriggerCommentAdded, [](Json& j) {
        j["event"] = "solved";
        j["ticket"]["status"] = "Solved";
        j["ticket"]["priority"] = "-";
        j["ticket"]["type"] = "-";
        j["ticket"]["via"] = "Web Service (API)";
      }));
  EXPECT_EQ(solved.kind(), cse::v1::TICKET_EVENT_KIND_STATUS_CHANGED);
  EXPECT_EQ(solved.status(), "solved");
  EXPECT_EQ(solved.priority(), "");
  EXPECT_EQ(solved.type(), "");
  EXPECT_EQ(solved.channel(), "api");
  EXPECT_EQ(solved.body(), "");

  const TicketEvent reopened =
      ReceiveOne(Edited(kTriggerCommentAdded, [](Json& j) {
        j["event"] = "reopened";
        j["ticket"]["status"] = "On-hold";
      }));
  EXPECT_EQ(reopened.kind(), cse::v1::TICKET_EVENT_KIND_REOPENED);
  EXPECT_EQ(reopened.status(), "hold");
}

TEST_F(ZendeskWebhookTest, TriggerSatisfactionGoodAndBad) {
  const TicketEvent good = ReceiveOne(Edited(kTriggerCommentAdded, [](Json& j) {
    j["event"] = "satisfaction_rated";
    j["satisfaction"] = {{"rating", "Good"}, {"comment", "Quick fix, thanks"}};
  }));
  EXPECT_EQ(good.kind(), cse::v1::TICKET_EVENT_KIND_SATISFACTION_RATED);
  EXPECT_EQ(good.satisfaction().score(), 1);
  EXPECT_EQ(good.satisfaction().scale_max(), 1);
  EXPECT_EQ(good.satisfaction().comment(), "Quick fix, thanks");

  const TicketEvent bad = ReceiveOne(Edited(kTriggerCommentAdded, [](Json& j) {
    j["event"] = "satisfaction_rated";
    j["satisfaction"] = {{"rating", "Bad, I'm unsatisfied"}, {"comment", ""}};
  }));
  EXPECT_EQ(bad.satisfaction().score(), 0);
  EXPECT_EQ(bad.satisfaction().scale_max(), 1);
}

TEST_F(ZendeskWebhookTest, TriggerOfferedSurveyAndUnknownEventAreIgnored) {
  absl::StatusOr<CanonicalEvents> offered =
      Receive(Edited(kTriggerCommentAdded, [](Json& j) {
        j["event"] = "satisfaction_rated";
        j["satisfaction"] = {{"rating", "Offered"}, {"comment", ""}};
      }));
  ASSERT_THAT(offered, IsOk());
  EXPECT_THAT(offered->tickets, IsEmpty());
  EXPECT_THAT(offered->ignored, ElementsAre(HasSubstr("not a rating")));

  absl::StatusOr<CanonicalEvents> unknown = Receive(
      Edited(kTriggerCommentAdded, [](Json& j) { j["event"] = "assigned"; }));
  ASSERT_THAT(unknown, IsOk());
  EXPECT_THAT(unknown->tickets, IsEmpty());
  EXPECT_THAT(unknown->ignored, ElementsAre(HasSubstr("unknown event")));
}

TEST_F(ZendeskWebhookTest, TriggerMalformedFields) {
  EXPECT_THAT(Receive(Edited(kTriggerCommentAdded,
                             [](Json& j) { j["cse_template"] = "v0"; })),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("/cse_template: unsupported template")));
  EXPECT_THAT(Receive(Edited(kTriggerCommentAdded,
                             [](Json& j) { j["ticket"]["id"] = ""; })),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("/ticket/id: required")));
  EXPECT_THAT(
      Receive(Edited(kTriggerCommentAdded,
                     [](Json& j) {
                       j["ticket"]["latest_comment"]["is_public"] = "maybe";
                     })),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("/ticket/latest_comment/is_public: expected true or "
                         "false, got string")));
  EXPECT_THAT(Receive(Edited(
                  kTriggerCommentAdded,
                  [](Json& j) { j["ticket"]["custom_fields"]["a/b"] = {1}; })),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("/ticket/custom_fields/a~1b: expected a "
                                 "string, number or boolean")));
}

TEST_F(ZendeskWebhookTest, TriggerOccurredAtIsUpdatedAtWhenSentLater) {
  // A retry signed an hour after the update keeps the update's time.
  const TicketEvent event =
      ReceiveOne(Edited(kTriggerCommentAdded, [](Json& j) {
        j["ticket"]["updated_at"] = "2025-01-08T10:02Z";
      }));
  EXPECT_EQ(TimeUtil::ToString(event.occurred_at()), "2025-01-08T10:02:00Z");
}

}  // namespace
}  // namespace cse::adapters::zendesk
