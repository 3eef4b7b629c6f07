#include "sidecar/store/sqlite_wal_coalescing_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <string>

#include "absl/base/call_once.h"
#include "absl/synchronization/mutex.h"

namespace cse::store {
namespace {

// The WAL file format (https://sqlite.org/fileformat2.html#walformat).
constexpr int kWalHeaderSize = 32;
constexpr int kFrameHeaderSize = 24;
// Held frames are written out at this size.
constexpr size_t kMaxHeld = size_t{1} << 20;
// The unix VFS writes at most 128 KiB - 1 bytes per xWrite call (it masks
// the length), so longer runs go out in pieces of this size.
constexpr size_t kWritePiece = size_t{64} << 10;

sqlite3_vfs* Base(sqlite3_vfs* vfs) {
  return static_cast<sqlite3_vfs*>(vfs->pAppData);
}

// An open WAL file: the wrapped VFS's file follows it in the same
// allocation (szOsFile covers both).
struct WalFile {
  sqlite3_file base;  // pMethods = &kWalMethods; first, as SQLite expects
  sqlite3_file* real = nullptr;
  // The frames held: `held` is the file's content from `held_at` on.
  std::string held;
  int64_t held_at = 0;
  // Where the next appended frame header is expected (-1: not known yet).
  int64_t next_append = -1;
  // While a frame header is held: where its page must be written.
  int64_t page_at = -1;
  // Whether the held frame header is a commit frame's.
  bool commit = false;
};

constexpr size_t RealOffset() {
  return (sizeof(WalFile) + alignof(std::max_align_t) - 1) /
         alignof(std::max_align_t) * alignof(std::max_align_t);
}

WalFile* Wal(sqlite3_file* f) { return reinterpret_cast<WalFile*>(f); }

// Writes out what is held (also on failure the hold is dropped: SQLite
// treats a failed write as a failed transaction either way).
int WriteHeld(WalFile* w) {
  int rc = SQLITE_OK;
  for (size_t done = 0; done < w->held.size() && rc == SQLITE_OK;
       done += kWritePiece) {
    const size_t n = std::min(kWritePiece, w->held.size() - done);
    rc = w->real->pMethods->xWrite(w->real, w->held.data() + done,
                                   static_cast<int>(n),
                                   w->held_at + static_cast<int64_t>(done));
  }
  w->held.clear();
  return rc;
}

void Hold(WalFile* w, const void* data, int n, int64_t offset) {
  if (w->held.empty()) w->held_at = offset;
  w->held.append(static_cast<const char*>(data), static_cast<size_t>(n));
}

bool FollowsHeld(const WalFile* w, int64_t offset) {
  return w->held.empty() ||
         offset == w->held_at + static_cast<int64_t>(w->held.size());
}

int WalWrite(sqlite3_file* f, const void* data, int n, sqlite3_int64 offset) {
  WalFile* w = Wal(f);
  if (offset == 0 && n == kWalHeaderSize) {
    // A new (or restarted) log: its header, then frames from 32 on.
    if (int rc = WriteHeld(w); rc != SQLITE_OK) return rc;
    Hold(w, data, n, offset);
    w->next_append = offset + n;
    w->page_at = -1;
    return SQLITE_OK;
  }
  if (n == kFrameHeaderSize && w->page_at < 0 &&
      (w->next_append < 0 || offset == w->next_append)) {
    // The header of the next appended frame.
    if (!FollowsHeld(w, offset)) {
      if (int rc = WriteHeld(w); rc != SQLITE_OK) return rc;
    }
    const auto* h = static_cast<const unsigned char*>(data);
    w->commit = (h[4] | h[5] | h[6] | h[7]) != 0;  // size after commit
    Hold(w, data, n, offset);
    w->page_at = offset + n;
    return SQLITE_OK;
  }
  if (w->page_at >= 0 && offset == w->page_at) {
    // The page of the held header: the frame is complete.
    Hold(w, data, n, offset);
    w->next_append = offset + n;
    w->page_at = -1;
    if (w->commit || w->held.size() >= kMaxHeld) return WriteHeld(w);
    return SQLITE_OK;
  }
  // Anything else goes through, after what is held, in SQLite's order.
  w->page_at = -1;
  if (int rc = WriteHeld(w); rc != SQLITE_OK) return rc;
  w->next_append = offset + n;
  return w->real->pMethods->xWrite(w->real, data, n, offset);
}

// Every other method writes out what is held first, then forwards.
#define CSE_WAL_FORWARD(call)                            \
  WalFile* w = Wal(f);                                   \
  if (int rc = WriteHeld(w); rc != SQLITE_OK) return rc; \
  return w->real->pMethods->call

int WalClose(sqlite3_file* f) {
  WalFile* w = Wal(f);
  const int held_rc = WriteHeld(w);
  const int rc = w->real->pMethods->xClose(w->real);
  w->~WalFile();
  return held_rc != SQLITE_OK ? held_rc : rc;
}
int WalRead(sqlite3_file* f, void* out, int n, sqlite3_int64 offset) {
  CSE_WAL_FORWARD(xRead(w->real, out, n, offset));
}
int WalTruncate(sqlite3_file* f, sqlite3_int64 size) {
  CSE_WAL_FORWARD(xTruncate(w->real, size));
}
int WalSync(sqlite3_file* f, int flags) {
  CSE_WAL_FORWARD(xSync(w->real, flags));
}
int WalFileSize(sqlite3_file* f, sqlite3_int64* size) {
  CSE_WAL_FORWARD(xFileSize(w->real, size));
}
int WalLock(sqlite3_file* f, int lock) {
  CSE_WAL_FORWARD(xLock(w->real, lock));
}
int WalUnlock(sqlite3_file* f, int lock) {
  CSE_WAL_FORWARD(xUnlock(w->real, lock));
}
int WalCheckReservedLock(sqlite3_file* f, int* out) {
  CSE_WAL_FORWARD(xCheckReservedLock(w->real, out));
}
int WalFileControl(sqlite3_file* f, int op, void* arg) {
  CSE_WAL_FORWARD(xFileControl(w->real, op, arg));
}
int WalSectorSize(sqlite3_file* f) {
  return Wal(f)->real->pMethods->xSectorSize(Wal(f)->real);
}
int WalDeviceCharacteristics(sqlite3_file* f) {
  return Wal(f)->real->pMethods->xDeviceCharacteristics(Wal(f)->real);
}
// SQLite never maps a WAL file or uses it as a shared-memory handle; these
// only keep the method table complete.
int WalShmMap(sqlite3_file* f, int region, int size, int extend,
              void volatile** out) {
  CSE_WAL_FORWARD(xShmMap(w->real, region, size, extend, out));
}
int WalShmLock(sqlite3_file* f, int offset, int n, int flags) {
  CSE_WAL_FORWARD(xShmLock(w->real, offset, n, flags));
}
void WalShmBarrier(sqlite3_file* f) {
  WalFile* w = Wal(f);
  (void)WriteHeld(w);
  w->real->pMethods->xShmBarrier(w->real);
}
int WalShmUnmap(sqlite3_file* f, int delete_flag) {
  CSE_WAL_FORWARD(xShmUnmap(w->real, delete_flag));
}
int WalFetch(sqlite3_file* f, sqlite3_int64 offset, int n, void** out) {
  CSE_WAL_FORWARD(xFetch(w->real, offset, n, out));
}
int WalUnfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
  CSE_WAL_FORWARD(xUnfetch(w->real, offset, p));
}

#undef CSE_WAL_FORWARD

constexpr sqlite3_io_methods kWalMethods = {
    /*iVersion=*/3,
    WalClose,
    WalRead,
    WalWrite,
    WalTruncate,
    WalSync,
    WalFileSize,
    WalLock,
    WalUnlock,
    WalCheckReservedLock,
    WalFileControl,
    WalSectorSize,
    WalDeviceCharacteristics,
    WalShmMap,
    WalShmLock,
    WalShmBarrier,
    WalShmUnmap,
    WalFetch,
    WalUnfetch,
};
// Version 1 and 2 tables for wrapped files whose own methods stop there.
constexpr sqlite3_io_methods WithVersion(int version) {
  sqlite3_io_methods m = kWalMethods;
  m.iVersion = version;
  if (version < 3) {
    m.xFetch = nullptr;
    m.xUnfetch = nullptr;
  }
  if (version < 2) {
    m.xShmMap = nullptr;
    m.xShmLock = nullptr;
    m.xShmBarrier = nullptr;
    m.xShmUnmap = nullptr;
  }
  return m;
}
constexpr sqlite3_io_methods kWalMethodsV1 = WithVersion(1);
constexpr sqlite3_io_methods kWalMethodsV2 = WithVersion(2);

int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags,
         int* out_flags) {
  sqlite3_vfs* base = Base(vfs);
  if ((flags & SQLITE_OPEN_WAL) == 0) {
    // Not a WAL file: the wrapped VFS's file, methods and all.
    return base->xOpen(base, name, file, flags, out_flags);
  }
  WalFile* w = new (file) WalFile();
  w->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) +
                                            RealOffset());
  w->real->pMethods = nullptr;
  const int rc = base->xOpen(base, name, w->real, flags, out_flags);
  if (w->real->pMethods == nullptr) {
    // Nothing to close: SQLite will not call xClose on this file.
    w->~WalFile();
    file->pMethods = nullptr;
    return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
  }
  const int version = w->real->pMethods->iVersion;
  w->base.pMethods = version >= 3   ? &kWalMethods
                     : version == 2 ? &kWalMethodsV2
                                    : &kWalMethodsV1;
  return rc;
}

