// RtTransactionPoller against a fake REST2: an agent's outcome labels in
// the ticket custom field "CSE Outcome" become RecordOutcomeRequests.
//
// The answers are the shapes RT 5.0.3 gave on this machine (see
// /work/shared/vendor-notes/request-tracker5.md and the RT::REST2 docs):
// the transaction collection with `fields=...` gives Creator as a user
// object and Field as the custom field's id for Type "CustomField"; a
// ticket lists its custom fields as {"id","name","values":[...]}.
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "adapters/common/curl_http_client.h"
#include "adapters/request_tracker/rt_session.h"
#include "adapters/request_tracker/rt_transaction_poller.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/http/fake_http_server.h"
#include "tests/testing/outcome_matchers.h"

namespace cse::adapters::request_tracker {
namespace {

using ::cse::testing::FakeHttpServer;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using Json = nlohmann::json;

// 2026-11-24T20:46:03Z, 20:46:06Z and 20:47:10Z in Unix seconds.
constexpr int64_t kCreatedAt = 1795553163;
constexpr int64_t kLabelAt = 1795553166;
constexpr int64_t kLaterAt = 1795553230;

// One item of GET /transactions?...&fields=ObjectId,Type,Field,OldValue,
// NewValue,Created,Creator,Data.
Json Transaction(int id, int ticket, const std::string& type,
                 const std::string& created, const std::string& creator,
                 const std::string& field = "",
                 const std::string& new_value = "") {
  return {{"id", std::to_string(id)},
          {"type", "transaction"},
          {"_url", absl::StrCat("http://rt.test/REST/2.0/transaction/", id)},
          {"ObjectId", std::to_string(ticket)},
          {"Type", type},
          {"Field", field},
          {"OldValue", ""},
          {"NewValue", new_value},
          {"Data", ""},
          {"Created", created},
          {"Creator",
           {{"id", creator},
            {"type", "user"},
            {"_url", absl::StrCat("http://rt.test/REST/2.0/user/", creator)}}}};
}

Json CustomField(const std::string& id, const std::string& name,
                 const std::vector<std::string>& values) {
  return {{"id", id},
          {"type", "customfield"},
          {"_url", absl::StrCat("http://rt.test/REST/2.0/customfield/", id)},
          {"name", name},
          {"values", values}};
}

// GET /ticket/:id with the three fields the harness creates: "Journey
// Phase" #2, "CSE Tags" #3, "CSE Outcome" #4.
Json Ticket(int id, const std::vector<std::string>& outcome_values,
            const std::vector<std::string>& tags = {},
            const std::string& requestor = "anna@acme.example") {
  return {{"id", id},
          {"Subject", "Outage: nobody can log in"},
          {"Status", "open"},
          {"Priority", "0"},
          {"Queue", {{"id", "1"}, {"type", "queue"}}},
          {"Requestor", {{{"id", requestor}, {"type", "user"}}}},
          {"Owner", {{"id", "Nobody"}, {"type", "user"}}},
          {"CustomFields",
           {CustomField("4", "CSE Outcome", outcome_values),
            CustomField("2", "Journey Phase", {}),
            CustomField("3", "CSE Tags", tags)}},
          {"Created", "2026-11-24T20:46:03Z"},
          {"LastUpdated", "2026-11-24T20:46:06Z"}};
}

// RT's login form, REST2's transaction search, tickets and attachments.
class FakeRest2 {
 public:
  FakeRest2() {
    server_.Handle("POST", "/NoAuth/Login.html",
                   [](const FakeHttpServer::Request&) {
                     FakeHttpServer::Response response;
                     response.status = 302;
                     response.content_type = "text/html";
                     response.headers["Location"] = "/";
                     response.headers["Set-Cookie"] =
                         "RT_SID_cse-test.8080=5e55; path=/; HttpOnly";
                     return response;
                   });
    server_.Handle("GET", "/REST/2.0/transactions",
                   [this](const FakeHttpServer::Request&) {
                     absl::MutexLock lock(&mu_);
                     Json page = {{"page", 1},
                                  {"per_page", 50},
                                  {"count", transactions_.size()},
                                  {"total", transactions_.size()},
                                  {"items", transactions_}};
                     return FakeHttpServer::Response{200, page.dump()};
                   });
    server_.Handle("GET", R"(/REST/2.0/ticket/(\d+))",
                   [this](const FakeHttpServer::Request& request) {
                     absl::MutexLock lock(&mu_);
                     auto it = tickets_.find(request.matches[0]);
                     if (it == tickets_.end()) {
                       return FakeHttpServer::Response{
                           404, R"({"message":"Resource does not exist"})"};
                     }
                     return FakeHttpServer::Response{200, it->second.dump()};
                   });
    server_.Handle(
        "GET", R"(/REST/2.0/transaction/(\d+)/attachments)",
        [](const FakeHttpServer::Request&) {
          Json items = {{{"id", "5"},
                         {"ContentType", "text/plain"},
                         {"Content", "Still down after four hours."}}};
          return FakeHttpServer::Response{200, Json{{"items", items}}.dump()};
        });
    server_.Handle(
        "GET", R"(/REST/2.0/queue/(\d+))",
        [](const FakeHttpServer::Request& request) {
          Json queue = {{"id", request.matches[0]}, {"Name", "General"}};
          return FakeHttpServer::Response{200, queue.dump()};
        });
  }

