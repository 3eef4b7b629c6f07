// Writeback: the templated calls against a fake CRM over real HTTP, and how
// answers become outcomes (set-union tags, marker check, 429/503/timeouts).
#include "adapters/common/curl_http_client.h"
#include "adapters/generic_webhook/factory.h"
#include "adapters/generic_webhook/http_call_template.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/http/fake_http_server.h"
#include "tests/testing/status_matchers.h"
#include "tests/unit/adapters/generic_webhook/test_util.h"

namespace cse::adapters::generic_webhook {
namespace {

using ::cse::adapters::v1::CrmConfig;
using ::cse::testing::FakeHttpServer;
using ::cse::v1::WRITEBACK_RESULT_DONE;
using ::cse::v1::WRITEBACK_RESULT_FAILED_PERMANENT;
using ::cse::v1::WRITEBACK_RESULT_FAILED_RETRYABLE;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

absl::Time FixedNow() { return absl::FromUnixSeconds(1700000000); }

// A helpdesk API: labels replaced as a whole list (as Chatwoot's are),
// notes, and a custom-field endpoint.
std::string WritebackYaml(const std::string& base_url) {
  return absl::StrCat(R"(
name: helpdesk
generic_webhook:
  insecure_unauthenticated: true
  event_mappings: [{name: all, emit: ignore}]
  writeback:
    base_url: )",
                      base_url, R"(
    timeout_ms: 300
    request_id_header: X-Request-Id
    headers:
      api_access_token: "{secret.token}"
      X-Job: "{job_id}"
    secrets:
      token: {env: HELPDESK_TOKEN}
    tags:
      existing_tags:
        request: {method: GET, url: "/t/{object_id}/labels"}
        pointer: /payload
      request:
        method: POST
        url: "/t/{object_id}/labels"
        body_format: json
        body: '{"labels": {all_tags_json}, "added": {tags_json}, "csv": "{tags_csv}"}'
    note:
      marker_check: {method: GET, url: "/t/{object_id}/messages"}
      request:
        method: POST
        url: "/t/{object_id}/messages"
        headers: {Idempotency-Key: "{idempotency_key}"}
        body_format: json
        body: '{"content": "{note_markdown}\n\n{marker}", "private": true}'
    phase_field:
      default_field: journey_phase
      request:
        method: PATCH
        url: "/t/{object_id}/fields/{phase_field}"
        body_format: form
        body: "value={phase_name}&id={phase_id}"
)");
}

class WritebackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    crm_.Handle("GET", R"(/t/(\w+)/labels)",
                [this](const FakeHttpServer::Request&) {
                  FakeHttpServer::Response r;
                  r.body = labels_answer_;
                  return r;
                });
    crm_.Handle("POST", R"(/t/(\w+)/labels)",
                [](const FakeHttpServer::Request& req) {
                  return testing::Answer(200, req.body);
                });
    crm_.Handle("GET", R"(/t/(\w+)/messages)",
                [this](const FakeHttpServer::Request&) {
                  FakeHttpServer::Response r;
                  r.body = messages_answer_;
                  return r;
                });
    crm_.Handle("POST", R"(/t/(\w+)/messages)",
                [](const FakeHttpServer::Request&) {
                  return testing::Answer(200, R"({"id": 501})");
                });
    crm_.Handle("PATCH", R"(/t/(\w+)/fields/(\w+))",
                [](const FakeHttpServer::Request&) {
                  return testing::Answer(204, "");
                });
    ASSERT_TRUE(crm_.Start().ok());
    adapter_ = Build(WritebackYaml(crm_.base_url()));
  }

  std::unique_ptr<CrmAdapter> Build(const std::string& yaml) {
    CrmConfig crm = testing::ParseYaml<CrmConfig>(yaml);
    EXPECT_THAT(testing::ErrorStrings(
                    NewGenericWebhookAdapterFactory()->Validate(crm, "crm")),
                IsEmpty());
    secrets_.Set("HELPDESK_TOKEN", "tok-123");
    AdapterContext context;
    context.http = &http_;
    context.secrets = &secrets_;
    context.now = &FixedNow;
    absl::StatusOr<std::unique_ptr<CrmAdapter>> adapter =
        NewGenericWebhookAdapterFactory()->Create(crm, context);
    EXPECT_TRUE(adapter.ok()) << adapter.status();
    return adapter.ok() ? *std::move(adapter) : nullptr;
  }

  static cse::v1::WritebackJob Job() {
    cse::v1::WritebackJob job;
    job.set_job_id(77);
    job.set_target_system("helpdesk");
    job.set_event_id("evt-1");
    job.set_account_id("acme");
    job.set_object_kind(cse::v1::CRM_OBJECT_KIND_TICKET);
    job.set_object_id("10");
    return job;
  }
  static cse::v1::WritebackJob TagsJob(std::vector<std::string> tags) {
    cse::v1::WritebackJob job = Job();
    job.set_idempotency_key("helpdesk:evt-1:tags");
    for (const std::string& tag : tags) job.mutable_tags()->add_tags(tag);
    return job;
  }
  static cse::v1::WritebackJob NoteJob() {
    cse::v1::WritebackJob job = Job();
    job.set_idempotency_key("helpdesk:evt-1:note");
    job.mutable_note()->set_markdown(
        "**Phase:** \"implementation\"\nTry P4 \\ ad hoc");
    job.mutable_note()->set_marker("cse:helpdesk:evt-1");
    return job;
  }

  FakeHttpServer crm_;
  CurlHttpClient http_;
  testing::FakeSecretReader secrets_;
  std::unique_ptr<CrmAdapter> adapter_;
  std::string labels_answer_ = R"({"payload": ["billing", "vip"]})";
  std::string messages_answer_ = R"({"payload": [{"content": "hello"}]})";
};

