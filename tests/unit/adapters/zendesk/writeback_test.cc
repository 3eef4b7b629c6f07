// ZendeskAdapter::PerformWriteback against a fake Support API: request
// shapes, idempotency, and how Zendesk's answers become outcomes.
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "adapters/common/curl_http_client.h"
#include "adapters/zendesk/writebacks.h"
#include "adapters/zendesk/zendesk_adapter.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/http/fake_http_server.h"
#include "tests/unit/adapters/zendesk/zendesk_test_util.h"

namespace cse::adapters::zendesk {
namespace {

using ::cse::adapters::zendesk::testing::FixedNow;
using ::cse::adapters::zendesk::testing::TestOptions;
using ::cse::testing::FakeHttpServer;
using ::cse::v1::WRITEBACK_RESULT_DONE;
using ::cse::v1::WRITEBACK_RESULT_FAILED_PERMANENT;
using ::cse::v1::WRITEBACK_RESULT_FAILED_RETRYABLE;
using ::cse::v1::WritebackJob;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using Json = nlohmann::json;

constexpr char kTicketPath[] = "/api/v2/tickets/35436";
constexpr char kTagsPath[] = "/api/v2/tickets/35436/tags";
constexpr char kCommentsPath[] = "/api/v2/tickets/35436/comments";

// A Show Ticket answer ("ticket" object of the Tickets API, trimmed to the
// fields the writebacks read plus a few others).
std::string TicketAnswer(const std::vector<std::string>& tags,
                         const Json& custom_fields = Json::array()) {
  Json ticket = {{"id", 35436},
                 {"subject", "Export fails after upgrade"},
                 {"status", "open"},
                 {"tags", tags},
                 {"custom_fields", custom_fields},
                 {"updated_at", "2025-01-08T11:02:31Z"}};
  return Json{{"ticket", ticket}}.dump();
}

// A List Comments page in cursor pagination's shape ("Pagination",
// https://developer.zendesk.com/api-reference/introduction/pagination/).
std::string CommentsPage(const std::vector<std::string>& bodies,
                         const std::string& next_url) {
  Json comments = Json::array();
  int id = 1000;
  for (const std::string& body : bodies) {
    comments.push_back(
        {{"id", ++id},
         {"type", "Comment"},
         {"author_id", 20978392},
         {"body", body},
         {"html_body",
          absl::StrCat("<div class=\"zd-comment\"><p>", body, "</p></div>")},
         {"plain_body", body},
         {"public", true}});
  }
  Json page = {{"comments", comments},
               {"meta",
                {{"has_more", !next_url.empty()},
                 {"after_cursor", "xxx"},
                 {"before_cursor", "yyy"}}},
               {"links",
                {{"next", next_url.empty() ? Json() : Json(next_url)},
                 {"prev", nullptr}}}};
  return page.dump();
}

FakeHttpServer::Response JsonResponse(int status, std::string body) {
  FakeHttpServer::Response response;
  response.status = status;
  response.body = std::move(body);
  response.headers["X-Zendesk-Request-Id"] = "req-7f3a";
  return response;
}

WritebackJob TicketJob() {
  WritebackJob job;
  job.set_job_id(41);
  job.set_target_system("zendesk");
  job.set_event_id("cbe4028c-7239-495d-b020-f22348516046");
  job.set_account_id("10002");
  job.set_object_kind(cse::v1::CRM_OBJECT_KIND_TICKET);
  job.set_object_id("35436");
  job.set_attempts(1);
  return job;
}

WritebackJob TagsJob(const std::vector<std::string>& tags) {
  WritebackJob job = TicketJob();
  for (const std::string& tag : tags) job.mutable_tags()->add_tags(tag);
  job.set_idempotency_key("zendesk:cbe4028c:tags");
  return job;
}

WritebackJob NoteJob(const std::string& marker) {
  WritebackJob job = TicketJob();
  job.mutable_note()->set_markdown(
      "**Breakdown** in *implementation & usage*: stabilise the situation "
      "(P10), then analyse the problem (P3).");
  job.mutable_note()->set_marker(marker);
  job.set_idempotency_key("zendesk:cbe4028c:note");
  return job;
}

WritebackJob PhaseJob(const std::string& phase_id, const std::string& name) {
  WritebackJob job = TicketJob();
  job.mutable_phase_field()->set_phase_id(phase_id);
  job.mutable_phase_field()->set_phase_name(name);
  job.set_idempotency_key("zendesk:cbe4028c:phase");
  return job;
}

class ZendeskWritebackTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(crm_.Start().ok()); }

