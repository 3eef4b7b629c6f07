#include "sidecar/cli/circumplex_svg.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "sidecar/engine/compiled_mapping.h"

namespace cse::cli {
namespace {

using cse::v1::GetCircumplexReportResponse;
using cse::v1::Recurrence;

// ---------------------------------------------------------------------------
// Text hygiene. Ids and names come from CRMs and admins: anything may be in
// them, and the SVG must stay well-formed and the terminal uncontrolled.

// Appends code point `cp` as UTF-8.
void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

constexpr uint32_t kReplacement = 0xFFFD;

// Decodes `s` leniently: every byte that does not start a valid, shortest
// UTF-8 sequence of a scalar value becomes U+FFFD. Whitespace controls
// become spaces; other controls (C0, DEL, C1) and the non-characters
// U+FFFE/U+FFFF, which XML 1.0 forbids or terminals obey, become U+FFFD.
std::vector<uint32_t> CleanCodePoints(absl::string_view s) {
  std::vector<uint32_t> cps;
  cps.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    uint32_t cp = kReplacement;
    size_t len = 1;
    if (b0 < 0x80) {
      cp = b0;
    } else {
      size_t need = 0;
      uint32_t min = 0;
      if ((b0 & 0xE0) == 0xC0) {
        need = 1, min = 0x80, cp = b0 & 0x1F;
      } else if ((b0 & 0xF0) == 0xE0) {
        need = 2, min = 0x800, cp = b0 & 0x0F;
      } else if ((b0 & 0xF8) == 0xF0) {
        need = 3, min = 0x10000, cp = b0 & 0x07;
      }
      // The sequence's continuation bytes are s[i + 1 .. i + need].
      bool ok = need > 0 && i + need < s.size();
      for (size_t k = 1; ok && k <= need; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) ok = false;
        cp = (cp << 6) | (b & 0x3F);
      }
      if (ok && (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))) {
        ok = false;
      }
      if (ok) {
        len = need + 1;
      } else {
        cp = kReplacement;
      }
    }
    i += len;
    if (cp == '\t' || cp == '\n' || cp == '\r') {
      cp = ' ';
    } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFE ||
               cp == 0xFFFF) {
      cp = kReplacement;
    }
    cps.push_back(cp);
  }
  return cps;
}

std::string Utf8(const std::vector<uint32_t>& cps) {
  std::string out;
  out.reserve(cps.size());
  for (uint32_t cp : cps) AppendUtf8(cp, &out);
  return out;
}

// `s` made safe to print: valid UTF-8 without control characters.
std::string Clean(absl::string_view s) { return Utf8(CleanCodePoints(s)); }

