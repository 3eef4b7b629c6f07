#include "adapters/generic_webhook/writeback_performer.h"

#include <exception>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "adapters/common/http_answer.h"
#include "adapters/common/secret_reader.h"
#include "nlohmann/json.hpp"

namespace cse::adapters::generic_webhook {
namespace {

using cse::adapters::v1::GenericWebhookConfig;
using cse::v1::WRITEBACK_RESULT_DONE;

constexpr uint32_t kDefaultTimeoutMs = 10000;
constexpr uint32_t kMaxTimeoutMs = 120000;

PlaceholderSet CommonPlaceholders(const cse::adapters::v1::Writeback& wb) {
  PlaceholderSet set;
  set.strings = {"object_id",       "object_kind",   "account_id", "event_id",
                 "idempotency_key", "target_system", "job_id"};
  for (const auto& [name, unused] : wb.secrets()) set.secrets.insert(name);
  return set;
}

bool IsSecretName(absl::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' &&
        c != '-') {
      return false;
    }
  }
  return true;
}

// `second` with `first`'s answer in front, for two-call actions.
WritebackOutcome Chain(const WritebackOutcome& first, WritebackOutcome second) {
  second.crm_answer = absl::StrCat(first.crm_answer, "; ", second.crm_answer);
  return second;
}

std::string ObjectKindName(cse::v1::CrmObjectKind kind) {
  switch (kind) {
    case cse::v1::CRM_OBJECT_KIND_TICKET:
      return "ticket";
    case cse::v1::CRM_OBJECT_KIND_MEETING:
      return "meeting";
    default:
      return "unspecified";
  }
}

std::string JsonArray(const std::vector<std::string>& items) {
  return nlohmann::json(items).dump(-1, ' ', false,
                                    nlohmann::json::error_handler_t::replace);
}

}  // namespace

