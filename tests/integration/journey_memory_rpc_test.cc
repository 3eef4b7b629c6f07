// The journey-memory RPCs of JourneyService through the real server, on
// every backend: an account's journey (events in their own order, phase
// history with step-backs and explanations), the accounts at risk, erasure,
// outcomes feeding the ranking, and the circumplex report.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sidecar/api/proto_time.h"
#include "tests/integration/backend_sidecar.h"

namespace cse::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

// Ten days before the store's clock: every event below is inside the
// default 30-day open window.
const absl::Time kT0 = kTestEpoch - absl::Hours(24 * 10);

cse::v1::TicketEvent Ticket(const std::string& account,
                            const std::string& event_id, absl::Time at,
                            const std::string& body) {
  cse::v1::TicketEvent t;
  t.set_source("zendesk");
  t.set_event_id(event_id);
  t.set_ticket_id(absl::StrCat("T-", event_id));
  t.mutable_account()->set_id(account);
  t.set_kind(cse::v1::TICKET_EVENT_KIND_COMMENTED);
  t.set_subject("Ticket");
  t.set_body(body);
  api::ToProto(at, t.mutable_occurred_at());
  return t;
}

cse::v1::MeetingEvent KickOffWithAbsentKeyPerson(const std::string& event_id) {
  cse::v1::MeetingEvent m;
  m.set_source("hubspot");
  m.set_event_id(event_id);
  m.set_meeting_id("M-1");
  m.mutable_account()->set_id("acme");
  m.set_title("Project start");
  m.set_notes("We walked through the plan.");
  m.set_meeting_type(cse::v1::MEETING_TYPE_KICK_OFF);
  cse::v1::Attendee* sponsor = m.add_attendees();
  sponsor->mutable_person()->set_name("Dana");
  sponsor->set_side(cse::v1::SIDE_CUSTOMER);
  sponsor->set_planned(true);
  sponsor->set_attended(false);
  sponsor->set_key_person(true);
  api::ToProto(kT0, m.mutable_occurred_at());
  return m;
}

constexpr char kDemo[] = "Can we get a demo for the team?";
constexpr char kGoLive[] = "The go-live went fine.";
constexpr char kDown[] = "The export is down since the go-live.";
constexpr char kRenew[] = "We want to renew early.";
constexpr char kNothing[] = "Thanks for the call.";

class JourneyMemoryRpcTest : public BackendSidecarTest {
 protected:
  void SetUp() override { StartSidecar(); }

  cse::v1::IngestResponse Ingest(const cse::v1::TicketEvent& event) {
    cse::v1::IngestTicketRequest request;
    *request.mutable_event() = event;
    cse::v1::IngestResponse response;
    EXPECT_THAT(sidecar_->journey().IngestTicket(ContextWithDeadline().get(),
                                                 request, &response),
                GrpcIsOk());
    return response;
  }

  grpc::Status Journey(const std::string& account,
                       cse::v1::GetAccountJourneyResponse* response) {
    cse::v1::GetAccountJourneyRequest request;
    request.set_account_id(account);
    return sidecar_->journey().GetAccountJourney(ContextWithDeadline().get(),
                                                 request, response);
  }

  grpc::Status AtRisk(const cse::v1::ListAccountsAtRiskRequest& request,
                      cse::v1::ListAccountsAtRiskResponse* response) {
    return sidecar_->journey().ListAccountsAtRisk(ContextWithDeadline().get(),
                                                  request, response);
  }
  std::vector<std::string> AtRiskIds(
      cse::v1::ListAccountsAtRiskRequest request = {}) {
    cse::v1::ListAccountsAtRiskResponse response;
    EXPECT_THAT(AtRisk(request, &response), GrpcIsOk());
    std::vector<std::string> ids;
    for (const auto& a : response.accounts()) ids.push_back(a.account_id());
    return ids;
  }

