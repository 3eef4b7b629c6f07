// SalesforceAdapter::PerformWriteback against a fake REST API: request
// shapes, marker dedupe, topics, phase, and how Salesforce's answers
// become outcomes.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "adapters/common/curl_http_client.h"
#include "adapters/salesforce/salesforce_adapter.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/http/fake_http_server.h"
#include "tests/testing/status_matchers.h"
#include "tests/unit/adapters/salesforce/test_fixtures.h"

namespace cse::adapters::salesforce {
namespace {

using ::cse::testing::FakeHttpServer;
using ::cse::testing::IsOk;
using ::cse::v1::WRITEBACK_RESULT_DONE;
using ::cse::v1::WRITEBACK_RESULT_FAILED_PERMANENT;
using ::cse::v1::WRITEBACK_RESULT_FAILED_RETRYABLE;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::StartsWith;
using Json = nlohmann::json;
using namespace ::cse::adapters::salesforce::testing;  // NOLINT

constexpr char kData[] = "/services/data/v59.0";
constexpr char kMarker[] = "cse:salesforce:04l5g00000AaBbCAAV:note";

std::string P(const std::string& path) { return std::string(kData) + path; }

FakeHttpServer::Response JsonAnswer(int status, const Json& body) {
  FakeHttpServer::Response response;
  response.status = status;
  response.body = body.dump();
  response.headers["Sforce-Limit-Info"] = "api-usage=18/5000";
  return response;
}

FakeHttpServer::Response Records(const Json& records) {
  return JsonAnswer(
      200,
      {{"totalSize", records.size()}, {"done", true}, {"records", records}});
}

FakeHttpServer::Response NoContent() {
  FakeHttpServer::Response response;
  response.status = 204;
  return response;
}

FakeHttpServer::Response SalesforceError(int status, const std::string& code,
                                         const std::string& message) {
  return JsonAnswer(status,
                    Json::array({{{"message", message}, {"errorCode", code}}}));
}

cse::v1::WritebackJob NoteJob(cse::v1::CrmObjectKind kind,
                              const std::string& object_id,
                              const std::string& markdown =
                                  "**Advice**: "
                                  "call the CFO.") {
  cse::v1::WritebackJob job;
  job.set_job_id(7);
  job.set_target_system("salesforce");
  job.set_event_id(kNotificationId);
  job.set_object_kind(kind);
  job.set_object_id(object_id);
  job.mutable_note()->set_markdown(markdown);
  job.mutable_note()->set_marker(kMarker);
  job.set_idempotency_key("salesforce:04l5g00000AaBbCAAV:note");
  return job;
}

cse::v1::WritebackJob TagsJob(const std::vector<std::string>& tags) {
  cse::v1::WritebackJob job;
  job.set_object_kind(cse::v1::CRM_OBJECT_KIND_TICKET);
  job.set_object_id(kCaseId);
  for (const std::string& tag : tags) job.mutable_tags()->add_tags(tag);
  return job;
}

cse::v1::WritebackJob PhaseJob(cse::v1::CrmObjectKind kind,
                               const std::string& object_id,
                               const std::string& field = "") {
  cse::v1::WritebackJob job;
  job.set_object_kind(kind);
  job.set_object_id(object_id);
  job.mutable_phase_field()->set_phase_id("implementation_usage");
  job.mutable_phase_field()->set_phase_name("Implementation and usage");
  job.mutable_phase_field()->set_field(field);
  return job;
}

class SalesforceWritebackTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_THAT(crm_.Start(), IsOk()); }

  SalesforceAdapter MakeAdapter(absl::Duration timeout = absl::Seconds(5)) {
    SalesforceAdapterOptions options = TestOptions(crm_.base_url());
    options.request_timeout = timeout;
    return SalesforceAdapter(std::move(options), &http_, &FixedNow);
  }

