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
// or every note would come back as a new comment.
//
// Outcomes: agents add labels "cse-outcome-<practice>-<reaction>[-mode]"
// to the ticket custom field PollerOptions::outcome_field ("CSE Outcome").
// A change of that field is a transaction of Type "CustomField" whose
// Field is the custom field's id and NewValue the value added (RT wiki,
// "Transaction": https://rt-wiki.bestpractical.com/wiki/Transaction; and
// the vendor notes' REST2 history). A multi-value field is a ticket
// custom field of type Freeform with MaxValues 0; REST2's GET /ticket/:id
// lists it as {"id","name","values":[...]} (RT::REST2, "Tickets",
// https://docs.bestpractical.com/rt/5.0.3/RT/REST2.html). Every ticket a
// batch touches (an event, or a change of the outcome field) has its
// current values of that field read and sent as outcomes
// (OutcomesFromTags: one outcome id per ticket and label, so a label
// re-read on every later update is recorded once).
// Each label is dated and signed by the transaction of the batch that
// added it, else by the ticket's first transaction in the batch (values
// given at ticket creation leave no CustomField transaction, measured on
// RT 5.0.3). Other custom-field changes (the adapter's own tags and phase
// writes, most of them) are skipped without a request.
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
  // The ticket custom field where agents put outcome labels.
  std::string outcome_field = "CSE Outcome";
};

class RtTransactionPoller : public EventPoller {
 public:
  RtTransactionPoller(RtSession* session, PollerOptions options);

  absl::StatusOr<Batch> PollAfter(absl::string_view cursor) override;

 private:
  absl::StatusOr<nlohmann::json> GetJson(const std::string& path);
  absl::StatusOr<std::string> NewestTransactionId();
  // The ticket, fetched once per poll; nullopt-like null json when RT no
  // longer shows it (deleted, or no right to see it). Learns the names of
  // the ticket's custom fields.
  absl::StatusOr<nlohmann::json> Ticket(const std::string& id);
  // Whether the ticket's queue is watched ("" when it is, else why not).
  absl::StatusOr<std::string> NotWatched(const nlohmann::json& ticket);
  absl::StatusOr<std::string> QueueName(const std::string& id);
  absl::StatusOr<std::string> Content(const std::string& transaction_id);

  RtSession* session_;
  PollerOptions options_;
  absl::flat_hash_set<std::string> queues_;
  absl::flat_hash_map<std::string, nlohmann::json> tickets_;
  absl::flat_hash_map<std::string, std::string> queue_names_;
  // Custom field id -> name, from the tickets read: a ticket shows the
  // fields its queue applies and the adapter's user may see
  // (SeeCustomField granted on the queue is enough there, while REST2's
  // /customfields search shows nothing to such a user: measured on RT
  // 5.0.3). Kept across polls and refreshed by every ticket read, so a
  // renamed field is seen at the next read.
  absl::flat_hash_map<std::string, std::string> field_names_;
};

}  // namespace cse::adapters::request_tracker

#endif  // CSE_ADAPTERS_REQUEST_TRACKER_RT_TRANSACTION_POLLER_H_
