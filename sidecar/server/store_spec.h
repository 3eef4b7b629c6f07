// The --store flag: which journey memory the sidecar runs on, and how to
// name it in logs without its secrets.
//
//   memory                  in process memory, lost on exit
//   sqlite:PATH             an embedded SQLite file, created if missing
//   postgres:CONNINFO       PostgreSQL; CONNINFO is a libpq URI or
//                           key=value string
//   postgresql://... or postgres://...   the same, the URI given directly
//
// Example:
//   auto spec = ParseStoreSpec(flag);
//   if (!spec.ok()) return spec.status();
//   log->info("journey store: {}", RedactedStoreSpec(flag));
//   auto store = OpenJourneyMemory(*spec, store_options);
#ifndef CSE_SIDECAR_SERVER_STORE_SPEC_H_
#define CSE_SIDECAR_SERVER_STORE_SPEC_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sidecar/store/journey_memory.h"
#include "sidecar/store/store_options.h"

namespace cse::server {

struct StoreSpec {
  enum class Kind { kMemory, kSqlite, kPostgres };
  Kind kind = Kind::kMemory;
  // The SQLite path or the PostgreSQL connection string.
  std::string target;
};

// INVALID_ARGUMENT (without repeating the value, which may hold a password)
// for anything but the forms above with a non-empty PATH or CONNINFO.
absl::StatusOr<StoreSpec> ParseStoreSpec(absl::string_view spec);

// The spec with every password replaced by "***": the userinfo password of
// a URI (`postgresql://cse:***@db/cse`) and `password=` parameters, in a
// URI's query or a key=value string.
std::string RedactedStoreSpec(absl::string_view spec);

// Opens the journey memory (for SQLite and PostgreSQL, migrating the
// schema). Errors are the store's: UNAVAILABLE for a database that cannot
// be reached, FAILED_PRECONDITION for a schema newer than this binary.
absl::StatusOr<std::unique_ptr<store::JourneyMemory>> OpenJourneyMemory(
    const StoreSpec& spec, store::StoreOptions options);

}  // namespace cse::server

#endif  // CSE_SIDECAR_SERVER_STORE_SPEC_H_
