// PerformWriteback against a fake CRM API: request shapes (CRM v3
// objects, notes and v4 associations, as documented at
// https://developers.hubspot.com/docs/api/crm/notes and
// .../crm/associations), idempotency (tag union, note marker, phase
// overwrite) and HubSpot's failure answers.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "adapters/crm_adapter.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/http/fake_http_server.h"
#include "tests/unit/adapters/hubspot/hubspot_test_util.h"

namespace cse::adapters::hubspot {
namespace {

using ::cse::testing::FakeHttpServer;
using testing::AdapterHarness;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using testing::TestConfig;
using Json = nlohmann::json;

using cse::v1::WRITEBACK_RESULT_DONE;
using cse::v1::WRITEBACK_RESULT_FAILED_PERMANENT;
using cse::v1::WRITEBACK_RESULT_FAILED_RETRYABLE;

cse::v1::WritebackJob Job(
    cse::v1::CrmObjectKind kind = cse::v1::CRM_OBJECT_KIND_TICKET,
    const std::string& object_id = "512") {
  cse::v1::WritebackJob job;
  job.set_job_id(1);
  job.set_target_system("hubspot");
  job.set_event_id("62515:2001:100:512");
  job.set_account_id("9001");
  job.set_object_kind(kind);
  job.set_object_id(object_id);
  job.set_idempotency_key("hubspot:62515:2001:100:512:note");
  return job;
}

cse::v1::WritebackJob TagsJob(std::initializer_list<const char*> tags) {
  cse::v1::WritebackJob job = Job();
  for (const char* t : tags) job.mutable_tags()->add_tags(t);
  return job;
}

cse::v1::WritebackJob NoteJob(
    cse::v1::CrmObjectKind kind = cse::v1::CRM_OBJECT_KIND_TICKET) {
  cse::v1::WritebackJob job =
      Job(kind, kind == cse::v1::CRM_OBJECT_KIND_TICKET ? "512" : "777");
  job.mutable_note()->set_markdown(
      "**Critical event:** breakdown\n\n- Stabilise the situation (P10)\n- "
      "Manage expectations (P8)");
  job.mutable_note()->set_marker("cse:hubspot:62515:2001:100:512");
  return job;
}

class WritebackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    crm_.Handle(
        "GET", R"(/crm/v3/objects/tickets/512)",
        [](const FakeHttpServer::Request&) {
          return FakeHttpServer::Response{
              200,
              R"({"id":"512","properties":{"cse_tags":"vip;export","hs_object_id":"512"}})"};
        });
    crm_.Handle("PATCH", R"(/crm/v3/objects/(tickets|meetings)/(\d+))",
                [](const FakeHttpServer::Request& r) {
                  FakeHttpServer::Response response{
                      200, absl::StrCat(R"({"id":")", r.matches[1], R"("})")};
                  response.headers["X-HubSpot-Correlation-Id"] = "corr-patch";
                  return response;
                });
    crm_.Handle(
        "GET",
        R"(/crm/v4/objects/(tickets|companies)/(\d+)/associations/notes)",
        [](const FakeHttpServer::Request&) {
          return FakeHttpServer::Response{
              200,
              R"({"results":[{"toObjectId":8001,"associationTypes":[{"category":"HUBSPOT_DEFINED","typeId":227,"label":null}]}]})"};
        });
    crm_.Handle(
        "POST", R"(/crm/v3/objects/notes/batch/read)",
        [](const FakeHttpServer::Request&) {
          return FakeHttpServer::Response{
              200,
              R"({"status":"COMPLETE","results":[{"id":"8001","properties":{"hs_note_body":"<p>Called the customer.</p>"}}]})"};
        });
    crm_.Handle("POST", R"(/crm/v3/objects/notes)",
                [](const FakeHttpServer::Request&) {
                  FakeHttpServer::Response r{201, R"({"id":"8100"})"};
                  r.headers["X-HubSpot-Correlation-Id"] = "corr-note";
                  return r;
                });
    ASSERT_TRUE(crm_.Start().ok());
    config_ = TestConfig(crm_.base_url());
  }

  std::unique_ptr<CrmAdapter> Adapter() { return harness_.Build(config_); }

  FakeHttpServer crm_;
  AdapterHarness harness_;
  cse::adapters::v1::CrmConfig config_;
};

