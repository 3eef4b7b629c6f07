// CurlHttpClient against a real HTTP server on loopback.
#include "adapters/common/curl_http_client.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/http/fake_http_server.h"
#include "tests/testing/status_matchers.h"

namespace cse::adapters {
namespace {

using ::cse::testing::FakeHttpServer;
using ::cse::testing::StatusIs;
using ::testing::HasSubstr;

class CurlHttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Handle("POST", "/echo", [](const FakeHttpServer::Request& r) {
      FakeHttpServer::Response response;
      response.status = 201;
      response.body = r.body;
      response.headers["X-Request-Id"] = "req-7";
      response.headers["X-Seen-Auth"] = r.Header("authorization");
      return response;
    });
    server_.Handle("GET", "/limited", [](const FakeHttpServer::Request&) {
      FakeHttpServer::Response response;
      response.status = 429;
      response.headers["Retry-After"] = "17";
      return response;
    });
    server_.Handle("GET", "/slow", [](const FakeHttpServer::Request&) {
      FakeHttpServer::Response response;
      response.delay = absl::Milliseconds(1500);
      return response;
    });
    server_.Handle("GET", "/big", [](const FakeHttpServer::Request&) {
      FakeHttpServer::Response response;
      response.body = std::string(64 * 1024, 'x');
      return response;
    });
    ASSERT_TRUE(server_.Start().ok());
  }

  FakeHttpServer server_;
};

TEST_F(CurlHttpClientTest, SendsMethodHeadersBodyAndReadsTheAnswer) {
  CurlHttpClient client;
  HttpRequest request;
  request.method = "POST";
  request.url = server_.base_url() + "/echo";
  request.headers.Set("Authorization", "Bearer t0k");
  request.headers.Set("Content-Type", "application/json");
  request.body = R"({"a":1})";
  absl::StatusOr<HttpResponse> response = client.Send(request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->body, R"({"a":1})");
  EXPECT_EQ(response->headers.Get("x-request-id"), "req-7");
  EXPECT_EQ(response->headers.Get("X-Seen-Auth"), "Bearer t0k");
  ASSERT_EQ(server_.RequestsTo("POST", "/echo").size(), 1u);
  EXPECT_EQ(server_.RequestsTo("POST", "/echo")[0].Header("content-type"),
            "application/json");
}

TEST_F(CurlHttpClientTest, ErrorStatusesAreResponsesNotErrors) {
  CurlHttpClient client;
  absl::StatusOr<HttpResponse> response =
      client.Send({.url = server_.base_url() + "/limited"});
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 429);
  EXPECT_EQ(response->headers.Get("retry-after"), "17");
}

TEST_F(CurlHttpClientTest, TimeoutIsDeadlineExceeded) {
  CurlHttpClient client;
  EXPECT_THAT(client.Send({.url = server_.base_url() + "/slow",
                           .timeout = absl::Milliseconds(200)}),
              StatusIs(absl::StatusCode::kDeadlineExceeded,
                       HasSubstr("no answer within 200ms")));
}

TEST_F(CurlHttpClientTest, OversizeBodyIsResourceExhausted) {
  CurlHttpClient client(CurlHttpClient::Options{.max_response_bytes = 1024});
  EXPECT_THAT(client.Send({.url = server_.base_url() + "/big"}),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("over 1024 bytes")));
}

TEST_F(CurlHttpClientTest, RefusedConnectionIsUnavailable) {
  const std::string url = server_.base_url() + "/echo";
  server_.Stop();
  CurlHttpClient client;
  EXPECT_THAT(client.Send({.method = "POST", .url = url}),
              StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(CurlHttpClientTest, MalformedUrlIsInvalidArgument) {
  CurlHttpClient client;
  EXPECT_THAT(client.Send({.url = "ftp://example.com/x"}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace cse::adapters
