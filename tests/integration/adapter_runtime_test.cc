// The adapter runtime (webhook ingress, writeback worker, poll loop)
// against a real in-process sidecar over loopback gRPC, with a test
// adapter whose rules are spelled out here so each check has one cause.
#include <atomic>
#include <cctype>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "adapters/common/curl_http_client.h"
#include "adapters/common/outcome_tag.h"
#include "adapters/runtime/poll_loop.h"
#include "adapters/runtime/sidecar_client.h"
#include "adapters/runtime/webhook_ingress.h"
#include "adapters/runtime/writeback_worker.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "sidecar/config/builtin_mappings.h"
#include "tests/testing/free_port.h"
#include "tests/testing/test_sidecar.h"

namespace cse::adapters {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

// Accepts {"id","account","text","type"} with header X-Test-Signature: ok.
class TestAdapter : public CrmAdapter, public EventPoller {
 public:
  absl::string_view name() const override { return "testcrm"; }
  std::vector<std::string> accepted_content_types() const override {
    return {"application/json"};
  }
  absl::StatusOr<CanonicalEvents> ReceiveWebhook(
      const WebhookDelivery& delivery) override {
    if (delivery.headers.Get("x-test-signature") != "ok") {
      return absl::UnauthenticatedError("X-Test-Signature: mismatch");
    }
    nlohmann::json body = nlohmann::json::parse(delivery.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      return absl::InvalidArgumentError("body: not a JSON object");
    }
    CanonicalEvents events;
    if (body.value("type", "") == "poke") {
      events.poll_now = true;
      return events;
    }
    if (body.value("type", "") != "ticket") {
      events.ignored.push_back("type " + body.value("type", "?"));
      return events;
    }
    events.tickets.push_back(Ticket(body.value("id", ""),
                                    body.value("account", ""),
                                    body.value("text", "")));
    if (body.contains("tags")) {
      OutcomeTagSource where;
      where.account_id = body.value("account", "");
      where.source = "testcrm";
      where.object_key = "ticket/T-1";
      // As a CRM would: the update's time (the sidecar's store runs on a
      // fake clock here).
      where.occurred_at = absl::Now();
      events.outcomes =
          OutcomesFromTags(where, body["tags"].get<std::vector<std::string>>(),
                           &events.warnings);
    }
    return events;
  }
  WritebackOutcome PerformWriteback(const cse::v1::WritebackJob& job) override {
    absl::MutexLock lock(&mu_);
    performed_.push_back(job);
    return next_outcome_;
  }
  EventPoller* poller() override { return this; }

  absl::StatusOr<Batch> PollAfter(absl::string_view cursor) override {
    ++polls_;
    size_t next = cursor.empty() ? 0 : std::stoul(std::string(cursor));
    Batch batch;
    // Two a batch, so `more` is exercised.
    for (size_t i = next; i < polled_.size() && i < next + 2; ++i) {
      batch.events.tickets.push_back(polled_[i]);
    }
    const size_t end = std::min(polled_.size(), next + 2);
    batch.next_cursor = std::to_string(end);
    batch.more = end < polled_.size();
    return batch;
  }

  static cse::v1::TicketEvent Ticket(std::string id, std::string account,
                                     std::string text) {
    cse::v1::TicketEvent event;
    event.set_source("testcrm");
    event.set_event_id(std::move(id));
    event.set_ticket_id("T-1");
    event.mutable_account()->set_id(std::move(account));
    event.set_kind(cse::v1::TICKET_EVENT_KIND_COMMENTED);
    event.set_subject("Help");
    event.set_body(std::move(text));
    return event;
  }

  std::vector<cse::v1::WritebackJob> performed() {
    absl::MutexLock lock(&mu_);
    return performed_;
  }

  WritebackOutcome next_outcome_{cse::v1::WRITEBACK_RESULT_DONE,
                                 absl::ZeroDuration(), "HTTP 200"};
  std::vector<cse::v1::TicketEvent> polled_;
  std::atomic<int> polls_{0};

