// JourneyService against the real server: assessments computed from the
// test's own mapping, ingest and idempotency, journey memory, and every
// INVALID_ARGUMENT case with the field it names.
#include "sidecar/server/journey_service.h"

#include <memory>
#include <optional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sidecar/store/journey_memory.h"
#include "tests/integration/test_mappings.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/test_sidecar.h"

namespace cse::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

std::vector<std::string> SuggestionIds(const cse::v1::Assessment& a) {
  std::vector<std::string> ids;
  for (const auto& s : a.suggestions()) ids.push_back(s.practice_id());
  return ids;
}

std::vector<std::string> EventTypes(const cse::v1::Assessment& a) {
  std::vector<std::string> types;
  for (const auto& e : a.critical_events()) types.push_back(e.type());
  return types;
}

cse::v1::TicketEvent OutageTicket(const std::string& event_id) {
  cse::v1::TicketEvent t;
  t.set_source("zendesk");
  t.set_event_id(event_id);
  t.set_ticket_id("T-1");
  t.mutable_account()->set_id("acme");
  t.set_kind(cse::v1::TICKET_EVENT_KIND_CREATED);
  t.set_subject("Export");
  t.set_body("The export is down since the go-live.");
  return t;
}

cse::v1::MeetingEvent KickOffWithAbsentKeyPerson() {
  cse::v1::MeetingEvent m;
  m.set_source("hubspot");
  m.set_event_id("m-1");
  m.set_meeting_id("M-1");
  m.mutable_account()->set_id("acme");
  m.set_title("Project start");
  m.set_notes("We walked through the plan.");
  m.set_meeting_type(cse::v1::MEETING_TYPE_KICK_OFF);
  cse::v1::Attendee* sponsor = m.add_attendees();
  sponsor->mutable_person()->set_name("Dana");
  sponsor->mutable_person()->set_role("project leader");
  sponsor->set_side(cse::v1::SIDE_CUSTOMER);
  sponsor->set_planned(true);
  sponsor->set_attended(false);
  sponsor->set_key_person(true);
  return m;
}

class JourneyServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { Start({}); }

  void Start(api::EventLimits limits) {
    sidecar_.reset();
    auto started = TestSidecar::Start(TestMappingYaml(), limits);
    ASSERT_THAT(started, IsOk());
    sidecar_ = *std::move(started);
  }

  grpc::Status Assess(const cse::v1::AssessRequest& request,
                      cse::v1::AssessResponse* response) {
    return sidecar_->journey().Assess(ContextWithDeadline().get(), request,
                                      response);
  }
  grpc::Status IngestTicket(const cse::v1::IngestTicketRequest& request,
                            cse::v1::IngestResponse* response) {
    return sidecar_->journey().IngestTicket(ContextWithDeadline().get(),
                                            request, response);
  }
  grpc::Status IngestMeeting(const cse::v1::IngestMeetingRequest& request,
                             cse::v1::IngestResponse* response) {
    return sidecar_->journey().IngestMeeting(ContextWithDeadline().get(),
                                             request, response);
  }

  std::unique_ptr<TestSidecar> sidecar_;
};

TEST_F(JourneyServiceTest, AssessTicketFollowsTheMappingsRules) {
  cse::v1::AssessRequest request;
  *request.mutable_ticket() = OutageTicket("e-1");
  cse::v1::AssessResponse response;
  ASSERT_THAT(Assess(request, &response), GrpcIsOk());

  const cse::v1::Assessment& a = response.assessment();
  EXPECT_EQ(a.source(), "zendesk");
  EXPECT_EQ(a.event_id(), "e-1");
  EXPECT_EQ(a.phase().id(), "implementation");
  EXPECT_EQ(a.phase().number(), 2u);
  EXPECT_EQ(a.phase().decided_by(), cse::v1::REASON_KIND_TEXT_SIGNAL);
  ASSERT_THAT(a.phase().because(), Not(IsEmpty()));
  EXPECT_EQ(a.phase().because(0).rule_id(), "i.golive");
  EXPECT_THAT(EventTypes(a), ElementsAre("breakdown"));
  EXPECT_THAT(SuggestionIds(a), ElementsAre("P10", "P4"));
  EXPECT_DOUBLE_EQ(a.suggestions(0).score(), 0.6 * 4 * 1.5);
  EXPECT_EQ(a.suggestions(0).organization(),
            cse::v1::MODE_OF_ORGANIZATION_REGULAR);
  EXPECT_EQ(a.suggestions(0).playbook_name(), "Major incident");
  EXPECT_DOUBLE_EQ(a.suggestions(1).score(), 0.5 * 3);
  EXPECT_EQ(a.mapping_version(), sidecar_->active().Current()->info.version);
  EXPECT_FALSE(response.has_explanation());
}