  ZendeskAdapter& Adapter(ZendeskAdapterOptions options) {
    adapter_ =
        std::make_unique<ZendeskAdapter>(std::move(options), &http_, &FixedNow);
    return *adapter_;
  }
  ZendeskAdapter& Adapter() { return Adapter(TestOptions(crm_.base_url())); }

  void ServeTicket(const std::string& answer) {
    crm_.Handle("GET", kTicketPath, [answer](const FakeHttpServer::Request&) {
      return JsonResponse(200, answer);
    });
  }

  // The JSON bodies of the requests `method` `path` received.
  std::vector<Json> BodiesOf(const std::string& method,
                             const std::string& path) const {
    std::vector<Json> bodies;
    for (const auto& request : crm_.RequestsTo(method, path)) {
      bodies.push_back(Json::parse(request.body));
    }
    return bodies;
  }

  // The basic auth Zendesk expects: "{email}/token:{api_token}".
  static std::string ExpectedAuth() {
    return absl::StrCat("Basic ",
                        absl::Base64Escape("agent@acme.example/token:tok3n"));
  }

  FakeHttpServer crm_;
  CurlHttpClient http_;
  std::unique_ptr<ZendeskAdapter> adapter_;
};

TEST_F(ZendeskWritebackTest, TagsAddOnlyTheMissingOnesAsASafeUpdate) {
  ServeTicket(TicketAnswer({"enterprise", "cse-restore"}));
  crm_.Handle("PUT", kTagsPath, [](const FakeHttpServer::Request&) {
    return JsonResponse(200, R"({"tags":["enterprise","cse-restore"]})");
  });
  const WritebackOutcome outcome = Adapter().PerformWriteback(
      TagsJob({"cse-restore", "cse-phase-4-implementation-usage",
               "CSE-Event-Breakdown", "cse-restore"}));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE) << outcome.crm_answer;
  EXPECT_THAT(outcome.crm_answer, HasSubstr("PUT /api/v2/tickets/35436/tags"));
  EXPECT_THAT(outcome.crm_answer, HasSubstr("x-zendesk-request-id req-7f3a"));

  const auto puts = crm_.RequestsTo("PUT", kTagsPath);
  ASSERT_THAT(puts, SizeIs(1));
  EXPECT_EQ(puts[0].Header("authorization"), ExpectedAuth());
  EXPECT_EQ(puts[0].Header("content-type"), "application/json");
  EXPECT_EQ(Json::parse(puts[0].body),
            Json::parse(R"({"tags": ["cse-phase-4-implementation-usage",
                                     "cse-event-breakdown"],
                            "updated_stamp": "2025-01-08T11:02:31Z",
                            "safe_update": "true"})"));
  const auto gets = crm_.RequestsTo("GET", kTicketPath);
  ASSERT_THAT(gets, SizeIs(1));
  EXPECT_EQ(gets[0].Header("authorization"), ExpectedAuth());
}

TEST_F(ZendeskWritebackTest, TagsAlreadyThereMeanNoWrite) {
  ServeTicket(TicketAnswer({"cse-restore", "cse-event-breakdown"}));
  const WritebackOutcome outcome = Adapter().PerformWriteback(
      TagsJob({"cse-event-breakdown", "cse-restore"}));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("already on the ticket"));
  EXPECT_THAT(crm_.RequestsTo("PUT", ".*"), IsEmpty());
}

TEST_F(ZendeskWritebackTest, ConcurrentTicketUpdateIsRetried) {
  // The safe update's 409: the ticket changed between GET and PUT.
  ServeTicket(TicketAnswer({}));
  crm_.Handle("PUT", kTagsPath, [](const FakeHttpServer::Request&) {
    return JsonResponse(409, R"({"error":"UpdateConflict"})");
  });
  const WritebackOutcome outcome =
      Adapter().PerformWriteback(TagsJob({"cse-restore"}));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_RETRYABLE);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("HTTP 409"));
}

