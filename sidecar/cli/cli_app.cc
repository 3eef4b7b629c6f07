#include "sidecar/cli/cli_app.h"

#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_join.h"
#include "sidecar/cli/commands.h"
#include "sidecar/config/builtin_mappings.h"

namespace cse::cli {
namespace {

constexpr char kJsonHelp[] =
    "Print the cse.v1.AssessResponse as protobuf JSON (lowerCamelCase field "
    "names, the convention of the input files; fields at their default "
    "value are left out)";

constexpr char kEventFileHelp[] =
    "Event as protobuf JSON: {\"ticket\": {...}}, {\"meeting\": {...}}, a "
    "dataset line, or a bare event with --kind; '-' reads stdin";

void AddAssessFlags(CLI::App* cmd, AssessFlags* flags) {
  cmd->add_option("file", flags->file, kEventFileHelp);
  cmd->add_option("--text", flags->text,
                  "Assess this text instead: the ticket body, or the meeting "
                  "notes with --kind meeting; '-' reads stdin");
  cmd->add_option("--kind", flags->kind, "ticket or meeting")
      ->check(CLI::IsMember({"ticket", "meeting"}));
  cmd->add_option("--top", flags->top_n,
                  "Number of suggestions (0 = the mapping's default, at "
                  "most 10)");
  auto* config = cmd->add_option("--config", flags->config_path,
                                 "Assess with this mapping YAML file");
  std::vector<std::string> names = config::BuiltinMappingNames();
  auto* builtin = cmd->add_option(
      "--builtin", flags->builtin_name,
      "Assess with a builtin mapping: " + absl::StrJoin(names, ", ") +
          " (default: default)");
  config->excludes(builtin);
  cmd->add_option("--server", flags->server,
                  "Call cse.v1.JourneyService/Assess on a running sidecar at "
                  "HOST:PORT (insecure channel, 5 s deadline) instead of "
                  "assessing in-process");
  cmd->add_option("--last-phase", flags->last_phase,
                  "Assume the account's last known phase is this phase id");
  cmd->add_flag("--json", flags->json, kJsonHelp);
}

void AddIngestFlags(CLI::App* cmd, IngestFlags* flags) {
  cmd->add_option("file", flags->file, kEventFileHelp)->required();
  cmd->add_option("--kind", flags->kind, "ticket or meeting")
      ->check(CLI::IsMember({"ticket", "meeting"}));
  cmd->add_option("--top", flags->top_n,
                  "Number of suggestions (0 = the mapping's default, at "
                  "most 10)");
  cmd->add_option("--server", flags->server,
                  "The running sidecar at HOST:PORT whose journey store "
                  "records the event (required; insecure channel, 5 s "
                  "deadline)");
  cmd->add_flag("--json", flags->json,
                "Print the cse.v1.IngestResponse as protobuf JSON "
                "(lowerCamelCase field names; fields at their default value, "
                "such as duplicate = false, are left out)");
}

void AddCircumplexFlags(CLI::App* cmd, CircumplexFlags* flags) {
  cmd->add_option("--server", flags->server,
                  "The running sidecar at HOST:PORT whose journey store the "
                  "report counts (required; insecure channel, 5 s deadline)");
  cmd->add_option("--account", flags->account,
                  "One account's report (default: the whole portfolio)");
  cmd->add_option("--basis", flags->basis,
                  "applied: practices the team recorded as applied "
                  "(default); suggested: practices the sidecar suggested")
      ->check(CLI::IsMember({"applied", "suggested"}));
  auto* config =
      cmd->add_option("--config", flags->config_path,
                      "Name phases and practices from this mapping YAML file");
  auto* builtin =
      cmd->add_option("--builtin", flags->builtin_name,
                      "Name phases and practices from a builtin mapping: " +
                          absl::StrJoin(config::BuiltinMappingNames(), ", ") +
                          " (default: default)");
  config->excludes(builtin);
  cmd->add_option("--since", flags->since,
                  "Count only work at or after this date (YYYY-MM-DD, UTC) "
                  "or RFC 3339 time");
  cmd->add_option("--until", flags->until,
                  "Count only work before this date or time");
  auto* svg = cmd->add_option(
      "--svg", flags->svg,
      "Write the report as an SVG figure to this file ('-': stdout) "
      "instead of printing a table");
  auto* json = cmd->add_flag(
      "--json", flags->json,
      "Print the cse.v1.GetCircumplexReportResponse as protobuf JSON");
  svg->excludes(json);
}

void AddOutcomeFlags(CLI::App* cmd, OutcomeFlags* flags) {
  cmd->add_option("--server", flags->server,
                  "The running sidecar at HOST:PORT (required; insecure "
                  "channel, 5 s deadline)");
  cmd->add_option("--account", flags->account, "The account (required)")
      ->required();
  cmd->add_option("--practice", flags->practice,
                  "The practice applied: P1..P10 or an admin-defined id "
                  "(required)")
      ->required();
  cmd->add_option("--reaction", flags->reaction,
                  "How the customer reacted (required)")
      ->required()
      ->check(
          CLI::IsMember({"restored", "bolstered", "no-change", "worsened"}));
  cmd->add_option("--organization", flags->organization,
                  "How it was organised (default: as it was suggested)")
      ->check(CLI::IsMember({"ad-hoc", "regular"}));
  cmd->add_option("--engagement", flags->engagement,
                  "How the team engaged (default: as it was suggested)")
      ->check(CLI::IsMember({"reactive", "proactive"}));
  auto* source = cmd->add_option(
      "--source", flags->source,
      "With --event-id: the event whose suggestion the team followed");
  auto* event = cmd->add_option("--event-id", flags->event_id,
                                "With --source: that event's id");
  source->needs(event);
  event->needs(source);
  auto* follow = cmd->add_flag(
      "--follow-latest", flags->follow_latest,
      "Follow the account's latest suggestion of the practice (its event, "
      "phase, critical event and mode)");
  follow->excludes(source);
  follow->excludes(event);
  cmd->add_option("--phase", flags->phase,
                  "Phase id (default: the followed event's, else the "
                  "account's current phase)");
  cmd->add_option("--critical-event", flags->critical_event,
                  "Critical event type answered (default: the followed "
                  "event's first negative one)");
  cmd->add_option("--description", flags->description,
                  "What was done, in a sentence (at most 4096 bytes)");
  cmd->add_option("--occurred-at", flags->occurred_at,
                  "When it was done, RFC 3339 (default: now)");
  cmd->add_option("--by", flags->recorded_by, "Who records it");
  cmd->add_option("--id", flags->outcome_id,
                  "Idempotency key: recording the same id again changes "
                  "nothing");
  cmd->add_flag("--json", flags->json,
                "Print the cse.v1.RecordOutcomeResponse as protobuf JSON");
}

}  // namespace

int RunCli(int argc, const char* const* argv, std::ostream& out,
           std::ostream& err, bool color) {
  CLI::App app{
      "cse: assess CRM tickets and meetings against the customer-journey "
      "mapping (phases, critical events, practice suggestions)",
      "cse"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "cse 0.1.0");

  std::vector<std::string> files;
  CLI::App* validate = app.add_subcommand(
      "validate",
      "Validate mapping YAML files (exit 0 when all are valid, "
      "2 otherwise)");
  validate->add_option("files", files, "Mapping YAML files")->required();

  AssessFlags assess_flags;
  CLI::App* assess = app.add_subcommand(
      "assess", "Assess one event: phase, critical events, suggestions");
  AddAssessFlags(assess, &assess_flags);

  AssessFlags explain_flags;
  CLI::App* explain = app.add_subcommand(
      "explain",
      "Show every rule that fired or nearly fired, and the full practice "
      "ranking with its score breakdown");
  AddAssessFlags(explain, &explain_flags);

  IngestFlags ingest_flags;
  CLI::App* ingest = app.add_subcommand(
      "ingest",
      "Record one event in a running sidecar's journey store and show its "
      "assessment (a redelivery is answered as a duplicate)");
  AddIngestFlags(ingest, &ingest_flags);

  CircumplexFlags circumplex_flags;
  CLI::App* circumplex = app.add_subcommand(
      "circumplex",
      "Count the practices of one account or the portfolio by circumplex "
      "quadrant and phase, as a table or an SVG figure (--svg)");
  AddCircumplexFlags(circumplex, &circumplex_flags);

  OutcomeFlags outcome_flags;
  CLI::App* outcome = app.add_subcommand(
      "outcome",
      "Record what the team did for an account and how the customer "
      "reacted; the practice ranking learns from it");
  AddOutcomeFlags(outcome, &outcome_flags);

  // CLI11 reports through exceptions; they end here.
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    return code == 0 ? kExitOk : kExitInvalid;
  }

  if (validate->parsed()) return RunValidate(files, out, err);
  if (circumplex->parsed()) return RunCircumplex(circumplex_flags, out, err);
  if (outcome->parsed()) return RunOutcome(outcome_flags, out, err);
  const TextStyle style(color);
  if (ingest->parsed()) {
    return RunIngest(ingest_flags, ingest_flags.json ? TextStyle(false) : style,
                     out, err);
  }
  if (assess->parsed()) {
    return RunAssess(assess_flags, /*explain=*/false,
                     assess_flags.json ? TextStyle(false) : style, out, err);
  }
  return RunAssess(explain_flags, /*explain=*/true,
                   explain_flags.json ? TextStyle(false) : style, out, err);
}

}  // namespace cse::cli