  // Queries answered by what the SOQL asks for.
  void HandleQueries(Json comments, Json assignments, Json topics) {
    crm_.Handle("GET", P("/query"), [=](const FakeHttpServer::Request& r) {
      const std::string& q = r.params.at("q");
      if (absl::StrContains(q, "FROM CaseComment")) return Records(comments);
      if (absl::StrContains(q, "FROM TopicAssignment")) {
        return Records(assignments);
      }
      if (absl::StrContains(q, "FROM Topic ")) return Records(topics);
      return SalesforceError(400, "MALFORMED_QUERY", "unexpected query");
    });
  }

  FakeHttpServer crm_;
  CurlHttpClient http_;
};

TEST_F(SalesforceWritebackTest,
       CaseNoteChecksTheMarkerThenPostsAPrivateComment) {
  HandleQueries(Json::array(), Json::array(), Json::array());
  crm_.Handle("POST", P("/sobjects/CaseComment"),
              [](const FakeHttpServer::Request&) {
                return JsonAnswer(201, {{"id", "00a5g00000Cmt01AAB"},
                                        {"errors", Json::array()},
                                        {"success", true}});
              });
  SalesforceAdapter adapter = MakeAdapter();
  WritebackOutcome outcome = adapter.PerformWriteback(
      NoteJob(cse::v1::CRM_OBJECT_KIND_TICKET, kCaseId));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE) << outcome.crm_answer;
  EXPECT_THAT(outcome.crm_answer,
              AllOf(HasSubstr("HTTP 201"), HasSubstr("00a5g00000Cmt01AAB"),
                    HasSubstr("api-usage=18/5000")));

  std::vector<FakeHttpServer::Request> requests = crm_.Requests();
  ASSERT_THAT(requests, SizeIs(2));
  // 1. The marker search, the marker's '_' escaped for LIKE.
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].params.at("q"),
            "SELECT Id, CommentBody FROM CaseComment WHERE ParentId = "
            "'5005g00000AbCdEAAV' AND CommentBody LIKE "
            "'%cse:salesforce:04l5g00000AaBbCAAV:note%'");
  EXPECT_EQ(requests[0].Header("authorization"), "Bearer 00D5g!test-token");
  // 2. The private comment.
  EXPECT_EQ(requests[1].method, "POST");
  EXPECT_EQ(requests[1].Header("content-type"), "application/json");
  EXPECT_EQ(requests[1].Header("authorization"), "Bearer 00D5g!test-token");
  Json body = Json::parse(requests[1].body);
  EXPECT_EQ(body["ParentId"], kCaseId);
  EXPECT_EQ(body["IsPublished"], false);
  EXPECT_EQ(body["CommentBody"],
            std::string("**Advice**: call the CFO.\n\ncse-marker: ") + kMarker);
}

TEST_F(SalesforceWritebackTest, LikeWildcardsInTheMarkerAreEscaped) {
  HandleQueries(Json::array(), Json::array(), Json::array());
  crm_.Handle("POST", P("/sobjects/CaseComment"),
              [](const FakeHttpServer::Request&) {
                return JsonAnswer(201, {{"id", "00a5g00000Cmt01AAB"}});
              });
  SalesforceAdapter adapter = MakeAdapter();
  cse::v1::WritebackJob job = NoteJob(cse::v1::CRM_OBJECT_KIND_TICKET, kCaseId);
  job.mutable_note()->set_marker("cse:sf_1:100%'x");
  EXPECT_EQ(adapter.PerformWriteback(job).result, WRITEBACK_RESULT_DONE);
  EXPECT_THAT(crm_.RequestsTo("GET", P("/query"))[0].params.at("q"),
              HasSubstr("LIKE '%cse:sf\\_1:100\\%\\'x%'"));
}

TEST_F(SalesforceWritebackTest, CaseNoteAlreadyThereIsNotPostedAgain) {
  HandleQueries(Json::array({{{"Id", "00a5g00000Cmt01AAB"},
                              {"CommentBody",
                               std::string("Earlier advice\n\ncse-marker: ") +
                                   kMarker}}}),
                Json::array(), Json::array());
  SalesforceAdapter adapter = MakeAdapter();
  WritebackOutcome outcome = adapter.PerformWriteback(
      NoteJob(cse::v1::CRM_OBJECT_KIND_TICKET, kCaseId));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("already holds"));
  EXPECT_THAT(crm_.RequestsTo("POST", P("/sobjects/CaseComment")), IsEmpty());
}

