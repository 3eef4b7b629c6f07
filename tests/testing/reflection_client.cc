#include "tests/testing/reflection_client.h"

#include <grpcpp/client_context.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/impl/codegen/proto_utils.h>
#include <grpcpp/support/client_callback.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "grpc/reflection/v1alpha/reflection.pb.h"

namespace cse::testing {
namespace {

using reflection::v1alpha::ServerReflectionRequest;
using reflection::v1alpha::ServerReflectionResponse;
using Stub = grpc::TemplatedGenericStub<ServerReflectionRequest,
                                        ServerReflectionResponse>;

// What the call hands back; shared so that neither side outlives it.
struct CallResult {
  absl::Mutex mu;
  bool done ABSL_GUARDED_BY(mu) = false;
  grpc::Status status ABSL_GUARDED_BY(mu);
  std::vector<ServerReflectionResponse> responses ABSL_GUARDED_BY(mu);
};

// One request, then read every answer until the server ends the stream.
// Deletes itself when the call is done.
class ListServicesCall final
    : public grpc::ClientBidiReactor<ServerReflectionRequest,
                                     ServerReflectionResponse> {
 public:
  ListServicesCall(Stub* stub, grpc::ClientContext* context,
                   std::shared_ptr<CallResult> result)
      : result_(std::move(result)) {
    request_.set_list_services("*");
    stub->PrepareBidiStreamingCall(context, kReflectionMethod,
                                   grpc::StubOptions(), this);
    StartWriteLast(&request_, grpc::WriteOptions());
    StartRead(&response_);
    StartCall();
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;
    responses_.push_back(response_);
    StartRead(&response_);
  }

  void OnDone(const grpc::Status& status) override {
    {
      absl::MutexLock lock(&result_->mu);
      result_->status = status;
      result_->responses = std::move(responses_);
      result_->done = true;
    }
    delete this;
  }

 private:
  std::shared_ptr<CallResult> result_;
  ServerReflectionRequest request_;
  ServerReflectionResponse response_;
  std::vector<ServerReflectionResponse> responses_;
};

}  // namespace

absl::StatusOr<std::vector<std::string>> ListServices(
    std::shared_ptr<grpc::Channel> channel, absl::Duration timeout) {
  Stub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  auto result = std::make_shared<CallResult>();
  new ListServicesCall(&stub, &context, result);
  grpc::Status status;
  std::vector<ServerReflectionResponse> responses;
  {
    // The context's deadline bounds the wait.
    absl::MutexLock lock(&result->mu);
    result->mu.Await(absl::Condition(&result->done));
    status = result->status;
    responses = std::move(result->responses);
  }
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        status.error_message());
  }
  std::vector<std::string> names;
  for (const ServerReflectionResponse& r : responses) {
    if (r.has_error_response()) {
      return absl::InternalError(
          absl::StrCat("reflection error ", r.error_response().error_code(),
                       ": ", r.error_response().error_message()));
    }
    for (const auto& s : r.list_services_response().service()) {
      names.push_back(s.name());
    }
  }
  return names;
}

}  // namespace cse::testing