// Escapes clean text for XML character data and attribute values.
std::string EscapeClean(absl::string_view clean) {
  std::string out;
  out.reserve(clean.size());
  for (char c : clean) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// Clean and escaped.
std::string Xml(absl::string_view s) { return EscapeClean(Clean(s)); }

// Approximate advance of a code point in em, for DejaVu Sans / Verdana
// (the widest of the fonts the SVG names, so estimates err on the safe
// side): enough to keep labels inside their boxes without font files.
double AdvanceEm(uint32_t cp) {
  if (cp == ' ') return 0.32;
  if (cp < 0x80) {
    const char c = static_cast<char>(cp);
    if (absl::StrContains("il.,:;'|!Ij", c)) return 0.30;
    if (absl::StrContains("ftr()[]-/", c)) return 0.42;
    if (c == 'm' || c == 'W') return 0.98;
    if (c == 'w' || c == 'M') return 0.84;
    if (absl::ascii_isupper(c)) return 0.72;
    if (absl::ascii_isdigit(c)) return 0.64;
    return 0.62;
  }
  if (cp >= 0x2E80) return 1.0;  // CJK and wider
  return 0.72;
}

double TextWidth(const std::vector<uint32_t>& cps, double font_px, bool bold) {
  double em = 0;
  for (uint32_t cp : cps) em += AdvanceEm(cp);
  return em * font_px * (bold ? 1.15 : 1.0);
}

double TextWidth(absl::string_view clean, double font_px, bool bold) {
  return TextWidth(CleanCodePoints(clean), font_px, bold);
}

// `s` cleaned and, when wider than `max_px`, cut and ended with "…".
std::string Fit(absl::string_view s, double max_px, double font_px, bool bold) {
  std::vector<uint32_t> cps = CleanCodePoints(s);
  if (TextWidth(cps, font_px, bold) <= max_px) return Utf8(cps);
  const double ellipsis = AdvanceEm(0x2026) * font_px;
  while (!cps.empty() && TextWidth(cps, font_px, bold) + ellipsis > max_px) {
    cps.pop_back();
  }
  while (!cps.empty() && cps.back() == ' ') cps.pop_back();
  cps.push_back(0x2026);
  return Utf8(cps);
}

// Numbers for attributes: at most one decimal, no trailing ".0".
std::string Num(double v) {
  std::string s = absl::StrFormat("%.1f", v);
  if (absl::EndsWith(s, ".0")) s.resize(s.size() - 2);
  if (s == "-0") s = "0";
  return s;
}

// ---------------------------------------------------------------------------
// The report, arranged for drawing: phases numbered, cells grouped by
// quadrant and practice.

struct QuadrantInfo {
  const char* label;
  const char* slug;
  bool regular;
  bool proactive;
};

// Drawing order: the bolstering half (top) first, ad hoc on the left.
constexpr std::array<QuadrantInfo, 4> kQuadrants = {{
    {"ad hoc · proactive", "adhoc-proactive", false, true},
    {"regular · proactive", "regular-proactive", true, true},
    {"ad hoc · reactive", "adhoc-reactive", false, false},
    {"regular · reactive", "regular-reactive", true, false},
}};

int QuadrantOf(cse::v1::ModeOfOrganization org, cse::v1::ModeOfEngagement eng) {
  const bool regular = org == cse::v1::MODE_OF_ORGANIZATION_REGULAR;
  const bool proactive = eng == cse::v1::MODE_OF_ENGAGEMENT_PROACTIVE;
  return (proactive ? 0 : 2) + (regular ? 1 : 0);
}

Recurrence FromCount(uint32_t count) {
  if (count >= 3) return cse::v1::RECURRENCE_FREQUENTLY;
  if (count == 2) return cse::v1::RECURRENCE_SOMETIMES;
  return cse::v1::RECURRENCE_OCCASIONALLY;
}

const char* RecurrenceWord(Recurrence r) {
  switch (r) {
    case cse::v1::RECURRENCE_FREQUENTLY:
      return "frequently";
    case cse::v1::RECURRENCE_SOMETIMES:
      return "sometimes";
    default:
      return "occasionally";
  }
}

struct Mark {
  int phase = 0;  // index into View::phases
  uint32_t count = 0;
  Recurrence recurrence = cse::v1::RECURRENCE_OCCASIONALLY;
};

struct Row {
  std::string practice_id;
  std::vector<Mark> marks;  // by phase
  uint32_t total = 0;
};

struct View {
  std::vector<CircumplexPhase> phases;  // names filled in
  std::array<std::vector<Row>, 4> quadrants;
  uint32_t placed = 0;    // occurrences drawn
  uint32_t unplaced = 0;  // occurrences without a circumplex position
};

// "P2" < "P10"; then plain text order.
bool PracticeIdLess(const std::string& a, const std::string& b) {
  auto split = [](const std::string& s) {
    size_t d = s.size();
    while (d > 0 && absl::ascii_isdigit(s[d - 1])) --d;
    const std::string digits = s.substr(d);
    uint64_t n = 0;
    bool has = !digits.empty() && digits.size() < 18;
    if (has) n = std::stoull(digits);
    return std::make_tuple(s.substr(0, d), has ? 0 : 1, n);
  };
  const auto ka = split(a);
  const auto kb = split(b);
  if (ka != kb) return ka < kb;
  return a < b;
}

View BuildView(const GetCircumplexReportResponse& report,
               const CircumplexSvgOptions& options) {
  View view;
  std::map<std::string, int> phase_index;
  for (const CircumplexPhase& p : options.phases) {
    if (phase_index.count(p.id) > 0) continue;
    phase_index[p.id] = static_cast<int>(view.phases.size());
    view.phases.push_back({p.id, p.name.empty() ? p.id : p.name});
  }
  std::array<std::map<std::string, Row>, 4> rows;
  for (const cse::v1::CircumplexCell& cell : report.cells()) {
    if (cell.count() == 0) continue;
    if (cell.organization() == cse::v1::MODE_OF_ORGANIZATION_UNSPECIFIED ||
        cell.engagement() == cse::v1::MODE_OF_ENGAGEMENT_UNSPECIFIED) {
      view.unplaced += cell.count();
      continue;
    }
    auto [it, added] = phase_index.try_emplace(
        cell.phase_id(), static_cast<int>(view.phases.size()));
    if (added) {
      view.phases.push_back({cell.phase_id(), cell.phase_id().empty()
                                                  ? "(no phase)"
                                                  : cell.phase_id()});
    }
    const int phase = it->second;
    Row& row = rows[QuadrantOf(cell.organization(), cell.engagement())]
                   [cell.practice_id()];
    row.practice_id = cell.practice_id();
    row.total += cell.count();
    view.placed += cell.count();
    auto mark = std::find_if(row.marks.begin(), row.marks.end(),
                             [&](const Mark& m) { return m.phase == phase; });
    if (mark != row.marks.end()) {
      // The same cell twice: add up, and classify the sum.
      mark->count += cell.count();
      mark->recurrence = FromCount(mark->count);
    } else {
      row.marks.push_back({phase, cell.count(),
                           cell.recurrence() == cse::v1::RECURRENCE_UNSPECIFIED
                               ? FromCount(cell.count())
                               : cell.recurrence()});
    }
  }
  for (int q = 0; q < 4; ++q) {
    for (auto& [id, row] : rows[q]) {
      std::sort(row.marks.begin(), row.marks.end(),
                [](const Mark& a, const Mark& b) { return a.phase < b.phase; });
      view.quadrants[q].push_back(std::move(row));
    }
    std::sort(view.quadrants[q].begin(), view.quadrants[q].end(),
              [](const Row& a, const Row& b) {
                return PracticeIdLess(a.practice_id, b.practice_id);
              });
  }
  return view;
}

std::string PracticeName(const CircumplexSvgOptions& options,
                         const std::string& id) {
  auto it = options.practice_names.find(id);
  return it == options.practice_names.end() || it->second.empty() ? id
                                                                  : it->second;
}

std::string BasisText(const GetCircumplexReportResponse& report) {
  return report.basis() == cse::v1::CIRCUMPLEX_BASIS_SUGGESTED
             ? "practices the sidecar suggested"
             : "practices the team applied (recorded outcomes)";
}

std::string Subject(const GetCircumplexReportResponse& report) {
  return report.account_id().empty()
             ? std::string("portfolio")
             : absl::StrCat("account \xE2\x80\x9C", report.account_id(),
                            "\xE2\x80\x9D");
}

std::string Period(const CircumplexSvgOptions& options) {
  return options.period.empty() ? "all recorded work" : options.period;
}

std::string Times(uint32_t n) {
  return n == 1 ? "once" : n == 2 ? "twice" : absl::StrCat(n, " times");
}

// Restoring percentage of the work, the bolstering one the rest, so the
// two always add up to 100.
std::pair<int, int> SharePercent(const GetCircumplexReportResponse& report) {
  const uint64_t total =
      uint64_t{report.restoring_count()} + report.bolstering_count();
  if (total == 0) return {0, 0};
  const int restoring =
      static_cast<int>(std::lround(100.0 * report.restoring_count() / total));
  return {restoring, 100 - restoring};
}

// ---------------------------------------------------------------------------
// Drawing.

constexpr double kWidth = 900;
constexpr double kMargin = 24;
constexpr double kAxisGap = 28;  // between the left and right quadrants
constexpr double kQuadWidth = (kWidth - 2 * kMargin - kAxisGap) / 2;
constexpr double kCenterX = kWidth / 2;
constexpr double kSlot = 22;  // one phase column
constexpr double kRowHeight = 24;
constexpr double kQuadHeader = 52;
constexpr double kNameFont = 12;

// Okabe-Ito without its yellow (too pale on white), then two of Paul Tol's
// dark colours; repeats after nine (the column still tells the phase).
constexpr std::array<const char*, 9> kPhaseColors = {
    "#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00",
    "#CC79A7", "#7F7F7F", "#332288", "#882255"};

const char* PhaseColor(int index) {
  return kPhaseColors[static_cast<size_t>(index) % kPhaseColors.size()];
}

double Radius(Recurrence r) {
  switch (r) {
    case cse::v1::RECURRENCE_FREQUENTLY:
      return 9.5;
    case cse::v1::RECURRENCE_SOMETIMES:
      return 6.5;
    default:
      return 4;
  }
}

constexpr char kBolsterFill[] = "#EAF4E4";
constexpr char kBolsterInk[] = "#2F6B2A";
constexpr char kBolsterBar[] = "#6AAA5A";
constexpr char kRestoreFill[] = "#E5EEF7";
constexpr char kRestoreInk[] = "#25507C";
constexpr char kRestoreBar[] = "#5B8DC4";

struct Text {
  double x = 0;
  double y = 0;
  double size = 12;
  const char* anchor = "start";
  const char* fill = "#222222";
  bool bold = false;
  bool italic = false;
};

// <text> with already clean content (escaped here).
void AppendText(std::string* out, const Text& t, absl::string_view clean,
                absl::string_view extra_attrs = "") {
  absl::StrAppend(out, "<text x=\"", Num(t.x), "\" y=\"", Num(t.y),
                  "\" font-size=\"", Num(t.size), "\"");
  if (absl::string_view(t.anchor) != "start") {
    absl::StrAppend(out, " text-anchor=\"", t.anchor, "\"");
  }
  if (absl::string_view(t.fill) != "#222222") {
    absl::StrAppend(out, " fill=\"", t.fill, "\"");
  }
  if (t.bold) absl::StrAppend(out, " font-weight=\"bold\"");
  if (t.italic) absl::StrAppend(out, " font-style=\"italic\"");
  if (!extra_attrs.empty()) absl::StrAppend(out, " ", extra_attrs);
  absl::StrAppend(out, ">", EscapeClean(clean), "</text>\n");
}

double QuadrantHeight(const View& view, int first) {
  const size_t rows = std::max<size_t>(
      {view.quadrants[first].size(), view.quadrants[first + 1].size(), 1});
  return kQuadHeader + kRowHeight * static_cast<double>(rows) + 8;
}

// One quadrant box at (x, y): header, phase columns, a row per practice.
void AppendQuadrant(std::string* out, const View& view,
                    const CircumplexSvgOptions& options, int q, double x,
                    double y, double height) {
  const QuadrantInfo& info = kQuadrants[q];
  const std::vector<Row>& rows = view.quadrants[q];
  absl::StrAppend(out, "<g class=\"quadrant\" id=\"quadrant-", info.slug,
                  "\">\n");
  absl::StrAppend(out, "<rect x=\"", Num(x), "\" y=\"", Num(y), "\" width=\"",
                  Num(kQuadWidth), "\" height=\"", Num(height),
                  "\" rx=\"6\" fill=\"#FFFFFF\" fill-opacity=\"0.65\" "
                  "stroke=\"#C4C4C4\"/>\n");
  AppendText(out, {x + 12, y + 22, 14, "start", "#222222", true}, info.label,
             "class=\"quadrant-label\"");
  uint32_t total = 0;
  for (const Row& row : rows) total += row.total;
  if (!rows.empty()) {
    AppendText(out, {x + kQuadWidth - 12, y + 22, 11.5, "end", "#555555"},
               absl::StrCat(rows.size(),
                            rows.size() == 1 ? " practice, " : " practices, ",
                            Times(total)));
  }
  const int columns = static_cast<int>(view.phases.size());
  const double marks_x = x + 12;
  for (int p = 0; p < columns; ++p) {
    AppendText(out,
               {marks_x + kSlot * p + kSlot / 2, y + 42, 10.5, "middle",
                PhaseColor(p), true},
               absl::StrCat(p + 1));
  }
  absl::StrAppend(out, "<line x1=\"", Num(x + 8), "\" y1=\"", Num(y + 47),
                  "\" x2=\"", Num(x + kQuadWidth - 8), "\" y2=\"", Num(y + 47),
                  "\" stroke=\"#DDDDDD\"/>\n");
  if (rows.empty()) {
    AppendText(
        out,
        {x + 12, y + kQuadHeader + 16, 12, "start", "#888888", false, true},
        "none recorded");
  }
  const double name_x = marks_x + kSlot * columns + 8;
  const double name_room = x + kQuadWidth - 10 - name_x;
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& row = rows[i];
    const double top = y + kQuadHeader + kRowHeight * static_cast<double>(i);
    const double mid = top + kRowHeight / 2;
    const std::string name = PracticeName(options, row.practice_id);
    absl::StrAppend(out, "<g class=\"practice\">\n");
    if (i % 2 == 1) {
      absl::StrAppend(out, "<rect x=\"", Num(x + 4), "\" y=\"", Num(top),
                      "\" width=\"", Num(kQuadWidth - 8), "\" height=\"",
                      Num(kRowHeight),
                      "\" fill=\"#000000\" fill-opacity=\"0.035\"/>\n");
    }
    size_t next = 0;
    for (int p = 0; p < columns; ++p) {
      const double cx = marks_x + kSlot * p + kSlot / 2;
      if (next < row.marks.size() && row.marks[next].phase == p) {
        const Mark& m = row.marks[next++];
        const std::string tip = absl::StrCat(
            name == row.practice_id
                ? name
                : absl::StrCat(name, " (", row.practice_id, ")"),
            " · phase ", p + 1, ", ", view.phases[p].name, " · ", info.label,
            " · ", RecurrenceWord(m.recurrence), " (", Times(m.count), ")");
        absl::StrAppend(out, "<circle class=\"mark recurrence-",
                        RecurrenceWord(m.recurrence), "\" cx=\"", Num(cx),
                        "\" cy=\"", Num(mid), "\" r=\"",
                        Num(Radius(m.recurrence)), "\" fill=\"", PhaseColor(p),
                        "\" stroke=\"#333333\" stroke-width=\"0.8\"><title>",
                        Xml(tip), "</title></circle>\n");
      } else {
        absl::StrAppend(out, "<circle cx=\"", Num(cx), "\" cy=\"", Num(mid),
                        "\" r=\"1.6\" fill=\"#C4C4C4\"/>\n");
      }
    }
    // The name, then the id in grey when both fit; else the name alone,
    // shortened if it must be.
    const std::string clean_name = Clean(name);
    const std::string id_text =
        name == row.practice_id ? "" : Clean(row.practice_id);
    const double name_w = TextWidth(clean_name, kNameFont, false);
    const double id_w = TextWidth(id_text, 10.5, false) + 6;
    if (!id_text.empty() && name_w + id_w <= name_room) {
      absl::StrAppend(out, "<text x=\"", Num(name_x), "\" y=\"", Num(mid + 4.2),
                      "\" font-size=\"", Num(kNameFont),
                      "\" class=\"practice-name\">", EscapeClean(clean_name),
                      "<tspan font-size=\"10.5\" fill=\"#777777\" dx=\"6\">",
                      EscapeClean(id_text), "</tspan></text>\n");
    } else {
      // Shortened: the whole name as the tooltip.
      const std::string fitted = Fit(clean_name, name_room, kNameFont, false);
      absl::StrAppend(out, "<text x=\"", Num(name_x), "\" y=\"", Num(mid + 4.2),
                      "\" font-size=\"", Num(kNameFont),
                      "\" class=\"practice-name\">");
      if (fitted != clean_name) {
        absl::StrAppend(out, "<title>",
                        Xml(absl::StrCat(name, " (", row.practice_id, ")")),
                        "</title>");
      }
      absl::StrAppend(out, EscapeClean(fitted), "</text>\n");
    }
    absl::StrAppend(out, "</g>\n");
  }
  absl::StrAppend(out, "</g>\n");
}