TEST_F(SalesforceWritebackTest, ALongerMarkerIsNotThisNotesMarker) {
  // LIKE '%...:note%' also matches "...:note2"; that is another note.
  HandleQueries(Json::array({{{"Id", "00a5g00000Cmt01AAB"},
                              {"CommentBody",
                               std::string("cse-marker: ") + kMarker + "2"}}}),
                Json::array(), Json::array());
  crm_.Handle("POST", P("/sobjects/CaseComment"),
              [](const FakeHttpServer::Request&) {
                return JsonAnswer(201, {{"id", "00a5g00000Cmt02AAB"}});
              });
  SalesforceAdapter adapter = MakeAdapter();
  EXPECT_EQ(
      adapter
          .PerformWriteback(NoteJob(cse::v1::CRM_OBJECT_KIND_TICKET, kCaseId))
          .result,
      WRITEBACK_RESULT_DONE);
  EXPECT_THAT(crm_.RequestsTo("POST", P("/sobjects/CaseComment")), SizeIs(1));
}

TEST_F(SalesforceWritebackTest, LongNoteIsCutBeforeTheMarker) {
  HandleQueries(Json::array(), Json::array(), Json::array());
  crm_.Handle("POST", P("/sobjects/CaseComment"),
              [](const FakeHttpServer::Request&) {
                return JsonAnswer(201, {{"id", "00a5g00000Cmt01AAB"}});
              });
  SalesforceAdapter adapter = MakeAdapter();
  // 3000 two-byte characters: 6000 bytes.
  std::string long_note;
  for (int i = 0; i < 3000; ++i) long_note += "\xC3\xA9";
  ASSERT_EQ(adapter
                .PerformWriteback(NoteJob(cse::v1::CRM_OBJECT_KIND_TICKET,
                                          kCaseId, long_note))
                .result,
            WRITEBACK_RESULT_DONE);
  const std::string body =
      Json::parse(crm_.RequestsTo("POST", P("/sobjects/CaseComment"))[0]
                      .body)["CommentBody"];
  EXPECT_LE(body.size(), 4000u);
  EXPECT_TRUE(
      absl::EndsWith(body, std::string("...\n\ncse-marker: ") + kMarker))
      << body.substr(body.size() - 80);
}

TEST_F(SalesforceWritebackTest, EventNoteIsAppendedToTheDescription) {
  crm_.Handle("GET", P("/sobjects/Event/") + kEventId,
              [](const FakeHttpServer::Request&) {
                return JsonAnswer(
                    200, {{"attributes", {{"type", "Event"}}},
                          {"Description", "Agenda: scope."},
                          {"LastModifiedDate", "2024-03-05T10:15:30.250+0000"},
                          {"Id", kEventId}});
              });
  crm_.Handle("PATCH", P("/sobjects/Event/") + kEventId,
              [](const FakeHttpServer::Request&) { return NoContent(); });
  SalesforceAdapter adapter = MakeAdapter();
  WritebackOutcome outcome = adapter.PerformWriteback(
      NoteJob(cse::v1::CRM_OBJECT_KIND_MEETING, kEventId));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE) << outcome.crm_answer;

  std::vector<FakeHttpServer::Request> requests = crm_.Requests();
  ASSERT_THAT(requests, SizeIs(2));
  EXPECT_EQ(requests[0].params.at("fields"), "Description,LastModifiedDate");
  EXPECT_EQ(requests[1].method, "PATCH");
  // Rounded up to the next whole second (LastModifiedDate has ms).
  EXPECT_EQ(requests[1].Header("if-unmodified-since"),
            "Tue, 05 Mar 2024 10:15:31 GMT");
  EXPECT_EQ(Json::parse(requests[1].body)["Description"],
            std::string("Agenda: scope.\n\n**Advice**: call the CFO.\n\n"
                        "cse-marker: ") +
                kMarker);
}

