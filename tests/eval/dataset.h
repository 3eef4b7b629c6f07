// The labelled evaluation set: JSON Lines, one event per line.
//
//   {"id": "t001", "split": "tune" | "holdout", "style": "polite_email",
//    "event": {"ticket": {TicketEvent JSON}} | {"meeting": {...}},
//    "expected": {"phase": "...", "critical_events": [ids],
//                 "practices": [ids, best first]}}
//
// Blank lines are skipped; anything else that is not such an object is an
// error located at file:line.
#ifndef CSE_TESTS_EVAL_DATASET_H_
#define CSE_TESTS_EVAL_DATASET_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cse/v1/journey_service.pb.h"

namespace cse::eval {

struct Expected {
  std::string phase;
  std::vector<std::string> critical_events;
  std::vector<std::string> practices;  // best first
};

struct DatasetItem {
  std::string id;
  std::string split;  // "tune" or "holdout"
  std::string style;
  std::string kind;  // "ticket" or "meeting"
  cse::v1::AssessRequest request;
  Expected expected;
  std::string location;  // "file:line"
};

// Parses one line; `location` ("file:line") prefixes every error.
absl::StatusOr<DatasetItem> ParseDatasetLine(absl::string_view line,
                                             absl::string_view location);

// Reads every file; the first bad line (or a repeated id) is an error
// naming file:line.
absl::StatusOr<std::vector<DatasetItem>> ReadDataset(
    const std::vector<std::string>& files);

}  // namespace cse::eval

#endif  // CSE_TESTS_EVAL_DATASET_H_