// An arrowhead at (x, y) pointing in direction (dx, dy), a unit axis.
void AppendArrowhead(std::string* out, double x, double y, int dx, int dy) {
  const double len = 9;
  const double half = 4.5;
  const double bx = x - dx * len;
  const double by = y - dy * len;
  absl::StrAppend(out, "<polygon points=\"", Num(x), ",", Num(y), " ",
                  Num(bx - dy * half), ",", Num(by + dx * half), " ",
                  Num(bx + dy * half), ",", Num(by - dx * half),
                  "\" fill=\"#444444\"/>\n");
}

}  // namespace

CircumplexSvgOptions CircumplexOptionsFromMapping(
    const engine::CompiledMapping& mapping) {
  CircumplexSvgOptions options;
  for (const engine::CompiledPhase& p : mapping.phases()) {
    options.phases.push_back({p.id, p.name});
  }
  for (const engine::CompiledPractice& p : mapping.practices()) {
    options.practice_names[p.id] = p.name;
  }
  return options;
}

std::string RenderCircumplexSvg(const GetCircumplexReportResponse& report,
                                const CircumplexSvgOptions& options) {
  const View view = BuildView(report, options);
  const bool empty = view.placed == 0;
  std::string body;

  // Title and subtitle.
  const std::string title =
      absl::StrCat("Circumplex report \xE2\x80\x94 ", Subject(report));
  AppendText(&body, {kMargin, 36, 20, "start", "#111111", true},
             Fit(title, kWidth - 2 * kMargin, 20, true), "id=\"title\"");
  std::string subtitle =
      absl::StrCat(Period(options), " \xC2\xB7 ", BasisText(report));
  if (!empty) {
    absl::StrAppend(&subtitle, " \xC2\xB7 ", view.placed,
                    view.placed == 1 ? " occurrence" : " occurrences");
  }
  AppendText(&body, {kMargin, 60, 13, "start", "#555555"},
             Fit(subtitle, kWidth - 2 * kMargin, 13, false), "id=\"subtitle\"");

  const auto [restoring_pct, bolstering_pct] = SharePercent(report);
  const uint32_t share_total =
      report.restoring_count() + report.bolstering_count();

  // The bolstering half: its band, then the two proactive quadrants.
  const double axis_top = 104;
  const double upper_top = 110;
  const double upper_quads = upper_top + 34;
  const double upper_h = QuadrantHeight(view, 0);
  // Without practices the axis band holds the "No practices recorded" box.
  const double axis_gap = empty ? 50 : 26;
  const double axis_y = upper_quads + upper_h + axis_gap;
  const double lower_quads = axis_y + axis_gap;
  const double lower_h = QuadrantHeight(view, 2);
  const double lower_bottom = lower_quads + lower_h + 38;
  const double axis_bottom = lower_bottom + 6;

  absl::StrAppend(
      &body, "<rect id=\"half-bolstering\" x=\"", Num(kMargin), "\" y=\"",
      Num(upper_top), "\" width=\"", Num(kWidth - 2 * kMargin), "\" height=\"",
      Num(axis_y - upper_top), "\" rx=\"10\" fill=\"", kBolsterFill, "\"/>\n");
  absl::StrAppend(&body, "<rect id=\"half-restoring\" x=\"", Num(kMargin),
                  "\" y=\"", Num(axis_y), "\" width=\"",
                  Num(kWidth - 2 * kMargin), "\" height=\"",
                  Num(lower_bottom - axis_y), "\" rx=\"10\" fill=\"",
                  kRestoreFill, "\"/>\n");
  // Square off the corners where the halves meet at the axis.
  absl::StrAppend(&body, "<rect x=\"", Num(kMargin), "\" y=\"",
                  Num(axis_y - 12), "\" width=\"", Num(kWidth - 2 * kMargin),
                  "\" height=\"12\" fill=\"", kBolsterFill, "\"/>\n");
  absl::StrAppend(&body, "<rect x=\"", Num(kMargin), "\" y=\"", Num(axis_y),
                  "\" width=\"", Num(kWidth - 2 * kMargin),
                  "\" height=\"12\" fill=\"", kRestoreFill, "\"/>\n");

  auto share_text = [&](uint32_t count, int pct) {
    if (share_total == 0) return std::string("no practices counted");
    return absl::StrCat(pct, "% of the work \xC2\xB7 ", count, " of ",
                        share_total);
  };
  AppendText(&body,
             {kMargin + 12, upper_top + 22, 13.5, "start", kBolsterInk, true},
             "Bolstering CSE \xE2\x80\x94 proactive, lifts it above normal",
             "class=\"half-label\"");
  AppendText(
      &body,
      {kWidth - kMargin - 12, upper_top + 22, 13, "end", kBolsterInk, true},
      share_text(report.bolstering_count(), bolstering_pct), "class=\"share\"");
  AppendText(
      &body,
      {kMargin + 12, lower_bottom - 14, 13.5, "start", kRestoreInk, true},
      "Restoring CSE \xE2\x80\x94 reactive, brings it back to normal",
      "class=\"half-label\"");
  AppendText(
      &body,
      {kWidth - kMargin - 12, lower_bottom - 14, 13, "end", kRestoreInk, true},
      share_text(report.restoring_count(), restoring_pct), "class=\"share\"");

  // The axes, behind the quadrant boxes.
  absl::StrAppend(&body, "<line id=\"axis-engagement\" x1=\"", Num(kCenterX),
                  "\" y1=\"", Num(axis_top), "\" x2=\"", Num(kCenterX),
                  "\" y2=\"", Num(axis_bottom),
                  "\" stroke=\"#444444\" stroke-width=\"1.5\"/>\n");
  AppendArrowhead(&body, kCenterX, axis_top - 6, 0, -1);
  AppendArrowhead(&body, kCenterX, axis_bottom + 6, 0, 1);
  const double left_end = kMargin - 14;
  const double right_end = kWidth - kMargin + 14;
  absl::StrAppend(&body, "<line id=\"axis-organization\" x1=\"",
                  Num(left_end + 4), "\" y1=\"", Num(axis_y), "\" x2=\"",
                  Num(right_end - 4), "\" y2=\"", Num(axis_y),
                  "\" stroke=\"#444444\" stroke-width=\"1.5\"/>\n");
  AppendArrowhead(&body, left_end, axis_y, -1, 0);
  AppendArrowhead(&body, right_end, axis_y, 1, 0);
  absl::StrAppend(&body, "<circle cx=\"", Num(kCenterX), "\" cy=\"",
                  Num(axis_y), "\" r=\"3.5\" fill=\"#444444\"/>\n");

  // Axis end labels and names.
  AppendText(&body, {kCenterX, axis_top - 18, 14, "middle", "#222222", true},
             "proactive", "class=\"axis-label\"");
  AppendText(&body, {kCenterX, axis_bottom + 28, 14, "middle", "#222222", true},
             "reactive", "class=\"axis-label\"");
  AppendText(
      &body,
      {kCenterX + 58, axis_top - 18, 11, "start", "#666666", false, true},
      "mode of engagement");
  AppendText(&body, {kMargin + 12, axis_y - 7, 14, "start", "#222222", true},
             "ad hoc", "class=\"axis-label\"");
  AppendText(&body,
             {kWidth - kMargin - 12, axis_y - 7, 14, "end", "#222222", true},
             "regular", "class=\"axis-label\"");
  AppendText(&body,
             {kMargin + 12, axis_y + 16, 11, "start", "#666666", false, true},
             "mode of organization");

  // The quadrants.
  const double left_x = kMargin;
  const double right_x = kWidth - kMargin - kQuadWidth;
  AppendQuadrant(&body, view, options, 0, left_x, upper_quads, upper_h);
  AppendQuadrant(&body, view, options, 1, right_x, upper_quads, upper_h);
  AppendQuadrant(&body, view, options, 2, left_x, lower_quads, lower_h);
  AppendQuadrant(&body, view, options, 3, right_x, lower_quads, lower_h);

  if (empty) {
    const double w = 380;
    const double h = 66;
    absl::StrAppend(&body, "<g id=\"no-practices\">\n<rect x=\"",
                    Num(kCenterX - w / 2), "\" y=\"", Num(axis_y - h / 2),
                    "\" width=\"", Num(w), "\" height=\"", Num(h),
                    "\" rx=\"8\" fill=\"#FFFFFF\" stroke=\"#888888\"/>\n");
    AppendText(&body, {kCenterX, axis_y - 4, 17, "middle", "#222222", true},
               "No practices recorded");
    AppendText(
        &body, {kCenterX, axis_y + 18, 12, "middle", "#555555"},
        Fit(report.account_id().empty()
                ? "in the portfolio, " + Period(options)
                : absl::StrCat("for ", Subject(report), ", ", Period(options)),
            w - 20, 12, false));
    absl::StrAppend(&body, "</g>\n");
  }

  // Legends: recurrence, phases, share.
  const double legend_top = axis_bottom + 62;
  double y = legend_top;
  AppendText(&body, {kMargin, y, 12.5, "start", "#222222", true},
             "Recurrence (mark size)");
  const std::array<std::pair<Recurrence, const char*>, 3> classes = {{
      {cse::v1::RECURRENCE_OCCASIONALLY, "occasionally (once)"},
      {cse::v1::RECURRENCE_SOMETIMES, "sometimes (twice)"},
      {cse::v1::RECURRENCE_FREQUENTLY, "frequently (3 or more times)"},
  }};
  for (size_t i = 0; i < classes.size(); ++i) {
    const double row_y = y + 24 + 24 * static_cast<double>(i);
    absl::StrAppend(&body, "<circle class=\"legend-mark recurrence-",
                    RecurrenceWord(classes[i].first), "\" cx=\"",
                    Num(kMargin + 12), "\" cy=\"", Num(row_y - 4), "\" r=\"",
                    Num(Radius(classes[i].first)),
                    "\" fill=\"#BBBBBB\" stroke=\"#333333\" "
                    "stroke-width=\"0.8\"/>\n");
    AppendText(&body, {kMargin + 30, row_y, 12}, classes[i].second);
  }
  double legend_bottom = y + 24 * 3 + 4;

  const double phases_x = 300;
  AppendText(&body, {phases_x, y, 12.5, "start", "#222222", true},
             "Phases (column and colour)");
  if (view.phases.empty()) {
    AppendText(&body, {phases_x, y + 24, 12, "start", "#888888", false, true},
               "no phase model given");
  }
  for (size_t p = 0; p < view.phases.size(); ++p) {
    const double row_y = y + 24 + 22 * static_cast<double>(p);
    absl::StrAppend(&body, "<circle cx=\"", Num(phases_x + 9), "\" cy=\"",
                    Num(row_y - 4), "\" r=\"8\" fill=\"",
                    PhaseColor(static_cast<int>(p)), "\"/>\n");
    AppendText(&body, {phases_x + 9, row_y, 10.5, "middle", "#FFFFFF", true},
               absl::StrCat(p + 1));
    AppendText(&body, {phases_x + 24, row_y, 12},
               Fit(view.phases[p].name, 290, 12, false),
               "class=\"phase-name\"");
    legend_bottom = std::max(legend_bottom, row_y + 8);
  }

  const double share_x = 620;
  const double bar_w = kWidth - kMargin - share_x;
  AppendText(&body, {share_x, y, 12.5, "start", "#222222", true},
             "Restoring vs bolstering");
  absl::StrAppend(&body, "<g id=\"share\">\n");
  if (share_total == 0) {
    absl::StrAppend(&body, "<rect x=\"", Num(share_x), "\" y=\"", Num(y + 12),
                    "\" width=\"", Num(bar_w),
                    "\" height=\"18\" fill=\"#E4E4E4\"/>\n");
    AppendText(&body, {share_x, y + 50, 12, "start", "#666666", false, true},
               "no practices counted");
  } else {
    const double restoring_w =
        bar_w * report.restoring_count() / static_cast<double>(share_total);
    absl::StrAppend(&body, "<rect class=\"share-restoring\" x=\"", Num(share_x),
                    "\" y=\"", Num(y + 12), "\" width=\"", Num(restoring_w),
                    "\" height=\"18\" fill=\"", kRestoreBar, "\"/>\n");
    absl::StrAppend(&body, "<rect class=\"share-bolstering\" x=\"",
                    Num(share_x + restoring_w), "\" y=\"", Num(y + 12),
                    "\" width=\"", Num(bar_w - restoring_w),
                    "\" height=\"18\" fill=\"", kBolsterBar, "\"/>\n");
    AppendText(&body, {share_x, y + 50, 12, "start", kRestoreInk, true},
               absl::StrCat("restoring ", restoring_pct, "% (",
                            report.restoring_count(), ")"));
    AppendText(&body, {share_x, y + 70, 12, "start", kBolsterInk, true},
               absl::StrCat("bolstering ", bolstering_pct, "% (",
                            report.bolstering_count(), ")"));
  }
  absl::StrAppend(&body, "</g>\n");

  y = legend_bottom + 16;
  if (view.unplaced > 0) {
    AppendText(&body, {kMargin, y, 12, "start", "#8A4B00"},
               absl::StrCat(view.unplaced,
                            view.unplaced == 1 ? " occurrence" : " occurrences",
                            " without a circumplex position (organization "
                            "or engagement unspecified) not shown"),
               "id=\"unplaced\"");
    y += 22;
  }
  AppendText(&body, {kMargin, y, 10.5, "start", "#777777"},
             "Circumplex typology after Sahhar, Loohuis & Henseler (2021), "
             "Journal of Service Theory and Practice 31(3).");
  AppendText(&body, {kMargin, y + 15, 10.5, "start", "#777777"},
             "Each quadrant lists the practices performed that way; one mark "
             "per phase, sized by how often the practice recurred there.");
  const double height = std::ceil(y + 30);

  std::string svg;
  absl::StrAppend(
      &svg, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n",
      "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"",
      Num(kWidth), "\" height=\"", Num(height), "\" viewBox=\"0 0 ",
      Num(kWidth), " ", Num(height),
      "\" font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\">\n");
  absl::StrAppend(&svg, "<title>", Xml(title), "</title>\n");
  absl::StrAppend(&svg, "<desc>", Xml(subtitle), "</desc>\n");
  absl::StrAppend(&svg, "<rect width=\"", Num(kWidth), "\" height=\"",
                  Num(height), "\" fill=\"#FFFFFF\"/>\n");
  absl::StrAppend(&svg, body, "</svg>\n");
  return svg;
}