TEST_F(SalesforceWritebackTest, EventNoteAlreadyInTheDescriptionIsSkipped) {
  crm_.Handle(
      "GET", P("/sobjects/Event/") + kEventId,
      [](const FakeHttpServer::Request&) {
        return JsonAnswer(
            200,
            {{"Description", std::string("Agenda.\n\ncse-marker: ") + kMarker},
             {"LastModifiedDate", "2024-03-05T10:15:30.000+0000"}});
      });
  SalesforceAdapter adapter = MakeAdapter();
  WritebackOutcome outcome = adapter.PerformWriteback(
      NoteJob(cse::v1::CRM_OBJECT_KIND_MEETING, kEventId));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE);
  EXPECT_THAT(crm_.RequestsTo("PATCH", ".*"), IsEmpty());
}

TEST_F(SalesforceWritebackTest, EventEditedMeanwhileIsRetried) {
  crm_.Handle("GET", P("/sobjects/Event/") + kEventId,
              [](const FakeHttpServer::Request&) {
                return JsonAnswer(200, {{"Description", nullptr},
                                        {"LastModifiedDate",
                                         "2024-03-05T10:15:30.000+0000"}});
              });
  crm_.Handle("PATCH", P("/sobjects/Event/") + kEventId,
              [](const FakeHttpServer::Request&) {
                return SalesforceError(412, "PRECONDITION_FAILED",
                                       "record modified");
              });
  SalesforceAdapter adapter = MakeAdapter();
  WritebackOutcome outcome = adapter.PerformWriteback(
      NoteJob(cse::v1::CRM_OBJECT_KIND_MEETING, kEventId));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_RETRYABLE);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("changed since it was read"));
  // An empty description gets the note alone; whole seconds are kept.
  std::vector<FakeHttpServer::Request> patches = crm_.RequestsTo("PATCH", ".*");
  ASSERT_THAT(patches, SizeIs(1));
  EXPECT_THAT(std::string(Json::parse(patches[0].body)["Description"]),
              StartsWith("**Advice**"));
  EXPECT_EQ(patches[0].Header("if-unmodified-since"),
            "Tue, 05 Mar 2024 10:15:30 GMT");
}

TEST_F(SalesforceWritebackTest, TagsBecomeTopicsCreatedWhereMissing) {
  HandleQueries(
      Json::array(),
      Json::array({{{"TopicId", "0TO5g00000Tpc01GAB"},
                    {"Topic", {{"Name", "Escalation"}}}}}),
      Json::array({{{"Id", "0TO5g00000Tpc02GAB"}, {"Name", "Renewal-Risk"}}}));
  crm_.Handle("POST", P("/sobjects/Topic"), [](const FakeHttpServer::Request&) {
    return JsonAnswer(201, {{"id", "0TO5g00000Tpc03GAB"}, {"success", true}});
  });
  crm_.Handle("POST", P("/sobjects/TopicAssignment"),
              [](const FakeHttpServer::Request&) {
                return JsonAnswer(201, {{"id", "0FT5g00000Asg01AAB"}});
              });
  SalesforceAdapter adapter = MakeAdapter();
  WritebackOutcome outcome = adapter.PerformWriteback(
      TagsJob({"escalation", "renewal-risk", "p4-ad-hoc", "p4-ad-hoc"}));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE) << outcome.crm_answer;
  EXPECT_THAT(outcome.crm_answer,
              AllOf(HasSubstr("topics renewal-risk, p4-ad-hoc added to Case"),
                    HasSubstr("created p4-ad-hoc")));

  std::vector<FakeHttpServer::Request> queries =
      crm_.RequestsTo("GET", P("/query"));
  ASSERT_THAT(queries, SizeIs(2));
  EXPECT_EQ(queries[0].params.at("q"),
            "SELECT TopicId, Topic.Name FROM TopicAssignment WHERE EntityId = "
            "'5005g00000AbCdEAAV'");
  // "escalation" is there already (names compare ignoring case).
  EXPECT_EQ(queries[1].params.at("q"),
            "SELECT Id, Name FROM Topic WHERE Name IN ('renewal-risk', "
            "'p4-ad-hoc')");
  std::vector<FakeHttpServer::Request> created =
      crm_.RequestsTo("POST", P("/sobjects/Topic"));
  ASSERT_THAT(created, SizeIs(1));
  EXPECT_EQ(Json::parse(created[0].body), Json({{"Name", "p4-ad-hoc"}}));
  std::vector<FakeHttpServer::Request> assigned =
      crm_.RequestsTo("POST", P("/sobjects/TopicAssignment"));
  ASSERT_THAT(assigned, SizeIs(2));
  EXPECT_EQ(Json::parse(assigned[0].body),
            Json({{"EntityId", kCaseId}, {"TopicId", "0TO5g00000Tpc02GAB"}}));
  EXPECT_EQ(Json::parse(assigned[1].body),
            Json({{"EntityId", kCaseId}, {"TopicId", "0TO5g00000Tpc03GAB"}}));
}