  absl::Status Start() { return server_.Start(); }
  std::string base_url() const { return server_.base_url(); }

  void SetTransactions(Json items) {
    absl::MutexLock lock(&mu_);
    transactions_ = std::move(items);
  }
  void SetTicket(int id, Json ticket) {
    absl::MutexLock lock(&mu_);
    tickets_[std::to_string(id)] = std::move(ticket);
  }
  std::vector<FakeHttpServer::Request> TicketReads() const {
    return server_.RequestsTo("GET", R"(/REST/2.0/ticket/\d+)");
  }
  std::vector<FakeHttpServer::Request> Searches() const {
    return server_.RequestsTo("GET", "/REST/2.0/transactions");
  }

 private:
  FakeHttpServer server_;
  absl::Mutex mu_;
  Json transactions_ ABSL_GUARDED_BY(mu_) = Json::array();
  std::map<std::string, Json> tickets_ ABSL_GUARDED_BY(mu_);
};

class RtOutcomePollTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(rt_.Start().ok()); }

  // A poller as the factory builds it for instance "rt".
  RtTransactionPoller& Poller(PollerOptions options = DefaultOptions()) {
    session_ = std::make_unique<RtSession>(
        &http_, rt_.base_url(), "cse-adapter", "s3cret", absl::Seconds(5));
    poller_ = std::make_unique<RtTransactionPoller>(session_.get(),
                                                    std::move(options));
    return *poller_;
  }
  static PollerOptions DefaultOptions() {
    PollerOptions options;
    options.source = "rt";
    return options;
  }

  EventPoller::Batch Poll(RtTransactionPoller& poller,
                          const std::string& cursor) {
    absl::StatusOr<EventPoller::Batch> batch = poller.PollAfter(cursor);
    EXPECT_TRUE(batch.ok()) << batch.status();
    return batch.ok() ? *std::move(batch) : EventPoller::Batch{};
  }

  FakeRest2 rt_;
  CurlHttpClient http_;
  std::unique_ptr<RtSession> session_;
  std::unique_ptr<RtTransactionPoller> poller_;
};

TEST_F(RtOutcomePollTest, ALabelAddedToTheOutcomeFieldBecomesOneOutcome) {
  rt_.SetTicket(7, Ticket(7, {"cse-outcome-p8-restored"}));
  rt_.SetTransactions(
      {Transaction(101, 7, "CustomField", "2026-11-24T20:46:06Z", "kim", "4",
                   "cse-outcome-p8-restored")});
  EventPoller::Batch batch = Poll(Poller(), "100");

  EXPECT_EQ(batch.next_cursor, "101");
  EXPECT_FALSE(batch.more);
  EXPECT_THAT(batch.events.tickets, IsEmpty());
  EXPECT_THAT(batch.events.warnings, IsEmpty());
  ASSERT_THAT(batch.events.outcomes, SizeIs(1));
  EXPECT_THAT(batch.events.outcomes[0],
              cse::testing::IsTagOutcome(
                  {.outcome_id = "rt:ticket/7:cse-outcome-p8-restored",
                   .account_id = "acme.example",
                   .practice_id = "P8",
                   .reaction = cse::v1::CUSTOMER_REACTION_RESTORED,
                   .occurred_at_seconds = kLabelAt,
                   .recorded_by = "kim"}));
}

