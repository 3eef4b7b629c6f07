#include "adapters/common/http_answer.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cse::adapters {
namespace {

using ::cse::v1::WRITEBACK_RESULT_DONE;
using ::cse::v1::WRITEBACK_RESULT_FAILED_PERMANENT;
using ::cse::v1::WRITEBACK_RESULT_FAILED_RETRYABLE;
using ::testing::HasSubstr;
using ::testing::Not;

const absl::Time kNow =
    absl::FromUnixSeconds(1'445'412'480);  // 2015-10-21 07:28:00Z

HttpResponse Answer(int status, HttpHeaders headers = {},
                    std::string body = "") {
  return HttpResponse{status, std::move(headers), std::move(body)};
}

TEST(ParseRetryAfterTest, DelaySeconds) {
  EXPECT_EQ(ParseRetryAfter("120", kNow), absl::Seconds(120));
  EXPECT_EQ(ParseRetryAfter(" 0 ", kNow), absl::ZeroDuration());
}

TEST(ParseRetryAfterTest, HttpDateRelativeToNow) {
  // RFC 9110 section 10.2.3's example date.
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:30:00 GMT", kNow),
            absl::Minutes(2));
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", kNow),
            absl::ZeroDuration());
}

TEST(ParseRetryAfterTest, GarbageIsIgnored) {
  EXPECT_EQ(ParseRetryAfter("", kNow), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("soon", kNow), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-5", kNow), std::nullopt);
}

TEST(ClassifyHttpAnswerTest, SuccessIsDone) {
  WritebackOutcome outcome = ClassifyHttpAnswer(
      Answer(201, {{"X-Request-Id", "r-1"}}), "POST /x", kNow);
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_DONE);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("POST /x: HTTP 201"));
  EXPECT_THAT(outcome.crm_answer, HasSubstr("r-1"));
}

TEST(ClassifyHttpAnswerTest, RateLimitedRetriesAfterTheCrmsDelay) {
  WritebackOutcome outcome = ClassifyHttpAnswer(
      Answer(429, {{"Retry-After", "30"}}), "PUT /tags", kNow);
  EXPECT_EQ(outcome.result, WRITEBACK_RESULT_FAILED_RETRYABLE);
  EXPECT_EQ(outcome.retry_after, absl::Seconds(30));
  EXPECT_THAT(outcome.crm_answer, HasSubstr("retry-after 30"));
}

TEST(ClassifyHttpAnswerTest, ServerErrorsAndConflictsRetry) {
  for (int status : {408, 409, 500, 502, 503, 504}) {
    EXPECT_EQ(ClassifyHttpAnswer(Answer(status), "x", kNow).result,
              WRITEBACK_RESULT_FAILED_RETRYABLE)
        << status;
  }
}

TEST(ClassifyHttpAnswerTest, ClientErrorsArePermanentWithTheReason) {
  for (int status : {400, 401, 403, 404, 422}) {
    EXPECT_EQ(ClassifyHttpAnswer(Answer(status), "x", kNow).result,
              WRITEBACK_RESULT_FAILED_PERMANENT)
        << status;
  }
  WritebackOutcome outcome = ClassifyHttpAnswer(
      Answer(422, {}, "{\"error\":\"RecordInvalid\",\n\"x\":1}"), "x", kNow);
  EXPECT_THAT(outcome.crm_answer, HasSubstr("RecordInvalid"));
  EXPECT_THAT(outcome.crm_answer, Not(HasSubstr("\n")));
}

TEST(ClassifyHttpAnswerTest, LongErrorBodiesAreCut) {
  WritebackOutcome outcome =
      ClassifyHttpAnswer(Answer(400, {}, std::string(5000, 'e')), "x", kNow);
  EXPECT_LT(outcome.crm_answer.size(), 300u);
}

TEST(ClassifyHttpAnswerTest, NoAnswer) {
  EXPECT_EQ(
      ClassifyHttpAnswer(absl::DeadlineExceededError("slow"), "x", kNow).result,
      WRITEBACK_RESULT_FAILED_RETRYABLE);
  EXPECT_EQ(
      ClassifyHttpAnswer(absl::UnavailableError("refused"), "x", kNow).result,
      WRITEBACK_RESULT_FAILED_RETRYABLE);
  EXPECT_EQ(ClassifyHttpAnswer(absl::InvalidArgumentError("bad url"), "x", kNow)
                .result,
            WRITEBACK_RESULT_FAILED_PERMANENT);
}

TEST(HttpStatusToCodeTest, Table) {
  EXPECT_EQ(HttpStatusToCode(204), absl::StatusCode::kOk);
  EXPECT_EQ(HttpStatusToCode(400), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(HttpStatusToCode(401), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(HttpStatusToCode(403), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(HttpStatusToCode(404), absl::StatusCode::kNotFound);
  EXPECT_EQ(HttpStatusToCode(409), absl::StatusCode::kAborted);
  EXPECT_EQ(HttpStatusToCode(429), absl::StatusCode::kUnavailable);
  EXPECT_EQ(HttpStatusToCode(503), absl::StatusCode::kUnavailable);
  EXPECT_EQ(HttpStatusToCode(418), absl::StatusCode::kUnknown);
}

}  // namespace
}  // namespace cse::adapters
