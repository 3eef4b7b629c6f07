#include "adapters/request_tracker/rt_transaction_poller.h"

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "adapters/common/http_answer.h"
#include "adapters/common/outcome_tag.h"
#include "adapters/request_tracker/rt_json.h"

namespace cse::adapters::request_tracker {
namespace {

using cse::v1::TicketEvent;

// The note marker the sidecar puts in every note subject (NoteWriteback).
constexpr absl::string_view kOwnNoteTag = "[cse:";

absl::Status ErrorFrom(const HttpResponse& response, absl::string_view what) {
  return absl::Status(HttpStatusToCode(response.status),
                      absl::StrCat("Request Tracker ", what, ": ",
                                   SummarizeAnswer(response, "x-request-id")));
}

bool IsClosedStatus(absl::string_view status) {
  return status == "resolved" || status == "rejected" || status == "deleted";
}

std::string EmailDomain(absl::string_view email) {
  const size_t at = email.rfind('@');
  return at == absl::string_view::npos
             ? ""
             : absl::AsciiStrToLower(email.substr(at + 1));
}

// The first requestor's address, "" when the ticket has none.
std::string Requestor(const nlohmann::json& ticket) {
  auto it = ticket.find("Requestor");
  if (it == ticket.end() || !it->is_array() || it->empty()) return "";
  const nlohmann::json& first = (*it)[0];
  if (first.is_object()) return Text(first, "id");
  return first.is_string() ? first.get<std::string>() : "";
}

// The ticket's custom fields as REST2 shows them:
// [{"id":"4","name":"CSE Outcome","values":["..."],...}, ...].
const nlohmann::json& CustomFields(const nlohmann::json& ticket) {
  static const nlohmann::json kNone = nlohmann::json::array();
  auto it = ticket.find("CustomFields");
  return it != ticket.end() && it->is_array() ? *it : kNone;
}

std::vector<std::string> StringValues(const nlohmann::json& field) {
  std::vector<std::string> out;
  auto values = field.find("values");
  if (values == field.end() || !values->is_array()) return out;
  for (const nlohmann::json& value : *values) {
    if (value.is_string()) out.push_back(value.get<std::string>());
  }
  return out;
}

// The account the ticket's events and outcomes belong to: the value of
// `account_field`, else the requestor's e-mail domain, else the ticket.
std::string AccountOf(const nlohmann::json& ticket,
                      const std::string& ticket_id,
                      const std::string& account_field) {
  std::string account;
  if (!account_field.empty()) {
    for (const nlohmann::json& field : CustomFields(ticket)) {
      if (Text(field, "name") != account_field) continue;
      std::vector<std::string> values = StringValues(field);
      if (!values.empty()) account = values[0];
    }
  }
  if (account.empty()) account = EmailDomain(Requestor(ticket));
  if (account.empty()) account = absl::StrCat("rt-ticket-", ticket_id);
  return account;
}

// The labels in the ticket's outcome field. RT names are matched without
// regard to case, as RT's own lookups do. "Enter multiple values" gives
// one value per label; a single-value or text-area field holding several
// labels separated by newlines, commas or semicolons is split.
std::vector<std::string> OutcomeLabels(const nlohmann::json& ticket,
                                       const std::string& outcome_field) {
  std::vector<std::string> labels;
  for (const nlohmann::json& field : CustomFields(ticket)) {
    if (!absl::EqualsIgnoreCase(Text(field, "name"), outcome_field)) continue;
    for (const std::string& value : StringValues(field)) {
      for (absl::string_view label :
           absl::StrSplit(value, absl::ByAnyChar("\n\r,;"))) {
        label = absl::StripAsciiWhitespace(label);
        if (!label.empty()) labels.emplace_back(label);
      }
    }
  }
  return labels;
}

// When and by whom a transaction was made.
struct Stamp {
  std::optional<absl::Time> at;
  std::string by;
};

Stamp StampOf(const nlohmann::json& transaction) {
  Stamp stamp;
  absl::Time created;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, Text(transaction, "Created"),
                      &created, &error)) {
    stamp.at = created;
  }
  stamp.by = Text(transaction, "Creator");
  return stamp;
}