// The rest of the VFS forwards to the wrapped one.
int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return Base(vfs)->xDelete(Base(vfs), name, sync_dir);
}
int Access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return Base(vfs)->xAccess(Base(vfs), name, flags, out);
}
int FullPathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  return Base(vfs)->xFullPathname(Base(vfs), name, n, out);
}
void* DlOpen(sqlite3_vfs* vfs, const char* name) {
  return Base(vfs)->xDlOpen(Base(vfs), name);
}
void DlError(sqlite3_vfs* vfs, int n, char* out) {
  Base(vfs)->xDlError(Base(vfs), n, out);
}
void (*DlSym(sqlite3_vfs* vfs, void* lib, const char* symbol))(void) {
  return Base(vfs)->xDlSym(Base(vfs), lib, symbol);
}
void DlClose(sqlite3_vfs* vfs, void* lib) {
  Base(vfs)->xDlClose(Base(vfs), lib);
}
int Randomness(sqlite3_vfs* vfs, int n, char* out) {
  return Base(vfs)->xRandomness(Base(vfs), n, out);
}
int Sleep(sqlite3_vfs* vfs, int micros) {
  return Base(vfs)->xSleep(Base(vfs), micros);
}
int CurrentTime(sqlite3_vfs* vfs, double* out) {
  return Base(vfs)->xCurrentTime(Base(vfs), out);
}
int GetLastError(sqlite3_vfs* vfs, int n, char* out) {
  return Base(vfs)->xGetLastError(Base(vfs), n, out);
}
int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return Base(vfs)->xCurrentTimeInt64(Base(vfs), out);
}
int SetSystemCall(sqlite3_vfs* vfs, const char* name,
                  sqlite3_syscall_ptr call) {
  return Base(vfs)->xSetSystemCall(Base(vfs), name, call);
}
sqlite3_syscall_ptr GetSystemCall(sqlite3_vfs* vfs, const char* name) {
  return Base(vfs)->xGetSystemCall(Base(vfs), name);
}
const char* NextSystemCall(sqlite3_vfs* vfs, const char* name) {
  return Base(vfs)->xNextSystemCall(Base(vfs), name);
}