TEST_F(JourneyServiceTest, AssessMeetingUsesFieldRulesAndConditions) {
  cse::v1::AssessRequest request;
  *request.mutable_meeting() = KickOffWithAbsentKeyPerson();
  cse::v1::AssessResponse response;
  ASSERT_THAT(Assess(request, &response), GrpcIsOk());

  const cse::v1::Assessment& a = response.assessment();
  EXPECT_EQ(a.phase().id(), "implementation");
  EXPECT_EQ(a.phase().decided_by(), cse::v1::REASON_KIND_FIELD_RULE);
  EXPECT_EQ(a.phase().because(0).rule_id(), "meeting.kickoff");
  EXPECT_THAT(EventTypes(a), ElementsAre("absent_key_person"));
  EXPECT_THAT(SuggestionIds(a), ElementsAre("P6", "P10"));
  EXPECT_DOUBLE_EQ(a.suggestions(0).score(), 0.2 * 4);
}

TEST_F(JourneyServiceTest, AssessExplainAndTopN) {
  cse::v1::AssessRequest request;
  *request.mutable_ticket() = OutageTicket("e-1");
  request.mutable_options()->set_top_n(3);
  request.mutable_options()->set_explain(true);
  cse::v1::AssessResponse response;
  ASSERT_THAT(Assess(request, &response), GrpcIsOk());
  EXPECT_EQ(response.assessment().suggestions_size(), 3);
  // Every practice is ranked in the explanation, not only the top 3.
  EXPECT_EQ(response.explanation().all_practices_size(), 4);
  EXPECT_THAT(response.explanation().traces(), Not(IsEmpty()));
}

TEST_F(JourneyServiceTest, AssessRecordsNothing) {
  cse::v1::AssessRequest request;
  *request.mutable_ticket() = OutageTicket("e-1");
  cse::v1::AssessResponse response;
  ASSERT_THAT(Assess(request, &response), GrpcIsOk());
  EXPECT_THAT(sidecar_->store().FindAssessment("zendesk", "e-1"),
              IsOkAndHolds(Eq(std::nullopt)));
  EXPECT_THAT(sidecar_->store().LastKnownPhase("acme"), IsOkAndHolds(Eq("")));
}

TEST_F(JourneyServiceTest, IngestTicketRecordsAndADuplicateChangesNothing) {
  cse::v1::IngestTicketRequest request;
  *request.mutable_event() = OutageTicket("e-1");
  cse::v1::IngestResponse first;
  ASSERT_THAT(IngestTicket(request, &first), GrpcIsOk());
  EXPECT_FALSE(first.duplicate());
  EXPECT_EQ(first.assessment().phase().id(), "implementation");
  auto stored = sidecar_->store().FindAssessment("zendesk", "e-1");
  ASSERT_THAT(stored, IsOk());
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ(**stored, first.assessment().SerializeAsString());

  // The same delivery again, even with a different body: the stored answer.
  request.mutable_event()->set_body("Thanks, all good now, nothing is down.");
  cse::v1::IngestResponse second;
  ASSERT_THAT(IngestTicket(request, &second), GrpcIsOk());
  EXPECT_TRUE(second.duplicate());
  EXPECT_EQ(second.assessment().SerializeAsString(),
            first.assessment().SerializeAsString());
  EXPECT_THAT(sidecar_->store().FindAssessment("zendesk", "e-1"),
              IsOkAndHolds(Eq(*stored)));
  EXPECT_THAT(sidecar_->store().LastKnownPhase("acme"),
              IsOkAndHolds(Eq("implementation")));
}

TEST_F(JourneyServiceTest, IngestMeetingRecordsThePhase) {
  cse::v1::IngestMeetingRequest request;
  *request.mutable_event() = KickOffWithAbsentKeyPerson();
  request.mutable_options()->set_explain(true);
  cse::v1::IngestResponse response;
  ASSERT_THAT(IngestMeeting(request, &response), GrpcIsOk());
  EXPECT_FALSE(response.duplicate());
  EXPECT_EQ(response.assessment().phase().id(), "implementation");
  EXPECT_EQ(response.explanation().all_practices_size(), 4);
  EXPECT_THAT(sidecar_->store().LastKnownPhase("acme"),
              IsOkAndHolds(Eq("implementation")));
}

