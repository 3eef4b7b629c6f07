#include "adapters/generic_webhook/event_mapper.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "adapters/common/outcome_tag.h"
#include "adapters/generic_webhook/value_conversion.h"

namespace cse::adapters::generic_webhook {
namespace {

using cse::adapters::v1::Emit;
using cse::adapters::v1::FieldMapping;
using cse::adapters::v1::GenericWebhookConfig;
using cse::adapters::v1::OutcomeTagsMapping;
using cse::adapters::v1::ValueSource;
using Source = EventMapper::Source;
using Field = EventMapper::Field;
using Mapping = EventMapper::Mapping;
using OutcomeTags = EventMapper::OutcomeTags;

constexpr absl::string_view kHeaderPrefix = "header:";
// TicketEvent.event_id / MeetingEvent.event_id: "at most 256 bytes".
constexpr size_t kMaxEventIdBytes = 256;

// ---- Compiling --------------------------------------------------------

// Compiles an inbound template: its placeholders are JSON Pointers or
// header:NAME.
std::optional<Source> CompileTemplate(const std::string& text,
                                      const std::string& path,
                                      ConfigErrors* errors) {
  absl::StatusOr<TextTemplate> parsed = TextTemplate::Parse(text);
  if (!parsed.ok()) {
    errors->Add(path, std::string(parsed.status().message()));
    return std::nullopt;
  }
  Source source;
  source.kind = Source::Kind::kTemplate;
  bool ok = true;
  for (const std::string& name : parsed->Placeholders()) {
    if (absl::StartsWith(name, "/")) {
      absl::StatusOr<JsonPointer> pointer = JsonPointer::Parse(name);
      if (!pointer.ok()) {
        errors->Add(path, absl::StrCat("placeholder {", name,
                                       "}: ", pointer.status().message()));
        ok = false;
        continue;
      }
      source.template_pointers.emplace(name, *std::move(pointer));
    } else if (absl::StartsWith(name, kHeaderPrefix) &&
               name.size() > kHeaderPrefix.size()) {
      // A header; looked up case-insensitively at delivery time.
    } else {
      errors->Add(path, absl::StrCat("unknown placeholder {", name,
                                     "} (inbound templates take JSON Pointers "
                                     "such as {/id} and {header:NAME})"));
      ok = false;
    }
  }
  if (parsed->Placeholders().empty()) {
    errors->Add(path,
                "the template has no placeholder; use `constant` for a "
                "fixed value");
    ok = false;
  }
  if (!ok) return std::nullopt;
  source.text_template = *std::move(parsed);
  return source;
}

std::optional<Source> CompilePointer(const std::string& text,
                                     const std::string& path,
                                     ConfigErrors* errors) {
  absl::StatusOr<JsonPointer> pointer = JsonPointer::Parse(text);
  if (!pointer.ok()) {
    errors->Add(path, std::string(pointer.status().message()));
    return std::nullopt;
  }
  Source source;
  source.kind = Source::Kind::kPointer;
  source.pointer = *std::move(pointer);
  return source;
}

ConversionOptions OptionsFor(const Field& field) {
  ConversionOptions options;
  options.type = field.spec.type;
  options.value_map = &field.value_map;
  options.unmapped_value =
      field.unmapped_value.has_value() ? &*field.unmapped_value : nullptr;
  options.time_format = field.time_format;
  options.time_layout = field.time_layout;
  options.strip_html = field.strip_html;
  return options;
}

// Checks that a configured literal (constant, default, value_map value)
// converts to the field's type.
void CheckLiteral(const Field& field, const std::string& literal,
                  const std::string& path, ConfigErrors* errors) {
  ConversionOptions options = OptionsFor(field);
  // The literal is the final value: the value map does not apply to it.
  options.value_map = nullptr;
  options.unmapped_value = nullptr;
  absl::StatusOr<TypedValue> converted =
      ConvertValue(nlohmann::json(literal), options);
  if (!converted.ok()) {
    errors->Add(path, absl::StrCat("not a valid value for ", field.key, ": ",
                                   converted.status().message()));
  }
}

std::optional<Field> CompileField(Target target, const std::string& key,
                                  const FieldMapping& mapping,
                                  const std::string& path,
                                  ConfigErrors* errors) {
  const size_t errors_before = errors->size();
  std::optional<CanonicalField> spec = FindCanonicalField(target, key);
  if (!spec.has_value()) {
    errors->Add(path, absl::StrCat("unknown field \"", key,
                                   "\"; known: ", KnownFieldNames(target)));
    return std::nullopt;
  }
  Field field;
  field.key = key;
  field.spec = *std::move(spec);
  switch (mapping.source_case()) {
    case FieldMapping::kPointer:
      if (auto s = CompilePointer(mapping.pointer(), Child(path, "pointer"),
                                  errors)) {
        field.source = *std::move(s);
      }
      break;
    case FieldMapping::kTemplate:
      if (auto s = CompileTemplate(mapping.template_(), Child(path, "template"),
                                   errors)) {
        field.source = *std::move(s);
      }
      break;
    case FieldMapping::kConstant:
      field.source.kind = Source::Kind::kConstant;
      field.source.constant = mapping.constant();
      break;
    case FieldMapping::SOURCE_NOT_SET:
      errors->Add(path, "one of pointer, template or constant is required");
      break;
  }
  for (int i = 0; i < mapping.fallbacks_size(); ++i) {
    const ValueSource& fallback = mapping.fallbacks(i);
    const std::string fallback_path = Item(Child(path, "fallbacks"), i);
    std::optional<Source> s;
    if (fallback.has_pointer()) {
      s = CompilePointer(fallback.pointer(), Child(fallback_path, "pointer"),
                         errors);
    } else if (fallback.has_template_()) {
      s = CompileTemplate(fallback.template_(),
                          Child(fallback_path, "template"), errors);
    } else {
      errors->Add(fallback_path, "one of pointer or template is required");
    }
    if (s.has_value()) field.fallbacks.push_back(*std::move(s));
  }
  if (mapping.has_constant() && !mapping.value_map().empty()) {
    errors->Add(Child(path, "value_map"),
                "does not apply to a constant; write the final value");
  }
  if (mapping.has_constant() && mapping.fallbacks_size() > 0) {
    errors->Add(Child(path, "fallbacks"),
                "a constant is never missing; fallbacks would never be used");
  }

  // Conversion settings, checked against the field's type.
  field.value_map = mapping.value_map();
  if (mapping.has_unmapped_value()) {
    field.unmapped_value = mapping.unmapped_value();
    if (mapping.value_map().empty()) {
      errors->Add(Child(path, "unmapped_value"), "only used with value_map");
    }
  }
  field.time_format = mapping.time_format();
  field.time_layout = mapping.time_layout();
  field.strip_html = mapping.strip_html();
  if (field.spec.type == FieldType::kTime) {
    if (field.time_format == cse::adapters::v1::TIME_FORMAT_UNSPECIFIED) {
      errors->Add(Child(path, "time_format"),
                  "required for a time: rfc3339, unix_seconds, unix_millis "
                  "or layout");
    } else if (field.time_format == cse::adapters::v1::TIME_FORMAT_LAYOUT &&
               field.time_layout.empty()) {
      errors->Add(Child(path, "time_layout"),
                  "required with time_format: layout, e.g. "
                  "\"%Y-%m-%d %H:%M:%S UTC\"");
    }
    if (field.time_format != cse::adapters::v1::TIME_FORMAT_LAYOUT &&
        !field.time_layout.empty()) {
      errors->Add(Child(path, "time_layout"),
                  "only used with time_format: layout");
    }
  } else {
    if (field.time_format != cse::adapters::v1::TIME_FORMAT_UNSPECIFIED) {
      errors->Add(Child(path, "time_format"),
                  absl::StrCat("only applies to time fields (occurred_at), "
                               "not ",
                               key));
    }
    if (!field.time_layout.empty()) {
      errors->Add(Child(path, "time_layout"),
                  absl::StrCat("only applies to time fields (occurred_at), "
                               "not ",
                               key));
    }
  }
  if (field.strip_html && field.spec.type != FieldType::kString) {
    errors->Add(Child(path, "strip_html"),
                absl::StrCat("only applies to text fields, not ", key));
  }
  if (field.spec.type != FieldType::kString &&
      field.spec.type != FieldType::kStringList &&
      field.spec.type != FieldType::kTime) {
    // Typed targets: every literal must read as the type.
    std::vector<std::string> keys;
    for (const auto& [from, to] : mapping.value_map()) keys.push_back(from);
    std::sort(keys.begin(), keys.end());
    for (const std::string& from : keys) {
      CheckLiteral(field, mapping.value_map().at(from),
                   Child(Child(path, "value_map"), from), errors);
    }
    if (field.unmapped_value.has_value()) {
      CheckLiteral(field, *field.unmapped_value, Child(path, "unmapped_value"),
                   errors);
    }
  }
  if (mapping.has_constant()) {
    CheckLiteral(field, mapping.constant(), Child(path, "constant"), errors);
  }
  if (mapping.has_default_value()) {
    field.default_value = mapping.default_value();
    if (field.spec.identity && mapping.default_value().empty()) {
      errors->Add(Child(path, "default_value"),
                  absl::StrCat(key,
                               " is an id; an empty default would be "
                               "refused as missing"));
    } else if (!(field.spec.type == FieldType::kStringList &&
                 mapping.default_value().empty())) {
      CheckLiteral(field, mapping.default_value(), Child(path, "default_value"),
                   errors);
    }
  }
  if (errors->size() != errors_before) return std::nullopt;
  return field;
}

// Compiles a fields map in key order (protobuf maps are unordered; sorted
// keys keep errors and behaviour deterministic).
std::vector<Field> CompileFields(
    Target target,
    const google::protobuf::Map<std::string, FieldMapping>& mappings,
    const std::string& path, ConfigErrors* errors) {
  std::vector<std::string> keys;
  for (const auto& [key, unused] : mappings) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  std::vector<Field> fields;
  for (const std::string& key : keys) {
    std::optional<Field> field =
        CompileField(target, key, mappings.at(key), Child(path, key), errors);
    if (field.has_value()) fields.push_back(*std::move(field));
  }
  for (const std::string& required : RequiredFieldNames(target)) {
    if (!mappings.contains(required)) {
      errors->Add(path,
                  absl::StrCat("\"", required, "\" is required (the event's ",
                               required, ")"));
    }
  }
  return fields;
}

std::optional<EventMapper::Condition> CompileCondition(
    const cse::adapters::v1::Condition& condition, const std::string& path,
    ConfigErrors* errors) {
  EventMapper::Condition out;
  const size_t errors_before = errors->size();
  switch (condition.subject_case()) {
    case cse::adapters::v1::Condition::kPointer: {
      absl::StatusOr<JsonPointer> pointer =
          JsonPointer::Parse(condition.pointer());
      if (!pointer.ok()) {
        errors->Add(Child(path, "pointer"),
                    std::string(pointer.status().message()));
      } else {
        out.pointer = *std::move(pointer);
      }
      break;
    }
    case cse::adapters::v1::Condition::kHeader:
      if (condition.header().empty()) {
        errors->Add(Child(path, "header"), "must not be empty");
      }
      out.header = condition.header();
      break;
    default:
      errors->Add(path, "one of pointer or header is required");
  }
  const int tests = (condition.has_equals() ? 1 : 0) +
                    (condition.equals_any_size() > 0 ? 1 : 0) +
                    (condition.has_present() ? 1 : 0);
  if (tests != 1) {
    errors->Add(path, absl::StrCat("exactly one of equals, equals_any or "
                                   "present is required (",
                                   tests, " given)"));
  }
  if (condition.has_equals()) out.equals = condition.equals();
  out.equals_any.assign(condition.equals_any().begin(),
                        condition.equals_any().end());
  if (condition.has_present()) out.present = condition.present();
  if (errors->size() != errors_before) return std::nullopt;
  return out;
}

std::optional<OutcomeTags> CompileOutcomeTags(const OutcomeTagsMapping& in,
                                              const std::string& path,
                                              ConfigErrors* errors) {
  const size_t errors_before = errors->size();
  OutcomeTags out;
  const std::string pointer_path = Child(path, "pointer");
  if (in.pointer().empty()) {
    errors->Add(pointer_path,
                "required: the JSON Pointer to the labels of the ticket or "
                "meeting, e.g. /labels");
  } else {
    absl::StatusOr<JsonPointer> pointer = JsonPointer::Parse(in.pointer());
    if (!pointer.ok()) {
      errors->Add(pointer_path, std::string(pointer.status().message()));
    } else {
      out.pointer = *std::move(pointer);
    }
  }
  if (!in.item_pointer().empty()) {
    absl::StatusOr<JsonPointer> item = JsonPointer::Parse(in.item_pointer());
    if (!item.ok()) {
      errors->Add(Child(path, "item_pointer"),
                  std::string(item.status().message()));
    } else {
      out.item_pointer = *std::move(item);
    }
  }
  out.separator = in.separator().empty()
                      ? std::string(kDefaultOutcomeTagSeparator)
                      : in.separator();
  if (in.separator().size() > kMaxOutcomeTagSeparatorBytes) {
    errors->Add(Child(path, "separator"),
                absl::StrCat("at most ", kMaxOutcomeTagSeparatorBytes,
                             " bytes, got ", in.separator().size()));
  }
  if (in.has_recorded_by()) {
    const ValueSource& who = in.recorded_by();
    const std::string who_path = Child(path, "recorded_by");
    if (who.has_pointer()) {
      out.recorded_by =
          CompilePointer(who.pointer(), Child(who_path, "pointer"), errors);
    } else if (who.has_template_()) {
      out.recorded_by =
          CompileTemplate(who.template_(), Child(who_path, "template"), errors);
    } else {
      errors->Add(who_path, "one of pointer or template is required");
    }
  }
  if (errors->size() != errors_before) return std::nullopt;
  return out;
}

// ---- Mapping deliveries -------------------------------------------------

struct Lookup {
  std::optional<nlohmann::json> value;  // nullopt: missing
  std::string problem;                  // why, when it is not just absent
};

Lookup Resolve(const Source& source, const nlohmann::json& body,
               const HttpHeaders& headers) {
  Lookup lookup;
  switch (source.kind) {
    case Source::Kind::kConstant:
      lookup.value = nlohmann::json(source.constant);
      return lookup;
    case Source::Kind::kPointer: {
      const nlohmann::json* value = source.pointer->Resolve(body);
      if (value != nullptr && !value->is_null()) lookup.value = *value;
      return lookup;
    }
    case Source::Kind::kTemplate: {
      std::optional<std::string> text = source.text_template->Render(
          [&](absl::string_view name) -> std::optional<std::string> {
            if (absl::StartsWith(name, kHeaderPrefix)) {
              const std::string* value =
                  headers.Find(name.substr(kHeaderPrefix.size()));
              if (value == nullptr) return std::nullopt;
              return *value;
            }
            const nlohmann::json* value =
                source.template_pointers.at(std::string(name)).Resolve(body);
            if (value == nullptr || value->is_null()) return std::nullopt;
            std::optional<std::string> text = ScalarText(*value);
            if (!text.has_value() && lookup.problem.empty()) {
              lookup.problem = absl::StrCat(name, " is ", JsonTypeName(*value),
                                            ", not a scalar");
            }
            return text;
          });
      if (text.has_value()) lookup.value = nlohmann::json(*std::move(text));
      return lookup;
    }
  }
  return lookup;
}

std::string Describe(const Source& source) {
  switch (source.kind) {
    case Source::Kind::kPointer:
      return source.pointer->text();
    case Source::Kind::kTemplate:
      return absl::StrCat("template \"", source.text_template->source(), "\"");
    case Source::Kind::kConstant:
      return "constant";
  }
  return "";
}

bool IsMissing(const Lookup& lookup, const Field& field) {
  if (!lookup.value.has_value()) return true;
  return field.spec.identity && lookup.value->is_string() &&
         lookup.value->get_ref<const std::string&>().empty();
}

// Sets `field` on `message` from the delivery. `where` prefixes errors.
absl::Status ApplyField(const Field& field, const nlohmann::json& body,
                        const HttpHeaders& headers, absl::string_view where,
                        google::protobuf::Message* message) {
  Lookup lookup = Resolve(field.source, body, headers);
  std::vector<std::string> tried = {Describe(field.source)};
  std::string problem = lookup.problem;
  for (size_t i = 0; IsMissing(lookup, field) && i < field.fallbacks.size();
       ++i) {
    lookup = Resolve(field.fallbacks[i], body, headers);
    tried.push_back(Describe(field.fallbacks[i]));
    if (problem.empty()) problem = lookup.problem;
  }
  const bool from_default = IsMissing(lookup, field);
  // Literals (constants, defaults) are final values: no value map.
  const bool literal =
      from_default || field.source.kind == Source::Kind::kConstant;
  if (from_default) {
    if (!field.default_value.has_value()) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, "fields.", field.key, ": ", absl::StrJoin(tried, ", "),
          tried.size() == 1 ? " is" : " are", " missing",
          field.spec.identity ? " (absent, null or empty)"
                              : " (absent or null)",
          problem.empty() ? "" : absl::StrCat("; ", problem),
          " and no default_value is configured"));
    }
    if (field.spec.type == FieldType::kStringList &&
        field.default_value->empty()) {
      return absl::OkStatus();  // an empty list: nothing to set
    }
    lookup.value = nlohmann::json(*field.default_value);
  }
  ConversionOptions options = OptionsFor(field);
  if (literal) {
    options.value_map = nullptr;
    options.unmapped_value = nullptr;
  }
  absl::StatusOr<TypedValue> value = ConvertValue(*lookup.value, options);
  if (!value.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, "fields.", field.key, ": ",
                     from_default ? "default_value" : Describe(field.source),
                     ": ", value.status().message()));
  }
  field.spec.set(message, *value);
  return absl::OkStatus();
}

