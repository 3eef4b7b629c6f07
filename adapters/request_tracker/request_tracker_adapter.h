// RequestTrackerAdapter: Request Tracker 5 through REST2.
//
// Events are pulled (RtTransactionPoller); the optional "CSE poke" scrip
// (adapters/request_tracker/scrip/) POSTs to /webhooks/<name> on each
// ticket change, which only makes the runtime poll at once. Writebacks
// are RtWriteback's. See README.md in this folder.
#ifndef CSE_ADAPTERS_REQUEST_TRACKER_REQUEST_TRACKER_ADAPTER_H_
#define CSE_ADAPTERS_REQUEST_TRACKER_REQUEST_TRACKER_ADAPTER_H_

#include <memory>
#include <string>

#include "adapters/crm_adapter.h"
#include "adapters/request_tracker/rt_session.h"
#include "adapters/request_tracker/rt_transaction_poller.h"
#include "adapters/request_tracker/rt_writeback.h"

namespace cse::adapters::request_tracker {

struct AdapterOptions {
  std::string name;
  std::string base_url;
  std::string user;
  std::string password;
  // Empty: pokes are not authenticated (they carry no data).
  std::string poke_token;
  absl::Duration timeout = absl::Seconds(30);
  PollerOptions poller;
  WritebackFields fields;
};

class RequestTrackerAdapter : public CrmAdapter {
 public:
  RequestTrackerAdapter(HttpClient* http, AdapterOptions options);

  absl::string_view name() const override { return options_.name; }
  std::vector<std::string> accepted_content_types() const override {
    return {"application/json"};
  }
  absl::StatusOr<CanonicalEvents> ReceiveWebhook(
      const WebhookDelivery& delivery) override;
  WritebackOutcome PerformWriteback(const cse::v1::WritebackJob& job) override {
    return writeback_.Perform(job);
  }
  EventPoller* poller() override { return &poller_; }

 private:
  AdapterOptions options_;
  RtSession session_;
  RtTransactionPoller poller_;
  RtWriteback writeback_;
};

}  // namespace cse::adapters::request_tracker

#endif  // CSE_ADAPTERS_REQUEST_TRACKER_REQUEST_TRACKER_ADAPTER_H_
