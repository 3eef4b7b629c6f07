// A throwaway PostgreSQL server for tests: initdb into a fresh directory
// under /tmp, pg_ctl start on a free loopback port (the unix socket stays in
// that directory too), and stop and delete it all at the end.
//
// PostgreSQL refuses to run as root, so when the tests do (as in CI) the
// server's commands run as the `postgres` OS user through runuser, and the
// directory is chowned to it. A watchdog process stops the server and
// removes the directory when the test process ends, however it ends
// (ctest's timeout kill included), so no server outlives its test.
//
// The server runs with fsync, synchronous_commit and full_page_writes off:
// nothing of a throwaway server needs to survive a power cut, and tests
// start faster. Options::settings can turn them (or anything else) back
// on, e.g. for a benchmark that needs a durable server.
//
// Missing server binaries are an error, not a reason to skip: install
// Debian's `postgresql` package (scripts/setup-deps.sh does), or point
// CSE_PG_BINDIR at another bin directory.
//
// Example:
//   absl::StatusOr<PostgresServer*> server = PostgresServer::Shared();
//   ASSERT_TRUE(server.ok()) << server.status();
//   absl::StatusOr<std::string> url = (*server)->CreateDatabase();
#ifndef CSE_TESTS_TESTING_POSTGRES_SERVER_H_
#define CSE_TESTS_TESTING_POSTGRES_SERVER_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cse::testing {

class PostgresServer {
 public:
  struct Options {
    // Where initdb, pg_ctl and postgres are: $CSE_PG_BINDIR, else Debian's
    // PostgreSQL 15.
    std::string bin_dir = DefaultBinDir();
    // Server settings, "name=value" each, applied after (so overriding)
    // the harness's own; e.g. {"fsync=on", "synchronous_commit=on",
    // "full_page_writes=on"} for commits that survive a power cut. No
    // spaces or quotes (INVALID_ARGUMENT).
    std::vector<std::string> settings;
  };

  // Starts a new server. FAILED_PRECONDITION names what is missing when it
  // cannot (binaries, the postgres user); INTERNAL carries the server's log
  // when it would not start (an unknown setting included).
  static absl::StatusOr<std::unique_ptr<PostgresServer>> Start(Options options);

  // The server shared by every test of this process: started on first use,
  // stopped by a gtest Environment at the end of the run. A failed start is
  // remembered and returned to every caller.
  static absl::StatusOr<PostgresServer*> Shared();

  static std::string DefaultBinDir();

  // Stops the server and removes its directory.
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  int port() const { return port_; }
  // How long initdb and pg_ctl start took.
  absl::Duration start_time() const { return start_time_; }

  // A connection URL for `database` as the superuser (no password).
  std::string Url(absl::string_view database) const;

  // Creates a new empty database and returns its URL.
  absl::StatusOr<std::string> CreateDatabase();

 private:
  PostgresServer() = default;

  std::string dir_;
  int port_ = 0;
  absl::Duration start_time_;
  int database_count_ = 0;
  // Write end of the pipe the watchdog waits on; closing it stops the server.
  int watchdog_fd_ = -1;
  pid_t watchdog_pid_ = -1;
};

// Runs `sql` (one or more statements, no parameters) against `url` and
// returns the first column of the first row of the last result as text, or
// "" when it returned no rows.
absl::StatusOr<std::string> PostgresQuery(absl::string_view url,
                                          absl::string_view sql);

}  // namespace cse::testing

#endif  // CSE_TESTS_TESTING_POSTGRES_SERVER_H_