TEST_F(WritebackTest, TagsAreAddedAsASetUnion) {
  WritebackOutcome outcome =
      adapter_->PerformWriteback(TagsJob({"cse-restore", "vip"}));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE) << outcome.crm_answer;
  EXPECT_THAT(outcome.crm_answer,
              HasSubstr("GET /t/10/labels: HTTP 200; POST /t/10/labels: HTTP "
                        "200"));
  std::vector<FakeHttpServer::Request> posts =
      crm_.RequestsTo("POST", "/t/10/labels");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(posts[0].body),
            nlohmann::json::parse(R"({"labels": ["billing", "vip",
                                                 "cse-restore"],
                                      "added": ["cse-restore", "vip"],
                                      "csv": "cse-restore,vip"})"));
  EXPECT_EQ(posts[0].Header("api_access_token"), "tok-123");
  EXPECT_EQ(posts[0].Header("x-job"), "77");
  EXPECT_EQ(posts[0].Header("content-type"), "application/json");
  EXPECT_EQ(
      crm_.RequestsTo("GET", "/t/10/labels")[0].Header("api_access_token"),
      "tok-123");
}

TEST_F(WritebackTest, TagsAlreadyPresentAreNotWrittenAgain) {
  WritebackOutcome outcome = adapter_->PerformWriteback(TagsJob({"vip"}));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE);
  EXPECT_THAT(outcome.crm_answer,
              HasSubstr("all 1 tags already present, nothing written"));
  EXPECT_THAT(crm_.RequestsTo("POST", "/t/10/labels"), IsEmpty());
}

TEST_F(WritebackTest, ExistingTagsOfUnexpectedShapeFailPermanently) {
  labels_answer_ = R"({"labels": []})";
  WritebackOutcome outcome = adapter_->PerformWriteback(TagsJob({"a"}));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_PERMANENT);
  EXPECT_THAT(outcome.crm_answer,
              HasSubstr("/payload is not an array in the answer (absent)"));
  labels_answer_ = "<html>";
  outcome = adapter_->PerformWriteback(TagsJob({"a"}));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_PERMANENT);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("the answer is not JSON"));
  EXPECT_THAT(crm_.RequestsTo("POST", "/t/10/labels"), IsEmpty());
}

