// RtTransactionPoller: Request Tracker's ticket transactions as canonical
// events, read by id cursor.
//
// RT 5 has no outgoing webhooks, and a scrip's push is fire-and-forget and
// arrives out of order, so the source of truth is REST2's transaction
// search: `ObjectType = 'RT::Ticket' AND id > <cursor>` ordered by id.
// Transaction ids only grow, so nothing is missed and there is no clock to
// trust. Each transaction becomes one TicketEvent with event id
// "txn-<id>" (stable, so a re-poll is dropped by the sidecar as a
// duplicate) and sequence <id> (RT's own order).
//
// Read: Create, Comment, Correspond (with their text, from the
// transaction's attachments) and Status changes (resolved -> open is a
// reopen). The adapter's own notes (Subject carries "[cse:") are skipped,
// or every note would come back as a new comment; custom-field changes are
// not read (the adapter's own writes are most of them).
#ifndef CSE_ADAPTERS_REQUEST_TRACKER_RT_TRANSACTION_POLLER_H_
#define CSE_ADAPTERS_REQUEST_TRACKER_RT_TRANSACTION_POLLER_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "adapters/crm_adapter.h"
#include "adapters/request_tracker/rt_session.h"

namespace cse::adapters::request_tracker {

struct PollerOptions {
  std::string source;  // the CRM instance name
  bool backfill = false;
  int page_size = 50;
  std::string account_field;        // empty: requestor's email domain
  std::vector<std::string> queues;  // empty: all
};

class RtTransactionPoller : public EventPoller {
 public:
  RtTransactionPoller(RtSession* session, PollerOptions options);

  absl::StatusOr<Batch> PollAfter(absl::string_view cursor) override;

 private:
  absl::StatusOr<nlohmann::json> GetJson(const std::string& path);
  absl::StatusOr<std::string> NewestTransactionId();
  // The ticket, fetched once per poll; nullopt-like null json when RT no
  // longer shows it (deleted, or no right to see it).
  absl::StatusOr<nlohmann::json> Ticket(const std::string& id);
  absl::StatusOr<std::string> QueueName(const std::string& id);
  absl::StatusOr<std::string> Content(const std::string& transaction_id);

  RtSession* session_;
  PollerOptions options_;
  absl::flat_hash_set<std::string> queues_;
  absl::flat_hash_map<std::string, nlohmann::json> tickets_;
  absl::flat_hash_map<std::string, std::string> queue_names_;
};

}  // namespace cse::adapters::request_tracker

#endif  // CSE_ADAPTERS_REQUEST_TRACKER_RT_TRANSACTION_POLLER_H_
