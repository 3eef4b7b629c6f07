// WebhookIngress: the HTTP(S) server the CRMs deliver their webhooks to.
//
// POST /webhooks/<name> goes to the adapter of that CRM instance. Checks,
// in this order, each with its own answer and nothing stored on failure:
//   413  body larger than max_body_bytes (refused before it is read whole)
//   415  content type the adapter does not accept
//   401  signature, replay window or organization check failed
//   403  transport requirement failed (Salesforce over plain HTTP)
//   400  malformed payload, with the reason (field path)
// Then every canonical event is ingested into the sidecar, and only when
// all are durable does the CRM get its 2xx (or the adapter's own Ack
// body); if the sidecar is unavailable the CRM gets 503 and redelivers,
// and the sidecar drops what it already had. Deliveries that carry only
// unknown event types get 200 and are logged at debug, so CRMs do not
// retry them forever. GET /healthz answers 200 for probes.
#ifndef CSE_ADAPTERS_RUNTIME_WEBHOOK_INGRESS_H_
#define CSE_ADAPTERS_RUNTIME_WEBHOOK_INGRESS_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "adapters/crm_adapter.h"
#include "adapters/runtime/sidecar_client.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace cse::adapters {

class WebhookIngress {
 public:
  struct Options {
    std::string host = "0.0.0.0";
    int port = 8090;  // 0: any free port (tests)
    std::string public_base_url;
    size_t max_body_bytes = 1 << 20;
    std::string tls_cert_file;
    std::string tls_key_file;
    std::vector<std::string> trusted_proxies;
    int threads = 8;
  };
  // Called when an adapter's delivery asks for a poll (CanonicalEvents
  // .poll_now), with the adapter's name.
  using PollRequest = std::function<void(absl::string_view)>;

  WebhookIngress(Options options, const std::vector<CrmAdapter*>& adapters,
                 SidecarClient* sidecar, PollRequest poll_request);
  ~WebhookIngress();

  // Binds and starts serving on a background thread.
  absl::Status Start();
  void Stop();
  // The bound port (after Start).
  int port() const { return port_; }

 private:
  void Serve(const httplib::Request& request, httplib::Response& response);

  Options options_;
  absl::flat_hash_map<std::string, CrmAdapter*> adapters_;
  SidecarClient* sidecar_;
  PollRequest poll_request_;
  absl::flat_hash_set<std::string> trusted_proxies_;
  std::unique_ptr<httplib::Server> server_;
  bool tls_ = false;
  int port_ = 0;
  std::thread thread_;
};

// The HTTP status the ingress answers for an adapter's or the sidecar's
// error (see the table above; UNAVAILABLE/DEADLINE_EXCEEDED: 503,
// RESOURCE_EXHAUSTED: 429, others 500).
int IngressHttpStatus(const absl::Status& status);

}  // namespace cse::adapters

#endif  // CSE_ADAPTERS_RUNTIME_WEBHOOK_INGRESS_H_
