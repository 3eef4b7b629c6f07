#include "adapters/generic_webhook/generic_webhook_adapter.h"

#include <exception>
#include <utility>

#include "absl/strings/str_cat.h"
#include "adapters/generic_webhook/config_paths.h"
#include "nlohmann/json.hpp"

namespace cse::adapters::generic_webhook {

std::optional<size_t> FindInvalidUtf8(absl::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t length = 0;
    uint32_t code_point = 0;
    if ((c & 0xE0) == 0xC0) {
      length = 2;
      code_point = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3;
      code_point = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4;
      code_point = c & 0x07;
    } else {
      return i;
    }
    if (i + length > text.size()) return i;
    for (size_t k = 1; k < length; ++k) {
      const unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return i;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    static constexpr uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < kMinForLength[length] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return i;
    }
    i += length;
  }
  return std::nullopt;
}

std::optional<size_t> FindExcessiveNesting(absl::string_view json,
                                           int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // skip the escaped character
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::nullopt;
}

std::vector<config::ConfigError> ValidateGenericWebhookConfig(
    const cse::adapters::v1::GenericWebhookConfig& config,
    absl::string_view path) {
  ConfigErrors errors;
  DeliveryAuthenticator::Validate(config, path, &errors);
  EventMapper::Compile(config, path, &errors);
  WritebackPerformer::Compile(config, path, &errors);
  return errors.Take();
}

absl::StatusOr<std::unique_ptr<CrmAdapter>> CreateGenericWebhookAdapter(
    absl::string_view name,
    const cse::adapters::v1::GenericWebhookConfig& config,
    const AdapterContext& context) {
  const std::string path = absl::StrCat("crm \"", name, "\" generic_webhook");
  ConfigErrors errors;
  DeliveryAuthenticator::Validate(config, path, &errors);
  EventMapper mapper = EventMapper::Compile(config, path, &errors);
  WritebackPerformer writeback =
      WritebackPerformer::Compile(config, path, &errors);
  if (!errors.empty()) {
    return absl::InvalidArgumentError(
        config::FormatConfigErrors(errors.errors()));
  }
  if (context.secrets == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": no secret reader given"));
  }
  absl::StatusOr<DeliveryAuthenticator> authenticator =
      DeliveryAuthenticator::Create(config, path, *context.secrets);
  if (!authenticator.ok()) return authenticator.status();
  absl::Status bound =
      writeback.Bind(config, path, *context.secrets, context.http, context.now);
  if (!bound.ok()) return bound;
  return std::make_unique<GenericWebhookAdapter>(
      std::string(name), *std::move(authenticator), std::move(mapper),
      std::move(writeback), context.now);
}

GenericWebhookAdapter::GenericWebhookAdapter(
    std::string name, DeliveryAuthenticator authenticator, EventMapper mapper,
    WritebackPerformer writeback, absl::Time (*now)())
    : name_(std::move(name)),
      authenticator_(std::move(authenticator)),
      mapper_(std::move(mapper)),
      writeback_(std::move(writeback)),
      now_(now) {}

absl::StatusOr<CanonicalEvents> GenericWebhookAdapter::ReceiveWebhook(
    const WebhookDelivery& delivery) {
  // Adapter edge: no exception may escape into the runtime.
  try {
    absl::Status authenticated = authenticator_.Check(delivery, now_());
    if (!authenticated.ok()) return authenticated;
    if (std::optional<size_t> bad = FindInvalidUtf8(delivery.body)) {
      return absl::InvalidArgumentError(
          absl::StrCat("body: not valid UTF-8 at byte ", *bad,
                       " (JSON payloads must be UTF-8, RFC 8259 section 8.1)"));
    }
    if (std::optional<size_t> deep =
            FindExcessiveNesting(delivery.body, kMaxJsonDepth)) {
      return absl::InvalidArgumentError(
          absl::StrCat("body: nested deeper than ", kMaxJsonDepth,
                       " levels at byte ", *deep));
    }
    nlohmann::json body;
    try {
      body = nlohmann::json::parse(delivery.body);
    } catch (const nlohmann::json::parse_error& e) {
      return absl::InvalidArgumentError(absl::StrCat(
          "body: not valid JSON at byte ", e.byte, ": ", e.what()));
    }
    return mapper_.Map(body, delivery.headers, name_);
  } catch (const std::exception& e) {
    return absl::InternalError(
        absl::StrCat("generic_webhook: unexpected error: ", e.what()));
  }
}

WritebackOutcome GenericWebhookAdapter::PerformWriteback(
    const cse::v1::WritebackJob& job) {
  return writeback_.Perform(job);
}

}  // namespace cse::adapters::generic_webhook
