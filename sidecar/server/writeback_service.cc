#include "sidecar/server/writeback_service.h"

#include "sidecar/api/writeback_conversion.h"
#include "sidecar/server/grpc_status.h"
#include "sidecar/server/logging.h"
#include "sidecar/server/store_status.h"

namespace cse::server {

WritebackServiceImpl::WritebackServiceImpl(store::WritebackOutbox* outbox)
    : outbox_(outbox), log_(GetLogger(kServerLogger)) {}

grpc::ServerUnaryReactor* WritebackServiceImpl::LeaseWritebacks(
    grpc::CallbackServerContext* context,
    const cse::v1::LeaseWritebacksRequest* request,
    cse::v1::LeaseWritebacksResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(HandleLeaseWritebacks(*request, response)));
  return reactor;
}

grpc::ServerUnaryReactor* WritebackServiceImpl::AckWriteback(
    grpc::CallbackServerContext* context,
    const cse::v1::AckWritebackRequest* request,
    cse::v1::AckWritebackResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(HandleAckWriteback(*request, response)));
  return reactor;
}

absl::Status WritebackServiceImpl::HandleLeaseWritebacks(
    const cse::v1::LeaseWritebacksRequest& request,
    cse::v1::LeaseWritebacksResponse* response) {
  auto lease = api::LeaseRequestFromProto(request);
  if (!lease.ok()) return lease.status();
  auto jobs = outbox_->LeaseWritebacks(*lease);
  if (!jobs.ok()) return StoreError("lease", jobs.status());
  for (const store::WritebackJob& job : *jobs) {
    api::ToProto(job, api::JobSecret::kWithLeaseToken, response->add_jobs());
  }
  SPDLOG_LOGGER_DEBUG(log_, "lease: {} jobs to {}", jobs->size(),
                      lease->lessee_id);
  return absl::OkStatus();
}

absl::Status WritebackServiceImpl::HandleAckWriteback(
    const cse::v1::AckWritebackRequest& request,
    cse::v1::AckWritebackResponse* response) {
  auto ack = api::AckRequestFromProto(request);
  if (!ack.ok()) return ack.status();
  auto job = outbox_->AckWriteback(*ack);
  if (!job.ok()) return StoreError("ack", job.status());
  api::ToProto(*job, api::JobSecret::kWithoutLeaseToken,
               response->mutable_job());
  if (job->state == store::WritebackState::kDeadLetter) {
    // Worth an operator's attention; the CRM's answer is in the job.
    log_->warn("writeback job {} ({}) dead-lettered: {}", job->id,
               job->idempotency_key, job->dead_letter_reason);
  }
  return absl::OkStatus();
}

}  // namespace cse::server
