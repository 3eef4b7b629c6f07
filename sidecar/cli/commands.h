// The `cse` subcommands as plain functions over streams, so tests can run
// them without a process; cli_app.cc only parses flags and dispatches.
#ifndef CSE_SIDECAR_CLI_COMMANDS_H_
#define CSE_SIDECAR_CLI_COMMANDS_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "sidecar/cli/render.h"

namespace cse::cli {

// Exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;    // bad input, assessment or RPC error
inline constexpr int kExitInvalid = 2;  // invalid mapping file, usage error

// Every call to a running sidecar (`--server`).
inline constexpr absl::Duration kRpcDeadline = absl::Seconds(5);

// Prints `error: MESSAGE` on `err`; returns kExitError.
int Fail(std::ostream& err, absl::string_view message);
// Prints `error: CODE: message` (INVALID_ARGUMENT, UNAVAILABLE...) on
// `err`; returns kExitError.
int FailStatus(std::ostream& err, const absl::Status& status);

// `cse validate FILE...`: one line per valid file
// (`FILE: OK (version label@hash12, 5 phases, 18 detectors, 240 patterns)`)
// and one line per problem (`file:line:col: field.path: message`).
// Returns kExitOk when every file is valid, else kExitInvalid.
int RunValidate(const std::vector<std::string>& files, std::ostream& out,
                std::ostream& err);

struct AssessFlags {
  std::string file;  // JSON event; "-" is stdin
  std::string text;  // or free text; "-" is stdin
  std::string kind;  // "ticket" / "meeting" / empty
  uint32_t top_n = 0;
  std::string config_path;
  std::string builtin_name;
  std::string server;  // HOST:PORT: assess remotely
  std::string last_phase;
  bool json = false;
};

// `cse assess` (explain = false) and `cse explain` (explain = true).
// Returns kExitOk, or kExitError with `error: ...` on `err`.
int RunAssess(const AssessFlags& flags, bool explain, const TextStyle& style,
              std::ostream& out, std::ostream& err);

struct IngestFlags {
  std::string file;  // JSON event; "-" is stdin
  std::string kind;  // "ticket" / "meeting" / empty
  uint32_t top_n = 0;
  std::string server;  // HOST:PORT of the sidecar; required
  bool json = false;
};

// `cse ingest`: records the event through JourneyService.IngestTicket or
// IngestMeeting and prints the assessment as `cse assess` does, headed by
// whether it was recorded now or was a duplicate. Returns kExitOk (for a
// duplicate too), kExitError with `error: ...` on `err`, or kExitInvalid
// without --server.
int RunIngest(const IngestFlags& flags, const TextStyle& style,
              std::ostream& out, std::ostream& err);

struct CircumplexFlags {
  std::string server;   // HOST:PORT of the sidecar; required
  std::string account;  // empty: the whole portfolio
  std::string basis;    // "applied" (default) / "suggested"
  // The mapping that names the report's phases and practices (the report
  // holds ids only); builtin "default" when neither is given.
  std::string config_path;
  std::string builtin_name;
  std::string svg;  // write the figure here ("-": stdout) instead of a table
  // The window counted: RFC 3339 times or YYYY-MM-DD dates (UTC midnight);
  // empty: unbounded.
  std::string since;
  std::string until;
  bool json = false;
};

// `cse circumplex`: calls JourneyService.GetCircumplexReport and prints the
// report as a text table, writes it as an SVG figure (--svg), or prints
// the response as protobuf JSON (--json). Returns kExitOk, kExitError with
// `error: ...` on `err` (RPC, mapping or file errors), or kExitInvalid
// without --server.
int RunCircumplex(const CircumplexFlags& flags, std::ostream& out,
                  std::ostream& err);

struct OutcomeFlags {
  std::string server;        // HOST:PORT of the sidecar; required
  std::string account;       // required
  std::string practice;      // required: P1..P10 or an admin-defined id
  std::string reaction;      // required: restored / bolstered / no-change /
                             // worsened
  std::string organization;  // ad-hoc / regular; empty: as suggested
  std::string engagement;    // reactive / proactive; empty: as suggested
  // The event whose suggestion was followed (both or neither), or
  // follow_latest: the account's latest suggestion of the practice.
  std::string source;
  std::string event_id;
  bool follow_latest = false;
  std::string phase;
  std::string critical_event;
  std::string description;
  std::string occurred_at;  // RFC 3339; empty: now
  std::string recorded_by;
  std::string outcome_id;  // idempotency key; empty: the sidecar assigns
  bool json = false;
};

// `cse outcome`: calls JourneyService.RecordOutcome and prints what was
// stored, as the sidecar completed it (or the response as protobuf JSON).
// Returns kExitOk (for an already recorded outcome_id too), kExitError
// with `error: CODE: message` on `err`, or kExitInvalid without --server.
int RunOutcome(const OutcomeFlags& flags, std::ostream& out, std::ostream& err);

}  // namespace cse::cli

#endif  // CSE_SIDECAR_CLI_COMMANDS_H_
