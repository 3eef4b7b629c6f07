// Request Tracker 5 end to end: a real RT (Debian's request-tracker5 on
// loopback, SQLite), the real cse-sidecar and cse-adapter binaries.
//
// Tickets and comments are made through REST2 as a user would; the test
// then reads RT back through REST2 and checks that every ticket event got
// its internal CSE comment exactly once and that the "CSE Tags" and
// "Journey Phase" custom fields were written, including when the adapter
// is killed (SIGKILL) and restarted in the middle of the run. A second
// test sets an agent's outcome label in "CSE Outcome" and reads the
// recorded outcome back from the sidecar (GetAccountJourney).
//
// One RT serves the whole suite (starting it takes about 5 s); each test
// has its own sidecar, adapter and state.
#include <grpcpp/client_context.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "adapters/common/curl_http_client.h"
#include "adapters/request_tracker/rt_json.h"
#include "adapters/request_tracker/rt_session.h"
#include "cse/v1/journey_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/free_port.h"
#include "tests/testing/request_tracker_server.h"
#include "tests/testing/sidecar_process.h"
#include "tests/testing/temp_dir.h"

namespace cse::adapters {
namespace {

using ::cse::adapters::request_tracker::Items;
using ::cse::adapters::request_tracker::RtSession;
using ::cse::adapters::request_tracker::Text;
using ::cse::testing::SidecarProcess;

constexpr absl::Duration kConvergeLimit = absl::Seconds(150);

struct TicketSpec {
  std::string requestor;
  std::string subject;
  std::string content;
  std::string comment;
};

// Customer messages in the journey's phases (domain.md): onboarding
// trouble, a breakdown, a renewal conversation.
const TicketSpec kTickets[] = {
    {"anna@acme.example", "Import keeps failing during onboarding",
     "We started the onboarding last week and the data import fails every "
     "time. The kick-off promised we would be live by Friday.",
     "Any update? Our go-live date is at risk."},
    {"bob@acme.example", "Outage: nobody can log in",
     "Since this morning nobody in our team can log in. This is the second "
     "outage this month and work has stopped.",
     "Still down after four hours. We need a status update now."},
    {"carla@globex.example", "Renewal and new departments",
     "Our contract renews next quarter. We would like to extend the service "
     "to two more departments and discuss what else you can offer.",
     "Could you send a proposal before our budget meeting?"},
    {"dan@globex.example", "Invoice does not match the contract",
     "The last invoice charges for 50 seats but our contract says 40. "
     "Please correct it.",
     "We are disappointed that this happened again."},
};

class RequestTrackerEndToEndTest : public ::testing::Test {
 protected:
  // RT's poke scrip calls the adapter's port, so that port is the suite's
  // too: each test's adapter listens on it.
  static void SetUpTestSuite() {
    adapter_port_ = testing::FreePort();
    testing::RequestTrackerServer::Options rt_options;
    rt_options.poke_url =
        absl::StrCat("http://127.0.0.1:", adapter_port_, "/webhooks/rt");
    auto rt = testing::RequestTrackerServer::Start(rt_options);
    if (rt.ok()) {
      rt_ = std::move(*rt).release();
    } else {
      rt_status_ = new absl::Status(rt.status());
    }
  }
  static void TearDownTestSuite() {
    delete rt_;
    rt_ = nullptr;
    delete rt_status_;
    rt_status_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(rt_, nullptr) << *rt_status_;
    rest_ = std::make_unique<RtSession>(&http_, rt_->base_url(), rt_->user(),
                                        rt_->password(), absl::Seconds(60));

    auto sidecar = SidecarProcess::Start(
        dir_.path(), {"--store=sqlite:" + dir_.path() + "/journey.db"},
        {.output_prefix = "sidecar-"});
    ASSERT_TRUE(sidecar.ok()) << sidecar.status();
    sidecar_ = std::move(*sidecar);
    ASSERT_TRUE(sidecar_->WaitUntilServing().ok()) << sidecar_->Stderr();

    setenv("CSE_TEST_RT_PASSWORD", rt_->password().c_str(), 1);
    config_path_ = dir_.path() + "/adapter.yaml";
    std::ofstream(config_path_) << absl::StrCat(
        "sidecar:\n  target: \"", sidecar_->address(), "\"\n",
        "writeback:\n  lessee_id: e2e\n  lease_seconds: 5\n"
        "  idle_poll_ms: 200\n",
        "state_dir: \"", dir_.path(), "/state\"\n",
        "crms:\n  - name: rt\n    request_tracker:\n", "      base_url: \"",
        rt_->base_url(), "\"\n", "      user: \"", rt_->user(), "\"\n",
        "      password: {env: CSE_TEST_RT_PASSWORD}\n",
        "      poll_interval_seconds: 1\n");
  }

