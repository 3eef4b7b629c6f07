#include "sidecar/engine/text_scan.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "sidecar/engine/text_normalizer.h"

namespace cse::engine {
namespace {

constexpr TextField kScanOrder[] = {TextField::kSubject, TextField::kTitle,
                                    TextField::kBody, TextField::kNotes,
                                    TextField::kSatisfactionComment};

// Context kept on each side of a match in an excerpt.
constexpr size_t kExcerptContext = 40;
constexpr size_t kExcerptMax = 160;

bool IsContinuationByte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

}  // namespace

absl::string_view TextFieldName(TextField field) {
  switch (field) {
    case TextField::kSubject:
      return "subject";
    case TextField::kBody:
      return "body";
    case TextField::kTitle:
      return "title";
    case TextField::kNotes:
      return "notes";
    case TextField::kSatisfactionComment:
      return "satisfaction.comment";
  }
  return "text";
}

void ScannedText::Clear() {
  text.clear();
  origin.clear();
  segments.clear();
  set_matches.clear();
  hits.clear();
  hit_of_pattern.clear();
}

absl::Status ScanText(const CompiledMapping& mapping, const EventView& event,
                      ScannedText* out) {
  out->Clear();
  for (TextField f : kScanOrder) {
    absl::string_view t = event.Text(f);
    if (t.empty()) continue;
    if (!out->text.empty()) {
      out->text.push_back('\n');
      out->origin.push_back(0);
    }
    const auto begin = static_cast<uint32_t>(out->text.size());
    if (absl::Status s = AppendNormalized(t, &out->text, &out->origin);
        !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(TextFieldName(f), ": ", s.message()));
    }
    out->segments.push_back(
        {f, begin, static_cast<uint32_t>(out->text.size())});
  }
  const auto& patterns = mapping.patterns();
  out->hit_of_pattern.assign(patterns.size(), -1);
  if (out->text.empty() || patterns.empty()) return absl::OkStatus();

  RE2::Set::ErrorInfo error;
  if (!mapping.pattern_set().Match(out->text, &out->set_matches, &error) &&
      error.kind != RE2::Set::kNoError) {
    // Out of DFA memory on a pathological input: say so rather than
    // silently reporting "no signal".
    return absl::ResourceExhaustedError(
        "text too complex for the pattern matcher's memory budget");
  }
  std::sort(out->set_matches.begin(), out->set_matches.end());

  for (int idx : out->set_matches) {
    const CompiledPattern& p = patterns[idx];
    for (const auto& seg : out->segments) {
      if ((p.field_mask & (1u << static_cast<int>(seg.field))) == 0) continue;
      re2::StringPiece m;
      if (p.re->Match(out->text, seg.begin, seg.end, RE2::UNANCHORED, &m, 1)) {
        const auto b = static_cast<uint32_t>(m.data() - out->text.data());
        out->hit_of_pattern[idx] = static_cast<int>(out->hits.size());
        out->hits.push_back(
            {idx, seg.field, b, b + static_cast<uint32_t>(m.size())});
        break;
      }
    }
  }
  return absl::OkStatus();
}

std::vector<const PatternHit*> HitsOf(const ScannedText& scan,
                                      const std::vector<int>& patterns) {
  std::vector<const PatternHit*> out;
  for (int p : patterns) {
    const int h = scan.hit_of_pattern[p];
    if (h >= 0) out.push_back(&scan.hits[h]);
  }
  return out;
}

Evidence MakeEvidence(const ScannedText& scan, const EventView& event,
                      const PatternHit& hit) {
  Evidence ev;
  ev.field = hit.field;
  absl::string_view original = event.Text(hit.field);
  // Segment end, to map an end offset that falls at the field's end.
  uint32_t seg_end = hit.norm_end;
  for (const auto& s : scan.segments) {
    if (s.field == hit.field) seg_end = s.end;
  }
  ev.start = scan.origin[hit.norm_begin];
  ev.end = hit.norm_end < seg_end ? scan.origin[hit.norm_end]
                                  : static_cast<uint32_t>(original.size());
  if (ev.end < ev.start) ev.end = ev.start;
  // Trim white space a match may end on (collapsed spaces map to the
  // first of a run).
  while (ev.end > ev.start &&
         (original[ev.end - 1] == ' ' || original[ev.end - 1] == '\n' ||
          original[ev.end - 1] == '\r' || original[ev.end - 1] == '\t')) {
    --ev.end;
  }

  size_t b = ev.start > kExcerptContext ? ev.start - kExcerptContext : 0;
  size_t e = std::min(original.size(), size_t{ev.end} + kExcerptContext);
  if (e - b > kExcerptMax) e = b + kExcerptMax;
  while (b > 0 && IsContinuationByte(original[b])) --b;
  while (e < original.size() && IsContinuationByte(original[e])) ++e;
  // Prefer to cut at a word boundary.
  if (b > 0) {
    size_t sp = original.find(' ', b);
    if (sp != absl::string_view::npos && sp < ev.start) b = sp + 1;
  }
  if (e < original.size()) {
    size_t sp = original.rfind(' ', e);
    if (sp != absl::string_view::npos && sp > ev.end) e = sp;
  }
  std::string excerpt;
  excerpt.reserve(e - b + 8);
  if (b > 0) excerpt.append("…");
  for (size_t i = b; i < e; ++i) {
    const char c = original[i];
    const bool space = c == '\n' || c == '\r' || c == '\t' || c == ' ';
    if (space) {
      if (!excerpt.empty() && excerpt.back() != ' ') excerpt.push_back(' ');
    } else {
      excerpt.push_back(c);
    }
  }
  if (e < original.size()) excerpt.append("…");
  ev.excerpt = std::move(excerpt);
  return ev;
}

}  // namespace cse::engine