WritebackPerformer WritebackPerformer::Compile(
    const GenericWebhookConfig& config, absl::string_view path,
    ConfigErrors* errors) {
  WritebackPerformer performer;
  if (!config.has_writeback()) return performer;
  performer.configured_ = true;
  const cse::adapters::v1::Writeback& wb = config.writeback();
  const std::string base = Child(path, "writeback");

  const std::string& base_url = wb.base_url();
  if (!base_url.empty()) {
    const bool http = absl::StartsWith(base_url, "https://") ||
                      absl::StartsWith(base_url, "http://");
    if (!http || base_url.find_first_of("{}?# ") != std::string::npos ||
        base_url.size() <= base_url.find("://") + 3) {
      errors->Add(Child(base, "base_url"),
                  absl::StrCat("\"", base_url,
                               "\" must be an http(s) URL without "
                               "placeholders, query or fragment, e.g. "
                               "https://chatwoot.example.com"));
    }
  }
  for (const auto& [name, secret] : wb.secrets()) {
    const std::string secret_path = Child(Child(base, "secrets"), name);
    if (!IsSecretName(name)) {
      errors->Add(secret_path, "secret names are letters, digits, '_' and '-'");
    }
    if (!IsSecretSet(secret)) {
      errors->Add(secret_path, "required: env or file");
    }
  }
  if (wb.timeout_ms() > kMaxTimeoutMs) {
    errors->Add(Child(base, "timeout_ms"),
                absl::StrCat("at most ", kMaxTimeoutMs, "; default ",
                             kDefaultTimeoutMs));
  }
  performer.timeout_ = absl::Milliseconds(
      wb.timeout_ms() == 0 ? kDefaultTimeoutMs : wb.timeout_ms());
  if (!wb.request_id_header().empty()) {
    performer.request_id_header_ = wb.request_id_header();
  }

  const PlaceholderSet common = CommonPlaceholders(wb);
  performer.common_headers_ = HttpCallTemplate::CompileCommonHeaders(
      wb.headers(), Child(base, "headers"), common, errors);

  if (!wb.has_tags() && !wb.has_note() && !wb.has_phase_field()) {
    errors->Add(base, "configure at least one of tags, note, phase_field");
  }

  if (wb.has_tags()) {
    const std::string tags_path = Child(base, "tags");
    const cse::adapters::v1::TagsAction& tags = wb.tags();
    PlaceholderSet set = common;
    set.strings.insert({"tags_csv", "all_tags_csv"});
    set.json_values.insert({"tags_json", "all_tags_json"});
    std::optional<HttpCallTemplate> write;
    if (!tags.has_request()) {
      errors->Add(Child(tags_path, "request"), "required");
    } else {
      write = HttpCallTemplate::Compile(
          tags.request(), Child(tags_path, "request"), base_url, set, errors);
    }
    std::optional<HttpCallTemplate> read;
    std::optional<JsonPointer> read_pointer;
    std::optional<JsonPointer> item_pointer;
    if (tags.has_existing_tags()) {
      const std::string existing_path = Child(tags_path, "existing_tags");
      const cse::adapters::v1::ExistingTags& existing = tags.existing_tags();
      if (!existing.has_request()) {
        errors->Add(Child(existing_path, "request"), "required");
      } else {
        read = HttpCallTemplate::Compile(existing.request(),
                                         Child(existing_path, "request"),
                                         base_url, common, errors);
      }
      absl::StatusOr<JsonPointer> pointer =
          JsonPointer::Parse(existing.pointer());
      if (!pointer.ok()) {
        errors->Add(Child(existing_path, "pointer"),
                    std::string(pointer.status().message()));
      } else {
        read_pointer = *std::move(pointer);
      }
      if (!existing.item_pointer().empty()) {
        absl::StatusOr<JsonPointer> item =
            JsonPointer::Parse(existing.item_pointer());
        if (!item.ok()) {
          errors->Add(Child(existing_path, "item_pointer"),
                      std::string(item.status().message()));
        } else {
          item_pointer = *std::move(item);
        }
      }
    } else if (write.has_value() && (write->BodyUses("all_tags") ||
                                     write->BodyUses("all_tags_csv") ||
                                     write->UrlUses("all_tags_csv"))) {
      errors->Add(Child(tags_path, "existing_tags"),
                  "required when the request uses {all_tags_json} or "
                  "{all_tags_csv}: they are the existing tags plus the job's");
    }
    if (write.has_value()) {
      performer.tags_ =
          TagsPlan{*std::move(write), std::move(read), std::move(read_pointer),
                   std::move(item_pointer)};
    }
  }

  if (wb.has_note()) {
    const std::string note_path = Child(base, "note");
    const cse::adapters::v1::NoteAction& note = wb.note();
    PlaceholderSet set = common;
    set.strings.insert({"note_markdown", "marker"});
    std::optional<HttpCallTemplate> write;
    if (!note.has_request()) {
      errors->Add(Child(note_path, "request"), "required");
    } else {
      write = HttpCallTemplate::Compile(
          note.request(), Child(note_path, "request"), base_url, set, errors);
    }
    std::optional<HttpCallTemplate> check;
    if (note.has_marker_check()) {
      PlaceholderSet check_set = common;
      check_set.strings.insert("marker");
      check = HttpCallTemplate::Compile(note.marker_check(),
                                        Child(note_path, "marker_check"),
                                        base_url, check_set, errors);
      if (write.has_value() && !write->BodyUses("marker")) {
        errors->Add(Child(Child(note_path, "request"), "body"),
                    "must contain {marker} (or {marker_json}): marker_check "
                    "looks for it to tell whether the note is there");
      }
    } else if (note.has_request()) {
      const bool idempotency_header = [&] {
        for (const auto& [name, value] : note.request().headers()) {
          if (absl::StrContains(value, "{idempotency_key}")) return true;
        }
        for (const auto& [name, value] : wb.headers()) {
          if (absl::StrContains(value, "{idempotency_key}")) return true;
        }
        return false;
      }();
      if (!idempotency_header) {
        errors->Add(Child(note_path, "marker_check"),
                    "required (or send {idempotency_key} in a header to an "
                    "API that honours it): without it a repeated job posts "
                    "the note twice");
      }
    }
    if (write.has_value()) {
      performer.note_ = NotePlan{*std::move(write), std::move(check)};
    }
  }

  if (wb.has_phase_field()) {
    const std::string phase_path = Child(base, "phase_field");
    PlaceholderSet set = common;
    set.strings.insert({"phase_id", "phase_name", "phase_field"});
    if (!wb.phase_field().has_request()) {
      errors->Add(Child(phase_path, "request"), "required");
    } else if (std::optional<HttpCallTemplate> write =
                   HttpCallTemplate::Compile(wb.phase_field().request(),
                                             Child(phase_path, "request"),
                                             base_url, set, errors)) {
      performer.phase_ =
          PhasePlan{*std::move(write), wb.phase_field().default_field()};
    }
  }
  return performer;
}