absl::Status ApplyFields(const std::vector<Field>& fields,
                         const nlohmann::json& body, const HttpHeaders& headers,
                         absl::string_view where,
                         google::protobuf::Message* message) {
  for (const Field& field : fields) {
    absl::Status status = ApplyField(field, body, headers, where, message);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

std::optional<std::string> ConditionValue(const EventMapper::Condition& c,
                                          const nlohmann::json& body,
                                          const HttpHeaders& headers,
                                          bool* present) {
  if (!c.pointer.has_value()) {
    const std::string* value = headers.Find(c.header);
    *present = value != nullptr;
    if (value == nullptr) return std::nullopt;
    return *value;
  }
  const nlohmann::json* value = c.pointer->Resolve(body);
  *present = value != nullptr && !value->is_null();
  if (!*present) return std::nullopt;
  return ScalarText(*value);
}

bool Holds(const EventMapper::Condition& c, const nlohmann::json& body,
           const HttpHeaders& headers) {
  bool present = false;
  std::optional<std::string> value = ConditionValue(c, body, headers, &present);
  if (c.present.has_value()) return present == *c.present;
  if (!value.has_value()) return false;
  if (c.equals.has_value()) return *value == *c.equals;
  return std::find(c.equals_any.begin(), c.equals_any.end(), *value) !=
         c.equals_any.end();
}

// "no event mapping matched (/event = "conversation_typing_on")": the
// values the first conditions looked at, so an admin sees what came.
std::string NoMatchDescription(const std::vector<Mapping>& mappings,
                               const nlohmann::json& body,
                               const HttpHeaders& headers) {
  std::vector<std::string> seen;
  absl::flat_hash_set<std::string> subjects;
  for (const Mapping& mapping : mappings) {
    for (const EventMapper::Condition& c : mapping.conditions) {
      const std::string subject = c.pointer.has_value()
                                      ? c.pointer->text()
                                      : absl::StrCat("header ", c.header);
      if (!subjects.insert(subject).second) continue;
      bool present = false;
      std::optional<std::string> value =
          ConditionValue(c, body, headers, &present);
      seen.push_back(absl::StrCat(
          subject, " = ",
          value.has_value() ? absl::StrCat("\"", Abbreviate(*value, 40), "\"")
                            : (present ? "(not a scalar)" : "(absent)")));
      if (seen.size() == 3) break;
    }
    if (seen.size() == 3) break;
  }
  if (seen.empty()) return "no event mapping matched";
  return absl::StrCat("no event mapping matched (", absl::StrJoin(seen, ", "),
                      ")");
}

absl::Status CheckEventId(absl::string_view event_id, absl::string_view where) {
  if (event_id.size() > kMaxEventIdBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, "fields.event_id: ", event_id.size(),
                     " bytes; at most ", kMaxEventIdBytes, " allowed"));
  }
  return absl::OkStatus();
}