  grpc::Status Record(const cse::v1::RecordOutcomeRequest& request,
                      cse::v1::RecordOutcomeResponse* response) {
    return sidecar_->journey().RecordOutcome(ContextWithDeadline().get(),
                                             request, response);
  }
  cse::v1::RecordOutcomeResponse RecordOk(
      const cse::v1::RecordOutcomeRequest& request) {
    cse::v1::RecordOutcomeResponse response;
    EXPECT_THAT(Record(request, &response), GrpcIsOk());
    return response;
  }

  cse::v1::GetCircumplexReportResponse Report(const std::string& account,
                                              cse::v1::CircumplexBasis basis) {
    cse::v1::GetCircumplexReportRequest request;
    request.set_account_id(account);
    request.set_basis(basis);
    cse::v1::GetCircumplexReportResponse response;
    EXPECT_THAT(sidecar_->journey().GetCircumplexReport(
                    ContextWithDeadline().get(), request, &response),
                GrpcIsOk());
    return response;
  }
};

// A practice applied on the team's own initiative.
cse::v1::RecordOutcomeRequest Applied(const std::string& account,
                                      const std::string& practice,
                                      const std::string& phase,
                                      cse::v1::ModeOfOrganization organization,
                                      cse::v1::ModeOfEngagement engagement,
                                      cse::v1::CustomerReaction reaction) {
  cse::v1::RecordOutcomeRequest r;
  r.set_account_id(account);
  r.set_practice_id(practice);
  r.set_phase_id(phase);
  r.set_organization(organization);
  r.set_engagement(engagement);
  r.set_reaction(reaction);
  api::ToProto(kT0 + absl::Hours(24 * 5), r.mutable_occurred_at());
  return r;
}

TEST_P(JourneyMemoryRpcTest, JourneyFollowsTheEventsOwnOrder) {
  const absl::Duration day = absl::Hours(24);
  Ingest(Ticket("acme", "e-1", kT0, kDemo));
  Ingest(Ticket("acme", "e-2", kT0 + 2 * day, kDown));
  // Arrives late: its own time is between e-1 and e-2.
  Ingest(Ticket("acme", "e-3", kT0 + day, kRenew));
  // Nothing in it speaks: it keeps the phase and opens no span.
  cse::v1::TicketEvent quiet = Ticket("acme", "e-4", kT0 + 3 * day, kNothing);
  quiet.set_sequence(7);
  Ingest(quiet);
  // Back to orientation: a step back.
  Ingest(Ticket("acme", "e-5", kT0 + 4 * day, kDemo));

  cse::v1::GetAccountJourneyResponse response;
  ASSERT_THAT(Journey("acme", &response), GrpcIsOk());
  const cse::v1::AccountJourney& j = response.journey();
  EXPECT_EQ(j.account_id(), "acme");
  EXPECT_EQ(j.current_phase_id(), "orientation");
  EXPECT_EQ(j.event_count(), 5u);

  std::vector<std::string> events;
  for (const auto& e : j.events()) events.push_back(e.event().event_id());
  EXPECT_THAT(events, ElementsAre("e-1", "e-3", "e-2", "e-4", "e-5"));
  EXPECT_EQ(j.events(3).sequence(), 7u);
  EXPECT_EQ(j.events(3).phase_id(), "implementation");
  // Bodies are not kept by default.
  for (const auto& e : j.events()) EXPECT_EQ(e.body(), "");

  ASSERT_THAT(j.phase_history(), SizeIs(4));
  const auto& h = j.phase_history();
  EXPECT_EQ(h[0].phase_id(), "orientation");
  EXPECT_EQ(h[0].previous_phase_id(), "");
  EXPECT_EQ(h[0].entered_by().event_id(), "e-1");
  EXPECT_EQ(api::FromProto(h[0].entered_at()), kT0);
  EXPECT_EQ(api::FromProto(h[0].left_at()), kT0 + day);
  EXPECT_EQ(h[0].decided_by(), cse::v1::REASON_KIND_TEXT_SIGNAL);
  EXPECT_THAT(h[0].explanation(), HasSubstr("(o.demo)"));

  EXPECT_EQ(h[1].phase_id(), "renewal");
  EXPECT_EQ(h[1].entered_by().event_id(), "e-3");
  EXPECT_FALSE(h[1].step_back());

  EXPECT_EQ(h[2].phase_id(), "implementation");
  EXPECT_EQ(h[2].previous_phase_id(), "renewal");
  EXPECT_TRUE(h[2].step_back());
  EXPECT_EQ(h[2].event_count(), 2u);  // e-2 and the quiet e-4
  EXPECT_THAT(h[2].explanation(), HasSubstr("(i.golive)"));

  EXPECT_EQ(h[3].phase_id(), "orientation");
  EXPECT_EQ(h[3].previous_phase_id(), "implementation");
  EXPECT_TRUE(h[3].step_back());
  EXPECT_EQ(h[3].entered_by().event_id(), "e-5");
  EXPECT_FALSE(h[3].has_left_at());

  ASSERT_THAT(j.critical_events(), SizeIs(1));
  EXPECT_EQ(j.critical_events(0).type(), "breakdown");
  EXPECT_EQ(j.critical_events(0).event().event_id(), "e-2");
  EXPECT_EQ(j.critical_events(0).polarity(), cse::v1::POLARITY_NEGATIVE);
  EXPECT_TRUE(j.critical_events(0).open());
  EXPECT_EQ(j.open_negative_event_count(), 1u);
  EXPECT_THAT(j.suggestions(), Not(IsEmpty()));
}

