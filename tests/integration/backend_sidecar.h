// A TestSidecar over each journey-memory backend, for the integration tests
// that must hold on all three: in memory, SQLite (a file in a fresh
// directory) and PostgreSQL (a fresh database on the process's throwaway
// server, tests/testing/postgres_server.h; a server that cannot start fails
// the test, it is never skipped).
//
// Example:
//   class OutboxTest : public BackendSidecarTest {};
//   TEST_P(OutboxTest, ...) { StartSidecar(); sidecar_->writeback()... }
//   INSTANTIATE_TEST_SUITE_P(Backends, OutboxTest, AllBackends(),
//                            BackendName);
#ifndef CSE_TESTS_INTEGRATION_BACKEND_SIDECAR_H_
#define CSE_TESTS_INTEGRATION_BACKEND_SIDECAR_H_

#include <memory>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "sidecar/store/in_memory_journey_store.h"
#include "sidecar/store/postgres_journey_store.h"
#include "sidecar/store/sqlite_journey_store.h"
#include "tests/integration/test_mappings.h"
#include "tests/testing/postgres_server.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/test_sidecar.h"

namespace cse::testing {

enum class Backend { kInMemory, kSqlite, kPostgres };

inline auto AllBackends() {
  return ::testing::Values(Backend::kInMemory, Backend::kSqlite,
                           Backend::kPostgres);
}

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  switch (info.param) {
    case Backend::kInMemory:
      return "InMemory";
    case Backend::kSqlite:
      return "Sqlite";
    case Backend::kPostgres:
      return "Postgres";
  }
  return "Unknown";
}

class BackendSidecarTest : public ::testing::TestWithParam<Backend> {
 protected:
  // Starts the sidecar on the test mapping over GetParam()'s store;
  // `options.open_store` is filled in.
  void StartSidecar(TestSidecarOptions options = {}) {
    sidecar_.reset();
    switch (GetParam()) {
      case Backend::kInMemory:
        break;
      case Backend::kSqlite: {
        const std::string path = dir_.Path("journey.db");
        options.open_store = [path](store::StoreOptions store_options)
            -> absl::StatusOr<std::unique_ptr<store::JourneyMemory>> {
          auto s =
              store::SqliteJourneyStore::Open(path, std::move(store_options));
          if (!s.ok()) return s.status();
          return std::unique_ptr<store::JourneyMemory>(*std::move(s));
        };
        break;
      }
      case Backend::kPostgres: {
        if (pg_url_.empty()) {
          auto server = PostgresServer::Shared();
          ASSERT_THAT(server, IsOk());
          auto url = (*server)->CreateDatabase();
          ASSERT_THAT(url, IsOk());
          pg_url_ = *url;
        }
        const std::string url = pg_url_;
        options.open_store = [url](store::StoreOptions store_options)
            -> absl::StatusOr<std::unique_ptr<store::JourneyMemory>> {
          auto s = store::PostgresJourneyStore::Open(
              url, std::move(store_options),
              store::PostgresJourneyStore::Options{.pool_size = 2});
          if (!s.ok()) return s.status();
          return std::unique_ptr<store::JourneyMemory>(*std::move(s));
        };
        break;
      }
    }
    auto started = TestSidecar::Start(TestMappingYaml(), std::move(options));
    ASSERT_THAT(started, IsOk());
    sidecar_ = *std::move(started);
  }

  TempDir dir_;
  std::string pg_url_;
  std::unique_ptr<TestSidecar> sidecar_;
};

}  // namespace cse::testing

#endif  // CSE_TESTS_INTEGRATION_BACKEND_SIDECAR_H_
