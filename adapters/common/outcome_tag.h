// Outcome tags: how an agent tells the sidecar, from inside the CRM, what a
// practice did to the customer (the research's dyadic loop).
//
// Every CRM has some list of short labels an agent can set on a ticket,
// deal or meeting: Zendesk tags, a Request Tracker multi-value custom
// field, a HubSpot property, a Salesforce field or Topic. The adapters read
// one such list and turn the labels of this form into RecordOutcome calls:
//
//   cse-outcome-<practice>-<reaction>[-<organization>][-<engagement>]
//
//   practice      p1 .. p10 (written P1 .. P10 to the sidecar) or an
//                 admin-defined practice id without separators
//   reaction      restored | bolstered | no-change | worsened
//   organization  ad-hoc | regular              (optional)
//   engagement    reactive | proactive          (optional)
//
// e.g. "cse-outcome-p8-restored", "cse-outcome-p2-bolstered-regular-proactive".
// Case does not matter and '_' or ':' may stand for '-' (some CRMs rewrite
// tags: Zendesk lowercases them and turns spaces into '_'). Without the
// mode, the sidecar takes the position it suggested the practice in
// (RecordOutcomeRequest.follow_latest_suggestion).
//
// The outcome id is derived from the CRM object and the tag, so a tag that
// stays on a ticket through many updates is one outcome, recorded once.
#ifndef CSE_ADAPTERS_COMMON_OUTCOME_TAG_H_
#define CSE_ADAPTERS_COMMON_OUTCOME_TAG_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cse/v1/assessment.pb.h"
#include "cse/v1/outcomes.pb.h"

namespace cse::adapters {

// What one outcome tag says.
struct OutcomeTag {
  std::string practice_id;  // "P8", or the admin's id as written
  cse::v1::CustomerReaction reaction = cse::v1::CUSTOMER_REACTION_UNSPECIFIED;
  // UNSPECIFIED when the tag does not say.
  cse::v1::ModeOfOrganization organization =
      cse::v1::MODE_OF_ORGANIZATION_UNSPECIFIED;
  cse::v1::ModeOfEngagement engagement =
      cse::v1::MODE_OF_ENGAGEMENT_UNSPECIFIED;
  // The tag in its one spelling: lower case, '-' separated, e.g.
  // "cse-outcome-p8-no-change-regular". Two spellings of the same tag
  // give the same outcome id.
  std::string canonical;
};

// True when `label` starts with the outcome prefix ("cse-outcome", any
// case, any of the separators): it is meant as an outcome tag, and a parse
// failure is worth telling the admin about.
bool LooksLikeOutcomeTag(absl::string_view label);

// Parses one label. INVALID_ARGUMENT naming the part that is wrong and what
// would be right, e.g. `outcome tag "cse-outcome-p8-happy": reaction
// "happy" is not one of restored, bolstered, no-change, worsened`.
absl::StatusOr<OutcomeTag> ParseOutcomeTag(absl::string_view label);

// Where the labels were read.
struct OutcomeTagSource {
  std::string account_id;
  // The adapter instance name (CrmAdapter::name()).
  std::string source;
  // The CRM object that carries the labels, e.g. "ticket/42": part of the
  // outcome id.
  std::string object_key;
  // When the CRM says the labels were set (the update's time); unset:
  // now, at the sidecar.
  std::optional<absl::Time> occurred_at;
  // Who set them, when the CRM says (a user id or name).
  std::string recorded_by;
};

// The outcomes the labels of one object ask for, in label order, one per
// distinct canonical tag. Labels without the outcome prefix are skipped
// silently; labels with it that do not parse are skipped and described in
// `rejected` (when not null) so the runtime can log them.
std::vector<cse::v1::RecordOutcomeRequest> OutcomesFromTags(
    const OutcomeTagSource& where, const std::vector<std::string>& labels,
    std::vector<std::string>* rejected);

}  // namespace cse::adapters

#endif  // CSE_ADAPTERS_COMMON_OUTCOME_TAG_H_