TEST_P(JourneyMemoryRpcTest, TheCrmsSequenceOrdersEventsOfOneInstant) {
  // Same occurred_at; the later one by sequence arrives first.
  cse::v1::TicketEvent later = Ticket("acme", "e-2", kT0, kDemo);
  later.set_sequence(2);
  cse::v1::TicketEvent earlier = Ticket("acme", "e-1", kT0, kGoLive);
  earlier.set_sequence(1);
  Ingest(later);
  Ingest(earlier);
  cse::v1::GetAccountJourneyResponse response;
  ASSERT_THAT(Journey("acme", &response), GrpcIsOk());
  EXPECT_EQ(response.journey().current_phase_id(), "orientation");
  std::vector<std::string> events;
  for (const auto& e : response.journey().events()) {
    events.push_back(e.event().event_id());
  }
  EXPECT_THAT(events, ElementsAre("e-1", "e-2"));
}

TEST_P(JourneyMemoryRpcTest, BodiesAreKeptOnlyWhenRetentionSaysSo) {
  TestSidecarOptions options;
  options.retain_bodies = true;
  options.store_options.retention.keep_bodies = true;
  StartSidecar(std::move(options));
  Ingest(Ticket("acme", "e-1", kT0, kDown));
  cse::v1::GetAccountJourneyResponse response;
  ASSERT_THAT(Journey("acme", &response), GrpcIsOk());
  ASSERT_THAT(response.journey().events(), SizeIs(1));
  EXPECT_EQ(response.journey().events(0).body(), kDown);
}