 private:
  absl::Mutex mu_;
  std::vector<cse::v1::WritebackJob> performed_ ABSL_GUARDED_BY(mu_);
};

class AdapterRuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string_view yaml = config::BuiltinMappingYaml("default");
    auto sidecar = testing::TestSidecar::Start(
        absl::string_view(yaml.data(), yaml.size()));
    ASSERT_TRUE(sidecar.ok()) << sidecar.status();
    sidecar_ = std::move(*sidecar);
    client_ =
        std::make_unique<SidecarClient>(sidecar_->channel(), absl::Seconds(5));
    WebhookIngress::Options options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.max_body_bytes = 4096;
    ingress_ = std::make_unique<WebhookIngress>(
        options, std::vector<CrmAdapter*>{&adapter_}, client_.get(),
        [this](absl::string_view name) {
          poked_.push_back(std::string(name));
        });
    ASSERT_TRUE(ingress_->Start().ok());
  }

  HttpResponse Post(const std::string& body,
                    const std::string& signature = "ok",
                    const std::string& content_type = "application/json",
                    const std::string& path = "/webhooks/testcrm") {
    HttpRequest request;
    request.method = "POST";
    request.url = absl::StrCat("http://127.0.0.1:", ingress_->port(), path);
    request.headers.Set("Content-Type", content_type);
    request.headers.Set("X-Test-Signature", signature);
    request.body = body;
    absl::StatusOr<HttpResponse> response = http_.Send(request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : HttpResponse{};
  }

  uint32_t EventCount(const std::string& account) {
    grpc::ClientContext context;
    cse::v1::GetAccountJourneyRequest request;
    request.set_account_id(account);
    cse::v1::GetAccountJourneyResponse response;
    grpc::Status status =
        sidecar_->journey().GetAccountJourney(&context, request, &response);
    return status.ok() ? response.journey().event_count() : 0;
  }

  static std::string TicketJson(const std::string& id,
                                const std::string& account) {
    return nlohmann::json{{"type", "ticket"},
                          {"id", id},
                          {"account", account},
                          {"text",
                           "The export is broken again, we are "
                           "losing data."}}
        .dump();
  }

  TestAdapter adapter_;
  std::unique_ptr<testing::TestSidecar> sidecar_;
  std::unique_ptr<SidecarClient> client_;
  std::unique_ptr<WebhookIngress> ingress_;
  std::vector<std::string> poked_;
  CurlHttpClient http_;
};

TEST_F(AdapterRuntimeTest, DeliveryIsDurableBeforeTheCrmGetsItsAnswer) {
  EXPECT_EQ(Post(TicketJson("e1", "acme")).status, 200);
  EXPECT_EQ(EventCount("acme"), 1u);
}

TEST_F(AdapterRuntimeTest, RedeliveryIsAcceptedAndStoredOnce) {
  EXPECT_EQ(Post(TicketJson("e1", "acme")).status, 200);
  EXPECT_EQ(Post(TicketJson("e1", "acme")).status, 200);
  EXPECT_EQ(EventCount("acme"), 1u);
}

TEST_F(AdapterRuntimeTest, OversizeBodyIs413AndStoresNothing) {
  std::string big = TicketJson("e1", "acme");
  big.insert(big.size() - 1,
             absl::StrCat(",\"pad\":\"", std::string(5000, 'x'), "\""));
  EXPECT_EQ(Post(big).status, 413);
  EXPECT_EQ(EventCount("acme"), 0u);
}

TEST_F(AdapterRuntimeTest, WrongContentTypeIs415) {
  HttpResponse response = Post(TicketJson("e1", "acme"), "ok", "text/plain");
  EXPECT_EQ(response.status, 415);
  EXPECT_THAT(response.body, HasSubstr("application/json"));
  EXPECT_EQ(EventCount("acme"), 0u);
}

TEST_F(AdapterRuntimeTest, BadSignatureIs401AndStoresNothing) {
  HttpResponse response = Post(TicketJson("e1", "acme"), "forged");
  EXPECT_EQ(response.status, 401);
  EXPECT_THAT(response.body, HasSubstr("X-Test-Signature: mismatch"));
  EXPECT_EQ(EventCount("acme"), 0u);
}