TEST_F(WritebackTest, NoteIsPostedWithJsonEscapedMarkdown) {
  WritebackOutcome outcome = adapter_->PerformWriteback(NoteJob());
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE) << outcome.crm_answer;
  std::vector<FakeHttpServer::Request> posts =
      crm_.RequestsTo("POST", "/t/10/messages");
  ASSERT_EQ(posts.size(), 1u);
  const nlohmann::json body = nlohmann::json::parse(posts[0].body);
  EXPECT_EQ(body["content"],
            "**Phase:** \"implementation\"\nTry P4 \\ ad hoc\n\n"
            "cse:helpdesk:evt-1");
  EXPECT_EQ(body["private"], true);
  EXPECT_EQ(posts[0].Header("idempotency-key"), "helpdesk:evt-1:note");
}

TEST_F(WritebackTest, NoteWhoseMarkerIsThereIsNotPostedAgain) {
  messages_answer_ =
      R"({"payload": [{"content": "old note\n\ncse:helpdesk:evt-1"}]})";
  WritebackOutcome outcome = adapter_->PerformWriteback(NoteJob());
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE);
  EXPECT_THAT(outcome.crm_answer,
              HasSubstr("marker cse:helpdesk:evt-1 already present, note not "
                        "posted again"));
  EXPECT_THAT(crm_.RequestsTo("POST", "/t/10/messages"), IsEmpty());
}

TEST_F(WritebackTest, FailedMarkerCheckDoesNotPost) {
  crm_.Handle("GET", R"(/t/(\w+)/messages)",
              [](const FakeHttpServer::Request&) {
                FakeHttpServer::Response r;
                r.status = 503;
                r.headers["Retry-After"] = "12";
                return r;
              });
  WritebackOutcome outcome = adapter_->PerformWriteback(NoteJob());
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_RETRYABLE);
  EXPECT_EQ(outcome.retry_after, absl::Seconds(12));
  EXPECT_THAT(outcome.crm_answer,
              HasSubstr("checking for the marker: GET /t/10/messages: HTTP "
                        "503"));
  EXPECT_THAT(crm_.RequestsTo("POST", "/t/10/messages"), IsEmpty());
}

TEST_F(WritebackTest, PhaseFieldUsesJobFieldOrDefault) {
  cse::v1::WritebackJob job = Job();
  job.mutable_phase_field()->set_phase_id("implementation_usage");
  job.mutable_phase_field()->set_phase_name("Implementation & usage");
  WritebackOutcome outcome = adapter_->PerformWriteback(job);
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE) << outcome.crm_answer;
  job.mutable_phase_field()->set_field("stage");
  EXPECT_EQ(adapter_->PerformWriteback(job).result, WRITEBACK_RESULT_DONE);
  std::vector<FakeHttpServer::Request> patches = crm_.Requests();
  ASSERT_EQ(patches.size(), 2u);
  EXPECT_EQ(patches[0].path, "/t/10/fields/journey_phase");
  EXPECT_EQ(patches[1].path, "/t/10/fields/stage");
  EXPECT_EQ(patches[0].body,
            "value=Implementation%20%26%20usage&id=implementation_usage");
  EXPECT_EQ(patches[0].Header("content-type"),
            "application/x-www-form-urlencoded");
}

TEST_F(WritebackTest, RateLimitAndUnavailableAreRetryable) {
  for (int status : {429, 503}) {
    crm_.Handle("POST", R"(/t/(\w+)/labels)",
                [status](const FakeHttpServer::Request&) {
                  FakeHttpServer::Response r;
                  r.status = status;
                  r.headers["Retry-After"] = "30";
                  r.headers["X-Request-Id"] = "req-9";
                  return r;
                });
    WritebackOutcome outcome = adapter_->PerformWriteback(TagsJob({"new"}));
    EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_RETRYABLE) << status;
    EXPECT_EQ(outcome.retry_after, absl::Seconds(30));
    EXPECT_THAT(outcome.crm_answer,
                HasSubstr(absl::StrCat("POST /t/10/labels: HTTP ", status,
                                       " (X-Request-Id req-9)")));
  }
}

