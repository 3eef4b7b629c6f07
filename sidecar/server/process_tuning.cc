#include "sidecar/server/process_tuning.h"

#include "absl/synchronization/mutex.h"

namespace cse::server {

void TuneProcessForServing() {
#ifdef NDEBUG
  // Debian builds Abseil with deadlock detection on, so every absl::Mutex
  // lock (gRPC's core takes several per call) updates a global lock graph
  // (GraphCycles) under a global lock: ~2% of the sidecar's CPU under
  // load, for a check that only ever reports bugs. Debug builds, the
  // tests and every other binary keep Abseil's default and so still catch
  // lock-order inversions.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
#endif
  // No mallopt() tuning: with the request and response on arenas
  // (journey_service.h), M_MXFAST=0 and raised M_TRIM_THRESHOLD /
  // M_MMAP_THRESHOLD / M_TOP_PAD each measured within the noise (+-5% of
  // server CPU per call) against the default, so glibc keeps its defaults.
}

}  // namespace cse::server
