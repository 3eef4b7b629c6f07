// WritebackPerformer: a writeback job -> the admin's templated HTTP calls.
//
// Per action (GenericWebhookConfig.writeback):
//   tags        optionally GET the object's current tags; when all of the
//               job's tags are there, nothing is written (set union);
//               otherwise the write, which may send {all_tags_json} to APIs
//               that replace the whole list;
//   note        optionally GET the object's notes; when the answer contains
//               the job's marker, the note is there already and is not
//               posted again; otherwise the write;
//   phase_field the write (an overwrite, harmless to repeat).
// Every answer is classified by adapters/common/http_answer.h, so 429/503
// come back FAILED_RETRYABLE with Retry-After, other 4xx FAILED_PERMANENT,
// timeouts FAILED_RETRYABLE. Never throws.
#ifndef CSE_ADAPTERS_GENERIC_WEBHOOK_WRITEBACK_PERFORMER_H_
#define CSE_ADAPTERS_GENERIC_WEBHOOK_WRITEBACK_PERFORMER_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "adapters/common/http_client.h"
#include "adapters/common/secret_reader.h"
#include "adapters/crm_adapter.h"
#include "adapters/generic_webhook/config_paths.h"
#include "adapters/generic_webhook/http_call_template.h"
#include "adapters/generic_webhook/json_pointer.h"
#include "cse/adapters/v1/generic_webhook.pb.h"

namespace cse::adapters::generic_webhook {

class WritebackPerformer {
 public:
  // Compiles `config.writeback` (if set); problems go to `errors` with
  // paths under `path`. Usable only when none was added, after Bind.
  static WritebackPerformer Compile(
      const cse::adapters::v1::GenericWebhookConfig& config,
      absl::string_view path, ConfigErrors* errors);

  // Reads the secrets and keeps the client and clock. INVALID_ARGUMENT
  // naming a secret that cannot be read.
  absl::Status Bind(const cse::adapters::v1::GenericWebhookConfig& config,
                    absl::string_view path, const SecretReader& secrets,
                    HttpClient* http, absl::Time (*now)());

  // Performs `job`; see the file comment. Thread-safe after Bind.
  WritebackOutcome Perform(const cse::v1::WritebackJob& job) const;

 private:
  struct TagsPlan {
    HttpCallTemplate write;
    std::optional<HttpCallTemplate> read;
    std::optional<JsonPointer> read_pointer;
    std::optional<JsonPointer> item_pointer;
  };
  struct NotePlan {
    HttpCallTemplate write;
    std::optional<HttpCallTemplate> marker_check;
  };
  struct PhasePlan {
    HttpCallTemplate write;
    std::string default_field;
  };

  WritebackOutcome PerformTags(const cse::v1::WritebackJob& job,
                               PlaceholderValues values) const;
  WritebackOutcome PerformNote(const cse::v1::WritebackJob& job,
                               PlaceholderValues values) const;
  WritebackOutcome PerformPhase(const cse::v1::WritebackJob& job,
                                PlaceholderValues values) const;
  // Renders and sends `call`; a render failure is a permanent outcome.
  WritebackOutcome Send(const HttpCallTemplate& call,
                        const PlaceholderValues& values,
                        absl::StatusOr<HttpResponse>* answer) const;

  bool configured_ = false;
  std::vector<std::pair<std::string, TextTemplate>> common_headers_;
  std::optional<TagsPlan> tags_;
  std::optional<NotePlan> note_;
  std::optional<PhasePlan> phase_;
  absl::Duration timeout_ = absl::Seconds(10);
  std::string request_id_header_ = "x-request-id";
  absl::flat_hash_map<std::string, std::string> secrets_;
  HttpClient* http_ = nullptr;
  absl::Time (*now_)() = &absl::Now;
};

}  // namespace cse::adapters::generic_webhook

#endif  // CSE_ADAPTERS_GENERIC_WEBHOOK_WRITEBACK_PERFORMER_H_