// What a batch saw of one ticket, for its outcome labels.
struct TouchedTicket {
  std::string account;
  // The ticket's first transaction in the batch.
  Stamp first;
  // Values the batch's changes of the outcome field added, and by whom.
  absl::flat_hash_map<std::string, Stamp> added;
};

}  // namespace

RtTransactionPoller::RtTransactionPoller(RtSession* session,
                                         PollerOptions options)
    : session_(session), options_(std::move(options)) {
  queues_.insert(options_.queues.begin(), options_.queues.end());
}

absl::StatusOr<nlohmann::json> RtTransactionPoller::GetJson(
    const std::string& path) {
  absl::StatusOr<HttpResponse> response = session_->Rest("GET", path);
  if (!response.ok()) return response.status();
  if (response->status != 200) return ErrorFrom(*response, "GET " + path);
  nlohmann::json json = nlohmann::json::parse(response->body, nullptr, false);
  if (json.is_discarded()) {
    return absl::InternalError(
        absl::StrCat("Request Tracker GET ", path, ": answer is not JSON"));
  }
  return json;
}

absl::StatusOr<std::string> RtTransactionPoller::NewestTransactionId() {
  absl::StatusOr<nlohmann::json> answer =
      GetJson(absl::StrCat("/transactions?query=", UrlEncode("id > 0"),
                           "&orderby=id&order=DESC&per_page=1"));
  if (!answer.ok()) return answer.status();
  const nlohmann::json& items = Items(*answer);
  return items.empty() ? std::string("0") : Text(items[0], "id");
}

absl::StatusOr<nlohmann::json> RtTransactionPoller::Ticket(
    const std::string& id) {
  auto it = tickets_.find(id);
  if (it != tickets_.end()) return it->second;
  absl::StatusOr<HttpResponse> response =
      session_->Rest("GET", absl::StrCat("/ticket/", id));
  if (!response.ok()) return response.status();
  nlohmann::json ticket;  // null: not visible
  if (response->status == 200) {
    ticket = nlohmann::json::parse(response->body, nullptr, false);
    if (ticket.is_discarded() || !ticket.is_object()) ticket = nullptr;
  } else if (response->status != 404 && response->status != 403) {
    return ErrorFrom(*response, "GET /ticket/" + id);
  }
  if (!ticket.is_null()) {
    for (const nlohmann::json& field : CustomFields(ticket)) {
      std::string field_id = Text(field, "id");
      if (!field_id.empty()) field_names_[field_id] = Text(field, "name");
    }
  }
  tickets_.emplace(id, ticket);
  return ticket;
}

absl::StatusOr<std::string> RtTransactionPoller::NotWatched(
    const nlohmann::json& ticket) {
  if (queues_.empty()) return std::string();
  absl::StatusOr<std::string> queue = QueueName(Text(ticket, "Queue"));
  if (!queue.ok()) return queue.status();
  if (queues_.contains(*queue)) return std::string();
  return absl::StrCat("queue ", *queue, " not watched");
}

absl::StatusOr<std::string> RtTransactionPoller::QueueName(
    const std::string& id) {
  auto it = queue_names_.find(id);
  if (it != queue_names_.end()) return it->second;
  absl::StatusOr<nlohmann::json> queue = GetJson(absl::StrCat("/queue/", id));
  if (!queue.ok()) return queue.status();
  std::string name = Text(*queue, "Name");
  queue_names_.emplace(id, name);
  return name;
}

absl::StatusOr<std::string> RtTransactionPoller::Content(
    const std::string& transaction_id) {
  // The collection with `fields` returns the text inline; /attachment/:id
  // would return it base64-encoded.
  absl::StatusOr<nlohmann::json> answer = GetJson(
      absl::StrCat("/transaction/", transaction_id,
                   "/attachments?fields=ContentType,Content&per_page=20"));
  if (!answer.ok()) return answer.status();
  std::string fallback;
  for (const nlohmann::json& attachment : Items(*answer)) {
    const std::string type = Text(attachment, "ContentType");
    const std::string content = Text(attachment, "Content");
    if (content.empty()) continue;
    if (type == "text/plain") return content;
    if (fallback.empty() && absl::StartsWith(type, "text/")) fallback = content;
  }
  return fallback;
}