TEST_F(SalesforceWritebackTest, TagsAlreadyAssignedWriteNothing) {
  HandleQueries(Json::array(),
                Json::array({{{"Topic", {{"Name", "escalation"}}}}}),
                Json::array());
  SalesforceAdapter adapter = MakeAdapter();
  WritebackOutcome outcome = adapter.PerformWriteback(TagsJob({"Escalation"}));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("already has topics"));
  EXPECT_THAT(crm_.RequestsTo("POST", ".*"), IsEmpty());
}

TEST_F(SalesforceWritebackTest, DuplicateAssignmentCountsAsDone) {
  HandleQueries(
      Json::array(), Json::array(),
      Json::array({{{"Id", "0TO5g00000Tpc01GAB"}, {"Name", "escalation"}}}));
  crm_.Handle("POST", P("/sobjects/TopicAssignment"),
              [](const FakeHttpServer::Request&) {
                return SalesforceError(400, "DUPLICATE_VALUE",
                                       "duplicate value found");
              });
  SalesforceAdapter adapter = MakeAdapter();
  EXPECT_EQ(adapter.PerformWriteback(TagsJob({"escalation"})).result,
            WRITEBACK_RESULT_DONE);
}

TEST_F(SalesforceWritebackTest, PhaseOverwritesTheConfiguredField) {
  crm_.Handle("PATCH", P("/sobjects/Case/") + kCaseId,
              [](const FakeHttpServer::Request&) { return NoContent(); });
  crm_.Handle("PATCH", P("/sobjects/Event/") + kEventId,
              [](const FakeHttpServer::Request&) { return NoContent(); });
  SalesforceAdapter adapter = MakeAdapter();
  WritebackOutcome outcome = adapter.PerformWriteback(
      PhaseJob(cse::v1::CRM_OBJECT_KIND_TICKET, kCaseId));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE) << outcome.crm_answer;
  EXPECT_THAT(outcome.crm_answer, HasSubstr("HTTP 204"));
  EXPECT_EQ(adapter
                .PerformWriteback(
                    PhaseJob(cse::v1::CRM_OBJECT_KIND_MEETING, kEventId))
                .result,
            WRITEBACK_RESULT_DONE);
  EXPECT_EQ(adapter
                .PerformWriteback(PhaseJob(cse::v1::CRM_OBJECT_KIND_TICKET,
                                           kCaseId, "Other_Phase__c"))
                .result,
            WRITEBACK_RESULT_DONE);

  std::vector<FakeHttpServer::Request> patches = crm_.RequestsTo("PATCH", ".*");
  ASSERT_THAT(patches, SizeIs(3));
  EXPECT_EQ(Json::parse(patches[0].body),
            Json({{"Journey_Phase__c", "implementation_usage"}}));
  EXPECT_EQ(Json::parse(patches[1].body),
            Json({{"Meeting_Phase__c", "implementation_usage"}}));
  EXPECT_EQ(Json::parse(patches[2].body),
            Json({{"Other_Phase__c", "implementation_usage"}}));
}

