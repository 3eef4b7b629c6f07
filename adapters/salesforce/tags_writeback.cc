// Tags: Topics assigned to the Case or Event (writebacks.h).
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "adapters/salesforce/writebacks.h"

namespace cse::adapters::salesforce {
namespace {

std::string StringField(const Json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

WritebackOutcome WriteTags(const SalesforceApi& api, SObjectKind kind,
                           absl::string_view record_id,
                           const cse::v1::TagsWriteback& tags) {
  // The tags to add, once each, compared as Salesforce compares topic
  // names (case does not make a new topic).
  std::vector<std::string> wanted;
  absl::flat_hash_set<std::string> wanted_lower;
  for (const std::string& tag : tags.tags()) {
    std::string trimmed(absl::StripAsciiWhitespace(tag));
    if (!trimmed.empty() &&
        wanted_lower.insert(absl::AsciiStrToLower(trimmed)).second) {
      wanted.push_back(std::move(trimmed));
    }
  }
  if (wanted.empty()) return WritebackPermanent("tags job without tags");

  ApiResult assigned = api.Query(
      absl::StrCat("SELECT TopicId, Topic.Name FROM TopicAssignment WHERE "
                   "EntityId = ",
                   SoqlQuote(record_id)),
      "TopicAssignment");
  if (!assigned.ok()) return *assigned.failure;
  absl::flat_hash_set<std::string> present;
  for (const Json& row : assigned.json) {
    auto topic = row.is_object() ? row.find("Topic") : row.end();
    if (row.is_object() && topic != row.end()) {
      present.insert(absl::AsciiStrToLower(StringField(*topic, "Name")));
    }
  }
  std::vector<std::string> missing;
  for (const std::string& tag : wanted) {
    if (!present.contains(absl::AsciiStrToLower(tag))) missing.push_back(tag);
  }
  const std::string object = absl::StrCat(SObjectName(kind), " ", record_id);
  if (missing.empty()) {
    return WritebackDone(absl::StrCat(object, " already has topics ",
                                      absl::StrJoin(wanted, ", ")));
  }

  // Existing topics by name.
  std::vector<std::string> quoted;
  for (const std::string& tag : missing) quoted.push_back(SoqlQuote(tag));
  ApiResult topics =
      api.Query(absl::StrCat("SELECT Id, Name FROM Topic WHERE Name IN (",
                             absl::StrJoin(quoted, ", "), ")"),
                "Topic");
  if (!topics.ok()) return *topics.failure;
  absl::flat_hash_map<std::string, std::string> topic_ids;
  for (const Json& row : topics.json) {
    topic_ids[absl::AsciiStrToLower(StringField(row, "Name"))] =
        StringField(row, "Id");
  }

  std::vector<std::string> created;
  std::vector<std::string> added;
  for (const std::string& tag : missing) {
    std::string& topic_id = topic_ids[absl::AsciiStrToLower(tag)];
    if (topic_id.empty()) {
      Json topic = Json::object();
      topic["Name"] = tag;
      ApiResult made = api.Post("/sobjects/Topic", topic);
      // A DUPLICATE_VALUE here means another writer created it meanwhile;
      // the failure is retryable and the next attempt finds it.
      if (!made.ok()) {
        WritebackOutcome outcome = *made.failure;
        if (made.HasErrorCode("DUPLICATE_VALUE")) {
          outcome.result = cse::v1::WRITEBACK_RESULT_FAILED_RETRYABLE;
        }
        return outcome;
      }
      topic_id = StringField(made.json, "id");
      if (topic_id.empty()) {
        return WritebackPermanent(
            absl::StrCat(made.summary, ": created topic without an id"));
      }
      created.push_back(tag);
    }
    Json assignment = Json::object();
    assignment["EntityId"] = std::string(record_id);
    assignment["TopicId"] = topic_id;
    ApiResult linked = api.Post("/sobjects/TopicAssignment", assignment);
    if (!linked.ok() && !linked.HasErrorCode("DUPLICATE_VALUE")) {
      return *linked.failure;
    }
    added.push_back(tag);
  }
  std::string answer =
      absl::StrCat("topics ", absl::StrJoin(added, ", "), " added to ", object);
  if (!created.empty()) {
    absl::StrAppend(&answer, " (created ", absl::StrJoin(created, ", "), ")");
  }
  return WritebackDone(std::move(answer));
}

}  // namespace cse::adapters::salesforce