TEST_F(WritebackTest, TimeoutIsRetryableAndClientErrorsArePermanent) {
  crm_.Handle("PATCH", R"(/t/(\w+)/fields/(\w+))",
              [](const FakeHttpServer::Request&) {
                FakeHttpServer::Response r;
                r.delay = absl::Milliseconds(1200);
                return r;
              });
  cse::v1::WritebackJob job = Job();
  job.mutable_phase_field()->set_phase_id("p");
  WritebackOutcome outcome = adapter_->PerformWriteback(job);
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_RETRYABLE);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("no answer"));

  crm_.Handle("POST", R"(/t/(\w+)/messages)",
              [](const FakeHttpServer::Request&) {
                return testing::Answer(422, R"({"error":"bad content"})");
              });
  outcome = adapter_->PerformWriteback(NoteJob());
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_PERMANENT);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("HTTP 422: {\"error\":\"bad "
                                            "content\"}"));
}

TEST_F(WritebackTest, ValuesCannotInjectHeadersOrPaths) {
  // A recording client shows the exact URL: an id with '/' and '?' stays
  // one path segment.
  class Recorder : public HttpClient {
   public:
    absl::StatusOr<HttpResponse> Send(const HttpRequest& request) override {
      requests.push_back(request);
      HttpResponse response;
      response.status = 200;
      response.body = R"({"payload": []})";
      return response;
    }
    std::vector<HttpRequest> requests;
  } recorder;
  CrmConfig crm = testing::ParseYaml<CrmConfig>(R"(
name: helpdesk
generic_webhook:
  insecure_unauthenticated: true
  event_mappings: [{name: all, emit: ignore}]
  writeback:
    tags:
      request:
        method: PUT
        url: "https://crm.example.com/t/{object_id}/tags?x={account_id}"
        headers: {X-Account: "{account_id}"}
)");
  AdapterContext context;
  context.http = &recorder;
  context.secrets = &secrets_;
  context.now = &FixedNow;
  std::unique_ptr<CrmAdapter> adapter =
      *NewGenericWebhookAdapterFactory()->Create(crm, context);
  cse::v1::WritebackJob job = TagsJob({"a"});
  job.set_object_id("../admin?x=1");
  job.set_account_id("acme corp");
  EXPECT_EQ(adapter->PerformWriteback(job).result, WRITEBACK_RESULT_DONE);
  ASSERT_EQ(recorder.requests.size(), 1u);
  EXPECT_EQ(recorder.requests[0].url,
            "https://crm.example.com/t/..%2Fadmin%3Fx%3D1/tags?x=acme%20corp");
  EXPECT_EQ(recorder.requests[0].headers.Get("x-account"), "acme corp");

  job.set_account_id("acme\r\nX-Evil: 1");
  WritebackOutcome outcome = adapter->PerformWriteback(job);
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_PERMANENT);
  EXPECT_THAT(outcome.crm_answer,
              HasSubstr("header X-Account: a value contains a line break"));
  EXPECT_EQ(recorder.requests.size(), 1u);

  // Actions left unconfigured fail permanently, saying so.
  outcome = adapter->PerformWriteback(NoteJob());
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_PERMANENT);
  EXPECT_THAT(outcome.crm_answer,
              HasSubstr("writeback.note is not configured"));
}

TEST(WritebackNotConfiguredTest, JobsFailPermanently) {
  CrmConfig crm = testing::ParseYaml<CrmConfig>(R"(
name: helpdesk
generic_webhook:
  insecure_unauthenticated: true
  event_mappings: [{name: all, emit: ignore}]
)");
  testing::FakeSecretReader secrets;
  AdapterContext context;
  context.secrets = &secrets;
  std::unique_ptr<CrmAdapter> adapter =
      *NewGenericWebhookAdapterFactory()->Create(crm, context);
  cse::v1::WritebackJob job;
  job.mutable_tags()->add_tags("a");
  WritebackOutcome outcome = adapter->PerformWriteback(job);
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_PERMANENT);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("writeback is not configured"));
}

TEST(HttpCallTemplateTest, Escapers) {
  EXPECT_EQ(PercentEncode("a b/c?d=é~._-"), "a%20b%2Fc%3Fd%3D%C3%A9~._-");
  EXPECT_EQ(JsonStringContent("say \"hi\"\n\\"), R"(say \"hi\"\n\\)");
  HttpRequest request;
  request.method = "POST";
  request.url = "https://crm.example.com/api/t/1?token=secret";
  EXPECT_EQ(DescribeRequest(request), "POST /api/t/1");
}

}  // namespace
}  // namespace cse::adapters::generic_webhook
