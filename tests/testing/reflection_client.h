// A minimal gRPC server-reflection client for the tests: lists the services
// a server exposes, through the real v1alpha method.
#ifndef CSE_TESTS_TESTING_REFLECTION_CLIENT_H_
#define CSE_TESTS_TESTING_REFLECTION_CLIENT_H_

#include <grpcpp/channel.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace cse::testing {

inline constexpr char kReflectionMethod[] =
    "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

// Sends one list_services request and returns the full service names.
absl::StatusOr<std::vector<std::string>> ListServices(
    std::shared_ptr<grpc::Channel> channel, absl::Duration timeout);

}  // namespace cse::testing

#endif  // CSE_TESTS_TESTING_REFLECTION_CLIENT_H_
