// Small helpers shared by the writebacks (writebacks.h).
#include <string>
#include <utility>

#include "adapters/salesforce/writebacks.h"

namespace cse::adapters::salesforce {

absl::string_view SObjectName(SObjectKind kind) {
  return kind == SObjectKind::kCase ? "Case" : "Event";
}

}  // namespace cse::adapters::salesforce
