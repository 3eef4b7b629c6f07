#include "adapters/hubspot/hubspot_adapter.h"

#include <algorithm>
#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "adapters/common/outcome_tag.h"
#include "adapters/common/status_macros.h"
#include "adapters/hubspot/text.h"
#include "adapters/hubspot/webhook_events.h"
#include "adapters/hubspot/webhook_signature.h"
#include "google/protobuf/util/time_util.h"

namespace cse::adapters::hubspot {
namespace {

using cse::v1::MeetingEvent;
using cse::v1::TicketEvent;

google::protobuf::Timestamp MillisToTimestamp(int64_t millis) {
  return google::protobuf::util::TimeUtil::MillisecondsToTimestamp(millis);
}

cse::v1::TicketEventKind TicketKind(const WebhookEvent& e) {
  if (e.change == ChangeKind::kCreation) {
    return cse::v1::TICKET_EVENT_KIND_CREATED;
  }
  // hs_pipeline_stage is the ticket's status in HubSpot.
  return e.property_name == "hs_pipeline_stage"
             ? cse::v1::TICKET_EVENT_KIND_STATUS_CHANGED
             : cse::v1::TICKET_EVENT_KIND_UPDATED;
}

// The properties the adapter writes: HubSpot reports the adapter's own
// writes as property changes when they are subscribed, and reading them
// back as events would loop.
bool IsOwnWriteback(const HubSpotOptions& o, const WebhookEvent& e) {
  if (e.change != ChangeKind::kPropertyChange) return false;
  const std::string& p = e.property_name;
  if (e.object == FollowedObject::kTicket) {
    return p == o.ticket_tags_property || p == o.ticket_phase_property;
  }
  return p == o.meeting_tags_property || p == o.meeting_phase_property;
}

// A change of the property where agents set outcome tags: it becomes
// outcomes, not a ticket or meeting event (the object itself did not
// change for the customer).
bool IsOutcomeChange(const HubSpotOptions& o, const WebhookEvent& e) {
  if (e.change != ChangeKind::kPropertyChange) return false;
  return e.property_name == (e.object == FollowedObject::kTicket
                                 ? o.ticket_outcome_property
                                 : o.meeting_outcome_property);
}

absl::Time ToTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

// The outcomes of one delivery. A change of the outcome property says
// what was set, when and by whom; the value read with the object's other
// events is its current value, given the time of the object's first event
// in the delivery. When both give the same outcome (same object and tag,
// so the same outcome id), the change's is kept.
class DeliveryOutcomes {
 public:
  void Add(const OutcomeTagSource& where,
           const std::vector<std::string>& labels, bool from_change) {
    std::vector<cse::v1::RecordOutcomeRequest> found =
        OutcomesFromTags(where, labels, &warnings_);
    auto& into = from_change ? changes_ : reads_;
    for (cse::v1::RecordOutcomeRequest& r : found) {
      into.push_back(std::move(r));
    }
  }

  // Each outcome id once, each warning once.
  void MoveTo(CanonicalEvents* out) {
    absl::flat_hash_set<std::string> ids;
    for (auto* list : {&changes_, &reads_}) {
      for (cse::v1::RecordOutcomeRequest& r : *list) {
        if (ids.insert(r.outcome_id()).second) {
          out->outcomes.push_back(std::move(r));
        }
      }
    }
    absl::flat_hash_set<std::string> said;
    for (std::string& w : warnings_) {
      if (said.insert(w).second) out->warnings.push_back(std::move(w));
    }
  }

