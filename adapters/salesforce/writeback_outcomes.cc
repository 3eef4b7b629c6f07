// Small helpers shared by the writebacks (writebacks.h).
#include <string>
#include <utility>

#include "adapters/salesforce/writebacks.h"

namespace cse::adapters::salesforce {

absl::string_view SObjectName(SObjectKind kind) {
  return kind == SObjectKind::kCase ? "Case" : "Event";
}

WritebackOutcome Done(std::string crm_answer) {
  WritebackOutcome outcome;
  outcome.result = cse::v1::WRITEBACK_RESULT_DONE;
  outcome.crm_answer = std::move(crm_answer);
  return outcome;
}

WritebackOutcome Permanent(std::string crm_answer) {
  WritebackOutcome outcome;
  outcome.result = cse::v1::WRITEBACK_RESULT_FAILED_PERMANENT;
  outcome.crm_answer = std::move(crm_answer);
  return outcome;
}

}  // namespace cse::adapters::salesforce