TEST_F(JourneyServiceTest, AnEventWithoutSignalsGetsTheAccountsLastPhase) {
  cse::v1::IngestTicketRequest first;
  *first.mutable_event() = OutageTicket("e-1");
  cse::v1::IngestResponse response;
  ASSERT_THAT(IngestTicket(first, &response), GrpcIsOk());
  ASSERT_EQ(response.assessment().phase().id(), "implementation");

  cse::v1::IngestTicketRequest second;
  *second.mutable_event() = OutageTicket("e-2");
  second.mutable_event()->set_subject("Question");
  second.mutable_event()->set_body("Where do I find the invoice?");
  ASSERT_THAT(IngestTicket(second, &response), GrpcIsOk());
  EXPECT_EQ(response.assessment().phase().id(), "implementation");
  EXPECT_EQ(response.assessment().phase().decided_by(),
            cse::v1::REASON_KIND_ACCOUNT_HISTORY);

  // Another account has no history: the phase stays unknown.
  second.mutable_event()->set_event_id("e-3");
  second.mutable_event()->mutable_account()->set_id("globex");
  ASSERT_THAT(IngestTicket(second, &response), GrpcIsOk());
  EXPECT_EQ(response.assessment().phase().id(), "");

  // A dry run sees the same memory.
  cse::v1::AssessRequest assess;
  *assess.mutable_ticket() = first.event();
  assess.mutable_ticket()->set_body("Where do I find the invoice?");
  cse::v1::AssessResponse assessed;
  ASSERT_THAT(Assess(assess, &assessed), GrpcIsOk());
  EXPECT_EQ(assessed.assessment().phase().decided_by(),
            cse::v1::REASON_KIND_ACCOUNT_HISTORY);
}

TEST_F(JourneyServiceTest, AssumeLastPhaseOverridesTheMemory) {
  cse::v1::AssessRequest request;
  request.mutable_ticket()->set_body("Where do I find the invoice?");
  request.set_assume_last_phase_id("renewal");
  cse::v1::AssessResponse response;
  ASSERT_THAT(Assess(request, &response), GrpcIsOk());
  EXPECT_EQ(response.assessment().phase().id(), "renewal");
  EXPECT_EQ(response.assessment().phase().decided_by(),
            cse::v1::REASON_KIND_ACCOUNT_HISTORY);
}

// ---- INVALID_ARGUMENT names the field.

TEST_F(JourneyServiceTest, IngestRequiresEventId) {
  cse::v1::IngestTicketRequest request;
  *request.mutable_event() = OutageTicket("");
  cse::v1::IngestResponse response;
  EXPECT_THAT(IngestTicket(request, &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           Eq("event.event_id: required")));
}

TEST_F(JourneyServiceTest, IngestRequiresAKind) {
  cse::v1::IngestTicketRequest request;
  *request.mutable_event() = OutageTicket("e-1");
  request.mutable_event()->set_kind(cse::v1::TICKET_EVENT_KIND_UNSPECIFIED);
  cse::v1::IngestResponse response;
  EXPECT_THAT(IngestTicket(request, &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("event.kind: required")));
}

TEST_F(JourneyServiceTest, IngestMeetingRequiresAccountId) {
  cse::v1::IngestMeetingRequest request;
  *request.mutable_event() = KickOffWithAbsentKeyPerson();
  request.mutable_event()->mutable_account()->clear_id();
  cse::v1::IngestResponse response;
  EXPECT_THAT(IngestMeeting(request, &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           Eq("event.account.id: required")));
}

// "caf", then a UTF-8 lead byte followed by a non-continuation byte.
const std::string kInvalidUtf8Body("caf\xC3\x28 is down", 12);

