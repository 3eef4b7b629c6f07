// Assesses in this process with a compiled mapping: the same checks and
// the same answer as JourneyService.Assess, without a journey store (the
// account's last phase comes only from assume_last_phase_id).
//
// Example:
//   LocalAssessor assessor(compiled);
//   absl::StatusOr<cse::v1::AssessResponse> r = assessor.Assess(request);
#ifndef CSE_SIDECAR_CLI_LOCAL_ASSESSOR_H_
#define CSE_SIDECAR_CLI_LOCAL_ASSESSOR_H_

#include <memory>
#include <utility>

#include "sidecar/cli/assessor.h"
#include "sidecar/engine/compiled_mapping.h"

namespace cse::cli {

class LocalAssessor : public Assessor {
 public:
  explicit LocalAssessor(std::shared_ptr<const engine::CompiledMapping> mapping)
      : mapping_(std::move(mapping)) {}

  absl::StatusOr<cse::v1::AssessResponse> Assess(
      const cse::v1::AssessRequest& request) override;

  const engine::CompiledMapping& mapping() const { return *mapping_; }

 private:
  std::shared_ptr<const engine::CompiledMapping> mapping_;
};

}  // namespace cse::cli

#endif  // CSE_SIDECAR_CLI_LOCAL_ASSESSOR_H_