TEST_F(AdapterRuntimeTest, MalformedPayloadIs400WithTheReason) {
  HttpResponse response = Post("{not json");
  EXPECT_EQ(response.status, 400);
  EXPECT_THAT(response.body, HasSubstr("body: not a JSON object"));
}

TEST_F(AdapterRuntimeTest, UnknownEventTypeIsAcknowledgedAndIgnored) {
  EXPECT_EQ(Post(R"({"type":"survey.sent","account":"acme"})").status, 200);
  EXPECT_EQ(EventCount("acme"), 0u);
}

// The account's journey as the sidecar keeps it.
cse::v1::AccountJourney JourneyOf(testing::TestSidecar& sidecar,
                                  const std::string& account) {
  grpc::ClientContext context;
  cse::v1::GetAccountJourneyRequest request;
  request.set_account_id(account);
  cse::v1::GetAccountJourneyResponse response;
  grpc::Status status =
      sidecar.journey().GetAccountJourney(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.journey();
}

// An agent's outcome tag reaches RecordOutcome; one the sidecar refuses
// (nothing to take its mode from) or that does not parse is logged and does
// not make the CRM redeliver.
TEST_F(AdapterRuntimeTest, OutcomeTagsAreRecordedOnceAndRefusedOnesDoNotFail) {
  ASSERT_EQ(Post(TicketJson("e1", "acme")).status, 200);
  const cse::v1::AccountJourney before = JourneyOf(*sidecar_, "acme");
  ASSERT_GT(before.suggestions_size(), 0);
  const cse::v1::JourneySuggestion& top = before.suggestions(0);
  std::string practice = top.practice_id();
  for (char& c : practice) c = static_cast<char>(std::tolower(c));
  // A practice the sidecar did not suggest to this account.
  std::string unsuggested;
  for (int p = 1; p <= 10 && unsuggested.empty(); ++p) {
    const std::string id = absl::StrCat("P", p);
    bool suggested = false;
    for (const auto& s : before.suggestions()) {
      suggested = suggested || s.practice_id() == id;
    }
    if (!suggested) unsuggested = absl::StrCat("p", p);
  }
  ASSERT_FALSE(unsuggested.empty());

  nlohmann::json delivery = nlohmann::json::parse(TicketJson("e2", "acme"));
  delivery["tags"] = {"vip",
                      absl::StrCat("cse-outcome-", practice, "-restored"),
                      absl::StrCat("cse-outcome-", unsuggested, "-restored"),
                      "cse-outcome-p1-delighted"};
  EXPECT_EQ(Post(delivery.dump()).status, 200);
  // The same tags on the next update: the same outcome, not a new one.
  delivery["id"] = "e3";
  EXPECT_EQ(Post(delivery.dump()).status, 200);

  const cse::v1::AccountJourney after = JourneyOf(*sidecar_, "acme");
  ASSERT_EQ(after.outcomes_size(), 1);
  const cse::v1::Outcome& outcome = after.outcomes(0);
  EXPECT_EQ(outcome.practice_id(), top.practice_id());
  EXPECT_EQ(outcome.reaction(), cse::v1::CUSTOMER_REACTION_RESTORED);
  // Followed the latest event that suggested it, in the suggested mode.
  EXPECT_EQ(outcome.source(), "testcrm");
  EXPECT_FALSE(outcome.event_id().empty());
  EXPECT_EQ(outcome.organization(), top.organization());
  EXPECT_EQ(outcome.engagement(), top.engagement());
  EXPECT_EQ(after.event_count(), 3u);
}

TEST_F(AdapterRuntimeTest, UnknownCrmIs404) {
  EXPECT_EQ(Post(TicketJson("e1", "acme"), "ok", "application/json",
                 "/webhooks/nosuchcrm")
                .status,
            404);
}

TEST_F(AdapterRuntimeTest, PokeRequestsAPollOfThatCrm) {
  EXPECT_EQ(Post(R"({"type":"poke"})").status, 200);
  EXPECT_THAT(poked_, ::testing::ElementsAre("testcrm"));
}

TEST_F(AdapterRuntimeTest, SidecarDownIs503SoTheCrmRedelivers) {
  SidecarClient dead(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", testing::FreePort()),
                          grpc::InsecureChannelCredentials()),
      absl::Milliseconds(300));
  WebhookIngress::Options options;
  options.host = "127.0.0.1";
  options.port = 0;
  WebhookIngress ingress(options, {&adapter_}, &dead, nullptr);
  ASSERT_TRUE(ingress.Start().ok());
  HttpRequest request{
      "POST",
      absl::StrCat("http://127.0.0.1:", ingress.port(), "/webhooks/testcrm"),
      {{"Content-Type", "application/json"}, {"X-Test-Signature", "ok"}},
      TicketJson("e1", "acme")};
  absl::StatusOr<HttpResponse> response = http_.Send(request);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 503);
}

