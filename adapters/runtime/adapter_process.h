// AdapterProcess: one cse-adapter process, assembled from its config.
//
// Builds each configured CRM's adapter through the registry, one gRPC
// channel to the sidecar, the webhook ingress, a writeback worker per CRM
// and a poll loop per polling CRM. main.cc and the integration tests both
// use it, so the tests run what ships.
#ifndef CSE_ADAPTERS_RUNTIME_ADAPTER_PROCESS_H_
#define CSE_ADAPTERS_RUNTIME_ADAPTER_PROCESS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "adapters/adapter_registry.h"
#include "adapters/common/http_client.h"
#include "adapters/common/secret_reader.h"
#include "adapters/runtime/poll_loop.h"
#include "adapters/runtime/sidecar_client.h"
#include "adapters/runtime/webhook_ingress.h"
#include "adapters/runtime/writeback_worker.h"
#include "cse/adapters/v1/adapter_config.pb.h"

namespace cse::adapters {

class AdapterProcess {
 public:
  // `config` has been validated (ParseAdapterConfig). Fails when an
  // adapter cannot be built (a secret is missing) or the state directory
  // cannot be created.
  static absl::StatusOr<std::unique_ptr<AdapterProcess>> Create(
      const cse::adapters::v1::AdapterConfig& config,
      const AdapterRegistry& registry, const SecretReader& secrets);
  ~AdapterProcess();

  // Binds the ingress and starts workers and poll loops.
  absl::Status Start();
  void Stop();

  int ingress_port() const { return ingress_->port(); }

 private:
  AdapterProcess() = default;

  std::unique_ptr<HttpClient> http_;
  std::vector<std::unique_ptr<CrmAdapter>> adapters_;
  std::unique_ptr<SidecarClient> sidecar_;
  std::unique_ptr<WebhookIngress> ingress_;
  std::vector<std::unique_ptr<WritebackWorker>> workers_;
  absl::flat_hash_map<std::string, std::unique_ptr<PollLoop>> polls_;
};

}  // namespace cse::adapters

#endif  // CSE_ADAPTERS_RUNTIME_ADAPTER_PROCESS_H_
