#include "tests/eval/dataset.h"

#include <fstream>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "nlohmann/json.hpp"
#include "sidecar/cli/event_input.h"

namespace cse::eval {
namespace {

absl::Status LineError(absl::string_view location, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(location, ": ", message));
}

absl::Status ReadStringList(const nlohmann::json& parent, const char* key,
                            absl::string_view location,
                            std::vector<std::string>* out) {
  if (!parent.contains(key)) return absl::OkStatus();
  const nlohmann::json& list = parent[key];
  if (!list.is_array()) {
    return LineError(
        location, absl::StrCat("expected.", key, ": expected a list of ids"));
  }
  for (size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_string() || list[i].get<std::string>().empty()) {
      return LineError(location, absl::StrCat("expected.", key, "[", i,
                                              "]: expected a non-empty id"));
    }
    out->push_back(list[i].get<std::string>());
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<DatasetItem> ParseDatasetLine(absl::string_view line,
                                             absl::string_view location) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(line.begin(), line.end());
  } catch (const nlohmann::json::exception& e) {
    absl::string_view what = e.what();
    const size_t tag_end = what.find("] ");
    if (!what.empty() && what.front() == '[' &&
        tag_end != absl::string_view::npos) {
      what.remove_prefix(tag_end + 2);
    }
    // The line is the whole document: "line 1" would contradict the
    // location, which already names the line.
    return LineError(
        location,
        absl::StrCat(
            "invalid JSON: ",
            absl::StrReplaceAll(what, {{"at line 1, column", "at column"}})));
  }
  if (!doc.is_object()) return LineError(location, "expected a JSON object");

  DatasetItem item;
  item.location = std::string(location);
  auto string_field = [&](const char* key, bool required,
                          std::string* out) -> absl::Status {
    if (!doc.contains(key)) {
      return required ? LineError(location, absl::StrCat(key, ": required"))
                      : absl::OkStatus();
    }
    if (!doc[key].is_string()) {
      return LineError(location, absl::StrCat(key, ": expected a string"));
    }
    *out = doc[key].get<std::string>();
    if (required && out->empty()) {
      return LineError(location, absl::StrCat(key, ": required"));
    }
    return absl::OkStatus();
  };
  if (absl::Status s = string_field("id", true, &item.id); !s.ok()) return s;
  if (absl::Status s = string_field("split", true, &item.split); !s.ok()) {
    return s;
  }
  if (item.split != "tune" && item.split != "holdout") {
    return LineError(location, absl::StrCat("split: must be \"tune\" or "
                                            "\"holdout\", not \"",
                                            item.split, "\""));
  }
  if (absl::Status s = string_field("style", false, &item.style); !s.ok()) {
    return s;
  }

  if (!doc.contains("event") || !doc["event"].is_object()) {
    return LineError(location,
                     "event: required, {\"ticket\": {...}} or "
                     "{\"meeting\": {...}}");
  }
  const nlohmann::json& event = doc["event"];
  if (event.size() != 1 ||
      !(event.contains("ticket") || event.contains("meeting"))) {
    return LineError(location,
                     "event: must hold exactly one of \"ticket\" or "
                     "\"meeting\"");
  }
  absl::StatusOr<cse::v1::AssessRequest> request =
      cli::ParseEventJson(event.dump(), cli::EventKindHint::kAuto);
  if (!request.ok()) {
    return LineError(location,
                     absl::StrCat("event: ", request.status().message()));
  }
  item.request = *std::move(request);
  item.kind = item.request.has_ticket() ? "ticket" : "meeting";

  if (!doc.contains("expected") || !doc["expected"].is_object()) {
    return LineError(location, "expected: required object");
  }
  const nlohmann::json& expected = doc["expected"];
  if (!expected.contains("phase") || !expected["phase"].is_string() ||
      expected["phase"].get<std::string>().empty()) {
    return LineError(location, "expected.phase: required phase id");
  }
  item.expected.phase = expected["phase"].get<std::string>();
  if (absl::Status s = ReadStringList(expected, "critical_events", location,
                                      &item.expected.critical_events);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ReadStringList(expected, "practices", location,
                                      &item.expected.practices);
      !s.ok()) {
    return s;
  }
  for (const auto& [key, value] : expected.items()) {
    if (key != "phase" && key != "critical_events" && key != "practices") {
      return LineError(location,
                       absl::StrCat("expected.", key, ": unknown key"));
    }
  }
  return item;
}

absl::StatusOr<std::vector<DatasetItem>> ReadDataset(
    const std::vector<std::string>& files) {
  std::vector<DatasetItem> items;
  absl::flat_hash_map<std::string, std::string> seen;  // id -> location
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return absl::NotFoundError(absl::StrCat(file, ": cannot open"));
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (absl::StripAsciiWhitespace(line).empty()) continue;
      const std::string location = absl::StrCat(file, ":", number);
      absl::StatusOr<DatasetItem> item = ParseDatasetLine(line, location);
      if (!item.ok()) return item.status();
      auto [it, inserted] = seen.emplace(item->id, location);
      if (!inserted) {
        return LineError(location, absl::StrCat("id \"", item->id,
                                                "\" repeats ", it->second));
      }
      items.push_back(*std::move(item));
    }
    if (in.bad())
      return absl::DataLossError(absl::StrCat(file, ": read error"));
  }
  return items;
}

}  // namespace cse::eval
