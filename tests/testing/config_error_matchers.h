// Matches a config::ConfigError by its field path and (part of) its
// message: the two things an admin reads in a config error.
#ifndef CSE_TESTS_TESTING_CONFIG_ERROR_MATCHERS_H_
#define CSE_TESTS_TESTING_CONFIG_ERROR_MATCHERS_H_

#include <string>

#include "gmock/gmock.h"
#include "sidecar/config/config_error.h"

namespace cse::testing {

inline auto ErrorAt(const std::string& path, const std::string& message) {
  return ::testing::AllOf(
      ::testing::Field(&config::ConfigError::field_path, path),
      ::testing::Field(&config::ConfigError::message,
                       ::testing::HasSubstr(message)));
}

}  // namespace cse::testing

#endif  // CSE_TESTS_TESTING_CONFIG_ERROR_MATCHERS_H_
