#include "sidecar/engine/text_scan.h"

#include <algorithm>
#include <cstring>

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
  mapping = nullptr;
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
  out->mapping = &mapping;
  out->hit_of_pattern.assign(patterns.size(), -1);
  if (out->text.empty() || patterns.empty()) return absl::OkStatus();

  // One set pass per field, in scan order: a pattern's hit is the first
  // field it is allowed in and matches. The fields together are the
  // document, so this is one pass over the text, and it names each hit's
  // field without running any pattern alone.
  for (size_t si = 0; si < out->segments.size(); ++si) {
    const ScannedText::Segment& seg = out->segments[si];
    out->set_matches.clear();
    RE2::Set::ErrorInfo error;
    const re2::StringPiece field_text(out->text.data() + seg.begin,
                                      seg.end - seg.begin);
    if (!mapping.pattern_set().Match(field_text, &out->set_matches, &error) &&
        error.kind != RE2::Set::kNoError) {
      // Out of DFA memory on a pathological input: say so rather than
      // silently reporting "no signal".
      return absl::ResourceExhaustedError(
          "text too complex for the pattern matcher's memory budget");
    }
    for (int idx : out->set_matches) {
      if (out->hit_of_pattern[idx] >= 0) continue;  // an earlier field
      const CompiledPattern& p = patterns[idx];
      if ((p.field_mask & (1u << static_cast<int>(seg.field))) == 0) continue;
      PatternHit hit;
      hit.pattern = idx;
      hit.field = seg.field;
      hit.segment = static_cast<uint32_t>(si);
      if (p.uses_text_anchors) {
        // Alone, a field is a whole text and ^ or $ match at its ends; in
        // the document they match only at the document's ends. Confirm in
        // the document, as Locate would.
        re2::StringPiece m;
        if (!p.re->Match(out->text, seg.begin, seg.end, RE2::UNANCHORED, &m,
                         1)) {
          continue;
        }
        hit.located = true;
        hit.norm_begin = static_cast<uint32_t>(m.data() - out->text.data());
        hit.norm_end = hit.norm_begin + static_cast<uint32_t>(m.size());
      }
      out->hit_of_pattern[idx] = static_cast<int>(out->hits.size());
      out->hits.push_back(hit);
    }
  }
  // In pattern order: phase scores are summed and reasons cited in it.
  std::sort(out->hits.begin(), out->hits.end(),
            [](const PatternHit& a, const PatternHit& b) {
              return a.pattern < b.pattern;
            });
  for (size_t h = 0; h < out->hits.size(); ++h) {
    out->hit_of_pattern[out->hits[h].pattern] = static_cast<int>(h);
  }
  return absl::OkStatus();
}

void Locate(const ScannedText& scan, const PatternHit& hit) {
  if (hit.located) return;
  hit.located = true;
  const ScannedText::Segment& seg = scan.segments[hit.segment];
  hit.norm_begin = seg.begin;
  hit.norm_end = seg.begin;
  re2::StringPiece m;
  // The set matched this pattern in this field, so this finds it (the
  // empty span at the field's start is only a guard).
  if (scan.mapping->patterns()[hit.pattern].re->Match(
          scan.text, seg.begin, seg.end, RE2::UNANCHORED, &m, 1)) {
    hit.norm_begin = static_cast<uint32_t>(m.data() - scan.text.data());
    hit.norm_end = hit.norm_begin + static_cast<uint32_t>(m.size());
  }
}

absl::string_view MatchedText(const ScannedText& scan, const PatternHit& hit) {
  Locate(scan, hit);
  return absl::string_view(scan.text).substr(hit.norm_begin,
                                             hit.norm_end - hit.norm_begin);
}

void HitsOf(const ScannedText& scan, const std::vector<int>& patterns,
            absl::InlinedVector<const PatternHit*, 8>* out) {
  for (int p : patterns) {
    const int h = scan.hit_of_pattern[p];
    if (h >= 0) out->push_back(&scan.hits[h]);
  }
}

Evidence MakeEvidence(const ScannedText& scan, const EventView& event,
                      const PatternHit& hit) {
  Locate(scan, hit);
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
  // Written through a pointer into space sized once (at most the span and
  // an ellipsis on each side), folding white-space runs to one space.
  constexpr absl::string_view kEllipsis = "…";
  std::string excerpt;
  excerpt.resize(e - b + 2 * kEllipsis.size());
  char* const x0 = excerpt.data();
  char* x = x0;
  if (b > 0) {
    std::memcpy(x, kEllipsis.data(), kEllipsis.size());
    x += kEllipsis.size();
  }
  for (size_t i = b; i < e; ++i) {
    const char c = original[i];
    const bool space = c == '\n' || c == '\r' || c == '\t' || c == ' ';
    if (space) {
      if (x != x0 && x[-1] != ' ') *x++ = ' ';
    } else {
      *x++ = c;
    }
  }
  if (e < original.size()) {
    std::memcpy(x, kEllipsis.data(), kEllipsis.size());
    x += kEllipsis.size();
  }
  excerpt.resize(static_cast<size_t>(x - x0));
  ev.excerpt = std::move(excerpt);
  return ev;
}

}  // namespace cse::engine
