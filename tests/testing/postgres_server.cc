#include "tests/testing/postgres_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "tests/testing/child_process.h"

namespace cse::testing {
namespace {

// Runs argv with its output appended to `log` and waits for it.
absl::Status Run(const Argv& argv, const std::string& log) {
  absl::StatusOr<int> exit_status = RunLogged(argv, log, 0644);
  if (!exit_status.ok()) return exit_status.status();
  if (*exit_status == 0) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(argv.ToString(),
                                          " failed (exit status ", *exit_status,
                                          "); its log:\n", FileTail(log)));
}

// A loopback port nobody listens on right now. Another process may take it
// before the server binds it; Start() then tries another.
absl::StatusOr<int> FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    return absl::InternalError("cannot bind a loopback port");
  }
  close(fd);
  return ntohs(addr.sin_port);
}

std::string RunuserPath() {
  for (const char* p : {"/usr/sbin/runuser", "/sbin/runuser"}) {
    if (access(p, X_OK) == 0) return p;
  }
  return "";
}

absl::Mutex shared_mu(absl::kConstInit);
PostgresServer* shared_server ABSL_GUARDED_BY(shared_mu) = nullptr;
absl::Status* shared_error ABSL_GUARDED_BY(shared_mu) = nullptr;

// Stops the shared server once every test has run.
class SharedServerEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    absl::MutexLock lock(&shared_mu);
    if (shared_server == nullptr) return;
    const absl::Duration start_time = shared_server->start_time();
    const absl::Time stopping = absl::Now();
    delete shared_server;
    shared_server = nullptr;
    // Start-up cost is paid per test process; keep it visible in the logs.
    std::fprintf(stderr, "test PostgreSQL server: start %s, stop %s\n",
                 absl::FormatDuration(start_time).c_str(),
                 absl::FormatDuration(absl::Now() - stopping).c_str());
  }
};

[[maybe_unused]] ::testing::Environment* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new SharedServerEnvironment);

}  // namespace

std::string PostgresServer::DefaultBinDir() {
  const char* env = std::getenv("CSE_PG_BINDIR");
  return env != nullptr && *env != '\0' ? env : "/usr/lib/postgresql/15/bin";
}

