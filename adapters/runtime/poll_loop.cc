#include "adapters/runtime/poll_loop.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "sidecar/server/logging.h"

namespace cse::adapters {
namespace {

absl::Status Errno(absl::string_view what, const std::string& path) {
  return absl::UnavailableError(
      absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

}  // namespace

absl::StatusOr<std::string> CursorFile::Load() const {
  std::ifstream in(path_);
  if (!in) {
    if (errno == ENOENT) return std::string();
    return Errno("cannot read cursor", path_);
  }
  std::stringstream content;
  content << in.rdbuf();
  std::string cursor = content.str();
  while (!cursor.empty() && cursor.back() == '\n') cursor.pop_back();
  return cursor;
}

absl::Status CursorFile::Save(absl::string_view cursor) const {
  const std::string temp = path_ + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return Errno("cannot write cursor", temp);
  const std::string line = absl::StrCat(cursor, "\n");
  const bool written = ::write(fd, line.data(), line.size()) ==
                           static_cast<ssize_t>(line.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return Errno("cannot write cursor", temp);
  if (::rename(temp.c_str(), path_.c_str()) != 0) {
    return Errno("cannot rename cursor to", path_);
  }
  // The rename is durable only once the directory is.
  const size_t slash = path_.rfind('/');
  const std::string dir =
      slash == std::string::npos ? "." : path_.substr(0, slash);
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return absl::OkStatus();
}

PollLoop::PollLoop(CrmAdapter* adapter, SidecarClient* sidecar,
                   CursorFile cursor, absl::Duration interval)
    : adapter_(adapter),
      sidecar_(sidecar),
      cursor_file_(std::move(cursor)),
      interval_(interval) {}

PollLoop::~PollLoop() { Stop(); }

absl::StatusOr<int> PollLoop::RunOnce() {
  EventPoller* poller = adapter_->poller();
  if (poller == nullptr) return 0;
  absl::StatusOr<std::string> cursor = cursor_file_.Load();
  if (!cursor.ok()) return cursor.status();
  int ingested = 0;
  while (true) {
    absl::StatusOr<EventPoller::Batch> batch = poller->PollAfter(*cursor);
    if (!batch.ok()) return batch.status();
    SidecarClient::IngestSummary summary;
    if (!batch->events.empty()) {
      absl::StatusOr<SidecarClient::IngestSummary> done =
          sidecar_->Ingest(batch->events);
      if (!done.ok()) return done.status();
      summary = *std::move(done);
      ingested += summary.recorded + summary.duplicates;
    }
    SidecarClient::LogRejections(adapter_->name(), batch->events, summary);
    if (batch->next_cursor != *cursor) {
      if (absl::Status saved = cursor_file_.Save(batch->next_cursor);
          !saved.ok()) {
        return saved;
      }
      *cursor = batch->next_cursor;
    }
    if (!batch->more) break;
  }
  return ingested;
}

void PollLoop::Start() {
  thread_ = std::thread([this] {
    auto logger = server::GetLogger("poll");
    absl::Duration backoff = absl::ZeroDuration();
    while (true) {
      absl::StatusOr<int> round = RunOnce();
      if (round.ok()) {
        backoff = absl::ZeroDuration();
        if (*round > 0) {
          logger->info("{}: polled {} events", adapter_->name(), *round);
        }
      } else {
        // The CRM or the sidecar is down: back off up to a minute so a
        // long outage is not hammered; a poke still polls at once.
        backoff = std::min(absl::Minutes(1), std::max(interval_, backoff * 2));
        logger->warn("{}: poll failed: {}", adapter_->name(),
                     round.status().ToString());
      }
      absl::MutexLock lock(&mu_);
      auto woken = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return poll_requested_ || stopping_;
      };
      mu_.AwaitWithTimeout(absl::Condition(&woken),
                           std::max(interval_, backoff));
      if (stopping_) return;
      poll_requested_ = false;
    }
  });
}

void PollLoop::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void PollLoop::RequestPoll() {
  absl::MutexLock lock(&mu_);
  poll_requested_ = true;
}

}  // namespace cse::adapters