TEST_F(JourneyServiceTest, InvalidUtf8NeverReachesTheServiceOverGrpc) {
  // What really happens with gRPC 1.51 and protobuf 3.21: the C++ client
  // serialises the proto3 string anyway (logging an error), the server's
  // protobuf parser refuses it, and gRPC's callback API fails a request that
  // does not parse with UNIMPLEMENTED and an empty message, before our
  // handler runs. (Clients in other languages refuse to send it at all.)
  cse::v1::IngestTicketRequest request;
  *request.mutable_event() = OutageTicket("e-1");
  request.mutable_event()->set_body(kInvalidUtf8Body);
  cse::v1::IngestResponse response;
  EXPECT_THAT(IngestTicket(request, &response),
              GrpcStatusIs(grpc::StatusCode::UNIMPLEMENTED, Eq("")));
  EXPECT_THAT(sidecar_->store().FindAssessment("zendesk", "e-1"),
              IsOkAndHolds(Eq(std::nullopt)));
}

TEST_F(JourneyServiceTest, InvalidUtf8IsRejectedByTheHandlerNamingTheField) {
  // Where the bytes do reach the service (a transport or parser that does
  // not check UTF-8), its own validation names the field and the offset.
  server::JourneyServiceImpl service(&sidecar_->active(), &sidecar_->store(),
                                     server::JourneyServiceOptions{});
  cse::v1::IngestTicketRequest ingest;
  *ingest.mutable_event() = OutageTicket("e-1");
  ingest.mutable_event()->set_body(kInvalidUtf8Body);
  cse::v1::IngestResponse ingested;
  EXPECT_THAT(service.HandleIngestTicket(ingest, &ingested),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       Eq("event.body: invalid UTF-8 at byte 3")));

  cse::v1::AssessRequest assess;
  *assess.mutable_meeting() = KickOffWithAbsentKeyPerson();
  assess.mutable_meeting()->set_title(kInvalidUtf8Body);
  cse::v1::AssessResponse assessed;
  EXPECT_THAT(service.HandleAssess(assess, &assessed),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       Eq("meeting.title: invalid UTF-8 at byte 3")));
}

// A store that fails, or that loses the idempotency race, on demand. Only
// the ingest path is scripted; the rest answers UNIMPLEMENTED (outcome
// tallies: none).
class ScriptedStore : public store::JourneyMemory {
 public:
  absl::Status fail_with;
  // OutcomeTallies fails only with this, so that a service can be built.
  absl::Status fail_tallies;
  std::optional<std::string> race_winner;

  absl::StatusOr<std::optional<std::string>> RecordIngest(
      const store::IngestRecord& record) override {
    if (!fail_with.ok()) return fail_with;
    return race_winner;
  }
  absl::StatusOr<std::optional<std::string>> FindAssessment(
      absl::string_view, absl::string_view) override {
    if (!fail_with.ok()) return fail_with;
    return std::optional<std::string>();
  }
  absl::StatusOr<std::string> LastKnownPhase(absl::string_view) override {
    if (!fail_with.ok()) return fail_with;
    return std::string();
  }
  absl::StatusOr<store::AccountJourney> GetAccountJourney(
      const store::JourneyQuery&) override {
    return Unscripted();
  }
  absl::StatusOr<std::vector<store::AccountRisk>> ListAccountsAtRisk(
      const store::AtRiskQuery&) override {
    return Unscripted();
  }
  absl::StatusOr<store::ErasedCounts> EraseAccount(absl::string_view) override {
    return Unscripted();
  }
  absl::StatusOr<std::vector<store::CircumplexCount>> CircumplexCounts(
      absl::string_view, store::CircumplexBasis,
      const store::TimeWindow&) override {
    return Unscripted();
  }
  absl::StatusOr<std::vector<store::WritebackJob>> LeaseWritebacks(
      const store::LeaseRequest&) override {
    return Unscripted();
  }
  absl::StatusOr<store::WritebackJob> AckWriteback(
      const store::AckRequest&) override {
    return Unscripted();
  }
  absl::StatusOr<std::vector<store::WritebackJob>> ListDeadLetters(
      const store::DeadLetterQuery&) override {
    return Unscripted();
  }
  absl::StatusOr<store::WritebackJob> RetryDeadLetter(int64_t) override {
    return Unscripted();
  }
  absl::StatusOr<store::RecordedOutcome> RecordOutcome(
      const store::OutcomeRecord&) override {
    return Unscripted();
  }
  absl::StatusOr<std::vector<store::OutcomeTally>> OutcomeTallies() override {
    if (!fail_tallies.ok()) return fail_tallies;
    return std::vector<store::OutcomeTally>();
  }