// The labels at `tags.pointer`: an array's elements (or the item_pointer
// inside each), or a string split at the separator; trimmed, empty ones
// dropped. What cannot be read is described in `warnings`: an admin's
// mapping that does not fit the CRM's payload must not lose the event.
std::vector<std::string> ReadLabels(const OutcomeTags& tags,
                                    const nlohmann::json& body,
                                    absl::string_view where,
                                    std::vector<std::string>* warnings) {
  std::vector<std::string> labels;
  const auto add = [&labels](absl::string_view label) {
    label = absl::StripAsciiWhitespace(label);
    if (!label.empty()) labels.emplace_back(label);
  };
  const nlohmann::json* value = tags.pointer.Resolve(body);
  if (value == nullptr || value->is_null()) return labels;
  if (value->is_array()) {
    for (size_t i = 0; i < value->size(); ++i) {
      const nlohmann::json* element = &(*value)[i];
      std::string at = absl::StrCat(tags.pointer.text(), "/", i);
      if (tags.item_pointer.has_value()) {
        absl::StrAppend(&at, tags.item_pointer->text());
        element = tags.item_pointer->Resolve(*element);
        if (element == nullptr) {
          warnings->push_back(absl::StrCat(where, "outcome_tags: ", at,
                                           " is absent; label skipped"));
          continue;
        }
      }
      if (element->is_null()) continue;
      std::optional<std::string> text = ScalarText(*element);
      if (!text.has_value()) {
        warnings->push_back(absl::StrCat(where, "outcome_tags: ", at, " is ",
                                         JsonTypeName(*element),
                                         ", not a label; skipped"));
        continue;
      }
      add(*text);
    }
    return labels;
  }
  std::optional<std::string> text = ScalarText(*value);
  if (!text.has_value()) {
    warnings->push_back(
        absl::StrCat(where, "outcome_tags: ", tags.pointer.text(), " is ",
                     JsonTypeName(*value),
                     ", expected an array of labels or a string of "
                     "labels separated by \"",
                     tags.separator, "\"; no outcome recorded"));
    return labels;
  }
  for (absl::string_view label : absl::StrSplit(*text, tags.separator)) {
    add(label);
  }
  return labels;
}

