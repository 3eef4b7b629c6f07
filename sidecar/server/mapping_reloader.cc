#include "sidecar/server/mapping_reloader.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "sidecar/config/mapping_loader.h"
#include "sidecar/server/admin_service.h"
#include "sidecar/server/logging.h"

namespace cse::server {

MappingReloader::MappingReloader(mapping::ActiveMapping* active,
                                 std::string path, absl::Duration poll_interval)
    : active_(active),
      path_(std::move(path)),
      poll_interval_(poll_interval),
      log_(GetLogger(kMappingLogger)) {}

MappingReloader::~MappingReloader() { Stop(); }

MappingReloader::Fingerprint MappingReloader::Stat() const {
  Fingerprint f;
  struct stat st;
  if (::stat(path_.c_str(), &st) != 0) return f;
  f.exists = true;
  f.device = st.st_dev;
  f.inode = st.st_ino;
  f.size = st.st_size;
  f.mtime_ns = int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec;
  f.ctime_ns = int64_t{st.st_ctim.tv_sec} * 1000000000 + st.st_ctim.tv_nsec;
  return f;
}

absl::Status MappingReloader::Load(std::vector<config::ConfigError>* errors) {
  absl::MutexLock lock(&mu_);
  return LoadLocked(errors).status();
}

absl::Status MappingReloader::ReloadNow() {
  absl::MutexLock lock(&mu_);
  return ReloadLocked();
}

absl::StatusOr<std::shared_ptr<const mapping::MappingSnapshot>>
MappingReloader::LoadLocked(std::vector<config::ConfigError>* errors) {
  // Fingerprint before reading: if the file changes while we read it, the
  // next poll sees a difference and reads it again.
  seen_ = Stat();
  auto loaded = config::LoadMappingFile(path_, errors);
  if (!loaded.ok()) return loaded.status();
  auto applied = active_->Apply(std::move(loaded->config), loaded->version,
                                std::move(loaded->content_hash),
                                mapping::MappingOrigin::kFile, path_, "");
  if (!applied.ok()) {
    // The validator passed it but the engine could not compile it.
    if (errors != nullptr) {
      config::ConfigError e;
      e.location = path_;
      e.message = std::string(applied.status().message());
      errors->push_back(std::move(e));
    }
    return applied.status();
  }
  return applied;
}

absl::Status MappingReloader::ReloadLocked() {
  std::vector<config::ConfigError> errors;
  auto applied = LoadLocked(&errors);
  if (!applied.ok()) {
    const absl::Status& status = applied.status();
    std::shared_ptr<const mapping::MappingSnapshot> current =
        active_->Current();
    for (const config::ConfigError& e : errors) {
      log_->error("{}", e.ToString());
    }
    log_->error("mapping file {} not applied: {}; keeping version {}", path_,
                status.message(),
                current ? current->info.version : std::string("(none)"));
    return status;
  }
  log_->info("applied mapping version {} (origin {}, {})",
             (*applied)->info.version, OriginName((*applied)->info.origin),
             path_);
  return absl::OkStatus();
}

void MappingReloader::Start() {
  if (poller_.joinable()) return;
  stop_ = std::make_unique<absl::Notification>();
  poller_ = std::thread([this] { Poll(); });
}

void MappingReloader::Stop() {
  if (!poller_.joinable()) return;
  stop_->Notify();
  poller_.join();
}

void MappingReloader::Poll() {
  while (!stop_->WaitForNotificationWithTimeout(poll_interval_)) {
    const Fingerprint now = Stat();
    absl::MutexLock lock(&mu_);
    if (now == seen_) continue;
    if (!now.exists) {
      // Mid-swap, or deleted: keep the mapping and wait for a file.
      if (seen_.exists) {
        log_->warn("mapping file {} is gone; keeping the active mapping",
                   path_);
      }
      seen_ = now;
      continue;
    }
    ReloadLocked().IgnoreError();  // logged inside
  }
}

}  // namespace cse::server
