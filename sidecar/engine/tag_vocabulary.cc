#include "sidecar/engine/tag_vocabulary.h"

#include "absl/strings/str_cat.h"

namespace cse::engine {
namespace {

constexpr size_t kMaxTagBytes = 80;

void Add(std::string tag, std::vector<std::string>* tags) {
  if (tag.size() > kMaxTagBytes) tag.resize(kMaxTagBytes);
  while (!tag.empty() && tag.back() == '-') tag.pop_back();
  for (const auto& t : *tags) {
    if (t == tag) return;
  }
  tags->push_back(std::move(tag));
}

}  // namespace

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

std::vector<std::string> BuildTags(const CompiledMapping& m,
                                   const Assessment& a) {
  std::vector<std::string> tags;
  const std::string& prefix = m.tag_prefix();
  if (a.phase.decided) {
    Add(absl::StrCat(prefix, "-phase-", a.phase.number, "-",
                     TagSlug(a.phase.id)),
        &tags);
  } else {
    Add(absl::StrCat(prefix, "-phase-unknown"), &tags);
  }
  for (const auto& e : a.critical_events) {
    Add(absl::StrCat(prefix, "-event-", TagSlug(e.type)), &tags);
  }
  if (!a.suggestions.empty()) {
    Add(absl::StrCat(prefix, a.suggestions.front().effect == Effect::kBolster
                                 ? "-bolster"
                                 : "-restore"),
        &tags);
  }
  for (const auto& w : a.anti_patterns) {
    Add(absl::StrCat(prefix, "-warning-", TagSlug(w.id)), &tags);
  }
  if (m.tag_practices()) {
    for (const auto& s : a.suggestions) {
      Add(absl::StrCat(prefix, "-practice-", TagSlug(s.practice_id)), &tags);
    }
  }
  return tags;
}

}  // namespace cse::engine
