#include "adapters/runtime/writeback_worker.h"

#include "sidecar/server/logging.h"

namespace cse::adapters {

WritebackWorker::WritebackWorker(CrmAdapter* adapter, SidecarClient* sidecar,
                                 Options options)
    : adapter_(adapter), sidecar_(sidecar), options_(std::move(options)) {}

WritebackWorker::~WritebackWorker() { Stop(); }

absl::StatusOr<int> WritebackWorker::RunOnce() {
  auto logger = server::GetLogger("writeback");
  const std::string system(adapter_->name());
  absl::StatusOr<std::vector<cse::v1::WritebackJob>> jobs = sidecar_->Lease(
      options_.lessee_id, options_.max_jobs, options_.lease, system);
  if (!jobs.ok()) return jobs.status();
  for (const cse::v1::WritebackJob& job : *jobs) {
    const WritebackOutcome outcome = adapter_->PerformWriteback(job);
    logger->info("{}: job {} ({}) attempt {}: {} - {}", system, job.job_id(),
                 job.idempotency_key(), job.attempts(),
                 cse::v1::WritebackResult_Name(outcome.result),
                 outcome.crm_answer);
    absl::StatusOr<cse::v1::WritebackJob> acked = sidecar_->Ack(job, outcome);
    if (!acked.ok()) {
      // A lost lease (FAILED_PRECONDITION) means another lessee has the
      // job; any other failure leaves the lease to expire and the job to
      // be leased again. Either way the next job goes on.
      logger->warn("{}: ack of job {} failed: {}", system, job.job_id(),
                   acked.status().ToString());
    }
  }
  return static_cast<int>(jobs->size());
}

void WritebackWorker::Start() {
  thread_ = std::thread([this] {
    auto logger = server::GetLogger("writeback");
    while (!stop_.HasBeenNotified()) {
      absl::StatusOr<int> leased = RunOnce();
      if (!leased.ok()) {
        logger->warn("{}: lease failed: {}", adapter_->name(),
                     leased.status().ToString());
      }
      if (!leased.ok() || *leased == 0) {
        stop_.WaitForNotificationWithTimeout(options_.idle_poll);
      }
    }
  });
}

void WritebackWorker::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

}  // namespace cse::adapters
