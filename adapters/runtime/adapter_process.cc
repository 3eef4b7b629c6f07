#include "adapters/runtime/adapter_process.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <unistd.h>

#include <filesystem>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "adapters/common/curl_http_client.h"
#include "adapters/runtime/adapter_config.h"
#include "sidecar/server/logging.h"

namespace cse::adapters {
namespace {

template <typename T>
T Or(T value, T fallback) {
  return value == T{} ? fallback : value;
}

std::string DefaultLesseeId() {
  char host[256] = {0};
  gethostname(host, sizeof(host) - 1);
  return absl::StrCat("cse-adapter@", host, ":", getpid());
}

}  // namespace

absl::StatusOr<std::unique_ptr<AdapterProcess>> AdapterProcess::Create(
    const cse::adapters::v1::AdapterConfig& config,
    const AdapterRegistry& registry, const SecretReader& secrets) {
  std::unique_ptr<AdapterProcess> process(new AdapterProcess());
  process->http_ = std::make_unique<CurlHttpClient>();
  AdapterContext context{process->http_.get(), &secrets, &absl::Now};
  for (const cse::adapters::v1::CrmConfig& crm : config.crms()) {
    const CrmAdapterFactory* factory = registry.Find(CrmKind(crm));
    if (factory == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("no adapter for crm '", crm.name(), "'"));
    }
    absl::StatusOr<std::unique_ptr<CrmAdapter>> adapter =
        factory->Create(crm, context);
    if (!adapter.ok()) return adapter.status();
    process->adapters_.push_back(std::move(*adapter));
  }

  const std::string target =
      Or<std::string>(config.sidecar().target(), "127.0.0.1:50051");
  process->sidecar_ = std::make_unique<SidecarClient>(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()),
      absl::Milliseconds(Or(config.sidecar().deadline_ms(), 5000u)));

  const std::string state_dir =
      Or<std::string>(config.state_dir(), "cse-adapter-state");
  std::vector<CrmAdapter*> adapters;
  for (const auto& adapter : process->adapters_) {
    adapters.push_back(adapter.get());
    if (adapter->poller() != nullptr) {
      std::error_code error;
      std::filesystem::create_directories(state_dir, error);
      if (error) {
        return absl::FailedPreconditionError(absl::StrCat(
            "state_dir: cannot create ", state_dir, ": ", error.message()));
      }
      uint32_t interval_seconds = 10;
      for (const auto& crm : config.crms()) {
        if (crm.name() == adapter->name() && crm.has_request_tracker()) {
          interval_seconds =
              Or(crm.request_tracker().poll_interval_seconds(), 10u);
        }
      }
      process->polls_.emplace(
          std::string(adapter->name()),
          std::make_unique<PollLoop>(
              adapter.get(), process->sidecar_.get(),
              CursorFile(
                  absl::StrCat(state_dir, "/", adapter->name(), ".cursor")),
              absl::Seconds(interval_seconds)));
    }
  }

  WebhookIngress::Options ingress;
  const std::string listen =
      Or<std::string>(config.ingress().listen(), "0.0.0.0:8090");
  const size_t colon = listen.rfind(':');
  ingress.host = listen.substr(0, colon);
  if (!absl::SimpleAtoi(listen.substr(colon + 1), &ingress.port)) {
    return absl::InvalidArgumentError("ingress.listen: expected host:port");
  }
  ingress.public_base_url = config.ingress().public_base_url();
  ingress.max_body_bytes = Or(config.ingress().max_body_bytes(), 1u << 20);
  ingress.tls_cert_file = config.ingress().tls_cert_file();
  ingress.tls_key_file = config.ingress().tls_key_file();
  ingress.trusted_proxies.assign(config.ingress().trusted_proxies().begin(),
                                 config.ingress().trusted_proxies().end());
  ingress.threads = static_cast<int>(Or(config.ingress().threads(), 8u));
  AdapterProcess* raw = process.get();
  process->ingress_ = std::make_unique<WebhookIngress>(
      ingress, adapters, process->sidecar_.get(),
      [raw](absl::string_view name) {
        auto it = raw->polls_.find(name);
        if (it != raw->polls_.end()) it->second->RequestPoll();
      });

  if (!config.writeback().disabled()) {
    WritebackWorker::Options options;
    options.lessee_id =
        Or<std::string>(config.writeback().lessee_id(), DefaultLesseeId());
    options.max_jobs = Or(config.writeback().max_jobs(), 20u);
    options.lease = absl::Seconds(Or(config.writeback().lease_seconds(), 60u));
    options.idle_poll =
        absl::Milliseconds(Or(config.writeback().idle_poll_ms(), 500u));
    for (CrmAdapter* adapter : adapters) {
      process->workers_.push_back(std::make_unique<WritebackWorker>(
          adapter, process->sidecar_.get(), options));
    }
  }
  return process;
}

AdapterProcess::~AdapterProcess() { Stop(); }

absl::Status AdapterProcess::Start() {
  if (absl::Status started = ingress_->Start(); !started.ok()) return started;
  for (auto& [name, poll] : polls_) poll->Start();
  for (auto& worker : workers_) worker->Start();
  server::GetLogger("adapter")->info(
      "cse-adapter: {} CRM(s), webhooks on port {}, {} writeback worker(s), "
      "{} poller(s)",
      adapters_.size(), ingress_->port(), workers_.size(), polls_.size());
  return absl::OkStatus();
}

void AdapterProcess::Stop() {
  // Ingress first: no new deliveries while the rest winds down.
  if (ingress_ != nullptr) ingress_->Stop();
  for (auto& [name, poll] : polls_) poll->Stop();
  for (auto& worker : workers_) worker->Stop();
}

}  // namespace cse::adapters
