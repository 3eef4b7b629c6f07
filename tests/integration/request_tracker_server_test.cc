// The real Request Tracker 5 of tests/testing/request_tracker_server.h,
// driven the way the RT adapter drives it: a session login, REST2 with JSON
// (ticket, comment, both custom fields, history), and the "CSE poke" scrip
// POSTing to a loopback listener that stands in for the adapter's ingress.
//
// The first run on a machine installs RT (Debian packages, a few minutes);
// later runs start rt-server in a few seconds. Needs root.
#include "tests/testing/request_tracker_server.h"

#include <curl/curl.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/http/fake_http_server.h"

namespace cse::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsSupersetOf;
using ::testing::UnorderedElementsAre;

struct HttpResponse {
  long status = 0;
  std::string body;
  // Lower-case header name -> values.
  std::multimap<std::string, std::string> headers;
  absl::Duration took;

  nlohmann::json Json() const {
    return nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  }
};

size_t AppendBody(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

size_t AppendHeader(char* data, size_t size, size_t n, void* out) {
  const std::string line(data, size * n);
  const size_t colon = line.find(':');
  if (colon != std::string::npos) {
    static_cast<std::multimap<std::string, std::string>*>(out)->emplace(
        absl::AsciiStrToLower(line.substr(0, colon)),
        std::string(absl::StripAsciiWhitespace(line.substr(colon + 1))));
  }
  return size * n;
}

// One HTTP request with libcurl. `cookie` is sent as the Cookie header.
HttpResponse Http(const std::string& method, const std::string& url,
                  const std::string& body = "",
                  const std::string& content_type = "",
                  const std::string& cookie = "") {
  HttpResponse response;
  CURL* curl = curl_easy_init();
  curl_slist* headers = nullptr;
  if (!content_type.empty()) {
    headers =
        curl_slist_append(headers, ("Content-Type: " + content_type).c_str());
  }
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method != "GET") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE,
                     static_cast<long>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  if (!cookie.empty()) curl_easy_setopt(curl, CURLOPT_COOKIE, cookie.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, AppendHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  const absl::Time start = absl::Now();
  const CURLcode code = curl_easy_perform(curl);
  response.took = absl::Now() - start;
  EXPECT_EQ(code, CURLE_OK)
      << method << " " << url << ": " << curl_easy_strerror(code);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return response;
}

// A REST2 client with an RT session cookie: one bcrypt check at login
// instead of one per request (basic auth costs about 0.3 s a call).
class Rest2 {
 public:
  explicit Rest2(const RequestTrackerServer& rt) : rt_(rt) {}

  // POST /NoAuth/Login.html user=..&pass=..&next=/ as a browser does and
  // keeps the RT_SID_<rtname>.<port> cookie. RT sets that cookie whether or
  // not the password is right; with `next` a good login answers 302 and a
  // bad one 200 (the form again). Without `next` both answer 200.
  HttpResponse LogIn(const std::string& password) {
    HttpResponse r =
        Http("POST", rt_.base_url() + "/NoAuth/Login.html",
             absl::StrCat("user=", rt_.user(), "&pass=", password, "&next=/"),
             "application/x-www-form-urlencoded");
    cookie_.clear();
    for (auto [it, end] = r.headers.equal_range("set-cookie"); it != end;
         ++it) {
      if (absl::StartsWith(it->second, "RT_SID_")) {
        cookie_ = it->second.substr(0, it->second.find(';'));
      }
    }
    return r;
  }
  const std::string& cookie() const { return cookie_; }

  HttpResponse Call(const std::string& method, const std::string& path,
                    const nlohmann::json& body = nullptr) {
    HttpResponse r =
        Http(method, rt_.rest2_url() + path, body.is_null() ? "" : body.dump(),
             body.is_null() ? "" : "application/json", cookie_);
    std::cerr << method << " " << path << " -> " << r.status << " in "
              << absl::FormatDuration(r.took) << "\n";
    return r;
  }

 private:
  const RequestTrackerServer& rt_;
  std::string cookie_;
};

std::vector<std::string> CustomFieldValues(const nlohmann::json& ticket,
                                           const std::string& name) {
  for (const nlohmann::json& cf :
       ticket.value("CustomFields", nlohmann::json::array())) {
    if (cf.value("name", "") == name) {
      return cf.value("values", std::vector<std::string>());
    }
  }
  return {"<no custom field " + name + ">"};
}

int64_t AsInt(const nlohmann::json& v) {
  if (v.is_number_integer()) return v.get<int64_t>();
  int64_t n = -1;
  if (v.is_string() && absl::SimpleAtoi(v.get<std::string>(), &n)) return n;
  return -1;
}

constexpr char kPokeToken[] = "test-poke-token";

TEST(RequestTrackerServerTest, TicketCommentCustomFieldsAndPokes) {
  // Stands in for the CSE adapter's poke ingress.
  FakeHttpServer adapter;
  adapter.Handle("POST", "/rt-poke", [](const FakeHttpServer::Request&) {
    FakeHttpServer::Response response;
    response.status = 204;
    return response;
  });
  ASSERT_TRUE(adapter.Start().ok());

  RequestTrackerServer::Options options;
  options.poke_url = adapter.base_url() + "/rt-poke";
  options.poke_token = kPokeToken;
  absl::StatusOr<std::unique_ptr<RequestTrackerServer>> started =
      RequestTrackerServer::Start(options);
  ASSERT_TRUE(started.ok()) << started.status();
  RequestTrackerServer& rt = **started;
  std::cerr << "Request Tracker up at " << rt.base_url() << " in "
            << absl::FormatDuration(rt.start_time()) << "\n";
  EXPECT_EQ(rt.base_url(), absl::StrCat("http://127.0.0.1:", rt.port()));
  EXPECT_EQ(rt.rest2_url(), rt.base_url() + "/REST/2.0");

  // A wrong password still gets a cookie, but an anonymous session: REST2
  // answers it with 302 "Login required" (not 401).
  Rest2 rest2(rt);
  HttpResponse refused = rest2.LogIn("wrong-password");
  EXPECT_EQ(refused.status, 200);
  EXPECT_THAT(refused.body,
              ::testing::HasSubstr("Your username or password is incorrect"));
  EXPECT_FALSE(rest2.cookie().empty());
  HttpResponse anonymous = rest2.Call("GET", "/rt");
  EXPECT_EQ(anonymous.status, 302) << anonymous.body;
  EXPECT_THAT(anonymous.body, ::testing::HasSubstr("Login required"));

  HttpResponse login = rest2.LogIn(rt.password());
  EXPECT_EQ(login.status, 302) << login.body;
  ASSERT_FALSE(rest2.cookie().empty()) << rt.ServerLogTail();
  HttpResponse info = rest2.Call("GET", "/rt");
  ASSERT_EQ(info.status, 200) << info.body << rt.ServerLogTail();
  EXPECT_THAT(info.Json().value("Version", ""), ::testing::StartsWith("5."));

  // Create.
  HttpResponse created = rest2.Call(
      "POST", "/ticket",
      {{"Queue", "General"},
       {"Subject", "Cannot log in after the password reset"},
       {"Content", "Hi, since the reset I get \"invalid credentials\"."},
       {"ContentType", "text/plain"},
       {"Requestor", "alice@example.com"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const int64_t ticket = AsInt(created.Json()["id"]);
  ASSERT_GT(ticket, 0) << created.body;
  const std::string ticket_path = absl::StrCat("/ticket/", ticket);

  // Internal comment.
  HttpResponse comment =
      rest2.Call("POST", ticket_path + "/comment",
                 {{"Subject", "internal note"},
                  {"Content", "Account locked after 5 failures; unlocked."},
                  {"ContentType", "text/plain"}});
  ASSERT_EQ(comment.status, 201) << comment.body;
  EXPECT_EQ(comment.Json(), nlohmann::json::array({"Comments added"}));

  // Both custom fields: one value, and a list for the multi-value one.
  HttpResponse set = rest2.Call("PUT", ticket_path,
                                {{"CustomFields",
                                  {{"Journey Phase", "Onboarding"},
                                   {"CSE Tags", {"vip", "renewal-risk"}}}}});
  ASSERT_EQ(set.status, 200) << set.body;
  // RT answers 200 even for refused values; the messages tell.
  EXPECT_THAT(
      set.Json().get<std::vector<std::string>>(),
      UnorderedElementsAre("Journey Phase Onboarding added",
                           "vip added as a value for CSE Tags",
                           "renewal-risk added as a value for CSE Tags"));

  // Read back.
  HttpResponse read = rest2.Call("GET", ticket_path);
  ASSERT_EQ(read.status, 200) << read.body;
  const nlohmann::json got = read.Json();
  EXPECT_EQ(AsInt(got["id"]), ticket);
  EXPECT_EQ(got.value("Subject", ""), "Cannot log in after the password reset");
  EXPECT_THAT(CustomFieldValues(got, "Journey Phase"),
              ElementsAre("Onboarding"));
  EXPECT_THAT(CustomFieldValues(got, "CSE Tags"),
              UnorderedElementsAre("vip", "renewal-risk"));

  // History: what the adapter polls.
  HttpResponse history = rest2.Call(
      "GET", ticket_path + "/history?fields=Type,Field,NewValue&per_page=50");
  ASSERT_EQ(history.status, 200) << history.body;
  std::map<int64_t, std::string> type_of_txn;
  const nlohmann::json history_json = history.Json();
  for (const nlohmann::json& item : history_json["items"]) {
    type_of_txn[AsInt(item["id"])] = item.value("Type", "");
  }

  // The scrip POSTs inside the request that made the change, so every poke
  // is in by now.
  std::vector<std::string> events;
  std::set<int64_t> poked_txns;
  for (const FakeHttpServer::Request& poke :
       adapter.RequestsTo("POST", "/rt-poke")) {
    const nlohmann::json body =
        nlohmann::json::parse(poke.body, nullptr, /*allow_exceptions=*/false);
    ASSERT_TRUE(body.is_object()) << poke.body;
    EXPECT_EQ(poke.Header("Content-Type"), "application/json");
    EXPECT_EQ(poke.Header("X-CSE-Poke-Token"), kPokeToken);
    if (AsInt(body["ticket_id"]) != ticket) continue;
    const int64_t txn = AsInt(body["transaction_id"]);
    const std::string event = body.value("event", "");
    events.push_back(event);
    EXPECT_TRUE(poked_txns.insert(txn).second) << "poked twice: " << poke.body;
    // Each poke names a real transaction of the ticket, of that type.
    EXPECT_EQ(type_of_txn[txn], event) << poke.body << "\n" << history.body;
  }
  EXPECT_THAT(events, IsSupersetOf({"Create", "Comment", "CustomField"}));
  EXPECT_EQ(std::count(events.begin(), events.end(), "CustomField"), 3)
      << "one CustomField transaction per value added";

  // A receiver that does not answer holds a change for at most the
  // scrip's 2 s timeout, and RT still accepts the change.
  adapter.Handle("POST", "/rt-poke", [](const FakeHttpServer::Request&) {
    FakeHttpServer::Response response;
    response.status = 204;
    response.delay = absl::Seconds(5);
    return response;
  });
  HttpResponse slow = rest2.Call(
      "POST", ticket_path + "/comment",
      {{"Content", "while the receiver hangs"}, {"ContentType", "text/plain"}});
  EXPECT_EQ(slow.status, 201) << slow.body;
  EXPECT_GE(slow.took, absl::Seconds(1.9));
  EXPECT_LT(slow.took, absl::Seconds(4));
  EXPECT_THAT(
      rt.ServerLogTail(20000),
      ::testing::HasSubstr(absl::StrCat("CSE poke: Comment ticket #", ticket)));
}

}  // namespace
}  // namespace cse::testing