absl::StatusOr<EventPoller::Batch> RtTransactionPoller::PollAfter(
    absl::string_view cursor) {
  tickets_.clear();
  Batch batch;
  if (cursor.empty() && !options_.backfill) {
    // First start without backfill: begin after what exists today.
    absl::StatusOr<std::string> newest = NewestTransactionId();
    if (!newest.ok()) return newest.status();
    batch.next_cursor = *newest;
    return batch;
  }
  int64_t after = 0;
  if (!cursor.empty() && !absl::SimpleAtoi(cursor, &after)) {
    return absl::InvalidArgumentError(
        absl::StrCat("cursor '", cursor, "' is not a transaction id"));
  }
  batch.next_cursor = std::to_string(after);
  // Custom-field changes are all asked for and sorted out here by the
  // field's id: TransactionSQL's `CFName = '...'` inside the OR list drops
  // the Status transactions from the answer (it adds its own AND terms;
  // measured on RT 5.0.3), and the /customfields search that would give the
  // id shows nothing to a user whose SeeCustomField is granted on a queue.
  const std::string query = absl::StrCat(
      "ObjectType = 'RT::Ticket' AND id > ", after,
      " AND ( Type = 'Create' OR Type = 'Comment' OR Type = 'Correspond' OR "
      "Type = 'Status' OR Type = 'CustomField' )");
  absl::StatusOr<nlohmann::json> answer = GetJson(absl::StrCat(
      "/transactions?query=", UrlEncode(query),
      "&fields=ObjectId,Type,Field,OldValue,NewValue,Created,Creator,Data"
      "&orderby=id&order=ASC&per_page=",
      options_.page_size));
  if (!answer.ok()) return answer.status();
  const nlohmann::json& items = Items(*answer);
  batch.more = static_cast<int>(items.size()) >= options_.page_size;

  // Tickets in the order the batch first touched them.
  std::vector<std::string> touched_order;
  absl::flat_hash_map<std::string, TouchedTicket> touched;
  auto touch = [&](const std::string& ticket_id, const nlohmann::json& ticket,
                   const nlohmann::json& item) -> TouchedTicket& {
    auto [it, inserted] = touched.try_emplace(ticket_id);
    if (inserted) {
      touched_order.push_back(ticket_id);
      it->second.account = AccountOf(ticket, ticket_id, options_.account_field);
      it->second.first = StampOf(item);
    }
    return it->second;
  };

  for (const nlohmann::json& item : items) {
    const std::string id = Text(item, "id");
    const std::string type = Text(item, "Type");
    const std::string ticket_id = Text(item, "ObjectId");
    if (id.empty() || ticket_id.empty()) {
      return absl::InternalError(
          "Request Tracker transaction without id or ObjectId");
    }
    batch.next_cursor = id;
    if (type == "Comment" &&
        absl::StrContains(Text(item, "Data"), kOwnNoteTag)) {
      batch.events.ignored.push_back(absl::StrCat("txn ", id, ": own note"));
      continue;
    }
    const bool field_change = type == "CustomField";
    const std::string field_id = field_change ? Text(item, "Field") : "";
    auto is_outcome_field = [&]() {
      auto it = field_names_.find(field_id);
      return it != field_names_.end() &&
             absl::EqualsIgnoreCase(it->second, options_.outcome_field);
    };
    // A field already known not to be the outcome field (the adapter's own
    // tags and phase writes): skipped without reading the ticket.
    if (field_change && field_names_.contains(field_id) &&
        !is_outcome_field()) {
      batch.events.ignored.push_back(absl::StrCat(
          "txn ", id, ": custom field ", field_names_[field_id], " not read"));
      continue;
    }
    absl::StatusOr<nlohmann::json> ticket = Ticket(ticket_id);
    if (!ticket.ok()) return ticket.status();
    if (ticket->is_null()) {
      batch.events.ignored.push_back(
          absl::StrCat("txn ", id, ": ticket ", ticket_id, " not visible"));
      continue;
    }
    if (field_change && !is_outcome_field()) {
      batch.events.ignored.push_back(
          absl::StrCat("txn ", id, ": custom field #", field_id, " not read"));
      continue;
    }
    absl::StatusOr<std::string> not_watched = NotWatched(*ticket);
    if (!not_watched.ok()) return not_watched.status();
    if (!not_watched->empty()) {
      batch.events.ignored.push_back(
          absl::StrCat("txn ", id, ": ", *not_watched));
      continue;
    }
    TouchedTicket& seen = touch(ticket_id, *ticket, item);
    if (field_change) {
      // Removing a value has an empty NewValue; the labels themselves are
      // read from the ticket below.
      const std::string added = Text(item, "NewValue");
      if (!added.empty()) seen.added.try_emplace(added, StampOf(item));
      continue;
    }

    TicketEvent event;
    event.set_source(options_.source);
    event.set_event_id(absl::StrCat("txn-", id));
    event.set_ticket_id(ticket_id);
    event.set_channel("request_tracker");
    int64_t sequence = 0;
    if (absl::SimpleAtoi(id, &sequence)) event.set_sequence(sequence);
    if (std::optional<absl::Time> created = StampOf(item).at) {
      event.mutable_occurred_at()->set_seconds(absl::ToUnixSeconds(*created));
    }
    event.set_subject(Text(*ticket, "Subject"));
    event.set_status(Text(*ticket, "Status"));
    event.set_priority(Text(*ticket, "Priority"));
    if (const std::string requestor = Requestor(*ticket); !requestor.empty()) {
      event.mutable_requester()->set_email(requestor);
      event.mutable_requester()->set_id(requestor);
    }
    for (const nlohmann::json& field : CustomFields(*ticket)) {
      const std::string name = Text(field, "name");
      std::vector<std::string> values = StringValues(field);
      if (name.empty() || values.empty()) continue;
      (*event.mutable_custom_fields())[name] = values[0];
    }
    event.mutable_account()->set_id(seen.account);

    if (type == "Create" || type == "Comment" || type == "Correspond") {
      event.set_kind(type == "Create" ? cse::v1::TICKET_EVENT_KIND_CREATED
                                      : cse::v1::TICKET_EVENT_KIND_COMMENTED);
      absl::StatusOr<std::string> content = Content(id);
      if (!content.ok()) return content.status();
      event.set_body(*content);
    } else {  // Status
      const std::string old_status = Text(item, "OldValue");
      const std::string new_status = Text(item, "NewValue");
      event.set_status(new_status);
      event.set_kind(IsClosedStatus(old_status) && !IsClosedStatus(new_status)
                         ? cse::v1::TICKET_EVENT_KIND_REOPENED
                         : cse::v1::TICKET_EVENT_KIND_STATUS_CHANGED);
    }
    batch.events.tickets.push_back(std::move(event));
  }

  absl::flat_hash_set<std::string> outcome_ids;
  for (const std::string& ticket_id : touched_order) {
    const TouchedTicket& seen = touched[ticket_id];
    OutcomeTagSource where;
    where.account_id = seen.account;
    where.source = options_.source;
    where.object_key = absl::StrCat("ticket/", ticket_id);
    for (const std::string& label :
         OutcomeLabels(tickets_[ticket_id], options_.outcome_field)) {
      auto added = seen.added.find(label);
      const Stamp& stamp =
          added != seen.added.end() ? added->second : seen.first;
      where.occurred_at = stamp.at;
      where.recorded_by = stamp.by;
      for (cse::v1::RecordOutcomeRequest& outcome :
           OutcomesFromTags(where, {label}, &batch.events.warnings)) {
        if (outcome_ids.insert(outcome.outcome_id()).second) {
          batch.events.outcomes.push_back(std::move(outcome));
        }
      }
    }
  }
  return batch;
}

}  // namespace cse::adapters::request_tracker
