// PollLoop: drives an adapter's EventPoller and keeps its cursor durable.
//
// Each round: PollAfter(cursor) -> ingest every event into the sidecar ->
// only then save the new cursor (write to a temporary file, fsync, rename),
// so a crash at any point re-polls from the last saved cursor and the
// sidecar's exactly-once ingest drops what it already had: nothing is lost
// and nothing is doubled. Rounds run every `interval`, at once when the
// CRM pokes (RequestPoll), and back to back while the poller says more is
// waiting.
#ifndef CSE_ADAPTERS_RUNTIME_POLL_LOOP_H_
#define CSE_ADAPTERS_RUNTIME_POLL_LOOP_H_

#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "adapters/crm_adapter.h"
#include "adapters/runtime/sidecar_client.h"

namespace cse::adapters {

// The cursor file of one CRM instance: <state_dir>/<name>.cursor.
class CursorFile {
 public:
  explicit CursorFile(std::string path) : path_(std::move(path)) {}
  // "" when the file does not exist yet.
  absl::StatusOr<std::string> Load() const;
  // Atomic and durable: temp file, fsync, rename, fsync of the directory.
  absl::Status Save(absl::string_view cursor) const;

 private:
  std::string path_;
};

class PollLoop {
 public:
  PollLoop(CrmAdapter* adapter, SidecarClient* sidecar, CursorFile cursor,
           absl::Duration interval);
  ~PollLoop();

  // One round (and its follow-ups while `more`). Returns the number of
  // events ingested.
  absl::StatusOr<int> RunOnce();

  void Start();
  void Stop();
  // Asks for a round now (a CRM's poke); coalesces.
  void RequestPoll();

 private:
  CrmAdapter* adapter_;
  SidecarClient* sidecar_;
  CursorFile cursor_file_;
  absl::Duration interval_;
  absl::Mutex mu_;
  bool poll_requested_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace cse::adapters

#endif  // CSE_ADAPTERS_RUNTIME_POLL_LOOP_H_