absl::Status WritebackPerformer::Bind(const GenericWebhookConfig& config,
                                      absl::string_view path,
                                      const SecretReader& secrets,
                                      HttpClient* http, absl::Time (*now)()) {
  http_ = http;
  now_ = now;
  if (!config.has_writeback()) return absl::OkStatus();
  const std::string base = Child(Child(path, "writeback"), "secrets");
  for (const auto& [name, secret] : config.writeback().secrets()) {
    absl::StatusOr<std::string> value = secrets.Read(secret, Child(base, name));
    if (!value.ok()) return value.status();
    secrets_[name] = *std::move(value);
  }
  if (http_ == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": writeback needs an HTTP client"));
  }
  return absl::OkStatus();
}

WritebackOutcome WritebackPerformer::Perform(
    const cse::v1::WritebackJob& job) const {
  if (!configured_) {
    return WritebackPermanent(
        "writeback is not configured for this CRM "
        "(generic_webhook.writeback)");
  }
  PlaceholderValues values;
  values.strings["object_id"] = job.object_id();
  values.strings["object_kind"] = ObjectKindName(job.object_kind());
  values.strings["account_id"] = job.account_id();
  values.strings["event_id"] = job.event_id();
  values.strings["idempotency_key"] = job.idempotency_key();
  values.strings["target_system"] = job.target_system();
  values.strings["job_id"] = absl::StrCat(job.job_id());
  values.secrets = &secrets_;
  // Adapter edge: no exception may escape into the runtime.
  try {
    switch (job.action_case()) {
      case cse::v1::WritebackJob::kTags:
        return PerformTags(job, std::move(values));
      case cse::v1::WritebackJob::kNote:
        return PerformNote(job, std::move(values));
      case cse::v1::WritebackJob::kPhaseField:
        return PerformPhase(job, std::move(values));
      default:
        return WritebackPermanent("the job has no action");
    }
  } catch (const std::exception& e) {
    return WritebackPermanent(absl::StrCat("internal error: ", e.what()));
  }
}

WritebackOutcome WritebackPerformer::Send(
    const HttpCallTemplate& call, const PlaceholderValues& values,
    absl::StatusOr<HttpResponse>* answer) const {
  absl::StatusOr<HttpRequest> request =
      call.Render(values, common_headers_, timeout_);
  if (!request.ok()) {
    *answer = request.status();
    return WritebackPermanent(
        absl::StrCat("cannot build the request: ", request.status().message()));
  }
  *answer = http_->Send(*request);
  return ClassifyHttpAnswer(*answer, DescribeRequest(*request), now_(),
                            request_id_header_);
}