  void StartAdapter() {
    auto adapter = SidecarProcess::Start(
        dir_.path(), {"--config=" + config_path_, "--log-level=debug"},
        {.binary = CSE_ADAPTER_BINARY,
         .address = absl::StrCat("127.0.0.1:", adapter_port_),
         .output_prefix = "adapter-",
         .append_output = true});
    ASSERT_TRUE(adapter.ok()) << adapter.status();
    adapter_ = std::move(*adapter);
    // Serving once /healthz answers and the first poll has set the cursor.
    const absl::Time limit = absl::Now() + absl::Seconds(60);
    while (absl::Now() < limit) {
      absl::StatusOr<HttpResponse> health = http_.Send(
          {.url = absl::StrCat("http://127.0.0.1:", adapter_port_, "/healthz"),
           .timeout = absl::Seconds(2)});
      if (health.ok() && health->status == 200 &&
          std::ifstream(dir_.path() + "/state/rt.cursor").good()) {
        return;
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
    FAIL() << "cse-adapter did not start: " << adapter_->Stderr();
  }

  nlohmann::json Rest(const std::string& method, const std::string& path,
                      const nlohmann::json& body = nullptr) {
    absl::StatusOr<HttpResponse> response =
        rest_->Rest(method, path, body.is_null() ? "" : body.dump());
    EXPECT_TRUE(response.ok()) << response.status();
    if (!response.ok()) return nullptr;
    EXPECT_LT(response->status, 300)
        << method << " " << path << ": " << response->body;
    return nlohmann::json::parse(response->body, nullptr, false);
  }

  // Creates a ticket and comments on it; returns its id.
  std::string MakeTicket(const TicketSpec& spec) {
    nlohmann::json created = Rest("POST", "/ticket",
                                  {{"Queue", "General"},
                                   {"Subject", spec.subject},
                                   {"Content", spec.content},
                                   {"ContentType", "text/plain"},
                                   {"Requestor", spec.requestor}});
    const std::string id = Text(created, "id");
    Rest("POST", absl::StrCat("/ticket/", id, "/correspond"),
         {{"Content", spec.comment}, {"ContentType", "text/plain"}});
    return id;
  }

  // The ids of the transactions the adapter turns into events (Create,
  // Comment, Correspond, Status) other than its own notes, and how many
  // CSE comments carry each one's marker.
  struct TicketState {
    std::vector<std::string> event_transactions;
    std::map<std::string, int> notes_per_marker;
    std::vector<std::string> tags;
    std::string phase;
  };
  TicketState ReadTicket(const std::string& id) {
    TicketState state;
    nlohmann::json history = Rest(
        "GET",
        absl::StrCat("/ticket/", id, "/history?fields=Type,Data&per_page=100"));
    for (const nlohmann::json& item : Items(history)) {
      const std::string type = Text(item, "Type");
      const std::string data = Text(item, "Data");
      if (type == "Comment" && absl::StrContains(data, "[cse:")) {
        const size_t start = data.find("[cse:") + 1;
        ++state.notes_per_marker[data.substr(start,
                                             data.find(']', start) - start)];
      } else if (type == "Create" || type == "Comment" ||
                 type == "Correspond" || type == "Status") {
        state.event_transactions.push_back(Text(item, "id"));
      }
    }
    nlohmann::json ticket = Rest("GET", absl::StrCat("/ticket/", id));
    for (const nlohmann::json& field :
         ticket.value("CustomFields", nlohmann::json::array())) {
      std::vector<std::string> values;
      for (const auto& v : field.value("values", nlohmann::json::array())) {
        if (v.is_string()) values.push_back(v.get<std::string>());
      }
      if (Text(field, "name") == "CSE Tags") state.tags = values;
      if (Text(field, "name") == "Journey Phase" && !values.empty()) {
        state.phase = values[0];
      }
    }
    return state;
  }

  // True when every event transaction of every ticket has its note, and
  // every ticket has tags and a phase.
  bool Converged(const std::vector<std::string>& tickets) {
    for (const std::string& id : tickets) {
      TicketState state = ReadTicket(id);
      if (state.tags.empty() || state.phase.empty()) return false;
      for (const std::string& txn : state.event_transactions) {
        if (!state.notes_per_marker.contains(absl::StrCat("cse:rt:txn-", txn)))
          return false;
      }
    }
    return true;
  }

  // The account's journey as the sidecar has it; an empty journey while it
  // has none (NOT_FOUND).
  cse::v1::AccountJourney Journey(const std::string& account) {
    auto stub = cse::v1::JourneyService::NewStub(sidecar_->NewChannel());
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    cse::v1::GetAccountJourneyRequest request;
    request.set_account_id(account);
    cse::v1::GetAccountJourneyResponse response;
    grpc::Status status = stub->GetAccountJourney(&context, request, &response);
    EXPECT_TRUE(status.ok() || status.error_code() == grpc::NOT_FOUND)
        << status.error_message();
    return response.journey();
  }

  // The transaction id in the adapter's cursor file, 0 before the first.
  int64_t Cursor() {
    std::ifstream in(dir_.path() + "/state/rt.cursor");
    std::string line;
    int64_t cursor = 0;
    if (std::getline(in, line) && absl::SimpleAtoi(line, &cursor)) {
      return cursor;
    }
    return 0;
  }

  // Polls `done` every 100 ms until it holds or `limit` passes.
  template <typename Done>
  bool WaitFor(Done done, absl::Duration limit) {
    const absl::Time deadline = absl::Now() + limit;
    while (!done()) {
      if (absl::Now() > deadline) return false;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return true;
  }

  static int adapter_port_;
  static testing::RequestTrackerServer* rt_;
  static absl::Status* rt_status_;

  testing::TempDir dir_;
  CurlHttpClient http_;
  std::unique_ptr<RtSession> rest_;
  std::unique_ptr<SidecarProcess> sidecar_;
  std::unique_ptr<SidecarProcess> adapter_;
  std::string config_path_;
};

int RequestTrackerEndToEndTest::adapter_port_ = 0;
testing::RequestTrackerServer* RequestTrackerEndToEndTest::rt_ = nullptr;
absl::Status* RequestTrackerEndToEndTest::rt_status_ = nullptr;

TEST_F(RequestTrackerEndToEndTest,
       EveryEventGetsOneNoteTagsAndPhaseAcrossAnAdapterKill) {
  ASSERT_NO_FATAL_FAILURE(StartAdapter());
  std::vector<std::string> tickets;
  tickets.push_back(MakeTicket(kTickets[0]));
  tickets.push_back(MakeTicket(kTickets[1]));
  // Crash the adapter between performing a job and acknowledging it: once
  // its first note is in RT it is in the middle of a leased batch; freeze
  // the sidecar (SIGSTOP) so the next job's ack cannot land, then kill -9
  // the adapter. That job comes back when its lease expires and must not
  // be written twice.
  const absl::Time first_note_limit = absl::Now() + kConvergeLimit;
  while (ReadTicket(tickets[0]).notes_per_marker.empty() &&
         absl::Now() < first_note_limit) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_FALSE(ReadTicket(tickets[0]).notes_per_marker.empty())
      << adapter_->Stderr();
  sidecar_->Signal(SIGSTOP);
  absl::SleepFor(absl::Milliseconds(1500));
  adapter_->Kill();
  sidecar_->Signal(SIGCONT);
  // Changes made while it is down are read from RT's history later.
  tickets.push_back(MakeTicket(kTickets[2]));
  tickets.push_back(MakeTicket(kTickets[3]));
  ASSERT_NO_FATAL_FAILURE(StartAdapter());

  const absl::Time limit = absl::Now() + kConvergeLimit;
  bool converged = false;
  while (!(converged = Converged(tickets)) && absl::Now() < limit) {
    absl::SleepFor(absl::Seconds(1));
  }
  ASSERT_TRUE(converged) << "adapter log:\n" << adapter_->Stderr();
  // Past one more lease period, so a job redelivered after the kill would
  // have had its chance to post a second note.
  absl::SleepFor(absl::Seconds(7));

  int notes = 0;
  for (const std::string& id : tickets) {
    TicketState state = ReadTicket(id);
    EXPECT_THAT(state.tags, ::testing::Not(::testing::IsEmpty())) << id;
    EXPECT_FALSE(state.phase.empty()) << id;
    for (const std::string& txn : state.event_transactions) {
      EXPECT_EQ(state.notes_per_marker[absl::StrCat("cse:rt:txn-", txn)], 1)
          << "ticket " << id << " transaction " << txn;
    }
    for (const auto& [marker, count] : state.notes_per_marker) {
      EXPECT_EQ(count, 1) << "ticket " << id << " " << marker;
      notes += count;
    }
  }
  // Each ticket has at least its Create and its Correspond.
  EXPECT_GE(notes, 2 * static_cast<int>(tickets.size()));
  // The crash did what it was meant to: some job was performed again
  // after its lease expired (attempt 2), and still nothing is doubled.
  const std::string log = adapter_->Stderr();
  int redelivered = 0;
  for (size_t at = log.find(" attempt 2: "); at != std::string::npos;
       at = log.find(" attempt 2: ", at + 1)) {
    ++redelivered;
  }
  EXPECT_GE(redelivered, 1) << log;
  std::printf(
      "notes: %d on %zu tickets; jobs redelivered after the kill: "
      "%d (notes found by marker: %d)\n",
      notes, tickets.size(), redelivered,
      static_cast<int>(absl::StrContains(log, "already on the ticket")));
}

// An agent records an outcome by adding a label to the ticket's "CSE
// Outcome" field, naming the practice the sidecar suggested: the sidecar
// records exactly one outcome, linked to that suggestion and in its mode,
// and a later update of the ticket (which re-reads the label) adds none.
TEST_F(RequestTrackerEndToEndTest, AnOutcomeLabelIsRecordedOnceAsSuggested) {
  const absl::Time started = absl::Now();
  ASSERT_NO_FATAL_FAILURE(StartAdapter());
  const std::string account = "initech.example";
  nlohmann::json created =
      Rest("POST", "/ticket",
           {{"Queue", "General"},
            {"Subject", "Outage: nobody can log in"},
            {"Content",
             "Since this morning nobody in our team can log in. This is the "
             "second outage this month and work has stopped."},
            {"ContentType", "text/plain"},
            {"Requestor", "ola@initech.example"}});
  const std::string ticket = Text(created, "id");
  ASSERT_FALSE(ticket.empty()) << created.dump();

  cse::v1::AccountJourney journey;
  ASSERT_TRUE(WaitFor(
      [&] {
        journey = Journey(account);
        return journey.suggestions_size() > 0;
      },
      absl::Seconds(60)))
      << "no suggestions for " << account << "; adapter log:\n"
      << adapter_->Stderr();
  const absl::Duration to_suggestion = absl::Now() - started;
  // The best suggestion for the ticket's creation.
  cse::v1::JourneySuggestion suggestion = journey.suggestions(0);
  for (const cse::v1::JourneySuggestion& s : journey.suggestions()) {
    if (s.rank() == 1) {
      suggestion = s;
      break;
    }
  }
  ASSERT_FALSE(suggestion.practice_id().empty());
  // A suggestion always has a mode: the outcome's must come from it.
  ASSERT_NE(suggestion.organization(),
            cse::v1::MODE_OF_ORGANIZATION_UNSPECIFIED);
  ASSERT_NE(suggestion.engagement(), cse::v1::MODE_OF_ENGAGEMENT_UNSPECIFIED);
  const std::string label = absl::StrCat(
      "cse-outcome-", absl::AsciiStrToLower(suggestion.practice_id()),
      "-restored");

  // What an agent does in the ticket's Basics form, through REST2.
  const absl::Time labelled = absl::Now();
  nlohmann::json set = Rest("PUT", absl::StrCat("/ticket/", ticket),
                            {{"CustomFields", {{"CSE Outcome", {label}}}}});
  ASSERT_EQ(set, nlohmann::json::array({absl::StrCat(
                     label, " added as a value for CSE Outcome")}));

  ASSERT_TRUE(WaitFor(
      [&] {
        journey = Journey(account);
        return journey.outcomes_size() > 0;
      },
      absl::Seconds(30)))
      << "no outcome for " << label << "; adapter log:\n"
      << adapter_->Stderr();
  const absl::Duration to_outcome = absl::Now() - labelled;
  ASSERT_EQ(journey.outcomes_size(), 1);
  const cse::v1::Outcome first = journey.outcomes(0);
  EXPECT_EQ(first.outcome_id(), absl::StrCat("rt:ticket/", ticket, ":", label));
  EXPECT_EQ(first.account_id(), account);
  EXPECT_EQ(first.practice_id(), suggestion.practice_id());
  EXPECT_EQ(first.reaction(), cse::v1::CUSTOMER_REACTION_RESTORED);
  EXPECT_EQ(first.organization(), suggestion.organization());
  EXPECT_EQ(first.engagement(), suggestion.engagement());
  EXPECT_EQ(first.source(), suggestion.event().source());
  EXPECT_EQ(first.event_id(), suggestion.event().event_id());
  EXPECT_EQ(first.phase_id(), suggestion.phase_id());
  EXPECT_EQ(first.recorded_by(), rt_->user());
  EXPECT_GE(first.occurred_at().seconds(), suggestion.occurred_at().seconds());

  // Another update: the adapter reads the ticket, and the label, again.
  Rest("POST", absl::StrCat("/ticket/", ticket, "/comment"),
       {{"Content", "Logins work again after the restart."},
        {"ContentType", "text/plain"}});
  int64_t comment_txn = 0;
  nlohmann::json history =
      Rest("GET", absl::StrCat("/ticket/", ticket,
                               "/history?fields=Type,Data&per_page=100"));
  for (const nlohmann::json& item : Items(history)) {
    int64_t id = 0;
    if (Text(item, "Type") == "Comment" &&
        !absl::StrContains(Text(item, "Data"), "[cse:") &&
        absl::SimpleAtoi(Text(item, "id"), &id)) {
      comment_txn = std::max(comment_txn, id);
    }
  }
  ASSERT_GT(comment_txn, 0) << history.dump();
  // The cursor passes a transaction only once everything the poll sent
  // for it, the re-read outcome included, is stored.
  ASSERT_TRUE(
      WaitFor([&] { return Cursor() >= comment_txn; }, absl::Seconds(30)))
      << "cursor " << Cursor() << " < " << comment_txn << "; adapter log:\n"
      << adapter_->Stderr();
  journey = Journey(account);
  bool comment_ingested = false;
  for (const cse::v1::JourneyEvent& event : journey.events()) {
    comment_ingested |=
        event.event().event_id() == absl::StrCat("txn-", comment_txn);
  }
  EXPECT_TRUE(comment_ingested);
  ASSERT_EQ(journey.outcomes_size(), 1);
  EXPECT_EQ(journey.outcomes(0).outcome_id(), first.outcome_id());
  EXPECT_EQ(journey.outcomes(0).recorded_at().seconds(),
            first.recorded_at().seconds());
  std::printf(
      "outcome %s: suggestion after %.1f s, outcome %.1f s after the label, "
      "test %.1f s\n",
      first.outcome_id().c_str(), absl::ToDoubleSeconds(to_suggestion),
      absl::ToDoubleSeconds(to_outcome),
      absl::ToDoubleSeconds(absl::Now() - started));
}

}  // namespace
}  // namespace cse::adapters
