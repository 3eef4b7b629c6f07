// Small readers for REST2's JSON, which is loose about types: ids come as
// numbers or strings, and references as {"id": ..., "type": ..., "_url":
// ...} objects or bare strings depending on the endpoint and `fields`.
#ifndef CSE_ADAPTERS_REQUEST_TRACKER_RT_JSON_H_
#define CSE_ADAPTERS_REQUEST_TRACKER_RT_JSON_H_

#include <nlohmann/json.hpp>
#include <string>

namespace cse::adapters::request_tracker {

// The value at `key` as text: strings as they are, numbers printed,
// objects by their "id"; "" when absent or null.
inline std::string Text(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  if (it->is_object()) return Text(*it, "id");
  return "";
}

// The list of a collection answer: {"items": [...]} or a bare array.
inline const nlohmann::json& Items(const nlohmann::json& answer) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  if (answer.is_array()) return answer;
  if (answer.is_object()) {
    auto it = answer.find("items");
    if (it != answer.end() && it->is_array()) return *it;
  }
  return kEmpty;
}

}  // namespace cse::adapters::request_tracker

#endif  // CSE_ADAPTERS_REQUEST_TRACKER_RT_JSON_H_