// Appends the outcomes the labels of `object_key` ask for to `events`.
void AppendOutcomes(const OutcomeTags& tags, const nlohmann::json& body,
                    const HttpHeaders& headers, absl::string_view where,
                    absl::string_view source, std::string object_key,
                    const std::string& account_id,
                    const google::protobuf::Timestamp* occurred_at,
                    CanonicalEvents* events) {
  const std::vector<std::string> labels =
      ReadLabels(tags, body, where, &events->warnings);
  if (labels.empty()) return;
  OutcomeTagSource at;
  at.account_id = account_id;
  at.source = std::string(source);
  at.object_key = std::move(object_key);
  if (occurred_at != nullptr) {
    at.occurred_at = absl::FromUnixSeconds(occurred_at->seconds()) +
                     absl::Nanoseconds(occurred_at->nanos());
  }
  if (tags.recorded_by.has_value()) {
    Lookup who = Resolve(*tags.recorded_by, body, headers);
    if (who.value.has_value()) {
      at.recorded_by = ScalarText(*who.value).value_or("");
    }
  }
  for (cse::v1::RecordOutcomeRequest& outcome :
       OutcomesFromTags(at, labels, &events->warnings)) {
    events->outcomes.push_back(std::move(outcome));
  }
}

}  // namespace