TEST_F(WritebackTest, TagsAreASetUnion) {
  auto adapter = Adapter();
  WritebackOutcome outcome =
      adapter->PerformWriteback(TagsJob({"export", "outage"}));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE) << outcome.crm_answer;
  auto reads = crm_.RequestsTo("GET", R"(/crm/v3/objects/tickets/512)");
  ASSERT_THAT(reads, SizeIs(1));
  EXPECT_EQ(reads[0].params.at("properties"), "cse_tags");
  EXPECT_EQ(reads[0].Header("authorization"), "Bearer pat-na1-test-token");
  auto patches = crm_.RequestsTo("PATCH", R"(/crm/v3/objects/tickets/512)");
  ASSERT_THAT(patches, SizeIs(1));
  EXPECT_EQ(Json::parse(patches[0].body),
            Json::parse(R"({"properties":{"cse_tags":"vip;export;outage"}})"));
  EXPECT_EQ(patches[0].Header("content-type"), "application/json");
  EXPECT_THAT(outcome.crm_answer, HasSubstr("corr-patch"));
}

TEST_F(WritebackTest, TagsAlreadyThereWriteNothing) {
  auto adapter = Adapter();
  WritebackOutcome outcome = adapter->PerformWriteback(TagsJob({"vip"}));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("nothing written"));
  EXPECT_TRUE(crm_.RequestsTo("PATCH", ".*").empty());
}

TEST_F(WritebackTest, PhaseOverwritesTheConfiguredProperty) {
  auto adapter = Adapter();
  cse::v1::WritebackJob job = Job();
  job.mutable_phase_field()->set_phase_id("implementation_usage");
  job.mutable_phase_field()->set_phase_name("Implementation and usage");
  WritebackOutcome outcome = adapter->PerformWriteback(job);
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE) << outcome.crm_answer;
  auto patches = crm_.RequestsTo("PATCH", R"(/crm/v3/objects/tickets/512)");
  ASSERT_THAT(patches, SizeIs(1));
  EXPECT_EQ(
      Json::parse(patches[0].body),
      Json::parse(R"({"properties":{"cse_phase":"implementation_usage"}})"));

  // A job naming its property, on a meeting.
  cse::v1::WritebackJob meeting = Job(cse::v1::CRM_OBJECT_KIND_MEETING, "777");
  meeting.mutable_phase_field()->set_phase_id("orientation_negotiation");
  meeting.mutable_phase_field()->set_field("journey_phase");
  outcome = adapter->PerformWriteback(meeting);
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE) << outcome.crm_answer;
  patches = crm_.RequestsTo("PATCH", R"(/crm/v3/objects/meetings/777)");
  ASSERT_THAT(patches, SizeIs(1));
  EXPECT_EQ(
      Json::parse(patches[0].body),
      Json::parse(
          R"({"properties":{"journey_phase":"orientation_negotiation"}})"));
}

TEST_F(WritebackTest, UnconfiguredPropertiesFailPermanently) {
  config_.mutable_hubspot()->clear_phase_property();
  config_.mutable_hubspot()->clear_tags_property();
  auto adapter = Adapter();
  cse::v1::WritebackJob phase = Job();
  phase.mutable_phase_field()->set_phase_id("trigger");
  WritebackOutcome outcome = adapter->PerformWriteback(phase);
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_PERMANENT);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("hubspot.phase_property"));
  outcome = adapter->PerformWriteback(TagsJob({"x"}));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_PERMANENT);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("hubspot.tags_property"));
  EXPECT_TRUE(crm_.Requests().empty());
}

TEST_F(WritebackTest, NoteIsCreatedOnTheTicketWithItsMarker) {
  auto adapter = Adapter();
  WritebackOutcome outcome = adapter->PerformWriteback(NoteJob());
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE) << outcome.crm_answer;
  EXPECT_THAT(outcome.crm_answer, HasSubstr("corr-note"));
  // First the ticket's notes are listed and read for the marker.
  auto lists = crm_.RequestsTo(
      "GET", R"(/crm/v4/objects/tickets/512/associations/notes)");
  ASSERT_THAT(lists, SizeIs(1));
  auto batch = crm_.RequestsTo("POST", R"(/crm/v3/objects/notes/batch/read)");
  ASSERT_THAT(batch, SizeIs(1));
  EXPECT_EQ(Json::parse(batch[0].body),
            Json::parse(
                R"({"properties":["hs_note_body"],"inputs":[{"id":"8001"}]})"));
  auto creates = crm_.RequestsTo("POST", R"(/crm/v3/objects/notes)");
  ASSERT_THAT(creates, SizeIs(1));
  Json created = Json::parse(creates[0].body);
  EXPECT_EQ(created["properties"]["hs_timestamp"], "1714564800000");
  const std::string body = created["properties"]["hs_note_body"];
  EXPECT_THAT(body, HasSubstr("<strong>Critical event:</strong> breakdown"));
  EXPECT_THAT(body, HasSubstr("<li>Stabilise the situation (P10)</li>"));
  EXPECT_THAT(body, HasSubstr("cse-marker: [cse:hubspot:62515:2001:100:512]"));
  EXPECT_EQ(created["associations"], Json::parse(R"([{"to":{"id":"512"},
      "types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":228}]}])"));
}