WritebackOutcome WritebackPerformer::PerformTags(
    const cse::v1::WritebackJob& job, PlaceholderValues values) const {
  if (!tags_.has_value()) {
    return WritebackPermanent("writeback.tags is not configured for this CRM");
  }
  std::vector<std::string> tags(job.tags().tags().begin(),
                                job.tags().tags().end());
  if (tags.empty()) return WritebackDone("no tags to add");
  values.strings["tags_csv"] = absl::StrJoin(tags, ",");
  values.json_values["tags_json"] = JsonArray(tags);
  // Without a read, "all tags" are the job's tags.
  values.strings["all_tags_csv"] = values.strings["tags_csv"];
  values.json_values["all_tags_json"] = values.json_values["tags_json"];

  if (!tags_->read.has_value()) {
    absl::StatusOr<HttpResponse> answer;
    return Send(tags_->write, values, &answer);
  }
  absl::StatusOr<HttpResponse> read_answer;
  WritebackOutcome read = Send(*tags_->read, values, &read_answer);
  if (read.result != WRITEBACK_RESULT_DONE) {
    read.crm_answer = absl::StrCat("reading tags: ", read.crm_answer);
    return read;
  }
  const nlohmann::json body =
      nlohmann::json::parse(read_answer->body, nullptr, false);
  if (body.is_discarded()) {
    return WritebackPermanent(
        absl::StrCat(read.crm_answer,
                     "; the answer is not JSON, cannot read the "
                     "existing tags"));
  }
  const nlohmann::json* list = tags_->read_pointer->Resolve(body);
  if (list == nullptr || !list->is_array()) {
    return WritebackPermanent(
        absl::StrCat(read.crm_answer, "; ", tags_->read_pointer->text(),
                     " is not an array in the answer (",
                     list == nullptr ? "absent" : JsonTypeName(*list),
                     "); check writeback.tags.existing_tags.pointer"));
  }
  std::vector<std::string> all;
  absl::flat_hash_set<std::string> present;
  for (const nlohmann::json& element : *list) {
    const nlohmann::json* item = &element;
    if (tags_->item_pointer.has_value()) {
      item = tags_->item_pointer->Resolve(element);
      if (item == nullptr) continue;
    }
    std::optional<std::string> name = ScalarText(*item);
    if (!name.has_value()) continue;
    if (present.insert(*name).second) all.push_back(*name);
  }
  size_t missing = 0;
  for (const std::string& tag : tags) {
    if (present.insert(tag).second) {
      all.push_back(tag);
      ++missing;
    }
  }
  if (missing == 0) {
    return WritebackDone(
        absl::StrCat(read.crm_answer, "; all ", tags.size(),
                     " tags already present, nothing written"));
  }
  values.strings["all_tags_csv"] = absl::StrJoin(all, ",");
  values.json_values["all_tags_json"] = JsonArray(all);
  absl::StatusOr<HttpResponse> answer;
  return Chain(read, Send(tags_->write, values, &answer));
}

WritebackOutcome WritebackPerformer::PerformNote(
    const cse::v1::WritebackJob& job, PlaceholderValues values) const {
  if (!note_.has_value()) {
    return WritebackPermanent("writeback.note is not configured for this CRM");
  }
  const std::string& marker = job.note().marker();
  values.strings["note_markdown"] = job.note().markdown();
  values.strings["marker"] = marker;
  if (!note_->marker_check.has_value()) {
    absl::StatusOr<HttpResponse> answer;
    return Send(note_->write, values, &answer);
  }
  if (marker.empty()) {
    return WritebackPermanent(
        "the job's note has no marker; cannot check whether it "
        "was posted already");
  }
  absl::StatusOr<HttpResponse> check_answer;
  WritebackOutcome check = Send(*note_->marker_check, values, &check_answer);
  if (check.result != WRITEBACK_RESULT_DONE) {
    check.crm_answer =
        absl::StrCat("checking for the marker: ", check.crm_answer);
    return check;
  }
  // The marker as written, or as a JSON string escapes it.
  if (absl::StrContains(check_answer->body, marker) ||
      absl::StrContains(check_answer->body, JsonStringContent(marker))) {
    return WritebackDone(
        absl::StrCat(check.crm_answer, "; marker ", marker,
                     " already present, note not posted again"));
  }
  absl::StatusOr<HttpResponse> answer;
  return Chain(check, Send(note_->write, values, &answer));
}

WritebackOutcome WritebackPerformer::PerformPhase(
    const cse::v1::WritebackJob& job, PlaceholderValues values) const {
  if (!phase_.has_value()) {
    return WritebackPermanent(
        "writeback.phase_field is not configured for this CRM");
  }
  const std::string field = job.phase_field().field().empty()
                                ? phase_->default_field
                                : job.phase_field().field();
  if (field.empty() && (phase_->write.BodyUses("phase_field") ||
                        phase_->write.UrlUses("phase_field"))) {
    return WritebackPermanent(
        "the job names no phase field and "
        "writeback.phase_field.default_field is empty");
  }
  values.strings["phase_id"] = job.phase_field().phase_id();
  values.strings["phase_name"] = job.phase_field().phase_name();
  values.strings["phase_field"] = field;
  absl::StatusOr<HttpResponse> answer;
  return Send(phase_->write, values, &answer);
}

}  // namespace cse::adapters::generic_webhook