 private:
  std::vector<cse::v1::RecordOutcomeRequest> changes_;
  std::vector<cse::v1::RecordOutcomeRequest> reads_;
  std::vector<std::string> warnings_;
};

}  // namespace

HubSpotAdapter::HubSpotAdapter(HubSpotOptions options, HttpClient* http,
                               absl::Time (*now)())
    : options_(std::move(options)),
      now_(now),
      api_(http, &options_, now),
      reader_(&api_),
      writer_(&api_) {}

absl::StatusOr<CanonicalEvents> HubSpotAdapter::ReceiveWebhook(
    const WebhookDelivery& delivery) {
  // No exception may leave the adapter (JSON and allocation errors).
  try {
    return Receive(delivery);
  } catch (const std::exception& e) {
    return absl::InternalError(
        absl::StrCat("hubspot adapter: unexpected error: ", e.what()));
  }
}

absl::StatusOr<CanonicalEvents> HubSpotAdapter::Receive(
    const WebhookDelivery& delivery) {
  CSE_RETURN_IF_ERROR(
      VerifyDelivery(delivery,
                     {options_.client_secret, options_.max_signature_age,
                      options_.accept_legacy_signatures},
                     now_()));
  CSE_ASSIGN_OR_RETURN(std::vector<WebhookEvent> events,
                       ParseDelivery(delivery.body));
  // HubSpot promises no order; the sidecar gets the delivery's events in
  // the order they happened.
  std::stable_sort(events.begin(), events.end(),
                   [](const WebhookEvent& a, const WebhookEvent& b) {
                     return a.occurred_at_ms < b.occurred_at_ms;
                   });

  CanonicalEvents out;
  absl::flat_hash_set<std::string> seen;
  // One read per object per delivery, whatever the number of its events.
  absl::flat_hash_map<uint64_t, ReadResult<TicketEvent>> tickets;
  absl::flat_hash_map<uint64_t, ReadResult<MeetingEvent>> meetings;
  DeliveryOutcomes outcomes;
  // Objects whose read value of the outcome property has been taken.
  absl::flat_hash_set<std::string> outcomes_read;
  auto where = [&](const std::string& account_id, std::string object_key,
                   absl::Time at, const std::string& user_id) {
    OutcomeTagSource source;
    source.account_id = account_id;
    source.source = options_.name;
    source.object_key = std::move(object_key);
    source.occurred_at = at;
    source.recorded_by = user_id;
    return source;
  };
  for (const WebhookEvent& e : events) {
    if (e.object == FollowedObject::kNone) {
      out.ignored.push_back(
          absl::StrCat(e.pointer, ": not followed: ", e.Describe()));
      continue;
    }
    if (options_.portal_id != 0 && e.portal_id != options_.portal_id) {
      out.ignored.push_back(absl::StrCat(e.pointer, ": portal ", e.portal_id,
                                         " is not ", options_.portal_id, ": ",
                                         e.Describe()));
      continue;
    }
    if (IsOwnWriteback(options_, e)) {
      out.ignored.push_back(absl::StrCat(
          e.pointer, ": the adapter's own writeback property: ", e.Describe()));
      continue;
    }
    const std::string id = e.CanonicalId();
    if (!seen.insert(id).second) {
      out.ignored.push_back(
          absl::StrCat(e.pointer, ": duplicate of event ", id));
      continue;
    }
    if (e.object == FollowedObject::kTicket) {
      auto it = tickets.find(e.object_id);
      if (it == tickets.end()) {
        CSE_ASSIGN_OR_RETURN(ReadResult<TicketEvent> read,
                             reader_.ReadTicket(e.object_id));
        it = tickets.emplace(e.object_id, std::move(read)).first;
      }
      if (!it->second.event) {
        out.ignored.push_back(
            absl::StrCat(e.pointer, ": ", it->second.ignored_reason));
        continue;
      }
      const std::string key = absl::StrCat("ticket/", e.object_id);
      const std::string& account_id = it->second.event->account().id();
      const absl::Time at = absl::FromUnixMillis(e.occurred_at_ms);
      if (IsOutcomeChange(options_, e)) {
        outcomes.Add(where(account_id, key, at, e.user_id),
                     SplitMultiValue(e.property_value), /*from_change=*/true);
        continue;
      }
      if (outcomes_read.insert(key).second) {
        outcomes.Add(where(account_id, key, at, ""), it->second.outcome_labels,
                     /*from_change=*/false);
      }
      TicketEvent t = *it->second.event;
      t.set_source(options_.name);
      t.set_event_id(id);
      t.set_kind(TicketKind(e));
      *t.mutable_occurred_at() = MillisToTimestamp(e.occurred_at_ms);
      t.set_sequence(static_cast<uint64_t>(e.occurred_at_ms));
      if (e.change == ChangeKind::kPropertyChange) {
        (*t.mutable_custom_fields())["hubspot_changed_property"] =
            e.property_name;
      }
      out.tickets.push_back(std::move(t));
    } else {
      auto it = meetings.find(e.object_id);
      if (it == meetings.end()) {
        CSE_ASSIGN_OR_RETURN(ReadResult<MeetingEvent> read,
                             reader_.ReadMeeting(e.object_id));
        it = meetings.emplace(e.object_id, std::move(read)).first;
      }
      if (!it->second.event) {
        out.ignored.push_back(
            absl::StrCat(e.pointer, ": ", it->second.ignored_reason));
        continue;
      }
      MeetingEvent m = *it->second.event;
      m.set_source(options_.name);
      m.set_event_id(id);
      // occurred_at is when the meeting takes place (its start time) when
      // HubSpot has one, else when the event happened.
      if (!m.has_occurred_at()) {
        *m.mutable_occurred_at() = MillisToTimestamp(e.occurred_at_ms);
      }
      // A meeting's outcomes carry the meeting's own time, so the
      // suggestion made for the meeting is the one they follow.
      const std::string key = absl::StrCat("meeting/", e.object_id);
      const absl::Time at = ToTime(m.occurred_at());
      if (IsOutcomeChange(options_, e)) {
        outcomes.Add(where(m.account().id(), key, at, e.user_id),
                     SplitMultiValue(e.property_value), /*from_change=*/true);
        continue;
      }
      if (outcomes_read.insert(key).second) {
        outcomes.Add(where(m.account().id(), key, at, ""),
                     it->second.outcome_labels, /*from_change=*/false);
      }
      m.set_sequence(static_cast<uint64_t>(e.occurred_at_ms));
      if (e.change == ChangeKind::kPropertyChange) {
        (*m.mutable_custom_fields())["hubspot_changed_property"] =
            e.property_name;
      }
      out.meetings.push_back(std::move(m));
    }
  }
  outcomes.MoveTo(&out);
  return out;
}

WritebackOutcome HubSpotAdapter::PerformWriteback(
    const cse::v1::WritebackJob& job) {
  try {
    return writer_.Perform(job);
  } catch (const std::exception& e) {
    WritebackOutcome outcome;
    outcome.result = cse::v1::WRITEBACK_RESULT_FAILED_RETRYABLE;
    outcome.crm_answer =
        absl::StrCat("hubspot adapter: unexpected error: ", e.what());
    return outcome;
  }
}

}  // namespace cse::adapters::hubspot