TEST_P(JourneyMemoryRpcTest, JourneyErrors) {
  cse::v1::GetAccountJourneyResponse response;
  EXPECT_THAT(Journey("nobody", &response),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(Journey("", &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           Eq("account_id: required")));
  cse::v1::GetAccountJourneyRequest request;
  request.set_account_id("acme");
  request.set_max_items(1001);
  EXPECT_THAT(sidecar_->journey().GetAccountJourney(ContextWithDeadline().get(),
                                                    request, &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           Eq("max_items: at most 1000")));
}

TEST_P(JourneyMemoryRpcTest, AccountsAtRiskMostOpenEventsFirst) {
  const absl::Duration day = absl::Hours(24);
  Ingest(Ticket("two-open", "b-1", kT0, kDown));
  Ingest(Ticket("two-open", "b-2", kT0 + day, kDown));
  Ingest(Ticket("recent", "a-1", kT0 + 3 * day, kDown));
  Ingest(Ticket("older", "c-1", kT0 + 2 * day, kDown));
  Ingest(Ticket("calm", "d-1", kT0, kDemo));

  EXPECT_THAT(AtRiskIds(), ElementsAre("two-open", "recent", "older"));

  cse::v1::ListAccountsAtRiskResponse response;
  ASSERT_THAT(AtRisk({}, &response), GrpcIsOk());
  const cse::v1::AccountRisk& first = response.accounts(0);
  EXPECT_EQ(first.open_negative_event_count(), 2u);
  EXPECT_THAT(first.open_event_types(), ElementsAre("breakdown"));
  EXPECT_EQ(first.current_phase_id(), "implementation");
  EXPECT_EQ(api::FromProto(first.oldest_open_at()), kT0);
  EXPECT_EQ(api::FromProto(first.latest_open_at()), kT0 + day);

  // Paged.
  cse::v1::ListAccountsAtRiskRequest paged;
  paged.set_page_size(2);
  ASSERT_THAT(AtRisk(paged, &response), GrpcIsOk());
  EXPECT_THAT(response.accounts(), SizeIs(2));
  ASSERT_THAT(response.next_page_token(), Not(IsEmpty()));
  paged.set_page_token(response.next_page_token());
  EXPECT_THAT(AtRiskIds(paged), ElementsAre("older"));

  // A restoring outcome for the breakdown closes "older"'s event.
  cse::v1::RecordOutcomeRequest restored = Applied(
      "older", "P10", "implementation", cse::v1::MODE_OF_ORGANIZATION_REGULAR,
      cse::v1::MODE_OF_ENGAGEMENT_REACTIVE,
      cse::v1::CUSTOMER_REACTION_RESTORED);
  restored.set_critical_event_type("breakdown");
  RecordOk(restored);
  EXPECT_THAT(AtRiskIds(), ElementsAre("two-open", "recent"));

  // A window of two days at the store's clock leaves none open.
  cse::v1::ListAccountsAtRiskRequest narrow;
  narrow.mutable_open_window()->set_seconds(2 * 24 * 3600);
  EXPECT_THAT(AtRiskIds(narrow), IsEmpty());
  // Evaluated as of kT0 + 1 day: only the first two-open event had happened.
  cse::v1::ListAccountsAtRiskRequest past;
  api::ToProto(kT0 + absl::Hours(12), past.mutable_as_of());
  EXPECT_THAT(AtRiskIds(past), ElementsAre("two-open"));

  paged.set_page_token("x");
  EXPECT_THAT(AtRisk(paged, &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("page_token: ")));
  cse::v1::ListAccountsAtRiskRequest too_wide;
  too_wide.mutable_open_window()->set_seconds(int64_t{3651} * 24 * 3600);
  EXPECT_THAT(AtRisk(too_wide, &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           Eq("open_window: at most 3650 days")));
}

TEST_P(JourneyMemoryRpcTest, ErasedAccountIsForgotten) {
  Ingest(Ticket("acme", "e-1", kT0, kDown));
  Ingest(Ticket("other", "o-1", kT0, kDown));
  cse::v1::RecordOutcomeRequest outcome;
  outcome.set_account_id("acme");
  outcome.set_source("zendesk");
  outcome.set_event_id("e-1");
  outcome.set_practice_id("P10");
  outcome.set_organization(cse::v1::MODE_OF_ORGANIZATION_REGULAR);
  outcome.set_engagement(cse::v1::MODE_OF_ENGAGEMENT_REACTIVE);
  outcome.set_reaction(cse::v1::CUSTOMER_REACTION_NO_CHANGE);
  RecordOk(outcome);
  // One of acme's jobs is out with an adapter when the account is erased.
  cse::v1::LeaseWritebacksRequest lease;
  lease.set_lessee_id("zendesk@pod-1");
  lease.set_max_jobs(1);
  cse::v1::LeaseWritebacksResponse leased;
  ASSERT_THAT(sidecar_->writeback().LeaseWritebacks(ContextWithDeadline().get(),
                                                    lease, &leased),
              GrpcIsOk());
  ASSERT_THAT(leased.jobs(), SizeIs(1));
  ASSERT_EQ(leased.jobs(0).account_id(), "acme");

  cse::v1::EraseAccountRequest erase;
  erase.set_account_id("acme");
  cse::v1::EraseAccountResponse erased;
  ASSERT_THAT(sidecar_->journey().EraseAccount(ContextWithDeadline().get(),
                                               erase, &erased),
              GrpcIsOk());
  EXPECT_EQ(erased.events_erased(), 1u);
  EXPECT_EQ(erased.outcomes_erased(), 1u);
  EXPECT_EQ(erased.writeback_jobs_erased(), 3u);

  cse::v1::GetAccountJourneyResponse journey;
  EXPECT_THAT(Journey("acme", &journey),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(Journey("other", &journey), GrpcIsOk());
  EXPECT_THAT(AtRiskIds(), ElementsAre("other"));

  cse::v1::AckWritebackRequest ack;
  ack.set_job_id(leased.jobs(0).job_id());
  ack.set_lease_token(leased.jobs(0).lease_token());
  ack.set_result(cse::v1::WRITEBACK_RESULT_DONE);
  cse::v1::AckWritebackResponse acked;
  EXPECT_THAT(sidecar_->writeback().AckWriteback(ContextWithDeadline().get(),
                                                 ack, &acked),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));

  // A redelivery is new to the sidecar now.
  EXPECT_FALSE(Ingest(Ticket("acme", "e-1", kT0, kDown)).duplicate());
  ASSERT_THAT(Journey("acme", &journey), GrpcIsOk());
  EXPECT_EQ(journey.journey().event_count(), 1u);
  EXPECT_THAT(journey.journey().outcomes(), IsEmpty());

  // Idempotent: an unknown account erases nothing and succeeds.
  erase.set_account_id("never-seen");
  ASSERT_THAT(sidecar_->journey().EraseAccount(ContextWithDeadline().get(),
                                               erase, &erased),
              GrpcIsOk());
  EXPECT_EQ(erased.events_erased(), 0u);
  erase.clear_account_id();
  EXPECT_THAT(sidecar_->journey().EraseAccount(ContextWithDeadline().get(),
                                               erase, &erased),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           Eq("account_id: required")));
}

