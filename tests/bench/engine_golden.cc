// engine_golden: prints every assessment of a dataset under some mappings,
// so an engine change can be shown to leave the output byte-identical.
//
// For each mapping, each event (and a variant with the text fields swapped,
// so hits move between fields) and each assumed last phase (none, every
// phase of the mapping, an unknown id), it assesses with explain off and
// on, and prints both the API's text proto (Assessment and Explanation) and
// a field-by-field dump of the engine's own result (doubles to 17 digits),
// which also shows what the conversion leaves out.
//
// Usage (snapshot the inputs first: others may be editing them):
//   engine_golden --mapping=a.yaml --mapping=b.textproto data.jsonl... > out
//   diff out baseline
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "cse/v1/journey_service.pb.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"
#include "sidecar/api/assessment_conversion.h"
#include "sidecar/api/event_conversion.h"
#include "sidecar/config/mapping_loader.h"
#include "sidecar/engine/compiled_mapping.h"
#include "sidecar/engine/journey_engine.h"

namespace cse::golden {
namespace {

using engine::Assessment;
using engine::Evidence;
using engine::Reason;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string D(double v) { return absl::StrFormat("%.17g", v); }

std::string Ev(const Evidence& e) {
  return absl::StrCat("{", engine::TextFieldName(e.field), " ", e.start, "-",
                      e.end, " \"", e.excerpt, "\"}");
}

std::string Rs(const std::vector<Reason>& rs) {
  std::string out;
  for (const Reason& r : rs) {
    absl::StrAppend(
        &out, "    reason kind=", static_cast<int>(r.kind), " id=", r.rule_id,
        " w=", D(r.weight), " desc=\"", r.description, "\"",
        r.has_evidence ? absl::StrCat(" ev=", Ev(r.evidence)) : "", "\n");
  }
  return out;
}

std::string Practice(const engine::PracticeSuggestion& s) {
  std::string out =
      absl::StrCat("  practice ", s.practice_id, " \"", s.practice_name,
                   "\" org=", static_cast<int>(s.organization),
                   " eng=", static_cast<int>(s.engagement),
                   " eff=", static_cast<int>(s.effect), " score=", D(s.score),
                   " prior=", D(s.phase_prior), " aff=", D(s.event_affinity),
                   " routine=", D(s.routine_factor), "\n    rationale=\"",
                   s.rationale, "\" playbook=\"", s.playbook_name, "\" url=\"",
                   s.playbook_url, "\" addresses=[");
  for (const auto& e : s.addresses_events) absl::StrAppend(&out, e, ",");
  absl::StrAppend(&out, "]\n");
  return out;
}

std::string Dump(const Assessment& a) {
  std::string out;
  const auto& p = a.phase;
  absl::StrAppend(&out, "phase id=", p.id, " name=", p.name, " n=", p.number,
                  " conf=", D(p.confidence),
                  " by=", static_cast<int>(p.decided_by),
                  " decided=", p.decided, " prev=", p.previous_phase_id, "\n",
                  Rs(p.because));
  for (const auto& c : p.conflicts) {
    absl::StrAppend(&out, "  conflict res=\"", c.resolution, "\"");
    for (const auto& r : c.rule_ids) absl::StrAppend(&out, " r=", r);
    for (const auto& r : c.phase_ids) absl::StrAppend(&out, " p=", r);
    absl::StrAppend(&out, "\n");
  }
  for (const auto& e : a.critical_events) {
    absl::StrAppend(&out, "  event ", e.type, " \"", e.name,
                    "\" pol=", static_cast<int>(e.polarity),
                    " def=", e.definition_index, "\n");
    for (const auto& ev : e.evidence) {
      absl::StrAppend(&out, "    evidence ", Ev(ev), "\n");
    }
    absl::StrAppend(&out, Rs(e.because));
  }
  for (const auto& s : a.suggestions) absl::StrAppend(&out, Practice(s));
  for (const auto& w : a.anti_patterns) {
    absl::StrAppend(&out, "  warning ", w.id, " \"", w.name, "\" advice=\"",
                    w.advice, "\"\n");
    for (const auto& ev : w.evidence) {
      absl::StrAppend(&out, "    evidence ", Ev(ev), "\n");
    }
    absl::StrAppend(&out, Rs(w.because));
  }
  for (const auto& t : a.tags) absl::StrAppend(&out, "  tag ", t, "\n");
  absl::StrAppend(&out, "  version ", a.mapping_version, "\n  note<<\n",
                  a.note_markdown, ">>\n");
  for (const auto& t : a.traces) {
    absl::StrAppend(
        &out, "  trace ", t.rule_type, " ", t.rule_id,
        " out=", static_cast<int>(t.outcome), " detail=\"", t.detail, "\"",
        t.has_evidence ? absl::StrCat(" ev=", Ev(t.evidence)) : "", "\n");
  }
  if (!a.all_practices.empty()) absl::StrAppend(&out, "  all:\n");
  for (const auto& s : a.all_practices) absl::StrAppend(&out, Practice(s));
  return out;
}

struct Event {
  std::string id;
  v1::AssessRequest request;
};

engine::EventView View(const v1::AssessRequest& r) {
  return r.has_ticket() ? api::TicketView(r.ticket())
                        : api::MeetingView(r.meeting());
}

int Main(int argc, char** argv) {
  std::vector<std::string> mapping_files;
  std::vector<Event> events;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (absl::ConsumePrefix(&arg, "--mapping=")) {
      mapping_files.emplace_back(arg);
      continue;
    }
    std::ifstream in(argv[i], std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      const nlohmann::json doc = nlohmann::json::parse(line);
      Event e;
      e.id = doc["id"].get<std::string>();
      const auto st = google::protobuf::util::JsonStringToMessage(
          doc["event"].dump(), &e.request);
      if (!st.ok()) {
        std::fprintf(stderr, "%s: %s\n", e.id.c_str(), st.ToString().c_str());
        return 1;
      }
      events.push_back(std::move(e));
      // The same event with its text fields swapped: hits change fields.
      Event swapped = events.back();
      swapped.id += "/swapped";
      if (swapped.request.has_ticket()) {
        auto* t = swapped.request.mutable_ticket();
        std::string subject = t->subject();
        t->set_subject(t->body());
        t->set_body(subject);
      } else {
        auto* m = swapped.request.mutable_meeting();
        std::string title = m->title();
        m->set_title(m->notes());
        m->set_notes(title);
      }
      events.push_back(std::move(swapped));
    }
  }

