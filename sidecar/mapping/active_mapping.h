// The mapping the sidecar runs now, and the versions it ran before.
//
// A snapshot (config + compiled matcher + version info) is immutable. An
// apply compiles the candidate first and swaps the pointer only when that
// succeeded, so a broken mapping never replaces a working one; requests that
// took a snapshot before the swap finish on it.
//
// Example:
//   ActiveMapping active;
//   auto applied = active.Apply(std::move(loaded), MappingOrigin::kFile,
//                               "/etc/cse/mapping.yaml", "");
//   std::shared_ptr<const MappingSnapshot> now = active.Current();
#ifndef CSE_SIDECAR_MAPPING_ACTIVE_MAPPING_H_
#define CSE_SIDECAR_MAPPING_ACTIVE_MAPPING_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "cse/config/v1/mapping.pb.h"
#include "sidecar/engine/compiled_mapping.h"

namespace cse::mapping {

enum class MappingOrigin { kBuiltin, kFile, kAdminRpc };

struct MappingVersionInfo {
  std::string version;  // "<label>@<hash12>"
  std::string label;
  std::string content_hash;
  MappingOrigin origin = MappingOrigin::kBuiltin;
  std::string origin_detail;
  absl::Time applied_at;
};

struct MappingSnapshot {
  cse::config::v1::MappingConfig config;
  std::shared_ptr<const engine::CompiledMapping> compiled;
  MappingVersionInfo info;
};

class ActiveMapping {
 public:
  // How many past versions History() keeps.
  static constexpr size_t kHistoryLimit = 50;

  ActiveMapping() = default;
  ActiveMapping(const ActiveMapping&) = delete;
  ActiveMapping& operator=(const ActiveMapping&) = delete;

  // The current snapshot; null before the first Apply.
  std::shared_ptr<const MappingSnapshot> Current() const {
    return current_.load(std::memory_order_acquire);
  }

  // Compiles `config` and makes it current. `expected_version`, when not
  // empty, must equal the current version (else ABORTED): optimistic
  // concurrency for admins. Applying the version that is already current is
  // a no-op that returns the current snapshot.
  absl::StatusOr<std::shared_ptr<const MappingSnapshot>> Apply(
      cse::config::v1::MappingConfig config, std::string version,
      std::string content_hash, MappingOrigin origin, std::string origin_detail,
      absl::string_view expected_version);

  // Newest first; the first entry is the current one.
  std::vector<MappingVersionInfo> History() const;

 private:
  std::atomic<std::shared_ptr<const MappingSnapshot>> current_;
  mutable absl::Mutex mu_;  // serialises Apply and guards history_
  std::vector<MappingVersionInfo> history_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cse::mapping

#endif  // CSE_SIDECAR_MAPPING_ACTIVE_MAPPING_H_