TEST_F(ZendeskWritebackTest, NoteIsAPrivateCommentEndingInItsMarker) {
  const std::string page2 =
      absl::StrCat(crm_.base_url(), kCommentsPath,
                   "?page%5Bsize%5D=100&page%5Bafter%5D=xxx");
  crm_.Handle("GET", kCommentsPath, [page2](const FakeHttpServer::Request& r) {
    if (r.params.count("page[after]") == 0) {
      return JsonResponse(
          200, CommentsPage({"The export fails.", "We are looking into it."},
                            page2));
    }
    return JsonResponse(200, CommentsPage({"Still failing."}, ""));
  });
  crm_.Handle("PUT", kTicketPath, [](const FakeHttpServer::Request&) {
    return JsonResponse(200, TicketAnswer({}));
  });

  const WritebackOutcome outcome =
      Adapter().PerformWriteback(NoteJob("cse:zendesk:evt-1"));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE) << outcome.crm_answer;

  const auto gets = crm_.RequestsTo("GET", kCommentsPath);
  ASSERT_THAT(gets, SizeIs(2));
  EXPECT_EQ(gets[0].params.at("page[size]"), "100");
  EXPECT_EQ(gets[1].params.at("page[after]"), "xxx");
  EXPECT_EQ(gets[1].Header("authorization"), ExpectedAuth());
  const auto puts = crm_.RequestsTo("PUT", kTicketPath);
  ASSERT_THAT(puts, SizeIs(1));
  EXPECT_EQ(puts[0].Header("authorization"), ExpectedAuth());
  EXPECT_EQ(Json::parse(puts[0].body), Json::parse(R"({"ticket": {"comment": {
      "body": "**Breakdown** in *implementation & usage*: stabilise the situation (P10), then analyse the problem (P3).\n\ncse-marker: cse:zendesk:evt-1",
      "public": false}}})"));
}

TEST_F(ZendeskWritebackTest, NoteWhoseMarkerIsThereIsNotPostedAgain) {
  // The first attempt posted the note, then its ack was lost. Zendesk
  // returns the body as posted; the marker sits on the second page.
  const std::string page2 =
      absl::StrCat(crm_.base_url(), kCommentsPath, "?page%5Bafter%5D=xxx");
  crm_.Handle("GET", kCommentsPath, [page2](const FakeHttpServer::Request& r) {
    if (r.params.count("page[after]") == 0) {
      return JsonResponse(200, CommentsPage({"The export fails."}, page2));
    }
    return JsonResponse(200,
                        CommentsPage({"Suggested practice...\n\ncse-marker: "
                                      "cse:zendesk:evt-1"},
                                     ""));
  });
  const WritebackOutcome outcome =
      Adapter().PerformWriteback(NoteJob("cse:zendesk:evt-1"));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("note already on the ticket"));
  EXPECT_THAT(crm_.RequestsTo("PUT", ".*"), IsEmpty());
}

TEST_F(ZendeskWritebackTest, AnotherNotesLongerMarkerIsNotAMatch) {
  crm_.Handle("GET", kCommentsPath, [](const FakeHttpServer::Request&) {
    return JsonResponse(
        200,
        CommentsPage({"Older note\n\ncse-marker: cse:zendesk:evt-12"}, ""));
  });
  crm_.Handle("PUT", kTicketPath, [](const FakeHttpServer::Request&) {
    return JsonResponse(200, TicketAnswer({}));
  });
  const WritebackOutcome outcome =
      Adapter().PerformWriteback(NoteJob("cse:zendesk:evt-1"));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE);
  EXPECT_THAT(crm_.RequestsTo("PUT", kTicketPath), SizeIs(1));
}

TEST_F(ZendeskWritebackTest, NoteFollowsNoLinkOffTheAccount) {
  crm_.Handle("GET", kCommentsPath, [](const FakeHttpServer::Request&) {
    return JsonResponse(
        200, CommentsPage({"hello"}, "https://elsewhere.example/api/v2/x"));
  });
  const WritebackOutcome outcome =
      Adapter().PerformWriteback(NoteJob("cse:zendesk:evt-1"));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_PERMANENT);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("not on the configured base_url"));
  EXPECT_THAT(crm_.RequestsTo("PUT", ".*"), IsEmpty());
}

TEST_F(ZendeskWritebackTest, PhaseDropdownTakesTheOptionTag) {
  ServeTicket(TicketAnswer({}, Json::parse(R"([{"id": 360099, "value":
                                                 "cse_phase_choice_purchase"},
                                                {"id": 27642, "value": null}])")));
  crm_.Handle("PUT", kTicketPath, [](const FakeHttpServer::Request&) {
    return JsonResponse(200, TicketAnswer({}));
  });
  ZendeskAdapterOptions options = TestOptions(crm_.base_url());
  options.phase_field_format =
      cse::adapters::v1::ZendeskConfig::PHASE_FIELD_FORMAT_DROPDOWN;
  const WritebackOutcome outcome = Adapter(options).PerformWriteback(
      PhaseJob("implementation_usage", "Implementation and usage"));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE) << outcome.crm_answer;
  const auto puts = crm_.RequestsTo("PUT", kTicketPath);
  ASSERT_THAT(puts, SizeIs(1));
  EXPECT_EQ(puts[0].Header("authorization"), ExpectedAuth());
  EXPECT_EQ(Json::parse(puts[0].body),
            Json::parse(R"({"ticket": {"custom_fields": [
                {"id": 360099, "value": "cse_phase_implementation_usage"}]}})"));
}

