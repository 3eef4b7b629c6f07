// Keeps the active mapping in step with the --config file.
//
// The reloader loads the file again when asked (ReloadNow(), which main()
// calls on SIGHUP) and when a poller sees the file change. The poller
// compares the file's inode, device, size and modification time every
// `poll_interval`: stat() follows symlinks, so a Kubernetes ConfigMap update
// (which swaps a `..data` symlink to a new directory) shows up as a new
// inode even when size and mtime happen to match. A file that fails to load
// or compile leaves the running mapping in place; each problem is logged at
// error level on the "mapping" logger, once per change of the file.
//
// Example:
//   MappingReloader reloader(&active, "/etc/cse/mapping.yaml");
//   reloader.Start();       // poll in a background thread
//   ...
//   reloader.ReloadNow();   // SIGHUP
//   reloader.Stop();        // or let the destructor do it
#ifndef CSE_SIDECAR_SERVER_MAPPING_RELOADER_H_
#define CSE_SIDECAR_SERVER_MAPPING_RELOADER_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "sidecar/config/mapping_loader.h"
#include "sidecar/mapping/active_mapping.h"
#include "spdlog/logger.h"

namespace cse::server {

class MappingReloader {
 public:
  static constexpr absl::Duration kDefaultPollInterval =
      absl::Milliseconds(500);

  // `active` must outlive the reloader.
  MappingReloader(mapping::ActiveMapping* active, std::string path,
                  absl::Duration poll_interval = kDefaultPollInterval);
  ~MappingReloader();

  MappingReloader(const MappingReloader&) = delete;
  MappingReloader& operator=(const MappingReloader&) = delete;

  // Loads the file and applies it (origin kFile). On failure the active
  // mapping stays, the status sums the failure up and `errors` (if not null)
  // lists each problem; nothing is logged, so main() can print the problems
  // of the first load itself. Thread-safe; loads are serialised.
  absl::Status Load(std::vector<config::ConfigError>* errors);

  // Load(), logging the outcome: each problem at error level, success at
  // info. For SIGHUP and the poller.
  absl::Status ReloadNow();

  // Starts polling the file in a background thread. A change since the last
  // Load()/ReloadNow() is picked up by the first poll; without one, the first
  // poll loads the file.
  void Start();

  // Stops the poller and waits for it. Idempotent.
  void Stop();

  const std::string& path() const { return path_; }

 private:
  // What identifies one version of the file on disk.
  struct Fingerprint {
    bool exists = false;
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    int64_t mtime_ns = 0;
    int64_t ctime_ns = 0;
    bool operator==(const Fingerprint&) const = default;
  };
  Fingerprint Stat() const;
  absl::StatusOr<std::shared_ptr<const mapping::MappingSnapshot>> LoadLocked(
      std::vector<config::ConfigError>* errors)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status ReloadLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Poll();

  mapping::ActiveMapping* const active_;
  const std::string path_;
  const absl::Duration poll_interval_;
  const std::shared_ptr<spdlog::logger> log_;

  absl::Mutex mu_;  // serialises reloads
  Fingerprint seen_ ABSL_GUARDED_BY(mu_);

  std::unique_ptr<absl::Notification> stop_;
  std::thread poller_;
};

}  // namespace cse::server

#endif  // CSE_SIDECAR_SERVER_MAPPING_RELOADER_H_