// The query asks for custom-field changes next to the event types; the
// cursor still ends on the last transaction of the page.
TEST_F(RtOutcomePollTest, TheSearchAsksForCustomFieldChangesToo) {
  rt_.SetTicket(7, Ticket(7, {}));
  Poll(Poller(), "100");
  ASSERT_THAT(rt_.Searches(), SizeIs(1));
  EXPECT_EQ(rt_.Searches()[0].params.at("query"),
            "ObjectType = 'RT::Ticket' AND id > 100 AND ( Type = 'Create' OR "
            "Type = 'Comment' OR Type = 'Correspond' OR Type = 'Status' OR "
            "Type = 'CustomField' )");
}

TEST_F(RtOutcomePollTest, TheModeInTheLabelIsSentAndAgentSpellingsAreRead) {
  // RT keeps a value as the agent typed it.
  rt_.SetTicket(7, Ticket(7, {"CSE-Outcome-P2-Bolstered-Regular-Proactive",
                              "cse_outcome_p10_no_change"}));
  rt_.SetTransactions(
      {Transaction(101, 7, "CustomField", "2026-11-24T20:46:06Z", "kim", "4",
                   "cse_outcome_p10_no_change")});
  EventPoller::Batch batch = Poll(Poller(), "100");
  ASSERT_THAT(batch.events.outcomes, SizeIs(2));
  const cse::v1::RecordOutcomeRequest& first = batch.events.outcomes[0];
  EXPECT_EQ(first.outcome_id(),
            "rt:ticket/7:cse-outcome-p2-bolstered-regular-proactive");
  EXPECT_EQ(first.practice_id(), "P2");
  EXPECT_EQ(first.reaction(), cse::v1::CUSTOMER_REACTION_BOLSTERED);
  EXPECT_EQ(first.organization(), cse::v1::MODE_OF_ORGANIZATION_REGULAR);
  EXPECT_EQ(first.engagement(), cse::v1::MODE_OF_ENGAGEMENT_PROACTIVE);
  const cse::v1::RecordOutcomeRequest& second = batch.events.outcomes[1];
  EXPECT_EQ(second.outcome_id(), "rt:ticket/7:cse-outcome-p10-no-change");
  EXPECT_EQ(second.practice_id(), "P10");
  EXPECT_EQ(second.reaction(), cse::v1::CUSTOMER_REACTION_NO_CHANGE);
}

// A single-value or text-area field holding several labels.
TEST_F(RtOutcomePollTest, LabelsInOneValueAreSplitAtNewlinesCommasSemicolons) {
  rt_.SetTicket(7, Ticket(7, {"cse-outcome-p8-restored;cse-outcome-p3-worsened"
                              "\r\ncse-outcome-p1-bolstered, "}));
  rt_.SetTransactions({Transaction(101, 7, "CustomField",
                                   "2026-11-24T20:46:06Z", "kim", "4", "x")});
  EventPoller::Batch batch = Poll(Poller(), "100");
  std::vector<std::string> ids;
  for (const auto& outcome : batch.events.outcomes) {
    ids.push_back(outcome.outcome_id());
  }
  EXPECT_THAT(ids, ElementsAre("rt:ticket/7:cse-outcome-p8-restored",
                               "rt:ticket/7:cse-outcome-p3-worsened",
                               "rt:ticket/7:cse-outcome-p1-bolstered"));
  EXPECT_THAT(batch.events.warnings, IsEmpty());
}

TEST_F(RtOutcomePollTest, AMalformedLabelIsAWarningAndTheBatchStillParses) {
  rt_.SetTicket(7, Ticket(7, {"cse-outcome-p8-happy", "cse-outcome-p8-restored",
                              "vip-customer"}));
  rt_.SetTransactions(
      {Transaction(101, 7, "Correspond", "2026-11-24T20:46:03Z", "anna"),
       Transaction(102, 7, "CustomField", "2026-11-24T20:46:06Z", "kim", "4",
                   "cse-outcome-p8-happy")});
  EventPoller::Batch batch = Poll(Poller(), "100");
  EXPECT_EQ(batch.next_cursor, "102");
  ASSERT_THAT(batch.events.tickets, SizeIs(1));
  EXPECT_EQ(batch.events.tickets[0].event_id(), "txn-101");
  EXPECT_EQ(batch.events.tickets[0].body(), "Still down after four hours.");
  ASSERT_THAT(batch.events.outcomes, SizeIs(1));
  EXPECT_EQ(batch.events.outcomes[0].outcome_id(),
            "rt:ticket/7:cse-outcome-p8-restored");
  // Not added by this batch's change of the field: dated by the ticket's
  // first transaction of the batch.
  EXPECT_EQ(batch.events.outcomes[0].occurred_at().seconds(), kCreatedAt);
  EXPECT_EQ(batch.events.outcomes[0].recorded_by(), "anna");
  EXPECT_THAT(batch.events.warnings,
              ElementsAre(AllOf(HasSubstr("ticket/7"), HasSubstr("happy"))));
}

