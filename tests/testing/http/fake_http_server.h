// FakeHttpServer: a real HTTP server on loopback for adapter tests.
//
// Stands in for a CRM's REST API (Zendesk, HubSpot, Salesforce, a generic
// endpoint) that cannot run here. Tests register handlers per method and
// path pattern; every request is recorded so a test can check the shapes
// the adapter sent (method, path, auth headers, JSON body), and handlers
// can answer 429/503 with Retry-After or stall past the client's timeout
// on demand. Built on cpp-httplib, served from its own thread on an
// ephemeral port.
//
// Example:
//   FakeHttpServer crm;
//   crm.Handle("PUT", R"(/api/v2/tickets/(\d+)/tags\.json)",
//              [](const FakeHttpServer::Request& r) {
//                return FakeHttpServer::Response{200, R"({"tags":[]})"};
//              });
//   ASSERT_OK(crm.Start());
//   ... adapter with base_url crm.base_url() ...
//   EXPECT_EQ(crm.Requests().size(), 1);
#ifndef CSE_TESTS_TESTING_HTTP_FAKE_HTTP_SERVER_H_
#define CSE_TESTS_TESTING_HTTP_FAKE_HTTP_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace cse::testing {

class FakeHttpServer {
 public:
  struct Request {
    std::string method;
    std::string path;
    // Decoded query parameters.
    absl::flat_hash_map<std::string, std::string> params;
    // Lower-case names.
    absl::flat_hash_map<std::string, std::string> headers;
    std::string body;
    // The path pattern's capture groups.
    std::vector<std::string> matches;

    std::string Header(const std::string& name) const;
  };
  struct Response {
    int status = 200;
    std::string body = {};
    std::string content_type = "application/json";
    absl::flat_hash_map<std::string, std::string> headers = {};
    // Sleep this long before answering (to exceed a client's timeout).
    absl::Duration delay = absl::ZeroDuration();
  };
  using Handler = std::function<Response(const Request&)>;

  FakeHttpServer();
  ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  // Registers a handler for `method` and an ECMAScript regex matching the
  // whole path. Later registrations of the same method and pattern
  // replace earlier ones, so a test can switch an endpoint to failing.
  // Unmatched requests get 404 and are recorded too.
  void Handle(const std::string& method, const std::string& path_pattern,
              Handler handler);

  // Binds 127.0.0.1 on an ephemeral port and starts serving.
  absl::Status Start();
  void Stop();

  int port() const { return port_; }
  // "http://127.0.0.1:<port>"
  std::string base_url() const;

  // Every request received so far, in order.
  std::vector<Request> Requests() const;
  // Requests with this method whose path matches `path_pattern`.
  std::vector<Request> RequestsTo(const std::string& method,
                                  const std::string& path_pattern) const;
  void ClearRequests();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace cse::testing

#endif  // CSE_TESTS_TESTING_HTTP_FAKE_HTTP_SERVER_H_
