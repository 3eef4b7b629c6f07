#include "adapters/request_tracker/rt_transaction_poller.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "adapters/common/http_answer.h"
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
    if (ticket.is_discarded()) ticket = nullptr;
  } else if (response->status != 404 && response->status != 403) {
    return ErrorFrom(*response, "GET /ticket/" + id);
  }
  tickets_.emplace(id, ticket);
  return ticket;
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
  const std::string query = absl::StrCat(
      "ObjectType = 'RT::Ticket' AND id > ", after,
      " AND ( Type = 'Create' OR Type = 'Comment' OR Type = 'Correspond' OR "
      "Type = 'Status' )");
  absl::StatusOr<nlohmann::json> answer = GetJson(absl::StrCat(
      "/transactions?query=", UrlEncode(query),
      "&fields=ObjectId,Type,Field,OldValue,NewValue,Created,Creator,Data"
      "&orderby=id&order=ASC&per_page=",
      options_.page_size));
  if (!answer.ok()) return answer.status();
  const nlohmann::json& items = Items(*answer);
  batch.more = static_cast<int>(items.size()) >= options_.page_size;

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
    absl::StatusOr<nlohmann::json> ticket = Ticket(ticket_id);
    if (!ticket.ok()) return ticket.status();
    if (ticket->is_null()) {
      batch.events.ignored.push_back(
          absl::StrCat("txn ", id, ": ticket ", ticket_id, " not visible"));
      continue;
    }
    if (!queues_.empty()) {
      absl::StatusOr<std::string> queue = QueueName(Text(*ticket, "Queue"));
      if (!queue.ok()) return queue.status();
      if (!queues_.contains(*queue)) {
        batch.events.ignored.push_back(
            absl::StrCat("txn ", id, ": queue ", *queue, " not watched"));
        continue;
      }
    }

    TicketEvent event;
    event.set_source(options_.source);
    event.set_event_id(absl::StrCat("txn-", id));
    event.set_ticket_id(ticket_id);
    event.set_channel("request_tracker");
    int64_t sequence = 0;
    if (absl::SimpleAtoi(id, &sequence)) event.set_sequence(sequence);
    absl::Time created;
    std::string error;
    if (absl::ParseTime(absl::RFC3339_full, Text(item, "Created"), &created,
                        &error)) {
      event.mutable_occurred_at()->set_seconds(absl::ToUnixSeconds(created));
    }
    event.set_subject(Text(*ticket, "Subject"));
    event.set_status(Text(*ticket, "Status"));
    event.set_priority(Text(*ticket, "Priority"));

    std::string requestor;
    if (auto it = ticket->find("Requestor");
        it != ticket->end() && it->is_array() && !it->empty()) {
      requestor = (*it)[0].is_object() ? Text((*it)[0], "id")
                                       : (*it)[0].get<std::string>();
      event.mutable_requester()->set_email(requestor);
      event.mutable_requester()->set_id(requestor);
    }
    std::string account;
    if (auto it = ticket->find("CustomFields");
        it != ticket->end() && it->is_array()) {
      for (const nlohmann::json& field : *it) {
        const std::string name = Text(field, "name");
        auto values = field.find("values");
        if (name.empty() || values == field.end() || !values->is_array() ||
            values->empty() || !(*values)[0].is_string()) {
          continue;
        }
        const std::string first = (*values)[0].get<std::string>();
        (*event.mutable_custom_fields())[name] = first;
        if (name == options_.account_field) account = first;
      }
    }
    if (account.empty()) account = EmailDomain(requestor);
    if (account.empty()) account = absl::StrCat("rt-ticket-", ticket_id);
    event.mutable_account()->set_id(account);

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
  return batch;
}

}  // namespace cse::adapters::request_tracker
