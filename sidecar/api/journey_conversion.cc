#include "sidecar/api/journey_conversion.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "sidecar/api/proto_time.h"
#include "sidecar/api/writeback_conversion.h"

namespace cse::api {
namespace {

void SetRef(absl::string_view source, absl::string_view event_id,
            cse::v1::EventRef* out) {
  out->set_source(std::string(source));
  out->set_event_id(std::string(event_id));
}

void ToProto(const store::PhaseSpan& in, cse::v1::PhaseSpan* out) {
  out->set_phase_id(in.phase_id);
  SetTime(in.entered_at, [&] { return out->mutable_entered_at(); });
  SetTime(in.left_at, [&] { return out->mutable_left_at(); });
  out->set_previous_phase_id(in.previous_phase_id);
  out->set_step_back(in.step_back);
  SetRef(in.entered_by_source, in.entered_by_event_id,
         out->mutable_entered_by());
  out->set_decided_by(static_cast<cse::v1::ReasonKind>(in.decided_by));
  out->set_explanation(in.explanation);
  out->set_event_count(static_cast<uint32_t>(in.event_count));
}

absl::Status CheckEnum(int value, int max, absl::string_view field,
                       bool optional = false) {
  if (value == 0 && !optional) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  }
  if (value < 0 || value > max) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": unknown value ", value));
  }
  return absl::OkStatus();
}

}  // namespace

std::string PhaseExplanation(const cse::v1::PhaseAssessment& phase) {
  std::string out;
  for (const cse::v1::Reason& r : phase.because()) {
    if (!out.empty()) out.append("; ");
    absl::StrAppend(&out, r.description());
    if (!r.rule_id().empty()) absl::StrAppend(&out, " (", r.rule_id(), ")");
  }
  return out;
}

absl::StatusOr<store::IngestRecord> IngestRecordFor(
    const cse::v1::Assessment& assessment, const IngestedEvent& event) {
  store::IngestRecord record;
  record.source = assessment.source();
  record.event_id = assessment.event_id();
  record.account_id = assessment.account_id();
  const cse::v1::PhaseAssessment& phase = assessment.phase();
  record.phase_id = phase.id();
  record.phase_number = static_cast<int>(phase.number());
  record.phase_decided_by =
      static_cast<store::PhaseDecidedBy>(phase.decided_by());
  record.phase_explanation = PhaseExplanation(phase);
  record.occurred_at = event.occurred_at;
  record.sequence = event.sequence;
  record.body = std::string(event.body);
  record.critical_events.reserve(assessment.critical_events_size());
  for (const cse::v1::CriticalEvent& e : assessment.critical_events()) {
    record.critical_events.push_back(
        {e.type(), static_cast<store::Polarity>(e.polarity())});
  }
  record.suggestions.reserve(assessment.suggestions_size());
  for (const cse::v1::PracticeSuggestion& s : assessment.suggestions()) {
    store::SuggestionRecord& r = record.suggestions.emplace_back();
    r.practice_id = s.practice_id();
    r.organization = static_cast<store::Organization>(s.organization());
    r.engagement = static_cast<store::Engagement>(s.engagement());
    r.effect = static_cast<store::Effect>(s.effect());
    r.score = s.score();
  }
  record.writebacks =
      WritebacksFor(assessment, event.object_kind, event.object_id);
  if (!assessment.SerializeToString(&record.assessment)) {
    return absl::InternalError("assessment does not serialise");
  }
  return record;
}

absl::StatusOr<store::JourneyQuery> JourneyQueryFromProto(
    const cse::v1::GetAccountJourneyRequest& request) {
  if (request.account_id().empty()) {
    return absl::InvalidArgumentError("account_id: required");
  }
  if (request.max_items() > kMaxJourneyItems) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_items: at most ", kMaxJourneyItems));
  }
  store::JourneyQuery query;
  query.account_id = request.account_id();
  query.max_items = static_cast<int>(
      request.max_items() == 0 ? kDefaultJourneyItems : request.max_items());
  return query;
}