TEST_F(AdapterRuntimeTest, WorkerPerformsEveryJobOnceAndAcksIt) {
  ASSERT_EQ(Post(TicketJson("e1", "acme")).status, 200);
  WritebackWorker worker(&adapter_, client_.get(),
                         {.lessee_id = "test", .max_jobs = 50});
  absl::StatusOr<int> leased = worker.RunOnce();
  ASSERT_TRUE(leased.ok()) << leased.status();
  // One assessment yields its tags, note and phase-field jobs.
  EXPECT_GE(*leased, 2);
  EXPECT_THAT(adapter_.performed(), SizeIs(*leased));
  for (const auto& job : adapter_.performed()) {
    EXPECT_EQ(job.target_system(), "testcrm");
    EXPECT_EQ(job.event_id(), "e1");
  }
  // Acknowledged as done: nothing is leased again.
  EXPECT_EQ(*worker.RunOnce(), 0);
}

TEST_F(AdapterRuntimeTest, RetryableFailureIsNotLeasedAgainBeforeRetryAfter) {
  ASSERT_EQ(Post(TicketJson("e1", "acme")).status, 200);
  adapter_.next_outcome_ = {cse::v1::WRITEBACK_RESULT_FAILED_RETRYABLE,
                            absl::Seconds(120), "HTTP 429 retry-after 120"};
  WritebackWorker worker(&adapter_, client_.get(),
                         {.lessee_id = "test", .max_jobs = 50});
  const int first = *worker.RunOnce();
  ASSERT_GE(first, 1);
  EXPECT_EQ(*worker.RunOnce(), 0);
  sidecar_->AdvanceClock(absl::Seconds(121));
  adapter_.next_outcome_ = {cse::v1::WRITEBACK_RESULT_DONE,
                            absl::ZeroDuration(), "HTTP 200"};
  EXPECT_EQ(*worker.RunOnce(), first);
}

TEST_F(AdapterRuntimeTest, PollLoopIngestsEverythingAndKeepsItsCursor) {
  for (int i = 0; i < 5; ++i) {
    adapter_.polled_.push_back(TestAdapter::Ticket(
        absl::StrCat("p", i), "polled", "Thanks, the fix works."));
  }
  const std::string path =
      absl::StrCat(::testing::TempDir(), "/poll_loop_test.cursor");
  std::filesystem::remove(path);
  PollLoop loop(&adapter_, client_.get(), CursorFile(path), absl::Hours(1));
  EXPECT_EQ(*loop.RunOnce(), 5);
  EXPECT_EQ(*CursorFile(path).Load(), "5");
  EXPECT_EQ(EventCount("polled"), 5u);
  // Nothing new: nothing ingested, cursor unchanged.
  EXPECT_EQ(*loop.RunOnce(), 0);
  // A lost cursor (a crash before it was saved) re-polls everything; the
  // sidecar keeps one copy of each event.
  std::filesystem::remove(path);
  EXPECT_EQ(*loop.RunOnce(), 5);
  EXPECT_EQ(EventCount("polled"), 5u);
}

}  // namespace
}  // namespace cse::adapters