TEST_P(JourneyMemoryRpcTest, RecordedOutcomesChangeTheRanking) {
  // The kick-off with the sponsor absent ranks P6 (0.8) over P10 (0.6).
  auto suggestions = [&](const std::string& id) {
    cse::v1::IngestMeetingRequest request;
    *request.mutable_event() = KickOffWithAbsentKeyPerson(id);
    cse::v1::IngestResponse response;
    EXPECT_THAT(sidecar_->journey().IngestMeeting(ContextWithDeadline().get(),
                                                  request, &response),
                GrpcIsOk());
    return std::vector<cse::v1::PracticeSuggestion>(
        response.assessment().suggestions().begin(),
        response.assessment().suggestions().end());
  };
  auto top = [&](const std::string& id) { return suggestions(id).at(0); };
  EXPECT_EQ(top("m-1").practice_id(), "P6");

  cse::v1::RecordOutcomeRequest worked = Applied(
      "acme", "P10", "implementation", cse::v1::MODE_OF_ORGANIZATION_REGULAR,
      cse::v1::MODE_OF_ENGAGEMENT_REACTIVE,
      cse::v1::CUSTOMER_REACTION_RESTORED);
  worked.set_critical_event_type("absent_key_person");
  for (int i = 0; i < 4; ++i) RecordOk(worked);
  // Below the mapping's minimum of 5 outcomes nothing is learned yet.
  EXPECT_EQ(top("m-2").practice_id(), "P6");

  // A repeated outcome_id is recorded once.
  worked.set_outcome_id("crm-activity-1");
  EXPECT_FALSE(RecordOk(worked).duplicate());
  EXPECT_TRUE(RecordOk(worked).duplicate());
  const std::vector<cse::v1::PracticeSuggestion> five = suggestions("m-3");
  ASSERT_THAT(five, SizeIs(2));
  const auto& p10 = five[0].practice_id() == "P10" ? five[0] : five[1];
  ASSERT_EQ(p10.practice_id(), "P10");
  EXPECT_EQ(p10.breakdown().outcomes_total(), 5u);

  worked.clear_outcome_id();
  RecordOk(worked);  // 6 of 6: 0.6 * 1.375 = 0.825 > 0.8
  const cse::v1::PracticeSuggestion best = top("m-4");
  EXPECT_EQ(best.practice_id(), "P10");
  EXPECT_EQ(best.breakdown().outcomes_worked(), 6u);
  EXPECT_EQ(best.breakdown().outcomes_total(), 6u);
  EXPECT_THAT(best.rationale(), HasSubstr("worked 6 of 6 times"));

  // The dry run ranks the same way.
  cse::v1::AssessRequest assess;
  *assess.mutable_meeting() = KickOffWithAbsentKeyPerson("m-5");
  cse::v1::AssessResponse assessed;
  ASSERT_THAT(sidecar_->journey().Assess(ContextWithDeadline().get(), assess,
                                         &assessed),
              GrpcIsOk());
  EXPECT_EQ(assessed.assessment().suggestions(0).practice_id(), "P10");
}