void ToProto(const store::AccountJourney& in, cse::v1::AccountJourney* out) {
  out->Clear();
  out->set_account_id(in.account_id);
  out->set_current_phase_id(in.current_phase_id);
  for (const store::PhaseSpan& span : in.phase_history) {
    ToProto(span, out->add_phase_history());
  }
  for (const store::JourneyEvent& e : in.events) {
    cse::v1::JourneyEvent* pe = out->add_events();
    SetRef(e.source, e.event_id, pe->mutable_event());
    SetTime(e.occurred_at, [&] { return pe->mutable_occurred_at(); });
    pe->set_sequence(static_cast<uint64_t>(std::max<int64_t>(e.sequence, 0)));
    pe->set_phase_id(e.phase_id);
    pe->set_body(e.body);
  }
  for (const store::JourneyCriticalEvent& e : in.critical_events) {
    cse::v1::JourneyCriticalEvent* pe = out->add_critical_events();
    pe->set_type(e.type);
    pe->set_polarity(static_cast<cse::v1::Polarity>(e.polarity));
    SetRef(e.source, e.event_id, pe->mutable_event());
    SetTime(e.occurred_at, [&] { return pe->mutable_occurred_at(); });
    pe->set_phase_id(e.phase_id);
    pe->set_open(e.open);
  }
  for (const store::JourneySuggestion& s : in.suggestions) {
    cse::v1::JourneySuggestion* ps = out->add_suggestions();
    SetRef(s.source, s.event_id, ps->mutable_event());
    SetTime(s.occurred_at, [&] { return ps->mutable_occurred_at(); });
    ps->set_phase_id(s.phase_id);
    ps->set_rank(static_cast<uint32_t>(s.rank));
    ps->set_practice_id(s.suggestion.practice_id);
    ps->set_organization(
        static_cast<cse::v1::ModeOfOrganization>(s.suggestion.organization));
    ps->set_engagement(
        static_cast<cse::v1::ModeOfEngagement>(s.suggestion.engagement));
    ps->set_effect(static_cast<cse::v1::Effect>(s.suggestion.effect));
    ps->set_score(s.suggestion.score);
  }
  for (const store::OutcomeRecord& o : in.outcomes) {
    ToProto(o, out->add_outcomes());
  }
  out->set_event_count(static_cast<uint32_t>(in.event_count));
  out->set_open_negative_event_count(
      static_cast<uint32_t>(in.open_negative_event_count));
}

absl::StatusOr<store::AtRiskQuery> AtRiskQueryFromProto(
    const cse::v1::ListAccountsAtRiskRequest& request, Page* page) {
  absl::StatusOr<absl::Duration> window =
      FromProto(request.open_window(), "open_window");
  if (!window.ok()) return window.status();
  if (*window > kMaxOpenWindow) {
    return absl::InvalidArgumentError("open_window: at most 3650 days");
  }
  absl::StatusOr<Page> parsed =
      ParsePage(request.page_size(), request.page_token(), kDefaultAtRiskPage,
                kMaxAtRiskPage);
  if (!parsed.ok()) return parsed.status();
  *page = *parsed;
  store::AtRiskQuery query;
  query.open_window =
      *window == absl::ZeroDuration() ? store::kDefaultOpenWindow : *window;
  if (request.has_as_of()) query.as_of = FromProto(request.as_of());
  query.limit = page->limit + 1;
  query.offset = page->offset;
  return query;
}

void ToProto(const store::AccountRisk& in, cse::v1::AccountRisk* out) {
  out->set_account_id(in.account_id);
  out->set_current_phase_id(in.current_phase_id);
  out->set_open_negative_event_count(
      static_cast<uint32_t>(in.open_negative_event_count));
  for (const std::string& type : in.open_event_types) {
    out->add_open_event_types(type);
  }
  SetTime(in.oldest_open_at, [&] { return out->mutable_oldest_open_at(); });
  SetTime(in.latest_open_at, [&] { return out->mutable_latest_open_at(); });
}

absl::Status CheckEraseAccount(const cse::v1::EraseAccountRequest& request) {
  if (request.account_id().empty()) {
    return absl::InvalidArgumentError("account_id: required");
  }
  return absl::OkStatus();
}

absl::StatusOr<store::OutcomeRecord> OutcomeFromProto(
    const cse::v1::RecordOutcomeRequest& request) {
  if (request.outcome_id().size() > kMaxOutcomeIdBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("outcome_id: at most ", kMaxOutcomeIdBytes, " bytes"));
  }
  if (request.account_id().empty()) {
    return absl::InvalidArgumentError("account_id: required");
  }
  if (request.source().empty() != request.event_id().empty()) {
    return absl::InvalidArgumentError(request.source().empty()
                                          ? "source: required with event_id"
                                          : "event_id: required with source");
  }
  if (request.practice_id().empty()) {
    return absl::InvalidArgumentError("practice_id: required");
  }
  if (absl::Status s =
          CheckEnum(request.organization(), cse::v1::ModeOfOrganization_MAX,
                    "organization", /*optional=*/true);
      !s.ok()) {
    return s;
  }
  // The store takes an unspecified mode from the followed suggestion.
  if (absl::Status s =
          CheckEnum(request.engagement(), cse::v1::ModeOfEngagement_MAX,
                    "engagement", /*optional=*/true);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckEnum(request.reaction(),
                                 cse::v1::CustomerReaction_MAX, "reaction");
      !s.ok()) {
    return s;
  }
  if (request.description().size() > kMaxOutcomeDescriptionBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "description: at most ", kMaxOutcomeDescriptionBytes, " bytes"));
  }
  store::OutcomeRecord out;
  out.outcome_id = request.outcome_id();
  out.account_id = request.account_id();
  out.source = request.source();
  out.event_id = request.event_id();
  out.practice_id = request.practice_id();
  out.organization = static_cast<store::Organization>(request.organization());
  out.engagement = static_cast<store::Engagement>(request.engagement());
  out.reaction = static_cast<store::CustomerReaction>(request.reaction());
  out.phase_id = request.phase_id();
  out.critical_event_type = request.critical_event_type();
  out.description = request.description();
  out.occurred_at = FromProto(request.occurred_at());
  out.recorded_by = request.recorded_by();
  out.follow_latest_suggestion = request.follow_latest_suggestion();
  return out;
}