 private:
  absl::Status Unscripted() const {
    if (!fail_with.ok()) return fail_with;
    return absl::UnimplementedError("not scripted");
  }
};

TEST_F(JourneyServiceTest, StoreErrorsAreUnavailable) {
  ScriptedStore store;
  store.fail_with = absl::InternalError("disk full");
  server::JourneyServiceImpl service(&sidecar_->active(), &store,
                                     server::JourneyServiceOptions{});
  cse::v1::IngestTicketRequest request;
  *request.mutable_event() = OutageTicket("e-1");
  cse::v1::IngestResponse response;
  EXPECT_THAT(service.HandleIngestTicket(request, &response),
              StatusIs(absl::StatusCode::kUnavailable,
                       Eq("journey store: find: disk full")));

  cse::v1::AssessRequest assess;
  *assess.mutable_ticket() = OutageTicket("e-1");
  cse::v1::AssessResponse assessed;
  EXPECT_THAT(service.HandleAssess(assess, &assessed),
              StatusIs(absl::StatusCode::kUnavailable,
                       Eq("journey store: last phase: disk full")));
}

TEST_F(JourneyServiceTest,
       JourneyStoreFailuresAreUnavailableVerdictsPassThrough) {
  ScriptedStore store;
  server::JourneyServiceImpl service(&sidecar_->active(), &store,
                                     server::JourneyServiceOptions{});
  cse::v1::GetAccountJourneyRequest journey;
  journey.set_account_id("acme");
  cse::v1::GetAccountJourneyResponse journey_response;
  store.fail_with = absl::InternalError("disk full");
  EXPECT_THAT(service.HandleGetAccountJourney(journey, &journey_response),
              StatusIs(absl::StatusCode::kUnavailable,
                       Eq("journey store: journey: disk full")));
  // The store's verdict on the request itself reaches the caller as it is.
  store.fail_with = absl::NotFoundError("account acme has no events");
  EXPECT_THAT(
      service.HandleGetAccountJourney(journey, &journey_response),
      StatusIs(absl::StatusCode::kNotFound, Eq("account acme has no events")));

  cse::v1::RecordOutcomeRequest outcome;
  outcome.set_account_id("acme");
  outcome.set_practice_id("P10");
  outcome.set_organization(cse::v1::MODE_OF_ORGANIZATION_REGULAR);
  outcome.set_engagement(cse::v1::MODE_OF_ENGAGEMENT_REACTIVE);
  outcome.set_reaction(cse::v1::CUSTOMER_REACTION_RESTORED);
  cse::v1::RecordOutcomeResponse recorded;
  store.fail_with = absl::UnavailableError("connection lost");
  EXPECT_THAT(service.HandleRecordOutcome(outcome, &recorded),
              StatusIs(absl::StatusCode::kUnavailable,
                       Eq("journey store: record outcome: connection lost")));
}

TEST_F(JourneyServiceTest, FailingOutcomeTalliesLeaveTheRankingUnlearned) {
  // The stats cannot be built: the service still starts and assesses with
  // the mapping's priors alone.
  ScriptedStore store;
  store.fail_tallies = absl::UnavailableError("connection lost");
  server::JourneyServiceImpl service(&sidecar_->active(), &store,
                                     server::JourneyServiceOptions{});
  cse::v1::AssessRequest assess;
  *assess.mutable_ticket() = OutageTicket("e-1");
  cse::v1::AssessResponse assessed;
  ASSERT_THAT(service.HandleAssess(assess, &assessed), IsOk());
  EXPECT_THAT(SuggestionIds(assessed.assessment()), ElementsAre("P10", "P4"));
  EXPECT_EQ(assessed.assessment().suggestions(0).breakdown().outcomes_total(),
            0u);
}

TEST_F(JourneyServiceTest, LosingTheIdempotencyRaceAnswersWithTheWinner) {
  // Another delivery of the same event was recorded between our lookup and
  // our write: the caller gets the winner's assessment, marked duplicate.
  cse::v1::Assessment winner;
  winner.set_event_id("e-1");
  winner.set_mapping_version("winner@000000000000");
  ScriptedStore store;
  store.race_winner = winner.SerializeAsString();
  server::JourneyServiceImpl service(&sidecar_->active(), &store,
                                     server::JourneyServiceOptions{});
  cse::v1::IngestTicketRequest request;
  *request.mutable_event() = OutageTicket("e-1");
  request.mutable_options()->set_explain(true);
  cse::v1::IngestResponse response;
  ASSERT_THAT(service.HandleIngestTicket(request, &response), IsOk());
  EXPECT_TRUE(response.duplicate());
  EXPECT_EQ(response.assessment().mapping_version(), "winner@000000000000");
  EXPECT_FALSE(response.has_explanation());
}