absl::Mutex register_mu(absl::kConstInit);

}  // namespace

const char* RegisterWalCoalescingVfs(const char* name, sqlite3_vfs* base) {
  absl::MutexLock lock(&register_mu);
  if (sqlite3_vfs_find(name) != nullptr) return name;
  if (base == nullptr) return nullptr;
  // Registered VFSes must live as long as the process may use them.
  auto* vfs = new sqlite3_vfs{};
  vfs->iVersion = std::min(base->iVersion, 3);
  // Room for a WalFile followed by the wrapped VFS's file.
  vfs->szOsFile = static_cast<int>(RealOffset()) + base->szOsFile;
  vfs->mxPathname = base->mxPathname;
  vfs->zName = name;
  vfs->pAppData = base;
  vfs->xOpen = Open;
  vfs->xDelete = Delete;
  vfs->xAccess = Access;
  vfs->xFullPathname = FullPathname;
  vfs->xDlOpen = base->xDlOpen != nullptr ? DlOpen : nullptr;
  vfs->xDlError = base->xDlError != nullptr ? DlError : nullptr;
  vfs->xDlSym = base->xDlSym != nullptr ? DlSym : nullptr;
  vfs->xDlClose = base->xDlClose != nullptr ? DlClose : nullptr;
  vfs->xRandomness = Randomness;
  vfs->xSleep = Sleep;
  vfs->xCurrentTime = CurrentTime;
  vfs->xGetLastError = GetLastError;
  if (vfs->iVersion >= 2) vfs->xCurrentTimeInt64 = CurrentTimeInt64;
  if (vfs->iVersion >= 3) {
    vfs->xSetSystemCall = SetSystemCall;
    vfs->xGetSystemCall = GetSystemCall;
    vfs->xNextSystemCall = NextSystemCall;
  }
  if (sqlite3_vfs_register(vfs, /*makeDflt=*/0) != SQLITE_OK) {
    delete vfs;
    return nullptr;
  }
  return name;
}

const char* WalCoalescingVfs() {
  static absl::once_flag once;
  static const char* name = nullptr;
  absl::call_once(once, [] {
    name = RegisterWalCoalescingVfs("cse-wal-coalescing",
                                    sqlite3_vfs_find(nullptr));
  });
  return name;
}

}  // namespace cse::store