TEST_F(ZendeskWritebackTest, PhaseTextFieldTakesTheNameAndAJobMayNameTheField) {
  ServeTicket(TicketAnswer({}));
  crm_.Handle("PUT", kTicketPath, [](const FakeHttpServer::Request&) {
    return JsonResponse(200, TicketAnswer({}));
  });
  ZendeskAdapterOptions options = TestOptions(crm_.base_url());
  options.phase_field_format =
      cse::adapters::v1::ZendeskConfig::PHASE_FIELD_FORMAT_TEXT;
  WritebackJob job =
      PhaseJob("implementation_usage", "Implementation and usage");
  job.mutable_phase_field()->set_field("360777");
  const WritebackOutcome outcome = Adapter(options).PerformWriteback(job);
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE) << outcome.crm_answer;
  const auto puts = crm_.RequestsTo("PUT", kTicketPath);
  ASSERT_THAT(puts, SizeIs(1));
  EXPECT_EQ(Json::parse(puts[0].body),
            Json::parse(R"({"ticket": {"custom_fields": [
                {"id": 360777, "value": "Implementation and usage"}]}})"));
}

TEST_F(ZendeskWritebackTest, PhaseAlreadySetMeansNoWrite) {
  ServeTicket(TicketAnswer({}, Json::parse(R"([{"id": 360099, "value":
      "cse_phase_implementation_usage"}])")));
  const WritebackOutcome outcome =
      Adapter().PerformWriteback(PhaseJob("implementation_usage", ""));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("already"));
  EXPECT_THAT(crm_.RequestsTo("PUT", ".*"), IsEmpty());
}

TEST_F(ZendeskWritebackTest, PhaseWithoutAFieldIsPermanent) {
  ZendeskAdapterOptions options = TestOptions(crm_.base_url());
  options.phase_field_id = 0;
  WritebackOutcome outcome =
      Adapter(options).PerformWriteback(PhaseJob("implementation_usage", ""));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_PERMANENT);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("phase_field_id"));
  WritebackJob named = PhaseJob("implementation_usage", "");
  named.mutable_phase_field()->set_field("Journey phase");
  outcome = Adapter().PerformWriteback(named);
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_PERMANENT);
  EXPECT_THAT(crm_.Requests(), IsEmpty());
}

TEST_F(ZendeskWritebackTest, RateLimitIsRetriedAfterRetryAfter) {
  // The 429 of "Best practices for avoiding rate limiting": Retry-After
  // 93 and X-Zendesk-Request-Id.
  ServeTicket(TicketAnswer({}));
  crm_.Handle("PUT", kTagsPath, [](const FakeHttpServer::Request&) {
    FakeHttpServer::Response response;
    response.status = 429;
    response.content_type = "text/html; charset=utf-8";
    response.body =
        "Rate limit for ticket updates exceeded, please wait before updating "
        "this ticket again";
    response.headers["Retry-After"] = "93";
    response.headers["X-Zendesk-Request-Id"] = "c773675d81590abad33i";
    return response;
  });
  const WritebackOutcome outcome =
      Adapter().PerformWriteback(TagsJob({"cse-restore"}));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_RETRYABLE);
  EXPECT_EQ(outcome.retry_after, absl::Seconds(93));
  EXPECT_THAT(outcome.crm_answer, HasSubstr("HTTP 429"));
  EXPECT_THAT(outcome.crm_answer,
              HasSubstr("x-zendesk-request-id c773675d81590abad33i"));
}

TEST_F(ZendeskWritebackTest, RateLimitResetIsUsedWithoutRetryAfter) {
  crm_.Handle("GET", kCommentsPath, [](const FakeHttpServer::Request&) {
    FakeHttpServer::Response response;
    response.status = 429;
    response.headers["ratelimit-reset"] = "41";
    return response;
  });
  const WritebackOutcome outcome =
      Adapter().PerformWriteback(NoteJob("cse:zendesk:evt-1"));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_RETRYABLE);
  EXPECT_EQ(outcome.retry_after, absl::Seconds(41));
}

TEST_F(ZendeskWritebackTest, UnavailableIsRetried) {
  crm_.Handle("GET", kTicketPath, [](const FakeHttpServer::Request&) {
    FakeHttpServer::Response response = JsonResponse(503, "maintenance");
    response.headers["Retry-After"] = "30";
    return response;
  });
  const WritebackOutcome outcome =
      Adapter().PerformWriteback(TagsJob({"cse-restore"}));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_RETRYABLE);
  EXPECT_EQ(outcome.retry_after, absl::Seconds(30));
  EXPECT_THAT(outcome.crm_answer, HasSubstr("HTTP 503"));
  EXPECT_THAT(crm_.RequestsTo("PUT", ".*"), IsEmpty());
}

