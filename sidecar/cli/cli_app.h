// The `cse` command line: flag parsing (CLI11) and dispatch to the
// subcommands in commands.h.
//
//   cse validate FILE...
//   cse assess  [FILE.json|-] [--text TEXT|-] [--kind ticket|meeting]
//               [--top N] [--config FILE | --builtin NAME]
//               [--server HOST:PORT] [--last-phase ID] [--json]
//   cse explain (the same inputs as assess)
//   cse ingest  FILE.json|- --server HOST:PORT [--kind ticket|meeting]
//               [--top N] [--json]
//
// Example (main.cc):
//   return cse::cli::RunCli(argc, argv, std::cout, std::cerr,
//                           cse::cli::ShouldColorStdout());
#ifndef CSE_SIDECAR_CLI_CLI_APP_H_
#define CSE_SIDECAR_CLI_CLI_APP_H_

#include <ostream>

namespace cse::cli {

// Returns the process exit code (see commands.h; --help is 0, a usage
// error 2).
int RunCli(int argc, const char* const* argv, std::ostream& out,
           std::ostream& err, bool color);

}  // namespace cse::cli

#endif  // CSE_SIDECAR_CLI_CLI_APP_H_