void ToProto(const store::OutcomeRecord& in, cse::v1::Outcome* out) {
  out->set_outcome_id(in.outcome_id);
  out->set_account_id(in.account_id);
  out->set_source(in.source);
  out->set_event_id(in.event_id);
  out->set_practice_id(in.practice_id);
  out->set_organization(
      static_cast<cse::v1::ModeOfOrganization>(in.organization));
  out->set_engagement(static_cast<cse::v1::ModeOfEngagement>(in.engagement));
  out->set_reaction(static_cast<cse::v1::CustomerReaction>(in.reaction));
  out->set_phase_id(in.phase_id);
  out->set_critical_event_type(in.critical_event_type);
  out->set_description(in.description);
  SetTime(in.occurred_at, [&] { return out->mutable_occurred_at(); });
  SetTime(in.recorded_at, [&] { return out->mutable_recorded_at(); });
  out->set_recorded_by(in.recorded_by);
}

absl::StatusOr<store::CircumplexBasis> CircumplexBasisFromProto(
    cse::v1::CircumplexBasis basis) {
  switch (basis) {
    case cse::v1::CIRCUMPLEX_BASIS_UNSPECIFIED:
    case cse::v1::CIRCUMPLEX_BASIS_APPLIED:
      return store::CircumplexBasis::kApplied;
    case cse::v1::CIRCUMPLEX_BASIS_SUGGESTED:
      return store::CircumplexBasis::kSuggested;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("basis: unknown value ", static_cast<int>(basis)));
  }
}

absl::StatusOr<store::TimeWindow> CircumplexWindowFromProto(
    const cse::v1::GetCircumplexReportRequest& request) {
  store::TimeWindow window;
  for (auto [field, set, ts, bound] :
       {std::tuple("since", request.has_since(), &request.since(),
                   &window.since),
        std::tuple("until", request.has_until(), &request.until(),
                   &window.until)}) {
    if (!set) continue;
    if (ts->nanos() < 0 || ts->nanos() > 999999999) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".nanos: out of range"));
    }
    *bound = FromProto(*ts);
  }
  if (window.since >= window.until) {
    return absl::InvalidArgumentError("until: must be after since");
  }
  return window;
}

cse::v1::Recurrence RecurrenceOf(int count) {
  if (count <= 0) return cse::v1::RECURRENCE_UNSPECIFIED;
  if (count == 1) return cse::v1::RECURRENCE_OCCASIONALLY;
  if (count == 2) return cse::v1::RECURRENCE_SOMETIMES;
  return cse::v1::RECURRENCE_FREQUENTLY;
}

void CircumplexReportToProto(const std::vector<store::CircumplexCount>& counts,
                             PhaseNumberLookup phase_number,
                             cse::v1::GetCircumplexReportResponse* out) {
  // Model order; a phase the active model lacks (a renamed or removed one,
  // still in old records) goes after every known one.
  auto order = [&](const store::CircumplexCount& c) {
    const int n = phase_number(c.phase_id);
    return std::make_tuple(n > 0 ? n : INT32_MAX, std::cref(c.phase_id),
                           static_cast<int>(c.organization),
                           static_cast<int>(c.engagement),
                           std::cref(c.practice_id));
  };
  std::vector<const store::CircumplexCount*> sorted;
  sorted.reserve(counts.size());
  for (const store::CircumplexCount& c : counts) {
    if (c.count > 0) sorted.push_back(&c);
  }
  std::stable_sort(
      sorted.begin(), sorted.end(),
      [&](const store::CircumplexCount* a, const store::CircumplexCount* b) {
        return order(*a) < order(*b);
      });
  uint32_t restoring = 0;
  uint32_t bolstering = 0;
  for (const store::CircumplexCount* c : sorted) {
    cse::v1::CircumplexCell* cell = out->add_cells();
    cell->set_phase_id(c->phase_id);
    cell->set_organization(
        static_cast<cse::v1::ModeOfOrganization>(c->organization));
    cell->set_engagement(static_cast<cse::v1::ModeOfEngagement>(c->engagement));
    switch (c->engagement) {
      case store::Engagement::kReactive:
        cell->set_effect(cse::v1::EFFECT_RESTORE);
        restoring += static_cast<uint32_t>(c->count);
        break;
      case store::Engagement::kProactive:
        cell->set_effect(cse::v1::EFFECT_BOLSTER);
        bolstering += static_cast<uint32_t>(c->count);
        break;
      case store::Engagement::kUnspecified:
        break;
    }
    cell->set_practice_id(c->practice_id);
    cell->set_count(static_cast<uint32_t>(c->count));
    cell->set_recurrence(RecurrenceOf(c->count));
  }
  out->set_restoring_count(restoring);
  out->set_bolstering_count(bolstering);
  const uint32_t sum = restoring + bolstering;
  out->set_restoring_share(sum == 0 ? 0.0
                                    : static_cast<double>(restoring) / sum);
}

}  // namespace cse::api
