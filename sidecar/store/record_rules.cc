#include "sidecar/store/record_rules.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace cse::store {

int64_t ClampSequence(uint64_t sequence) {
  constexpr uint64_t kMax = std::numeric_limits<int64_t>::max();
  return static_cast<int64_t>(std::min(sequence, kMax));
}

absl::Status CheckOutcome(const OutcomeRecord& o) {
  if (o.account_id.empty()) {
    return absl::InvalidArgumentError("account_id: required");
  }
  if (o.practice_id.empty()) {
    return absl::InvalidArgumentError("practice_id: required");
  }
  if (o.source.empty() != o.event_id.empty()) {
    return absl::InvalidArgumentError(
        "source, event_id: set both (a followed suggestion) or neither");
  }
  if (o.reaction == CustomerReaction::kUnspecified) {
    return absl::InvalidArgumentError("reaction: required");
  }
  return absl::OkStatus();
}

std::optional<SuggestedMode> FindSuggestedMode(
    const std::vector<SuggestionRecord>& suggestions,
    absl::string_view practice_id) {
  for (const SuggestionRecord& s : suggestions) {
    if (s.practice_id == practice_id) {
      return SuggestedMode{s.organization, s.engagement};
    }
  }
  return std::nullopt;
}

absl::Status FillSuggestedMode(const std::optional<SuggestedMode>& suggested,
                               OutcomeRecord* o) {
  if (suggested.has_value()) {
    if (o->organization == Organization::kUnspecified) {
      o->organization = suggested->organization;
    }
    if (o->engagement == Engagement::kUnspecified) {
      o->engagement = suggested->engagement;
    }
  }
  const bool organization = o->organization == Organization::kUnspecified;
  const bool engagement = o->engagement == Engagement::kUnspecified;
  if (!organization && !engagement) return absl::OkStatus();
  // Say why there was nothing to take it from.
  const std::string why =
      o->source.empty() ? absl::StrCat("no followed suggestion of ",
                                       o->practice_id, " to take it from")
                        : absl::StrCat("event (", o->source, ", ", o->event_id,
                                       ") did not suggest ", o->practice_id);
  return absl::InvalidArgumentError(absl::StrCat(
      organization ? "organization" : "engagement", ": required (", why, ")"));
}

std::string NewOutcomeId() {
  thread_local absl::BitGen gen;
  return absl::StrFormat("out-%016x%016x", absl::Uniform<uint64_t>(gen),
                         absl::Uniform<uint64_t>(gen));
}

std::string DefaultCriticalEventType(
    const std::vector<CriticalEventRecord>& events) {
  for (const CriticalEventRecord& e : events) {
    if (e.polarity == Polarity::kNegative) return e.type;
  }
  return events.empty() ? std::string() : events.front().type;
}

std::vector<std::string> ByFrequency(const std::vector<std::string>& values) {
  absl::flat_hash_map<std::string, int> counts;
  for (const std::string& v : values) ++counts[v];
  std::vector<std::pair<std::string, int>> sorted(counts.begin(), counts.end());
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  std::vector<std::string> out;
  out.reserve(sorted.size());
  for (auto& [v, n] : sorted) out.push_back(std::move(v));
  return out;
}

}  // namespace cse::store
