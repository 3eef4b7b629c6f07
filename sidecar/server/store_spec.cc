#include "sidecar/server/store_spec.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "sidecar/store/in_memory_journey_store.h"
#include "sidecar/store/postgres_journey_store.h"
#include "sidecar/store/sqlite_journey_store.h"

namespace cse::server {
namespace {

constexpr absl::string_view kSqlitePrefix = "sqlite:";
constexpr absl::string_view kPostgresPrefix = "postgres:";

bool IsPostgresUri(absl::string_view s) {
  return absl::StartsWith(s, "postgresql://") ||
         absl::StartsWith(s, "postgres://");
}

// Replaces the value of every `password=` parameter (a URI query's, up to
// the next '&'; a key=value string's, up to whitespace or, quoted, the
// closing quote).
std::string RedactPasswordParams(absl::string_view s, bool uri) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    const std::string lower = absl::AsciiStrToLower(s.substr(i));
    const size_t at = lower.find("password");
    if (at == std::string::npos) break;
    size_t j = i + at + 8;
    size_t k = j;
    while (!uri && k < s.size() && s[k] == ' ') ++k;
    // A key ends a word that starts the string or follows a separator.
    const bool starts_key = i + at == 0 || s[i + at - 1] == '?' ||
                            s[i + at - 1] == '&' || s[i + at - 1] == ' ';
    if (!starts_key || k >= s.size() || s[k] != '=') {
      absl::StrAppend(&out, s.substr(i, j - i));
      i = j;
      continue;
    }
    ++k;
    while (!uri && k < s.size() && s[k] == ' ') ++k;
    absl::StrAppend(&out, s.substr(i, k - i));
    out.append("***");
    if (!uri && k < s.size() && s[k] == '\'') {
      ++k;
      while (k < s.size() && s[k] != '\'') k += s[k] == '\\' ? 2 : 1;
      k = std::min(k + 1, s.size());
    } else {
      while (k < s.size() && s[k] != (uri ? '&' : ' ')) ++k;
    }
    i = k;
  }
  if (i < s.size()) absl::StrAppend(&out, s.substr(i));
  return out;
}

}  // namespace

absl::StatusOr<StoreSpec> ParseStoreSpec(absl::string_view spec) {
  StoreSpec out;
  absl::string_view rest = spec;
  if (spec == "memory") return out;
  if (absl::ConsumePrefix(&rest, kSqlitePrefix)) {
    out.kind = StoreSpec::Kind::kSqlite;
  } else if (IsPostgresUri(spec) ||  // before "postgres:", its prefix
             absl::ConsumePrefix(&rest, kPostgresPrefix)) {
    out.kind = StoreSpec::Kind::kPostgres;
  } else {
    return absl::InvalidArgumentError(
        "must be memory, sqlite:PATH, postgres:CONNINFO or a postgresql:// "
        "URL");
  }
  if (rest.empty()) {
    return absl::InvalidArgumentError(
        out.kind == StoreSpec::Kind::kSqlite
            ? "sqlite:PATH needs a path"
            : "postgres:CONNINFO needs a connection string");
  }
  out.target = std::string(rest);
  return out;
}

std::string RedactedStoreSpec(absl::string_view spec) {
  absl::string_view rest = spec;
  std::string prefix;
  if (IsPostgresUri(spec)) {
    // The URI itself ("postgres://" starts with "postgres:" too).
  } else if (absl::ConsumePrefix(&rest, kPostgresPrefix)) {
    prefix = std::string(kPostgresPrefix);
  } else {
    return std::string(spec);  // memory and sqlite: nothing secret
  }
  if (!IsPostgresUri(rest)) {
    return prefix + RedactPasswordParams(rest, /*uri=*/false);
  }
  // scheme://[user[:password]@]host...: the userinfo ends at the last '@'
  // before the path or query.
  const size_t authority = rest.find("://") + 3;
  size_t end = rest.find_first_of("/?", authority);
  if (end == absl::string_view::npos) end = rest.size();
  const size_t at = rest.substr(0, end).rfind('@');
  std::string uri;
  if (at != absl::string_view::npos && at >= authority) {
    const size_t colon = rest.substr(authority, at - authority).find(':');
    if (colon != absl::string_view::npos) {
      uri = absl::StrCat(rest.substr(0, authority + colon + 1), "***",
                         rest.substr(at));
    }
  }
  if (uri.empty()) uri = std::string(rest);
  return prefix + RedactPasswordParams(uri, /*uri=*/true);
}

absl::StatusOr<std::unique_ptr<store::JourneyMemory>> OpenJourneyMemory(
    const StoreSpec& spec, store::StoreOptions options) {
  switch (spec.kind) {
    case StoreSpec::Kind::kMemory:
      return std::make_unique<store::InMemoryJourneyStore>(100000,
                                                           std::move(options));
    case StoreSpec::Kind::kSqlite: {
      auto opened =
          store::SqliteJourneyStore::Open(spec.target, std::move(options));
      if (!opened.ok()) return opened.status();
      return std::unique_ptr<store::JourneyMemory>(*std::move(opened));
    }
    case StoreSpec::Kind::kPostgres: {
      auto opened = store::PostgresJourneyStore::Open(
          spec.target, std::move(options),
          store::PostgresJourneyStore::Options());
      if (!opened.ok()) return opened.status();
      return std::unique_ptr<store::JourneyMemory>(*std::move(opened));
    }
  }
  return absl::InternalError("unknown store kind");
}

}  // namespace cse::server