TEST_F(SalesforceWritebackTest, PhaseNameWhenConfigured) {
  crm_.Handle("PATCH", P("/sobjects/Case/") + kCaseId,
              [](const FakeHttpServer::Request&) { return NoContent(); });
  SalesforceAdapterOptions options = TestOptions(crm_.base_url());
  options.phase_value = cse::adapters::v1::SalesforceConfig::PHASE_VALUE_NAME;
  SalesforceAdapter adapter(std::move(options), &http_, &FixedNow);
  EXPECT_EQ(
      adapter
          .PerformWriteback(PhaseJob(cse::v1::CRM_OBJECT_KIND_TICKET, kCaseId))
          .result,
      WRITEBACK_RESULT_DONE);
  EXPECT_EQ(Json::parse(crm_.RequestsTo("PATCH", ".*")[0].body),
            Json({{"Journey_Phase__c", "Implementation and usage"}}));
}

TEST_F(SalesforceWritebackTest, PhaseWithoutAFieldIsPermanent) {
  SalesforceAdapterOptions options = TestOptions(crm_.base_url());
  options.event_phase_field.clear();
  SalesforceAdapter adapter(std::move(options), &http_, &FixedNow);
  WritebackOutcome outcome = adapter.PerformWriteback(
      PhaseJob(cse::v1::CRM_OBJECT_KIND_MEETING, kEventId));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_PERMANENT);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("event_phase_field"));
  EXPECT_EQ(adapter
                .PerformWriteback(PhaseJob(cse::v1::CRM_OBJECT_KIND_TICKET,
                                           kCaseId, "Bad field; DROP"))
                .result,
            WRITEBACK_RESULT_FAILED_PERMANENT);
  EXPECT_THAT(crm_.Requests(), IsEmpty());
}

TEST_F(SalesforceWritebackTest, RequestLimitExceededIsRetryable) {
  crm_.Handle("PATCH", P("/sobjects/Case/") + kCaseId,
              [](const FakeHttpServer::Request&) {
                FakeHttpServer::Response response =
                    SalesforceError(403, "REQUEST_LIMIT_EXCEEDED",
                                    "TotalRequests Limit exceeded.");
                response.headers["Sforce-Limit-Info"] = "api-usage=5001/5000";
                return response;
              });
  SalesforceAdapter adapter = MakeAdapter();
  WritebackOutcome outcome = adapter.PerformWriteback(
      PhaseJob(cse::v1::CRM_OBJECT_KIND_TICKET, kCaseId));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_RETRYABLE);
  EXPECT_EQ(outcome.retry_after, kRequestLimitRetryAfter);
  EXPECT_THAT(outcome.crm_answer,
              AllOf(HasSubstr("HTTP 403"), HasSubstr("REQUEST_LIMIT_EXCEEDED"),
                    HasSubstr("api-usage=5001/5000")));
}

TEST_F(SalesforceWritebackTest, OtherForbiddenIsPermanent) {
  crm_.Handle("PATCH", P("/sobjects/Case/") + kCaseId,
              [](const FakeHttpServer::Request&) {
                return SalesforceError(403, "INSUFFICIENT_ACCESS",
                                       "insufficient access rights");
              });
  SalesforceAdapter adapter = MakeAdapter();
  EXPECT_EQ(
      adapter
          .PerformWriteback(PhaseJob(cse::v1::CRM_OBJECT_KIND_TICKET, kCaseId))
          .result,
      WRITEBACK_RESULT_FAILED_PERMANENT);
}