EventMapper EventMapper::Compile(const GenericWebhookConfig& config,
                                 absl::string_view path, ConfigErrors* errors) {
  EventMapper mapper;
  const std::string mappings_path = Child(path, "event_mappings");
  if (config.event_mappings_size() == 0) {
    errors->Add(mappings_path, "at least one event mapping is required");
  }
  absl::flat_hash_map<std::string, int> names;
  for (int i = 0; i < config.event_mappings_size(); ++i) {
    const cse::adapters::v1::EventMapping& in = config.event_mappings(i);
    const std::string item = Item(mappings_path, i);
    Mapping mapping;
    mapping.name = in.name();
    mapping.emit = in.emit();
    if (in.name().empty()) {
      errors->Add(Child(item, "name"), "required");
    } else if (auto [it, inserted] = names.emplace(in.name(), i); !inserted) {
      errors->Add(Child(item, "name"),
                  absl::StrCat("\"", in.name(), "\" is already the name of ",
                               Item(mappings_path, it->second)));
    }
    for (int c = 0; c < in.when_size(); ++c) {
      std::optional<Condition> condition =
          CompileCondition(in.when(c), Item(Child(item, "when"), c), errors);
      if (condition.has_value()) {
        mapping.conditions.push_back(*std::move(condition));
      }
    }
    const std::string fields_path = Child(item, "fields");
    switch (in.emit()) {
      case cse::adapters::v1::EMIT_TICKET_EVENT:
        mapping.fields =
            CompileFields(Target::kTicket, in.fields(), fields_path, errors);
        if (in.has_attendees()) {
          errors->Add(Child(item, "attendees"),
                      "only meetings have attendees (emit: meeting_event)");
        }
        break;
      case cse::adapters::v1::EMIT_MEETING_EVENT:
        mapping.fields =
            CompileFields(Target::kMeeting, in.fields(), fields_path, errors);
        if (in.has_attendees()) {
          const std::string attendees_path = Child(item, "attendees");
          absl::StatusOr<JsonPointer> pointer =
              JsonPointer::Parse(in.attendees().pointer());
          if (!pointer.ok()) {
            errors->Add(Child(attendees_path, "pointer"),
                        std::string(pointer.status().message()));
          } else {
            mapping.attendees_pointer = *std::move(pointer);
          }
          mapping.attendee_fields =
              CompileFields(Target::kAttendee, in.attendees().fields(),
                            Child(attendees_path, "fields"), errors);
        }
        break;
      case cse::adapters::v1::EMIT_IGNORE:
        if (!in.fields().empty() || in.has_attendees()) {
          errors->Add(fields_path,
                      "not used with emit: ignore; remove fields and "
                      "attendees");
        }
        break;
      default:
        errors->Add(Child(item, "emit"),
                    "required: ticket_event, meeting_event or ignore");
    }
    if (in.has_outcome_tags()) {
      const std::string outcome_path = Child(item, "outcome_tags");
      if (in.emit() == cse::adapters::v1::EMIT_IGNORE) {
        errors->Add(outcome_path,
                    "not used with emit: ignore; outcome tags are recorded "
                    "for the ticket or meeting an event names");
      } else {
        mapping.outcome_tags =
            CompileOutcomeTags(in.outcome_tags(), outcome_path, errors);
      }
    }
    mapper.mappings_.push_back(std::move(mapping));
  }
  return mapper;
}

