#include "tests/testing/http/fake_http_server.h"

#include <httplib.h>

#include <regex>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace cse::testing {

struct FakeHttpServer::Impl {
  struct Route {
    std::string method;
    std::string pattern;
    std::regex regex;
    Handler handler;
  };

  httplib::Server server;
  mutable absl::Mutex mu;
  std::vector<Route> routes ABSL_GUARDED_BY(mu);
  std::vector<Request> requests ABSL_GUARDED_BY(mu);

  void Serve(const httplib::Request& in, httplib::Response& out) {
    Request request;
    request.method = in.method;
    request.path = in.path;
    for (const auto& [name, value] : in.params) request.params[name] = value;
    for (const auto& [name, value] : in.headers) {
      request.headers[absl::AsciiStrToLower(name)] = value;
    }
    request.body = in.body;
    Handler handler;
    {
      absl::MutexLock lock(&mu);
      // The newest matching route wins, so tests can override.
      for (auto it = routes.rbegin(); it != routes.rend(); ++it) {
        std::smatch match;
        if (it->method == in.method &&
            std::regex_match(in.path, match, it->regex)) {
          for (size_t i = 1; i < match.size(); ++i) {
            request.matches.push_back(match[i].str());
          }
          handler = it->handler;
          break;
        }
      }
      requests.push_back(request);
    }
    Response response;
    if (handler) {
      response = handler(request);
    } else {
      response.status = 404;
      response.body = R"({"error":"no fake route"})";
    }
    if (response.delay > absl::ZeroDuration()) absl::SleepFor(response.delay);
    out.status = response.status;
    for (const auto& [name, value] : response.headers) {
      out.set_header(name, value);
    }
    out.set_content(response.body, response.content_type.c_str());
  }
};

std::string FakeHttpServer::Request::Header(const std::string& name) const {
  auto it = headers.find(absl::AsciiStrToLower(name));
  return it == headers.end() ? "" : it->second;
}

FakeHttpServer::FakeHttpServer() : impl_(std::make_unique<Impl>()) {
  auto serve = [this](const httplib::Request& in, httplib::Response& out) {
    impl_->Serve(in, out);
  };
  impl_->server.Get(".*", serve);
  impl_->server.Post(".*", serve);
  impl_->server.Put(".*", serve);
  impl_->server.Patch(".*", serve);
  impl_->server.Delete(".*", serve);
}

FakeHttpServer::~FakeHttpServer() { Stop(); }

void FakeHttpServer::Handle(const std::string& method,
                            const std::string& path_pattern, Handler handler) {
  absl::MutexLock lock(&impl_->mu);
  impl_->routes.push_back(
      {method, path_pattern, std::regex(path_pattern), std::move(handler)});
}

absl::Status FakeHttpServer::Start() {
  port_ = impl_->server.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) return absl::UnavailableError("cannot bind 127.0.0.1");
  thread_ = std::thread([this] { impl_->server.listen_after_bind(); });
  // The socket is listening already (bind_to_any_port), so early
  // connections queue; waiting for the accept loop only keeps Stop() right.
  while (!impl_->server.is_running()) absl::SleepFor(absl::Milliseconds(1));
  return absl::OkStatus();
}

void FakeHttpServer::Stop() {
  impl_->server.stop();
  if (thread_.joinable()) thread_.join();
}

std::string FakeHttpServer::base_url() const {
  return absl::StrCat("http://127.0.0.1:", port_);
}

std::vector<FakeHttpServer::Request> FakeHttpServer::Requests() const {
  absl::MutexLock lock(&impl_->mu);
  return impl_->requests;
}

std::vector<FakeHttpServer::Request> FakeHttpServer::RequestsTo(
    const std::string& method, const std::string& path_pattern) const {
  const std::regex regex(path_pattern);
  std::vector<Request> matching;
  absl::MutexLock lock(&impl_->mu);
  for (const Request& request : impl_->requests) {
    if (request.method == method && std::regex_match(request.path, regex)) {
      matching.push_back(request);
    }
  }
  return matching;
}

void FakeHttpServer::ClearRequests() {
  absl::MutexLock lock(&impl_->mu);
  impl_->requests.clear();
}

}  // namespace cse::testing
