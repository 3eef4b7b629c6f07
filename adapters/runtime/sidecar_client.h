// SidecarClient: the adapter process's only way into the sidecar.
//
// Adapters reach the sidecar through the public gRPC API alone (the
// layering rule): ingest canonical events, record outcomes, lease and
// acknowledge writeback jobs. Errors come back as absl::Status with the
// sidecar's gRPC code, so the ingress can tell the CRM "retry later"
// (UNAVAILABLE) from "this delivery is wrong" (INVALID_ARGUMENT).
#ifndef CSE_ADAPTERS_RUNTIME_SIDECAR_CLIENT_H_
#define CSE_ADAPTERS_RUNTIME_SIDECAR_CLIENT_H_

#include <grpcpp/channel.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "adapters/crm_adapter.h"
#include "cse/v1/journey_service.grpc.pb.h"
#include "cse/v1/writeback_service.grpc.pb.h"

namespace cse::adapters {

class SidecarClient {
 public:
  // What an Ingest call did.
  struct IngestSummary {
    int recorded = 0;    // new events, now durable
    int duplicates = 0;  // already stored (a CRM redelivery)
    int outcomes = 0;    // outcomes recorded (or already recorded)
    // Outcomes the sidecar refused as wrong (INVALID_ARGUMENT, NOT_FOUND,
    // FAILED_PRECONDITION: e.g. no mode and nothing suggested to take it
    // from), one line each. They do not fail the delivery: an agent's
    // mistake must not make the CRM redeliver, or the poll stall, forever.
    std::vector<std::string> rejected_outcomes;
  };

  SidecarClient(const std::shared_ptr<grpc::Channel>& channel,
                absl::Duration deadline);

  // Ingests every ticket, meeting and outcome of `events`, in order, each
  // in its own call. Returns OK only when every one is durable in the
  // sidecar (recorded or a duplicate); the first failure stops the batch
  // and is returned (the CRM's redelivery, or the next poll, resends the
  // whole batch and the duplicates are dropped by the sidecar).
  absl::StatusOr<IngestSummary> Ingest(const CanonicalEvents& events);

  // Logs at warning what an admin should see of one ingested delivery or
  // poll: the adapter's warnings and the sidecar's refused outcomes.
  static void LogRejections(absl::string_view crm,
                            const CanonicalEvents& events,
                            const IngestSummary& summary);

  absl::StatusOr<std::vector<cse::v1::WritebackJob>> Lease(
      const std::string& lessee_id, uint32_t max_jobs,
      absl::Duration lease_duration, const std::string& target_system);

  // Reports `outcome` for a leased job. FAILED_PRECONDITION means the
  // lease was lost (expired and re-leased): the ack must not be retried.
  absl::StatusOr<cse::v1::WritebackJob> Ack(const cse::v1::WritebackJob& job,
                                            const WritebackOutcome& outcome);

 private:
  absl::Duration deadline_;
  std::unique_ptr<cse::v1::JourneyService::Stub> journey_;
  std::unique_ptr<cse::v1::WritebackService::Stub> writeback_;
};

}  // namespace cse::adapters

#endif  // CSE_ADAPTERS_RUNTIME_SIDECAR_CLIENT_H_