TEST_F(WritebackTest, NoteWithItsMarkerAlreadyThereIsNotPostedAgain) {
  // The note a first attempt posted, before its acknowledgement was lost.
  crm_.Handle(
      "POST", R"(/crm/v3/objects/notes/batch/read)",
      [](const FakeHttpServer::Request&) {
        return FakeHttpServer::Response{
            200,
            R"({"status":"COMPLETE","results":[{"id":"8001","properties":{"hs_note_body":"<p>x</p><p>cse-marker: [cse:hubspot:62515:2001:100:512]</p>"}}]})"};
      });
  auto adapter = Adapter();
  WritebackOutcome outcome = adapter->PerformWriteback(NoteJob());
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE) << outcome.crm_answer;
  EXPECT_THAT(outcome.crm_answer, HasSubstr("note 8001 already carries"));
  EXPECT_TRUE(crm_.RequestsTo("POST", R"(/crm/v3/objects/notes)").empty());
}

TEST_F(WritebackTest, NoteListPagesAreFollowed) {
  crm_.Handle(
      "GET", R"(/crm/v4/objects/tickets/512/associations/notes)",
      [](const FakeHttpServer::Request& r) {
        if (r.params.count("after") == 0) {
          return FakeHttpServer::Response{
              200,
              R"({"results":[{"toObjectId":8001,"associationTypes":[]}],"paging":{"next":{"after":"MQ%3D%3D","link":"x"}}})"};
        }
        return FakeHttpServer::Response{
            200, R"({"results":[{"toObjectId":8002,"associationTypes":[]}]})"};
      });
  auto adapter = Adapter();
  WritebackOutcome outcome = adapter->PerformWriteback(NoteJob());
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE) << outcome.crm_answer;
  EXPECT_THAT(crm_.RequestsTo(
                  "GET", R"(/crm/v4/objects/tickets/512/associations/notes)"),
              SizeIs(2));
  auto batch = crm_.RequestsTo("POST", R"(/crm/v3/objects/notes/batch/read)");
  ASSERT_THAT(batch, SizeIs(1));
  EXPECT_THAT(batch[0].body, HasSubstr("8002"));
}

TEST_F(WritebackTest, MeetingNoteGoesOnTheCompany) {
  auto adapter = Adapter();
  WritebackOutcome outcome =
      adapter->PerformWriteback(NoteJob(cse::v1::CRM_OBJECT_KIND_MEETING));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE) << outcome.crm_answer;
  EXPECT_THAT(
      crm_.RequestsTo("GET",
                      R"(/crm/v4/objects/companies/9001/associations/notes)"),
      SizeIs(1));
  auto creates = crm_.RequestsTo("POST", R"(/crm/v3/objects/notes)");
  ASSERT_THAT(creates, SizeIs(1));
  EXPECT_EQ(Json::parse(creates[0].body)["associations"],
            Json::parse(R"([{"to":{"id":"9001"},
      "types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":190}]}])"));
}

TEST_F(WritebackTest, MeetingNoteAlsoGoesOnTheMeetingsDeal) {
  crm_.Handle(
      "GET", R"(/crm/v4/objects/meetings/777/associations/deals)",
      [](const FakeHttpServer::Request&) {
        return FakeHttpServer::Response{
            200,
            R"({"results":[{"toObjectId":4401,"associationTypes":[{"category":"HUBSPOT_DEFINED","typeId":212,"label":null}]},{"toObjectId":4402,"associationTypes":[]}]})"};
      });
  auto adapter = Adapter();
  WritebackOutcome outcome =
      adapter->PerformWriteback(NoteJob(cse::v1::CRM_OBJECT_KIND_MEETING));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE) << outcome.crm_answer;
  EXPECT_THAT(crm_.RequestsTo(
                  "GET", R"(/crm/v4/objects/meetings/777/associations/deals)"),
              SizeIs(1));
  // The marker is still looked for on the company.
  EXPECT_THAT(
      crm_.RequestsTo("GET",
                      R"(/crm/v4/objects/companies/9001/associations/notes)"),
      SizeIs(1));
  auto creates = crm_.RequestsTo("POST", R"(/crm/v3/objects/notes)");
  ASSERT_THAT(creates, SizeIs(1));
  EXPECT_EQ(Json::parse(creates[0].body)["associations"],
            Json::parse(R"([{"to":{"id":"9001"},
      "types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":190}]},
      {"to":{"id":"4401"},
      "types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":214}]}])"));

  // The type id is configurable.
  config_.mutable_hubspot()->set_note_to_deal_association_type_id(9214);
  auto configured = Adapter();
  outcome =
      configured->PerformWriteback(NoteJob(cse::v1::CRM_OBJECT_KIND_MEETING));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE) << outcome.crm_answer;
  creates = crm_.RequestsTo("POST", R"(/crm/v3/objects/notes)");
  ASSERT_THAT(creates, SizeIs(2));
  EXPECT_EQ(
      Json::parse(
          creates[1].body)["associations"][1]["types"][0]["associationTypeId"],
      9214);
}

