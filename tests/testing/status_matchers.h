// gMock matchers for absl::Status, absl::StatusOr<T> and grpc::Status.
//
// Debian's Abseil (20220623) has no absl_testing::StatusIs, so this is the
// project's one copy. Assert the code and the message, never only !ok().
//
// Example:
//   EXPECT_THAT(LoadThing(), StatusIs(absl::StatusCode::kInvalidArgument,
//                                     HasSubstr("event.event_id")));
//   EXPECT_THAT(stub->Assess(&ctx, req, &resp),
//               GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
//                            HasSubstr("options.top_n")));
//   EXPECT_THAT(status, IsOk());
//   EXPECT_THAT(store.LastKnownPhase("acme"), IsOkAndHolds(Eq("trigger")));
#ifndef CSE_TESTS_TESTING_STATUS_MATCHERS_H_
#define CSE_TESTS_TESTING_STATUS_MATCHERS_H_

#include <grpcpp/support/status.h>

#include <ostream>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"

namespace cse::testing {
namespace internal {

inline const absl::Status& GetStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

class StatusIsMatcher {
 public:
  StatusIsMatcher(absl::StatusCode code,
                  ::testing::Matcher<const std::string&> message)
      : code_(code), message_(std::move(message)) {}

  template <typename T>
  bool MatchAndExplain(const T& value,
                       ::testing::MatchResultListener* listener) const {
    const absl::Status& s = GetStatus(value);
    *listener << "whose status is " << s;
    if (s.code() != code_) return false;
    return message_.MatchAndExplain(std::string(s.message()), listener);
  }

  void DescribeTo(std::ostream* os) const {
    *os << "has code " << absl::StatusCodeToString(code_)
        << " and a message that ";
    message_.DescribeTo(os);
  }
  void DescribeNegationTo(std::ostream* os) const {
    *os << "does not have code " << absl::StatusCodeToString(code_)
        << " or has a message that ";
    message_.DescribeNegationTo(os);
  }

 private:
  absl::StatusCode code_;
  ::testing::Matcher<const std::string&> message_;
};

// grpc::StatusCode names for failure messages.
inline std::string GrpcCodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

class GrpcStatusIsMatcher {
 public:
  GrpcStatusIsMatcher(grpc::StatusCode code,
                      ::testing::Matcher<const std::string&> message)
      : code_(code), message_(std::move(message)) {}

  bool MatchAndExplain(const grpc::Status& s,
                       ::testing::MatchResultListener* listener) const {
    *listener << "whose status is " << GrpcCodeName(s.error_code()) << ": "
              << s.error_message();
    if (s.error_code() != code_) return false;
    return message_.MatchAndExplain(s.error_message(), listener);
  }

  void DescribeTo(std::ostream* os) const {
    *os << "has code " << GrpcCodeName(code_) << " and a message that ";
    message_.DescribeTo(os);
  }
  void DescribeNegationTo(std::ostream* os) const {
    *os << "does not have code " << GrpcCodeName(code_)
        << " or has a message that ";
    message_.DescribeNegationTo(os);
  }

 private:
  grpc::StatusCode code_;
  ::testing::Matcher<const std::string&> message_;
};

}  // namespace internal

// Matches an absl::Status or absl::StatusOr<T> with this code and a message
// matching `message` (anything by default).
inline ::testing::PolymorphicMatcher<internal::StatusIsMatcher> StatusIs(
    absl::StatusCode code,
    ::testing::Matcher<const std::string&> message = ::testing::_) {
  return ::testing::MakePolymorphicMatcher(
      internal::StatusIsMatcher(code, std::move(message)));
}

// Matches an OK absl::Status or absl::StatusOr<T>.
inline ::testing::PolymorphicMatcher<internal::StatusIsMatcher> IsOk() {
  return StatusIs(absl::StatusCode::kOk);
}

// Matches an OK absl::StatusOr<T> whose value matches `value`.
template <typename ValueMatcher>
auto IsOkAndHolds(ValueMatcher value) {
  return ::testing::AllOf(
      IsOk(),
      ::testing::ResultOf(
          "the value",
          [](const auto& status_or) -> decltype(auto) { return *status_or; },
          value));
}

// Matches a grpc::Status with this code and a message matching `message`.
inline ::testing::PolymorphicMatcher<internal::GrpcStatusIsMatcher>
GrpcStatusIs(grpc::StatusCode code,
             ::testing::Matcher<const std::string&> message = ::testing::_) {
  return ::testing::MakePolymorphicMatcher(
      internal::GrpcStatusIsMatcher(code, std::move(message)));
}

// Matches an OK grpc::Status.
inline ::testing::PolymorphicMatcher<internal::GrpcStatusIsMatcher> GrpcIsOk() {
  return GrpcStatusIs(grpc::StatusCode::OK);
}

}  // namespace cse::testing

#endif  // CSE_TESTS_TESTING_STATUS_MATCHERS_H_
