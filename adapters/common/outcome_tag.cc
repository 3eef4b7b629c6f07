#include "adapters/common/outcome_tag.h"

#include <openssl/sha.h>

#include <algorithm>
#include <cstdint>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace cse::adapters {
namespace {

constexpr absl::string_view kPrefix = "cse-outcome";
// RecordOutcomeRequest.outcome_id is at most 256 bytes.
constexpr size_t kMaxOutcomeIdBytes = 256;

bool IsSeparator(char c) { return c == '-' || c == '_' || c == ':'; }

// Lower case with every separator written '-', runs of them collapsed and
// none at either end.
std::string Canonical(absl::string_view label) {
  std::string out;
  out.reserve(label.size());
  for (char c : absl::StripAsciiWhitespace(label)) {
    if (IsSeparator(c) || c == ' ') {
      if (!out.empty() && out.back() != '-') out.push_back('-');
    } else {
      out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

absl::Status Bad(absl::string_view label, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("outcome tag \"", label, "\": ", what));
}

// "p8" -> "P8"; other practice ids as the admin wrote them (lower case, as
// the CRM may have folded them).
std::string PracticeId(absl::string_view token) {
  if (token.size() >= 2 && token[0] == 'p' &&
      std::all_of(token.begin() + 1, token.end(),
                  [](char c) { return absl::ascii_isdigit(c); })) {
    return absl::StrCat("P", token.substr(1));
  }
  return std::string(token);
}

std::string Sha256Hex(absl::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

std::string OutcomeId(const OutcomeTagSource& where,
                      absl::string_view canonical) {
  std::string id =
      absl::StrCat(where.source, ":", where.object_key, ":", canonical);
  // A long object key: keep the id stable and within the API's limit.
  if (id.size() > kMaxOutcomeIdBytes) {
    id = absl::StrCat(where.source.substr(0, 64), ":sha256:", Sha256Hex(id));
  }
  return id;
}

}  // namespace

bool LooksLikeOutcomeTag(absl::string_view label) {
  const std::string canonical = Canonical(label);
  return canonical == kPrefix ||
         absl::StartsWith(canonical, absl::StrCat(kPrefix, "-"));
}

absl::StatusOr<OutcomeTag> ParseOutcomeTag(absl::string_view label) {
  if (!LooksLikeOutcomeTag(label)) {
    return Bad(label, absl::StrCat("does not start with \"", kPrefix, "-\""));
  }
  OutcomeTag tag;
  tag.canonical = Canonical(label);
  std::vector<absl::string_view> tokens =
      absl::StrSplit(absl::string_view(tag.canonical).substr(kPrefix.size()),
                     '-', absl::SkipEmpty());
  if (tokens.empty()) {
    return Bad(label, "names no practice (e.g. cse-outcome-p8-restored)");
  }
  tag.practice_id = PracticeId(tokens[0]);
  if (tokens.size() < 2) {
    return Bad(label,
               "names no reaction: add one of restored, bolstered, no-change, "
               "worsened");
  }
  size_t i = 1;
  if (tokens[i] == "restored") {
    tag.reaction = cse::v1::CUSTOMER_REACTION_RESTORED;
  } else if (tokens[i] == "bolstered") {
    tag.reaction = cse::v1::CUSTOMER_REACTION_BOLSTERED;
  } else if (tokens[i] == "worsened") {
    tag.reaction = cse::v1::CUSTOMER_REACTION_WORSENED;
  } else if (tokens[i] == "nochange" || tokens[i] == "unchanged") {
    tag.reaction = cse::v1::CUSTOMER_REACTION_NO_CHANGE;
  } else if (tokens[i] == "no" && i + 1 < tokens.size() &&
             tokens[i + 1] == "change") {
    tag.reaction = cse::v1::CUSTOMER_REACTION_NO_CHANGE;
    ++i;
  } else {
    return Bad(label, absl::StrCat("reaction \"", tokens[i],
                                   "\" is not one of restored, bolstered, "
                                   "no-change, worsened"));
  }
  ++i;
  for (; i < tokens.size(); ++i) {
    const absl::string_view t = tokens[i];
    if (t == "regular" || t == "adhoc" ||
        (t == "ad" && i + 1 < tokens.size() && tokens[i + 1] == "hoc")) {
      if (tag.organization != cse::v1::MODE_OF_ORGANIZATION_UNSPECIFIED) {
        return Bad(label, "says the mode of organization twice");
      }
      tag.organization = t == "regular" ? cse::v1::MODE_OF_ORGANIZATION_REGULAR
                                        : cse::v1::MODE_OF_ORGANIZATION_AD_HOC;
      if (t == "ad") ++i;
    } else if (t == "reactive" || t == "proactive") {
      if (tag.engagement != cse::v1::MODE_OF_ENGAGEMENT_UNSPECIFIED) {
        return Bad(label, "says the mode of engagement twice");
      }
      tag.engagement = t == "reactive" ? cse::v1::MODE_OF_ENGAGEMENT_REACTIVE
                                       : cse::v1::MODE_OF_ENGAGEMENT_PROACTIVE;
    } else {
      return Bad(label, absl::StrCat("\"", t,
                                     "\" is not a mode: use ad-hoc or regular, "
                                     "reactive or proactive"));
    }
  }
  // One spelling for the outcome id: "no-change", "ad-hoc".
  std::vector<std::string> parts = {std::string(kPrefix),
                                    absl::AsciiStrToLower(tag.practice_id)};
  switch (tag.reaction) {
    case cse::v1::CUSTOMER_REACTION_RESTORED:
      parts.push_back("restored");
      break;
    case cse::v1::CUSTOMER_REACTION_BOLSTERED:
      parts.push_back("bolstered");
      break;
    case cse::v1::CUSTOMER_REACTION_NO_CHANGE:
      parts.push_back("no-change");
      break;
    default:
      parts.push_back("worsened");
      break;
  }
  if (tag.organization != cse::v1::MODE_OF_ORGANIZATION_UNSPECIFIED) {
    parts.push_back(tag.organization == cse::v1::MODE_OF_ORGANIZATION_REGULAR
                        ? "regular"
                        : "ad-hoc");
  }
  if (tag.engagement != cse::v1::MODE_OF_ENGAGEMENT_UNSPECIFIED) {
    parts.push_back(tag.engagement == cse::v1::MODE_OF_ENGAGEMENT_PROACTIVE
                        ? "proactive"
                        : "reactive");
  }
  tag.canonical = absl::StrJoin(parts, "-");
  return tag;
}

std::vector<cse::v1::RecordOutcomeRequest> OutcomesFromTags(
    const OutcomeTagSource& where, const std::vector<std::string>& labels,
    std::vector<std::string>* rejected) {
  std::vector<cse::v1::RecordOutcomeRequest> out;
  absl::flat_hash_set<std::string> seen;
  for (const std::string& label : labels) {
    if (!LooksLikeOutcomeTag(label)) continue;
    absl::StatusOr<OutcomeTag> tag = ParseOutcomeTag(label);
    if (!tag.ok()) {
      if (rejected != nullptr) {
        rejected->push_back(
            absl::StrCat(where.object_key, ": ", tag.status().message()));
      }
      continue;
    }
    if (!seen.insert(tag->canonical).second) continue;
    cse::v1::RecordOutcomeRequest& r = out.emplace_back();
    r.set_outcome_id(OutcomeId(where, tag->canonical));
    r.set_account_id(where.account_id);
    r.set_practice_id(tag->practice_id);
    r.set_reaction(tag->reaction);
    r.set_organization(tag->organization);
    r.set_engagement(tag->engagement);
    // The team followed (or not) what the sidecar suggested for this
    // account: phase, critical event and, unless the tag says, the mode
    // come from that suggestion.
    r.set_follow_latest_suggestion(true);
    r.set_description(absl::StrCat("recorded from the tag ", tag->canonical,
                                   " on ", where.object_key, " in ",
                                   where.source));
    if (where.occurred_at.has_value()) {
      const int64_t nanos = absl::ToUnixNanos(*where.occurred_at);
      r.mutable_occurred_at()->set_seconds(nanos / 1000000000);
      r.mutable_occurred_at()->set_nanos(
          static_cast<int32_t>(nanos % 1000000000));
    }
    r.set_recorded_by(where.recorded_by);
  }
  return out;
}

}  // namespace cse::adapters