TEST_F(WritebackTest, MeetingWithoutADealNoteGoesOnTheCompanyAlone) {
  // No deal in the list, then the lookup answering 404.
  for (int status : {200, 404}) {
    crm_.Handle("GET", R"(/crm/v4/objects/meetings/777/associations/deals)",
                [status](const FakeHttpServer::Request&) {
                  return FakeHttpServer::Response{
                      status, status == 200 ? R"({"results":[]})"
                                            : R"({"status":"error"})"};
                });
    auto adapter = Adapter();
    WritebackOutcome outcome =
        adapter->PerformWriteback(NoteJob(cse::v1::CRM_OBJECT_KIND_MEETING));
    EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE) << outcome.crm_answer;
    auto lookups = crm_.RequestsTo(
        "GET", R"(/crm/v4/objects/meetings/777/associations/deals)");
    ASSERT_THAT(lookups, SizeIs(1)) << status;
    auto creates = crm_.RequestsTo("POST", R"(/crm/v3/objects/notes)");
    ASSERT_THAT(creates, SizeIs(1)) << status;
    EXPECT_EQ(Json::parse(creates[0].body)["associations"],
              Json::parse(R"([{"to":{"id":"9001"},
      "types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":190}]}])"))
        << status;
    crm_.ClearRequests();
  }
}

TEST_F(WritebackTest, RateLimitedDealLookupIsRetryableAndCreatesNothing) {
  crm_.Handle(
      "GET", R"(/crm/v4/objects/meetings/777/associations/deals)",
      [](const FakeHttpServer::Request&) {
        FakeHttpServer::Response r{
            429,
            R"({"status":"error","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"})"};
        r.headers["Retry-After"] = "12";
        return r;
      });
  auto adapter = Adapter();
  WritebackOutcome outcome =
      adapter->PerformWriteback(NoteJob(cse::v1::CRM_OBJECT_KIND_MEETING));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_RETRYABLE);
  EXPECT_EQ(outcome.retry_after, absl::Seconds(12));
  EXPECT_THAT(outcome.crm_answer, HasSubstr("HTTP 429"));
  EXPECT_THAT(outcome.crm_answer, HasSubstr("associations/deals"));
  EXPECT_TRUE(crm_.RequestsTo("POST", R"(/crm/v3/objects/notes)").empty());
}

TEST_F(WritebackTest, RetriedMeetingNoteAlreadyThereIsNotPostedAgain) {
  crm_.Handle("GET", R"(/crm/v4/objects/meetings/777/associations/deals)",
              [](const FakeHttpServer::Request&) {
                return FakeHttpServer::Response{
                    200, R"({"results":[{"toObjectId":4401}]})"};
              });
  // The note a first attempt posted (on the company and the deal).
  crm_.Handle(
      "POST", R"(/crm/v3/objects/notes/batch/read)",
      [](const FakeHttpServer::Request&) {
        return FakeHttpServer::Response{
            200,
            R"({"status":"COMPLETE","results":[{"id":"8001","properties":{"hs_note_body":"<p>x</p><p>cse-marker: [cse:hubspot:62515:2001:100:512]</p>"}}]})"};
      });
  auto adapter = Adapter();
  WritebackOutcome outcome =
      adapter->PerformWriteback(NoteJob(cse::v1::CRM_OBJECT_KIND_MEETING));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE) << outcome.crm_answer;
  EXPECT_THAT(outcome.crm_answer, HasSubstr("note 8001 already carries"));
  EXPECT_THAT(
      crm_.RequestsTo("GET",
                      R"(/crm/v4/objects/companies/9001/associations/notes)"),
      SizeIs(1));
  EXPECT_TRUE(crm_.RequestsTo("POST", R"(/crm/v3/objects/notes)").empty());
}