TEST_F(SalesforceWritebackTest, ServiceUnavailableIsRetryableWithRetryAfter) {
  crm_.Handle("GET", P("/query"), [](const FakeHttpServer::Request&) {
    FakeHttpServer::Response response =
        SalesforceError(503, "SERVER_UNAVAILABLE", "maintenance");
    response.headers["Retry-After"] = "120";
    return response;
  });
  SalesforceAdapter adapter = MakeAdapter();
  WritebackOutcome outcome = adapter.PerformWriteback(
      NoteJob(cse::v1::CRM_OBJECT_KIND_TICKET, kCaseId));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_RETRYABLE);
  EXPECT_EQ(outcome.retry_after, absl::Seconds(120));
  EXPECT_THAT(outcome.crm_answer, HasSubstr("HTTP 503"));
  EXPECT_THAT(crm_.RequestsTo("POST", ".*"), IsEmpty());
}

TEST_F(SalesforceWritebackTest, ExpiredTokenIsPermanentAndSaysSo) {
  crm_.Handle("GET", P("/query"), [](const FakeHttpServer::Request&) {
    return SalesforceError(401, "INVALID_SESSION_ID",
                           "Session expired or invalid");
  });
  SalesforceAdapter adapter = MakeAdapter();
  WritebackOutcome outcome = adapter.PerformWriteback(TagsJob({"escalation"}));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_PERMANENT);
  EXPECT_THAT(outcome.crm_answer, AllOf(HasSubstr("INVALID_SESSION_ID"),
                                        HasSubstr("does not refresh tokens")));
}

TEST_F(SalesforceWritebackTest, TimeoutIsRetryable) {
  crm_.Handle("PATCH", P("/sobjects/Case/") + kCaseId,
              [](const FakeHttpServer::Request&) {
                FakeHttpServer::Response response = NoContent();
                response.delay = absl::Milliseconds(1500);
                return response;
              });
  SalesforceAdapter adapter = MakeAdapter(absl::Milliseconds(200));
  WritebackOutcome outcome = adapter.PerformWriteback(
      PhaseJob(cse::v1::CRM_OBJECT_KIND_TICKET, kCaseId));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_RETRYABLE);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("no answer"));
}

TEST_F(SalesforceWritebackTest, DeletedRecordIsPermanent) {
  crm_.Handle("PATCH", P("/sobjects/Case/") + kCaseId,
              [](const FakeHttpServer::Request&) {
                return SalesforceError(404, "NOT_FOUND",
                                       "The requested resource does not exist");
              });
  SalesforceAdapter adapter = MakeAdapter();
  EXPECT_EQ(
      adapter
          .PerformWriteback(PhaseJob(cse::v1::CRM_OBJECT_KIND_TICKET, kCaseId))
          .result,
      WRITEBACK_RESULT_FAILED_PERMANENT);
}

TEST_F(SalesforceWritebackTest, MalformedJobsArePermanentWithoutACall) {
  SalesforceAdapter adapter = MakeAdapter();
  // An id that would inject SOQL.
  WritebackOutcome bad_id = adapter.PerformWriteback(
      NoteJob(cse::v1::CRM_OBJECT_KIND_TICKET, "500' OR Id != '"));
  EXPECT_EQ(bad_id.result, WRITEBACK_RESULT_FAILED_PERMANENT);
  EXPECT_THAT(bad_id.crm_answer, HasSubstr("object_id"));
  cse::v1::WritebackJob no_kind =
      NoteJob(cse::v1::CRM_OBJECT_KIND_UNSPECIFIED, kCaseId);
  EXPECT_EQ(adapter.PerformWriteback(no_kind).result,
            WRITEBACK_RESULT_FAILED_PERMANENT);
  cse::v1::WritebackJob no_marker =
      NoteJob(cse::v1::CRM_OBJECT_KIND_TICKET, kCaseId);
  no_marker.mutable_note()->clear_marker();
  EXPECT_EQ(adapter.PerformWriteback(no_marker).result,
            WRITEBACK_RESULT_FAILED_PERMANENT);
  EXPECT_EQ(adapter.PerformWriteback(TagsJob({" "})).result,
            WRITEBACK_RESULT_FAILED_PERMANENT);
  EXPECT_THAT(crm_.Requests(), IsEmpty());
}

}  // namespace
}  // namespace cse::adapters::salesforce
