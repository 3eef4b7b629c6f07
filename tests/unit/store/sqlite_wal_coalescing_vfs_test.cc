// The WAL-coalescing VFS: fewer writes, the same file. Readers on other
// connections, a crash of the writing process, cache spills, rollbacks and
// WAL restarts must all see exactly what they would without it.
#include "sidecar/store/sqlite_wal_coalescing_vfs.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace cse::store {
namespace {

class TempDir {
 public:
  TempDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "cse-walvfs-test-XXXXXX")
            .string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const {
    return absl::StrCat(path_, "/", name);
  }

 private:
  std::string path_;
};

// A VFS over the default one that counts the writes reaching WAL files.
std::atomic<int> wal_writes{0};

struct CountedFile {
  sqlite3_file base;
  sqlite3_file* real;
};

sqlite3_file* Real(sqlite3_file* f) {
  return reinterpret_cast<CountedFile*>(f)->real;
}
int CountedClose(sqlite3_file* f) { return Real(f)->pMethods->xClose(Real(f)); }
int CountedRead(sqlite3_file* f, void* out, int n, sqlite3_int64 off) {
  return Real(f)->pMethods->xRead(Real(f), out, n, off);
}
int CountedWrite(sqlite3_file* f, const void* data, int n, sqlite3_int64 off) {
  ++wal_writes;
  return Real(f)->pMethods->xWrite(Real(f), data, n, off);
}
int CountedTruncate(sqlite3_file* f, sqlite3_int64 size) {
  return Real(f)->pMethods->xTruncate(Real(f), size);
}
int CountedSync(sqlite3_file* f, int flags) {
  return Real(f)->pMethods->xSync(Real(f), flags);
}
int CountedFileSize(sqlite3_file* f, sqlite3_int64* size) {
  return Real(f)->pMethods->xFileSize(Real(f), size);
}
int CountedLock(sqlite3_file* f, int lock) {
  return Real(f)->pMethods->xLock(Real(f), lock);
}
int CountedUnlock(sqlite3_file* f, int lock) {
  return Real(f)->pMethods->xUnlock(Real(f), lock);
}
int CountedCheckReservedLock(sqlite3_file* f, int* out) {
  return Real(f)->pMethods->xCheckReservedLock(Real(f), out);
}
int CountedFileControl(sqlite3_file* f, int op, void* arg) {
  return Real(f)->pMethods->xFileControl(Real(f), op, arg);
}
int CountedSectorSize(sqlite3_file* f) {
  return Real(f)->pMethods->xSectorSize(Real(f));
}
int CountedDeviceCharacteristics(sqlite3_file* f) {
  return Real(f)->pMethods->xDeviceCharacteristics(Real(f));
}

const sqlite3_io_methods kCountedMethods = {
    1,
    CountedClose,
    CountedRead,
    CountedWrite,
    CountedTruncate,
    CountedSync,
    CountedFileSize,
    CountedLock,
    CountedUnlock,
    CountedCheckReservedLock,
    CountedFileControl,
    CountedSectorSize,
    CountedDeviceCharacteristics,
};

sqlite3_vfs counting_vfs;

int CountedOpen(sqlite3_vfs* vfs, const char* name, sqlite3_file* file,
                int flags, int* out_flags) {
  auto* base = static_cast<sqlite3_vfs*>(vfs->pAppData);
  if ((flags & SQLITE_OPEN_WAL) == 0) {
    return base->xOpen(base, name, file, flags, out_flags);
  }
  auto* c = reinterpret_cast<CountedFile*>(file);
  c->real = reinterpret_cast<sqlite3_file*>(c + 1);
  c->real->pMethods = nullptr;
  const int rc = base->xOpen(base, name, c->real, flags, out_flags);
  c->base.pMethods = c->real->pMethods != nullptr ? &kCountedMethods : nullptr;
  return rc;
}

// "counting" (plain) and "coalescing-over-counting".
void RegisterTestVfses() {
  static bool done = [] {
    sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
    counting_vfs = *base;
    counting_vfs.zName = "counting";
    counting_vfs.pAppData = base;
    counting_vfs.szOsFile =
        static_cast<int>(sizeof(CountedFile)) + base->szOsFile;
    counting_vfs.xOpen = CountedOpen;
    sqlite3_vfs_register(&counting_vfs, 0);
    return RegisterWalCoalescingVfs("coalescing-over-counting",
                                    &counting_vfs) != nullptr;
  }();
  ASSERT_TRUE(done);
}

sqlite3* OpenDb(const std::string& path, const char* vfs) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs),
            SQLITE_OK);
  return db;
}

void Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK)
      << sql << ": " << (err != nullptr ? err : "");
  sqlite3_free(err);
}

// The first column of the first row, as an integer.
int64_t Query(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr), SQLITE_OK)
      << sql << ": " << sqlite3_errmsg(db);
  int64_t v = -1;
  if (sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  return v;
}