absl::StatusOr<std::unique_ptr<PostgresServer>> PostgresServer::Start(
    Options options) {
  const absl::Time started = absl::Now();
  // pg_ctl hands the options to a shell: one word per setting.
  std::string settings;
  for (const std::string& setting : options.settings) {
    if (setting.find('=') == std::string::npos ||
        setting.find_first_of(" \t\n'\"\\;$`") != std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("PostgreSQL setting \"", setting,
                       "\": want name=value without spaces or quotes"));
    }
    absl::StrAppend(&settings, " -c ", setting);
  }
  for (const char* tool : {"initdb", "pg_ctl", "postgres"}) {
    const std::string path = absl::StrCat(options.bin_dir, "/", tool);
    if (access(path.c_str(), X_OK) != 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "PostgreSQL server binaries not found: ", path,
          " is missing. Install Debian's postgresql package (run "
          "scripts/setup-deps.sh as root) or set CSE_PG_BINDIR to the "
          "directory holding initdb, pg_ctl and postgres."));
    }
  }
  // PostgreSQL will not run as root: run its commands as `postgres`.
  std::vector<std::string> as_user;
  uid_t uid = geteuid();
  gid_t gid = getegid();
  if (uid == 0) {
    const passwd* pw = getpwnam("postgres");
    const std::string runuser = RunuserPath();
    if (pw == nullptr || runuser.empty()) {
      return absl::FailedPreconditionError(
          "running as root, so the test PostgreSQL server must run as the "
          "`postgres` OS user through runuser, and that user or runuser is "
          "missing (Debian's postgresql package creates the user)");
    }
    uid = pw->pw_uid;
    gid = pw->pw_gid;
    as_user = {runuser, "-u", "postgres", "--"};
  }
  auto as_server_user = [&as_user](std::vector<std::string> args) {
    args.insert(args.begin(), as_user.begin(), as_user.end());
    return Argv(std::move(args));
  };

  // Under /tmp whatever $TEST_TMPDIR says: the unix socket path must stay
  // short (108 bytes) and every parent directory must be open to postgres.
  std::string dir = "/tmp/cse-pg-XXXXXX";
  if (mkdtemp(dir.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp: ", std::strerror(errno)));
  }
  std::unique_ptr<PostgresServer> server(new PostgresServer());
  server->dir_ = dir;
  if (chown(dir.c_str(), uid, gid) != 0) {
    const std::string err = std::strerror(errno);
    rmdir(dir.c_str());
    return absl::InternalError(absl::StrCat("chown ", dir, ": ", err));
  }
  const std::string data = dir + "/data";
  const Argv remove({"/bin/rm", "-rf", dir});

  // From here on the watchdog owns cleanup, even if start-up fails.
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return absl::InternalError("pipe2 failed");
  }
  const Argv stop = as_server_user({options.bin_dir + "/pg_ctl", "-D", data,
                                    "-m", "immediate", "-w", "stop"});
  server->watchdog_pid_ = StartWatchdog(pipe_fds[0], stop, remove);
  close(pipe_fds[0]);
  server->watchdog_fd_ = pipe_fds[1];
  if (server->watchdog_pid_ < 0) {
    return absl::InternalError("cannot fork the server's watchdog");
  }

  // Durability is pointless for a throwaway server; start-up speed is not.
  if (absl::Status s =
          Run(as_server_user({options.bin_dir + "/initdb", "-D", data, "-U",
                              "postgres", "--auth=trust", "--no-sync",
                              "--encoding=UTF8", "--locale=C",
                              "--no-instructions"}),
              dir + "/initdb.log");
      !s.ok()) {
    return s;
  }
  absl::Status started_ok;
  for (int attempt = 0; attempt < 3; ++attempt) {
    absl::StatusOr<int> port = FreePort();
    if (!port.ok()) return port.status();
    const std::string log = absl::StrCat(dir, "/server-", attempt, ".log");
    started_ok =
        Run(as_server_user(
                {options.bin_dir + "/pg_ctl", "-D", data, "-l", log, "-w", "-t",
                 "60", "-o",
                 absl::StrCat("-p ", *port, " -k ", dir,
                              " -c listen_addresses=127.0.0.1 -c fsync=off"
                              " -c synchronous_commit=off"
                              " -c full_page_writes=off",
                              settings),
                 "start"}),
            dir + "/pg_ctl.log");
    if (started_ok.ok()) {
      server->port_ = *port;
      break;
    }
    // Somebody took the port between FreePort() and the bind: try again.
    if (!absl::StrContains(FileTail(log), "could not bind")) break;
  }
  if (!started_ok.ok()) {
    return absl::InternalError(absl::StrCat(
        "the test PostgreSQL server did not start: ", started_ok.message()));
  }
  server->start_time_ = absl::Now() - started;
  return server;
}

absl::StatusOr<PostgresServer*> PostgresServer::Shared() {
  absl::MutexLock lock(&shared_mu);
  if (shared_server != nullptr) return shared_server;
  if (shared_error != nullptr) return *shared_error;
  absl::StatusOr<std::unique_ptr<PostgresServer>> server = Start(Options());
  if (!server.ok()) {
    shared_error = new absl::Status(server.status());
    return *shared_error;
  }
  shared_server = server->release();
  return shared_server;
}

PostgresServer::~PostgresServer() {
  if (watchdog_fd_ >= 0) close(watchdog_fd_);
  if (watchdog_pid_ > 0) {
    int status;
    while (waitpid(watchdog_pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
}

std::string PostgresServer::Url(absl::string_view database) const {
  return absl::StrCat("postgresql://postgres@127.0.0.1:", port_, "/", database);
}

absl::StatusOr<std::string> PostgresServer::CreateDatabase() {
  const std::string name = absl::StrCat("test_", ++database_count_);
  absl::StatusOr<std::string> created =
      PostgresQuery(Url("postgres"), absl::StrCat("CREATE DATABASE ", name));
  if (!created.ok()) return created.status();
  return Url(name);
}

absl::StatusOr<std::string> PostgresQuery(absl::string_view url,
                                          absl::string_view sql) {
  const std::string dsn(url);
  PGconn* conn = PQconnectdb(dsn.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    PQfinish(conn);
    return absl::UnavailableError(msg);
  }
  const std::string query(sql);
  PGresult* res = PQexec(conn, query.c_str());
  absl::StatusOr<std::string> out;
  const ExecStatusType st = PQresultStatus(res);
  if (st == PGRES_TUPLES_OK) {
    out = PQntuples(res) > 0 && PQnfields(res) > 0
              ? std::string(PQgetvalue(res, 0, 0))
              : std::string();
  } else if (st == PGRES_COMMAND_OK) {
    out = std::string();
  } else {
    out = absl::InternalError(absl::StrCat(sql, ": ", PQerrorMessage(conn)));
  }
  PQclear(res);
  PQfinish(conn);
  return out;
}

}  // namespace cse::testing
