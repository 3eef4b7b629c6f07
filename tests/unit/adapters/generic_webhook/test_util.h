// Helpers shared by the generic webhook adapter tests.
#ifndef CSE_TESTS_UNIT_ADAPTERS_GENERIC_WEBHOOK_TEST_UTIL_H_
#define CSE_TESTS_UNIT_ADAPTERS_GENERIC_WEBHOOK_TEST_UTIL_H_

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "adapters/common/secret_reader.h"
#include "adapters/crm_adapter_factory.h"
#include "cse/adapters/v1/generic_webhook.pb.h"
#include "gtest/gtest.h"
#include "sidecar/config/config_error.h"
#include "sidecar/config/proto_yaml.h"
#include "tests/testing/http/fake_http_server.h"

namespace cse::adapters::generic_webhook::testing {

// Secrets by environment variable name, without touching the environment.
class FakeSecretReader : public SecretReader {
 public:
  void Set(const std::string& env, const std::string& value) {
    values_[env] = value;
  }
  absl::StatusOr<std::string> Read(
      const cse::adapters::v1::Secret& secret,
      absl::string_view field_path) const override {
    auto it = values_.find(secret.env());
    if (it == values_.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field_path, ".env: environment variable ", secret.env(),
                       " is not set"));
    }
    return it->second;
  }

 private:
  absl::flat_hash_map<std::string, std::string> values_;
};

// Parses YAML into `message`, failing the test on a parse error.
template <typename Message>
Message ParseYaml(const std::string& yaml) {
  Message message;
  config::ProtoYamlParse parsed =
      config::ParseYamlIntoMessage(yaml, "test.yaml", 1 << 20, &message);
  EXPECT_TRUE(parsed.errors.empty())
      << config::FormatConfigErrors(parsed.errors);
  return message;
}

// The errors' ToString(), one per element.
inline std::vector<std::string> ErrorStrings(
    const std::vector<config::ConfigError>& errors) {
  std::vector<std::string> out;
  for (const config::ConfigError& e : errors) out.push_back(e.ToString());
  return out;
}

// A fake CRM answer.
inline cse::testing::FakeHttpServer::Response Answer(int status,
                                                     std::string body) {
  cse::testing::FakeHttpServer::Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

// The test data directory (set by CMake).
inline std::string TestDataPath(const std::string& name) {
  return absl::StrCat(CSE_GENERIC_WEBHOOK_TESTDATA_DIR, "/", name);
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace cse::adapters::generic_webhook::testing

#endif  // CSE_TESTS_UNIT_ADAPTERS_GENERIC_WEBHOOK_TEST_UTIL_H_