TEST_P(JourneyMemoryRpcTest, AnOutcomeForAnEventTakesItsPhaseAndEvent) {
  Ingest(Ticket("acme", "e-1", kT0, kDown));
  cse::v1::RecordOutcomeRequest request;
  request.set_account_id("acme");
  request.set_source("zendesk");
  request.set_event_id("e-1");
  request.set_practice_id("P10");
  request.set_organization(cse::v1::MODE_OF_ORGANIZATION_REGULAR);
  request.set_engagement(cse::v1::MODE_OF_ENGAGEMENT_REACTIVE);
  request.set_reaction(cse::v1::CUSTOMER_REACTION_RESTORED);
  request.set_description("Incident call with the sponsor");
  request.set_recorded_by("dana");
  const cse::v1::Outcome o = RecordOk(request).outcome();
  EXPECT_THAT(o.outcome_id(), Not(IsEmpty()));
  EXPECT_EQ(o.phase_id(), "implementation");
  EXPECT_EQ(o.critical_event_type(), "breakdown");
  EXPECT_EQ(o.description(), "Incident call with the sponsor");
  EXPECT_EQ(api::FromProto(o.recorded_at()), sidecar_->Now());

  cse::v1::GetAccountJourneyResponse journey;
  ASSERT_THAT(Journey("acme", &journey), GrpcIsOk());
  ASSERT_THAT(journey.journey().outcomes(), SizeIs(1));
  EXPECT_EQ(journey.journey().outcomes(0).outcome_id(), o.outcome_id());
  // Restored at or after the breakdown: no longer open.
  EXPECT_EQ(journey.journey().open_negative_event_count(), 0u);
}