TEST_F(ZendeskWritebackTest, TimeoutIsRetried) {
  crm_.Handle("GET", kTicketPath, [](const FakeHttpServer::Request&) {
    FakeHttpServer::Response response = JsonResponse(200, TicketAnswer({}));
    response.delay = absl::Milliseconds(1500);
    return response;
  });
  ZendeskAdapterOptions options = TestOptions(crm_.base_url());
  options.request_timeout = absl::Milliseconds(200);
  const WritebackOutcome outcome =
      Adapter(options).PerformWriteback(TagsJob({"cse-restore"}));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_RETRYABLE);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("no answer"));
}

TEST_F(ZendeskWritebackTest, RefusedConnectionIsRetried) {
  ZendeskAdapterOptions options = TestOptions(crm_.base_url());
  crm_.Stop();
  const WritebackOutcome outcome =
      Adapter(options).PerformWriteback(NoteJob("cse:zendesk:evt-1"));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_RETRYABLE);
}

TEST_F(ZendeskWritebackTest, DeletedTicketIsPermanent) {
  crm_.Handle("GET", kTicketPath, [](const FakeHttpServer::Request&) {
    return JsonResponse(
        404, R"({"error":"RecordNotFound","description":"Not found"})");
  });
  const WritebackOutcome outcome =
      Adapter().PerformWriteback(PhaseJob("implementation_usage", ""));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_PERMANENT);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("HTTP 404"));
  EXPECT_THAT(outcome.crm_answer, HasSubstr("ticket not found"));
  EXPECT_THAT(outcome.crm_answer, HasSubstr("RecordNotFound"));
}

TEST_F(ZendeskWritebackTest, RefusedCredentialsArePermanent) {
  crm_.Handle("GET", kCommentsPath, [](const FakeHttpServer::Request&) {
    return JsonResponse(401, R"({"error":"Couldn't authenticate you"})");
  });
  const WritebackOutcome outcome =
      Adapter().PerformWriteback(NoteJob("cse:zendesk:evt-1"));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_PERMANENT);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("HTTP 401"));
}

TEST_F(ZendeskWritebackTest, AnAnswerThatIsNotJsonIsRetried) {
  crm_.Handle("GET", kTicketPath, [](const FakeHttpServer::Request&) {
    FakeHttpServer::Response response;
    response.content_type = "text/html";
    response.body = "<html>maintenance</html>";
    return response;
  });
  const WritebackOutcome outcome =
      Adapter().PerformWriteback(TagsJob({"cse-restore"}));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_RETRYABLE);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("unexpected answer"));
}

TEST_F(ZendeskWritebackTest, JobsZendeskCannotTakeArePermanent) {
  WritebackJob meeting = TagsJob({"cse-restore"});
  meeting.set_object_kind(cse::v1::CRM_OBJECT_KIND_MEETING);
  EXPECT_EQ(Adapter().PerformWriteback(meeting).result,
            WRITEBACK_RESULT_FAILED_PERMANENT);
  WritebackJob bad_id = TagsJob({"cse-restore"});
  bad_id.set_object_id("35436/../../users");
  EXPECT_EQ(Adapter().PerformWriteback(bad_id).result,
            WRITEBACK_RESULT_FAILED_PERMANENT);
  WritebackJob other_crm = TagsJob({"cse-restore"});
  other_crm.set_target_system("hubspot");
  EXPECT_EQ(Adapter().PerformWriteback(other_crm).result,
            WRITEBACK_RESULT_FAILED_PERMANENT);
  WritebackJob empty = TicketJob();
  EXPECT_EQ(Adapter().PerformWriteback(empty).result,
            WRITEBACK_RESULT_FAILED_PERMANENT);
  EXPECT_THAT(crm_.Requests(), IsEmpty());
}

TEST(PhaseOptionTagTest, TagSafeForm) {
  EXPECT_EQ(PhaseOptionTag("cse_phase_", "implementation_usage"),
            "cse_phase_implementation_usage");
  EXPECT_EQ(PhaseOptionTag("cse_phase_", "Pre-Purchase"),
            "cse_phase_pre_purchase");
  EXPECT_EQ(PhaseOptionTag("p-", "évaluation 2"), "p-__valuation_2");
}

}  // namespace
}  // namespace cse::adapters::zendesk