TEST_F(RtOutcomePollTest, NoLabelNoOutcome) {
  // The sidecar's own tag writeback ("CSE Tags") is not the outcome field,
  // whatever it holds.
  rt_.SetTicket(7, Ticket(7, {}, {"cse-outcome-p8-restored"}));
  rt_.SetTransactions(
      {Transaction(101, 7, "Comment", "2026-11-24T20:46:03Z", "kim")});
  EventPoller::Batch batch = Poll(Poller(), "100");
  EXPECT_THAT(batch.events.tickets, SizeIs(1));
  EXPECT_THAT(batch.events.outcomes, IsEmpty());
  EXPECT_THAT(batch.events.warnings, IsEmpty());
}

// Values given when the ticket is created leave no CustomField
// transaction: the Create reads them.
TEST_F(RtOutcomePollTest, ALabelSetAtCreationComesWithTheCreateEvent) {
  Json ticket = Ticket(7, {"cse-outcome-p8-restored"});
  ticket["CustomFields"].push_back(CustomField("5", "Customer", {"ACME-42"}));
  rt_.SetTicket(7, ticket);
  rt_.SetTransactions(
      {Transaction(101, 7, "Create", "2026-11-24T20:46:03Z", "kim")});
  PollerOptions options = DefaultOptions();
  options.account_field = "Customer";
  EventPoller::Batch batch = Poll(Poller(options), "100");
  ASSERT_THAT(batch.events.tickets, SizeIs(1));
  EXPECT_EQ(batch.events.tickets[0].account().id(), "ACME-42");
  ASSERT_THAT(batch.events.outcomes, SizeIs(1));
  EXPECT_EQ(batch.events.outcomes[0].account_id(), "ACME-42");
  EXPECT_EQ(batch.events.outcomes[0].occurred_at().seconds(), kCreatedAt);
  EXPECT_EQ(batch.events.outcomes[0].recorded_by(), "kim");
}

// The transaction that added the label dates and signs it, not an
// earlier update of the same ticket in the batch; the ticket is read once
// and each label sent once.
TEST_F(RtOutcomePollTest, TheTransactionThatAddedALabelDatesIt) {
  rt_.SetTicket(7, Ticket(7, {"cse-outcome-p8-restored"}));
  rt_.SetTransactions(
      {Transaction(101, 7, "Comment", "2026-11-24T20:46:03Z", "bob"),
       Transaction(102, 7, "CustomField", "2026-11-24T20:47:10Z", "kim", "4",
                   "cse-outcome-p8-restored"),
       Transaction(103, 7, "Correspond", "2026-11-24T20:47:10Z", "bob")});
  EventPoller::Batch batch = Poll(Poller(), "100");
  EXPECT_EQ(batch.next_cursor, "103");
  EXPECT_THAT(batch.events.tickets, SizeIs(2));
  ASSERT_THAT(batch.events.outcomes, SizeIs(1));
  EXPECT_EQ(batch.events.outcomes[0].occurred_at().seconds(), kLaterAt);
  EXPECT_EQ(batch.events.outcomes[0].recorded_by(), "kim");
  EXPECT_THAT(rt_.TicketReads(), SizeIs(1));
}