TEST_P(JourneyMemoryRpcTest, InvalidOutcomesNameTheField) {
  Ingest(Ticket("acme", "e-1", kT0, kDown));
  const cse::v1::RecordOutcomeRequest valid = Applied(
      "acme", "P10", "implementation", cse::v1::MODE_OF_ORGANIZATION_REGULAR,
      cse::v1::MODE_OF_ENGAGEMENT_REACTIVE,
      cse::v1::CUSTOMER_REACTION_RESTORED);
  cse::v1::RecordOutcomeResponse response;
  auto invalid = [&](auto change, const std::string& message) {
    cse::v1::RecordOutcomeRequest request = valid;
    change(request);
    EXPECT_THAT(Record(request, &response),
                GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, Eq(message)));
  };
  using R = cse::v1::RecordOutcomeRequest;
  invalid([](R& r) { r.clear_account_id(); }, "account_id: required");
  invalid([](R& r) { r.clear_practice_id(); }, "practice_id: required");
  invalid([](R& r) { r.clear_reaction(); }, "reaction: required");
  invalid([](R& r) { r.clear_organization(); },
          "organization: required (no followed suggestion of P10 to take it "
          "from)");
  invalid([](R& r) { r.clear_engagement(); },
          "engagement: required (no followed suggestion of P10 to take it "
          "from)");
  invalid([](R& r) { r.set_event_id("e-1"); },
          "source: required with event_id");
  invalid([](R& r) { r.set_phase_id("x"); }, "phase_id: unknown phase \"x\"");
  invalid([](R& r) { r.set_outcome_id(std::string(257, 'x')); },
          "outcome_id: at most 256 bytes");
  invalid([](R& r) { r.set_description(std::string(4097, 'x')); },
          "description: at most 4096 bytes");

  cse::v1::RecordOutcomeRequest unknown = valid;
  unknown.set_source("zendesk");
  unknown.set_event_id("nope");
  EXPECT_THAT(Record(unknown, &response),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  cse::v1::RecordOutcomeRequest foreign = valid;
  foreign.set_account_id("other");
  foreign.set_source("zendesk");
  foreign.set_event_id("e-1");
  EXPECT_THAT(Record(foreign, &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
}

TEST_P(JourneyMemoryRpcTest, CircumplexReportCountsByPhaseAndQuadrant) {
  using cse::v1::CUSTOMER_REACTION_BOLSTERED;
  using cse::v1::CUSTOMER_REACTION_RESTORED;
  using cse::v1::MODE_OF_ENGAGEMENT_PROACTIVE;
  using cse::v1::MODE_OF_ENGAGEMENT_REACTIVE;
  using cse::v1::MODE_OF_ORGANIZATION_AD_HOC;
  using cse::v1::MODE_OF_ORGANIZATION_REGULAR;
  for (int i = 0; i < 3; ++i) {
    RecordOk(Applied("acme", "P10", "implementation",
                     MODE_OF_ORGANIZATION_REGULAR, MODE_OF_ENGAGEMENT_REACTIVE,
                     CUSTOMER_REACTION_RESTORED));
  }
  for (int i = 0; i < 2; ++i) {
    RecordOk(Applied("acme", "P4", "implementation",
                     MODE_OF_ORGANIZATION_AD_HOC, MODE_OF_ENGAGEMENT_REACTIVE,
                     CUSTOMER_REACTION_RESTORED));
  }
  RecordOk(Applied("globex", "P2", "orientation", MODE_OF_ORGANIZATION_AD_HOC,
                   MODE_OF_ENGAGEMENT_PROACTIVE, CUSTOMER_REACTION_BOLSTERED));

  const cse::v1::GetCircumplexReportResponse portfolio =
      Report("", cse::v1::CIRCUMPLEX_BASIS_UNSPECIFIED);
  EXPECT_EQ(portfolio.basis(), cse::v1::CIRCUMPLEX_BASIS_APPLIED);
  ASSERT_THAT(portfolio.cells(), SizeIs(3));
  // Model order: orientation before implementation; then the quadrant.
  const auto& c = portfolio.cells();
  EXPECT_EQ(c[0].phase_id(), "orientation");
  EXPECT_EQ(c[0].practice_id(), "P2");
  EXPECT_EQ(c[0].effect(), cse::v1::EFFECT_BOLSTER);
  EXPECT_EQ(c[0].count(), 1u);
  EXPECT_EQ(c[0].recurrence(), cse::v1::RECURRENCE_OCCASIONALLY);
  EXPECT_EQ(c[1].practice_id(), "P4");
  EXPECT_EQ(c[1].organization(), MODE_OF_ORGANIZATION_AD_HOC);
  EXPECT_EQ(c[1].effect(), cse::v1::EFFECT_RESTORE);
  EXPECT_EQ(c[1].count(), 2u);
  EXPECT_EQ(c[1].recurrence(), cse::v1::RECURRENCE_SOMETIMES);
  EXPECT_EQ(c[2].practice_id(), "P10");
  EXPECT_EQ(c[2].organization(), MODE_OF_ORGANIZATION_REGULAR);
  EXPECT_EQ(c[2].count(), 3u);
  EXPECT_EQ(c[2].recurrence(), cse::v1::RECURRENCE_FREQUENTLY);
  EXPECT_EQ(portfolio.restoring_count(), 5u);
  EXPECT_EQ(portfolio.bolstering_count(), 1u);
  EXPECT_DOUBLE_EQ(portfolio.restoring_share(), 5.0 / 6.0);

  const cse::v1::GetCircumplexReportResponse one =
      Report("globex", cse::v1::CIRCUMPLEX_BASIS_APPLIED);
  EXPECT_EQ(one.account_id(), "globex");
  ASSERT_THAT(one.cells(), SizeIs(1));
  EXPECT_DOUBLE_EQ(one.restoring_share(), 0.0);

  // What the sidecar suggested: the outage's P10 and P4.
  Ingest(Ticket("acme", "e-1", kT0, kDown));
  const cse::v1::GetCircumplexReportResponse suggested =
      Report("acme", cse::v1::CIRCUMPLEX_BASIS_SUGGESTED);
  std::vector<std::string> practices;
  for (const auto& cell : suggested.cells()) {
    practices.push_back(cell.practice_id());
    EXPECT_EQ(cell.count(), 1u);
  }
  EXPECT_THAT(practices, ElementsAre("P4", "P10"));

  cse::v1::GetCircumplexReportRequest bad;
  bad.set_basis(static_cast<cse::v1::CircumplexBasis>(7));
  cse::v1::GetCircumplexReportResponse response;
  EXPECT_THAT(sidecar_->journey().GetCircumplexReport(
                  ContextWithDeadline().get(), bad, &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           Eq("basis: unknown value 7")));
}

// A review of one period: only the work in [since, until) is counted, and
// the response says which window it counts.
TEST_P(JourneyMemoryRpcTest, CircumplexReportCountsTheWorkOfAWindow) {
  cse::v1::RecordOutcomeRequest early = Applied(
      "acme", "P10", "implementation", cse::v1::MODE_OF_ORGANIZATION_REGULAR,
      cse::v1::MODE_OF_ENGAGEMENT_REACTIVE,
      cse::v1::CUSTOMER_REACTION_RESTORED);
  api::ToProto(kT0, early.mutable_occurred_at());
  RecordOk(early);
  cse::v1::RecordOutcomeRequest late = early;
  late.set_practice_id("P4");
  api::ToProto(kT0 + absl::Hours(24 * 3), late.mutable_occurred_at());
  RecordOk(late);

  cse::v1::GetCircumplexReportRequest request;
  api::ToProto(kT0 + absl::Hours(24), request.mutable_since());
  cse::v1::GetCircumplexReportResponse response;
  ASSERT_THAT(sidecar_->journey().GetCircumplexReport(
                  ContextWithDeadline().get(), request, &response),
              GrpcIsOk());
  ASSERT_THAT(response.cells(), SizeIs(1));
  EXPECT_EQ(response.cells(0).practice_id(), "P4");
  EXPECT_EQ(response.since().seconds(), request.since().seconds());
  EXPECT_FALSE(response.has_until());

  request.clear_since();
  api::ToProto(kT0 + absl::Hours(24), request.mutable_until());
  ASSERT_THAT(sidecar_->journey().GetCircumplexReport(
                  ContextWithDeadline().get(), request, &response),
              GrpcIsOk());
  ASSERT_THAT(response.cells(), SizeIs(1));
  EXPECT_EQ(response.cells(0).practice_id(), "P10");

  api::ToProto(kT0 + absl::Hours(24), request.mutable_since());
  EXPECT_THAT(sidecar_->journey().GetCircumplexReport(
                  ContextWithDeadline().get(), request, &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           Eq("until: must be after since")));
  request.clear_until();
  request.mutable_since()->set_nanos(-1);
  EXPECT_THAT(sidecar_->journey().GetCircumplexReport(
                  ContextWithDeadline().get(), request, &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           Eq("since.nanos: out of range")));
}

INSTANTIATE_TEST_SUITE_P(Backends, JourneyMemoryRpcTest, AllBackends(),
                         BackendName);

}  // namespace
}  // namespace cse::testing
