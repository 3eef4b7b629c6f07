// Phase: overwrite the journey-phase custom field (writebacks.h).
#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "adapters/zendesk/writeback_common.h"
#include "adapters/zendesk/writebacks.h"

namespace cse::adapters::zendesk {

using cse::adapters::v1::ZendeskConfig;

std::string PhaseOptionTag(absl::string_view prefix,
                           absl::string_view phase_id) {
  std::string tag(prefix);
  for (char c : phase_id) {
    const char lower = absl::ascii_tolower(static_cast<unsigned char>(c));
    const bool keep =
        absl::ascii_isalnum(static_cast<unsigned char>(lower)) || lower == '_';
    tag.push_back(keep ? lower : '_');
  }
  return tag;
}

WritebackOutcome WritePhase(const ZendeskApi& api, absl::string_view ticket_id,
                            const cse::v1::PhaseFieldWriteback& phase,
                            const PhaseFieldSettings& settings, Clock now) {
  int64_t field_id = settings.default_field_id;
  if (!phase.field().empty() &&
      (!absl::SimpleAtoi(phase.field(), &field_id) || field_id <= 0)) {
    return WritebackPermanent(
        absl::StrCat("phase field \"", phase.field(),
                     "\" is not a Zendesk ticket field id"));
  }
  if (field_id == 0) {
    return WritebackPermanent(
        "no phase field: set zendesk.phase_field_id in the adapter config");
  }
  std::string value;
  if (settings.format == ZendeskConfig::PHASE_FIELD_FORMAT_TEXT) {
    value = phase.phase_name().empty() ? phase.phase_id() : phase.phase_name();
  } else if (!phase.phase_id().empty()) {
    value = PhaseOptionTag(settings.option_prefix, phase.phase_id());
  }
  if (value.empty()) return WritebackPermanent("phase job without a phase");

  TicketRead read = ReadTicket(api, ticket_id, now());
  if (read.failure.has_value()) return *std::move(read.failure);
  // custom_fields: [{"id": 360001234567, "value": "..."}] (Tickets API).
  if (const Json* fields = Member(read.ticket, "custom_fields");
      fields != nullptr && fields->is_array()) {
    for (const Json& field : *fields) {
      absl::StatusOr<std::string> id = OptionalId(field, "id", "");
      const Json* current = Member(field, "value");
      if (id.ok() && *id == absl::StrCat(field_id) && current != nullptr &&
          current->is_string() && current->get<std::string>() == value) {
        return WritebackDone(absl::StrCat("GET /api/v2/tickets/", ticket_id,
                                          ": field ", field_id, " already \"",
                                          value, "\""));
      }
    }
  }

  Json field = Json::object();
  field["id"] = field_id;
  field["value"] = value;
  Json body = Json::object();
  body["ticket"]["custom_fields"] = Json::array();
  body["ticket"]["custom_fields"].push_back(std::move(field));
  const std::string path = absl::StrCat("/api/v2/tickets/", ticket_id);
  return ClassifyZendeskAnswer(
      api.Put(path, body),
      absl::StrCat("PUT ", path, " (field ", field_id, " = \"", value, "\")"),
      now());
}

}  // namespace cse::adapters::zendesk