// A label stays on the ticket: every later update sends it again with
// the same outcome id, so the sidecar records it once.
TEST_F(RtOutcomePollTest, ALabelReReadOnALaterUpdateKeepsItsOutcomeId) {
  rt_.SetTicket(7, Ticket(7, {"cse-outcome-p8-restored"}));
  RtTransactionPoller& poller = Poller();
  rt_.SetTransactions(
      {Transaction(101, 7, "CustomField", "2026-11-24T20:46:06Z", "kim", "4",
                   "cse-outcome-p8-restored")});
  EventPoller::Batch first = Poll(poller, "100");
  rt_.SetTransactions(
      {Transaction(102, 7, "Comment", "2026-11-24T20:47:10Z", "bob")});
  EventPoller::Batch second = Poll(poller, "101");
  ASSERT_THAT(first.events.outcomes, SizeIs(1));
  ASSERT_THAT(second.events.outcomes, SizeIs(1));
  EXPECT_EQ(second.events.outcomes[0].outcome_id(),
            first.events.outcomes[0].outcome_id());
  EXPECT_EQ(second.next_cursor, "102");
}

// The adapter's own tags and phase writes are custom-field changes too:
// once a ticket has shown which field an id is, changes of other fields
// are skipped without reading their tickets, and the cursor moves on.
TEST_F(RtOutcomePollTest, OtherCustomFieldChangesAreSkippedWithoutAReadLater) {
  rt_.SetTicket(7, Ticket(7, {"cse-outcome-p8-restored"}));
  rt_.SetTicket(8, Ticket(8, {"cse-outcome-p2-restored"}));
  RtTransactionPoller& poller = Poller();
  rt_.SetTransactions(
      {Transaction(101, 7, "CustomField", "2026-11-24T20:46:06Z", "root", "3",
                   "cse-restore")});
  EventPoller::Batch first = Poll(poller, "100");
  EXPECT_EQ(first.next_cursor, "101");
  EXPECT_THAT(first.events.outcomes, IsEmpty());
  EXPECT_THAT(first.events.ignored, ElementsAre(HasSubstr("txn 101")));
  EXPECT_THAT(rt_.TicketReads(), SizeIs(1));

  rt_.SetTransactions(
      {Transaction(102, 8, "CustomField", "2026-11-24T20:47:10Z", "root", "3",
                   "cse-restore"),
       Transaction(103, 8, "CustomField", "2026-11-24T20:47:10Z", "root", "2",
                   "Adoption")});
  EventPoller::Batch second = Poll(poller, "101");
  EXPECT_EQ(second.next_cursor, "103");
  EXPECT_THAT(second.events.tickets, IsEmpty());
  EXPECT_THAT(second.events.outcomes, IsEmpty());
  EXPECT_THAT(second.events.ignored, SizeIs(2));
  EXPECT_THAT(rt_.TicketReads(), SizeIs(1));
}

TEST_F(RtOutcomePollTest, TheFieldNameIsConfigurableAndMatchedWithoutCase) {
  Json ticket = Ticket(7, {"cse-outcome-p8-restored"});
  ticket["CustomFields"].push_back(
      CustomField("9", "agent outcome", {"cse-outcome-p5-worsened"}));
  rt_.SetTicket(7, ticket);
  rt_.SetTransactions(
      {Transaction(101, 7, "CustomField", "2026-11-24T20:46:06Z", "kim", "9",
                   "cse-outcome-p5-worsened")});
  PollerOptions options = DefaultOptions();
  options.outcome_field = "Agent Outcome";
  EventPoller::Batch batch = Poll(Poller(options), "100");
  ASSERT_THAT(batch.events.outcomes, SizeIs(1));
  EXPECT_EQ(batch.events.outcomes[0].outcome_id(),
            "rt:ticket/7:cse-outcome-p5-worsened");
  EXPECT_EQ(batch.events.outcomes[0].recorded_by(), "kim");
}

TEST_F(RtOutcomePollTest, TicketsOfUnwatchedQueuesGiveNoOutcomes) {
  rt_.SetTicket(7, Ticket(7, {"cse-outcome-p8-restored"}));
  rt_.SetTransactions(
      {Transaction(101, 7, "CustomField", "2026-11-24T20:46:06Z", "kim", "4",
                   "cse-outcome-p8-restored")});
  PollerOptions options = DefaultOptions();
  options.queues = {"Billing"};  // the fake's queue 1 is "General"
  EventPoller::Batch batch = Poll(Poller(options), "100");
  EXPECT_EQ(batch.next_cursor, "101");
  EXPECT_THAT(batch.events.outcomes, IsEmpty());
  EXPECT_THAT(batch.events.ignored,
              ElementsAre(HasSubstr("queue General not watched")));
}

}  // namespace
}  // namespace cse::adapters::request_tracker