  size_t count = 0;
  for (const std::string& file : mapping_files) {
    cse::config::v1::MappingConfig config;
    std::string version;
    if (absl::EndsWith(file, ".textproto")) {
      if (!google::protobuf::TextFormat::ParseFromString(ReadFile(file),
                                                         &config)) {
        std::fprintf(stderr, "%s: bad text proto\n", file.c_str());
        return 1;
      }
      version = "textproto";
    } else {
      std::vector<config::ConfigError> errors;
      auto loaded = config::LoadMappingFile(file, &errors);
      if (!loaded.ok()) {
        std::fprintf(stderr, "%s: %s\n", file.c_str(),
                     std::string(loaded.status().message()).c_str());
        return 1;
      }
      config = loaded->config;
      version = loaded->version;
    }
    auto mapping = engine::CompiledMapping::Compile(config, version);
    if (!mapping.ok()) {
      std::fprintf(stderr, "%s: %s\n", file.c_str(),
                   std::string(mapping.status().message()).c_str());
      return 1;
    }
    std::vector<std::string> last_phases = {"", "no-such-phase"};
    for (const auto& ph : (*mapping)->phases()) last_phases.push_back(ph.id);

    for (const Event& e : events) {
      const engine::EventView view = View(e.request);
      for (const std::string& last : last_phases) {
        for (bool explain : {false, true}) {
          engine::AssessOptions options;
          options.explain = explain;
          options.last_known_phase_id = last;
          // Vary the suggestion count too (0 = the mapping's default).
          options.top_n = last.empty() && !explain ? 10 : 0;
          auto a = engine::Assess(**mapping, view, options);
          std::cout << "=== " << file << " " << e.id << " last=" << last
                    << " explain=" << explain << " top_n=" << options.top_n
                    << "\n";
          ++count;
          if (!a.ok()) {
            std::cout << "error: " << a.status() << "\n";
            continue;
          }
          v1::Assessment proto;
          api::ToProto(*a, view, &proto);
          std::string text;
          google::protobuf::TextFormat::PrintToString(proto, &text);
          std::cout << text;
          if (explain) {
            v1::Explanation ex;
            api::ToProto(*a, &ex);
            google::protobuf::TextFormat::PrintToString(ex, &text);
            std::cout << text;
          }
          std::cout << Dump(*a);
        }
      }
    }
  }
  std::fprintf(stderr, "engine_golden: %zu assessments of %zu events\n", count,
               events.size());
  return 0;
}

}  // namespace
}  // namespace cse::golden

int main(int argc, char** argv) { return cse::golden::Main(argc, argv); }