std::string IntegrityCheck(sqlite3* db) {
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA integrity_check;", -1, &s, nullptr);
  std::string out;
  if (sqlite3_step(s) == SQLITE_ROW) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  }
  sqlite3_finalize(s);
  return out;
}

void SetUpWal(sqlite3* db) {
  Exec(db,
       "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
       "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v BLOB);");
}

// Inserts `rows` rows of `bytes` bytes each in one transaction.
void InsertTransaction(sqlite3* db, int rows, int bytes) {
  Exec(db, absl::StrCat("BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                        "SELECT i + 1 FROM n WHERE i < ",
                        rows, ") INSERT INTO t (v) SELECT randomblob(", bytes,
                        ") FROM n; COMMIT;"));
}

TEST(SqliteWalCoalescingVfsTest, WritesATransactionsFramesInAFewWrites) {
  RegisterTestVfses();
  TempDir dir;
  int writes[2];
  const char* vfses[2] = {"counting", "coalescing-over-counting"};
  for (int i = 0; i < 2; ++i) {
    sqlite3* db = OpenDb(dir.File(absl::StrCat(i, ".db")), vfses[i]);
    SetUpWal(db);
    wal_writes = 0;
    InsertTransaction(db, 200, 3000);  // ~200 pages: ~200 frames
    writes[i] = wal_writes;
    EXPECT_EQ(Query(db, "SELECT count(*) FROM t;"), 200);
    sqlite3_close(db);
  }
  // Plain: a header and a page per frame. Coalesced: ~830 KB in 64 KiB
  // pieces.
  EXPECT_GE(writes[0], 400);
  EXPECT_LE(writes[1], 20);
}

// Every commit is visible, complete, to a connection without the VFS as
// soon as COMMIT returns: also after transactions that spill the page
// cache into the WAL, rollbacks, and WAL restarts.
TEST(SqliteWalCoalescingVfsTest, AnotherConnectionSeesEveryCommit) {
  TempDir dir;
  const std::string path = dir.File("j.db");
  sqlite3* writer = OpenDb(path, WalCoalescingVfs());
  SetUpWal(writer);
  Exec(writer, "PRAGMA cache_size=20;");  // spills within big transactions
  sqlite3* reader = OpenDb(path, nullptr);
  int64_t rows = 0;
  for (int i = 0; i < 60; ++i) {
    const int n = i % 10 == 0 ? 300 : 1 + i % 7;
    InsertTransaction(writer, n, 1500 + 97 * i);
    rows += n;
    ASSERT_EQ(Query(reader, "SELECT count(*) FROM t;"), rows) << i;
    ASSERT_EQ(Query(reader, "SELECT count(*) FROM t WHERE length(v) < 1500;"),
              0);
    if (i % 10 == 5) {
      // A spilled transaction that does not commit leaves nothing.
      Exec(writer,
           "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
           "FROM n WHERE i < 300) INSERT INTO t (v) SELECT randomblob(2000) "
           "FROM n; ROLLBACK;");
      ASSERT_EQ(Query(reader, "SELECT count(*) FROM t;"), rows);
    }
    if (i % 20 == 19) {
      // The next commit restarts the WAL from its beginning.
      Exec(writer, "PRAGMA wal_checkpoint(RESTART);");
    }
  }
  EXPECT_EQ(IntegrityCheck(reader), "ok");
  sqlite3_close(reader);
  sqlite3_close(writer);
  sqlite3* again = OpenDb(path, nullptr);
  EXPECT_EQ(Query(again, "SELECT count(*) FROM t;"), rows);
  EXPECT_EQ(IntegrityCheck(again), "ok");
  sqlite3_close(again);
}

// A commit is in the file when COMMIT returns: a process killed right after
// (kill -9: nothing closes or flushes anything) loses none of them, and an
// open transaction is gone.
TEST(SqliteWalCoalescingVfsTest, CommitsSurviveAKilledProcess) {
  TempDir dir;
  const std::string path = dir.File("j.db");
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.c_str(), &db,
                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                    WalCoalescingVfs());
    sqlite3_exec(db,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                 "CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB);",
                 nullptr, nullptr, nullptr);
    for (int i = 0; i < 40; ++i) {
      const std::string sql = absl::StrCat(
          "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
          "FROM n WHERE i < ",
          i % 8 == 0 ? 100 : 3,
          ") INSERT INTO t (v) SELECT randomblob(2500) FROM n; COMMIT;");
      if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) !=
          SQLITE_OK) {
        _exit(2);
      }
    }
    // Still in the page cache, never in the WAL.
    sqlite3_exec(db, "BEGIN; INSERT INTO t (v) VALUES (randomblob(10));",
                 nullptr, nullptr, nullptr);
    raise(SIGKILL);
    _exit(3);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
  sqlite3* db = OpenDb(path, nullptr);
  // 5 transactions of 100 rows, 35 of 3.
  EXPECT_EQ(Query(db, "SELECT count(*) FROM t;"), 5 * 100 + 35 * 3);
  EXPECT_EQ(IntegrityCheck(db), "ok");
  sqlite3_close(db);
}

}  // namespace
}  // namespace cse::store
