// ValidateMapping: the semantic checks of a MappingConfig.
//
// Runs on the proto alone, so the YAML file and the admin RPC's proto get
// the same checks. Every finding names a field path in the form the YAML
// parser records (`critical_events[3].patterns[0].pattern`,
// `phase_model.phases[2].practice_priors.P4`); LocateErrors then turns paths
// into "file:line:col" through the parser's SourceMap.
//
// Checked:
//   - a phase model with at least one phase; phase ids lower snake case;
//   - ids present and unique: phases, field rules, critical events,
//     practices, playbooks, anti-patterns, and text patterns across the
//     whole file (phase signals, detector and anti-pattern patterns);
//   - references: phase ids, practice ids, critical event ids;
//   - RE2 patterns compile (RE2's own message is reported);
//   - weights > 0 when set; priors and affinities >= 0; ratios in 0..1;
//   - detectors: polarity set, something to detect with;
//   - conditions: at least one part; FieldMatch field is a known path;
//     exactly one of any_of / pattern;
//   - tagging.prefix [a-z0-9-], at most 20; suggestions.top_n at most 10;
//   - at least one practice.
//
// Example:
//   std::vector<ConfigError> errors = ValidateMapping(config);
//   LocateErrors(&errors, parsed.source_map, "mapping.yaml");
#ifndef CSE_SIDECAR_CONFIG_MAPPING_VALIDATOR_H_
#define CSE_SIDECAR_CONFIG_MAPPING_VALIDATOR_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "cse/config/v1/mapping.pb.h"
#include "sidecar/config/config_error.h"
#include "sidecar/config/source_map.h"

namespace cse::config {

// Longest tagging.prefix.
inline constexpr size_t kMaxTagPrefixLength = 20;
// Largest suggestions.top_n.
inline constexpr uint32_t kMaxTopN = 10;
// Largest suggestions.outcome_learning.prior_strength and max_factor.
inline constexpr double kMaxOutcomePriorStrength = 10000;
inline constexpr double kMaxOutcomeFactor = 100;

// All problems of `config`, in file order of the sections; empty when valid.
// Locations are left empty.
std::vector<ConfigError> ValidateMapping(
    const cse::config::v1::MappingConfig& config);

// Fills the empty locations of `errors` with "file:line:col" from
// `source_map` (the nearest recorded ancestor when the exact path was not
// written, e.g. a missing field), or with `filename` alone when nothing is
// known. Leaves everything alone when `filename` is empty.
void LocateErrors(std::vector<ConfigError>* errors, const SourceMap& source_map,
                  absl::string_view filename);

}  // namespace cse::config

#endif  // CSE_SIDECAR_CONFIG_MAPPING_VALIDATOR_H_
