// A real Request Tracker 5 on loopback for the RT adapter's end-to-end
// tests: runs tests/testing/request_tracker/rt-up.sh, which installs
// Debian 12's request-tracker5 (SQLite, rt-server as www-data) on first use
// (a few minutes) and otherwise only starts rt-server (a few seconds), and
// rt-down.sh at the end.
//
// Each server gets its own run directory (PID file, logs) under /tmp and
// its own port; RT's database and site config are the machine's. The
// ticket custom fields "Journey Phase" (one value), "CSE Tags" and "CSE
// Outcome" (many) exist and apply to every queue, and the global "CSE
// poke" scrip POSTs
// {"ticket_id":..,"transaction_id":..,"event":".."} to Options::poke_url on
// every create, comment, correspondence, status and custom-field change.
//
// rt-up.sh needs root (apt, setpriv) and, on first use, the Debian mirror.
// Neither is a reason to skip: Start() fails and says why. A watchdog
// process runs rt-down.sh and removes the run directory when the test
// process ends, however it ends (ctest's timeout kill included).
//
// Example:
//   RequestTrackerServer::Options options;
//   options.poke_url = "http://127.0.0.1:12345/rt-poke";
//   absl::StatusOr<std::unique_ptr<RequestTrackerServer>> rt =
//       RequestTrackerServer::Start(options);
//   ASSERT_TRUE(rt.ok()) << rt.status();
//   // POST (*rt)->base_url() + "/NoAuth/Login.html" user=..&pass=.. for a
//   // session cookie, then call (*rt)->rest2_url() + "/ticket" ...
#ifndef CSE_TESTS_TESTING_REQUEST_TRACKER_SERVER_H_
#define CSE_TESTS_TESTING_REQUEST_TRACKER_SERVER_H_

#include <sys/types.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace cse::testing {

class RequestTrackerServer {
 public:
  struct Options {
    // Loopback port for rt-server; 0 picks a free one (and another one if
    // something takes it before rt-server binds it).
    int port = 0;
    // Where the "CSE poke" scrip POSTs; empty turns the pokes off.
    std::string poke_url;
    // Sent by the scrip as X-CSE-Poke-Token; empty sends no such header.
    std::string poke_token;
    // Starlet worker processes.
    int workers = 2;
    // The directory holding rt-up.sh and rt-down.sh.
    std::string scripts_dir = DefaultScriptsDir();
  };

  // Brings RT up (installing it if needed) and waits until a session login
  // and REST2 answer. FAILED_PRECONDITION when not running as root or the
  // scripts are missing; INTERNAL with the tail of rt-up.sh's output when it
  // fails.
  static absl::StatusOr<std::unique_ptr<RequestTrackerServer>> Start(
      Options options);

  // $CSE_RT_SCRIPTS_DIR, else tests/testing/request_tracker in the source
  // tree this was built from.
  static std::string DefaultScriptsDir();

  // Stops rt-server (rt-down.sh) and removes the run directory.
  ~RequestTrackerServer();
  RequestTrackerServer(const RequestTrackerServer&) = delete;
  RequestTrackerServer& operator=(const RequestTrackerServer&) = delete;

  // "http://127.0.0.1:PORT", no trailing slash.
  const std::string& base_url() const { return base_url_; }
  // base_url() + "/REST/2.0".
  const std::string& rest2_url() const { return rest2_url_; }
  // An RT superuser and its password ("root" / "password").
  const std::string& user() const { return user_; }
  const std::string& password() const { return password_; }
  int port() const { return port_; }
  // How long rt-up.sh took (minutes when it installed RT).
  absl::Duration start_time() const { return start_time_; }

  // The last `max_bytes` of rt-server's log (RT logs at info level), for
  // failure messages.
  std::string ServerLogTail(size_t max_bytes = 4000) const;

 private:
  RequestTrackerServer() = default;

  std::string run_dir_;
  std::string base_url_;
  std::string rest2_url_;
  std::string user_;
  std::string password_;
  int port_ = 0;
  absl::Duration start_time_;
  // Write end of the pipe the watchdog waits on; closing it stops RT.
  int watchdog_fd_ = -1;
  pid_t watchdog_pid_ = -1;
};

}  // namespace cse::testing

#endif  // CSE_TESTS_TESTING_REQUEST_TRACKER_SERVER_H_
