#include "sidecar/engine/tag_vocabulary.h"

#include "absl/strings/str_cat.h"

namespace cse::engine {
namespace {

constexpr size_t kMaxTagBytes = 80;

// Adds a finished tag unless already there.
void AddFinished(absl::string_view tag, std::vector<std::string>* tags) {
  for (const auto& t : *tags) {
    if (t == tag) return;
  }
  tags->emplace_back(tag);
}

void Add(std::string tag, std::vector<std::string>* tags) {
  FinishTag(&tag);
  AddFinished(tag, tags);
}

}  // namespace

void FinishTag(std::string* tag) {
  if (tag->size() > kMaxTagBytes) tag->resize(kMaxTagBytes);
  while (!tag->empty() && tag->back() == '-') tag->pop_back();
}

std::string TagSlug(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool dash = false;
  for (char c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (dash && !out.empty()) out.push_back('-');
      dash = false;
      out.push_back(c);
    } else {
      dash = true;
    }
  }
  return out;
}

// The mapping holds every tag an engine-built assessment can carry, found
// by index; an assessment built otherwise (ids the mapping does not know
// at that index) gets its tags built from its ids as before.
std::vector<std::string> BuildTags(const CompiledMapping& m,
                                   const Assessment& a) {
  std::vector<std::string> tags;
  tags.reserve(2 + a.critical_events.size() + a.anti_patterns.size() +
               (m.tag_practices() ? a.suggestions.size() : 0));
  const std::string& prefix = m.tag_prefix();
  if (a.phase.decided) {
    const size_t p = a.phase.number - 1;
    if (p < m.phases().size() && m.phases()[p].id == a.phase.id) {
      AddFinished(m.phases()[p].tag, &tags);
    } else {
      Add(absl::StrCat(prefix, "-phase-", a.phase.number, "-",
                       TagSlug(a.phase.id)),
          &tags);
    }
  } else {
    AddFinished(m.phase_unknown_tag(), &tags);
  }
  for (const auto& e : a.critical_events) {
    const size_t d = static_cast<size_t>(e.definition_index);
    if (d < m.detectors().size() && m.detectors()[d].id == e.type) {
      AddFinished(m.detectors()[d].tag, &tags);
    } else {
      Add(absl::StrCat(prefix, "-event-", TagSlug(e.type)), &tags);
    }
  }
  if (!a.suggestions.empty()) {
    AddFinished(a.suggestions.front().effect == Effect::kBolster
                    ? m.bolster_tag()
                    : m.restore_tag(),
                &tags);
  }
  for (const auto& w : a.anti_patterns) {
    const size_t i = static_cast<size_t>(w.definition_index);
    if (i < m.anti_patterns().size() && m.anti_patterns()[i].id == w.id) {
      AddFinished(m.anti_patterns()[i].tag, &tags);
    } else {
      Add(absl::StrCat(prefix, "-warning-", TagSlug(w.id)), &tags);
    }
  }
  if (m.tag_practices()) {
    for (const auto& s : a.suggestions) {
      Add(absl::StrCat(prefix, "-practice-", TagSlug(s.practice_id)), &tags);
    }
  }
  return tags;
}

}  // namespace cse::engine
