#include "sidecar/mapping/active_mapping.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace cse::mapping {

absl::StatusOr<std::shared_ptr<const MappingSnapshot>> ActiveMapping::Apply(
    cse::config::v1::MappingConfig config, std::string version,
    std::string content_hash, MappingOrigin origin, std::string origin_detail,
    absl::string_view expected_version) {
  absl::MutexLock lock(&mu_);
  std::shared_ptr<const MappingSnapshot> current = Current();
  if (!expected_version.empty()) {
    const absl::string_view have =
        current ? absl::string_view(current->info.version) : "";
    if (have != expected_version) {
      return absl::AbortedError(absl::StrCat("expected active version \"",
                                             expected_version,
                                             "\" but it is \"", have, "\""));
    }
  }
  if (current && current->info.version == version) return current;

  // Compile outside the swap: a failure leaves the current mapping alone.
  auto compiled = engine::CompiledMapping::Compile(config, version);
  if (!compiled.ok()) return compiled.status();

  auto snapshot = std::make_shared<MappingSnapshot>();
  snapshot->config = std::move(config);
  snapshot->compiled = *std::move(compiled);
  snapshot->info.version = std::move(version);
  snapshot->info.label = snapshot->config.version();
  snapshot->info.content_hash = std::move(content_hash);
  snapshot->info.origin = origin;
  snapshot->info.origin_detail = std::move(origin_detail);
  snapshot->info.applied_at = absl::Now();

  history_.insert(history_.begin(), snapshot->info);
  if (history_.size() > kHistoryLimit) history_.resize(kHistoryLimit);
  std::shared_ptr<const MappingSnapshot> published = std::move(snapshot);
  current_.store(published, std::memory_order_release);
  return published;
}

std::vector<MappingVersionInfo> ActiveMapping::History() const {
  absl::MutexLock lock(&mu_);
  return history_;
}

}  // namespace cse::mapping
