// WritebackWorker: leases one CRM's jobs from the sidecar's outbox,
// performs them through the adapter and acknowledges each.
//
// Delivery is at least once (a crash between perform and ack re-leases the
// job after its lease expires); the adapters' writes are idempotent (tag
// union, note marker, overwrite), so the CRM sees each effect once.
#ifndef CSE_ADAPTERS_RUNTIME_WRITEBACK_WORKER_H_
#define CSE_ADAPTERS_RUNTIME_WRITEBACK_WORKER_H_

#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "adapters/crm_adapter.h"
#include "adapters/runtime/sidecar_client.h"

namespace cse::adapters {

class WritebackWorker {
 public:
  struct Options {
    std::string lessee_id;
    uint32_t max_jobs = 20;
    absl::Duration lease = absl::Seconds(60);
    // Pause when nothing was due, and after a failed lease call.
    absl::Duration idle_poll = absl::Milliseconds(500);
  };

  WritebackWorker(CrmAdapter* adapter, SidecarClient* sidecar, Options options);
  ~WritebackWorker();

  // One lease-perform-ack round. Returns how many jobs were leased.
  absl::StatusOr<int> RunOnce();

  // Runs rounds on a thread until Stop().
  void Start();
  void Stop();

 private:
  CrmAdapter* adapter_;
  SidecarClient* sidecar_;
  Options options_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace cse::adapters

#endif  // CSE_ADAPTERS_RUNTIME_WRITEBACK_WORKER_H_