TEST_F(JourneyServiceTest, TopNAboveTenIsRejected) {
  cse::v1::IngestTicketRequest request;
  *request.mutable_event() = OutageTicket("e-1");
  request.mutable_options()->set_top_n(11);
  cse::v1::IngestResponse response;
  EXPECT_THAT(IngestTicket(request, &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           Eq("options.top_n: at most 10")));
  EXPECT_THAT(sidecar_->store().FindAssessment("zendesk", "e-1"),
              IsOkAndHolds(Eq(std::nullopt)));

  cse::v1::AssessRequest assess;
  *assess.mutable_ticket() = OutageTicket("e-1");
  assess.mutable_options()->set_top_n(11);
  cse::v1::AssessResponse assessed;
  EXPECT_THAT(Assess(assess, &assessed),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           Eq("options.top_n: at most 10")));
}

TEST_F(JourneyServiceTest, AssessRequiresTicketOrMeeting) {
  cse::v1::AssessRequest request;
  cse::v1::AssessResponse response;
  EXPECT_THAT(Assess(request, &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           Eq("event: one of ticket or meeting is required")));
}

TEST_F(JourneyServiceTest, AssessRejectsAnUnknownAssumedPhase) {
  cse::v1::AssessRequest request;
  *request.mutable_ticket() = OutageTicket("e-1");
  request.set_assume_last_phase_id("x");
  cse::v1::AssessResponse response;
  EXPECT_THAT(Assess(request, &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           Eq("assume_last_phase_id: unknown phase \"x\"")));
}

TEST_F(JourneyServiceTest, AssessNamesTheMeetingPrefix) {
  cse::v1::AssessRequest request;
  *request.mutable_meeting() = KickOffWithAbsentKeyPerson();
  request.mutable_meeting()->set_meeting_type(
      static_cast<cse::v1::MeetingType>(42));
  cse::v1::AssessResponse response;
  EXPECT_THAT(Assess(request, &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           Eq("meeting.meeting_type: unknown value 42")));
}

TEST_F(JourneyServiceTest, BodyOverTheServersLimitIsRejected) {
  api::EventLimits limits;
  limits.max_text_bytes = 1024;
  Start(limits);
  cse::v1::IngestTicketRequest request;
  *request.mutable_event() = OutageTicket("e-1");
  request.mutable_event()->set_body(std::string(1025, 'a'));
  cse::v1::IngestResponse response;
  EXPECT_THAT(
      IngestTicket(request, &response),
      GrpcStatusIs(
          grpc::StatusCode::INVALID_ARGUMENT,
          Eq("event.body: 1025 bytes exceeds the limit of 1024 bytes")));

  // At the limit it is fine.
  request.mutable_event()->set_body(std::string(1024, 'a'));
  EXPECT_THAT(IngestTicket(request, &response), GrpcIsOk());
}

TEST_F(JourneyServiceTest, MessageOverGrpcsLimitIsResourceExhausted) {
  api::EventLimits limits;
  limits.max_text_bytes = 1024;
  Start(limits);
  // The server accepts 2 * 1024 + 64 KiB; send well over that.
  cse::v1::AssessRequest request;
  *request.mutable_ticket() = OutageTicket("e-1");
  request.mutable_ticket()->set_body(std::string(100 * 1024, 'a'));
  cse::v1::AssessResponse response;
  EXPECT_THAT(Assess(request, &response),
              GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED,
                           HasSubstr("larger than max")));
}

TEST_F(JourneyServiceTest, NoActiveMappingIsUnavailable) {
  sidecar_.reset();
  auto started = TestSidecar::Start("");
  ASSERT_THAT(started, IsOk());
  sidecar_ = *std::move(started);
  cse::v1::AssessRequest request;
  *request.mutable_ticket() = OutageTicket("e-1");
  cse::v1::AssessResponse response;
  EXPECT_THAT(
      Assess(request, &response),
      GrpcStatusIs(grpc::StatusCode::UNAVAILABLE, Eq("no active mapping")));
}

}  // namespace
}  // namespace cse::testing