absl::StatusOr<CanonicalEvents> EventMapper::Map(
    const nlohmann::json& body, const HttpHeaders& headers,
    absl::string_view source) const {
  CanonicalEvents events;
  for (const Mapping& mapping : mappings_) {
    const bool matches = std::all_of(
        mapping.conditions.begin(), mapping.conditions.end(),
        [&](const Condition& c) { return Holds(c, body, headers); });
    if (!matches) continue;
    const std::string where =
        absl::StrCat("event mapping \"", mapping.name, "\": ");
    switch (mapping.emit) {
      case cse::adapters::v1::EMIT_TICKET_EVENT: {
        cse::v1::TicketEvent event;
        event.set_source(std::string(source));
        absl::Status status =
            ApplyFields(mapping.fields, body, headers, where, &event);
        if (status.ok()) status = CheckEventId(event.event_id(), where);
        if (!status.ok()) return status;
        if (mapping.outcome_tags.has_value()) {
          AppendOutcomes(
              *mapping.outcome_tags, body, headers, where, source,
              absl::StrCat("ticket/", event.ticket_id()), event.account().id(),
              event.has_occurred_at() ? &event.occurred_at() : nullptr,
              &events);
        }
        events.tickets.push_back(std::move(event));
        return events;
      }
      case cse::adapters::v1::EMIT_MEETING_EVENT: {
        cse::v1::MeetingEvent event;
        event.set_source(std::string(source));
        absl::Status status =
            ApplyFields(mapping.fields, body, headers, where, &event);
        if (status.ok()) status = CheckEventId(event.event_id(), where);
        if (!status.ok()) return status;
        if (mapping.attendees_pointer.has_value()) {
          const nlohmann::json* list = mapping.attendees_pointer->Resolve(body);
          if (list != nullptr && !list->is_null()) {
            if (!list->is_array()) {
              return absl::InvalidArgumentError(absl::StrCat(
                  where, "attendees: ", mapping.attendees_pointer->text(),
                  " is ", JsonTypeName(*list), ", expected an array"));
            }
            if (list->size() > kMaxAttendees) {
              return absl::InvalidArgumentError(
                  absl::StrCat(where, "attendees: ", list->size(), " at ",
                               mapping.attendees_pointer->text(), "; at most ",
                               kMaxAttendees, " accepted"));
            }
            for (size_t i = 0; i < list->size(); ++i) {
              cse::v1::Attendee* attendee = event.add_attendees();
              status =
                  ApplyFields(mapping.attendee_fields, (*list)[i], headers,
                              absl::StrCat(where, "attendees[", i, "] (",
                                           mapping.attendees_pointer->text(),
                                           "/", i, "): "),
                              attendee);
              if (!status.ok()) return status;
            }
          }
        }
        if (mapping.outcome_tags.has_value()) {
          AppendOutcomes(
              *mapping.outcome_tags, body, headers, where, source,
              absl::StrCat("meeting/", event.meeting_id()),
              event.account().id(),
              event.has_occurred_at() ? &event.occurred_at() : nullptr,
              &events);
        }
        events.meetings.push_back(std::move(event));
        return events;
      }
      case cse::adapters::v1::EMIT_IGNORE:
        events.ignored.push_back(
            absl::StrCat("ignored by event mapping \"", mapping.name, "\""));
        return events;
      default:
        return absl::InternalError(
            absl::StrCat(where, "emit is not set (config not validated)"));
    }
  }
  events.ignored.push_back(NoMatchDescription(mappings_, body, headers));
  return events;
}

}  // namespace cse::adapters::generic_webhook