std::string RenderCircumplexTable(const GetCircumplexReportResponse& report,
                                  const CircumplexSvgOptions& options) {
  const View view = BuildView(report, options);
  std::string out = absl::StrCat(
      Clean(absl::StrCat("Circumplex report: ", Subject(report), " \xC2\xB7 ",
                         Period(options), " \xC2\xB7 ", BasisText(report))),
      "\n");
  if (view.placed == 0 && view.unplaced == 0) {
    absl::StrAppend(&out, "No practices recorded.\n");
    return out;
  }
  std::vector<std::string> phases;
  for (size_t p = 0; p < view.phases.size(); ++p) {
    phases.push_back(absl::StrCat(p + 1, " ", Clean(view.phases[p].name)));
  }
  absl::StrAppend(&out, "Phases: ", absl::StrJoin(phases, " \xC2\xB7 "), "\n");

  // Name column: as wide as the widest label, at most 48 code points.
  constexpr size_t kMaxName = 48;
  auto label = [&](const Row& row) {
    const std::string name = PracticeName(options, row.practice_id);
    std::vector<uint32_t> cps =
        CleanCodePoints(name == row.practice_id
                            ? name
                            : absl::StrCat(name, " (", row.practice_id, ")"));
    if (cps.size() > kMaxName) {
      cps.resize(kMaxName - 1);
      cps.push_back(0x2026);
    }
    return cps;
  };
  size_t name_width = 8;
  for (const auto& rows : view.quadrants) {
    for (const Row& row : rows)
      name_width = std::max(name_width, label(row).size());
  }
  for (int q = 0; q < 4; ++q) {
    const std::vector<Row>& rows = view.quadrants[q];
    uint32_t total = 0;
    for (const Row& row : rows) total += row.total;
    absl::StrAppend(&out, "\n", kQuadrants[q].label,
                    kQuadrants[q].proactive ? " \xE2\x86\x92 bolsters CSE"
                                            : " \xE2\x86\x92 restores CSE");
    if (rows.empty()) {
      absl::StrAppend(&out, ": none recorded\n");
      continue;
    }
    absl::StrAppend(&out, ": ", rows.size(),
                    rows.size() == 1 ? " practice, " : " practices, ",
                    Times(total), "\n");
    std::string header =
        absl::StrCat("  ", "practice", std::string(name_width - 8, ' '));
    for (size_t p = 0; p < view.phases.size(); ++p) {
      absl::StrAppend(&header, absl::StrFormat("%4d", p + 1));
    }
    absl::StrAppend(&out, header, "  total\n");
    for (const Row& row : rows) {
      const std::vector<uint32_t> cps = label(row);
      std::string line = absl::StrCat(
          "  ", Utf8(cps), std::string(name_width - cps.size(), ' '));
      size_t next = 0;
      for (size_t p = 0; p < view.phases.size(); ++p) {
        if (next < row.marks.size() &&
            row.marks[next].phase == static_cast<int>(p)) {
          absl::StrAppend(&line,
                          absl::StrFormat("%4u", row.marks[next++].count));
        } else {
          absl::StrAppend(&line, "   .");
        }
      }
      absl::StrAppend(&out, line, absl::StrFormat("  %5u", row.total), "\n");
    }
  }
  const auto [restoring_pct, bolstering_pct] = SharePercent(report);
  absl::StrAppend(&out, "\n");
  if (report.restoring_count() + report.bolstering_count() == 0) {
    absl::StrAppend(&out, "Restoring vs bolstering: no practices counted\n");
  } else {
    absl::StrAppend(&out, "Restoring ", report.restoring_count(), " (",
                    restoring_pct, "%) \xC2\xB7 bolstering ",
                    report.bolstering_count(), " (", bolstering_pct, "%)\n");
  }
  if (view.unplaced > 0) {
    absl::StrAppend(&out, view.unplaced,
                    " without a circumplex position (not in the table)\n");
  }
  absl::StrAppend(&out,
                  "Recurrence per phase: 1 occasionally, 2 sometimes, 3 or "
                  "more frequently.\n");
  return out;
}

}  // namespace cse::cli
