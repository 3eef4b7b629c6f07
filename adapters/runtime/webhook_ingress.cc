#include "adapters/runtime/webhook_ingress.h"

#include <httplib.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "sidecar/server/logging.h"

namespace cse::adapters {
namespace {

constexpr absl::string_view kWebhookPrefix = "/webhooks/";

std::string ErrorBody(absl::string_view message) {
  return absl::StrCat("{\"error\":\"", server::JsonEscape(message), "\"}");
}

// "application/json; charset=utf-8" -> "application/json".
std::string MediaType(absl::string_view content_type) {
  std::pair<absl::string_view, absl::string_view> parts =
      absl::StrSplit(content_type, absl::MaxSplits(';', 1));
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(parts.first));
}

}  // namespace

int IngressHttpStatus(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kAborted:
      return 503;
    default:
      return 500;
  }
}

WebhookIngress::WebhookIngress(Options options,
                               const std::vector<CrmAdapter*>& adapters,
                               SidecarClient* sidecar, PollRequest poll_request)
    : options_(std::move(options)),
      sidecar_(sidecar),
      poll_request_(std::move(poll_request)) {
  for (CrmAdapter* adapter : adapters) {
    adapters_.emplace(std::string(adapter->name()), adapter);
  }
  trusted_proxies_.insert(options_.trusted_proxies.begin(),
                          options_.trusted_proxies.end());
}

WebhookIngress::~WebhookIngress() { Stop(); }

absl::Status WebhookIngress::Start() {
  if (!options_.tls_cert_file.empty()) {
    auto server = std::make_unique<httplib::SSLServer>(
        options_.tls_cert_file.c_str(), options_.tls_key_file.c_str());
    if (!server->is_valid()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "ingress: cannot load TLS certificate ", options_.tls_cert_file,
          " / key ", options_.tls_key_file));
    }
    server_ = std::move(server);
    tls_ = true;
  } else {
    server_ = std::make_unique<httplib::Server>();
  }
  // httplib answers 413 itself when Content-Length (or the chunked body
  // read so far) exceeds this, without buffering the rest.
  server_->set_payload_max_length(options_.max_body_bytes);
  const int threads = options_.threads > 0 ? options_.threads : 8;
  server_->new_task_queue = [threads] {
    return new httplib::ThreadPool(threads);
  };
  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& r) {
    r.set_content("{\"status\":\"serving\"}", "application/json");
  });
  server_->Post(R"(/webhooks/[^/]+)", [this](const httplib::Request& request,
                                             httplib::Response& response) {
    Serve(request, response);
  });
  if (options_.port == 0) {
    port_ = server_->bind_to_any_port(options_.host);
    if (port_ <= 0) {
      return absl::UnavailableError(
          absl::StrCat("ingress: cannot bind ", options_.host));
    }
  } else {
    if (!server_->bind_to_port(options_.host, options_.port)) {
      return absl::UnavailableError(absl::StrCat(
          "ingress: cannot bind ", options_.host, ":", options_.port));
    }
    port_ = options_.port;
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) absl::SleepFor(absl::Milliseconds(1));
  return absl::OkStatus();
}

void WebhookIngress::Stop() {
  if (server_ != nullptr) server_->stop();
  if (thread_.joinable()) thread_.join();
}

void WebhookIngress::Serve(const httplib::Request& request,
                           httplib::Response& response) {
  auto logger = server::GetLogger("ingress");
  const std::string name(absl::StripPrefix(request.path, kWebhookPrefix));
  auto answer = [&](int status, absl::string_view message) {
    response.status = status;
    response.set_content(ErrorBody(message), "application/json");
  };
  auto it = adapters_.find(name);
  if (it == adapters_.end()) {
    answer(404, absl::StrCat("no CRM named '", name, "'"));
    return;
  }
  CrmAdapter& adapter = *it->second;

  const std::string media_type =
      MediaType(request.get_header_value("Content-Type"));
  bool accepted = false;
  for (const std::string& type : adapter.accepted_content_types()) {
    accepted = accepted || media_type == type;
  }
  if (!accepted) {
    answer(415,
           absl::StrCat("content type '", media_type,
                        "' not accepted; expected one of: ",
                        absl::StrJoin(adapter.accepted_content_types(), ", ")));
    logger->info("{}: 415 content type '{}'", name, media_type);
    return;
  }

  WebhookDelivery delivery;
  delivery.method = request.method;
  delivery.path = request.path;
  // httplib splits the target; the signed URL needs the raw query.
  const size_t query_at = request.target.find('?');
  if (query_at != std::string::npos) {
    delivery.query = request.target.substr(query_at + 1);
  }
  delivery.public_url = absl::StrCat(options_.public_base_url, request.target);
  for (const auto& [field, value] : request.headers) {
    delivery.headers.Add(field, value);
  }
  delivery.body = request.body;
  delivery.remote_addr = request.remote_addr;
  delivery.over_tls =
      tls_ || (trusted_proxies_.contains(request.remote_addr) &&
               absl::EqualsIgnoreCase(
                   request.get_header_value("X-Forwarded-Proto"), "https"));
  delivery.received_at = absl::Now();

  absl::StatusOr<CanonicalEvents> events = adapter.ReceiveWebhook(delivery);
  if (!events.ok()) {
    const int status = IngressHttpStatus(events.status());
    // The reason is logged for the admin; bodies never are.
    logger->warn("{}: {} from {}: {}", name, status, request.remote_addr,
                 events.status().ToString());
    answer(status, events.status().message());
    return;
  }
  for (const std::string& ignored : events->ignored) {
    logger->debug("{}: ignored {}", name, ignored);
  }
  if (!events->empty()) {
    absl::StatusOr<SidecarClient::IngestSummary> ingested =
        sidecar_->Ingest(*events);
    if (!ingested.ok()) {
      const int status = IngressHttpStatus(ingested.status());
      logger->warn("{}: sidecar refused a delivery ({}): {}", name, status,
                   ingested.status().ToString());
      answer(status, ingested.status().message());
      return;
    }
    logger->info("{}: delivery stored: {} new, {} duplicate, {} outcomes", name,
                 ingested->recorded, ingested->duplicates, ingested->outcomes);
    SidecarClient::LogRejections(name, *events, *ingested);
  } else {
    SidecarClient::LogRejections(name, *events, {});
  }
  if (events->poll_now && poll_request_) poll_request_(name);
  WebhookAck ack = adapter.AckFor(delivery, *events);
  response.status = ack.status;
  response.set_content(ack.body, ack.content_type);
}

}  // namespace cse::adapters
