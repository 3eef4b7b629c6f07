// EventMapper: a delivery's JSON body -> canonical events, as the admin's
// event_mappings say.
//
// Compiled once from GenericWebhookConfig.event_mappings (pointers and
// templates parsed, field names and enum values checked), then applied to
// each delivery: the first mapping whose conditions hold decides what the
// delivery becomes; no match means the delivery is acknowledged and
// ignored. A mapped field whose value is missing and has no default
// rejects the delivery with INVALID_ARGUMENT naming the mapping, the
// field and the pointer. A mapping with outcome_tags also turns the
// outcome tags among the object's labels into RecordOutcome requests
// (adapters/common/outcome_tag.h); labels it cannot read are warnings,
// never a rejected delivery.
//
// Example:
//   ConfigErrors errors;
//   EventMapper mapper = EventMapper::Compile(config, "crms[0].x", &errors);
//   if (errors.empty()) {
//     absl::StatusOr<CanonicalEvents> events =
//         mapper.Map(body, headers, "chatwoot");
//   }
#ifndef CSE_ADAPTERS_GENERIC_WEBHOOK_EVENT_MAPPER_H_
#define CSE_ADAPTERS_GENERIC_WEBHOOK_EVENT_MAPPER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "adapters/common/http_headers.h"
#include "adapters/crm_adapter.h"
#include "adapters/generic_webhook/canonical_fields.h"
#include "adapters/generic_webhook/config_paths.h"
#include "adapters/generic_webhook/json_pointer.h"
#include "adapters/generic_webhook/text_template.h"
#include "cse/adapters/v1/generic_webhook.pb.h"
#include "google/protobuf/map.h"
#include "nlohmann/json.hpp"

namespace cse::adapters::generic_webhook {

// At most this many attendees per meeting; more is refused as malformed.
inline constexpr size_t kMaxAttendees = 500;

// OutcomeTagsMapping.separator: its default and its longest accepted value.
inline constexpr absl::string_view kDefaultOutcomeTagSeparator = ",";
inline constexpr size_t kMaxOutcomeTagSeparatorBytes = 8;

class EventMapper {
 public:
  // Compiles `config.event_mappings`. Problems are added to `errors` with
  // field paths under `path`; the mapper is usable only if none was.
  static EventMapper Compile(
      const cse::adapters::v1::GenericWebhookConfig& config,
      absl::string_view path, ConfigErrors* errors);

  // Maps one delivery. `source` becomes each event's `source`.
  absl::StatusOr<CanonicalEvents> Map(const nlohmann::json& body,
                                      const HttpHeaders& headers,
                                      absl::string_view source) const;

  // A value source: pointer, template or constant. Public for the
  // implementation's helpers only.
  struct Source {
    enum class Kind { kPointer, kTemplate, kConstant };
    Kind kind = Kind::kConstant;
    std::optional<JsonPointer> pointer;
    std::optional<TextTemplate> text_template;
    absl::flat_hash_map<std::string, JsonPointer> template_pointers;
    std::string constant;
  };

  struct Field {
    std::string key;  // as configured, e.g. "account.id"
    CanonicalField spec;
    Source source;
    std::vector<Source> fallbacks;
    std::optional<std::string> default_value;
    google::protobuf::Map<std::string, std::string> value_map;
    std::optional<std::string> unmapped_value;
    cse::adapters::v1::TimeFormat time_format =
        cse::adapters::v1::TIME_FORMAT_UNSPECIFIED;
    std::string time_layout;
    bool strip_html = false;
  };

  struct Condition {
    std::optional<JsonPointer> pointer;
    std::string header;  // when pointer is unset
    std::optional<std::string> equals;
    std::vector<std::string> equals_any;
    std::optional<bool> present;
  };

  // EventMapping.outcome_tags, compiled.
  struct OutcomeTags {
    JsonPointer pointer;
    std::optional<JsonPointer> item_pointer;
    std::string separator;
    std::optional<Source> recorded_by;
  };

  struct Mapping {
    std::string name;
    cse::adapters::v1::Emit emit = cse::adapters::v1::EMIT_UNSPECIFIED;
    std::vector<Condition> conditions;
    std::vector<Field> fields;  // sorted by key
    std::optional<JsonPointer> attendees_pointer;
    std::vector<Field> attendee_fields;
    std::optional<OutcomeTags> outcome_tags;
  };

 private:
  std::vector<Mapping> mappings_;
};

}  // namespace cse::adapters::generic_webhook

#endif  // CSE_ADAPTERS_GENERIC_WEBHOOK_EVENT_MAPPER_H_
