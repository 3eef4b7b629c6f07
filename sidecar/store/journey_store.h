// What the sidecar remembers of each account's journey: the ingest path.
//
// The service layer is the only user. Implementations: InMemoryJourneyStore
// (for tests and the in-memory path), SqliteJourneyStore (the embedded
// default) and PostgresJourneyStore (shared by several replicas); each also
// implements the other journey-memory interfaces (journey_memory.h).
#ifndef CSE_SIDECAR_STORE_JOURNEY_STORE_H_
#define CSE_SIDECAR_STORE_JOURNEY_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "sidecar/store/journey_records.h"
#include "sidecar/store/writeback_outbox.h"

namespace cse::store {

// One ingested event and what the sidecar concluded. RecordIngest stores
// all of it in one transaction.
struct IngestRecord {
  std::string source;
  std::string event_id;
  std::string account_id;
  // The decided phase id, empty when unknown.
  std::string phase_id;
  // The serialised cse.v1.Assessment returned to the caller. It carries
  // only short evidence excerpts, never the whole body.
  std::string assessment;
  // The event's own time (the CRM's, else the delivery time) and the CRM's
  // sequence, which breaks ties between events of the same instant (0 when
  // the CRM has none; values above INT64_MAX are clamped).
  absl::Time occurred_at;
  uint64_t sequence = 0;
  // The phase's 1-based position in the model (0 unknown), the layer that
  // decided it and a one-line explanation: the phase history reports them
  // for each transition.
  int phase_number = 0;
  PhaseDecidedBy phase_decided_by = PhaseDecidedBy::kUnspecified;
  std::string phase_explanation;
  // The event's message text. Stored only when the store's
  // RetentionPolicy::keep_bodies says so; dropped by default.
  std::string body;
  std::vector<CriticalEventRecord> critical_events;
  // Ranked, best first.
  std::vector<SuggestionRecord> suggestions;
  // Jobs for the event's CRM (record.source); pending from the start.
  std::vector<WritebackSpec> writebacks;
};

class JourneyStore {
 public:
  virtual ~JourneyStore() = default;

  // Records the event with everything it carries, atomically, unless
  // (source, event_id) is already stored. Returns the stored record's
  // assessment when it was a duplicate (nothing is changed then),
  // std::nullopt when it was recorded now. Returns only once the record is
  // durable (committed). The account's current phase follows the events'
  // own order (occurred_at, then sequence), not their arrival: a late older
  // event does not move it, and a newer one may step back.
  virtual absl::StatusOr<std::optional<std::string>> RecordIngest(
      const IngestRecord& record) = 0;

  // The stored assessment of an event, if any.
  virtual absl::StatusOr<std::optional<std::string>> FindAssessment(
      absl::string_view source, absl::string_view event_id) = 0;

  // The account's last known phase id (latest by occurred_at, then
  // sequence), or empty.
  virtual absl::StatusOr<std::string> LastKnownPhase(
      absl::string_view account_id) = 0;
};

}  // namespace cse::store

#endif  // CSE_SIDECAR_STORE_JOURNEY_STORE_H_