TEST_F(WritebackTest, RateLimitedWithHubSpotHeadersIsRetryableAfterTheWindow) {
  crm_.Handle(
      "PATCH", R"(/crm/v3/objects/(tickets|meetings)/(\d+))",
      [](const FakeHttpServer::Request&) {
        FakeHttpServer::Response r{
            429,
            R"({"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","correlationId":"corr-429","policyName":"TEN_SECONDLY_ROLLING"})"};
        r.headers["X-HubSpot-Correlation-Id"] = "corr-429";
        r.headers["X-HubSpot-RateLimit-Interval-Milliseconds"] = "10000";
        r.headers["X-HubSpot-RateLimit-Max"] = "100";
        r.headers["X-HubSpot-RateLimit-Remaining"] = "0";
        return r;
      });
  auto adapter = Adapter();
  cse::v1::WritebackJob job = Job();
  job.mutable_phase_field()->set_phase_id("trigger");
  WritebackOutcome outcome = adapter->PerformWriteback(job);
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_RETRYABLE);
  EXPECT_EQ(outcome.retry_after, absl::Seconds(10));
  EXPECT_THAT(outcome.crm_answer, HasSubstr("HTTP 429"));
  EXPECT_THAT(outcome.crm_answer, HasSubstr("corr-429"));
  EXPECT_THAT(outcome.crm_answer, HasSubstr("0 of 100 left per 10000 ms"));
}

TEST_F(WritebackTest, RetryAfterAndTheDailyLimitSetTheDelay) {
  crm_.Handle("PATCH", R"(/crm/v3/objects/tickets/512)",
              [](const FakeHttpServer::Request&) {
                FakeHttpServer::Response r{429, "{}"};
                r.headers["Retry-After"] = "7";
                return r;
              });
  auto adapter = Adapter();
  cse::v1::WritebackJob job = Job();
  job.mutable_phase_field()->set_phase_id("trigger");
  EXPECT_EQ(adapter->PerformWriteback(job).retry_after, absl::Seconds(7));

  crm_.Handle(
      "PATCH", R"(/crm/v3/objects/tickets/512)",
      [](const FakeHttpServer::Request&) {
        return FakeHttpServer::Response{
            429,
            R"({"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT","policyName":"DAILY"})"};
      });
  WritebackOutcome daily = adapter->PerformWriteback(job);
  EXPECT_EQ(daily.result, WRITEBACK_RESULT_FAILED_RETRYABLE);
  EXPECT_EQ(daily.retry_after, absl::Hours(1));
}

TEST_F(WritebackTest, ServerErrorsAndTimeoutsAreRetryable) {
  crm_.Handle("GET", R"(/crm/v3/objects/tickets/512)",
              [](const FakeHttpServer::Request&) {
                FakeHttpServer::Response r{503, "Service Unavailable"};
                r.headers["Retry-After"] = "30";
                return r;
              });
  auto adapter = Adapter();
  WritebackOutcome outcome = adapter->PerformWriteback(TagsJob({"x"}));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_RETRYABLE);
  EXPECT_EQ(outcome.retry_after, absl::Seconds(30));
  EXPECT_THAT(outcome.crm_answer, HasSubstr("HTTP 503"));
  EXPECT_TRUE(crm_.RequestsTo("PATCH", ".*").empty());

  crm_.Handle("POST", R"(/crm/v3/objects/notes)",
              [](const FakeHttpServer::Request&) {
                FakeHttpServer::Response r{201, R"({"id":"8100"})"};
                r.delay = absl::Milliseconds(1500);
                return r;
              });
  config_.mutable_hubspot()->set_request_timeout_ms(200);
  auto slow = Adapter();
  outcome = slow->PerformWriteback(NoteJob());
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_RETRYABLE);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("no answer"));
}

TEST_F(WritebackTest, ClientErrorsArePermanent) {
  crm_.Handle(
      "PATCH", R"(/crm/v3/objects/tickets/512)",
      [](const FakeHttpServer::Request&) {
        return FakeHttpServer::Response{
            400,
            R"({"status":"error","message":"Property values were not valid","correlationId":"corr-400","category":"VALIDATION_ERROR"})"};
      });
  auto adapter = Adapter();
  WritebackOutcome outcome = adapter->PerformWriteback(TagsJob({"new-tag"}));
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_PERMANENT);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("VALIDATION_ERROR"));

  cse::v1::WritebackJob bad = Job(cse::v1::CRM_OBJECT_KIND_TICKET, "ABC-1");
  bad.mutable_tags()->add_tags("x");
  outcome = adapter->PerformWriteback(bad);
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_PERMANENT);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("not a HubSpot record id"));
}

}  // namespace
}  // namespace cse::adapters::hubspot
